/* SPDX-License-Identifier: MIT */
/* Block device ioctls, with the numbers of Linux's <linux/fs.h>. */
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

#endif /* _UAPI_FS_H */
