// SPDX-License-Identifier: MIT
/*
 * Per-CPU GDT and TSS (layout in <asm/segment.h>, structures in
 * <asm/desc.h>).
 *
 * gdt_init_cpu() fills the calling CPU's GDT from gdt_template, points the
 * TSS descriptor at the CPU's TSS with IST stacks, loads GDTR, reloads CS
 * with a far return and the data segments, then loads TR. GS is never
 * reloaded: writing a selector to GS in 64-bit mode replaces the GS base
 * with the descriptor's base (0), and the GS base holds this CPU's
 * struct cpu_info.
 *
 * GDTs and TSSs are static arrays indexed by CPU number; they stay writable
 * (ltr sets the busy bit in the TSS descriptor). IST stacks: the boot CPU's
 * are static here; an AP's come from its cpu_info->exception_stacks. Each
 * IST pointer is the stack's struct ist_top, which holds the CPU's cpu_info
 * for the IST entry (<asm/desc.h>).
 */
#include <asm/desc.h>
#include <asm/paging.h>
#include <asm/segment.h>
#include <exo/init.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>

/* Access byte (bits 40-47) and flags (bits 52-55) of a descriptor (vol. 3A, 3.4.5). */
#define DESC_ACCESSED 0x01	/* set up front so the CPU never writes it back */
#define DESC_RW 0x02		/* code: readable, data: writable */
#define DESC_CODE 0x08
#define DESC_S 0x10		/* code/data, not a system descriptor */
#define DESC_DPL3 0x60
#define DESC_P 0x80
#define DESC_TYPE_TSS 0x09	/* available 64-bit TSS */
#define DESC_FLAG_L 0x2		/* 64-bit code */
#define DESC_FLAG_DB 0x4	/* 32-bit default operand size */
#define DESC_FLAG_G 0x8		/* limit in 4 KiB units */

#define GDT_ENTRY(access, flags, base, limit)                                    \
	((((u64)(base) & 0xff000000) << 32) | (((u64)(flags) & 0xf) << 52) |     \
	 (((u64)(limit) & 0xf0000) << 32) | (((u64)(access) & 0xff) << 40) |     \
	 (((u64)(base) & 0xffffff) << 16) | ((u64)(limit) & 0xffff))

#define CODE_ACCESS (DESC_P | DESC_S | DESC_CODE | DESC_RW | DESC_ACCESSED)
#define DATA_ACCESS (DESC_P | DESC_S | DESC_RW | DESC_ACCESSED)

/*
 * Base and limit are ignored in 64-bit mode except for the compat user code
 * segment; flat 4 GiB everywhere keeps them harmless.
 */
static const u64 gdt_template[GDT_ENTRIES] = {
	[GDT_ENTRY_KERNEL_CS] = GDT_ENTRY(CODE_ACCESS, DESC_FLAG_G | DESC_FLAG_L, 0, 0xfffff),
	[GDT_ENTRY_KERNEL_DS] = GDT_ENTRY(DATA_ACCESS, DESC_FLAG_G | DESC_FLAG_DB, 0, 0xfffff),
	[GDT_ENTRY_USER32_CS] = GDT_ENTRY(CODE_ACCESS | DESC_DPL3, DESC_FLAG_G | DESC_FLAG_DB, 0,
					  0xfffff),
	[GDT_ENTRY_USER_DS] = GDT_ENTRY(DATA_ACCESS | DESC_DPL3, DESC_FLAG_G | DESC_FLAG_DB, 0,
					0xfffff),
	[GDT_ENTRY_USER_CS] = GDT_ENTRY(CODE_ACCESS | DESC_DPL3, DESC_FLAG_G | DESC_FLAG_L, 0,
					0xfffff),
};

struct gdt {
	u64 entries[GDT_ENTRIES];
} __aligned(64);

static struct gdt cpu_gdt[NR_CPUS];			/* [this cpu] */
static struct tss cpu_tss[NR_CPUS] __aligned(64);	/* [this cpu] */
static struct exception_stacks boot_exception_stacks __aligned(PAGE_SIZE)
	__section(".bss.page_aligned");

BUILD_BUG_ON(sizeof(struct tss) != 104);
BUILD_BUG_ON(sizeof(struct ist_stack) % PAGE_SIZE);
BUILD_BUG_ON(__builtin_offsetof(struct ist_stack, top) % 16);

/* A 64-bit TSS descriptor takes two GDT slots (vol. 3A, 8.2.3). */
static void gdt_set_tss(u64 *gdt, const struct tss *tss)
{
	u64 base = (u64)tss;

	gdt[GDT_ENTRY_TSS] = GDT_ENTRY(DESC_P | DESC_TYPE_TSS, 0, base, sizeof(*tss) - 1);
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

static void tss_init(struct tss *tss, struct cpu_info *ci)
{
	*tss = (struct tss){ .io_bitmap_base = sizeof(*tss) };
	for (unsigned int i = 0; i < NR_IST_STACKS; i++) {
		struct ist_stack *ist = &ci->exception_stacks->ist[i];

		ist->top.cpu_info = ci;
		tss->ist[i] = (u64)&ist->top;
	}
}

/* CS can only change through a far transfer: push the new CS and RIP, far return. */
static void load_kernel_segments(void)
{
	unsigned long tmp;

	__asm__ __volatile__("pushq %[cs]\n\t"
			     "leaq 1f(%%rip), %[tmp]\n\t"
			     "pushq %[tmp]\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movl %[ds], %k[tmp]\n\t"
			     "movl %k[tmp], %%ss\n\t"
			     /* DS and ES are ignored in 64-bit mode; null them. */
			     "xorl %k[tmp], %k[tmp]\n\t"
			     "movl %k[tmp], %%ds\n\t"
			     "movl %k[tmp], %%es\n\t"
			     : [tmp] "=&r"(tmp)
			     : [cs] "i"(__KERNEL_CS), [ds] "i"(__KERNEL_DS)
			     : "memory");
}

void gdt_init_cpu(struct cpu_info *ci)
{
	u64 *gdt;
	struct tss *tss;
	struct desc_ptr gdtr;

	BUG_ON(ci->cpu >= NR_CPUS);
	if (!ci->exception_stacks) {
		/* Only the boot CPU may rely on the static stacks. */
		BUG_ON(ci->cpu != 0);
		ci->exception_stacks = &boot_exception_stacks;
	}
	gdt = cpu_gdt[ci->cpu].entries;
	tss = &cpu_tss[ci->cpu];

	tss_init(tss, ci);
	for (unsigned int i = 0; i < GDT_ENTRIES; i++)
		gdt[i] = gdt_template[i];
	gdt_set_tss(gdt, tss);
	/* Read-only user data; only its limit matters: the vDSO's getcpu reads it with LSL. */
	gdt[GDT_ENTRY_CPUNODE] = GDT_ENTRY(DESC_P | DESC_S | DESC_ACCESSED | DESC_DPL3, 0, 0,
					   ci->cpu & CPUNODE_CPU_MASK);
	ci->tss = tss;

	gdtr.size = sizeof(cpu_gdt[0].entries) - 1;
	gdtr.address = (u64)gdt;
	load_gdt(&gdtr);
	load_kernel_segments();
	load_tr(__TSS_SEL);
}

/*
 * The guard pages sit in .bss, which paging_init() maps; removing them makes
 * an overflow of an IST stack fault instead of corrupting the stack below.
 * The kernel image is mapped with 4 KiB pages around .bss; if it ever used a
 * large page here the unmap would do nothing, which the check reports.
 */
static int ist_guard_pages_unmap(void)
{
	for (unsigned int i = 0; i < NR_IST_STACKS; i++) {
		unsigned long guard = (unsigned long)boot_exception_stacks.ist[i].guard;

		arch_unmap_kernel_range(guard, PAGE_SIZE);
		if (arch_kernel_virt_to_phys(guard) != (phys_addr_t)-1)
			pr_warn("cpu: IST guard page %#lx is still mapped\n", guard);
	}
	return 0;
}
arch_initcall(ist_guard_pages_unmap);
