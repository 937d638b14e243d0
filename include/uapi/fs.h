/* SPDX-License-Identifier: MIT */
/* Block device ioctls and file-call flags, with the numbers of Linux's <linux/fs.h> and friends. */
#ifndef _UAPI_FS_H
#define _UAPI_FS_H

/* _IO(0x12, nr) and _IOR(0x12, nr, size_t) of asm-generic/ioctl.h, spelt out. */
#define BLKROSET	0x125d		/* _IO(0x12,93): set read-only (int *) */
#define BLKROGET	0x125e		/* _IO(0x12,94): get read-only (int *) */
#define BLKRRPART	0x125f		/* _IO(0x12,95): re-read the partition table */
#define BLKGETSIZE	0x1260		/* _IO(0x12,96): size in 512-byte sectors (unsigned long *) */
#define BLKFLSBUF	0x1261		/* _IO(0x12,97): write back and drop the cached pages */
#define BLKSSZGET	0x1268		/* _IO(0x12,104): logical block size (int *) */
#define BLKBSZGET	0x80081270	/* _IOR(0x12,112,size_t): soft block size (int *) */
#define BLKGETSIZE64	0x80081272	/* _IOR(0x12,114,size_t): size in bytes (u64 *) */
#define BLKPBSZGET	0x127b		/* _IO(0x12,123): physical block size (unsigned int *) */

/* preadv2/pwritev2 flags (RWF_*). */
#define RWF_HIPRI	0x00000001	/* poll for completion: a hint */
#define RWF_DSYNC	0x00000002	/* as O_DSYNC, for this write */
#define RWF_SYNC	0x00000004	/* as O_SYNC, for this write */
#define RWF_NOWAIT	0x00000008	/* EAGAIN rather than block */
#define RWF_APPEND	0x00000010	/* as O_APPEND, for this write */

/* sync_file_range flags. */
#define SYNC_FILE_RANGE_WAIT_BEFORE	1
#define SYNC_FILE_RANGE_WRITE		2
#define SYNC_FILE_RANGE_WAIT_AFTER	4

/* fallocate modes (linux/falloc.h). */
#define FALLOC_FL_KEEP_SIZE		0x01
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_NO_HIDE_STALE		0x04
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40

/* fadvise advice (POSIX_FADV_*, x86_64 values). */
#define POSIX_FADV_NORMAL	0
#define POSIX_FADV_RANDOM	1
#define POSIX_FADV_SEQUENTIAL	2
#define POSIX_FADV_WILLNEED	3
#define POSIX_FADV_DONTNEED	4
#define POSIX_FADV_NOREUSE	5

/* close_range flags. */
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#define CLOSE_RANGE_CLOEXEC	(1U << 2)

#endif /* _UAPI_FS_H */
