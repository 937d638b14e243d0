/* SPDX-License-Identifier: MIT */
/*
 * Shared inside fs/ext4/ only: the on-disk layout of ext2/ext3/ext4 (all
 * little-endian; read with the get_le*() helpers, never through packed
 * structs, so a corrupt image cannot cause an unaligned or out-of-bounds
 * load) and the in-memory state of one read-only mount.
 *
 * Layers: super.c (super block, feature checks, group descriptors, the
 * mount), inode.c (inodes, block maps: extents and indirect blocks, file
 * data through the page cache, symlinks), dir.c (directory blocks,
 * readdir, lookup), hash.c (htree hashes), csum.c (metadata_csum).
 *
 * Rule: every number read from the disk is checked before it is used as a
 * block number, an offset or a length; a bad one is -EUCLEAN (logged, rate
 * limited by ext4_error()) and never a read outside the device or a buffer.
 */
#ifndef _FS_EXT4_EXT4_H
#define _FS_EXT4_EXT4_H

#include <exo/types.h>
#include <exo/mutex.h>

struct block_device;
struct buffer_head;
struct super_block;
struct inode;
struct ext4_journal;

#define EXT4_SUPER_MAGIC	0xEF53
#define EXT4_SUPERBLOCK_OFFSET	1024
#define EXT4_SUPERBLOCK_SIZE	1024
#define EXT4_ROOT_INO		2
#define EXT4_GOOD_OLD_FIRST_INO	11
#define EXT4_GOOD_OLD_INODE_SIZE 128
#define EXT4_MIN_DESC_SIZE	32
#define EXT4_MIN_DESC_SIZE_64BIT 64
#define EXT4_MAX_DESC_SIZE	1024
#define EXT4_N_BLOCKS		15	/* i_block[]: 12 direct, single, double, triple indirect */
#define EXT4_NDIR_BLOCKS	12
#define EXT4_MAX_BLOCK_LOG_SIZE	16	/* 64 KiB */

/* Super block field offsets (struct ext4_super_block). */
#define SB_INODES_COUNT		0x00
#define SB_BLOCKS_COUNT_LO	0x04
#define SB_R_BLOCKS_COUNT_LO	0x08
#define SB_FREE_BLOCKS_LO	0x0C
#define SB_FREE_INODES		0x10
#define SB_FIRST_DATA_BLOCK	0x14
#define SB_LOG_BLOCK_SIZE	0x18
#define SB_LOG_CLUSTER_SIZE	0x1C
#define SB_BLOCKS_PER_GROUP	0x20
#define SB_CLUSTERS_PER_GROUP	0x24
#define SB_INODES_PER_GROUP	0x28
#define SB_MAGIC		0x38
#define SB_STATE		0x3A
#define SB_REV_LEVEL		0x4C
#define SB_FIRST_INO		0x54
#define SB_INODE_SIZE		0x58
#define SB_FEATURE_COMPAT	0x5C
#define SB_FEATURE_INCOMPAT	0x60
#define SB_FEATURE_RO_COMPAT	0x64
#define SB_UUID			0x68
#define SB_JOURNAL_INUM		0xE0
#define SB_HASH_SEED		0xEC
#define SB_DEF_HASH_VERSION	0xFC
#define SB_DESC_SIZE		0xFE
#define SB_FIRST_META_BG	0x104
#define SB_BLOCKS_COUNT_HI	0x150
#define SB_R_BLOCKS_COUNT_HI	0x154
#define SB_FREE_BLOCKS_HI	0x158
#define SB_FLAGS		0x160
#define SB_LOG_GROUPS_PER_FLEX	0x174
#define SB_CHECKSUM_TYPE	0x175
#define SB_BACKUP_BGS		0x24C
#define SB_CHECKSUM_SEED	0x270
#define SB_CHECKSUM		0x3FC

/* s_flags */
#define EXT2_FLAGS_UNSIGNED_HASH 0x0002

/* Features. */
#define EXT4_FEATURE_COMPAT_DIR_PREALLOC	0x0001
#define EXT4_FEATURE_COMPAT_IMAGIC_INODES	0x0002
#define EXT4_FEATURE_COMPAT_HAS_JOURNAL		0x0004
#define EXT4_FEATURE_COMPAT_EXT_ATTR		0x0008
#define EXT4_FEATURE_COMPAT_RESIZE_INODE	0x0010
#define EXT4_FEATURE_COMPAT_DIR_INDEX		0x0020
#define EXT4_FEATURE_COMPAT_SPARSE_SUPER2	0x0200

#define EXT4_FEATURE_INCOMPAT_COMPRESSION	0x0001
#define EXT4_FEATURE_INCOMPAT_FILETYPE		0x0002
#define EXT4_FEATURE_INCOMPAT_RECOVER		0x0004
#define EXT4_FEATURE_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT4_FEATURE_INCOMPAT_META_BG		0x0010
#define EXT4_FEATURE_INCOMPAT_EXTENTS		0x0040
#define EXT4_FEATURE_INCOMPAT_64BIT		0x0080
#define EXT4_FEATURE_INCOMPAT_MMP		0x0100
#define EXT4_FEATURE_INCOMPAT_FLEX_BG		0x0200
#define EXT4_FEATURE_INCOMPAT_EA_INODE		0x0400
#define EXT4_FEATURE_INCOMPAT_DIRDATA		0x1000
#define EXT4_FEATURE_INCOMPAT_CSUM_SEED		0x2000
#define EXT4_FEATURE_INCOMPAT_LARGEDIR		0x4000
#define EXT4_FEATURE_INCOMPAT_INLINE_DATA	0x8000
#define EXT4_FEATURE_INCOMPAT_ENCRYPT		0x10000
#define EXT4_FEATURE_INCOMPAT_CASEFOLD		0x20000

#define EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER	0x0001
#define EXT4_FEATURE_RO_COMPAT_LARGE_FILE	0x0002
#define EXT4_FEATURE_RO_COMPAT_BTREE_DIR	0x0004
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE	0x0008
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM		0x0010
#define EXT4_FEATURE_RO_COMPAT_DIR_NLINK	0x0020
#define EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE	0x0040
#define EXT4_FEATURE_RO_COMPAT_QUOTA		0x0100
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC		0x0200
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM	0x0400
#define EXT4_FEATURE_RO_COMPAT_READONLY		0x1000
#define EXT4_FEATURE_RO_COMPAT_PROJECT		0x2000
#define EXT4_FEATURE_RO_COMPAT_VERITY		0x8000
#define EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT	0x10000

/* What this driver reads; any other INCOMPAT bit refuses the mount. */
#define EXT4_INCOMPAT_SUPP                                                             \
	(EXT4_FEATURE_INCOMPAT_FILETYPE | EXT4_FEATURE_INCOMPAT_RECOVER |              \
	 EXT4_FEATURE_INCOMPAT_META_BG | EXT4_FEATURE_INCOMPAT_EXTENTS |               \
	 EXT4_FEATURE_INCOMPAT_64BIT | EXT4_FEATURE_INCOMPAT_MMP |                     \
	 EXT4_FEATURE_INCOMPAT_FLEX_BG | EXT4_FEATURE_INCOMPAT_EA_INODE |              \
	 EXT4_FEATURE_INCOMPAT_CSUM_SEED | EXT4_FEATURE_INCOMPAT_LARGEDIR |            \
	 EXT4_FEATURE_INCOMPAT_INLINE_DATA)
/* RO_COMPAT bits we know; others are logged (the mount is read-only anyway). */
#define EXT4_RO_COMPAT_KNOWN                                                           \
	(EXT4_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT4_FEATURE_RO_COMPAT_LARGE_FILE |     \
	 EXT4_FEATURE_RO_COMPAT_BTREE_DIR | EXT4_FEATURE_RO_COMPAT_HUGE_FILE |         \
	 EXT4_FEATURE_RO_COMPAT_GDT_CSUM | EXT4_FEATURE_RO_COMPAT_DIR_NLINK |          \
	 EXT4_FEATURE_RO_COMPAT_EXTRA_ISIZE | EXT4_FEATURE_RO_COMPAT_QUOTA |           \
	 EXT4_FEATURE_RO_COMPAT_BIGALLOC | EXT4_FEATURE_RO_COMPAT_METADATA_CSUM |      \
	 EXT4_FEATURE_RO_COMPAT_READONLY | EXT4_FEATURE_RO_COMPAT_PROJECT |            \
	 EXT4_FEATURE_RO_COMPAT_ORPHAN_PRESENT)

/* Group descriptor offsets. */
#define GD_BLOCK_BITMAP_LO	0x00
#define GD_INODE_BITMAP_LO	0x04
#define GD_INODE_TABLE_LO	0x08
#define GD_FLAGS		0x12
#define GD_BLOCK_BITMAP_CSUM_LO	0x18
#define GD_INODE_BITMAP_CSUM_LO	0x1A
#define GD_CHECKSUM		0x1E
#define GD_BLOCK_BITMAP_HI	0x20
#define GD_INODE_BITMAP_HI	0x24
#define GD_INODE_TABLE_HI	0x28
#define GD_BLOCK_BITMAP_CSUM_HI	0x38
#define GD_INODE_BITMAP_CSUM_HI	0x3A
#define EXT4_BG_INODE_UNINIT	0x0001
#define EXT4_BG_BLOCK_UNINIT	0x0002

/* Inode offsets. */
#define I_MODE			0x00
#define I_UID			0x02
#define I_SIZE_LO		0x04
#define I_ATIME			0x08
#define I_CTIME			0x0C
#define I_MTIME			0x10
#define I_GID			0x18
#define I_LINKS_COUNT		0x1A
#define I_BLOCKS_LO		0x1C
#define I_FLAGS			0x20
#define I_BLOCK			0x28
#define I_GENERATION		0x64
#define I_FILE_ACL_LO		0x68
#define I_SIZE_HIGH		0x6C
#define I_BLOCKS_HIGH		0x74
#define I_FILE_ACL_HIGH		0x76
#define I_UID_HIGH		0x78
#define I_GID_HIGH		0x7A
#define I_CHECKSUM_LO		0x7C
#define I_EXTRA_ISIZE		0x80
#define I_CHECKSUM_HI		0x82
#define I_CTIME_EXTRA		0x84
#define I_MTIME_EXTRA		0x88
#define I_ATIME_EXTRA		0x8C

/* i_flags */
#define EXT4_COMPRBLK_FL	0x00000200
#define EXT4_ENCRYPT_FL		0x00000800
#define EXT4_INDEX_FL		0x00001000
#define EXT4_HUGE_FILE_FL	0x00040000
#define EXT4_EXTENTS_FL		0x00080000
#define EXT4_VERITY_FL		0x00100000
#define EXT4_EA_INODE_FL	0x00200000
#define EXT4_INLINE_DATA_FL	0x10000000
#define EXT4_CASEFOLD_FL	0x40000000

/* Extent tree (i_block or a tree block): header, then index or leaf entries of 12 bytes. */
#define EXT4_EXT_MAGIC		0xF30A
#define EXT4_EXT_HDR_SIZE	12
#define EXT4_EXT_ENTRY_SIZE	12
#define EXT4_EXT_MAX_DEPTH	5
#define EXT4_EXT_INIT_MAX_LEN	32768	/* ee_len above it: unwritten, len - 32768 */

/* Directory entries. */
#define EXT4_DIRENT_HDR		8
#define EXT4_FT_DIR_CSUM	0xDE	/* the checksum tail's file_type */
#define EXT4_DIRENT_TAIL_SIZE	12

/* Hash versions (s_def_hash_version, dx_root_info.hash_version). */
#define DX_HASH_LEGACY		0
#define DX_HASH_HALF_MD4	1
#define DX_HASH_TEA		2
#define DX_HASH_LEGACY_UNSIGNED	3
#define DX_HASH_HALF_MD4_UNSIGNED 4
#define DX_HASH_TEA_UNSIGNED	5
#define DX_HASH_SIPHASH		6

static inline u16 get_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | (b[1] << 8));
}

static inline u32 get_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | ((u32)b[1] << 8) | ((u32)b[2] << 16) | ((u32)b[3] << 24);
}

/* A group's descriptor, parsed and checked at mount. */
struct ext4_group {
	u64 block_bitmap;
	u64 inode_bitmap;
	u64 inode_table;
	u16 flags;
};

struct ext4_sb_info {
	struct block_device *bdev;		/* [immutable] */
	struct super_block *sb;			/* [immutable] */
	u8 raw_sb[EXT4_SUPERBLOCK_SIZE];	/* [immutable] after journal replay */
	unsigned int block_size;		/* [immutable] bytes, 1024..PAGE_SIZE */
	unsigned int log_block_size;		/* [immutable] log2(block_size) */
	u64 blocks_count;			/* [immutable] */
	u64 free_blocks;			/* [immutable] super block's count */
	u32 free_inodes;			/* [immutable] */
	u32 first_data_block;			/* [immutable] */
	u32 blocks_per_group;			/* [immutable] */
	u32 inodes_per_group;			/* [immutable] */
	u32 inodes_count;			/* [immutable] */
	u32 first_ino;				/* [immutable] */
	u32 journal_inum;			/* [immutable] 0: no journal */
	unsigned int inode_size;		/* [immutable] */
	unsigned int desc_size;			/* [immutable] */
	u32 groups_count;			/* [immutable] */
	u32 first_meta_bg;			/* [immutable] */
	u32 feature_compat, feature_incompat, feature_ro_compat; /* [immutable] */
	u32 hash_seed[4];			/* [immutable] */
	u8 def_hash_version;			/* [immutable] */
	bool hash_unsigned;			/* [immutable] EXT2_FLAGS_UNSIGNED_HASH */
	bool has_csum;				/* [immutable] metadata_csum */
	u32 csum_seed;				/* [immutable] crc32c of the uuid, or s_checksum_seed */
	u32 backup_bgs[2];			/* [immutable] sparse_super2 */
	struct ext4_group *groups;		/* [immutable] groups_count entries */
	unsigned int err_logged;		/* [atomic] error lines logged, the rate limit */
	struct ext4_journal *journal;		/* [immutable] replayed blocks, or NULL */
};

/* What the file system keeps of an inode beside the VFS fields (inode->i_private). */
struct ext4_inode_info {
	u32 i_flags;				/* [immutable] EXT4_*_FL */
	u64 file_acl;				/* [immutable] xattr block */
	u8 *raw;				/* [immutable] the on-disk inode, inode_size bytes */
	u32 csum_seed;				/* [immutable] metadata_csum: of number and generation */
	u64 csum_ok;				/* [atomic] directories: blocks 0..63 whose checksum
						 * matched (checked once per inode, not per lookup) */
};

#define EXT4_SB(sb) ((struct ext4_sb_info *)(sb)->s_fs_info)
#define EXT4_I(inode) ((struct ext4_inode_info *)(inode)->i_private)

static inline bool ext4_has_incompat(const struct ext4_sb_info *s, u32 f)
{
	return s->feature_incompat & f;
}

static inline bool ext4_has_ro_compat(const struct ext4_sb_info *s, u32 f)
{
	return s->feature_ro_compat & f;
}

/* super.c */
/*
 * A message about an image (refused feature, corruption): at most 10 lines
 * in 5 seconds over all mounts, as Linux's ratelimit, so that mounting
 * corrupt images in a loop cannot flood the console.
 */
bool ext4_ratelimit(void);
#define ext4_msg(fmt, ...)                                                               \
	do {                                                                             \
		if (ext4_ratelimit())                                                    \
			printk(fmt, ##__VA_ARGS__);                                      \
	} while (0)

/* Logs a corruption (at most a few lines a mount) and returns -EUCLEAN for "return ext4_error(...)". */
int ext4_error(struct ext4_sb_info *s, const char *fmt, ...) __printf(2, 3);
/* Block @blk of the file system (possibly as a journal replay left it); ERR_PTR(-EUCLEAN/-EIO). */
struct buffer_head *ext4_bread(struct ext4_sb_info *s, u64 blk);
void ext4_brelse(struct buffer_head *bh);
/*
 * Starts reading a window of @bytes from block @blk (clamped to @end, the
 * end of the area: inode table, directory, file) and the window after it,
 * without waiting: the caller reads @blk next and streams on. Each window
 * is skipped when its first block is cached or on its way, so a streaming
 * reader keeps one window ahead and a cold read waits once per window, not
 * once per block.
 */
void ext4_readahead(struct ext4_sb_info *s, u64 blk, u64 end, unsigned int bytes);
/* Metadata windows: 128 KiB, Linux's inode_readahead_blks at 4 KiB. */
#define EXT4_RA_BYTES (128 * 1024)
/* Whether group @g holds a copy of the super block (sparse_super, sparse_super2). */
bool ext4_bg_has_super(const struct ext4_sb_info *s, u32 g);
/*
 * Checks a raw super block and fills the geometry of @s from it; 0 or
 * -EINVAL (not ext2/3/4, or refused: the reason is logged). Pure: the
 * host fuzz target calls it.
 */
int ext4_parse_super(struct ext4_sb_info *s, const u8 *raw);

/* inode.c */
/* The inode @ino of the mounted file system, new each call; or ERR_PTR. */
struct inode *ext4_iget(struct super_block *sb, u32 ino);
/* Maps logical block @lblk of @inode: *@pblk 0 for a hole or an unwritten extent; 0 or -errno. */
int ext4_map_block(struct inode *inode, u64 lblk, u64 *pblk);
/* The same, and *@run: how many blocks from @lblk on map the same way (at least 1). */
int ext4_map_blocks(struct inode *inode, u64 lblk, u64 *pblk, u64 *run);
/* Copies @len bytes at @pos of @inode's data (directories, slow symlinks); 0 or -errno. */
int ext4_read_data(struct inode *inode, u64 pos, void *buf, size_t len);
void ext4_evict_inode(struct inode *inode);

/* dir.c */
extern const struct inode_operations ext4_dir_iops;
/* stat's st_blocks: the inode's i_blocks in 512-byte units. */
u64 ext4_disk_blocks(struct inode *inode);
extern const struct file_operations ext4_dir_fops;
/*
 * Checks the directory entry at @off of a block of @size bytes; its
 * rec_len or -EUCLEAN. Pure.
 */
int ext4_check_dirent(const u8 *blk, unsigned int size, unsigned int off, bool filetype);

/* hash.c */
/* The htree hash of @name with @version and @seed (NULL or zero seed: the default). */
u32 ext4fs_dirhash(const char *name, unsigned int len, unsigned int version, const u32 *seed);

/* csum.c */
bool ext4_sb_csum_ok(const u8 *raw);
bool ext4_gd_csum_ok(const struct ext4_sb_info *s, u32 g, const u8 *gd);
/* The per-inode seed of metadata_csum: the fs seed, then the number and generation. */
u32 ext4_inode_csum_seed(const struct ext4_sb_info *s, u32 ino, const u8 *raw);
bool ext4_inode_csum_ok(const struct ext4_sb_info *s, u32 ino, const u8 *raw);
bool ext4_extent_csum_ok(const struct ext4_sb_info *s, const struct inode *inode, const u8 *blk);
bool ext4_dirblock_csum_ok(const struct ext4_sb_info *s, const struct inode *inode, const u8 *blk);
bool ext4_xattr_block_csum_ok(const struct ext4_sb_info *s, u64 blk, const u8 *b);

#endif /* _FS_EXT4_EXT4_H */
