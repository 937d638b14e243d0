// SPDX-License-Identifier: MIT
/*
 * epoll: epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait,
 * epoll_pwait2. An epoll instance (struct eventpoll) is a set of watched
 * (file, fd) pairs (struct epitem) and a ready list.
 *
 * Adding an item calls the target's poll method with a poll table whose
 * qproc (ep_ptable_queue_proc) puts one wait entry (struct eppoll_entry)
 * on every queue the method names. The entries stay there for the item's
 * life; their wake function, ep_poll_callback(), runs in whatever context
 * wakes the queue (an interrupt for timerfd), drops wake-ups whose key
 * does not meet the item's events, links the item on the ready list and
 * wakes the epoll_wait sleepers and the pollers of the epoll file itself.
 * epoll_wait takes the ready list (a "scan"), asks each item's poll method
 * again what holds now (a stale entry reports nothing and is dropped),
 * copies the events out and puts level-triggered items back; edge-triggered
 * items come back only with the next wake-up; EPOLLONESHOT items are
 * disabled (events cleared but for the private bits) until EPOLL_CTL_MOD.
 *
 * A scan holds ep->mtx and works on a private list without ep->lock: while
 * ep->scanning, callbacks put items on ep->ovflist (the overflow list, as
 * Linux) instead of the ready list, and ep_done_scan() merges it back, so
 * no wake-up during a scan is lost. epoll_wait looks at the lists without
 * ep->mtx and scans only when something is there; as a waiter looking
 * during another's scan sees nothing, the end of a scan that leaves items
 * ready wakes the waiters.
 *
 * EPOLLEXCLUSIVE items wait as exclusive entries (WQ_FLAG_EXCLUSIVE): one
 * wake-up of the target reaches only the first exclusive epoll set whose
 * item wants the event. An epoll file can be watched by another (nesting):
 * its poll method rescans its own ready list one level deeper; adding one
 * that would make a loop, or a chain deeper than EP_MAX_NESTS, is ELOOP.
 * The last fput() of a watched file removes it from every set
 * (eventpoll_release_file); items do not hold references to their files.
 *
 * Lock order: epmutex (topology: items whose target is an epoll file,
 * the loop check) -> ep->mtx (nested epolls by depth: the outer first, as
 * subclass = depth) -> file->f_lock (file->f_ep_links).
 * Wake side: a target's queue lock -> ep->lock (irqsave, a leaf but for
 * ep->wq.lock) -> ep->wq.lock -> rq->lock; the callback drops ep->lock
 * before waking ep->poll_wait, whose lock nests by depth (ep->nests) when
 * an epoll file wakes the sets above it.
 */
#include <exo/anon_inodes.h>
#include <exo/err.h>
#include <exo/eventpoll.h>
#include <exo/fs.h>
#include <exo/mutex.h>
#include <exo/poll.h>
#include <exo/rbtree.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/eventpoll.h>
#include <uapi/time_types.h>

/* Linux's limit on nested epoll sets; one more level is ELOOP. */
#define EP_MAX_NESTS		4
#define EP_PRIVATE_BITS		(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLINOUT_BITS		(EPOLLIN | EPOLLOUT)
#define EPOLLEXCLUSIVE_OK_BITS	(EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | \
				 EPOLLEXCLUSIVE)
#define EP_MAX_EVENTS		(__INT_MAX__ / (int)sizeof(struct epoll_event))
#define EP_NO_DEADLINE		(~0ULL)

struct eventpoll {
	struct mutex mtx;		/* items, scans, epoll_ctl */
	struct spinlock lock;		/* irqsave: rdllist, ovflist, scanning, epi->ready/ovf */
	struct wait_queue_head wq;	/* epoll_wait sleepers */
	struct wait_queue_head poll_wait; /* pollers of the epoll file (poll, select, outer sets) */
	struct list_head rdllist;	/* [lock; the scanner's while scanning] ready items */
	struct list_head ovflist;	/* [lock] items woken during a scan */
	bool scanning;			/* [lock] */
	struct rb_root rbr;		/* [mtx] every epitem, by (file, fd) */
	struct list_head nested;	/* [epmutex] epitems whose target is an epoll file */
	struct file *file;		/* [immutable] */
	unsigned int nests;		/* [poll_wait.lock] depth of the wake-up in progress */
	u64 gen;			/* [epmutex] loop check generation of upward_depth */
	int upward_depth;		/* [epmutex] */
};

struct epitem;

struct eppoll_entry {
	struct eppoll_entry *next;		/* [ep->mtx] the item's entries */
	struct epitem *base;			/* [immutable] */
	struct wait_queue_entry wait;
	struct wait_queue_head *whead;		/* [atomic] NULL once a POLLFREE took it off */
};

struct epitem {
	struct rb_node rbn;		/* [ep->mtx] in ep->rbr */
	struct list_head rdllink;	/* [ep->lock] on rdllist or a scan's list, when ready */
	struct list_head ovflink;	/* [ep->lock] on ep->ovflist, when ovf */
	bool ready, ovf;		/* [ep->lock] */
	struct list_head fllink;	/* [file->f_lock] on file->f_ep_links */
	struct list_head nestlink;	/* [epmutex] on ep->nested (target is an epoll) */
	struct file *file;		/* [immutable] not referenced: its last fput removes us */
	int fd;				/* [immutable] */
	struct eventpoll *ep;		/* [immutable] */
	struct eppoll_entry *pwqlist;	/* [ep->mtx] */
	int nwait;			/* [ep->mtx] -1: a queue entry could not be allocated */
	struct epoll_event event;	/* [ep->mtx] events also read by the callback (atomic) */
};

/* Adding an item: its poll table and the item. */
struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
};

static DEFINE_MUTEX(epmutex);
static u64 loop_check_gen;		/* [epmutex] */
static const struct file_operations eventpoll_fops;

static bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

/* ep->mtx with the nesting depth as lockdep subclass (outer sets first). */
static void ep_mtx_lock(struct eventpoll *ep, unsigned int depth)
	__acquires(&ep->mtx)
{
	__acquire(&ep->mtx);
#ifdef CONFIG_DEBUG
	might_sleep();
	lockdep_acquire(&ep->mtx.dep, &ep->mtx, depth, 0, LOCKDEP_MUTEX);
#else
	(void)depth;
#endif
	if (!__mutex_trylock(&ep->mtx))
		mutex_lock_slowpath(&ep->mtx);
}

/* ---- wake-ups -------------------------------------------------------------------- */

/*
 * Wakes the pollers of @ep's file. When @ep's own wake-up comes from an
 * inner epoll file's (@epi watches one), the lock nests one level deeper.
 */
static void ep_poll_safewake(struct eventpoll *ep, struct epitem *epi, __poll_t events)
{
	unsigned int nests = 0;
	unsigned long flags;

	if (epi && is_file_epoll(epi->file))
		nests = ((struct eventpoll *)epi->file->private_data)->nests;
	local_irq_save(flags);
	spin_lock_nested(&ep->poll_wait.lock, nests);
	ep->nests = nests + 1;
	__wake_up_locked(&ep->poll_wait, poll_to_key(events));
	ep->nests = 0;
	spin_unlock(&ep->poll_wait.lock);
	local_irq_restore(flags);
}

static bool ep_has_waiters(struct wait_queue_head *wq)
{
	return !list_empty(&wq->waiters);
}

/*
 * Wakes the epoll_wait sleepers after a ready list change. The full fence
 * orders the list change before the lockless look at the sleepers (and at
 * ep->poll_wait's, which the caller looks at next); a sleeper orders its
 * queueing before its look at the list the same way (set_current_state,
 * or the mutex of a scan).
 */
static void ep_wake_waiters_locked(struct eventpoll *ep)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (ep_has_waiters(&ep->wq))
		__wake_up(&ep->wq, NULL);
}

/* Links @epi as ready (or on the overflow list during a scan). Caller holds ep->lock. */
static void ep_link_ready_locked(struct eventpoll *ep, struct epitem *epi)
{
	lockdep_assert_held(&ep->lock);
	if (ep->scanning) {
		if (!epi->ovf) {
			epi->ovf = true;
			list_add_tail(&epi->ovflink, &ep->ovflist);
		}
	} else if (!epi->ready) {
		epi->ready = true;
		list_add_tail(&epi->rdllink, &ep->rdllist);
	}
}

/*
 * The wake function on a target's queue; any context, under that queue's
 * lock. Returns 1 when it "woke" the set: for EPOLLEXCLUSIVE items only
 * when the set wants the event, so that the next exclusive set gets it
 * otherwise (Linux's ewake).
 */
static int ep_poll_callback(struct wait_queue_entry *wait, void *key)
{
	struct eppoll_entry *pwq = container_of(wait, struct eppoll_entry, wait);
	struct epitem *epi = pwq->base;
	struct eventpoll *ep = epi->ep;
	__poll_t pollflags = (__poll_t)(unsigned long)key;
	__poll_t events = READ_ONCE(epi->event.events);
	bool pwake = false;
	unsigned long flags;
	int ewake = 0;

	if (pollflags & POLLFREE) {
		/* The queue is going away (signalfd's sighand): never touch it again. */
		list_del_init(&wait->node);
		__atomic_store_n(&pwq->whead, NULL, __ATOMIC_SEQ_CST);
		return 0;
	}
	spin_lock_irqsave(&ep->lock, flags);
	/* A disabled EPOLLONESHOT item, or a wake-up for events it does not want. */
	if (!(events & ~EP_PRIVATE_BITS))
		goto out_unlock;
	if (pollflags && !(pollflags & events))
		goto out_unlock;
	ep_link_ready_locked(ep, epi);
	ep_wake_waiters_locked(ep);
	pwake = ep_has_waiters(&ep->poll_wait);
	if (!(events & EPOLLEXCLUSIVE)) {
		ewake = 1;
	} else {
		switch (pollflags & EPOLLINOUT_BITS) {
		case EPOLLIN:
			ewake = !!(events & EPOLLIN);
			break;
		case EPOLLOUT:
			ewake = !!(events & EPOLLOUT);
			break;
		case 0:
			ewake = 1;
			break;
		}
	}
out_unlock:
	spin_unlock_irqrestore(&ep->lock, flags);
	if (pwake)
		ep_poll_safewake(ep, epi, EPOLLIN | EPOLLRDNORM);
	return ewake;
}

static void ep_ptable_queue_proc(struct file *file, struct wait_queue_head *whead,
				 struct poll_table *pt)
{
	struct ep_pqueue *epq = container_of(pt, struct ep_pqueue, pt);
	struct epitem *epi = epq->epi;
	struct eppoll_entry *pwq;

	(void)file;
	if (epi->nwait < 0)
		return;
	pwq = kmalloc(sizeof(*pwq), GFP_KERNEL);
	if (!pwq) {
		epi->nwait = -1;
		return;
	}
	pwq->base = epi;
	pwq->whead = whead;
	pwq->wait.task = NULL;
	pwq->wait.func = ep_poll_callback;
	pwq->wait.private = NULL;
	pwq->wait.flags = 0;
	pwq->next = epi->pwqlist;
	epi->pwqlist = pwq;
	epi->nwait++;
	if (epi->event.events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(whead, &pwq->wait);
	else
		add_wait_queue(whead, &pwq->wait);
}

/*
 * Removals that may still touch a queue a POLLFREE is taking away: the
 * freeing side (eventpoll_pollfree_sync) waits for them to finish after
 * its POLLFREE wake-up, so a removal that saw the queue before the wake-up
 * cleared whead is done with it before it is freed.
 */
static int ep_unregistering;	/* [atomic] */

static void ep_unregister_pollwait(struct epitem *epi)
{
	__atomic_add_fetch(&ep_unregistering, 1, __ATOMIC_SEQ_CST);
	while (epi->pwqlist) {
		struct eppoll_entry *pwq = epi->pwqlist;
		struct wait_queue_head *whead = __atomic_load_n(&pwq->whead, __ATOMIC_SEQ_CST);

		epi->pwqlist = pwq->next;
		if (whead)
			remove_wait_queue(whead, &pwq->wait);
		kfree(pwq);
	}
	__atomic_sub_fetch(&ep_unregistering, 1, __ATOMIC_SEQ_CST);
}

void eventpoll_pollfree_sync(void)
{
	while (__atomic_load_n(&ep_unregistering, __ATOMIC_SEQ_CST))
		cpu_relax();
}

/* ---- scans ----------------------------------------------------------------------- */

static void ep_start_scan(struct eventpoll *ep, struct list_head *txlist)
{
	unsigned long flags;

	lockdep_assert_held(&ep->mtx);
	spin_lock_irqsave(&ep->lock, flags);
	list_splice_init(&ep->rdllist, txlist);
	ep->scanning = true;
	spin_unlock_irqrestore(&ep->lock, flags);
}

/* Items woken during the scan become ready; those the scan did not reach stay first. */
static void ep_done_scan(struct eventpoll *ep, struct list_head *txlist)
{
	struct epitem *epi, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&ep->lock, flags);
	ep->scanning = false;
	list_for_each_entry_safe(epi, tmp, &ep->ovflist, ovflink) {
		list_del_init(&epi->ovflink);
		epi->ovf = false;
		if (!epi->ready) {
			epi->ready = true;
			list_add_tail(&epi->rdllink, &ep->rdllist);
		}
	}
	list_splice(txlist, &ep->rdllist);
	INIT_LIST_HEAD(txlist);
	/*
	 * Waiters that looked during the scan saw an empty list and went to
	 * sleep (epoll_wait looks without ep->mtx): what is ready now is theirs.
	 */
	if (!list_empty(&ep->rdllist))
		ep_wake_waiters_locked(ep);
	spin_unlock_irqrestore(&ep->lock, flags);
}

static __poll_t ep_scan_ready(struct eventpoll *ep, struct file *file, struct poll_table *pt,
			      unsigned int depth);

/* What @epi's file reports now, among its events; @pt registers (insert) or is NULL. */
static __poll_t ep_item_poll(struct epitem *epi, struct poll_table *pt, unsigned int depth)
{
	struct poll_table ask = { .qproc = NULL };
	__poll_t events = READ_ONCE(epi->event.events), res;

	if (!pt)
		pt = &ask;
	pt->key = events;
	if (is_file_epoll(epi->file))
		res = ep_scan_ready(epi->file->private_data, epi->file, pt, depth + 1);
	else
		res = vfs_poll(epi->file, pt);
	return res & events;
}

/*
 * The poll of an epoll file at nesting @depth: readable when one of its
 * ready items really is; items that are not are dropped from the list.
 */
static __poll_t ep_scan_ready(struct eventpoll *ep, struct file *file, struct poll_table *pt,
			      unsigned int depth)
{
	struct epitem *epi, *tmp;
	LIST_HEAD(txlist);
	__poll_t res = 0;

	poll_wait(file, &ep->poll_wait, pt);
	ep_mtx_lock(ep, depth);
	ep_start_scan(ep, &txlist);
	list_for_each_entry_safe(epi, tmp, &txlist, rdllink) {
		if (ep_item_poll(epi, NULL, depth)) {
			res = EPOLLIN | EPOLLRDNORM;
			break;
		}
		list_del_init(&epi->rdllink);
		epi->ready = false;
	}
	ep_done_scan(ep, &txlist);
	mutex_unlock(&ep->mtx);
	return res;
}

static __poll_t ep_eventpoll_poll(struct file *file, struct poll_table *pt)
{
	return ep_scan_ready(file->private_data, file, pt, 0);
}

/* Copies up to @maxevents ready events to @uevents: how many, or -EFAULT if none could be. */
static int ep_send_events(struct eventpoll *ep, struct epoll_event __user *uevents, int maxevents)
{
	struct epitem *epi, *tmp;
	LIST_HEAD(txlist);
	int res = 0;

	mutex_lock(&ep->mtx);
	ep_start_scan(ep, &txlist);
	list_for_each_entry_safe(epi, tmp, &txlist, rdllink) {
		struct epoll_event ev;
		__poll_t revents;

		if (res >= maxevents)
			break;
		/* The scan owns rdllink and ready until ep_done_scan(). */
		list_del_init(&epi->rdllink);
		epi->ready = false;
		revents = ep_item_poll(epi, NULL, 0);
		if (!revents)
			continue;
		ev.events = revents;
		ev.data = epi->event.data;
		if (copy_to_user(&uevents[res], &ev, sizeof(ev))) {
			list_add(&epi->rdllink, &txlist);
			epi->ready = true;
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->event.events & EPOLLONESHOT) {
			WRITE_ONCE(epi->event.events, epi->event.events & EP_PRIVATE_BITS);
		} else if (!(epi->event.events & EPOLLET)) {
			/* Level-triggered: reported again until its poll says nothing. */
			list_add_tail(&epi->rdllink, &ep->rdllist);
			epi->ready = true;
		}
	}
	ep_done_scan(ep, &txlist);
	mutex_unlock(&ep->mtx);
	return res;
}

static bool ep_events_available(struct eventpoll *ep)
{
	return !list_empty(&ep->rdllist) || !list_empty(&ep->ovflist);
}

/* epoll_wait's loop; @deadline: monotonic ns, 0 for "do not wait", EP_NO_DEADLINE. */
static int ep_poll(struct eventpoll *ep, struct epoll_event __user *uevents, int maxevents,
		   u64 deadline)
{
	bool timed_out = !deadline;

	for (;;) {
		struct wait_queue_entry wait = { .task = NULL };
		/* Nothing ready: no scan, and no ep->mtx for idle waiters to fight over. */
		int res = ep_events_available(ep) ? ep_send_events(ep, uevents, maxevents) : 0;

		if (res || timed_out)
			return res;
		prepare_to_wait(&ep->wq, &wait, TASK_INTERRUPTIBLE);
		if (!ep_events_available(ep)) {
			if (signal_pending_current()) {
				finish_wait(&ep->wq, &wait);
				return -EINTR;
			}
			if (deadline == EP_NO_DEADLINE)
				schedule();
			else
				timed_out = schedule_deadline(deadline);
		}
		finish_wait(&ep->wq, &wait);
	}
}

/* ---- items ----------------------------------------------------------------------- */

/* The order of ep->rbr: by file, then fd (one file can be watched through two fds). */
static int ep_cmp(const struct file *f1, int fd1, const struct epitem *epi)
{
	if (f1 != epi->file)
		return f1 < epi->file ? -1 : 1;
	return fd1 < epi->fd ? -1 : fd1 > epi->fd;
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct rb_node *n = ep->rbr.rb_node;

	while (n) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		int c = ep_cmp(file, fd, epi);

		if (!c)
			return epi;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static void ep_rbtree_insert(struct eventpoll *ep, struct epitem *epi)
{
	struct rb_node **p = &ep->rbr.rb_node, *parent = NULL;

	while (*p) {
		parent = *p;
		p = ep_cmp(epi->file, epi->fd, rb_entry(parent, struct epitem, rbn)) < 0 ?
		    &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&epi->rbn, parent, p);
	rb_insert_color(&epi->rbn, &ep->rbr);
}

/* Takes @epi out of @ep and frees it. Caller holds ep->mtx (and epmutex for an epoll target). */
static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	struct file *file = epi->file;
	unsigned long flags;

	ep_unregister_pollwait(epi);
	spin_lock(&file->f_lock);
	list_del(&epi->fllink);
	spin_unlock(&file->f_lock);
	if (is_file_epoll(file))
		list_del(&epi->nestlink);
	rb_erase(&epi->rbn, &ep->rbr);
	spin_lock_irqsave(&ep->lock, flags);
	if (epi->ready)
		list_del(&epi->rdllink);
	if (epi->ovf)
		list_del(&epi->ovflink);
	spin_unlock_irqrestore(&ep->lock, flags);
	kfree(epi);
}

/* Marks @epi ready after an insert or modify found its events, and wakes the set. */
static void ep_item_now_ready(struct eventpoll *ep, struct epitem *epi)
{
	bool pwake;
	unsigned long flags;

	spin_lock_irqsave(&ep->lock, flags);
	ep_link_ready_locked(ep, epi);
	ep_wake_waiters_locked(ep);
	pwake = ep_has_waiters(&ep->poll_wait);
	spin_unlock_irqrestore(&ep->lock, flags);
	if (pwake)
		ep_poll_safewake(ep, NULL, EPOLLIN | EPOLLRDNORM);
}

static int ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct file *tfile,
		     int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi), GFP_KERNEL);
	struct ep_pqueue epq;
	__poll_t revents;

	if (!epi)
		return -ENOMEM;
	INIT_LIST_HEAD(&epi->rdllink);
	INIT_LIST_HEAD(&epi->ovflink);
	epi->file = tfile;
	epi->fd = fd;
	epi->ep = ep;
	epi->event = *event;
	ep_rbtree_insert(ep, epi);
	spin_lock(&tfile->f_lock);
	list_add_tail(&epi->fllink, &tfile->f_ep_links);
	spin_unlock(&tfile->f_lock);
	if (is_file_epoll(tfile))
		list_add_tail(&epi->nestlink, &ep->nested);

	epq.epi = epi;
	epq.pt.qproc = ep_ptable_queue_proc;
	revents = ep_item_poll(epi, &epq.pt, 0);
	if (epi->nwait < 0) {
		ep_remove(ep, epi);
		return -ENOMEM;
	}
	if (revents)
		ep_item_now_ready(ep, epi);
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	WRITE_ONCE(epi->event.events, event->events);
	epi->event.data = event->data;
	/* The new events are visible to callbacks before we ask the file. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (ep_item_poll(epi, NULL, 0))
		ep_item_now_ready(ep, epi);
	return 0;
}

/* ---- loop check (under epmutex) --------------------------------------------------- */

/* How many epoll levels lie below @ep; more than EP_MAX_NESTS when @inserting is among them. */
static int ep_loop_check_proc(struct eventpoll *ep, struct eventpoll *inserting, int depth)
{
	struct epitem *epi;
	int result = 0;

	list_for_each_entry(epi, &ep->nested, nestlink) {
		struct eventpoll *to = epi->file->private_data;

		if (to == inserting || depth > EP_MAX_NESTS)
			result = EP_MAX_NESTS + 1;
		else
			result = max(result, ep_loop_check_proc(to, inserting, depth + 1) + 1);
		if (result > EP_MAX_NESTS)
			break;
	}
	return result;
}

/* How many epoll levels lie above @ep (sets watching its file, recursively). */
static int ep_upward_depth(struct eventpoll *ep)
{
	struct epitem *epi;
	int result = 0;

	if (ep->gen == loop_check_gen)
		return ep->upward_depth;
	/* Only epoll sets watch an epoll file's f_ep_links here; epmutex holds them still. */
	list_for_each_entry(epi, &ep->file->f_ep_links, fllink)
		result = max(result, ep_upward_depth(epi->ep) + 1);
	ep->gen = loop_check_gen;
	ep->upward_depth = result;
	return result;
}

/* -ELOOP when adding @to into @ep closes a loop or nests more than EP_MAX_NESTS deep. */
static int ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	int depth;

	loop_check_gen++;
	if (to == ep)
		return -ELOOP;
	depth = ep_loop_check_proc(to, ep, 0);
	if (depth > EP_MAX_NESTS)
		return -ELOOP;
	return depth + 1 + ep_upward_depth(ep) > EP_MAX_NESTS ? -ELOOP : 0;
}

/* ---- the epoll file --------------------------------------------------------------- */

static void ep_free(struct eventpoll *ep)
{
	mutex_lock(&epmutex);
	mutex_lock(&ep->mtx);
	while (!rb_empty_root(&ep->rbr))
		ep_remove(ep, rb_entry(rb_first(&ep->rbr), struct epitem, rbn));
	mutex_unlock(&ep->mtx);
	mutex_unlock(&epmutex);
	kfree(ep);
}

static int ep_eventpoll_release(struct inode *inode, struct file *file)
{
	(void)inode;
	if (file->private_data)
		ep_free(file->private_data);
	return 0;
}

void eventpoll_release_file(struct file *file)
{
	mutex_lock(&epmutex);
	for (;;) {
		struct eventpoll *ep;
		struct epitem *epi;

		spin_lock(&file->f_lock);
		epi = list_empty(&file->f_ep_links) ? NULL :
		      list_first_entry(&file->f_ep_links, struct epitem, fllink);
		spin_unlock(&file->f_lock);
		if (!epi)
			break;
		ep = epi->ep;
		mutex_lock(&ep->mtx);
		ep_remove(ep, epi);
		mutex_unlock(&ep->mtx);
	}
	mutex_unlock(&epmutex);
}

/*
 * One line per watched fd, in (file, fd) order as Linux. ep->mtx keeps each
 * item and its target file alive: the target's last fput removes the item
 * under it.
 */
static void ep_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct eventpoll *ep = file->private_data;

	mutex_lock(&ep->mtx);
	for (struct rb_node *n = rb_first(&ep->rbr); n; n = rb_next(n)) {
		struct epitem *epi = rb_entry(n, struct epitem, rbn);
		struct inode *inode = epi->file->f_inode;

		seq_printf(m, "tfd: %8d events: %8x data: %16llx  pos:%lli ino:%lx sdev:%x\n",
			   epi->fd, epi->event.events, (unsigned long long)epi->event.data,
			   (long long)READ_ONCE(epi->file->f_pos), inode->i_ino,
			   (unsigned int)inode->i_sb->s_dev);
	}
	mutex_unlock(&ep->mtx);
}

static const struct file_operations eventpoll_fops = {
	.llseek = noop_llseek,
	.release = ep_eventpoll_release,
	.poll = ep_eventpoll_poll,
	.show_fdinfo = ep_show_fdinfo,
};

static struct eventpoll *ep_alloc(void)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (!ep)
		return NULL;
	mutex_init(&ep->mtx);
	spin_lock_init(&ep->lock);
	/* Own lock classes: they are taken under other queues' locks (wake-ups). */
	spin_lock_init(&ep->wq.lock);
	INIT_LIST_HEAD(&ep->wq.waiters);
	spin_lock_init(&ep->poll_wait.lock);
	INIT_LIST_HEAD(&ep->poll_wait.waiters);
	INIT_LIST_HEAD(&ep->rdllist);
	INIT_LIST_HEAD(&ep->ovflist);
	ep->rbr = RB_ROOT;
	INIT_LIST_HEAD(&ep->nested);
	return ep;
}

static int do_epoll_create(int flags)
{
	struct eventpoll *ep;
	struct file *file;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = ep_alloc();
	if (!ep)
		return -ENOMEM;
	file = anon_inode_getfile("eventpoll", &eventpoll_fops, ep, O_RDWR);
	if (IS_ERR(file)) {
		kfree(ep);
		return (int)PTR_ERR(file);
	}
	ep->file = file;
	fd = fd_install_new(current_files(), file, (unsigned int)flags & EPOLL_CLOEXEC);
	if (fd < 0)
		fput(file);	/* frees ep */
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

static bool ep_op_has_event(int op)
{
	return op != EPOLL_CTL_DEL;
}

/* The operation itself, under ep->mtx (and epmutex for an epoll target). */
static int ep_ctl_op(struct eventpoll *ep, int op, struct file *tfile, int fd,
		     struct epoll_event *epds)
{
	struct epitem *epi;
	int error = -EINVAL;

	mutex_lock(&ep->mtx);
	epi = ep_find(ep, tfile, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (!epi) {
			epds->events |= EPOLLERR | EPOLLHUP;
			error = ep_insert(ep, epds, tfile, fd);
		} else {
			error = -EEXIST;
		}
		break;
	case EPOLL_CTL_DEL:
		if (epi) {
			ep_remove(ep, epi);
			error = 0;
		} else {
			error = -ENOENT;
		}
		break;
	case EPOLL_CTL_MOD:
		if (epi) {
			if (!(epi->event.events & EPOLLEXCLUSIVE)) {
				epds->events |= EPOLLERR | EPOLLHUP;
				error = ep_modify(ep, epi, epds);
			}
		} else {
			error = -ENOENT;
		}
		break;
	}
	mutex_unlock(&ep->mtx);
	return error;
}

/* epoll_ctl with the event already copied in; Linux's checks in Linux's order. */
static int do_epoll_ctl(int epfd, int op, int fd, struct epoll_event *epds)
{
	struct eventpoll *ep;
	struct fd f, tf;
	int error;

	f = fdget((unsigned int)epfd);
	if (!f.file)
		return -EBADF;
	tf = fdget((unsigned int)fd);
	error = -EBADF;
	if (!tf.file)
		goto out_fput;
	/* A file that cannot be waited for (a regular file) cannot be watched. */
	error = -EPERM;
	if (!tf.file->f_op || !tf.file->f_op->poll)
		goto out_tfput;
	/* EPOLLWAKEUP needs CAP_BLOCK_SUSPEND; without it Linux drops the bit silently. */
	if (ep_op_has_event(op) && (epds->events & EPOLLWAKEUP) && !capable_root())
		epds->events &= ~EPOLLWAKEUP;
	error = -EINVAL;
	if (f.file == tf.file || !is_file_epoll(f.file))
		goto out_tfput;
	if (ep_op_has_event(op) && (epds->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			goto out_tfput;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf.file) || (epds->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			goto out_tfput;
	}
	ep = f.file->private_data;

	/* Items on epoll files change the nesting graph: under epmutex, loop-checked. */
	if (is_file_epoll(tf.file)) {
		mutex_lock(&epmutex);
		/* As Linux, even when the item exists (that is EEXIST after the check). */
		error = op == EPOLL_CTL_ADD ? ep_loop_check(ep, tf.file->private_data) : 0;
		if (!error)
			error = ep_ctl_op(ep, op, tf.file, fd, epds);
		mutex_unlock(&epmutex);
	} else {
		error = ep_ctl_op(ep, op, tf.file, fd, epds);
	}
out_tfput:
	fdput(tf);
out_fput:
	fdput(f);
	return error;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, struct epoll_event __user *, event)
{
	struct epoll_event epds = { 0 };

	if (ep_op_has_event(op) && copy_from_user(&epds, event, sizeof(epds)))
		return -EFAULT;
	return do_epoll_ctl(epfd, op, fd, &epds);
}

static int do_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, u64 deadline)
{
	struct fd f;
	int error;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(events, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	f = fdget((unsigned int)epfd);
	if (!f.file)
		return -EBADF;
	error = -EINVAL;
	if (is_file_epoll(f.file))
		error = ep_poll(f.file->private_data, events, maxevents, deadline);
	fdput(f);
	return error;
}

static u64 ep_deadline_ms(int timeout)
{
	if (timeout < 0)
		return EP_NO_DEADLINE;
	if (!timeout)
		return 0;
	return ktime_get_ns() + (u64)timeout * NSEC_PER_MSEC;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, struct epoll_event __user *, events, int, maxevents,
		int, timeout)
{
	return do_epoll_wait(epfd, events, maxevents, ep_deadline_ms(timeout));
}

/* epoll_pwait, epoll_pwait2: the wait under the caller's mask, kept for a handler on EINTR. */
static int do_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, u64 deadline,
			  const u64 __user *sigmask, size_t sigsetsize)
{
	int error;

	if (sigmask) {
		u64 set;

		if (sigsetsize != sizeof(set))
			return -EINVAL;
		if (copy_from_user(&set, sigmask, sizeof(set)))
			return -EFAULT;
		set_restore_sigmask(current->blocked);
		set_current_blocked(set);
	}
	error = do_epoll_wait(epfd, events, maxevents, deadline);
	if (sigmask && error != -EINTR)
		restore_saved_sigmask();
	return error;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, struct epoll_event __user *, events, int, maxevents,
		int, timeout, const u64 __user *, sigmask, size_t, sigsetsize)
{
	return do_epoll_pwait(epfd, events, maxevents, ep_deadline_ms(timeout), sigmask, sigsetsize);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, struct epoll_event __user *, events, int, maxevents,
		const struct __kernel_timespec __user *, timeout, const u64 __user *, sigmask,
		size_t, sigsetsize)
{
	u64 deadline = EP_NO_DEADLINE;

	if (timeout) {
		u64 ns;
		int err = get_timespec_ns(timeout, &ns);

		if (err)
			return err;
		/* A zero timeout polls; one past the clock's range waits forever. */
		deadline = ns ? ns_add_sat(ktime_get_ns(), ns) : 0;
	}
	return do_epoll_pwait(epfd, events, maxevents, deadline, sigmask, sigsetsize);
}
