/* SPDX-License-Identifier: MIT */
/* Shared inside block/ only. */
#ifndef _BLOCK_BLK_H
#define _BLOCK_BLK_H

#include <exo/blkdev.h>

/* Reads the partition table of @disk through its page cache and updates parts[]; genhd.c. */
int disk_scan_partitions(struct gendisk *disk);
/* The page cache inode of a new block device; fops.c. */
struct inode *bdev_alloc_inode(struct block_device *bdev);
/* Writes back then drops every cached page of @bdev (BLKFLSBUF, re-read partitions). */
int bdev_invalidate(struct block_device *bdev);
/* Calls @fn on every block device ever registered (they are never freed); genhd.c. */
void bdev_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg);

#endif /* _BLOCK_BLK_H */
