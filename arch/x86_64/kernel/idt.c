// SPDX-License-Identifier: MIT
/*
 * The IDT, shared by all CPUs. Every vector gets an interrupt gate (IF
 * cleared on entry) to its stub in idt_entry.S. Gates for #DF, NMI, #DB and
 * #MC switch to the IST stack of the same name in the running CPU's TSS
 * (<asm/desc.h> says why), and their stubs take the IST entry, which does
 * not trust %gs (idt_entry.S). #BP has DPL 3 so that int3 in user programs
 * will reach the kernel as a breakpoint instead of a #GP.
 */
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/segment.h>
#include <asm/traps.h>

#define GATE_P 0x80
#define GATE_DPL3 0x60
#define GATE_TYPE_INTERRUPT 0x0e

static struct idt_gate idt_table[NR_VECTORS] __aligned(PAGE_SIZE);	/* [immutable] after idt_init() */

static void idt_set_gate(unsigned int vector, unsigned long addr, unsigned int ist, u8 dpl_bits)
{
	struct idt_gate *g = &idt_table[vector];

	g->offset_low = addr & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_P | dpl_bits | GATE_TYPE_INTERRUPT;
	g->offset_mid = (addr >> 16) & 0xffff;
	g->offset_high = addr >> 32;
	g->reserved = 0;
}

void idt_init(void)
{
	BUILD_BUG_ON(sizeof(struct idt_gate) != 16);
	for (unsigned int v = 0; v < NR_VECTORS; v++)
		idt_set_gate(v, idt_entry_stubs[v], 0, 0);
	idt_set_gate(X86_TRAP_DF, idt_entry_stubs[X86_TRAP_DF], IST_DF, 0);
	idt_set_gate(X86_TRAP_NMI, idt_entry_stubs[X86_TRAP_NMI], IST_NMI, 0);
	idt_set_gate(X86_TRAP_DB, idt_entry_stubs[X86_TRAP_DB], IST_DB, 0);
	idt_set_gate(X86_TRAP_MC, idt_entry_stubs[X86_TRAP_MC], IST_MC, 0);
	/* The stubs of exactly these vectors take the IST entry (idt_entry.S). */
	BUILD_BUG_ON(X86_TRAPS_ON_IST != ((1 << X86_TRAP_DF) | (1 << X86_TRAP_NMI) |
					  (1 << X86_TRAP_DB) | (1 << X86_TRAP_MC)));
	idt_set_gate(X86_TRAP_BP, idt_entry_stubs[X86_TRAP_BP], 0, GATE_DPL3);
}

void idt_load(void)
{
	struct desc_ptr idtr = {
		.size = sizeof(idt_table) - 1,
		.address = (u64)idt_table,
	};

	load_idt(&idtr);
}
