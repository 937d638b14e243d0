/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO-fair, one cache line of contention. Use the
 * _irqsave variants for any lock also taken from interrupt context. A spinlock
 * holder must not sleep. With CONFIG_DEBUG the lock records its owning CPU so
 * that assert_spin_locked() and recursion checks work.
 */
#ifndef _EXO_SPINLOCK_H
#define _EXO_SPINLOCK_H

#include <generated/autoconf.h>
#include <exo/compiler.h>
#include <exo/irqflags.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/types.h>

struct spinlock {
	u16 owner;	/* [atomic] ticket being served */
	u16 next;	/* [atomic] next ticket to hand out */
#ifdef CONFIG_DEBUG
	int holder_cpu;	/* [this lock] -1 when free */
	const char *name;
#endif
};

#ifdef CONFIG_DEBUG
#define SPINLOCK_INIT(n) { .owner = 0, .next = 0, .holder_cpu = -1, .name = #n }
#else
#define SPINLOCK_INIT(n) { .owner = 0, .next = 0 }
#endif
#define DEFINE_SPINLOCK(n) struct spinlock n = SPINLOCK_INIT(n)

static inline void spin_lock_init(struct spinlock *lock)
{
	*lock = (struct spinlock)SPINLOCK_INIT(lock);
}

static inline void spin_lock(struct spinlock *lock)
{
#ifdef CONFIG_DEBUG
	if (unlikely(READ_ONCE(lock->holder_cpu) == (int)smp_processor_id()))
		panic("spinlock recursion on %s", lock->name);
#endif
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
#ifdef CONFIG_DEBUG
	lock->holder_cpu = (int)smp_processor_id();
#endif
}

static inline bool spin_trylock(struct spinlock *lock)
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
#endif
	return true;
}

static inline void spin_unlock(struct spinlock *lock)
{
#ifdef CONFIG_DEBUG
	if (unlikely(lock->holder_cpu != (int)smp_processor_id()))
		panic("spinlock %s released by CPU %lu, held by %d", lock->name,
		      smp_processor_id(), lock->holder_cpu);
	lock->holder_cpu = -1;
#endif
	__atomic_store_n(&lock->owner, (u16)(lock->owner + 1), __ATOMIC_RELEASE);
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
