// SPDX-License-Identifier: MIT
/*
 * The device ioctls of every socket (what ifconfig and route use), with
 * Linux's numbers, structures (struct ifreq, ifconf, rtentry) and error
 * order: the request is copied first (EFAULT), then privilege is checked
 * for changes (EPERM without CAP_NET_ADMIN, root here), then the device is
 * looked up (ENODEV).
 *
 * Any socket has the device ones; the address ones and the routes only an
 * AF_INET socket (on others they are ENOTTY, as on Linux).
 *   SIOCGIFCONF      one ifreq per IPv4 address (a NULL buffer asks the size)
 *   SIOC[GS]IFFLAGS  IFF_*; setting IFF_UP opens the device
 *   SIOC[GS]IFADDR   the primary address; setting one replaces it with a
 *                    classful prefix, as Linux does
 *   SIOC[GS]IFNETMASK, SIOCGIFBRDADDR
 *   SIOC[GS]IFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFTXQLEN
 *   SIOCADDRT/SIOCDELRT  main-table routes (struct rtentry)
 *
 * Configuration changes hold the RTNL.
 */
#include <exo/byteorder.h>
#include <exo/cred.h>
#include <exo/ip_fib.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/if.h>
#include <uapi/sockios.h>
#include "internal.h"

static struct sockaddr_in *ifr_sin(struct ifreq *ifr)
{
	return (struct sockaddr_in *)&ifr->ifr_ifru.ifru_addr;
}

/* The classful prefix Linux gives an address set by SIOCSIFADDR. */
static int inet_abc_len(__be32 addr)
{
	u32 a = ntohl(addr);

	if (!a)
		return 0;
	if (!(a & 0x80000000))
		return 8;
	if ((a & 0xc0000000) == 0x80000000)
		return 16;
	if ((a & 0xe0000000) == 0xc0000000)
		return 24;
	return -1;
}

static int dev_ifconf(void __user *arg)
{
	struct ifconf ifc;
	struct net_device *dev;
	int done = 0, err = 0;

	if (copy_from_user(&ifc, arg, sizeof(ifc)))
		return -EFAULT;
	rtnl_lock();
	for_each_netdev(dev) {
		struct in_device *idev = dev->ip_ptr;
		struct in_ifaddr *ifa;

		for (ifa = idev ? idev->ifa_list : NULL; ifa; ifa = ifa->next) {
			struct ifreq ifr;

			if (!ifc.ifc_ifcu.ifcu_buf) {
				done += (int)sizeof(ifr);
				continue;
			}
			if (ifc.ifc_len - done < (int)sizeof(ifr))
				break;
			memset(&ifr, 0, sizeof(ifr));
			strlcpy(ifr.ifr_name, ifa->label, sizeof(ifr.ifr_name));
			inet_fill_addr(ifr_sin(&ifr), ifa->local, 0);
			if (copy_to_user(ifc.ifc_ifcu.ifcu_buf + done, &ifr, sizeof(ifr))) {
				err = -EFAULT;
				break;
			}
			done += (int)sizeof(ifr);
		}
	}
	rtnl_unlock();
	if (err)
		return err;
	ifc.ifc_len = done;
	return copy_to_user(arg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
}

/* The address of @dev labelled @name (its primary when the label is the device's). */
static struct in_ifaddr *ifa_by_label(struct net_device *dev, const char *name)
{
	struct in_device *idev = dev->ip_ptr;
	struct in_ifaddr *ifa;

	for (ifa = idev ? idev->ifa_list : NULL; ifa; ifa = ifa->next)
		if (!strncmp(ifa->label, name, IFNAMSIZ))
			return ifa;
	return NULL;
}

static __be32 inet_bcast_of(__be32 local, int plen)
{
	return plen < 31 ? (local | ~inet_make_mask(plen)) : 0;
}

/* The address ioctls; RTNL held. */
static int devinet_ioctl(unsigned int cmd, struct net_device *dev, struct ifreq *ifr)
{
	struct in_ifaddr *ifa = ifa_by_label(dev, ifr->ifr_name);
	struct sockaddr_in *sin = ifr_sin(ifr);
	__be32 local, bcast;
	int plen, err;

	switch (cmd) {
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
		if (!ifa)
			return -EADDRNOTAVAIL;
		inet_fill_addr(sin, cmd == SIOCGIFADDR ? ifa->local :
				    cmd == SIOCGIFNETMASK ? ifa->mask : ifa->broadcast, 0);
		return 0;
	case SIOCSIFADDR:
		if (sin->sin_family != AF_INET)
			return -EINVAL;
		local = sin->sin_addr.s_addr;
		plen = ifa ? ifa->prefixlen : inet_abc_len(local);
		if (ifa)
			inet_addr_del(dev, ifa->local);
		if (!local)
			return 0;
		if (plen < 0)
			plen = 32;
		bcast = (dev->flags & IFF_BROADCAST) ? inet_bcast_of(local, plen) : 0;
		err = inet_addr_add(dev, local, plen, bcast);
		/* An alias ("lo:7") keeps its own label: SIOCGIFCONF lists it by that name. */
		for (ifa = dev->ip_ptr ? dev->ip_ptr->ifa_list : NULL; !err && ifa; ifa = ifa->next)
			if (ifa->local == local)
				strlcpy(ifa->label, ifr->ifr_name, sizeof(ifa->label));
		return err;
	case SIOCSIFNETMASK:
		if (!ifa)
			return -EADDRNOTAVAIL;
		plen = inet_mask_len(sin->sin_addr.s_addr);
		if (plen < 0)
			return -EINVAL;
		local = ifa->local;
		bcast = (dev->flags & IFF_BROADCAST) ? inet_bcast_of(local, plen) : 0;
		inet_addr_del(dev, local);
		err = inet_addr_add(dev, local, plen, bcast);
		for (ifa = dev->ip_ptr ? dev->ip_ptr->ifa_list : NULL; !err && ifa; ifa = ifa->next)
			if (ifa->local == local)
				strlcpy(ifa->label, ifr->ifr_name, sizeof(ifa->label));
		return err;
	}
	return -ENOTTY;
}

static int rt_ioctl(unsigned int cmd, void __user *arg)
{
	struct rtentry rt;
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *gw = (struct sockaddr_in *)&rt.rt_gateway;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	struct net_device *dev = NULL;
	char name[IFNAMSIZ];
	__be32 gateway = 0;
	u32 metric;
	int plen, err;

	if (copy_from_user(&rt, arg, sizeof(rt)))
		return -EFAULT;
	if (!capable_root())
		return -EPERM;
	if (dst->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (rt.rt_flags & RTF_HOST)
		plen = 32;
	else if ((plen = inet_mask_len(mask->sin_addr.s_addr)) < 0)
		return -EINVAL;
	if ((dst->sin_addr.s_addr & ~inet_make_mask(plen)) != 0)
		return -EINVAL;
	if (rt.rt_flags & RTF_GATEWAY) {
		if (gw->sin_family != AF_INET)
			return -EAFNOSUPPORT;
		gateway = gw->sin_addr.s_addr;
	}
	if (rt.rt_dev) {
		long n = strncpy_from_user(name, rt.rt_dev, sizeof(name));

		if (n < 0)
			return (int)n;
		name[sizeof(name) - 1] = 0;
		dev = dev_get_by_name(name);
		if (!dev)
			return -ENODEV;
	}
	metric = rt.rt_metric > 0 ? (u32)(rt.rt_metric - 1) : 0;
	rtnl_lock();
	if (cmd == SIOCDELRT)
		err = fib_route_del(dst->sin_addr.s_addr, plen, gateway, dev,
				    rt.rt_metric ? (s64)metric : -1);
	else
		err = fib_route_add(dst->sin_addr.s_addr, plen, gateway, dev, 0,
				    (rt.rt_flags & RTF_REJECT) ? RTN_UNREACHABLE : RTN_UNICAST, metric);
	rtnl_unlock();
	if (dev)
		dev_put(dev);
	return err;
}

static bool dev_ioctl_needs_admin(unsigned int cmd)
{
	return cmd == SIOCSIFFLAGS || cmd == SIOCSIFADDR || cmd == SIOCSIFNETMASK ||
	       cmd == SIOCSIFMTU || cmd == SIOCSIFBRDADDR || cmd == SIOCSIFHWADDR;
}

int dev_ioctl(unsigned int cmd, void __user *arg, bool inet)
{
	struct ifreq ifr;
	struct net_device *dev;
	int err = 0;

	switch (cmd) {
	case SIOCGIFCONF:
		return dev_ifconf(arg);
	case SIOCADDRT:
	case SIOCDELRT:
		return inet ? rt_ioctl(cmd, arg) : -ENOTTY;
	case SIOCGIFADDR: case SIOCSIFADDR: case SIOCGIFBRDADDR: case SIOCGIFNETMASK:
	case SIOCSIFNETMASK:
		/* The address ioctls are the family's (Linux: inet_ioctl only). */
		if (!inet)
			return -ENOTTY;
		break;
	case SIOCGIFNAME: case SIOCGIFFLAGS: case SIOCSIFFLAGS: case SIOCGIFMTU: case SIOCSIFMTU: case SIOCGIFHWADDR: case SIOCGIFINDEX:
	case SIOCGIFTXQLEN: case SIOCGIFMETRIC:
		break;
	default:
		return -ENOTTY;
	}
	if (copy_from_user(&ifr, arg, sizeof(ifr)))
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = 0;
	if (dev_ioctl_needs_admin(cmd) && !capable_root())
		return -EPERM;
	if (cmd == SIOCGIFNAME) {
		dev = dev_get_by_index(ifr.ifr_ifru.ifru_ivalue);
		if (!dev)
			return -ENODEV;
		strlcpy(ifr.ifr_name, dev->name, sizeof(ifr.ifr_name));
		dev_put(dev);
		return copy_to_user(arg, &ifr, sizeof(ifr)) ? -EFAULT : 0;
	}
	{
		/* An alias label ("eth0:1") names its device before the colon. */
		char name[IFNAMSIZ];
		char *colon;

		strlcpy(name, ifr.ifr_name, sizeof(name));
		colon = strchr(name, ':');
		if (colon)
			*colon = 0;
		dev = dev_get_by_name(name);
	}
	if (!dev)
		return -ENODEV;
	rtnl_lock();
	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr.ifr_ifru.ifru_flags = (short)(dev->flags & 0xffff);
		break;
	case SIOCSIFFLAGS:
		err = dev_change_flags(dev, (dev->flags & ~0xffffU) |
					    (unsigned short)ifr.ifr_ifru.ifru_flags);
		break;
	case SIOCGIFMTU:
		ifr.ifr_ifru.ifru_mtu = (int)dev->mtu;
		break;
	case SIOCSIFMTU:
		err = dev_set_mtu(dev, ifr.ifr_ifru.ifru_mtu);
		break;
	case SIOCGIFHWADDR:
		memset(&ifr.ifr_ifru.ifru_hwaddr, 0, sizeof(ifr.ifr_ifru.ifru_hwaddr));
		ifr.ifr_ifru.ifru_hwaddr.sa_family = dev->type;
		memcpy(ifr.ifr_ifru.ifru_hwaddr.sa_data, dev->dev_addr,
		       dev->addr_len < 14 ? dev->addr_len : 14);
		break;
	case SIOCGIFINDEX:
		ifr.ifr_ifru.ifru_ivalue = dev->ifindex;
		break;
	case SIOCGIFTXQLEN:
		ifr.ifr_ifru.ifru_ivalue = (int)dev->tx_queue_len;
		break;
	case SIOCGIFMETRIC:
		ifr.ifr_ifru.ifru_ivalue = 0;
		break;
	default:
		err = devinet_ioctl(cmd, dev, &ifr);
		break;
	}
	rtnl_unlock();
	dev_put(dev);
	if (!err && (cmd & 0xff) != (SIOCSIFFLAGS & 0xff) && cmd != SIOCSIFADDR &&
	    cmd != SIOCSIFNETMASK && cmd != SIOCSIFMTU && copy_to_user(arg, &ifr, sizeof(ifr)))
		return -EFAULT;
	return err;
}
