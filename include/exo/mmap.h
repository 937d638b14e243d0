/* SPDX-License-Identifier: MIT */
/*
 * What the memory manager offers fork, exec, exit and the trap handler.
 * Every function takes the mm explicitly; only the syscalls use current->mm.
 * Types are in <exo/mm_types.h>; the locking rules there apply.
 *
 * Lifetime: mm_create() and mm_dup() return an mm with one user reference;
 * mmget() adds one, mmput() drops one and the last one tears everything
 * down (VMAs, pages, page tables; it switches this CPU away from the mm
 * first if needed), so after the last mmput() every page it used is free.
 *
 * Typical exec: mm = mm_create(); vm_mmap() each PT_LOAD segment;
 * vm_brk_setup(mm, end_of_bss); setup_user_stack(mm, &sp);
 * arch_switch_mm(mm); copy argv/envp/auxv below sp with copy_to_user.
 */
#ifndef _EXO_MMAP_H
#define _EXO_MMAP_H

#include <exo/mm_types.h>
#include <exo/types.h>

struct file;
struct page;

/* A fresh address space: kernel half only, no VMAs. Returns the mm or ERR_PTR(-ENOMEM). */
struct mm *mm_create(void);
/*
 * fork: copies @old's VMAs and page tables. Private writable pages become
 * copy-on-write in both mms (read-only, one more page reference); shared
 * mappings stay writable and shared. Returns the new mm or ERR_PTR(-ENOMEM).
 */
struct mm *mm_dup(struct mm *old);
void mmget(struct mm *mm);
void mmput(struct mm *mm);

/*
 * mmap() on @mm: PROT_* and MAP_* as in Linux, @off in bytes. @file is NULL
 * for MAP_ANONYMOUS, else the caller's reference (the VMA takes its own).
 * Returns the address, or -errno cast to unsigned long (IS_ERR_VALUE()).
 */
unsigned long vm_mmap(struct mm *mm, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, struct file *file, unsigned long off);
/* munmap(): 0, or -EINVAL for an unaligned @start, a zero or overflowing @len. */
int vm_munmap(struct mm *mm, unsigned long start, unsigned long len);
/*
 * shmdt(): unmaps the mapping of a file at offset 0 that starts at @addr,
 * and the other pieces of that file's mapping up to @addr plus the length
 * @attached_len() returns for it (0: not an attachable file, -EINVAL).
 * @attached_len runs under mm->lock. 0, or -EINVAL when nothing matches.
 */
int vm_munmap_attached(struct mm *mm, unsigned long addr,
		       unsigned long (*attached_len)(struct file *file));
/* mprotect(): 0, -EINVAL, -ENOMEM (a hole in the range) or -EACCES. */
int vm_mprotect(struct mm *mm, unsigned long start, unsigned long len, unsigned long prot);
/* mremap(): the new address, or -errno as unsigned long. */
unsigned long vm_mremap(struct mm *mm, unsigned long old_addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr);
/* madvise(): 0, -EINVAL or -ENOMEM (part of the range is unmapped). */
int vm_madvise(struct mm *mm, unsigned long start, unsigned long len, int advice);
/* brk(): returns the new break, or the old one when it cannot move. */
unsigned long vm_brk(struct mm *mm, unsigned long brk);

/* The heap starts at PAGE_ALIGN(@start) (the end of the program's bss). */
int vm_brk_setup(struct mm *mm, unsigned long start);
/*
 * Maps the initial stack, a VM_GROWSDOWN VMA ending at STACK_TOP that faults
 * may grow to mm->stack_limit (set that first to honor RLIMIT_STACK).
 * *@sp_out gets the initial stack pointer. Returns 0 or -ENOMEM.
 */
int setup_user_stack(struct mm *mm, unsigned long *sp_out);

/* The VMA containing @addr, or else the first one above it; NULL if none. Caller holds mm->lock. */
struct vm_area *find_vma(struct mm *mm, unsigned long addr);

/*
 * Resolves a page fault at user address @addr; @error_code is the CPU's
 * (decoded by arch_fault_flags()). Takes mm->lock. Returns 0 when the access
 * can be retried, -EFAULT when no VMA covers @addr (SIGSEGV, SEGV_MAPERR),
 * -EACCES when the VMA forbids the access (SEGV_ACCERR), -EIO when a file
 * could not supply the page (SIGBUS) or -ENOMEM.
 */
int handle_mm_fault(struct mm *mm, unsigned long addr, unsigned long error_code);

/*
 * Copies @len bytes between @buf and user address @addr of @mm, which need
 * not be the current one (the caller holds an mm user reference, e.g. from
 * get_task_mm()). Missing pages are faulted in as the owner's own access
 * would be, including copy-on-write breaks for @write; the VMA's rights
 * apply. Takes mm->lock; do not hold it. Returns the bytes copied, fewer
 * than @len when an address is not accessible.
 */
int access_remote_vm(struct mm *mm, unsigned long addr, void *buf, size_t len, bool write);
/*
 * The same for a debugger (ptrace PEEK/POKE): a write also reaches the
 * read-only pages of private mappings (a breakpoint in the text), through
 * a private copy whose PTE stays read-only (Linux's FOLL_FORCE).
 */
int access_remote_vm_force(struct mm *mm, unsigned long addr, void *buf, size_t len, bool write);

/*
 * References the @n pages at page-aligned @addr of @mm (private anonymous
 * memory only, faulted in first) into @pages; with @move the range is then
 * unmapped from @mm. 0, -EFAULT (not mapped), -EINVAL (not private
 * anonymous memory) or -ENOMEM; on error no reference is held. Takes
 * mm->lock: do not hold it.
 */
int mm_get_user_pages(struct mm *mm, unsigned long addr, unsigned int n, bool move,
		      struct page **pages);
/*
 * Maps @pages into a new private anonymous VMA of @mm (each PTE takes its
 * own reference; read-only PTEs when !@writable, so a write copies). Returns
 * the address or a -errno as unsigned long. Takes mm->lock.
 */
unsigned long mm_map_user_pages(struct mm *mm, struct page **pages, unsigned int n, bool writable);
/*
 * The same into [@addr, @addr + n pages) of @mm, which must be private
 * anonymous writable memory: the pages there (if any) are unmapped and
 * released. 0, -EFAULT, -EINVAL, -EACCES or -ENOMEM (some PTEs may then be
 * set already: their pages are the new ones). Takes mm->lock.
 */
int mm_replace_user_pages(struct mm *mm, unsigned long addr, struct page **pages, unsigned int n,
			  bool writable);

/* Pages of @mm in VM_LOCKED VMAs (VmLck); takes mm->lock. */
unsigned long mm_locked_pages(struct mm *mm);

/* Pages @mm has in its page table (resident set size); takes mm->lock. */
unsigned long mm_rss_pages(struct mm *mm);

/* Loads @mm's page table on this CPU (nothing when already loaded); NULL means the kernel's. */
void arch_switch_mm(struct mm *mm);
/* Loads init_pml4: kernel mappings only. */
void arch_switch_to_kernel_mm(void);

#endif /* _EXO_MMAP_H */
