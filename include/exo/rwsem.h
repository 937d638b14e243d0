/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer semaphores: a sleeping lock that any number of readers
 * (down_read) or one writer (down_write) hold, for sections that may
 * sleep, fault or do I/O (the VFS's per-inode i_rwsem). Task context only.
 *
 * count is the lock: > 0 readers, -1 a writer, 0 free; an uncontended
 * acquisition or release is one atomic. Writers are preferred: once a
 * writer waits, new readers wait behind it, so a stream of readers cannot
 * starve a writer. That is also why taking a read lock one already holds
 * can deadlock (a writer queued between the two), and why the validator
 * reports it. Waiters sleep uninterruptibly and all retry when the lock
 * is released, as for struct mutex.
 *
 * With CONFIG_DEBUG the validator (<exo/lockdep.h>) tracks both kinds on
 * the task's held stack (a shared acquisition is marked as such), checks
 * the order of classes, panics on a recursive write and on a release by a
 * task that does not hold the lock. down_write_nested() takes a second
 * lock of a class already held, in an order the caller guarantees (the
 * VFS's lock_rename(): ancestor first, else by address).
 */
#ifndef _EXO_RWSEM_H
#define _EXO_RWSEM_H

#include <exo/compiler.h>
#include <exo/lockdep.h>
#include <exo/sched.h>
#include <exo/types.h>
#include <exo/wait.h>

struct rw_semaphore {
	long count;			/* [atomic] readers, -1 for a writer, 0 free */
	int writers_waiting;		/* [atomic] writers in down_write()'s slow path */
	struct task *owner;		/* [atomic] the writer, NULL otherwise */
	struct wait_queue_head wait;	/* readers and writers sleeping for it */
#ifdef CONFIG_DEBUG
	struct lockdep_map dep;		/* [immutable] class and name */
#endif
};

#ifdef CONFIG_DEBUG
#define RWSEM_INIT(n)								\
	{ .count = 0, .writers_waiting = 0, .owner = NULL,			\
	  .wait = WAIT_QUEUE_HEAD_INIT(n.wait), .dep = LOCKDEP_MAP_INIT(n) }
/* Each call site is a lock class (<exo/lockdep.h>), named after @s. */
#define init_rwsem(s)                                           \
	do {                                                    \
		static struct lock_class_key __key;             \
		__init_rwsem((s), #s, &__key);                  \
	} while (0)
#else
#define RWSEM_INIT(n) \
	{ .count = 0, .writers_waiting = 0, .owner = NULL, .wait = WAIT_QUEUE_HEAD_INIT(n.wait) }
#define init_rwsem(s) __init_rwsem((s), NULL, NULL)
#endif
#define DECLARE_RWSEM(n) struct rw_semaphore n = RWSEM_INIT(n)

static inline void __init_rwsem(struct rw_semaphore *s, const char *name,
				struct lock_class_key *key)
{
	s->count = 0;
	s->writers_waiting = 0;
	s->owner = NULL;
	init_waitqueue_head(&s->wait);
#ifdef CONFIG_DEBUG
	s->dep = (struct lockdep_map){ .key = key, .name = name };
#else
	(void)name;
	(void)key;
#endif
}

/* One reader more, unless a writer holds it or waits for it. */
static __always_inline bool __down_read_trylock(struct rw_semaphore *s)
{
	long c = __atomic_load_n(&s->count, __ATOMIC_RELAXED);

	while (c >= 0 && !__atomic_load_n(&s->writers_waiting, __ATOMIC_RELAXED))
		if (__atomic_compare_exchange_n(&s->count, &c, c + 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

static __always_inline bool __down_write_trylock(struct rw_semaphore *s)
{
	long expected = 0;

	if (!__atomic_compare_exchange_n(&s->count, &expected, -1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&s->owner, current, __ATOMIC_RELAXED);
	return true;
}

void rwsem_down_read_slowpath(struct rw_semaphore *s);
void rwsem_down_write_slowpath(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s) __releases(s);
void up_write(struct rw_semaphore *s) __releases(s);

static __always_inline void down_read_nested(struct rw_semaphore *s, unsigned int subclass)
	__acquires(s)
{
	__acquire(s);
#ifdef CONFIG_DEBUG
	might_sleep();
	lockdep_acquire(&s->dep, s, subclass, LOCKDEP_READ, LOCKDEP_RWSEM);
#else
	(void)subclass;
#endif
	if (!__down_read_trylock(s))
		rwsem_down_read_slowpath(s);
}

static __always_inline void down_read(struct rw_semaphore *s)
	__acquires(s)
{
	down_read_nested(s, 0);
}

static __always_inline void down_write_nested(struct rw_semaphore *s, unsigned int subclass)
	__acquires(s)
{
	__acquire(s);
#ifdef CONFIG_DEBUG
	/* Reports sleeping under a spinlock, recursion (a panic) and inversions. */
	might_sleep();
	lockdep_acquire(&s->dep, s, subclass, 0, LOCKDEP_RWSEM);
#else
	(void)subclass;
#endif
	if (!__down_write_trylock(s))
		rwsem_down_write_slowpath(s);
}

static __always_inline void down_write(struct rw_semaphore *s)
	__acquires(s)
{
	down_write_nested(s, 0);
}

/* For sparse, the lock is held only where the trylock returned true. */
#define down_read_trylock(s) __cond_lock(s, __down_read_trylock_dep(s))
static __always_inline bool __down_read_trylock_dep(struct rw_semaphore *s)
{
	if (!__down_read_trylock(s))
		return false;
#ifdef CONFIG_DEBUG
	lockdep_acquire(&s->dep, s, 0, LOCKDEP_TRYLOCK | LOCKDEP_READ, LOCKDEP_RWSEM);
#endif
	return true;
}

#define down_write_trylock(s) __cond_lock(s, __down_write_trylock_dep(s))
static __always_inline bool __down_write_trylock_dep(struct rw_semaphore *s)
{
	if (!__down_write_trylock(s))
		return false;
#ifdef CONFIG_DEBUG
	lockdep_acquire(&s->dep, s, 0, LOCKDEP_TRYLOCK, LOCKDEP_RWSEM);
#endif
	return true;
}

static inline bool rwsem_is_locked(const struct rw_semaphore *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED) != 0;
}

/* Does the current task hold @s for writing? */
static inline bool rwsem_write_held_by_current(const struct rw_semaphore *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED) < 0 &&
	       __atomic_load_n(&s->owner, __ATOMIC_RELAXED) == current;
}

#endif /* _EXO_RWSEM_H */
