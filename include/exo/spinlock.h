/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO-fair, one cache line of contention. Use the
 * _irqsave variants for any lock also taken from interrupt context. A spinlock
 * holder must not sleep. With CONFIG_DEBUG the lock records its owning CPU
 * (for assert_spin_locked()) and its class: the lock validator
 * (<exo/lockdep.h>) checks recursion, release by another CPU and the order
 * of classes on every acquisition.
 */
#ifndef _EXO_SPINLOCK_H
#define _EXO_SPINLOCK_H

#include <generated/autoconf.h>
#include <exo/compiler.h>
#include <exo/irqflags.h>
#include <exo/lockdep.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/types.h>
#include <asm/spinlock.h>

struct spinlock {
	u16 owner;	/* [atomic] ticket being served */
	u16 next;	/* [atomic] next ticket to hand out */
#ifdef CONFIG_DEBUG
	int holder_cpu;	/* [this lock] -1 when free */
	struct lockdep_map dep;	/* [immutable] class and name */
#endif
};

#ifndef CONFIG_DEBUG
_Static_assert(sizeof(struct spinlock) == 4, "a spinlock is two 16-bit ticket counters");
#endif

#ifdef CONFIG_DEBUG
#define SPINLOCK_INIT(n) { .owner = 0, .next = 0, .holder_cpu = -1, .dep = LOCKDEP_MAP_INIT(n) }
#else
#define SPINLOCK_INIT(n) { .owner = 0, .next = 0 }
#endif
#define DEFINE_SPINLOCK(n) struct spinlock n = SPINLOCK_INIT(n)

#ifdef CONFIG_DEBUG
/* Each call site is a lock class (<exo/lockdep.h>), named after @lock. */
#define spin_lock_init(lock)                                               \
	do {                                                               \
		static struct lock_class_key __key;                        \
		__spin_lock_init((lock), #lock, &__key);                   \
	} while (0)

static inline void __spin_lock_init(struct spinlock *lock, const char *name,
				    struct lock_class_key *key)
{
	*lock = (struct spinlock){ .owner = 0, .next = 0, .holder_cpu = -1,
				   .dep = { .key = key, .name = name } };
}
#else
static inline void spin_lock_init(struct spinlock *lock)
{
	*lock = (struct spinlock)SPINLOCK_INIT(lock);
}
#endif

/*
 * spin_lock() for a second lock of a class already held, in an order the
 * caller guarantees (two runqueues by address): @subclass (SINGLE_DEPTH_NESTING)
 * makes it a class of its own for the validator.
 */
static __always_inline void spin_lock_nested(struct spinlock *lock, unsigned int subclass)
	__acquires(lock)
{
	__acquire(lock);
#ifdef CONFIG_DEBUG
	/* Reports recursion (a panic) and order inversions before spinning. */
	lockdep_spin_acquire(&lock->dep, lock, subclass);
#else
	(void)subclass;
#endif
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
#ifdef CONFIG_DEBUG
	lock->holder_cpu = (int)smp_processor_id();
#endif
}

static __always_inline void spin_lock(struct spinlock *lock)
	__acquires(lock)
{
	spin_lock_nested(lock, 0);
}

/*
 * Returns once every CPU that held or waited for @lock when this was
 * called has released it (the tickets handed out so far are served):
 * for a sleeper whose waker may still be inside @lock's section, using
 * memory the sleeper is about to give up (wait entries, futex waiters).
 * Takes no ticket itself. Linux had it as spin_unlock_wait().
 */
static __always_inline void spin_unlock_wait(struct spinlock *lock)
{
	u16 last = __atomic_load_n(&lock->next, __ATOMIC_ACQUIRE);

	while ((s16)(__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) - last) < 0)
		cpu_relax();
}

/* For sparse, the lock is held only where spin_trylock() returned true. */
#define spin_trylock(lock) __cond_lock(lock, __spin_trylock(lock))
static __always_inline bool __spin_trylock(struct spinlock *lock)
{
	u16 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	u16 expected = owner;

	if (__atomic_load_n(&lock->next, __ATOMIC_RELAXED) != owner)
		return false;
	if (!__atomic_compare_exchange_n(&lock->next, &expected, (u16)(owner + 1), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
#ifdef CONFIG_DEBUG
	lock->holder_cpu = (int)smp_processor_id();
	lockdep_acquire(&lock->dep, lock, 0, LOCKDEP_TRYLOCK, LOCKDEP_SPIN);
#endif
	return true;
}

static __always_inline void spin_unlock(struct spinlock *lock)
	__releases(lock)
{
	__release(lock);
#ifdef CONFIG_DEBUG
	/* Panics on a release by a CPU that does not hold it. */
	lockdep_spin_release(&lock->dep, lock);
	lock->holder_cpu = -1;
#endif
	arch_ticket_release(&lock->owner);
}

#define spin_lock_irqsave(lock, flags)    \
	do {                              \
		local_irq_save(flags);    \
		spin_lock(lock);          \
	} while (0)

#define spin_unlock_irqrestore(lock, flags) \
	do {                                \
		spin_unlock(lock);          \
		local_irq_restore(flags);   \
	} while (0)

#ifdef CONFIG_DEBUG
#define assert_spin_locked(lock) BUG_ON((lock)->holder_cpu != (int)smp_processor_id())
#else
#define assert_spin_locked(lock) do { (void)(lock); } while (0)
#endif

#endif /* _EXO_SPINLOCK_H */
