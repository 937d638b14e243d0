/* SPDX-License-Identifier: MIT */
/*
 * Inside mm/: the VMA tree (vma.c), the fault path (memory.c) and the
 * mapping operations shared by mmap/munmap/mprotect/mremap/madvise. Every
 * function here expects mm->lock held unless it says otherwise.
 */
#ifndef _MM_VMA_H
#define _MM_VMA_H

#include <exo/mm_types.h>
#include <exo/types.h>

struct file;
struct page;

/* Stack growth stops this far above the mapping below it (Linux: stack_guard_gap). */
#define STACK_GUARD_GAP (256UL * PAGE_SIZE)
/* At least this much room between mmap_base and the top of the stack. */
#define MMAP_BASE_MIN_GAP (128UL << 20)
/* The initial stack VMA; faults grow it up to mm->stack_limit. */
#define INITIAL_STACK_SIZE (128UL << 10)

/* vma.c */
/* A VMA outside any tree, holding a reference on @file if set; ERR_PTR(-ENOMEM). */
struct vm_area *vma_alloc(struct mm *mm, unsigned long start, unsigned long end,
			  unsigned long vm_flags, struct file *file, unsigned long pgoff);
/* Drops the file reference and frees; the VMA must not be in a tree. */
void vma_free(struct vm_area *vma);
void vma_insert(struct mm *mm, struct vm_area *vma);
void vma_remove(struct mm *mm, struct vm_area *vma);
struct vm_area *vma_next(struct vm_area *vma);
struct vm_area *vma_prev(struct vm_area *vma);
/* The last VMA that starts below @addr, or NULL. */
struct vm_area *find_vma_below(struct mm *mm, unsigned long addr);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area *find_vma_intersection(struct mm *mm, unsigned long start, unsigned long end);
/* Splits @vma at @addr (strictly inside it); @vma keeps the lower part. 0 or -ENOMEM. */
int vma_split(struct mm *mm, struct vm_area *vma, unsigned long addr);
/* Merges @vma with compatible anonymous neighbours; returns the surviving VMA. */
struct vm_area *vma_merge_neighbours(struct mm *mm, struct vm_area *vma);
/*
 * Grows a like anonymous neighbour (same flags, default policy) over the free range
 * [start, end), in place; the VMA that now covers it, or NULL if no neighbour can.
 */
struct vm_area *vma_extend_anon(struct mm *mm, unsigned long start, unsigned long end,
			       unsigned long vm_flags);
/* After the VMAs of [start, end) are gone: frees its page tables no neighbouring VMA shares. */
void free_pgtables(struct mm *mm, unsigned long start, unsigned long end);
/* Splits VMAs so that none straddles @start or @end. 0 or -ENOMEM. */
int vma_split_range(struct mm *mm, unsigned long start, unsigned long end);
/* mmap.c: whether RLIMIT_AS leaves room for @npages more pages of address space (Linux's check). */
bool may_expand_vm(struct mm *mm, unsigned long npages);
/* A free range of @len bytes, top-down from mm->mmap_base; -ENOMEM as unsigned long. */
unsigned long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len);

/* mmap.c */
int do_munmap(struct mm *mm, unsigned long start, unsigned long len);
/*
 * Maps [addr, addr + len); with @replace (MAP_FIXED) whatever is there goes first,
 * without it the caller found the range free (get_unmapped_area(), brk's own check).
 */
unsigned long mmap_region(struct mm *mm, unsigned long addr, unsigned long len,
			  unsigned long vm_flags, struct file *file, unsigned long pgoff, bool replace);
unsigned long calc_vm_prot_bits(unsigned long prot);

/* memory.c */
/* handle_mm_fault() with FAULT_FLAG_* instead of an error code; takes mm->lock. */
int __handle_mm_fault(struct mm *mm, unsigned long addr, unsigned int flags);
/* Faults in every page of [start, end) (MAP_POPULATE). Drops and retakes mm->lock. */
int populate_range(struct mm *mm, unsigned long start, unsigned long end, bool write);

/* file.c: the VFS as the memory manager sees it (stubs until <exo/fs.h> exists) */
struct file *mm_fget(int fd);
void mm_get_file(struct file *file);
void mm_fput(struct file *file);
/*
 * Checks @file's open mode and seals against the mapping; clears VM_MAY*
 * they forbid. 0, -EACCES, -EPERM (a write-sealed memfd).
 */
int mm_file_mmap_check(struct file *file, unsigned long prot, bool shared,
		       unsigned long *vm_flags);
int mm_file_mmap(struct file *file, struct vm_area *vma);
/* Counts (@delta +1/-1) a VMA of @file with @vm_flags among its writable shared mappings. */
void mm_file_map_writable(struct file *file, unsigned long vm_flags, int delta);
int mm_file_fault(struct file *file, unsigned long pgoff, struct page **page);
/* The tmpfs file that backs a MAP_SHARED | MAP_ANONYMOUS mapping of @len bytes; or ERR_PTR. */
struct file *mm_shmem_file(unsigned long len);
/* True when page @pgoff of @file is in the page cache now (no I/O, no allocation). */
bool mm_file_page_cached(struct file *file, unsigned long pgoff);
int vm_msync(struct mm *mm, unsigned long start, unsigned long len, int flags);

/* mlock.c */
/* Whether a new mapping with @vm_flags of @mm is locked and must be faulted in now. */
bool mlock_wants_populate(struct mm *mm, unsigned long vm_flags);
/* MAP_LOCKED of @len bytes: -EPERM without RLIMIT_MEMLOCK, -EAGAIN over it; else 0. */
int mlock_map_check(struct mm *mm, unsigned long len);

#endif /* _MM_VMA_H */
