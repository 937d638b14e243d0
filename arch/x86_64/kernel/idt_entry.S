/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: one small stub per vector, then a common
 * path that saves a struct pt_regs (<asm/ptrace.h>) and calls C.
 *
 * Stack on entry to a stub (vol. 3A, 6.14.2): the CPU has aligned RSP to 16
 * and pushed SS, RSP, RFLAGS, CS, RIP and, for some exceptions, an error
 * code. Each stub makes the frame uniform by pushing 0 where the CPU pushed
 * no error code (that slot is pt_regs->orig_rax), then pushes its vector
 * number into the slot that will hold pt_regs->rdi. The common path swaps
 * that slot with %rdi, pushes the remaining registers in pt_regs order and
 * calls
 *	do_exception(regs, vector)	vectors 0-31	(traps.c)
 *	do_irq(regs, vector)		vectors 32-255	(irq.c)
 * with interrupts off (all gates are interrupt gates). On return it restores
 * every register from pt_regs, so a handler may change regs (a fixup moves
 * regs->rip) and iretq resumes there.
 *
 * User mode: nothing here runs from CPL3 yet. When it does, entry from user
 * mode (saved CS & 3 == 3, at 24(%rsp) on entry to the common path) must
 * swapgs before anything touches %gs and clear RFLAGS.AC (clac) when SMAP is
 * on, and the exit path must swapgs right before iretq when the saved CS is
 * a user one. NMI, #MC and #DB (IST entries) can interrupt the kernel
 * between a syscall entry and its swapgs, so for them the saved CS is not
 * enough: they must compare MSR_GS_BASE with this CPU's cpu_info, and with
 * FSGSBASE on, user mode can load any GS base it likes.
 */
#include <asm/ptrace.h>
#include <asm/traps.h>

	.section .rodata
	.balign 8
	.globl idt_entry_stubs
idt_entry_stubs:

	.text

	.set vector, 0
	.rept 256
	.balign 16
1:
	.if vector >= NR_EXCEPTION_VECTORS
	pushq $0
	.elseif ((X86_TRAPS_WITH_ERROR_CODE >> vector) & 1) == 0
	pushq $0
	.endif
	pushq $vector
	.if vector < NR_EXCEPTION_VECTORS
	jmp exception_common
	.else
	jmp irq_common
	.endif
	.pushsection .rodata
	.quad 1b
	.popsection
	.set vector, vector + 1
	.endr

/* Saves the registers the stub has not; %rdi = vector, %rsi = pt_regs. */
.macro SAVE_REGS
	cld
	xchgq %rdi, (%rsp)
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rdi, %rsi
	movq %rsp, %rdi
.endm

.macro RESTORE_REGS_AND_IRET
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	addq $8, %rsp		/* orig_rax: error code */
	iretq
.endm

/*
 * The C call needs RSP 16-byte aligned. The frame is 21 quadwords on a
 * 16-aligned start, so it is off by 8; %rbx (callee-saved, already in
 * pt_regs) remembers where pt_regs is across the call.
 */
.macro CALL_HANDLER handler
	movq %rsp, %rbx
	andq $-16, %rsp
	call \handler
	movq %rbx, %rsp
.endm

exception_common:
	SAVE_REGS
	CALL_HANDLER do_exception
	RESTORE_REGS_AND_IRET

irq_common:
	SAVE_REGS
	CALL_HANDLER do_irq
	RESTORE_REGS_AND_IRET
