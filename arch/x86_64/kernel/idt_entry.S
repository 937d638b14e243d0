/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: one small stub per vector, then a common
 * path that saves a struct pt_regs (<asm/ptrace.h>) and calls C.
 *
 * Stack on entry to a stub (vol. 3A, 6.14.2): the CPU has aligned RSP to 16
 * and pushed SS, RSP, RFLAGS, CS, RIP and, for some exceptions, an error
 * code. Each stub makes the frame uniform by pushing 0 where the CPU pushed
 * no error code, -1 for interrupts (that slot is pt_regs->orig_rax; -1
 * says "not a system call", see do_exception), then pushes its vector
 * number into the slot that will hold pt_regs->rdi. The common path swaps
 * that slot with %rdi, pushes the remaining registers in pt_regs order and
 * calls
 *	do_exception(regs, vector)	vectors 0-31	(traps.c)
 *	do_irq(regs, vector)		vectors 32-255	(irq.c)
 * with interrupts off (all gates are interrupt gates). On return it restores
 * every register from pt_regs, so a handler may change regs (a fixup moves
 * regs->rip) and iretq resumes there.
 *
 * User mode: entry from CPL3 (saved CS & 3 == 3, at 24(%rsp) on entry to the
 * common path) does swapgs before anything touches %gs; the C handlers clear
 * RFLAGS.AC (clac) before touching anything. The return to user mode goes
 * through ret_to_user (entry_64.S), which runs the exit work (reschedule,
 * signals) and swapgs before iretq, when the frame is the task's pt_regs at
 * the top of its kernel stack. A frame on an IST stack (NMI, #DB, #MC from
 * user mode) returns directly: scheduling away from an IST stack would let
 * the next exception overwrite it.
 *
 * Known gap: NMI, #MC and #DB can interrupt the kernel between a syscall
 * entry and its swapgs, where the saved CS says kernel but %gs is still the
 * user's. Handling that needs the paranoid entry (compare MSR_GS_BASE with
 * this CPU's cpu_info), which is not written yet.
 */
#include <asm/ptrace.h>
#include <asm/traps.h>

#include "calling.h"

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
	pushq $-1
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

/* Saves the registers the stub has not; leaves %rdi = pt_regs, %rsi = vector. */
.macro SAVE_REGS
	cld
	xchgq %rdi, (%rsp)
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	PUSH_REGS_BELOW_RAX
	movq %rdi, %rsi
	movq %rsp, %rdi
.endm

.macro RESTORE_REGS_AND_IRET
	RESTORE_REGS
	iretq
.endm

.macro SWAPGS_IF_FROM_USER
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:
.endm

.macro RETURN_FROM_ENTRY
	testb $3, PT_REGS_CS(%rsp)
	jz 2f
	movq %gs:CPU_INFO_KERNEL_STACK, %rax
	subq $PT_REGS_SIZE, %rax
	cmpq %rax, %rsp
	je ret_to_user
	RESTORE_REGS
	swapgs
	iretq
2:	RESTORE_REGS_AND_IRET
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
	SWAPGS_IF_FROM_USER
	SAVE_REGS
	CALL_HANDLER do_exception
	RETURN_FROM_ENTRY

irq_common:
	SWAPGS_IF_FROM_USER
	SAVE_REGS
	CALL_HANDLER do_irq
	RETURN_FROM_ENTRY
