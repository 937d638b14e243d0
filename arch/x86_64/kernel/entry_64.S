/* SPDX-License-Identifier: MIT */
/*
 * System call entry, the return path to user mode, and the first
 * instructions of new tasks.
 *
 * syscall (vol. 2B, SYSCALL): the CPU puts the user RIP in %rcx and RFLAGS in
 * %r11, masks RFLAGS with MSR_SFMASK (IF, TF, DF, AC cleared) and jumps here
 * at CPL0 with the user %rsp and %gs still loaded. We swapgs to reach this
 * CPU's cpu_info, switch to the task's kernel stack, and build a whole
 * struct pt_regs exactly as an interrupt from user mode would, so that
 * ptrace, signal frames, fork and /proc read every register wherever the
 * task stops. The return is iretq: under QEMU icount it costs one
 * instruction like sysretq, and it has none of sysretq's non-canonical-RIP
 * pitfalls.
 *
 * Arguments: %rax number, %rdi %rsi %rdx %r10 %r8 %r9. Result in %rax.
 *
 * The fast path (no syscall_work, a number in the table, no exit_work
 * afterwards) calls the table here and restores only what C may have
 * changed: r12-r15 are callee-saved, so the registers still hold the
 * user's values and their saved copies are skipped. Whoever rewrites the
 * saved copies (execve, rt_sigreturn, a tracer) sets task->regs_changed,
 * which is part of exit_work: the exit then takes the slow path, whose
 * RESTORE_REGS reloads all of pt_regs (docs/user-mode.md).
 */
#include <asm/ptrace.h>
#include <asm/segment.h>

#include "calling.h"
#define ENOSYS 38

	.text
	.globl entry_SYSCALL_64
	.balign 16
entry_SYSCALL_64:
	swapgs
	movq %rsp, %gs:CPU_INFO_USER_RSP
	movq %gs:CPU_INFO_KERNEL_STACK, %rsp
	pushq $__USER_DS			/* ss */
	pushq %gs:CPU_INFO_USER_RSP		/* rsp */
	pushq %r11				/* eflags */
	pushq $__USER_CS			/* cs */
	pushq %rcx				/* rip */
	pushq %rax				/* orig_rax: the syscall number */
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq $-ENOSYS				/* rax */
	PUSH_REGS_BELOW_RAX
	xorl %ebp, %ebp				/* ends the frame-pointer chain */
	/* pt_regs starts 8 bytes off 16-byte alignment (21 quadwords from the aligned top). */
	subq $8, %rsp
	sti
	movq %gs:CPU_INFO_CURRENT, %rbx	/* callee-saved: still current after the call */
	/* The only cost seccomp and ptrace add to a task without them: this test. */
	cmpl $0, TASK_SYSCALL_WORK(%rbx)
	jne .Lsyscall_slow
	cmpq $NR_SYSCALLS, %rax
	jae .Lsyscall_slow			/* -ENOSYS from syscall_dispatch() */
	/* The arguments stay in rdi, rsi, rdx, r8, r9; the fourth goes from r10 to rcx (C ABI). */
	movq %r10, %rcx
	call *sys_call_table(, %rax, 8)
	cli
	cmpq $0, TASK_EXIT_WORK(%rbx)
	jne .Lsyscall_exit_work
	/* Nothing pending and pt_regs untouched: r15-r12 are still live, rax holds the result. */
	RESTORE_REGS skip_live=1 pad=8
	swapgs
	iretq

.Lsyscall_exit_work:
	movq %rax, 8 + PT_REGS_RAX(%rsp)
	leaq 8(%rsp), %rdi
	call syscall_exit_work			/* returns with interrupts off */
	jmp .Lsyscall_restore_all

	/* Traced, seccomp or a number past the table: all in C. */
.Lsyscall_slow:
	leaq 8(%rsp), %rdi
	movq %rax, %rsi
	call do_syscall_64			/* runs the exit work too */
.Lsyscall_restore_all:
	addq $8, %rsp
	RESTORE_REGS
	swapgs
	iretq

/*
 * Return to user mode with %rsp at a user pt_regs, interrupts in any state.
 * exit_to_user_mode() runs pending work (reschedule, signals) and returns
 * with interrupts off; nothing may then make new work before the iretq.
 */
	.globl ret_to_user
ret_to_user:
	movq %rsp, %rbx
	andq $-16, %rsp
	movq %rbx, %rdi
	call exit_to_user_mode
	movq %rbx, %rsp
	RESTORE_REGS
	swapgs
	iretq

/*
 * struct task *__switch_to_asm(struct task *prev, struct task *next)
 * Saves prev's callee-saved registers and stack pointer (thread.rsp, offset
 * 0 of struct task), resumes next where it last called this (or at
 * ret_from_fork), and returns prev there.
 */
	.globl __switch_to_asm
__switch_to_asm:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movq %rdi, %rax
	ret

/*
 * First code of every new task, "returned" to by __switch_to_asm with the
 * previous task in %rax and %rsp at the task's pt_regs. Kernel threads have
 * their function in %rbx and its argument in %r12; user tasks (%rbx = 0)
 * go to user mode with the registers fork prepared.
 */
	.globl ret_from_fork
ret_from_fork:
	movq %rsp, %r13
	andq $-16, %rsp
	movq %rax, %rdi
	call finish_task_switch
	testq %rbx, %rbx
	jz 1f
	sti
	movq %r12, %rdi
	call *%rbx
	movl %eax, %edi
	call kthread_exit
	ud2
1:	call ret_from_fork_user_tail
	movq %r13, %rsp
	jmp ret_to_user

/* void arch_kthread_return_to_user(struct pt_regs *regs): a kernel thread that exec'd leaves. */
	.globl arch_kthread_return_to_user
arch_kthread_return_to_user:
	movq %rdi, %rsp
	jmp ret_to_user
