// SPDX-License-Identifier: MIT
/*
 * The signal system calls a process uses on itself: rt_sigaction,
 * rt_sigprocmask, sigaltstack, rt_sigpending, rt_sigsuspend, pause,
 * rt_sigtimedwait. Sending is in kernel/kill.c, generation and delivery in
 * kernel/signal.c.
 *
 * Every sigset argument is the kernel's 64-bit set: sigsetsize must be 8
 * (rt_sigpending accepts less, as Linux). SIGKILL and SIGSTOP can be neither
 * caught, ignored nor blocked: attempts are EINVAL (sigaction) or silently
 * dropped from masks.
 *
 * Sleeps return -ERESTARTNOHAND (sigsuspend, pause): restarted when no
 * handler ran, EINTR after a handler; rt_sigtimedwait returns EINTR or
 * EAGAIN itself, as Linux.
 *
 * Lock order: sighand->siglock -> rq->lock.
 */
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <asm/ptrace.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>

/* The bits rt_sigaction keeps; others read back as 0, so user space can probe for support. */
#define UAPI_SA_FLAGS (SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | \
		       SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)

static int get_sigset(u64 *set, const u64 __user *uset, size_t sigsetsize)
{
	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	return copy_from_user(set, uset, sizeof(*set)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct kernel_sigaction __user *, act,
		struct kernel_sigaction __user *, oact, size_t, sigsetsize)
{
	struct task *t = current;
	struct kernel_sigaction new, old;
	struct kernel_sigaction *ka;
	unsigned long flags;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (!valid_signal(sig) || (act && (sigmask(sig) & SIG_KERNEL_ONLY_MASK)))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;

	ka = &t->sighand->action[sig - 1];
	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (oact)
		old = *ka;
	if (act) {
		new.flags &= UAPI_SA_FLAGS;
		new.mask &= ~SIG_KERNEL_ONLY_MASK;
		*ka = new;
		/*
		 * POSIX: setting a pending signal to be ignored discards it.
		 * Default-ignored ones count too (SIGCHLD, SIGURG, SIGWINCH).
		 */
		if (new.handler == SIG_IGN ||
		    (new.handler == SIG_DFL && (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)))
			signal_discard_locked(t, sigmask(sig));
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);

	if (!oact)
		return 0;
	old.flags &= UAPI_SA_FLAGS;
	return copy_to_user(oact, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const u64 __user *, nset, u64 __user *, oset,
		size_t, sigsetsize)
{
	struct task *t = current;
	u64 old = t->blocked, set, mask;
	int err;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (nset) {
		err = get_sigset(&set, nset, sigsetsize);
		if (err)
			return err;
		switch (how) {
		case SIG_BLOCK:
			mask = old | set;
			break;
		case SIG_UNBLOCK:
			mask = old & ~set;
			break;
		case SIG_SETMASK:
			mask = set;
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(mask);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const struct sigaltstack __user *, uss, struct sigaltstack __user *, uoss)
{
	struct sigaltstack ss, oss;
	unsigned long sp = user_stack_pointer(task_pt_regs(current));
	int err;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &ss : NULL, &oss, sp);
	if (!err && uoss && copy_to_user(uoss, &oss, sizeof(oss)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(rt_sigpending, u64 __user *, uset, size_t, sigsetsize)
{
	struct task *t = current;
	unsigned long flags;
	u64 set;

	if (sigsetsize > sizeof(u64))
		return -EINVAL;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	set = signal_pending_set_locked(t) & t->blocked;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

/* Sleeps until a signal the current mask lets through is pending. */
static void sleep_until_signal(void)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending_current())
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
}

SYSCALL_DEFINE2(rt_sigsuspend, const u64 __user *, unewset, size_t, sigsetsize)
{
	u64 set, saved = current->blocked;
	int err = get_sigset(&set, unewset, sigsetsize);

	if (err)
		return err;
	set_current_blocked(set);
	sleep_until_signal();
	/* The handler's frame records the old mask; if no handler runs, the exit path restores it. */
	set_restore_sigmask(saved);
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE0(pause)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE4(rt_sigtimedwait, const u64 __user *, uthese, struct siginfo __user *, uinfo,
		const struct __kernel_timespec __user *, uts, size_t, sigsetsize)
{
	struct task *t = current;
	struct siginfo info;
	unsigned long flags;
	u64 these, timeout = ~0ULL;
	long left = 1;
	int sig, err;

	err = get_sigset(&these, uthese, sigsetsize);
	if (err)
		return err;
	these &= ~SIG_KERNEL_ONLY_MASK;
	if (uts) {
		err = get_timespec_ns(uts, &timeout);
		if (err)
			return err;
		if (timeout > ~0ULL / 2)
			timeout = ~0ULL;
	}

	spin_lock_irqsave(&t->sighand->siglock, flags);
	sig = dequeue_signal_locked(t, these, &info);
	if (!sig && timeout) {
		/* Let the awaited signals wake us; real_blocked keeps them from being dropped as ignored. */
		t->real_blocked = t->blocked;
		t->blocked &= ~these;
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		left = schedule_timeout_ns(timeout, true);
		spin_lock_irqsave(&t->sighand->siglock, flags);
		sig = dequeue_signal_locked(t, these, &info);
		/* Another awaited signal may have come with it: whoever does not block it takes it. */
		__set_current_blocked_locked(t->real_blocked);
		t->real_blocked = 0;
	}
	spin_unlock_irqrestore(&t->sighand->siglock, flags);

	if (!sig)
		return (timeout && left > 0) ? -EINTR : -EAGAIN;
	if (uinfo && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}
