// SPDX-License-Identifier: MIT
/*
 * Clock system calls: clock_gettime, clock_getres, clock_settime,
 * gettimeofday, settimeofday, time, nanosleep, clock_nanosleep. The
 * monotonic family reads the TSC clock; the realtime family adds the
 * wall-clock offset taken from the RTC at boot and moved by clock_settime
 * and settimeofday (which also republish it to the vDSO). CPU-time clocks
 * report the time accounted to the task at each tick.
 *
 * Setting the clock moves neither armed timers nor sleeps: their deadlines
 * were turned into monotonic ones when set (Linux moves absolute
 * CLOCK_REALTIME ones).
 */
#include <exo/cred.h>
#include <exo/jiffies.h>
#include <exo/spinlock.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time_types.h>

#define TICK_NS (NSEC_PER_SEC / HZ)

static long clock_read_ns(int clock, u64 *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = ktime_get_real_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = ktime_get_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = current->utime_ns + current->stime_ns;
		return 0;
	default:
		return -EINVAL;
	}
}

static long put_timespec(u64 ns, struct __kernel_timespec __user *ts)
{
	struct __kernel_timespec k = { (long long)(ns / NSEC_PER_SEC), (long long)(ns % NSEC_PER_SEC) };

	return copy_to_user(ts, &k, sizeof(k));
}

int get_timespec_ns(const struct __kernel_timespec __user *uts, u64 *ns)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec > (~0ULL - NSEC_PER_SEC) / NSEC_PER_SEC)
		*ns = ~0ULL;
	else
		*ns = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

SYSCALL_DEFINE2(clock_gettime, int, clock, struct __kernel_timespec __user *, tp)
{
	u64 ns;
	long err = clock_read_ns(clock, &ns);

	return err ? err : put_timespec(ns, tp);
}

SYSCALL_DEFINE2(clock_getres, int, clock, struct __kernel_timespec __user *, tp)
{
	u64 ns;
	long err = clock_read_ns(clock, &ns);

	if (err)
		return err;
	if (!tp)
		return 0;
	/* The coarse clocks advance by ticks; the others read the TSC. */
	if (clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE)
		return put_timespec(TICK_NS, tp);
	return put_timespec(1, tp);
}

/* The time zone settimeofday() records and gettimeofday() reports; the kernel uses neither. */
static struct timezone sys_tz;		/* [tz_lock] */
static DEFINE_SPINLOCK(tz_lock);

/* Linux's limit: the wall clock may not be set within 30 years of where ktime overflows. */
#define TIME_SETTOD_SEC_MAX (9223372036LL - 30LL * 31536000LL)

/*
 * Sets the wall clock and/or the time zone (Linux's do_sys_settimeofday64):
 * -EINVAL for a bad time, then -EPERM without CAP_SYS_TIME, then -EINVAL
 * for a zone beyond +-15 hours.
 */
static long do_settimeofday(const struct __kernel_timespec *ts, const struct timezone *tz)
{
	unsigned long flags;

	if (ts && (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long long)NSEC_PER_SEC ||
		   ts->tv_sec > TIME_SETTOD_SEC_MAX))
		return -EINVAL;
	if (!capable_root())
		return -EPERM;
	if (tz) {
		if (tz->tz_minuteswest > 15 * 60 || tz->tz_minuteswest < -15 * 60)
			return -EINVAL;
		spin_lock_irqsave(&tz_lock, flags);
		sys_tz = *tz;
		spin_unlock_irqrestore(&tz_lock, flags);
	}
	if (ts) {
		timekeeping_set_real_ns((u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec);
		timerfd_clock_was_set();
		posix_timers_clock_was_set();
	}
	return 0;
}

SYSCALL_DEFINE2(clock_settime, int, clock, const struct __kernel_timespec __user *, tp)
{
	struct __kernel_timespec ts;

	/* Only the wall clock can be set: the others, CPU clocks too, are EINVAL on Linux 6.x. */
	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	return do_settimeofday(&ts, NULL);
}

SYSCALL_DEFINE2(settimeofday, const struct __kernel_old_timeval __user *, utv,
		const struct timezone __user *, utz)
{
	struct __kernel_old_timeval tv;
	struct __kernel_timespec ts;
	struct timezone tz;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec > 1000000 || tv.tv_usec < 0)
			return -EINVAL;
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * (long long)NSEC_PER_USEC;
	}
	if (utz && copy_from_user(&tz, utz, sizeof(tz)))
		return -EFAULT;
	return do_settimeofday(utv ? &ts : NULL, utz ? &tz : NULL);
}

SYSCALL_DEFINE2(gettimeofday, struct __kernel_old_timeval __user *, tv, struct timezone __user *, tz)
{
	if (tv) {
		u64 ns = ktime_get_real_ns();
		struct __kernel_old_timeval k = { (long)(ns / NSEC_PER_SEC),
						  (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };

		if (copy_to_user(tv, &k, sizeof(k)))
			return -EFAULT;
	}
	if (tz) {
		struct timezone z;
		unsigned long flags;

		spin_lock_irqsave(&tz_lock, flags);
		z = sys_tz;
		spin_unlock_irqrestore(&tz_lock, flags);
		if (copy_to_user(tz, &z, sizeof(z)))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(time, long __user *, tloc)
{
	long now = (long)(ktime_get_real_ns() / NSEC_PER_SEC);

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/*
 * The end of an interrupted relative sleep. The time left goes to @rem;
 * with no handler to run, the sleep resumes through restart_syscall for
 * what is left (-ERESTART_RESTARTBLOCK), after a handler it fails with
 * EINTR (signal(7): nanosleep is never restarted by SA_RESTART).
 */
static long nanosleep_interrupted(u64 left, struct __kernel_timespec __user *rem);

static long nanosleep_restart(struct restart_block *rb)
{
	u64 now = ktime_get_ns();
	long left;

	if (now >= rb->deadline_ns)
		return 0;
	left = schedule_timeout_ns(rb->deadline_ns - now, true);
	return left > 0 ? nanosleep_interrupted((u64)left, rb->rem) : 0;
}

static long nanosleep_interrupted(u64 left, struct __kernel_timespec __user *rem)
{
	struct restart_block *rb = &current->restart_block;

	if (rem && put_timespec(left, rem))
		return -EFAULT;
	rb->fn = nanosleep_restart;
	rb->deadline_ns = ktime_get_ns() + left;
	rb->rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

/*
 * Sleeps @ns (or until @ns on @clock's time line when @absolute). An
 * absolute sleep interrupted by a signal is simply restarted with the same
 * arguments when no handler runs (-ERESTARTNOHAND), as Linux does.
 */
static long do_nanosleep(int clock, u64 ns, bool absolute, struct __kernel_timespec __user *rem)
{
	u64 now = 0;
	long left;

	clock_read_ns(clock, &now);
	if (absolute)
		ns = ns > now ? ns - now : 0;
	left = schedule_timeout_ns(ns, true);
	if (left <= 0)
		return 0;
	if (absolute)
		return -ERESTARTNOHAND;
	return nanosleep_interrupted((u64)left, rem);
}

SYSCALL_DEFINE2(nanosleep, const struct __kernel_timespec __user *, req,
		struct __kernel_timespec __user *, rem)
{
	u64 ns;
	long err = get_timespec_ns(req, &ns);

	return err ? err : do_nanosleep(CLOCK_MONOTONIC, ns, false, rem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, const struct __kernel_timespec __user *, req,
		struct __kernel_timespec __user *, rem)
{
	u64 ns;
	long err;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL;
	default:
		return clock < 0 || clock > CLOCK_TAI ? -EINVAL : -EOPNOTSUPP;
	}
	err = get_timespec_ns(req, &ns);
	return err ? err : do_nanosleep(clock, ns, flags & TIMER_ABSTIME, rem);
}
