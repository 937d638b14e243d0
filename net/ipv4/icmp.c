// SPDX-License-Identifier: MIT
/*
 * ICMP (RFC 792): echo replies, errors about received datagrams
 * (icmp_send: unreachable, time exceeded, parameter problem) and the
 * dispatch of received errors to the protocol of the datagram they quote
 * (its err_handler, and raw sockets), which turns them into socket errors.
 *
 * As Linux and RFC 1122 3.2.2 ask: no error about an ICMP error, a
 * broadcast or multicast, a fragment other than the first, or a datagram
 * from a non-unicast source; echo requests to a broadcast address are
 * ignored (icmp_echo_ignore_broadcasts). Errors sent are rate limited by a
 * token bucket (1000 a second, bursts of 50: net.ipv4.icmp_msgs_per_sec
 * and _burst); echo replies are not limited. An error quotes the
 * offending header and as much data as keeps the message within 576 bytes.
 *
 * icmp_lock guards the bucket; it is a leaf.
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/init.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include "internal.h"

#define ICMP_MSGS_PER_SEC	1000
#define ICMP_MSGS_BURST		50
#define ICMP_ERR_MAX_LEN	576	/* RFC 1812 4.3.2.3 */

unsigned long icmp_mib[ICMP_MIB_MAX];
unsigned long icmp_in_type[256], icmp_out_type[256];

static DEFINE_SPINLOCK(icmp_lock);
static u64 icmp_tokens = ICMP_MSGS_BURST;	/* [icmp_lock] */
static u64 icmp_last_ns;			/* [icmp_lock] */

static bool icmp_global_allow(void)
{
	u64 now = ktime_get_ns();
	bool ok;

	spin_lock(&icmp_lock);
	icmp_tokens += (now - icmp_last_ns) * ICMP_MSGS_PER_SEC / NSEC_PER_SEC;
	if (icmp_tokens > ICMP_MSGS_BURST)
		icmp_tokens = ICMP_MSGS_BURST;
	icmp_last_ns = now;
	ok = icmp_tokens > 0;
	if (ok)
		icmp_tokens--;
	spin_unlock(&icmp_lock);
	return ok;
}

static bool icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
}

/* Sends @icmph + @data (@len bytes) to @daddr from @saddr; counts it. */
static void icmp_push_reply(const struct icmphdr *icmph, const void *data, unsigned int len,
			    __be32 saddr, __be32 daddr, u8 tos)
{
	struct ip_send_opts opts = { .saddr = saddr, .daddr = daddr, .protocol = IPPROTO_ICMP,
				     .tos = tos };
	struct sk_buff *skb = alloc_skb(MAX_HEADER + sizeof(*icmph) + len, GFP_KERNEL);
	struct icmphdr *h;

	if (!skb) {
		NET_INC_STATS(icmp_mib, ICMP_MIB_OUTERRORS);
		return;
	}
	skb_reserve(skb, MAX_HEADER);
	h = skb_put_data(skb, icmph, sizeof(*icmph));
	skb_put_data(skb, data, len);
	h->checksum = 0;
	h->checksum = ip_compute_csum(skb->data, (int)skb->len);
	NET_INC_STATS(icmp_mib, ICMP_MIB_OUTMSGS);
	NET_INC_STATS(icmp_out_type, icmph->type);
	if (ip_send_skb(skb, &opts))
		NET_INC_STATS(icmp_mib, ICMP_MIB_OUTERRORS);
}

void icmp_send(struct sk_buff *skb_in, int type, int code, u32 info)
{
	const struct iphdr *iph = ip_hdr(skb_in);
	unsigned int ihl = iph->ihl * 4u, len;
	struct icmphdr h = { .type = (u8)type, .code = (u8)code };
	__be32 saddr;
	const u8 *quote = (const u8 *)iph;

	if (skb_in->pkt_type != PACKET_HOST && skb_in->pkt_type != PACKET_LOOPBACK)
		return;
	if (ntohs(iph->frag_off) & IP_OFFSET)
		return;
	if (iph->saddr == 0 || iph->saddr == htonl(INADDR_BROADCAST) ||
	    (ntohl(iph->saddr) >> 28) == 0xe || fib_local_type(iph->daddr) == RTN_BROADCAST)
		return;
	/* Bytes of the offending datagram present from its IP header. */
	len = (unsigned int)(skb_in->tail - quote);
	if (len > ntohs(iph->tot_len))
		len = ntohs(iph->tot_len);
	if (iph->protocol == IPPROTO_ICMP) {
		if (len < ihl + 1 || icmp_is_error(quote[ihl]))
			return;
	}
	if (!icmp_global_allow()) {
		NET_INC_STATS(icmp_mib, ICMP_MIB_RATELIMITGLOBAL);
		return;
	}
	if (len > ICMP_ERR_MAX_LEN - sizeof(struct iphdr) - sizeof(h))
		len = ICMP_ERR_MAX_LEN - sizeof(struct iphdr) - sizeof(h);
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		h.un.frag.mtu = htons((u16)info);
	else if (type == ICMP_PARAMETERPROB)
		h.un.gateway = htonl(info << 24);
	saddr = fib_local_type(iph->daddr) == RTN_LOCAL ? iph->daddr
						       : inet_select_addr(skb_in->dev, iph->saddr);
	icmp_push_reply(&h, quote, len, saddr, iph->saddr, (iph->tos & IPTOS_TOS_MASK) | 0xc0);
}

int icmp_err_to_errno(int type, int code, bool *fatal)
{
	static const struct {
		int err;
		bool fatal;
	} unreach[NR_ICMP_UNREACH + 1] = {
		[ICMP_NET_UNREACH] = { ENETUNREACH, false },
		[ICMP_HOST_UNREACH] = { EHOSTUNREACH, false },
		[ICMP_PROT_UNREACH] = { ENOPROTOOPT, true },
		[ICMP_PORT_UNREACH] = { ECONNREFUSED, true },
		[ICMP_FRAG_NEEDED] = { EMSGSIZE, false },
		[ICMP_SR_FAILED] = { EOPNOTSUPP, false },
		[ICMP_NET_UNKNOWN] = { ENETUNREACH, true },
		[ICMP_HOST_UNKNOWN] = { EHOSTDOWN, true },
		[ICMP_HOST_ISOLATED] = { ENONET, true },
		[ICMP_NET_ANO] = { ENETUNREACH, true },
		[ICMP_HOST_ANO] = { EHOSTUNREACH, true },
		[ICMP_NET_UNR_TOS] = { ENETUNREACH, false },
		[ICMP_HOST_UNR_TOS] = { EHOSTUNREACH, false },
		[ICMP_PKT_FILTERED] = { EHOSTUNREACH, true },
		[ICMP_PREC_VIOLATION] = { EHOSTUNREACH, true },
		[ICMP_PREC_CUTOFF] = { EHOSTUNREACH, true },
	};

	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code >= 0 && code <= NR_ICMP_UNREACH) {
			*fatal = unreach[code].fatal;
			return -unreach[code].err;
		}
		*fatal = true;
		return -EHOSTUNREACH;
	case ICMP_PARAMETERPROB:
		*fatal = true;
		return -EPROTO;
	case ICMP_TIME_EXCEEDED:
		*fatal = false;
		return -EHOSTUNREACH;
	default:
		*fatal = false;
		return 0;
	}
}

/* An error about a datagram we sent: hand the quote to its protocol. */
static void icmp_unreach(struct sk_buff *skb, const struct icmphdr *icmph)
{
	const struct iphdr *qiph;
	const struct net_protocol *prot;
	unsigned int qihl;
	u32 info = 0;

	if (!pskb_may_pull(skb, sizeof(struct iphdr)))
		return;
	qiph = (const struct iphdr *)skb->data;
	qihl = qiph->ihl * 4u;
	/* The quoted header and the first 8 bytes of its transport header (RFC 792). */
	if (qiph->version != 4 || qihl < sizeof(struct iphdr) || !pskb_may_pull(skb, qihl + 8))
		return;
	if (icmph->type == ICMP_DEST_UNREACH && icmph->code == ICMP_FRAG_NEEDED)
		info = ntohs(icmph->un.frag.mtu);
	raw_err(skb, qiph->protocol, icmph->type, icmph->code, info);
	if (qiph->protocol == IPPROTO_ICMP) {
		ping_err(skb, icmph->type, icmph->code, info);
		return;
	}
	prot = inet_get_protocol(qiph->protocol);
	if (prot && prot->err_handler)
		prot->err_handler(skb, icmph->type, icmph->code, info);
}

static int icmp_rcv(struct sk_buff *skb)
{
	struct icmphdr *icmph;

	NET_INC_STATS(icmp_mib, ICMP_MIB_INMSGS);
	if (!pskb_may_pull(skb, sizeof(*icmph)))
		goto error;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY && ip_compute_csum(skb->data, (int)skb->len)) {
		NET_INC_STATS(icmp_mib, ICMP_MIB_CSUMERRORS);
		goto error;
	}
	icmph = (struct icmphdr *)skb->data;
	NET_INC_STATS(icmp_in_type, icmph->type);
	switch (icmph->type) {
	case ICMP_ECHO:
		if (skb->pkt_type == PACKET_BROADCAST || skb->pkt_type == PACKET_MULTICAST)
			break;
		{
			struct icmphdr reply = *icmph;
			const struct iphdr *iph = ip_hdr(skb);

			reply.type = ICMP_ECHOREPLY;
			icmp_push_reply(&reply, skb->data + sizeof(*icmph),
					skb->len - (unsigned int)sizeof(*icmph), iph->daddr,
					iph->saddr, iph->tos);
		}
		break;
	case ICMP_ECHOREPLY:
		if (ping_rcv(skb))
			return NET_RX_SUCCESS;
		break;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
	case ICMP_SOURCE_QUENCH:
		skb_pull(skb, sizeof(*icmph));
		icmp_unreach(skb, icmph);
		break;
	default:
		break;
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
error:
	NET_INC_STATS(icmp_mib, ICMP_MIB_INERRORS);
	kfree_skb(skb);
	return NET_RX_DROP;
}

static const struct net_protocol icmp_protocol = {
	.handler = icmp_rcv,
};

static int icmp_init_proto(void)
{
	return inet_add_protocol(&icmp_protocol, IPPROTO_ICMP);
}
arch_initcall(icmp_init_proto);
