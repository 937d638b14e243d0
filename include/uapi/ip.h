/* SPDX-License-Identifier: MIT */
/* The IPv4 header (Linux's <linux/ip.h>), for raw sockets and the stack. */
#ifndef _UAPI_IP_H
#define _UAPI_IP_H

#include <uapi/types.h>

#define IPVERSION	4
#define MAXTTL		255
#define IPDEFTTL	64

#define IPTOS_TOS_MASK	0x1e

/* iphdr.frag_off (host order after ntohs) */
#define IP_CE		0x8000
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff

struct iphdr {
	__u8 ihl : 4, version : 4;	/* little-endian bit order: ihl is the low nibble */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
	/* options follow, up to ihl * 4 bytes in all */
};

#endif /* _UAPI_IP_H */
