/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables: the per-CPU GDT and TSS, the shared IDT, and the
 * per-CPU interrupt stacks (IST) that the TSS points at.
 *
 * Every CPU has its own GDT (the TSS descriptor's busy bit is per CPU) and
 * its own TSS (rsp0 and the IST pointers are per CPU). All CPUs share one
 * IDT: a gate names an IST slot by number, and each CPU's TSS resolves that
 * number to its own stack.
 *
 * IST slots (vol. 3A, 6.14.5): exceptions that can arrive on a kernel stack
 * that is unusable get a known-good stack of their own.
 *   IST_DF   double fault: a kernel stack overflow faults on the guard page,
 *            the #PF cannot be pushed, the CPU raises #DF, which must not use
 *            the same stack or the CPU triple faults and resets silently.
 *   IST_NMI  NMI: can arrive anywhere, including the first instruction of a
 *            syscall entry, before the kernel stack is switched.
 *   IST_DB   debug: same reason as NMI (a data breakpoint can fire there).
 *   IST_MC   machine check: the current stack may be the broken memory.
 *
 * cpu_init() (<asm/cpu.h>) loads all of this on a CPU.
 */
#ifndef _ASM_DESC_H
#define _ASM_DESC_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/memlayout.h>
#include <asm/segment.h>

struct cpu_info;

/* Each IST stack; a guard page below each one. */
#define EXCEPTION_STACK_SIZE (2 * PAGE_SIZE)

#define IST_DF 1
#define IST_NMI 2
#define IST_DB 3
#define IST_MC 4
#define NR_IST_STACKS 4

/*
 * The 64-bit TSS (vol. 3A, 8.7). rsp[0] is the stack the CPU switches to on
 * an interrupt from user mode; ist[n - 1] is the stack for IST slot n.
 */
struct tss {
	u32 reserved0;
	u64 rsp[3];		/* [this cpu] rsp[0]: written by context switch */
	u64 reserved1;
	u64 ist[7];		/* [immutable] after cpu_init() */
	u64 reserved2;
	u16 reserved3;
	u16 io_bitmap_base;	/* [immutable] past the limit: no I/O bitmap */
} __packed;

/*
 * What sits above the top of an IST stack. The entry of the IST vectors
 * (idt_entry.S) cannot trust %gs, so it finds this CPU's cpu_info here:
 * the TSS points the IST at this struct, the CPU pushes its frame right
 * below it, and the entry reads cpu_info at pt_regs + PT_REGS_SIZE. That
 * offset is fixed because an IST gate always loads RSP from the TSS, nested
 * or not, and because the pointer is 16-byte aligned: the CPU aligns RSP
 * down to 16 before it pushes (vol. 3A, 6.14.2), which then moves nothing.
 */
struct ist_top {
	struct cpu_info *cpu_info;	/* [immutable] after cpu_init() */
	u64 reserved;			/* keeps the struct, and the IST pointer, 16-aligned */
};

struct ist_stack {
	u8 guard[PAGE_SIZE];	/* unmapped once paging is final: overflow faults */
	u8 stack[EXCEPTION_STACK_SIZE - sizeof(struct ist_top)];
	struct ist_top top;	/* the TSS's IST pointer is &top */
};

/*
 * One CPU's IST stacks, page-aligned. The boot CPU's are static; SMP
 * bring-up allocates one of these per AP and stores it in
 * cpu_info->exception_stacks before calling cpu_init() on that AP.
 */
struct exception_stacks {
	struct ist_stack ist[NR_IST_STACKS];	/* ist[n - 1] backs IST slot n */
};

/* Operand of lgdt/lidt (vol. 3A, 3.5.1). */
struct desc_ptr {
	u16 size;
	u64 address;
} __packed;

/* An IDT gate: a 16-byte interrupt gate in 64-bit mode (vol. 3A, 6.14.1). */
struct idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;			/* bits 0-2: IST slot, 0 = no stack switch */
	u8 type_attr;		/* P, DPL, type */
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
} __packed;

/* Builds and loads @ci's GDT and TSS; reloads CS, SS, DS, ES and TR. */
void gdt_init_cpu(struct cpu_info *ci);
/* Fills the shared IDT; once, on the boot CPU, before the first idt_load(). */
void idt_init(void);
/* Points this CPU's IDTR at the shared IDT. */
void idt_load(void);

static inline void load_gdt(const struct desc_ptr *p)
{
	__asm__ __volatile__("lgdt %0" : : "m"(*p) : "memory");
}

static inline void load_idt(const struct desc_ptr *p)
{
	__asm__ __volatile__("lidt %0" : : "m"(*p) : "memory");
}

static inline void store_idt(struct desc_ptr *p)
{
	__asm__ __volatile__("sidt %0" : "=m"(*p));
}

static inline void store_gdt(struct desc_ptr *p)
{
	__asm__ __volatile__("sgdt %0" : "=m"(*p));
}

static inline void load_tr(u16 sel)
{
	__asm__ __volatile__("ltr %0" : : "r"(sel) : "memory");
}

static inline u16 store_tr(void)
{
	u16 sel;

	__asm__ __volatile__("str %0" : "=r"(sel));
	return sel;
}

#endif /* _ASM_DESC_H */
