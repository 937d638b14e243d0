// SPDX-License-Identifier: MIT
/*
 * jbd2 journal replay for read-only mounts, in memory. When the super block
 * says needs_recovery, the journal (the inode s_journal_inum) is scanned
 * from its s_start for committed transactions: descriptor blocks name the
 * file system blocks whose new contents follow in the log, revoke blocks
 * cancel earlier copies, a commit block ends a transaction. The newest
 * copy of each block from a committed transaction is kept in memory and
 * ext4_bread() returns it instead of the device's stale block; nothing is
 * written to the device (Linux writes it back; a read-only mount of ours
 * never writes). jbd2 structures are big-endian.
 *
 * Checked: magic, sequence numbers (the scan stops at the first block that
 * does not continue the log), tag and revoke counts within their block,
 * block numbers within the file system. Not checked: the journal's own
 * checksums (csum v2/v3 tags are read, their values not verified).
 */
#include <exo/blkdev.h>
#include <exo/buffer_head.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/vmalloc.h>
#include <uapi/errno.h>
#include "ext4.h"
#include "journal.h"

#define JBD2_MAGIC		0xC03B3998U
#define JBD2_DESCRIPTOR_BLOCK	1
#define JBD2_COMMIT_BLOCK	2
#define JBD2_SUPERBLOCK_V1	3
#define JBD2_SUPERBLOCK_V2	4
#define JBD2_REVOKE_BLOCK	5
#define JBD2_FEATURE_INCOMPAT_REVOKE	0x1
#define JBD2_FEATURE_INCOMPAT_64BIT	0x2
#define JBD2_FEATURE_INCOMPAT_CSUM_V2	0x8
#define JBD2_FEATURE_INCOMPAT_CSUM_V3	0x10
#define JBD2_FLAG_ESCAPE	0x1
#define JBD2_FLAG_SAME_UUID	0x2
#define JBD2_FLAG_LAST_TAG	0x8
#define JBD2_MAX_BLOCKS		65536	/* replayed blocks kept in memory, at most */

struct jbd2_block {
	u64 blk;	/* file system block */
	u32 seq;	/* transaction it comes from */
	u8 *data;
};

struct jbd2_revoke {
	u64 blk;
	u32 seq;	/* newest transaction that revoked it */
};

struct ext4_journal {
	struct jbd2_block *blocks;	/* [immutable after replay] in the order first logged */
	unsigned int nr;
	struct jbd2_revoke *revokes;	/* during the scan */
	unsigned int nr_revokes;
};

static u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

struct jbd2_scan {
	struct ext4_sb_info *s;
	struct inode *jinode;
	u32 first, maxlen, incompat;
	struct ext4_journal *j;
	u8 *buf;		/* one journal block */
};

/* Journal block @n (a log position) into scan->buf; 0 or -errno. */
static int jbd2_read(struct jbd2_scan *sc, u32 n)
{
	struct buffer_head *bh;
	u64 pblk;
	int err = ext4_map_block(sc->jinode, n, &pblk);

	if (err)
		return err;
	if (!pblk)
		return ext4_error(sc->s, "journal block %u is a hole", n);
	bh = __bread(sc->s->bdev, pblk, sc->s->block_size);
	if (IS_ERR(bh))
		return PTR_ERR(bh);
	memcpy(sc->buf, bh->b_data, sc->s->block_size);
	brelse(bh);
	return 0;
}

static u32 jbd2_next(struct jbd2_scan *sc, u32 n)
{
	return n + 1 >= sc->maxlen ? sc->first : n + 1;
}

static unsigned int jbd2_tag_size(u32 incompat)
{
	if (incompat & JBD2_FEATURE_INCOMPAT_CSUM_V3)
		return 16;
	return (incompat & JBD2_FEATURE_INCOMPAT_64BIT) ? 12 : 8;
}

static u32 jbd2_revoked_seq(struct ext4_journal *j, u64 blk, bool *found)
{
	for (unsigned int i = 0; i < j->nr_revokes; i++)
		if (j->revokes[i].blk == blk) {
			*found = true;
			return j->revokes[i].seq;
		}
	*found = false;
	return 0;
}

static int jbd2_add_revoke(struct ext4_journal *j, u64 blk, u32 seq)
{
	bool found;
	struct jbd2_revoke *r;

	jbd2_revoked_seq(j, blk, &found);
	for (unsigned int i = 0; found && i < j->nr_revokes; i++)
		if (j->revokes[i].blk == blk) {
			if ((s32)(seq - j->revokes[i].seq) > 0)
				j->revokes[i].seq = seq;
			return 0;
		}
	if (j->nr_revokes >= JBD2_MAX_BLOCKS)
		return -ENOMEM;
	r = krealloc(j->revokes, (j->nr_revokes + 1) * sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	j->revokes = r;
	r[j->nr_revokes++] = (struct jbd2_revoke){ .blk = blk, .seq = seq };
	return 0;
}

/* Keeps scan->buf as the replayed copy of @blk (a later transaction's copy replaces it). */
static int jbd2_keep(struct jbd2_scan *sc, u64 blk, u32 seq)
{
	struct ext4_journal *j = sc->j;
	unsigned int bs = sc->s->block_size, i;
	struct jbd2_block *b;

	for (i = 0; i < j->nr; i++)
		if (j->blocks[i].blk == blk) {
			memcpy(j->blocks[i].data, sc->buf, bs);
			j->blocks[i].seq = seq;
			return 0;
		}
	if (j->nr >= JBD2_MAX_BLOCKS)
		return -ENOMEM;
	b = krealloc(j->blocks, (j->nr + 1) * sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	j->blocks = b;
	b[j->nr].data = kmalloc(bs, GFP_KERNEL);
	if (!b[j->nr].data)
		return -ENOMEM;
	memcpy(b[j->nr].data, sc->buf, bs);
	b[j->nr].blk = blk;
	b[j->nr].seq = seq;
	j->nr++;
	return 0;
}

/*
 * One pass over the log from @start/@seq. Pass 0 finds the end (the last
 * committed transaction) and collects revokes; pass 1 copies the blocks of
 * committed transactions up to @end_seq that no later revoke cancels.
 */
static int jbd2_pass(struct jbd2_scan *sc, int pass, u32 start, u32 seq, u32 *end_seq)
{
	struct ext4_sb_info *s = sc->s;
	unsigned int bs = s->block_size, tsize = jbd2_tag_size(sc->incompat);
	unsigned int tail = (sc->incompat & (JBD2_FEATURE_INCOMPAT_CSUM_V2 |
					     JBD2_FEATURE_INCOMPAT_CSUM_V3)) ? 4 : 0;
	u32 n = start, steps = 0;
	int err;

	while (steps++ < sc->maxlen) {
		u32 type;

		if (pass == 1 && seq == *end_seq)
			return 0;
		err = jbd2_read(sc, n);
		if (err)
			return err;
		if (be32(sc->buf) != JBD2_MAGIC || be32(sc->buf + 8) != seq)
			break;
		type = be32(sc->buf + 4);
		n = jbd2_next(sc, n);
		if (type == JBD2_DESCRIPTOR_BLOCK) {
			u8 desc[4096];
			unsigned int off = 12;

			memcpy(desc, sc->buf, bs);
			while (off + tsize <= bs - tail) {
				u32 flags = tsize == 16 ? be32(desc + off + 4) : (be32(desc + off + 4) & 0xffff);
				u64 blk = be32(desc + off);

				if (sc->incompat & JBD2_FEATURE_INCOMPAT_64BIT)
					blk |= (u64)be32(desc + off + (tsize == 16 ? 8 : 8)) << 32;
				if (pass == 1) {
					bool revoked;
					u32 rseq = jbd2_revoked_seq(sc->j, blk, &revoked);

					if (blk >= s->blocks_count) {
						return ext4_error(s, "journal: block %llu past the end",
								  (unsigned long long)blk);
					}
					if (!revoked || (s32)(rseq - seq) < 0) {
						err = jbd2_read(sc, n);
						if (err)
							return err;
						if (flags & JBD2_FLAG_ESCAPE) {
							sc->buf[0] = 0xC0;
							sc->buf[1] = 0x3B;
							sc->buf[2] = 0x39;
							sc->buf[3] = 0x98;
						}
						err = jbd2_keep(sc, blk, seq);
						if (err)
							return err;
					}
				}
				n = jbd2_next(sc, n);
				off += tsize + ((flags & JBD2_FLAG_SAME_UUID) ? 0 : 16);
				if (flags & JBD2_FLAG_LAST_TAG)
					break;
			}
		} else if (type == JBD2_COMMIT_BLOCK) {
			seq++;
			if (pass == 0)
				*end_seq = seq;
		} else if (type == JBD2_REVOKE_BLOCK) {
			unsigned int used = be32(sc->buf + 12);
			unsigned int rsize = (sc->incompat & JBD2_FEATURE_INCOMPAT_64BIT) ? 8 : 4;

			if (used > bs - tail || used < 16)
				return ext4_error(s, "journal: revoke block of %u bytes", used);
			for (unsigned int off = 16; pass == 0 && off + rsize <= used; off += rsize) {
				u64 blk = rsize == 8 ? ((u64)be32(sc->buf + off) << 32) |
							       be32(sc->buf + off + 4) :
						       be32(sc->buf + off);

				err = jbd2_add_revoke(sc->j, blk, seq);
				if (err)
					return err;
			}
		} else {
			break;
		}
	}
	return 0;
}

int jbd2_replay(struct ext4_sb_info *s)
{
	struct jbd2_scan sc = { .s = s };
	u32 start, seq, end_seq, type;
	int err;

	if (!s->journal_inum)
		return ext4_error(s, "needs recovery but has no journal inode");
	sc.jinode = ext4_iget(s->sb, s->journal_inum);
	if (IS_ERR(sc.jinode))
		return PTR_ERR(sc.jinode);
	sc.buf = kmalloc(s->block_size, GFP_KERNEL);
	sc.j = kzalloc(sizeof(*sc.j), GFP_KERNEL);
	err = -ENOMEM;
	if (!sc.buf || !sc.j)
		goto out;
	err = jbd2_read(&sc, 0);
	if (err)
		goto out;
	type = be32(sc.buf + 4);
	if (be32(sc.buf) != JBD2_MAGIC ||
	    (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2) ||
	    be32(sc.buf + 12) != s->block_size) {
		err = ext4_error(s, "journal super block: bad magic, type or block size");
		goto out;
	}
	sc.maxlen = be32(sc.buf + 16);
	sc.first = be32(sc.buf + 20);
	seq = be32(sc.buf + 24);
	start = be32(sc.buf + 28);
	sc.incompat = type == JBD2_SUPERBLOCK_V2 ? be32(sc.buf + 40) : 0;
	if (sc.maxlen > (u64)sc.jinode->i_size >> s->log_block_size || sc.first == 0 ||
	    sc.first >= sc.maxlen || (start && (start < sc.first || start >= sc.maxlen))) {
		err = ext4_error(s, "journal super block: bad geometry");
		goto out;
	}
	if (!start) {
		err = 0;	/* the journal is empty */
		goto out;
	}
	end_seq = seq;
	err = jbd2_pass(&sc, 0, start, seq, &end_seq);
	if (!err)
		err = jbd2_pass(&sc, 1, start, seq, &end_seq);
	if (err)
		goto out;
	ext4_msg(KERN_INFO "EXT4-fs (%s): journal replayed in memory: %u transactions, %u blocks\n",
		 s->bdev->bd_name, end_seq - seq, sc.j->nr);
	kfree(sc.j->revokes);
	sc.j->revokes = NULL;
	s->journal = sc.j;
	sc.j = NULL;
out:
	if (sc.j) {
		for (unsigned int i = 0; i < sc.j->nr; i++)
			kfree(sc.j->blocks[i].data);
		kfree(sc.j->blocks);
		kfree(sc.j->revokes);
		kfree(sc.j);
	}
	kfree(sc.buf);
	iput(sc.jinode);
	return err;
}

struct buffer_head *jbd2_replayed_block(struct ext4_sb_info *s, u64 blk)
{
	struct ext4_journal *j = s->journal;
	struct buffer_head *bh;

	if (!j)
		return NULL;
	for (unsigned int i = 0; i < j->nr; i++) {
		if (j->blocks[i].blk != blk)
			continue;
		bh = kzalloc(sizeof(*bh), GFP_KERNEL);
		if (!bh)
			return ERR_PTR(-ENOMEM);
		bh->b_bdev = s->bdev;
		bh->b_blocknr = blk;
		bh->b_size = s->block_size;
		bh->b_data = (char *)j->blocks[i].data;
		return bh;	/* no page: jbd2_brelse frees only the head */
	}
	return NULL;
}

bool jbd2_replays_any(struct ext4_sb_info *s, u64 blk, unsigned int n)
{
	struct ext4_journal *j = s->journal;

	for (unsigned int i = 0; j && i < j->nr; i++)
		if (j->blocks[i].blk - blk < n)
			return true;
	return false;
}

void jbd2_brelse(struct buffer_head *bh)
{
	if (bh->b_page)
		brelse(bh);
	else
		kfree(bh);
}

void jbd2_free(struct ext4_sb_info *s)
{
	struct ext4_journal *j = s->journal;

	if (!j)
		return;
	for (unsigned int i = 0; i < j->nr; i++)
		kfree(j->blocks[i].data);
	kfree(j->blocks);
	kfree(j);
	s->journal = NULL;
}
