/* SPDX-License-Identifier: MIT */
/*
 * The block layer (docs/block.md): disks, their partitions, request queues.
 *
 *   struct gendisk        one disk a driver found: a name (vda), numbers,
 *                         a request queue, its partitions
 *   struct block_device   the whole disk (partno 0) or one partition: a
 *                         sector range and a page cache (bd_inode)
 *   struct request_queue  the driver's limits and its queue_rq(); bios
 *                         become requests (adjacent ones merged) that the
 *                         driver starts and ends with blk_mq_end_request()
 *
 * A driver: blk_mq_alloc_queue() with its ops, blk_alloc_disk(), fill
 * the name, numbers and capacity, add_disk(). Completion is
 * blk_mq_end_request() from the interrupt handler; a driver whose queue was
 * full (queue_rq returned -EBUSY) calls blk_mq_run_queue() when room frees.
 *
 * Numbering: virtio disks use major VIRTBLK_MAJOR (254, the dynamic major
 * Linux usually hands virtio_blk) with 16 minors a disk: vda 254:0,
 * vda1 254:1 ... vda15 254:15, vdb 254:16.
 *
 * Lock order: disk->lock (open counts, partitions) -> q->lock (dispatch
 * list) -> the driver's queue locks. block_devices_lock is a leaf.
 */
#ifndef _EXO_BLKDEV_H
#define _EXO_BLKDEV_H

#include <exo/bio.h>
#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/types.h>

struct inode;
struct file;
struct request;
struct seq_file;

#define VIRTBLK_MAJOR		254
#define DISK_MAX_PARTS		15	/* partitions per disk: minors 1..15 */
#define DISK_NAME_LEN		32

struct block_device {
	u32 bd_dev;				/* [immutable] a dev_t (<exo/fs_types.h>, which the host tests cannot include) */
	u8 bd_partno;				/* [immutable] 0: the whole disk */
	bool bd_present;			/* [disk->lock] partition in the current table */
	sector_t bd_start_sect;			/* [disk->lock] first sector on the disk */
	sector_t bd_nr_sectors;			/* [disk->lock] size in 512-byte sectors */
	struct gendisk *bd_disk;		/* [immutable] */
	struct inode *bd_inode;			/* [immutable] holds the page cache */
	int bd_openers;				/* [disk->lock] open files */
	int bd_writers;				/* [disk->lock] open files with FMODE_WRITE */
	int bd_wb_err;				/* [atomic] write-back error for the next fsync */
	bool bd_mapped_writable;		/* [atomic] a writer mapped it: mapped pages may be dirty */
	bool bd_read_only;			/* [atomic] set read-only by BLKROSET */
	u64 bd_dirtied_when;			/* [atomic] jiffies of the oldest dirtying since the
						 * last write-back began; 0: clean */
	char bd_name[DISK_NAME_LEN];		/* [immutable] vda, vda1 */
	struct list_head bd_list;		/* [block_devices_lock] all block devices */
};

/* Optional driver hooks beside the request path. */
struct block_device_operations {
	int (*ioctl)(struct block_device *bdev, unsigned int cmd, unsigned long arg);
};

/*
 * I/O statistics of a disk (/sys/block/vda/stat), per direction (0 read,
 * 1 write; flushes apart): requests completed, bios merged into a request,
 * sectors transferred. [atomic]
 */
struct disk_stats {
	unsigned long ios[2];
	unsigned long merges[2];
	unsigned long sectors[2];
	unsigned long flush_ios;
};

struct gendisk {
	char disk_name[DISK_NAME_LEN];		/* [immutable after add_disk] */
	unsigned int major, first_minor;	/* [immutable after add_disk] */
	unsigned int minors;			/* [immutable] 1 + DISK_MAX_PARTS */
	bool read_only;				/* [immutable after add_disk] device refuses writes */
	bool removable;				/* [immutable] */
	bool dead;				/* [atomic] the device failed: every bio ends -EIO */
	int index;				/* [immutable] order of add_disk */
	struct request_queue *queue;		/* [immutable] */
	const struct block_device_operations *fops;	/* [immutable] may be NULL */
	void *private_data;			/* [driver] */
	struct spinlock lock;
	struct block_device *part0;		/* [immutable] whole disk */
	struct block_device *parts[DISK_MAX_PARTS + 1];	/* [lock] [0] = part0; made once, never freed */
	unsigned int err_logged;		/* [atomic] I/O error lines, rate limit */
	struct disk_stats stats;		/* [atomic] */
	struct list_head node;			/* [block_devices_lock] */
};

static inline sector_t get_capacity(const struct gendisk *disk)
{
	return disk->part0->bd_nr_sectors;
}
void set_capacity(struct gendisk *disk, sector_t sectors);

/* ---- request queues ------------------------------------------------------ */

struct queue_limits {
	unsigned int logical_block_size;	/* bytes, power of two, 512..4096 */
	unsigned int physical_block_size;
	unsigned int max_sectors;		/* 512-byte sectors in one request */
	unsigned int max_segments;		/* memory pieces in one request */
	unsigned int max_segment_size;		/* bytes in one piece */
};

/*
 * Driver ops. queue_rq() starts @rq on hardware queue @hctx (the caller's
 * CPU modulo nr_hw_queues): 0 (started; it will end through
 * blk_mq_end_request), -EBUSY (no room: requeued, tried again at the next
 * blk_mq_run_queue), or another -errno (the request ends with it). Called
 * with no lock held, from process or interrupt context: must not sleep.
 */
struct blk_mq_ops {
	int (*queue_rq)(struct request *rq, unsigned int hctx);
};

#define QUEUE_FLAG_WC		0x1	/* volatile write cache: flushes mean something */
#define QUEUE_FLAG_FUA		0x2	/* the device does FUA writes itself */

struct request_queue {
	struct queue_limits limits;		/* [immutable after add_disk] */
	unsigned int flags;			/* [immutable after add_disk] QUEUE_FLAG_* */
	const struct blk_mq_ops *mq_ops;	/* [immutable] */
	unsigned int nr_hw_queues;		/* [immutable] >= 1 */
	unsigned int cmd_size;			/* [immutable] driver bytes after each request */
	void *queuedata;			/* [driver] */
	struct spinlock lock;
	struct list_head requeue_list;		/* [lock] refused with -EBUSY, in order */
	unsigned long nr_requests, nr_merges;	/* [atomic] statistics (tests, sysfs stat) */
};

/*
 * One operation the driver runs: a chain of bios on consecutive sectors
 * with the same operation (bio -> ... -> biotail by bi_next).
 */
struct request {
	struct list_head queuelist;		/* [q->lock / plug owner] */
	struct request_queue *q;		/* [immutable] */
	unsigned int cmd_flags;			/* [owner] REQ_OP_* | REQ_* of the first bio */
	sector_t sector;			/* [owner] first disk sector */
	unsigned int data_len;			/* [owner] bytes */
	unsigned short nr_segments;		/* [owner] bio_vecs counted against max_segments */
	struct bio *bio, *biotail;		/* [owner] */
	struct gendisk *disk;			/* [immutable] */
};

static inline enum req_op req_op(const struct request *rq)
{
	return (enum req_op)(rq->cmd_flags & REQ_OP_MASK);
}

/* The driver's cmd_size bytes behind the request. */
static inline void *blk_mq_rq_to_pdu(struct request *rq)
{
	return rq + 1;
}

#define rq_for_each_bio(b, rq) for ((b) = (rq)->bio; (b); (b) = (b)->bi_next)

/* A queue for @ops with default limits (512-byte blocks, 128 segments); or NULL. */
struct request_queue *blk_mq_alloc_queue(const struct blk_mq_ops *ops, unsigned int nr_hw_queues,
					 unsigned int cmd_size);
void blk_mq_free_queue(struct request_queue *q);
/*
 * Ends @rq: every bio gets @status (0 or -errno) and its bi_end_io; the
 * request is freed. Any context. @status -EIO is logged (rate-limited per
 * disk) with the sector range.
 */
void blk_mq_end_request(struct request *rq, int status);
/* Starts the requests queue_rq() refused for lack of room. Any context. */
void blk_mq_run_queue(struct request_queue *q);

/* ---- plugging -------------------------------------------------------------------- */

/*
 * Between blk_start_plug() and blk_finish_plug() the task's bios are held
 * as requests on the plug, where an adjacent bio merges into one; the
 * finish (or a sleep in submit_bio_wait) sends them. Plugs do not nest:
 * an inner start is a no-op.
 */
struct blk_plug {
	struct list_head list;			/* [owner task] requests */
	unsigned int count;
};
#define BLK_MAX_REQUEST_COUNT 32		/* more held requests flush the plug */
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
/* Sends the held requests and keeps plugging. Does not sleep. */
void blk_flush_plug(struct blk_plug *plug);
/*
 * schedule()'s part (Linux's sched_submit_work): a task about to sleep sends
 * what its plug holds, since a page it locked for a held request may be what
 * it, or another task, is about to wait for.
 */
struct task;
#ifdef CONFIG_BLOCK
void blk_flush_plug_before_sleep(struct task *t);
#else
static inline void blk_flush_plug_before_sleep(struct task *t)
{
	(void)t;
}
#endif
/* The calling task's plug (block/blk-task.c), or NULL. */
struct blk_plug *blk_current_plug(void);
void blk_set_current_plug(struct blk_plug *plug);

/* ---- merging (block/blk-merge.c, pure: host-tested) ---------------------------- */

enum blk_merge {
	BLK_MERGE_NONE,
	BLK_MERGE_BACK,		/* bio goes after rq->biotail */
	BLK_MERGE_FRONT,	/* bio goes before rq->bio */
};
/* Where @bio could join @rq within @rq->q's limits, not changing anything. */
enum blk_merge blk_try_merge(struct request *rq, struct bio *bio);
/* Joins @bio to @rq as blk_try_merge() said; true if it did. */
bool blk_attempt_merge(struct request *rq, struct bio *bio);
/* Segments @bio adds to a request (pieces not physically contiguous). */
unsigned int bio_nr_segments(const struct bio *bio, const struct queue_limits *lim);
/*
 * The request's memory as physically contiguous pieces, each at most
 * max_segment_size: fills at most @max of @segs, returns how many (never
 * more than rq->nr_segments).
 */
struct blk_seg {
	phys_addr_t addr;
	u32 len;
};
unsigned int blk_rq_map_segs(struct request *rq, struct blk_seg *segs, unsigned int max);
/* A request holding @bio alone; or NULL. */
struct request *blk_rq_alloc(struct request_queue *q, struct gendisk *disk, struct bio *bio,
			     gfp_t gfp);
void blk_rq_free(struct request *rq);

/* ---- disks ----------------------------------------------------------------------- */

/*
 * A disk on @q with its whole-disk block device, 16 minors; NULL when out
 * of memory. The driver sets disk_name, major, first_minor, fops,
 * private_data, read_only and the capacity, then calls add_disk().
 */
struct gendisk *blk_alloc_disk(struct request_queue *q);
/*
 * Makes the disk visible: page cache, partitions read, /dev nodes,
 * /sys/block. 0 or -errno. May sleep (reads the partition table).
 */
int add_disk(struct gendisk *disk);
/* A driver telling the block layer the device failed: every later bio ends with -EIO. */
void disk_mark_dead(struct gendisk *disk);
/* Rate-limited error line naming the disk: at most DISK_ERR_LOG_MAX per disk. */
#define DISK_ERR_LOG_MAX 16
void disk_err(struct gendisk *disk, const char *fmt, ...) __printf(2, 3);

/* The block device of @dev, or NULL (also for a partition not in the table). */
struct block_device *blkdev_get_by_dev(u32 dev);
/* Disk number @index (add_disk order) or NULL; disks are never freed. */
struct gendisk *disk_by_index(int index);
/* A partition of @disk by number (0: whole), present or not; NULL past the last minor. */
struct block_device *disk_part(struct gendisk *disk, unsigned int partno);

/* Re-reads the partition table (BLKRRPART): -EBUSY when a partition is open. */
int disk_rescan_partitions(struct gendisk *disk);

/* Read-only by the device (virtio-blk VIRTIO_BLK_F_RO) or by BLKROSET on this block device. */
static inline bool bdev_read_only(const struct block_device *bdev)
{
	return __atomic_load_n(&bdev->bd_read_only, __ATOMIC_RELAXED) || bdev->bd_disk->read_only;
}

static inline unsigned int bdev_logical_block_size(const struct block_device *bdev)
{
	return bdev->bd_disk->queue->limits.logical_block_size;
}

static inline u64 bdev_nr_bytes(const struct block_device *bdev)
{
	return bdev->bd_nr_sectors << SECTOR_SHIFT;
}

/* ---- the block device page cache (block/fops.c) ------------------------------- */

extern const struct file_operations def_blk_fops;
/*
 * Writes back @bdev's dirty pages and flushes the device cache; 0 or
 * -EIO (also for a write-back error since the last call). May sleep.
 */
int sync_blockdev(struct block_device *bdev);
/* sync(2): every block device. */
void sync_all_blockdevs(void);
/* Pages in the block devices' caches (/proc/meminfo's Buffers). */
unsigned long nr_blockdev_pages(void);
/* The page of @bdev's cache at @index, read from the device if needed (referenced), or ERR_PTR. */
struct page *bdev_read_page(struct block_device *bdev, unsigned long index);
/*
 * Starts reading the uncached pages holding bytes [@pos, @pos + @len) of
 * @bdev, in as few bios as it can, without waiting; nothing when the first
 * page is already cached or on its way. For file systems' metadata
 * read-ahead (ext4): bdev_read_page() then waits for the page.
 */
void bdev_readahead_range(struct block_device *bdev, u64 pos, u64 len);
/* The most pages one bio to @bdev may carry (its queue's limits). */
unsigned int bdev_max_pages(struct block_device *bdev);
/*
 * The bi_end_io of a read-ahead bio over page-cache pages (locked, one
 * reference each, which it drops): each page becomes up to date (not on an
 * error: the reader retries it) and unlocked. A non-NULL bi_private is the
 * count of valid bytes in the last page; the rest of that page (past the
 * end of a file) is zeroed.
 */
void readahead_end_io(struct bio *bio);
/*
 * A read-ahead's bios, built page by page: ra_bio_add() appends @page
 * (locked, referenced: the bio takes both) read from @sector, @bytes of
 * it (a multiple of the sector), to the current bio, or submits that one
 * first when it is full or @sector does not follow it; @valid (<= @bytes)
 * bytes of the page hold data, the rest is zeroed at completion; @mark
 * sets PG_readahead. false: no memory for a bio (the page is let go).
 * ra_bio_submit() sends the bio being built.
 */
struct ra_bio {
	struct block_device *bdev;
	struct bio *bio;
	sector_t next;			/* the sector after the bio's end */
	unsigned int max_pages;		/* bdev_max_pages(), once the first bio needs it */
};
bool ra_bio_add(struct ra_bio *rb, struct page *page, sector_t sector, unsigned int bytes,
		unsigned int valid, bool mark);
void ra_bio_submit(struct ra_bio *rb);
/* Writes one cache page of @bdev to the device now (if dirty); 0 or -errno. May sleep. */
int bdev_write_page(struct block_device *bdev, struct page *page);
/* Marks a cache page of @bdev dirty (written back by sync_blockdev()). */
void bdev_set_page_dirty(struct block_device *bdev, struct page *page);
/* The mm fault path of a mapped block device file. */
int blkdev_fault(struct file *file, unsigned long pgoff, struct page **page);

#endif /* _EXO_BLKDEV_H */
