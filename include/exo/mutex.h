/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutexes, for sections that may fault, allocate or sleep, which a
 * spinlock holder must not. The owner word is the lock: an uncontended
 * lock or unlock is one atomic operation. A contended locker sleeps
 * (uninterruptibly) on the wait queue and retries when the owner leaves.
 * Task context only. With CONFIG_DEBUG, taking a mutex the task already
 * holds and releasing one it does not hold panic, as spinlock misuse does.
 */
#ifndef _EXO_MUTEX_H
#define _EXO_MUTEX_H

#include <exo/compiler.h>
#include <exo/sched.h>
#include <exo/types.h>
#include <exo/wait.h>

struct mutex {
	struct task *owner;		/* [atomic] NULL when free */
	struct wait_queue_head wait;	/* tasks sleeping until it is free */
};

#define MUTEX_INIT(n) { .owner = NULL, .wait = WAIT_QUEUE_HEAD_INIT(n.wait) }
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

static inline void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	init_waitqueue_head(&m->wait);
}

static inline bool mutex_trylock(struct mutex *m)
{
	struct task *expected = NULL;

	return __atomic_compare_exchange_n(&m->owner, &expected, current, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void mutex_lock_slowpath(struct mutex *m);
void mutex_unlock(struct mutex *m);

static inline void mutex_lock(struct mutex *m)
{
	if (!mutex_trylock(m))
		mutex_lock_slowpath(m);
}

static inline bool mutex_is_locked(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != NULL;
}

static inline bool mutex_held_by_current(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == current;
}

#endif /* _EXO_MUTEX_H */
