// SPDX-License-Identifier: MIT
/*
 * The ext2/ext3/ext4 super block: checks and geometry (ext4_parse_super)
 * and where its backups are (ext4_bg_has_super); the directory entry check
 * (ext4_check_dirent). Pure: it reads a 1024-byte
 * buffer and fills a struct ext4_sb_info, so the host tests run it
 * (tests/test_ext4.c) on mutated super blocks under ASan and UBSan.
 */
#include <asm/memlayout.h>
#include <exo/crc32.h>
#include <exo/printk.h>
#include <uapi/errno.h>
#include "ext4.h"

/* metadata_csum of the super block: crc32c of everything before s_checksum. */
bool ext4_sb_csum_ok(const u8 *raw)
{
	return crc32c_le(~0U, raw, SB_CHECKSUM) == get_le32(raw + SB_CHECKSUM);
}

static bool is_power_of(u32 n, u32 base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

bool ext4_bg_has_super(const struct ext4_sb_info *s, u32 g)
{
	if (g == 0)
		return true;
	if (s->feature_compat & EXT4_FEATURE_COMPAT_SPARSE_SUPER2)
		return g == s->backup_bgs[0] || g == s->backup_bgs[1];
	if (g <= 1 || !ext4_has_ro_compat(s, EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	if (!(g & 1))
		return false;
	return is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7);
}

static const char *const incompat_names[32] = {
	"compression", "filetype", "needs_recovery", "journal_dev", "meta_bg", "bit5",
	"extent", "64bit", "mmp", "flex_bg", "ea_inode", "bit11", "dirdata", "metadata_csum_seed",
	"large_dir", "inline_data", "encrypt", "casefold",
};

static const char *const ro_compat_names[32] = {
	"sparse_super", "large_file", "btree_dir", "huge_file", "uninit_bg", "dir_nlink",
	"extra_isize", "has_snapshot", "quota", "bigalloc", "metadata_csum", "replica",
	"read-only", "project", "shared_blocks", "verity", "orphan_present",
};

static void log_features(const char *what, u32 bits, const char *const *names, const char *verdict)
{
	for (int i = 0; i < 32; i++)
		if (bits & (1U << i))
			ext4_msg(KERN_ERR "EXT4-fs: %s feature %s (%#x) %s\n", what,
			       names[i] ? names[i] : "unknown", 1U << i, verdict);
}

int ext4_parse_super(struct ext4_sb_info *s, const u8 *raw)
{
	u32 log_bs = get_le32(raw + SB_LOG_BLOCK_SIZE), unknown;
	u64 groups;

	if (get_le16(raw + SB_MAGIC) != EXT4_SUPER_MAGIC)
		return -EINVAL;
	s->feature_compat = get_le32(raw + SB_FEATURE_COMPAT);
	s->feature_incompat = get_le32(raw + SB_FEATURE_INCOMPAT);
	s->feature_ro_compat = get_le32(raw + SB_FEATURE_RO_COMPAT);
	if (get_le32(raw + SB_REV_LEVEL) == 0)
		s->feature_compat = s->feature_incompat = s->feature_ro_compat = 0;
	unknown = s->feature_incompat & ~EXT4_INCOMPAT_SUPP;
	if (unknown) {
		log_features("incompatible", unknown, incompat_names, "not supported: mount refused");
		return -EINVAL;
	}
	unknown = s->feature_ro_compat & ~EXT4_RO_COMPAT_KNOWN;
	if (unknown)
		log_features("read-only compatible", unknown, ro_compat_names,
			     "unknown: mounting read-only");
	if (ext4_has_ro_compat(s, EXT4_FEATURE_RO_COMPAT_METADATA_CSUM)) {
		if (raw[SB_CHECKSUM_TYPE] != 1) {
			ext4_msg(KERN_ERR "EXT4-fs: unknown checksum type %u\n", raw[SB_CHECKSUM_TYPE]);
			return -EINVAL;
		}
		if (!ext4_sb_csum_ok(raw)) {
			ext4_msg(KERN_ERR "EXT4-fs: super block checksum does not match\n");
			return -EBADMSG;
		}
		s->has_csum = true;
	}
	/* Block sizes above a page would need buffers larger than the buffer cache gives. */
	if (log_bs > PAGE_SHIFT - 10) {
		ext4_msg(KERN_ERR "EXT4-fs: block size %llu not supported (at most %lu)\n",
		       log_bs < 22 ? 1024ULL << log_bs : 0ULL, PAGE_SIZE);
		return -EINVAL;
	}
	s->log_block_size = 10 + log_bs;
	s->block_size = 1024U << log_bs;
	s->blocks_count = get_le32(raw + SB_BLOCKS_COUNT_LO);
	s->free_blocks = get_le32(raw + SB_FREE_BLOCKS_LO);
	if (ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_64BIT)) {
		s->blocks_count |= (u64)get_le32(raw + SB_BLOCKS_COUNT_HI) << 32;
		s->free_blocks |= (u64)get_le32(raw + SB_FREE_BLOCKS_HI) << 32;
	}
	s->free_inodes = get_le32(raw + SB_FREE_INODES);
	s->first_data_block = get_le32(raw + SB_FIRST_DATA_BLOCK);
	s->blocks_per_group = get_le32(raw + SB_BLOCKS_PER_GROUP);
	s->inodes_per_group = get_le32(raw + SB_INODES_PER_GROUP);
	s->inodes_count = get_le32(raw + SB_INODES_COUNT);
	if (get_le32(raw + SB_REV_LEVEL) == 0) {
		s->inode_size = EXT4_GOOD_OLD_INODE_SIZE;
		s->first_ino = EXT4_GOOD_OLD_FIRST_INO;
	} else {
		s->inode_size = get_le16(raw + SB_INODE_SIZE);
		s->first_ino = get_le32(raw + SB_FIRST_INO);
	}
	if (s->inode_size < EXT4_GOOD_OLD_INODE_SIZE || s->inode_size > s->block_size ||
	    (s->inode_size & (s->inode_size - 1))) {
		ext4_msg(KERN_ERR "EXT4-fs: bad inode size %u\n", s->inode_size);
		return -EINVAL;
	}
	if (s->blocks_per_group == 0 || s->blocks_per_group > 8 * s->block_size ||
	    s->inodes_per_group == 0 || s->inodes_per_group > 8 * s->block_size ||
	    s->first_data_block >= s->blocks_count ||
	    s->first_data_block != (s->block_size == 1024 ? 1U : 0U) ||
	    s->blocks_count > (1ULL << 48)) {
		ext4_msg(KERN_ERR "EXT4-fs: bad geometry: %llu blocks, %u per group, %u inodes per group, first %u\n",
		       (unsigned long long)s->blocks_count, s->blocks_per_group,
		       s->inodes_per_group, s->first_data_block);
		return -EINVAL;
	}
	groups = (s->blocks_count - s->first_data_block + s->blocks_per_group - 1) /
		 s->blocks_per_group;
	if (groups == 0 || groups > (1U << 24) ||
	    (u64)s->inodes_per_group * groups < s->inodes_count || s->inodes_count < EXT4_ROOT_INO) {
		ext4_msg(KERN_ERR "EXT4-fs: bad geometry: %llu groups for %u inodes\n",
		       (unsigned long long)groups, s->inodes_count);
		return -EINVAL;
	}
	s->groups_count = (u32)groups;
	s->desc_size = EXT4_MIN_DESC_SIZE;
	if (ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_64BIT)) {
		s->desc_size = get_le16(raw + SB_DESC_SIZE);
		if (s->desc_size < EXT4_MIN_DESC_SIZE_64BIT || s->desc_size > EXT4_MAX_DESC_SIZE ||
		    (s->desc_size & (s->desc_size - 1)) || s->desc_size > s->block_size) {
			ext4_msg(KERN_ERR "EXT4-fs: bad group descriptor size %u\n", s->desc_size);
			return -EINVAL;
		}
	}
	s->first_meta_bg = get_le32(raw + SB_FIRST_META_BG);
	if (s->feature_compat & EXT4_FEATURE_COMPAT_HAS_JOURNAL)
		s->journal_inum = get_le32(raw + SB_JOURNAL_INUM);
	for (int i = 0; i < 4; i++)
		s->hash_seed[i] = get_le32(raw + SB_HASH_SEED + 4 * i);
	s->def_hash_version = raw[SB_DEF_HASH_VERSION];
	s->hash_unsigned = get_le32(raw + SB_FLAGS) & EXT2_FLAGS_UNSIGNED_HASH;
	s->backup_bgs[0] = get_le32(raw + SB_BACKUP_BGS);
	s->backup_bgs[1] = get_le32(raw + SB_BACKUP_BGS + 4);
	if (ext4_has_incompat(s, EXT4_FEATURE_INCOMPAT_CSUM_SEED))
		s->csum_seed = get_le32(raw + SB_CHECKSUM_SEED);
	else
		s->csum_seed = crc32c_le(~0U, raw + SB_UUID, 16);
	return 0;
}

/* A directory entry: its header and name inside the block, rec_len 4-aligned. */
int ext4_check_dirent(const u8 *blk, unsigned int size, unsigned int off, bool filetype)
{
	unsigned int rec_len, name_len;

	if (off + EXT4_DIRENT_HDR > size)
		return -EUCLEAN;
	rec_len = get_le16(blk + off + 4);
	name_len = filetype ? blk[off + 6] : get_le16(blk + off + 6);
	if (rec_len < EXT4_DIRENT_HDR + ((name_len + 3) & ~3U) || (rec_len & 3) ||
	    off + rec_len > size)
		return -EUCLEAN;
	return (int)rec_len;
}
