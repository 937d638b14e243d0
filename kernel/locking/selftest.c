// SPDX-License-Identifier: MIT
/*
 * Self-test "mutex": four kernel threads (one per CPU on -smp 4) take one
 * mutex 300 times each and, holding it, yield the CPU or sleep on a timer,
 * so the others pile up in the slow path. It checks that no two threads
 * are ever inside together, that no increment of the shared counter is
 * lost, and the trylock answers around a held and a free mutex.
 */
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/selftest.h>
#include <exo/err.h>
#include <uapi/errno.h>

#define WORKERS		4
#define ROUNDS		300

static DEFINE_MUTEX(test_mutex);
static DECLARE_WAIT_QUEUE_HEAD(workers_done_wq);
static int inside;		/* [atomic] threads between lock and unlock */
static int overlaps;		/* [atomic] times a thread found another inside */
static long counter;		/* [test_mutex] */
static int workers_done;	/* [atomic] */

static int mutex_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		mutex_lock(&test_mutex);
		if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
			__atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
		long seen = counter;

		if (i % 100 == 99) {
			schedule_timeout_ns(100000, false);
		} else if (i % 4 == 0) {
			current->need_resched = true;
			schedule();
		}
		counter = seen + 1;
		__atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
		mutex_unlock(&test_mutex);
	}
	__atomic_fetch_add(&workers_done, 1, __ATOMIC_RELEASE);
	wake_up(&workers_done_wq);
	kthread_exit(0);
}

static int mutex_selftest(void)
{
	if (!mutex_trylock(&test_mutex) || mutex_trylock(&test_mutex) ||
	    !mutex_held_by_current(&test_mutex)) {
		pr_err("selftest mutex: trylock on a free, then a held mutex went wrong\n");
		return -EINVAL;
	}
	mutex_unlock(&test_mutex);
	if (mutex_is_locked(&test_mutex)) {
		pr_err("selftest mutex: still locked after unlock\n");
		return -EINVAL;
	}

	for (int i = 0; i < WORKERS; i++) {
		struct task *t = kthread_create(mutex_worker, NULL, "mutextest");

		if (IS_ERR(t))
			return (int)PTR_ERR(t);
		wake_up_new_task(t);
	}
	wait_event(workers_done_wq,
		   __atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) == WORKERS);
	if (overlaps || counter != (long)WORKERS * ROUNDS) {
		pr_err("selftest mutex: %d overlapping holders, counter %ld (want %d)\n", overlaps,
		       counter, WORKERS * ROUNDS);
		return -EINVAL;
	}
	return 0;
}
DEFINE_SELFTEST("mutex", mutex_selftest);
