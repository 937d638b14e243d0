// SPDX-License-Identifier: MIT
/*
 * User page tables: one PML4 per mm whose entries 256..511 are copies of
 * init_pml4's (the kernel half never changes after boot, so copying once
 * is enough), and 4 KiB leaf entries below USER_SPACE_END that mm/ sets
 * through the primitives in <asm/mmu.h>.
 *
 * Intermediate user entries are present|rw|user; the leaf decides the
 * rights (vol. 3A, 4.6: the effective rights are the AND of all levels).
 * Page-table pages come from the page allocator, zeroed, and go back when
 * they are empty (arch_free_pgtables) or the mm dies.
 *
 * TLBs: without PCIDs, loading CR3 drops every non-global translation, and
 * user translations are never global, so only CPUs that have the mm loaded
 * right now can hold stale entries for it. flush_tlb_mm_range() flushes
 * this CPU and sends the other CPUs in mm->cpu_mask a shootdown IPI. The
 * mask is a superset: a CPU leaves its bit set when it switches away
 * (arch_switch_user_mm()) and clears it when an IPI finds it elsewhere.
 * Before a page or a page table whose translation was live is
 * freed, the flush must have happened.
 *
 * Locking: the caller holds mm->lock (see <exo/mm_types.h>); this file owns
 * no lock. cpu_active_mm[cpu] is only touched by its own CPU with
 * interrupts or preemption off.
 */
#include <asm/mmu.h>
#include <asm/processor.h>
#include <exo/compiler.h>
#include <exo/cpumask.h>
#include <exo/smp.h>
#include <exo/mm.h>
#include <exo/mm_types.h>
#include <exo/mmap.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <uapi/errno.h>

#define USER_PGD_ENTRIES (PTRS_PER_TABLE / 2)
#define USER_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
/* Above this many pages a CR3 reload is cheaper than invlpg one by one. */
#define TLB_FLUSH_ALL_THRESHOLD 32
/* PTEs cleared before one flush and the release of their pages. */
#define ZAP_BATCH 32

struct mm *cpu_active_mm[NR_CPUS];	/* [this cpu] what CR3 holds, NULL for init_pml4 */

static unsigned int pt_index(unsigned long va, unsigned int shift)
{
	return (va >> shift) & (PTRS_PER_TABLE - 1);
}

static u64 *table_of(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* First address of the next block of 2^@shift bytes. */
static unsigned long next_block(unsigned long va, unsigned int shift)
{
	return (va | ((1UL << shift) - 1)) + 1;
}

u64 arch_user_pte_make(unsigned long pfn, unsigned long vm_flags, bool writable, bool pagecache)
{
	u64 pte = ((u64)pfn << PAGE_SHIFT) | (pagecache ? _PAGE_PAGECACHE : 0);

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return pte | _PAGE_PROTNONE;
	/* Accessed (and dirty when writable) preset: the CPU need not set them. */
	pte |= _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
	if (writable)
		pte |= _PAGE_RW | _PAGE_DIRTY;
	if (!(vm_flags & VM_EXEC))
		pte |= _PAGE_NX & supported_pte_mask;
	return pte;
}

/* [atomic] every mm's tables; with mm->pgtables_bytes, both change together. */
static long pagetable_bytes;

static void pagetable_account(struct mm *mm, long bytes)
{
	__atomic_add_fetch(&mm->pgtables_bytes, bytes, __ATOMIC_RELAXED);
	__atomic_add_fetch(&pagetable_bytes, bytes, __ATOMIC_RELAXED);
}

unsigned long arch_pagetable_pages(void)
{
	return (unsigned long)__atomic_load_n(&pagetable_bytes, __ATOMIC_RELAXED) >> PAGE_SHIFT;
}

int arch_pgd_alloc(struct mm *mm)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	page->private = 0;	/* the user half's used span (pt_used_widen()) */
	mm->pgd = page_address(page);
	mm->pgd_phys = page_to_phys(page);
	/* The PML4 counts in PageTables (as on Linux), not in VmPTE. */
	__atomic_add_fetch(&pagetable_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	arch_pgd_copy_kernel(mm->pgd);
	return 0;
}

static u64 *walk_next(struct mm *mm, u64 *entry, bool alloc)
{
	if (!(*entry & _PAGE_PRESENT)) {
		struct page *page;

		if (!alloc)
			return NULL;
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return NULL;
		pagetable_account(mm, PAGE_SIZE);
		page->private = 0;	/* its used span: none yet */
		pt_used_widen(entry);
		*entry = page_to_phys(page) | USER_TABLE_FLAGS;
	}
	return table_of(*entry);
}

u64 *arch_user_pte(struct mm *mm, unsigned long addr, bool alloc)
{
	u64 *pdpt, *pd, *pt;

	BUG_ON(addr >= USER_SPACE_END);
	pdpt = walk_next(mm, &mm->pgd[pt_index(addr, PGDIR_SHIFT)], alloc);
	if (!pdpt)
		return NULL;
	pd = walk_next(mm, &pdpt[pt_index(addr, PUD_SHIFT)], alloc);
	if (!pd)
		return NULL;
	pt = walk_next(mm, &pd[pt_index(addr, PMD_SHIFT)], alloc);
	if (!pt)
		return NULL;
	return &pt[pt_index(addr, PAGE_SHIFT)];
}

u64 *arch_user_pte_next(struct mm *mm, unsigned long *addrp, unsigned long end, u64 *prev)
{
	unsigned long addr = *addrp;

	if (end > USER_SPACE_END)
		end = USER_SPACE_END;
	while (addr < end) {
		u64 e, *pt, *pte, *stop;
		unsigned long i, n, used;

		if (prev && (addr & (PMD_SIZE - 1))) {
			/* The page after @prev's, in the same leaf table: no walk. */
			pt = (u64 *)((unsigned long)prev & PAGE_MASK);
			prev = NULL;
			goto scan;
		}
		prev = NULL;
		e = mm->pgd[pt_index(addr, PGDIR_SHIFT)];
		if (!(e & _PAGE_PRESENT)) {
			addr = next_block(addr, PGDIR_SHIFT);
			continue;
		}
		e = table_of(e)[pt_index(addr, PUD_SHIFT)];
		if (!(e & _PAGE_PRESENT)) {
			addr = next_block(addr, PUD_SHIFT);
			continue;
		}
		e = table_of(e)[pt_index(addr, PMD_SHIFT)];
		if (!(e & _PAGE_PRESENT)) {
			addr = next_block(addr, PMD_SHIFT);
			continue;
		}
		pt = table_of(e);
scan:
		i = pt_index(addr, PAGE_SHIFT);
		n = min((unsigned long)PTRS_PER_TABLE - i, (end - addr + PAGE_SIZE - 1) >> PAGE_SHIFT);
		used = __virt_to_page(pt)->private;
		/* Only the table's used span can hold an entry. */
		pte = pt + max(i, pt_used_lo(used));
		stop = pt + min(i + n, pt_used_hi(used));
		/* Skip empty entries eight at a time, then one at a time. */
		while (stop - pte >= 8 && !(pte[0] | pte[1] | pte[2] | pte[3] |
					    pte[4] | pte[5] | pte[6] | pte[7]))
			pte += 8;
		while (pte < stop && !*pte)
			pte++;
		if (pte < stop) {
			*addrp = addr + ((unsigned long)(pte - (pt + i)) << PAGE_SHIFT);
			return pte;
		}
		addr += n << PAGE_SHIFT;
	}
	return NULL;
}

static void release_pages(struct page **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		put_page(pages[i]);
}

void arch_zap_user_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct page *batch[ZAP_BATCH];
	unsigned long addr, flush_start = start;
	unsigned int n = 0;
	u64 *pte;

	for (addr = start, pte = NULL; (pte = arch_user_pte_next(mm, &addr, end, pte));
	     addr += PAGE_SIZE) {
		batch[n++] = pfn_to_page(pte_pfn(*pte));
		WRITE_ONCE(*pte, 0);
		if (n == ZAP_BATCH) {
			flush_tlb_mm_range(mm, flush_start, addr + PAGE_SIZE);
			release_pages(batch, n);
			n = 0;
			flush_start = addr + PAGE_SIZE;
		}
	}
	if (n) {
		flush_tlb_mm_range(mm, flush_start, end);
		release_pages(batch, n);
	}
}

void arch_protect_user_range(struct mm *mm, unsigned long start, unsigned long end,
			     unsigned long vm_flags)
{
	unsigned long addr;
	bool changed = false;
	u64 *pte;

	for (addr = start, pte = NULL; (pte = arch_user_pte_next(mm, &addr, end, pte));
	     addr += PAGE_SIZE) {
		u64 old = *pte, new;
		/*
		 * A private page that is read-only may be shared copy-on-write: only
		 * the write fault can tell whether it may become writable.
		 */
		bool writable = (vm_flags & VM_WRITE) && ((vm_flags & VM_SHARED) || pte_writable(old));

		new = arch_user_pte_make(pte_pfn(old), vm_flags, writable, pte_pagecache(old));
		if (new != old) {
			WRITE_ONCE(*pte, new);
			changed = true;
		}
	}
	if (changed)
		flush_tlb_mm_range(mm, start, end);
}

int arch_copy_user_range(struct mm *dst, struct mm *src, unsigned long start, unsigned long end,
			 bool cow)
{
	unsigned long addr, dpt_base = 0;
	u64 *dpt = NULL;
	bool changed = false;
	int err = 0;
	u64 *spte;

	for (addr = start, spte = NULL; (spte = arch_user_pte_next(src, &addr, end, spte));
	     addr += PAGE_SIZE) {
		u64 *dpte, e = *spte;

		/* One walk of the new tree per leaf table, not per entry. */
		if (!dpt || (addr & ~(PMD_SIZE - 1)) != dpt_base) {
			dpte = arch_user_pte(dst, addr, true);
			if (!dpte) {
				err = -ENOMEM;
				break;
			}
			dpt = dpte - pt_index(addr, PAGE_SHIFT);
			dpt_base = addr & ~(PMD_SIZE - 1);
		}
		dpte = dpt + pt_index(addr, PAGE_SHIFT);
		if (cow && (e & _PAGE_RW)) {
			e &= ~(_PAGE_RW | _PAGE_DIRTY);
			WRITE_ONCE(*spte, e);
			changed = true;
		}
		get_page(pfn_to_page(pte_pfn(e)));
		arch_user_pte_set(dpte, e);
	}
	if (changed)
		flush_tlb_mm_range(src, start, end);
	return err;
}

int arch_move_user_range(struct mm *mm, unsigned long old, unsigned long new, unsigned long len)
{
	unsigned long addr;
	u64 *pte;

	/* Tables first, so that the move itself cannot fail half way. */
	for (addr = old, pte = NULL; (pte = arch_user_pte_next(mm, &addr, old + len, pte));
	     addr += PAGE_SIZE)
		if (!arch_user_pte(mm, new + (addr - old), true))
			return -ENOMEM;
	for (addr = old, pte = NULL; (pte = arch_user_pte_next(mm, &addr, old + len, pte));
	     addr += PAGE_SIZE) {
		u64 *dst = arch_user_pte(mm, new + (addr - old), false);

		arch_user_pte_set(dst, *pte);
		WRITE_ONCE(*pte, 0);
	}
	flush_tlb_mm_range(mm, old, old + len);
	return 0;
}

#ifdef CONFIG_DEBUG
static bool table_empty(const u64 *t)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		if (t[i])
			return false;
	return true;
}
#endif

/*
 * Page-table pages unlinked from the tree but not freed yet: another CPU's
 * paging-structure caches may still name them until the range is flushed,
 * so they are freed after one flush for the whole range.
 */
struct table_batch {
	struct list_head pages;
	bool any;
};

static void table_batch_add(struct table_batch *b, u64 *table)
{
	list_add(&__virt_to_page(table)->lru, &b->pages);
	b->any = true;
}

static void table_batch_free(struct mm *mm, struct table_batch *b)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &b->pages, lru) {
		list_del(&page->lru);
		__free_page(page);
		pagetable_account(mm, -(long)PAGE_SIZE);
	}
}

/* What arch_free_pgtables() frees: tables overlapping [start, end) that lie within [floor, ceiling). */
struct pgtable_range {
	unsigned long start, end, floor, ceiling;
	struct table_batch batch;
};

/*
 * @entry points at a table of level @level (3: PDPT, 2: PD, 1: PT) that maps
 * [base, base + span). A table inside [floor, ceiling) has no VMA over any
 * of its span, so it and everything below it goes without looking at its
 * entries for emptiness; the rest is only descended into where it overlaps
 * [start, end), so a table shared with a live neighbour costs nothing.
 */
static void free_table(u64 *entry, int level, unsigned long base, struct pgtable_range *r)
{
	static const unsigned int child_shift[] = { 0, PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT };
	unsigned int shift = child_shift[level];
	unsigned long span = 1UL << (shift + 9);
	bool whole = r->floor <= base && base + span <= r->ceiling;
	u64 *t = table_of(*entry);

	if (level > 1) {
		/* The entries that overlap [start, end), within the table's used span. */
		unsigned long used = __virt_to_page(t)->private;
		unsigned long lo = pt_used_lo(used), hi = pt_used_hi(used);

		if (!whole) {
			if (r->start > base)
				lo = max(lo, (unsigned long)pt_index(r->start, shift));
			if (r->end < base + span)
				hi = min(hi, (unsigned long)pt_index(r->end - 1, shift) + 1);
		}
		for (unsigned long i = lo; i < hi; i++)
			if (t[i] & _PAGE_PRESENT)
				free_table(&t[i], level - 1, base + (i << shift), r);
	}
	if (!whole)
		return;
#ifdef CONFIG_DEBUG
	/* No VMA covers the span, so munmap/mremap zapped every PTE in it already. */
	if (level == 1 && WARN_ON(!table_empty(t)))
		return;
#endif
	*entry = 0;
	table_batch_add(&r->batch, t);
}

void arch_free_pgtables(struct mm *mm, unsigned long start, unsigned long end,
			unsigned long floor, unsigned long ceiling)
{
	struct pgtable_range r = { .start = start, .end = min(end, USER_SPACE_END),
				   .floor = floor, .ceiling = min(ceiling, USER_SPACE_END),
				   .batch = { LIST_HEAD_INIT(r.batch.pages), false } };

	unsigned long first_pt, end_pt;

	if (r.start >= r.end)
		return;
	/*
	 * The smallest table, a PT, spans an aligned 2 MiB; any table that goes
	 * spans whole PT spans inside [floor, ceiling) that overlap [start, end).
	 * With no such span (a small munmap beside live neighbours) nothing can
	 * go, and the walk down to the PT is skipped.
	 */
	first_pt = ALIGN_DOWN(r.start, PMD_SIZE);
	if (first_pt < r.floor)
		first_pt += PMD_SIZE;
	end_pt = ALIGN(r.end, PMD_SIZE);
	if (end_pt > r.ceiling)
		end_pt -= PMD_SIZE;
	if (first_pt >= end_pt)
		return;
	for (unsigned int i = pt_index(r.start, PGDIR_SHIFT); i <= pt_index(r.end - 1, PGDIR_SHIFT); i++)
		if (mm->pgd[i] & _PAGE_PRESENT)
			free_table(&mm->pgd[i], 3, (unsigned long)i << PGDIR_SHIFT, &r);
	if (!r.batch.any)
		return;
	/* invlpg drops the paging-structure caches too (vol. 3A, 4.10.4.1). */
	flush_tlb_mm_range(mm, r.start, r.end);
	table_batch_free(mm, &r.batch);
}

/*
 * The whole user tree of an mm no CPU has loaded any more, whose PTEs are
 * all zero: every table goes, without emptiness checks or flushes. Leaf
 * tables are not scanned at all.
 */
static void free_tree(u64 *table, int level)
{
	unsigned long used = __virt_to_page(table)->private;

	if (level > 1)
		for (unsigned long i = pt_used_lo(used); i < pt_used_hi(used); i++)
			if (table[i] & _PAGE_PRESENT)
				free_tree(table_of(table[i]), level - 1);
#ifdef CONFIG_DEBUG
	if (level == 1 && WARN_ON(!table_empty(table)))
		pr_err("mm: a page table still maps pages at teardown\n");
#endif
	__free_page(__virt_to_page(table));
}

/* Call-function IPI: a CPU idling lazily on a dying mm moves to init_pml4. */
static void leave_dying_mm(void *arg)
{
	if (cpu_active_mm[smp_processor_id()] == arg)
		arch_switch_to_kernel_mm();
}

void arch_pgd_free(struct mm *mm)
{
	unsigned long flags, used;

	/*
	 * CPUs that ran this mm last may still have its PML4 in CR3 (kernel
	 * threads and idle keep the last mm). Every one must leave it before its
	 * tables are freed: the page allocator hands the PML4 page out again, and
	 * a CPU whose CR3 still named it would take a new mm at the same address
	 * for the one already loaded and skip the CR3 reload.
	 */
	local_irq_save(flags);
	leave_dying_mm(mm);
	local_irq_restore(flags);
	smp_call_function_many(&mm->cpu_mask, leave_dying_mm, mm, true);
	/* The user half; no CPU walks this PML4 any more, so its entries stay as they are. */
	used = __virt_to_page(mm->pgd)->private;
	for (unsigned long i = pt_used_lo(used); i < pt_used_hi(used); i++)
		if (mm->pgd[i] & _PAGE_PRESENT)
			free_tree(table_of(mm->pgd[i]), 3);
	__free_page(__virt_to_page(mm->pgd));
	mm->pgd = NULL;
	/* free_tree() does not count page by page: the mm is going. */
	__atomic_sub_fetch(&pagetable_bytes, mm->pgtables_bytes + (long)PAGE_SIZE, __ATOMIC_RELAXED);
}

static __always_inline void switch_pgd(struct mm *mm, phys_addr_t pgd)
{
	unsigned int cpu = smp_processor_id();
	struct mm *prev = cpu_active_mm[cpu];

	if (prev == mm && (read_cr3() & PTE_ADDR_MASK) == pgd)
		return;
	if (prev)
		cpumask_clear_cpu(cpu, &prev->cpu_mask);
	if (mm)
		cpumask_set_cpu(cpu, &mm->cpu_mask);
	cpu_active_mm[cpu] = mm;
	write_cr3(pgd);
}

static __noinline void switch_to_kernel_pgd(void)
{
	switch_pgd(NULL, arch_kernel_pgd_phys());
}

void arch_switch_mm(struct mm *mm)
{
	if (!mm) {
		switch_to_kernel_pgd();
		return;
	}
	arch_switch_user_mm(mm);
}

void arch_switch_to_kernel_mm(void)
{
	arch_switch_mm(NULL);
}

void arch_flush_tlb_range(unsigned long start, unsigned long end)
{
	if (end - start > TLB_FLUSH_ALL_THRESHOLD * PAGE_SIZE) {
		/* User translations are not global: a CR3 reload drops them all. */
		write_cr3(read_cr3());
		return;
	}
	for (unsigned long a = start & PAGE_MASK; a < end; a += PAGE_SIZE)
		invlpg(a);
}

struct tlb_flush_request {
	struct mm *mm;
	unsigned long start, end;
};

/* Runs on each CPU that may cache @mm's translations (call-function IPI). */
static void tlb_flush_ipi(void *arg)
{
	struct tlb_flush_request *req = arg;

	unsigned int cpu = smp_processor_id();

	if (cpu_active_mm[cpu] == req->mm)
		arch_flush_tlb_range(req->start, req->end);
	else
		/* Left it since (lazy bit, arch_switch_user_mm()): no more IPIs for it. */
		cpumask_clear_cpu(cpu, &req->mm->cpu_mask);
}

/*
 * This CPU flushes directly; every other CPU in mm->cpu_mask gets an IPI and
 * is waited for, so no CPU can use a stale translation once this returns.
 * A CPU that loads the mm after the mask was read starts with a fresh CR3
 * (no PCIDs), and one that left it ignores the request.
 */
void flush_tlb_mm_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct tlb_flush_request req = { mm, start, end };
	unsigned int me = smp_processor_id();
	bool others = false;

	/*
	 * Order the PTE stores before reading cpu_mask: a CPU that sets its bit
	 * and then loads CR3 either is seen here or walks the new PTEs (x86 may
	 * otherwise let this load pass the earlier stores).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (cpu_active_mm[me] == mm)
		arch_flush_tlb_range(start, end);
	/* Word at a time: on one CPU this is a handful of instructions, not a 64-bit walk. */
	for (unsigned int i = 0; i < CPUMASK_LONGS && !others; i++) {
		unsigned long w = READ_ONCE(mm->cpu_mask.bits[i]);

		if (i == me / 64)
			w &= ~(1UL << (me % 64));
		others = w != 0;
	}
	if (others)
		smp_call_function_many(&mm->cpu_mask, tlb_flush_ipi, &req, true);
}
