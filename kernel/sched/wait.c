// SPDX-License-Identifier: MIT
/*
 * Wait queues (see <exo/wait.h>). A waiter stays on the queue from
 * prepare_to_wait() to finish_wait(); wake-ups leave it there, so one waiter
 * can be woken several times while it re-checks its condition.
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
		list_add_tail(&wqe->node, &wq->waiters);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	if (!wqe->task)
		return;
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

void __wake_up_locked(struct wait_queue_head *wq, void *key)
{
	struct wait_queue_entry *wqe, *tmp;
	bool exclusive_woken = false;

	lockdep_assert_held(&wq->lock);
	list_for_each_entry_safe(wqe, tmp, &wq->waiters, node) {
		bool exclusive = wqe->flags & WQ_FLAG_EXCLUSIVE;
		int woke;

		if (exclusive && exclusive_woken)
			continue;
		if (wqe->func)
			woke = wqe->func(wqe, key);
		else
			woke = wake_up_process(wqe->task);
		if (exclusive && woke)
			exclusive_woken = true;
	}
}

void __wake_up(struct wait_queue_head *wq, void *key)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	__wake_up_locked(wq, key);
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
