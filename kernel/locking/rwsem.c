// SPDX-License-Identifier: MIT
/*
 * The slow paths of <exo/rwsem.h>.
 *
 * No lost wake-up, as in mutex.c: a waiter queues itself on s->wait (a
 * locked instruction, a full barrier) before it re-tries the count, and a
 * releaser changes the count and then, after a full fence, looks at the
 * queue. Every waiter is woken and retries; a writer announces itself in
 * writers_waiting first, which holds new readers back until it is in.
 */
#include <exo/list.h>
#include <exo/rwsem.h>

void rwsem_down_read_slowpath(struct rw_semaphore *s)
{
	wait_event(s->wait, __down_read_trylock(s));
}

void rwsem_down_write_slowpath(struct rw_semaphore *s)
{
	__atomic_fetch_add(&s->writers_waiting, 1, __ATOMIC_SEQ_CST);
	wait_event(s->wait, __down_write_trylock(s));
	/* Readers held back by this writer see the count first, then may retry. */
	__atomic_fetch_sub(&s->writers_waiting, 1, __ATOMIC_SEQ_CST);
}

static void rwsem_wake(struct rw_semaphore *s)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!list_empty(&s->wait.waiters))
		wake_up(&s->wait);
}

void up_read(struct rw_semaphore *s)
	__releases(s)
{
	__release(s);
#ifdef CONFIG_DEBUG
	/* Panics when current holds no read lock on it. */
	lockdep_release(&s->dep, s, LOCKDEP_RWSEM);
#endif
	if (__atomic_sub_fetch(&s->count, 1, __ATOMIC_RELEASE) == 0)
		rwsem_wake(s);
}

void up_write(struct rw_semaphore *s)
	__releases(s)
{
	__release(s);
#ifdef CONFIG_DEBUG
	/* Panics when current is not the writer. */
	lockdep_release(&s->dep, s, LOCKDEP_RWSEM);
#endif
	__atomic_store_n(&s->owner, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&s->count, 0, __ATOMIC_RELEASE);
	rwsem_wake(s);
}
