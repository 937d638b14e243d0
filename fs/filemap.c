// SPDX-License-Identifier: MIT
/*
 * The page cache: each inode's address_space holds its data pages sorted by
 * index, one reference each. Regular-file read and write go through it,
 * and mm's fault handler maps its pages (filemap_fault).
 *
 * The index is a radix tree (lib/radix-tree.c): a lookup costs a few loads
 * whatever the size of the file or device, and inserts at random offsets
 * move nothing.
 *
 * No lock is held while copying to or from user memory: a reader or writer
 * takes a page reference under mapping->lock and drops the lock for the
 * copy, so a truncate racing with it frees the page only after the copy.
 *
 * Reclaim: pages of a mapping marked reclaimable (block devices; tmpfs
 * pages are the files themselves and never are) also sit on one global
 * LRU, added at the tail when inserted. An access sets PG_referenced
 * instead of moving the page (no global lock on every read): the
 * shrinker, scanning from the head, sends a referenced page back to the
 * tail with the bit cleared (second chance, Linux's mark_page_accessed),
 * and takes out of its mapping a page that is clean, unlocked and held
 * only by the cache (page_count 1: not mapped, not being read or written).
 * Dirty pages are skipped: the flusher (block/fops.c) writes them back,
 * after which they are clean and reclaimable. A reference to a cache page
 * is only taken under mapping->lock (or lru_lock by reclaim itself), so
 * the count checked under mapping->lock cannot grow before the page is out.
 *
 * Lock order: inode->i_lock -> mapping->lock -> lru_lock; all leaves otherwise.
 */
#include <exo/blkdev.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/pagemap.h>
#include <exo/sched.h>
#include <exo/shrinker.h>
#include <exo/signal.h>
#include <exo/writeback.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/resource.h>
#include <uapi/signal.h>
#include <uapi/stat.h>
#include "internal.h"

/* Counts a new page against its file system's size (tmpfs size=); false when full: ENOSPC. */
static bool sb_charge_block(struct super_block *sb)
{
	unsigned long used = __atomic_load_n(&sb->s_used_blocks, __ATOMIC_RELAXED);

	do {
		if (sb->s_max_blocks && used >= sb->s_max_blocks)
			return false;
	} while (!__atomic_compare_exchange_n(&sb->s_used_blocks, &used, used + 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

static DEFINE_SPINLOCK(lru_lock);
static LIST_HEAD(page_lru);		/* [lru_lock] oldest first */
unsigned long nr_lru_pages;

/*
 * Waiters for locked pages, hashed by page as Linux's page wait table is:
 * one queue for all pages woke every waiter at every unlock, and on -smp 4
 * the herd spinning on that one queue's lock (interrupts off) starved the
 * completions that would have let it go.
 */
#define PAGE_WAIT_TABLE_BITS 6
static struct wait_queue_head page_wait_table[1 << PAGE_WAIT_TABLE_BITS];

static struct wait_queue_head *page_waitqueue(struct page *page)
{
	unsigned long h = (unsigned long)page / sizeof(*page);

	return &page_wait_table[(h * 0x9e3779b97f4a7c15UL) >> (64 - PAGE_WAIT_TABLE_BITS)];
}

static int page_wait_table_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(page_wait_table); i++)
		init_waitqueue_head(&page_wait_table[i]);
	return 0;
}
core_initcall(page_wait_table_init);

void lock_page(struct page *page)
{
	io_wait_event(*page_waitqueue(page), page_trylock(page));
}

void unlock_page(struct page *page)
{
	__atomic_fetch_and(&page->flags, ~(1UL << PG_locked), __ATOMIC_RELEASE);
	wake_up(page_waitqueue(page));
}

void mark_page_accessed(struct page *page)
{
	if (!page_test(page, PG_referenced))
		__atomic_fetch_or(&page->flags, 1UL << PG_referenced, __ATOMIC_RELAXED);
}

/* @page of @m goes to the LRU tail; mapping->lock held. */
static void lru_add(struct address_space *m, struct page *page)
{
	lockdep_assert_held(&m->lock);
	spin_lock(&lru_lock);
	list_add_tail(&page->lru, &page_lru);
	__atomic_fetch_or(&page->flags, 1UL << PG_lru, __ATOMIC_RELAXED);
	__atomic_fetch_add(&nr_lru_pages, 1, __ATOMIC_RELAXED);
	spin_unlock(&lru_lock);
}

/* Takes @page off the LRU if it is on it (reclaim may hold it isolated); lru_lock held. */
static void lru_del_locked(struct page *page)
{
	if (page_test_clear(page, PG_lru)) {
		list_del(&page->lru);
		__atomic_fetch_sub(&nr_lru_pages, 1, __ATOMIC_RELAXED);
	}
}

/*
 * The hit path of a lookup, kept a leaf: a cached read is little more than
 * this and the copy.
 */
struct page *find_get_page(struct address_space *m, unsigned long index)
{
	struct page *page;

	spin_lock(&m->lock);
	page = __radix_tree_lookup(&m->page_tree, index);
	if (page) {
		get_page(page);
		if (m->reclaimable)
			mark_page_accessed(page);
	}
	spin_unlock(&m->lock);
	return page;
}

int filemap_get_page(struct address_space *m, unsigned long index, bool create,
		     struct page **out)
{
	struct page *page = NULL, *fresh = NULL;
	int err = 0;

	if (!create) {
		page = find_get_page(m, index);
		*out = page;
		return page ? 0 : -ENOENT;
	}
	spin_lock(&m->lock);
	for (;;) {
		page = __radix_tree_lookup(&m->page_tree, index);
		if (page) {
			get_page(page);
			if (m->reclaimable)
				mark_page_accessed(page);
			break;
		}
		if (!create) {
			err = -ENOENT;
			break;
		}
		if (!fresh) {
			spin_unlock(&m->lock);
			/*
			 * ->readpage fills all of a page before it is up to
			 * date, and such a mapping's pages are only read
			 * through filemap_read_page(): zeroing it first would
			 * be a second pass over every page a cold read brings in.
			 */
			fresh = alloc_page((m->a_ops && m->a_ops->readpage) ? GFP_KERNEL :
					   GFP_KERNEL | __GFP_ZERO);
			spin_lock(&m->lock);
			if (!fresh) {
				err = -ENOMEM;
				break;
			}
			continue;	/* someone may have inserted it meanwhile */
		}
		if (!sb_charge_block(m->host->i_sb)) {
			err = -ENOSPC;
			break;
		}
		err = radix_tree_insert(&m->page_tree, index, fresh, GFP_KERNEL);
		if (err) {
			__atomic_fetch_sub(&m->host->i_sb->s_used_blocks, 1, __ATOMIC_RELAXED);
			break;
		}
		fresh->mapping = m;
		fresh->index = index;
		m->nrpages++;
		__atomic_fetch_add(&nr_pagecache_pages, 1, __ATOMIC_RELAXED);
		if (m->reclaimable)
			lru_add(m, fresh);
		page = fresh;
		fresh = NULL;
		get_page(page);		/* the cache keeps the allocation's reference */
		break;
	}
	spin_unlock(&m->lock);
	if (fresh)
		put_page(fresh);
	*out = page;
	return err;
}

unsigned long nr_pagecache_pages;

int filemap_read_page(struct address_space *m, unsigned long index, struct page **out)
{
	struct page *page;
	int err = filemap_get_page(m, index, true, &page);

	if (err)
		return err;
	if (!page_test(page, PG_uptodate)) {
		/* Read-ahead in flight holds the lock: the wait is for its I/O. */
		lock_page(page);
		if (!page_test(page, PG_uptodate))
			err = m->a_ops->readpage(m->host, page);
		unlock_page(page);
		if (err) {
			put_page(page);
			return err;
		}
	}
	*out = page;
	return 0;
}

void truncate_inode_pages_range(struct address_space *m, unsigned long start, unsigned long end)
{
	for (;;) {
		struct page *batch[16];
		unsigned long n, found;

		spin_lock(&m->lock);
		found = radix_tree_gang_lookup(&m->page_tree, (void **)batch, start,
					       ARRAY_SIZE(batch));
		/* Gang lookup returns increasing indexes: stop at the first past @end. */
		for (n = 0; n < found && batch[n]->index <= end; n++)
			;
		if (n)
			start = batch[n - 1]->index + 1;
		for (unsigned long i = 0; i < n; i++) {
			radix_tree_delete(&m->page_tree, batch[i]->index);
			batch[i]->mapping = NULL;
		}
		m->nrpages -= n;
		if (m->reclaimable && n) {
			spin_lock(&lru_lock);
			for (unsigned long i = 0; i < n; i++)
				lru_del_locked(batch[i]);
			spin_unlock(&lru_lock);
		}
		spin_unlock(&m->lock);
		__atomic_fetch_sub(&nr_pagecache_pages, n, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&m->host->i_sb->s_used_blocks, n, __ATOMIC_RELAXED);
		for (unsigned long i = 0; i < n; i++)
			put_page(batch[i]);
		if (n < ARRAY_SIZE(batch) || !start)
			return;
	}
}

void truncate_inode_pages(struct address_space *m, unsigned long start)
{
	truncate_inode_pages_range(m, start, ~0UL);
}

static loff_t i_size_read(struct inode *inode)
{
	loff_t size;

	spin_lock(&inode->i_lock);
	size = inode->i_size;
	spin_unlock(&inode->i_lock);
	return size;
}

/*
 * Up to @nr pages of @m from @index on, contiguous, referenced and ready to
 * copy, into @pages; returns how many (0: the page at @index is for the
 * caller's fill). One lock and one walk of the index (a 64 of pages) for
 * the batch. A disk-backed mapping's page (the reclaimable mappings: block
 * devices, ext4) ends the run unless it is up to date and no read-ahead
 * marker; a memory file system's pages are its data.
 */
static unsigned int filemap_get_batch(struct address_space *m, unsigned long index,
				      unsigned int nr, struct page **pages)
{
	unsigned long mask = 0, want = 0;
	unsigned int n, i;

	if (m->reclaimable) {
		mask = (1UL << PG_uptodate) | (1UL << PG_readahead);
		want = 1UL << PG_uptodate;
	}
	spin_lock(&m->lock);
	n = radix_tree_lookup_contig(&m->page_tree, (void **)pages, index, nr);
	for (i = 0; i < n; i++) {
		struct page *page = pages[i];

		if ((__atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) & mask) != want)
			break;
		get_page(page);
		if (m->reclaimable)
			mark_page_accessed(page);
	}
	spin_unlock(&m->lock);
	return i;
}

ssize_t filemap_read(struct file *file, struct address_space *m, struct iov_iter *to,
		     loff_t *pos, loff_t size,
		     struct page *(*fill)(struct file *file, unsigned long index,
					  unsigned long req_pages))
{
	struct page *pages[COPY_PAGES_MAX];
	size_t done = 0;

	while (to->count && *pos < size) {
		unsigned long index = (unsigned long)(*pos >> PAGE_SHIFT);
		size_t off = (size_t)(*pos & (PAGE_SIZE - 1));
		size_t want = (size_t)min((loff_t)to->count, size - *pos);
		unsigned int got = filemap_get_batch(m, index,
						     (unsigned int)min(DIV_ROUND_UP(off + want, PAGE_SIZE),
								       (size_t)COPY_PAGES_MAX),
						     pages);
		size_t bytes, copied;

		if (got) {
			bytes = min(want, got * PAGE_SIZE - off);
			copied = copy_pages_to_iter(pages, got, off, bytes, to);
			for (unsigned int i = 0; i < got; i++)
				put_page(pages[i]);
		} else {
			struct page *page = fill(file, index, DIV_ROUND_UP(off + to->count, PAGE_SIZE));

			if (IS_ERR(page)) {
				file->f_ra.prev_index = index;
				return done ? (ssize_t)done : PTR_ERR(page);
			}
			bytes = min(want, PAGE_SIZE - off);
			if (page) {
				copied = copy_page_to_iter(page, off, bytes, to);
				put_page(page);
			} else {
				copied = iov_iter_zero(bytes, to);	/* a hole */
			}
			got = 1;
		}
		file->f_ra.prev_index = index + got - 1;
		done += copied;
		*pos += (loff_t)copied;
		if (copied < bytes)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

/* A regular file's page the batch did not take: read in, or NULL for a hole. */
static struct page *filemap_fill_page(struct file *file, unsigned long index,
				      unsigned long req_pages)
{
	struct address_space *m = &file->f_inode->i_data;
	struct page *page;
	int err;

	if (m->a_ops) {
		page = filemap_ra_page(file, m, index, req_pages);
		if (page)
			return page;
		err = filemap_read_page(m, index, &page);
		return err ? ERR_PTR(err) : page;
	}
	return filemap_get_page(m, index, false, &page) ? NULL : page;
}

ssize_t generic_file_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = file->f_inode;

	return filemap_read(file, &inode->i_data, to, pos, i_size_read(inode), filemap_fill_page);
}

#define MAX_LFS_FILESIZE ((loff_t)0x7fffffffffffffffLL)

static void send_sigxfsz(void)
{
	struct siginfo info;

	user_siginfo(&info, SIGXFSZ, SI_USER);
	send_sig_info(SIGXFSZ, &info, current);
}

ssize_t write_size_ok(loff_t pos, size_t count)
{
	unsigned long limit = current ? current->rlim[RLIMIT_FSIZE].rlim_cur : RLIM_INFINITY;

	if (limit != RLIM_INFINITY) {
		if ((unsigned long long)pos >= limit) {
			send_sigxfsz();
			return -EFBIG;
		}
		count = min(count, (size_t)(limit - (unsigned long long)pos));
	}
	if (pos >= MAX_LFS_FILESIZE)
		return -EFBIG;
	return (ssize_t)min((unsigned long long)count, (unsigned long long)(MAX_LFS_FILESIZE - pos));
}

int inode_newsize_ok(struct inode *inode, loff_t size)
{
	unsigned long limit = current ? current->rlim[RLIMIT_FSIZE].rlim_cur : RLIM_INFINITY;

	if (size <= i_size_read(inode))
		return 0;
	if (limit != RLIM_INFINITY && (unsigned long long)size > limit) {
		send_sigxfsz();
		return -EFBIG;
	}
	return 0;	/* loff_t cannot pass MAX_LFS_FILESIZE */
}

ssize_t generic_file_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	size_t done = 0;
	ssize_t room;
	int err = 0;

	if (file->f_flags & O_APPEND)
		*pos = i_size_read(inode);
	room = write_size_ok(*pos, from->count);
	if (room < 0)
		return room;
	from->count = (size_t)room;
	while (from->count) {
		unsigned long index = (unsigned long)(*pos / PAGE_SIZE);
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = min((size_t)(PAGE_SIZE - off), from->count);
		struct page *page;
		size_t copied;

		err = filemap_get_page(&inode->i_data, index, true, &page);
		if (err)
			break;
		copied = copy_page_from_iter(page, off, n, from);
		put_page(page);
		done += copied;
		*pos += copied;
		spin_lock(&inode->i_lock);
		if (*pos > inode->i_size)
			inode->i_size = *pos;
		spin_unlock(&inode->i_lock);
		if (copied < n) {
			err = -EFAULT;
			break;
		}
	}
	if (done)
		inode_touch_mc(inode);
	return done ? (ssize_t)done : err;
}

/*
 * lseek over a file of @size bytes: SEEK_DATA/SEEK_HOLE see no holes
 * inside it, and with @fixed no position past @size is accepted (a device's
 * end is a wall, as Linux's fixed_size_llseek has it).
 */
loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence, loff_t size,
				bool fixed)
{
	loff_t pos;

	spin_lock(&file->f_lock);
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_END:
		pos = size + offset;
		break;
	case SEEK_DATA:
		/* Holes are not tracked for seeking: all data up to the size. */
		pos = offset < size ? offset : -ENXIO;
		break;
	case SEEK_HOLE:
		pos = offset < size ? size : -ENXIO;
		break;
	default:
		pos = -EINVAL;
		break;
	}
	if (whence <= SEEK_END && (pos < 0 || (fixed && pos > size)))
		pos = -EINVAL;
	if (offset < 0 && (whence == SEEK_DATA || whence == SEEK_HOLE))
		pos = -ENXIO;
	if (pos >= 0)
		file->f_pos = pos;
	spin_unlock(&file->f_lock);
	return pos;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence, i_size_read(file->f_inode), false);
}

int generic_setsize(struct inode *inode, loff_t size)
{
	loff_t old;

	spin_lock(&inode->i_lock);
	old = inode->i_size;
	inode->i_size = size;
	spin_unlock(&inode->i_lock);
	if (size < old) {
		struct page *page;

		truncate_inode_pages(&inode->i_data, (unsigned long)DIV_ROUND_UP(size, PAGE_SIZE));
		/* The tail of the last page must read as zeros if the file grows again. */
		if (size % PAGE_SIZE &&
		    !filemap_get_page(&inode->i_data, (unsigned long)(size / PAGE_SIZE), false, &page)) {
			memset((char *)page_address(page) + size % PAGE_SIZE, 0,
			       PAGE_SIZE - size % PAGE_SIZE);
			put_page(page);
		}
	}
	inode_touch_mc(inode);
	return 0;
}

int filemap_fault(struct file *file, unsigned long pgoff, struct page **page)
{
	struct inode *inode = file->f_inode;

#ifdef CONFIG_BLOCK
	if (S_ISBLK(inode->i_mode))
		return blkdev_fault(file, pgoff, page);
#endif
	if (!S_ISREG(inode->i_mode))
		return -ENODEV;
	if ((loff_t)pgoff >= DIV_ROUND_UP(i_size_read(inode), (loff_t)PAGE_SIZE))
		return -ENXIO;
	if (inode->i_data.a_ops) {
		*page = find_get_page(&inode->i_data, pgoff);
		if (*page && page_test(*page, PG_uptodate))
			return 0;
		if (*page)
			put_page(*page);
		page_cache_ra_around(&inode->i_data, pgoff);
		return filemap_read_page(&inode->i_data, pgoff, page);
	}
	return filemap_get_page(&inode->i_data, pgoff, true, page);
}

/* ---- reclaim: the page cache shrinker ------------------------------------- */

#define RECLAIM_BATCH 64

/*
 * Takes the pages of @iso[0..@n) (isolated from the LRU, referenced) that
 * are still unused out of @m; the others go back on the LRU. Returns the pages freed.
 */
static unsigned long reclaim_from_mapping(struct address_space *m, struct page **iso,
					  unsigned int n)
{
	unsigned long removed = 0;

	spin_lock(&m->lock);
	for (unsigned int i = 0; i < n; i++) {
		struct page *page = iso[i];

		/* 2: the cache's reference and ours. */
		if (page->mapping == m && page_count(page) == 2 && !page_test(page, PG_dirty) &&
		    !page_test(page, PG_locked)) {
			__atomic_fetch_or(&page->flags, 1UL << PG_reclaim, __ATOMIC_RELAXED);
			removed++;
		}
	}
	for (unsigned int i = 0; i < n && removed; i++)
		if (page_test(iso[i], PG_reclaim))
			radix_tree_delete(&m->page_tree, iso[i]->index);
	m->nrpages -= removed;
	spin_lock(&lru_lock);
	for (unsigned int i = 0; i < n; i++) {
		struct page *page = iso[i];

		if (page_test_clear(page, PG_reclaim)) {
			page->mapping = NULL;
			put_page(page);		/* the cache's reference; ours goes below */
		} else if (page->mapping == m) {
			/* Still cached and in use (or dirty): back to the tail. */
			list_add_tail(&page->lru, &page_lru);
			__atomic_fetch_or(&page->flags, 1UL << PG_lru, __ATOMIC_RELAXED);
			__atomic_fetch_add(&nr_lru_pages, 1, __ATOMIC_RELAXED);
		}
	}
	spin_unlock(&lru_lock);
	spin_unlock(&m->lock);
	if (removed) {
		__atomic_fetch_sub(&nr_pagecache_pages, removed, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&m->host->i_sb->s_used_blocks, removed, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < n; i++)
		put_page(iso[i]);
	return removed;
}

/*
 * Scans up to @nr_to_scan pages from the LRU head; returns the pages freed.
 * *@scanned gets the pages looked at.
 */
static unsigned long shrink_page_list(unsigned long nr_to_scan, unsigned long *scanned)
{
	struct page *iso[RECLAIM_BATCH];
	struct address_space *maps[RECLAIM_BATCH];
	unsigned long freed = 0, looked = 0;
	bool dirty = false;

	while (looked < nr_to_scan) {
		unsigned int n = 0, done = 0;

		spin_lock(&lru_lock);
		while (looked < nr_to_scan && n < RECLAIM_BATCH && !list_empty(&page_lru)) {
			struct page *page = list_first_entry(&page_lru, struct page, lru);

			looked++;
			dirty |= page_test(page, PG_dirty);
			if (page_test_clear(page, PG_referenced) || page_test(page, PG_dirty) ||
			    page_test(page, PG_locked) || page_count(page) > 1) {
				list_move_tail(&page->lru, &page_lru);
				continue;
			}
			/* On the LRU means in a mapping: the cache's reference keeps it. */
			list_del(&page->lru);
			__atomic_fetch_and(&page->flags, ~(1UL << PG_lru), __ATOMIC_RELAXED);
			__atomic_fetch_sub(&nr_lru_pages, 1, __ATOMIC_RELAXED);
			get_page(page);
			maps[n] = page->mapping;
			iso[n++] = page;
		}
		spin_unlock(&lru_lock);
		if (!n)
			break;
		/* One pass per mapping among the isolated pages. */
		while (done < n) {
			struct address_space *m = maps[done];
			struct page *group[RECLAIM_BATCH];
			unsigned int g = 0, rest = done;

			for (unsigned int i = done; i < n; i++) {
				if (maps[i] == m) {
					group[g++] = iso[i];
				} else {
					maps[rest] = maps[i];
					iso[rest++] = iso[i];
				}
			}
			/* iso[done..rest) now holds the other mappings' pages; n shrinks by g. */
			n = rest;
			freed += reclaim_from_mapping(m, group, g);
		}
	}
	if (dirty)
		wakeup_flusher_threads();	/* written back, they can go next time */
	__atomic_fetch_add(&vm_pgscan, looked, __ATOMIC_RELAXED);
	__atomic_fetch_add(&vm_pgsteal, freed, __ATOMIC_RELAXED);
	if (scanned)
		*scanned = looked;
	return freed;
}

static unsigned long pagecache_count(struct shrinker *s, struct shrink_control *sc)
{
	return __atomic_load_n(&nr_lru_pages, __ATOMIC_RELAXED);
}

static unsigned long pagecache_scan(struct shrinker *s, struct shrink_control *sc)
{
	return shrink_page_list(sc->nr_to_scan, &sc->nr_scanned);
}

static struct shrinker pagecache_shrinker = {
	.count_objects = pagecache_count,
	.scan_objects = pagecache_scan,
	.name = "pagecache",
	.seeks = DEFAULT_SEEKS,
};

unsigned long drop_pagecache(void)
{
	unsigned long freed = 0, got;

	/* Two rounds: the first clears the referenced bits it meets. */
	for (int round = 0; round < 2; round++) {
		do {
			got = shrink_page_list(__atomic_load_n(&nr_lru_pages, __ATOMIC_RELAXED) + 1,
					       NULL);
			freed += got;
		} while (got);
	}
	return freed;
}

static int pagecache_shrinker_init(void)
{
	return register_shrinker(&pagecache_shrinker);
}
core_initcall(pagecache_shrinker_init);
