/* SPDX-License-Identifier: MIT */
/*
 * Virtually contiguous kernel memory in [VMALLOC_START, VMALLOC_END), backed
 * by individual pages. Every area starts with an unmapped guard page, so a
 * kernel stack from vmalloc() that overflows faults instead of corrupting its
 * neighbour. vmalloc() may sleep in the future (GFP_KERNEL); do not call it
 * with a spinlock held or from interrupt context.
 */
#ifndef _EXO_VMALLOC_H
#define _EXO_VMALLOC_H

#include <exo/gfp.h>
#include <exo/types.h>

/* Returns page-aligned, uninitialised memory of @size bytes, or NULL. */
void *vmalloc(unsigned long size);
/* vmalloc() with the memory zeroed. */
void *vzalloc(unsigned long size);
/*
 * Releases an area from vmalloc(); NULL is ignored, any other unknown pointer
 * warns. Its pages come back at the next purge (mm/vmalloc.c: a few dozen
 * pages' worth of frees later, under memory pressure, or vm_unmap_aliases()).
 */
void vfree(const void *addr);
/* Purges every freed area now: unmaps it, flushes all CPUs' TLBs, frees its pages. */
void vm_unmap_aliases(void);
/*
 * kmalloc() first (whole pages past the size classes), vmalloc() only when no
 * contiguous block is free: a purge flushes the TLB of all CPUs, which per
 * system call (xattr buffers) cost an IPI round trip each on SMP.
 * Free with kvfree(). May not be called with interrupts off.
 */
void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);
/* True when @addr lies in the vmalloc range. */
bool is_vmalloc_addr(const void *addr);
/* Pages mapped by live vmalloc areas (/proc/meminfo VmallocUsed). */
unsigned long vmalloc_used_pages(void);
void vmalloc_init(void);

#endif /* _EXO_VMALLOC_H */
