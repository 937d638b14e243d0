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
	IFA_ANYCAST,
	IFA_CACHEINFO,
	IFA_MULTICAST,
	IFA_FLAGS,
};

#define IFA_F_PERMANENT	0x80

/* IFA_CACHEINFO: lifetimes in seconds (INFINITY_LIFE_TIME: forever), stamps in 1/100 s since boot. */
struct ifa_cacheinfo {
	__u32 ifa_prefered;
	__u32 ifa_valid;
	__u32 cstamp;
	__u32 tstamp;
};
#define INFINITY_LIFE_TIME	0xFFFFFFFFU

#endif /* _UAPI_IF_ADDR_H */
