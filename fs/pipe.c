// SPDX-License-Identifier: MIT
/*
 * Pipes: pipe(2), pipe2(2) and the file operations of both ends.
 *
 * A pipe is a ring of page buffers (struct pipe_buffer) indexed by the
 * free-running counters tail (next to read) and head (next to fill); the
 * ring has ring_size slots, a power of two (16 by default: 65536 bytes,
 * F_SETPIPE_SZ changes it). A write first tops up the last buffer when the
 * part of it that is not a whole page fits there, then fills fresh pages,
 * so a write of at most PIPE_BUF bytes lands in one buffer at once: it is
 * atomic. A drained page nobody else holds is kept for the next writes,
 * the first in tmp_page (as Linux, which keeps only that one: a ping-pong
 * of small messages never reaches the page allocator), more in the stash
 * list (neither does a stream of large writes). Kept pages and buffers
 * together hold at most ring_size pages, so a pipe never holds more memory
 * than it does when full; F_SETPIPE_SZ trims the kept pages with the ring,
 * and closing both ends frees what is left.
 *
 * Each end of an anonymous pipe is a pseudo file (alloc_file_pseudo) on
 * one pipefs inode; a named FIFO (mknod S_IFIFO) gets its pipe at the first
 * open (fifo_open), which waits for the other side as Linux does. Either
 * way inode->i_private is the pipe; readers and writers count the open
 * ends, files the struct files using the pipe: the last fput() of an end
 * drops its counts (pipe_release), and the last file frees the pipe.
 *
 * Waiting: a reader sleeps until data or no writers, a writer until room
 * or no readers. The first of each sleeps in the end's single-sleeper slot
 * (rd_sleeper, wr_sleeper: <exo/wait_slot.h>), any other on the end's wait
 * queue (rd_wait, wr_wait), which poll and select (fs/select.c) also sleep
 * on through pipe_poll(). Whoever changes that wakes the slot and then, if
 * it has entries, the queue with the poll key of what changed (POLLIN,
 * POLLOUT). Only a change that can end a wait wakes: a write into an
 * empty pipe, a read from a full one (nobody sleeps on a pipe that is
 * neither). Once the pipe has been polled (poll_usage) every change wakes,
 * which edge-triggered epoll expects, as on Linux. The waker's exchange of
 * the slot is a full barrier between its change and its look at the queue;
 * sleepers and pollers fence between queueing and their look at the pipe.
 *
 * Locking: pipe->mutex (<exo/mutex.h>, a sleeping lock) is held across
 * user copies and page allocation, which may fault or sleep and so cannot
 * run under a spinlock; it guards the ring and the counts. It is never
 * held while sleeping for data or room. Lock order: inode->i_lock
 * (i_private and pipe->files) is taken alone; pipe mutex -> page
 * allocator; the wait queue locks are leaves. pipe_poll reads head, tail,
 * readers and writers without the mutex: a stale answer is fixed by the
 * wake-up that follows every change.
 */
#include <exo/cred.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/mutex.h>
#include <exo/poll.h>
#include <exo/rw_xfer.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <exo/wait_slot.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/stat.h>
#include "internal.h"

#define PIPE_BUF		4096		/* writes up to this size are atomic (POSIX) */
#define PIPE_DEF_BUFFERS	16		/* default ring: 16 pages, 65536 bytes */
#define PIPE_MAX_SIZE		(1024 * 1024)	/* /proc/sys/fs/pipe-max-size for non-root */
/* O_NOTIFICATION_PIPE is O_EXCL; notification pipes (CONFIG_WATCH_QUEUE) do not exist here. */
#define O_NOTIFICATION_PIPE	O_EXCL

struct pipe_buffer {
	struct page *page;		/* stale outside [tail, head): nothing reads it there */
	unsigned int offset;		/* first unread byte in the page */
	unsigned int len;		/* unread bytes from offset */
};

struct pipe_inode_info {
	struct mutex mutex;			/* the ring and the counts */
	struct wait_queue_head rd_wait;		/* readers and pollers of the read end */
	struct wait_queue_head wr_wait;		/* writers and pollers of the write end */
	struct task *rd_sleeper;		/* [atomic] the lone reader waiting, referenced */
	struct task *wr_sleeper;		/* [atomic] the lone writer waiting, referenced */
	unsigned int head;			/* [mutex] next slot to fill */
	unsigned int tail;			/* [mutex] next slot to read */
	unsigned int ring_size;			/* [mutex] slots, a power of two */
	unsigned int readers;			/* [mutex] open read ends */
	unsigned int writers;			/* [mutex] open write ends */
	unsigned int r_counter, w_counter;	/* [mutex] FIFO opens for reading, writing, ever */
	unsigned int files;			/* [inode->i_lock] struct files on the pipe */
	bool poll_usage;			/* [set once] pipe_poll() ran: wake on every change */
	struct pipe_buffer *bufs;		/* [mutex] ring_size slots */
	struct page *tmp_page;			/* [mutex] a drained page kept for the next write */
	struct list_head stash;			/* [mutex] more of them, by lru, once tmp_page is taken */
	unsigned int nr_stash;			/* [mutex] pages in stash */
};

static struct super_block *pipe_sb;	/* [immutable after init] pipefs, for st_dev and i_ino */
static struct file_system_type pipefs_type = { .name = "pipefs" };

static unsigned int pipe_occupancy(unsigned int head, unsigned int tail)
{
	return head - tail;
}

static bool pipe_empty(unsigned int head, unsigned int tail)
{
	return head == tail;
}

static bool pipe_full(unsigned int head, unsigned int tail, unsigned int size)
{
	return pipe_occupancy(head, tail) >= size;
}

static struct pipe_buffer *pipe_buf(struct pipe_inode_info *pipe, unsigned int slot)
{
	return &pipe->bufs[slot & (pipe->ring_size - 1)];
}

/* Sleep conditions, read without the mutex (see the top of the file). */
static bool pipe_readable(struct pipe_inode_info *pipe)
{
	return !pipe_empty(READ_ONCE(pipe->head), READ_ONCE(pipe->tail)) ||
	       !READ_ONCE(pipe->writers);
}

static bool pipe_writable(struct pipe_inode_info *pipe)
{
	return !pipe_full(READ_ONCE(pipe->head), READ_ONCE(pipe->tail),
			  READ_ONCE(pipe->ring_size)) ||
	       !READ_ONCE(pipe->readers);
}

/* After a change that may end a wait of one end (see the top of the file); @key NULL: all. */
#define pipe_wake_readers(pipe, key) \
	sleeper_slot_wake_all(&(pipe)->rd_sleeper, &(pipe)->rd_wait, key)
#define pipe_wake_writers(pipe, key) \
	sleeper_slot_wake_all(&(pipe)->wr_sleeper, &(pipe)->wr_wait, key)
#define POLLIN_KEY			poll_to_key(POLLIN | POLLRDNORM)
#define POLLOUT_KEY			poll_to_key(POLLOUT | POLLWRNORM)

/* Sleeps until the pipe is readable (writable): 0, or -ERESTARTSYS on a signal. */
#define pipe_wait_readable(pipe) \
	sleeper_slot_wait_event(&(pipe)->rd_sleeper, (pipe)->rd_wait, pipe_readable(pipe))
#define pipe_wait_writable(pipe) \
	sleeper_slot_wait_event(&(pipe)->wr_sleeper, (pipe)->wr_wait, pipe_writable(pipe))

/*
 * Keeps @page, which nobody else holds, for a later write, if the bound
 * allows: kept pages and buffers at most ring_size (a buffer being released
 * still counts in the occupancy).
 */
static __noinline void pipe_keep_page(struct pipe_inode_info *pipe, struct page *page)
{
	if (!pipe->tmp_page) {
		pipe->tmp_page = page;
	} else if (pipe->nr_stash + 1 + pipe_occupancy(pipe->head, pipe->tail) <= pipe->ring_size) {
		list_add(&page->lru, &pipe->stash);
		pipe->nr_stash++;
	} else {
		put_page(page);
	}
}

/* A kept page for a write, or NULL. */
static struct page *pipe_take_page(struct pipe_inode_info *pipe)
{
	struct page *page = pipe->tmp_page;

	if (page) {
		pipe->tmp_page = NULL;
	} else if (pipe->nr_stash) {
		page = list_first_entry(&pipe->stash, struct page, lru);
		list_del(&page->lru);
		pipe->nr_stash--;
	}
	return page;
}

/* Frees kept pages until at most @keep are left. */
static void pipe_trim_kept(struct pipe_inode_info *pipe, unsigned int keep)
{
	while (pipe->nr_stash + !!pipe->tmp_page > keep)
		put_page(pipe_take_page(pipe));
}

static void pipe_buf_release(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	struct page *page = buf->page;

	/* Only a page nobody else holds may be written again. */
	if (page_count(page) != 1)
		put_page(page);
	else if (likely(!pipe->tmp_page))
		pipe->tmp_page = page;	/* the ping-pong's case, inline */
	else
		pipe_keep_page(pipe, page);
}

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return ERR_PTR(-ENOMEM);
	pipe->bufs = kcalloc(PIPE_DEF_BUFFERS, sizeof(*pipe->bufs), GFP_KERNEL);
	if (!pipe->bufs) {
		kfree(pipe);
		return ERR_PTR(-ENOMEM);
	}
	pipe->ring_size = PIPE_DEF_BUFFERS;
	INIT_LIST_HEAD(&pipe->stash);
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	return pipe;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	for (unsigned int i = pipe->tail; i != pipe->head; i++)
		pipe_buf_release(pipe, pipe_buf(pipe, i));
	pipe_trim_kept(pipe, 0);
	kfree(pipe->bufs);
	kfree(pipe);
}

/*
 * Linux's rules: return what is there without waiting for the full count;
 * wait only while the pipe is empty and a writer exists; an empty pipe
 * without writers is end of file.
 */
static __always_inline ssize_t __pipe_read(struct file *file, struct rw_xfer *to)
{
	struct pipe_inode_info *pipe = file->private_data;
	bool wake_writers = false;
	ssize_t ret = 0;

	if (!rw_xfer_left(to))
		return 0;	/* not even for an empty pipe with writers: Linux's pipe_read */
	/*
	 * The usual blocking read finds the pipe empty: it sleeps at once, as
	 * the loop below would after its look under the mutex. A stale look is
	 * fixed by the wait, which looks again after entering its slot.
	 */
	if (pipe_empty(READ_ONCE(pipe->head), READ_ONCE(pipe->tail)) && READ_ONCE(pipe->writers) &&
	    !(file->f_flags & O_NONBLOCK) && pipe_wait_readable(pipe))
		return -ERESTARTSYS;
	mutex_lock(&pipe->mutex);
	for (;;) {
		if (!pipe_empty(pipe->head, pipe->tail)) {
			struct pipe_buffer *buf = pipe_buf(pipe, pipe->tail);
			size_t chars = min((size_t)buf->len, rw_xfer_left(to));
			size_t copied = rw_xfer_to_user(to, (char *)page_address(buf->page) + buf->offset,
						     chars);

			ret += copied;
			buf->offset += copied;
			buf->len -= copied;
			if (!buf->len) {
				/* Writers and POLLOUT pollers only wait on a full pipe. */
				if (pipe_full(pipe->head, pipe->tail, pipe->ring_size) ||
				    READ_ONCE(pipe->poll_usage))
					wake_writers = true;
				pipe_buf_release(pipe, buf);
				pipe->tail++;
			}
			if (copied < chars) {
				if (!ret)
					ret = -EFAULT;
				break;
			}
			if (!rw_xfer_left(to))
				break;
			continue;
		}
		if (!pipe->writers || ret)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (wake_writers)
			pipe_wake_writers(pipe, POLLOUT_KEY);
		wake_writers = false;
		if (pipe_wait_readable(pipe))
			return -ERESTARTSYS;
		mutex_lock(&pipe->mutex);
	}
	mutex_unlock(&pipe->mutex);
	if (wake_writers)
		pipe_wake_writers(pipe, POLLOUT_KEY);
	return ret;
}

/* Copies up to a page from @from into a new buffer at head; bytes taken, or -errno. */
static __always_inline ssize_t pipe_write_page(struct pipe_inode_info *pipe, struct rw_xfer *from)
{
	struct page *page;
	struct pipe_buffer *buf;
	size_t copied;

	page = pipe_take_page(pipe);
	if (!page) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
	}
	copied = rw_xfer_from_user(from, page_address(page),
				   min((size_t)PAGE_SIZE, rw_xfer_left(from)));
	if (!copied) {
		pipe_keep_page(pipe, page);
		return -EFAULT;
	}
	buf = pipe_buf(pipe, pipe->head);
	buf->page = page;
	buf->offset = 0;
	buf->len = (unsigned int)copied;
	pipe->head++;
	return (ssize_t)copied;
}

static __always_inline ssize_t __pipe_write(struct file *file, struct rw_xfer *from)
{
	struct pipe_inode_info *pipe = file->private_data;
	size_t chars = rw_xfer_left(from) & (PAGE_SIZE - 1);
	bool wake_readers = READ_ONCE(pipe->poll_usage);
	ssize_t ret = 0, n;

	if (!rw_xfer_left(from))
		return 0;	/* a null write succeeds, readers or not: Linux's pipe_write */
	mutex_lock(&pipe->mutex);
	if (!pipe->readers) {
		ret = -EPIPE;
		goto out_sigpipe;
	}
	/*
	 * The part of the write that is not whole pages may top up the last
	 * buffer, but only all of it: that is what keeps writes of up to
	 * PIPE_BUF bytes in one piece. The rest then fills whole pages.
	 */
	if (chars && !pipe_empty(pipe->head, pipe->tail)) {
		struct pipe_buffer *buf = pipe_buf(pipe, pipe->head - 1);
		unsigned int end = buf->offset + buf->len;

		if (end + chars <= PAGE_SIZE) {
			size_t copied = rw_xfer_from_user(from, (char *)page_address(buf->page) + end,
						       chars);

			buf->len += (unsigned int)copied;
			ret = (ssize_t)copied;
			if (copied < chars) {
				if (!ret)
					ret = -EFAULT;
				goto out;
			}
		}
	}
	while (rw_xfer_left(from)) {
		if (!pipe->readers) {
			if (!ret)
				ret = -EPIPE;
			goto out_sigpipe;
		}
		if (!pipe_full(pipe->head, pipe->tail, pipe->ring_size)) {
			size_t want = min((size_t)PAGE_SIZE, rw_xfer_left(from));

			/* Readers only wait on an empty pipe. */
			if (pipe_empty(pipe->head, pipe->tail))
				wake_readers = true;
			n = pipe_write_page(pipe, from);
			if (n < 0) {
				if (!ret)
					ret = n;
				break;
			}
			ret += n;
			if ((size_t)n < want)
				break;	/* the user buffer faulted midway */
			continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			if (!ret)
				ret = -EAGAIN;
			break;
		}
		if (signal_pending_current()) {
			if (!ret)
				ret = -ERESTARTSYS;
			break;
		}
		/* Full: let the readers drain it while we sleep without the mutex. */
		mutex_unlock(&pipe->mutex);
		if (ret && wake_readers)
			pipe_wake_readers(pipe, POLLIN_KEY);
		wake_readers = READ_ONCE(pipe->poll_usage);
		if (pipe_wait_writable(pipe)) {
			/* What was written stays written; a restart would repeat it. */
			return ret ? ret : -ERESTARTSYS;
		}
		mutex_lock(&pipe->mutex);
	}
out:
	mutex_unlock(&pipe->mutex);
	if (ret > 0 && wake_readers)
		pipe_wake_readers(pipe, POLLIN_KEY);
	return ret;

out_sigpipe:
	mutex_unlock(&pipe->mutex);
	if (ret > 0 && wake_readers)
		pipe_wake_readers(pipe, POLLIN_KEY);
	send_sig_info(SIGPIPE, NULL, current);	/* thread-directed, as Linux */
	return ret;
}

static ssize_t pipe_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct rw_xfer x = { .it = to };

	return __pipe_read(file, &x);
}

static ssize_t pipe_read_buf(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	struct rw_xfer x = { .ubuf = buf, .count = count };

	return __pipe_read(file, &x);
}

static ssize_t pipe_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct rw_xfer x = { .it = from };

	return __pipe_write(file, &x);
}

static ssize_t pipe_write_buf(struct file *file, const char __user *buf, size_t count,
			      loff_t *pos)
{
	struct rw_xfer x = { .ubuf = (char __user *)buf, .count = count };

	return __pipe_write(file, &x);
}

static __poll_t pipe_poll(struct file *file, struct poll_table *pt)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned int head, tail;
	__poll_t mask = 0;

	if (!READ_ONCE(pipe->poll_usage))
		WRITE_ONCE(pipe->poll_usage, true);
	if (file->f_mode & FMODE_READ)
		poll_wait(file, &pipe->rd_wait, pt);
	if (file->f_mode & FMODE_WRITE)
		poll_wait(file, &pipe->wr_wait, pt);
	/* Registered first, then looked: a change after the look wakes us. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	head = READ_ONCE(pipe->head);
	tail = READ_ONCE(pipe->tail);
	if (file->f_mode & FMODE_READ) {
		if (!pipe_empty(head, tail))
			mask |= POLLIN | POLLRDNORM;
		if (!READ_ONCE(pipe->writers))
			mask |= POLLHUP;
	}
	if (file->f_mode & FMODE_WRITE) {
		if (!pipe_full(head, tail, READ_ONCE(pipe->ring_size)))
			mask |= POLLOUT | POLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned int count = 0;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	for (unsigned int i = pipe->tail; i != pipe->head; i++)
		count += pipe_buf(pipe, i)->len;
	mutex_unlock(&pipe->mutex);
	return put_user((int)count, (int __user *)arg) ? -EFAULT : 0;
}

/* A file stops using @pipe; the last one frees it (nobody can sleep on it then). */
static void put_pipe_info(struct inode *inode, struct pipe_inode_info *pipe)
{
	bool last;

	spin_lock(&inode->i_lock);
	last = !--pipe->files;
	if (last)
		inode->i_private = NULL;
	spin_unlock(&inode->i_lock);
	if (last)
		free_pipe_info(pipe);
}

static int pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = file->private_data;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	/* Readers see EOF or POLLHUP, writers EPIPE or POLLERR. */
	pipe_wake_readers(pipe, NULL);
	pipe_wake_writers(pipe, NULL);
	put_pipe_info(inode, pipe);
	return 0;
}

/* FIFO opens wait on rd_wait for the counter of the other side to move. */
static int wait_for_partner(struct pipe_inode_info *pipe, unsigned int *cnt)
	__must_hold(&pipe->mutex)
{
	unsigned int cur = *cnt;
	long ret;

	mutex_unlock(&pipe->mutex);
	ret = wait_event_interruptible(pipe->rd_wait, READ_ONCE(*cnt) != cur);
	mutex_lock(&pipe->mutex);
	return ret ? -EINTR : 0;
}

static void wake_up_partner(struct pipe_inode_info *pipe)
{
	pipe_wake_readers(pipe, NULL);
}

/*
 * open() of a named FIFO, Linux's rules: a reader waits for a writer and a
 * writer for a reader unless O_NONBLOCK, where a reader opens at once and
 * a writer without readers gets ENXIO; O_RDWR never waits. An anonymous
 * pipe reopened through /proc/PID/fd/N never waits and is never ENXIO:
 * its other end may be long gone, which reads and writes then report.
 */
static int fifo_open(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe, *fresh = NULL;
	bool anon = inode->i_sb == pipe_sb;
	bool nonblock = file->f_flags & O_NONBLOCK;
	int ret = 0;

	spin_lock(&inode->i_lock);
	pipe = inode->i_private;
	if (pipe)
		pipe->files++;
	spin_unlock(&inode->i_lock);
	if (!pipe) {
		fresh = alloc_pipe_info();
		if (IS_ERR(fresh))
			return PTR_ERR(fresh);
		spin_lock(&inode->i_lock);
		pipe = inode->i_private;
		if (pipe) {
			pipe->files++;
		} else {
			pipe = inode->i_private = fresh;
			pipe->files = 1;
			fresh = NULL;
		}
		spin_unlock(&inode->i_lock);
		if (fresh)
			free_pipe_info(fresh);
	}
	file->private_data = pipe;
	/* A stream, as Linux's stream_open(): lseek and pread/pwrite are ESPIPE. */
	file->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);

	mutex_lock(&pipe->mutex);
	switch (file->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->r_counter++;
		if (pipe->readers++ == 0)
			wake_up_partner(pipe);
		if (!pipe->writers && !nonblock && !anon) {
			ret = wait_for_partner(pipe, &pipe->w_counter);
			if (ret)
				pipe->readers--;
		}
		break;
	case FMODE_WRITE:
		if (!pipe->readers && nonblock && !anon) {
			ret = -ENXIO;
			break;
		}
		pipe->w_counter++;
		if (pipe->writers++ == 0)
			wake_up_partner(pipe);
		if (!pipe->readers && !anon) {
			ret = wait_for_partner(pipe, &pipe->r_counter);
			if (ret)
				pipe->writers--;
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		if (pipe->readers == 1 || pipe->writers == 1)
			wake_up_partner(pipe);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&pipe->mutex);
	if (ret) {
		/* The failed open's release does not run: undo here. */
		pipe_wake_readers(pipe, NULL);
		pipe_wake_writers(pipe, NULL);
		put_pipe_info(inode, pipe);
	}
	return ret;
}

const struct file_operations pipefifo_fops = {
	.open = fifo_open,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.read = pipe_read_buf,
	.write = pipe_write_buf,
	.poll = pipe_poll,
	.unlocked_ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* F_SETPIPE_SZ: moves the buffers into a ring of @nr_slots; -EBUSY if they do not fit. */
static long pipe_resize_ring(struct pipe_inode_info *pipe, unsigned int nr_slots)
{
	unsigned int n = pipe_occupancy(pipe->head, pipe->tail);
	struct pipe_buffer *bufs;

	if (nr_slots < n)
		return -EBUSY;
	bufs = kcalloc(nr_slots, sizeof(*bufs), GFP_KERNEL);
	if (!bufs)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		bufs[i] = *pipe_buf(pipe, pipe->tail + i);
	kfree(pipe->bufs);
	pipe->bufs = bufs;
	pipe->tail = 0;
	pipe->head = n;
	pipe->ring_size = nr_slots;
	pipe_trim_kept(pipe, nr_slots - n);
	return 0;
}

long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = file->private_data;
	unsigned long size = (unsigned int)arg;
	unsigned int nr_slots;
	long ret;

	if (file->f_op != &pipefifo_fops)
		return -EBADF;
	mutex_lock(&pipe->mutex);
	if (cmd == F_GETPIPE_SZ) {
		ret = (long)pipe->ring_size * PAGE_SIZE;
		goto out;
	}
	/* Linux's round_pipe_size: at least a page, a power of two, at most 2 GiB. */
	if (size > (1UL << 31)) {
		ret = -EINVAL;
		goto out;
	}
	if (size < PAGE_SIZE)
		size = PAGE_SIZE;
	size = 1UL << (64 - __builtin_clzl(size - 1));
	nr_slots = (unsigned int)(size / PAGE_SIZE);
	if (nr_slots > pipe->ring_size && size > PIPE_MAX_SIZE && !capable_fs()) {
		ret = -EPERM;
		goto out;
	}
	ret = pipe_resize_ring(pipe, nr_slots);
	if (!ret)
		ret = (long)size;
out:
	mutex_unlock(&pipe->mutex);
	/* A bigger ring may have made room. */
	if (ret > 0 && cmd == F_SETPIPE_SZ)
		pipe_wake_writers(pipe, POLLOUT_KEY);
	return ret;
}

/* A pipefs inode holding a new pipe with one reader and one writer; or ERR_PTR. */
/* ---- for splice, tee and vmsplice (fs/splice.c) ----------------------------------- */

struct pipe_inode_info *get_pipe_info(struct file *file)
{
	return file->f_op == &pipefifo_fops ? file->private_data : NULL;
}

int pipe_wait_ready(struct pipe_inode_info *pipe, bool write, bool nonblock)
{
	bool ready = write ? pipe_writable(pipe) : pipe_readable(pipe);

	if (ready)
		return 0;
	if (nonblock)
		return -EAGAIN;
	if (write)
		return pipe_wait_writable(pipe) ? -ERESTARTSYS : 0;
	return pipe_wait_readable(pipe) ? -ERESTARTSYS : 0;
}

size_t pipe_room(struct pipe_inode_info *pipe)
{
	size_t room;

	mutex_lock(&pipe->mutex);
	room = (size_t)(pipe->ring_size - pipe_occupancy(pipe->head, pipe->tail)) * PAGE_SIZE;
	mutex_unlock(&pipe->mutex);
	return room;
}

size_t pipe_peek(struct pipe_inode_info *pipe, void *dst, size_t len)
{
	size_t done = 0;

	mutex_lock(&pipe->mutex);
	for (unsigned int i = pipe->tail; i != pipe->head && done < len; i++) {
		struct pipe_buffer *buf = pipe_buf(pipe, i);
		size_t n = min((size_t)buf->len, len - done);

		memcpy((char *)dst + done, (char *)page_address(buf->page) + buf->offset, n);
		done += n;
	}
	mutex_unlock(&pipe->mutex);
	return done;
}

static struct inode *get_pipe_inode(void)
{
	const struct cred *cred = current_cred();
	struct pipe_inode_info *pipe;
	struct inode *inode;

	if (!pipe_sb)
		return ERR_PTR(-ENFILE);	/* pipefs never mounted */
	inode = new_inode(pipe_sb);
	if (IS_ERR(inode))
		return inode;
	pipe = alloc_pipe_info();
	if (IS_ERR(pipe)) {
		iput(inode);
		return ERR_CAST(pipe);
	}
	pipe->readers = pipe->writers = 1;
	pipe->files = 2;
	inode->i_private = pipe;
	inode->i_fop = &pipefifo_fops;
	inode->i_mode = S_IFIFO | S_IRUSR | S_IWUSR;
	inode->i_uid = cred->fsuid;
	inode->i_gid = cred->fsgid;
	return inode;
}

/* Makes the two ends of a new pipe; on success *@res holds a reference to each. */
int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = get_pipe_inode();
	unsigned int fl = (unsigned int)flags & (O_NONBLOCK | O_DIRECT);
	struct pipe_inode_info *pipe;
	struct file *f;

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	pipe = inode->i_private;
	/* Each end's dentry holds one inode reference. */
	f = alloc_file_pseudo(inode, O_RDONLY | fl, &pipefifo_fops);
	if (IS_ERR(f)) {
		free_pipe_info(pipe);
		inode->i_private = NULL;
		iput(inode);
		return PTR_ERR(f);
	}
	f->private_data = pipe;
	res[0] = f;

	f = alloc_file_pseudo(igrab(inode), O_WRONLY | fl, &pipefifo_fops);
	if (IS_ERR(f)) {
		iput(inode);
		pipe->writers = 0;	/* so that releasing the read end frees the pipe */
		pipe->files = 1;
		fput(res[0]);
		return PTR_ERR(f);
	}
	f->private_data = pipe;
	res[1] = f;
	return 0;
}

/*
 * O_DIRECT (packet mode) is accepted and stored in the flags, but reads
 * still ignore write boundaries.
 */
static int do_pipe2(int __user *fildes, int flags)
{
	struct files_struct *files = current_files();
	struct file *files_pair[2] = { NULL, NULL };
	int fd[2], err;

	if (flags & O_NOTIFICATION_PIPE)
		return -ENOPKG;
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = create_pipe_files(files_pair, flags);
	if (err)
		return err;
	fd[0] = fd_install_new(files, files_pair[0], (unsigned int)flags & O_CLOEXEC);
	if (fd[0] < 0) {
		err = fd[0];
		goto out_put_both;
	}
	fd[1] = fd_install_new(files, files_pair[1], (unsigned int)flags & O_CLOEXEC);
	if (fd[1] < 0) {
		err = fd[1];
		goto out_close_read;
	}
	/*
	 * Unlike Linux the fds are visible before the copy (fd_install_new
	 * reserves and installs in one step); a fault takes them back.
	 */
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		close_fd(files, (unsigned int)fd[1]);
		close_fd(files, (unsigned int)fd[0]);
		return -EFAULT;
	}
	return 0;

out_close_read:
	close_fd(files, (unsigned int)fd[0]);
	fput(files_pair[1]);
	return err;
out_put_both:
	fput(files_pair[0]);
	fput(files_pair[1]);
	return err;
}

SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	return do_pipe2(fildes, flags);
}

SYSCALL_DEFINE1(pipe, int __user *, fildes)
{
	return do_pipe2(fildes, 0);
}

static int pipe_init(void)
{
	struct super_block *sb = sget_anon(&pipefs_type);

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	pipe_sb = sb;
	return 0;
}
fs_initcall(pipe_init);
