// SPDX-License-Identifier: MIT
/*
 * Kernel page tables: building the final kernel address space (direct map
 * of RAM, kernel image with per-section permissions) and mapping pages into
 * it afterwards (ioremap, vmalloc).
 *
 * Page-table pages come from whoever pgtable_set_allocator() named: memblock
 * during setup_arch, the page allocator after mm_core_init; 4-level paging,
 * 512 entries per level. Mappings choose the largest page size that alignment permits:
 * 1 GiB where the CPU has PDPE1GB, then 2 MiB, then 4 KiB.
 *
 * Locking: kernel_pgtable_lock serialises every change of init_pml4's tree.
 * It is a leaf lock (nothing is taken under it except the page allocator's
 * own, through the allocator hook).
 */
#include <asm/paging.h>
#include <asm/processor.h>
#include <exo/bootinfo.h>
#include <exo/compiler.h>
#include <exo/cpumask.h>
#include <exo/smp.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <uapi/errno.h>

#define CPUID_EXT_NX (1U << 20)
#define CPUID_EXT_PDPE1GB (1U << 26)

u64 supported_pte_mask = ~0UL;
static bool have_1g_pages;

static u64 init_pml4_page[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static u64 *init_pml4 = init_pml4_page;
static phys_addr_t (*pgtable_page_alloc)(void);
static DEFINE_SPINLOCK(kernel_pgtable_lock);

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _ebss[], _kernel_end[];
extern char boot_stack_guard[];
extern u64 boot_pml4[];

void pgtable_set_allocator(phys_addr_t (*alloc)(void))
{
	pgtable_page_alloc = alloc;
}

static phys_addr_t pgtable_alloc(void)
{
	return pgtable_page_alloc ? pgtable_page_alloc() : 0;
}

static unsigned int pt_index(unsigned long va, unsigned int shift)
{
	return (va >> shift) & (PTRS_PER_TABLE - 1);
}

/* Returns the next-level table under @entry, allocating it when @alloc; NULL on failure. */
static u64 *pgtable_next(u64 *entry, bool alloc)
{
	if (!(*entry & _PAGE_PRESENT)) {
		phys_addr_t page;

		if (!alloc)
			return NULL;
		page = pgtable_alloc();
		if (!page)
			return NULL;
		/* Intermediate entries are permissive; the leaf decides. */
		*entry = page | _PAGE_PRESENT | _PAGE_RW;
	} else if (*entry & _PAGE_PSE) {
		return NULL;
	}
	return phys_to_virt(*entry & PTE_ADDR_MASK);
}

static int map_one(u64 *pml4, unsigned long va, phys_addr_t pa, unsigned long size, u64 prot)
{
	u64 *pdpt, *pd, *pt, *leaf;

	pdpt = pgtable_next(&pml4[pt_index(va, PGDIR_SHIFT)], true);
	if (!pdpt)
		return -ENOMEM;
	if (size == PUD_SIZE) {
		leaf = &pdpt[pt_index(va, PUD_SHIFT)];
		goto set_huge;
	}
	pd = pgtable_next(&pdpt[pt_index(va, PUD_SHIFT)], true);
	if (!pd)
		return (pdpt[pt_index(va, PUD_SHIFT)] & _PAGE_PSE) ? -EBUSY : -ENOMEM;
	if (size == PMD_SIZE) {
		leaf = &pd[pt_index(va, PMD_SHIFT)];
		goto set_huge;
	}
	pt = pgtable_next(&pd[pt_index(va, PMD_SHIFT)], true);
	if (!pt)
		return (pd[pt_index(va, PMD_SHIFT)] & _PAGE_PSE) ? -EBUSY : -ENOMEM;
	leaf = &pt[pt_index(va, PAGE_SHIFT)];
	if (*leaf & _PAGE_PRESENT)
		return -EBUSY;
	*leaf = pa | (prot & supported_pte_mask);
	return 0;

set_huge:
	if (*leaf & _PAGE_PRESENT)
		return -EBUSY;
	*leaf = pa | ((prot | _PAGE_PSE) & supported_pte_mask);
	return 0;
}

static int __map_range(u64 *pml4, unsigned long va, phys_addr_t pa, unsigned long size, u64 prot)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	while (size) {
		unsigned long step = PAGE_SIZE;
		int err;

		if (have_1g_pages && IS_ALIGNED(va | pa, PUD_SIZE) && size >= PUD_SIZE)
			step = PUD_SIZE;
		else if (IS_ALIGNED(va | pa, PMD_SIZE) && size >= PMD_SIZE)
			step = PMD_SIZE;
		err = map_one(pml4, va, pa, step, prot);
		if (err)
			return err;
		va += step;
		pa += step;
		size -= step;
	}
	return 0;
}

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&kernel_pgtable_lock, flags);
	err = __map_range(init_pml4, va, pa, size, prot);
	spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
	return err;
}

int arch_prealloc_kernel_pgtables(unsigned long start, unsigned long end)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&kernel_pgtable_lock, flags);
	for (unsigned long va = start; va < end && va >= start; va += 1UL << PGDIR_SHIFT) {
		if (!pgtable_next(&init_pml4[pt_index(va, PGDIR_SHIFT)], true)) {
			err = -ENOMEM;
			break;
		}
	}
	spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
	return err;
}

void arch_pgd_copy_kernel(u64 *pgd)
{
	memcpy(&pgd[PTRS_PER_TABLE / 2], &init_pml4[PTRS_PER_TABLE / 2],
	       PTRS_PER_TABLE / 2 * sizeof(*pgd));
}

phys_addr_t arch_kernel_pgd_phys(void)
{
	return virt_to_phys(init_pml4);
}

/* Returns the 4 KiB leaf entry for @va, or NULL (also for huge mappings). */
static u64 *lookup_pte(unsigned long va)
{
	u64 *pdpt, *pd, *pt;

	pdpt = pgtable_next(&init_pml4[pt_index(va, PGDIR_SHIFT)], false);
	if (!pdpt)
		return NULL;
	pd = pgtable_next(&pdpt[pt_index(va, PUD_SHIFT)], false);
	if (!pd)
		return NULL;
	pt = pgtable_next(&pd[pt_index(va, PMD_SHIFT)], false);
	if (!pt)
		return NULL;
	return &pt[pt_index(va, PAGE_SHIFT)];
}

void arch_unmap_kernel_range(unsigned long va, unsigned long size)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_pgtable_lock, flags);
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		u64 *pte = lookup_pte(a);

		if (pte) {
			*pte = 0;
			invlpg(a);
		}
	}
	spin_unlock_irqrestore(&kernel_pgtable_lock, flags);
}

/* Past this many pages a flush of all global entries is cheaper than invlpg each. */
#define TLB_FLUSH_KERNEL_PAGES 64

struct kernel_flush_range {
	unsigned long start, end;
};

static void flush_tlb_kernel_local(void *arg)
{
	const struct kernel_flush_range *r = arg;

	if ((r->end - r->start) >> PAGE_SHIFT > TLB_FLUSH_KERNEL_PAGES) {
		/* Toggling CR4.PGE drops every TLB entry, global ones included. */
		unsigned long cr4 = read_cr4();

		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
		return;
	}
	for (unsigned long a = r->start; a < r->end; a += PAGE_SIZE)
		invlpg(a);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct kernel_flush_range r = { start, end };
	unsigned long flags;

	local_irq_save(flags);
	flush_tlb_kernel_local(&r);
	local_irq_restore(flags);
	if (nr_cpus_online > 1)
		smp_call_function_many(&cpu_online_mask, flush_tlb_kernel_local, &r, true);
}

phys_addr_t arch_kernel_virt_to_phys(unsigned long va)
{
	u64 *table = init_pml4, e;
	unsigned int shifts[] = { PGDIR_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT };

	for (unsigned int level = 0; level < 4; level++) {
		e = table[pt_index(va, shifts[level])];
		if (!(e & _PAGE_PRESENT))
			return (phys_addr_t)-1;
		if (level == 3 || ((e & _PAGE_PSE) && level > 0)) {
			unsigned long mask = (1UL << shifts[level]) - 1;

			return (e & PTE_ADDR_MASK & ~mask) | (va & mask);
		}
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return (phys_addr_t)-1;
}

static void map_or_die(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot,
		       const char *what)
{
	int err = __map_range(init_pml4, va, pa, size, prot);

	if (err)
		panic("paging_init: cannot map %s (%d): out of early memory", what, err);
}

static void map_kernel_section(char *start, char *end, u64 prot, const char *what)
{
	map_or_die((unsigned long)start, virt_to_phys(start), end - start, prot, what);
}

/* Maps RAM regions (and ACPI tables, which live in RAM) into the direct map. */
static void map_direct_ram(void)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		u64 start = ALIGN(r->base, PAGE_SIZE);
		u64 end = ALIGN_DOWN(r->base + r->length, PAGE_SIZE);

		if (r->type != BOOT_MEM_AVAILABLE && r->type != BOOT_MEM_ACPI_RECLAIMABLE &&
		    r->type != BOOT_MEM_ACPI_NVS)
			continue;
		if (end <= start || end > DIRECT_MAP_SIZE)
			continue;
		map_or_die((unsigned long)phys_to_virt(start), start, end - start, PAGE_KERNEL,
			   "direct map");
	}
}

void paging_init(void)
{
	u32 a, b, c, d;

	cpuid(0x80000001, &a, &b, &c, &d);
	have_1g_pages = d & CPUID_EXT_PDPE1GB;
	if (d & CPUID_EXT_NX)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	else
		supported_pte_mask &= ~_PAGE_NX;
	write_cr4(read_cr4() | X86_CR4_PGE);

	/*
	 * The boot page tables live in .bss, so they are part of the direct map of
	 * RAM and keep working until CR3 switches.
	 */
	map_direct_ram();
	map_kernel_section(_text, _etext, PAGE_KERNEL_EXEC, "kernel text");
	map_kernel_section(_rodata, _erodata, PAGE_KERNEL_RO, "kernel rodata");
	map_kernel_section(_data, boot_stack_guard, PAGE_KERNEL, "kernel data");
	/* boot_stack_guard stays unmapped. */
	map_kernel_section(boot_stack_guard + PAGE_SIZE, _ebss, PAGE_KERNEL, "kernel bss");
	map_kernel_section(_ebss, _kernel_end, PAGE_KERNEL_RO, "kernel symbols");

	/* Reloading CR3 with PGE set leaves global entries; toggle PGE to drop them all. */
	write_cr4(read_cr4() & ~X86_CR4_PGE);
	write_cr3(virt_to_phys(init_pml4));
	write_cr4(read_cr4() | X86_CR4_PGE);
	pr_info("paging: direct map with %s pages, kernel text RX, rodata R, data NX%s\n",
		have_1g_pages ? "1 GiB" : "2 MiB",
		supported_pte_mask & _PAGE_NX ? "" : " (no NX on this CPU)");
	(void)boot_pml4;
}
