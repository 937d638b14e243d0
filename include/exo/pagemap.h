/* SPDX-License-Identifier: MIT */
/*
 * Page-cache page states and read-ahead, shared by the block device cache
 * (block/fops.c) and the disk file systems (fs/ext4).
 *
 * Page states: PG_uptodate once its content is read (never cleared while
 * the page is cached); PG_locked while it is being read in or written back
 * (a sleeping bit lock: lock_page() waits on a hashed queue); PG_readahead
 * on the page of a read-ahead window whose reading starts the next window.
 */
#ifndef _EXO_PAGEMAP_H
#define _EXO_PAGEMAP_H

#include <exo/mm.h>

struct address_space;
struct file;
struct file_ra_state;

/*
 * Acquire: whoever sees PG_uptodate set (with release) also sees the data
 * written before it. PageFlag() (<exo/mm.h>) is the relaxed read of the
 * allocator's own states.
 */
static inline bool page_test(struct page *page, int bit)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static inline void page_set(struct page *page, int bit)
{
	__atomic_fetch_or(&page->flags, 1UL << bit, __ATOMIC_RELEASE);
}

static inline bool page_test_clear(struct page *page, int bit)
{
	return __atomic_fetch_and(&page->flags, ~(1UL << bit), __ATOMIC_ACQ_REL) & (1UL << bit);
}

static inline bool page_trylock(struct page *page)
{
	return !(__atomic_fetch_or(&page->flags, 1UL << PG_locked, __ATOMIC_ACQUIRE) &
		 (1UL << PG_locked));
}

/* Sleeps (uninterruptibly, counted as I/O wait) until @page's lock is ours. */
void lock_page(struct page *page);
void unlock_page(struct page *page);

/*
 * Read-ahead windows (Linux's on-demand read-ahead, simplified): a
 * sequential reader of an open file (its struct file_ra_state) gets windows
 * growing from twice its request (at least RA_MIN_PAGES) to RA_MAX_PAGES;
 * the window after the current one starts when the reader reaches the
 * current one's PG_readahead page, so one is always in flight ahead of it.
 * A read elsewhere reads just its own pages, in one go.
 */
#define RA_MIN_PAGES 4
#define RA_MAX_PAGES (512 * 1024 / PAGE_SIZE)

/*
 * Before page @index of a read that wants @req_pages pages: moves @ra's
 * window and starts reading it with @mapping's a_ops->readahead().
 */
void page_cache_ra(struct file_ra_state *ra, struct address_space *mapping, unsigned long index,
		   unsigned long req_pages);
/*
 * A page fault's miss at @index: reads the RA_MAX_PAGES around it (Linux's
 * mmap read-around), since a program's text and data fault in no order.
 */
void page_cache_ra_around(struct address_space *mapping, unsigned long index);
/*
 * Page @index of @mapping, referenced, when it is cached and up to date
 * and no read-ahead marker (taking the marker moves the window first); else
 * moves @file's window (which may start reading the page) and returns NULL:
 * the caller then reads the page itself, waiting for it.
 */
struct page *filemap_ra_page(struct file *file, struct address_space *mapping,
			     unsigned long index, unsigned long req_pages);
/*
 * For a_ops->readahead(): page @index of @mapping (inserted when missing),
 * locked and referenced, when it needs reading; NULL when it is up to date
 * or someone is reading it (a gap in the read); ERR_PTR(-ENOMEM/-ENOSPC)
 * when it cannot be had.
 */
struct page *readahead_lock_page(struct address_space *mapping, unsigned long index);

#endif /* _EXO_PAGEMAP_H */
