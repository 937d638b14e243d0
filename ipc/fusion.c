// SPDX-License-Identifier: MIT
/*
 * Fusion rings: zero-copy message rings between processes
 * (docs/fusion-rings.md has the design and the memory-ordering argument).
 *
 * /dev/fusion (misc 10:240): each open file is one endpoint. FUSION_IOC_SETUP
 * makes a ring of 64-byte slots in a tmpfs file and makes this file a
 * producer and/or consumer of it; FUSION_IOC_ATTACH returns a new file (an
 * endpoint of its own) on the same ring, so a forked child or a process that
 * got the fd over AF_UNIX becomes a peer whose death is seen. mmap() of any
 * endpoint maps the ring itself (MAP_SHARED only). Messages move through the
 * shared slots with no system call; the kernel is entered only to sleep
 * (FUSION_IOC_WAIT, or the fusion_wait system call that round trips use;
 * futex-like on a word of the ring), to wake a sleeper
 * (FUSION_IOC_WAKE), and to hand over whole pages (FUSION_IOC_SEND_PAGES /
 * RECV_PAGES), which the kernel owns while they are in flight.
 *
 * Trust: everything in the shared pages may be written by a hostile peer at
 * any time. The kernel reads only the two wait words and, for poll and
 * fdinfo, head, tail and the seq of the slots they point at, always masked
 * into the ring; a bad value gives a wrong readiness answer, never a wrong
 * access. Page transfers are named by tokens the kernel issued and checks
 * against its own table; nothing in a slot ever names a page to the kernel.
 *
 * Lifetime: a ring is referenced by its endpoint files. When the last
 * consumer leaves, the pages in flight are freed and producers' waits end
 * with EPIPE; when the last producer leaves, consumers' waits end with EPIPE
 * (after the data left in the ring, which they read without the kernel).
 *
 * Lock order: ring->lock is a leaf (wake-ups and page references are done
 * after dropping it); mm->lock is taken by the mm helpers without it.
 */
#include <exo/anon_inodes.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <exo/wait_slot.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/fusion.h>

enum { XFER_FREE, XFER_BUSY, XFER_READY };

/* Pages handed to the kernel by FUSION_IOC_SEND_PAGES and not yet received. */
struct fusion_xfer {
	u32 state;			/* [ring->lock] XFER_* */
	u32 gen;			/* [ring->lock] high half of the token */
	u32 npages;			/* [ring->lock] */
	bool move;			/* [ring->lock] receiver may write in place */
	struct page **pages;		/* [ring->lock] one reference each */
};

struct fusion_ring {
	struct spinlock lock;
	int refs;			/* [atomic] endpoint files */
	u32 nslots;			/* [immutable] */
	u32 npages;			/* [immutable] pages of the shared area */
	struct file *shmem;		/* [immutable] holds the shared pages; what mmap maps */
	struct page **pages;		/* [immutable] referenced shared pages, the kernel's view */
	struct fusion_ring_hdr *hdr;	/* [immutable] page_address(pages[0]); shared: untrusted */
	struct wait_queue_head wq[2];	/* sleepers and pollers per FUSION_WORD_* */
	struct task *sleeper[2];	/* [atomic] the single sleeper per word, with a reference */
	u32 producers, consumers;	/* [lock] endpoints of each role */
	bool had_producer, had_consumer;	/* [lock] a role once attached */
	u32 gen;			/* [lock] next token generation */
	u32 xfer_pages;			/* [lock] pages in flight */
	struct fusion_xfer xfers[FUSION_MAX_XFERS];	/* [lock] */
};

struct fusion_ep {
	struct fusion_ring *ring;	/* [set once, cmpxchg] */
	u32 role;			/* [immutable once ring is set] */
};

static long fusion_all_pages;		/* [atomic] pages in flight in every ring */

static const struct file_operations fusion_fops;

static struct fusion_slot *fusion_slot(struct fusion_ring *ring, u32 pos)
{
	unsigned long off = (unsigned long)(pos & (ring->nslots - 1)) * FUSION_SLOT_SIZE;

	return (struct fusion_slot *)((char *)page_address(ring->pages[1 + off / PAGE_SIZE]) +
				      off % PAGE_SIZE);
}

/* The other side of @word is gone: no one will ever change it again. */
static bool fusion_hup_locked(struct fusion_ring *ring, u32 word)
{
	if (word == FUSION_WORD_DATA)
		return ring->had_producer && !ring->producers;
	return ring->had_consumer && !ring->consumers;
}

/* The same without the lock, for wait conditions: a change is followed by a wake-up. */
static bool fusion_hup(struct fusion_ring *ring, u32 word)
{
	if (word == FUSION_WORD_DATA)
		return READ_ONCE(ring->had_producer) && !READ_ONCE(ring->producers);
	return READ_ONCE(ring->had_consumer) && !READ_ONCE(ring->consumers);
}

/*
 * The wake-up of @ring's word @word, whose value the caller has changed
 * (the user's CAS before the system call, or the role counts under the
 * lock): the word's single sleeper, then what is queued on the word's wait
 * queue (pollers, a second sleeper).
 *
 * The slot's exchange is a full barrier between the change and the looks
 * at the slot and the queue (<exo/wait_slot.h>). A sleeper enters the slot
 * with an RMW before it reads the word (fusion_wait_slot()), a queued one
 * sets its state with a fence after queueing and before it reads the word
 * (prepare_to_wait()), a poller queues itself before its own RMW on the
 * word (fusion_poll()): whichever comes first, either it sees the new
 * value or it is seen here.
 */
static void fusion_wake(struct fusion_ring *ring, u32 word)
{
	sleeper_slot_wake_all(&ring->sleeper[word], &ring->wq[word], NULL);
}

/*
 * fusion_wake() by a task about to sleep (state set, word found unchanged):
 * when the woken sleeper sleeps on this CPU, switches straight to it (the
 * directed hand-off: a round trip's peer runs the request at once). True
 * after such a switch, false when the caller must still call schedule().
 */
static __always_inline bool fusion_wake_and_switch(struct fusion_ring *ring, u32 word)
{
	struct wait_queue_head *wq = &ring->wq[word];
	struct task *next = sleeper_slot_take(&ring->sleeper[word]);

	/* No single sleeper: one of the queue's gets the hand-off instead. */
	if (!next)
		return waitqueue_active(wq) && wake_up_all_and_switch(wq);
	if (unlikely(waitqueue_active(wq)))
		wake_up_all(wq);
	return wake_up_and_switch(next);	/* puts the slot's reference */
}

static void fusion_xfer_free(struct fusion_xfer *x)
{
	for (u32 i = 0; i < x->npages; i++)
		put_page(x->pages[i]);
	kfree(x->pages);
}

/* Frees every transfer in flight, one at a time so that put_page() runs unlocked. */
static void fusion_drain(struct fusion_ring *ring)
{
	struct fusion_xfer x;

	for (unsigned int i = 0; i < FUSION_MAX_XFERS; i++) {
		spin_lock(&ring->lock);
		x = ring->xfers[i];
		if (x.state == XFER_READY) {
			ring->xfers[i].state = XFER_FREE;
			ring->xfers[i].pages = NULL;
			ring->xfer_pages -= x.npages;
			__atomic_fetch_sub(&fusion_all_pages, (long)x.npages, __ATOMIC_RELAXED);
		}
		spin_unlock(&ring->lock);
		if (x.state == XFER_READY)
			fusion_xfer_free(&x);
	}
}

static void fusion_ring_put(struct fusion_ring *ring)
{
	if (__atomic_sub_fetch(&ring->refs, 1, __ATOMIC_ACQ_REL))
		return;
	fusion_drain(ring);
	for (u32 i = 0; i < ring->npages; i++)
		put_page(ring->pages[i]);
	kfree(ring->pages);
	fput(ring->shmem);
	kfree(ring);
}

static struct fusion_ring *fusion_ring_create(u32 nslots)
{
	struct fusion_ring *ring;
	int err = -ENOMEM;

	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&ring->lock);
	init_waitqueue_head(&ring->wq[0]);
	init_waitqueue_head(&ring->wq[1]);
	ring->refs = 1;
	ring->nslots = nslots;
	ring->npages = FUSION_RING_BYTES(nslots) / PAGE_SIZE;
	ring->pages = kcalloc(ring->npages, sizeof(*ring->pages), GFP_KERNEL);
	if (!ring->pages)
		goto out_free_ring;
	ring->shmem = shmem_file_setup((loff_t)FUSION_RING_BYTES(nslots));
	if (IS_ERR(ring->shmem)) {
		err = (int)PTR_ERR(ring->shmem);
		goto out_free_pages;
	}
	/* The page cache now holds every page, so each mapping finds these ones. */
	for (u32 i = 0; i < ring->npages; i++) {
		err = filemap_fault(ring->shmem, i, &ring->pages[i]);
		if (err)
			goto out_put_pages;
	}
	ring->hdr = page_address(ring->pages[0]);
	ring->hdr->magic = FUSION_MAGIC;
	ring->hdr->nslots = nslots;
	ring->hdr->mask = nslots - 1;
	ring->hdr->slot_offset = FUSION_HDR_BYTES;
	for (u32 pos = 0; pos < nslots; pos++)
		fusion_slot(ring, pos)->seq = pos;
	return ring;

out_put_pages:
	for (u32 i = 0; i < ring->npages && ring->pages[i]; i++)
		put_page(ring->pages[i]);
	fput(ring->shmem);
out_free_pages:
	kfree(ring->pages);
out_free_ring:
	kfree(ring);
	return ERR_PTR(err);
}

static void fusion_ep_join(struct fusion_ring *ring, u32 role)
{
	spin_lock(&ring->lock);
	if (role & FUSION_ROLE_PRODUCER) {
		ring->producers++;
		ring->had_producer = true;
	}
	if (role & FUSION_ROLE_CONSUMER) {
		ring->consumers++;
		ring->had_consumer = true;
	}
	spin_unlock(&ring->lock);
}

static bool fusion_role_ok(u32 role)
{
	return role && !(role & ~(FUSION_ROLE_PRODUCER | FUSION_ROLE_CONSUMER));
}

static int fusion_open(struct inode *inode, struct file *file)
{
	file->private_data = kzalloc(sizeof(struct fusion_ep), GFP_KERNEL);
	return file->private_data ? 0 : -ENOMEM;
}

static int fusion_release(struct inode *inode, struct file *file)
{
	struct fusion_ep *ep = file->private_data;
	struct fusion_ring *ring;
	bool drain;

	if (!ep)
		return 0;
	ring = ep->ring;
	if (ring) {
		spin_lock(&ring->lock);
		if (ep->role & FUSION_ROLE_PRODUCER)
			ring->producers--;
		if (ep->role & FUSION_ROLE_CONSUMER)
			ring->consumers--;
		drain = (ep->role & FUSION_ROLE_CONSUMER) && !ring->consumers;
		spin_unlock(&ring->lock);
		/* No one is left to receive them: the pages in flight go back now. */
		if (drain)
			fusion_drain(ring);
		/* The counts were changed under the lock, before the exchanges. */
		fusion_wake(ring, FUSION_WORD_DATA);
		fusion_wake(ring, FUSION_WORD_SPACE);
		fusion_ring_put(ring);
	}
	kfree(ep);
	return 0;
}

static long fusion_setup(struct fusion_ep *ep, struct fusion_setup __user *arg)
{
	struct fusion_ring *ring;
	struct fusion_setup s;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.nslots < FUSION_MIN_SLOTS || s.nslots > FUSION_MAX_SLOTS ||
	    (s.nslots & (s.nslots - 1)) || !fusion_role_ok(s.role) || s.reserved)
		return -EINVAL;
	ring = fusion_ring_create(s.nslots);
	if (IS_ERR(ring))
		return PTR_ERR(ring);
	ep->role = s.role;
	/* Two threads setting up one file: the first wins, the other's ring goes. */
	if (!__atomic_compare_exchange_n(&ep->ring, &(struct fusion_ring *){ NULL }, ring, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		fusion_ring_put(ring);
		return -EBUSY;
	}
	fusion_ep_join(ring, s.role);
	return 0;
}

static long fusion_attach(struct fusion_ring *ring, struct fusion_attach __user *arg)
{
	struct fusion_attach a;
	struct fusion_ep *ep;
	int fd;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (!fusion_role_ok(a.role) || (a.flags & ~O_CLOEXEC))
		return -EINVAL;
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	ep->ring = ring;
	ep->role = a.role;
	__atomic_add_fetch(&ring->refs, 1, __ATOMIC_RELAXED);
	fusion_ep_join(ring, a.role);
	fd = anon_inode_getfd("fusion", &fusion_fops, ep, O_RDWR | a.flags);
	if (fd < 0)
		fusion_release(NULL, &(struct file){ .private_data = ep });
	return fd;
}

/* The ring of fusion file @file, or an ERR_PTR: EINVAL for another file, ENXIO before SETUP. */
static struct fusion_ring *fusion_file_ring(struct file *file)
{
	struct fusion_ring *ring;

	if (file->f_op != &fusion_fops)
		return ERR_PTR(-EINVAL);
	ring = READ_ONCE(((struct fusion_ep *)file->private_data)->ring);
	return ring ? ring : ERR_PTR(-ENXIO);
}

/* fusion_wait_slot(): the word has a single sleeper already, queue instead. */
#define FUSION_SLOT_BUSY 1

/*
 * The sleep of fusion_do_wait() without a deadline, as the word's single
 * sleeper: the task enters @ring->sleeper[@word] (an RMW, a full barrier:
 * its state and the slot are set before it reads the word, futex rules),
 * and whoever changes the word takes it off the slot and wakes it
 * (fusion_wake(), <exo/wait_slot.h>), with no wait queue on either side. The slot holds a
 * task reference, put by whoever takes the task off: a waker may still
 * wake it after it left. *@wake_ring's wake-up is done (and the pointer
 * cleared) when the task is about to sleep, straight to the woken if it can
 * (fusion_wake_and_switch()). Returns as fusion_do_wait() does, or
 * FUSION_SLOT_BUSY when another task holds the slot: the caller queues.
 *
 * The slot's protocol is <exo/wait_slot.h>'s, written out: with its
 * sleeper_slot_enter() and sleeper_slot_off() gcc 12 spills in this loop,
 * 7 instructions a wait (fusion_rtt 1,026 -> 1,040).
 */
static __always_inline long fusion_wait_slot(struct fusion_ring *ring, u32 word, u32 expected,
					     struct fusion_ring **wake_ring, u32 wake_word)
{
	struct task **slot = &ring->sleeper[word];
	u32 *wp = &ring->hdr->words[word];
	struct task *me = current;
	long ret = -EAGAIN;

	for (;;) {
		/* get_task(), inline; the puts of this function are never the last (this task runs). */
		__atomic_fetch_add(&me->usage, 1, __ATOMIC_RELAXED);
		WRITE_ONCE(me->state, TASK_INTERRUPTIBLE);
		if (unlikely(!__atomic_compare_exchange_n(slot, &(struct task *){ NULL }, me, false,
							  __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))) {
			WRITE_ONCE(me->state, TASK_RUNNING);
			__atomic_fetch_sub(&me->usage, 1, __ATOMIC_RELEASE);
			return FUSION_SLOT_BUSY;
		}
		if (unlikely(READ_ONCE(*wp) != expected))
			break;
		if (unlikely(fusion_hup(ring, word))) {
			ret = -EPIPE;
			break;
		}
		if (unlikely(signal_pending(me))) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!*wake_ring) {
			schedule();
		} else {
			struct fusion_ring *wr = *wake_ring;

			*wake_ring = NULL;
			if (!fusion_wake_and_switch(wr, wake_word))
				schedule();
		}
		ret = 0;
		/* Running again: the usual waker took this task off the slot and owns its reference. */
		if (unlikely(READ_ONCE(*slot) == me) &&
		    __atomic_compare_exchange_n(slot, &(struct task *){ me }, NULL, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			__atomic_fetch_sub(&me->usage, 1, __ATOMIC_RELEASE);
		if (likely(READ_ONCE(*wp) != expected))
			return 0;
		/* A signal or a stale wake-up: look again from the slot. */
	}
	WRITE_ONCE(me->state, TASK_RUNNING);
	if (__atomic_compare_exchange_n(slot, &(struct task *){ me }, NULL, false, __ATOMIC_SEQ_CST,
					__ATOMIC_RELAXED))
		__atomic_fetch_sub(&me->usage, 1, __ATOMIC_RELEASE);
	return ret;
}

/* fusion_do_wait() on the word's wait queue: with a deadline, or a second sleeper. */
static __noinline long fusion_wait_queue(struct fusion_ring *ring, u32 word, u32 expected,
				       struct fusion_ring *wake_ring, u32 wake_word, u64 timeout_ns)
{
	struct wait_queue_entry wqe;
	u64 deadline = WAIT_NO_DEADLINE;
	u32 *wp = &ring->hdr->words[word];
	bool first = true;
	long ret = 0;

	/* The fields a plain sleeper's entry uses; prepare_to_wait() links it. */
	wqe.task = NULL;
	wqe.func = NULL;
	wqe.flags = 0;
	if (timeout_ns)
		deadline = ktime_get_ns() + timeout_ns;
	prepare_to_wait(&ring->wq[word], &wqe, TASK_INTERRUPTIBLE);
	for (;; first = false) {
		if (READ_ONCE(*wp) != expected) {
			ret = first ? -EAGAIN : 0;
			break;
		}
		if (fusion_hup(ring, word)) {
			ret = -EPIPE;
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (wake_ring) {
			struct fusion_ring *wr = wake_ring;

			wake_ring = NULL;
			if (deadline == WAIT_NO_DEADLINE) {
				if (fusion_wake_and_switch(wr, wake_word))
					goto woken;
			} else {
				fusion_wake(wr, wake_word);
			}
		}
		if (deadline == WAIT_NO_DEADLINE) {
			schedule();
		} else if (schedule_deadline(deadline)) {
			ret = -ETIMEDOUT;
			break;
		}
woken:
		/* The usual case after a wake-up: done, without arming again. */
		if (READ_ONCE(*wp) != expected)
			break;
		prepare_to_wait(&ring->wq[word], &wqe, TASK_INTERRUPTIBLE);
	}
	finish_wait(&ring->wq[word], &wqe);
	if (wake_ring)
		fusion_wake(wake_ring, wake_word);
	return ret;
}

/*
 * Sleeps while @ring's word @word holds @expected (futex rules: the word is
 * read after this task is registered as a sleeper, and a waker changes it
 * before waking, so a change is either seen here or wakes us). When
 * @wake_ring is set, wakes its @wake_word sleepers first, whatever this
 * returns: if this task then sleeps and one of them is asleep on this CPU,
 * the switch goes straight to it (fusion_wake_and_switch(): a round trip's
 * reply runs at once, with no pick from the runqueue). 0 once the word
 * changed, EAGAIN if it had already, EPIPE when the other side is gone,
 * ETIMEDOUT, ERESTARTSYS.
 *
 * Without a deadline the task sleeps in the word's single-sleeper slot
 * (fusion_wait_slot()); with one, or when another task holds the slot, on
 * the word's wait queue.
 */
static __always_inline long fusion_do_wait(struct fusion_ring *ring, u32 word, u32 expected,
					   struct fusion_ring *wake_ring, u32 wake_word, u64 timeout_ns)
{
	long ret;

	if (likely(!timeout_ns)) {
		ret = fusion_wait_slot(ring, word, expected, &wake_ring, wake_word);
		if (likely(ret != FUSION_SLOT_BUSY)) {
			if (unlikely(wake_ring))
				fusion_wake(wake_ring, wake_word);
			return ret;
		}
	}
	return fusion_wait_queue(ring, word, expected, wake_ring, wake_word, timeout_ns);
}

static long fusion_wait(struct fusion_ring *ring, struct fusion_wait __user *arg)
{
	struct fusion_ring *wake_ring = NULL;
	struct fusion_wait w;
	struct fd wf = { NULL };
	long ret;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	if (w.word > FUSION_WORD_SPACE || (w.wake != FUSION_WORD_NONE && w.wake > FUSION_WORD_SPACE))
		return -EINVAL;
	if (w.wake != FUSION_WORD_NONE) {
		wake_ring = ring;
		if (w.wake_fd >= 0) {
			wf = fdget((unsigned int)w.wake_fd);
			if (!wf.file)
				return -EBADF;
			wake_ring = fusion_file_ring(wf.file);
			if (IS_ERR(wake_ring)) {
				fdput(wf);
				return -EINVAL;
			}
		}
	}
	ret = fusion_do_wait(ring, w.word, w.expected, wake_ring, w.wake, w.timeout_ns);
	fdput(wf);
	return ret;
}

/* fusion_wait() in general: fds with references when the table is shared, and every error. */
static __noinline long fusion_wait_fds(int fd, unsigned int word, unsigned int expected,
				       unsigned int wake, int wake_fd, u64 timeout_ns)
{
	struct fusion_ring *ring, *wake_ring = NULL;
	struct fd f, wf = { NULL };
	long ret;

	if (word > FUSION_WORD_SPACE || (wake != FUSION_WORD_NONE && wake > FUSION_WORD_SPACE))
		return -EINVAL;
	f = fdget((unsigned int)fd);
	if (!f.file)
		return -EBADF;
	ring = fusion_file_ring(f.file);
	if (IS_ERR(ring)) {
		ret = PTR_ERR(ring);
		goto out;
	}
	if (wake != FUSION_WORD_NONE) {
		wake_ring = ring;
		if (wake_fd >= 0) {
			wf = fdget((unsigned int)wake_fd);
			ret = -EBADF;
			if (!wf.file)
				goto out;
			wake_ring = fusion_file_ring(wf.file);
			ret = -EINVAL;
			if (IS_ERR(wake_ring))
				goto out;
		}
	}
	ret = fusion_do_wait(ring, word, expected, wake_ring, wake, timeout_ns);
out:
	fdput(wf);
	fdput(f);
	return ret;
}

/* The ring of @fd in a table only this task uses (borrowed, as fdget() does), or NULL. */
static __always_inline struct fusion_ring *fusion_fd_ring(struct files_struct *files,
							  unsigned int fd)
{
	struct file *file = fd < files->max_fds ? files->fd[fd] : NULL;

	if (!file || file->f_op != &fusion_fops)
		return NULL;
	return READ_ONCE(((struct fusion_ep *)file->private_data)->ring);
}

/*
 * fusion_wait(fd, word, expected, wake, wake_fd, timeout_ns): FUSION_IOC_WAIT
 * as a system call of its own (number __NR_fusion_wait, outside Linux's
 * range), the arguments in registers: a round trip makes one of these per
 * side. The round trip's case (no deadline, an unshared fd table, both fds
 * set-up rings, valid words) goes straight to the wait with both files
 * borrowed; anything else, errors included, takes fusion_wait_fds().
 */
SYSCALL_DEFINE6(fusion_wait, int, fd, unsigned int, word, unsigned int, expected,
		unsigned int, wake, int, wake_fd, u64, timeout_ns)
{
	struct files_struct *files = current->files;	/* a task in a system call has a table */
	struct fusion_ring *ring, *wake_ring;

	if (likely(!timeout_ns && word <= FUSION_WORD_SPACE && wake <= FUSION_WORD_SPACE &&
		   wake_fd >= 0 && __atomic_load_n(&files->count, __ATOMIC_RELAXED) == 1)) {
		ring = fusion_fd_ring(files, (unsigned int)fd);
		wake_ring = fusion_fd_ring(files, (unsigned int)wake_fd);
		if (likely(ring && wake_ring))
			return fusion_do_wait(ring, word, expected, wake_ring, wake, 0);
	}
	return fusion_wait_fds(fd, word, expected, wake, wake_fd, timeout_ns);
}

static long fusion_send_pages(struct fusion_ep *ep, struct fusion_pages __user *arg)
{
	struct fusion_ring *ring = ep->ring;
	struct fusion_xfer *x = NULL;
	struct fusion_pages p;
	struct page **pages;
	u32 npages, idx;
	long err;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	if (!(ep->role & FUSION_ROLE_PRODUCER))
		return -EBADF;
	if ((p.flags & ~FUSION_PAGES_MOVE) || p.reserved || !p.len ||
	    (p.addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (p.len > (u64)FUSION_XFER_MAX_PAGES * PAGE_SIZE)
		return -E2BIG;
	npages = (u32)((p.len + PAGE_SIZE - 1) / PAGE_SIZE);
	pages = kcalloc(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	/* Reserve the entry first: a moved range must never be lost to a full table. */
	spin_lock(&ring->lock);
	err = -EPIPE;
	if (!fusion_hup_locked(ring, FUSION_WORD_SPACE)) {
		err = -ENOSPC;
		for (idx = 0; idx < FUSION_MAX_XFERS; idx++) {
			if (ring->xfers[idx].state == XFER_FREE) {
				x = &ring->xfers[idx];
				x->state = XFER_BUSY;
				err = 0;
				break;
			}
		}
	}
	spin_unlock(&ring->lock);
	if (err)
		goto out_free;
	err = mm_get_user_pages(current->mm, p.addr, npages, p.flags & FUSION_PAGES_MOVE, pages);
	spin_lock(&ring->lock);
	if (!err && fusion_hup_locked(ring, FUSION_WORD_SPACE))
		err = -EPIPE;
	if (err) {
		x->state = XFER_FREE;
	} else {
		x->state = XFER_READY;
		x->gen = ++ring->gen;
		x->npages = npages;
		x->move = p.flags & FUSION_PAGES_MOVE;
		x->pages = pages;
		ring->xfer_pages += npages;
		__atomic_fetch_add(&fusion_all_pages, (long)npages, __ATOMIC_RELAXED);
		p.token = ((u64)x->gen << 32) | (idx + 1);
	}
	spin_unlock(&ring->lock);
	if (err == -EPIPE) {
		while (npages)
			put_page(pages[--npages]);
	}
	if (err)
		goto out_free;
	p.len = (u64)npages * PAGE_SIZE;
	return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;

out_free:
	kfree(pages);
	return err;
}

static long fusion_recv_pages(struct fusion_ep *ep, struct fusion_pages __user *arg)
{
	struct fusion_ring *ring = ep->ring;
	struct fusion_xfer x = { 0 };
	struct fusion_pages p;
	unsigned long addr;
	u64 idx;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	if (!(ep->role & FUSION_ROLE_CONSUMER))
		return -EBADF;
	if (p.flags || p.reserved)
		return -EINVAL;
	/* The token came through shared memory: only the table says what it names. */
	idx = (p.token & 0xffffffffU) - 1;
	if (idx >= FUSION_MAX_XFERS)
		return -EINVAL;
	spin_lock(&ring->lock);
	if (ring->xfers[idx].state == XFER_READY && ring->xfers[idx].gen == p.token >> 32) {
		x = ring->xfers[idx];
		ring->xfers[idx].state = XFER_BUSY;
	}
	spin_unlock(&ring->lock);
	if (!x.pages)
		return -ENOENT;
	if (p.addr) {
		long err = mm_replace_user_pages(current->mm, p.addr, x.pages, x.npages, x.move);

		addr = err ? (unsigned long)err : p.addr;
	} else {
		addr = mm_map_user_pages(current->mm, x.pages, x.npages, x.move);
	}
	spin_lock(&ring->lock);
	if (IS_ERR_VALUE(addr)) {
		ring->xfers[idx].state = XFER_READY;
	} else {
		ring->xfers[idx].state = XFER_FREE;
		ring->xfers[idx].pages = NULL;
		ring->xfer_pages -= x.npages;
		__atomic_fetch_sub(&fusion_all_pages, (long)x.npages, __ATOMIC_RELAXED);
	}
	spin_unlock(&ring->lock);
	if (IS_ERR_VALUE(addr))
		return (long)addr;
	/* The new mapping holds its own references. */
	fusion_xfer_free(&x);
	p.addr = addr;
	p.len = (u64)x.npages * PAGE_SIZE;
	p.flags = x.move ? FUSION_PAGES_MOVE : 0;
	return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

static void fusion_info_get(struct fusion_ep *ep, struct fusion_info *info)
{
	struct fusion_ring *ring = ep->ring;

	memset(info, 0, sizeof(*info));
	spin_lock(&ring->lock);
	info->nslots = ring->nslots;
	info->role = ep->role;
	info->producers = ring->producers;
	info->consumers = ring->consumers;
	info->pages = ring->xfer_pages;
	for (unsigned int i = 0; i < FUSION_MAX_XFERS; i++) {
		struct fusion_xfer *x = &ring->xfers[i];

		if (x->state != XFER_READY)
			continue;
		info->xfers++;
		for (u32 j = 0; j < x->npages; j++)
			info->page_refs += (u64)page_count(x->pages[j]);
	}
	spin_unlock(&ring->lock);
	info->all_pages = (u64)__atomic_load_n(&fusion_all_pages, __ATOMIC_RELAXED);
}

static long fusion_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct fusion_ep *ep = file->private_data;
	struct fusion_ring *ring = READ_ONCE(ep->ring);
	void __user *uarg = (void __user *)arg;
	struct fusion_info info;
	u32 word;

	if (cmd == FUSION_IOC_SETUP)
		return ring ? -EBUSY : fusion_setup(ep, uarg);
	if (!ring)
		return cmd == FUSION_IOC_WAIT || cmd == FUSION_IOC_WAKE || cmd == FUSION_IOC_ATTACH ||
		       cmd == FUSION_IOC_SEND_PAGES || cmd == FUSION_IOC_RECV_PAGES ||
		       cmd == FUSION_IOC_INFO ? -ENXIO : -ENOTTY;
	switch (cmd) {
	case FUSION_IOC_ATTACH:
		return fusion_attach(ring, uarg);
	case FUSION_IOC_WAIT:
		return fusion_wait(ring, uarg);
	case FUSION_IOC_WAKE:
		if (copy_from_user(&word, uarg, sizeof(word)))
			return -EFAULT;
		if (word > FUSION_WORD_SPACE)
			return -EINVAL;
		fusion_wake(ring, word);
		return 0;
	case FUSION_IOC_SEND_PAGES:
		return fusion_send_pages(ep, uarg);
	case FUSION_IOC_RECV_PAGES:
		return fusion_recv_pages(ep, uarg);
	case FUSION_IOC_INFO:
		fusion_info_get(ep, &info);
		return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
	}
	return -ENOTTY;
}

/* Called by mm with mm->lock held: swaps in the ring's tmpfs file, which the fault path maps. */
static int fusion_mmap(struct file *file, struct vm_area *vma)
{
	struct fusion_ep *ep = file->private_data;
	struct fusion_ring *ring = READ_ONCE(ep->ring);

	if (!ring)
		return -ENXIO;
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_pgoff ||
	    vma->vm_end - vma->vm_start > FUSION_RING_BYTES(ring->nslots))
		return -EINVAL;
	/* The mmap caller holds @file too, so this fput() is never the last. */
	vma->vm_file = get_file(ring->shmem);
	fput(file);
	return 0;
}

/* Announces a sleeper on @word the way a waiting process does, so a producer wakes pollers too. */
static void fusion_poll_announce(struct fusion_ring *ring, u32 word)
{
	__atomic_fetch_or(&ring->hdr->words[word], FUSION_WAITERS, __ATOMIC_SEQ_CST);
}

static __poll_t fusion_poll(struct file *file, struct poll_table *pt)
{
	struct fusion_ep *ep = file->private_data;
	struct fusion_ring *ring = READ_ONCE(ep->ring);
	__poll_t events = 0;
	u32 head, tail;

	if (!ring)
		return POLLERR;
	poll_wait(file, &ring->wq[FUSION_WORD_DATA], pt);
	poll_wait(file, &ring->wq[FUSION_WORD_SPACE], pt);
	if (pt && (ep->role & FUSION_ROLE_CONSUMER))
		fusion_poll_announce(ring, FUSION_WORD_DATA);
	if (pt && (ep->role & FUSION_ROLE_PRODUCER))
		fusion_poll_announce(ring, FUSION_WORD_SPACE);
	/* Untrusted values, masked by fusion_slot(): at worst a wrong answer. */
	tail = READ_ONCE(ring->hdr->tail);
	head = READ_ONCE(ring->hdr->head);
	if ((ep->role & FUSION_ROLE_CONSUMER) && READ_ONCE(fusion_slot(ring, tail)->seq) == tail + 1)
		events |= POLLIN | POLLRDNORM;
	if ((ep->role & FUSION_ROLE_PRODUCER) && READ_ONCE(fusion_slot(ring, head)->seq) == head)
		events |= POLLOUT | POLLWRNORM;
	spin_lock(&ring->lock);
	if ((ep->role & FUSION_ROLE_CONSUMER) && fusion_hup_locked(ring, FUSION_WORD_DATA))
		events |= POLLHUP;
	if ((ep->role & FUSION_ROLE_PRODUCER) && fusion_hup_locked(ring, FUSION_WORD_SPACE))
		events |= POLLERR | POLLHUP;
	spin_unlock(&ring->lock);
	return events;
}

static void fusion_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct fusion_ep *ep = file->private_data;
	struct fusion_ring *ring = READ_ONCE(ep->ring);
	struct fusion_info info;

	if (!ring) {
		seq_printf(m, "fusion-state: unset\n");
		return;
	}
	fusion_info_get(ep, &info);
	seq_printf(m, "fusion-slots: %u\nfusion-role: %s%s\n", info.nslots,
		   info.role & FUSION_ROLE_PRODUCER ? "p" : "",
		   info.role & FUSION_ROLE_CONSUMER ? "c" : "");
	seq_printf(m, "fusion-head: %u\nfusion-tail: %u\nfusion-words: %x %x\n",
		   READ_ONCE(ring->hdr->head), READ_ONCE(ring->hdr->tail),
		   READ_ONCE(ring->hdr->words[0]), READ_ONCE(ring->hdr->words[1]));
	seq_printf(m, "fusion-producers: %u\nfusion-consumers: %u\n", info.producers,
		   info.consumers);
	seq_printf(m, "fusion-xfers: %u\nfusion-pages: %u\nfusion-page-refs: %llu\n", info.xfers,
		   info.pages, (unsigned long long)info.page_refs);
	seq_printf(m, "fusion-all-pages: %llu\n", (unsigned long long)info.all_pages);
}

static const struct file_operations fusion_fops = {
	.open = fusion_open,
	.release = fusion_release,
	.unlocked_ioctl = fusion_ioctl,
	.mmap = fusion_mmap,
	.poll = fusion_poll,
	.show_fdinfo = fusion_show_fdinfo,
	.llseek = noop_llseek,
};

static int fusion_init(void)
{
	return register_chrdev_fops(FUSION_MAJOR, FUSION_MINOR, &fusion_fops);
}
core_initcall(fusion_init);
