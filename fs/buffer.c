// SPDX-License-Identifier: MIT
/*
 * The buffer cache, as a thin layer over the block device page cache
 * (block/fops.c): a buffer_head is a referenced page plus where the block
 * sits in it. See <exo/buffer_head.h> for the interface and its rule.
 */
#include <exo/blkdev.h>
#include <exo/buffer_head.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/slab.h>
#include <uapi/errno.h>

struct buffer_head *__bread(struct block_device *bdev, sector_t block, unsigned int size)
{
	struct buffer_head *bh;
	struct page *page;
	u64 pos;

	if (size < bdev_logical_block_size(bdev) || size > PAGE_SIZE || (size & (size - 1)))
		return ERR_PTR(-EINVAL);
	pos = block * size;
	if (pos / size != block || pos + size > bdev_nr_bytes(bdev))
		return ERR_PTR(-ENXIO);
	bh = kmalloc(sizeof(*bh), GFP_KERNEL);
	if (!bh)
		return ERR_PTR(-ENOMEM);
	page = bdev_read_page(bdev, (unsigned long)(pos / PAGE_SIZE));
	if (IS_ERR(page)) {
		kfree(bh);
		return ERR_CAST(page);
	}
	bh->b_bdev = bdev;
	bh->b_blocknr = block;
	bh->b_size = size;
	bh->b_page = page;
	bh->b_data = (char *)page_address(page) + pos % PAGE_SIZE;
	return bh;
}

void brelse(struct buffer_head *bh)
{
	put_page(bh->b_page);
	kfree(bh);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	bdev_set_page_dirty(bh->b_bdev, bh->b_page);
}

int sync_dirty_buffer(struct buffer_head *bh)
{
	return bdev_write_page(bh->b_bdev, bh->b_page);
}
