/* SPDX-License-Identifier: MIT */
/*
 * A user address space (struct mm) and its mappings (struct vm_area).
 *
 * An mm owns a 4-level page table whose kernel half (PML4 entries 256..511)
 * is shared with init_pml4, and a red-black tree of non-overlapping VMAs
 * keyed by address. A VMA says what may be mapped at [vm_start, vm_end) and
 * with which rights; pages appear in the page table lazily, on the first
 * fault (mm/memory.c). Anonymous private pages are shared copy-on-write
 * after fork; every mapped page holds one reference (struct page refcount)
 * per page-table entry that maps it.
 *
 * Locking: mm->lock (a spinlock for now) guards the VMA tree, the layout
 * fields and the user half of the page table. The fault path allocates
 * pages and page tables (GFP_KERNEL) under it, which is only legal while
 * nothing sleeps; it drops the lock around filemap_fault(). Never touch
 * user memory (copy_to_user & co.) while holding it: the fault would take
 * it again. Lock order: mm->lock before the page allocator's and slab
 * locks; no mm code takes another mm's lock except mm_dup (old, then the
 * new mm that nobody else can see yet).
 */
#ifndef _EXO_MM_TYPES_H
#define _EXO_MM_TYPES_H

#include <exo/percpu.h>
#include <exo/rbtree.h>
#include <exo/spinlock.h>
#include <exo/cpumask.h>
#include <exo/types.h>

struct file;

/* vm_flags: the access rights, the rights mprotect may grant (MAY*), kind. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL	/* writes reach the file / other mms */
#define VM_MAYREAD	0x00000010UL	/* VM_MAY* = VM_* << 4 */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* stack: faults just below extend it */
#define VM_LOCKED	0x00002000UL	/* mlock: populated, never reclaimed, not inherited */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK: fork leaves it out of the child */
#define VM_LOCKONFAULT	0x00080000UL	/* with VM_LOCKED: pages are locked as they fault in */
#define VM_NORESERVE	0x00200000UL	/* MAP_NORESERVE: accepted, no accounting yet */
#define VM_WIPEONFORK	0x02000000UL	/* MADV_WIPEONFORK: the child gets it zero-filled */

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define VM_MAY_FLAGS (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* Fault kinds, decoded from the CPU's error code by arch_fault_flags(). */
#define FAULT_FLAG_WRITE	0x01U	/* a write access */
#define FAULT_FLAG_EXEC		0x02U	/* an instruction fetch */
#define FAULT_FLAG_USER		0x04U	/* from user mode */
#define FAULT_FLAG_PROT		0x08U	/* the page was present: a rights violation */

/* Maximum stack size without an RLIMIT_STACK from exec (Linux's default). */
#define DEFAULT_STACK_LIMIT (8UL << 20)

struct vm_area {
	struct rb_node vm_rb;		/* [mm->lock] in mm->vma_tree, by address */
	struct mm *vm_mm;		/* [immutable] */
	unsigned long vm_start;		/* [mm->lock] first address, page-aligned */
	unsigned long vm_end;		/* [mm->lock] first address after, page-aligned */
	unsigned long vm_flags;		/* [mm->lock] VM_* */
	unsigned long vm_pgoff;		/* [mm->lock] file offset of vm_start, in pages */
	struct file *vm_file;		/* [mm->lock] NULL for anonymous memory; holds a reference */
	unsigned int vm_policy;		/* [mm->lock] mbind mode | MPOL_F_* flags; 0: the task's */
};

#define MM_CPUMASK_LONGS ((NR_CPUS + 63) / 64)

struct mm {
	u64 *pgd;			/* [immutable] PML4, direct-map address */
	phys_addr_t pgd_phys;		/* [immutable] what CR3 holds when this mm runs */
	struct spinlock lock;
	struct rb_root vma_tree;	/* [lock] */
	int map_count;			/* [lock] VMAs in vma_tree */
	int mm_users;			/* [atomic] mmget/mmput references */

	unsigned long mmap_base;	/* [lock] mmap() searches top-down from here */
	unsigned long stack_limit;	/* [lock] how far the stack VMA may grow, bytes */
	unsigned long start_code, end_code;	/* [lock] set by exec */
	unsigned long start_data, end_data;	/* [lock] set by exec */
	unsigned long start_brk, brk;	/* [lock] heap: brk() moves brk */
	unsigned long start_stack;	/* [lock] initial stack pointer */
	unsigned long arg_start, arg_end;	/* [lock] argv strings, set by exec */
	unsigned long env_start, env_end;	/* [lock] envp strings, set by exec */
	unsigned long total_vm;		/* [lock] pages covered by VMAs */
	unsigned long def_flags;	/* [lock] mlockall(MCL_FUTURE): VM_LOCKED* for new VMAs */
	int membarrier_state;		/* [atomic] MEMBARRIER_STATE_*: kept by fork, not exec */
	long pgtables_bytes;		/* [atomic] page-table pages below the PGD (VmPTE) */
	struct file *exe_file;		/* [lock] the executable (/proc/PID/exe), referenced */
	int dumpable;			/* [atomic] PR_SET_DUMPABLE: 1 from exec, copied by fork */

	/* CPUs that have this mm in CR3: the targets of a TLB shootdown. */
	struct cpumask cpu_mask;	/* [atomic] CPUs that may hold TLB entries of this mm */
};

#endif /* _EXO_MM_TYPES_H */
