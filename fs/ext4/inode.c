// SPDX-License-Identifier: MIT
/*
 * ext4 inodes: reading one from its group's inode table, mapping its
 * logical blocks (extent trees of any depth, or ext2/ext3's direct and
 * indirect blocks), and filling the page cache of regular files from the
 * mapped blocks (holes and unwritten extents read as zeros; inline data
 * from the inode itself). Metadata (inode tables, tree and indirect
 * blocks) goes through the buffer cache.
 *
 * The dcache is the inode cache: a lookup makes a struct inode with the
 * disk's inode number and its dentry keeps it (d_keep(), fs/dcache.c)
 * until drop_caches 2, kswapd or the unmount, so a second stat or open of
 * the name reads nothing. Hard links are two VFS inodes with one i_ino
 * (read-only, the two never disagree).
 * File pages are read ahead straight from their blocks (one bio per
 * contiguous run, the open file's read-ahead window); what read-ahead
 * skips (holes, unwritten extents, inline data, journal-replayed blocks,
 * failed reads) readpage() copies through the buffer cache. Either runs
 * under the page lock, so two readers of one page do not both fill it; a
 * page is read-only once PG_uptodate is set.
 */
#include <exo/blkdev.h>
#include <exo/buffer_head.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/pagemap.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "ext4.h"
#include "journal.h"
#include "xattr.h"

static const struct inode_operations ext4_file_iops;
static const struct inode_operations ext4_symlink_iops;
static const struct file_operations ext4_file_fops;
static const struct address_space_operations ext4_aops;

/* Checks an extent node header in @node (@size bytes); entries, or -EUCLEAN. */
static int ext4_ext_check(struct ext4_sb_info *s, const u8 *node, unsigned int size, int depth)
{
	unsigned int max = get_le16(node + 4), entries = get_le16(node + 2);

	if (get_le16(node) != EXT4_EXT_MAGIC)
		return ext4_error(s, "extent node: bad magic %#x", get_le16(node));
	if (max == 0 || EXT4_EXT_HDR_SIZE + max * EXT4_EXT_ENTRY_SIZE > size || entries > max)
		return ext4_error(s, "extent node: %u of %u entries in %u bytes", entries, max, size);
	if (get_le16(node + 6) != depth)
		return ext4_error(s, "extent node: depth %u, expected %d", get_le16(node + 6), depth);
	return (int)entries;
}

static int ext4_ext_map(struct inode *inode, u64 lblk, u64 *pblk, u64 *run)
{
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	const u8 *node = EXT4_I(inode)->raw + I_BLOCK;
	unsigned int size = EXT4_N_BLOCKS * 4;
	struct buffer_head *bh = NULL;
	int depth = get_le16(node + 6), err = 0;

	*pblk = 0;
	*run = 1;
	if (depth > EXT4_EXT_MAX_DEPTH)
		return ext4_error(s, "inode %lu: extent tree depth %d", inode->i_ino, depth);
	for (;;) {
		int n = ext4_ext_check(s, node, size, depth);
		const u8 *e = node + EXT4_EXT_HDR_SIZE, *hit = NULL;

		if (n < 0) {
			err = n;
			break;
		}
		/* The last entry starting at or before lblk covers it, if any does. */
		for (int i = 0; i < n; i++, e += EXT4_EXT_ENTRY_SIZE) {
			if (get_le32(e) > lblk)
				break;
			hit = e;
		}
		if (!hit)
			break;	/* a hole before the first extent */
		if (depth == 0) {
			u32 first = get_le32(hit);
			unsigned int len = get_le16(hit + 4);
			bool unwritten = len > EXT4_EXT_INIT_MAX_LEN;
			u64 start = ((u64)get_le16(hit + 6) << 32) | get_le32(hit + 8);

			if (unwritten)
				len -= EXT4_EXT_INIT_MAX_LEN;
			if (lblk >= (u64)first + len)
				break;	/* a hole after it */
			if (start < s->first_data_block || start + len > s->blocks_count) {
				err = ext4_error(s, "inode %lu: extent %llu+%u outside the device",
						 inode->i_ino, (unsigned long long)start, len);
				break;
			}
			if (!unwritten)
				*pblk = start + (lblk - first);
			*run = (u64)first + len - lblk;
			break;
		}
		{
			u64 child = ((u64)get_le16(hit + 8) << 32) | get_le32(hit + 4);

			if (bh)
				ext4_brelse(bh);
			bh = ext4_bread(s, child);
			if (IS_ERR(bh)) {
				err = PTR_ERR(bh);
				bh = NULL;
				break;
			}
			node = (const u8 *)bh->b_data;
			size = s->block_size;
			depth--;
			if (s->has_csum && ext4_ext_check(s, node, size, depth) >= 0 &&
			    !ext4_extent_csum_ok(s, inode, node)) {
				ext4_error(s, "inode %lu: extent block %llu checksum does not match",
					   inode->i_ino, (unsigned long long)child);
				err = -EBADMSG;
				break;
			}
		}
	}
	if (bh)
		ext4_brelse(bh);
	return err;
}

/* ext2/ext3 block maps: 12 direct blocks, then single, double and triple indirect blocks. */
static int ext4_ind_map(struct inode *inode, u64 lblk, u64 *pblk)
{
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	const u8 *iblock = EXT4_I(inode)->raw + I_BLOCK;
	u64 per = s->block_size / 4, span = 1;
	unsigned int levels = 0, idx[3];
	u32 blk;

	*pblk = 0;
	if (lblk < EXT4_NDIR_BLOCKS) {
		blk = get_le32(iblock + 4 * lblk);
	} else {
		lblk -= EXT4_NDIR_BLOCKS;
		for (levels = 1; levels <= 3; levels++) {
			span *= per;
			if (lblk < span)
				break;
			lblk -= span;
		}
		if (levels > 3)
			return 0;	/* past what the map can reach: a hole */
		for (unsigned int l = levels; l-- > 0;) {
			idx[l] = (unsigned int)(lblk % per);
			lblk /= per;
		}
		blk = get_le32(iblock + 4 * (EXT4_NDIR_BLOCKS + levels - 1));
		for (unsigned int l = 0; l < levels && blk; l++) {
			struct buffer_head *bh = ext4_bread(s, blk);

			if (IS_ERR(bh))
				return PTR_ERR(bh);
			blk = get_le32(bh->b_data + 4 * idx[l]);
			ext4_brelse(bh);
		}
	}
	if (blk && (blk < s->first_data_block || blk >= s->blocks_count))
		return ext4_error(s, "inode %lu: block %u outside the device", inode->i_ino, blk);
	*pblk = blk;
	return 0;
}

int ext4_map_blocks(struct inode *inode, u64 lblk, u64 *pblk, u64 *run)
{
	u32 flags = EXT4_I(inode)->i_flags;

	if (flags & EXT4_INLINE_DATA_FL)
		return ext4_error(EXT4_SB(inode->i_sb), "inode %lu: block map of inline data",
				  inode->i_ino);
	if (flags & EXT4_EXTENTS_FL)
		return ext4_ext_map(inode, lblk, pblk, run);
	*run = 1;	/* a block map says nothing about its neighbours without reading them */
	return ext4_ind_map(inode, lblk, pblk);
}

int ext4_map_block(struct inode *inode, u64 lblk, u64 *pblk)
{
	u64 run;

	return ext4_map_blocks(inode, lblk, pblk, &run);
}

/* Bytes [@pos, @pos + @len) of an inline-data inode: i_block first, then system.data. */
static int ext4_read_inline(struct inode *inode, u64 pos, u8 *buf, size_t len)
{
	const u8 *iblock = EXT4_I(inode)->raw + I_BLOCK;
	unsigned int ilen = EXT4_N_BLOCKS * 4;

	memset(buf, 0, len);
	if (pos < ilen) {
		size_t n = min((size_t)(ilen - pos), len);

		memcpy(buf, iblock + pos, n);
		buf += n;
		len -= n;
		pos += n;
	}
	if (len)
		return ext4_xattr_inline_data(inode, pos - ilen, buf, len);
	return 0;
}

int ext4_read_data(struct inode *inode, u64 pos, void *buf, size_t len)
{
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	u8 *out = buf;

	if (EXT4_I(inode)->i_flags & EXT4_INLINE_DATA_FL)
		return ext4_read_inline(inode, pos, buf, len);
	while (len) {
		u64 lblk = pos >> s->log_block_size, pblk;
		unsigned int off = pos & (s->block_size - 1);
		size_t n = min((size_t)(s->block_size - off), len);
		int err = ext4_map_block(inode, lblk, &pblk);

		if (err)
			return err;
		if (!pblk) {
			memset(out, 0, n);
		} else {
			struct buffer_head *bh = ext4_bread(s, pblk);

			if (IS_ERR(bh))
				return PTR_ERR(bh);
			memcpy_large(out, bh->b_data + off, n);
			ext4_brelse(bh);
		}
		out += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/*
 * a_ops->readpage: fills @page (locked by filemap_read_page) through the
 * buffer cache: holes, unwritten extents, inline data, journal-replayed
 * blocks and the pages read-ahead skipped or failed.
 */
static int ext4_readpage(struct inode *inode, struct page *page)
{
	u64 pos = (u64)page->index * PAGE_SIZE;
	loff_t size = inode->i_size;	/* [immutable] read-only */
	int err = 0;

	if ((loff_t)pos < size) {
		size_t n = (size_t)min((loff_t)PAGE_SIZE, size - (loff_t)pos);

		err = ext4_read_data(inode, pos, page_address(page), n);
		if (!err && n < PAGE_SIZE)
			memset((char *)page_address(page) + n, 0, PAGE_SIZE - n);
	} else {
		memset(page_address(page), 0, PAGE_SIZE);	/* not zeroed when allocated */
	}
	if (!err)
		page_set(page, PG_uptodate);
	return err;
}

/*
 * Blocks of page @index that hold file data (the last page's may be
 * fewer); *@pblk their first physical block when they are mapped and
 * contiguous on the disk (not holes, not unwritten, not replaced by the
 * journal's replay), else 0: readpage() does that page. @m caches the
 * extent run between calls.
 */
struct ext4_ra_map {
	u64 lblk, pblk, run;	/* the mapped run [lblk, lblk + run) at pblk */
};

static unsigned int ext4_ra_page_blocks(struct inode *inode, struct ext4_ra_map *m,
					unsigned long index, u64 *pblk)
{
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	unsigned int shift = PAGE_SHIFT - s->log_block_size;
	u64 lblk = (u64)index << shift;
	u64 last = ((u64)inode->i_size - 1) >> s->log_block_size;
	unsigned int n = (unsigned int)min((u64)1 << shift, last - lblk + 1);

	*pblk = 0;
	if (lblk < m->lblk || lblk >= m->lblk + m->run) {
		if (ext4_map_blocks(inode, lblk, &m->pblk, &m->run))
			return n;
		m->lblk = lblk;
	}
	if (!m->pblk || lblk + n > m->lblk + m->run)
		return n;
	*pblk = m->pblk + (lblk - m->lblk);
	if (jbd2_replays_any(s, *pblk, n))
		*pblk = 0;
	return n;
}

/*
 * a_ops->readahead: reads file pages straight from their blocks, one bio
 * per physically contiguous run, without a copy through the device's cache
 * (Linux's mpage read-ahead).
 */
static void ext4_file_readahead(struct address_space *mapping, unsigned long start,
				unsigned long nr, unsigned long mark)
{
	struct inode *inode = mapping->host;
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	unsigned int lb = s->log_block_size;
	loff_t size = inode->i_size;	/* [immutable] read-only */
	struct ra_bio rb = { .bdev = s->bdev };
	struct ext4_ra_map map = { 0 };
	struct blk_plug plug;

	if (EXT4_I(inode)->i_flags & EXT4_INLINE_DATA_FL || !size)
		return;
	nr = min(nr, (unsigned long)((size - 1) >> PAGE_SHIFT) + 1 - min(start,
		 (unsigned long)((size - 1) >> PAGE_SHIFT) + 1));
	blk_start_plug(&plug);
	for (unsigned long index = start; index < start + nr; index++) {
		u64 pblk;
		unsigned int blocks = ext4_ra_page_blocks(inode, &map, index, &pblk);
		unsigned int valid = (unsigned int)min((loff_t)PAGE_SIZE,
						       size - (loff_t)index * PAGE_SIZE);
		struct page *page;

		if (!pblk) {
			ra_bio_submit(&rb);
			continue;
		}
		page = readahead_lock_page(mapping, index);
		if (IS_ERR(page))
			break;
		if (!page)
			ra_bio_submit(&rb);
		else if (!ra_bio_add(&rb, page, (sector_t)pblk << (lb - SECTOR_SHIFT),
				     blocks << lb, valid, index == mark))
			break;
	}
	ra_bio_submit(&rb);
	blk_finish_plug(&plug);
}

static const struct address_space_operations ext4_aops = {
	.readpage = ext4_readpage,
	.readahead = ext4_file_readahead,
};

static int ext4_file_mmap(struct file *file, struct vm_area *vma)
{
	/* Pages come from filemap_fault(); writes never reach the disk (read-only mount). */
	return 0;
}

static const struct file_operations ext4_file_fops = {
	.read_iter = generic_file_read_iter,
	.llseek = generic_file_llseek,
	.mmap = ext4_file_mmap,
};

/*
 * i_blocks: 512-byte units, 48 bits with huge_file; with EXT4_HUGE_FILE_FL
 * on the inode the unit is the file system block. A regular file's data
 * stored inline holds no block, and Linux then adds the sectors of the size,
 * so that tools do not take the file for a sparse one; so do we (not for
 * inline directories, as Linux).
 */
u64 ext4_disk_blocks(struct inode *inode)
{
	const struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	const struct ext4_inode_info *ei = EXT4_I(inode);
	u64 blocks = get_le32(ei->raw + I_BLOCKS_LO);

	if (ext4_has_ro_compat(s, EXT4_FEATURE_RO_COMPAT_HUGE_FILE)) {
		blocks |= (u64)get_le16(ei->raw + I_BLOCKS_HIGH) << 32;
		if (ei->i_flags & EXT4_HUGE_FILE_FL)
			blocks <<= s->log_block_size - 9;
	}
	if ((ei->i_flags & EXT4_INLINE_DATA_FL) && S_ISREG(inode->i_mode))
		blocks += ((u64)inode->i_size + 511) >> 9;	/* [immutable] on a read-only mount */
	return blocks;
}

static const struct inode_operations ext4_file_iops = {
	.disk_blocks = ext4_disk_blocks,
};

static const char *ext4_get_link(struct inode *inode, char *buf, size_t size)
{
	return inode->i_link;
}

static const struct inode_operations ext4_symlink_iops = {
	.get_link = ext4_get_link,
	.disk_blocks = ext4_disk_blocks,
};

/* A symlink's target: in i_block (fast), inline data, or its data block (slow). */
static int ext4_load_link(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	struct ext4_sb_info *s = EXT4_SB(inode->i_sb);
	u64 blocks = get_le32(ei->raw + I_BLOCKS_LO);
	size_t len = (size_t)inode->i_size;
	int err = 0;

	if (inode->i_size <= 0 || inode->i_size >= PATH_MAX)
		return ext4_error(s, "inode %lu: symlink of %lld bytes", inode->i_ino,
				  (long long)inode->i_size);
	inode->i_link = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_link)
		return -ENOMEM;
	if (ei->file_acl)	/* the xattr block is not part of the target */
		blocks = blocks > (s->block_size >> 9) ? blocks - (s->block_size >> 9) : 0;
	if (!(ei->i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)) && blocks == 0 &&
	    len < EXT4_N_BLOCKS * 4)
		memcpy(inode->i_link, ei->raw + I_BLOCK, len);	/* fast symlink */
	else
		err = ext4_read_data(inode, 0, inode->i_link, len);
	if (!err && strnlen(inode->i_link, len) != len)
		err = ext4_error(s, "inode %lu: NUL inside a symlink target", inode->i_ino);
	inode->i_link[len] = '\0';
	return err;
}

static struct timespec64 ext4_decode_time(const struct ext4_sb_info *s, const u8 *raw,
					  unsigned int off, unsigned int extra_off)
{
	struct timespec64 t = { .tv_sec = (s32)get_le32(raw + off) };

	/*
	 * The extra word exists when the inode's extra part reaches past it;
	 * a 128-byte inode has no i_extra_isize to read (found by libFuzzer:
	 * it was read 2 bytes past the inode).
	 */
	if (s->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
	    extra_off + 4 <= EXT4_GOOD_OLD_INODE_SIZE + get_le16(raw + I_EXTRA_ISIZE)) {
		u32 extra = get_le32(raw + extra_off);

		t.tv_sec += (s64)(extra & 3) << 32;
		t.tv_nsec = extra >> 2;
		if (t.tv_nsec >= 1000000000L)
			t.tv_nsec = 0;
	}
	return t;
}

/* Device numbers of special files: old 16-bit encoding in i_block[0], else the new one in i_block[1]. */
static dev_t ext4_decode_dev(const u8 *iblock)
{
	u32 old = get_le32(iblock), nw = get_le32(iblock + 4);

	if (old)
		return MKDEV((old >> 8) & 0xff, old & 0xff);
	return MKDEV((nw & 0xfff00) >> 8, (nw & 0xff) | ((nw >> 12) & 0xfff00));
}

struct inode *ext4_iget(struct super_block *sb, u32 ino)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	struct ext4_inode_info *ei;
	struct buffer_head *bh;
	struct inode *inode;
	u32 group, index, extra_isize;
	u64 off, blk;
	umode_t mode;
	int err;

	if (ino < 1 || ino > s->inodes_count ||
	    (ino < s->first_ino && ino != EXT4_ROOT_INO && ino != s->journal_inum))
		return ERR_PTR(ext4_error(s, "inode number %u out of range", ino));
	group = (ino - 1) / s->inodes_per_group;
	index = (ino - 1) % s->inodes_per_group;
	if (group >= s->groups_count)
		return ERR_PTR(ext4_error(s, "inode %u in group %u of %u", ino, group,
					  s->groups_count));
	off = (u64)index * s->inode_size;
	blk = s->groups[group].inode_table + (off >> s->log_block_size);
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	if (!ei)
		return ERR_PTR(-ENOMEM);
	ei->raw = kmalloc(s->inode_size, GFP_KERNEL);
	if (!ei->raw) {
		err = -ENOMEM;
		goto out_ei;
	}
	{
		/* Neighbouring inodes come next in a walk or a directory's stats. */
		u64 table_end = s->groups[group].inode_table +
				(((u64)s->inodes_per_group * s->inode_size + s->block_size - 1) >>
				 s->log_block_size);

		ext4_readahead(s, blk, table_end, EXT4_RA_BYTES);
	}
	bh = ext4_bread(s, blk);
	if (IS_ERR(bh)) {
		err = PTR_ERR(bh);
		goto out_ei;
	}
	memcpy(ei->raw, bh->b_data + (off & (s->block_size - 1)), s->inode_size);
	ext4_brelse(bh);
	ei->csum_seed = ext4_inode_csum_seed(s, ino, ei->raw);
	if (s->has_csum && !ext4_inode_csum_ok(s, ino, ei->raw)) {
		ext4_error(s, "inode %u: checksum does not match", ino);
		err = -EBADMSG;
		goto out_ei;
	}
	extra_isize = s->inode_size > EXT4_GOOD_OLD_INODE_SIZE ? get_le16(ei->raw + I_EXTRA_ISIZE) : 0;
	if (EXT4_GOOD_OLD_INODE_SIZE + extra_isize > s->inode_size || (extra_isize & 3)) {
		err = ext4_error(s, "inode %u: extra size %u", ino, extra_isize);
		goto out_ei;
	}
	mode = get_le16(ei->raw + I_MODE);
	if (get_le16(ei->raw + I_LINKS_COUNT) == 0 && ino != EXT4_ROOT_INO) {
		err = ext4_error(s, "inode %u: a name points at a deleted inode", ino);
		goto out_ei;
	}
	ei->i_flags = get_le32(ei->raw + I_FLAGS);
	ei->file_acl = get_le32(ei->raw + I_FILE_ACL_LO) |
		       ((u64)get_le16(ei->raw + I_FILE_ACL_HIGH) << 32);
	if (ei->file_acl && (ei->file_acl < s->first_data_block || ei->file_acl >= s->blocks_count)) {
		err = ext4_error(s, "inode %u: xattr block %llu outside the device", ino,
				 (unsigned long long)ei->file_acl);
		goto out_ei;
	}
	if (ei->i_flags & (EXT4_ENCRYPT_FL | EXT4_COMPRBLK_FL)) {
		ext4_msg(KERN_ERR "EXT4-fs: inode %u is encrypted or compressed: not readable\n", ino);
		err = -EOPNOTSUPP;
		goto out_ei;
	}
	if ((ei->i_flags & EXT4_INLINE_DATA_FL) &&
	    !ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_INLINE_DATA)) {
		err = ext4_error(s, "inode %u: inline data without the feature", ino);
		goto out_ei;
	}

	inode = new_inode(sb);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto out_ei;
	}
	inode->i_private = ei;
	inode->i_ino = ino;
	inode->i_mode = mode;
	inode->i_uid = get_le16(ei->raw + I_UID) | ((u32)get_le16(ei->raw + I_UID_HIGH) << 16);
	inode->i_gid = get_le16(ei->raw + I_GID) | ((u32)get_le16(ei->raw + I_GID_HIGH) << 16);
	inode->i_nlink = get_le16(ei->raw + I_LINKS_COUNT);
	/* dir_nlink: a directory with more than 65000 subdirectories counts 1 ("many"). */
	/* A directory's size has high bits only with largedir, as Linux reads it. */
	inode->i_size = get_le32(ei->raw + I_SIZE_LO);
	if (!S_ISDIR(mode) || ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_LARGEDIR))
		inode->i_size |= (loff_t)((u64)get_le32(ei->raw + I_SIZE_HIGH) << 32);
	if (inode->i_size < 0) {
		err = ext4_error(s, "inode %u: size %lld", ino, (long long)inode->i_size);
		goto out_inode;
	}
	/*
	 * ext4 leaves no holes in a directory, so one whose size passes what
	 * its blocks hold is corrupt; reading it would map hole after hole up
	 * to its size (4 GiB of them took a readdir minutes: found by libFuzzer).
	 */
	if (S_ISDIR(mode) && !(ei->i_flags & EXT4_INLINE_DATA_FL) &&
	    ((u64)inode->i_size >> 9) > ext4_disk_blocks(inode)) {
		err = ext4_error(s, "directory %u: size %lld past the %llu bytes of its blocks", ino,
				 (long long)inode->i_size,
				 (unsigned long long)ext4_disk_blocks(inode) << 9);
		goto out_inode;
	}
	inode->i_atime = ext4_decode_time(s, ei->raw, I_ATIME, I_ATIME_EXTRA);
	inode->i_mtime = ext4_decode_time(s, ei->raw, I_MTIME, I_MTIME_EXTRA);
	inode->i_ctime = ext4_decode_time(s, ei->raw, I_CTIME, I_CTIME_EXTRA);
	if ((ei->i_flags & EXT4_EXTENTS_FL) && !(ei->i_flags & EXT4_INLINE_DATA_FL) &&
	    (S_ISREG(mode) || S_ISDIR(mode) || S_ISLNK(mode))) {
		int n = ext4_ext_check(s, ei->raw + I_BLOCK, EXT4_N_BLOCKS * 4,
				       get_le16(ei->raw + I_BLOCK + 6));

		if (n < 0) {
			err = n;
			goto out_inode;
		}
	}
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &ext4_file_iops;
		inode->i_fop = &ext4_file_fops;
		inode->i_data.a_ops = &ext4_aops;
		inode->i_data.reclaimable = true;	/* clean copies of disk blocks */
		break;
	case S_IFDIR:
		inode->i_op = &ext4_dir_iops;
		inode->i_fop = &ext4_dir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &ext4_symlink_iops;
		err = ext4_load_link(inode);
		if (err)
			goto out_inode;
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		init_special_inode(inode, mode, ext4_decode_dev(ei->raw + I_BLOCK));
		break;
	default:
		err = ext4_error(s, "inode %u: unknown file type %#o", ino, mode & S_IFMT);
		goto out_inode;
	}
	return inode;
out_inode:
	iput(inode);	/* evict frees ei */
	return ERR_PTR(err);
out_ei:
	kfree(ei->raw);
	kfree(ei);
	return ERR_PTR(err);
}

void ext4_evict_inode(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);

	if (ei) {
		kfree(ei->raw);
		kfree(ei);
		inode->i_private = NULL;
	}
}
