/* SPDX-License-Identifier: MIT */
/*
 * Packet buffers (struct sk_buff), as Linux shapes them.
 *
 * A buffer is one linear data area [head, end) with the packet in
 * [data, tail): protocols push headers into the headroom in front of data
 * on the way out (skb_push) and pull them off on the way in (skb_pull).
 * The data area ends in a struct skb_shared_info whose dataref counts the
 * sk_buffs sharing it: skb_clone() makes a second sk_buff over the same
 * bytes (TCP keeps the original on its retransmit queue and sends a
 * clone); whoever writes into a cloned buffer's headers first makes it
 * private with skb_cow_head() (copy on write). skb->users counts
 * references to the sk_buff itself (skb_get).
 *
 * Offsets of the link, network and transport headers are kept relative to
 * head, so they survive push and pull; ip_hdr(skb) and friends read them.
 *
 * Ownership: a function that takes an skb and returns nothing about it
 * consumes it (frees it or passes it on). A buffer charged to a socket
 * (skb_set_owner_r/w) holds a sock reference and its truesize in the
 * socket's rmem/wmem until it is freed.
 *
 * Queues (struct sk_buff_head) carry their own spinlock for the locked
 * helpers (irq-safe, so a driver may queue from its interrupt); the __
 * variants are for callers that hold a lock of their own.
 */
#ifndef _EXO_SKBUFF_H
#define _EXO_SKBUFF_H

#include <exo/compiler.h>
#include <exo/gfp.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/types.h>
#include <uapi/types.h>

struct iov_iter;
struct net_device;
struct sock;

/* skb->pkt_type: who the frame was for, from its link-layer destination. */
#define PACKET_HOST		0
#define PACKET_BROADCAST	1
#define PACKET_MULTICAST	2
#define PACKET_OTHERHOST	3
#define PACKET_OUTGOING		4
#define PACKET_LOOPBACK		5

/*
 * skb->ip_summed. Receive: NONE (check it in software), UNNECESSARY (the
 * device checked it), COMPLETE (skb->csum holds the sum of the packet from
 * the network header on). Transmit: NONE (the checksum is filled in),
 * PARTIAL (the device, or skb_checksum_help(), must sum from csum_start
 * and store the result at csum_start + csum_offset; the field already
 * holds the pseudo-header sum).
 */
#define CHECKSUM_NONE		0
#define CHECKSUM_UNNECESSARY	1
#define CHECKSUM_COMPLETE	2
#define CHECKSUM_PARTIAL	3

/* skb_shinfo(skb)->gso_type */
#define SKB_GSO_TCPV4		0x1
#define SKB_GSO_UDP		0x2

/* Room kept in front of a received frame so protocols can push without copying. */
#define NET_SKB_PAD		64
/* Room for Ethernet + IPv4 + TCP with options, reserved by senders. */
#define MAX_TCP_HEADER		(NET_SKB_PAD + 128)
#define MAX_HEADER		(NET_SKB_PAD + 64)

/*
 * dataref: the low bits count the sk_buffs sharing a data area, the bits from
 * SKB_DATAREF_SHIFT those of them that use only its payload (skb_header_release).
 */
#define SKB_DATAREF_SHIFT	16
#define SKB_DATAREF_MASK	((1 << SKB_DATAREF_SHIFT) - 1)

struct skb_shared_info {
	int dataref;		/* [atomic] sk_buffs sharing the data area (see above) */
	u16 gso_size;		/* TSO/GSO: payload bytes per segment, 0: not GSO */
	u16 gso_segs;
	unsigned int gso_type;	/* SKB_GSO_* */
};

struct sk_buff {
	struct sk_buff *next, *prev;	/* in a sk_buff_head; NULL when on none */
	struct sock *sk;		/* owner, charged with truesize (see skb_set_owner_*) */
	struct net_device *dev;		/* arrived on / leaves through */
	u64 tstamp;			/* ns, CLOCK_MONOTONIC; 0: not stamped */
	/* Per-layer scratch space: the layer that holds the skb owns it (TCP_SKB_CB, IPCB). */
	char cb[48] __aligned(8);

	unsigned int len;		/* bytes in [data, tail) */
	unsigned int truesize;		/* memory charged: sk_buff + data area */
	int users;			/* [atomic] references to this sk_buff */
	__be16 protocol;		/* ETH_P_* of the network layer, network order */
	u8 pkt_type;			/* PACKET_* */
	u8 ip_summed;			/* CHECKSUM_* */
	u8 cloned;			/* the data area may be shared (see skb_cloned) */
	u8 nohdr;			/* uses only the payload (skb_header_release) */
	u16 mac_header;			/* offsets from head; ~0: unset */
	u16 network_header;
	u16 transport_header;
	u16 csum_start;			/* CHECKSUM_PARTIAL: offset from head */
	u16 csum_offset;		/* CHECKSUM_PARTIAL: from csum_start */
	__wsum csum;			/* CHECKSUM_COMPLETE */
	u32 priority;
	u32 mark;
	void (*destructor)(struct sk_buff *skb);

	unsigned char *head, *data, *tail, *end;	/* end: where skb_shared_info starts */
};

struct sk_buff_head {
	struct sk_buff *next, *prev;	/* the queue is a ring through this head */
	u32 qlen;
	struct spinlock lock;
};

#define SKB_HEADER_UNSET 0xffffU

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)skb->end;
}

/* ---- allocation and lifetime --------------------------------------------- */

/* Creates the sk_buff cache (a core initcall; host tests call it). */
int skb_init(void);

/* A buffer with @size bytes of data area (all tailroom), or NULL. */
struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
/* A receive buffer for @dev: NET_SKB_PAD reserved, @len of tailroom after it. */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len);
/* Drops a reference; the last runs the destructor and frees (a drop: counted as such). */
void kfree_skb(struct sk_buff *skb);
/* The same, for a buffer that was used as intended (not a drop). */
void consume_skb(struct sk_buff *skb);
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	__atomic_fetch_add(&skb->users, 1, __ATOMIC_RELAXED);
	return skb;
}
/* A new sk_buff sharing @skb's data area (headers copied, no owner); NULL on no memory. */
struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp);
/* A private copy of header and data (no owner); NULL on no memory. */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);
/* A copy with the given head- and tailroom. */
struct sk_buff *skb_copy_expand(const struct sk_buff *skb, unsigned int headroom,
				unsigned int tailroom, gfp_t gfp);
/* Whether the data area is shared with a clone (writes need a private copy first). */
static inline bool skb_cloned(const struct sk_buff *skb)
{
	return skb->cloned &&
	       (__atomic_load_n(&skb_shinfo(skb)->dataref, __ATOMIC_ACQUIRE) & SKB_DATAREF_MASK) != 1;
}

/*
 * Whether another sk_buff may use the headroom and headers of @skb's data
 * area: sharers that called skb_header_release() do not count. skb_cow_head()
 * copies only when this is true.
 */
static inline bool skb_header_cloned(const struct sk_buff *skb)
{
	int dataref;

	if (!skb->cloned)
		return false;
	dataref = __atomic_load_n(&skb_shinfo(skb)->dataref, __ATOMIC_ACQUIRE);
	return (dataref & SKB_DATAREF_MASK) - (dataref >> SKB_DATAREF_SHIFT) != 1;
}

/*
 * @skb gives up its headroom: from now on it only reads its payload, so one
 * clone of it may push headers in place (TCP's write queue: the original is
 * never sent itself, and a second clone is a copy). Before @skb is cloned.
 */
static inline void skb_header_release(struct sk_buff *skb)
{
	skb->nohdr = 1;
	__atomic_fetch_add(&skb_shinfo(skb)->dataref, 1 << SKB_DATAREF_SHIFT, __ATOMIC_RELAXED);
}
/*
 * Reallocates the data area with @nhead more headroom and @ntail more
 * tailroom, private to @skb (the clone keeps the old one). 0 or -ENOMEM.
 */
int pskb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail, gfp_t gfp);
/* Makes the headers writable with at least @headroom in front: 0 or -ENOMEM. */
int skb_cow_head(struct sk_buff *skb, unsigned int headroom);
/* A private copy when @skb is shared (users > 1), consuming the reference; NULL on no memory. */
struct sk_buff *skb_unshare(struct sk_buff *skb, gfp_t gfp);

/* Charges @skb to @sk's receive (r) or send (w) memory; the destructor uncharges. */
void skb_set_owner_r(struct sk_buff *skb, struct sock *sk);
void skb_set_owner_w(struct sk_buff *skb, struct sock *sk);
/* Runs and clears the destructor (uncharges the owner). */
void skb_orphan(struct sk_buff *skb);

/* ---- data pointers ------------------------------------------------------- */

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->end - skb->tail);
}
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len;
}
static inline void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	skb->data += len;
	skb->tail += len;
}
/* Extends the data at the end by @len (BUG without the tailroom); returns the old tail. */
void *skb_put(struct sk_buff *skb, unsigned int len);
static inline void *skb_put_data(struct sk_buff *skb, const void *src, unsigned int len)
{
	void *p = skb_put(skb, len);

	memcpy(p, src, len);
	return p;
}
static inline void *skb_put_zero(struct sk_buff *skb, unsigned int len)
{
	void *p = skb_put(skb, len);

	memset(p, 0, len);
	return p;
}
/* Extends the data at the front by @len (BUG without the headroom); returns the new data. */
void *skb_push(struct sk_buff *skb, unsigned int len);
/* Removes @len bytes from the front; NULL (and nothing removed) when fewer are there. */
void *skb_pull(struct sk_buff *skb, unsigned int len);
/* Whether @len bytes from data are present: the check before reading a header. */
static inline bool pskb_may_pull(const struct sk_buff *skb, unsigned int len)
{
	return len <= skb->len;
}
/* Cuts the data to @len bytes (no-op when already shorter). */
void skb_trim(struct sk_buff *skb, unsigned int len);
/* Copies @len bytes at @offset from data; 0 or -EFAULT when out of range. */
int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
/* Copies @len bytes at @offset to an iov_iter; 0 or -EFAULT (short copy). */
int skb_copy_datagram_iter(const struct sk_buff *skb, int offset, struct iov_iter *to, int len);
/* Adds the one's-complement sum of @len bytes at @offset to @sum (<exo/checksum.h>). */
__wsum skb_checksum(const struct sk_buff *skb, int offset, int len, __wsum sum);
/* Completes a CHECKSUM_PARTIAL buffer in software (for a device without offload). 0 or -errno. */
int skb_checksum_help(struct sk_buff *skb);

/* ---- header offsets ------------------------------------------------------ */

#define __SKB_HEADER(name)                                                              \
	static inline unsigned char *skb_##name##_header(const struct sk_buff *skb)     \
	{                                                                               \
		return skb->head + skb->name##_header;                                   \
	}                                                                               \
	static inline void skb_reset_##name##_header(struct sk_buff *skb)               \
	{                                                                               \
		skb->name##_header = (u16)(skb->data - skb->head);                      \
	}                                                                               \
	static inline void skb_set_##name##_header(struct sk_buff *skb, int offset)     \
	{                                                                               \
		skb->name##_header = (u16)(skb->data - skb->head + offset);             \
	}                                                                               \
	static inline bool skb_##name##_header_was_set(const struct sk_buff *skb)       \
	{                                                                               \
		return skb->name##_header != SKB_HEADER_UNSET;                           \
	}
__SKB_HEADER(mac)
__SKB_HEADER(network)
__SKB_HEADER(transport)
#undef __SKB_HEADER

static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}

/* ---- queues -------------------------------------------------------------- */

static inline void skb_queue_head_init(struct sk_buff_head *list)
{
	spin_lock_init(&list->lock);
	list->next = list->prev = (struct sk_buff *)list;
	list->qlen = 0;
}
static inline bool skb_queue_empty(const struct sk_buff_head *list)
{
	return list->next == (const struct sk_buff *)list;
}
static inline u32 skb_queue_len(const struct sk_buff_head *list)
{
	return list->qlen;
}
static inline struct sk_buff *skb_peek(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->next;

	return skb == (const struct sk_buff *)list ? NULL : skb;
}
static inline struct sk_buff *skb_peek_tail(const struct sk_buff_head *list)
{
	struct sk_buff *skb = list->prev;

	return skb == (const struct sk_buff *)list ? NULL : skb;
}
/* The buffer after @skb on @list, or NULL at the end. */
static inline struct sk_buff *skb_peek_next(const struct sk_buff *skb, const struct sk_buff_head *list)
{
	struct sk_buff *next = skb->next;

	return next == (const struct sk_buff *)list ? NULL : next;
}
/* Inserts @newsk between @prev and @next (lock held). */
static inline void __skb_insert(struct sk_buff *newsk, struct sk_buff *prev, struct sk_buff *next,
				struct sk_buff_head *list)
{
	newsk->next = next;
	newsk->prev = prev;
	next->prev = newsk;
	prev->next = newsk;
	list->qlen++;
}
static inline void __skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, list->prev, (struct sk_buff *)list, list);
}
static inline void __skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	__skb_insert(newsk, (struct sk_buff *)list, list->next, list);
}
/* Inserts @newsk after @old (which is on @list). */
static inline void __skb_queue_after(struct sk_buff_head *list, struct sk_buff *old,
				     struct sk_buff *newsk)
{
	__skb_insert(newsk, old, old->next, list);
}
static inline void __skb_queue_before(struct sk_buff_head *list, struct sk_buff *next,
				      struct sk_buff *newsk)
{
	__skb_insert(newsk, next->prev, next, list);
}
static inline void __skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	list->qlen--;
	skb->next->prev = skb->prev;
	skb->prev->next = skb->next;
	skb->next = skb->prev = NULL;
}
static inline struct sk_buff *__skb_dequeue(struct sk_buff_head *list)
{
	struct sk_buff *skb = skb_peek(list);

	if (skb)
		__skb_unlink(skb, list);
	return skb;
}
/* Frees every buffer on @list (lock held or list private). */
void __skb_queue_purge(struct sk_buff_head *list);

/* Locked (irq-safe) versions. */
void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk);
void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk);
struct sk_buff *skb_dequeue(struct sk_buff_head *list);
void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list);
void skb_queue_purge(struct sk_buff_head *list);
/* Moves every buffer of @list to the end of @head (both lock held / private). */
void skb_queue_splice_tail_init(struct sk_buff_head *list, struct sk_buff_head *head);

#define skb_queue_walk(queue, skb) \
	for (skb = (queue)->next; skb != (struct sk_buff *)(queue); skb = skb->next)
#define skb_queue_walk_safe(queue, skb, tmp)                                  \
	for (skb = (queue)->next, tmp = skb->next; skb != (struct sk_buff *)(queue); \
	     skb = tmp, tmp = skb->next)

/* Buffers allocated and not yet freed (for leak checks: /proc/net/skbstat). */
extern long skb_in_use;

#endif /* _EXO_SKBUFF_H */
