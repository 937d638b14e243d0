/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: a task sleeps on a queue until a condition holds; whoever
 * makes the condition true calls wake_up() on the queue. The condition is
 * re-checked after every wake-up, so spurious wake-ups are harmless. This is
 * the one mechanism behind pipe, tty, socket and child-exit waits, and the
 * poll/select readiness machinery.
 *
 * wait_event_interruptible() returns 0 once the condition holds, or
 * -ERESTARTSYS when a signal is pending (the syscall layer turns that into
 * EINTR or a restart).
 */
#ifndef _EXO_WAIT_H
#define _EXO_WAIT_H

#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <uapi/errno.h>	/* ERESTARTSYS, in __wait_event() */

struct task;

struct wait_queue_entry {
	struct task *task;		/* [immutable] */
	struct list_head node;		/* [wq->lock] */
	/* Called instead of waking @task when set (poll uses it); returns true when it woke someone. */
	int (*func)(struct wait_queue_entry *wqe, void *key);
	void *private;
	unsigned int flags;		/* [immutable while queued] WQ_FLAG_* */
};

/*
 * An exclusive entry (epoll's EPOLLEXCLUSIVE): a wake-up stops calling
 * exclusive entries after the first one that reports it woke someone;
 * the others on the queue are still woken.
 */
#define WQ_FLAG_EXCLUSIVE	0x01
/* Queued by prepare_to_wait(): the wake-up that wakes it takes it off the queue. */
#define WQ_FLAG_AUTOREMOVE	0x02

struct wait_queue_head {
	struct spinlock lock;
	struct list_head waiters;	/* [lock] */
};

#define WAIT_QUEUE_HEAD_INIT(n) { .lock = SPINLOCK_INIT(n.lock), .waiters = LIST_HEAD_INIT(n.waiters) }
#define DECLARE_WAIT_QUEUE_HEAD(n) struct wait_queue_head n = WAIT_QUEUE_HEAD_INIT(n)

void init_waitqueue_head(struct wait_queue_head *wq);
/*
 * Adds @wqe (current task) to @wq unless it is still there, and sets the
 * task state; call before testing the condition. A wake-up takes the entry
 * off @wq (it is queued again by the next call).
 */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe, unsigned int state);
/* Sets the task running again and removes @wqe from @wq if a wake-up did not. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe);
/*
 * Puts @wqe on @wq (or takes it off) without touching the task state: for
 * waiters that sleep on several queues at once (poll), whose @wqe->func
 * does the waking. @wqe stays on @wq across any number of wake-ups.
 */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wqe);
void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *wqe);
/* add_wait_queue() of an entry marked WQ_FLAG_EXCLUSIVE. */
void add_wait_queue_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *wqe);
/* Wakes every task waiting on @wq (the condition is re-checked by each). @key is passed to custom wake functions. */
void __wake_up(struct wait_queue_head *wq, void *key);
/* The same with wq->lock held by the caller. */
void __wake_up_locked(struct wait_queue_head *wq, void *key);
/*
 * Whether @wq has entries, without its lock: only for a waker that made its
 * change and then a full barrier, against sleepers and pollers that fence
 * after queueing (see <exo/wait_slot.h>); else a new entry may be missed.
 */
static __always_inline bool waitqueue_active(struct wait_queue_head *wq)
{
	return READ_ONCE(wq->waiters.next) != &wq->waiters;
}
#define wake_up(wq) __wake_up(wq, NULL)
#define wake_up_all(wq) __wake_up(wq, NULL)
#define wake_up_interruptible(wq) __wake_up(wq, NULL)
bool signal_pending_current(void);
void schedule(void);
/*
 * wake_up_all(@wq) by a task about to sleep (state set, condition false),
 * switching straight to a woken sleeper of this CPU: true if it did (the
 * caller has slept and run again since), false if it only woke (the caller
 * then calls schedule()). kernel/sched/core.c.
 */
bool wake_up_all_and_switch(struct wait_queue_head *wq);
/*
 * The same for one task @next the caller took off a slot of its own, with
 * a reference that this call puts (fusion rings' single sleeper): wakes it,
 * switching straight to it when it sleeps on this CPU. kernel/sched/core.c.
 */
bool wake_up_and_switch(struct task *next);

/*
 * Sleeps in schedule() like schedule(), counted as waiting for I/O: the CPU's
 * idle loop polls rather than halts while such a sleeper exists (the
 * completion is near), and idle ticks go to /proc/stat's iowait column.
 */
void io_schedule(void);

/*
 * After a wake-up the condition is looked at once before queueing again:
 * the usual wake-up (which took the entry off the queue) ends the wait
 * without touching the queue. Sleeping again always follows a
 * prepare_to_wait() and a look at the condition.
 */
#define ___wait_event(wq, cond, state, ret, sched)                               \
	({                                                                       \
		struct wait_queue_entry __wqe;                                   \
		bool __woken = false;                                            \
		long __ret = 0;                                                  \
		/* What prepare_to_wait() reads; the rest is not zeroed. */     \
		__wqe.task = NULL;                                               \
		__wqe.func = NULL;                                               \
		__wqe.flags = 0;                                                 \
		for (;;) {                                                       \
			if (!__woken)                                            \
				prepare_to_wait(&(wq), &__wqe, state);           \
			if (cond)                                                \
				break;                                           \
			if (__woken) {                                           \
				__woken = false;                                 \
				continue;                                        \
			}                                                        \
			if ((ret) && signal_pending_current()) {                 \
				__ret = -ERESTARTSYS;                            \
				break;                                           \
			}                                                        \
			sched();                                                 \
			__woken = true;                                          \
		}                                                                \
		finish_wait(&(wq), &__wqe);                                      \
		__ret;                                                           \
	})
#define __wait_event(wq, cond, state, ret) ___wait_event(wq, cond, state, ret, schedule)

#define wait_event(wq, cond) ((void)__wait_event(wq, cond, TASK_UNINTERRUPTIBLE, 0))
/* wait_event() for a wait on a device: the sleep is I/O wait (io_schedule()). */
#define io_wait_event(wq, cond) \
	((void)___wait_event(wq, cond, TASK_UNINTERRUPTIBLE, 0, io_schedule))
#define wait_event_interruptible(wq, cond) __wait_event(wq, cond, TASK_INTERRUPTIBLE, 1)

/* No deadline: wait_event_interruptible_deadline() sleeps like wait_event_interruptible(). */
#define WAIT_NO_DEADLINE (~0ULL)
/*
 * With the task state already set: returns true at once if @deadline_ns
 * (the ktime_get_ns() clock) has passed, else sleeps until a wake-up or
 * the deadline and returns false.
 */
bool schedule_deadline(u64 deadline_ns);

/*
 * wait_event_interruptible() that also gives up at @deadline (ktime_get_ns()
 * nanoseconds, or WAIT_NO_DEADLINE): 0 once @cond holds, -ERESTARTSYS on a
 * signal, -ETIMEDOUT when the deadline passes first.
 */
#define wait_event_interruptible_deadline(wq, cond, deadline)                   \
	({                                                                       \
		struct wait_queue_entry __wqe;                                   \
		u64 __dl = (deadline);                                           \
		bool __woken = false;                                            \
		long __ret = 0;                                                  \
		/* What prepare_to_wait() reads; the rest is not zeroed. */     \
		__wqe.task = NULL;                                               \
		__wqe.func = NULL;                                               \
		__wqe.flags = 0;                                                 \
		for (;;) {                                                       \
			if (!__woken)                                            \
				prepare_to_wait(&(wq), &__wqe, TASK_INTERRUPTIBLE); \
			if (cond)                                                \
				break;                                           \
			if (__woken) {                                           \
				__woken = false;                                 \
				continue;                                        \
			}                                                        \
			if (signal_pending_current()) {                          \
				__ret = -ERESTARTSYS;                            \
				break;                                           \
			}                                                        \
			if (__dl == WAIT_NO_DEADLINE)                            \
				schedule();                                      \
			else if (schedule_deadline(__dl)) {                      \
				__ret = -ETIMEDOUT;                              \
				break;                                           \
			}                                                        \
			__woken = true;                                          \
		}                                                                \
		finish_wait(&(wq), &__wqe);                                      \
		__ret;                                                           \
	})

#endif /* _EXO_WAIT_H */
