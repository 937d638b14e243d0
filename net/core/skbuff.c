// SPDX-License-Identifier: MIT
/*
 * Packet buffers: allocation, cloning, copy on write, data pointers and
 * queues (see <exo/skbuff.h> for the model).
 *
 * The sk_buff comes from its own slab cache; the data area is one kmalloc()
 * of the requested size (rounded up to the size class, which becomes
 * tailroom) plus the skb_shared_info at its end.
 */
#include <exo/checksum.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/net.h>
#include <exo/panic.h>
#include <exo/poll.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/string.h>

long skb_in_use;	/* [atomic] */

static struct kmem_cache *skbuff_cache;	/* [immutable after skb_init] */

int skb_init(void)
{
	skbuff_cache = kmem_cache_create("skbuff_head_cache", sizeof(struct sk_buff), 8, 0, NULL);
	return IS_ERR(skbuff_cache) ? PTR_ERR(skbuff_cache) : 0;
}
core_initcall(skb_init);

/* A data area for @size bytes: returns head, sets *@end where the shared info goes. */
static unsigned char *skb_alloc_data(unsigned int size, gfp_t gfp, unsigned char **end)
{
	size_t want = ALIGN((size_t)size, 8) + sizeof(struct skb_shared_info);
	unsigned char *data = kmalloc(want, gfp);
	size_t usable;

	if (!data)
		return NULL;
	/* The whole size class is ours: give the slack to the tailroom. */
	usable = ksize(data) - sizeof(struct skb_shared_info);
	usable &= ~(size_t)7;
	*end = data + usable;
	memset(*end, 0, sizeof(struct skb_shared_info));
	((struct skb_shared_info *)*end)->dataref = 1;
	return data;
}

static void skb_init_fields(struct sk_buff *skb, unsigned char *head, unsigned char *end)
{
	memset(skb, 0, sizeof(*skb));
	skb->users = 1;
	skb->head = skb->data = skb->tail = head;
	skb->end = end;
	skb->mac_header = skb->network_header = skb->transport_header = SKB_HEADER_UNSET;
	skb->truesize = (unsigned int)(sizeof(*skb) + (size_t)(end - head) +
				       sizeof(struct skb_shared_info));
}

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct kmem_cache *c = skbuff_cache;
	struct sk_buff *skb;
	unsigned char *head, *end;

	skb = kmem_cache_alloc(c, gfp);
	if (!skb)
		return NULL;
	head = skb_alloc_data(size, gfp, &end);
	if (!head) {
		kmem_cache_free(c, skb);
		return NULL;
	}
	skb_init_fields(skb, head, end);
	__atomic_fetch_add(&skb_in_use, 1, __ATOMIC_RELAXED);
	return skb;
}

struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, GFP_ATOMIC);

	if (skb) {
		skb_reserve(skb, NET_SKB_PAD);
		skb->dev = dev;
	}
	return skb;
}

static void skb_release_data(struct sk_buff *skb)
{
	int refs = skb->nohdr ? (1 << SKB_DATAREF_SHIFT) + 1 : 1;

	if (!skb->cloned ||
	    __atomic_sub_fetch(&skb_shinfo(skb)->dataref, refs, __ATOMIC_ACQ_REL) == 0)
		kfree(skb->head);
}

static void __free_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	if (__atomic_load_n(&skb->users, __ATOMIC_ACQUIRE) != 1 &&
	    __atomic_sub_fetch(&skb->users, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	BUG_ON(skb->next);
	skb_orphan(skb);
	skb_release_data(skb);
	kmem_cache_free(skbuff_cache, skb);
	__atomic_fetch_sub(&skb_in_use, 1, __ATOMIC_RELAXED);
}

void kfree_skb(struct sk_buff *skb)
{
	__free_skb(skb);
}

void consume_skb(struct sk_buff *skb)
{
	__free_skb(skb);
}

/* Copies the header fields that describe the packet (not ownership, not queue links). */
static void skb_copy_header_fields(struct sk_buff *to, const struct sk_buff *from)
{
	to->dev = from->dev;
	to->tstamp = from->tstamp;
	memcpy(to->cb, from->cb, sizeof(to->cb));
	to->protocol = from->protocol;
	to->pkt_type = from->pkt_type;
	to->ip_summed = from->ip_summed;
	to->csum_offset = from->csum_offset;
	to->csum = from->csum;
	to->priority = from->priority;
	to->mark = from->mark;
}

struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = kmem_cache_alloc(skbuff_cache, gfp);

	if (!n)
		return NULL;
	skb_init_fields(n, skb->head, skb->end);
	skb_copy_header_fields(n, skb);
	n->data = skb->data;
	n->tail = skb->tail;
	n->len = skb->len;
	n->mac_header = skb->mac_header;
	n->network_header = skb->network_header;
	n->transport_header = skb->transport_header;
	n->csum_start = skb->csum_start;
	n->truesize = sizeof(*n);
	if (!skb->cloned) {
		/* The original now shares too: both drop the data by the count. */
		skb->cloned = 1;
	}
	n->cloned = 1;
	__atomic_fetch_add(&skb_shinfo(skb)->dataref, 1, __ATOMIC_ACQ_REL);
	__atomic_fetch_add(&skb_in_use, 1, __ATOMIC_RELAXED);
	return n;
}

struct sk_buff *skb_copy_expand(const struct sk_buff *skb, unsigned int headroom,
				unsigned int tailroom, gfp_t gfp)
{
	struct sk_buff *n = alloc_skb(headroom + skb->len + tailroom, gfp);
	long shift;

	if (!n)
		return NULL;
	skb_reserve(n, headroom);
	skb_put_data(n, skb->data, skb->len);
	skb_copy_header_fields(n, skb);
	shift = (n->data - n->head) - (skb->data - skb->head);
	/* Header offsets may point before data (a pulled header): keep them relative. */
	if (skb->mac_header != SKB_HEADER_UNSET && (long)skb->mac_header + shift >= 0)
		n->mac_header = (u16)(skb->mac_header + shift);
	if (skb->network_header != SKB_HEADER_UNSET && (long)skb->network_header + shift >= 0)
		n->network_header = (u16)(skb->network_header + shift);
	if (skb->transport_header != SKB_HEADER_UNSET && (long)skb->transport_header + shift >= 0)
		n->transport_header = (u16)(skb->transport_header + shift);
	n->csum_start = (u16)(skb->csum_start + shift);
	skb_shinfo(n)->gso_size = skb_shinfo(skb)->gso_size;
	skb_shinfo(n)->gso_segs = skb_shinfo(skb)->gso_segs;
	skb_shinfo(n)->gso_type = skb_shinfo(skb)->gso_type;
	return n;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	return skb_copy_expand(skb, skb_headroom(skb), skb_tailroom(skb), gfp);
}

int pskb_expand_head(struct sk_buff *skb, unsigned int nhead, unsigned int ntail, gfp_t gfp)
{
	unsigned int old_size = (unsigned int)(skb->end - skb->head);
	unsigned char *head, *end;
	struct skb_shared_info old_info = *skb_shinfo(skb);
	long off;

	BUG_ON(__atomic_load_n(&skb->users, __ATOMIC_RELAXED) != 1);
	head = skb_alloc_data(nhead + old_size + ntail, gfp, &end);
	if (!head)
		return -ENOMEM;
	/* Keep everything from head to tail: pulled headers stay addressable. */
	memcpy(head + nhead, skb->head, (size_t)(skb->tail - skb->head));
	((struct skb_shared_info *)end)->gso_size = old_info.gso_size;
	((struct skb_shared_info *)end)->gso_segs = old_info.gso_segs;
	((struct skb_shared_info *)end)->gso_type = old_info.gso_type;
	off = (long)nhead;
	skb_release_data(skb);
	skb->truesize += (unsigned int)((end - head) - (long)old_size);
	skb->data = head + (skb->data - skb->head) + off;
	skb->tail = head + (skb->tail - skb->head) + off;
	skb->head = head;
	skb->end = end;
	if (skb->mac_header != SKB_HEADER_UNSET)
		skb->mac_header = (u16)(skb->mac_header + off);
	if (skb->network_header != SKB_HEADER_UNSET)
		skb->network_header = (u16)(skb->network_header + off);
	if (skb->transport_header != SKB_HEADER_UNSET)
		skb->transport_header = (u16)(skb->transport_header + off);
	skb->csum_start = (u16)(skb->csum_start + off);
	skb->cloned = 0;
	skb->nohdr = 0;
	return 0;
}

int skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	unsigned int have = skb_headroom(skb);

	if (have >= headroom && !skb_header_cloned(skb))
		return 0;
	return pskb_expand_head(skb, headroom > have ? ALIGN(headroom - have, 8) : 0, 0,
				GFP_ATOMIC);
}

struct sk_buff *skb_unshare(struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n;

	if (__atomic_load_n(&skb->users, __ATOMIC_ACQUIRE) == 1 && !skb_cloned(skb))
		return skb;
	n = skb_copy(skb, gfp);
	kfree_skb(skb);
	return n;
}

/* ---- socket charging ----------------------------------------------------- */

static void sock_rfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	__atomic_fetch_sub(&sk->rmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
	sock_put(sk);
}

static void sock_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	int left = __atomic_sub_fetch(&sk->wmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);

	/* Writers blocked on a full send buffer wait for half of it to drain. */
	if (left <= sk->sndbuf / 2)
		__wake_up(&sk->wq, poll_to_key(POLLOUT | POLLWRNORM | POLLWRBAND));
	sock_put(sk);
}

void skb_set_owner_r(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	sock_hold(sk);
	skb->sk = sk;
	skb->destructor = sock_rfree;
	__atomic_fetch_add(&sk->rmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
}

void skb_set_owner_w(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	sock_hold(sk);
	skb->sk = sk;
	skb->destructor = sock_wfree;
	__atomic_fetch_add(&sk->wmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
}

void skb_orphan(struct sk_buff *skb)
{
	if (skb->destructor) {
		void (*d)(struct sk_buff *) = skb->destructor;

		skb->destructor = NULL;
		d(skb);
	}
	skb->sk = NULL;
}

/* ---- data ---------------------------------------------------------------- */

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *old = skb->tail;

	BUG_ON(len > skb_tailroom(skb));
	skb->tail += len;
	skb->len += len;
	return old;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	BUG_ON(len > skb_headroom(skb));
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len) {
		skb->len = len;
		skb->tail = skb->data + len;
	}
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)offset > skb->len ||
	    (unsigned int)len > skb->len - (unsigned int)offset)
		return -EFAULT;
	memcpy(to, skb->data + offset, (size_t)len);
	return 0;
}

int skb_copy_datagram_iter(const struct sk_buff *skb, int offset, struct iov_iter *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)offset > skb->len ||
	    (unsigned int)len > skb->len - (unsigned int)offset)
		return -EFAULT;
	if (copy_to_iter(skb->data + offset, (size_t)len, to) != (size_t)len)
		return -EFAULT;
	return 0;
}

__wsum skb_checksum(const struct sk_buff *skb, int offset, int len, __wsum sum)
{
	if (offset < 0 || len < 0 || (unsigned int)offset + (unsigned int)len > skb->len)
		return sum;
	return csum_partial(skb->data + offset, len, sum);
}

int skb_checksum_help(struct sk_buff *skb)
{
	unsigned int start, field;
	__wsum sum;
	__sum16 res;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	start = (unsigned int)(skb->head + skb->csum_start - skb->data);
	field = start + skb->csum_offset;
	if (skb->head + skb->csum_start < skb->data || field + sizeof(__sum16) > skb->len)
		return -EINVAL;
	/* The field is in the transport header: a sharer that released its headers does not see it. */
	if (skb_header_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return -ENOMEM;
	start = (unsigned int)(skb->head + skb->csum_start - skb->data);
	field = start + skb->csum_offset;
	/* The field holds the pseudo-header sum: summing over it includes it. */
	sum = csum_partial(skb->data + start, (int)(skb->len - start), 0);
	res = csum_fold(sum);
	/* UDP sends an all-ones checksum for a computed zero; TCP never sees 0 here either. */
	if (res == 0)
		res = 0xffff;
	memcpy(skb->data + field, &res, sizeof(res));
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* ---- queues -------------------------------------------------------------- */

void __skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		kfree_skb(skb);
}

void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_tail(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_head(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;

	spin_lock_irqsave(&list->lock, flags);
	skb = __skb_dequeue(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&list->lock, flags);
	__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_queue_purge(struct sk_buff_head *list)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(list)))
		kfree_skb(skb);
}

void skb_queue_splice_tail_init(struct sk_buff_head *list, struct sk_buff_head *head)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(list)))
		__skb_queue_tail(head, skb);
}
