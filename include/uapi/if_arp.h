/* SPDX-License-Identifier: MIT */
/*
 * ARP (Linux's <linux/if_arp.h>): the header, operations and the ATF_
 * flags /proc/net/arp shows. The ARPHRD_ hardware types are in
 * <exo/netdevice.h>.
 */
#ifndef _UAPI_IF_ARP_H
#define _UAPI_IF_ARP_H

#include <uapi/types.h>

#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

#define ATF_COM		0x02	/* completed entry (hardware address valid) */
#define ATF_PERM	0x04	/* permanent entry */
#define ATF_PUBL	0x08
#define ATF_USETRAILERS	0x10

/* The fixed part; for Ethernet/IPv4 sender MAC, sender IP, target MAC, target IP follow. */
struct arphdr {
	__be16 ar_hrd;
	__be16 ar_pro;
	unsigned char ar_hln;
	unsigned char ar_pln;
	__be16 ar_op;
};

#endif /* _UAPI_IF_ARP_H */
