// SPDX-License-Identifier: MIT
/*
 * Kernel timers (<exo/timer.h>): one list sorted by expiry, checked on every
 * tick. Sleeps are few and short-lived in this kernel, so a sorted list
 * beats a timer wheel on simplicity at no measurable cost.
 *
 * Lock order: timer_lock is taken with interrupts off; timer functions run
 * without it (they typically wake a task: rq->lock). running_timer lets
 * timer_del() wait for a function running on another CPU.
 */
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <exo/timer.h>

static LIST_HEAD(timer_list);	/* [timer_lock] sorted by expires_ns */
static struct timer *running_timer;	/* [timer_lock] whose function runs now */
static DEFINE_SPINLOCK(timer_lock);

void timer_add(struct timer *t, u64 expires_ns)
{
	struct timer *it;
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	t->expires_ns = expires_ns;
	t->pending = true;
	list_for_each_entry(it, &timer_list, node)
		if (it->expires_ns > expires_ns)
			break;
	list_add_tail(&t->node, &it->node);
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool timer_cancel(struct timer *t)
{
	unsigned long flags;
	bool was_pending;

	spin_lock_irqsave(&timer_lock, flags);
	was_pending = t->pending;
	if (was_pending) {
		list_del(&t->node);
		t->pending = false;
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

bool timer_del(struct timer *t)
{
	unsigned long flags;
	bool was_pending = false;

	spin_lock_irqsave(&timer_lock, flags);
	/*
	 * Timers usually live on their owner's stack or in an object about to
	 * be freed: if another CPU is inside this timer's function, wait until
	 * it is out, and take the timer off again if the function re-added it.
	 */
	for (;;) {
		if (t->pending) {
			list_del(&t->node);
			t->pending = false;
			was_pending = true;
		}
		if (running_timer != t)
			break;
		spin_unlock_irqrestore(&timer_lock, flags);
		cpu_relax();
		spin_lock_irqsave(&timer_lock, flags);
	}
	spin_unlock_irqrestore(&timer_lock, flags);
	return was_pending;
}

void timers_run(void)
{
	u64 now = ktime_get_ns();

	for (;;) {
		struct timer *t;

		spin_lock(&timer_lock);
		if (list_empty(&timer_list)) {
			spin_unlock(&timer_lock);
			return;
		}
		t = list_first_entry(&timer_list, struct timer, node);
		if (t->expires_ns > now) {
			spin_unlock(&timer_lock);
			return;
		}
		list_del(&t->node);
		t->pending = false;
		running_timer = t;
		spin_unlock(&timer_lock);
		t->fn(t);
		spin_lock(&timer_lock);
		running_timer = NULL;
		spin_unlock(&timer_lock);
	}
}

static void sleep_timer_fn(struct timer *t)
{
	wake_up_process(t->data);
}

long schedule_timeout_ns(u64 ns, bool interruptible)
{
	u64 deadline = ktime_get_ns() + ns, now;
	struct timer t = { .fn = sleep_timer_fn, .data = current };

	if (deadline < ns)
		deadline = ~0ULL;
	timer_add(&t, deadline);
	for (;;) {
		set_current_state(interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE);
		if (ktime_get_ns() >= deadline)
			break;
		if (interruptible && signal_pending_current())
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	timer_del(&t);
	now = ktime_get_ns();
	return now >= deadline ? 0 : (long)(deadline - now);
}
