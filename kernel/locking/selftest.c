// SPDX-License-Identifier: MIT
/*
 * Locking self-tests: "mutex" here, "lockdep" (CONFIG_DEBUG) below.
 *
 * Self-test "mutex": four kernel threads (one per CPU on -smp 4) take one
 * mutex 300 times each and, holding it, yield the CPU or sleep on a timer,
 * so the others pile up in the slow path. It checks that no two threads
 * are ever inside together, that no increment of the shared counter is
 * lost, and the trylock answers around a held and a free mutex.
 */
#include <exo/lockdep.h>
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/rwsem.h>
#include <exo/sched.h>
#include <exo/selftest.h>
#include <exo/spinlock.h>
#include <exo/string.h>
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
	if (!mutex_trylock(&test_mutex)) {
		pr_err("selftest mutex: trylock on a free mutex failed\n");
		return -EINVAL;
	}
	/* On failure the broken mutex is left held; __release() tells sparse so. */
	if (mutex_trylock(&test_mutex)) {
		pr_err("selftest mutex: trylock on a held mutex succeeded\n");
		__release(&test_mutex);
		__release(&test_mutex);
		return -EINVAL;
	}
	if (!mutex_held_by_current(&test_mutex)) {
		pr_err("selftest mutex: trylock did not make current the owner\n");
		__release(&test_mutex);
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

/*
 * Self-test "rwsem": four kernel threads take one rw-semaphore 300 times
 * each, three reads to one write, sleeping or yielding inside. Checks that
 * a writer is always alone, that readers do overlap (on -smp 4), that no
 * write is lost, and the trylock answers.
 */
static DECLARE_RWSEM(test_rwsem);
static int rw_readers, rw_writers;	/* [atomic] inside, by kind */
static int rw_bad;			/* [atomic] a writer saw company */
static int rw_shared;			/* [atomic] a reader saw another reader */
static long rw_counter;			/* [test_rwsem] */
static int rw_done;			/* [atomic] */
static DECLARE_WAIT_QUEUE_HEAD(rw_done_wq);

static void rwsem_pause(int i)
{
	if (i % 50 == 49) {
		schedule_timeout_ns(50000, false);
	} else if (i % 3 == 0) {
		current->need_resched = true;
		schedule();
	}
}

static int rwsem_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % 4 == 3) {
			down_write(&test_rwsem);
			if (__atomic_fetch_add(&rw_writers, 1, __ATOMIC_RELAXED) ||
			    __atomic_load_n(&rw_readers, __ATOMIC_RELAXED))
				__atomic_fetch_add(&rw_bad, 1, __ATOMIC_RELAXED);
			long seen = rw_counter;

			rwsem_pause(i);
			rw_counter = seen + 1;
			__atomic_fetch_sub(&rw_writers, 1, __ATOMIC_RELAXED);
			up_write(&test_rwsem);
		} else {
			down_read(&test_rwsem);
			if (__atomic_fetch_add(&rw_readers, 1, __ATOMIC_RELAXED))
				__atomic_store_n(&rw_shared, 1, __ATOMIC_RELAXED);
			if (__atomic_load_n(&rw_writers, __ATOMIC_RELAXED))
				__atomic_fetch_add(&rw_bad, 1, __ATOMIC_RELAXED);
			rwsem_pause(i);
			__atomic_fetch_sub(&rw_readers, 1, __ATOMIC_RELAXED);
			up_read(&test_rwsem);
		}
	}
	__atomic_fetch_add(&rw_done, 1, __ATOMIC_RELEASE);
	wake_up(&rw_done_wq);
	kthread_exit(0);
}

static int rwsem_selftest(void)
{
	int err = -EINVAL;

	if (!down_read_trylock(&test_rwsem)) {
		pr_err("selftest rwsem: read trylock on a free rwsem failed\n");
		return -EINVAL;
	}
	if (down_write_trylock(&test_rwsem)) {
		pr_err("selftest rwsem: write trylock under a reader succeeded\n");
		up_write(&test_rwsem);
		goto out_read;
	}
	up_read(&test_rwsem);
	down_write(&test_rwsem);
	lockdep_assert_held(&test_rwsem);
	if (down_read_trylock(&test_rwsem)) {
		pr_err("selftest rwsem: read trylock under a writer succeeded\n");
		up_read(&test_rwsem);
		up_write(&test_rwsem);
		return -EINVAL;
	}
	up_write(&test_rwsem);
	if (rwsem_is_locked(&test_rwsem)) {
		pr_err("selftest rwsem: still locked after up_write\n");
		return -EINVAL;
	}
	for (int i = 0; i < WORKERS; i++) {
		struct task *t = kthread_create(rwsem_worker, NULL, "rwsemtest");

		if (IS_ERR(t))
			return (int)PTR_ERR(t);
		wake_up_new_task(t);
	}
	wait_event(rw_done_wq, __atomic_load_n(&rw_done, __ATOMIC_ACQUIRE) == WORKERS);
	if (rw_bad || rw_counter != (long)WORKERS * (ROUNDS / 4)) {
		pr_err("selftest rwsem: %d exclusion failures, counter %ld (want %d)\n", rw_bad,
		       rw_counter, WORKERS * (ROUNDS / 4));
		return -EINVAL;
	}
	if (nr_cpus_online > 1 && !rw_shared) {
		pr_err("selftest rwsem: readers never overlapped on %u CPUs\n", nr_cpus_online);
		return -EINVAL;
	}
	pr_info("selftest rwsem: %d writes, readers overlapped: %s\n", WORKERS * (ROUNDS / 4),
		rw_shared ? "yes" : "no");
	return 0;
out_read:
	up_read(&test_rwsem);
	return err;
}
DEFINE_SELFTEST("rwsem", rwsem_selftest);

#ifdef CONFIG_DEBUG
/*
 * Self-test "lockdep": provokes each report of the lock validator on
 * purpose (its lines then say "lockdep (expected):") and checks it was
 * made: an A -> B, B -> A inversion, a second lock of one class without
 * and with a nesting annotation, a sleep check with a spinlock held, and
 * lockdep_assert_held() on a lock this CPU does not hold.
 * Each step ends by forgetting the test classes' dependencies and turning
 * the validator back on for the rest of the boot.
 */
static DEFINE_SPINLOCK(lockdep_test_a);
static DEFINE_SPINLOCK(lockdep_test_b);
static DEFINE_SPINLOCK(lockdep_test_c);
static DEFINE_SPINLOCK(lockdep_test_irq);
static DECLARE_RWSEM(lockdep_test_rw);
static DEFINE_MUTEX(lockdep_test_m);
static struct spinlock lockdep_test_pair[2];

/* Checks that exactly one report of @kind about @held and @taking came after @before. */
static int lockdep_expect(const struct lockdep_report *before, const char *kind,
			  const char *held, const char *taking)
{
	struct lockdep_report r;

	lockdep_last_report(&r);
	if (r.count != before->count + 1 || strcmp(r.kind, kind) || strcmp(r.held, held) ||
	    strcmp(r.taking, taking) || lockdep_enabled()) {
		pr_err("selftest lockdep: wanted one %s report (%s, %s), got %u: %s (%s, %s)\n",
		       kind, held, taking, r.count - before->count, r.count ? r.kind : "-",
		       r.count ? r.held : "-", r.count ? r.taking : "-");
		return -EINVAL;
	}
	return 0;
}

static int lockdep_expect_none(const struct lockdep_report *before, const char *what)
{
	struct lockdep_report r;

	lockdep_last_report(&r);
	if (r.count != before->count || !lockdep_enabled()) {
		pr_err("selftest lockdep: %s was reported (%s, %s)\n", what, r.kind, r.held);
		return -EINVAL;
	}
	return 0;
}

/*
 * Takes @outer, then @inner under it (interrupts off), and releases both.
 * Inlined: the reports name the self-test step as the acquire site.
 */
static __always_inline void lockdep_take_pair(struct spinlock *outer, struct spinlock *inner)
{
	unsigned long flags;

	spin_lock_irqsave(outer, flags);
	spin_lock(inner);
	spin_unlock(inner);
	spin_unlock_irqrestore(outer, flags);
}

static int lockdep_selftest_inversion(struct lockdep_report *before)
{
	int err;

	lockdep_take_pair(&lockdep_test_a, &lockdep_test_b);
	err = lockdep_expect_none(before, "taking a then b");
	if (err)
		return err;
	lockdep_take_pair(&lockdep_test_b, &lockdep_test_a);
	return lockdep_expect(before, "inversion", "lockdep_test_b", "lockdep_test_a");
}

static int lockdep_selftest_nesting(struct lockdep_report *before)
{
	struct spinlock *x = &lockdep_test_pair[0], *y = &lockdep_test_pair[1];
	unsigned long flags;
	int err;

	spin_lock_irqsave(x, flags);
	spin_lock_nested(y, SINGLE_DEPTH_NESTING);
	spin_unlock(y);
	spin_unlock_irqrestore(x, flags);
	err = lockdep_expect_none(before, "an annotated nesting of one class");
	if (err)
		return err;
	spin_lock_irqsave(x, flags);
	spin_lock(y);
	spin_unlock(y);
	spin_unlock_irqrestore(x, flags);
	return lockdep_expect(before, "recursive", "&lockdep_test_pair[i]",
			      "&lockdep_test_pair[i]");
}

static int lockdep_selftest_sleep(struct lockdep_report *before)
{
	unsigned long flags;

	/* The check itself, not a real sleep, which would deadlock here. */
	spin_lock_irqsave(&lockdep_test_a, flags);
	lockdep_sleep_check("lockdep self-test", __FILE__, __LINE__);
	spin_unlock_irqrestore(&lockdep_test_a, flags);
	return lockdep_expect(before, "sleep", "lockdep_test_a", "lockdep self-test");
}

/*
 * An acquisition whose dependency is already recorded costs one hash probe
 * (lockdep_order's fast path). With a -> b warm, a new dependency a -> c
 * is still recorded, and the inversion c -> a is still reported.
 */
static int lockdep_selftest_warm_inversion(struct lockdep_report *before)
{
	int err;

	for (int i = 0; i < 3; i++)
		lockdep_take_pair(&lockdep_test_a, &lockdep_test_b);
	lockdep_take_pair(&lockdep_test_a, &lockdep_test_c);
	err = lockdep_expect_none(before, "a -> b, a -> c");
	if (err)
		return err;
	lockdep_take_pair(&lockdep_test_c, &lockdep_test_a);
	return lockdep_expect(before, "inversion", "lockdep_test_c", "lockdep_test_a");
}

/*
 * A trylock on top of the held stack has no order of its own: the lock
 * taken next depends on what is below it too (a -> b here, with c
 * trylocked in between), and b -> a is then an inversion. Releasing out
 * of order (a before b) is no report.
 */
static int lockdep_selftest_below_trylock(struct lockdep_report *before)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&lockdep_test_a, flags);
	if (!spin_trylock(&lockdep_test_c)) {
		spin_unlock_irqrestore(&lockdep_test_a, flags);
		pr_err("selftest lockdep: trylock of a free spinlock failed\n");
		return -EINVAL;
	}
	spin_lock(&lockdep_test_b);
	spin_unlock(&lockdep_test_c);
	spin_unlock(&lockdep_test_a);
	spin_unlock(&lockdep_test_b);
	local_irq_restore(flags);
	err = lockdep_expect_none(before, "a, trylock c, b; released out of order");
	if (err)
		return err;
	lockdep_take_pair(&lockdep_test_b, &lockdep_test_a);
	return lockdep_expect(before, "inversion", "lockdep_test_b", "lockdep_test_a");
}

/* might_sleep() itself, not only lockdep_sleep_check(), reports a spinlock held. */
static int lockdep_selftest_might_sleep_locked(struct lockdep_report *before)
{
	unsigned long flags;

	spin_lock_irqsave(&lockdep_test_a, flags);
	might_sleep();
	spin_unlock_irqrestore(&lockdep_test_a, flags);
	return lockdep_expect(before, "sleep", "lockdep_test_a", "might_sleep");
}

/* A read lock taken again for reading by its holder: a queued writer would deadlock it. */
static int lockdep_selftest_recursive_read(struct lockdep_report *before)
{
	int err;

	down_read(&lockdep_test_rw);
	lockdep_assert_held(&lockdep_test_rw);
	err = lockdep_expect_none(before, "one read lock");
	if (err) {
		up_read(&lockdep_test_rw);
		return err;
	}
	down_read(&lockdep_test_rw);	/* no writer waits: it does not block */
	up_read(&lockdep_test_rw);
	up_read(&lockdep_test_rw);
	return lockdep_expect(before, "recursive read", "lockdep_test_rw", "lockdep_test_rw");
}

/* A shared acquisition counts for order: rw(read) -> m, then m -> rw(write). */
static int lockdep_selftest_rwsem_order(struct lockdep_report *before)
{
	int err;

	down_read(&lockdep_test_rw);
	mutex_lock(&lockdep_test_m);
	mutex_unlock(&lockdep_test_m);
	up_read(&lockdep_test_rw);
	err = lockdep_expect_none(before, "taking rw then m");
	if (err)
		return err;
	mutex_lock(&lockdep_test_m);
	down_write(&lockdep_test_rw);
	up_write(&lockdep_test_rw);
	mutex_unlock(&lockdep_test_m);
	return lockdep_expect(before, "inversion", "lockdep_test_m", "lockdep_test_rw");
}

/*
 * IRQ safety: lockdep_test_irq taken "in an interrupt handler" (the
 * hard-IRQ mark do_irq sets, interrupts off) and then with interrupts on.
 */
static int lockdep_selftest_irq_safety(struct lockdep_report *before)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	lockdep_hardirq_enter();
	spin_lock(&lockdep_test_irq);
	spin_unlock(&lockdep_test_irq);
	lockdep_hardirq_exit();
	local_irq_restore(flags);
	spin_lock_irqsave(&lockdep_test_irq, flags);	/* irqsave elsewhere: consistent */
	spin_unlock_irqrestore(&lockdep_test_irq, flags);
	err = lockdep_expect_none(before, "an IRQ lock taken irqsave");
	if (err)
		return err;
	spin_lock(&lockdep_test_irq);
	spin_unlock(&lockdep_test_irq);
	return lockdep_expect(before, "irq-safety", "lockdep_test_irq", "lockdep_test_irq");
}

/* might_sleep() with interrupts off (no spinlock held), the check alone. */
static int lockdep_selftest_sleep_irqs_off(struct lockdep_report *before)
{
	unsigned long flags;
	int err;

	might_sleep();
	err = lockdep_expect_none(before, "might_sleep with interrupts on");
	if (err)
		return err;
	local_irq_save(flags);
	might_sleep();
	local_irq_restore(flags);
	return lockdep_expect(before, "sleep", "interrupts off", "might_sleep");
}

/* lockdep_assert_held(): quiet for a lock this CPU holds, a report for one it does not. */
static int lockdep_selftest_held(struct lockdep_report *before)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&lockdep_test_a, flags);
	lockdep_assert_held(&lockdep_test_a);
	spin_unlock_irqrestore(&lockdep_test_a, flags);
	mutex_lock(&test_mutex);
	lockdep_assert_held(&test_mutex);
	mutex_unlock(&test_mutex);
	err = lockdep_expect_none(before, "a held lock asserted");
	if (err)
		return err;
	lockdep_assert_held(&lockdep_test_b);
	return lockdep_expect(before, "not held", "lockdep_test_b", "lockdep_test_b");
}

static int lockdep_selftest(void)
{
	static int (*const steps[])(struct lockdep_report *) = {
		lockdep_selftest_inversion, lockdep_selftest_nesting, lockdep_selftest_sleep,
		lockdep_selftest_held, lockdep_selftest_recursive_read,
		lockdep_selftest_rwsem_order, lockdep_selftest_irq_safety,
		lockdep_selftest_sleep_irqs_off, lockdep_selftest_warm_inversion,
		lockdep_selftest_below_trylock, lockdep_selftest_might_sleep_locked,
	};
	struct lockdep_map *const maps[] = { &lockdep_test_a.dep, &lockdep_test_b.dep,
					     &lockdep_test_c.dep,
					     &lockdep_test_pair[0].dep, &lockdep_test_irq.dep,
					     &lockdep_test_rw.dep, &lockdep_test_m.dep };

	for (unsigned int i = 0; i < ARRAY_SIZE(lockdep_test_pair); i++)
		spin_lock_init(&lockdep_test_pair[i]);
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		struct lockdep_report before;
		int err = lockdep_selftest_begin();

		if (err) {
			pr_err("selftest lockdep: the validator is off after an earlier report\n");
			return err;
		}
		lockdep_last_report(&before);
		err = steps[i](&before);
		lockdep_selftest_end(maps, ARRAY_SIZE(maps));
		if (err)
			return err;
	}
	return 0;
}
DEFINE_SELFTEST("lockdep", lockdep_selftest);
#endif /* CONFIG_DEBUG */
