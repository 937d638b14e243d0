// SPDX-License-Identifier: MIT
/*
 * The buddy page allocator.
 *
 * Physical memory is split into zones (DMA32 below 4 GiB, NORMAL above).
 * Each zone keeps free blocks of 2^order pages, order 0..MAX_ORDER-1, on one
 * free list per order. A block's buddy is the block of the same order whose
 * pfn differs only in bit "order"; freeing merges a block with its free buddy
 * repeatedly, allocating splits a larger block and returns the halves.
 * The first page of a free block has PG_buddy set and its order in
 * page->order; no other page of a free block is marked.
 *
 * Order-0 pages go through a per-CPU list per zone first: allocation pops,
 * freeing pushes, with interrupts off and no lock. An empty list is refilled
 * with PCP_BATCH pages under the zone lock; a list that reaches PCP_HIGH
 * gives PCP_BATCH pages back.
 *
 * Interface: alloc_pages(), __free_pages() and friends, see <exo/mm.h>.
 *
 * Rules:
 *  - A page is free iff its reference count is 0; free pages are either on a
 *    buddy list (block head has PG_buddy) or on a per-CPU list.
 *  - A per-CPU list is only touched by its own CPU with interrupts off.
 *    drain_local_pages() drains the calling CPU only; pages cached on other
 *    CPUs are not reclaimed when an allocation fails (no IPIs yet).
 *  - Zone boundaries are MAX_ORDER aligned (4 GiB is), so buddies never
 *    straddle two zones.
 *
 * Lock order: zone->lock is innermost (the slab allocator calls in here with
 * its cache lock held); only one zone lock is held at a time.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <generated/autoconf.h>
#include <exo/compiler.h>
#include <exo/fault-inject.h>
#include <exo/irqflags.h>
#include <exo/memblock.h>
#include <exo/mm.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/shrinker.h>
#include <exo/spinlock.h>
#include <exo/string.h>

/*
 * Each CPU's list of order-0 pages: refilled and drained PCP_BATCH pages at a
 * time under the zone lock, capped at PCP_HIGH. The cap is what makes the lock
 * rare: a process that maps, touches and unmaps a region takes its pages from
 * and gives them back to its own CPU's list, and only goes to the zone lock
 * when its working set swings by more than PCP_HIGH pages. 3 * 31 (93 pages)
 * made a 1 MiB map-touch-unmap loop take the zone lock 16 times a round, and
 * two CPUs doing it at once got less done than one (exobench --scale
 * page_fault, docs/BENCHMARKS.md "Scaling with CPUs"); Linux's default is a
 * batch of 63 and a high mark of a few hundred pages as well.
 */
#define PCP_BATCH 63
#define PCP_HIGH (6 * PCP_BATCH)
#define DMA32_END_PFN ((4UL << 30) >> PAGE_SHIFT)

/* Page flags that must be clear on a page entering or leaving the allocator. */
#define PAGE_FLAGS_CHECK ((1UL << PG_reserved) | (1UL << PG_buddy) | (1UL << PG_slab) | \
			  (1UL << PG_large_kmalloc) | (1UL << PG_locked))

enum zone_type { ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };

struct free_area {
	struct list_head list;		/* [zone->lock] heads of free blocks */
	unsigned long nr_free;		/* [zone->lock] blocks on list */
};

struct per_cpu_pages {
	unsigned int count;		/* [this CPU, irqs off] */
	struct list_head list;		/* [this CPU, irqs off] hottest page first */
} __aligned(64);

struct zone {
	struct spinlock lock;
	struct free_area free_area[MAX_ORDER];
	unsigned long free_pages;	/* [lock] pages on the buddy lists */
	unsigned long start_pfn;	/* [immutable] */
	unsigned long end_pfn;		/* [immutable] exclusive */
	unsigned long managed_pages;	/* [immutable] pages given to the allocator */
	const char *name;		/* [immutable] */
	struct per_cpu_pages pcp[NR_CPUS];
};

struct page *mem_map;
unsigned long max_pfn;

static struct zone zones[MAX_NR_ZONES];
/* Populated zones to try, best first, for normal and __GFP_DMA32 requests; NULL ended. */
static struct zone *zonelists[2][MAX_NR_ZONES + 1];
static unsigned long nr_managed_pages;

static inline struct zone *page_zone(const struct page *page)
{
	return page_to_pfn(page) >= DMA32_END_PFN ? &zones[ZONE_NORMAL] : &zones[ZONE_DMA32];
}

/* list_del() without poisoning: the entry is relinked at once. */
static inline void page_list_unlink(struct page *page)
{
	page->lru.next->prev = page->lru.prev;
	page->lru.prev->next = page->lru.next;
}

#ifdef CONFIG_DEBUG
static __cold __noreturn void bad_page(const struct page *page, const char *why)
{
	panic("page_alloc: bad page pfn %#lx: %s (flags %#lx count %d)", page_to_pfn(page), why,
	      page->flags, page_count(page));
}

/* A page about to be handed out must look exactly like a free page. */
static void check_new_page(const struct page *page)
{
	if (page_count(page) != 0)
		bad_page(page, "free page has references");
	if (page->flags & PAGE_FLAGS_CHECK)
		bad_page(page, "free page has allocator flags");
	if (page->slab_cache)
		bad_page(page, "free page still has a slab cache");
}

/* Called before the reference drop, so a double free is seen as count 0. */
static void check_free_pages(const struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), i;

	if (order >= MAX_ORDER)
		panic("page_alloc: free of pfn %#lx with bad order %u", pfn, order);
	if (pfn >= max_pfn || (pfn & ((1UL << order) - 1)))
		bad_page(page, "freed block is outside RAM or misaligned");
	if (PageBuddy(page) || page_count(page) <= 0)
		bad_page(page, "double free");
	/*
	 * Not PG_locked: dropping one of several references is a "free" too,
	 * and another holder may have the page locked meanwhile (a page cache
	 * page under write-back while a writer locks it). __free_pages checks
	 * it once the last reference is gone.
	 */
	if (page->flags & PAGE_FLAGS_CHECK & ~(1UL << PG_locked))
		bad_page(page, "freed page is reserved or owned by slab");
	for (i = 1; i < (1UL << order); i++) {
		const struct page *tail = page + i;

		if (page_count(tail) != 0 || (tail->flags & PAGE_FLAGS_CHECK))
			bad_page(tail, "freed block contains a page in use or already free");
	}
}
#else
static inline void check_new_page(const struct page *page)
{
	(void)page;
}

static inline void check_free_pages(const struct page *page, unsigned int order)
{
	(void)page;
	(void)order;
}
#endif

/* Puts the 2^order block at @page on the free lists, merging with free buddies. */
static void __free_one_page(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	assert_spin_locked(&zone->lock);
	zone->free_pages += 1UL << order;
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);

		if (buddy_pfn < zone->start_pfn || buddy_pfn >= zone->end_pfn)
			break;
		if (!PageBuddy(buddy) || buddy->order != order)
			break;
		page_list_unlink(buddy);
		zone->free_area[order].nr_free--;
		__ClearPageFlag(buddy, PG_buddy);
		pfn &= buddy_pfn;
		order++;
	}
	page = pfn_to_page(pfn);
	page->order = order;
	__SetPageFlag(page, PG_buddy);
	list_add(&page->lru, &zone->free_area[order].list);
	zone->free_area[order].nr_free++;
}

/* Takes a 2^order block off the free lists, splitting a larger one if needed. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	unsigned int o;

	assert_spin_locked(&zone->lock);
	for (o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->list))
			continue;
		page = list_first_entry(&area->list, struct page, lru);
		page_list_unlink(page);
		area->nr_free--;
		__ClearPageFlag(page, PG_buddy);
		while (o > order) {
			struct page *half;

			o--;
			half = page + (1UL << o);
			half->order = o;
			__SetPageFlag(half, PG_buddy);
			list_add(&half->lru, &zone->free_area[o].list);
			zone->free_area[o].nr_free++;
		}
		zone->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* Moves up to PCP_BATCH pages from the buddy lists to @pcp; interrupts are off. */
static unsigned int pcp_refill(struct zone *zone, struct per_cpu_pages *pcp)
{
	unsigned int n;

	spin_lock(&zone->lock);
	for (n = 0; n < PCP_BATCH; n++) {
		struct page *page = __rmqueue(zone, 0);

		if (!page)
			break;
		list_add_tail(&page->lru, &pcp->list);
	}
	spin_unlock(&zone->lock);
	pcp->count += n;
	return n;
}

/* Gives the @n coldest pages of @pcp back to the buddy lists; interrupts are off. */
static void pcp_drain(struct zone *zone, struct per_cpu_pages *pcp, unsigned int n)
{
	spin_lock(&zone->lock);
	while (n-- && pcp->count) {
		struct page *page = list_entry(pcp->list.prev, struct page, lru);

		page_list_unlink(page);
		pcp->count--;
		__free_one_page(zone, page, 0);
	}
	spin_unlock(&zone->lock);
}

void drain_local_pages(void)
{
	unsigned long flags;
	int z;

	local_irq_save(flags);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct per_cpu_pages *pcp = &zones[z].pcp[smp_processor_id()];

		pcp_drain(&zones[z], pcp, pcp->count);
	}
	local_irq_restore(flags);
}

static struct page *zone_alloc(struct zone *zone, unsigned int order)
{
	struct page *page = NULL;
	unsigned long flags;

	local_irq_save(flags);
	if (order == 0) {
		struct per_cpu_pages *pcp = &zone->pcp[smp_processor_id()];

		if (pcp->count || pcp_refill(zone, pcp)) {
			page = list_first_entry(&pcp->list, struct page, lru);
			page_list_unlink(page);
			pcp->count--;
		}
	} else {
		spin_lock(&zone->lock);
		page = __rmqueue(zone, order);
		spin_unlock(&zone->lock);
	}
	local_irq_restore(flags);
	return page;
}

static struct page *prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
#ifdef CONFIG_DEBUG
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		check_new_page(page + i);
#endif
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

unsigned long min_free_pages, low_free_pages, high_free_pages;

unsigned long nr_free_buddy_pages(void)
{
	unsigned long total = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		total += READ_ONCE(zones[z].free_pages);
	return total;
}

/*
 * Memory reclaim (mm/vmscan.c). Weak stand-ins for the host unit tests,
 * which link this file without the rest of the kernel.
 */
__weak unsigned long try_to_free_pages(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return 0;
}

__weak void wakeup_kswapd(void)
{
}

/*
 * Every zone of the list, then the same again after draining this CPU's
 * cached pages. Below the low watermark kswapd is woken; below min (or
 * with nothing left) an allocation that may sleep reclaims first.
 */
static __noinline struct page *alloc_pages_slow(gfp_t gfp, unsigned int order)
{
	struct zone **zl = zonelists[!!(gfp & __GFP_DMA32)];
	unsigned long free;
	int attempt, i;

	if (order >= MAX_ORDER)
		return NULL;
	free = nr_free_buddy_pages();
	if (free < low_free_pages)
		wakeup_kswapd();
	if (free < min_free_pages + (1UL << order))
		try_to_free_pages(gfp, order);
	for (attempt = 0; attempt < 3; attempt++) {
		for (i = 0; zl[i]; i++) {
			struct page *page = zone_alloc(zl[i], order);

			if (page)
				return prep_new_page(page, order, gfp);
		}
		if (attempt == 0 && order)
			drain_local_pages();
		else if (!try_to_free_pages(gfp, order))
			break;
	}
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct zone *zone = zonelists[!!(gfp & __GFP_DMA32)][0];
	struct per_cpu_pages *pcp;
	struct page *page;
	unsigned long flags;

	if (should_fail_alloc_page(gfp, order))
		return NULL;
	if (unlikely(order != 0 || !zone))
		return alloc_pages_slow(gfp, order);
	local_irq_save(flags);
	pcp = &zone->pcp[smp_processor_id()];
	if (unlikely(!pcp->count)) {
		local_irq_restore(flags);
		return alloc_pages_slow(gfp, order);
	}
	page = list_first_entry(&pcp->list, struct page, lru);
	page_list_unlink(page);
	pcp->count--;
	local_irq_restore(flags);
	return prep_new_page(page, 0, gfp);
}

static __noinline void free_pages_slow(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(zone, page, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}

void __free_pages(struct page *page, unsigned int order)
{
	struct zone *zone;
	struct per_cpu_pages *pcp;
	unsigned long flags;

	check_free_pages(page, order);
	if (!put_page_testzero(page))
		return;
#ifdef CONFIG_DEBUG
	if (PageFlag(page, PG_locked))
		bad_page(page, "freed page is still locked");
#endif
	page->flags = 0;
	zone = page_zone(page);
	if (unlikely(order != 0)) {
		free_pages_slow(zone, page, order);
		return;
	}
	local_irq_save(flags);
	pcp = &zone->pcp[smp_processor_id()];
	list_add(&page->lru, &pcp->list);
	if (unlikely(++pcp->count >= PCP_HIGH))
		pcp_drain(zone, pcp, PCP_BATCH);
	local_irq_restore(flags);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(__virt_to_page((void *)addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long total = 0;
	int z, cpu;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		total += READ_ONCE(zones[z].free_pages);
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			total += READ_ONCE(zones[z].pcp[cpu].count);
	}
	return total;
}

unsigned long totalram_pages(void)
{
	return nr_managed_pages;
}

static void zone_init(struct zone *zone, const char *name, unsigned long start, unsigned long end)
{
	int o, cpu;

	spin_lock_init(&zone->lock);
	for (o = 0; o < MAX_ORDER; o++) {
		INIT_LIST_HEAD(&zone->free_area[o].list);
		zone->free_area[o].nr_free = 0;
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		zone->pcp[cpu].count = 0;
		INIT_LIST_HEAD(&zone->pcp[cpu].list);
	}
	zone->free_pages = 0;
	zone->managed_pages = 0;
	zone->start_pfn = start;
	zone->end_pfn = max(start, end);
	zone->name = name;
}

/* Hands the free pfn range [start, end) to the buddy lists in the largest aligned blocks. */
static void free_range_to_buddy(unsigned long start, unsigned long end)
{
	unsigned long flags;

	while (start < end) {
		unsigned int order = start ? min(__builtin_ctzl(start), MAX_ORDER - 1) : MAX_ORDER - 1;
		struct page *page = pfn_to_page(start);
		struct zone *zone = page_zone(page);
		unsigned long i;

		while (start + (1UL << order) > end)
			order--;
		for (i = 0; i < (1UL << order); i++)
			page[i].flags = 0;
		zone->managed_pages += 1UL << order;
		nr_managed_pages += 1UL << order;
		spin_lock_irqsave(&zone->lock, flags);
		__free_one_page(zone, page, order);
		spin_unlock_irqrestore(&zone->lock, flags);
		start += 1UL << order;
	}
}

void page_alloc_init(void)
{
	phys_addr_t start, end, map_phys, map_size;
	unsigned long pfn, dma32_end;
	u64 cursor;
	int z, n;

	max_pfn = memblock_end_of_ram() >> PAGE_SHIFT;
	map_size = max_pfn * sizeof(struct page);
	map_phys = memblock_alloc(map_size, PAGE_SIZE);
	if (!map_phys)
		panic("page_alloc: no memory for a %lu-page mem_map", (unsigned long)max_pfn);
	mem_map = phys_to_virt(map_phys);
	memset(mem_map, 0, map_size);
	for (pfn = 0; pfn < max_pfn; pfn++)
		mem_map[pfn].flags = 1UL << PG_reserved;

	dma32_end = min(max_pfn, DMA32_END_PFN);
	zone_init(&zones[ZONE_DMA32], "DMA32", 0, dma32_end);
	zone_init(&zones[ZONE_NORMAL], "Normal", dma32_end, max_pfn);
	nr_managed_pages = 0;

	memblock_freeze();
	for_each_free_mem_range(cursor, start, end)
		free_range_to_buddy(start >> PAGE_SHIFT, end >> PAGE_SHIFT);

	n = 0;
	for (z = MAX_NR_ZONES - 1; z >= 0; z--)
		if (zones[z].managed_pages)
			zonelists[0][n++] = &zones[z];
	zonelists[0][n] = NULL;
	zonelists[1][0] = zones[ZONE_DMA32].managed_pages ? &zones[ZONE_DMA32] : NULL;
	zonelists[1][1] = NULL;
	/* Linux's min_free_kbytes is about 4 * sqrt(lowmem KiB); a fixed share is close enough here. */
	min_free_pages = max(nr_managed_pages / 256, 64UL);
	low_free_pages = min_free_pages * 2;
	high_free_pages = min_free_pages * 3;
	pr_info("%lu pages (%lu MiB) managed, mem_map %lu KiB\n", nr_managed_pages,
		nr_managed_pages >> (20 - PAGE_SHIFT), (unsigned long)(map_size >> 10));
}
