// SPDX-License-Identifier: MIT
/*
 * eventfd, eventfd2: a 64-bit counter behind a file. A write of 8 bytes
 * adds to it (waiting while the sum would reach 2^64 - 1, the one value
 * the counter never holds); a read of at least 8 bytes returns it and
 * resets it to 0, or with EFD_SEMAPHORE returns 1 and takes 1, waiting
 * while it is 0. poll: POLLIN while it is above 0, POLLOUT while 1 more
 * fits, POLLERR if it ever held 2^64 - 1 (only an overflow in the kernel
 * could do that; never here).
 *
 * Locking: ctx->wqh.lock (irqsave) guards the counter, so a reader and a
 * writer see each other's change and its wake-up in one step; it is a
 * leaf but for the woken entries' locks (epoll's ep->lock, rq->lock).
 */
#include <exo/anon_inodes.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/poll.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/eventfd.h>
#include <uapi/fcntl.h>

#define EFD_SHARED_FCNTL_FLAGS	(O_CLOEXEC | O_NONBLOCK)
#define EFD_FLAGS_SET		(EFD_SHARED_FCNTL_FLAGS | EFD_SEMAPHORE)
#define EFD_MAX			(~0ULL)

struct eventfd_ctx {
	struct wait_queue_head wqh;	/* readers, writers and pollers */
	u64 count;			/* [wqh.lock] */
	unsigned int flags;		/* [immutable] EFD_SEMAPHORE */
	int id;				/* [immutable] eventfd-id in fdinfo */
};

/* Linux numbers eventfds with an IDA; a counter gives the same unique ids while few wrap. */
static int eventfd_next_id;		/* [atomic] masked to stay non-negative */

static void eventfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct eventfd_ctx *ctx = file->private_data;
	unsigned long flags;
	u64 count;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	count = ctx->count;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	seq_printf(m, "eventfd-count: %16llx\neventfd-id: %d\n", (unsigned long long)count, ctx->id);
}

static int eventfd_release(struct inode *inode, struct file *file)
{
	(void)inode;
	kfree(file->private_data);
	return 0;
}

static __poll_t eventfd_poll(struct file *file, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = file->private_data;
	__poll_t events = 0;
	u64 count;

	poll_wait(file, &ctx->wqh, pt);
	count = READ_ONCE(ctx->count);
	if (count > 0)
		events |= POLLIN | POLLRDNORM;
	if (count == EFD_MAX)
		events |= POLLERR;
	if (EFD_MAX - 1 > count)
		events |= POLLOUT | POLLWRNORM;
	return events;
}

/*
 * Takes what a read returns from the counter if it can (@ucnt) and wakes
 * the writers; false when the counter is 0.
 */
static bool eventfd_try_read(struct eventfd_ctx *ctx, u64 *ucnt)
{
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (ctx->count) {
		*ucnt = (ctx->flags & EFD_SEMAPHORE) ? 1 : ctx->count;
		ctx->count -= *ucnt;
		__wake_up_locked(&ctx->wqh, poll_to_key(POLLOUT | POLLWRNORM));
		done = true;
	}
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return done;
}

static ssize_t eventfd_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 ucnt;

	(void)pos;
	if (to->count < sizeof(ucnt))
		return -EINVAL;
	while (!eventfd_try_read(ctx, &ucnt)) {
		int ret;

		if (READ_ONCE(file->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		ret = (int)wait_event_interruptible(ctx->wqh, READ_ONCE(ctx->count) != 0);
		if (ret)
			return ret;
	}
	if (copy_to_iter(&ucnt, sizeof(ucnt), to) != sizeof(ucnt))
		return -EFAULT;
	return sizeof(ucnt);
}

static bool eventfd_try_write(struct eventfd_ctx *ctx, u64 ucnt)
{
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (EFD_MAX - ctx->count > ucnt) {
		ctx->count += ucnt;
		__wake_up_locked(&ctx->wqh, poll_to_key(POLLIN | POLLRDNORM));
		done = true;
	}
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return done;
}

static ssize_t eventfd_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 ucnt;

	(void)pos;
	if (from->count < sizeof(ucnt))
		return -EINVAL;
	if (copy_from_iter(&ucnt, sizeof(ucnt), from) != sizeof(ucnt))
		return -EFAULT;
	if (ucnt == EFD_MAX)
		return -EINVAL;
	while (!eventfd_try_write(ctx, ucnt)) {
		int ret;

		if (READ_ONCE(file->f_flags) & O_NONBLOCK)
			return -EAGAIN;
		ret = (int)wait_event_interruptible(ctx->wqh,
						    EFD_MAX - READ_ONCE(ctx->count) > ucnt);
		if (ret)
			return ret;
	}
	return sizeof(ucnt);
}

static const struct file_operations eventfd_fops = {
	.llseek = noop_llseek,
	.release = eventfd_release,
	.read_iter = eventfd_read,
	.write_iter = eventfd_write,
	.poll = eventfd_poll,
	.show_fdinfo = eventfd_show_fdinfo,
};

static int do_eventfd(unsigned int count, int flags)
{
	struct eventfd_ctx *ctx;
	int fd;

	if (flags & ~EFD_FLAGS_SET)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_waitqueue_head(&ctx->wqh);
	ctx->count = count;
	ctx->flags = (unsigned int)flags & EFD_SEMAPHORE;
	ctx->id = __atomic_fetch_add(&eventfd_next_id, 1, __ATOMIC_RELAXED) & 0x7fffffff;
	fd = anon_inode_getfd("eventfd", &eventfd_fops, ctx,
			      O_RDWR | ((unsigned int)flags & EFD_SHARED_FCNTL_FLAGS));
	if (fd < 0)
		kfree(ctx);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	return do_eventfd(count, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_eventfd(count, 0);
}
