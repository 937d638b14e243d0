// SPDX-License-Identifier: MIT
/*
 * Block device files and the block device page cache.
 *
 * Each block device (disk or partition) has an inode of its own (bd_inode,
 * on a private "bdev" super block) whose address_space caches its contents:
 * page N holds bytes [N * PAGE_SIZE, (N + 1) * PAGE_SIZE) of the device, the
 * last page zero past the end. /dev/vda opened as a file reads and writes
 * through that cache (read, write, pread, pwrite, mmap); the buffer cache
 * (fs/buffer.c) uses the same pages.
 *
 * Page states: PG_uptodate once read from the device (or fully written);
 * PG_dirty when its content is newer than the device's; PG_locked while it
 * is being read in or written back (sleep on its page_waitqueue() for it).
 * Write-back happens in sync_blockdev(): fsync, sync(2), BLKFLSBUF, the
 * last close of a writer, and a partition re-read; and in the flusher
 * thread, which every dirty_writeback_centisecs writes back each device
 * whose oldest dirtying (bd_dirtied_when) is dirty_expire_centisecs old.
 *
 * Read-ahead: a sequential reader (per open file, struct file_ra_state)
 * gets windows of pages read in one bio each, growing from the request
 * size (at least RA_MIN_PAGES) to RA_MAX_PAGES; the next window is
 * submitted when the reader reaches the page read-ahead marked
 * (PG_readahead) in the current one, so one is always in flight ahead of
 * it. A read elsewhere resets the window to its own size. Reads of cached
 * pages do not look at the window at all.
 * Clean pages are reclaimable (fs/filemap.c LRU) once nobody uses them. A shared writable
 * mapping dirties pages without telling anyone, so a block device that was
 * ever mapped writable has every page mapped somewhere (page_count > 1)
 * written back too.
 *
 * A read error leaves the page not up to date (the next access retries) and
 * returns -EIO; a write-back error is kept in bd_wb_err for the next fsync.
 *
 * Lock order: disk->lock (open counts) -> mapping->lock. The page lock is
 * a sleeping bit lock taken outside both; user copies happen under it only
 * for writes (a fault there that needs this same page would deadlock: a
 * write(2) from a mapping of the same device page that is not up to date).
 */
#include <exo/blkdev.h>
#include <exo/init.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/pagemap.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <exo/init.h>
#include <exo/jiffies.h>
#include <exo/time.h>
#include <exo/wait.h>
#include <exo/writeback.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include <uapi/stat.h>
#include "blk.h"

static const struct address_space_operations bdev_aops;
static struct file_system_type bdev_fs_type = { .name = "bdev" };
static struct super_block *bdev_sb;

/* Dirties @page of @bdev: the flusher's clock starts at the first one. */
static void bdev_dirty_page(struct block_device *bdev, struct page *page)
{
	u64 zero = 0, now = get_jiffies_64() | 1;	/* never 0: 0 means clean */

	page_set(page, PG_dirty);
	if (!__atomic_load_n(&bdev->bd_dirtied_when, __ATOMIC_RELAXED))
		__atomic_compare_exchange_n(&bdev->bd_dirtied_when, &zero, now, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

struct inode *bdev_alloc_inode(struct block_device *bdev)
{
	struct inode *inode;

	if (!bdev_sb) {
		/* add_disk runs in probe, one device at a time. */
		struct super_block *sb = sget_anon(&bdev_fs_type);

		if (IS_ERR(sb))
			return ERR_CAST(sb);
		bdev_sb = sb;
	}
	inode = new_inode(bdev_sb);
	if (IS_ERR(inode))
		return inode;
	inode->i_mode = S_IFBLK | 0600;
	inode->i_rdev = bdev->bd_dev;
	inode->i_private = bdev;
	inode->i_data.a_ops = &bdev_aops;
	inode->i_data.reclaimable = true;
	return inode;
}

/* Bytes of the device in page @index: PAGE_SIZE but for the last page. */
static unsigned int bdev_page_bytes(struct block_device *bdev, unsigned long index)
{
	u64 size = bdev_nr_bytes(bdev), pos = (u64)index * PAGE_SIZE;

	if (pos >= size)
		return 0;
	return (unsigned int)min(size - pos, (u64)PAGE_SIZE);
}

/* Reads page @page (locked, of @bdev at its index) from the device. */
static int bdev_read_locked(struct block_device *bdev, struct page *page)
{
	unsigned int bytes = bdev_page_bytes(bdev, page->index);
	struct bio *bio;
	int err;

	if (!bytes)
		return -ENXIO;
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_KERNEL);
	if (!bio)
		return -ENOMEM;
	bio->bi_sector = ((sector_t)page->index * PAGE_SIZE) >> SECTOR_SHIFT;
	bio_add_page(bio, page, bytes, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
	if (!err)
		page_set(page, PG_uptodate);
	return err;
}

struct page *bdev_read_page(struct block_device *bdev, unsigned long index)
{
	struct page *page;
	int err;

	if (!bdev_page_bytes(bdev, index))
		return ERR_PTR(-ENXIO);
	err = filemap_get_page(&bdev->bd_inode->i_data, index, true, &page);
	if (err)
		return ERR_PTR(err);
	if (page_test(page, PG_uptodate))
		return page;
	lock_page(page);
	err = page_test(page, PG_uptodate) ? 0 : bdev_read_locked(bdev, page);
	unlock_page(page);
	if (err) {
		put_page(page);
		return ERR_PTR(err);
	}
	return page;
}

void bdev_set_page_dirty(struct block_device *bdev, struct page *page)
{
	bdev_dirty_page(bdev, page);
}

int bdev_write_page(struct block_device *bdev, struct page *page)
{
	unsigned int bytes = bdev_page_bytes(bdev, page->index);
	struct bio *bio;
	int err = 0;

	lock_page(page);
	if (!bytes || !page_test_clear(page, PG_dirty))
		goto out;
	bio = bio_alloc(bdev, 1, REQ_OP_WRITE, GFP_KERNEL);
	if (!bio) {
		page_set(page, PG_dirty);
		err = -ENOMEM;
		goto out;
	}
	bio->bi_sector = ((sector_t)page->index * PAGE_SIZE) >> SECTOR_SHIFT;
	bio_add_page(bio, page, bytes, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
out:
	unlock_page(page);
	return err;
}

/* ---- write-back ------------------------------------------------------------ */

struct wb_ctx {
	struct wait_queue_head wq;
	unsigned int pending;		/* [atomic] bios in flight */
	int err;			/* [atomic] first error */
};

static void wb_end_io(struct bio *bio)
{
	struct wb_ctx *wb = bio->bi_private;
	unsigned long flags;

	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		struct page *page = bio->bi_io_vec[i].bv_page;

		unlock_page(page);
		put_page(page);
	}
	if (bio->bi_status) {
		int zero = 0;

		__atomic_compare_exchange_n(&wb->err, &zero, bio->bi_status, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	bio_put(bio);
	spin_lock_irqsave(&wb->wq.lock, flags);
	if (__atomic_sub_fetch(&wb->pending, 1, __ATOMIC_ACQ_REL) == 0)
		__wake_up_locked(&wb->wq, NULL);
	spin_unlock_irqrestore(&wb->wq.lock, flags);
}

unsigned int bdev_max_pages(struct block_device *bdev)
{
	const struct queue_limits *lim = &bdev->bd_disk->queue->limits;
	unsigned int n = min(lim->max_sectors / (PAGE_SIZE / SECTOR_SIZE), (unsigned int)BIO_MAX_VECS);

	/* A page may take several segments when segments are small. */
	n = min(n, lim->max_segments / max(1U, (unsigned int)PAGE_SIZE / lim->max_segment_size));
	return max(n, 1U);
}

#define WB_BATCH 64

/*
 * Pages to write from index *@next on, referenced, at most WB_BATCH; moves
 * *@next past the last one looked at. @mapped: also pages mapped somewhere.
 */
static unsigned int wb_collect(struct address_space *m, unsigned long *next, struct page **out,
			       bool mapped)
{
	struct page *found[WB_BATCH];
	unsigned int n = 0, nr;

	spin_lock(&m->lock);
	/* Until the batch is full or the cache ends: a run of clean pages is not the end. */
	while (n < WB_BATCH &&
	       (nr = radix_tree_gang_lookup(&m->page_tree, (void **)found, *next, WB_BATCH - n))) {
		for (unsigned int i = 0; i < nr; i++) {
			struct page *page = found[i];

			*next = page->index + 1;
			if (!page_test(page, PG_uptodate))
				continue;
			/* The cache holds one reference: more means mapped (or being read). */
			if (page_test(page, PG_dirty) || (mapped && page_count(page) > 1)) {
				get_page(page);
				out[n++] = page;
			}
		}
	}
	spin_unlock(&m->lock);
	return n;
}

/* Writes back the dirty pages of @bdev; 0 or the first error. */
static int bdev_writeback(struct block_device *bdev, bool mapped)
{
	struct address_space *m = &bdev->bd_inode->i_data;
	struct page **pages = kmalloc(WB_BATCH * sizeof(*pages), GFP_KERNEL);
	unsigned int max_pages = bdev_max_pages(bdev);
	struct wb_ctx wb = { .pending = 1, .err = 0 };
	unsigned long next = 0, flags;
	struct blk_plug plug;
	unsigned int n;

	if (!pages)
		return -ENOMEM;
	/* Pages dirtied from here on restart the clock; those before are written now. */
	__atomic_store_n(&bdev->bd_dirtied_when, 0, __ATOMIC_RELAXED);
	init_waitqueue_head(&wb.wq);
	blk_start_plug(&plug);
	while ((n = wb_collect(m, &next, pages, mapped)) > 0) {
		struct bio *bio = NULL;

		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];
			unsigned int bytes = bdev_page_bytes(bdev, page->index);

			/*
			 * Never wait for a page lock while holding locked pages
			 * that are not on their way to the device: the bio being
			 * built and the plug go first. Another writer may hold
			 * this page in its own bio and wait for one of ours
			 * (four processes' fsyncs on -smp 4 hung this way).
			 */
			if (!page_trylock(page)) {
				if (bio) {
					submit_bio(bio);
					bio = NULL;
				}
				blk_flush_plug(&plug);
				lock_page(page);
			}
			if (!bytes || (!page_test_clear(page, PG_dirty) && !mapped)) {
				unlock_page(page);
				put_page(page);
				continue;
			}
			if (bio && (bio->bi_vcnt == max_pages ||
				    bio->bi_sector + (bio->bi_size >> SECTOR_SHIFT) !=
					    ((sector_t)page->index * PAGE_SIZE) >> SECTOR_SHIFT)) {
				submit_bio(bio);
				bio = NULL;
			}
			if (!bio) {
				bio = bio_alloc(bdev, max_pages, REQ_OP_WRITE, GFP_KERNEL);
				if (!bio) {
					bdev_dirty_page(bdev, page);
					unlock_page(page);
					put_page(page);
					wb.err = -ENOMEM;
					continue;
				}
				bio->bi_sector = ((sector_t)page->index * PAGE_SIZE) >> SECTOR_SHIFT;
				bio->bi_end_io = wb_end_io;
				bio->bi_private = &wb;
				__atomic_fetch_add(&wb.pending, 1, __ATOMIC_RELAXED);
			}
			bio_add_page(bio, page, bytes, 0);
		}
		if (bio)
			submit_bio(bio);
	}
	blk_finish_plug(&plug);
	kfree(pages);
	spin_lock_irqsave(&wb.wq.lock, flags);
	__atomic_sub_fetch(&wb.pending, 1, __ATOMIC_ACQ_REL);
	spin_unlock_irqrestore(&wb.wq.lock, flags);
	io_wait_event(wb.wq, __atomic_load_n(&wb.pending, __ATOMIC_ACQUIRE) == 0);
	return wb.err;
}

int sync_blockdev(struct block_device *bdev)
{
	struct bio *flush;
	int err, ferr, old;

	if (!bdev->bd_inode)
		return 0;
	err = bdev_writeback(bdev, __atomic_load_n(&bdev->bd_mapped_writable, __ATOMIC_RELAXED));
	flush = bio_alloc(bdev, 0, REQ_OP_FLUSH, GFP_KERNEL);
	ferr = flush ? submit_bio_wait(flush) : -ENOMEM;
	if (flush)
		bio_put(flush);
	if (!err)
		err = ferr;
	old = __atomic_exchange_n(&bdev->bd_wb_err, 0, __ATOMIC_RELAXED);
	if (err)
		disk_err(bdev->bd_disk, "%s: write-back failed (%d)", bdev->bd_name, err);
	return err ? err : old;
}

int bdev_invalidate(struct block_device *bdev)
{
	int err = sync_blockdev(bdev);

	truncate_inode_pages(&bdev->bd_inode->i_data, 0);
	return err;
}

static void sync_one(struct block_device *bdev, void *unused)
{
	if (bdev->bd_present)
		sync_blockdev(bdev);
}

void sync_all_blockdevs(void)
{
	bdev_for_each(sync_one, NULL);
}

static void count_pages(struct block_device *bdev, void *sum)
{
	if (bdev->bd_inode)
		*(unsigned long *)sum += READ_ONCE(bdev->bd_inode->i_data.nrpages);
}

unsigned long nr_blockdev_pages(void)
{
	unsigned long sum = 0;

	bdev_for_each(count_pages, &sum);
	return sum;
}

/* ---- periodic write-back: the flusher thread ------------------------------- */

static void flush_expired(struct block_device *bdev, void *unused)
{
	u64 when = __atomic_load_n(&bdev->bd_dirtied_when, __ATOMIC_RELAXED);
	u64 expire = (u64)READ_ONCE(dirty_expire_centisecs) * HZ / 100;
	int err;

	if (!bdev->bd_present || !bdev->bd_inode || !when || get_jiffies_64() - when < expire)
		return;
	/* No device flush: as in Linux, periodic write-back only hands data to the device. */
	err = bdev_writeback(bdev, __atomic_load_n(&bdev->bd_mapped_writable, __ATOMIC_RELAXED));
	if (err) {
		int zero = 0;

		__atomic_compare_exchange_n(&bdev->bd_wb_err, &zero, err, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
		disk_err(bdev->bd_disk, "%s: periodic write-back failed (%d)", bdev->bd_name, err);
	}
}

static DECLARE_WAIT_QUEUE_HEAD(flusher_wait);

void wakeup_flusher_threads(void)
{
	wake_up(&flusher_wait);
}

static int bdev_flusher(void *unused)
{
	for (;;) {
		unsigned int cs = READ_ONCE(dirty_writeback_centisecs);
		/* 0 turns periodic write-back off (Linux): look again in a second. */
		u64 ns = (u64)(cs ? cs : 100) * 10 * 1000 * 1000;
		u64 deadline = ktime_get_ns() + ns;

		while (ktime_get_ns() < deadline)
			wait_event_interruptible_deadline(flusher_wait, false, deadline);
		if (cs)
			bdev_for_each(flush_expired, NULL);
	}
	return 0;
}

static int bdev_flusher_init(void)
{
	struct task *t = kthread_create(bdev_flusher, NULL, "flush-bdev");

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	wake_up_new_task(t);
	return 0;
}
device_initcall(bdev_flusher_init);

/* ---- the file operations --------------------------------------------------- */

static struct block_device *file_bdev(struct file *file)
{
	return file->private_data;
}

static int blkdev_open(struct inode *inode, struct file *file)
{
	struct block_device *bdev = blkdev_get_by_dev(inode->i_rdev);
	struct gendisk *disk;
	unsigned long flags;

	if (!bdev)
		return -ENXIO;
	/* Opening a read-only device for writing succeeds, as on Linux; writes get EPERM. */
	disk = bdev->bd_disk;
	spin_lock_irqsave(&disk->lock, flags);
	bdev->bd_openers++;
	if (file->f_mode & FMODE_WRITE)
		bdev->bd_writers++;
	spin_unlock_irqrestore(&disk->lock, flags);
	file->private_data = bdev;
	return 0;
}

static int blkdev_release(struct inode *inode, struct file *file)
{
	struct block_device *bdev = file_bdev(file);
	struct gendisk *disk;
	unsigned long flags;
	bool last_writer = false;

	if (!bdev)
		return 0;
	disk = bdev->bd_disk;
	spin_lock_irqsave(&disk->lock, flags);
	bdev->bd_openers--;
	if (file->f_mode & FMODE_WRITE)
		last_writer = --bdev->bd_writers == 0;
	spin_unlock_irqrestore(&disk->lock, flags);
	/* The last writer's close writes back, so poweroff after close loses nothing. */
	if (last_writer)
		sync_blockdev(bdev);
	return 0;
}

/* ---- read-ahead ------------------------------------------------------------ */

void readahead_end_io(struct bio *bio)
{
	size_t tail = (size_t)bio->bi_private;

	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		struct page *page = bio->bi_io_vec[i].bv_page;

		/* A failed page stays not up to date: the reader retries it and gets the error. */
		if (!bio->bi_status) {
			if (tail && i == bio->bi_vcnt - 1)
				memset((char *)page_address(page) + tail, 0, PAGE_SIZE - tail);
			page_set(page, PG_uptodate);
		}
		unlock_page(page);
		put_page(page);
	}
	bio_put(bio);
}

bool ra_bio_add(struct ra_bio *rb, struct page *page, sector_t sector, unsigned int bytes,
		unsigned int valid, bool mark)
{
	struct bio *bio = rb->bio;

	if (bio && (bio->bi_vcnt == rb->max_pages || sector != rb->next))
		ra_bio_submit(rb);
	if (!rb->bio) {
		if (!rb->max_pages)
			rb->max_pages = bdev_max_pages(rb->bdev);
		bio = bio_alloc(rb->bdev, rb->max_pages, REQ_OP_READ, GFP_KERNEL);
		if (!bio) {
			unlock_page(page);
			put_page(page);
			return false;
		}
		bio->bi_sector = sector;
		bio->bi_end_io = readahead_end_io;
		rb->bio = bio;
	}
	if (mark)
		page_set(page, PG_readahead);
	bio_add_page(rb->bio, page, bytes, 0);	/* the bio keeps our reference */
	if (valid < PAGE_SIZE)
		rb->bio->bi_private = (void *)(size_t)valid;	/* the last page this bio gets */
	rb->next = sector + (bytes >> SECTOR_SHIFT);
	return true;
}

void ra_bio_submit(struct ra_bio *rb)
{
	if (rb->bio)
		submit_bio(rb->bio);
	rb->bio = NULL;
}

/*
 * a_ops->readahead of the device cache: the pages of [start, start + nr)
 * that are not cached, in as few bios as possible.
 */
static void bdev_readahead(struct address_space *m, unsigned long start, unsigned long nr,
			   unsigned long mark)
{
	struct block_device *bdev = m->host->i_private;
	struct ra_bio rb = { .bdev = bdev };
	struct blk_plug plug;

	blk_start_plug(&plug);
	for (unsigned long index = start; index < start + nr; index++) {
		unsigned int bytes = bdev_page_bytes(bdev, index);
		struct page *page;

		if (!bytes)
			break;
		page = readahead_lock_page(m, index);
		if (IS_ERR(page))
			break;
		if (!page)
			ra_bio_submit(&rb);	/* cached or on its way: a gap */
		else if (!ra_bio_add(&rb, page, ((sector_t)index * PAGE_SIZE) >> SECTOR_SHIFT,
				     bytes, bytes, index == mark))
			break;
	}
	ra_bio_submit(&rb);
	blk_finish_plug(&plug);
}

static const struct address_space_operations bdev_aops = {
	.readahead = bdev_readahead,
};

void bdev_readahead_range(struct block_device *bdev, u64 pos, u64 len)
{
	unsigned long first = (unsigned long)(pos >> PAGE_SHIFT), last;
	u64 size = bdev_nr_bytes(bdev);
	struct page *page;

	if (!len || pos >= size)
		return;
	if (len > size - pos)
		len = size - pos;
	last = (unsigned long)((pos + len - 1) >> PAGE_SHIFT);
	/* One lookup when the window is there already: the common case of a streaming reader. */
	if (!filemap_get_page(&bdev->bd_inode->i_data, first, false, &page)) {
		put_page(page);
		return;
	}
	bdev_readahead(&bdev->bd_inode->i_data, first, last - first + 1, ~0UL);
}

/*
 * A page filemap_read()'s batch did not take: a miss, a page not up to
 * date, or one read-ahead marked (PG_readahead) moves the read-ahead
 * window first, as Linux's filemap_read does; cached pages never look at it.
 */
static struct page *blkdev_fill_page(struct file *file, unsigned long index,
				     unsigned long req_pages)
{
	struct block_device *bdev = file_bdev(file);
	struct page *page = filemap_ra_page(file, &bdev->bd_inode->i_data, index, req_pages);

	return page ?: bdev_read_page(bdev, index);
}

/* The general read: the shared page-cache read over the device's pages. */
static __noinline ssize_t blkdev_read_pages(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct block_device *bdev = file_bdev(file);

	if (*pos < 0)
		return -EINVAL;
	return filemap_read(file, &bdev->bd_inode->i_data, to, pos, (loff_t)bdev_nr_bytes(bdev),
			    blkdev_fill_page);
}

/*
 * A read within one page that is cached and up to date (and not a
 * read-ahead marker) is a lookup, one load of the page's flags and the
 * copy; anything else (several pages, a miss, the device's end, an
 * invalid position) goes to blkdev_read_pages(), which looks again.
 */
static ssize_t blkdev_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct block_device *bdev = file_bdev(file);
	u64 size = bdev_nr_bytes(bdev), at = (u64)*pos;
	size_t n = to->count, off = (size_t)at & (PAGE_SIZE - 1), copied;
	struct page *page;

	/* n - 1 wraps for an empty read: vfs_read never asks one, the general path answers 0. */
	if (unlikely(at >= size || n - 1 >= PAGE_SIZE - off || n > size - at))
		return blkdev_read_pages(file, to, pos);	/* a negative *pos too */
	page = find_get_page(&bdev->bd_inode->i_data, (unsigned long)(at >> PAGE_SHIFT));
	if (unlikely(!page))
		return blkdev_read_pages(file, to, pos);
	if (unlikely((__atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) &
		      ((1UL << PG_uptodate) | (1UL << PG_readahead))) != (1UL << PG_uptodate))) {
		put_page(page);
		return blkdev_read_pages(file, to, pos);
	}
	file->f_ra.prev_index = (unsigned long)(at >> PAGE_SHIFT);
	copied = copy_page_to_iter(page, off, n, to);
	put_page(page);
	*pos = (loff_t)(at + copied);
	return copied ? (ssize_t)copied : -EFAULT;
}

static ssize_t blkdev_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct block_device *bdev = file_bdev(file);
	u64 size = bdev_nr_bytes(bdev);
	size_t done = 0;
	int err = 0;

	if (bdev_read_only(bdev))
		return -EPERM;
	if (*pos < 0)
		return -EINVAL;
	if ((u64)*pos >= size)
		return from->count ? -ENOSPC : 0;
	if (from->count > size - (u64)*pos)
		from->count = (size_t)(size - (u64)*pos);
	while (from->count) {
		unsigned long index = (unsigned long)(*pos / PAGE_SIZE);
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = min((size_t)(PAGE_SIZE - off), from->count);
		bool whole = off == 0 && n == bdev_page_bytes(bdev, index);
		struct page *page;
		size_t copied;

		err = filemap_get_page(&bdev->bd_inode->i_data, index, true, &page);
		if (err)
			break;
		lock_page(page);
		if (!page_test(page, PG_uptodate) && !whole) {
			err = bdev_read_locked(bdev, page);
			if (err) {
				unlock_page(page);
				put_page(page);
				break;
			}
		}
		copied = copy_page_from_iter(page, off, n, from);
		if (copied == n && whole)
			page_set(page, PG_uptodate);
		else if (copied < n && !page_test(page, PG_uptodate))
			/* Part of a page never read: dirtying it would write garbage round it. */
			copied = 0;
		if (copied)
			bdev_dirty_page(bdev, page);
		unlock_page(page);
		put_page(page);
		done += copied;
		*pos += copied;
		if (copied < n) {
			err = -EFAULT;
			break;
		}
	}
	if (!err && (file->f_flags & (O_SYNC | O_DSYNC)) && done)
		err = sync_blockdev(bdev);
	return done ? (ssize_t)done : err;
}

static loff_t blkdev_llseek(struct file *file, loff_t offset, int whence)
{
	/* SEEK_DATA and SEEK_HOLE are not offered on block devices here. */
	if (whence > SEEK_END)
		return -EINVAL;
	return generic_file_llseek_size(file, offset, whence, (loff_t)bdev_nr_bytes(file_bdev(file)),
					true);
}

static int blkdev_fsync(struct file *file, bool datasync)
{
	return sync_blockdev(file_bdev(file));
}

static int blkdev_mmap(struct file *file, struct vm_area *vma)
{
	return 0;	/* pages come from blkdev_fault() */
}

int blkdev_fault(struct file *file, unsigned long pgoff, struct page **out)
{
	struct block_device *bdev = file_bdev(file);
	struct page *page;

	if (!bdev_page_bytes(bdev, pgoff))
		return -ENXIO;
	page = bdev_read_page(bdev, pgoff);
	if (IS_ERR(page))
		return (int)PTR_ERR(page);
	if (file->f_mode & FMODE_WRITE) {
		__atomic_store_n(&bdev->bd_mapped_writable, true, __ATOMIC_RELAXED);
		bdev_dirty_page(bdev, page);
	}
	*out = page;
	return 0;
}

static long blkdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct block_device *bdev = file_bdev(file);
	struct gendisk *disk = bdev->bd_disk;
	void __user *argp = (void __user *)arg;
	int err;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_user((u64)bdev_nr_bytes(bdev), (u64 __user *)argp) ? -EFAULT : 0;
	case BLKGETSIZE:
		return put_user((unsigned long)bdev->bd_nr_sectors, (unsigned long __user *)argp) ?
			       -EFAULT : 0;
	case BLKSSZGET:
		return put_user((int)bdev_logical_block_size(bdev), (int __user *)argp) ? -EFAULT : 0;
	case BLKPBSZGET:
		return put_user(disk->queue->limits.physical_block_size,
				(unsigned int __user *)argp) ? -EFAULT : 0;
	case BLKBSZGET:
		return put_user((int)PAGE_SIZE, (int __user *)argp) ? -EFAULT : 0;
	case BLKROGET:
		return put_user((int)bdev_read_only(bdev), (int __user *)argp) ? -EFAULT : 0;
	case BLKROSET: {
		int ro;

		if (!capable_root())
			return -EACCES;
		if (get_user(ro, (int __user *)argp))
			return -EFAULT;
		/* Clearing it leaves a device that is read-only itself read-only. */
		__atomic_store_n(&bdev->bd_read_only, ro != 0, __ATOMIC_RELAXED);
		return 0;
	}
	case BLKFLSBUF:
		if (!capable_root())
			return -EACCES;
		return bdev_invalidate(bdev);
	case BLKRRPART:
		if (!capable_root())
			return -EACCES;
		if (bdev->bd_partno)
			return -EINVAL;
		err = sync_blockdev(bdev);
		if (err)
			return err;
		return disk_rescan_partitions(disk);
	default:
		if (disk->fops && disk->fops->ioctl)
			return disk->fops->ioctl(bdev, cmd, arg);
		return -ENOTTY;
	}
}

const struct file_operations def_blk_fops = {
	.open = blkdev_open,
	.release = blkdev_release,
	.read_iter = blkdev_read_iter,
	.write_iter = blkdev_write_iter,
	.llseek = blkdev_llseek,
	.fsync = blkdev_fsync,
	.mmap = blkdev_mmap,
	.unlocked_ioctl = blkdev_ioctl,
};
