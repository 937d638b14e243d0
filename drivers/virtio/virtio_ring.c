// SPDX-License-Identifier: MIT
/*
 * Split virtqueues (virtio 1.2, 2.7): the one ring implementation every virtio
 * driver uses.
 *
 * Interface (<exo/virtio.h>): the transport creates a queue with
 * vring_create_virtqueue() and routes its interrupt to vring_interrupt(); the
 * driver adds buffers (virtqueue_add_sgs), kicks, and takes completions back
 * with virtqueue_get_buf().
 *
 * The device shares the ring memory and may be buggy or hostile, so:
 *  - the driver never reads back what it wrote to the descriptor table or an
 *    indirect table: the free list, the chain links and each chain's length
 *    live in private shadow arrays (desc_next, state);
 *  - every used-ring entry is read once into locals and checked: the id is a
 *    chain head that is in flight, the length is at most the device-writable
 *    space of that chain, and the used index moved by at most the number of
 *    chains in flight;
 *  - a violation breaks the queue (and its device): add fails with -EIO,
 *    get_buf returns NULL, kick returns false, a rate-limited line says what
 *    the device did. Nothing panics.
 *
 * Locking: none inside. The driver serializes all calls on one queue; see
 * struct virtqueue. Ordering with the device uses the virt_*() barriers.
 */
#include <asm/barrier.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include "internal.h"

/* Per chain head: what the driver needs to complete or free it. */
struct vring_desc_state {
	void *data;			/* the driver's token; NULL: not a head in flight */
	struct virtq_desc *indir;	/* indirect table, or NULL */
	u32 in_len;			/* device-writable bytes offered */
	u16 ndesc;			/* ring descriptors the chain holds */
};

struct vring_virtqueue {
	struct virtqueue vq;

	/* The shared rings, [immutable] pointers into one zeroed allocation. */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	void *ring_mem;
	unsigned int ring_order;

	bool (*notify)(struct virtqueue *vq);
	bool event;			/* VIRTIO_F_RING_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_F_RING_INDIRECT_DESC negotiated */
	bool broken;			/* [atomic] */

	u16 num;			/* ring size, a power of two */
	u16 free_head;			/* first free descriptor (desc_next links the rest) */
	u16 avail_idx_shadow;		/* the avail->idx last published */
	u16 avail_flags_shadow;		/* what avail->flags holds */
	u16 num_added;			/* buffers added since the last kick */
	u16 last_used_idx;		/* next used entry to consume */
	unsigned int in_flight;		/* chains the device holds */

	u16 *desc_next;			/* [num] private copy of the links */
	struct vring_desc_state *state;	/* [num] indexed by head */
};

#define to_vvq(_vq) container_of(_vq, struct vring_virtqueue, vq)

/* Far from any index the device can reach: used_event when callbacks are off. */
#define VRING_EVENT_FAR 0x8000

static u16 *vring_used_event(struct vring_virtqueue *vvq)
{
	return &vvq->avail->ring[vvq->num];
}

static u16 *vring_avail_event(struct vring_virtqueue *vvq)
{
	return (u16 *)&vvq->used->ring[vvq->num];
}

static void vring_vbreak(struct vring_virtqueue *vvq, const char *fmt, va_list ap)
{
	char what[128];

	vsnprintf(what, sizeof(what), fmt, ap);
	__atomic_store_n(&vvq->broken, true, __ATOMIC_RELEASE);
	virtio_break_device(vvq->vq.vdev, "queue %u (%s): %s", vvq->vq.index,
			    vvq->vq.name ? vvq->vq.name : "?", what);
}

void virtqueue_break(struct virtqueue *vq, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vring_vbreak(to_vvq(vq), fmt, ap);
	va_end(ap);
}

/* Marks the queue broken without logging: the device already said why. */
void __virtqueue_break(struct virtqueue *vq)
{
	__atomic_store_n(&to_vvq(vq)->broken, true, __ATOMIC_RELEASE);
}

bool virtqueue_is_broken(const struct virtqueue *vq)
{
	return __atomic_load_n(&to_vvq((struct virtqueue *)vq)->broken, __ATOMIC_ACQUIRE);
}

struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 struct virtio_device *vdev,
					 bool (*notify)(struct virtqueue *vq),
					 void (*callback)(struct virtqueue *vq), const char *name)
{
	struct vring_virtqueue *vvq;
	unsigned long avail_off, used_off, size;
	struct page *page;
	unsigned int i;

	if (!num || num > VIRTQ_MAX_SIZE || (num & (num - 1)) || !notify)
		return ERR_PTR(-EINVAL);

	vvq = kzalloc(sizeof(*vvq), GFP_KERNEL);
	if (!vvq)
		return ERR_PTR(-ENOMEM);
	vvq->desc_next = kcalloc(num, sizeof(*vvq->desc_next), GFP_KERNEL);
	vvq->state = kcalloc(num, sizeof(*vvq->state), GFP_KERNEL);
	if (!vvq->desc_next || !vvq->state)
		goto out_free;

	/* One physically contiguous block: descriptors, driver area, device area. */
	avail_off = VIRTQ_DESC_SIZE(num);
	used_off = ALIGN(avail_off + VIRTQ_AVAIL_SIZE(num), VIRTQ_USED_ALIGN);
	size = used_off + VIRTQ_USED_SIZE(num);
	vvq->ring_order = get_order(size);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, vvq->ring_order);
	if (!page)
		goto out_free;
	vvq->ring_mem = page_address(page);
	vvq->desc = vvq->ring_mem;
	vvq->avail = (struct virtq_avail *)((char *)vvq->ring_mem + avail_off);
	vvq->used = (struct virtq_used *)((char *)vvq->ring_mem + used_off);

	vvq->vq.callback = callback;
	vvq->vq.name = name;
	vvq->vq.vdev = vdev;
	vvq->vq.index = index;
	vvq->vq.num_free = num;
	vvq->vq.num_max = num;
	vvq->notify = notify;
	vvq->num = num;
	vvq->event = virtio_has_feature(vdev, VIRTIO_F_RING_EVENT_IDX);
	vvq->indirect = virtio_has_feature(vdev, VIRTIO_F_RING_INDIRECT_DESC);
	for (i = 0; i < num; i++)
		vvq->desc_next[i] = i + 1;	/* the last one's link is never followed */

	/* No callback: ask for no interrupts (2.7.7). */
	if (!callback) {
		vvq->avail_flags_shadow = VIRTQ_AVAIL_F_NO_INTERRUPT;
		if (vvq->event)
			WRITE_ONCE(*vring_used_event(vvq), cpu_to_virtio16(VRING_EVENT_FAR));
		else
			WRITE_ONCE(vvq->avail->flags, cpu_to_virtio16(vvq->avail_flags_shadow));
	}
	list_add_tail(&vvq->vq.list, &vdev->vqs);
	return &vvq->vq;

out_free:
	kfree(vvq->state);
	kfree(vvq->desc_next);
	kfree(vvq);
	return ERR_PTR(-ENOMEM);
}

void vring_del_virtqueue(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	unsigned int i;

	for (i = 0; i < vvq->num; i++)
		kfree(vvq->state[i].indir);
	list_del(&vq->list);
	__free_pages(virt_to_page(vvq->ring_mem), vvq->ring_order);
	kfree(vvq->state);
	kfree(vvq->desc_next);
	kfree(vvq);
}

phys_addr_t virtqueue_get_desc_addr(const struct virtqueue *vq)
{
	return virt_to_phys(to_vvq((struct virtqueue *)vq)->desc);
}

phys_addr_t virtqueue_get_avail_addr(const struct virtqueue *vq)
{
	return virt_to_phys(to_vvq((struct virtqueue *)vq)->avail);
}

phys_addr_t virtqueue_get_used_addr(const struct virtqueue *vq)
{
	return virt_to_phys(to_vvq((struct virtqueue *)vq)->used);
}

unsigned int virtqueue_get_vring_size(const struct virtqueue *vq)
{
	return to_vvq((struct virtqueue *)vq)->num;
}

static void vring_fill_desc(struct virtq_desc *d, const struct virtio_sg *sg, u16 flags, u16 next)
{
	d->addr = cpu_to_virtio64(sg->addr);
	d->len = cpu_to_virtio32(sg->len);
	d->flags = cpu_to_virtio16(flags);
	d->next = cpu_to_virtio16(next);
}

int virtqueue_add_sgs(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	unsigned int total = out_sgs + in_sgs, i, ndesc;
	struct virtq_desc *indir = NULL;
	u64 in_len = 0;
	u16 head, cur;

	if (virtqueue_is_broken(vq))
		return -EIO;
	/* 2.7.13.3.1 / 2.7.5.3.1: no chain longer than the queue, indirect or not. */
	if (!data || !total || total > vvq->num)
		return -EINVAL;
	for (i = out_sgs; i < total; i++)
		in_len += sgs[i].len;
	if (in_len > 0xffffffffu)
		return -EINVAL;

	if (vvq->indirect && total > 1 && vq->num_free) {
		indir = kmalloc(total * sizeof(*indir), gfp);
		/* Without memory the chain can still go direct. */
	}
	ndesc = indir ? 1 : total;
	if (vq->num_free < ndesc)
		return -ENOSPC;

	head = vvq->free_head;
	if (indir) {
		struct virtio_sg table = { virt_to_phys(indir), total * sizeof(*indir) };

		for (i = 0; i < total; i++)
			vring_fill_desc(&indir[i], &sgs[i],
					(i < out_sgs ? 0 : VIRTQ_DESC_F_WRITE) |
					(i + 1 < total ? VIRTQ_DESC_F_NEXT : 0), i + 1 < total ? i + 1 : 0);
		vring_fill_desc(&vvq->desc[head], &table, VIRTQ_DESC_F_INDIRECT, 0);
		vvq->free_head = vvq->desc_next[head];
	} else {
		cur = head;
		for (i = 0; i < total; i++) {
			u16 flags = i < out_sgs ? 0 : VIRTQ_DESC_F_WRITE;

			if (i + 1 < total)
				flags |= VIRTQ_DESC_F_NEXT;
			vring_fill_desc(&vvq->desc[cur], &sgs[i], flags,
					i + 1 < total ? vvq->desc_next[cur] : 0);
			cur = vvq->desc_next[cur];
		}
		vvq->free_head = cur;	/* may be num when the ring is now full */
	}
	vq->num_free -= ndesc;
	vvq->in_flight++;
	vvq->state[head] = (struct vring_desc_state){
		.data = data, .indir = indir, .in_len = (u32)in_len, .ndesc = (u16)ndesc,
	};

	/* Descriptors before the ring entry, the ring entry before the index (2.7.13). */
	vvq->avail->ring[vvq->avail_idx_shadow & (vvq->num - 1)] = cpu_to_virtio16(head);
	virt_wmb();
	vvq->avail_idx_shadow++;
	WRITE_ONCE(vvq->avail->idx, cpu_to_virtio16(vvq->avail_idx_shadow));
	vvq->num_added++;

	/* The event index comparison only works within 2^16 - 1 buffers of a kick. */
	if (unlikely(vvq->num_added == 0xffff))
		virtqueue_kick(vq);
	return 0;
}

int virtqueue_add_outbuf(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int num,
			 void *data, gfp_t gfp)
{
	return virtqueue_add_sgs(vq, sgs, num, 0, data, gfp);
}

int virtqueue_add_inbuf(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int num,
			void *data, gfp_t gfp)
{
	return virtqueue_add_sgs(vq, sgs, 0, num, data, gfp);
}

bool virtqueue_kick_prepare(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	u16 new_idx, old_idx;
	bool needs;

	/* The new index must be visible before we read the device's wish (2.7.13.4). */
	virt_mb();
	new_idx = vvq->avail_idx_shadow;
	old_idx = new_idx - vvq->num_added;
	vvq->num_added = 0;
	if (vvq->event)
		needs = vring_need_event(virtio16_to_cpu(READ_ONCE(*vring_avail_event(vvq))),
					 new_idx, old_idx);
	else
		needs = !(virtio16_to_cpu(READ_ONCE(vvq->used->flags)) & VIRTQ_USED_F_NO_NOTIFY);
	return needs;
}

bool virtqueue_notify(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);

	if (virtqueue_is_broken(vq))
		return false;
	if (!vvq->notify(vq)) {
		virtqueue_break(vq, "notification failed");
		return false;
	}
	return true;
}

bool virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq))
		return virtqueue_notify(vq);
	return !virtqueue_is_broken(vq);
}

/* Returns the chain at @head to the free list, using only private state. */
static void *detach_buf(struct vring_virtqueue *vvq, u16 head)
{
	struct vring_desc_state *st = &vvq->state[head];
	void *data = st->data;
	u16 last = head;
	unsigned int i;

	for (i = 1; i < st->ndesc; i++)
		last = vvq->desc_next[last];
	vvq->desc_next[last] = vvq->free_head;
	vvq->free_head = head;
	vvq->vq.num_free += st->ndesc;
	vvq->in_flight--;
	kfree(st->indir);
	*st = (struct vring_desc_state){ 0 };
	return data;
}

/*
 * How many used entries wait: 0 when none. An index that moved further than
 * the chains in flight breaks the queue (returns 0 then).
 */
static unsigned int vring_used_pending(struct vring_virtqueue *vvq)
{
	u16 used_idx = virtio16_to_cpu(READ_ONCE(vvq->used->idx));
	u16 pending = used_idx - vvq->last_used_idx;

	if (unlikely(pending > vvq->in_flight)) {
		virtqueue_break(&vvq->vq, "used idx jumped from %u to %u with %u buffers in flight",
				vvq->last_used_idx, used_idx, vvq->in_flight);
		return 0;
	}
	return pending;
}

void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	struct virtq_used_elem *e;
	u32 id, used_len;
	void *data;

	if (virtqueue_is_broken(vq) || !vring_used_pending(vvq))
		return NULL;
	/* Read the entry only after seeing the index that covers it. */
	virt_rmb();
	e = &vvq->used->ring[vvq->last_used_idx & (vvq->num - 1)];
	id = virtio32_to_cpu(READ_ONCE(e->id));
	used_len = virtio32_to_cpu(READ_ONCE(e->len));

	if (unlikely(id >= vvq->num)) {
		virtqueue_break(vq, "used id %u out of range (ring of %u)", id, vvq->num);
		return NULL;
	}
	if (unlikely(!vvq->state[id].data)) {
		virtqueue_break(vq, "used id %u is not a buffer in flight", id);
		return NULL;
	}
	if (unlikely(used_len > vvq->state[id].in_len)) {
		virtqueue_break(vq, "used len %u for id %u above the %u writable bytes", used_len,
				id, vvq->state[id].in_len);
		return NULL;
	}

	data = detach_buf(vvq, id);
	vvq->last_used_idx++;
	/* Ask for the next interrupt at the next entry, unless callbacks are off (2.7.10). */
	if (vvq->event && !(vvq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
		WRITE_ONCE(*vring_used_event(vvq), cpu_to_virtio16(vvq->last_used_idx));
		virt_mb();
	}
	if (len)
		*len = used_len;
	return data;
}

void *virtqueue_detach_unused_buf(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	unsigned int i;

	for (i = 0; i < vvq->num; i++) {
		if (!vvq->state[i].data)
			continue;
		/* Take it out of the avail ring too, in case the device is reused. */
		vvq->avail_idx_shadow--;
		WRITE_ONCE(vvq->avail->idx, cpu_to_virtio16(vvq->avail_idx_shadow));
		return detach_buf(vvq, i);
	}
	return NULL;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);

	if (vvq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT)
		return;
	vvq->avail_flags_shadow |= VIRTQ_AVAIL_F_NO_INTERRUPT;
	/* 2.7.7.1: with event indexes the flags stay 0; push used_event far away. */
	if (vvq->event)
		WRITE_ONCE(*vring_used_event(vvq),
			   cpu_to_virtio16((u16)(vvq->last_used_idx + VRING_EVENT_FAR)));
	else
		WRITE_ONCE(vvq->avail->flags, cpu_to_virtio16(vvq->avail_flags_shadow));
}

unsigned int virtqueue_enable_cb_prepare(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);

	if (vvq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT) {
		vvq->avail_flags_shadow &= ~VIRTQ_AVAIL_F_NO_INTERRUPT;
		if (!vvq->event)
			WRITE_ONCE(vvq->avail->flags, cpu_to_virtio16(vvq->avail_flags_shadow));
	}
	if (vvq->event)
		WRITE_ONCE(*vring_used_event(vvq), cpu_to_virtio16(vvq->last_used_idx));
	return vvq->last_used_idx;
}

bool virtqueue_poll(struct virtqueue *vq, unsigned int last_used_idx)
{
	struct vring_virtqueue *vvq = to_vvq(vq);

	if (virtqueue_is_broken(vq))
		return false;
	/* Our used_event store before the device's used->idx load (2.7.10). */
	virt_mb();
	return (u16)last_used_idx != virtio16_to_cpu(READ_ONCE(vvq->used->idx));
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	return !virtqueue_poll(vq, virtqueue_enable_cb_prepare(vq));
}

bool virtqueue_enable_cb_delayed(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);
	u16 bufs;

	if (vvq->avail_flags_shadow & VIRTQ_AVAIL_F_NO_INTERRUPT) {
		vvq->avail_flags_shadow &= ~VIRTQ_AVAIL_F_NO_INTERRUPT;
		if (!vvq->event)
			WRITE_ONCE(vvq->avail->flags, cpu_to_virtio16(vvq->avail_flags_shadow));
	}
	bufs = (u16)(vvq->avail_idx_shadow - vvq->last_used_idx) * 3 / 4;
	if (vvq->event)
		WRITE_ONCE(*vring_used_event(vvq), cpu_to_virtio16((u16)(vvq->last_used_idx + bufs)));
	virt_mb();
	if (unlikely((u16)(virtio16_to_cpu(READ_ONCE(vvq->used->idx)) - vvq->last_used_idx) >
		     bufs))
		return false;
	return true;
}

bool vring_interrupt(struct virtqueue *vq)
{
	struct vring_virtqueue *vvq = to_vvq(vq);

	if (virtqueue_is_broken(vq))
		return true;	/* ours, but nothing more will be delivered */
	/* No checks here: get_buf() validates, under the driver's serialization. */
	if (vvq->last_used_idx == virtio16_to_cpu(READ_ONCE(vvq->used->idx)))
		return false;
	if (vq->callback)
		vq->callback(vq);
	return true;
}
