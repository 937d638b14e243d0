/* SPDX-License-Identifier: MIT */
/*
 * Network devices and the receive/transmit core (net/core/dev.c).
 *
 * Contexts. Interrupt handlers of network drivers do nothing but
 * napi_schedule(). All protocol work runs in process context: in system
 * calls, and in the per-CPU network thread ("knetd/N", Linux's
 * NET_RX softirq made a thread), which runs the NAPI polls scheduled on its
 * CPU, the receive backlog (netif_rx), transmit-queue restarts and expired
 * net_timers. So protocol locks are taken only in process context and are
 * plain spinlocks (never taken in an interrupt), or sleeping locks where
 * the holder may sleep (never in the network thread).
 *
 * Devices are registered once and live until unregister_netdev(); a
 * pointer taken from dev_get_by_*() stays valid while the caller holds a
 * reference (dev_hold/dev_put). The loopback device "lo" is ifindex 1.
 */
#ifndef _EXO_NETDEVICE_H
#define _EXO_NETDEVICE_H

#include <exo/list.h>
#include <exo/skbuff.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <exo/types.h>

struct device;

#define IFNAMSIZ	16
#define MAX_ADDR_LEN	32
/* Room for any link header in front of a network header (Ethernet: 14). */
#define LL_MAX_HEADER	32

/* dev->flags: Linux's IFF_* (<linux/if.h>), the ones this kernel sets or honours. */
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8
#define IFF_POINTOPOINT	0x10
#define IFF_NOTRAILERS	0x20
#define IFF_RUNNING	0x40
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MULTICAST	0x1000
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000

/* dev->type: ARPHRD_* (<linux/if_arp.h>). */
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772
#define ARPHRD_NONE	0xfffe

/* dev->features: offloads the device performs. */
#define NETIF_F_IP_CSUM		0x1	/* transmit checksum of TCP/UDP over IPv4 */
#define NETIF_F_RXCSUM		0x2	/* receive checksum checked */
#define NETIF_F_SG		0x4
#define NETIF_F_TSO		0x8	/* TCP segmentation of SKB_GSO_TCPV4 buffers */
#define NETIF_F_LOOPBACK	0x10

/* ndo_start_xmit results. */
typedef int netdev_tx_t;
#define NETDEV_TX_OK	0	/* consumed */
#define NETDEV_TX_BUSY	1	/* not consumed: the core requeues it; the driver stopped the queue */

/* The counters of `ip -s link` and /proc/net/dev (struct rtnl_link_stats64's first fields). */
struct net_device_stats {
	u64 rx_packets, tx_packets;
	u64 rx_bytes, tx_bytes;
	u64 rx_errors, tx_errors;
	u64 rx_dropped, tx_dropped;
	u64 multicast;
	u64 collisions;
	u64 rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	u64 rx_fifo_errors, rx_missed_errors;
	u64 tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	u64 tx_heartbeat_errors, tx_window_errors;
	u64 rx_compressed, tx_compressed;
};

struct net_device;

struct net_device_ops {
	/* Brought up (IFF_UP set by the core after it returns 0) / down. */
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	/* Sends one frame (link header built); called with dev->tx_lock held. */
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	/* Optional: a new MTU (range checked by the core against min_mtu/max_mtu). */
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	/* Optional: a new link-layer address (already checked valid); 0 or -errno. */
	int (*ndo_set_mac_address)(struct net_device *dev, const u8 *addr);
	/* Optional: IFF_PROMISC / IFF_ALLMULTI / multicast list changed. */
	void (*ndo_set_rx_mode)(struct net_device *dev);
};

/* How a link layer builds and parses its header (Ethernet: net/ethernet/eth.c). */
struct header_ops {
	/* Pushes a header for @type from @saddr (NULL: dev's) to @daddr; its length or -errno. */
	int (*create)(struct sk_buff *skb, struct net_device *dev, u16 type, const void *daddr,
		      const void *saddr, unsigned int len);
	/* Copies the source address of a received frame into @haddr; its length. */
	int (*parse)(const struct sk_buff *skb, unsigned char *haddr);
};

struct in_device;

struct net_device {
	char name[IFNAMSIZ];			/* [rtnl] */
	int ifindex;				/* [immutable after register] */
	unsigned int flags;			/* [rtnl] IFF_*; IFF_RUNNING tracks the carrier */
	unsigned short type;			/* [immutable] ARPHRD_* */
	unsigned short hard_header_len;		/* [immutable] link header bytes */
	unsigned int mtu, min_mtu, max_mtu;	/* [rtnl] */
	unsigned int features;			/* [immutable after register] NETIF_F_* */
	unsigned int tx_queue_len;		/* [rtnl] the core's transmit FIFO limit */
	unsigned char addr_len;			/* [immutable] */
	unsigned char dev_addr[MAX_ADDR_LEN];	/* [rtnl] */
	unsigned char broadcast[MAX_ADDR_LEN];	/* [immutable] */
	const struct net_device_ops *netdev_ops;
	const struct header_ops *header_ops;

	struct net_device_stats stats;		/* [tx_lock for tx_*, the NAPI owner for rx_*] */
	struct spinlock tx_lock;		/* serializes ndo_start_xmit; irq-safe */
	struct sk_buff_head txq;		/* [txq.lock] frames waiting while the queue is stopped */
	unsigned long state;			/* [atomic] __LINK_STATE_* bits */

	struct in_device *ip_ptr;		/* [rtnl] IPv4 addresses (net/ipv4/devinet.c) */
	struct device *parent;			/* the bus device, or NULL (lo) */
	struct list_head dev_list;		/* [rtnl + dev_base_lock] in the device list */
	struct list_head tx_node;		/* [netcpu lock] on a network thread's restart list */
	int refcnt;				/* [atomic] dev_hold */
	void *priv;				/* the driver's private area (netdev_priv) */
};

/* dev->state bits */
#define __LINK_STATE_NOCARRIER	0
#define __LINK_STATE_XOFF	1	/* transmit queue stopped by the driver */
#define __LINK_STATE_PRESENT	2
#define __LINK_STATE_SCHED	3	/* transmit restart queued on a network thread */
#define __LINK_STATE_LINKWATCH	4	/* carrier change not yet announced */

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

/*
 * A device with @priv_size bytes of private area, named from @name ("eth%d"
 * is numbered at registration), set up by @setup (ether_setup for
 * Ethernet); NULL on no memory. free_netdev() frees an unregistered one.
 */
struct net_device *alloc_netdev(size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev));
struct net_device *alloc_etherdev(size_t priv_size);
void free_netdev(struct net_device *dev);
void ether_setup(struct net_device *dev);
/* Adds @dev to the device list, assigns its ifindex and name: 0 or -errno. */
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);

/*
 * The configuration lock (Linux's RTNL): a mutex held by every change to
 * devices, addresses and routes (ioctls, netlink, DHCP), so readers in
 * process context that hold it see a stable configuration. The receive
 * path reads configuration under RCU-like rules: fields it reads are
 * updated with single stores and objects it can reach are not freed while
 * a network thread may hold them (see docs/net.md).
 */
void rtnl_lock(void);
void rtnl_unlock(void);
bool rtnl_is_locked(void);

/* Lookups; the result holds a reference (dev_put) or is NULL. */
struct net_device *dev_get_by_name(const char *name);
struct net_device *dev_get_by_index(int ifindex);
static inline void dev_hold(struct net_device *dev)
{
	__atomic_fetch_add(&dev->refcnt, 1, __ATOMIC_RELAXED);
}
void dev_put(struct net_device *dev);
/* Calls @fn for every registered device, in ifindex order, under the RTNL (caller holds it). */
#define for_each_netdev(dev) list_for_each_entry(dev, &net_devices, dev_list)
extern struct list_head net_devices;
extern struct net_device *loopback_dev;

/*
 * Device events for the protocols (devinet: addresses and routes follow
 * the device; ARP: gratuitous ARP on carrier up). Callbacks run in process
 * context (under the RTNL for UP/DOWN/CHANGEMTU/REGISTER/UNREGISTER; in
 * the network thread of CPU 0 without it for CHANGE, a carrier change).
 * Registered at boot only.
 */
#define NETDEV_UP		1
#define NETDEV_DOWN		2
#define NETDEV_CHANGE		4	/* carrier on or off */
#define NETDEV_REGISTER		5
#define NETDEV_UNREGISTER	6
#define NETDEV_CHANGEMTU	7
#define NETDEV_CHANGEADDR	8
struct netdev_notifier {
	void (*event)(struct net_device *dev, unsigned long event);
	struct list_head list;
};
void register_netdevice_notifier(struct netdev_notifier *nb);
/* Every registered device, under the RTNL or dev_base_lock (for a reader that must not sleep). */
extern struct spinlock dev_base_lock;

/*
 * The device ioctls (net/ipv4/devinet_ioctl.c) with Linux's numbers and
 * errors: SIOCGIFCONF and the device ones (flags, MTU, index, name,
 * hardware address) for any socket; with @inet (an AF_INET socket) also
 * the IPv4 address ones and SIOCADDRT/SIOCDELRT. -ENOTTY for the rest.
 */
int dev_ioctl(unsigned int cmd, void __user *arg, bool inet);

/* Up/down (the SIOCSIFFLAGS and netlink paths); caller holds the RTNL. 0 or -errno. */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);
int dev_set_mtu(struct net_device *dev, int mtu);
int dev_change_flags(struct net_device *dev, unsigned int flags);

/* Carrier (link) state from the driver; any context. Notifies (gratuitous ARP on up). */
void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return !(__atomic_load_n(&dev->state, __ATOMIC_RELAXED) & (1UL << __LINK_STATE_NOCARRIER));
}
static inline bool netif_running(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}

/* Transmit flow control by the driver; any context. wake reschedules the queued frames. */
void netif_stop_queue(struct net_device *dev);
void netif_wake_queue(struct net_device *dev);
static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return __atomic_load_n(&dev->state, __ATOMIC_RELAXED) & (1UL << __LINK_STATE_XOFF);
}

/*
 * Sends @skb (skb->dev set, link header built) through its device: a
 * CHECKSUM_PARTIAL or GSO buffer is completed or segmented in software
 * when the device lacks the offload. Consumes @skb; 0, or -errno when it
 * was dropped (queue full: -ENOBUFS; device down: -ENETDOWN).
 */
int dev_queue_xmit(struct sk_buff *skb);

/*
 * Builds the link header for @type to @daddr (NULL: broadcast) with
 * dev->header_ops; a device without header_ops (lo) adds none.
 */
int dev_hard_header(struct sk_buff *skb, struct net_device *dev, u16 type, const void *daddr,
		    const void *saddr, unsigned int len);

/* ---- receive ------------------------------------------------------------- */

/* NAPI: a driver's receive/completion poll, run by the network thread of the CPU that scheduled it. */
struct napi_struct {
	struct list_head poll_list;	/* [per-CPU list lock] on a CPU's poll list */
	unsigned long state;		/* [atomic] NAPI_STATE_* */
	int weight;			/* budget per poll */
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
};
#define NAPI_STATE_SCHED	0	/* on a poll list or being polled */
#define NAPI_STATE_DISABLE	1

#define NAPI_POLL_WEIGHT 64

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *napi, int budget));
void napi_enable(struct napi_struct *napi);
/* Waits until a running poll has finished and prevents new ones. */
void napi_disable(struct napi_struct *napi);
/*
 * From the device's interrupt (any context): queue @napi on this CPU's
 * network thread unless already scheduled. Returns whether it was queued.
 */
bool napi_schedule(struct napi_struct *napi);
/*
 * From poll, when it did less than its budget: takes @napi off the poll
 * list; the driver then re-enables its interrupt and must re-check for
 * work that arrived meanwhile (napi_schedule again). Returns false when
 * the poll must go on instead (it was rescheduled meanwhile).
 */
bool napi_complete_done(struct napi_struct *napi, int work_done);

/*
 * Hands a received frame (skb->data at the link header, skb->dev set) to
 * the stack. netif_receive_skb: from a NAPI poll or the network thread,
 * processed now. netif_rx: from any context, queued on this CPU's
 * backlog (dropped, counted, when the backlog is full).
 */
int netif_receive_skb(struct sk_buff *skb);
int netif_rx(struct sk_buff *skb);

/* A network-layer receive handler for an ethertype (ETH_P_IP, ETH_P_ARP). */
struct packet_type {
	__be16 type;			/* network order */
	/* Consumes @skb; data at the network header, skb->protocol set. */
	int (*func)(struct sk_buff *skb, struct net_device *dev);
	struct list_head list;
};
void dev_add_pack(struct packet_type *pt);

/* Result of a receive handler that dropped the packet. */
#define NET_RX_SUCCESS	0
#define NET_RX_DROP	1

/* ---- deferred work in the network thread --------------------------------- */

/*
 * A protocol timer (TCP retransmit, delayed ACK, ARP expiry, reassembly
 * timeouts): @fn runs in a network thread, in process context, so it may
 * take protocol locks. net_timer_mod() (re)arms it for @expires_ns
 * (CLOCK_MONOTONIC); net_timer_del() disarms it and returns after a run in
 * progress on another CPU has finished (do not call it from @fn itself
 * nor while holding a lock @fn takes); it returns whether it was pending.
 * A timer is armed at most once: re-arming moves it.
 */
struct net_timer {
	struct timer timer;		/* the interrupt-context timer that queues the work */
	struct list_head work;		/* [net work lock] queued to run */
	void (*fn)(struct net_timer *t);
	void *data;
	int cpu;			/* the network thread that runs it */
	unsigned int flags;		/* [net work lock] */
};
void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data);
void net_timer_mod(struct net_timer *t, u64 expires_ns);
bool net_timer_del(struct net_timer *t);
bool net_timer_pending(const struct net_timer *t);

#endif /* _EXO_NETDEVICE_H */
