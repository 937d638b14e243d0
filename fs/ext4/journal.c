// SPDX-License-Identifier: MIT
/*
 * jbd2 journal replay for read-only mounts. Not done yet: a journal that
 * needs recovery is logged and the file system is read as the device has
 * it (what Linux's "noload" gives).
 */
#include <exo/buffer_head.h>
#include <exo/printk.h>
#include "ext4.h"
#include "journal.h"

int jbd2_replay(struct ext4_sb_info *s)
{
	ext4_msg(KERN_WARNING "EXT4-fs: journal needs recovery; replay not supported, reading the device as it is\n");
	return 0;
}

struct buffer_head *jbd2_replayed_block(struct ext4_sb_info *s, u64 blk)
{
	return NULL;
}

void jbd2_brelse(struct buffer_head *bh)
{
	brelse(bh);
}

void jbd2_free(struct ext4_sb_info *s)
{
}
