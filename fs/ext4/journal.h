/* SPDX-License-Identifier: MIT */
/*
 * The jbd2 journal of an ext3/ext4 file system, replayed in memory for a
 * read-only mount (fs/ext4/journal.c): the blocks the journal's committed
 * transactions wrote are kept in memory and ext4_bread() serves them
 * instead of the device's stale copies; the device is never written.
 */
#ifndef _FS_EXT4_JOURNAL_H
#define _FS_EXT4_JOURNAL_H

#include <exo/types.h>

struct buffer_head;
struct ext4_sb_info;

/* Scans and replays the journal (s_journal_inum) of @s into memory; 0 or -errno. */
int jbd2_replay(struct ext4_sb_info *s);
/* The replayed copy of block @blk as a buffer (release with jbd2_brelse), or NULL. */
struct buffer_head *jbd2_replayed_block(struct ext4_sb_info *s, u64 blk);
/* Whether the replay holds any of blocks [@blk, @blk + @n). */
bool jbd2_replays_any(struct ext4_sb_info *s, u64 blk, unsigned int n);
/* Releases a buffer from ext4_bread(): replayed or from the buffer cache. */
void jbd2_brelse(struct buffer_head *bh);
void jbd2_free(struct ext4_sb_info *s);

#endif /* _FS_EXT4_JOURNAL_H */
