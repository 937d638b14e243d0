/* SPDX-License-Identifier: MIT */
/*
 * Ethernet devices (net/ethernet/eth.c): the link header for Ethernet
 * drivers, address predicates and the receive classification.
 *
 * eth_type_trans() is what the receive core runs on a frame from an
 * ARPHRD_ETHER device: it sets the mac header, classifies the frame by its
 * destination (skb->pkt_type: PACKET_HOST, _BROADCAST, _MULTICAST,
 * _OTHERHOST), pulls the header and returns the EtherType (network order)
 * for skb->protocol. The frame must hold at least ETH_HLEN bytes.
 */
#ifndef _EXO_ETHERDEVICE_H
#define _EXO_ETHERDEVICE_H

#include <exo/netdevice.h>
#include <exo/string.h>
#include <uapi/if_ether.h>

extern const struct header_ops eth_header_ops;

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
/* header_ops->create for Ethernet: pushes ETH_HLEN bytes; ETH_HLEN or -errno. */
int eth_header(struct sk_buff *skb, struct net_device *dev, u16 type, const void *daddr,
	       const void *saddr, unsigned int len);
/* A random locally administered unicast address, for a device without one. */
void eth_random_addr(u8 *addr);

static inline struct ethhdr *eth_hdr(const struct sk_buff *skb)
{
	return (struct ethhdr *)skb_mac_header(skb);
}
static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}
static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 1;
}
static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}
static inline bool is_valid_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}
static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}
static inline void eth_broadcast_addr(u8 *a)
{
	memset(a, 0xff, ETH_ALEN);
}

#endif /* _EXO_ETHERDEVICE_H */
