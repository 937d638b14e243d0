// SPDX-License-Identifier: MIT
/*
 * Ethernet: the 14-byte header (destination, source, EtherType) for
 * drivers of ARPHRD_ETHER devices. ether_setup() gives a device
 * Ethernet's defaults (MTU 1500, broadcast ff:ff:ff:ff:ff:ff, ARP, the
 * header ops); eth_type_trans() classifies a received frame for the core.
 *
 * 802.3 frames (a length instead of a type, below 0x600) are reported as
 * ETH_P_802_3 (or ETH_P_802_2 with an LLC header) and find no handler.
 * No locks: everything here works on one skb and immutable device fields.
 */
#include <exo/etherdevice.h>
#include <exo/byteorder.h>
#include <exo/random.h>
#include <exo/slab.h>
#include <uapi/errno.h>

int eth_header(struct sk_buff *skb, struct net_device *dev, u16 type, const void *daddr,
	       const void *saddr, unsigned int len)
{
	struct ethhdr *eth;

	(void)len;
	if (skb_headroom(skb) < ETH_HLEN)
		return -ENOBUFS;
	eth = skb_push(skb, ETH_HLEN);
	eth->h_proto = htons(type);
	memcpy(eth->h_source, saddr ? saddr : dev->dev_addr, ETH_ALEN);
	memcpy(eth->h_dest, daddr ? daddr : dev->broadcast, ETH_ALEN);
	skb_reset_mac_header(skb);
	return ETH_HLEN;
}

static int eth_header_parse(const struct sk_buff *skb, unsigned char *haddr)
{
	memcpy(haddr, eth_hdr(skb)->h_source, ETH_ALEN);
	return ETH_ALEN;
}

const struct header_ops eth_header_ops = {
	.create = eth_header,
	.parse = eth_header_parse,
};

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	struct ethhdr *eth;
	u16 proto;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	eth = (struct ethhdr *)skb->data;
	skb_pull(skb, ETH_HLEN);
	if (is_multicast_ether_addr(eth->h_dest))
		skb->pkt_type = is_broadcast_ether_addr(eth->h_dest) ? PACKET_BROADCAST
								      : PACKET_MULTICAST;
	else if (!ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_OTHERHOST;
	else
		skb->pkt_type = PACKET_HOST;
	proto = ntohs(eth->h_proto);
	if (proto >= ETH_P_802_3_MIN)
		return eth->h_proto;
	/* An 802.3 length field: raw 802.3 (IPX's 0xffff) or 802.2 LLC. */
	if (skb->len >= 2 && get_unaligned_be16(skb->data) == 0xffff)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}

void eth_random_addr(u8 *addr)
{
	get_random_bytes(addr, ETH_ALEN);
	addr[0] &= 0xfe;	/* unicast */
	addr[0] |= 0x02;	/* locally administered */
}

void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->header_ops = &eth_header_ops;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = 1000;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	eth_broadcast_addr(dev->broadcast);
}

struct net_device *alloc_etherdev(size_t priv_size)
{
	return alloc_netdev(priv_size, "eth%d", ether_setup);
}
