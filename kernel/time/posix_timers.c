// SPDX-License-Identifier: MIT
/*
 * POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete (timer_create(2)).
 *
 * A timer belongs to the process (signal_struct) and is named by a small
 * integer id. On the wall clocks (REALTIME, MONOTONIC, BOOTTIME, TAI and
 * the *_ALARM ones) it is a kernel timer on the monotonic clock: an
 * absolute CLOCK_REALTIME deadline is turned into a monotonic one when set,
 * and kept on posix_real_list so that setting the wall clock moves it to
 * the new time line (posix_timers_clock_was_set()), as Linux; relative
 * deadlines do not move. On the CPU-time clocks it is a
 * count of nanoseconds left that the tick charges (posix_cpu_timers_tick()),
 * so those timers have the tick's resolution.
 *
 * Expiry sends sigev_signo with si_code SI_TIMER, si_timerid, si_value, to
 * the process (SIGEV_SIGNAL) or one of its threads (SIGEV_THREAD_ID);
 * SIGEV_NONE sends nothing. While the timer's signal is still queued,
 * later expirations are counted in the queued siginfo's si_overrun instead
 * of queueing again; dequeueing it records the count for
 * timer_getoverrun(). Timers go on execve and with the last thread; fork
 * does not copy them.
 *
 * Locking: the process's siglock guards the timer list and every field a
 * timer function changes. The kernel timer function takes tasklist_lock
 * (to find the process) then siglock, as the signal code does; it never
 * re-adds a pending timer (timer_add() needs it off the list).
 * timer_delete() takes the timer off the list under siglock, then
 * timer_del()s it without any lock, which waits for a running function.
 * posix_real_lock guards posix_real_list; it is taken before tasklist_lock
 * and siglock (posix_real_lock -> tasklist_lock -> siglock -> timer_lock).
 */
#include <exo/cred.h>
#include <exo/jiffies.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>

struct k_itimer {
	struct list_head list;		/* [siglock] in signal_struct.posix_timers */
	struct timer t;			/* wall clocks */
	struct signal_struct *sig;	/* [immutable] */
	int id;				/* [immutable] */
	int clockid;			/* [immutable] */
	int notify;			/* [immutable] SIGEV_* */
	int signo;			/* [immutable] */
	int tgid;			/* [immutable] the owner process */
	int tid;			/* [immutable] SIGEV_THREAD_ID target; THREAD_CPUTIME owner */
	unsigned long value;		/* [immutable] si_value */
	bool armed;			/* [siglock] */
	u64 expires;			/* [siglock] monotonic ns; CPU clocks: ns left */
	u64 interval;			/* [siglock] ns, 0: one-shot */
	int overrun_last;		/* [siglock] si_overrun of the last signal dequeued */
	struct list_head real_node;	/* [posix_real_lock] on posix_real_list, or empty */
	u64 real_expires;		/* [siglock] the absolute realtime deadline, on the list */
};

/* Timers armed with an absolute realtime deadline: setting the clock moves them. */
static LIST_HEAD(posix_real_list);
static DEFINE_SPINLOCK(posix_real_lock);

static void posix_timer_unlist_real(struct k_itimer *k)
{
	unsigned long flags;

	spin_lock_irqsave(&posix_real_lock, flags);
	list_del_init(&k->real_node);
	spin_unlock_irqrestore(&posix_real_lock, flags);
}

static bool clock_is_cpu(int clockid)
{
	return clockid == CLOCK_PROCESS_CPUTIME_ID || clockid == CLOCK_THREAD_CPUTIME_ID;
}

static bool clock_is_real(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_TAI;
}

/* 0 when timers can run on @clockid; -EINVAL, -EOPNOTSUPP or -EPERM as Linux. */
static int posix_timer_clock_check(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return 0;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return capable_root() ? 0 : -EPERM;	/* CAP_WAKE_ALARM */
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* Queues the timer's signal, @missed expirations late. tasklist_lock and siglock held. */
static void posix_timer_notify_locked(struct k_itimer *k, struct task *t, u64 missed)
{
	struct siginfo info;
	bool group = true;

	if (k->notify == SIGEV_NONE)
		return;
	if (k->notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
		t = find_task_by_pid_locked(k->tid);
		if (!t || t->signal != k->sig || t->exit_state)
			return;	/* the thread is gone: nobody to tell */
		group = false;
	}
	memset(&info, 0, sizeof(info));
	info.si_signo = k->signo;
	info.si_code = SI_TIMER;
	info.f.timer.tid = k->id;
	info.f.timer.overrun = missed > (u64)__INT_MAX__ ? __INT_MAX__ : (int)missed;
	info.f.timer.value = k->value;
	send_timer_signal_locked(&info, t, group);
}

static void posix_timer_fn(struct timer *tm)
{
	struct k_itimer *k = tm->data;
	unsigned long flags;
	struct task *t;
	u64 now, missed = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(k->tgid);
	if (!t || t->signal != k->sig || !t->sighand)
		goto out;
	spin_lock(&t->sighand->siglock);
	now = ktime_get_ns();
	/* Disarmed or moved by timer_settime while this function waited for the locks. */
	if (!k->armed || now < k->expires || tm->pending)
		goto out_unlock;
	if (k->interval) {
		missed = (now - k->expires) / k->interval;
		k->expires += (missed + 1) * k->interval;
		k->real_expires += (missed + 1) * k->interval;
		timer_add(tm, k->expires);
	} else {
		k->armed = false;
	}
	posix_timer_notify_locked(k, t, missed);
out_unlock:
	spin_unlock(&t->sighand->siglock);
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

void posix_cpu_timers_tick(struct task *t)
{
	struct signal_struct *sig = t->signal;
	unsigned long flags;
	struct k_itimer *k;

	if (!sig || !READ_ONCE(sig->nr_cpu_timers) || !t->sighand)
		return;
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&t->sighand->siglock);
	list_for_each_entry(k, &sig->posix_timers, list) {
		if (!k->armed || !clock_is_cpu(k->clockid))
			continue;
		if (k->clockid == CLOCK_THREAD_CPUTIME_ID && k->tid != t->pid)
			continue;
		if (k->expires > TICK_NSEC) {
			k->expires -= TICK_NSEC;
			continue;
		}
		if (k->interval)
			k->expires = k->interval;
		else
			k->armed = false;
		posix_timer_notify_locked(k, t, 0);
	}
	spin_unlock(&t->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static struct k_itimer *posix_timer_find_locked(struct signal_struct *sig, int id)
{
	struct k_itimer *k;

	list_for_each_entry(k, &sig->posix_timers, list)
		if (k->id == id)
			return k;
	return NULL;
}

void posix_timer_delivered_locked(struct signal_struct *sig, const struct siginfo *info)
{
	struct k_itimer *k = posix_timer_find_locked(sig, info->f.timer.tid);

	if (k)
		k->overrun_last = info->f.timer.overrun;
}

void posix_timers_exit(struct task *t)
{
	struct signal_struct *sig = t->signal;
	struct k_itimer *k, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	if (!sig || !t->sighand)
		return;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	list_splice_init(&sig->posix_timers, &dead);
	sig->nr_cpu_timers = 0;
	sig->nr_posix_timers = 0;
	list_for_each_entry(k, &dead, list)
		k->armed = false;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	list_for_each_entry_safe(k, tmp, &dead, list) {
		posix_timer_unlist_real(k);
		timer_del(&k->t);
		kfree(k);
	}
}

/* Picks the next free id; caller holds siglock. */
static int posix_timer_alloc_id_locked(struct signal_struct *sig)
{
	for (;;) {
		int id = sig->next_posix_timer_id;

		sig->next_posix_timer_id = id == __INT_MAX__ ? 0 : id + 1;
		if (!posix_timer_find_locked(sig, id))
			return id;
	}
}

/* Takes timer @id off the current process and frees it; -EINVAL when there is none. */
static long posix_timer_delete(int id);

SYSCALL_DEFINE3(timer_create, int, clockid, struct sigevent __user *, uevent,
		int __user *, created_id)
{
	struct task *cur = current;
	struct sigevent ev;
	struct k_itimer *k;
	unsigned long flags;
	int err, id;

	err = posix_timer_clock_check(clockid);
	if (err)
		return err;
	if (uevent) {
		if (copy_from_user(&ev, uevent, sizeof(ev)))
			return -EFAULT;
		switch (ev.sigev_notify) {
		case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		case SIGEV_SIGNAL:
		case SIGEV_THREAD:	/* the kernel sends a signal; the C library does the rest */
			if (ev.sigev_signo <= 0 || ev.sigev_signo > _NSIG)
				return -EINVAL;
			break;
		case SIGEV_NONE:
			break;
		default:
			return -EINVAL;
		}
	}
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->t.fn = posix_timer_fn;
	k->t.data = k;
	INIT_LIST_HEAD(&k->real_node);
	k->sig = cur->signal;
	k->clockid = clockid;
	k->tgid = cur->tgid;
	k->tid = cur->pid;
	if (uevent) {
		k->notify = ev.sigev_notify == SIGEV_THREAD ? SIGEV_SIGNAL : ev.sigev_notify;
		k->signo = ev.sigev_signo;
		k->value = ev.sigev_value;
	} else {
		k->notify = SIGEV_SIGNAL;
		k->signo = SIGALRM;
	}

	spin_lock_irqsave(&tasklist_lock, flags);
	if (k->notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
		struct task *target = find_task_by_pid_locked(ev._sigev_un._tid);

		if (!target || target->signal != cur->signal || target->exit_state) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			kfree(k);
			return -EINVAL;
		}
		k->tid = target->pid;
	}
	spin_lock(&cur->sighand->siglock);
	/*
	 * Linux reserves each timer's signal against RLIMIT_SIGPENDING (per
	 * user there, per process here): EAGAIN past it.
	 */
	if ((u64)cur->signal->nr_posix_timers >= cur->rlim[RLIMIT_SIGPENDING].rlim_cur) {
		spin_unlock(&cur->sighand->siglock);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		kfree(k);
		return -EAGAIN;
	}
	cur->signal->nr_posix_timers++;
	id = posix_timer_alloc_id_locked(cur->signal);
	k->id = id;
	if (!uevent)
		k->value = (unsigned long)id;	/* sigev_value.sival_int = the timer id */
	list_add_tail(&k->list, &cur->signal->posix_timers);
	if (clock_is_cpu(clockid))
		cur->signal->nr_cpu_timers++;
	spin_unlock(&cur->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	if (put_user(id, created_id)) {
		posix_timer_delete(id);
		return -EFAULT;
	}
	return 0;
}

static long posix_timer_delete(int id)
{
	struct task *cur = current;
	struct k_itimer *k;
	unsigned long flags;

	spin_lock_irqsave(&cur->sighand->siglock, flags);
	k = posix_timer_find_locked(cur->signal, id);
	if (k) {
		list_del(&k->list);
		k->armed = false;
		cur->signal->nr_posix_timers--;
		if (clock_is_cpu(k->clockid))
			cur->signal->nr_cpu_timers--;
	}
	spin_unlock_irqrestore(&cur->sighand->siglock, flags);
	if (!k)
		return -EINVAL;
	posix_timer_unlist_real(k);
	timer_del(&k->t);
	kfree(k);
	return 0;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	return posix_timer_delete(id);
}

static bool timespec_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long long)NSEC_PER_SEC;
}

static u64 timespec_to_ns_sat(const struct __kernel_timespec *ts)
{
	if ((u64)ts->tv_sec >= (~0ULL / 4) / NSEC_PER_SEC)
		return ~0ULL / 4;
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

static struct __kernel_timespec ns_to_timespec(u64 ns)
{
	return (struct __kernel_timespec){ (long long)(ns / NSEC_PER_SEC),
					   (long long)(ns % NSEC_PER_SEC) };
}

/* What timer_gettime reports. Caller holds siglock. */
static void posix_timer_get_locked(struct k_itimer *k, struct __kernel_itimerspec *cur)
{
	u64 left = 0;

	cur->it_interval = ns_to_timespec(k->interval);
	if (k->armed && clock_is_cpu(k->clockid)) {
		left = k->expires;
	} else if (k->armed) {
		u64 now = ktime_get_ns();

		/* Due but its function not run yet: 1 ns, as Linux reports an expired signal timer. */
		left = k->expires > now ? k->expires - now : 1;
	}
	cur->it_value = ns_to_timespec(left);
}

/* The calling thread's CPU time, the base of an absolute CPU-clock deadline. */
static u64 posix_cpu_clock_now(void)
{
	return current->utime_ns + current->stime_ns;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, const struct __kernel_itimerspec __user *, unew,
		struct __kernel_itimerspec __user *, uold)
{
	struct __kernel_itimerspec nv, ov;
	struct task *cur = current;
	unsigned long irqflags;
	struct k_itimer *k;
	u64 value, mono, real, cpu;

	if (!unew)
		return -EINVAL;
	if (copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval))
		return -EINVAL;
	value = timespec_to_ns_sat(&nv.it_value);
	cpu = posix_cpu_clock_now();

	spin_lock_irqsave(&posix_real_lock, irqflags);
	spin_lock(&cur->sighand->siglock);
	k = posix_timer_find_locked(cur->signal, id);
	if (!k) {
		spin_unlock(&cur->sighand->siglock);
		spin_unlock_irqrestore(&posix_real_lock, irqflags);
		return -EINVAL;
	}
	list_del_init(&k->real_node);
	posix_timer_get_locked(k, &ov);
	/* Not timer_del(): a running posix_timer_fn waits for siglock; it sees the new state. */
	timer_cancel(&k->t);
	k->interval = timespec_to_ns_sat(&nv.it_interval);	/* kept while disarmed, as Linux */
	k->armed = value != 0;
	mono = ktime_get_ns();
	real = ktime_get_real_ns();
	if (k->armed && clock_is_cpu(k->clockid)) {
		if (flags & TIMER_ABSTIME)
			value = value > cpu ? value - cpu : 1;
		k->expires = value;
	} else if (k->armed) {
		if (!(flags & TIMER_ABSTIME))
			k->expires = mono + value;
		else if (clock_is_real(k->clockid))
			k->expires = value > real ? mono + (value - real) : mono;
		else
			k->expires = value;
		if ((flags & TIMER_ABSTIME) && clock_is_real(k->clockid)) {
			k->real_expires = value;
			list_add_tail(&k->real_node, &posix_real_list);
		}
		timer_add(&k->t, k->expires);
	}
	spin_unlock(&cur->sighand->siglock);
	spin_unlock_irqrestore(&posix_real_lock, irqflags);
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, int, id, struct __kernel_itimerspec __user *, ucur)
{
	struct __kernel_itimerspec cur;
	struct task *t = current;
	unsigned long flags;
	struct k_itimer *k;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	k = posix_timer_find_locked(t->signal, id);
	if (k)
		posix_timer_get_locked(k, &cur);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	if (!k)
		return -EINVAL;
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct task *t = current;
	unsigned long flags;
	struct k_itimer *k;
	int overrun = 0;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	k = posix_timer_find_locked(t->signal, id);
	if (k)
		overrun = k->overrun_last;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return k ? overrun : -EINVAL;
}

void posix_timers_clock_was_set(void)
{
	struct k_itimer *k;
	unsigned long flags;

	spin_lock_irqsave(&posix_real_lock, flags);
	spin_lock(&tasklist_lock);
	list_for_each_entry(k, &posix_real_list, real_node) {
		struct task *t = find_task_by_pid_locked(k->tgid);
		u64 now, real;

		if (!t || t->signal != k->sig || !t->sighand)
			continue;
		spin_lock(&t->sighand->siglock);
		if (k->armed) {
			now = ktime_get_ns();
			real = ktime_get_real_ns();
			k->expires = k->real_expires > real ? now + (k->real_expires - real) : now;
			timer_cancel(&k->t);
			timer_add(&k->t, k->expires);
		}
		spin_unlock(&t->sighand->siglock);
	}
	spin_unlock(&tasklist_lock);
	spin_unlock_irqrestore(&posix_real_lock, flags);
}
