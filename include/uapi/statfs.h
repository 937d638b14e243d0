/* SPDX-License-Identifier: MIT */
/* struct statfs as statfs(2)/fstatfs(2) return it on x86_64 (asm-generic/statfs.h, 120 bytes). */
#ifndef _UAPI_STATFS_H
#define _UAPI_STATFS_H

struct statfs {
	long f_type;
	long f_bsize;
	long f_blocks;
	long f_bfree;
	long f_bavail;
	long f_files;
	long f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};

/* f_flags (ST_*) */
#define ST_RDONLY 0x0001
#define ST_NOSUID 0x0002

#endif /* _UAPI_STATFS_H */
