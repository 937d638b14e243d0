// SPDX-License-Identifier: MIT
/*
 * The slow paths of <exo/mutex.h>.
 *
 * No lost wake-up: a waiter puts itself on m->wait (a locked instruction,
 * a full barrier on x86) before it re-tries the owner word, and the
 * unlocker clears the owner word and then, after a full fence, looks at
 * the queue. So either the waiter sees the mutex free, or the unlocker
 * sees the waiter and wakes it. Every waiter is woken and races for the
 * lock again; fairness is not promised.
 */
#include <exo/list.h>
#include <exo/mutex.h>

void mutex_lock_slowpath(struct mutex *m)
{
	wait_event(m->wait, __mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
	__releases(m)
{
	__release(m);
#ifdef CONFIG_DEBUG
	/* Panics when current is not the owner. */
	lockdep_release(&m->dep, m, LOCKDEP_MUTEX);
#endif
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!list_empty(&m->wait.waiters))
		wake_up(&m->wait);
}
