/* SPDX-License-Identifier: MIT */
/*
 * The buffer cache (fs/buffer.c): file-system metadata blocks of a block
 * device, as windows onto its page cache, so a block read through a
 * buffer and through /dev/vda is the same memory.
 *
 *   bh = __bread(bdev, block, size);   block number in units of @size
 *   ... read or change bh->b_data ...
 *   mark_buffer_dirty(bh);             written back by sync / fsync of the device
 *   sync_dirty_buffer(bh);             or now, waiting for the device
 *   brelse(bh);                        do not use the buffer after brelse
 *
 * @size is a power of two from the device's logical block size to PAGE_SIZE.
 */
#ifndef _EXO_BUFFER_HEAD_H
#define _EXO_BUFFER_HEAD_H

#include <exo/bio.h>
#include <exo/types.h>

struct page;

struct buffer_head {
	struct block_device *b_bdev;	/* [immutable] */
	sector_t b_blocknr;		/* [immutable] in b_size units */
	unsigned int b_size;		/* [immutable] */
	char *b_data;			/* [immutable] inside b_page */
	struct page *b_page;		/* [immutable] referenced until brelse */
};

/* The block, read from the device if not cached; ERR_PTR(-EINVAL/-EIO/-ENXIO/-ENOMEM). May sleep. */
struct buffer_head *__bread(struct block_device *bdev, sector_t block, unsigned int size);
void brelse(struct buffer_head *bh);
void mark_buffer_dirty(struct buffer_head *bh);
/* Writes the buffer's page to the device now; 0 or -EIO. May sleep. */
int sync_dirty_buffer(struct buffer_head *bh);

#endif /* _EXO_BUFFER_HEAD_H */
