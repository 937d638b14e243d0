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

/*
 * Whether any signal is queued for @t, blocked or not, or a stop or SEIZE trap waits
 * (the JOBCTL bits signal_pending() looks at):
 * a superset of signal_pending() that needs no call. The loop sorts out the
 * blocked ones (it checks signal_pending() itself).
 */
static __always_inline bool signal_queued_hint(const struct task *t)
{
	const struct signal_struct *s = t->signal;

	return READ_ONCE(t->pending.signal) | (s ? READ_ONCE(s->shared_pending.signal) : 0) |
	       (READ_ONCE(t->jobctl) & JOBCTL_PENDING_MASK);
}

static __always_inline void __exit_to_user_mode(struct pt_regs *regs)
{
	struct task *t = current;

	local_irq_disable();
	if (unlikely(READ_ONCE(t->exit_work) || signal_queued_hint(t)))
		exit_to_user_mode_loop(regs);
}

/* The out-of-line form, for the interrupt and exception return path. */
void exit_to_user_mode(struct pt_regs *regs);

#endif /* _EXO_ENTRY_H */
