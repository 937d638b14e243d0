// SPDX-License-Identifier: MIT
/*
 * virtio-net (virtio 1.2, section 5.1): Ethernet devices eth0, eth1, ... on
 * the one virtio core and the netdev layer (<exo/netdevice.h>).
 *
 * Queues: receive queue 2i and transmit queue 2i+1 form pair i. With
 * VIRTIO_NET_F_MQ (needs CTRL_VQ) there is one pair per CPU, at most
 * max_virtqueue_pairs and VIRTNET_MAX_PAIRS, selected with
 * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET; the control queue is then 2N (N the
 * device's maximum), else 2. Every queue has its own MSI-X vector when the
 * transport gets enough (virtio_pci_modern.c).
 *
 * Every packet, both ways, starts with the 12-byte struct
 * virtio_net_hdr_v1 (VERSION_1). Transmit puts it in skb->cb (the driver
 * owns cb while it holds the skb) and sends [header, linear data] as one
 * chain. Receive buffers are skbs: the header lands in front of the frame
 * and is pulled off. With MRG_RXBUF a packet may span num_buffers buffers,
 * which are copied into one linear skb.
 *
 * Contexts: the interrupt callbacks only schedule the pair's NAPI (and
 * disable the queue's interrupt); the poll, in the network thread, frees
 * transmitted skbs, hands received frames to the stack and refills the
 * receive ring. A refill that finds no memory retries from a net_timer.
 *
 * Nothing the device writes is trusted: used lengths and ids are checked by
 * the core (which breaks the device), and here the header (num_buffers,
 * checksum offsets, GSO type) and config fields (MAC, MTU, queue pairs).
 * A bad packet is dropped and counted; a broken device takes the link down
 * with one message and its buffers stay on the rings until remove.
 *
 * Lock order: dev->tx_lock (the core, around ndo_start_xmit) ->
 * sq->lock (irq-safe: the transmit interrupt callback takes it). The
 * receive virtqueue has no lock: only the pair's NAPI poll touches it
 * once the device is open (and the interrupt callback, only when it won
 * the NAPI scheduling, i.e. when no poll runs).
 */
#include <exo/etherdevice.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/netdevice.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include <uapi/if_ether.h>
#include <uapi/virtio_ids.h>
#include <uapi/virtio_net.h>

#define VIRTNET_MAX_PAIRS	16
#define VIRTNET_HDR_LEN		sizeof(struct virtio_net_hdr_v1)
#define VIRTNET_VLAN_HLEN	4	/* a VLAN tag the device may leave in the frame */
#define VIRTNET_MERGE_BUF	1536	/* bytes per receive buffer with MRG_RXBUF */
#define VIRTNET_MAX_PACKET	(65535 + ETH_HLEN + VIRTNET_VLAN_HLEN)	/* a GSO frame at most */
#define VIRTNET_MAX_MERGE	(DIV_ROUND_UP(VIRTNET_MAX_PACKET + VIRTNET_HDR_LEN, VIRTNET_MERGE_BUF))
#define VIRTNET_TX_DESCS	2	/* ring slots one frame needs without indirect descriptors */
#define VIRTNET_REFILL_RETRY_NS	(100 * 1000 * 1000ULL)
#define VIRTNET_CTRL_TIMEOUT_NS	(1000 * 1000 * 1000ULL)
#define VIRTNET_MIN_MTU		68	/* IPv4's minimum (RFC 791) */

struct virtnet_info;

struct virtnet_sq {
	struct virtqueue *vq;		/* [immutable after probe] */
	struct spinlock lock;		/* the virtqueue's; irq-safe */
	char name[20];			/* [immutable] "output.N" */
};

struct virtnet_rq {
	struct virtqueue *vq;		/* [immutable after probe; the NAPI poll] */
	struct napi_struct napi;	/* polls this pair: receive and transmit completion */
	struct virtnet_info *vi;	/* [immutable] */
	unsigned int pair;		/* [immutable] */
	char name[20];			/* [immutable] "output.N" */
};

/* A control command in flight: device-readable header and data, device-writable ack. */
struct virtnet_ctrl {
	struct virtio_net_ctrl_hdr hdr;
	__le16 pairs;
	u8 ack;
};

struct virtnet_info {
	struct virtio_device *vdev;	/* [immutable] */
	struct net_device *dev;		/* [immutable] */
	unsigned int max_pairs;		/* [immutable] pairs created (the device's maximum with MQ) */
	unsigned int curr_pairs;	/* [immutable after probe] pairs in use */
	unsigned int rx_len;		/* [immutable] bytes of frame a receive buffer holds */
	bool mergeable;			/* [immutable] MRG_RXBUF */
	bool guest_tso;			/* [immutable] GUEST_TSO4 negotiated */
	bool broken;			/* [atomic] the device broke a rule: link down for good */
	struct virtqueue *cvq;		/* [probe] control queue, or NULL */
	struct virtnet_ctrl *ctrl;	/* [probe] */
	struct net_timer refill;	/* retries a refill that found no memory */
	struct virtnet_sq sq[VIRTNET_MAX_PAIRS];
	struct virtnet_rq rq[VIRTNET_MAX_PAIRS];
};

static unsigned int virtnet_rx_buf_len(const struct virtnet_info *vi)
{
	return VIRTNET_HDR_LEN + (vi->mergeable ? VIRTNET_MERGE_BUF - VIRTNET_HDR_LEN : vi->rx_len);
}

/* The device broke a rule (the core logged what): the link is down for good. */
static void virtnet_fail(struct virtnet_info *vi)
{
	if (__atomic_exchange_n(&vi->broken, true, __ATOMIC_ACQ_REL))
		return;
	netif_carrier_off(vi->dev);
	pr_err("virtio_net: %s: device %s is broken: link down\n", vi->dev->name, vi->vdev->name);
}

/* ---- receive -------------------------------------------------------------- */

/*
 * Posts receive buffers until the ring is full. Returns false when an
 * allocation failed (the caller retries later: a ring the device cannot
 * fill means dropped frames, not a hang).
 */
static bool virtnet_refill(struct virtnet_rq *rq)
{
	struct virtnet_info *vi = rq->vi;
	unsigned int len = virtnet_rx_buf_len(vi);
	bool ok = true, added = false;

	while (rq->vq->num_free > 0) {
		struct sk_buff *skb = netdev_alloc_skb(vi->dev, len);
		struct virtio_sg sg;
		int err;

		if (!skb) {
			ok = false;
			break;
		}
		virtio_sg_init(&sg, skb->data, len);
		err = virtqueue_add_inbuf(rq->vq, &sg, 1, skb, GFP_ATOMIC);
		if (err) {
			kfree_skb(skb);
			break;	/* -ENOSPC: full; -EIO: broken */
		}
		added = true;
	}
	if (added)
		virtqueue_kick(rq->vq);
	return ok;
}

static void virtnet_refill_timer(struct net_timer *t)
{
	struct virtnet_info *vi = t->data;

	/* The polls refill: they own the receive rings. */
	for (unsigned int i = 0; i < vi->curr_pairs; i++)
		napi_schedule(&vi->rq[i].napi);
}

static void virtnet_rx_error(struct virtnet_info *vi, struct sk_buff *skb, u64 *counter)
{
	vi->dev->stats.rx_errors++;
	if (counter)
		(*counter)++;
	kfree_skb(skb);
}

/*
 * Gathers the @nbuf - 1 further buffers of a mergeable packet that began in
 * @head into one linear skb. NULL (everything freed, counted) when the
 * device did not return them all or they would not fit a frame.
 */
static struct sk_buff *virtnet_merge(struct virtnet_rq *rq, struct sk_buff *head, unsigned int nbuf)
{
	struct virtnet_info *vi = rq->vi;
	struct sk_buff *skb;

	skb = netdev_alloc_skb(vi->dev, head->len + (nbuf - 1) * VIRTNET_MERGE_BUF);
	if (skb)
		skb_put_data(skb, head->data, head->len);
	kfree_skb(head);
	for (unsigned int i = 1; i < nbuf; i++) {
		unsigned int len;
		struct sk_buff *part = virtqueue_get_buf(rq->vq, &len);

		if (!part) {
			/* The rest never came: what follows will not parse as headers either. */
			pr_debug("virtio_net: %s: packet of %u buffers, only %u returned\n",
				 vi->dev->name, nbuf, i);
			vi->dev->stats.rx_length_errors++;
			vi->dev->stats.rx_errors++;
			kfree_skb(skb);
			return NULL;
		}
		if (skb && skb->len + len <= VIRTNET_MAX_PACKET)
			skb_put_data(skb, part->data, len);
		else if (skb) {
			vi->dev->stats.rx_length_errors++;
			vi->dev->stats.rx_errors++;
			kfree_skb(skb);
			skb = NULL;
		}
		kfree_skb(part);
	}
	if (!skb)
		vi->dev->stats.rx_dropped++;
	return skb;
}

/* Checks the header's offload fields and applies them to @skb: 0 or -EINVAL (drop). */
static int virtnet_rx_offloads(struct virtnet_info *vi, struct sk_buff *skb,
			       const struct virtio_net_hdr_v1 *hdr)
{
	unsigned int gso_size = virtio16_to_cpu(hdr->gso_size);

	skb->ip_summed = CHECKSUM_NONE;
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		unsigned int start = virtio16_to_cpu(hdr->csum_start);
		unsigned int off = virtio16_to_cpu(hdr->csum_offset);

		/* Partial checksum: the data is from the host and intact, its sum not filled in. */
		if (!virtio_has_feature(vi->vdev, VIRTIO_NET_F_GUEST_CSUM) ||
		    start + off + 2 > skb->len || start < ETH_HLEN)
			return -EINVAL;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	} else if (hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	switch (hdr->gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return 0;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		if (!vi->guest_tso || gso_size == 0 || skb->ip_summed != CHECKSUM_UNNECESSARY)
			return -EINVAL;
		skb_shinfo(skb)->gso_size = (u16)gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
		skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(skb->len, gso_size);
		return 0;
	}
	return -EINVAL;	/* ECN, UDP, TCPv6: never negotiated */
}

/* One used receive buffer of @len bytes (header included), checked by the core against its size. */
static void virtnet_receive_buf(struct virtnet_rq *rq, struct sk_buff *skb, unsigned int len)
{
	struct virtnet_info *vi = rq->vi;
	struct net_device *dev = vi->dev;
	struct virtio_net_hdr_v1 hdr;

	if (len < VIRTNET_HDR_LEN) {
		virtnet_rx_error(vi, skb, &dev->stats.rx_length_errors);
		return;
	}
	skb_put(skb, len);
	/* One copy of the header: the device could still write the buffer. */
	memcpy(&hdr, skb->data, sizeof(hdr));
	skb_pull(skb, VIRTNET_HDR_LEN);
	if (vi->mergeable) {
		unsigned int nbuf = virtio16_to_cpu(hdr.num_buffers);

		if (nbuf == 0 || nbuf > VIRTNET_MAX_MERGE) {
			virtnet_rx_error(vi, skb, &dev->stats.rx_length_errors);
			return;
		}
		if (nbuf > 1) {
			skb = virtnet_merge(rq, skb, nbuf);
			if (!skb)
				return;
		}
	}
	if (skb->len < ETH_HLEN) {
		virtnet_rx_error(vi, skb, &dev->stats.rx_length_errors);
		return;
	}
	if (virtnet_rx_offloads(vi, skb, &hdr)) {
		virtnet_rx_error(vi, skb, &dev->stats.rx_frame_errors);
		return;
	}
	skb->dev = dev;
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += skb->len;
	netif_receive_skb(skb);
}

static int virtnet_receive(struct virtnet_rq *rq, int budget)
{
	unsigned int len;
	int done = 0;

	while (done < budget) {
		struct sk_buff *skb = virtqueue_get_buf(rq->vq, &len);

		if (!skb)
			break;
		virtnet_receive_buf(rq, skb, len);
		done++;
	}
	return done;
}

/* ---- transmit ------------------------------------------------------------- */

/*
 * Takes the sent frames off @sq onto the list *@done, linked through
 * skb->next (freed by the caller, outside the lock).
 */
static void virtnet_tx_collect(struct virtnet_sq *sq, struct sk_buff **done)
{
	struct sk_buff *skb;
	unsigned int len;

	assert_spin_locked(&sq->lock);
	while ((skb = virtqueue_get_buf(sq->vq, &len)) != NULL) {
		skb->next = *done;
		*done = skb;
	}
}

static void virtnet_tx_free(struct sk_buff *done)
{
	while (done) {
		struct sk_buff *next = done->next;

		done->next = NULL;
		consume_skb(done);
		done = next;
	}
}

/* Frees what the device sent; wakes the transmit queue when there is room again. */
static void virtnet_tx_clean(struct virtnet_info *vi, struct virtnet_sq *sq)
{
	struct sk_buff *done = NULL;
	unsigned long flags;
	bool room;

	spin_lock_irqsave(&sq->lock, flags);
	do
		virtnet_tx_collect(sq, &done);
	while (!virtqueue_enable_cb_delayed(sq->vq) && !virtqueue_is_broken(sq->vq));
	room = sq->vq->num_free >= VIRTNET_TX_DESCS;
	spin_unlock_irqrestore(&sq->lock, flags);
	virtnet_tx_free(done);
	if (room && netif_queue_stopped(vi->dev) && !__atomic_load_n(&vi->broken, __ATOMIC_ACQUIRE))
		netif_wake_queue(vi->dev);
}

/* Fills the header for the offloads @skb asks for: 0, or -EINVAL when the device lacks them. */
static int virtnet_tx_hdr(struct virtnet_info *vi, struct sk_buff *skb,
			  struct virtio_net_hdr_v1 *hdr)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);

	memset(hdr, 0, sizeof(*hdr));
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		unsigned int start = skb->csum_start - skb_headroom(skb);

		if (!(vi->dev->features & NETIF_F_IP_CSUM) || start + skb->csum_offset + 2 > skb->len)
			return -EINVAL;
		hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		hdr->csum_start = cpu_to_virtio16((u16)start);
		hdr->csum_offset = cpu_to_virtio16(skb->csum_offset);
	}
	if (shinfo->gso_size) {
		unsigned int thoff = (unsigned int)skb_transport_offset(skb);
		const u8 *th = skb_transport_header(skb);

		if (!(vi->dev->features & NETIF_F_TSO) || shinfo->gso_type != SKB_GSO_TCPV4 ||
		    skb->ip_summed != CHECKSUM_PARTIAL || thoff + 20 > skb->len)
			return -EINVAL;
		hdr->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		hdr->gso_size = cpu_to_virtio16(shinfo->gso_size);
		/* TCP data offset, in 32-bit words, in the high nibble of byte 12. */
		hdr->hdr_len = cpu_to_virtio16((u16)(thoff + (th[12] >> 4) * 4));
	}
	return 0;
}

static netdev_tx_t virtnet_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);
	struct virtnet_sq *sq = &vi->sq[smp_processor_id() % vi->curr_pairs];
	struct virtio_net_hdr_v1 *hdr = (struct virtio_net_hdr_v1 *)skb->cb;
	struct virtio_sg sg[2];
	struct sk_buff *done = NULL;
	unsigned int len = skb->len;
	unsigned long flags;
	bool kick, stop = false, poll = false;
	int err;

	BUILD_BUG_ON(sizeof(*hdr) > sizeof(skb->cb));
	if (virtnet_tx_hdr(vi, skb, hdr)) {
		/* The core completes offloads the device lacks: this is a bug upstream. */
		dev->stats.tx_errors++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	virtio_sg_init(&sg[0], hdr, VIRTNET_HDR_LEN);
	virtio_sg_init(&sg[1], skb->data, skb->len);

	spin_lock_irqsave(&sq->lock, flags);
	virtnet_tx_collect(sq, &done);
	err = virtqueue_add_outbuf(sq->vq, sg, 2, skb, GFP_ATOMIC);
	if (err == -ENOSPC) {
		netif_stop_queue(dev);
		spin_unlock_irqrestore(&sq->lock, flags);
		virtnet_tx_free(done);
		return NETDEV_TX_BUSY;
	}
	if (err) {
		spin_unlock_irqrestore(&sq->lock, flags);
		virtnet_tx_free(done);
		dev->stats.tx_dropped++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += len;
	if (sq->vq->num_free < VIRTNET_TX_DESCS) {
		/* Full: the completion interrupt (3/4 done) wakes the queue from the poll. */
		stop = true;
		poll = !virtqueue_enable_cb_delayed(sq->vq);
	}
	kick = virtqueue_kick_prepare(sq->vq);
	spin_unlock_irqrestore(&sq->lock, flags);
	if (stop)
		netif_stop_queue(dev);
	if (kick && !virtqueue_notify(sq->vq))
		virtnet_fail(vi);
	if (poll)
		napi_schedule(&vi->rq[sq - vi->sq].napi);
	virtnet_tx_free(done);
	return NETDEV_TX_OK;
}

/* ---- interrupts and NAPI -------------------------------------------------- */

static void virtnet_rx_done(struct virtqueue *vq)
{
	struct virtnet_info *vi = vq->vdev->priv;
	struct virtnet_rq *rq = &vi->rq[vq->index / 2];

	/* Won the scheduling: no poll runs, so the queue is ours until it does. */
	if (napi_schedule(&rq->napi))
		virtqueue_disable_cb(vq);
}

static void virtnet_tx_done(struct virtqueue *vq)
{
	struct virtnet_info *vi = vq->vdev->priv;
	struct virtnet_sq *sq = &vi->sq[vq->index / 2];

	spin_lock(&sq->lock);
	virtqueue_disable_cb(vq);
	spin_unlock(&sq->lock);
	napi_schedule(&vi->rq[vq->index / 2].napi);
}

static int virtnet_poll(struct napi_struct *napi, int budget)
{
	struct virtnet_rq *rq = container_of(napi, struct virtnet_rq, napi);
	struct virtnet_info *vi = rq->vi;
	unsigned int opaque;
	int done;

	virtnet_tx_clean(vi, &vi->sq[rq->pair]);
	done = virtnet_receive(rq, budget);
	if (virtqueue_is_broken(rq->vq) || virtqueue_is_broken(vi->sq[rq->pair].vq) ||
	    virtio_device_is_broken(vi->vdev)) {
		virtnet_fail(vi);
		napi_complete_done(napi, 0);
		return 0;
	}
	if (!virtnet_refill(rq))
		net_timer_mod(&vi->refill, ktime_get_ns() + VIRTNET_REFILL_RETRY_NS);
	if (done >= budget)
		return done;
	/* Interrupts on before completing: one that comes in between finds NAPI still scheduled. */
	opaque = virtqueue_enable_cb_prepare(rq->vq);
	if (!napi_complete_done(napi, done)) {
		/* Scheduled again while we ran (the transmit interrupt, say): polled again. */
		virtqueue_disable_cb(rq->vq);
		return done;
	}
	if (virtqueue_poll(rq->vq, opaque) && napi_schedule(napi))
		virtqueue_disable_cb(rq->vq);
	return done;
}

/* ---- device up/down, config ------------------------------------------------ */

static int virtnet_open(struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);

	for (unsigned int i = 0; i < vi->curr_pairs; i++) {
		/* The poll is not running yet: the ring is ours. */
		if (!virtnet_refill(&vi->rq[i]))
			net_timer_mod(&vi->refill, ktime_get_ns() + VIRTNET_REFILL_RETRY_NS);
		napi_enable(&vi->rq[i].napi);
		/* Frames that came before the interrupt was wanted. */
		napi_schedule(&vi->rq[i].napi);
	}
	return 0;
}

static int virtnet_stop(struct net_device *dev)
{
	struct virtnet_info *vi = netdev_priv(dev);

	net_timer_del(&vi->refill);
	for (unsigned int i = 0; i < vi->curr_pairs; i++)
		napi_disable(&vi->rq[i].napi);
	return 0;
}

static const struct net_device_ops virtnet_netdev_ops = {
	.ndo_open = virtnet_open,
	.ndo_stop = virtnet_stop,
	.ndo_start_xmit = virtnet_start_xmit,
};

#define VIRTNET_CFG(field) offsetof(struct virtio_net_config, field)

/* Link state from the config status field; without VIRTIO_NET_F_STATUS the link is always up. */
static void virtnet_update_carrier(struct virtnet_info *vi)
{
	u16 status = VIRTIO_NET_S_LINK_UP;

	if (__atomic_load_n(&vi->broken, __ATOMIC_ACQUIRE))
		return;
	if (virtio_has_feature(vi->vdev, VIRTIO_NET_F_STATUS) &&
	    virtio_cread16(vi->vdev, VIRTNET_CFG(status), &status))
		return;	/* unreadable: the core broke the device */
	if (!!(status & VIRTIO_NET_S_LINK_UP) == netif_carrier_ok(vi->dev))
		return;
	if (status & VIRTIO_NET_S_LINK_UP)
		netif_carrier_on(vi->dev);
	else
		netif_carrier_off(vi->dev);
	pr_info("virtio_net: %s: link %s\n", vi->dev->name,
		(status & VIRTIO_NET_S_LINK_UP) ? "up" : "down");
}

static void virtnet_config_changed(struct virtio_device *vdev)
{
	struct virtnet_info *vi = vdev->priv;

	if (!vi)
		return;
	if (virtio_device_is_broken(vdev)) {
		virtnet_fail(vi);
		return;
	}
	virtnet_update_carrier(vi);
}

/*
 * Sends one control command and waits (bounded) for the ack: 0, -EIO when
 * the device said no, -ETIMEDOUT (device broken) when it never answered.
 */
static int virtnet_ctrl_cmd(struct virtnet_info *vi, u8 class, u8 cmd, const void *data,
			    unsigned int len)
{
	struct virtnet_ctrl *c = vi->ctrl;
	struct virtio_sg sg[3];
	unsigned int used;
	u64 deadline;
	int err;

	c->hdr.class = class;
	c->hdr.cmd = cmd;
	c->ack = VIRTIO_NET_ERR;
	memcpy(&c->pairs, data, len);
	virtio_sg_init(&sg[0], &c->hdr, sizeof(c->hdr));
	virtio_sg_init(&sg[1], &c->pairs, len);
	virtio_sg_init(&sg[2], &c->ack, sizeof(c->ack));
	err = virtqueue_add_sgs(vi->cvq, sg, 2, 1, c, GFP_KERNEL);
	if (err)
		return err;
	if (!virtqueue_kick(vi->cvq))
		return -EIO;
	deadline = ktime_get_ns() + VIRTNET_CTRL_TIMEOUT_NS;
	while (!virtqueue_get_buf(vi->cvq, &used)) {
		if (virtqueue_is_broken(vi->cvq))
			return -EIO;
		if (ktime_get_ns() > deadline) {
			virtio_break_device(vi->vdev, "control command %u.%u never completed", class, cmd);
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	if (used < 1)
		return -EIO;
	return __atomic_load_n(&c->ack, __ATOMIC_RELAXED) == VIRTIO_NET_OK ? 0 : -EIO;
}

static void virtnet_read_mac(struct virtnet_info *vi, u8 *mac)
{
	struct virtio_device *vdev = vi->vdev;

	if (virtio_has_feature(vdev, VIRTIO_NET_F_MAC) &&
	    !virtio_cread_bytes(vdev, VIRTNET_CFG(mac), mac, ETH_ALEN) && is_valid_ether_addr(mac))
		return;
	if (virtio_has_feature(vdev, VIRTIO_NET_F_MAC))
		virtio_dev_err(vdev, "MAC %02x:%02x:%02x:%02x:%02x:%02x is not a unicast address",
			       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	eth_random_addr(mac);
}

/* The MTU the device asks for, or 0 when it gives none (or nonsense). */
static unsigned int virtnet_read_mtu(struct virtio_device *vdev)
{
	u16 mtu;

	if (!virtio_has_feature(vdev, VIRTIO_NET_F_MTU) || virtio_cread16(vdev, VIRTNET_CFG(mtu), &mtu))
		return 0;
	if (mtu < VIRTNET_MIN_MTU) {
		virtio_dev_err(vdev, "mtu %u below %u ignored", mtu, VIRTNET_MIN_MTU);
		return 0;
	}
	return mtu;
}

/* The queue pairs the device has, when MQ is usable; else 1. */
static unsigned int virtnet_max_pairs(struct virtio_device *vdev)
{
	u16 n;

	if (!virtio_has_feature(vdev, VIRTIO_NET_F_MQ))
		return 1;
	if (virtio_cread16(vdev, VIRTNET_CFG(max_virtqueue_pairs), &n))
		return 0;
	return n;
}

/*
 * Before FEATURES_OK: drops the offered features this driver cannot use as
 * offered (each one's dependencies, virtio 1.2, 5.1.3.1).
 */
static int virtnet_validate(struct virtio_device *vdev)
{
	u64 f = vdev->features;
	unsigned int pairs;

#define HAS(bit) ((f >> (bit)) & 1)
#define CLEAR(bit) (f &= ~(1ULL << (bit)))
	if (!HAS(VIRTIO_NET_F_CSUM))
		CLEAR(VIRTIO_NET_F_HOST_TSO4);
	/* Large receive needs buffers it can span: mergeable ones (no 64 KiB "big" mode here). */
	if (!HAS(VIRTIO_NET_F_GUEST_CSUM) || !HAS(VIRTIO_NET_F_MRG_RXBUF))
		CLEAR(VIRTIO_NET_F_GUEST_TSO4);
	if (!HAS(VIRTIO_NET_F_CTRL_VQ))
		CLEAR(VIRTIO_NET_F_MQ);
	vdev->features = f;
	pairs = virtnet_max_pairs(vdev);
	if (HAS(VIRTIO_NET_F_MQ) &&
	    (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN || pairs > VIRTNET_MAX_PAIRS)) {
		virtio_dev_err(vdev, "max_virtqueue_pairs %u: one queue pair", pairs);
		CLEAR(VIRTIO_NET_F_MQ);
	}
	if (HAS(VIRTIO_NET_F_MTU) && virtnet_read_mtu(vdev) == 0)
		CLEAR(VIRTIO_NET_F_MTU);
#undef HAS
#undef CLEAR
	vdev->features = f;
	return 0;
}

static void virtnet_free_unused(struct virtnet_info *vi)
{
	void *buf;

	for (unsigned int i = 0; i < vi->max_pairs; i++) {
		while ((buf = virtqueue_detach_unused_buf(vi->rq[i].vq)) != NULL)
			kfree_skb(buf);
		while ((buf = virtqueue_detach_unused_buf(vi->sq[i].vq)) != NULL)
			kfree_skb(buf);
	}
}

static int virtnet_find_vqs(struct virtnet_info *vi)
{
	unsigned int nvqs = vi->max_pairs * 2 + (vi->cvq ? 1 : 0);
	struct virtqueue_info info[VIRTNET_MAX_PAIRS * 2 + 1];
	struct virtqueue *vqs[VIRTNET_MAX_PAIRS * 2 + 1];
	int err;

	for (unsigned int i = 0; i < vi->max_pairs; i++) {
		snprintf(vi->rq[i].name, sizeof(vi->rq[i].name), "input.%u", i);
		snprintf(vi->sq[i].name, sizeof(vi->sq[i].name), "output.%u", i);
		info[2 * i] = (struct virtqueue_info){ vi->rq[i].name, virtnet_rx_done };
		info[2 * i + 1] = (struct virtqueue_info){ vi->sq[i].name, virtnet_tx_done };
	}
	if (vi->cvq)
		info[nvqs - 1] = (struct virtqueue_info){ "control", NULL };
	err = virtio_find_vqs(vi->vdev, nvqs, vqs, info);
	if (err)
		return err;
	for (unsigned int i = 0; i < vi->max_pairs; i++) {
		vi->rq[i].vq = vqs[2 * i];
		vi->sq[i].vq = vqs[2 * i + 1];
	}
	if (vi->cvq)
		vi->cvq = vqs[nvqs - 1];
	return 0;
}

static int virtnet_probe(struct virtio_device *vdev)
{
	struct virtnet_info *vi;
	struct net_device *dev;
	unsigned int mtu;
	int err;

	dev = alloc_etherdev(sizeof(*vi));
	if (!dev)
		return -ENOMEM;
	vi = netdev_priv(dev);
	memset(vi, 0, sizeof(*vi));
	vi->vdev = vdev;
	vi->dev = dev;
	vdev->priv = vi;
	dev->netdev_ops = &virtnet_netdev_ops;
	vi->mergeable = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
	vi->guest_tso = virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_TSO4);
	vi->max_pairs = max(virtnet_max_pairs(vdev), 1U);
	vi->curr_pairs = min(vi->max_pairs, max(nr_cpus_online, 1U));
	net_timer_init(&vi->refill, virtnet_refill_timer, vi);
	for (unsigned int i = 0; i < vi->max_pairs; i++) {
		spin_lock_init(&vi->sq[i].lock);
		vi->rq[i].vi = vi;
		vi->rq[i].pair = i;
		netif_napi_add(dev, &vi->rq[i].napi, virtnet_poll);
	}

	mtu = virtnet_read_mtu(vdev);
	if (mtu) {
		dev->mtu = min(mtu, (unsigned int)ETH_DATA_LEN);
		dev->max_mtu = mtu;
	} else {
		dev->max_mtu = vi->mergeable ? 65535 - ETH_HLEN : ETH_DATA_LEN;
	}
	dev->min_mtu = VIRTNET_MIN_MTU;
	vi->rx_len = dev->max_mtu + ETH_HLEN + VIRTNET_VLAN_HLEN;
	virtnet_read_mac(vi, dev->dev_addr);
	if (virtio_has_feature(vdev, VIRTIO_NET_F_CSUM))
		dev->features |= NETIF_F_IP_CSUM;
	if (virtio_has_feature(vdev, VIRTIO_NET_F_HOST_TSO4))
		dev->features |= NETIF_F_TSO;
	if (virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_CSUM))
		dev->features |= NETIF_F_RXCSUM;

	err = -ENOMEM;
	if (virtio_has_feature(vdev, VIRTIO_NET_F_CTRL_VQ)) {
		vi->ctrl = kzalloc(sizeof(*vi->ctrl), GFP_KERNEL);
		if (!vi->ctrl)
			goto out_free;
		vi->cvq = (struct virtqueue *)vi->ctrl;	/* "wanted"; replaced by the queue */
	}
	err = virtnet_find_vqs(vi);
	if (err)
		goto out_free;

	/* Live before it is visible: ndo_open fills rings and may be called at once. */
	virtio_device_ready(vdev);
	if (virtio_has_feature(vdev, VIRTIO_NET_F_MQ)) {
		__le16 n = cpu_to_virtio16((u16)vi->curr_pairs);

		if (virtnet_ctrl_cmd(vi, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &n,
				     sizeof(n))) {
			virtio_dev_err(vdev, "%u queue pairs refused: one used", vi->curr_pairs);
			vi->curr_pairs = 1;
		}
	}
	if (virtio_device_is_broken(vdev)) {
		err = -EIO;
		goto out_reset;
	}
	err = register_netdev(dev);
	if (err)
		goto out_reset;
	netif_carrier_off(dev);
	virtnet_update_carrier(vi);
	pr_info("virtio_net: %s: %02x:%02x:%02x:%02x:%02x:%02x, %u queue pair%s, mtu %u%s%s%s\n",
		dev->name, dev->dev_addr[0], dev->dev_addr[1], dev->dev_addr[2], dev->dev_addr[3],
		dev->dev_addr[4], dev->dev_addr[5], vi->curr_pairs, vi->curr_pairs > 1 ? "s" : "",
		dev->mtu, vi->mergeable ? ", mergeable rx" : "",
		(dev->features & NETIF_F_IP_CSUM) ? ", tx csum" : "",
		(dev->features & NETIF_F_TSO) ? ", tso" : "");
	return 0;

out_reset:
	virtio_reset_device(vdev);
	virtnet_free_unused(vi);
	vdev->config->del_vqs(vdev);
out_free:
	kfree(vi->ctrl);
	vdev->priv = NULL;
	free_netdev(dev);
	return err;
}

static void virtnet_remove(struct virtio_device *vdev)
{
	struct virtnet_info *vi = vdev->priv;

	unregister_netdev(vi->dev);
	net_timer_del(&vi->refill);
	/* No more DMA into the buffers, then they are ours to free. */
	virtio_reset_device(vdev);
	virtnet_free_unused(vi);
	vdev->config->del_vqs(vdev);
	kfree(vi->ctrl);
	vdev->priv = NULL;
	free_netdev(vi->dev);
}

static const struct virtio_device_id virtnet_id_table[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0, 0 },
};

static const unsigned int virtnet_features[] = {
	VIRTIO_NET_F_CSUM,	VIRTIO_NET_F_GUEST_CSUM, VIRTIO_NET_F_MTU,
	VIRTIO_NET_F_MAC,	VIRTIO_NET_F_GUEST_TSO4, VIRTIO_NET_F_HOST_TSO4,
	VIRTIO_NET_F_MRG_RXBUF, VIRTIO_NET_F_STATUS,	 VIRTIO_NET_F_CTRL_VQ,
	VIRTIO_NET_F_MQ,
};

static struct virtio_driver virtio_net_driver = {
	.name = "virtio_net",
	.id_table = virtnet_id_table,
	.feature_table = virtnet_features,
	.feature_table_size = ARRAY_SIZE(virtnet_features),
	.validate = virtnet_validate,
	.probe = virtnet_probe,
	.remove = virtnet_remove,
	.config_changed = virtnet_config_changed,
};

static int virtio_net_init(void)
{
	return register_virtio_driver(&virtio_net_driver);
}
device_initcall(virtio_net_init);
