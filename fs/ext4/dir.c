// SPDX-License-Identifier: MIT
/*
 * ext4 directories: linear blocks of variable-length entries (inode,
 * rec_len, name_len, file_type, name), optionally indexed by an htree
 * (dir_index): block 0 then holds the hash tree's root behind "." and
 * "..", whose internal nodes look like one empty entry spanning the block,
 * so a linear scan of an indexed directory still sees every name.
 *
 * readdir is linear; f_pos is the byte offset of the next entry (for an
 * inline-data directory: 0 ".", 1 "..", then 4 + the offset inside the
 * inline area). lookup uses the htree when there is one and falls back to
 * a linear scan when the tree is corrupt.
 *
 * Every entry is checked (ext4_check_dirent) before its name is read; a
 * bad block is -EUCLEAN and logged. Runs under the directory's i_rwsem
 * held shared; nothing here locks.
 */
#include <exo/buffer_head.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "ext4.h"
#include "xattr.h"

#define EXT4_INLINE_DOTDOT_SIZE 4	/* an inline directory's parent inode number */

static unsigned int ext4_dt(const struct ext4_sb_info *s, u8 ft)
{
	static const u8 ft_to_dt[8] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR,
					DT_BLK, DT_FIFO, DT_SOCK, DT_LNK };

	if (!ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_FILETYPE) || ft >= 8)
		return DT_UNKNOWN;
	return ft_to_dt[ft];
}

/*
 * Calls @fn on every used entry of the directory area @blk (@size bytes),
 * from the first entry at or after @start; stops when @fn returns
 * non-zero and returns that. -EUCLEAN for a malformed entry.
 */
typedef int (*dirent_fn)(void *arg, const u8 *de, unsigned int off, unsigned int rec_len);

static int ext4_walk_dirents(struct ext4_sb_info *s, struct inode *dir, const u8 *blk,
			     unsigned int size, unsigned int start, dirent_fn fn, void *arg)
{
	bool ft = ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_FILETYPE);

	for (unsigned int off = 0; off < size;) {
		int rec_len = ext4_check_dirent(blk, size, off, ft);
		int r;

		if (rec_len < 0)
			return ext4_error(s, "directory %lu: bad entry at offset %u", dir->i_ino, off);
		if (off >= start && get_le32(blk + off) != 0) {
			r = fn(arg, blk + off, off, (unsigned int)rec_len);
			if (r)
				return r;
		}
		off += (unsigned int)rec_len;
	}
	return 0;
}

/* Directory block @lblk of @dir (checked, checksum verified); NULL for a hole, or ERR_PTR. */
static struct buffer_head *ext4_dir_bread(struct inode *dir, u64 lblk)
{
	struct ext4_sb_info *s = EXT4_SB(dir->i_sb);
	struct ext4_inode_info *ei = EXT4_I(dir);
	struct buffer_head *bh;
	u64 pblk;
	int err = ext4_map_block(dir, lblk, &pblk);

	if (err)
		return ERR_PTR(err);
	if (!pblk)
		return NULL;
	/* The rest of the directory (usually contiguous) for readdir and linear scans. */
	ext4_readahead(s, pblk, pblk + max(((u64)dir->i_size >> s->log_block_size), lblk + 1) - lblk,
		       EXT4_RA_BYTES);
	bh = ext4_bread(s, pblk);
	if (IS_ERR(bh))
		return bh;
	/*
	 * A block's checksum is checked once for this inode: the mapping and
	 * the device are read-only, so a match stays a match, and a lookup
	 * need not run crc32c over a whole block (htree root, then leaf).
	 */
	if (s->has_csum && !(lblk < 64 && (__atomic_load_n(&ei->csum_ok, __ATOMIC_RELAXED) &
					    (1ULL << lblk)))) {
		if (!ext4_dirblock_csum_ok(s, dir, (const u8 *)bh->b_data)) {
			ext4_error(s, "directory %lu: block %llu checksum does not match",
				   dir->i_ino, (unsigned long long)lblk);
			ext4_brelse(bh);
			return ERR_PTR(-EBADMSG);
		}
		if (lblk < 64)
			__atomic_fetch_or(&ei->csum_ok, 1ULL << lblk, __ATOMIC_RELAXED);
	}
	return bh;
}

/* ---- readdir ------------------------------------------------------------------ */

struct readdir_arg {
	struct ext4_sb_info *s;
	struct dir_context *ctx;
	loff_t base;		/* f_pos of the area's byte 0 */
};

static int readdir_one(void *arg, const u8 *de, unsigned int off, unsigned int rec_len)
{
	struct readdir_arg *a = arg;
	unsigned int name_len = ext4_has_incompat(a->s, EXT4_FEATURE_INCOMPAT_FILETYPE) ?
					de[6] : get_le16(de + 6);
	loff_t next = a->base + off + rec_len;

	if (name_len == 0)
		return 0;
	if (!a->ctx->emit(a->ctx, (const char *)de + EXT4_DIRENT_HDR, name_len, next,
			  get_le32(de), ext4_dt(a->s, de[7])))
		return 1;	/* the caller's buffer is full */
	a->ctx->pos = next;
	return 0;
}

/* Reads a whole inline directory: i_block after the parent number, then system.data. */
static u8 *ext4_inline_dir(struct inode *dir, unsigned int *size)
{
	loff_t len = dir->i_size;
	u8 *buf;
	int err;

	if (len < EXT4_N_BLOCKS * 4 || len > EXT4_N_BLOCKS * 4 + 65536)
		return ERR_PTR(ext4_error(EXT4_SB(dir->i_sb), "inline directory %lu of %lld bytes",
					  dir->i_ino, (long long)len));
	buf = kmalloc((size_t)len, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	err = ext4_read_data(dir, 0, buf, (size_t)len);
	if (err) {
		kfree(buf);
		return ERR_PTR(err);
	}
	*size = (unsigned int)len;
	return buf;
}

static int ext4_readdir_inline(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct ext4_sb_info *s = EXT4_SB(dir->i_sb);
	struct readdir_arg a = { .s = s, .ctx = ctx };
	unsigned int size, ib = EXT4_N_BLOCKS * 4;
	u8 *buf = ext4_inline_dir(dir, &size);
	int err = 0;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (ctx->pos < 1) {
		if (!ctx->emit(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
			goto out;
		ctx->pos = 1;
	}
	if (ctx->pos < 2) {
		if (!ctx->emit(ctx, "..", 2, EXT4_INLINE_DOTDOT_SIZE, get_le32(buf), DT_DIR))
			goto out;
		ctx->pos = EXT4_INLINE_DOTDOT_SIZE;
	}
	/* Two areas of entries: i_block[1..14], then the system.data value. */
	if (ctx->pos < ib) {
		a.base = EXT4_INLINE_DOTDOT_SIZE;
		err = ext4_walk_dirents(s, dir, buf + a.base, ib - a.base,
					(unsigned int)(ctx->pos - a.base), readdir_one, &a);
		if (err)
			goto out;
		ctx->pos = max(ctx->pos, (loff_t)ib);
	}
	if (size > ib) {
		a.base = ib;
		err = ext4_walk_dirents(s, dir, buf + ib, size - ib, (unsigned int)(ctx->pos - ib),
					readdir_one, &a);
	}
out:
	kfree(buf);
	return err < 0 ? err : 0;
}

static int ext4_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	struct ext4_sb_info *s = EXT4_SB(dir->i_sb);
	struct readdir_arg a = { .s = s, .ctx = ctx };

	if (EXT4_I(dir)->i_flags & EXT4_INLINE_DATA_FL)
		return ext4_readdir_inline(file, ctx);
	while (ctx->pos < dir->i_size) {
		u64 lblk = (u64)ctx->pos >> s->log_block_size;
		unsigned int start = ctx->pos & (s->block_size - 1);
		struct buffer_head *bh = ext4_dir_bread(dir, lblk);
		int r;

		if (IS_ERR(bh))
			return PTR_ERR(bh);
		a.base = (loff_t)(lblk << s->log_block_size);
		r = 0;
		if (bh) {
			r = ext4_walk_dirents(s, dir, (const u8 *)bh->b_data, s->block_size, start,
					      readdir_one, &a);
			ext4_brelse(bh);
		}
		if (r < 0)
			return r;
		if (r > 0)
			return 0;
		ctx->pos = a.base + s->block_size;
	}
	return 0;
}

const struct file_operations ext4_dir_fops = {
	.iterate = ext4_readdir,
	.llseek = generic_file_llseek,
};

/* ---- lookup ------------------------------------------------------------------- */

struct find_arg {
	struct ext4_sb_info *s;
	const char *name;
	unsigned int len;
	u32 ino;
};

static int find_one(void *arg, const u8 *de, unsigned int off, unsigned int rec_len)
{
	struct find_arg *f = arg;
	unsigned int name_len = ext4_has_incompat(f->s, EXT4_FEATURE_INCOMPAT_FILETYPE) ?
					de[6] : get_le16(de + 6);

	if (name_len != f->len || memcmp(de + EXT4_DIRENT_HDR, f->name, f->len))
		return 0;
	f->ino = get_le32(de);
	return 1;
}

/* Searches directory block @lblk: 1 found, 0 not there, -errno. */
static int ext4_search_block(struct inode *dir, u64 lblk, struct find_arg *f)
{
	struct buffer_head *bh = ext4_dir_bread(dir, lblk);
	int r;

	if (!bh)
		return 0;	/* a hole */
	if (IS_ERR(bh))
		return PTR_ERR(bh);
	r = ext4_walk_dirents(f->s, dir, (const u8 *)bh->b_data, f->s->block_size, 0, find_one, f);
	ext4_brelse(bh);
	return r;
}

static int ext4_find_linear(struct inode *dir, struct find_arg *f)
{
	u64 nblocks = ((u64)dir->i_size + f->s->block_size - 1) >> f->s->log_block_size;

	if (EXT4_I(dir)->i_flags & EXT4_INLINE_DATA_FL) {
		unsigned int size, ib = EXT4_N_BLOCKS * 4;
		u8 *buf = ext4_inline_dir(dir, &size);
		int r;

		if (IS_ERR(buf))
			return PTR_ERR(buf);
		r = ext4_walk_dirents(f->s, dir, buf + EXT4_INLINE_DOTDOT_SIZE,
				      ib - EXT4_INLINE_DOTDOT_SIZE, 0, find_one, f);
		if (r == 0 && size > ib)
			r = ext4_walk_dirents(f->s, dir, buf + ib, size - ib, 0, find_one, f);
		kfree(buf);
		return r;
	}
	for (u64 b = 0; b < nblocks; b++) {
		int r = ext4_search_block(dir, b, f);

		if (r)
			return r;
	}
	return 0;
}

/*
 * htree lookup: 1 found, 0 not in the directory, -EAGAIN when the tree
 * cannot be used (corrupt: the caller scans linearly), other -errno.
 */
static int ext4_find_htree(struct inode *dir, struct find_arg *f)
{
	struct ext4_sb_info *s = f->s;
	unsigned int levels, max_levels, version, info_len;
	struct buffer_head *bh = ext4_dir_bread(dir, 0);
	const u8 *blk, *cl;
	u32 hash, next_hash = 0;
	u64 leaf = 0;
	int r;

	if (!bh)
		return -EAGAIN;
	if (IS_ERR(bh))
		return PTR_ERR(bh);
	blk = (const u8 *)bh->b_data;
	info_len = blk[24 + 5];
	version = blk[24 + 4];
	levels = blk[24 + 6];
	max_levels = ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_LARGEDIR) ? 3 : 2;
	if (get_le32(blk + 24) != 0 || info_len != 8 || levels >= max_levels ||
	    version > DX_HASH_TEA) {
		ext4_error(s, "directory %lu: bad htree root", dir->i_ino);
		ext4_brelse(bh);
		return -EAGAIN;
	}
	if (s->hash_unsigned)
		version += 3;
	hash = ext4fs_dirhash(f->name, f->len, version, s->hash_seed);
	cl = blk + 24 + info_len;
	for (unsigned int level = 0;; level++) {
		unsigned int limit = get_le16(cl), count = get_le16(cl + 2), i;
		unsigned int room = (unsigned int)(blk + s->block_size - cl) / 8;

		if (count == 0 || count > limit || limit > room) {
			ext4_error(s, "directory %lu: htree node of %u/%u entries", dir->i_ino,
				   count, limit);
			ext4_brelse(bh);
			return -EAGAIN;
		}
		/* Entry 0 has no hash (it covers everything below entry 1's). */
		for (i = 1; i < count && get_le32(cl + 8 * i) <= hash; i++)
			;
		leaf = get_le32(cl + 8 * (i - 1) + 4);
		next_hash = i < count ? get_le32(cl + 8 * i) : 0;
		ext4_brelse(bh);
		if (leaf >= ((u64)dir->i_size >> s->log_block_size)) {
			ext4_error(s, "directory %lu: htree points past the end", dir->i_ino);
			return -EAGAIN;
		}
		if (level == levels)
			break;
		bh = ext4_dir_bread(dir, leaf);
		if (!bh)
			return -EAGAIN;
		if (IS_ERR(bh))
			return PTR_ERR(bh);
		blk = (const u8 *)bh->b_data;
		if (get_le32(blk) != 0 || get_le16(blk + 4) != s->block_size) {
			ext4_error(s, "directory %lu: bad htree node", dir->i_ino);
			ext4_brelse(bh);
			return -EAGAIN;
		}
		cl = blk + 8;
	}
	r = ext4_search_block(dir, leaf, f);
	/* A hash collision run may continue in the next leaf (its hash has the low bit set). */
	while (r == 0 && (next_hash & 1) && (next_hash & ~1U) == hash) {
		r = ext4_search_block(dir, ++leaf, f);
		next_hash = 0;
	}
	return r < 0 ? -EAGAIN : r;
}

static int ext4_lookup(struct inode *dir, struct dentry *dentry)
{
	struct ext4_sb_info *s = EXT4_SB(dir->i_sb);
	struct find_arg f = { .s = s, .name = dentry->d_name, .len = dentry->d_len };
	struct inode *inode;
	int r = -EAGAIN;

	if ((EXT4_I(dir)->i_flags & EXT4_INDEX_FL) &&
	    (s->feature_compat & EXT4_FEATURE_COMPAT_DIR_INDEX) &&
	    !(EXT4_I(dir)->i_flags & EXT4_INLINE_DATA_FL))
		r = ext4_find_htree(dir, &f);
	if (r == -EAGAIN)
		r = ext4_find_linear(dir, &f);
	if (r < 0)
		return r;
	if (r == 0) {
		inode = NULL;	/* a negative dentry: the next miss needs no disk */
	} else {
		inode = ext4_iget(dir->i_sb, f.ino);
		if (IS_ERR(inode))
			return PTR_ERR(inode);
	}
	/*
	 * The dentry and its inode stay cached after their last user
	 * (d_keep(); drop_caches 2, kswapd or the unmount free them): a
	 * second stat of the name reads nothing, not even the buffer cache.
	 */
	d_add(dentry, inode);
	d_keep(dentry);
	return 0;
}

const struct inode_operations ext4_dir_iops = {
	.lookup = ext4_lookup,
	.disk_blocks = ext4_disk_blocks,
};
