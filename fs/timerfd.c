// SPDX-License-Identifier: MIT
/*
 * timerfd_create, timerfd_settime, timerfd_gettime: a timer whose
 * expirations are read from a file as a u64 count (Linux's timerfd).
 *
 * The timer is a kernel timer (<exo/timer.h>) on the monotonic clock; it
 * fires in the timer interrupt, counts the expirations (for a periodic
 * timer, every period that has passed, so a late tick still counts them
 * all, as Linux's overrun) and re-arms itself. CLOCK_REALTIME deadlines
 * are turned into monotonic ones when set; CLOCK_BOOTTIME is the monotonic
 * clock (no suspend here). An absolute deadline on a realtime clock is
 * kept on timerfd_real_list too: when the wall clock is set
 * (timerfd_clock_was_set()), it is moved to the new time line, or, with
 * TFD_TIMER_CANCEL_ON_SET, the next read fails with ECANCELED (and poll
 * reports it readable) once, as Linux. The *_ALARM clocks need
 * CAP_WAKE_ALARM and behave as their plain clocks.
 *
 * Locking: ctx->mtx serializes settime (which must call timer_del()
 * without a lock the timer function takes); ctx->wqh.lock (irqsave) guards
 * the state the timer function changes: ticks, expires, armed.
 * ctx->mtx -> timerfd_real_lock -> ctx->wqh.lock -> timer_lock.
 */
#include <exo/anon_inodes.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mutex.h>
#include <exo/poll.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/timerfd.h>

#define TFD_SHARED_FCNTL_FLAGS	(TFD_CLOEXEC | TFD_NONBLOCK)
#define TFD_CREATE_FLAGS	TFD_SHARED_FCNTL_FLAGS
#define TFD_SETTIME_FLAGS	(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)

struct timerfd_ctx {
	struct mutex mtx;		/* settime */
	struct wait_queue_head wqh;	/* readers and pollers */
	struct timer t;
	int clockid;			/* [immutable] */
	bool armed;			/* [wqh.lock] */
	u64 expires;			/* [wqh.lock] next expiry, monotonic ns */
	u64 interval;			/* [wqh.lock] ns, 0: one-shot */
	u64 ticks;			/* [wqh.lock] expirations not read yet */
	int settime_flags;		/* [mtx] the last settime's TFD_TIMER_* flags, for fdinfo */
	struct list_head real_node;	/* [timerfd_real_lock] on timerfd_real_list, or empty */
	u64 real_expires;		/* [wqh.lock] the absolute realtime deadline, on the list */
	bool cancel_on_set;		/* [wqh.lock] TFD_TIMER_CANCEL_ON_SET, on the list */
	bool canceled;			/* [wqh.lock] the clock was set: the next read is ECANCELED */
};

/* Armed timerfds with an absolute realtime deadline: setting the clock concerns them. */
static LIST_HEAD(timerfd_real_list);
static DEFINE_SPINLOCK(timerfd_real_lock);

static const struct file_operations timerfd_fops;

static void timerfd_tmrproc(struct timer *t)
{
	struct timerfd_ctx *ctx = t->data;
	unsigned long flags;
	u64 now = ktime_get_ns();

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (ctx->armed) {
		if (ctx->interval) {
			u64 missed = (now - ctx->expires) / ctx->interval + 1;

			ctx->ticks += missed;
			ctx->expires += missed * ctx->interval;
			ctx->real_expires += missed * ctx->interval;
			timer_add(&ctx->t, ctx->expires);
		} else {
			ctx->ticks++;
			ctx->armed = false;
		}
		__wake_up_locked(&ctx->wqh, poll_to_key(POLLIN | POLLRDNORM));
	}
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
}

static int timerfd_release(struct inode *inode, struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;
	unsigned long flags;

	(void)inode;
	if (ctx) {
		spin_lock_irqsave(&timerfd_real_lock, flags);
		list_del_init(&ctx->real_node);
		spin_unlock_irqrestore(&timerfd_real_lock, flags);
		timer_del(&ctx->t);
		kfree(ctx);
	}
	return 0;
}

static __poll_t timerfd_poll(struct file *file, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = file->private_data;

	poll_wait(file, &ctx->wqh, pt);
	return READ_ONCE(ctx->ticks) || READ_ONCE(ctx->canceled) ? POLLIN | POLLRDNORM : 0;
}

/* Takes the expirations; -ECANCELED once after the clock was set under TFD_TIMER_CANCEL_ON_SET. */
static int timerfd_take_ticks(struct timerfd_ctx *ctx, u64 *ticks)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (ctx->canceled) {
		ctx->canceled = false;
		ctx->ticks = 0;
		ret = -ECANCELED;
	}
	*ticks = ctx->ticks;
	ctx->ticks = 0;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return ret ? ret : *ticks != 0;
}

static ssize_t timerfd_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct timerfd_ctx *ctx = file->private_data;
	u64 ticks;

	(void)pos;
	if (to->count < sizeof(ticks))
		return -EINVAL;
	for (;;) {
		int ret = timerfd_take_ticks(ctx, &ticks);

		if (ret < 0)
			return ret;
		if (ret)
			break;
		if (READ_ONCE(file->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		ret = (int)wait_event_interruptible(ctx->wqh, READ_ONCE(ctx->ticks) != 0 ||
						    READ_ONCE(ctx->canceled));
		if (ret)
			return ret;
	}
	if (copy_to_iter(&ticks, sizeof(ticks), to) != sizeof(ticks))
		return -EFAULT;
	return sizeof(ticks);
}

static void timerfd_get_locked(struct timerfd_ctx *ctx, struct __kernel_itimerspec *cur);

static void timerfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;
	struct __kernel_itimerspec cur;
	unsigned long flags;
	u64 ticks;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	timerfd_get_locked(ctx, &cur);
	ticks = ctx->ticks;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	seq_printf(m, "clockid: %d\nticks: %llu\nsettime flags: 0%o\n"
		   "it_value: (%llu, %llu)\nit_interval: (%llu, %llu)\n",
		   ctx->clockid, (unsigned long long)ticks, READ_ONCE(ctx->settime_flags),
		   (unsigned long long)cur.it_value.tv_sec, (unsigned long long)cur.it_value.tv_nsec,
		   (unsigned long long)cur.it_interval.tv_sec,
		   (unsigned long long)cur.it_interval.tv_nsec);
}

static const struct file_operations timerfd_fops = {
	.llseek = noop_llseek,
	.release = timerfd_release,
	.read_iter = timerfd_read,
	.poll = timerfd_poll,
	.show_fdinfo = timerfd_show_fdinfo,
};

static bool timerfd_clock_ok(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_MONOTONIC ||
	       clockid == CLOCK_BOOTTIME || clockid == CLOCK_REALTIME_ALARM ||
	       clockid == CLOCK_BOOTTIME_ALARM;
}

static bool timerfd_clock_is_real(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd_ctx *ctx;
	int fd;

	if ((flags & ~TFD_CREATE_FLAGS) || !timerfd_clock_ok(clockid))
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM) && !capable_root())
		return -EPERM;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->mtx);
	init_waitqueue_head(&ctx->wqh);
	ctx->clockid = clockid;
	ctx->t.fn = timerfd_tmrproc;
	ctx->t.data = ctx;
	INIT_LIST_HEAD(&ctx->real_node);
	fd = anon_inode_getfd("timerfd", &timerfd_fops, ctx,
			      O_RDWR | ((unsigned int)flags & TFD_SHARED_FCNTL_FLAGS));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

static bool timespec_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < (long long)NSEC_PER_SEC;
}

static u64 timespec_to_ns_sat(const struct __kernel_timespec *ts)
{
	if ((u64)ts->tv_sec >= (~0ULL / 2) / NSEC_PER_SEC)
		return ~0ULL / 2;
	return (u64)ts->tv_sec * NSEC_PER_SEC + (u64)ts->tv_nsec;
}

static struct __kernel_timespec ns_to_timespec(u64 ns)
{
	return (struct __kernel_timespec){ (long long)(ns / NSEC_PER_SEC),
					   (long long)(ns % NSEC_PER_SEC) };
}

/* The file's timer, referenced in @f; -EBADF or -EINVAL (not a timerfd). */
static int timerfd_fget(int fd, struct fd *f)
{
	*f = fdget((unsigned int)fd);
	if (!f->file)
		return -EBADF;
	if (f->file->f_op != &timerfd_fops) {
		fdput(*f);
		return -EINVAL;
	}
	return 0;
}

/* What timerfd_gettime reports. Caller holds ctx->wqh.lock. */
static void timerfd_get_locked(struct timerfd_ctx *ctx, struct __kernel_itimerspec *cur)
{
	u64 now = ktime_get_ns();

	cur->it_interval = ns_to_timespec(ctx->interval);
	cur->it_value = ns_to_timespec(ctx->armed && ctx->expires > now ? ctx->expires - now :
				       ctx->armed ? 1 : 0);
}

SYSCALL_DEFINE4(timerfd_settime, int, ufd, int, flags,
		const struct __kernel_itimerspec __user *, utmr,
		struct __kernel_itimerspec __user *, otmr)
{
	struct __kernel_itimerspec new, old;
	struct timerfd_ctx *ctx;
	unsigned long irqflags;
	u64 value, expires = 0, real_expires = 0;
	bool on_real_list;
	struct fd f;
	int ret;

	if (copy_from_user(&new, utmr, sizeof(new)))
		return -EFAULT;
	if ((flags & ~TFD_SETTIME_FLAGS) || !timespec_valid(&new.it_value) ||
	    !timespec_valid(&new.it_interval))
		return -EINVAL;
	ret = timerfd_fget(ufd, &f);
	if (ret)
		return ret;
	ctx = f.file->private_data;
	value = timespec_to_ns_sat(&new.it_value);
	if (value) {
		u64 now = ktime_get_ns();

		if (!(flags & TFD_TIMER_ABSTIME)) {
			expires = now + value;
		} else if (timerfd_clock_is_real(ctx->clockid)) {
			u64 real = ktime_get_real_ns();

			expires = value > real ? now + (value - real) : now;
			real_expires = value;
		} else {
			expires = value;
		}
	}

	on_real_list = (flags & TFD_TIMER_ABSTIME) && timerfd_clock_is_real(ctx->clockid);
	mutex_lock(&ctx->mtx);
	timer_del(&ctx->t);
	spin_lock_irqsave(&timerfd_real_lock, irqflags);
	list_del_init(&ctx->real_node);
	if (on_real_list)
		list_add_tail(&ctx->real_node, &timerfd_real_list);
	spin_lock(&ctx->wqh.lock);
	timerfd_get_locked(ctx, &old);
	ctx->ticks = 0;
	ctx->canceled = false;
	ctx->real_expires = real_expires;
	ctx->cancel_on_set = on_real_list && (flags & TFD_TIMER_CANCEL_ON_SET);
	WRITE_ONCE(ctx->settime_flags, flags);
	ctx->interval = timespec_to_ns_sat(&new.it_interval);	/* kept when disarmed, as Linux */
	ctx->armed = value != 0;
	ctx->expires = expires;
	if (ctx->armed)
		timer_add(&ctx->t, expires);
	spin_unlock(&ctx->wqh.lock);
	spin_unlock_irqrestore(&timerfd_real_lock, irqflags);
	mutex_unlock(&ctx->mtx);
	fdput(f);
	if (otmr && copy_to_user(otmr, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, ufd, struct __kernel_itimerspec __user *, otmr)
{
	struct __kernel_itimerspec cur;
	struct timerfd_ctx *ctx;
	unsigned long flags;
	struct fd f;
	int ret;

	ret = timerfd_fget(ufd, &f);
	if (ret)
		return ret;
	ctx = f.file->private_data;
	spin_lock_irqsave(&ctx->wqh.lock, flags);
	timerfd_get_locked(ctx, &cur);
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	fdput(f);
	return copy_to_user(otmr, &cur, sizeof(cur)) ? -EFAULT : 0;
}

void timerfd_clock_was_set(void)
{
	struct timerfd_ctx *ctx;
	unsigned long flags;

	spin_lock_irqsave(&timerfd_real_lock, flags);
	list_for_each_entry(ctx, &timerfd_real_list, real_node) {
		u64 now, real;

		spin_lock(&ctx->wqh.lock);
		if (ctx->cancel_on_set) {
			ctx->canceled = true;
			__wake_up_locked(&ctx->wqh, poll_to_key(POLLIN | POLLRDNORM));
		}
		if (ctx->armed) {
			/* The deadline stays where it was on the wall clock's new time line. */
			now = ktime_get_ns();
			real = ktime_get_real_ns();
			ctx->expires = ctx->real_expires > real ? now + (ctx->real_expires - real) : now;
			timer_cancel(&ctx->t);
			timer_add(&ctx->t, ctx->expires);
		}
		spin_unlock(&ctx->wqh.lock);
	}
	spin_unlock_irqrestore(&timerfd_real_lock, flags);
}
