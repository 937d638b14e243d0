/* SPDX-License-Identifier: MIT */
/*
 * Shrinkers: caches that can give memory back register here, and memory
 * reclaim (mm/vmscan.c) asks them, as Linux's shrinker interface does.
 *
 * count_objects() says how many objects could be freed now (0: nothing,
 * cheap, no sleeping); scan_objects() tries to free up to sc->nr_to_scan
 * of them and returns how many it freed, or SHRINK_STOP when it cannot
 * make progress in this context. Both run in process context with
 * interrupts on and no spinlock held by reclaim; they must not allocate
 * memory with direct reclaim (recursion is refused anyway: PF_MEMALLOC).
 */
#ifndef _EXO_SHRINKER_H
#define _EXO_SHRINKER_H

#include <exo/gfp.h>
#include <exo/list.h>
#include <exo/types.h>

#define SHRINK_STOP (~0UL)
#define SHRINK_EMPTY (~0UL - 1)

struct shrink_control {
	gfp_t gfp_mask;
	unsigned long nr_to_scan;	/* objects to look at */
	unsigned long nr_scanned;	/* objects looked at (the shrinker may set it) */
	bool kswapd;			/* from the kswapd thread, not an allocation */
};

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	const char *name;
	int seeks;			/* cost to recreate an object; DEFAULT_SEEKS */
	struct list_head list;		/* [shrinker_lock] */
};

#define DEFAULT_SEEKS 2

int register_shrinker(struct shrinker *s);
void unregister_shrinker(struct shrinker *s);

/*
 * Asks every shrinker for about @nr_pages pages' worth of objects; returns
 * the objects freed. From the allocator's slow path and kswapd.
 */
unsigned long shrink_slab(gfp_t gfp, unsigned long nr_pages, bool kswapd);

/*
 * Direct reclaim for an allocation of 2^@order pages that found free
 * memory below the minimum watermark: returns pages freed (0: none).
 * Refused (0) in atomic context, with interrupts off or when recursing.
 */
unsigned long try_to_free_pages(gfp_t gfp, unsigned int order);
/* Wakes kswapd (free memory below the low watermark); safe anywhere. */
void wakeup_kswapd(void);

/* Reclaim statistics (/proc/vmstat-like, for tests). */
extern unsigned long vm_pgscan, vm_pgsteal, vm_direct_reclaims, vm_kswapd_runs; /* [atomic] */

#endif
