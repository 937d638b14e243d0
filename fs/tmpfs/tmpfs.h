/* SPDX-License-Identifier: MIT */
/*
 * Shared inside fs/tmpfs/ only: the mount options of a tmpfs instance.
 * inode.c (always built) is the memory file system itself; options.c
 * (CONFIG_TMPFS) parses size=, nr_blocks=, mode=, uid=, gid=. Without it
 * every instance is what Linux's ramfs is: no size limit, options ignored.
 */
#ifndef _FS_TMPFS_TMPFS_H
#define _FS_TMPFS_TMPFS_H

#include <exo/mm.h>
#include <exo/fs_types.h>
#include <exo/types.h>

struct tmpfs_options {
	unsigned long max_blocks;	/* pages; 0: no limit */
	umode_t root_mode;
	u32 uid, gid;
};

#ifdef CONFIG_TMPFS
/* Half of RAM, Linux's default size= */
#define TMPFS_DEFAULT_MAX_BLOCKS	(totalram_pages() / 2)
/* Parses the comma-separated mount @data into @o; 0 or -EINVAL. */
int tmpfs_parse_options(struct tmpfs_options *o, const char *data);
#else
#define TMPFS_DEFAULT_MAX_BLOCKS	0UL
static inline int tmpfs_parse_options(struct tmpfs_options *o, const char *data)
{
	return 0;
}
#endif

#endif /* _FS_TMPFS_TMPFS_H */
