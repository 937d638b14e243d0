/* SPDX-License-Identifier: MIT */
/*
 * The context switch and task set-up primitives the scheduler uses.
 *
 * context_switch(prev, next) saves prev's callee-saved registers on its
 * kernel stack, switches stacks, and returns in next; the value returned is
 * the task that ran before next on this CPU (not necessarily @prev of the
 * caller's frame, which belongs to an older switch). It also switches the
 * address space, the user FS/GS bases, the FPU state and the kernel stack
 * used for entries from user mode.
 */
#ifndef _ASM_SWITCH_TO_H
#define _ASM_SWITCH_TO_H

struct task;
struct pt_regs;

struct task *context_switch(struct task *prev, struct task *next);
/* Allocates/frees the per-task FPU area; 0 or -ENOMEM. */
int arch_task_alloc(struct task *t);
void arch_task_free(struct task *t);
/* Prepares @t's kernel stack so its first switch-in runs fn(arg), then exits with its return value. */
void arch_kthread_setup(struct task *t, int (*fn)(void *), void *arg);
/*
 * Prepares @child, a copy of the current user task, so its first switch-in
 * returns to user mode with @regs (rax = 0 by the caller's choice); @sp, when
 * non-zero, replaces the user stack pointer, and @tls, when non-zero, the FS base.
 */
void arch_fork_setup(struct task *child, const struct pt_regs *regs, unsigned long sp,
		     unsigned long tls);
/* Called by ret_from_fork for a new user task before it first returns to user mode. */
void ret_from_fork_user_tail(void);
/* The user registers saved at the top of @t's kernel stack. */
struct pt_regs *task_pt_regs(struct task *t);
/* Leaves a kernel thread that has exec'd for user mode with its task_pt_regs(). */
void __attribute__((noreturn)) arch_kthread_return_to_user(struct pt_regs *regs);
/* Resets the FPU state of the current task to the power-on state (execve). */
void fpu_reset_current(void);

#endif /* _ASM_SWITCH_TO_H */
