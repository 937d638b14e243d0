/* SPDX-License-Identifier: MIT */
/*
 * A single sleeper's slot beside a wait queue: the fusion rings' words and
 * the two ends of a pipe. The usual wait has one sleeper (a round trip's
 * peer); it puts itself in the slot with one compare-and-exchange and its
 * waker takes it off with one exchange, where a wait queue costs a locked
 * queueing, a locked walk and a locked removal. A second sleeper finds the
 * slot taken and sleeps on the queue; pollers always queue.
 *
 * Ordering, futex rules: the sleeper enters the slot with a full barrier
 * (the compare-and-exchange) before it looks at its condition; the waker
 * changes the condition, then exchanges the slot (a full barrier) before
 * it looks at the queue with waitqueue_active(). Whichever side comes
 * second sees the other's store. Queued sleepers set their state with a
 * fence after queueing (prepare_to_wait()) and pollers must fence after
 * poll_wait() before looking, for the same reason.
 *
 * The slot holds a task reference, put by whoever takes the task off: a
 * waker that took it may still wake it after it stopped waiting. A task
 * that runs holds a reference of its own, so the sleeper's puts are never
 * the last and need no call.
 */
#ifndef _EXO_WAIT_SLOT_H
#define _EXO_WAIT_SLOT_H

#include <exo/exit.h>
#include <exo/sched.h>
#include <exo/wait.h>

/*
 * Sets the state of @me, the current task, to @state and puts it in @slot:
 * true, or false (state running again) when another task holds the slot.
 */
static __always_inline bool sleeper_slot_enter(struct task **slot, struct task *me,
					       unsigned int state)
{
	__atomic_fetch_add(&me->usage, 1, __ATOMIC_RELAXED);
	WRITE_ONCE(me->state, state);
	if (likely(__atomic_compare_exchange_n(slot, &(struct task *){ NULL }, me, false,
					       __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)))
		return true;
	WRITE_ONCE(me->state, TASK_RUNNING);
	__atomic_fetch_sub(&me->usage, 1, __ATOMIC_RELEASE);
	return false;
}

/* @me (current) off @slot, unless the usual waker took it off with its reference. */
static __always_inline void sleeper_slot_off(struct task **slot, struct task *me)
{
	/* The plain read sees our own entry or a later value. */
	if (READ_ONCE(*slot) == me &&
	    __atomic_compare_exchange_n(slot, &(struct task *){ me }, NULL, false, __ATOMIC_SEQ_CST,
					__ATOMIC_RELAXED))
		__atomic_fetch_sub(&me->usage, 1, __ATOMIC_RELEASE);
}

/* @me (current) stops waiting: running, and off @slot. */
static __always_inline void sleeper_slot_leave(struct task **slot, struct task *me)
{
	WRITE_ONCE(me->state, TASK_RUNNING);
	sleeper_slot_off(slot, me);
}

/* For a waker that changed the condition: the slot's sleeper, referenced, or NULL. */
static __always_inline struct task *sleeper_slot_take(struct task **slot)
{
	return __atomic_exchange_n(slot, NULL, __ATOMIC_SEQ_CST);
}

/* Wakes the slot's sleeper, if any, after a change of the condition. */
static __always_inline void sleeper_slot_wake(struct task **slot)
{
	struct task *t = sleeper_slot_take(slot);

	if (t) {
		wake_up_state(t, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
		put_task_inline(t);
	}
}

/*
 * Wakes the slot's sleeper and then, if it has entries, @wq with poll key
 * @key (NULL: every poller): the wake-up of whoever changed the condition.
 */
static __always_inline void sleeper_slot_wake_all(struct task **slot, struct wait_queue_head *wq,
						  void *key)
{
	sleeper_slot_wake(slot);
	if (waitqueue_active(wq))
		__wake_up(wq, key);
}

/*
 * wait_event_interruptible() in @slot, or on @wq when the slot is taken:
 * 0 once @cond holds, -ERESTARTSYS on a signal.
 */
#define sleeper_slot_wait_event(slot, wq, cond)                                  \
	({                                                                       \
		struct task *__me = current;                                     \
		long __ret = 0;                                                  \
		for (;;) {                                                       \
			bool __stop;                                             \
			if (unlikely(!sleeper_slot_enter(slot, __me, TASK_INTERRUPTIBLE))) { \
				__ret = wait_event_interruptible(wq, cond);      \
				break;                                           \
			}                                                        \
			__stop = (cond);                                         \
			if (!__stop && unlikely(signal_pending(__me))) {         \
				__ret = -ERESTARTSYS;                            \
				__stop = true;                                   \
			}                                                        \
			if (!__stop)                                             \
				schedule();                                      \
			sleeper_slot_leave(slot, __me);                          \
			if (__stop || (cond))                                    \
				break;                                           \
		}                                                                \
		__ret;                                                           \
	})

#endif /* _EXO_WAIT_SLOT_H */
