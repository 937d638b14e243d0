// SPDX-License-Identifier: MIT
/*
 * ext4's pure parsers on the host, under ASan and UBSan: the super block
 * and directory entry checks (fs/ext4/parse.c) and the htree hashes (hash.c) against
 * e2fsprogs' own values (debugfs dx_hash). The super block and dirent
 * tests are a seeded mutation loop (a stand-in for a libFuzzer target):
 * every mutated input is either refused or leaves a geometry whose every
 * derived offset stays in range.
 */
#include <string.h>

#include <exo/crc32.h>
#include "harness.h"
#include "../fs/ext4/ext4.h"

/* parse.c's messages would flood the test log: the kernel rate-limits them too. */
bool ext4_ratelimit(void)
{
	return false;
}

static void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put_le32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* A valid ext4 super block (4 KiB blocks, 64bit, metadata_csum), checksummed. */
static void make_super(u8 *sb)
{
	memset(sb, 0, EXT4_SUPERBLOCK_SIZE);
	put_le32(sb + SB_INODES_COUNT, 8192);
	put_le32(sb + SB_BLOCKS_COUNT_LO, 65536);
	put_le32(sb + SB_FREE_BLOCKS_LO, 1000);
	put_le32(sb + SB_FIRST_DATA_BLOCK, 0);
	put_le32(sb + SB_LOG_BLOCK_SIZE, 2);
	put_le32(sb + SB_BLOCKS_PER_GROUP, 32768);
	put_le32(sb + SB_INODES_PER_GROUP, 4096);
	put_le16(sb + SB_MAGIC, EXT4_SUPER_MAGIC);
	put_le32(sb + SB_REV_LEVEL, 1);
	put_le32(sb + SB_FIRST_INO, 11);
	put_le16(sb + SB_INODE_SIZE, 256);
	put_le32(sb + SB_FEATURE_INCOMPAT, EXT4_FEATURE_INCOMPAT_FILETYPE |
		 EXT4_FEATURE_INCOMPAT_EXTENTS | EXT4_FEATURE_INCOMPAT_64BIT |
		 EXT4_FEATURE_INCOMPAT_FLEX_BG);
	put_le32(sb + SB_FEATURE_RO_COMPAT, EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER |
		 EXT4_FEATURE_RO_COMPAT_METADATA_CSUM);
	put_le16(sb + SB_DESC_SIZE, 64);
	sb[SB_CHECKSUM_TYPE] = 1;
	for (int i = 0; i < 16; i++)
		sb[SB_UUID + i] = (u8)(i * 17 + 3);
	put_le32(sb + SB_CHECKSUM, crc32c_le(~0U, sb, SB_CHECKSUM));
}

TEST(ext4_super_valid_geometry)
{
	struct ext4_sb_info s = { 0 };
	u8 sb[EXT4_SUPERBLOCK_SIZE];

	make_super(sb);
	CHECK(ext4_parse_super(&s, sb) == 0);
	CHECK(s.block_size == 4096 && s.groups_count == 2 && s.desc_size == 64);
	CHECK(s.has_csum && s.inode_size == 256);
	sb[SB_UUID] ^= 1;	/* the checksum no longer matches */
	CHECK(ext4_parse_super(&s, sb) == -EBADMSG);
}

TEST(ext4_super_unknown_incompat_refused_ro_compat_mounts)
{
	struct ext4_sb_info s = { 0 };
	u8 sb[EXT4_SUPERBLOCK_SIZE];

	make_super(sb);
	put_le32(sb + SB_FEATURE_INCOMPAT, get_le32(sb + SB_FEATURE_INCOMPAT) |
		 EXT4_FEATURE_INCOMPAT_ENCRYPT);
	put_le32(sb + SB_CHECKSUM, crc32c_le(~0U, sb, SB_CHECKSUM));
	CHECK(ext4_parse_super(&s, sb) == -EINVAL);
	make_super(sb);
	put_le32(sb + SB_FEATURE_RO_COMPAT, get_le32(sb + SB_FEATURE_RO_COMPAT) | 0x80000000U);
	put_le32(sb + SB_CHECKSUM, crc32c_le(~0U, sb, SB_CHECKSUM));
	CHECK(ext4_parse_super(&s, sb) == 0);
}

static u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * 200,000 mutated super blocks (checksum recomputed half the time, so
 * mutations get past it): each is refused, or its geometry is sane.
 */
TEST(ext4_super_mutations)
{
	u64 rng = 14;
	unsigned int accepted = 0;

	for (int i = 0; i < 200000; i++) {
		struct ext4_sb_info s = { 0 };
		u8 sb[EXT4_SUPERBLOCK_SIZE];
		int flips = 1 + (int)(splitmix64(&rng) % 8);

		make_super(sb);
		for (int k = 0; k < flips; k++) {
			/* Most flips in the first 0x180 bytes, where the geometry is. */
			unsigned int off = splitmix64(&rng) % 4 ? splitmix64(&rng) % 0x180 :
								 splitmix64(&rng) % EXT4_SUPERBLOCK_SIZE;

			sb[off] ^= (u8)(1 << (splitmix64(&rng) % 8));
		}
		if (splitmix64(&rng) % 2)
			put_le32(sb + SB_CHECKSUM, crc32c_le(~0U, sb, SB_CHECKSUM));
		if (ext4_parse_super(&s, sb))
			continue;
		accepted++;
		CHECK(s.block_size >= 1024 && s.block_size <= 4096);
		CHECK(s.block_size == 1U << s.log_block_size);
		CHECK(s.inode_size >= 128 && s.inode_size <= s.block_size);
		CHECK(!(s.inode_size & (s.inode_size - 1)));
		CHECK(s.desc_size >= 32 && s.desc_size <= s.block_size);
		CHECK(s.groups_count >= 1 && s.first_data_block < s.blocks_count);
		CHECK((u64)s.groups_count * s.inodes_per_group >= s.inodes_count);
		CHECK(s.blocks_per_group && s.blocks_per_group <= 8 * s.block_size);
		CHECK(s.inodes_per_group && s.inodes_per_group <= 8 * s.block_size);
		for (u32 g = 0; g < s.groups_count && g < 64; g++)
			(void)ext4_bg_has_super(&s, g);
	}
	CHECK(accepted > 1000);	/* the loop reaches past the checks */
}

/* Random directory blocks: walking them by ext4_check_dirent never leaves the block. */
TEST(ext4_dirent_mutations)
{
	u64 rng = 7;

	for (int i = 0; i < 100000; i++) {
		u8 blk[1024];
		unsigned int off = 0, n = 0;

		for (unsigned int j = 0; j < sizeof(blk); j += 8) {
			u64 v = splitmix64(&rng);

			memcpy(blk + j, &v, 8);
		}
		/* Plausible record lengths now and then, so walks go further. */
		for (unsigned int j = 0; j + 8 < sizeof(blk); j += 4 * (1 + splitmix64(&rng) % 16))
			if (splitmix64(&rng) % 2)
				put_le16(blk + j + 4, (u16)(12 + 4 * (splitmix64(&rng) % 8)));
		while (off < sizeof(blk)) {
			int r = ext4_check_dirent(blk, sizeof(blk), off, i & 1);
			unsigned int name_len;

			if (r < 0)
				break;
			name_len = (i & 1) ? blk[off + 6] : get_le16(blk + off + 6);
			CHECK(off + EXT4_DIRENT_HDR + name_len <= sizeof(blk));
			CHECK(r >= 12 && off + (unsigned int)r <= sizeof(blk));
			off += (unsigned int)r;
			n++;
		}
		CHECK(n <= sizeof(blk) / 12);
	}
}

/* e2fsprogs 1.47's debugfs "dx_hash -h V -s 12345678-9abc-def0-1234-56789abcdef0 NAME". */
TEST(ext4_htree_hashes_match_e2fsprogs)
{
	static const u8 uuid[16] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
				     0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
	static const char *names[4] = {
		"a", "hello", "name-with-\xc3\xbcmlaut",
		"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	};
	static const u32 want[6][4] = {
		{ 0xe74b53e2, 0x32252546, 0xe2e3ea66, 0x4b65d2c4 },	/* legacy */
		{ 0xbd1a2d4e, 0x19fa2388, 0x1dc1ec8a, 0x9ec60210 },	/* half-MD4 */
		{ 0x42e8f46e, 0x4b9ab0d8, 0xd2b115d4, 0xcec5c132 },	/* TEA */
		{ 0xe74b53e2, 0x32252546, 0xb141c080, 0x4b65d2c4 },	/* unsigned: differ on bytes >= 0x80 */
		{ 0xbd1a2d4e, 0x19fa2388, 0x88cb214c, 0x9ec60210 },
		{ 0x42e8f46e, 0x4b9ab0d8, 0x0c5fddb2, 0xcec5c132 },
	};
	u32 seed[4];

	for (int i = 0; i < 4; i++)
		seed[i] = get_le32(uuid + 4 * i);
	for (unsigned int v = 0; v < 6; v++)
		for (int n = 0; n < 4; n++)
			CHECK(ext4fs_dirhash(names[n], strlen(names[n]), v, seed) == want[v][n]);
	/* No seed: half-MD4 of "hello" with the default buffer. */
	CHECK(ext4fs_dirhash("hello", 5, DX_HASH_HALF_MD4, NULL) == 0x1746da32);
}
