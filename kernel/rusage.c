// SPDX-License-Identifier: MIT
/*
 * Resource usage: getrusage (CPU times, maximum RSS, faults, context
 * switches) and times (clock ticks of the process and its reaped children).
 */
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/time_types.h>

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

void task_sample_rss(struct task *t)
{
	unsigned long kb;

	if (!t->mm)
		return;
	kb = mm_rss_pages(t->mm) << (PAGE_SHIFT - 10);
	if (kb > t->maxrss_kb)
		t->maxrss_kb = kb;
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct task *me = current;
	struct rusage r;

	memset(&r, 0, sizeof(r));
	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		task_sample_rss(me);
		ns_to_timeval(me->utime_ns, &r.ru_utime);
		ns_to_timeval(me->stime_ns, &r.ru_stime);
		r.ru_maxrss = (long)me->maxrss_kb;
		break;
	case RUSAGE_CHILDREN:
		ns_to_timeval(me->cutime_ns, &r.ru_utime);
		ns_to_timeval(me->cstime_ns, &r.ru_stime);
		r.ru_maxrss = (long)me->cmaxrss_kb;
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(ru, &r, sizeof(r));
}

static long ns_to_clock_t(u64 ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

SYSCALL_DEFINE1(times, struct tms __user *, buf)
{
	struct task *me = current;

	if (buf) {
		struct tms t = {
			.tms_utime = ns_to_clock_t(me->utime_ns),
			.tms_stime = ns_to_clock_t(me->stime_ns),
			.tms_cutime = ns_to_clock_t(me->cutime_ns),
			.tms_cstime = ns_to_clock_t(me->cstime_ns),
		};

		if (copy_to_user(buf, &t, sizeof(t)))
			return -EFAULT;
	}
	return ns_to_clock_t(ktime_get_ns());
}
