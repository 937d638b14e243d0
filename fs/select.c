// SPDX-License-Identifier: MIT
/*
 * poll, ppoll, select, pselect6: wait until one of many files is ready.
 *
 * A call scans its fds, asking each file's poll method (vfs_poll) what
 * holds. The first scan passes a poll table whose qproc (__pollwait) puts
 * one poll_table_entry on every wait queue the method names; each entry
 * holds a file reference and wakes the caller through pollwake(), which
 * sets pwq->triggered so a wake-up between a scan and the sleep is not
 * lost. Later scans only ask (qproc NULL). The caller sleeps until woken,
 * a signal, or the deadline (a kernel timer), then rescans; the entries
 * come off the queues in poll_freewait().
 *
 * Timeouts are absolute deadlines on the monotonic clock; POLL_NO_DEADLINE
 * is infinite and a zero timeout is a deadline already past (one scan, no
 * registration). select, pselect6 and ppoll write the time left back as
 * Linux does, ignoring a fault on that write.
 *
 * Signal masks (ppoll, pselect6): the mask is installed for the wait and
 * the caller's put back at the end (poll_select_finish). A wait a signal
 * interrupts keeps the temporary mask until the signal is delivered, so a
 * handler runs under it and its frame records the caller's mask (the
 * sigsuspend mechanism: set_restore_sigmask).
 *
 * An interrupted wait returns -ERESTARTNOHAND (select, pselect6, ppoll):
 * EINTR when a handler runs, even with SA_RESTART, and restarted when none
 * does (a stop and SIGCONT), with the time left that was written back.
 * When that write faults the call cannot restart and returns EINTR. poll
 * restarts through restart_syscall with its original deadline
 * (-ERESTART_RESTARTBLOCK), as Linux.
 *
 * Locking: none of its own. pollwake() runs under the woken queue's lock
 * and takes rq->lock (wake_up_process): wq->lock -> rq->lock.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>
#include "internal.h"

#define POLL_NO_DEADLINE	(~0ULL)
#define N_INLINE_POLL_ENTRIES	8

/* select's view of poll events (Linux fs/select.c). */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)

struct poll_table_entry {
	struct file *filp;			/* referenced until poll_freewait() */
	__poll_t key;				/* events this entry wakes for */
	struct wait_queue_entry wait;		/* on *wait_address */
	struct wait_queue_head *wait_address;
};

struct poll_table_page {
	struct poll_table_page *next;
	unsigned int used;
	struct poll_table_entry entries[];
};

#define POLL_TABLE_PAGE_ENTRIES \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / sizeof(struct poll_table_entry))

/* One poll or select call: its registrations and the sleeping task. */
struct poll_wqueues {
	struct poll_table pt;
	struct task *task;			/* [immutable] the caller */
	bool triggered;				/* [atomic] a wake-up came since the last scan */
	int error;				/* -ENOMEM if an entry could not be had */
	unsigned int inline_used;
	struct poll_table_page *table;		/* entries beyond the inline ones */
	struct poll_table_entry inline_entries[N_INLINE_POLL_ENTRIES];
};

__poll_t vfs_poll(struct file *file, struct poll_table *pt)
{
	if (!file->f_op || !file->f_op->poll)
		return DEFAULT_POLLMASK;
	return file->f_op->poll(file, pt);
}

static int pollwake(struct wait_queue_entry *wqe, void *key)
{
	struct poll_table_entry *entry = container_of(wqe, struct poll_table_entry, wait);
	struct poll_wqueues *pwq = wqe->private;

	if (key && !((unsigned long)key & entry->key))
		return 0;
	__atomic_store_n(&pwq->triggered, true, __ATOMIC_SEQ_CST);
	return wake_up_process(pwq->task);
}

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *pwq)
{
	struct poll_table_page *table = pwq->table;

	if (pwq->inline_used < N_INLINE_POLL_ENTRIES)
		return &pwq->inline_entries[pwq->inline_used++];
	if (!table || table->used == POLL_TABLE_PAGE_ENTRIES) {
		table = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!table)
			return ERR_PTR(-ENOMEM);
		table->used = 0;
		table->next = pwq->table;
		pwq->table = table;
	}
	return &table->entries[table->used++];
}

static void __pollwait(struct file *file, struct wait_queue_head *wq, struct poll_table *pt)
{
	struct poll_wqueues *pwq = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *entry = poll_get_entry(pwq);

	if (IS_ERR(entry)) {
		pwq->error = (int)PTR_ERR(entry);	/* poll/select returns it */
		return;
	}
	entry->filp = get_file(file);
	entry->wait_address = wq;
	entry->key = pt->key;
	entry->wait.task = pwq->task;
	entry->wait.func = pollwake;
	entry->wait.private = pwq;
	entry->wait.flags = 0;
	add_wait_queue(wq, &entry->wait);
}

static void poll_initwait(struct poll_wqueues *pwq)
{
	pwq->pt.qproc = __pollwait;
	pwq->pt.key = ~0U;
	pwq->task = current;
	pwq->triggered = false;
	pwq->error = 0;
	pwq->inline_used = 0;
	pwq->table = NULL;
}

static void free_poll_entry(struct poll_table_entry *entry)
{
	remove_wait_queue(entry->wait_address, &entry->wait);
	fput(entry->filp);
}

static void poll_freewait(struct poll_wqueues *pwq)
{
	struct poll_table_page *table = pwq->table;

	for (unsigned int i = 0; i < pwq->inline_used; i++)
		free_poll_entry(&pwq->inline_entries[i]);
	while (table) {
		struct poll_table_page *next = table->next;

		for (unsigned int i = 0; i < table->used; i++)
			free_poll_entry(&table->entries[i]);
		kfree(table);
		table = next;
	}
}

static void poll_timer_fn(struct timer *t)
{
	wake_up_process(t->data);
}

/*
 * Sleeps until a registered queue wakes us, a signal, or @deadline.
 * Returns true when the deadline has passed.
 */
static bool poll_schedule_timeout(struct poll_wqueues *pwq, u64 deadline)
{
	struct timer t = { .fn = poll_timer_fn, .data = current };
	bool armed = false;

	/* State first, then the flag: pollwake sets the flag, then wakes. */
	set_current_state(TASK_INTERRUPTIBLE);
	if (!__atomic_load_n(&pwq->triggered, __ATOMIC_SEQ_CST) && !signal_pending_current()) {
		if (deadline == POLL_NO_DEADLINE) {
			schedule();
		} else if (ktime_get_ns() < deadline) {
			timer_add(&t, deadline);
			armed = true;
			schedule();
		}
	}
	set_current_state(TASK_RUNNING);
	if (armed)
		timer_del(&t);
	__atomic_store_n(&pwq->triggered, false, __ATOMIC_SEQ_CST);
	return deadline != POLL_NO_DEADLINE && ktime_get_ns() >= deadline;
}

/* ---- timeouts ------------------------------------------------------------- */

/* The deadline @sec s + @nsec ns from now; -EINVAL unless a valid timespec. */
static int poll_deadline(s64 sec, s64 nsec, u64 *deadline)
{
	u64 now = ktime_get_ns(), ns;

	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)sec >= (POLL_NO_DEADLINE - now) / NSEC_PER_SEC - 1) {
		*deadline = POLL_NO_DEADLINE;
		return 0;
	}
	ns = (u64)sec * NSEC_PER_SEC + (u64)nsec;
	*deadline = now + ns;
	return 0;
}

static u64 poll_time_left(u64 deadline)
{
	u64 now = ktime_get_ns();

	return deadline > now ? deadline - now : 0;
}

/* Writes the time left back to a user timespec (ppoll, pselect6); 0 or -EFAULT. */
static int poll_finish_timespec(struct __kernel_timespec __user *uts, u64 deadline)
{
	u64 left = poll_time_left(deadline);
	struct __kernel_timespec ts = { (long long)(left / NSEC_PER_SEC),
					(long long)(left % NSEC_PER_SEC) };

	if (deadline != POLL_NO_DEADLINE && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/*
 * The end of ppoll, select and pselect6 with @ret: the caller's mask comes
 * back unless a signal interrupted the wait (then it comes back after the
 * signal is handled). A time left that could not be written (@time_err)
 * turns a restart into EINTR; otherwise the fault is ignored, as in Linux.
 */
static int poll_select_finish(int ret, int time_err)
{
	if (ret != -ERESTARTNOHAND)
		restore_saved_sigmask();
	else if (time_err)
		ret = -EINTR;
	return ret;
}

/* The deadline of a user timespec (ppoll, pselect6); NULL is no deadline. */
static int get_timespec_deadline(const struct __kernel_timespec __user *uts, u64 *deadline,
				 bool *nonzero)
{
	struct __kernel_timespec ts;

	*deadline = POLL_NO_DEADLINE;
	*nonzero = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	*nonzero = ts.tv_sec || ts.tv_nsec;
	return poll_deadline(ts.tv_sec, ts.tv_nsec, deadline);
}

/* Installs the user's signal mask (none: NULL) for the wait; poll_select_finish() ends it. */
static int set_user_sigmask(const void __user *mask, size_t sigsetsize)
{
	u64 set;

	if (!mask)
		return 0;
	if (sigsetsize != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, mask, sizeof(set)))
		return -EFAULT;
	set_restore_sigmask(current->blocked);
	set_current_blocked(set);
	return 0;
}

/* ---- poll ------------------------------------------------------------------- */

struct poll_list {
	struct poll_list *next;
	unsigned int len;
	struct pollfd entries[];
};

#define POLLFD_PER_PAGE ((PAGE_SIZE - sizeof(struct poll_list)) / sizeof(struct pollfd))

/* Polls one pollfd, filling revents; returns them. A closed or O_PATH fd is POLLNVAL. */
static __poll_t do_pollfd(struct pollfd *pfd, struct poll_table *pt)
{
	__poll_t mask = 0, filter;
	struct file *f;

	if (pfd->fd < 0)
		goto out;
	mask = POLLNVAL;
	f = fget(current_files(), (unsigned int)pfd->fd);
	if (!f)
		goto out;
	if (!(f->f_mode & FMODE_PATH)) {
		filter = (u16)pfd->events | POLLERR | POLLHUP;
		pt->key = filter;
		mask = vfs_poll(f, pt) & filter;
	}
	fput(f);
out:
	pfd->revents = (short)mask;
	return mask;
}

static int do_poll(struct poll_list *list, struct poll_wqueues *wait, u64 deadline)
{
	bool timed_out = false;

	if (deadline != POLL_NO_DEADLINE && ktime_get_ns() >= deadline) {
		wait->pt.qproc = NULL;
		timed_out = true;
	}
	for (;;) {
		int count = 0;

		for (struct poll_list *walk = list; walk; walk = walk->next) {
			for (unsigned int i = 0; i < walk->len; i++) {
				if (do_pollfd(&walk->entries[i], &wait->pt)) {
					count++;
					wait->pt.qproc = NULL;
				}
			}
		}
		wait->pt.qproc = NULL;
		if (count)
			return count;
		if (wait->error)
			return wait->error;
		if (timed_out)
			return 0;
		if (signal_pending_current())
			return -ERESTARTNOHAND;
		timed_out = poll_schedule_timeout(wait, deadline);
	}
}

static void free_poll_list(struct poll_list *list)
{
	while (list) {
		struct poll_list *next = list->next;

		kfree(list);
		list = next;
	}
}

static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds, u64 deadline)
{
	struct poll_list *head = NULL, **tail = &head;
	struct poll_wqueues table;
	unsigned int done = 0;
	int ret;

	if (nfds > current->rlim[RLIMIT_NOFILE].rlim_cur)
		return -EINVAL;
	while (done < nfds) {
		unsigned int len = min(nfds - done, (unsigned int)POLLFD_PER_PAGE);
		struct poll_list *chunk = kmalloc(sizeof(*chunk) + len * sizeof(struct pollfd),
						  GFP_KERNEL);

		if (!chunk) {
			ret = -ENOMEM;
			goto out_free;
		}
		chunk->next = NULL;
		chunk->len = len;
		*tail = chunk;
		tail = &chunk->next;
		if (copy_from_user(chunk->entries, ufds + done, len * sizeof(struct pollfd))) {
			ret = -EFAULT;
			goto out_free;
		}
		done += len;
	}

	poll_initwait(&table);
	ret = do_poll(head, &table, deadline);
	poll_freewait(&table);

	done = 0;
	for (struct poll_list *walk = head; walk; walk = walk->next) {
		for (unsigned int i = 0; i < walk->len; i++, done++) {
			if (put_user(walk->entries[i].revents, &ufds[done].revents)) {
				ret = -EFAULT;
				goto out_free;
			}
		}
	}
out_free:
	free_poll_list(head);
	return ret;
}

/* poll interrupted with no handler to run: restart_syscall goes on to the same deadline. */
static long poll_restart(struct restart_block *rb);

static long poll_set_restart(struct pollfd __user *ufds, unsigned int nfds, u64 deadline, long ret)
{
	struct restart_block *rb = &current->restart_block;

	if (ret != -ERESTARTNOHAND)
		return ret;
	rb->fn = poll_restart;
	rb->poll_fds = ufds;
	rb->poll_nfds = nfds;
	rb->deadline_ns = deadline;
	return -ERESTART_RESTARTBLOCK;
}

static long poll_restart(struct restart_block *rb)
{
	struct pollfd __user *ufds = rb->poll_fds;

	return poll_set_restart(ufds, rb->poll_nfds, rb->deadline_ns,
				do_sys_poll(ufds, rb->poll_nfds, rb->deadline_ns));
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int, timeout_msecs)
{
	u64 deadline = POLL_NO_DEADLINE;

	if (timeout_msecs >= 0)
		poll_deadline(timeout_msecs / 1000, (s64)(timeout_msecs % 1000) * NSEC_PER_MSEC,
			      &deadline);
	return poll_set_restart(ufds, nfds, deadline, do_sys_poll(ufds, nfds, deadline));
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct __kernel_timespec __user *, tsp, const void __user *, sigmask,
		size_t, sigsetsize)
{
	bool nonzero;
	u64 deadline;
	int ret;

	ret = get_timespec_deadline(tsp, &deadline, &nonzero);
	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, deadline);
	return poll_select_finish(ret, nonzero ? poll_finish_timespec(tsp, deadline) : 0);
}

/* ---- select ----------------------------------------------------------------- */

#define BITS_PER_LONG 64
#define FDS_LONGS(n) DIV_ROUND_UP((unsigned long)(n), BITS_PER_LONG)

/* The three sets the caller passed and the three it gets back, FDS_LONGS(n) longs each. */
struct fd_set_bits {
	unsigned long *in, *out, *ex;
	unsigned long *res_in, *res_out, *res_ex;
};

/* Reads a set of @n fds; bits from @n up to the end of the last long are ignored (cleared). */
static int get_fd_set(unsigned long *set, const void __user *uset, unsigned int n)
{
	size_t size = FDS_LONGS(n) * sizeof(long);

	if (!uset) {
		memset(set, 0, size);
		return 0;
	}
	if (copy_from_user(set, uset, size))
		return -EFAULT;
	if (n % BITS_PER_LONG)
		set[n / BITS_PER_LONG] &= (1UL << (n % BITS_PER_LONG)) - 1;
	return 0;
}

static int set_fd_set(void __user *uset, const unsigned long *set, unsigned int n)
{
	if (!uset)
		return 0;
	return copy_to_user(uset, set, FDS_LONGS(n) * sizeof(long));
}

/* Every fd named in a set must be open: -EBADF otherwise. One pass over the open-fd bitmap. */
static int select_check_fds(struct fd_set_bits *fds, unsigned int n)
{
	struct files_struct *files = current_files();
	int ret = 0;

	spin_lock(&files->lock);
	for (unsigned int w = 0; w < FDS_LONGS(n); w++)
		if ((fds->in[w] | fds->out[w] | fds->ex[w]) & ~files->open_fds[w]) {
			ret = -EBADF;
			break;
		}
	spin_unlock(&files->lock);
	return ret;
}

/* Polls fd @i for what @fds asks; sets its result bits and returns how many. */
static int select_one(struct fd_set_bits *fds, unsigned int i, struct poll_table *pt)
{
	unsigned long bit = 1UL << (i % BITS_PER_LONG);
	unsigned int w = i / BITS_PER_LONG;
	bool in = fds->in[w] & bit, out = fds->out[w] & bit, ex = fds->ex[w] & bit;
	__poll_t mask = POLLNVAL;
	struct fd f = fdget(i);
	int count = 0;

	if (f.file) {
		if (!(f.file->f_mode & FMODE_PATH)) {
			pt->key = POLLEX_SET | (in ? POLLIN_SET : 0) | (out ? POLLOUT_SET : 0);
			mask = vfs_poll(f.file, pt);
		}
		fdput(f);
	}
	if (in && (mask & POLLIN_SET)) {
		fds->res_in[w] |= bit;
		count++;
	}
	if (out && (mask & POLLOUT_SET)) {
		fds->res_out[w] |= bit;
		count++;
	}
	if (ex && (mask & POLLEX_SET)) {
		fds->res_ex[w] |= bit;
		count++;
	}
	return count;
}

/*
 * One pass over every fd the sets name, a word at a time (all-zero words
 * cost one test); after the first ready fd, later polls do not register.
 */
static int select_scan(struct fd_set_bits *fds, unsigned int n, struct poll_table *pt)
{
	int ret = 0;

	for (unsigned int w = 0; w < FDS_LONGS(n); w++) {
		unsigned long want = fds->in[w] | fds->out[w] | fds->ex[w];

		while (want) {
			int c = select_one(fds, w * BITS_PER_LONG + (unsigned int)__builtin_ctzl(want), pt);

			want &= want - 1;
			if (c) {
				ret += c;
				pt->qproc = NULL;
			}
		}
	}
	return ret;
}

static int do_select(unsigned int n, struct fd_set_bits *fds, u64 deadline)
{
	struct poll_wqueues table;
	bool timed_out = false;
	int ret;

	ret = select_check_fds(fds, n);
	if (ret)
		return ret;
	poll_initwait(&table);
	if (deadline != POLL_NO_DEADLINE && ktime_get_ns() >= deadline) {
		table.pt.qproc = NULL;
		timed_out = true;
	}
	for (;;) {
		ret = select_scan(fds, n, &table.pt);
		table.pt.qproc = NULL;
		if (ret || timed_out)
			break;
		if (table.error) {
			ret = table.error;
			break;
		}
		if (signal_pending_current()) {
			ret = -ERESTARTNOHAND;
			break;
		}
		timed_out = poll_schedule_timeout(&table, deadline);
	}
	poll_freewait(&table);
	return ret;
}

static int core_sys_select(int n, void __user *inp, void __user *outp, void __user *exp,
			   u64 deadline)
{
	struct files_struct *files = current_files();
	struct fd_set_bits fds;
	unsigned long *bits;
	size_t longs;
	int ret;

	if (n < 0)
		return -EINVAL;
	/* Linux clamps to the fd table: bits beyond it are ignored. */
	spin_lock(&files->lock);
	if ((unsigned int)n > files->max_fds)
		n = (int)files->max_fds;
	spin_unlock(&files->lock);

	longs = FDS_LONGS(n);
	bits = kcalloc(6 * longs + 1, sizeof(long), GFP_KERNEL);
	if (!bits)
		return -ENOMEM;
	fds.in = bits;
	fds.out = bits + longs;
	fds.ex = bits + 2 * longs;
	fds.res_in = bits + 3 * longs;
	fds.res_out = bits + 4 * longs;
	fds.res_ex = bits + 5 * longs;
	if (get_fd_set(fds.in, inp, (unsigned int)n) || get_fd_set(fds.out, outp, (unsigned int)n) ||
	    get_fd_set(fds.ex, exp, (unsigned int)n)) {
		ret = -EFAULT;
		goto out;
	}
	ret = do_select((unsigned int)n, &fds, deadline);
	if (ret < 0)
		goto out;
	if (set_fd_set(inp, fds.res_in, (unsigned int)n) ||
	    set_fd_set(outp, fds.res_out, (unsigned int)n) ||
	    set_fd_set(exp, fds.res_ex, (unsigned int)n))
		ret = -EFAULT;
out:
	kfree(bits);
	return ret;
}

SYSCALL_DEFINE5(select, int, n, void __user *, inp, void __user *, outp, void __user *, exp,
		struct __kernel_old_timeval __user *, tvp)
{
	struct __kernel_old_timeval tv;
	u64 deadline = POLL_NO_DEADLINE;
	int ret, time_err = 0;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		/* Linux folds whole seconds of tv_usec into tv_sec before checking. */
		if (poll_deadline(tv.tv_sec + tv.tv_usec / 1000000,
				  (tv.tv_usec % 1000000) * (s64)NSEC_PER_USEC, &deadline))
			return -EINVAL;
	}
	ret = core_sys_select(n, inp, outp, exp, deadline);
	if (tvp && (tv.tv_sec || tv.tv_usec) && deadline != POLL_NO_DEADLINE) {
		u64 left = poll_time_left(deadline);

		tv.tv_sec = (long)(left / NSEC_PER_SEC);
		tv.tv_usec = (long)(left % NSEC_PER_SEC / NSEC_PER_USEC);
		if (copy_to_user(tvp, &tv, sizeof(tv)))
			time_err = -EFAULT;
	}
	return poll_select_finish(ret, time_err);
}

/* pselect6's sixth argument: a pointer to this pair (not to a sigset). */
struct sigset_argpack {
	const void __user *p;
	size_t size;
};

SYSCALL_DEFINE6(pselect6, int, n, void __user *, inp, void __user *, outp, void __user *, exp,
		struct __kernel_timespec __user *, tsp, const struct sigset_argpack __user *, sig)
{
	struct sigset_argpack pack = { NULL, 0 };
	bool nonzero;
	u64 deadline;
	int ret;

	ret = get_timespec_deadline(tsp, &deadline, &nonzero);
	if (ret)
		return ret;
	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	ret = set_user_sigmask(pack.p, pack.size);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, deadline);
	return poll_select_finish(ret, nonzero ? poll_finish_timespec(tsp, deadline) : 0);
}
