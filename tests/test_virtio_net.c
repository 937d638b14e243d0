// SPDX-License-Identifier: MIT
/*
 * drivers/net/virtio_net.c on the host, against a simulated virtio-net
 * device on the real virtio core and ring (virtio.c, virtio_ring.c) and the
 * real packet buffers (skbuff.c): feature negotiation and config (MAC, MTU,
 * status, queue pairs through the control queue), receive with and
 * without mergeable buffers, checksum and TSO fields both ways, ring
 * refill (and its retry after an allocation failure), transmit completion
 * and flow control, link changes; and hostile devices: used lengths above
 * the buffer, bogus ids, nonsense num_buffers, checksum offsets, GSO types,
 * a packet whose buffers never come, a control queue that never answers,
 * a multicast MAC, a tiny MTU. Every case ends with no buffer leaked.
 *
 * The netdev layer (net/core/dev.c) is stood in for below: NAPI polls run
 * when the test calls ns_run(), received frames are queued for checking.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <exo/err.h>
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include <uapi/virtio_ids.h>
#include <uapi/virtio_net.h>
#include "../drivers/virtio/internal.h"
#include "test_mm.h"
#include <string.h>

/* Allocation failures on demand for the receive buffers the driver posts. */
static int rx_alloc_fail;	/* fail this many more netdev_alloc_skb() calls */
static struct sk_buff *test_netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	if (rx_alloc_fail > 0) {
		rx_alloc_fail--;
		return NULL;
	}
	return netdev_alloc_skb(dev, len);
}
#define netdev_alloc_skb test_netdev_alloc_skb

/*
 * The netdev layer the driver calls is this file's stand-in (below), named
 * ns_* so that it does not clash with the real net/core/dev.c that
 * test_inet.c links: the defines rename the driver's calls and the
 * definitions alike, the prototypes declare the renamed ones.
 */
#define alloc_etherdev ns_alloc_etherdev
#define free_netdev ns_free_netdev
#define register_netdev ns_register_netdev
#define unregister_netdev ns_unregister_netdev
#define netif_carrier_on ns_netif_carrier_on
#define netif_carrier_off ns_netif_carrier_off
#define netif_stop_queue ns_netif_stop_queue
#define netif_wake_queue ns_netif_wake_queue
#define netif_napi_add ns_netif_napi_add
#define napi_enable ns_napi_enable
#define napi_disable ns_napi_disable
#define napi_schedule ns_napi_schedule
#define napi_complete_done ns_napi_complete_done
#define netif_receive_skb ns_netif_receive_skb
#define net_timer_init ns_net_timer_init
#define net_timer_mod ns_net_timer_mod
#define net_timer_del ns_net_timer_del
#define ktime_get_ns ns_ktime_get_ns
#define eth_random_addr ns_eth_random_addr
struct net_device *alloc_etherdev(size_t priv_size);
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
void netif_stop_queue(struct net_device *dev);
void netif_wake_queue(struct net_device *dev);
void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *napi, int budget));
void napi_enable(struct napi_struct *napi);
void napi_disable(struct napi_struct *napi);
bool napi_schedule(struct napi_struct *napi);
bool napi_complete_done(struct napi_struct *napi, int work_done);
int netif_receive_skb(struct sk_buff *skb);
void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data);
void net_timer_mod(struct net_timer *t, u64 expires_ns);
bool net_timer_del(struct net_timer *t);
u64 ktime_get_ns(void);
void eth_random_addr(u8 *addr);

/* The driver under test, with its statics (virtio_net_driver). */
#include "../drivers/net/virtio_net.c"

#undef netdev_alloc_skb

#define ARENA (64 * MB)
#define F(bit) (1ULL << (bit))

/* ---- the netdev layer, stood in for -------------------------------------------------- */

#define NS_MAX_NAPI 8
static struct napi_struct *napis[NS_MAX_NAPI];
static unsigned int nr_napis, polls;
static struct sk_buff_head rxq;		/* what the driver handed to the stack */
static struct net_device *the_dev;
static unsigned int wakes, carrier_changes;
static u64 now_ns;
static u64 refill_expires;
static bool refill_armed;

struct net_device *alloc_etherdev(size_t priv_size)
{
	struct net_device *dev = calloc(1, sizeof(*dev) + priv_size);

	CHECK(dev);
	dev->priv = dev + 1;
	dev->mtu = 1500;
	dev->addr_len = 6;
	dev->hard_header_len = 14;
	dev->state = 1UL << __LINK_STATE_NOCARRIER;
	strcpy(dev->name, "eth%d");
	spin_lock_init(&dev->tx_lock);
	return dev;
}

void free_netdev(struct net_device *dev)
{
	free(dev);
}

int register_netdev(struct net_device *dev)
{
	strcpy(dev->name, "eth0");
	dev->ifindex = 2;
	the_dev = dev;
	return 0;
}

void unregister_netdev(struct net_device *dev)
{
	if (dev->flags & IFF_UP)
		dev->netdev_ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
	the_dev = NULL;
}

void netif_carrier_on(struct net_device *dev)
{
	if (__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_NOCARRIER), __ATOMIC_RELAXED) &
	    (1UL << __LINK_STATE_NOCARRIER))
		carrier_changes++;
}

void netif_carrier_off(struct net_device *dev)
{
	if (!(__atomic_fetch_or(&dev->state, 1UL << __LINK_STATE_NOCARRIER, __ATOMIC_RELAXED) &
	      (1UL << __LINK_STATE_NOCARRIER)))
		carrier_changes++;
}

void netif_stop_queue(struct net_device *dev)
{
	__atomic_fetch_or(&dev->state, 1UL << __LINK_STATE_XOFF, __ATOMIC_RELAXED);
}

void netif_wake_queue(struct net_device *dev)
{
	__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_XOFF), __ATOMIC_RELAXED);
	wakes++;
}

/*
 * NAPI as net/core/netthread.c runs it: disabled (SCHED held) until
 * napi_enable; a schedule while SCHED only notes MISSED; a poll is run again
 * only when it was queued by napi_schedule() or used its whole budget; a
 * napi_complete_done() that finds MISSED keeps SCHED, queues the instance
 * again and returns false.
 */
#define NS_MISSED 8
static bool napi_queued[NS_MAX_NAPI];

static int ns_napi_index(struct napi_struct *napi)
{
	for (unsigned int i = 0; i < nr_napis; i++)
		if (napis[i] == napi)
			return (int)i;
	CHECK(0);
	return -1;
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *napi, int budget))
{
	CHECK(nr_napis < NS_MAX_NAPI);
	napi->dev = dev;
	napi->poll = poll;
	napi->weight = NAPI_POLL_WEIGHT;
	napi->state = 1UL << NAPI_STATE_SCHED;
	napi_queued[nr_napis] = false;
	napis[nr_napis++] = napi;
}

void napi_enable(struct napi_struct *napi)
{
	napi->state = 0;
}

void napi_disable(struct napi_struct *napi)
{
	napi->state = (1UL << NAPI_STATE_SCHED) | (1UL << NAPI_STATE_DISABLE);
	napi_queued[ns_napi_index(napi)] = false;
}

bool napi_schedule(struct napi_struct *napi)
{
	if (napi->state & (1UL << NAPI_STATE_DISABLE))
		return false;
	if (napi->state & (1UL << NAPI_STATE_SCHED)) {
		napi->state |= 1UL << NS_MISSED;
		return false;
	}
	napi->state |= 1UL << NAPI_STATE_SCHED;
	napi_queued[ns_napi_index(napi)] = true;
	return true;
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	if (napi->state & (1UL << NS_MISSED)) {
		int i = ns_napi_index(napi);

		napi->state &= ~(1UL << NS_MISSED);
		CHECK(!napi_queued[i]);	/* queued twice: the list would be corrupt */
		napi_queued[i] = true;
		return false;
	}
	napi->state &= ~(1UL << NAPI_STATE_SCHED);
	return true;
}

int netif_receive_skb(struct sk_buff *skb)
{
	CHECK(skb->dev == the_dev);
	skb_queue_tail(&rxq, skb);
	return NET_RX_SUCCESS;
}

void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
}

void net_timer_mod(struct net_timer *t, u64 expires_ns)
{
	refill_armed = true;
	refill_expires = expires_ns;
}

bool net_timer_del(struct net_timer *t)
{
	bool was = refill_armed;

	refill_armed = false;
	return was;
}

/* Every call advances the clock a millisecond: a wait with a deadline ends. */
u64 ktime_get_ns(void)
{
	return now_ns += 1000000;
}

/* As net/ethernet/eth.c's, from fixed "random" bytes. */
void eth_random_addr(u8 *addr)
{
	memset(addr, 0x5b, ETH_ALEN);
	addr[0] = (u8)((addr[0] & 0xfe) | 0x02);
}

/* Runs the queued NAPI polls until none is left (as the network thread would). */
static void ns_run(void)
{
	bool any;

	do {
		any = false;
		for (unsigned int i = 0; i < nr_napis; i++) {
			struct napi_struct *n = napis[i];

			if (!napi_queued[i])
				continue;
			CHECK(++polls < 100000);
			napi_queued[i] = false;
			if (n->poll(n, n->weight) >= n->weight) {
				CHECK(!napi_queued[i]);	/* put back by complete too: corrupt list */
				napi_queued[i] = true;
			}
			any = true;
		}
	} while (any);
}

/* ---- the simulated device ------------------------------------------------------------- */

#define NS_MAX_VQS (2 * 4 + 1)
#define NS_MAX_TX 512

enum ns_hostile {
	NS_OK,
	NS_LEN_OVER,		/* used len above the buffer */
	NS_BAD_ID,		/* used id out of range */
	NS_CTRL_SILENT,		/* control commands never complete */
	NS_CTRL_REFUSE,		/* control commands answered VIRTIO_NET_ERR */
};

struct nsim {
	struct virtio_device vdev;
	u8 status;
	u64 offered, accepted;
	struct virtio_net_config cfg;
	unsigned int qsize, nvqs;
	struct virtqueue *vqs[NS_MAX_VQS];
	u16 last_avail[NS_MAX_VQS], used_idx[NS_MAX_VQS];
	enum ns_hostile hostile;
	bool tx_hold;			/* do not complete transmits until ns_tx_release() */
	unsigned int rx_backlog;	/* frames waiting for a receive buffer on queue 0 */
	/* What the driver sent. */
	unsigned int ntx, tx_per_q[NS_MAX_VQS];
	struct virtio_net_hdr_v1 tx_hdr[NS_MAX_TX];
	u8 *tx_frame[NS_MAX_TX];
	unsigned int tx_len[NS_MAX_TX];
	/* Control commands seen. */
	unsigned int nctrl;
	u8 ctrl_class, ctrl_cmd;
	u16 ctrl_pairs;
};

static struct nsim *ns;
static const struct virtio_net_hdr_v1 no_hdr;

static void ns_get(struct virtio_device *v, unsigned int off, void *buf, unsigned int len)
{
	CHECK(off + len <= sizeof(ns->cfg));
	memcpy(buf, (u8 *)&ns->cfg + off, len);
}

static void ns_set(struct virtio_device *v, unsigned int off, const void *buf, unsigned int len)
{
	CHECK(0);
}

static u32 ns_generation(struct virtio_device *v)
{
	return 0;
}

static u8 ns_get_status(struct virtio_device *v)
{
	return ns->status;
}

static void ns_set_status(struct virtio_device *v, u8 status)
{
	ns->status = status;
}

static int ns_reset(struct virtio_device *v)
{
	ns->status = 0;
	memset(ns->last_avail, 0, sizeof(ns->last_avail));
	memset(ns->used_idx, 0, sizeof(ns->used_idx));
	return 0;
}

static u64 ns_get_features(struct virtio_device *v)
{
	return ns->offered;
}

static int ns_finalize(struct virtio_device *v)
{
	ns->accepted = v->features;
	return 0;
}

static void ns_service(unsigned int q);

static bool ns_notify(struct virtqueue *vq)
{
	ns_service(vq->index);
	return true;
}

static int ns_find_vqs(struct virtio_device *v, unsigned int nvqs, struct virtqueue *vqs[],
		       const struct virtqueue_info info[])
{
	CHECK(nvqs <= NS_MAX_VQS);
	for (unsigned int i = 0; i < nvqs; i++) {
		vqs[i] = vring_create_virtqueue(i, ns->qsize, v, ns_notify, info[i].callback,
						info[i].name);
		CHECK(!IS_ERR(vqs[i]));
		ns->vqs[i] = vqs[i];
	}
	ns->nvqs = nvqs;
	return 0;
}

static void ns_del_vqs(struct virtio_device *v)
{
	struct virtqueue *vq, *n;

	list_for_each_entry_safe(vq, n, &v->vqs, list)
		vring_del_virtqueue(vq);
	ns->nvqs = 0;
}

static const struct virtio_config_ops ns_ops = {
	.get = ns_get, .set = ns_set, .generation = ns_generation,
	.get_status = ns_get_status, .set_status = ns_set_status, .reset = ns_reset,
	.find_vqs = ns_find_vqs, .del_vqs = ns_del_vqs,
	.get_features = ns_get_features, .finalize_features = ns_finalize,
};

static void *ns_phys(phys_addr_t addr, unsigned long len)
{
	CHECK(addr < ARENA && len <= ARENA - addr);
	return phys_to_virt(addr);
}

static struct virtq_avail *ns_avail(unsigned int q)
{
	return ns_phys(virtqueue_get_avail_addr(ns->vqs[q]), VIRTQ_AVAIL_SIZE(ns->qsize));
}

static struct virtq_used *ns_used(unsigned int q)
{
	return ns_phys(virtqueue_get_used_addr(ns->vqs[q]), VIRTQ_USED_SIZE(ns->qsize));
}

/* The descriptors of one chain, flattened (indirect or not). */
static unsigned int ns_chain(unsigned int q, u16 head, struct virtq_desc *out)
{
	struct virtq_desc *desc = ns_phys(virtqueue_get_desc_addr(ns->vqs[q]),
					  VIRTQ_DESC_SIZE(ns->qsize));
	struct virtq_desc *d = &desc[head];
	unsigned int n = 0;

	if (d->flags & VIRTQ_DESC_F_INDIRECT) {
		struct virtq_desc *t = ns_phys(d->addr, d->len);

		for (unsigned int i = 0;; i = t[i].next) {
			CHECK(i < d->len / 16 && n < 8);
			out[n++] = t[i];
			if (!(t[i].flags & VIRTQ_DESC_F_NEXT))
				break;
		}
		return n;
	}
	for (;;) {
		CHECK(n < 8);
		out[n++] = *d;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
		d = &desc[d->next];
	}
	return n;
}

static void ns_put_used(unsigned int q, u32 id, u32 len)
{
	struct virtq_used *used = ns_used(q);

	used->ring[ns->used_idx[q] % ns->qsize].id = id;
	used->ring[ns->used_idx[q] % ns->qsize].len = len;
	ns->used_idx[q]++;
}

static void ns_publish(unsigned int q)
{
	__atomic_store_n(&ns_used(q)->idx, ns->used_idx[q], __ATOMIC_RELEASE);
	vring_interrupt(ns->vqs[q]);
}

static bool ns_is_ctrl(unsigned int q)
{
	return (ns->accepted & F(VIRTIO_NET_F_CTRL_VQ)) && q == ns->nvqs - 1;
}

/* Takes the transmitted frames of tx queue @q; completes them unless held. */
static void ns_service_tx(unsigned int q)
{
	struct virtq_avail *avail = ns_avail(q);
	struct virtq_desc chain[8];
	bool any = false;

	while (ns->last_avail[q] != READ_ONCE(avail->idx)) {
		u16 head = avail->ring[ns->last_avail[q] % ns->qsize];
		unsigned int n = ns_chain(q, head, chain), total = 0, k = ns->ntx;
		u8 *frame;

		CHECK(k < NS_MAX_TX);
		CHECK(n == 2 && chain[0].len == sizeof(struct virtio_net_hdr_v1));
		for (unsigned int i = 0; i < n; i++) {
			CHECK(!(chain[i].flags & VIRTQ_DESC_F_WRITE));
			total += chain[i].len;
		}
		memcpy(&ns->tx_hdr[k], ns_phys(chain[0].addr, chain[0].len), chain[0].len);
		frame = malloc(chain[1].len);
		memcpy(frame, ns_phys(chain[1].addr, chain[1].len), chain[1].len);
		ns->tx_frame[k] = frame;
		ns->tx_len[k] = chain[1].len;
		ns->ntx++;
		ns->tx_per_q[q]++;
		if (!ns->tx_hold) {
			ns_put_used(q, head, 0);
			any = true;
		}
		ns->last_avail[q]++;
	}
	if (any)
		ns_publish(q);
}

/* Completes the held transmits of queue @q. */
static void ns_tx_release(unsigned int q)
{
	struct virtq_avail *avail = ns_avail(q);

	u16 from = ns->used_idx[q], n = (u16)(ns->last_avail[q] - from);

	ns->tx_hold = false;
	for (u16 i = 0; i < n; i++)
		ns_put_used(q, avail->ring[(u16)(from + i) % ns->qsize], 0);
	ns_publish(q);
}

static void ns_service_ctrl(unsigned int q)
{
	struct virtq_avail *avail = ns_avail(q);
	struct virtq_desc chain[8];

	if (ns->hostile == NS_CTRL_SILENT)
		return;
	while (ns->last_avail[q] != READ_ONCE(avail->idx)) {
		u16 head = avail->ring[ns->last_avail[q] % ns->qsize];
		unsigned int n = ns_chain(q, head, chain);
		struct virtio_net_ctrl_hdr *h = ns_phys(chain[0].addr, sizeof(*h));
		u8 *ack = ns_phys(chain[n - 1].addr, 1);

		CHECK(n == 3 && chain[0].len == 2 && (chain[2].flags & VIRTQ_DESC_F_WRITE));
		ns->nctrl++;
		ns->ctrl_class = h->class;
		ns->ctrl_cmd = h->cmd;
		memcpy(&ns->ctrl_pairs, ns_phys(chain[1].addr, 2), 2);
		*ack = ns->hostile == NS_CTRL_REFUSE ? VIRTIO_NET_ERR : VIRTIO_NET_OK;
		ns_put_used(q, head, 1);
		ns->last_avail[q]++;
	}
	ns_publish(q);
}

static void ns_rx_drain(unsigned int q);

static void ns_service(unsigned int q)
{
	if (ns_is_ctrl(q))
		ns_service_ctrl(q);
	else if (q & 1)
		ns_service_tx(q);
	else
		ns_rx_drain(q);
	/* With EVENT_IDX: notify again for anything past what was taken (used->avail_event). */
	*(volatile u16 *)&ns_used(q)->ring[ns->qsize] = ns->last_avail[q];
}

/*
 * The device receives @len bytes of @frame with header @hdr on rx queue @q:
 * spread over as many posted buffers as it takes (mergeable) or one.
 * Returns the buffers used, 0 when none was posted (dropped, as a device does).
 */
static unsigned int ns_rx(unsigned int q, const struct virtio_net_hdr_v1 *hdr, const void *frame,
			  unsigned int len)
{
	struct virtq_avail *avail = ns_avail(q);
	unsigned int left = len + sizeof(*hdr), used = 0;
	u8 *all = malloc(left);
	const u8 *p = all;
	struct virtio_net_hdr_v1 *first = NULL;

	memcpy(all, hdr, sizeof(*hdr));
	memcpy(all + sizeof(*hdr), frame, len);
	while (left) {
		struct virtq_desc chain[8];
		u16 head;
		unsigned int n, chunk;
		u8 *buf;

		if (ns->last_avail[q] == READ_ONCE(avail->idx))
			break;
		head = avail->ring[ns->last_avail[q] % ns->qsize];
		n = ns_chain(q, head, chain);
		CHECK(n == 1 && (chain[0].flags & VIRTQ_DESC_F_WRITE));
		buf = ns_phys(chain[0].addr, chain[0].len);
		chunk = min(left, chain[0].len);
		if (!(ns->accepted & F(VIRTIO_NET_F_MRG_RXBUF)) && chunk < left) {
			CHECK(!used);	/* too big for one buffer: a device drops it */
			break;
		}
		memcpy(buf, p, chunk);
		if (!first)
			first = (struct virtio_net_hdr_v1 *)buf;
		p += chunk;
		left -= chunk;
		ns->last_avail[q]++;
		ns_put_used(q, ns->hostile == NS_BAD_ID ? ns->qsize + 3 : head,
			    ns->hostile == NS_LEN_OVER ? chain[0].len + 1 : chunk);
		used++;
	}
	free(all);
	/* As a device does when it takes buffers: notify me of the next ones (EVENT_IDX). */
	*(volatile u16 *)&ns_used(q)->ring[ns->qsize] = ns->last_avail[q];
	if (!used)
		return 0;
	if ((ns->accepted & F(VIRTIO_NET_F_MRG_RXBUF)) && hdr->num_buffers == 0)
		first->num_buffers = cpu_to_virtio16((u16)used);
	ns_publish(q);
	return used;
}

/* A device with frames waiting delivers one as soon as it is given a buffer. */
static void ns_rx_drain(unsigned int q)
{
	static const u8 frame[60] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56, 2, 0, 0, 0, 0, 1, 8, 0 };

	while (q == 0 && ns->rx_backlog && ns_rx(q, &no_hdr, frame, sizeof(frame)))
		ns->rx_backlog--;
}

static struct virtnet_info *ns_probe(u64 features, unsigned int qsize)
{
	static bool booted;

	/* Once per test process: skbuff.c keeps its cache across devices. */
	if (!booted) {
		test_boot(ARENA, false);
		slab_init();
		CHECK(skb_init() == 0);
		booted = true;
	}
	ns = calloc(1, sizeof(*ns));
	CHECK(ns);
	ns->qsize = qsize;
	memcpy(ns->cfg.mac, "\x52\x54\x00\x12\x34\x56", 6);
	ns->cfg.status = VIRTIO_NET_S_LINK_UP;
	ns->cfg.max_virtqueue_pairs = 4;
	ns->cfg.mtu = 1500;
	ns->offered = F(VIRTIO_F_VERSION_1) | features;
	virtio_device_init(&ns->vdev);
	strcpy(ns->vdev.name, "virtio-net-sim");
	ns->vdev.config = &ns_ops;
	ns->vdev.config_len = sizeof(ns->cfg);
	ns->vdev.id.device = VIRTIO_ID_NET;
	nr_napis = 0;
	polls = 0;
	wakes = carrier_changes = 0;
	the_dev = NULL;
	rx_alloc_fail = 0;
	refill_armed = false;
	skb_queue_head_init(&rxq);
	nr_cpus_online = 1;
	host_cpu_id = 0;
	return NULL;
}

static struct virtnet_info *ns_up(void)
{
	struct virtnet_info *vi;

	CHECK(virtio_device_probe(&ns->vdev, &virtio_net_driver) == 0);
	CHECK(the_dev);
	vi = netdev_priv(the_dev);
	CHECK(virtnet_open(the_dev) == 0);
	the_dev->flags |= IFF_UP;
	ns_run();
	return vi;
}

/* Removes the device and checks every buffer came back. */
static void ns_down(void)
{
	virtio_device_remove(&ns->vdev);
	CHECK(!the_dev);
	skb_queue_purge(&rxq);
	for (unsigned int i = 0; i < ns->ntx; i++)
		free(ns->tx_frame[i]);
	CHECK(skb_in_use == 0);
	free(ns);
	ns = NULL;
}

/* An Ethernet frame of @len bytes whose payload bytes follow from @seed. */
static void mk_frame(u8 *f, unsigned int len, unsigned int seed)
{
	memcpy(f, "\x52\x54\x00\x12\x34\x56\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	for (unsigned int i = 14; i < len; i++)
		f[i] = (u8)(i * 31 + seed);
}


#define NS_BASIC (F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS) | F(VIRTIO_NET_F_MTU) | \
		  F(VIRTIO_F_RING_EVENT_IDX) | F(VIRTIO_F_RING_INDIRECT_DESC))
#define NS_OFFLOADS (F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_GUEST_CSUM) | F(VIRTIO_NET_F_HOST_TSO4) | \
		     F(VIRTIO_NET_F_GUEST_TSO4) | F(VIRTIO_NET_F_MRG_RXBUF))

/* ---- tests ------------------------------------------------------------------------------- */

TEST(virtio_net_probe_reads_config)
{
	struct virtnet_info *vi;

	ns_probe(NS_BASIC | NS_OFFLOADS | F(VIRTIO_NET_F_GUEST_ECN), 64);
	ns->cfg.mtu = 9000;
	vi = ns_up();
	CHECK(!memcmp(the_dev->dev_addr, "\x52\x54\x00\x12\x34\x56", 6));
	CHECK(the_dev->mtu == 1500 && the_dev->max_mtu == 9000 && the_dev->min_mtu == 68);
	CHECK(netif_carrier_ok(the_dev));
	CHECK((the_dev->features & (NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_RXCSUM)) ==
	      (NETIF_F_IP_CSUM | NETIF_F_TSO | NETIF_F_RXCSUM));
	CHECK(vi->mergeable && vi->guest_tso && vi->curr_pairs == 1 && !vi->cvq);
	CHECK(!(ns->accepted & F(VIRTIO_NET_F_GUEST_ECN)));	/* not in the driver's table */
	/* The receive ring is full after open. */
	CHECK(vi->rq[0].vq->num_free == 0);
	ns_down();
}

TEST(virtio_net_feature_dependencies)
{
	struct virtnet_info *vi;

	/* TSO without checksum offload, guest TSO without mergeable buffers, MQ without a control queue. */
	ns_probe(NS_BASIC | F(VIRTIO_NET_F_HOST_TSO4) | F(VIRTIO_NET_F_GUEST_CSUM) |
		 F(VIRTIO_NET_F_GUEST_TSO4) | F(VIRTIO_NET_F_MQ), 64);
	vi = ns_up();
	CHECK(!(ns->accepted & (F(VIRTIO_NET_F_HOST_TSO4) | F(VIRTIO_NET_F_GUEST_TSO4) |
				F(VIRTIO_NET_F_MQ))));
	CHECK(!(the_dev->features & (NETIF_F_TSO | NETIF_F_IP_CSUM)) && vi->max_pairs == 1);
	CHECK(ns->nvqs == 2);
	ns_down();
}

TEST(virtio_net_receive_small_buffers_and_refill)
{
	struct virtnet_info *vi;
	u8 frame[1514];

	ns_probe(NS_BASIC, 16);
	vi = ns_up();
	CHECK(vi->rx_len == 1500 + 14 + 4);
	/* 100 frames through a 16-entry ring: the poll refills as it goes. */
	for (unsigned int i = 0; i < 100; i++) {
		unsigned int len = 60 + (i * 97) % 1455;

		mk_frame(frame, len, i);
		CHECK(ns_rx(0, &no_hdr, frame, len) == 1);
		ns_run();
		CHECK(skb_queue_len(&rxq) == 1);
		struct sk_buff *skb = skb_dequeue(&rxq);

		CHECK(skb->len == len && !memcmp(skb->data, frame, len));
		CHECK(skb->ip_summed == CHECKSUM_NONE && skb->dev == the_dev);
		CHECK(skb_headroom(skb) >= NET_SKB_PAD);
		kfree_skb(skb);
	}
	CHECK(the_dev->stats.rx_packets == 100 && the_dev->stats.rx_errors == 0);
	/* A burst that fills the whole ring. */
	for (unsigned int i = 0; i < 16; i++) {
		mk_frame(frame, 100, i);
		CHECK(ns_rx(0, &no_hdr, frame, 100) == 1);
	}
	ns_run();
	CHECK(skb_queue_len(&rxq) == 16 && vi->rq[0].vq->num_free == 0);
	/* A frame shorter than an Ethernet header is dropped and counted. */
	CHECK(ns_rx(0, &no_hdr, frame, 10) == 1);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 16 && the_dev->stats.rx_length_errors == 1);
	ns_down();
}

TEST(virtio_net_refill_retries_after_allocation_failure)
{
	struct virtnet_info *vi;
	u8 frame[200];

	ns_probe(NS_BASIC, 16);
	rx_alloc_fail = 1000;
	CHECK(virtio_device_probe(&ns->vdev, &virtio_net_driver) == 0);
	vi = netdev_priv(the_dev);
	CHECK(virtnet_open(the_dev) == 0);
	the_dev->flags |= IFF_UP;
	ns_run();
	/* No buffer could be posted: the retry timer is armed, nothing crashed. */
	CHECK(refill_armed && vi->rq[0].vq->num_free == 16);
	mk_frame(frame, sizeof(frame), 1);
	CHECK(ns_rx(0, &no_hdr, frame, sizeof(frame)) == 0);
	/* Memory is back: the timer's run fills the ring through the poll. */
	rx_alloc_fail = 0;
	refill_armed = false;
	vi->refill.fn(&vi->refill);
	ns_run();
	CHECK(vi->rq[0].vq->num_free == 0 && !refill_armed);
	CHECK(ns_rx(0, &no_hdr, frame, sizeof(frame)) == 1);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 1);
	ns_down();
}

TEST(virtio_net_mergeable_buffers_and_guest_tso)
{
	static u8 frame[20000];
	struct virtio_net_hdr_v1 h = { 0 };
	struct virtnet_info *vi;
	struct sk_buff *skb;

	ns_probe(NS_BASIC | NS_OFFLOADS, 64);
	vi = ns_up();
	/* A 20000-byte TSO frame spans 14 buffers and arrives as one skb. */
	mk_frame(frame, sizeof(frame), 7);
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h.gso_size = 1448;
	h.csum_start = 34;
	h.csum_offset = 16;
	CHECK(ns_rx(0, &h, frame, sizeof(frame)) == 14);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 1);
	skb = skb_dequeue(&rxq);
	CHECK(skb->len == sizeof(frame) && !memcmp(skb->data, frame, sizeof(frame)));
	CHECK(skb->ip_summed == CHECKSUM_UNNECESSARY);
	CHECK(skb_shinfo(skb)->gso_size == 1448 && skb_shinfo(skb)->gso_type == SKB_GSO_TCPV4);
	kfree_skb(skb);
	/* A checked frame in one buffer: not copied, marked valid. */
	h = (struct virtio_net_hdr_v1){ .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	CHECK(ns_rx(0, &h, frame, 1000) == 1);
	ns_run();
	skb = skb_dequeue(&rxq);
	CHECK(skb && skb->len == 1000 && skb->ip_summed == CHECKSUM_UNNECESSARY);
	kfree_skb(skb);
	CHECK(vi->rq[0].vq->num_free == 0 && the_dev->stats.rx_errors == 0);
	ns_down();
}

TEST(virtio_net_transmit_offload_fields_and_completion)
{
	struct sk_buff *skb;
	long before;

	ns_probe(NS_BASIC | NS_OFFLOADS, 64);
	ns_up();
	before = skb_in_use;
	/* A plain frame. */
	skb = alloc_skb(MAX_HEADER + 100, GFP_KERNEL);
	skb_reserve(skb, MAX_HEADER);
	mk_frame(skb_put(skb, 100), 100, 3);
	CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
	CHECK(ns->ntx == 1 && ns->tx_len[0] == 100 && ns->tx_hdr[0].flags == 0 &&
	      ns->tx_hdr[0].gso_type == VIRTIO_NET_HDR_GSO_NONE);
	/* A TSO frame with a partial checksum: Ethernet 14 + IP 20 + TCP 32. */
	skb = alloc_skb(MAX_HEADER + 5000, GFP_KERNEL);
	skb_reserve(skb, MAX_HEADER);
	mk_frame(skb_put(skb, 5000), 5000, 4);
	skb_set_network_header(skb, 14);
	skb_set_transport_header(skb, 34);
	skb->data[34 + 12] = 8 << 4;	/* doff 8: 32 bytes */
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + 34);
	skb->csum_offset = 16;
	skb_shinfo(skb)->gso_size = 1448;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
	CHECK(ns->ntx == 2 && ns->tx_len[1] == 5000);
	CHECK(ns->tx_hdr[1].flags == VIRTIO_NET_HDR_F_NEEDS_CSUM && ns->tx_hdr[1].csum_start == 34 &&
	      ns->tx_hdr[1].csum_offset == 16 && ns->tx_hdr[1].gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
	      ns->tx_hdr[1].gso_size == 1448 && ns->tx_hdr[1].hdr_len == 66);
	/* The completions free them from the poll. */
	ns_run();
	CHECK(skb_in_use == before);
	CHECK(the_dev->stats.tx_packets == 2 && the_dev->stats.tx_bytes == 5100);
	/* A checksum offset past the end is refused, not sent. */
	skb = alloc_skb(MAX_HEADER + 60, GFP_KERNEL);
	skb_reserve(skb, MAX_HEADER);
	mk_frame(skb_put(skb, 60), 60, 5);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + 50);
	skb->csum_offset = 16;
	CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
	CHECK(ns->ntx == 2 && the_dev->stats.tx_errors == 1 && skb_in_use == before);
	ns_down();
}

TEST(virtio_net_transmit_ring_full_stops_and_wakes)
{
	struct virtnet_info *vi;

	/* No indirect descriptors: a frame takes two of the 16 slots. */
	ns_probe(F(VIRTIO_NET_F_MAC) | F(VIRTIO_F_RING_EVENT_IDX), 16);
	vi = ns_up();
	ns->tx_hold = true;
	for (unsigned int i = 0; i < 8; i++) {
		struct sk_buff *skb = alloc_skb(MAX_HEADER + 60, GFP_KERNEL);

		skb_reserve(skb, MAX_HEADER);
		mk_frame(skb_put(skb, 60), 60, i);
		CHECK(!netif_queue_stopped(the_dev));
		CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
	}
	CHECK(netif_queue_stopped(the_dev) && vi->sq[0].vq->num_free == 0);
	/* The device completes them: the interrupt, then the poll frees and wakes. */
	ns_tx_release(1);
	ns_run();
	CHECK(!netif_queue_stopped(the_dev) && wakes == 1 && vi->sq[0].vq->num_free == 16);
	CHECK(ns->ntx == 8);
	ns_down();
}

TEST(virtio_net_link_status_follows_config_changes)
{
	ns_probe(NS_BASIC, 16);
	ns->cfg.status = 0;
	ns_up();
	CHECK(!netif_carrier_ok(the_dev));
	ns->cfg.status = VIRTIO_NET_S_LINK_UP;
	virtio_config_changed(&ns->vdev);
	CHECK(netif_carrier_ok(the_dev));
	ns->cfg.status = 0;
	virtio_config_changed(&ns->vdev);
	CHECK(!netif_carrier_ok(the_dev));
	ns_down();
	/* Without VIRTIO_NET_F_STATUS the link is up, whatever the field says. */
	ns_probe(F(VIRTIO_NET_F_MAC), 16);
	ns->cfg.status = 0;
	ns_up();
	CHECK(netif_carrier_ok(the_dev));
	ns_down();
}

TEST(virtio_net_multiqueue_one_pair_per_cpu)
{
	struct virtnet_info *vi;
	u8 frame[100];

	ns_probe(NS_BASIC | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ), 32);
	nr_cpus_online = 3;
	vi = ns_up();
	/* Queues for all 4 pairs (the control queue is at 8), 3 of them used. */
	CHECK(ns->nvqs == 9 && vi->max_pairs == 4 && vi->curr_pairs == 3);
	CHECK(ns->nctrl == 1 && ns->ctrl_class == VIRTIO_NET_CTRL_MQ &&
	      ns->ctrl_cmd == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET && ns->ctrl_pairs == 3);
	CHECK(vi->rq[2].vq->num_free == 0 && vi->rq[3].vq->num_free == 32);
	/* Each CPU sends on its own queue. */
	for (unsigned int cpu = 0; cpu < 3; cpu++) {
		struct sk_buff *skb = alloc_skb(MAX_HEADER + 60, GFP_KERNEL);

		host_cpu_id = cpu;
		skb_reserve(skb, MAX_HEADER);
		mk_frame(skb_put(skb, 60), 60, cpu);
		CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
		CHECK(ns->tx_per_q[2 * cpu + 1] == 1);
	}
	/* Each receive queue delivers. */
	for (unsigned int q = 0; q < 3; q++) {
		mk_frame(frame, sizeof(frame), q);
		CHECK(ns_rx(2 * q, &no_hdr, frame, sizeof(frame)) == 1);
	}
	ns_run();
	CHECK(skb_queue_len(&rxq) == 3);
	ns_down();

	/* A device that refuses the pair count: one pair. */
	ns_probe(NS_BASIC | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ), 32);
	nr_cpus_online = 4;
	ns->hostile = NS_CTRL_REFUSE;
	vi = ns_up();
	CHECK(vi->curr_pairs == 1 && !virtio_device_is_broken(&ns->vdev));
	ns_down();

	/* Nonsense pair counts: MQ is not used. */
	ns_probe(NS_BASIC | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ), 32);
	ns->cfg.max_virtqueue_pairs = 0x8000;
	vi = ns_up();
	CHECK(!(ns->accepted & F(VIRTIO_NET_F_MQ)) && vi->max_pairs == 1 && ns->nvqs == 3);
	ns_down();
}

TEST(virtio_net_hostile_control_queue_never_answers)
{
	ns_probe(NS_BASIC | F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ), 32);
	nr_cpus_online = 2;
	ns->hostile = NS_CTRL_SILENT;
	/* The wait is bounded: the device is broken and refused, nothing leaks. */
	CHECK(virtio_device_probe(&ns->vdev, &virtio_net_driver) != 0);
	CHECK(!the_dev && virtio_device_is_broken(&ns->vdev));
	CHECK(skb_in_use == 0);
	free(ns);
}

TEST(virtio_net_hostile_config_values)
{
	/* A multicast MAC and an MTU below IPv4's minimum are ignored. */
	ns_probe(NS_BASIC, 16);
	memcpy(ns->cfg.mac, "\x01\x00\x5e\x00\x00\x01", 6);
	ns->cfg.mtu = 20;
	ns_up();
	CHECK(!(the_dev->dev_addr[0] & 1) && (the_dev->dev_addr[0] & 2));
	CHECK(the_dev->mtu == 1500 && the_dev->max_mtu == 1500);
	CHECK(!(ns->accepted & F(VIRTIO_NET_F_MTU)));
	ns_down();
	/* All-zero MAC too. */
	ns_probe(NS_BASIC, 16);
	memset(ns->cfg.mac, 0, 6);
	ns_up();
	CHECK(the_dev->dev_addr[0] == 0x5a && the_dev->dev_addr[5] == 0x5b);
	ns_down();
}

TEST(virtio_net_hostile_headers_are_dropped)
{
	struct virtio_net_hdr_v1 h;
	struct virtnet_info *vi;
	u8 frame[3000];

	ns_probe(NS_BASIC | F(VIRTIO_NET_F_MRG_RXBUF) | F(VIRTIO_NET_F_GUEST_CSUM), 32);
	vi = ns_up();
	mk_frame(frame, sizeof(frame), 9);
	/* num_buffers 0, and far more than a frame can need. */
	h = (struct virtio_net_hdr_v1){ .num_buffers = 0xffff };
	CHECK(ns_rx(0, &h, frame, 100) == 1);
	ns_run();
	/* Checksum offsets outside the frame. */
	h = (struct virtio_net_hdr_v1){ .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 90,
					.csum_offset = 16 };
	CHECK(ns_rx(0, &h, frame, 100) == 1);
	/* GSO without GUEST_TSO4 negotiated; an unknown GSO type. */
	h = (struct virtio_net_hdr_v1){ .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34,
					.csum_offset = 16, .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
					.gso_size = 1000 };
	CHECK(ns_rx(0, &h, frame, 2000) == 2);
	h.gso_type = 0x42;
	CHECK(ns_rx(0, &h, frame, 100) == 1);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 0);
	CHECK(the_dev->stats.rx_errors == 4 && the_dev->stats.rx_length_errors == 1 &&
	      the_dev->stats.rx_frame_errors == 3);
	/* A packet claiming 3 buffers when the device returned 2: dropped, the next one is fine. */
	h = (struct virtio_net_hdr_v1){ .num_buffers = 3 };
	CHECK(ns_rx(0, &h, frame, 2000) == 2);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 0 && the_dev->stats.rx_length_errors == 2);
	CHECK(ns_rx(0, &no_hdr, frame, 2500) == 2);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 1 && !virtio_device_is_broken(&ns->vdev));
	CHECK(vi->rq[0].vq->num_free == 0);
	ns_down();
}

/* A device that breaks the ring rules: the link goes down, the driver survives, remove cleans up. */
static void hostile_ring(enum ns_hostile how)
{
	struct virtnet_info *vi;
	struct sk_buff *skb;
	u8 frame[200];

	ns_probe(NS_BASIC, 16);
	vi = ns_up();
	CHECK(netif_carrier_ok(the_dev));
	ns->hostile = how;
	mk_frame(frame, sizeof(frame), 1);
	CHECK(ns_rx(0, &no_hdr, frame, sizeof(frame)) == 1);
	ns_run();
	CHECK(virtio_device_is_broken(&ns->vdev) && vi->broken);
	CHECK(!netif_carrier_ok(the_dev) && skb_queue_len(&rxq) == 0);
	/* Later traffic: nothing delivered, transmit drops, no poll loops. */
	ns->hostile = NS_OK;
	ns_rx(0, &no_hdr, frame, sizeof(frame));
	ns_run();
	CHECK(skb_queue_len(&rxq) == 0);
	skb = alloc_skb(MAX_HEADER + 60, GFP_KERNEL);
	skb_reserve(skb, MAX_HEADER);
	mk_frame(skb_put(skb, 60), 60, 2);
	CHECK(virtnet_start_xmit(skb, the_dev) == NETDEV_TX_OK);
	CHECK(the_dev->stats.tx_dropped == 1);
	/* A config interrupt does not bring the link back. */
	virtio_config_changed(&ns->vdev);
	CHECK(!netif_carrier_ok(the_dev));
	ns_down();
}

/*
 * A frame arrives (its interrupt schedules the NAPI again) while the poll
 * runs: the poll must run again, once. It did not (the receive path stalled
 * for good after the first frame on a real device) until netthread.c's
 * napi_complete_done() requeued such an instance; the driver must then not
 * also claim its whole budget, which would queue it twice.
 */
TEST(virtio_net_rescheduled_during_poll_polls_again)
{
	struct virtnet_info *vi;
	u8 frame[100];

	ns_probe(NS_BASIC, 16);
	vi = ns_up();
	/* Fill the ring's worth of frames, then more wait for the refill's kick. */
	for (unsigned int i = 0; i < 16; i++) {
		mk_frame(frame, sizeof(frame), i);
		CHECK(ns_rx(0, &no_hdr, frame, sizeof(frame)) == 1);
	}
	ns->rx_backlog = 5;
	ns_run();
	CHECK(skb_queue_len(&rxq) == 21 && ns->rx_backlog == 0);
	/* And the next frame still gets through. */
	CHECK(ns_rx(0, &no_hdr, frame, sizeof(frame)) == 1);
	ns_run();
	CHECK(skb_queue_len(&rxq) == 22 && vi->rq[0].vq->num_free == 0);
	ns_down();
}

TEST(virtio_net_hostile_used_len_above_buffer)
{
	hostile_ring(NS_LEN_OVER);
}

TEST(virtio_net_hostile_used_id_out_of_range)
{
	hostile_ring(NS_BAD_ID);
}
