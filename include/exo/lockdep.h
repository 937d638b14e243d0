/* SPDX-License-Identifier: MIT */
/*
 * The lock validator (CONFIG_DEBUG; kernel/locking/lockdep.c, described in
 * docs/locking.md). Locks are grouped in classes, one per initialization
 * site: spin_lock_init()/mutex_init() pass a static struct lock_class_key
 * defined where they are called, DEFINE_SPINLOCK/DEFINE_MUTEX/SPINLOCK_INIT
 * one per definition. Taking class B while holding class A records the
 * dependency A -> B; a new dependency that closes a cycle, a class taken
 * twice without a nesting annotation, and sleeping with a spinlock held are
 * reported once (WARN, not panic), after which the validator stops checking.
 *
 * Spinlocks held are tracked per CPU (they are held with no preemption; the
 * runqueue lock taken by one task in schedule() is released by the next on
 * the same CPU), mutexes per task. Without CONFIG_DEBUG all of this compiles
 * away and the lock structures carry no class.
 */
#ifndef _EXO_LOCKDEP_H
#define _EXO_LOCKDEP_H

#include <generated/autoconf.h>
#include <exo/types.h>

/*
 * Nesting levels of one class (spin_lock_nested, down_write_nested): 0, or
 * SINGLE_DEPTH_NESTING, or the inode lock levels of <exo/fs.h> (I_MUTEX_*),
 * or the depth of nested epoll instances (fs/eventpoll.c, up to 5).
 */
#define LOCKDEP_SUBCLASSES	8
#define SINGLE_DEPTH_NESTING	1

/* Sleeping locks (mutexes, rw-semaphores) one task may hold at once. */
#define LOCKDEP_MUTEX_DEPTH	8

/* What kind of lock a hook is about: the held stack and the owner checks differ. */
#define LOCKDEP_SPIN	0	/* per-CPU stack; owner is a CPU */
#define LOCKDEP_MUTEX	1	/* per-task stack; owner is a task */
#define LOCKDEP_RWSEM	2	/* per-task stack; a writer or any number of readers */

/* Identifies a class: its address is the identity, its content the class numbers. */
struct lock_class_key {
	u16 class_idx[LOCKDEP_SUBCLASSES];	/* [lockdep graph] 0 until first taken */
};

/* What the validator knows of one lock instance. */
struct lockdep_map {
	struct lock_class_key *key;	/* [immutable] */
	const char *name;		/* [immutable] the expression at the init site */
};

/* One lock on a held stack: its class, the lock, and where it was taken. */
struct held_lock {
	const void *lock;
	unsigned long ip;
	u16 class_idx;
	bool trylock;
	bool read;		/* a shared (down_read) acquisition */
};

/* The mutexes a task holds, in struct task. */
struct lockdep_task {
	struct held_lock held[LOCKDEP_MUTEX_DEPTH];	/* [this task] */
	unsigned int depth;				/* [this task] */
};

/* What the last report was about, for the self-test. */
struct lockdep_report {
	unsigned int count;		/* reports since boot */
	const char *kind;		/* "inversion", "recursive", "sleep", "irq-safety", ... */
	const char *held;		/* name of the class held */
	const char *taking;		/* name of the class being taken, or what slept */
};

#ifdef CONFIG_DEBUG

/*
 * A map initializer for a statically defined lock: the compound literal has
 * static storage at file scope, so each definition is its own class.
 */
#define LOCKDEP_MAP_INIT(n) { .key = &(struct lock_class_key){ { 0 } }, .name = #n }

#define LOCKDEP_TRYLOCK	0x1u	/* the lock was taken by a trylock: no order to check */
#define LOCKDEP_READ	0x2u	/* a shared acquisition of a rw-semaphore */

/*
 * Hooks for the lock implementations. lockdep_acquire() runs before a
 * blocking acquisition (so an inversion is reported before it deadlocks)
 * and after a successful trylock; lockdep_release() before the unlock.
 * @kind (LOCKDEP_SPIN/MUTEX/RWSEM) selects the per-CPU or the per-task
 * stack and the owner checks. The acquire site recorded is the hook's
 * return address, so the lock functions that call them are always inlined
 * into their callers.
 */
void lockdep_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass,
		     unsigned int flags, unsigned int kind);
void lockdep_release(struct lockdep_map *map, const void *lock, unsigned int kind);
/* The same for a spinlock's lock (no trylock) and unlock, compiled for that kind alone. */
void lockdep_spin_acquire(struct lockdep_map *map, const void *lock, unsigned int subclass);
void lockdep_spin_release(struct lockdep_map *map, const void *lock);

/*
 * Reports a sleep (or a possible one: @what names it) while this CPU holds
 * a spinlock. schedule() checks with @what "schedule" before taking the
 * runqueue lock. lockdep_might_sleep() also reports a possible sleep with
 * interrupts off or in an interrupt handler: every sleeping primitive
 * (mutex_lock, down_*, wait_event*, the user copies) calls might_sleep().
 */
void lockdep_sleep_check(const char *what, const char *file, int line);
void lockdep_might_sleep(const char *file, int line);
#define might_sleep() lockdep_might_sleep(__FILE__, __LINE__)

/*
 * Hard-IRQ context, for the IRQ-safety check: a class taken in an
 * interrupt handler and also, somewhere else, with interrupts enabled can
 * deadlock a CPU against itself; it is reported once, with both sites.
 * do_irq() brackets every handler with these.
 */
void lockdep_hardirq_enter(void);
void lockdep_hardirq_exit(void);
bool lockdep_in_hardirq(void);

/* Spinlocks this CPU holds (tracked ones). */
unsigned int lockdep_cpu_depth(void);

/*
 * For the self-test: lockdep_selftest_begin() returns -EBUSY when the
 * validator has already stopped after a real report, else marks the
 * reports that follow as expected. lockdep_selftest_end() forgets every
 * dependency of the classes of @maps and turns checking back on.
 */
int lockdep_selftest_begin(void);
void lockdep_selftest_end(struct lockdep_map *const *maps, unsigned int n);
void lockdep_last_report(struct lockdep_report *r);
bool lockdep_enabled(void);

struct spinlock;
struct mutex;
struct rw_semaphore;

/*
 * lockdep_assert_held(lock): the caller's contract says it holds @lock (a
 * struct spinlock or struct mutex): every *_locked function and every one
 * whose comment says "caller holds" checks it at entry. Held means held by
 * this CPU (a spinlock) or this task (a mutex), not merely by someone. A
 * failure is a report (kind "not held"), like an inversion: the lines
 * start with "lockdep:", then a WARNING; the test runner fails the test.
 * Out of line: it only exists in CONFIG_DEBUG builds.
 */
void __lockdep_assert_held(const struct lockdep_map *map, const void *lock, unsigned int kind,
			   const char *file, int line);
#define lockdep_assert_held(l)							\
	__lockdep_assert_held(&(l)->dep, (l),					\
			      _Generic((l), struct mutex *: LOCKDEP_MUTEX,	\
				       const struct mutex *: LOCKDEP_MUTEX,	\
				       struct rw_semaphore *: LOCKDEP_RWSEM,	\
				       const struct rw_semaphore *: LOCKDEP_RWSEM, \
				       default: LOCKDEP_SPIN),			\
			      __FILE__, __LINE__)

#else

#define might_sleep() do { } while (0)
#define lockdep_assert_held(l) do { (void)(l); } while (0)
static inline void lockdep_hardirq_enter(void) { }
static inline void lockdep_hardirq_exit(void) { }

#endif /* CONFIG_DEBUG */

#endif /* _EXO_LOCKDEP_H */
