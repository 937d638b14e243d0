// SPDX-License-Identifier: MIT
/*
 * /sys/block, in Linux's formats, for lsblk-like readers:
 *
 *   /sys/block/vda/{size,ro,removable,dev,range,capability,stat}
 *   /sys/block/vda/queue/{logical_block_size,physical_block_size,
 *                         hw_sector_size,max_sectors_kb,rotational}
 *   /sys/block/vda/vda1/{start,size,partition,dev,ro}
 *   /sys/dev/block/254:0 -> ../../block/vda, 254:1 -> ../../block/vda/vda1
 *
 * size and start count 512-byte sectors; dev is "major:minor". Linux makes
 * /sys/block/vda a symlink into /sys/devices; here it is the directory.
 *
 * A directory is about one disk or partition through proc_inode.fd =
 * (disk index + 1) << 4 | partition number. Disks and partition structs
 * are never freed (block/genhd.c), so a lookup needs no reference; an
 * absent partition reads as ENODEV.
 */
#include <exo/blkdev.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "internal.h"

#define SYSFS_BLOCK_INO 0x50000000UL	/* + fd << 8: disk and partition directories */
#define PARTNO_BITS 4

static int blk_fd(int disk_index, unsigned int partno)
{
	return (disk_index + 1) << PARTNO_BITS | (int)partno;
}

/* The disk or partition of a proc_inode.fd, or NULL if absent. */
static struct block_device *devno_bdev(int fd)
{
	struct gendisk *disk = disk_by_index((fd >> PARTNO_BITS) - 1);
	struct block_device *bdev = disk ? disk_part(disk, fd & ((1 << PARTNO_BITS) - 1)) : NULL;

	return bdev && bdev->bd_present ? bdev : NULL;
}

static struct block_device *seq_bdev(struct seq_file *m)
{
	return devno_bdev(PROC_I(m->inode)->fd);
}

#define BLK_ATTR(fname, fmt, ...)                                                    \
	static int blk_##fname##_show(struct seq_file *m)                            \
	{                                                                            \
		struct block_device *bdev = seq_bdev(m);                             \
		if (!bdev)                                                           \
			return -ENODEV;                                              \
		seq_printf(m, fmt "\n", __VA_ARGS__);                                    \
		return 0;                                                            \
	}

BLK_ATTR(size, "%llu", (unsigned long long)bdev->bd_nr_sectors)
BLK_ATTR(ro, "%d", bdev_read_only(bdev) ? 1 : 0)
BLK_ATTR(removable, "%d", bdev->bd_disk->removable ? 1 : 0)
BLK_ATTR(dev, "%u:%u", MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev))
BLK_ATTR(range, "%u", bdev->bd_disk->minors)
BLK_ATTR(capability, "%x", 0)
BLK_ATTR(start, "%llu", (unsigned long long)bdev->bd_start_sect)
BLK_ATTR(partition, "%u", bdev->bd_partno)
BLK_ATTR(lbs, "%u", bdev->bd_disk->queue->limits.logical_block_size)
BLK_ATTR(pbs, "%u", bdev->bd_disk->queue->limits.physical_block_size)
BLK_ATTR(max_sectors_kb, "%u", bdev->bd_disk->queue->limits.max_sectors / 2)
BLK_ATTR(rotational, "%d", 0)

/*
 * Linux's 17 fields (Documentation/block/stat.rst): read I/Os, merges,
 * sectors, ticks; write the same; in_flight, io_ticks, time_in_queue;
 * discard (4); flush I/Os and ticks. Times and discards are not kept: 0.
 */
static int blk_stat_show(struct seq_file *m)
{
	struct block_device *bdev = seq_bdev(m);
	struct disk_stats *st;

	if (!bdev)
		return -ENODEV;
	st = &bdev->bd_disk->stats;
	seq_printf(m, "%8lu %8lu %8lu %8u %8lu %8lu %8lu %8u %8u %8u %8u %8u %8u %8u %8u %8lu %8u\n",
		   __atomic_load_n(&st->ios[0], __ATOMIC_RELAXED),
		   __atomic_load_n(&st->merges[0], __ATOMIC_RELAXED),
		   __atomic_load_n(&st->sectors[0], __ATOMIC_RELAXED), 0U,
		   __atomic_load_n(&st->ios[1], __ATOMIC_RELAXED),
		   __atomic_load_n(&st->merges[1], __ATOMIC_RELAXED),
		   __atomic_load_n(&st->sectors[1], __ATOMIC_RELAXED), 0U,
		   0U, 0U, 0U, 0U, 0U, 0U, 0U,
		   __atomic_load_n(&st->flush_ios, __ATOMIC_RELAXED), 0U);
	return 0;
}

static const struct proc_entry blk_queue_entries[] = {
	{ .name = "logical_block_size", .mode = S_IFREG | 0444, .show = blk_lbs_show },
	{ .name = "physical_block_size", .mode = S_IFREG | 0444, .show = blk_pbs_show },
	{ .name = "hw_sector_size", .mode = S_IFREG | 0444, .show = blk_lbs_show },
	{ .name = "max_sectors_kb", .mode = S_IFREG | 0444, .show = blk_max_sectors_kb_show },
	{ .name = "rotational", .mode = S_IFREG | 0444, .show = blk_rotational_show },
};

static const struct proc_dir blk_queue_dir = {
	.entries = blk_queue_entries, .nr_entries = ARRAY_SIZE(blk_queue_entries),
};

static const struct proc_entry blk_part_entries[] = {
	{ .name = "start", .mode = S_IFREG | 0444, .show = blk_start_show },
	{ .name = "size", .mode = S_IFREG | 0444, .show = blk_size_show },
	{ .name = "partition", .mode = S_IFREG | 0444, .show = blk_partition_show },
	{ .name = "dev", .mode = S_IFREG | 0444, .show = blk_dev_show },
	{ .name = "ro", .mode = S_IFREG | 0444, .show = blk_ro_show },
};

static const struct proc_dir blk_part_dir = {
	.entries = blk_part_entries, .nr_entries = ARRAY_SIZE(blk_part_entries),
};

static const struct proc_entry blk_part_entry = {
	.name = "", .mode = S_IFDIR | 0555, .dir = &blk_part_dir,
};

static const struct proc_entry blk_disk_entries[] = {
	{ .name = "size", .mode = S_IFREG | 0444, .show = blk_size_show },
	{ .name = "ro", .mode = S_IFREG | 0444, .show = blk_ro_show },
	{ .name = "removable", .mode = S_IFREG | 0444, .show = blk_removable_show },
	{ .name = "dev", .mode = S_IFREG | 0444, .show = blk_dev_show },
	{ .name = "range", .mode = S_IFREG | 0444, .show = blk_range_show },
	{ .name = "capability", .mode = S_IFREG | 0444, .show = blk_capability_show },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = blk_stat_show },
	{ .name = "queue", .mode = S_IFDIR | 0555, .dir = &blk_queue_dir },
};

static int blk_disk_lookup(struct inode *dir, struct dentry *dentry)
{
	int fd = PROC_I(dir)->fd;
	struct gendisk *disk = disk_by_index((fd >> PARTNO_BITS) - 1);

	for (unsigned int n = 1; disk && n <= DISK_MAX_PARTS; n++) {
		struct block_device *bdev = disk_part(disk, n);

		if (bdev && bdev->bd_present && strlen(bdev->bd_name) == dentry->d_len &&
		    !memcmp(bdev->bd_name, dentry->d_name, dentry->d_len))
			return proc_instantiate(dentry, &blk_part_entry, 0, fd | (int)n,
						SYSFS_BLOCK_INO + ((unsigned long)(fd | (int)n) << 8));
	}
	return 0;
}

static int blk_disk_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	int fd = PROC_I(file->f_inode)->fd;
	struct gendisk *disk = disk_by_index((fd >> PARTNO_BITS) - 1);

	for (unsigned int n = 1; disk && n <= DISK_MAX_PARTS; n++) {
		struct block_device *bdev = disk_part(disk, n);
		loff_t cookie = base + n;

		if (cookie <= ctx->pos || !bdev || !bdev->bd_present)
			continue;
		if (!ctx->emit(ctx, bdev->bd_name, (unsigned int)strlen(bdev->bd_name), cookie,
			       SYSFS_BLOCK_INO + ((unsigned long)(fd | (int)n) << 8), DT_DIR))
			return 0;
		ctx->pos = cookie;
	}
	return 0;
}

static const struct proc_dir blk_disk_dir = {
	.entries = blk_disk_entries, .nr_entries = ARRAY_SIZE(blk_disk_entries),
	.lookup = blk_disk_lookup, .readdir = blk_disk_readdir,
};

static const struct proc_entry blk_disk_entry = {
	.name = "", .mode = S_IFDIR | 0555, .dir = &blk_disk_dir,
};

static int blk_root_lookup(struct inode *dir, struct dentry *dentry)
{
	struct gendisk *disk;

	for (int i = 0; (disk = disk_by_index(i)) != NULL; i++)
		if (strlen(disk->disk_name) == dentry->d_len &&
		    !memcmp(disk->disk_name, dentry->d_name, dentry->d_len))
			return proc_instantiate(dentry, &blk_disk_entry, 0, blk_fd(i, 0),
						SYSFS_BLOCK_INO + ((unsigned long)blk_fd(i, 0) << 8));
	return 0;
}

static int blk_root_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	struct gendisk *disk;

	for (int i = 0; (disk = disk_by_index(i)) != NULL; i++) {
		loff_t cookie = base + i + 1;

		if (cookie <= ctx->pos)
			continue;
		if (!ctx->emit(ctx, disk->disk_name, (unsigned int)strlen(disk->disk_name), cookie,
			       SYSFS_BLOCK_INO + ((unsigned long)blk_fd(i, 0) << 8), DT_DIR))
			return 0;
		ctx->pos = cookie;
	}
	return 0;
}

/* /sys/block. */
const struct proc_dir sysfs_block_dir = {
	.lookup = blk_root_lookup, .readdir = blk_root_readdir,
};

/*
 * /sys/dev/block/MAJ:MIN: a symlink per disk and partition to its
 * /sys/block directory (Linux links into /sys/devices), where lsblk and
 * libblkid find a device by number.
 */
static const char *blk_devno_get_link(struct inode *inode, char *buf, size_t size)
{
	struct block_device *bdev = devno_bdev(PROC_I(inode)->fd);

	if (!bdev)
		return ERR_PTR(-ENOENT);
	if (bdev->bd_partno)
		snprintf(buf, size, "../../block/%s/%s", bdev->bd_disk->disk_name, bdev->bd_name);
	else
		snprintf(buf, size, "../../block/%s", bdev->bd_disk->disk_name);
	return buf;
}

static const struct proc_entry blk_devno_entry = {
	.name = "", .mode = S_IFLNK | 0777, .get_link = blk_devno_get_link,
};

/* Calls @fn for each present disk and partition with its name "MAJ:MIN"; stops when it returns false. */
static void for_each_devno(bool (*fn)(void *arg, const char *name, int fd), void *arg)
{
	struct gendisk *disk;
	char name[24];

	for (int i = 0; (disk = disk_by_index(i)) != NULL; i++)
		for (unsigned int n = 0; n <= DISK_MAX_PARTS; n++) {
			struct block_device *bdev = devno_bdev(blk_fd(i, n));

			if (!bdev)
				continue;
			snprintf(name, sizeof(name), "%u:%u", MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev));
			if (!fn(arg, name, blk_fd(i, n)))
				return;
		}
}

struct devno_lookup {
	struct dentry *dentry;
	int fd;
};

static bool devno_match(void *arg, const char *name, int fd)
{
	struct devno_lookup *l = arg;

	if (strlen(name) != l->dentry->d_len || memcmp(name, l->dentry->d_name, l->dentry->d_len))
		return true;
	l->fd = fd;
	return false;
}

static int blk_devno_lookup(struct inode *dir, struct dentry *dentry)
{
	struct devno_lookup l = { dentry, 0 };

	for_each_devno(devno_match, &l);
	if (!l.fd)
		return 0;
	return proc_instantiate(dentry, &blk_devno_entry, 0, l.fd,
				SYSFS_BLOCK_INO + ((unsigned long)l.fd << 8) + 1);
}

struct devno_readdir {
	struct dir_context *ctx;
	loff_t base, cookie;
};

static bool devno_emit(void *arg, const char *name, int fd)
{
	struct devno_readdir *r = arg;
	loff_t cookie = r->base + ++r->cookie;

	if (cookie <= r->ctx->pos)
		return true;
	if (!r->ctx->emit(r->ctx, name, (unsigned int)strlen(name), cookie,
			  SYSFS_BLOCK_INO + ((unsigned long)fd << 8) + 1, DT_LNK))
		return false;
	r->ctx->pos = cookie;
	return true;
}

static int blk_devno_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	struct devno_readdir r = { ctx, base, 0 };

	for_each_devno(devno_emit, &r);
	return 0;
}

/* /sys/dev/block. */
const struct proc_dir sysfs_dev_block_dir = {
	.lookup = blk_devno_lookup, .readdir = blk_devno_readdir,
};
