/* SPDX-License-Identifier: MIT */
/* Ethernet (Linux's <linux/if_ether.h>): lengths, EtherTypes and the header. */
#ifndef _UAPI_IF_ETHER_H
#define _UAPI_IF_ETHER_H

#include <uapi/types.h>

#define ETH_ALEN	6	/* octets in an address */
#define ETH_TLEN	2	/* octets in the type field */
#define ETH_HLEN	14	/* header: two addresses and the type */
#define ETH_ZLEN	60	/* minimum frame without the FCS */
#define ETH_DATA_LEN	1500	/* the payload MTU */
#define ETH_FRAME_LEN	1514
#define ETH_FCS_LEN	4
#define ETH_MIN_MTU	68
#define ETH_MAX_MTU	0xffffU

#define ETH_P_LOOP	0x0060
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_IPV6	0x86dd
#define ETH_P_802_3_MIN	0x0600	/* smaller type fields are 802.3 lengths */
#define ETH_P_802_3	0x0001
#define ETH_P_ALL	0x0003
#define ETH_P_802_2	0x0004

struct ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_proto;
} __attribute__((packed));

#endif /* _UAPI_IF_ETHER_H */
