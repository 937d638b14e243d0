/* SPDX-License-Identifier: MIT */
/*
 * CPU exceptions (vectors 0-31, Intel SDM vol. 3A, 6.3.1). The entry stubs
 * (idt_entry.S) save a struct pt_regs and call do_exception() for vectors
 * below FIRST_EXTERNAL_VECTOR and do_irq() for the rest, with interrupts off.
 *
 * In kernel mode, an exception either has an exception-table fixup
 * (<asm/extable.h>), is a breakpoint/debug trap or an NMI (logged, execution
 * continues), or is fatal: an Oops report and panic.
 */
#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H

#define X86_TRAP_DE 0	/* divide error */
#define X86_TRAP_DB 1	/* debug */
#define X86_TRAP_NMI 2	/* non-maskable interrupt */
#define X86_TRAP_BP 3	/* breakpoint (int3) */
#define X86_TRAP_OF 4	/* overflow */
#define X86_TRAP_BR 5	/* bound range exceeded */
#define X86_TRAP_UD 6	/* invalid opcode */
#define X86_TRAP_NM 7	/* device not available */
#define X86_TRAP_DF 8	/* double fault */
#define X86_TRAP_OLD_MF 9	/* coprocessor segment overrun (reserved since the 486) */
#define X86_TRAP_TS 10	/* invalid TSS */
#define X86_TRAP_NP 11	/* segment not present */
#define X86_TRAP_SS 12	/* stack segment fault */
#define X86_TRAP_GP 13	/* general protection */
#define X86_TRAP_PF 14	/* page fault */
#define X86_TRAP_SPURIOUS 15	/* reserved */
#define X86_TRAP_MF 16	/* x87 floating point error */
#define X86_TRAP_AC 17	/* alignment check */
#define X86_TRAP_MC 18	/* machine check */
#define X86_TRAP_XF 19	/* SIMD floating point */
#define X86_TRAP_VE 20	/* virtualization exception */
#define X86_TRAP_CP 21	/* control protection */
#define X86_TRAP_HV 28	/* hypervisor injection */
#define X86_TRAP_VC 29	/* VMM communication */
#define X86_TRAP_SX 30	/* security exception */
#define NR_EXCEPTION_VECTORS 32

/* Vectors for which the CPU pushes an error code; the stubs push 0 for the rest. */
#define X86_TRAPS_WITH_ERROR_CODE                                                 \
	((1 << X86_TRAP_DF) | (1 << X86_TRAP_TS) | (1 << X86_TRAP_NP) |           \
	 (1 << X86_TRAP_SS) | (1 << X86_TRAP_GP) | (1 << X86_TRAP_PF) |           \
	 (1 << X86_TRAP_AC) | (1 << X86_TRAP_CP) | (1 << X86_TRAP_VC) |           \
	 (1 << X86_TRAP_SX))

/*
 * Vectors whose gates switch to an IST stack (<asm/desc.h>, idt.c); their
 * stubs take the IST entry, which does not trust %gs (idt_entry.S).
 */
#define X86_TRAPS_ON_IST                                                          \
	((1 << X86_TRAP_DB) | (1 << X86_TRAP_NMI) | (1 << X86_TRAP_DF) |          \
	 (1 << X86_TRAP_MC))

#ifndef __ASSEMBLER__
#include <exo/types.h>

struct pt_regs;

/* Page-fault error code bits (vol. 3A, 4.7). */
#define X86_PF_PROT (1UL << 0)	/* 0: not-present page, 1: protection violation */
#define X86_PF_WRITE (1UL << 1)
#define X86_PF_USER (1UL << 2)
#define X86_PF_RSVD (1UL << 3)
#define X86_PF_INSTR (1UL << 4)
#define X86_PF_PK (1UL << 5)
#define X86_PF_SHSTK (1UL << 6)
#define X86_PF_SGX (1UL << 15)

/* Entry points from idt_entry.S. */
void do_exception(struct pt_regs *regs, unsigned long vector);
void do_irq(struct pt_regs *regs, unsigned long vector);

/* Entry stubs, one per vector, indexed by vector; for idt_init(). */
extern const unsigned long idt_entry_stubs[256];

/* How many times exception @vector was taken on any CPU (for tests and diagnostics). */
unsigned long trap_count(unsigned int vector);

/*
 * Set when one CPU (panic, reboot) wants all others halted: it sets the flag
 * through cpu_stop_request() and then sends each other CPU an NMI; the NMI
 * handler on a CPU other than the requester marks it offline and halts for
 * good. [atomic]
 */
extern bool cpu_stop_requested;
/* Records this CPU as the requester and sets cpu_stop_requested; call before sending the NMIs. */
void cpu_stop_request(void);
#endif

#endif /* _ASM_TRAPS_H */
