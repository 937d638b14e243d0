/* SPDX-License-Identifier: MIT */
/*
 * Block I/O requests (docs/block.md). A bio is one transfer between memory
 * and consecutive sectors of a block device: an operation, a start sector
 * and a vector of (page, offset, length) pieces. The submitter fills it,
 * calls submit_bio() and hears of the end through bi_end_io, called once,
 * possibly from an interrupt handler, with bi_status 0 or a negative errno
 * (-EIO for a device error, -EROFS, -ENXIO for sectors beyond the device).
 *
 * Sectors are always 512 bytes (SECTOR_SIZE), as in Linux, whatever the
 * device's logical block size; lengths and offsets are multiples of that
 * block size.
 *
 * Rules: a bio belongs to the block layer from submit_bio() until bi_end_io;
 * its pages must stay allocated that long. bio_put() frees it after the end.
 */
#ifndef _EXO_BIO_H
#define _EXO_BIO_H

#include <exo/gfp.h>
#include <exo/types.h>

struct page;
struct block_device;

typedef u64 sector_t;

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1U << SECTOR_SHIFT)

/* bi_opf: the operation in the low byte, flags above. */
enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2,	/* empty: the device's volatile cache to stable storage */
};
#define REQ_OP_MASK	0xffU
#define REQ_FUA		(1U << 8)	/* this write is on stable storage when it ends */
#define REQ_PREFLUSH	(1U << 9)	/* flush the cache before this write */
#define REQ_SYNC	(1U << 10)	/* someone waits for it */

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct bio {
	struct bio *bi_next;		/* [owner] in a request's chain */
	struct block_device *bi_bdev;	/* [submitter] */
	unsigned int bi_opf;		/* [submitter] REQ_OP_* | REQ_* */
	int bi_status;			/* [block layer] 0 or -errno at bi_end_io */
	sector_t bi_sector;		/* [submitter; remapped to the whole disk by submit_bio] */
	unsigned int bi_size;		/* [submitter] bytes: the sum of the vectors */
	unsigned short bi_vcnt;		/* [submitter] vectors used */
	unsigned short bi_max_vecs;	/* [immutable] */
	void (*bi_end_io)(struct bio *bio);	/* [submitter] */
	void *bi_private;		/* [submitter] */
	struct bio_vec bi_io_vec[];	/* [submitter] */
};

static inline enum req_op bio_op(const struct bio *bio)
{
	return (enum req_op)(bio->bi_opf & REQ_OP_MASK);
}

static inline bool op_is_write(unsigned int opf)
{
	return (opf & REQ_OP_MASK) == REQ_OP_WRITE;
}

/*
 * A bio for @bdev with room for @nr_vecs vectors (at most BIO_MAX_VECS), or
 * NULL when memory is short.
 */
#define BIO_MAX_VECS 256
struct bio *bio_alloc(struct block_device *bdev, unsigned int nr_vecs, unsigned int opf,
		      gfp_t gfp);
void bio_put(struct bio *bio);
/* Appends @len bytes of @page at @off; returns @len, or 0 when the bio is full. */
unsigned int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off);

/*
 * Hands @bio to the block layer; its end comes through bi_end_io. A bio
 * that cannot be started (read-only device, past the end) ends at once with
 * the error. Inside blk_start_plug() the request is held until
 * blk_finish_plug() so adjacent bios merge.
 */
void submit_bio(struct bio *bio);
/* submit_bio() and sleep until the end; returns bi_status. May sleep. */
int submit_bio_wait(struct bio *bio);
/* Ends @bio: sets bi_status (when @bio has none yet) and calls bi_end_io. Any context. */
void bio_endio(struct bio *bio, int status);

#endif /* _EXO_BIO_H */
