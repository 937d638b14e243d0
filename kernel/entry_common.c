// SPDX-License-Identifier: MIT
/*
 * Work done on every return to user mode, from system calls, interrupts and
 * exceptions alike: give up the CPU when the time slice ran out or a wake-up
 * asked for it, and deliver pending signals. Returns with interrupts off, so
 * nothing new can arrive between the last check and the iretq.
 *
 * syscall_work_dispatch() is the system call path of a task with
 * syscall_work (seccomp, ptrace): the fast path tests that one word.
 */
#include <exo/entry.h>
#include <exo/irqflags.h>
#include <exo/ptrace.h>
#include <exo/rseq.h>
#include <exo/seccomp.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <asm/syscall.h>

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

void syscall_work_dispatch(struct pt_regs *regs, unsigned long nr)
{
	unsigned int work = READ_ONCE(current->syscall_work);
	long snr;

	/* ptrace first: the tracer may change the call (orig_rax; -1 skips it), then seccomp. */
	if (work & SYSCALL_WORK_TRACE) {
		if (ptrace_report_syscall_entry(regs))
			goto exit_work;
		nr = (unsigned long)syscall_get_nr(current, regs);
	}
	if ((work & SYSCALL_WORK_SECCOMP) && READ_ONCE(current->seccomp.mode) &&
	    __secure_computing(regs, nr))
		goto exit_work;
	snr = (long)nr;
	if (snr != -1)
		regs_set_return_value(regs, (unsigned long)syscall_dispatch(regs, nr));
exit_work:
	work = READ_ONCE(current->syscall_work);
	if (work & SYSCALL_WORK_STEP)
		ptrace_report_syscall_exit(regs, true);
	else if (work & SYSCALL_WORK_TRACE)
		ptrace_report_syscall_exit(regs, false);
}
