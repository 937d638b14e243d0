/* SPDX-License-Identifier: MIT */
/* RTM_*ADDR payload (Linux's include/uapi/linux/if_addr.h). */
#ifndef _UAPI_IF_ADDR_H
#define _UAPI_IF_ADDR_H

#include <uapi/types.h>

struct ifaddrmsg {
	__u8 ifa_family;
	__u8 ifa_prefixlen;
	__u8 ifa_flags;		/* IFA_F_* */
	__u8 ifa_scope;		/* RT_SCOPE_* */
	__u32 ifa_index;
};

enum {
	IFA_UNSPEC,
	IFA_ADDRESS,
	IFA_LOCAL,
	IFA_LABEL,
	IFA_BROADCAST,
};

#define IFA_F_PERMANENT	0x80

#endif /* _UAPI_IF_ADDR_H */
