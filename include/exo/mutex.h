/* SPDX-License-Identifier: MIT */
/*
 * Sleeping mutexes, for sections that may fault, allocate or sleep, which a
 * spinlock holder must not. The owner word is the lock: an uncontended
 * lock or unlock is one atomic operation. A contended locker sleeps
 * (uninterruptibly) on the wait queue and retries when the owner leaves.
 * Task context only. With CONFIG_DEBUG the lock validator (<exo/lockdep.h>)
 * panics on taking a mutex the task already holds and on releasing one it
 * does not hold, as for spinlocks, and checks the order of classes.
 */
#ifndef _EXO_MUTEX_H
#define _EXO_MUTEX_H

#include <exo/compiler.h>
#include <exo/lockdep.h>
#include <exo/sched.h>
#include <exo/types.h>
#include <exo/wait.h>

struct mutex {
	struct task *owner;		/* [atomic] NULL when free */
	struct wait_queue_head wait;	/* tasks sleeping until it is free */
#ifdef CONFIG_DEBUG
	struct lockdep_map dep;		/* [immutable] class and name */
#endif
};

#ifdef CONFIG_DEBUG
#define MUTEX_INIT(n) \
	{ .owner = NULL, .wait = WAIT_QUEUE_HEAD_INIT(n.wait), .dep = LOCKDEP_MAP_INIT(n) }
/* Each call site is a lock class (<exo/lockdep.h>), named after @m. */
#define mutex_init(m)                                           \
	do {                                                    \
		static struct lock_class_key __key;             \
		__mutex_init((m), #m, &__key);                  \
	} while (0)
#else
#define MUTEX_INIT(n) { .owner = NULL, .wait = WAIT_QUEUE_HEAD_INIT(n.wait) }
#define mutex_init(m) __mutex_init((m), NULL, NULL)
#endif
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

static inline void __mutex_init(struct mutex *m, const char *name, struct lock_class_key *key)
{
	m->owner = NULL;
	init_waitqueue_head(&m->wait);
#ifdef CONFIG_DEBUG
	m->dep = (struct lockdep_map){ .key = key, .name = name };
#else
	(void)name;
	(void)key;
#endif
}

static __always_inline bool __mutex_trylock(struct mutex *m)
{
	struct task *expected = NULL;

	return __atomic_compare_exchange_n(&m->owner, &expected, current, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* For sparse, the mutex is held only where mutex_trylock() returned true. */
#define mutex_trylock(m) __cond_lock(m, __mutex_trylock_dep(m))
static __always_inline bool __mutex_trylock_dep(struct mutex *m)
{
	if (!__mutex_trylock(m))
		return false;
#ifdef CONFIG_DEBUG
	lockdep_acquire(&m->dep, m, 0, LOCKDEP_TRYLOCK, LOCKDEP_MUTEX);
#endif
	return true;
}

void mutex_lock_slowpath(struct mutex *m);
void mutex_unlock(struct mutex *m) __releases(m);

static __always_inline void mutex_lock(struct mutex *m)
	__acquires(m)
{
	__acquire(m);
#ifdef CONFIG_DEBUG
	/* Reports sleeping under a spinlock, recursion (a panic) and inversions. */
	might_sleep();
	lockdep_acquire(&m->dep, m, 0, 0, LOCKDEP_MUTEX);
#endif
	if (!__mutex_trylock(m))
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
