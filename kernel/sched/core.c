// SPDX-License-Identifier: MIT
/*
 * The scheduler core: per-CPU runqueues, schedule(), wake-ups and the tick.
 *
 * Policy: round robin with a time slice of SCHED_SLICE_TICKS timer ticks per
 * turn. A runqueue holds its runnable tasks except the one running (rq->curr);
 * the idle task runs only when the queue is empty. The kernel is not
 * preemptible: a task whose slice ran out is switched away when it next
 * returns to user mode, or when it sleeps or yields.
 *
 * A task is "on_rq" from the moment it is made runnable until it goes to
 * sleep inside schedule(): queued or running. Wake-ups only set the state
 * and queue the task when it is not on_rq, so a task that is about to sleep
 * (state set, schedule() not yet called) simply keeps running.
 *
 * Lock order: tasklist_lock -> rq->lock. rq->lock is taken with interrupts
 * off and held across the context switch; the task switched to releases it
 * (finish_task_switch), which is why a new task starts in ret_from_fork.
 */
#include <exo/err.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/switch_to.h>
#include "sched.h"

#define SCHED_SLICE_TICKS 4	/* 16 ms at HZ=250 */

static struct rq runqueues[NR_CPUS];

struct rq *this_rq(void)
{
	return &runqueues[smp_processor_id()];
}

struct rq *task_rq(const struct task *t)
{
	return &runqueues[t->cpu];
}

static void enqueue_task(struct rq *rq, struct task *t)
{
	assert_spin_locked(&rq->lock);
	list_add_tail(&t->run_node, &rq->queue);
	t->on_rq = true;
	rq->nr_running++;
}

static void dequeue_task(struct rq *rq, struct task *t)
{
	assert_spin_locked(&rq->lock);
	list_del_init(&t->run_node);
	rq->nr_running--;
}

void set_current_state(unsigned int state)
{
	WRITE_ONCE(current->state, state);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

bool wake_up_process(struct task *t)
{
	struct rq *rq = task_rq(t);
	unsigned long flags;
	bool woke = false;

	spin_lock_irqsave(&rq->lock, flags);
	if (t->state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)) {
		t->state = TASK_RUNNING;
		woke = true;
		if (!t->on_rq) {
			enqueue_task(rq, t);
			if (rq->curr == rq->idle)
				rq->idle->need_resched = true;
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return woke;
}

void wake_up_new_task(struct task *t)
{
	struct rq *rq;
	unsigned long flags;

	t->cpu = smp_processor_id();
	rq = task_rq(t);
	spin_lock_irqsave(&rq->lock, flags);
	t->state = TASK_RUNNING;
	t->time_slice = SCHED_SLICE_TICKS;
	enqueue_task(rq, t);
	if (rq->curr == rq->idle)
		rq->idle->need_resched = true;
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Runs in the task switched to, with rq->lock held and interrupts off. */
void finish_task_switch(struct task *prev)
{
	struct rq *rq = this_rq();

	spin_unlock(&rq->lock);
	if (prev->state == TASK_DEAD)
		task_free(prev);
}

void schedule(void)
{
	struct task *prev = current, *next;
	unsigned long flags;
	struct rq *rq;

	local_irq_save(flags);
	rq = this_rq();
	spin_lock(&rq->lock);
	prev->need_resched = false;

	if (prev != rq->idle) {
		if (prev->state == TASK_RUNNING) {
			/* Still runnable: to the back of the queue. */
			list_add_tail(&prev->run_node, &rq->queue);
			rq->nr_running++;
		} else {
			prev->on_rq = false;
		}
	}

	if (list_empty(&rq->queue)) {
		next = rq->idle;
	} else {
		next = list_first_entry(&rq->queue, struct task, run_node);
		dequeue_task(rq, next);
		if (!next->time_slice)
			next->time_slice = SCHED_SLICE_TICKS;
	}

	if (next == prev) {
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	rq->curr = next;
	rq->nr_switches++;
	prev = context_switch(prev, next);
	finish_task_switch(prev);
	local_irq_restore(flags);
}

void scheduler_tick(void)
{
	struct task *curr = current;
	struct rq *rq = this_rq();

	if (!curr || curr == rq->idle)
		return;
	if (curr->time_slice && --curr->time_slice == 0) {
		curr->time_slice = SCHED_SLICE_TICKS;
		if (!list_empty(&rq->queue))
			curr->need_resched = true;
	}
}

u64 nr_context_switches(void)
{
	u64 sum = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++)
		sum += READ_ONCE(runqueues[i].nr_switches);
	return sum;
}

/* A racy sum, as Linux's: a statistic, not a decision input. */
unsigned int nr_running(void)
{
	unsigned int sum = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++) {
		struct rq *rq = &runqueues[i];
		struct task *curr = READ_ONCE(rq->curr);

		sum += READ_ONCE(rq->nr_running);
		if (curr && curr != rq->idle)
			sum++;
	}
	return sum;
}

bool need_resched(void)
{
	return READ_ONCE(current->need_resched);
}

/* The boot CPU's start_kernel context becomes its idle task (pid 0). */
void sched_init(void)
{
	struct task *idle = task_init_idle();

	for (unsigned int i = 0; i < NR_CPUS; i++) {
		spin_lock_init(&runqueues[i].lock);
		INIT_LIST_HEAD(&runqueues[i].queue);
	}
	runqueues[0].idle = idle;
	runqueues[0].curr = idle;
	pr_info("sched: round robin, %d-tick slices, per-CPU runqueues\n", SCHED_SLICE_TICKS);
}

void __noreturn cpu_idle_loop(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* sti; hlt: an interrupt that wakes a task cannot slip in between. */
		arch_safe_halt();
	}
}
