/* SPDX-License-Identifier: MIT */
/*
 * The work done on every return to user mode (reschedule, signals), called
 * by the arch exit paths with the user registers. It returns with
 * interrupts off, so nothing new can arrive before the return to user.
 * The check is inline for the system call path, where nothing is pending
 * almost always; the work itself is out of line.
 */
#ifndef _EXO_ENTRY_H
#define _EXO_ENTRY_H

#include <exo/compiler.h>
#include <exo/irqflags.h>
#include <exo/sched.h>
#include <exo/signal.h>

struct pt_regs;

void exit_to_user_mode_loop(struct pt_regs *regs);
void syscall_exit_work(struct pt_regs *regs);

/*
 * Whether any signal is queued for @t, blocked or not, or a stop or SEIZE
 * trap waits (the JOBCTL bits signal_pending() looks at): what
 * t->sigpending_hint stands for, so that the return to user mode tests one
 * word. The loop sorts out the blocked ones (it checks signal_pending()).
 */
static __always_inline bool signal_queued_hint(const struct task *t)
{
	const struct signal_struct *s = t->signal;

	return READ_ONCE(t->pending.signal) | (s ? READ_ONCE(s->shared_pending.signal) : 0) |
	       (READ_ONCE(t->jobctl) & JOBCTL_PENDING_MASK);
}

/*
 * Called after a signal is queued for @t or a jobctl trap is set on it,
 * before the wake-up or IPI that makes it look: its next return to user
 * mode takes the slow path. exit_to_user_mode_loop() clears the hint, then
 * checks signal_queued_hint() again, so a signal queued meanwhile keeps it.
 */
static __always_inline void signal_hint_set(struct task *t)
{
	WRITE_ONCE(t->sigpending_hint, true);
}

/*
 * @t's saved user registers were rewritten beyond what a system call
 * returns (execve, rt_sigreturn, a tracer's SETREGS): its return to user
 * mode restores every register from pt_regs, not only the ones the fast
 * path reloads (arch/x86_64/kernel/entry_64.S).
 */
static __always_inline void regs_changed_set(struct task *t)
{
	WRITE_ONCE(t->regs_changed, true);
}

/* The end of a system call in C (do_syscall_64; the fast path does this in assembly). */
static __always_inline void syscall_exit_to_user_mode(struct pt_regs *regs)
{
	local_irq_disable();
	if (unlikely(READ_ONCE(current->exit_work)))
		syscall_exit_work(regs);
}

/* The out-of-line form, for the interrupt and exception return path. */
void exit_to_user_mode(struct pt_regs *regs);

#endif /* _EXO_ENTRY_H */
