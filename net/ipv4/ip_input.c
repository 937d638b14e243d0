// SPDX-License-Identifier: MIT
/*
 * IPv4 input: ip_rcv() is the ETH_P_IP handler. It checks the header as
 * RFC 1122 3.2.1 asks (version 4, ihl >= 5, the header checksum, tot_len
 * covering the header and within the frame), trims link padding beyond
 * tot_len, and keeps only datagrams for this host: one of its addresses
 * (any device's: the weak host model, as Linux), a broadcast address, or
 * a frame from lo. There is no forwarding: the rest is dropped and
 * counted (InAddrErrors). Options are not interpreted, only skipped with
 * the header (ihl), so a bogus option cannot mislead anything.
 * Fragments go to ip_defrag(); a whole datagram is delivered to raw
 * sockets of its protocol and to the protocol's handler, or answered with
 * ICMP protocol unreachable.
 *
 * Runs in a network thread. inet_protos[] is written at boot only.
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <uapi/icmp.h>
#include <exo/init.h>
#include <exo/inetdevice.h>
#include <uapi/errno.h>
#include <uapi/if_ether.h>
#include "internal.h"

static const struct net_protocol *inet_protos[IPPROTO_MAX];	/* [boot] */

int inet_add_protocol(const struct net_protocol *prot, u8 num)
{
	const struct net_protocol *none = NULL;

	return __atomic_compare_exchange_n(&inet_protos[num], &none, prot, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ? 0 : -EBUSY;
}

const struct net_protocol *inet_get_protocol(u8 num)
{
	return __atomic_load_n(&inet_protos[num], __ATOMIC_ACQUIRE);
}

int ip_local_deliver(struct sk_buff *skb)
{
	const struct iphdr *iph;
	const struct net_protocol *prot;
	bool raw;
	u8 proto;

	if (ip_hdr(skb)->frag_off & htons(IP_MF | IP_OFFSET)) {
		skb = ip_defrag(skb);
		if (!skb)
			return NET_RX_SUCCESS;
	}
	iph = ip_hdr(skb);
	proto = iph->protocol;
	skb_pull(skb, ip_hdrlen(skb));
	skb_reset_transport_header(skb);
	raw = raw_local_deliver(skb, proto);
	prot = inet_get_protocol(proto);
	if (prot) {
		NET_INC_STATS(ip_mib, IPSTATS_MIB_INDELIVERS);
		return prot->handler(skb);
	}
	if (raw) {
		NET_INC_STATS(ip_mib, IPSTATS_MIB_INDELIVERS);
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	NET_INC_STATS(ip_mib, IPSTATS_MIB_INUNKNOWNPROTOS);
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, 0);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* Whether a datagram to @daddr that came in on @dev is for this host. */
static bool ip_for_us(struct sk_buff *skb, struct net_device *dev, __be32 daddr)
{
	int type = fib_local_type(daddr);

	if (type == RTN_LOCAL)
		return true;
	if (type == RTN_BROADCAST || daddr == htonl(INADDR_BROADCAST)) {
		skb->pkt_type = PACKET_BROADCAST;
		return true;
	}
	return inet_addr_is_broadcast(dev, daddr);
}

int ip_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const struct iphdr *iph;
	unsigned int ihl, len;

	if (skb->pkt_type == PACKET_OTHERHOST)
		goto drop;
	NET_INC_STATS(ip_mib, IPSTATS_MIB_INRECEIVES);
	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		goto hdr_error;
	iph = (const struct iphdr *)skb->data;
	ihl = iph->ihl * 4u;
	if (iph->version != 4 || ihl < sizeof(struct iphdr) || !pskb_may_pull(skb, ihl))
		goto hdr_error;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY && ip_fast_csum(iph, iph->ihl))
		goto hdr_error;
	len = ntohs(iph->tot_len);
	if (len < ihl)
		goto hdr_error;
	if (len > skb->len)
		goto hdr_error;	/* truncated (Linux: InTruncatedPkts, also a drop) */
	/* Ethernet pads short frames: the datagram is what tot_len says. */
	if (skb->len > len) {
		skb_trim(skb, len);
		if (skb->ip_summed == CHECKSUM_COMPLETE)
			skb->ip_summed = CHECKSUM_NONE;
	}
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, (int)ihl);
	/* A source that cannot send: broadcast or multicast (RFC 1122 3.2.1.3). */
	if (iph->saddr == htonl(INADDR_BROADCAST) || (ntohl(iph->saddr) >> 28) == 0xe)
		goto addr_error;
	if (!(dev->flags & IFF_LOOPBACK) && (ntohl(iph->saddr) >> 24) == IN_LOOPBACKNET)
		goto addr_error;	/* martian: 127/8 from the wire */
	if (!ip_for_us(skb, dev, iph->daddr))
		goto addr_error;
	return ip_local_deliver(skb);
addr_error:
	NET_INC_STATS(ip_mib, IPSTATS_MIB_INADDRERRORS);
	goto drop;
hdr_error:
	NET_INC_STATS(ip_mib, IPSTATS_MIB_INHDRERRORS);
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static struct packet_type ip_packet_type = {
	.type = __builtin_bswap16(ETH_P_IP),
	.func = ip_rcv,
};

static int ip_input_init(void)
{
	dev_add_pack(&ip_packet_type);
	return 0;
}
arch_initcall(ip_input_init);
