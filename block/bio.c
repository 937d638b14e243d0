// SPDX-License-Identifier: MIT
/*
 * bios: allocation, filling, ending, and the synchronous submit_bio_wait().
 * A bio is ended exactly once (bio_endio); whoever submitted it frees it.
 */
#include <exo/bio.h>
#include <exo/blkdev.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/wait.h>
#include <uapi/errno.h>

struct bio *bio_alloc(struct block_device *bdev, unsigned int nr_vecs, unsigned int opf,
		      gfp_t gfp)
{
	struct bio *bio;

	if (nr_vecs > BIO_MAX_VECS)
		return NULL;
	bio = kmalloc(sizeof(*bio) + nr_vecs * sizeof(struct bio_vec), gfp);
	if (!bio)
		return NULL;
	memset(bio, 0, sizeof(*bio));
	bio->bi_bdev = bdev;
	bio->bi_opf = opf;
	bio->bi_max_vecs = (unsigned short)nr_vecs;
	return bio;
}

void bio_put(struct bio *bio)
{
	kfree(bio);
}

unsigned int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off)
{
	struct bio_vec *bv;

	if (bio->bi_vcnt == bio->bi_max_vecs || !len || off + len > PAGE_SIZE)
		return 0;
	bv = &bio->bi_io_vec[bio->bi_vcnt++];
	bv->bv_page = page;
	bv->bv_len = len;
	bv->bv_offset = off;
	bio->bi_size += len;
	return len;
}

void bio_endio(struct bio *bio, int status)
{
	if (status && !bio->bi_status)
		bio->bi_status = status;
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

struct bio_waiter {
	struct wait_queue_head wq;
	bool done;				/* [atomic] */
};

static void submit_bio_wait_endio(struct bio *bio)
{
	struct bio_waiter *w = bio->bi_private;
	unsigned long flags;

	/* The waiter may return and free @w once done is seen: wake under wq.lock. */
	spin_lock_irqsave(&w->wq.lock, flags);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	__wake_up_locked(&w->wq, NULL);
	spin_unlock_irqrestore(&w->wq.lock, flags);
}

int submit_bio_wait(struct bio *bio)
{
	struct bio_waiter w = { .done = false };
	struct blk_plug *plug;

	init_waitqueue_head(&w.wq);
	bio->bi_private = &w;
	bio->bi_end_io = submit_bio_wait_endio;
	bio->bi_opf |= REQ_SYNC;
	submit_bio(bio);
	/* Sleeping on a plugged bio would wait forever: send what is held. */
	plug = blk_current_plug();
	if (plug)
		blk_flush_plug(plug);
	/*
	 * done is set under wq.lock and wait_event's finish_wait() takes that
	 * lock, so the waker is out of @w before it goes out of scope.
	 */
	io_wait_event(w.wq, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	return bio->bi_status;
}
