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
#include <asm/barrier.h>
#include <asm/syscall.h>

/*
 * Nothing deliverable is left: drop the signal hint unless something is
 * still queued (blocked, or for another thread of the process). Cleared
 * first, then checked: a sender queues, then sets the hint, so either the
 * check sees its signal or its store comes after ours.
 */
static void signal_hint_recheck(struct task *t)
{
	WRITE_ONCE(t->sigpending_hint, false);
	smp_mb();
	if (signal_queued_hint(t))
		WRITE_ONCE(t->sigpending_hint, true);
}

/*
 * The slow path: something is pending; loop until nothing is. Every caller
 * restores all of pt_regs after it, so regs_changed has done its job.
 */
void __noinline exit_to_user_mode_loop(struct pt_regs *regs)
{
	struct task *t = current;

	WRITE_ONCE(t->regs_changed, false);
	/* An exception's injected failure is not checked (a system call's was, by syscall_exit_work). */
	t->fault_injected = false;
	for (;;) {
		if (need_resched()) {
			local_irq_enable();
			schedule();
		} else if (signal_pending_current()) {
			local_irq_enable();
			arch_do_signal_or_restart(regs);
		} else if (t->restore_sigmask) {
			/* sigsuspend's signal went away (ignored meanwhile): restart it with the old mask. */
			local_irq_enable();
			arch_do_signal_or_restart(regs);
		} else if (t->rseq_pending) {
			local_irq_enable();
			rseq_handle_notify_resume(regs);
		} else {
			if (READ_ONCE(t->sigpending_hint))
				signal_hint_recheck(t);
			return;
		}
		local_irq_disable();
	}
}

/* A system call returns with exit_work set: its own part first, then the common loop. */
void __noinline syscall_exit_work(struct pt_regs *regs)
{
#ifdef CONFIG_FAULT_INJECTION
	if (current->fault_injected)
		syscall_fault_inject_exit(regs);
#endif
	exit_to_user_mode_loop(regs);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	local_irq_disable();
	if (unlikely(READ_ONCE(current->exit_work)))
		exit_to_user_mode_loop(regs);
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
