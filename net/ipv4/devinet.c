// SPDX-License-Identifier: MIT
/*
 * IPv4 addresses of devices. Each registered device gets a struct
 * in_device; its addresses are struct in_ifaddr, the first primary. An
 * address brings its routes: in the local table the address itself
 * (RTN_LOCAL; on lo the whole prefix, so 127.0.0.0/8 is local as on
 * Linux) and its broadcast address (RTN_BROADCAST); in the main table the
 * connected subnet. Routes through a device that is down are skipped by
 * lookups (route.c), so up/down needs no route changes; routes added by
 * hand through a device are flushed when it goes down, as Linux does.
 *
 * lo gets 127.0.0.1/8 when it registers. Adding an address to a device
 * with carrier, or the carrier coming up, announces the addresses with a
 * gratuitous ARP.
 *
 * Locking: changes hold the RTNL, then inet_addr_lock around list edits;
 * readers that do not sleep take inet_addr_lock alone. An in_ifaddr is
 * freed only after it is unlinked under the lock, so readers under it are
 * safe.
 */
#include <exo/byteorder.h>
#include <exo/init.h>
#include <exo/inetdevice.h>
#include <exo/rtnetlink.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/rtnetlink.h>
#include "internal.h"

DEFINE_SPINLOCK(inet_addr_lock);

int inet_mask_len(__be32 mask)
{
	u32 m = ntohl(mask);
	int len = m ? 32 - __builtin_ctz(m) : 0;

	return inet_make_mask(len) == mask ? len : -1;
}

static void inet_addr_routes(struct in_ifaddr *ifa, bool add)
{
	struct net_device *dev = ifa->idev->dev;
	__be32 net = ifa->local & ifa->mask;
	/* Linux adds the subnet's broadcast route whatever the address's brd (lo has none). */
	__be32 bcast = net | ~ifa->mask;

	if (add) {
		if (dev->flags & IFF_LOOPBACK)
			fib_add(net, ifa->prefixlen, 0, dev, ifa->local, RTN_LOCAL, 0, FIB_LOCAL);
		fib_add(ifa->local, 32, 0, dev, ifa->local, RTN_LOCAL, 0, FIB_LOCAL);
		if (ifa->prefixlen < 31)
			fib_add(bcast, 32, 0, dev, ifa->local, RTN_BROADCAST, 0, FIB_LOCAL);
		if (!(dev->flags & IFF_LOOPBACK) && ifa->prefixlen < 32)
			fib_add(net, ifa->prefixlen, 0, dev, ifa->local, RTN_UNICAST, 0, 0);
	} else {
		if (dev->flags & IFF_LOOPBACK)
			fib_del(net, ifa->prefixlen, 0, dev, 0, FIB_LOCAL, true);
		fib_del(ifa->local, 32, 0, dev, 0, FIB_LOCAL, true);
		if (ifa->prefixlen < 31)
			fib_del(bcast, 32, 0, dev, 0, FIB_LOCAL, true);
		if (!(dev->flags & IFF_LOOPBACK) && ifa->prefixlen < 32)
			fib_del(net, ifa->prefixlen, 0, dev, 0, 0, true);
	}
}

int inet_addr_add(struct net_device *dev, __be32 local, int prefixlen, __be32 bcast)
{
	return inet_addr_add_label(dev, local, prefixlen, bcast, NULL, 0);
}

int inet_addr_add_label(struct net_device *dev, __be32 local, int prefixlen, __be32 bcast,
			const char *label, size_t label_len)
{
	struct in_device *idev = dev->ip_ptr;
	struct in_ifaddr *ifa, **pp;

	BUG_ON(!rtnl_is_locked());
	if (!idev)
		return -ENODEV;
	if (prefixlen < 0 || prefixlen > 32)
		return -EINVAL;
	for (ifa = idev->ifa_list; ifa; ifa = ifa->next)
		if (ifa->local == local)
			return -EEXIST;
	ifa = kzalloc(sizeof(*ifa), GFP_KERNEL);
	if (!ifa)
		return -ENOMEM;
	ifa->idev = idev;
	ifa->local = local;
	ifa->prefixlen = (u8)prefixlen;
	ifa->mask = inet_make_mask(prefixlen);
	ifa->broadcast = bcast;
	ifa->cstamp = (u32)(ktime_get_ns() / (NSEC_PER_SEC / 100));
	if (label) {
		label_len = min(label_len, sizeof(ifa->label) - 1);
		memcpy(ifa->label, label, label_len);
		ifa->label[label_len] = 0;
	} else {
		strlcpy(ifa->label, dev->name, sizeof(ifa->label));
	}
	spin_lock(&inet_addr_lock);
	for (pp = &idev->ifa_list; *pp; pp = &(*pp)->next)
		;
	*pp = ifa;
	spin_unlock(&inet_addr_lock);
	rtnl_announce_addr(ifa, RTM_NEWADDR);
	inet_addr_routes(ifa, true);
	if (netif_running(dev) && netif_carrier_ok(dev) && !(dev->flags & (IFF_NOARP | IFF_LOOPBACK)))
		arp_announce(dev, local);
	return 0;
}

int inet_addr_del(struct net_device *dev, __be32 local)
{
	struct in_device *idev = dev->ip_ptr;
	struct in_ifaddr *ifa, **pp;

	BUG_ON(!rtnl_is_locked());
	if (!idev)
		return -ENODEV;
	spin_lock(&inet_addr_lock);
	for (pp = &idev->ifa_list; (ifa = *pp); pp = &ifa->next)
		if (ifa->local == local) {
			*pp = ifa->next;
			break;
		}
	spin_unlock(&inet_addr_lock);
	if (!ifa)
		return -EADDRNOTAVAIL;
	inet_addr_routes(ifa, false);
	rtnl_announce_addr(ifa, RTM_DELADDR);
	kfree(ifa);
	return 0;
}

__be32 inet_select_addr(const struct net_device *dev, __be32 dst)
{
	const struct in_device *idev = dev->ip_ptr;
	const struct in_ifaddr *ifa;
	__be32 addr = 0;

	if (!idev)
		return 0;
	spin_lock(&inet_addr_lock);
	for (ifa = idev->ifa_list; ifa; ifa = ifa->next) {
		if (!addr)
			addr = ifa->local;
		if (dst && !((dst ^ ifa->local) & ifa->mask)) {
			addr = ifa->local;
			break;
		}
	}
	spin_unlock(&inet_addr_lock);
	return addr;
}

bool inet_addr_is_broadcast(const struct net_device *dev, __be32 addr)
{
	const struct in_device *idev = dev->ip_ptr;
	const struct in_ifaddr *ifa;
	bool ret = addr == htonl(INADDR_BROADCAST);

	if (ret || !idev)
		return ret;
	spin_lock(&inet_addr_lock);
	for (ifa = idev->ifa_list; ifa && !ret; ifa = ifa->next)
		ret = ifa->broadcast == addr && addr;
	spin_unlock(&inet_addr_lock);
	return ret;
}

int inet_addr_ifindex(__be32 addr)
{
	struct net_device *dev;
	int ifindex = 0;

	spin_lock(&dev_base_lock);
	for_each_netdev(dev) {
		const struct in_device *idev = dev->ip_ptr;
		const struct in_ifaddr *ifa;

		if (!idev)
			continue;
		spin_lock(&inet_addr_lock);
		for (ifa = idev->ifa_list; ifa && !ifindex; ifa = ifa->next)
			if (ifa->local == addr)
				ifindex = dev->ifindex;
		spin_unlock(&inet_addr_lock);
		if (ifindex)
			break;
	}
	spin_unlock(&dev_base_lock);
	return ifindex;
}

bool inet_addr_is_local(__be32 addr)
{
	return !addr || fib_local_type(addr) == RTN_LOCAL;
}

static void inetdev_event(struct net_device *dev, unsigned long event)
{
	struct in_device *idev = dev->ip_ptr;
	struct in_ifaddr *ifa;

	switch (event) {
	case NETDEV_REGISTER:
		idev = kzalloc(sizeof(*idev), GFP_KERNEL);
		if (!idev)
			return;
		idev->dev = dev;
		WRITE_ONCE(dev->ip_ptr, idev);
		if (dev->flags & IFF_LOOPBACK)
			inet_addr_add(dev, htonl(INADDR_LOOPBACK), 8, 0);
		break;
	case NETDEV_UNREGISTER:
		while (idev && idev->ifa_list)
			inet_addr_del(dev, idev->ifa_list->local);
		fib_flush_dev(dev);
		arp_flush_dev(dev);
		break;
	case NETDEV_DOWN:
		fib_flush_dev(dev);
		arp_flush_dev(dev);
		break;
	case NETDEV_UP:
	case NETDEV_CHANGE:
		if (!idev || !netif_running(dev) || !netif_carrier_ok(dev) ||
		    (dev->flags & (IFF_NOARP | IFF_LOOPBACK)))
			break;
		/* The list may change under the RTNL only; CHANGE runs without it: copy first. */
		for (int i = 0;; i++) {
			__be32 addr = 0;
			int n = 0;

			spin_lock(&inet_addr_lock);
			for (ifa = idev->ifa_list; ifa; ifa = ifa->next, n++)
				if (n == i)
					addr = ifa->local;
			spin_unlock(&inet_addr_lock);
			if (!addr)
				break;
			arp_announce(dev, addr);
		}
		break;
	}
}

static struct netdev_notifier inetdev_notifier = { .event = inetdev_event };

static int devinet_init(void)
{
	register_netdevice_notifier(&inetdev_notifier);
	return 0;
}
arch_initcall(devinet_init);
