/* SPDX-License-Identifier: MIT */
/* NETLINK_ROUTE messages (Linux's include/uapi/linux/rtnetlink.h, the part in use). */
#ifndef _UAPI_RTNETLINK_H
#define _UAPI_RTNETLINK_H

#include <uapi/netlink.h>
#include <uapi/if_link.h>
#include <uapi/if_addr.h>

#define RTM_NEWLINK	16
#define RTM_DELLINK	17
#define RTM_GETLINK	18
#define RTM_SETLINK	19
#define RTM_NEWADDR	20
#define RTM_DELADDR	21
#define RTM_GETADDR	22
#define RTM_NEWROUTE	24
#define RTM_DELROUTE	25
#define RTM_GETROUTE	26

struct rtattr {
	unsigned short rta_len;		/* with this header */
	unsigned short rta_type;
};

#define RTA_ALIGNTO	4U
#define RTA_ALIGN(len)	(((len) + RTA_ALIGNTO - 1) & ~(RTA_ALIGNTO - 1))
#define RTA_LENGTH(len)	(RTA_ALIGN(sizeof(struct rtattr)) + (len))

struct rtmsg {
	unsigned char rtm_family;
	unsigned char rtm_dst_len;
	unsigned char rtm_src_len;
	unsigned char rtm_tos;
	unsigned char rtm_table;	/* RT_TABLE_* */
	unsigned char rtm_protocol;	/* RTPROT_* */
	unsigned char rtm_scope;	/* RT_SCOPE_* */
	unsigned char rtm_type;		/* RTN_* */
	unsigned int rtm_flags;
};

/* rtm_type */
#define RTN_UNSPEC	0
#define RTN_UNICAST	1
#define RTN_LOCAL	2
#define RTN_BROADCAST	3
#define RTN_MULTICAST	5
#define RTN_UNREACHABLE	7

#define RTPROT_UNSPEC	0
#define RTPROT_KERNEL	2	/* added for an address */
#define RTPROT_BOOT	3	/* added by hand */
#define RTPROT_STATIC	4

#define RT_SCOPE_UNIVERSE	0
#define RT_SCOPE_LINK		253
#define RT_SCOPE_HOST		254
#define RT_SCOPE_NOWHERE	255

#define RT_TABLE_UNSPEC	0
#define RT_TABLE_MAIN	254
#define RT_TABLE_LOCAL	255

#define RTM_F_CLONED	0x200	/* a lookup's answer, not a table entry */

enum rtattr_type_t {
	RTA_UNSPEC,
	RTA_DST,
	RTA_SRC,
	RTA_IIF,
	RTA_OIF,
	RTA_GATEWAY,
	RTA_PRIORITY,
	RTA_PREFSRC,
	RTA_METRICS,
	RTA_MULTIPATH,
	RTA_PROTOINFO,
	RTA_FLOW,
	RTA_CACHEINFO,
	RTA_SESSION,
	RTA_MP_ALGO,
	RTA_TABLE,
};

/* Multicast groups (bind's nl_groups bits are 1 << (group - 1)). */
#define RTNLGRP_LINK		1
#define RTNLGRP_IPV4_IFADDR	5
#define RTNLGRP_IPV4_ROUTE	7

#endif /* _UAPI_RTNETLINK_H */
