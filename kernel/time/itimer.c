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
 * setitimer share the one timer. Timers survive execve and are not
 * inherited by fork (the child starts with them off).
 *
 * The task's fields change only with interrupts off on its own CPU (the
 * owner in a syscall, the tick, the timer function), so no lock is needed
 * beyond timer_lock inside timer_add/timer_del.
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

static void it_real_fn(struct timer *tm)
{
	struct task *t = tm->data;

	group_send_sig_info(SIGALRM, NULL, t);
	if (t->it_real_incr_ns)
		timer_add(tm, tm->expires_ns + t->it_real_incr_ns);
}

/* Counts one tick down on a CPU-time timer; sends @sig when it runs out. */
static void itimer_count(struct task *t, u64 *left, u64 incr, int sig)
{
	if (!*left)
		return;
	if (*left > TICK_NSEC) {
		*left -= TICK_NSEC;
		return;
	}
	*left = incr;
	group_send_sig_info(sig, NULL, t);
}

void itimer_tick(struct task *t, bool user_tick)
{
	if (user_tick)
		itimer_count(t, &t->it_virt_ns, t->it_virt_incr_ns, SIGVTALRM);
	itimer_count(t, &t->it_prof_ns, t->it_prof_incr_ns, SIGPROF);
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

static void get_itimer(struct task *t, int which, struct itimerval *v)
{
	u64 value = 0, incr = 0, now;

	switch (which) {
	case ITIMER_REAL:
		now = ktime_get_ns();
		if (t->it_real_timer.pending)
			value = t->it_real_timer.expires_ns > now ? t->it_real_timer.expires_ns - now : 1;
		incr = t->it_real_incr_ns;
		break;
	case ITIMER_VIRTUAL:
		value = t->it_virt_ns;
		incr = t->it_virt_incr_ns;
		break;
	default:
		value = t->it_prof_ns;
		incr = t->it_prof_incr_ns;
		break;
	}
	ns_to_tv(value, &v->it_value);
	ns_to_tv(incr, &v->it_interval);
}

static void set_itimer(struct task *t, int which, u64 value, u64 incr)
{
	unsigned long flags;

	local_irq_save(flags);
	switch (which) {
	case ITIMER_REAL:
		timer_del(&t->it_real_timer);
		t->it_real_incr_ns = incr;
		if (value) {
			t->it_real_timer.fn = it_real_fn;
			t->it_real_timer.data = t;
			timer_add(&t->it_real_timer, ktime_get_ns() + value);
		}
		break;
	case ITIMER_VIRTUAL:
		t->it_virt_ns = value;
		t->it_virt_incr_ns = incr;
		break;
	default:
		t->it_prof_ns = value;
		t->it_prof_incr_ns = incr;
		break;
	}
	local_irq_restore(flags);
}

static bool timeval_valid(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

SYSCALL_DEFINE2(getitimer, int, which, struct itimerval __user *, uval)
{
	struct itimerval v;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	get_itimer(current, which, &v);
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
	get_itimer(current, which, &ov);
	set_itimer(current, which, tv_to_ns(&nv.it_value), tv_to_ns(&nv.it_interval));
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	struct itimerval ov;
	unsigned int left;

	get_itimer(current, ITIMER_REAL, &ov);
	set_itimer(current, ITIMER_REAL, (u64)seconds * NSEC_PER_SEC, 0);
	/* Rounded to the nearest second, and never 0 for a pending alarm (as Linux). */
	left = (unsigned int)ov.it_value.tv_sec;
	if (ov.it_value.tv_usec >= 500000)
		left++;
	if (!left && ov.it_value.tv_usec)
		left = 1;
	return left;
}
