/* SPDX-License-Identifier: MIT */
/*
 * Physical pages and the buddy page allocator (mm/page_alloc.c).
 *
 * Every physical frame below the end of RAM has a struct page in mem_map,
 * indexed by page frame number. The page's reference count is shared by
 * everything that maps or holds the frame (page tables, the page cache, IPC),
 * so a frame is freed exactly once, when its last reference is dropped.
 *
 * alloc_pages() returns 2^order physically contiguous, naturally aligned
 * frames with a reference count of 1, or NULL. __free_pages() drops that
 * reference and frees the block when it was the last one. Neither sleeps;
 * both may be called with interrupts off and from interrupt context.
 * page_alloc_init() takes over all free memblock memory; memblock_alloc()
 * must not be used after it.
 */
#ifndef _EXO_MM_H
#define _EXO_MM_H

#include <exo/compiler.h>
#include <exo/gfp.h>
#include <exo/list.h>
#include <exo/types.h>
#include <asm/memlayout.h>

struct kmem_cache;
struct address_space;

#define MAX_ORDER 11	/* orders 0..MAX_ORDER-1: blocks up to 4 MiB */
#define MAX_ORDER_NR_PAGES (1UL << (MAX_ORDER - 1))

/* Bit numbers in page->flags. */
enum page_flag_bits {
	PG_reserved,	/* not managed by the allocator (firmware, kernel image, holes) */
	PG_buddy,	/* first page of a free block on a buddy free list; order in page->order */
	PG_slab,	/* owned by the slab allocator; slab_cache is set */
	PG_large_kmalloc, /* first page of a kmalloc() too large for a slab; order in page->order */
	PG_locked,	/* reserved for the page cache */
	PG_dirty,
	PG_uptodate,
	PG_lru,		/* on the page cache LRU (fs/filemap.c lru_lock) */
	PG_referenced,	/* accessed since reclaim last looked: one more trip round the LRU */
	PG_reclaim,	/* chosen by reclaim, being taken out of its mapping (mapping->lock) */
	PG_readahead,	/* read in by read-ahead: a reader reaching it starts the next window */
};

/*
 * One per physical frame, 64 bytes. Fields after lru are owned by whoever
 * allocated the page; the allocator only requires slab_cache to be NULL for a
 * page it hands out or takes back.
 */
struct page {
	unsigned long flags;		/* [atomic] PG_* bits */
	int _refcount;			/* [atomic] 0 while free */
	union {
		unsigned int order;	/* [zone->lock] free block order; or large kmalloc order */
		unsigned int inuse;	/* [cache->lock] allocated objects of a slab */
	};
	struct list_head lru;		/* [zone->lock] buddy or per-CPU list; [cache->lock] slab list */
	struct kmem_cache *slab_cache;	/* [immutable while PG_slab] every page of a slab */
	union {
		void *freelist;		/* [cache->lock] first free object of a slab */
		struct address_space *mapping; /* page cache owner */
	};
	unsigned long index;		/* offset in the mapping, in pages */
	unsigned long private;		/* owner's use */
};

extern struct page *mem_map;
extern unsigned long max_pfn;	/* mem_map covers pfns [0, max_pfn) */

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(virt_to_phys(addr) >> PAGE_SHIFT);
}

/* virt_to_page() for direct-map addresses only (slab objects, page_address()). */
static inline struct page *__virt_to_page(const void *addr)
{
	return pfn_to_page(((unsigned long)addr - DIRECT_MAP_BASE) >> PAGE_SHIFT);
}

static inline bool PageFlag(const struct page *page, enum page_flag_bits bit)
{
	return (READ_ONCE(page->flags) >> bit) & 1;
}

/* Non-atomic: only for pages the caller owns exclusively. */
static inline void __SetPageFlag(struct page *page, enum page_flag_bits bit)
{
	page->flags |= 1UL << bit;
}

static inline void __ClearPageFlag(struct page *page, enum page_flag_bits bit)
{
	page->flags &= ~(1UL << bit);
}

#define PageReserved(p) PageFlag(p, PG_reserved)
#define PageBuddy(p) PageFlag(p, PG_buddy)
#define PageSlab(p) PageFlag(p, PG_slab)

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; returns true when it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order);
/* Drops the caller's reference; frees the 2^order block when it was the last. */
void __free_pages(struct page *page, unsigned int order);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}

static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}

static inline void put_page(struct page *page)
{
	__free_pages(page, 0);
}

/* The same on direct-map addresses; 0 means failure, free_pages(0, ...) does nothing. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);

static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}

static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

/* Smallest order whose block holds @size bytes (size > 0). */
static inline unsigned int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return (unsigned int)(64 - __builtin_clzl((size - 1) >> PAGE_SHIFT));
}

/* Free pages, including those cached on per-CPU lists. */
unsigned long nr_free_pages(void);
/*
 * Free pages on the buddy lists only (cheap, no per-CPU sum), and the
 * reclaim watermarks: below low kswapd is woken, below min an allocation
 * that may sleep reclaims directly, kswapd works until high.
 */
unsigned long nr_free_buddy_pages(void);
extern unsigned long min_free_pages, low_free_pages, high_free_pages;
/* Pages handed to the allocator at boot. */
unsigned long totalram_pages(void);
/* Returns this CPU's cached order-0 pages to the buddy lists. */
void drain_local_pages(void);

void page_alloc_init(void);

#endif /* _EXO_MM_H */
