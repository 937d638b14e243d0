/* SPDX-License-Identifier: MIT */
/*
 * IPv4 socket ABI (Linux's <linux/in.h>): protocol numbers, sockaddr_in,
 * well-known addresses and the SOL_IP socket options.
 */
#ifndef _UAPI_IN_H
#define _UAPI_IN_H

#include <uapi/types.h>

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_IGMP	2
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_IPV6	41
#define IPPROTO_RAW	255
#define IPPROTO_MAX	256

struct in_addr {
	__be32 s_addr;
};

#define __SOCK_SIZE__ 16
struct sockaddr_in {
	unsigned short sin_family;	/* AF_INET */
	__be16 sin_port;
	struct in_addr sin_addr;
	unsigned char __pad[__SOCK_SIZE__ - sizeof(short) - sizeof(unsigned short) -
			    sizeof(struct in_addr)];
};

/* Host-order address constants. */
#define INADDR_ANY		0x00000000U
#define INADDR_BROADCAST	0xffffffffU
#define INADDR_NONE		0xffffffffU
#define INADDR_LOOPBACK		0x7f000001U
#define IN_LOOPBACKNET		127

/* SOL_IP (== IPPROTO_IP) options. */
#define SOL_IP			0
#define IP_TOS			1
#define IP_TTL			2
#define IP_HDRINCL		3
#define IP_OPTIONS		4
#define IP_RECVOPTS		6
#define IP_RETOPTS		7
#define IP_PKTINFO		8
#define IP_MTU_DISCOVER		10
#define IP_RECVERR		11
#define IP_RECVTTL		12
#define IP_RECVTOS		13
#define IP_MTU			14
#define IP_FREEBIND		15
#define IP_MULTICAST_IF		32
#define IP_MULTICAST_TTL	33
#define IP_MULTICAST_LOOP	34
#define IP_ADD_MEMBERSHIP	35
#define IP_DROP_MEMBERSHIP	36

/* IP_MTU_DISCOVER values. */
#define IP_PMTUDISC_DONT	0
#define IP_PMTUDISC_WANT	1
#define IP_PMTUDISC_DO		2
#define IP_PMTUDISC_PROBE	3

struct in_pktinfo {
	int ipi_ifindex;
	struct in_addr ipi_spec_dst;
	struct in_addr ipi_addr;
};

#endif /* _UAPI_IN_H */
