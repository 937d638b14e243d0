// SPDX-License-Identifier: MIT
/*
 * Merging bios into requests and cutting requests into device segments.
 * Pure functions over struct request / bio and the queue limits: no locks
 * (the caller owns the request: it is on its plug, not yet with the
 * driver), no allocation but blk_rq_alloc(). Host-tested (tests/test_block.c).
 *
 * A segment is a physically contiguous run of memory of at most
 * max_segment_size bytes. bio_nr_segments() and blk_rq_map_segs() walk the
 * vectors the same way, so a request never maps to more segments than it
 * was counted for.
 */
#include <exo/blkdev.h>
#include <exo/mm.h>
#include <exo/slab.h>
#include <exo/string.h>

/* Walks @bio's vectors as segments, continuing the run in *@addr/@len; calls @emit per finished one. */
struct seg_walk {
	const struct queue_limits *lim;
	phys_addr_t addr;
	u32 len;
	unsigned int count;
	struct blk_seg *out;
	unsigned int max;
};

static void seg_emit(struct seg_walk *w)
{
	if (!w->len)
		return;
	if (w->out && w->count < w->max) {
		w->out[w->count].addr = w->addr;
		w->out[w->count].len = w->len;
	}
	w->count++;
	w->len = 0;
}

static void seg_add(struct seg_walk *w, phys_addr_t addr, u32 len)
{
	u32 max = w->lim->max_segment_size;

	while (len) {
		u32 n;

		if (w->len && (w->addr + w->len != addr || w->len == max))
			seg_emit(w);
		if (!w->len)
			w->addr = addr;
		n = min(len, max - w->len);
		w->len += n;
		addr += n;
		len -= n;
	}
}

static void seg_walk_bio(struct seg_walk *w, const struct bio *bio)
{
	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		const struct bio_vec *bv = &bio->bi_io_vec[i];

		seg_add(w, page_to_phys(bv->bv_page) + bv->bv_offset, bv->bv_len);
	}
}

unsigned int bio_nr_segments(const struct bio *bio, const struct queue_limits *lim)
{
	struct seg_walk w = { .lim = lim };

	seg_walk_bio(&w, bio);
	seg_emit(&w);
	return w.count;
}

unsigned int blk_rq_map_segs(struct request *rq, struct blk_seg *segs, unsigned int max)
{
	struct seg_walk w = { .lim = &rq->q->limits, .out = segs, .max = max };
	struct bio *bio;

	/*
	 * Each bio is cut on its own, as bio_nr_segments() counted it: a run
	 * crossing into the next bio would be cheaper, but the count must hold.
	 */
	rq_for_each_bio(bio, rq) {
		seg_walk_bio(&w, bio);
		seg_emit(&w);
	}
	return min(w.count, max);
}

static bool rq_mergeable(const struct request *rq)
{
	enum req_op op = req_op(rq);

	return (op == REQ_OP_READ || op == REQ_OP_WRITE) && !(rq->cmd_flags & (REQ_FUA | REQ_PREFLUSH));
}

enum blk_merge blk_try_merge(struct request *rq, struct bio *bio)
{
	const struct queue_limits *lim = &rq->q->limits;
	sector_t rq_end = rq->sector + (rq->data_len >> SECTOR_SHIFT);

	if (!rq_mergeable(rq) || bio_op(bio) != req_op(rq) || (bio->bi_opf & (REQ_FUA | REQ_PREFLUSH)))
		return BLK_MERGE_NONE;
	if (!bio->bi_bdev || bio->bi_bdev->bd_disk != rq->disk || !bio->bi_size)
		return BLK_MERGE_NONE;
	if (((u64)rq->data_len + bio->bi_size) >> SECTOR_SHIFT > lim->max_sectors)
		return BLK_MERGE_NONE;
	if (rq->nr_segments + bio_nr_segments(bio, lim) > lim->max_segments)
		return BLK_MERGE_NONE;
	if (rq_end == bio->bi_sector)
		return BLK_MERGE_BACK;
	if (bio->bi_sector + (bio->bi_size >> SECTOR_SHIFT) == rq->sector)
		return BLK_MERGE_FRONT;
	return BLK_MERGE_NONE;
}

bool blk_attempt_merge(struct request *rq, struct bio *bio)
{
	switch (blk_try_merge(rq, bio)) {
	case BLK_MERGE_BACK:
		rq->biotail->bi_next = bio;
		rq->biotail = bio;
		break;
	case BLK_MERGE_FRONT:
		bio->bi_next = rq->bio;
		rq->bio = bio;
		rq->sector = bio->bi_sector;
		break;
	default:
		return false;
	}
	rq->data_len += bio->bi_size;
	rq->nr_segments += bio_nr_segments(bio, &rq->q->limits);
	rq->cmd_flags |= bio->bi_opf & REQ_SYNC;
	__atomic_fetch_add(&rq->q->nr_merges, 1, __ATOMIC_RELAXED);
	if (req_op(rq) == REQ_OP_READ || req_op(rq) == REQ_OP_WRITE)
		__atomic_fetch_add(&rq->disk->stats.merges[req_op(rq)], 1, __ATOMIC_RELAXED);
	return true;
}

struct request *blk_rq_alloc(struct request_queue *q, struct gendisk *disk, struct bio *bio,
			     gfp_t gfp)
{
	struct request *rq = kmalloc(sizeof(*rq) + q->cmd_size, gfp);

	if (!rq)
		return NULL;
	memset(rq, 0, sizeof(*rq) + q->cmd_size);
	INIT_LIST_HEAD(&rq->queuelist);
	rq->q = q;
	rq->disk = disk;
	rq->cmd_flags = bio->bi_opf;
	rq->sector = bio->bi_sector;
	rq->data_len = bio->bi_size;
	rq->nr_segments = (unsigned short)bio_nr_segments(bio, &q->limits);
	rq->bio = rq->biotail = bio;
	bio->bi_next = NULL;
	return rq;
}

void blk_rq_free(struct request *rq)
{
	kfree(rq);
}
