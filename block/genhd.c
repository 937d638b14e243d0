// SPDX-License-Identifier: MIT
/*
 * Disks and partitions: allocation, add_disk (page cache, partition scan,
 * /dev nodes), lookup by device number, BLKRRPART, the error log limit.
 *
 * Partition block_devices are made once per minor and never freed: a
 * re-read only changes bd_present and the sector range, so /sys/block and
 * an open file never see one disappear under them (an absent partition's
 * I/O ends with -ENXIO).
 *
 * Lock order: disk->lock -> block_devices_lock (a leaf).
 */
#include <exo/blkdev.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <stdarg.h>
#include "blk.h"
#include "partitions/check.h"

static LIST_HEAD(all_disks);		/* [block_devices_lock] in add_disk order */
static LIST_HEAD(all_bdevs);		/* [block_devices_lock] */
static int nr_disks;			/* [block_devices_lock] */
static DEFINE_SPINLOCK(block_devices_lock);

void disk_err(struct gendisk *disk, const char *fmt, ...)
{
	unsigned int n = __atomic_fetch_add(&disk->err_logged, 1, __ATOMIC_RELAXED);
	char line[160];
	va_list ap;

	if (n > DISK_ERR_LOG_MAX)
		return;
	if (n == DISK_ERR_LOG_MAX) {
		pr_err("%s: further I/O errors not logged\n", disk->disk_name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_err("%s: %s\n", disk->disk_name, line);
}

void set_capacity(struct gendisk *disk, sector_t sectors)
{
	unsigned long flags;

	spin_lock_irqsave(&disk->lock, flags);
	disk->part0->bd_nr_sectors = sectors;
	spin_unlock_irqrestore(&disk->lock, flags);
	if (disk->part0->bd_inode)
		disk->part0->bd_inode->i_size = (loff_t)(sectors << SECTOR_SHIFT);
}

static struct block_device *bdev_alloc(struct gendisk *disk, unsigned int partno)
{
	struct block_device *bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);

	if (!bdev)
		return NULL;
	bdev->bd_disk = disk;
	bdev->bd_partno = (u8)partno;
	return bdev;
}

struct gendisk *blk_alloc_disk(struct request_queue *q)
{
	struct gendisk *disk = kzalloc(sizeof(*disk), GFP_KERNEL);

	if (!disk)
		return NULL;
	spin_lock_init(&disk->lock);
	INIT_LIST_HEAD(&disk->node);
	disk->queue = q;
	disk->minors = DISK_MAX_PARTS + 1;
	disk->part0 = bdev_alloc(disk, 0);
	if (!disk->part0) {
		kfree(disk);
		return NULL;
	}
	disk->part0->bd_present = true;
	disk->parts[0] = disk->part0;
	return disk;
}

/* Gives @bdev its number, name and page cache; 0 or -ENOMEM. */
static int bdev_register(struct gendisk *disk, struct block_device *bdev)
{
	struct inode *inode;
	unsigned long flags;

	bdev->bd_dev = MKDEV(disk->major, disk->first_minor + bdev->bd_partno);
	if (bdev->bd_partno)
		snprintf(bdev->bd_name, sizeof(bdev->bd_name), "%s%s%u", disk->disk_name,
			 /* Linux: "nvme0n1p1", but "vda1": a p after a final digit */
			 disk->disk_name[strlen(disk->disk_name) - 1] <= '9' &&
			 disk->disk_name[strlen(disk->disk_name) - 1] >= '0' ? "p" : "",
			 bdev->bd_partno);
	else
		strlcpy(bdev->bd_name, disk->disk_name, sizeof(bdev->bd_name));
	inode = bdev_alloc_inode(bdev);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	bdev->bd_inode = inode;
	spin_lock_irqsave(&block_devices_lock, flags);
	list_add_tail(&bdev->bd_list, &all_bdevs);
	spin_unlock_irqrestore(&block_devices_lock, flags);
	return 0;
}

struct block_device *blkdev_get_by_dev(u32 dev)
{
	struct block_device *bdev, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&block_devices_lock, flags);
	list_for_each_entry(bdev, &all_bdevs, bd_list)
		if (bdev->bd_dev == dev && bdev->bd_present) {
			found = bdev;
			break;
		}
	spin_unlock_irqrestore(&block_devices_lock, flags);
	return found;
}

struct gendisk *disk_by_index(int index)
{
	struct gendisk *disk, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&block_devices_lock, flags);
	list_for_each_entry(disk, &all_disks, node)
		if (disk->index == index) {
			found = disk;
			break;
		}
	spin_unlock_irqrestore(&block_devices_lock, flags);
	return found;
}

struct block_device *disk_part(struct gendisk *disk, unsigned int partno)
{
	struct block_device *bdev;
	unsigned long flags;

	if (partno > DISK_MAX_PARTS)
		return NULL;
	spin_lock_irqsave(&disk->lock, flags);
	bdev = disk->parts[partno];
	spin_unlock_irqrestore(&disk->lock, flags);
	return bdev;
}

/* The partition parsers' reader: whole-disk sectors through the disk's page cache. */
static int disk_read_sectors(struct parsed_partitions *st, sector_t sector, void *buf,
			     unsigned int len)
{
	struct block_device *bdev = st->priv;
	u64 pos = sector << SECTOR_SHIFT;

	while (len) {
		struct page *page = bdev_read_page(bdev, (unsigned long)(pos / PAGE_SIZE));
		unsigned int off = (unsigned int)(pos % PAGE_SIZE);
		unsigned int n = min(len, (unsigned int)PAGE_SIZE - off);

		if (IS_ERR(page))
			return (int)PTR_ERR(page);
		memcpy(buf, (char *)page_address(page) + off, n);
		put_page(page);
		buf = (char *)buf + n;
		pos += n;
		len -= n;
	}
	return 0;
}

int disk_scan_partitions(struct gendisk *disk)
{
	struct parsed_partitions *st = kzalloc(sizeof(*st), GFP_KERNEL);
	unsigned long flags;
	int found;

	if (!st)
		return -ENOMEM;
	st->name = disk->disk_name;
	st->nr_sectors = get_capacity(disk);
	st->lbs = disk->queue->limits.logical_block_size;
	st->read = disk_read_sectors;
	st->priv = disk->part0;
	st->limit = DISK_MAX_PARTS;
	found = check_partitions(st);
	if (found < 0) {
		pr_err("%s: partition table unreadable (%d)\n", disk->disk_name, found);
		kfree(st);
		return found;
	}
	for (unsigned int n = 1; n <= DISK_MAX_PARTS; n++) {
		struct block_device *bdev = disk->parts[n];

		if (!st->parts[n].size) {
			if (bdev) {
				/* Written back while the partition still exists. */
				if (bdev->bd_present)
					bdev_invalidate(bdev);
				spin_lock_irqsave(&disk->lock, flags);
				bdev->bd_present = false;
				bdev->bd_nr_sectors = 0;
				spin_unlock_irqrestore(&disk->lock, flags);
			}
			continue;
		}
		if (!bdev) {
			bdev = bdev_alloc(disk, n);
			if (!bdev || bdev_register(disk, bdev)) {
				pr_err("%s: no memory for partition %u\n", disk->disk_name, n);
				kfree(bdev);
				continue;
			}
		}
		/*
		 * The old partition's pages are not this one's. A partition that
		 * is not present (new, or dropped by an earlier scan, which wrote
		 * it back) has no device to write to: a write-back would only fail
		 * with ENXIO and spend the disk's error-log lines.
		 */
		if (bdev->bd_present)
			bdev_invalidate(bdev);
		else
			truncate_inode_pages(&bdev->bd_inode->i_data, 0);
		spin_lock_irqsave(&disk->lock, flags);
		bdev->bd_start_sect = st->parts[n].from;
		bdev->bd_nr_sectors = st->parts[n].size;
		bdev->bd_present = true;
		disk->parts[n] = bdev;
		spin_unlock_irqrestore(&disk->lock, flags);
		bdev->bd_inode->i_size = (loff_t)(st->parts[n].size << SECTOR_SHIFT);
		devfs_mknod(bdev->bd_name, S_IFBLK | 0660, bdev->bd_dev);
	}
	if (found)
		pr_info("%s: %s partition table, %d partitions\n", disk->disk_name, st->format, found);
	kfree(st);
	return 0;
}

int disk_rescan_partitions(struct gendisk *disk)
{
	unsigned long flags;
	bool busy = false;

	spin_lock_irqsave(&disk->lock, flags);
	for (unsigned int n = 1; n <= DISK_MAX_PARTS; n++)
		if (disk->parts[n] && disk->parts[n]->bd_openers)
			busy = true;
	spin_unlock_irqrestore(&disk->lock, flags);
	if (busy)
		return -EBUSY;
	return disk_scan_partitions(disk);
}

int add_disk(struct gendisk *disk)
{
	unsigned long flags;
	int err;

	err = bdev_register(disk, disk->part0);
	if (err)
		return err;
	disk->part0->bd_inode->i_size = (loff_t)(get_capacity(disk) << SECTOR_SHIFT);
	spin_lock_irqsave(&block_devices_lock, flags);
	disk->index = nr_disks++;
	list_add_tail(&disk->node, &all_disks);
	spin_unlock_irqrestore(&block_devices_lock, flags);
	devfs_mknod(disk->disk_name, S_IFBLK | 0660, disk->part0->bd_dev);
	pr_info("%s: %llu %u-byte logical blocks (%llu MB)%s\n", disk->disk_name,
		(unsigned long long)(get_capacity(disk) * SECTOR_SIZE /
				     disk->queue->limits.logical_block_size),
		disk->queue->limits.logical_block_size,
		(unsigned long long)(get_capacity(disk) * SECTOR_SIZE / 1000000),
		disk->read_only ? ", read-only" : "");
	/* A disk whose table cannot be read is still usable whole. */
	disk_scan_partitions(disk);
	return 0;
}

void disk_mark_dead(struct gendisk *disk)
{
	__atomic_store_n(&disk->dead, true, __ATOMIC_RELEASE);
}

void bdev_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	struct block_device *bdev;
	unsigned long flags;

	/* Block devices are never freed and the list only grows: walk it unlocked past each entry. */
	spin_lock_irqsave(&block_devices_lock, flags);
	bdev = list_first_entry(&all_bdevs, struct block_device, bd_list);
	spin_unlock_irqrestore(&block_devices_lock, flags);
	while (&bdev->bd_list != &all_bdevs) {
		struct block_device *next;

		fn(bdev, arg);
		spin_lock_irqsave(&block_devices_lock, flags);
		next = list_entry(bdev->bd_list.next, struct block_device, bd_list);
		spin_unlock_irqrestore(&block_devices_lock, flags);
		bdev = next;
	}
}
