// SPDX-License-Identifier: MIT
/*
 * Memory reclaim: the shrinker registry, direct reclaim from the page
 * allocator's slow path, and kswapd.
 *
 * The allocator (mm/page_alloc.c) wakes kswapd when free buddy pages fall
 * below low_free_pages and reclaims directly (try_to_free_pages) when they
 * fall below min_free_pages or an allocation finds nothing, before it
 * fails. kswapd works until high_free_pages. Both ask every registered
 * shrinker (shrink_slab): the page cache (fs/filemap.c: clean unmapped
 * block-device pages on an LRU) and the slab caches (below: empty slabs
 * and per-CPU object stacks, the same work as drop_caches 2), and the
 * dcache (fs/dcache.c: unused dentries disk file systems keep, from kswapd
 * only).
 *
 * Direct reclaim only runs where sleeping and taking spinlocks is safe:
 * not for __GFP_ATOMIC, not with interrupts off (the slab allocator
 * refills its per-CPU stacks that way: those allocations rely on kswapd
 * keeping the watermarks), and never recursively (PF_MEMALLOC).
 */
#define pr_fmt(fmt) "vmscan: " fmt

#include <exo/cpumask.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/lockdep.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/shrinker.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <exo/wait.h>
#include <uapi/errno.h>

unsigned long vm_pgscan, vm_pgsteal, vm_direct_reclaims, vm_kswapd_runs;

/*
 * Shrinkers are registered at boot and live forever in practice; the list
 * is walked under shrinker_lock only to pick the next one, which is then
 * called without it (a shrinker takes its own locks).
 */
static DEFINE_SPINLOCK(shrinker_lock);
static LIST_HEAD(shrinker_list);

int register_shrinker(struct shrinker *s)
{
	unsigned long flags;

	if (!s->count_objects || !s->scan_objects)
		return -EINVAL;
	if (!s->seeks)
		s->seeks = DEFAULT_SEEKS;
	spin_lock_irqsave(&shrinker_lock, flags);
	list_add_tail(&s->list, &shrinker_list);
	spin_unlock_irqrestore(&shrinker_lock, flags);
	return 0;
}

void unregister_shrinker(struct shrinker *s)
{
	unsigned long flags;

	spin_lock_irqsave(&shrinker_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&shrinker_lock, flags);
}

#define SHRINK_BATCH 64

/* Asks @s for about @want objects, in batches; returns objects freed. */
static unsigned long do_shrink(struct shrinker *s, gfp_t gfp, unsigned long want, bool kswapd)
{
	struct shrink_control sc = { .gfp_mask = gfp, .kswapd = kswapd };
	unsigned long count = s->count_objects(s, &sc), freed = 0, scanned = 0;

	if (!count || count == SHRINK_EMPTY)
		return 0;
	want = min(want, count);
	while (scanned < want) {
		unsigned long ret;

		sc.nr_to_scan = min(want - scanned, (unsigned long)SHRINK_BATCH);
		sc.nr_scanned = sc.nr_to_scan;
		ret = s->scan_objects(s, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		scanned += max(sc.nr_scanned, 1UL);
	}
	return freed;
}

unsigned long shrink_slab(gfp_t gfp, unsigned long nr_pages, bool kswapd)
{
	struct list_head *pos;
	unsigned long freed = 0, flags;

	spin_lock_irqsave(&shrinker_lock, flags);
	for (pos = shrinker_list.next; pos != &shrinker_list; pos = pos->next) {
		struct shrinker *s = list_entry(pos, struct shrinker, list);

		spin_unlock_irqrestore(&shrinker_lock, flags);
		/* Cheaper-to-recreate objects (fewer seeks) are asked for more. */
		freed += do_shrink(s, gfp, nr_pages * 4 / (unsigned long)s->seeks, kswapd);
		spin_lock_irqsave(&shrinker_lock, flags);
	}
	spin_unlock_irqrestore(&shrinker_lock, flags);
	return freed;
}

static bool may_direct_reclaim(gfp_t gfp)
{
	if (gfp & __GFP_ATOMIC)
		return false;
	if (irqs_disabled() || !current || (current->flags & PF_MEMALLOC))
		return false;
	return true;
}

/* Shrinks in growing rounds until @target pages are free again; pages freed. */
static unsigned long reclaim_pages(gfp_t gfp, unsigned long target, bool kswapd)
{
	unsigned long freed = 0, scan = 32;
	unsigned int old = current->flags & PF_MEMALLOC;

	current->flags |= PF_MEMALLOC;
	for (int round = 0; round < 6; round++) {
		unsigned long got = shrink_slab(gfp, scan, kswapd);

		freed += got;
		if (nr_free_buddy_pages() >= target)
			break;
		scan *= 4;
	}
	current->flags = (current->flags & ~PF_MEMALLOC) | old;
	return freed;
}

unsigned long try_to_free_pages(gfp_t gfp, unsigned int order)
{
	if (!may_direct_reclaim(gfp))
		return 0;
	__atomic_fetch_add(&vm_direct_reclaims, 1, __ATOMIC_RELAXED);
	return reclaim_pages(gfp, low_free_pages + (1UL << order), false);
}

/* ---- the slab shrinker ---------------------------------------------------- */

static void slab_shrink_cpu(void *unused)
{
	kmem_cache_shrink_all();
	drain_local_pages();
}

static unsigned long slab_count(struct shrinker *s, struct shrink_control *sc)
{
	return kmem_cache_reclaimable_pages();
}

static unsigned long slab_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long before = nr_free_buddy_pages(), after, flags;

	local_irq_save(flags);
	slab_shrink_cpu(NULL);
	local_irq_restore(flags);
	/* kswapd may wait for the other CPUs; an allocation in progress does not. */
	if (sc->kswapd)
		smp_call_function_many(&cpu_online_mask, slab_shrink_cpu, NULL, true);
	after = nr_free_buddy_pages();
	sc->nr_scanned = sc->nr_to_scan;	/* one pass does all there is */
	return after > before ? after - before : 0;
}

static struct shrinker slab_shrinker = {
	.count_objects = slab_count,
	.scan_objects = slab_scan,
	.name = "slab",
	.seeks = DEFAULT_SEEKS,
};

/* ---- kswapd --------------------------------------------------------------- */

static DECLARE_WAIT_QUEUE_HEAD(kswapd_wait);
static bool kswapd_wanted;		/* [atomic] */
static struct task *kswapd_task;	/* [immutable once set] */

void wakeup_kswapd(void)
{
	if (__atomic_exchange_n(&kswapd_wanted, true, __ATOMIC_ACQ_REL))
		return;
	/*
	 * With interrupts off the caller may hold the wait-queue or runqueue
	 * lock (they are irqsave locks): leave the flag for kswapd's own
	 * periodic check instead of waking it.
	 */
	if (!irqs_disabled() && __atomic_load_n(&kswapd_task, __ATOMIC_ACQUIRE))
		wake_up(&kswapd_wait);
}

#define KSWAPD_POLL_NS (200ULL * 1000 * 1000)

static int kswapd(void *unused)
{
	unsigned long freed;

	current->flags |= PF_MEMALLOC;
	for (;;) {
		wait_event_interruptible_deadline(kswapd_wait,
			__atomic_load_n(&kswapd_wanted, __ATOMIC_ACQUIRE) ||
			nr_free_buddy_pages() < low_free_pages,
			ktime_get_ns() + KSWAPD_POLL_NS);
		__atomic_store_n(&kswapd_wanted, false, __ATOMIC_RELEASE);
		if (nr_free_buddy_pages() >= low_free_pages)
			continue;
		__atomic_fetch_add(&vm_kswapd_runs, 1, __ATOMIC_RELAXED);
		current->flags &= ~PF_MEMALLOC;
		freed = reclaim_pages(GFP_KERNEL, high_free_pages, true);
		current->flags |= PF_MEMALLOC;
		if (!freed) {
			/* Nothing reclaimable now: do not spin; look again after a poll period. */
			u64 until = ktime_get_ns() + KSWAPD_POLL_NS;

			while (ktime_get_ns() < until)
				wait_event_interruptible_deadline(kswapd_wait, false, until);
		}
	}
	return 0;
}

static int vmscan_init(void)
{
	struct task *t;
	int err = register_shrinker(&slab_shrinker);

	if (err)
		return err;
	t = kthread_create(kswapd, NULL, "kswapd0");
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	__atomic_store_n(&kswapd_task, t, __ATOMIC_RELEASE);
	wake_up_new_task(t);
	return 0;
}
device_initcall(vmscan_init);
