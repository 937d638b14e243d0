// SPDX-License-Identifier: MIT
/*
 * The loopback device "lo" (ifindex 1): a frame sent is received again on
 * the sending CPU's backlog (netif_rx), handled by that CPU's network
 * thread. lo has no link header (dev_hard_header adds none; skb->protocol
 * says what the frame is) and every offload: a CHECKSUM_PARTIAL buffer
 * arrives as CHECKSUM_UNNECESSARY (its data never left memory), and a TSO
 * buffer arrives whole, as one segment. It is registered and brought up at
 * boot; devinet gives it 127.0.0.1/8.
 */
#include <exo/init.h>
#include <exo/netdevice.h>
#include <exo/printk.h>
#include <uapi/errno.h>

/* Linux's: 64 KiB, the largest IPv4 datagram and some. */
#define LOOPBACK_MTU	65536

static netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len = skb->len;

	/* The sender's buffer is free once sent, as on a real device. */
	skb_orphan(skb);
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb_shinfo(skb)->gso_size = 0;
	skb_shinfo(skb)->gso_segs = 0;
	skb_shinfo(skb)->gso_type = 0;
	skb->pkt_type = PACKET_HOST;
	skb->dev = dev;
	__atomic_fetch_add(&dev->stats.tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dev->stats.tx_bytes, len, __ATOMIC_RELAXED);
	if (netif_rx(skb) == NET_RX_SUCCESS) {
		__atomic_fetch_add(&dev->stats.rx_packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&dev->stats.rx_bytes, len, __ATOMIC_RELAXED);
	}
	return NETDEV_TX_OK;
}

static const struct net_device_ops loopback_ops = {
	.ndo_start_xmit = loopback_xmit,
};

static void loopback_setup(struct net_device *dev)
{
	dev->type = ARPHRD_LOOPBACK;
	dev->hard_header_len = 0;
	dev->mtu = LOOPBACK_MTU;
	dev->min_mtu = 0;
	dev->max_mtu = 0x7fffffff;
	dev->addr_len = 6;	/* 00:00:00:00:00:00, as Linux shows it */
	dev->tx_queue_len = 1000;
	dev->flags = IFF_LOOPBACK;
	dev->features = NETIF_F_IP_CSUM | NETIF_F_RXCSUM | NETIF_F_SG | NETIF_F_TSO |
			NETIF_F_LOOPBACK;
	dev->netdev_ops = &loopback_ops;
}

static int loopback_init(void)
{
	struct net_device *dev = alloc_netdev(0, "lo", loopback_setup);
	int err;

	if (!dev)
		return -ENOMEM;
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	netif_carrier_on(dev);
	rtnl_lock();
	err = dev_open(dev);
	rtnl_unlock();
	loopback_dev = dev;
	return err;
}
/* After the network threads (core) and the protocols' notifiers (arch level): before drivers. */
subsys_initcall(loopback_init);
