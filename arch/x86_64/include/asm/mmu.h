/* SPDX-License-Identifier: MIT */
/*
 * User page tables (arch/x86_64/mm/mmu.c): the primitives mm/ builds
 * address spaces from. All of them take the mm and expect mm->lock held,
 * except arch_pgd_alloc/arch_pgd_free (the mm is private then) and the
 * switch functions.
 *
 * A user PTE is either 0 (nothing mapped) or holds a page it has a
 * reference on. Present PTEs carry _PAGE_USER, _PAGE_RW only when writable
 * now (not for copy-on-write) and _PAGE_NX for non-executable mappings.
 * Two software bits (ignored by the MMU, Intel SDM vol. 3A, 4.5):
 *   _PAGE_PAGECACHE  the page belongs to the page cache, not this mm: a
 *                    write to a private mapping always copies it;
 *   _PAGE_PROTNONE   with _PAGE_PRESENT clear: the page stays, but the VMA
 *                    is PROT_NONE, so every access faults.
 * Every change to a live PTE is followed by flush_tlb_mm_range(), the one
 * place that will also shoot down other CPUs' TLBs.
 */
#ifndef _ASM_MMU_H
#define _ASM_MMU_H

#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <exo/cpumask.h>
#include <exo/mm.h>
#include <exo/percpu.h>
#include <exo/mm_types.h>
#include <exo/types.h>

struct mm;

#define _PAGE_PAGECACHE (_AC(1, UL) << 9)
#define _PAGE_PROTNONE (_AC(1, UL) << 10)

static inline unsigned long pte_pfn(u64 pte)
{
	return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

/* The translation is usable by the CPU (not a PROT_NONE placeholder). */
static inline bool pte_accessible(u64 pte)
{
	return pte & _PAGE_PRESENT;
}

static inline bool pte_writable(u64 pte)
{
	return (pte & (_PAGE_PRESENT | _PAGE_RW)) == (_PAGE_PRESENT | _PAGE_RW);
}

static inline bool pte_pagecache(u64 pte)
{
	return pte & _PAGE_PAGECACHE;
}

/* FAULT_FLAG_* from a #PF error code (vol. 3A, 4.7). */
static inline unsigned int arch_fault_flags(unsigned long error_code)
{
	unsigned int flags = 0;

	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_EXEC;
	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_PROT)
		flags |= FAULT_FLAG_PROT;
	return flags;
}

/*
 * The PTE mapping frame @pfn into a VMA with @vm_flags: PROT_NONE when the
 * VMA has no access right, writable only when @writable.
 */
u64 arch_user_pte_make(unsigned long pfn, unsigned long vm_flags, bool writable, bool pagecache);

/* Allocates @mm's PML4 and shares the kernel half. 0 or -ENOMEM. */
int arch_pgd_alloc(struct mm *mm);
/*
 * Frees the page-table pages of the user half and the PML4. Every user PTE
 * must be 0 already (arch_zap_user_range); leaked pages are reported.
 */
void arch_pgd_free(struct mm *mm);
/* Pages in user page tables, PML4s included, over every mm (/proc/meminfo PageTables). */
unsigned long arch_pagetable_pages(void);
/* The leaf entry for @addr, allocating missing tables when @alloc; NULL if absent / no memory. */
u64 *arch_user_pte(struct mm *mm, unsigned long addr, bool alloc);
/*
 * The first non-zero leaf entry at or above *@addr and below @end, skipping
 * missing tables; *@addr is set to its address. NULL when there is none.
 * @prev: the entry this returned last, when *@addr is now its address plus
 * PAGE_SIZE (a loop's next step), which spares the walk down to its table;
 * else NULL. Its table must still be there.
 */
u64 *arch_user_pte_next(struct mm *mm, unsigned long *addr, unsigned long end, u64 *prev);

/*
 * A user page table's used span: [lo, hi), the entries that may be non-zero,
 * kept in the table's struct page (private: lo in bits 0-15, hi in 16-31; 0
 * while none is), at every level, the PML4's user half included. It only
 * grows while the table lives, under mm->lock like every change of the tree;
 * the scans (arch_user_pte_next(), the teardown) read nothing outside it, so
 * a table kept for a neighbour's few pages costs a munmap, fork or exit of
 * the rest of its span nothing.
 */
static inline unsigned long pt_used_lo(unsigned long used)
{
	return used & 0xffff;
}

static inline unsigned long pt_used_hi(unsigned long used)
{
	return used >> 16;
}

/*
 * Stores a non-zero @val into the user leaf entry @pte (from arch_user_pte()),
 * under mm->lock: every such store goes through here, since the entry scans
 * trust each table's used span, which this widens.
 */
static inline void pt_used_widen(u64 *entry)
{
	struct page *table = __virt_to_page(entry);
	unsigned long i = ((unsigned long)entry & ~PAGE_MASK) / sizeof(*entry);
	unsigned long used = table->private, lo = pt_used_lo(used), hi = pt_used_hi(used);

	if (unlikely(i < lo || i >= hi)) {
		lo = hi ? min(lo, i) : i;
		hi = max(hi, i + 1);
		table->private = lo | hi << 16;
	}
}

static inline void arch_user_pte_set(u64 *pte, u64 val)
{
	pt_used_widen(pte);
	WRITE_ONCE(*pte, val);
}
/* Clears the PTEs in [start, end), flushes them and drops their page references. */
void arch_zap_user_range(struct mm *mm, unsigned long start, unsigned long end);
/* Rewrites the PTEs in [start, end) for new @vm_flags (private pages stay copy-on-write). */
void arch_protect_user_range(struct mm *mm, unsigned long start, unsigned long end,
			     unsigned long vm_flags);
/*
 * fork: makes @dst map what @src maps in [start, end), one more reference
 * per page. When @cow, writable entries become read-only in both. 0 or
 * -ENOMEM (the entries copied so far stay and hold their references).
 */
int arch_copy_user_range(struct mm *dst, struct mm *src, unsigned long start, unsigned long end,
			 bool cow);
/* mremap: moves the PTEs of [old, old + len) to [new, ...); the ranges must not overlap. 0 or -ENOMEM, nothing moved. */
int arch_move_user_range(struct mm *mm, unsigned long old, unsigned long new, unsigned long len);
/*
 * Frees the page-table pages that cover part of [start, end), a range with
 * no VMA and no PTE left, and lie wholly within [floor, ceiling), the gap
 * between the neighbouring VMAs: tables a neighbour shares stay, unscanned.
 */
void arch_free_pgtables(struct mm *mm, unsigned long start, unsigned long end,
			unsigned long floor, unsigned long ceiling);

/* Drops this CPU's TLB entries for [start, end) of the loaded page table. */
void arch_flush_tlb_range(unsigned long start, unsigned long end);
/* Drops stale translations of [start, end) of @mm wherever @mm is loaded. */
void flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end);

extern struct mm *cpu_active_mm[NR_CPUS];

/*
 * arch_switch_mm() for a user @mm, with interrupts off: inline in
 * context_switch(). A user mm's PML4 never changes while it lives and a
 * dying one is left by every CPU first (arch_pgd_free), so "already
 * active" means CR3 holds it. The CPU's bit in the mm it leaves stays set
 * (lazy): it now holds no translation of it (no PCIDs, the CR3 load drops
 * them), so a shootdown IPI it still gets finds it elsewhere, does nothing
 * and clears the bit then. The invariant the shootdown needs holds: a CPU
 * running an mm has its bit set.
 */
static __always_inline void arch_switch_user_mm(struct mm *mm)
{
	unsigned int cpu = smp_processor_id();

	if (cpu_active_mm[cpu] == mm)
		return;
	cpumask_set_cpu(cpu, &mm->cpu_mask);
	cpu_active_mm[cpu] = mm;
	write_cr3(mm->pgd_phys);
}

#endif /* _ASM_MMU_H */
