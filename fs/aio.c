// SPDX-License-Identifier: MIT
/*
 * Linux native AIO: io_setup, io_destroy, io_submit, io_getevents,
 * io_pgetevents, io_cancel.
 *
 * A context is a ring of struct io_event mapped in the caller's address
 * space (its address is the aio_context_t, as on Linux, so libaio can reap
 * events from user space: it reads io_events[head..tail) and moves head).
 * Requests complete synchronously inside io_submit: the read, write or
 * fsync runs there and its io_event goes on the ring, so io_cancel never
 * finds one in flight (EINVAL, as Linux for a finished request) and
 * io_getevents waits only for events other threads submit. Supported:
 * IOCB_CMD_PREAD, PWRITE, PREADV, PWRITEV, FSYNC, FDSYNC; not done:
 * IOCB_CMD_POLL and IOCB_FLAG_RESFD (EINVAL).
 *
 * Contexts sit on one list under aio_lock with their mm and ring address;
 * a reference (users) keeps one alive across a call; ring_mutex orders the
 * ring's writers (user copies under it may fault and sleep). A context goes
 * with io_destroy or when its mm's last user does (aio_exit_mm).
 */
#include <exo/aio.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/mutex.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <uapi/mman.h>
#include <uapi/time_types.h>
#include <uapi/uio.h>
#include "internal.h"

#define AIO_RING_MAGIC		0xa10a10a1
#define AIO_MAX_NR		65536		/* /proc/sys/fs/aio-max-nr */
#define IOCB_CMD_PREAD		0
#define IOCB_CMD_PWRITE		1
#define IOCB_CMD_FSYNC		2
#define IOCB_CMD_FDSYNC		3
#define IOCB_CMD_PREADV		7
#define IOCB_CMD_PWRITEV	8
#define IOCB_FLAG_RESFD		(1 << 0)
#define IOCB_FLAG_IOPRIO	(1 << 1)

/* The ABI (linux/aio_abi.h, little-endian x86_64). */
struct io_event {
	u64 data;	/* the iocb's aio_data */
	u64 obj;	/* the iocb's user address */
	s64 res;
	s64 res2;
};

struct iocb {
	u64 aio_data;
	u32 aio_key;
	u32 aio_rw_flags;
	u16 aio_lio_opcode;
	s16 aio_reqprio;
	u32 aio_fildes;
	u64 aio_buf;
	u64 aio_nbytes;
	s64 aio_offset;
	u64 aio_reserved2;
	u32 aio_flags;
	u32 aio_resfd;
};

struct aio_ring {
	unsigned int id;
	unsigned int nr;		/* io_events in the ring */
	unsigned int head;		/* moved by the reaper (user space or io_getevents) */
	unsigned int tail;		/* moved by the kernel */
	unsigned int magic;
	unsigned int compat_features;
	unsigned int incompat_features;
	unsigned int header_length;	/* sizeof(struct aio_ring) */
	struct io_event io_events[];
};

struct kioctx {
	struct list_head node;		/* [aio_lock] on aio_contexts */
	struct mm *mm;			/* [immutable] */
	unsigned long user_id;		/* [immutable] the ring's user address */
	unsigned long ring_len;		/* [immutable] */
	unsigned int nr;		/* [immutable] ring slots; one stays empty */
	unsigned int tail;		/* [ring_mutex] */
	int users;			/* [atomic] */
	bool dead;			/* [aio_lock] */
	struct mutex ring_mutex;
	struct wait_queue_head wait;	/* io_getevents sleepers */
};

static DEFINE_SPINLOCK(aio_lock);
static LIST_HEAD(aio_contexts);
static unsigned int aio_nr;		/* [aio_lock] ring slots of all contexts */

static struct aio_ring __user *ring_of(struct kioctx *ctx)
{
	return (struct aio_ring __user *)ctx->user_id;
}

static void put_ioctx(struct kioctx *ctx)
{
	if (!__atomic_sub_fetch(&ctx->users, 1, __ATOMIC_ACQ_REL))
		kfree(ctx);
}

static struct kioctx *lookup_ioctx(u64 id)
{
	struct kioctx *ctx;

	spin_lock(&aio_lock);
	list_for_each_entry(ctx, &aio_contexts, node) {
		if (ctx->mm == current->mm && ctx->user_id == id && !ctx->dead) {
			__atomic_fetch_add(&ctx->users, 1, __ATOMIC_RELAXED);
			spin_unlock(&aio_lock);
			return ctx;
		}
	}
	spin_unlock(&aio_lock);
	return NULL;
}

/* Takes @ctx off the list (once); true for the caller that did. */
static bool kill_ioctx(struct kioctx *ctx)
{
	bool killed = false;

	spin_lock(&aio_lock);
	if (!ctx->dead) {
		ctx->dead = true;
		list_del(&ctx->node);
		aio_nr -= ctx->nr;
		killed = true;
	}
	spin_unlock(&aio_lock);
	if (killed)
		wake_up(&ctx->wait);
	return killed;
}

void aio_exit_mm(struct mm *mm)
{
	struct kioctx *ctx, *tmp;
	LIST_HEAD(dead);

	if (list_empty(&aio_contexts))
		return;
	spin_lock(&aio_lock);
	list_for_each_entry_safe(ctx, tmp, &aio_contexts, node) {
		if (ctx->mm != mm)
			continue;
		ctx->dead = true;
		aio_nr -= ctx->nr;
		list_move(&ctx->node, &dead);
	}
	spin_unlock(&aio_lock);
	list_for_each_entry_safe(ctx, tmp, &dead, node)
		put_ioctx(ctx);
}

/* Unreaped events on the ring: 0..nr-1, or -EFAULT when the ring is gone. */
static long ring_used(struct kioctx *ctx, unsigned int *head)
{
	if (get_user(*head, &ring_of(ctx)->head))
		return -EFAULT;
	*head %= ctx->nr;
	return (long)((ctx->tail + ctx->nr - *head) % ctx->nr);
}

static void aio_complete(struct kioctx *ctx, const struct io_event *ev)
{
	mutex_lock(&ctx->ring_mutex);
	if (!copy_to_user(&ring_of(ctx)->io_events[ctx->tail], ev, sizeof(*ev))) {
		ctx->tail = (ctx->tail + 1) % ctx->nr;
		put_user(ctx->tail, &ring_of(ctx)->tail);
	}
	mutex_unlock(&ctx->ring_mutex);
	wake_up(&ctx->wait);
}

SYSCALL_DEFINE2(io_setup, unsigned int, nr_events, u64 __user *, ctxp)
{
	struct aio_ring hdr = { .magic = AIO_RING_MAGIC, .compat_features = 1,
				.header_length = sizeof(struct aio_ring) };
	struct kioctx *ctx;
	unsigned long addr, len;
	u64 old;

	if (get_user(old, ctxp))
		return -EFAULT;
	if (old || !nr_events || nr_events > 0x10000000U / sizeof(struct io_event))
		return -EINVAL;
	len = ALIGN(sizeof(struct aio_ring) + (nr_events + 1UL) * sizeof(struct io_event), PAGE_SIZE);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->nr = (unsigned int)((len - sizeof(struct aio_ring)) / sizeof(struct io_event));
	spin_lock(&aio_lock);
	if (aio_nr + ctx->nr > AIO_MAX_NR * 2 || nr_events > AIO_MAX_NR) {
		spin_unlock(&aio_lock);
		kfree(ctx);
		return -EAGAIN;
	}
	aio_nr += ctx->nr;
	spin_unlock(&aio_lock);
	addr = vm_mmap(current->mm, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       NULL, 0);
	if (IS_ERR_VALUE(addr)) {
		spin_lock(&aio_lock);
		aio_nr -= ctx->nr;
		spin_unlock(&aio_lock);
		kfree(ctx);
		return (long)addr;
	}
	ctx->mm = current->mm;
	ctx->user_id = addr;
	ctx->ring_len = len;
	ctx->users = 1;		/* the list's */
	mutex_init(&ctx->ring_mutex);
	init_waitqueue_head(&ctx->wait);
	hdr.nr = ctx->nr;
	if (copy_to_user(ring_of(ctx), &hdr, sizeof(hdr)) || put_user((u64)addr, ctxp)) {
		vm_munmap(current->mm, addr, len);
		spin_lock(&aio_lock);
		aio_nr -= ctx->nr;
		spin_unlock(&aio_lock);
		kfree(ctx);
		return -EFAULT;
	}
	spin_lock(&aio_lock);
	list_add(&ctx->node, &aio_contexts);
	spin_unlock(&aio_lock);
	return 0;
}

SYSCALL_DEFINE1(io_destroy, u64, ctx_id)
{
	struct kioctx *ctx = lookup_ioctx(ctx_id);

	if (!ctx)
		return -EINVAL;
	if (kill_ioctx(ctx)) {
		vm_munmap(current->mm, ctx->user_id, ctx->ring_len);
		put_ioctx(ctx);		/* the list's reference */
	}
	put_ioctx(ctx);
	return 0;
}

/* The read or write of one iocb; the io_event's res, or -errno for io_submit. */
static long aio_rw(struct file *f, const struct iocb *cb, bool write, bool vectored,
		   bool *failed)
{
	struct iovec one = { .iov_base = (void __user *)cb->aio_buf, .iov_len = cb->aio_nbytes };
	struct iovec *iov = &one;
	unsigned long nr = 1;
	struct iov_iter it;
	size_t total = cb->aio_nbytes;
	loff_t pos = cb->aio_offset;
	long ret;

	*failed = true;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!f->f_op || !(write ? f->f_op->write_iter : f->f_op->read_iter))
		return -EINVAL;
	if (cb->aio_rw_flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND))
		return -EOPNOTSUPP;
	if (vectored) {
		iov = import_iovec((const struct iovec __user *)cb->aio_buf, cb->aio_nbytes, &total);
		if (IS_ERR(iov))
			return PTR_ERR(iov);
		nr = cb->aio_nbytes;
	} else if (total && !access_ok(one.iov_base, total)) {
		return -EFAULT;
	}
	if (pos < 0) {
		ret = -EINVAL;
		goto out;
	}
	*failed = false;
	if (write && (cb->aio_rw_flags & RWF_APPEND))
		pos = READ_ONCE(f->f_inode->i_size);
	iov_iter_init(&it, iov, nr, total);
	ret = write ? vfs_write(f, &it, &pos) : vfs_read(f, &it, &pos);
	if (ret > 0 && write && (cb->aio_rw_flags & (RWF_DSYNC | RWF_SYNC)) && f->f_op->fsync)
		f->f_op->fsync(f, !(cb->aio_rw_flags & RWF_SYNC));
out:
	if (iov != &one)
		kfree(iov);
	return ret;
}

static long io_submit_one(struct kioctx *ctx, struct iocb __user *ucb)
{
	struct io_event ev = { .obj = (u64)(unsigned long)ucb };
	struct iocb cb;
	struct file *f;
	unsigned int head;
	bool failed = true;
	long ret, used;

	if (copy_from_user(&cb, ucb, sizeof(cb)))
		return -EFAULT;
	if (cb.aio_reserved2)
		return -EINVAL;
	if ((s64)cb.aio_nbytes < 0)
		return -EINVAL;
	if (cb.aio_flags & IOCB_FLAG_RESFD)
		return -EINVAL;		/* eventfd completion is not done */
	used = ring_used(ctx, &head);
	if (used < 0)
		return used;
	if (used >= ctx->nr - 1)
		return -EAGAIN;		/* every slot holds an unreaped event */
	f = fget(current_files(), cb.aio_fildes);
	if (!f)
		return -EBADF;
	ret = -EFAULT;
	if (put_user(0u, &ucb->aio_key))
		goto out;
	ev.data = cb.aio_data;
	switch (cb.aio_lio_opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PREADV:
	case IOCB_CMD_PWRITEV:
		ret = aio_rw(f, &cb, cb.aio_lio_opcode == IOCB_CMD_PWRITE ||
				     cb.aio_lio_opcode == IOCB_CMD_PWRITEV,
			     cb.aio_lio_opcode >= IOCB_CMD_PREADV, &failed);
		break;
	case IOCB_CMD_FSYNC:
	case IOCB_CMD_FDSYNC:
		ret = -EINVAL;
		if (cb.aio_buf || cb.aio_offset || cb.aio_nbytes || cb.aio_rw_flags)
			break;
		if (!f->f_op || !f->f_op->fsync)
			break;
		failed = false;
		ret = f->f_op->fsync(f, cb.aio_lio_opcode == IOCB_CMD_FDSYNC);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (!failed) {
		ev.res = ret;
		aio_complete(ctx, &ev);
		ret = 0;
	}
out:
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(io_submit, u64, ctx_id, long, nr, struct iocb __user * __user *, iocbpp)
{
	struct kioctx *ctx;
	long i, ret = 0;

	if (nr < 0)
		return -EINVAL;
	ctx = lookup_ioctx(ctx_id);
	if (!ctx)
		return -EINVAL;
	if (nr > ctx->nr)
		nr = ctx->nr;
	for (i = 0; i < nr; i++) {
		struct iocb __user *ucb;

		if (get_user(ucb, iocbpp + i)) {
			ret = -EFAULT;
			break;
		}
		ret = io_submit_one(ctx, ucb);
		if (ret)
			break;
	}
	put_ioctx(ctx);
	return i ? i : ret;
}

/* Moves up to @nr events from the ring to @events; their number or -EFAULT. */
static long aio_read_events(struct kioctx *ctx, long nr, struct io_event __user *events)
{
	struct io_event ev;
	unsigned int head;
	long used, n = 0;

	mutex_lock(&ctx->ring_mutex);
	used = ring_used(ctx, &head);
	while (used > 0 && n < nr) {
		if (copy_from_user(&ev, &ring_of(ctx)->io_events[head], sizeof(ev)) ||
		    copy_to_user(events + n, &ev, sizeof(ev))) {
			used = -EFAULT;
			break;
		}
		head = (head + 1) % ctx->nr;
		n++;
		used--;
	}
	if (n && put_user(head, &ring_of(ctx)->head))
		used = -EFAULT;
	mutex_unlock(&ctx->ring_mutex);
	return n ? n : (used < 0 ? used : 0);
}

static bool ring_has(struct kioctx *ctx, long want)
{
	unsigned int head;

	return ctx->dead || ring_used(ctx, &head) >= want;
}

static long do_io_getevents(u64 ctx_id, long min_nr, long nr, struct io_event __user *events,
			    const struct __kernel_timespec __user *timeout)
{
	u64 deadline = WAIT_NO_DEADLINE, ns = 0;
	struct kioctx *ctx;
	long ret = -EINVAL, got = 0;

	if (timeout) {
		int err = get_timespec_ns(timeout, &ns);

		if (err)
			return err;
		deadline = ns_add_sat(ktime_get_ns(), ns);
	}
	ctx = lookup_ioctx(ctx_id);
	if (!ctx)
		return -EINVAL;
	if (min_nr > nr || min_nr < 0 || nr < 0)
		goto out;
	for (;;) {
		ret = aio_read_events(ctx, nr - got, events + got);
		if (ret < 0)
			break;
		got += ret;
		ret = got;
		if (got >= min_nr || got >= nr || ctx->dead)
			break;
		if (timeout && !ns)
			break;
		ret = wait_event_interruptible_deadline(ctx->wait, ring_has(ctx, 1), deadline);
		if (ret == -ETIMEDOUT) {
			ret = got;
			break;
		}
		if (ret) {
			ret = got ? got : -EINTR;
			break;
		}
	}
out:
	put_ioctx(ctx);
	return ret;
}

SYSCALL_DEFINE5(io_getevents, u64, ctx_id, long, min_nr, long, nr,
		struct io_event __user *, events, struct __kernel_timespec __user *, timeout)
{
	return do_io_getevents(ctx_id, min_nr, nr, events, timeout);
}

struct aio_sigset {
	const void __user *sigmask;
	size_t sigsetsize;
};

SYSCALL_DEFINE6(io_pgetevents, u64, ctx_id, long, min_nr, long, nr,
		struct io_event __user *, events, struct __kernel_timespec __user *, timeout,
		const struct aio_sigset __user *, usig)
{
	struct aio_sigset ksig = { NULL, 0 };
	u64 set;
	long ret;

	if (usig && copy_from_user(&ksig, usig, sizeof(ksig)))
		return -EFAULT;
	if (ksig.sigmask) {
		if (ksig.sigsetsize != sizeof(set))
			return -EINVAL;
		if (copy_from_user(&set, ksig.sigmask, sizeof(set)))
			return -EFAULT;
		set_restore_sigmask(current->blocked);
		set_current_blocked(set);
	}
	ret = do_io_getevents(ctx_id, min_nr, nr, events, timeout);
	/* Interrupted: the caller's mask comes back after the handler runs. */
	if (ksig.sigmask && ret != -EINTR)
		restore_saved_sigmask();
	return ret;
}

SYSCALL_DEFINE3(io_cancel, u64, ctx_id, struct iocb __user *, ucb, struct io_event __user *, result)
{
	struct kioctx *ctx;
	u32 key;

	if (get_user(key, &ucb->aio_key))
		return -EFAULT;
	if (key != 0)
		return -EINVAL;
	ctx = lookup_ioctx(ctx_id);
	if (!ctx)
		return -EINVAL;
	put_ioctx(ctx);
	return -EINVAL;		/* requests complete in io_submit: none is in flight */
}
