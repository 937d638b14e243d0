// SPDX-License-Identifier: MIT
/*
 * Interval timers: alarm, setitimer, getitimer (setitimer(2)).
 *
 *   ITIMER_REAL     wall time, a kernel timer sends SIGALRM
 *   ITIMER_VIRTUAL  user CPU time, counted down by the tick: SIGVTALRM
 *   ITIMER_PROF     user + system CPU time, by the tick: SIGPROF
 *
 * Resolution is one tick for all three. A timer with an interval reloads
 * itself when it fires. alarm() is ITIMER_REAL in whole seconds; it and
 * setitimer share the one timer. As in Linux the timers belong to the
 * process (signal_struct), not to the thread that set them: any thread
 * sees and changes them, the CPU-time ones count every thread's ticks, and
 * they end with the last thread. They survive execve and are not
 * inherited by fork (the child starts with them off).
 *
 * The values are under the process's itimer_lock (taken with interrupts
 * off: the tick and the timer function run in interrupt context; only
 * timer_lock is taken under it). SIGALRM goes by tgid (kill_tgid()), so
 * the timer needs no reference to a task, and an execve from a thread,
 * which changes the leader, changes nothing here. setitimer cancels the
 * real timer without waiting, under itimer_lock; only the last thread's
 * exit waits for a running timer function (itimers_exit()).
 */
#include <exo/irqflags.h>
#include <exo/jiffies.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time_types.h>

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

struct itimerval {
	struct __kernel_old_timeval it_interval;
	struct __kernel_old_timeval it_value;
};

/*
 * Runs in the tick (CPU 0). The reload is decided under itimer_lock, so it
 * cannot race with setitimer: a timer set meanwhile is pending already, one
 * disarmed has no interval left.
 */
static void it_real_fn(struct timer *tm)
{
	struct signal_struct *sig = container_of(tm, struct signal_struct, it_real_timer);
	unsigned long flags;
	int tgid;

	spin_lock_irqsave(&sig->itimer_lock, flags);
	tgid = sig->it_real_tgid;
	if (sig->it_real_incr_ns && !tm->pending)
		timer_add(tm, tm->expires_ns + sig->it_real_incr_ns);
	spin_unlock_irqrestore(&sig->itimer_lock, flags);
	kill_tgid(tgid, SIGALRM);
}

/* Counts one tick down on a CPU-time timer; true when it ran out (and reloaded). */
static bool itimer_count(u64 *left, u64 incr)
{
	if (!*left)
		return false;
	if (*left > TICK_NSEC) {
		*left -= TICK_NSEC;
		return false;
	}
	*left = incr;
	return true;
}

void itimer_tick(struct task *t, bool user_tick)
{
	struct signal_struct *sig = t->signal;
	bool virt = false, prof;
	unsigned long flags;

	if (!sig || (!READ_ONCE(sig->it_virt_ns) && !READ_ONCE(sig->it_prof_ns)))
		return;
	spin_lock_irqsave(&sig->itimer_lock, flags);
	if (user_tick)
		virt = itimer_count(&sig->it_virt_ns, sig->it_virt_incr_ns);
	prof = itimer_count(&sig->it_prof_ns, sig->it_prof_incr_ns);
	spin_unlock_irqrestore(&sig->itimer_lock, flags);
	if (virt)
		group_send_sig_info(SIGVTALRM, NULL, t);
	if (prof)
		group_send_sig_info(SIGPROF, NULL, t);
}

void itimers_exit(struct signal_struct *sig)
{
	unsigned long flags;

	spin_lock_irqsave(&sig->itimer_lock, flags);
	sig->it_real_incr_ns = 0;
	spin_unlock_irqrestore(&sig->itimer_lock, flags);
	/* Without the lock: this waits for a running it_real_fn, which takes it. */
	timer_del(&sig->it_real_timer);
}

static u64 tv_to_ns(const struct __kernel_old_timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static void ns_to_tv(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

/* Reads one timer; caller holds the process's itimer_lock. */
static void get_itimer_locked(struct signal_struct *sig, int which, struct itimerval *v)
{
	u64 value = 0, incr = 0, now;

	lockdep_assert_held(&sig->itimer_lock);
	switch (which) {
	case ITIMER_REAL:
		now = ktime_get_ns();
		if (sig->it_real_timer.pending)
			value = sig->it_real_timer.expires_ns > now ?
				sig->it_real_timer.expires_ns - now : 1;
		incr = sig->it_real_incr_ns;
		break;
	case ITIMER_VIRTUAL:
		value = sig->it_virt_ns;
		incr = sig->it_virt_incr_ns;
		break;
	default:
		value = sig->it_prof_ns;
		incr = sig->it_prof_incr_ns;
		break;
	}
	ns_to_tv(value, &v->it_value);
	ns_to_tv(incr, &v->it_interval);
}

/* Sets one timer of the current process; *@old gets what it was. */
static void set_itimer(int which, u64 value, u64 incr, struct itimerval *old)
{
	struct task *t = current;
	struct signal_struct *sig = t->signal;
	unsigned long flags;

	spin_lock_irqsave(&sig->itimer_lock, flags);
	get_itimer_locked(sig, which, old);
	switch (which) {
	case ITIMER_REAL:
		/* Not timer_del(): a running it_real_fn waits for this lock. */
		timer_cancel(&sig->it_real_timer);
		sig->it_real_incr_ns = value ? incr : 0;
		if (value) {
			sig->it_real_timer.fn = it_real_fn;
			sig->it_real_tgid = t->tgid;
			timer_add(&sig->it_real_timer, ktime_get_ns() + value);
		}
		break;
	case ITIMER_VIRTUAL:
		sig->it_virt_ns = value;
		sig->it_virt_incr_ns = incr;
		break;
	default:
		sig->it_prof_ns = value;
		sig->it_prof_incr_ns = incr;
		break;
	}
	spin_unlock_irqrestore(&sig->itimer_lock, flags);
}

static bool timeval_valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, uval)
{
	struct task *t = current;
	struct itimerval v;
	unsigned long flags;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	spin_lock_irqsave(&t->signal->itimer_lock, flags);
	get_itimer_locked(t->signal, which, &v);
	spin_unlock_irqrestore(&t->signal->itimer_lock, flags);
	return copy_to_user(uval, &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct itimerval __user *, unew,
		struct itimerval __user *, uold)
{
	struct itimerval nv, ov;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	/* Linux: a NULL new value disarms the timer. */
	memset(&nv, 0, sizeof(nv));
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!timeval_valid(&nv.it_value) || !timeval_valid(&nv.it_interval))
		return -EINVAL;
	set_itimer(which, tv_to_ns(&nv.it_value), tv_to_ns(&nv.it_interval), &ov);
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimerval ov;
	unsigned int left;

	set_itimer(ITIMER_REAL, (u64)seconds * NSEC_PER_SEC, 0, &ov);
	/* Rounded to the nearest second, and never 0 for a pending alarm (as Linux). */
	left = (unsigned int)ov.it_value.tv_sec;
	if (ov.it_value.tv_usec >= 500000)
		left++;
	if (!left && ov.it_value.tv_usec)
		left = 1;
	return left;
}
