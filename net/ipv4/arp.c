// SPDX-License-Identifier: MIT
/*
 * ARP (RFC 826) and the IPv4 neighbour cache for Ethernet devices.
 *
 * An entry (struct neighbour) maps a next-hop address on a device to a
 * hardware address, with Linux's states and default timers:
 *   INCOMPLETE  resolving: a broadcast request each second, 3 at most,
 *               packets waiting in its queue (ARP_UNRES_QLEN, oldest
 *               dropped); then FAILED, and the waiting packets get ICMP
 *               host unreachable.
 *   REACHABLE   confirmed by a reply within reachable time (30 s,
 *               randomized to 15-45 s), then STALE.
 *   STALE       still used, not confirmed: the first use moves it to DELAY.
 *   DELAY       5 s for upper-layer confirmation, then PROBE.
 *   PROBE       unicast requests each second, 3 at most, then FAILED.
 *   FAILED      forgotten after 60 s; a new packet starts a new
 *               resolution meanwhile, as Linux does.
 * A STALE entry unused for 60 s is removed (gc_stale_time); the table
 * holds 1024 entries at most (gc_thresh3): beyond, new neighbours are
 * refused (their packets dropped) until old ones expire.
 *
 * Requests for any of our addresses are answered (arp_ignore=0); a
 * request for us or a reply creates or updates the sender's entry; a
 * gratuitous ARP updates an existing entry. arp_announce() sends a
 * gratuitous request for an address (added, or the carrier came up).
 *
 * Locking: neigh_lock guards the table and every entry's state, address
 * and queue; it is a leaf apart from the net_timer calls (whose locks
 * nest inside it). Frames are sent after dropping it. Timers run in the
 * network thread; an entry holds a reference for its table slot.
 */
#include <exo/byteorder.h>
#include <exo/etherdevice.h>
#include <exo/init.h>
#include <exo/random.h>
#include <exo/seq_file.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/if_arp.h>
#include "internal.h"

#define NUD_INCOMPLETE	0x01
#define NUD_REACHABLE	0x02
#define NUD_STALE	0x04
#define NUD_DELAY	0x08
#define NUD_PROBE	0x10
#define NUD_FAILED	0x20
#define NUD_PERMANENT	0x80
#define NUD_VALID	(NUD_PERMANENT | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)

#define ARP_HASH_SIZE		64
#define ARP_UNRES_QLEN		101	/* Linux: unres_qlen_bytes / a full-size frame's truesize */
#define ARP_MAX_PROBES		3
#define ARP_RETRANS_NS		(1 * NSEC_PER_SEC)
#define ARP_REACHABLE_NS	(30 * NSEC_PER_SEC)
#define ARP_DELAY_NS		(5 * NSEC_PER_SEC)
#define ARP_GC_STALE_NS		(60 * NSEC_PER_SEC)
#define ARP_PKT_LEN		(sizeof(struct arphdr) + 2 * (ETH_ALEN + 4))
#define ARP_GC_THRESH3		1024	/* Linux's gc_thresh3: entries at most */

struct neighbour {
	struct list_head node;		/* [neigh_lock] in arp_table */
	__be32 ip;			/* [immutable] */
	struct net_device *dev;		/* [immutable] referenced */
	u8 ha[ETH_ALEN];		/* [neigh_lock] */
	u8 state;			/* [neigh_lock] NUD_* */
	u8 probes;			/* [neigh_lock] */
	bool dead;			/* [neigh_lock] unlinked */
	u64 confirmed;			/* [neigh_lock] last confirmation, ns */
	u64 used;			/* [neigh_lock] last use, ns */
	u64 reachable_ns;		/* [neigh_lock] this entry's randomized reachable time */
	struct sk_buff_head queue;	/* [neigh_lock] packets waiting for resolution */
	struct net_timer timer;
	int refcnt;			/* [atomic] */
};

static struct list_head arp_table[ARP_HASH_SIZE];	/* [neigh_lock] */
static DEFINE_SPINLOCK(neigh_lock);
static int arp_entries;					/* [neigh_lock] */

static unsigned int arp_hash(__be32 ip, const struct net_device *dev)
{
	return ((u32)ip * 0x9e3779b1u ^ (u32)dev->ifindex) % ARP_HASH_SIZE;
}

static void neigh_put(struct neighbour *n)
{
	if (!__atomic_sub_fetch(&n->refcnt, 1, __ATOMIC_ACQ_REL)) {
		__skb_queue_purge(&n->queue);
		dev_put(n->dev);
		kfree(n);
	}
}

/* neigh_lock held. */
static struct neighbour *neigh_find(__be32 ip, const struct net_device *dev)
{
	struct neighbour *n;

	list_for_each_entry(n, &arp_table[arp_hash(ip, dev)], node)
		if (n->ip == ip && n->dev == dev)
			return n;
	return NULL;
}

/* Unlinks @n; neigh_lock held. The caller drops the table's reference after unlocking. */
static void neigh_unlink(struct neighbour *n)
{
	list_del_init(&n->node);
	n->dead = true;
	arp_entries--;
}

/* Builds and sends an ARP packet on @dev. */
static void arp_send(int op, struct net_device *dev, __be32 sip, __be32 tip, const u8 *dest_hw,
		     const u8 *target_hw)
{
	struct sk_buff *skb = alloc_skb(LL_MAX_HEADER + ARP_PKT_LEN, GFP_ATOMIC);
	struct arphdr *arp;
	u8 *p;

	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	arp = skb_put(skb, ARP_PKT_LEN);
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons((u16)op);
	p = (u8 *)(arp + 1);
	memcpy(p, dev->dev_addr, ETH_ALEN);
	memcpy(p + ETH_ALEN, &sip, 4);
	if (target_hw)
		memcpy(p + ETH_ALEN + 4, target_hw, ETH_ALEN);
	else
		memset(p + ETH_ALEN + 4, 0, ETH_ALEN);
	memcpy(p + 2 * ETH_ALEN + 4, &tip, 4);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_ARP);
	if (dev_hard_header(skb, dev, ETH_P_ARP, dest_hw, NULL, skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}

/* A request for @n->ip: broadcast while resolving, unicast when probing. */
static void arp_solicit(struct net_device *dev, __be32 ip, const u8 *unicast_hw)
{
	arp_send(ARPOP_REQUEST, dev, inet_select_addr(dev, ip), ip, unicast_hw, NULL);
}

void arp_announce(struct net_device *dev, __be32 addr)
{
	arp_send(ARPOP_REQUEST, dev, addr, addr, NULL, NULL);
}

/* Sends @skb (IP header at data) to hardware address @ha. */
static int neigh_xmit(struct sk_buff *skb, const u8 *ha)
{
	int err = dev_hard_header(skb, skb->dev, ETH_P_IP, ha, NULL, skb->len);

	if (err < 0) {
		kfree_skb(skb);
		return err;
	}
	return dev_queue_xmit(skb);
}

static void neigh_timer(struct net_timer *t)
{
	struct neighbour *n = t->data;
	struct sk_buff_head failed;
	u64 now = ktime_get_ns();
	u8 ha[ETH_ALEN];
	bool probe = false, unicast = false;
	struct sk_buff *skb;

	skb_queue_head_init(&failed);
	spin_lock(&neigh_lock);
	if (n->dead) {
		spin_unlock(&neigh_lock);
		return;
	}
	memcpy(ha, n->ha, ETH_ALEN);
	switch (n->state) {
	case NUD_INCOMPLETE:
	case NUD_PROBE:
		if (n->probes >= ARP_MAX_PROBES) {
			n->state = NUD_FAILED;
			skb_queue_splice_tail_init(&n->queue, &failed);
			net_timer_mod(&n->timer, now + ARP_GC_STALE_NS);
		} else {
			n->probes++;
			probe = true;
			unicast = n->state == NUD_PROBE;
			net_timer_mod(&n->timer, now + ARP_RETRANS_NS);
		}
		break;
	case NUD_REACHABLE:
		if (now - n->confirmed >= n->reachable_ns) {
			n->state = NUD_STALE;
			net_timer_mod(&n->timer, now + ARP_GC_STALE_NS);
		} else {
			net_timer_mod(&n->timer, n->confirmed + n->reachable_ns);
		}
		break;
	case NUD_DELAY:
		if (now - n->confirmed < ARP_DELAY_NS) {
			n->state = NUD_REACHABLE;
			net_timer_mod(&n->timer, n->confirmed + n->reachable_ns);
		} else {
			n->state = NUD_PROBE;
			n->probes = 1;
			probe = unicast = true;
			net_timer_mod(&n->timer, now + ARP_RETRANS_NS);
		}
		break;
	case NUD_STALE:
	case NUD_FAILED:
		/* Unused for gc_stale_time: forget it. */
		if (now - n->used >= ARP_GC_STALE_NS || n->state == NUD_FAILED) {
			neigh_unlink(n);
			spin_unlock(&neigh_lock);
			neigh_put(n);
			return;
		}
		net_timer_mod(&n->timer, n->used + ARP_GC_STALE_NS);
		break;
	}
	spin_unlock(&neigh_lock);
	if (probe)
		arp_solicit(n->dev, n->ip, unicast ? ha : NULL);
	while ((skb = __skb_dequeue(&failed))) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
		kfree_skb(skb);
	}
}

static struct neighbour *neigh_create(__be32 ip, struct net_device *dev)
{
	struct neighbour *n;

	/* A flood of requests from forged senders must not grow the table without bound. */
	if (arp_entries >= ARP_GC_THRESH3)
		return NULL;
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n)
		return NULL;
	arp_entries++;
	n->ip = ip;
	n->dev = dev;
	dev_hold(dev);
	n->refcnt = 1;	/* the table's */
	n->reachable_ns = ARP_REACHABLE_NS / 2 + get_random_u64() % ARP_REACHABLE_NS;
	skb_queue_head_init(&n->queue);
	net_timer_init(&n->timer, neigh_timer, n);
	list_add(&n->node, &arp_table[arp_hash(ip, dev)]);
	return n;
}

/* Starts resolving @n from scratch; neigh_lock held. */
static void neigh_start_resolve(struct neighbour *n, u64 now)
{
	n->state = NUD_INCOMPLETE;
	n->probes = 1;
	net_timer_mod(&n->timer, now + ARP_RETRANS_NS);
}

int arp_output(struct sk_buff *skb, __be32 nexthop)
{
	struct net_device *dev = skb->dev;
	struct neighbour *n;
	u64 now = ktime_get_ns();
	u8 ha[ETH_ALEN];
	bool solicit = false;

	spin_lock(&neigh_lock);
	n = neigh_find(nexthop, dev);
	if (!n) {
		n = neigh_create(nexthop, dev);
		if (!n) {
			spin_unlock(&neigh_lock);
			kfree_skb(skb);
			return -ENOBUFS;
		}
		n->state = NUD_FAILED;
	}
	n->used = now;
	if (n->state & NUD_VALID) {
		if (n->state == NUD_STALE) {
			n->state = NUD_DELAY;
			net_timer_mod(&n->timer, now + ARP_DELAY_NS);
		}
		memcpy(ha, n->ha, ETH_ALEN);
		spin_unlock(&neigh_lock);
		return neigh_xmit(skb, ha);
	}
	if (n->state == NUD_FAILED) {
		neigh_start_resolve(n, now);
		solicit = true;
	}
	if (skb_queue_len(&n->queue) >= ARP_UNRES_QLEN) {
		struct sk_buff *old = __skb_dequeue(&n->queue);

		__atomic_fetch_add(&dev->stats.tx_dropped, 1, __ATOMIC_RELAXED);
		kfree_skb(old);
	}
	__skb_queue_tail(&n->queue, skb);
	spin_unlock(&neigh_lock);
	if (solicit)
		arp_solicit(dev, nexthop, NULL);
	return 0;
}

/*
 * What an ARP packet tells us about @sip: its hardware address @sha.
 * @confirmed: a reply to us (REACHABLE); else STALE. @create: make an entry
 * when there is none. Sends what waited for it.
 */
static void neigh_update(struct net_device *dev, __be32 sip, const u8 *sha, bool confirmed,
			 bool create)
{
	struct sk_buff_head ready;
	struct neighbour *n;
	struct sk_buff *skb;
	u64 now = ktime_get_ns();
	u8 ha[ETH_ALEN];

	skb_queue_head_init(&ready);
	spin_lock(&neigh_lock);
	n = neigh_find(sip, dev);
	if (!n && create)
		n = neigh_create(sip, dev);
	if (!n || n->state == NUD_PERMANENT) {
		spin_unlock(&neigh_lock);
		return;
	}
	if (confirmed || !(n->state & NUD_VALID) || memcmp(n->ha, sha, ETH_ALEN)) {
		bool changed = memcmp(n->ha, sha, ETH_ALEN) != 0;

		memcpy(n->ha, sha, ETH_ALEN);
		if (confirmed) {
			n->state = NUD_REACHABLE;
			n->confirmed = now;
			net_timer_mod(&n->timer, now + n->reachable_ns);
		} else if (changed || !(n->state & NUD_VALID)) {
			n->state = NUD_STALE;
			if (!n->used)
				n->used = now;
			net_timer_mod(&n->timer, now + ARP_GC_STALE_NS);
		}
	}
	n->probes = 0;
	skb_queue_splice_tail_init(&n->queue, &ready);
	memcpy(ha, n->ha, ETH_ALEN);
	spin_unlock(&neigh_lock);
	while ((skb = __skb_dequeue(&ready)))
		neigh_xmit(skb, ha);
}

int arp_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const struct arphdr *arp;
	const u8 *p, *sha;
	__be32 sip, tip;
	u16 op;
	bool for_us;

	if (skb->pkt_type == PACKET_OTHERHOST || (dev->flags & IFF_NOARP) ||
	    !pskb_may_pull(skb, ARP_PKT_LEN))
		goto drop;
	arp = (const struct arphdr *)skb->data;
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		goto drop;
	op = ntohs(arp->ar_op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY)
		goto drop;
	p = (const u8 *)(arp + 1);
	sha = p;
	memcpy(&sip, p + ETH_ALEN, 4);
	memcpy(&tip, p + 2 * ETH_ALEN + 4, 4);
	/* A sender that cannot be: multicast hardware, our own address, a non-unicast IP. */
	if (is_multicast_ether_addr(sha) || ether_addr_equal(sha, dev->dev_addr) ||
	    (ntohl(tip) >> 28) == 0xe || tip == htonl(INADDR_LOOPBACK) ||
	    (ntohl(sip) >> 28) == 0xe || sip == htonl(INADDR_BROADCAST))
		goto drop;
	for_us = tip && fib_local_type(tip) == RTN_LOCAL && (ntohl(tip) >> 24) != IN_LOOPBACKNET;
	if (op == ARPOP_REQUEST && for_us)
		/* Address probes (RFC 5227, sip 0) are answered too. */
		arp_send(ARPOP_REPLY, dev, tip, sip, sha, sha);
	if (sip)
		neigh_update(dev, sip, sha, op == ARPOP_REPLY && for_us && skb->pkt_type == PACKET_HOST,
			     for_us);
	consume_skb(skb);
	return NET_RX_SUCCESS;
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

void arp_flush_dev(struct net_device *dev)
{
	struct neighbour *n, *tmp;
	LIST_HEAD(dead);

	spin_lock(&neigh_lock);
	for (int i = 0; i < ARP_HASH_SIZE; i++)
		list_for_each_entry_safe(n, tmp, &arp_table[i], node)
			if (n->dev == dev) {
				neigh_unlink(n);
				list_add(&n->node, &dead);
			}
	spin_unlock(&neigh_lock);
	list_for_each_entry_safe(n, tmp, &dead, node) {
		list_del_init(&n->node);
		net_timer_del(&n->timer);
		neigh_put(n);
	}
}

int arp_seq_show(struct seq_file *m)
{
	struct neighbour *n;

	seq_puts(m, "IP address       HW type     Flags       HW address            Mask     Device\n");
	spin_lock(&neigh_lock);
	for (int i = 0; i < ARP_HASH_SIZE; i++)
		list_for_each_entry(n, &arp_table[i], node) {
			char ip[16], hw[18];
			const u8 *a = (const u8 *)&n->ip;
			unsigned int flags = 0;

			if (n->state & NUD_VALID)
				flags |= ATF_COM;
			if (n->state & NUD_PERMANENT)
				flags |= ATF_PERM;
			snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
			snprintf(hw, sizeof(hw), "%02x:%02x:%02x:%02x:%02x:%02x", n->ha[0], n->ha[1],
				 n->ha[2], n->ha[3], n->ha[4], n->ha[5]);
			seq_printf(m, "%-16s 0x%-10x0x%-10x%-17s     %-8s %s\n", ip, ARPHRD_ETHER,
				   flags, hw, "*", n->dev->name);
		}
	spin_unlock(&neigh_lock);
	return 0;
}

static struct packet_type arp_packet_type = {
	.type = __builtin_bswap16(ETH_P_ARP),
	.func = arp_rcv,
};

static int arp_init(void)
{
	for (int i = 0; i < ARP_HASH_SIZE; i++)
		INIT_LIST_HEAD(&arp_table[i]);
	dev_add_pack(&arp_packet_type);
	return 0;
}
arch_initcall(arp_init);
