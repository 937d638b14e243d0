/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for arch/x86_64/include/asm/memlayout.h. The constants are
 * the real ones; the direct map starts at host_direct_map_base, the address
 * of the mmap()ed arena that plays physical RAM in the unit tests.
 */
#ifndef _ASM_MEMLAYOUT_H
#define _ASM_MEMLAYOUT_H

#include <asm/const.h>
#include <exo/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PMD_SIZE (_AC(1, UL) << PMD_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (_AC(1, UL) << PUD_SHIFT)
#define PGDIR_SHIFT 39

extern unsigned long host_direct_map_base;

#define DIRECT_MAP_BASE host_direct_map_base
#define KERNEL_STACK_SIZE (_AC(4, UL) * PAGE_SIZE)

static inline void *phys_to_virt(phys_addr_t phys)
{
	return (void *)(phys + host_direct_map_base);
}

static inline phys_addr_t virt_to_phys(const void *virt)
{
	return (unsigned long)virt - host_direct_map_base;
}

#endif /* _ASM_MEMLAYOUT_H */
