/* SPDX-License-Identifier: MIT */
/* System V IPC: the common flags, commands and permission block (Linux uapi/linux/ipc.h, x86_64). */
#ifndef _UAPI_LINUX_IPC_H
#define _UAPI_LINUX_IPC_H

#include <uapi/types.h>

#define IPC_PRIVATE 0

/* *get() flags, beside the nine permission bits. */
#define IPC_CREAT 00001000
#define IPC_EXCL 00002000
#define IPC_NOWAIT 00004000

/* *ctl() commands every kind has. */
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3

/* Old-ABI selector; x86_64 has only the 64-bit structures and refuses it in a command. */
#define IPC_64 0x0100

/* struct ipc64_perm of x86_64 (asm-generic/ipcbuf.h): 48 bytes. */
struct ipc64_perm {
	int key;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	unsigned int mode;
	unsigned short seq;
	unsigned short __pad2;
	unsigned long __unused1;
	unsigned long __unused2;
};

#endif /* _UAPI_LINUX_IPC_H */
