// SPDX-License-Identifier: MIT
/*
 * Work done on every return to user mode, from system calls, interrupts and
 * exceptions alike: give up the CPU when the time slice ran out or a wake-up
 * asked for it, and deliver pending signals. Returns with interrupts off, so
 * nothing new can arrive between the last check and the iretq.
 */
#include <exo/entry.h>
#include <exo/irqflags.h>
#include <exo/rseq.h>
#include <exo/sched.h>
#include <exo/signal.h>

/* The slow path: something is pending; loop until nothing is. */
void __noinline exit_to_user_mode_loop(struct pt_regs *regs)
{
	for (;;) {
		if (need_resched()) {
			local_irq_enable();
			schedule();
		} else if (signal_pending_current()) {
			local_irq_enable();
			arch_do_signal_or_restart(regs);
		} else if (current->restore_sigmask) {
			/* sigsuspend's signal went away (ignored meanwhile): restart it with the old mask. */
			local_irq_enable();
			arch_do_signal_or_restart(regs);
		} else if (current->rseq_pending) {
			local_irq_enable();
			rseq_handle_notify_resume(regs);
		} else {
			return;
		}
		local_irq_disable();
	}
}

void exit_to_user_mode(struct pt_regs *regs)
{
	__exit_to_user_mode(regs);
}
