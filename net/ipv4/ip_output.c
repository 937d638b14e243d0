// SPDX-License-Identifier: MIT
/*
 * IPv4 output: ip_send_skb() routes a transport's packet, pushes the IP
 * header, fragments it above the route's MTU (ip_fragment.c) and passes
 * each frame to the next hop: straight to the device for lo, broadcasts
 * and NOARP devices, through ARP (arp.c) otherwise.
 *
 * IDs: a counter per hash of (destination, source, protocol), started
 * at random, so fragments of different datagrams to one peer do not
 * collide and IDs do not leak a global packet count.
 *
 * No locks of its own; runs in the sender's process context (or the
 * network thread for ICMP and TCP replies).
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/inetdevice.h>
#include <exo/random.h>
#include <uapi/errno.h>
#include <uapi/if_ether.h>
#include <uapi/tcp.h>
#include "internal.h"

#define IP_IDENTS_SZ 2048

unsigned long ip_mib[IPSTATS_MIB_MAX];
static u32 ip_idents[IP_IDENTS_SZ];	/* [atomic] */
static u32 ip_idents_seed;		/* [immutable after first use] */

void ip_send_check(struct iphdr *iph)
{
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
}

void ip_select_ident(struct iphdr *iph)
{
	u32 h;

	if (!__atomic_load_n(&ip_idents_seed, __ATOMIC_RELAXED)) {
		u32 seed = (u32)get_random_u64() | 1;
		u32 zero = 0;

		__atomic_compare_exchange_n(&ip_idents_seed, &zero, seed, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
	h = (iph->daddr ^ (iph->saddr * 31) ^ iph->protocol ^ ip_idents_seed) * 0x9e3779b1u;
	h = __atomic_fetch_add(&ip_idents[h % IP_IDENTS_SZ], 1, __ATOMIC_RELAXED) +
	    (ip_idents_seed >> 16);
	iph->id = htons((u16)h);
}

int ip_finish_output(struct sk_buff *skb, __be32 nexthop, int rt_type)
{
	struct net_device *dev = skb->dev;
	int err;

	skb->protocol = htons(ETH_P_IP);
	NET_INC_STATS(ip_mib, IPSTATS_MIB_OUTREQUESTS);
	if ((dev->flags & (IFF_LOOPBACK | IFF_NOARP)) || rt_type == RTN_BROADCAST ||
	    !dev->header_ops) {
		err = dev_hard_header(skb, dev, ETH_P_IP, NULL, NULL, skb->len);
		if (err < 0) {
			kfree_skb(skb);
			return err;
		}
		return dev_queue_xmit(skb);
	}
	return arp_output(skb, nexthop);
}

int ip_send_skb(struct sk_buff *skb, const struct ip_send_opts *opts)
{
	struct rtable rtbuf;
	const struct rtable *rt = opts->rt;
	struct iphdr *iph;
	__be32 nexthop;
	int err;

	if (!rt) {
		err = ip_route_output(opts->daddr, opts->saddr, opts->oif, &rtbuf);
		if (err) {
			NET_INC_STATS(ip_mib, IPSTATS_MIB_OUTNOROUTES);
			kfree_skb(skb);
			return err;
		}
		rt = &rtbuf;
	}
	if (skb_cow_head(skb, sizeof(*iph) + LL_MAX_HEADER)) {
		err = -ENOBUFS;
		goto out_free;
	}
	skb_reset_transport_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = IPVERSION;
	iph->ihl = 5;
	iph->tos = opts->tos;
	iph->tot_len = htons((u16)skb->len);
	iph->frag_off = opts->df ? htons(IP_DF) : 0;
	iph->ttl = opts->ttl ? opts->ttl : IPDEFTTL;
	iph->protocol = opts->protocol;
	iph->saddr = opts->saddr ? opts->saddr : rt->prefsrc;
	iph->daddr = opts->daddr;
	ip_select_ident(iph);
	skb->dev = rt->dev;
	nexthop = rt->gateway ? rt->gateway : opts->daddr;
	if (skb_shinfo(skb)->gso_size) {
		/* The device cuts it into segments that each fit the MTU; only TCP makes these. */
		const struct tcphdr *th = (const struct tcphdr *)skb_transport_header(skb);

		if (!(rt->dev->features & NETIF_F_TSO) || skb->len > 0xffff ||
		    skb_transport_offset(skb) + th->doff * 4U + skb_shinfo(skb)->gso_size > rt->mtu) {
			err = -EMSGSIZE;
			goto out_free;
		}
	} else if (skb->len > rt->mtu) {
		if (opts->df || skb->len > 0xffff) {
			err = -EMSGSIZE;
			goto out_free;
		}
		ip_send_check(iph);
		err = ip_fragment(skb, rt->mtu, nexthop, rt->type);
		skb = NULL;
		goto out_put;
	}
	ip_send_check(iph);
	err = ip_finish_output(skb, nexthop, rt->type);
	skb = NULL;
	goto out_put;
out_free:
	NET_INC_STATS(ip_mib, IPSTATS_MIB_OUTDISCARDS);
	kfree_skb(skb);
out_put:
	if (rt == &rtbuf)
		ip_rt_put(&rtbuf);
	return err;
}

int ip_send_hdrincl(struct sk_buff *skb, int oif)
{
	struct iphdr *iph = (struct iphdr *)skb->data;
	struct rtable rt;
	unsigned int ihl;
	int err;

	if (skb->len < sizeof(*iph)) {
		err = -EINVAL;
		goto out_free;
	}
	ihl = iph->ihl * 4u;
	/* As Linux: a header claiming more than was written is refused; the rest is trusted. */
	if (ihl < sizeof(*iph) || ihl > skb->len) {
		err = -EINVAL;
		goto out_free;
	}
	err = ip_route_output(iph->daddr, 0, oif, &rt);
	if (err)
		goto out_free;
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, (int)ihl);
	if (!iph->saddr)
		iph->saddr = rt.prefsrc;
	if (!iph->id)
		ip_select_ident(iph);
	iph->tot_len = htons((u16)skb->len);
	ip_send_check(iph);
	skb->dev = rt.dev;
	if (skb->len > rt.mtu) {
		ip_rt_put(&rt);
		err = -EMSGSIZE;
		goto out_free;
	}
	err = ip_finish_output(skb, rt.gateway ? rt.gateway : iph->daddr, rt.type);
	ip_rt_put(&rt);
	return err;
out_free:
	kfree_skb(skb);
	return err;
}
