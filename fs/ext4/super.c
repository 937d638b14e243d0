// SPDX-License-Identifier: MIT
/*
 * ext2/ext3/ext4, read-only: the super block, the feature checks, the group
 * descriptors and the mount.
 *
 * A mount reads the super block at byte 1024 of the device, refuses
 * anything it cannot read correctly (an INCOMPAT feature it does not know,
 * named in the log; a geometry that does not add up), replays the journal
 * in memory if it needs recovery (journal.c), then reads and checks every
 * group descriptor once (block bitmap, inode bitmap and inode table inside
 * the device; their checksum with metadata_csum). The result is immutable
 * for the life of the mount: nothing here takes a lock after mount.
 *
 * Every mount is read-only (MS_RDONLY is forced, as Linux's read-only
 * file systems do), so writes are EROFS at the VFS.
 */
#include <exo/blkdev.h>
#include <exo/buffer_head.h>
#include <exo/crc32.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/jiffies.h>
#include <exo/spinlock.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <uapi/errno.h>
#include <uapi/mount.h>
#include <uapi/stat.h>
#include <uapi/statfs.h>
#include "../internal.h"
#include "ext4.h"
#include "journal.h"
#include "xattr.h"

#define EXT4_ERR_LOG_MAX 16	/* corruption lines a mount may log */

#define EXT4_RATELIMIT_LINES 10
#define EXT4_RATELIMIT_JIFFIES (5 * HZ)

static DEFINE_SPINLOCK(ext4_ratelimit_lock);	/* a leaf */
static u64 ext4_ratelimit_window;		/* [ext4_ratelimit_lock] start of this interval */
static unsigned int ext4_ratelimit_lines;	/* [ext4_ratelimit_lock] printed in it */

bool ext4_ratelimit(void)
{
	unsigned long flags;
	u64 now = get_jiffies_64();
	bool ok;

	spin_lock_irqsave(&ext4_ratelimit_lock, flags);
	if (now - ext4_ratelimit_window >= EXT4_RATELIMIT_JIFFIES) {
		ext4_ratelimit_window = now;
		ext4_ratelimit_lines = 0;
	}
	ok = ext4_ratelimit_lines++ < EXT4_RATELIMIT_LINES;
	spin_unlock_irqrestore(&ext4_ratelimit_lock, flags);
	return ok;
}

int ext4_error(struct ext4_sb_info *s, const char *fmt, ...)
{
	char line[160];
	va_list ap;

	if (__atomic_fetch_add(&s->err_logged, 1, __ATOMIC_RELAXED) >= EXT4_ERR_LOG_MAX ||
	    !ext4_ratelimit())
		return -EUCLEAN;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "EXT4-fs (%s): corrupt: %s\n", s->bdev ? s->bdev->bd_name : "?", line);
	return -EUCLEAN;
}

struct buffer_head *ext4_bread(struct ext4_sb_info *s, u64 blk)
{
	struct buffer_head *bh;

	if (blk >= s->blocks_count) {
		ext4_error(s, "block %llu past the end (%llu blocks)", (unsigned long long)blk,
			   (unsigned long long)s->blocks_count);
		return ERR_PTR(-EUCLEAN);
	}
	bh = jbd2_replayed_block(s, blk);
	if (bh)
		return bh;
	bh = __bread(s->bdev, blk, s->block_size);
	if (IS_ERR(bh))
		return ERR_PTR(PTR_ERR(bh) == -ENXIO ? -EIO : PTR_ERR(bh));
	return bh;
}

void ext4_brelse(struct buffer_head *bh)
{
	jbd2_brelse(bh);
}

void ext4_readahead(struct ext4_sb_info *s, u64 blk, u64 end, unsigned int bytes)
{
	unsigned int lb = s->log_block_size;
	u64 window = bytes >> lb;

	end = min(end, s->blocks_count);
	for (int w = 0; w < 2 && blk < end; w++, blk += window)
		bdev_readahead_range(s->bdev, blk << lb, min(window, end - blk) << lb);
}

/* The block holding group @g's descriptor (meta_bg puts them in their metagroup's first groups). */
static u64 ext4_desc_block(const struct ext4_sb_info *s, u32 g)
{
	u32 per_block = s->block_size / s->desc_size, mg = g / per_block;
	u64 first;

	if (!ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_META_BG) || mg < s->first_meta_bg)
		return s->first_data_block + 1 + mg;
	/* meta_bg: copies in the first, second and last group of the metagroup; the first wins. */
	first = s->first_data_block + (u64)mg * per_block * s->blocks_per_group;
	return first + (ext4_bg_has_super(s, mg * per_block) ? 1 : 0);
}

/* Checks a descriptor's metadata lies inside the file system. */
static int ext4_check_group(struct ext4_sb_info *s, u32 g, const struct ext4_group *grp)
{
	u64 itable_blocks = ((u64)s->inodes_per_group * s->inode_size + s->block_size - 1) /
			    s->block_size;

	if (grp->block_bitmap < s->first_data_block || grp->block_bitmap >= s->blocks_count ||
	    grp->inode_bitmap < s->first_data_block || grp->inode_bitmap >= s->blocks_count ||
	    grp->inode_table < s->first_data_block ||
	    grp->inode_table + itable_blocks > s->blocks_count)
		return ext4_error(s, "group %u: bitmaps %llu/%llu or inode table %llu outside the device",
				  g, (unsigned long long)grp->block_bitmap,
				  (unsigned long long)grp->inode_bitmap,
				  (unsigned long long)grp->inode_table);
	return 0;
}

static int ext4_load_groups(struct ext4_sb_info *s)
{
	u32 per_block = s->block_size / s->desc_size;
	struct buffer_head *bh = NULL;
	u64 bh_blk = 0;
	int err = 0;

	s->groups = vzalloc(sizeof(*s->groups) * s->groups_count);
	if (!s->groups)
		return -ENOMEM;
	for (u32 g = 0; g < s->groups_count; g++) {
		u64 blk = ext4_desc_block(s, g);
		struct ext4_group *grp = &s->groups[g];
		const u8 *d;

		if (!bh || blk != bh_blk) {
			if (bh)
				ext4_brelse(bh);
			bh = ext4_bread(s, blk);
			if (IS_ERR(bh))
				return PTR_ERR(bh);
			bh_blk = blk;
		}
		d = (const u8 *)bh->b_data + (g % per_block) * s->desc_size;
		if (s->has_csum && !ext4_gd_csum_ok(s, g, d)) {
			ext4_error(s, "group %u: descriptor checksum does not match", g);
			err = -EBADMSG;
			break;
		}
		grp->block_bitmap = get_le32(d + GD_BLOCK_BITMAP_LO);
		grp->inode_bitmap = get_le32(d + GD_INODE_BITMAP_LO);
		grp->inode_table = get_le32(d + GD_INODE_TABLE_LO);
		grp->flags = get_le16(d + GD_FLAGS);
		if (s->desc_size >= EXT4_MIN_DESC_SIZE_64BIT) {
			grp->block_bitmap |= (u64)get_le32(d + GD_BLOCK_BITMAP_HI) << 32;
			grp->inode_bitmap |= (u64)get_le32(d + GD_INODE_BITMAP_HI) << 32;
			grp->inode_table |= (u64)get_le32(d + GD_INODE_TABLE_HI) << 32;
		}
		err = ext4_check_group(s, g, grp);
		if (err)
			break;
	}
	if (bh)
		ext4_brelse(bh);
	return err;
}

static int ext4_statfs(struct super_block *sb, struct statfs *st)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	u64 reserved = get_le32(s->raw_sb + SB_R_BLOCKS_COUNT_LO);

	if (ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_64BIT))
		reserved |= (u64)get_le32(s->raw_sb + SB_R_BLOCKS_COUNT_HI) << 32;
	st->f_bsize = s->block_size;
	st->f_frsize = s->block_size;
	st->f_blocks = (long)s->blocks_count;
	st->f_bfree = (long)s->free_blocks;
	/* Blocks kept for root are free but not available to others, as Linux counts. */
	st->f_bavail = (long)(s->free_blocks > reserved ? s->free_blocks - reserved : 0);
	st->f_files = s->inodes_count;
	st->f_ffree = s->free_inodes;
	st->f_fsid[0] = (int)get_le32(s->raw_sb + SB_UUID) ^ (int)get_le32(s->raw_sb + SB_UUID + 8);
	st->f_fsid[1] = (int)get_le32(s->raw_sb + SB_UUID + 4) ^
			(int)get_le32(s->raw_sb + SB_UUID + 12);
	return 0;
}

static const struct super_operations ext4_sops = {
	.evict_inode = ext4_evict_inode,
	.statfs = ext4_statfs,
	.getxattr = ext4_xattr_get,
	.listxattr = ext4_xattr_list,
};

/* The options Linux's ext4 takes that mean something (or nothing) for a read-only mount. */
static int ext4_parse_options(const char *data, bool *noload)
{
	static const char *const ignored[] = {
		"ro", "rw", "defaults", "relatime", "noatime", "nodiratime", "strictatime",
		"lazytime", "nolazytime", "errors=remount-ro", "errors=continue",
		"errors=panic", "barrier", "nobarrier", "user_xattr", "nouser_xattr", "acl",
		"noacl", "data=ordered", "data=journal", "data=writeback", "nodelalloc",
		"delalloc", "discard", "nodiscard",
	};
	const char *p = data;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool known = false;

		if ((len == 6 && !memcmp(p, "noload", 6)) || (len == 10 && !memcmp(p, "norecovery", 10))) {
			*noload = true;
			known = true;
		}
		for (size_t i = 0; i < ARRAY_SIZE(ignored) && !known; i++)
			known = strlen(ignored[i]) == len && !memcmp(p, ignored[i], len);
		if (len && !known) {
			ext4_msg(KERN_ERR "EXT4-fs: unrecognized mount option \"%.*s\"\n", (int)len, p);
			return -EINVAL;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* The block device a mount source names: a block device node. */
static struct block_device *ext4_lookup_bdev(const char *dev_name)
{
	struct block_device *bdev;
	struct path p;
	dev_t rdev;
	int err;

	if (!dev_name || !*dev_name)
		return ERR_PTR(-ENOENT);
	err = kern_path(dev_name, &p);
	if (err)
		return ERR_PTR(err);
	if (!S_ISBLK(p.dentry->d_inode->i_mode)) {
		path_put(&p);
		return ERR_PTR(-ENOTBLK);
	}
	if (p.mnt && (READ_ONCE(p.mnt->mnt_flags) & MNT_NODEV)) {
		path_put(&p);
		return ERR_PTR(-EACCES);
	}
	rdev = p.dentry->d_inode->i_rdev;
	path_put(&p);
	bdev = blkdev_get_by_dev(rdev);
	return bdev ? bdev : ERR_PTR(-ENXIO);
}

static void ext4_free_sbi(struct ext4_sb_info *s)
{
	jbd2_free(s);
	vfree(s->groups);
	kfree(s);
}

/*
 * Replays the journal in memory, then reads the super block and the group
 * descriptors again: the journal may hold newer copies of them.
 */
static int ext4_recover(struct ext4_sb_info *s)
{
	u64 sb_blk = EXT4_SUPERBLOCK_OFFSET >> s->log_block_size;
	struct buffer_head *bh;
	int err = jbd2_replay(s);

	if (err || !s->journal)
		return err;
	bh = ext4_bread(s, sb_blk);
	if (IS_ERR(bh))
		return PTR_ERR(bh);
	memcpy(s->raw_sb, bh->b_data + (EXT4_SUPERBLOCK_OFFSET & (s->block_size - 1)),
	       EXT4_SUPERBLOCK_SIZE);
	ext4_brelse(bh);
	err = ext4_parse_super(s, s->raw_sb);
	if (err)
		return err;
	vfree(s->groups);
	s->groups = NULL;
	return ext4_load_groups(s);
}

static struct super_block *ext4_mount_dev(struct file_system_type *type, unsigned long flags,
					  const char *dev_name, const char *data)
{
	struct ext4_sb_info *s;
	struct super_block *sb;
	struct buffer_head *bh;
	struct inode *root;
	bool noload = false;
	int err;

	err = ext4_parse_options(data, &noload);
	if (err)
		return ERR_PTR(err);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->bdev = ext4_lookup_bdev(dev_name);
	if (IS_ERR(s->bdev)) {
		err = PTR_ERR(s->bdev);
		s->bdev = NULL;
		goto out_free;
	}
	bh = __bread(s->bdev, EXT4_SUPERBLOCK_OFFSET / EXT4_SUPERBLOCK_SIZE, EXT4_SUPERBLOCK_SIZE);
	if (IS_ERR(bh)) {
		err = PTR_ERR(bh) == -ENXIO ? -EINVAL : PTR_ERR(bh);
		goto out_free;
	}
	memcpy(s->raw_sb, bh->b_data, EXT4_SUPERBLOCK_SIZE);
	brelse(bh);
	err = ext4_parse_super(s, s->raw_sb);
	if (err) {
		if (err == -EINVAL && get_le16(s->raw_sb + SB_MAGIC) != EXT4_SUPER_MAGIC &&
		    !(flags & MS_SILENT))
			ext4_msg(KERN_ERR "EXT4-fs (%s): no ext2/ext3/ext4 file system\n", s->bdev->bd_name);
		goto out_free;
	}
	if (s->blocks_count > bdev_nr_bytes(s->bdev) >> s->log_block_size) {
		ext4_msg(KERN_ERR "EXT4-fs (%s): file system of %llu blocks on a device of %llu\n",
		       s->bdev->bd_name, (unsigned long long)s->blocks_count,
		       (unsigned long long)(bdev_nr_bytes(s->bdev) >> s->log_block_size));
		err = -EINVAL;
		goto out_free;
	}
	err = ext4_load_groups(s);
	if (err)
		goto out_free;
	sb = sget_anon(type);
	if (IS_ERR(sb)) {
		err = PTR_ERR(sb);
		goto out_free;
	}
	/* st_dev is the disk's number, as Linux's block file systems report (stat, mountinfo). */
	sb->s_dev = s->bdev->bd_dev;
	sb->s_magic = EXT4_SUPER_MAGIC;
	sb->s_op = &ext4_sops;
	sb->s_fs_info = s;
	sb->s_flags = MS_RDONLY;
	s->sb = sb;
	if (ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_RECOVER)) {
		if (noload)
			ext4_msg(KERN_WARNING "EXT4-fs (%s): journal needs recovery; not replayed (noload)\n",
				 s->bdev->bd_name);
		else
			err = ext4_recover(s);
		if (err) {
			kfree(sb);
			goto out_free;
		}
	}
	root = ext4_iget(sb, EXT4_ROOT_INO);
	if (!IS_ERR(root) && !S_ISDIR(root->i_mode)) {
		ext4_error(s, "root inode is not a directory");
		iput(root);
		root = ERR_PTR(-EUCLEAN);
	}
	sb = sb_set_root(sb, root);
	if (IS_ERR(sb)) {
		err = PTR_ERR(sb);
		goto out_free;
	}
	ext4_msg(KERN_INFO "EXT4-fs (%s): mounted read-only, %u-byte blocks, %u groups%s\n", s->bdev->bd_name,
		s->block_size, s->groups_count, s->journal ? ", journal replayed" : "");
	return sb;
out_free:
	ext4_free_sbi(s);
	return ERR_PTR(err);
}

/* Unmount: the dentries lookups kept (d_keep()) go, their inodes with them. */
static void ext4_kill_sb(struct super_block *sb)
{
	struct ext4_sb_info *s = EXT4_SB(sb);

	d_drop_tree(sb->s_root);
	dput(sb->s_root);
	ext4_free_sbi(s);
	kfree(sb);
}

static struct file_system_type ext4_fs_type = {
	.name = "ext4", .mount_dev = ext4_mount_dev, .kill_sb = ext4_kill_sb,
};
static struct file_system_type ext3_fs_type = {
	.name = "ext3", .mount_dev = ext4_mount_dev, .kill_sb = ext4_kill_sb,
};
static struct file_system_type ext2_fs_type = {
	.name = "ext2", .mount_dev = ext4_mount_dev, .kill_sb = ext4_kill_sb,
};

/* One driver serves all three names, as Linux's ext4 does with CONFIG_EXT4_USE_FOR_EXT2. */
static int ext4_init_fs(void)
{
	int err = register_filesystem(&ext4_fs_type);

	if (!err)
		err = register_filesystem(&ext3_fs_type);
	if (!err)
		err = register_filesystem(&ext2_fs_type);
	return err;
}
fs_initcall(ext4_init_fs);
