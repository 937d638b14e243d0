// SPDX-License-Identifier: MIT
/*
 * Wait queues (see <exo/wait.h>). prepare_to_wait() queues a waiter; the
 * wake-up that wakes it takes it off the queue again (WQ_FLAG_AUTOREMOVE, as
 * Linux's autoremove_wake_function), so the common sleep costs one locked
 * queueing and a finish_wait() that finds nothing to remove. A waiter whose
 * condition is still false after a wake-up queues itself again with
 * prepare_to_wait() before it looks once more (the wait_event() loop).
 * Entries queued by add_wait_queue() (poll) stay until removed.
 *
 * A finish_wait() that finds its entry gone may return, and the entry (and
 * a queue head on its stack, like submit_bio_wait()'s) go out of scope,
 * only once the waker has let go of wq->lock: it waits until every ticket
 * taken so far has been served.
 *
 * Lock order: wq->lock -> rq->lock (wake_up_process is called under wq->lock).
 */
#include <exo/sched.h>
#include <exo/time.h>
#include <exo/timer.h>
#include <exo/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->waiters);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe, unsigned int state)
{
	unsigned long flags;

	/* Every sleep starts here, even one whose condition holds at once. */
	might_sleep();
	spin_lock_irqsave(&wq->lock, flags);
	if (!wqe->task) {
		wqe->task = current;
		wqe->flags |= WQ_FLAG_AUTOREMOVE;
		list_add_tail(&wqe->node, &wq->waiters);
	}
	/* The state before any look at a condition or signal: a full barrier, inline. */
	WRITE_ONCE(current->state, state);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	unsigned long flags;

	/* No barrier: a wake-up from here on finds the task running, which is what it is. */
	WRITE_ONCE(current->state, TASK_RUNNING);
	if (!__atomic_load_n(&wqe->task, __ATOMIC_ACQUIRE)) {
		/* A wake-up took it off: let that waker out of wq->lock first. */
		spin_unlock_wait(&wq->lock);
		return;
	}
	spin_lock_irqsave(&wq->lock, flags);
	list_del(&wqe->node);
	wqe->task = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&wqe->node, &wq->waiters);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	wqe->flags |= WQ_FLAG_EXCLUSIVE;
	add_wait_queue(wq, wqe);
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_del(&wqe->node);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static __always_inline void wake_up_entries(struct wait_queue_head *wq, void *key)
{
	struct wait_queue_entry *wqe, *tmp;
	bool exclusive_woken = false;

	list_for_each_entry_safe(wqe, tmp, &wq->waiters, node) {
		bool exclusive = wqe->flags & WQ_FLAG_EXCLUSIVE;
		int woke;

		if (exclusive && exclusive_woken)
			continue;
		if (wqe->func) {
			woke = wqe->func(wqe, key);
		} else {
			woke = wake_up_state(wqe->task, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
			/* A prepare_to_wait() sleeper queues itself again if it must sleep on. */
			if (wqe->flags & WQ_FLAG_AUTOREMOVE) {
				list_del_init(&wqe->node);
				__atomic_store_n(&wqe->task, NULL, __ATOMIC_RELEASE);
			}
		}
		if (exclusive && woke)
			exclusive_woken = true;
	}
}

void __wake_up_locked(struct wait_queue_head *wq, void *key)
{
	lockdep_assert_held(&wq->lock);
	wake_up_entries(wq, key);
}

void __wake_up(struct wait_queue_head *wq, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	wake_up_entries(wq, key);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void wait_deadline_timer_fn(struct timer *t)
{
	wake_up_process(t->data);
}

bool schedule_deadline(u64 deadline_ns)
{
	struct timer t = { .fn = wait_deadline_timer_fn, .data = current };

	if (ktime_get_ns() >= deadline_ns)
		return true;
	timer_add(&t, deadline_ns);
	schedule();
	timer_del(&t);
	return false;
}
