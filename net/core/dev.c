// SPDX-License-Identifier: MIT
/*
 * Network devices: the device list, registration and names, up/down,
 * MTU and flags, carrier, the transmit path (dev_queue_xmit with the
 * per-device FIFO used while a driver has its queue stopped) and the
 * receive dispatch to the network-layer handlers (packet_type). The
 * network threads, NAPI, the netif_rx backlog and net_timers are in
 * net/core/netthread.c, the loopback device in loopback.c.
 *
 * Lifetime: a registered device stays until unregister_netdev(), which
 * waits for its references (dev_hold) to drop before returning.
 *
 * Lock order: rtnl_mutex (configuration, sleeping) -> dev->tx_lock
 * (irq-safe, around ndo_start_xmit) -> dev->txq.lock (irq-safe) ->
 * netcpu lock (netthread.c). dev_base_lock (a spinlock) guards the list
 * for readers that cannot sleep; writers hold the RTNL and take it
 * around the list change. ptype_list is written at boot only.
 */
#include <exo/etherdevice.h>
#include <exo/byteorder.h>
#include <exo/err.h>
#include <exo/mutex.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <exo/proc_net.h>
#include <exo/rtnetlink.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

LIST_HEAD(net_devices);
DEFINE_SPINLOCK(dev_base_lock);
struct net_device *loopback_dev;	/* [immutable after init] */
static int dev_next_ifindex = 2;	/* [rtnl] 1 is lo's */
static DEFINE_MUTEX(rtnl_mutex);
static LIST_HEAD(ptype_list);		/* [boot] packet_type handlers */
static LIST_HEAD(netdev_notifiers);	/* [boot] */

void rtnl_lock(void)
	__acquires(&rtnl_mutex)
{
	mutex_lock(&rtnl_mutex);
}

void rtnl_unlock(void)
	__releases(&rtnl_mutex)
{
	mutex_unlock(&rtnl_mutex);
}

bool rtnl_is_locked(void)
{
	return mutex_is_locked(&rtnl_mutex);
}

void register_netdevice_notifier(struct netdev_notifier *nb)
{
	list_add_tail(&nb->list, &netdev_notifiers);
}

void netdev_notify(struct net_device *dev, unsigned long event)
{
	struct netdev_notifier *nb;

	list_for_each_entry(nb, &netdev_notifiers, list)
		nb->event(dev, event);
}

void dev_add_pack(struct packet_type *pt)
{
	list_add_tail(&pt->list, &ptype_list);
}

/* ---- allocation and registration ------------------------------------------ */

struct net_device *alloc_netdev(size_t priv_size, const char *name,
				void (*setup)(struct net_device *dev))
{
	struct net_device *dev = kzalloc(sizeof(*dev) + priv_size, GFP_KERNEL);

	if (!dev)
		return NULL;
	strlcpy(dev->name, name, sizeof(dev->name));
	spin_lock_init(&dev->tx_lock);
	skb_queue_head_init(&dev->txq);
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_LIST_HEAD(&dev->tx_node);
	dev->tx_queue_len = 1000;
	dev->mtu = 1500;
	dev->max_mtu = 1500;
	dev->min_mtu = 68;
	/* No carrier until the driver says so; lo is always on. */
	dev->state = 1UL << __LINK_STATE_NOCARRIER;
	if (priv_size)
		dev->priv = dev + 1;
	if (setup)
		setup(dev);
	return dev;
}

void free_netdev(struct net_device *dev)
{
	kfree(dev);
}

/* The device named @name in the list; dev_base_lock or the RTNL held. */
static struct net_device *__dev_get_by_name(const char *name)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (!strncmp(dev->name, name, IFNAMSIZ))
			return dev;
	return NULL;
}

struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *dev;

	spin_lock(&dev_base_lock);
	dev = __dev_get_by_name(name);
	if (dev)
		dev_hold(dev);
	spin_unlock(&dev_base_lock);
	return dev;
}

struct net_device *dev_get_by_index(int ifindex)
{
	struct net_device *dev, *found = NULL;

	spin_lock(&dev_base_lock);
	for_each_netdev(dev)
		if (dev->ifindex == ifindex) {
			found = dev;
			dev_hold(dev);
			break;
		}
	spin_unlock(&dev_base_lock);
	return found;
}

void dev_put(struct net_device *dev)
{
	__atomic_fetch_sub(&dev->refcnt, 1, __ATOMIC_RELEASE);
}

/* "eth%d": the lowest unused number; a plain name must be free. RTNL held. */
static int dev_alloc_name(struct net_device *dev)
{
	char fmt[IFNAMSIZ], name[IFNAMSIZ];
	const char *pct = strchr(dev->name, '%');

	if (!pct) {
		if (!dev->name[0])
			return -EINVAL;
		return __dev_get_by_name(dev->name) ? -EEXIST : 0;
	}
	if (pct[1] != 'd' || strchr(pct + 1, '%'))
		return -EINVAL;
	strlcpy(fmt, dev->name, sizeof(fmt));
	for (int i = 0; i < 32768; i++) {
		snprintf(name, sizeof(name), fmt, i);
		if (!__dev_get_by_name(name)) {
			strlcpy(dev->name, name, sizeof(dev->name));
			return 0;
		}
	}
	return -ENFILE;
}

int register_netdev(struct net_device *dev)
{
	struct net_device *it;
	int err;

	rtnl_lock();
	err = dev_alloc_name(dev);
	if (err)
		goto out;
	dev->ifindex = (dev->flags & IFF_LOOPBACK) ? 1 : dev_next_ifindex++;
	dev_hold(dev);	/* the list's reference */
	__atomic_fetch_or(&dev->state, 1UL << __LINK_STATE_PRESENT, __ATOMIC_RELAXED);
	spin_lock(&dev_base_lock);
	/* Kept in ifindex order: /proc/net/dev and SIOCGIFCONF list that way. */
	list_for_each_entry(it, &net_devices, dev_list)
		if (it->ifindex > dev->ifindex)
			break;
	list_add_tail(&dev->dev_list, &it->dev_list);
	spin_unlock(&dev_base_lock);
	netdev_notify(dev, NETDEV_REGISTER);
out:
	rtnl_unlock();
	return err;
}

void unregister_netdev(struct net_device *dev)
{
	rtnl_lock();
	if (dev->flags & IFF_UP)
		dev_close(dev);
	netdev_notify(dev, NETDEV_UNREGISTER);
	spin_lock(&dev_base_lock);
	list_del_init(&dev->dev_list);
	spin_unlock(&dev_base_lock);
	__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_PRESENT), __ATOMIC_RELAXED);
	rtnl_unlock();
	netthread_flush_dev(dev);
	dev_put(dev);
	/* Routes, neighbours and sockets drop theirs on the notification; wait for the rest. */
	while (__atomic_load_n(&dev->refcnt, __ATOMIC_ACQUIRE) > 0)
		schedule_timeout_ns(10 * NSEC_PER_MSEC, false);
}

/* ---- configuration ----------------------------------------------------- */

int dev_open(struct net_device *dev)
{
	int err = 0;

	BUG_ON(!rtnl_is_locked());
	if (dev->flags & IFF_UP)
		return 0;
	if (dev->netdev_ops && dev->netdev_ops->ndo_open)
		err = dev->netdev_ops->ndo_open(dev);
	if (err)
		return err;
	WRITE_ONCE(dev->flags, dev->flags | IFF_UP);
	if (netif_carrier_ok(dev))
		WRITE_ONCE(dev->flags, dev->flags | IFF_RUNNING | IFF_LOWER_UP);
	netdev_notify(dev, NETDEV_UP);
	return 0;
}

int dev_close(struct net_device *dev)
{
	BUG_ON(!rtnl_is_locked());
	if (!(dev->flags & IFF_UP))
		return 0;
	WRITE_ONCE(dev->flags, dev->flags & ~(IFF_UP | IFF_RUNNING));
	netdev_notify(dev, NETDEV_DOWN);
	if (dev->netdev_ops && dev->netdev_ops->ndo_stop)
		dev->netdev_ops->ndo_stop(dev);
	skb_queue_purge(&dev->txq);
	return 0;
}

int dev_set_mtu(struct net_device *dev, int mtu)
{
	int err = 0;

	BUG_ON(!rtnl_is_locked());
	if (mtu < 0 || (unsigned int)mtu < dev->min_mtu || (unsigned int)mtu > dev->max_mtu)
		return -EINVAL;
	if (dev->netdev_ops && dev->netdev_ops->ndo_change_mtu)
		err = dev->netdev_ops->ndo_change_mtu(dev, mtu);
	if (err)
		return err;
	WRITE_ONCE(dev->mtu, (unsigned int)mtu);
	netdev_notify(dev, NETDEV_CHANGEMTU);
	return 0;
}

/* The flags a user may change with SIOCSIFFLAGS; the rest are the kernel's. */
#define IFF_USER_CHANGEABLE (IFF_UP | IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_PROMISC | \
			     IFF_ALLMULTI | IFF_MULTICAST)

int dev_change_flags(struct net_device *dev, unsigned int flags)
{
	unsigned int old = dev->flags;
	int err = 0;

	BUG_ON(!rtnl_is_locked());
	WRITE_ONCE(dev->flags, (old & ~(IFF_USER_CHANGEABLE & ~IFF_UP)) |
				       (flags & IFF_USER_CHANGEABLE & ~IFF_UP));
	if ((old ^ flags) & (IFF_PROMISC | IFF_ALLMULTI) && dev->netdev_ops &&
	    dev->netdev_ops->ndo_set_rx_mode)
		dev->netdev_ops->ndo_set_rx_mode(dev);
	if ((old ^ flags) & IFF_UP)
		err = (flags & IFF_UP) ? dev_open(dev) : dev_close(dev);
	else if ((old ^ flags) & IFF_USER_CHANGEABLE)
		rtnl_announce_link(dev);	/* up and down announce through their events */
	return err;
}

/* ---- carrier ------------------------------------------------------------ */

void netif_carrier_on(struct net_device *dev)
{
	if (__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_NOCARRIER), __ATOMIC_ACQ_REL) &
	    (1UL << __LINK_STATE_NOCARRIER))
		linkwatch_fire(dev);
}

void netif_carrier_off(struct net_device *dev)
{
	if (!(__atomic_fetch_or(&dev->state, 1UL << __LINK_STATE_NOCARRIER, __ATOMIC_ACQ_REL) &
	      (1UL << __LINK_STATE_NOCARRIER)))
		linkwatch_fire(dev);
}

/* A carrier change, in the network thread: IFF_RUNNING follows it, then the protocols hear. */
void linkwatch_run(struct net_device *dev)
{
	unsigned int flags = READ_ONCE(dev->flags);

	if (netif_carrier_ok(dev) && (flags & IFF_UP))
		flags |= IFF_RUNNING | IFF_LOWER_UP;
	else
		flags &= ~(IFF_RUNNING | IFF_LOWER_UP);
	WRITE_ONCE(dev->flags, flags);
	netdev_notify(dev, NETDEV_CHANGE);
}

/* ---- transmit ------------------------------------------------------------ */

int dev_hard_header(struct sk_buff *skb, struct net_device *dev, u16 type, const void *daddr,
		    const void *saddr, unsigned int len)
{
	if (!dev->header_ops || !dev->header_ops->create)
		return 0;
	return dev->header_ops->create(skb, dev, type, daddr, saddr, len);
}

/* Hands one frame to the driver; dev->tx_lock held. NETDEV_TX_BUSY: @skb not consumed. */
static netdev_tx_t dev_xmit_one(struct sk_buff *skb, struct net_device *dev)
{
	return dev->netdev_ops->ndo_start_xmit(skb, dev);
}

void dev_tx_restart(struct net_device *dev)
{
	unsigned long flags;
	struct sk_buff *skb;

	spin_lock_irqsave(&dev->tx_lock, flags);
	while (!netif_queue_stopped(dev) && (skb = skb_dequeue(&dev->txq))) {
		if (dev_xmit_one(skb, dev) == NETDEV_TX_BUSY) {
			skb_queue_head(&dev->txq, skb);
			break;
		}
	}
	spin_unlock_irqrestore(&dev->tx_lock, flags);
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	unsigned long flags;
	int err = 0;

	if (!(READ_ONCE(dev->flags) & IFF_UP)) {
		err = -ENETDOWN;
		goto drop;
	}
	/* No segmentation offload in software: TCP sends GSO buffers only to TSO devices. */
	if (skb_shinfo(skb)->gso_size && !(dev->features & NETIF_F_TSO)) {
		err = -EINVAL;
		goto drop;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && !(dev->features & NETIF_F_IP_CSUM)) {
		err = skb_checksum_help(skb);
		if (err)
			goto drop;
	}
	spin_lock_irqsave(&dev->tx_lock, flags);
	/* FIFO: while frames wait, new ones queue behind them. */
	if (netif_queue_stopped(dev) || !skb_queue_empty(&dev->txq)) {
		if (skb_queue_len(&dev->txq) >= dev->tx_queue_len) {
			spin_unlock_irqrestore(&dev->tx_lock, flags);
			err = -ENOBUFS;
			goto drop;
		}
		skb_queue_tail(&dev->txq, skb);
	} else if (dev_xmit_one(skb, dev) == NETDEV_TX_BUSY) {
		skb_queue_head(&dev->txq, skb);
	}
	spin_unlock_irqrestore(&dev->tx_lock, flags);
	return 0;
drop:
	__atomic_fetch_add(&dev->stats.tx_dropped, 1, __ATOMIC_RELAXED);
	kfree_skb(skb);
	return err;
}

void netif_stop_queue(struct net_device *dev)
{
	__atomic_fetch_or(&dev->state, 1UL << __LINK_STATE_XOFF, __ATOMIC_ACQ_REL);
}

void netif_wake_queue(struct net_device *dev)
{
	if (__atomic_fetch_and(&dev->state, ~(1UL << __LINK_STATE_XOFF), __ATOMIC_ACQ_REL) &
	    (1UL << __LINK_STATE_XOFF))
		netthread_schedule_tx(dev);
}

/* ---- receive ------------------------------------------------------------- */

int netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct packet_type *pt;

	if (dev->type == ARPHRD_ETHER) {
		if (skb->len < ETH_HLEN) {
			dev->stats.rx_length_errors++;
			dev->stats.rx_errors++;
			kfree_skb(skb);
			return NET_RX_DROP;
		}
		skb->protocol = eth_type_trans(skb, dev);
	} else {
		/* lo: no link header, skb->protocol set by the sender. */
		skb_reset_mac_header(skb);
	}
	skb_reset_network_header(skb);
	list_for_each_entry(pt, &ptype_list, list)
		if (pt->type == skb->protocol)
			return pt->func(skb, dev);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* ---- /proc/net/dev --------------------------------------------------------- */

int dev_seq_show(struct seq_file *m)
{
	struct net_device *dev;

	seq_puts(m, "Inter-|   Receive                                                |  Transmit\n"
		    " face |bytes    packets errs drop fifo frame compressed multicast|"
		    "bytes    packets errs drop fifo colls carrier compressed\n");
	spin_lock(&dev_base_lock);
	for_each_netdev(dev) {
		const struct net_device_stats *s = &dev->stats;

		seq_printf(m, "%6s: %7lu %7lu %4lu %4lu %4lu %5lu %10lu %9lu "
			      "%8lu %7lu %4lu %4lu %4lu %5lu %7lu %10lu\n",
			   dev->name, s->rx_bytes, s->rx_packets, s->rx_errors,
			   s->rx_dropped + s->rx_missed_errors, s->rx_fifo_errors,
			   s->rx_length_errors + s->rx_over_errors + s->rx_crc_errors +
				   s->rx_frame_errors,
			   s->rx_compressed, s->multicast, s->tx_bytes, s->tx_packets, s->tx_errors,
			   s->tx_dropped, s->tx_fifo_errors, s->collisions,
			   s->tx_carrier_errors + s->tx_aborted_errors + s->tx_window_errors +
				   s->tx_heartbeat_errors,
			   s->tx_compressed);
	}
	spin_unlock(&dev_base_lock);
	return 0;
}
