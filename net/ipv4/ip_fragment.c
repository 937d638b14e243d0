// SPDX-License-Identifier: MIT
/*
 * IPv4 fragmentation and reassembly (RFC 791, RFC 815).
 *
 * Out: ip_fragment() cuts a datagram larger than the route's MTU into
 * fragments whose payloads are multiples of 8 bytes, each with a copy of
 * the header (options included) and its own offset, MF and checksum. A
 * CHECKSUM_PARTIAL datagram is summed first: the device sees fragments.
 *
 * In: fragments are queued per (source, destination, ID, protocol), in
 * offset order. A datagram is rebuilt into one linear buffer when the
 * first and last fragments are in and the bytes in between are complete.
 * As Linux does for IPv4 (and RFC 5722 asks for IPv6), a fragment that
 * overlaps another is not trimmed: the whole datagram is dropped, so
 * overlapping data can never be assembled two ways; an exact duplicate is
 * only ignored. A fragment past 65535 bytes, or a last fragment that
 * disagrees with the length already known, drops the datagram too.
 *
 * Limits: the queued fragments may use ipfrag_high_thresh (4 MiB) of
 * memory; beyond it new fragments are refused (ReasmFails), as Linux does
 * since 4.17. An incomplete datagram is dropped after ipfrag_time (30 s),
 * with ICMP time exceeded (fragment reassembly) to the sender when its
 * first fragment had arrived (RFC 792).
 *
 * Locking: frag_lock guards the table and every queue; it is taken in the
 * network thread (receive and the timers). Sends happen after dropping it.
 * Lifetime: whoever marks a queue dead (the timer, completion or a bad
 * fragment) frees it, after net_timer_del() has waited out a running
 * timer, which sees it dead and leaves it alone.
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/init.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/if_ether.h>
#include "internal.h"

#define IPFRAG_HIGH_THRESH	(4 * 1024 * 1024)
#define IPFRAG_TIME_NS		(30 * NSEC_PER_SEC)
#define IPQ_HASH_SIZE		64

/* The fragment's place in its datagram, kept in skb->cb while queued. */
struct frag_cb {
	unsigned int offset, end;	/* payload bytes [offset, end) */
};
#define FRAG_CB(skb) ((struct frag_cb *)(skb)->cb)

#define IPQ_FIRST_IN	0x1
#define IPQ_LAST_IN	0x2

struct ipq {
	struct list_head node;		/* [frag_lock] */
	__be32 saddr, daddr;
	__be16 id;
	u8 protocol;
	u8 flags;			/* [frag_lock] IPQ_* */
	bool dead;			/* [frag_lock] unlinked */
	unsigned int len;		/* [frag_lock] total payload, known once LAST_IN */
	unsigned int meat;		/* [frag_lock] payload bytes queued */
	unsigned int mem;		/* [frag_lock] truesize of the queued fragments */
	struct sk_buff_head frags;	/* [frag_lock] in offset order */
	struct net_timer timer;
};

static struct list_head ipq_table[IPQ_HASH_SIZE];	/* [frag_lock] */
static DEFINE_SPINLOCK(frag_lock);
static long frag_mem;					/* [frag_lock] */
static int frag_queues;					/* [frag_lock] */

int ip_frag_seq_count(void)
{
	return READ_ONCE(frag_queues);
}

/* ---- fragmentation -------------------------------------------------------------- */

int ip_fragment(struct sk_buff *skb, unsigned int mtu, __be32 nexthop, int rt_type)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4u, left, offset = 0, chunk;
	u16 orig_off = ntohs(iph->frag_off);
	int err = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		err = -ENOMEM;
		goto out;
	}
	iph = ip_hdr(skb);
	if (mtu < hlen + 8) {
		err = -EMSGSIZE;
		goto out;
	}
	chunk = (mtu - hlen) & ~7u;
	left = skb->len - hlen;
	while (left) {
		unsigned int len = left > chunk ? chunk : left;
		struct sk_buff *frag = alloc_skb(LL_MAX_HEADER + hlen + len, GFP_ATOMIC);
		struct iphdr *fh;
		u16 fo;

		if (!frag) {
			err = -ENOBUFS;
			break;
		}
		skb_reserve(frag, LL_MAX_HEADER);
		skb_reset_network_header(frag);
		fh = skb_put_data(frag, iph, hlen);
		skb_put_data(frag, skb->data + hlen + offset, len);
		fo = (u16)(((orig_off & IP_OFFSET) + offset / 8) | (orig_off & IP_DF));
		if (left > len || (orig_off & IP_MF))
			fo |= IP_MF;
		fh->frag_off = htons(fo);
		fh->tot_len = htons((u16)(hlen + len));
		ip_send_check(fh);
		frag->dev = skb->dev;
		frag->priority = skb->priority;
		frag->mark = skb->mark;
		NET_INC_STATS(ip_mib, IPSTATS_MIB_FRAGCREATES);
		err = ip_finish_output(frag, nexthop, rt_type);
		if (err)
			break;
		offset += len;
		left -= len;
	}
out:
	NET_INC_STATS(ip_mib, err ? IPSTATS_MIB_FRAGFAILS : IPSTATS_MIB_FRAGOKS);
	kfree_skb(skb);
	return err;
}

/* ---- reassembly ----------------------------------------------------------------- */

static unsigned int ipq_hash(const struct iphdr *iph)
{
	return (iph->saddr ^ iph->daddr * 31 ^ iph->id * 0x9e37u ^ iph->protocol) % IPQ_HASH_SIZE;
}

/* Takes @q out of the table and frees its fragments into @dead; frag_lock held. */
static void ipq_kill(struct ipq *q, struct sk_buff_head *dead)
{
	if (q->dead)
		return;
	q->dead = true;
	list_del_init(&q->node);
	frag_queues--;
	frag_mem -= q->mem;
	q->mem = 0;
	skb_queue_splice_tail_init(&q->frags, dead);
}

static void ipq_expire(struct net_timer *t)
{
	struct ipq *q = t->data;
	struct sk_buff_head dead;
	struct sk_buff *first = NULL;

	skb_queue_head_init(&dead);
	spin_lock(&frag_lock);
	if (q->dead) {
		/* Completed or dropped meanwhile: its killer waits for us, then frees it. */
		spin_unlock(&frag_lock);
		return;
	}
	NET_INC_STATS(ip_mib, IPSTATS_MIB_REASMTIMEOUT);
	NET_INC_STATS(ip_mib, IPSTATS_MIB_REASMFAILS);
	if (q->flags & IPQ_FIRST_IN) {
		first = skb_peek(&q->frags);
		if (first)
			skb_get(first);
	}
	ipq_kill(q, &dead);
	spin_unlock(&frag_lock);
	if (first) {
		icmp_send(first, ICMP_TIME_EXCEEDED, ICMP_EXC_FRAGTIME, 0);
		kfree_skb(first);
	}
	__skb_queue_purge(&dead);
	/* We killed it and our timer is no longer pending: ours to free. */
	kfree(q);
}

static struct ipq *ipq_find(const struct iphdr *iph)
{
	struct ipq *q;
	unsigned int h = ipq_hash(iph);

	list_for_each_entry(q, &ipq_table[h], node)
		if (q->saddr == iph->saddr && q->daddr == iph->daddr && q->id == iph->id &&
		    q->protocol == iph->protocol)
			return q;
	if (frag_mem > IPFRAG_HIGH_THRESH)
		return NULL;
	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	if (!q)
		return NULL;
	q->saddr = iph->saddr;
	q->daddr = iph->daddr;
	q->id = iph->id;
	q->protocol = iph->protocol;
	skb_queue_head_init(&q->frags);
	net_timer_init(&q->timer, ipq_expire, q);
	list_add(&q->node, &ipq_table[h]);
	frag_queues++;
	net_timer_mod(&q->timer, ktime_get_ns() + IPFRAG_TIME_NS);
	return q;
}

/* The whole datagram from @q's fragments (complete); frag_lock held. NULL on no memory. */
static struct sk_buff *ipq_reasm(struct ipq *q)
{
	struct sk_buff *first = skb_peek(&q->frags), *frag, *skb;
	unsigned int hlen = ip_hdr(first)->ihl * 4u;
	struct iphdr *iph;

	skb = alloc_skb(LL_MAX_HEADER + hlen + q->len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_data(skb, ip_hdr(first), hlen);
	skb_queue_walk(&q->frags, frag)
		skb_put_data(skb, skb_network_header(frag) + ip_hdr(frag)->ihl * 4u,
			     FRAG_CB(frag)->end - FRAG_CB(frag)->offset);
	iph->frag_off &= htons(IP_DF);
	iph->tot_len = htons((u16)(hlen + q->len));
	ip_send_check(iph);
	skb->dev = first->dev;
	skb->pkt_type = first->pkt_type;
	skb->protocol = first->protocol;
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

struct sk_buff *ip_defrag(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int hlen = iph->ihl * 4u, offset, end;
	u16 fo = ntohs(iph->frag_off);
	struct sk_buff_head dead;
	struct sk_buff *it, *whole = NULL;
	struct ipq *q;
	bool done = false, kill = false;

	NET_INC_STATS(ip_mib, IPSTATS_MIB_REASMREQDS);
	skb_queue_head_init(&dead);
	offset = (fo & IP_OFFSET) * 8u;
	end = offset + (skb->len - hlen);
	/* Not a multiple of 8 unless last; nothing past 65535 bytes (the ping of death). */
	if (((fo & IP_MF) && (end & 7)) || end > 0xffff - hlen || end == offset)
		goto drop;
	FRAG_CB(skb)->offset = offset;
	FRAG_CB(skb)->end = end;
	skb_orphan(skb);
	spin_lock(&frag_lock);
	q = ipq_find(iph);
	if (!q) {
		spin_unlock(&frag_lock);
		goto drop;
	}
	if (!(fo & IP_MF)) {
		/* The last fragment fixes the length: it may not change, nor cut data we have. */
		if ((q->flags & IPQ_LAST_IN && end != q->len) || end < q->len)
			kill = true;
		q->flags |= IPQ_LAST_IN;
		q->len = end;
	} else if (end > q->len) {
		if (q->flags & IPQ_LAST_IN)
			kill = true;
		else
			q->len = end;
	}
	if (kill)
		goto out_kill;
	/* Find the place in offset order; any overlap but an exact duplicate kills. */
	skb_queue_walk(&q->frags, it) {
		if (FRAG_CB(it)->offset == offset && FRAG_CB(it)->end == end) {
			spin_unlock(&frag_lock);
			goto drop;	/* a duplicate */
		}
		if (offset < FRAG_CB(it)->end && end > FRAG_CB(it)->offset)
			goto out_kill;
		if (FRAG_CB(it)->offset > offset)
			break;
	}
	__skb_queue_before(&q->frags, it, skb);
	q->meat += end - offset;
	q->mem += skb->truesize;
	frag_mem += skb->truesize;
	if (!offset)
		q->flags |= IPQ_FIRST_IN;
	if (q->flags == (IPQ_FIRST_IN | IPQ_LAST_IN) && q->meat == q->len) {
		whole = ipq_reasm(q);
		done = true;
		ipq_kill(q, &dead);
	}
	spin_unlock(&frag_lock);
	if (done) {
		/* Whoever kills a queue frees it, after its timer can no longer run. */
		net_timer_del(&q->timer);
		kfree(q);
		NET_INC_STATS(ip_mib, whole ? IPSTATS_MIB_REASMOKS : IPSTATS_MIB_REASMFAILS);
	}
	__skb_queue_purge(&dead);
	return whole;
out_kill:
	NET_INC_STATS(ip_mib, IPSTATS_MIB_REASMFAILS);
	ipq_kill(q, &dead);
	spin_unlock(&frag_lock);
	net_timer_del(&q->timer);
	kfree(q);
	__skb_queue_purge(&dead);
drop:
	kfree_skb(skb);
	return NULL;
}

static int ip_fragment_init(void)
{
	for (int i = 0; i < IPQ_HASH_SIZE; i++)
		INIT_LIST_HEAD(&ipq_table[i]);
	return 0;
}
arch_initcall(ip_fragment_init);
