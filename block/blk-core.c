// SPDX-License-Identifier: MIT
/*
 * The request path: submit_bio() checks a bio against its block device,
 * maps partition sectors to disk sectors, and makes it a request (merged
 * into a held one when the task plugs), which goes to the driver's
 * queue_rq(). The driver ends requests with blk_mq_end_request(), usually
 * from its interrupt handler; that ends each bio.
 *
 * Flushes: on a queue with a volatile write cache (QUEUE_FLAG_WC) a
 * REQ_PREFLUSH write is sent as a flush then the write, and a REQ_FUA
 * write, when the device has no FUA of its own, as the write then a flush:
 * the bio ends when the last step ends. Without a write cache both flags
 * mean nothing and an empty flush ends at once.
 *
 * Requeue: queue_rq() may refuse with -EBUSY when the device ring is full;
 * the request waits on q->requeue_list for blk_mq_run_queue(), which the
 * driver calls after completions. The completion counter closes the race
 * of a completion that ran the queue just before a refused request was put
 * back (blk_mq_run_queue retries when a completion came meanwhile).
 *
 * Lock order: q->lock is a leaf, taken with interrupts off (completions).
 */
#include <exo/blkdev.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>

struct request_queue *blk_mq_alloc_queue(const struct blk_mq_ops *ops, unsigned int nr_hw_queues,
					 unsigned int cmd_size)
{
	struct request_queue *q = kmalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	memset(q, 0, sizeof(*q));
	q->mq_ops = ops;
	q->nr_hw_queues = nr_hw_queues ? nr_hw_queues : 1;
	q->cmd_size = cmd_size;
	q->limits.logical_block_size = SECTOR_SIZE;
	q->limits.physical_block_size = SECTOR_SIZE;
	q->limits.max_sectors = 2048;
	q->limits.max_segments = 128;
	q->limits.max_segment_size = 65536;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->requeue_list);
	return q;
}

void blk_mq_free_queue(struct request_queue *q)
{
	kfree(q);
}

static const char *op_name(unsigned int opf)
{
	switch (opf & REQ_OP_MASK) {
	case REQ_OP_READ:
		return "READ";
	case REQ_OP_WRITE:
		return "WRITE";
	case REQ_OP_FLUSH:
		return "FLUSH";
	}
	return "?";
}

/* Counts a completed request in its disk's /sys/block/.../stat. */
static void blk_account_done(struct request *rq)
{
	struct disk_stats *st = &rq->disk->stats;
	enum req_op op = req_op(rq);

	if (op == REQ_OP_FLUSH) {
		__atomic_fetch_add(&st->flush_ios, 1, __ATOMIC_RELAXED);
		return;
	}
	if (op != REQ_OP_READ && op != REQ_OP_WRITE)
		return;
	__atomic_fetch_add(&st->ios[op], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->sectors[op], rq->data_len >> SECTOR_SHIFT, __ATOMIC_RELAXED);
}

void blk_mq_end_request(struct request *rq, int status)
{
	struct request_queue *q = rq->q;
	struct bio *bio = rq->bio;

	if (status)
		disk_err(rq->disk, "I/O error %d, sector %llu, %u bytes, op %s", status,
			 (unsigned long long)rq->sector, rq->data_len, op_name(rq->cmd_flags));
	else
		blk_account_done(rq);
	blk_rq_free(rq);
	while (bio) {
		struct bio *next = bio->bi_next;

		bio->bi_next = NULL;
		bio_endio(bio, status);
		bio = next;
	}
	__atomic_fetch_add(&q->nr_requests, 1, __ATOMIC_RELEASE);
}

/* Hands @rq to the driver; false when it was refused for lack of room (the caller keeps it). */
static bool blk_mq_issue(struct request *rq)
{
	struct request_queue *q = rq->q;
	int err = q->mq_ops->queue_rq(rq, (unsigned int)(smp_processor_id() % q->nr_hw_queues));

	if (err == -EBUSY)
		return false;
	if (err)
		blk_mq_end_request(rq, err);
	return true;
}

void blk_mq_run_queue(struct request_queue *q)
{
	unsigned long flags;

	for (;;) {
		unsigned long seen = __atomic_load_n(&q->nr_requests, __ATOMIC_ACQUIRE);
		struct request *rq;

		spin_lock_irqsave(&q->lock, flags);
		if (list_empty(&q->requeue_list)) {
			spin_unlock_irqrestore(&q->lock, flags);
			return;
		}
		rq = list_first_entry(&q->requeue_list, struct request, queuelist);
		list_del_init(&rq->queuelist);
		spin_unlock_irqrestore(&q->lock, flags);
		if (blk_mq_issue(rq))
			continue;
		spin_lock_irqsave(&q->lock, flags);
		list_add(&rq->queuelist, &q->requeue_list);
		spin_unlock_irqrestore(&q->lock, flags);
		/* A completion since we looked may have run the queue before the put-back. */
		if (__atomic_load_n(&q->nr_requests, __ATOMIC_ACQUIRE) == seen)
			return;
	}
}

/* Sends @rq now, behind anything already waiting for room. */
static void blk_mq_dispatch(struct request *rq)
{
	struct request_queue *q = rq->q;
	unsigned long flags;
	bool waiting;

	spin_lock_irqsave(&q->lock, flags);
	waiting = !list_empty(&q->requeue_list);
	if (waiting)
		list_add_tail(&rq->queuelist, &q->requeue_list);
	spin_unlock_irqrestore(&q->lock, flags);
	if (!waiting && blk_mq_issue(rq))
		return;
	if (!waiting) {
		spin_lock_irqsave(&q->lock, flags);
		list_add_tail(&rq->queuelist, &q->requeue_list);
		spin_unlock_irqrestore(&q->lock, flags);
	}
	blk_mq_run_queue(q);
}

/* ---- plugging ------------------------------------------------------------- */

void blk_start_plug(struct blk_plug *plug)
{
	if (blk_current_plug())
		return;
	INIT_LIST_HEAD(&plug->list);
	plug->count = 0;
	blk_set_current_plug(plug);
}

void blk_flush_plug(struct blk_plug *plug)
{
	while (!list_empty(&plug->list)) {
		struct request *rq = list_first_entry(&plug->list, struct request, queuelist);

		list_del_init(&rq->queuelist);
		plug->count--;
		blk_mq_dispatch(rq);
	}
}

void blk_finish_plug(struct blk_plug *plug)
{
	if (blk_current_plug() != plug)
		return;
	blk_flush_plug(plug);
	blk_set_current_plug(NULL);
}

/* Merges @bio into a held request of @plug, newest first; true if it did. */
static bool blk_plug_merge(struct blk_plug *plug, struct bio *bio)
{
	struct list_head *pos;

	for (pos = plug->list.prev; pos != &plug->list; pos = pos->prev)
		if (blk_attempt_merge(list_entry(pos, struct request, queuelist), bio))
			return true;
	return false;
}

/* ---- submission ------------------------------------------------------------- */

/* Makes @bio a request and sends or holds it. @may_plug: false from interrupt context. */
static void blk_submit_request(struct bio *bio, bool may_plug)
{
	struct gendisk *disk = bio->bi_bdev->bd_disk;
	struct blk_plug *plug = may_plug ? blk_current_plug() : NULL;
	struct request *rq;

	if (plug && blk_plug_merge(plug, bio))
		return;
	rq = blk_rq_alloc(disk->queue, disk, bio, may_plug ? GFP_KERNEL : GFP_ATOMIC);
	if (!rq) {
		bio_endio(bio, -ENOMEM);
		return;
	}
	if (plug) {
		list_add_tail(&rq->queuelist, &plug->list);
		if (++plug->count >= BLK_MAX_REQUEST_COUNT)
			blk_flush_plug(plug);
		return;
	}
	blk_mq_dispatch(rq);
}

/*
 * A write with REQ_PREFLUSH or REQ_FUA on a caching device without FUA is
 * run in steps: [flush], write, [flush]. The context rides in bi_private.
 */
struct flush_seq {
	struct bio *orig;
	void (*end_io)(struct bio *bio);
	void *private;
	bool post_flush;			/* a flush after the write */
	bool wrote;				/* the write step is done */
};

static void flush_seq_step(struct bio *bio);

static void flush_seq_finish(struct flush_seq *fs, int status)
{
	struct bio *orig = fs->orig;

	orig->bi_end_io = fs->end_io;
	orig->bi_private = fs->private;
	kfree(fs);
	bio_endio(orig, status);
}

static void flush_seq_submit_flush(struct flush_seq *fs)
{
	struct bio *flush = bio_alloc(fs->orig->bi_bdev, 0, REQ_OP_FLUSH, GFP_ATOMIC);

	if (!flush) {
		flush_seq_finish(fs, -ENOMEM);
		return;
	}
	flush->bi_end_io = flush_seq_step;
	flush->bi_private = fs;
	blk_submit_request(flush, false);
}

/* The end of one step: a flush bio (freed here) or the original write. */
static void flush_seq_step(struct bio *bio)
{
	struct flush_seq *fs = bio->bi_private;
	int status = bio->bi_status;

	if (bio != fs->orig)
		bio_put(bio);
	if (status) {
		flush_seq_finish(fs, status);
		return;
	}
	if (bio != fs->orig && !fs->wrote) {
		/* The pre-flush is done: now the write, whose end comes back here. */
		fs->wrote = true;
		blk_submit_request(fs->orig, false);
		return;
	}
	if (bio == fs->orig && fs->post_flush) {
		fs->post_flush = false;
		flush_seq_submit_flush(fs);
		return;
	}
	flush_seq_finish(fs, 0);
}

static void blk_submit_flush_seq(struct bio *bio, bool pre, bool post)
{
	struct flush_seq *fs = kmalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs) {
		bio_endio(bio, -ENOMEM);
		return;
	}
	fs->orig = bio;
	fs->end_io = bio->bi_end_io;
	fs->private = bio->bi_private;
	fs->post_flush = post;
	fs->wrote = !pre;
	bio->bi_opf &= ~(REQ_PREFLUSH | REQ_FUA);
	bio->bi_end_io = flush_seq_step;
	bio->bi_private = fs;
	if (pre)
		flush_seq_submit_flush(fs);
	else
		blk_submit_request(bio, false);
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	struct gendisk *disk = bdev->bd_disk;
	struct request_queue *q = disk->queue;
	unsigned int lbs = q->limits.logical_block_size;
	sector_t start, nr;
	unsigned long flags;
	bool present;

	bio->bi_next = NULL;
	bio->bi_status = 0;
	spin_lock_irqsave(&disk->lock, flags);
	start = bdev->bd_start_sect;
	nr = bdev->bd_nr_sectors;
	present = bdev->bd_present;
	spin_unlock_irqrestore(&disk->lock, flags);
	if (!present || __atomic_load_n(&disk->dead, __ATOMIC_ACQUIRE)) {
		bio_endio(bio, present ? -EIO : -ENXIO);
		return;
	}
	switch (bio_op(bio)) {
	case REQ_OP_WRITE:
		if (bdev_read_only(bdev)) {
			bio_endio(bio, -EROFS);
			return;
		}
		__attribute__((__fallthrough__));
	case REQ_OP_READ:
		if (!bio->bi_size || bio->bi_size % lbs || (bio->bi_sector << SECTOR_SHIFT) % lbs ||
		    bio->bi_sector > nr || (bio->bi_size >> SECTOR_SHIFT) > nr - bio->bi_sector) {
			disk_err(disk, "%s: bad access: sector %llu, %u bytes, device has %llu sectors",
				 bdev->bd_name, (unsigned long long)bio->bi_sector, bio->bi_size,
				 (unsigned long long)nr);
			bio_endio(bio, -EIO);
			return;
		}
		if (bio_nr_segments(bio, &q->limits) > q->limits.max_segments ||
		    (bio->bi_size >> SECTOR_SHIFT) > q->limits.max_sectors) {
			disk_err(disk, "%s: bio of %u bytes over the queue limits", bdev->bd_name,
				 bio->bi_size);
			bio_endio(bio, -EIO);
			return;
		}
		bio->bi_sector += start;
		break;
	case REQ_OP_FLUSH:
		if (!(q->flags & QUEUE_FLAG_WC)) {
			bio_endio(bio, 0);
			return;
		}
		bio->bi_sector = 0;
		bio->bi_size = 0;
		break;
	default:
		bio_endio(bio, -EOPNOTSUPP);
		return;
	}
	if (bio_op(bio) == REQ_OP_WRITE && (bio->bi_opf & (REQ_PREFLUSH | REQ_FUA))) {
		bool wc = q->flags & QUEUE_FLAG_WC;
		bool pre = wc && (bio->bi_opf & REQ_PREFLUSH);
		bool post = wc && (bio->bi_opf & REQ_FUA) && !(q->flags & QUEUE_FLAG_FUA);

		if (pre || post) {
			blk_submit_flush_seq(bio, pre, post);
			return;
		}
		if (!wc)
			bio->bi_opf &= ~(REQ_PREFLUSH | REQ_FUA);
	}
	blk_submit_request(bio, true);
}
