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
 * signals) and swapgs before iretq.
 *
 * No other vector sees a kernel CS with the user's GS base loaded: the
 * swapgs windows run with interrupts off, and the one instruction in them
 * that could fault, the exit's iretq, gets a user CS and SS the kernel set
 * and a canonical RIP (exec, signal delivery and sigreturn check it; on
 * Intel, an iretq to a non-canonical RIP raises #GP before leaving ring 0).
 *
 * The IST vectors (#DB, NMI, #DF, #MC; X86_TRAPS_ON_IST) take another path,
 * the IST entry, because the saved CS does not tell them whose GS base is
 * loaded. They can hit between a system call's first instruction and its
 * swapgs, or between the exit's swapgs and iretq: kernel CS, user GS base.
 * With FSGSBASE a user can load any canonical value, a kernel address too,
 * so no test of the value itself is safe either. The IST entry therefore
 * never swaps: it saves GS_BASE as it finds it (in %r12, callee-saved, so
 * it survives the C call), loads this CPU's cpu_info, runs the handler and
 * writes the saved value back before iretq. That is right from user mode,
 * from the kernel and from either swapgs window alike, and for an IST
 * vector nested in another (an #MC in the NMI entry): each level restores
 * what it found. The entry finds cpu_info without %gs in the struct ist_top
 * (<asm/desc.h>) right above the CPU frame, at pt_regs + PT_REGS_SIZE: one
 * load, correct by construction, where RDPID needs a CPU feature and an
 * MSR per CPU, and decoding the GDT base (SGDT) ties the entry to how the
 * GDTs are allocated. rdmsr/wrmsr rather than rdgsbase/wrgsbase, so that
 * the path is the same with or without FSGSBASE; these vectors are rare.
 *
 * A frame from user mode on an IST stack is copied to the top of the task's
 * kernel stack, which is unused while the task runs in user mode, and leaves
 * through ret_to_user like any other, so that a SIGTRAP from #DB is delivered
 * before the next user instruction. Running the exit work there (it may
 * schedule) instead of on the IST stack keeps the next IST exception from
 * overwriting a live frame. KERNEL_GS_BASE gets the user's GS base first,
 * which is what swapgs on entry would have left there.
 *
 * NMI-safety: the NMI handler runs with NMIs blocked until the next iretq;
 * the IST entry itself cannot fault (the MSR values are canonical: one was
 * in the MSR already, the other is a kernel pointer).
 */
#include <asm/processor.h>
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
	.if vector >= NR_EXCEPTION_VECTORS
	jmp irq_common
	.elseif (X86_TRAPS_ON_IST >> vector) & 1
	jmp ist_common
	.else
	jmp exception_common
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

/*
 * A frame from user mode on the common path is at the top of the task's
 * kernel stack (the CPU loaded RSP from TSS.rsp0, which the context switch
 * keeps equal to cpu_info->kernel_stack), where ret_to_user expects it.
 */
.macro RETURN_FROM_ENTRY
	testb $3, PT_REGS_CS(%rsp)
	jnz ret_to_user
	RESTORE_REGS_AND_IRET
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

/* MSR %ecx := %rax (wrmsr takes EDX:EAX); clobbers %rdx. */
.macro WRMSR_RAX
	movq %rax, %rdx
	shrq $32, %rdx
	wrmsr
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

/* The IST entry (see the top of this file); %r12 holds GS_BASE as found. */
ist_common:
	SAVE_REGS
	movl $MSR_GS_BASE, %ecx
	rdmsr
	shlq $32, %rdx
	orq %rax, %rdx
	movq %rdx, %r12
	movq PT_REGS_SIZE(%rsp), %rax		/* struct ist_top: cpu_info */
	WRMSR_RAX
	CALL_HANDLER do_exception
	testb $3, PT_REGS_CS(%rsp)
	jnz .List_from_user
	movl $MSR_GS_BASE, %ecx
	movq %r12, %rax
	WRMSR_RAX
	RESTORE_REGS_AND_IRET

	/*
	 * From user mode: GS_BASE is this CPU's cpu_info; put the user's base
	 * where swapgs would have, then move pt_regs to the task's stack
	 * (interrupts are still off).
	 */
.List_from_user:
	movl $MSR_KERNEL_GS_BASE, %ecx
	movq %r12, %rax
	WRMSR_RAX
	movq %rsp, %rsi
	movq %gs:CPU_INFO_KERNEL_STACK, %rdi
	subq $PT_REGS_SIZE, %rdi
	movq %rdi, %rsp
	movl $PT_REGS_SIZE / 8, %ecx
	rep movsq
	jmp ret_to_user
