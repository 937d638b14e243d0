/* SPDX-License-Identifier: MIT */
/* capget(2)/capset(2): Linux's header versions and layouts (linux/capability.h). */
#ifndef _UAPI_CAPABILITY_H
#define _UAPI_CAPABILITY_H

#include <uapi/types.h>

#define _LINUX_CAPABILITY_VERSION_1	0x19980330	/* one 32-bit set */
#define _LINUX_CAPABILITY_VERSION_2	0x20071026	/* two, deprecated */
#define _LINUX_CAPABILITY_VERSION_3	0x20080522	/* two: what libcap uses */

struct __user_cap_header_struct {
	__u32 version;
	int pid;
};

struct __user_cap_data_struct {
	__u32 effective;
	__u32 permitted;
	__u32 inheritable;
};

/* The highest capability number Linux 6.x knows (CAP_CHECKPOINT_RESTORE). */
#define CAP_LAST_CAP		40

#endif
