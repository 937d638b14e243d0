// SPDX-License-Identifier: MIT
/*
 * Signal generation and default actions (see <exo/signal.h>).
 *
 * Pending signals are a bit mask per task (sig_pending), updated atomically
 * so that interrupt handlers may send. A fatal default action ends the whole
 * process with the signal in its wait status (WIFSIGNALED). No core files
 * are written (RLIMIT_CORE is 0 by default), so the core bit stays clear.
 */
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/exit.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

static u64 sig_bit(int sig)
{
	return 1ULL << (sig - 1);
}

/* Signals whose default action is to ignore them (signal(7)). */
static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

void send_signal(struct task *t, int sig)
{
	if (sig < 1 || sig > _NSIG)
		return;
	/* Until handlers exist every ignored-by-default signal would just be dropped here. */
	if (sig_default_ignored(sig))
		return;
	__atomic_fetch_or(&t->sig_pending, sig_bit(sig), __ATOMIC_SEQ_CST);
	if (t->state == TASK_INTERRUPTIBLE)
		wake_up_process(t);
}

int kill_pgrp(int pgid, int sig)
{
	unsigned long flags;
	struct task *t;
	int err = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (t->pgid == pgid && !t->exit_state && !(t->flags & PF_KTHREAD)) {
			send_signal(t, sig);
			err = 0;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

void force_sig_fault(int sig, int si_code, unsigned long addr)
{
	struct task *t = current;

	t->sig_fault.signo = sig;
	t->sig_fault.code = si_code;
	t->sig_fault.addr = addr;
	t->sig_blocked &= ~sig_bit(sig);
	send_signal(t, sig);
}

bool signal_pending_current(void)
{
	struct task *t = current;

	return (__atomic_load_n(&t->sig_pending, __ATOMIC_RELAXED) & ~t->sig_blocked) != 0;
}

void signal_deliver(struct pt_regs *regs)
{
	struct task *t = current;
	u64 ready = __atomic_load_n(&t->sig_pending, __ATOMIC_RELAXED) & ~t->sig_blocked;
	int sig;

	(void)regs;
	if (!ready)
		return;
	sig = __builtin_ctzll(ready) + 1;
	__atomic_fetch_and(&t->sig_pending, ~sig_bit(sig), __ATOMIC_SEQ_CST);
	/* Default action: terminate the process (ignored signals never become pending). */
	do_group_exit(sig);
}
