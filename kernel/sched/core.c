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
 * SMP: a task belongs to the runqueue of task->cpu. A wake-up queues it
 * there and interrupts that CPU (reschedule IPI) when it is idle; a signal
 * for a task running on another CPU interrupts it too (kick_process); new tasks
 * go to the least loaded CPU; an idle CPU pulls a waiting task from the
 * busiest runqueue each time it wakes, and every BALANCE_INTERVAL_TICKS a
 * CPU pulls from a runqueue at least two tasks busier than its own. Only
 * queued tasks move, never one that runs or is being switched out (its
 * runqueue lock is held until the switch completes).
 *
 * wake_up_all_and_switch() and wake_up_and_switch() are the other way to
 * switch: a task going to sleep hands the CPU straight to a sleeper it wakes
 * (docs/scheduler.md).
 *
 * Lock order: tasklist_lock -> rq->lock; two runqueue locks in address
 * order, the second taken with spin_lock_nested() for the lock validator. rq->lock is taken with interrupts off and held across the context
 * switch; the task switched to releases it (finish_task_switch), which is
 * why a new task starts in ret_from_fork.
 */
#include <exo/blkdev.h>
#include <exo/cpumask.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/jiffies.h>
#include <uapi/sched.h>
#include <exo/vmalloc.h>
#include <asm/switch_to.h>
#include <exo/exit.h>
#include "sched.h"

#define SCHED_SLICE_TICKS 4	/* 16 ms at HZ=250 */
#define BALANCE_INTERVAL_TICKS 8

static struct rq runqueues[NR_CPUS];

/* SCHED_RR's quantum, 100 ms as on Linux. */
#define RR_SLICE_TICKS (HZ / 10)

/*
 * Real-time tasks (SCHED_FIFO, SCHED_RR) rank by their priority, 1..99,
 * above every fair task (rank 0): schedule() runs the highest rank queued,
 * first come first served within a rank.
 */
static int task_rank(const struct task *t)
{
	return (t->policy == SCHED_FIFO || t->policy == SCHED_RR) ? t->rt_priority : 0;
}

/* Nice 0 gets SCHED_SLICE_TICKS, -20 twice that, 19 a single tick. */
static unsigned int task_slice(const struct task *t)
{
	if (t->policy == SCHED_RR)
		return RR_SLICE_TICKS;
	int ticks = SCHED_SLICE_TICKS * (20 - t->nice) / 20;

	return ticks < 1 ? 1 : (unsigned int)ticks;
}

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

/* Locks the runqueue @t belongs to, following it if it moves meanwhile. */
static __always_inline struct rq *task_rq_lock(struct task *t, unsigned long *flags)
	__acquires(&task_rq(t)->lock)
{
	for (;;) {
		struct rq *rq = task_rq(t);

		spin_lock_irqsave(&rq->lock, *flags);
		if (rq == task_rq(t))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

/*
 * Interrupts @rq's CPU when it idles, or when @t, just queued there,
 * outranks what it runs, so that it picks up what was queued.
 */
static __always_inline void resched_idle_cpu(struct rq *rq, int cpu, const struct task *t)
{
	struct task *curr = rq->curr;

	/* A fair task (rank 0) outranks nothing: the usual wake-up skips the ranks. */
	if (curr == rq->idle || (task_rank(t) && task_rank(t) > task_rank(curr))) {
		curr->need_resched = true;
		if (cpu != (int)smp_processor_id())
			smp_send_reschedule((unsigned int)cpu);
	}
}

/* The highest rank among @rq's queued tasks (-1: none). */
static int rq_top_rank(const struct rq *rq)
{
	const struct task *it;
	int top = -1;

	list_for_each_entry(it, &rq->queue, run_node)
		if (task_rank(it) > top)
			top = task_rank(it);
	return top;
}

bool wake_up_state(struct task *t, unsigned int states)
{
	unsigned long flags;
	bool woke = false;
	struct rq *rq = task_rq_lock(t, &flags);

	if (t->state & states) {
		t->state = TASK_RUNNING;
		woke = true;
		if (!t->on_rq) {
			enqueue_task(rq, t);
			resched_idle_cpu(rq, t->cpu, t);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return woke;
}

void kick_process(struct task *t)
{
	int cpu = READ_ONCE(t->cpu);

	/*
	 * Lockless, as a hint: the caller made the signal pending first (the
	 * fence orders that before this read), and a task switched in after
	 * the read checks for signals on its own way to user mode.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (READ_ONCE(runqueues[cpu].curr) == t)
		smp_send_reschedule((unsigned int)cpu);
}

bool wake_up_process(struct task *t)
{
	return wake_up_state(t, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
}

/* Tasks a runqueue has, running or waiting; read without its lock, so a hint. */
static unsigned int rq_load(const struct rq *rq)
{
	return READ_ONCE(rq->nr_running) + (READ_ONCE(rq->curr) != rq->idle);
}

/* The least loaded online CPU @t may run on; this CPU when it is allowed and ties. */
static int select_cpu(const struct task *t)
{
	unsigned int cpu, best = NR_CPUS;

	if (cpumask_test_cpu(smp_processor_id(), &t->cpus_allowed))
		best = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (!runqueues[cpu].idle || !cpumask_test_cpu(cpu, &t->cpus_allowed))
			continue;
		if (best == NR_CPUS || rq_load(&runqueues[cpu]) < rq_load(&runqueues[best]))
			best = cpu;
	}
	return best == NR_CPUS ? (int)smp_processor_id() : (int)best;
}

void wake_up_new_task(struct task *t)
{
	struct rq *rq;
	unsigned long flags;

	t->cpu = select_cpu(t);
	rq = task_rq(t);
	spin_lock_irqsave(&rq->lock, flags);
	t->state = TASK_RUNNING;
	t->time_slice = task_slice(t);
	enqueue_task(rq, t);
	resched_idle_cpu(rq, t->cpu, t);
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Runs in the task switched to, with rq->lock held and interrupts off. */
/* Queues @t, runnable and fully switched out, on the runqueue of t->cpu. */
static void migrate_queued(struct task *t)
{
	struct rq *rq = task_rq(t);

	spin_lock(&rq->lock);
	t->migrate = false;
	enqueue_task(rq, t);
	resched_idle_cpu(rq, t->cpu, t);
	spin_unlock(&rq->lock);
}

static __always_inline void __finish_task_switch(struct rq *rq, struct task *prev)
	__releases(&rq->lock)
{
	prev->on_cpu = 0;
	spin_unlock(&rq->lock);
	if (prev->migrate)
		migrate_queued(prev);
	if (prev->state == TASK_DEAD)
		put_task(prev);
}

/* For ret_from_fork; the switches of this file finish inline. */
void finish_task_switch(struct task *prev)
	__releases(&this_rq()->lock)
{
	__finish_task_switch(this_rq(), prev);
}

/* With rq->lock held: puts @prev, being switched out, where its state says it belongs. */
static __always_inline void put_prev_task(struct rq *rq, struct task *prev)
{
	if (prev == rq->idle)
		return;
	if (prev->state == TASK_RUNNING && prev->cpu != (int)smp_processor_id()) {
		/* Its affinity moved it: queued there once switched out. */
		prev->on_rq = false;
		prev->migrate = true;
	} else if (prev->state == TASK_RUNNING && prev->policy == SCHED_FIFO &&
		   !prev->sched_yielded) {
		/* Preempted FIFO task: first of its rank again, as POSIX says. */
		list_add(&prev->run_node, &rq->queue);
		rq->nr_running++;
	} else if (prev->state == TASK_RUNNING) {
		/* Still runnable: to the back of the queue. */
		list_add_tail(&prev->run_node, &rq->queue);
		rq->nr_running++;
	} else {
		prev->on_rq = false;
	}
}

/* With rq->lock held and interrupts off (restored to @flags after): runs @next instead of prev. */
static __always_inline void switch_to_next(struct rq *rq, struct task *prev, struct task *next,
			   unsigned long flags)
	__releases(&rq->lock)
{
	rq->curr = next;
	rq->nr_switches++;
	/* Preempted or migrated: its rseq area and critical section are checked before user mode. */
	if (prev->rseq)
		prev->rseq_pending = true;
#ifdef CONFIG_DEBUG
	/* A task whose context is still loaded on another CPU must not be switched to. */
	BUG_ON(next->on_cpu);
#endif
	next->on_cpu = (int)smp_processor_id() + 1;
	prev = context_switch(prev, next);
	/* This CPU's runqueue: the one of whichever CPU we resumed on. */
	__finish_task_switch(this_rq(), prev);
	local_irq_restore(flags);
}

/*
 * What schedule() and wake_up_and_switch() do first: flushes @prev's held
 * block requests if it is going to sleep, then returns this CPU's runqueue
 * locked, interrupts off (saved in @flags).
 */
static __always_inline struct rq *rq_lock_to_switch(struct task *prev, const char *who,
						    unsigned long *flags)
	__acquires(&this_rq()->lock)
{
	struct rq *rq;

	/* Tested here: a sleep without held block requests (the usual one) makes no call. */
	if (prev->state != TASK_RUNNING && prev->plug)
		blk_flush_plug_before_sleep(prev);
#ifdef CONFIG_DEBUG
	/* No spinlock may be held into a switch: only rq->lock, taken below, crosses it. */
	lockdep_sleep_check(who, __FILE__, __LINE__);
#else
	(void)who;
#endif
	local_irq_save(*flags);
	rq = this_rq();
	spin_lock(&rq->lock);
	return rq;
}

void schedule(void)
{
	struct task *prev = current, *next;
	unsigned long flags;
	struct rq *rq = rq_lock_to_switch(prev, "schedule", &flags);

	prev->need_resched = false;
	put_prev_task(rq, prev);
	prev->sched_yielded = false;
	if (list_empty(&rq->queue)) {
		next = rq->idle;
	} else {
		struct task *it;

		next = list_first_entry(&rq->queue, struct task, run_node);
		/* One task queued (a ping-pong's peer): it is the pick. */
		if (next->run_node.next != &rq->queue)
			list_for_each_entry(it, &rq->queue, run_node)
				if (task_rank(it) > task_rank(next))
					next = it;
		dequeue_task(rq, next);
		if (!next->time_slice)
			next->time_slice = task_slice(next);
	}

	if (next == prev) {
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		return;
	}
	switch_to_next(rq, prev, next, flags);
}

/*
 * A sleeper @t this CPU may switch to directly: asleep (not on a runqueue,
 * so fully switched out) on this CPU, allowed here, and outranked by nothing
 * queued. Called with this CPU's rq->lock held.
 */
static __always_inline bool handoff_ok(struct rq *rq, struct task *t)
{
	/*
	 * !on_cpu: a sleeper whose affinity was moved here while another CPU
	 * was still switching it out is not fully off that CPU yet.
	 */
	return (t->state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)) && !t->on_rq &&
	       t->cpu == (int)smp_processor_id() && !t->migrate && !READ_ONCE(t->on_cpu) &&
	       (!rq->nr_running || rq_top_rank(rq) <= task_rank(t));
}

/*
 * With rq->lock held and interrupts off (restored to @flags after), after
 * handoff_ok(@next): the caller, going to sleep, runs @next in its place.
 */
static __always_inline void handoff_switch(struct rq *rq, struct task *prev, struct task *next,
					   unsigned long flags)
	__releases(&rq->lock)
{
	next->state = TASK_RUNNING;
	next->on_rq = true;
	if (!next->time_slice)
		next->time_slice = task_slice(next);
	/*
	 * What schedule() does to prev, reduced to what a hand-off leaves to do:
	 * the callers found prev asleep and need_resched clear under rq->lock,
	 * which every waker and resched_idle_cpu() take, so put_prev_task()
	 * would only clear on_rq; sched_yielded is set only inside
	 * sched_yield()'s own schedule().
	 */
	prev->on_rq = false;
	switch_to_next(rq, prev, next, flags);
}

/*
 * wake_up_all(@wq) for a caller about to sleep, which has set its state
 * (prepare_to_wait()) and found its condition false: when one of the
 * woken is a plain sleeper on this CPU, the caller switches straight to it,
 * without queueing it or picking from the runqueue (a synchronous IPC
 * hand-off: the woken task runs the caller's request at once; its wait
 * entry is taken off @wq, so its sleep must be a prepare_to_wait() loop). The caller
 * goes to sleep as in schedule(), or back to the queue if it was woken in
 * the meantime. Returns true after such a switch (the caller has run again
 * since), false when every waiter was only woken: then the caller calls
 * schedule() itself, as it would have.
 *
 * The slices still apply: the tick charges whichever task runs, and a task
 * whose slice ran out goes through schedule() on its way to user mode, so
 * two tasks handing off to each other cannot starve a third one.
 */
bool wake_up_all_and_switch(struct wait_queue_head *wq)
{
	struct wait_queue_entry *wqe, *tmp;
	struct task *prev = current, *next = NULL;
	bool exclusive_woken = false;
	unsigned long flags;
	struct rq *rq;

	if (prev->state == TASK_RUNNING) {
		__wake_up(wq, NULL);
		return false;
	}
	blk_flush_plug_before_sleep(prev);
#ifdef CONFIG_DEBUG
	lockdep_sleep_check("wake_up_all_and_switch", __FILE__, __LINE__);
#endif
	local_irq_save(flags);
	spin_lock(&wq->lock);
	list_for_each_entry_safe(wqe, tmp, &wq->waiters, node) {
		bool exclusive = wqe->flags & WQ_FLAG_EXCLUSIVE;
		int woke;

		if (exclusive && exclusive_woken)
			continue;
		if (!next && !wqe->func && wqe->task != prev &&
		    READ_ONCE(wqe->task->cpu) == (int)smp_processor_id()) {
			/*
			 * Checked and woken below, under the runqueue lock. Its
			 * entry leaves the queue now (autoremove), so its
			 * finish_wait() takes no lock; prepare_to_wait() puts it
			 * back should it sleep again.
			 */
			next = wqe->task;
			list_del_init(&wqe->node);
			wqe->task = NULL;
			woke = 1;
		} else if (wqe->func) {
			woke = wqe->func(wqe, NULL);
		} else {
			woke = wake_up_process(wqe->task);
		}
		if (exclusive && woke)
			exclusive_woken = true;
	}
	if (!next) {
		spin_unlock(&wq->lock);
		local_irq_restore(flags);
		return false;
	}
	/* wq->lock -> rq->lock: next cannot be woken by anyone else until we let go. */
	rq = this_rq();
	spin_lock(&rq->lock);
	if (!handoff_ok(rq, next) || prev->state == TASK_RUNNING || need_resched()) {
		spin_unlock(&rq->lock);
		wake_up_process(next);
		spin_unlock(&wq->lock);
		local_irq_restore(flags);
		return false;
	}
	spin_unlock(&wq->lock);
	handoff_switch(rq, prev, next, flags);
	return true;
}

/*
 * wake_up_process(@next) for a caller about to sleep (state set, condition
 * found false) that took @next off a single-sleeper slot of its own (a
 * fusion ring's: no wait queue is involved): when @next is asleep on this
 * CPU, the caller switches straight to it, as wake_up_all_and_switch() does.
 * Takes over the caller's reference to @next (put here: on the hand-off
 * under rq->lock, where a sleeper of this CPU cannot run, exit and drop its
 * own). Returns true after such a switch (the caller has run again since),
 * false when @next was only woken: the caller then calls schedule().
 */
bool wake_up_and_switch(struct task *next)
{
	struct task *prev = current;
	unsigned long flags;
	struct rq *rq = rq_lock_to_switch(prev, "wake_up_and_switch", &flags);

	/* Woken meanwhile, or owing the CPU to a slice's end: the ordinary path. */
	if (prev->state == TASK_RUNNING || prev->need_resched || !handoff_ok(rq, next)) {
		spin_unlock(&rq->lock);
		local_irq_restore(flags);
		wake_up_process(next);
		put_task(next);
		return false;
	}
	/* Asleep on this CPU, which is ours: not the last reference (it is not reaped). */
	__atomic_fetch_sub(&next->usage, 1, __ATOMIC_RELEASE);
	handoff_switch(rq, prev, next, flags);
	return true;
}

/* Two runqueue locks, one class: address order, the second annotated as nested. */
static void double_rq_lock(struct rq *a, struct rq *b)
	__acquires(&a->lock) __acquires(&b->lock)
{
	if (a < b) {
		spin_lock(&a->lock);
		spin_lock_nested(&b->lock, SINGLE_DEPTH_NESTING);
	} else {
		spin_lock(&b->lock);
		spin_lock_nested(&a->lock, SINGLE_DEPTH_NESTING);
	}
}

static void double_rq_unlock(struct rq *a, struct rq *b)
	__releases(&a->lock) __releases(&b->lock)
{
	spin_unlock(&a->lock);
	spin_unlock(&b->lock);
}

/*
 * Moves one waiting task from the busiest runqueue to this CPU's when that
 * one has at least @min_gap more tasks. Interrupts off. Returns true when a
 * task moved.
 */
static bool load_balance(unsigned int min_gap)
{
	unsigned int me = smp_processor_id(), cpu;
	struct rq *dst = this_rq(), *src = NULL;
	unsigned int best = 0;
	struct task *t = NULL;

	for_each_online_cpu(cpu) {
		struct rq *rq = &runqueues[cpu];
		unsigned int load = rq_load(rq);

		if (cpu != me && rq->idle && READ_ONCE(rq->nr_running) && load > best) {
			best = load;
			src = rq;
		}
	}
	if (!src || best < rq_load(dst) + min_gap)
		return false;
	double_rq_lock(dst, src);
	if (src->nr_running + 1 >= dst->nr_running + min_gap) {
		struct task *it;

		list_for_each_entry(it, &src->queue, run_node) {
			if (cpumask_test_cpu(me, &it->cpus_allowed)) {
				t = it;
				break;
			}
		}
		if (t) {
			dequeue_task(src, t);
			t->cpu = (int)me;
			enqueue_task(dst, t);
		}
	}
	double_rq_unlock(dst, src);
	return t != NULL;
}

void scheduler_tick(void)
{
	struct task *curr = current;
	struct rq *rq = this_rq();
	int top;

	if (nr_cpus_online > 1 && this_cpu_info()->ticks % BALANCE_INTERVAL_TICKS == 0 &&
	    load_balance(2) && curr == rq->idle)
		curr->need_resched = true;
	if (!curr || curr == rq->idle)
		return;
	spin_lock(&rq->lock);
	top = rq_top_rank(rq);
	spin_unlock(&rq->lock);
	if (top > task_rank(curr)) {
		curr->need_resched = true;
		return;
	}
	/* FIFO runs until it blocks, yields or is outranked. */
	if (curr->policy == SCHED_FIFO)
		return;
	if (curr->time_slice && --curr->time_slice == 0) {
		curr->time_slice = task_slice(curr);
		/* An RR task yields its quantum to its own rank only; a fair one to anyone. */
		if (top >= 0 && top >= task_rank(curr))
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

int sched_set_cpus_allowed(struct task *t, const struct cpumask *mask)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(t, &flags), *dst;
	int old = t->cpu, target;

	t->cpus_allowed = *mask;
	if (cpumask_test_cpu((unsigned int)old, mask)) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return 0;
	}
	target = select_cpu(t);
	if (rq->curr == t || !t->on_rq) {
		/* Running: moves at its next schedule(); asleep: wakes up there. */
		t->cpu = target;
		if (rq->curr == t) {
			t->need_resched = true;
			smp_send_reschedule((unsigned int)old);
		}
		spin_unlock_irqrestore(&rq->lock, flags);
		return 0;
	}
	/* Queued on a CPU it may no longer use: move it now, under both locks. */
	spin_unlock(&rq->lock);
	dst = &runqueues[target];
	double_rq_lock(rq, dst);
	if (t->cpu == old && t->on_rq && rq->curr != t) {
		dequeue_task(rq, t);
		t->cpu = target;
		enqueue_task(dst, t);
		resched_idle_cpu(dst, target, t);
	} else {
		t->cpu = target;
	}
	double_rq_unlock(rq, dst);
	local_irq_restore(flags);
	return 0;
}

void sched_set_policy(struct task *t, int policy, int rt_priority, bool reset_on_fork)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(t, &flags);
	int old_rank = task_rank(t);

	t->policy = policy;
	t->rt_priority = rt_priority;
	t->sched_reset_on_fork = reset_on_fork;
	if (policy == SCHED_RR && t->time_slice > RR_SLICE_TICKS)
		t->time_slice = RR_SLICE_TICKS;
	if (rq->curr == t && task_rank(t) < old_rank && rq_top_rank(rq) > task_rank(t)) {
		t->need_resched = true;
		if (t->cpu != (int)smp_processor_id())
			smp_send_reschedule((unsigned int)t->cpu);
	} else if (rq->curr != t && t->on_rq) {
		resched_idle_cpu(rq, t->cpu, t);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

u64 sched_task_slice_ns(const struct task *t)
{
	if (t->policy == SCHED_FIFO)
		return 0;
	return (u64)task_slice(t) * (NSEC_PER_SEC / HZ);
}

void sched_yield_current(void)
{
	/*
	 * Nothing else queued on this CPU: schedule() would put the caller
	 * back and pick it again. Read without the lock: a task queued
	 * meanwhile finds the caller as if it had yielded just before.
	 */
	if (!READ_ONCE(this_rq()->nr_running))
		return;
	current->sched_yielded = true;
	current->need_resched = true;
	schedule();
}

void sched_init_secondary(struct task *idle)
{
	struct rq *rq = this_rq();

	rq->curr = idle;
	rq->idle = idle;
}

/* [atomic] tasks that went to sleep in io_schedule() on each CPU and are not back. */
static unsigned int nr_iowait[NR_CPUS];

unsigned int nr_iowait_cpu(unsigned int cpu)
{
	return __atomic_load_n(&nr_iowait[cpu], __ATOMIC_RELAXED);
}

void io_schedule(void)
{
	/* Counted where it sleeps: that CPU's idle loop is the one that should wait nearby. */
	unsigned int cpu = smp_processor_id();

	__atomic_add_fetch(&nr_iowait[cpu], 1, __ATOMIC_RELAXED);
	schedule();
	__atomic_sub_fetch(&nr_iowait[cpu], 1, __ATOMIC_RELAXED);
}

/*
 * How long an idle CPU with an I/O sleeper polls before it halts. A device's
 * completion is usually microseconds away; a halt adds the wake-up from the
 * halt and, on a tick-driven virtual clock (QEMU's icount), the rest of the
 * tick. Linux guests do the same through the cpuidle poll state and
 * haltpoll, whose default window is 200 us as here.
 */
#define IDLE_IO_POLL_NS (200 * NSEC_PER_USEC)

/*
 * Spins with interrupts on (a completion interrupt wakes the sleeper and
 * sets need_resched) while this CPU has an I/O sleeper, for at most
 * IDLE_IO_POLL_NS. pause lets a sibling hyperthread, or the hypervisor, run.
 */
static void idle_poll_for_io(unsigned int cpu)
{
	u64 deadline;

	if (!nr_iowait_cpu(cpu))
		return;
	local_irq_enable();
	deadline = ktime_get_ns() + IDLE_IO_POLL_NS;
	while (!need_resched() && nr_iowait_cpu(cpu) && ktime_get_ns() < deadline)
		cpu_relax();
	local_irq_disable();
}

void __noreturn cpu_idle_loop(void)
{
	for (;;) {
		local_irq_disable();
		if (nr_cpus_online > 1 && load_balance(1))
			current->need_resched = true;
		if (!need_resched())
			idle_poll_for_io(smp_processor_id());
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		/* sti; hlt: an interrupt that wakes a task cannot slip in between. */
		arch_safe_halt();
	}
}
