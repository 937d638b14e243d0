// SPDX-License-Identifier: MIT
/*
 * metadata_csum: crc32c (lib/crc32.c, no final inversion) of each metadata
 * structure, seeded with the file system's seed (crc32c of the uuid, or
 * s_checksum_seed with metadata_csum_seed) and, for per-inode structures,
 * the inode's number and generation. Each function says whether the
 * stored checksum matches; the callers turn a mismatch into -EBADMSG
 * (Linux's EFSBADCRC) and a log line. Pure, host-tested.
 */
#include <exo/crc32.h>
#include <exo/fs.h>
#include "ext4.h"

#define EXT4_DX_TAIL_SIZE 8

static u32 crc32c_u32(u32 crc, u32 v)
{
	u8 le[4] = { (u8)v, (u8)(v >> 8), (u8)(v >> 16), (u8)(v >> 24) };

	return crc32c_le(crc, le, 4);
}

bool ext4_gd_csum_ok(const struct ext4_sb_info *s, u32 g, const u8 *gd)
{
	static const u8 zero[2];
	u32 crc = crc32c_u32(s->csum_seed, g);

	crc = crc32c_le(crc, gd, GD_CHECKSUM);
	crc = crc32c_le(crc, zero, 2);
	if (s->desc_size > GD_CHECKSUM + 2)
		crc = crc32c_le(crc, gd + GD_CHECKSUM + 2, s->desc_size - GD_CHECKSUM - 2);
	return (crc & 0xffff) == get_le16(gd + GD_CHECKSUM);
}

u32 ext4_inode_csum_seed(const struct ext4_sb_info *s, u32 ino, const u8 *raw)
{
	return crc32c_u32(crc32c_u32(s->csum_seed, ino), get_le32(raw + I_GENERATION));
}

bool ext4_inode_csum_ok(const struct ext4_sb_info *s, u32 ino, const u8 *raw)
{
	static const u8 zero[2];
	bool has_hi = s->inode_size > EXT4_GOOD_OLD_INODE_SIZE &&
		      EXT4_GOOD_OLD_INODE_SIZE + (unsigned int)get_le16(raw + I_EXTRA_ISIZE) >=
			      I_CHECKSUM_HI + 2;
	u32 crc = ext4_inode_csum_seed(s, ino, raw), stored;

	crc = crc32c_le(crc, raw, I_CHECKSUM_LO);
	crc = crc32c_le(crc, zero, 2);
	crc = crc32c_le(crc, raw + I_CHECKSUM_LO + 2, EXT4_GOOD_OLD_INODE_SIZE - I_CHECKSUM_LO - 2);
	if (s->inode_size > EXT4_GOOD_OLD_INODE_SIZE) {
		unsigned int off = I_CHECKSUM_HI;

		crc = crc32c_le(crc, raw + EXT4_GOOD_OLD_INODE_SIZE, off - EXT4_GOOD_OLD_INODE_SIZE);
		if (has_hi) {
			crc = crc32c_le(crc, zero, 2);
			off += 2;
		}
		crc = crc32c_le(crc, raw + off, s->inode_size - off);
	}
	stored = get_le16(raw + I_CHECKSUM_LO);
	if (has_hi)
		return crc == (stored | ((u32)get_le16(raw + I_CHECKSUM_HI) << 16));
	return (crc & 0xffff) == stored;
}

/* An extent block's tail follows its eh_max entries (checked by the caller). */
bool ext4_extent_csum_ok(const struct ext4_sb_info *s, const struct inode *inode, const u8 *blk)
{
	unsigned int tail = EXT4_EXT_HDR_SIZE + get_le16(blk + 4) * EXT4_EXT_ENTRY_SIZE;

	if (tail + 4 > s->block_size)
		return false;
	return crc32c_le(EXT4_I(inode)->csum_seed, blk, tail) == get_le32(blk + tail);
}

/* An htree node: entries from @count_off, the dx_tail after @limit of them. */
static bool ext4_dx_csum_ok(const struct ext4_sb_info *s, const struct inode *inode,
			    const u8 *blk, unsigned int count_off)
{
	unsigned int limit = get_le16(blk + count_off), count = get_le16(blk + count_off + 2);
	unsigned int tail = count_off + limit * 8;
	static const u8 zero[4];
	u32 crc;

	if (count > limit || tail + EXT4_DX_TAIL_SIZE > s->block_size)
		return false;
	crc = crc32c_le(EXT4_I(inode)->csum_seed, blk, count_off + count * 8);
	crc = crc32c_le(crc, blk + tail, 4);	/* dt_reserved, then the checksum as zero */
	crc = crc32c_le(crc, zero, 4);
	return crc == get_le32(blk + tail + 4);
}

/*
 * A directory block: a leaf ends with a 12-byte checksum entry (inode 0,
 * rec_len 12, file type 0xDE); an htree node is one empty entry over the
 * whole block (or ".", ".." and the root info for the root) and keeps its
 * checksum in a dx_tail.
 */
bool ext4_dirblock_csum_ok(const struct ext4_sb_info *s, const struct inode *inode, const u8 *blk)
{
	unsigned int bs = s->block_size;
	const u8 *t = blk + bs - EXT4_DIRENT_TAIL_SIZE;

	if (get_le32(t) == 0 && get_le16(t + 4) == EXT4_DIRENT_TAIL_SIZE && t[6] == 0 &&
	    t[7] == EXT4_FT_DIR_CSUM)
		return crc32c_le(EXT4_I(inode)->csum_seed, blk, bs - EXT4_DIRENT_TAIL_SIZE) ==
		       get_le32(t + 8);
	if (get_le32(blk) == 0 && get_le16(blk + 4) == bs)
		return ext4_dx_csum_ok(s, inode, blk, 8);
	if (get_le16(blk + 4) == 12 && get_le16(blk + 12 + 4) == bs - 12 && blk[24 + 5] == 8)
		return ext4_dx_csum_ok(s, inode, blk, 24 + 8);
	return false;
}

/* An xattr block: the file system seed, the block number, the block with h_checksum zeroed. */
bool ext4_xattr_block_csum_ok(const struct ext4_sb_info *s, u64 blk, const u8 *b)
{
	static const u8 zero[4];
	u8 le[8];
	u32 crc;

	for (int i = 0; i < 8; i++)
		le[i] = (u8)(blk >> (8 * i));
	crc = crc32c_le(s->csum_seed, le, 8);
	crc = crc32c_le(crc, b, 16);
	crc = crc32c_le(crc, zero, 4);
	crc = crc32c_le(crc, b + 20, s->block_size - 20);
	return crc == get_le32(b + 16);
}
