/* SPDX-License-Identifier: MIT */
/*
 * IPv4 addresses of devices (net/ipv4/devinet.c): dev->ip_ptr is a struct
 * in_device with a list of struct in_ifaddr (address, prefix, broadcast),
 * the first one primary. Changes hold the RTNL and take inet_addr_lock
 * around the list edit; readers that cannot sleep (the receive path, route
 * lookups) take inet_addr_lock. Adding an address adds its routes (the
 * local route, the connected subnet, the broadcast routes) and announces
 * it with a gratuitous ARP; removing it removes them.
 */
#ifndef _EXO_INETDEVICE_H
#define _EXO_INETDEVICE_H

#include <exo/netdevice.h>
#include <exo/spinlock.h>
#include <uapi/types.h>

struct in_ifaddr {
	struct in_ifaddr *next;		/* [inet_addr_lock] */
	struct in_device *idev;		/* [immutable] */
	__be32 local;			/* [immutable] the address */
	__be32 mask;			/* [immutable] */
	__be32 broadcast;		/* [immutable] 0: none */
	u8 prefixlen;			/* [immutable] */
	char label[IFNAMSIZ];
	u32 cstamp;			/* [immutable] made at, 1/100 s since boot (IFA_CACHEINFO) */
};

struct in_device {
	struct net_device *dev;		/* [immutable] */
	struct in_ifaddr *ifa_list;	/* [inet_addr_lock, changed under the RTNL] */
};

extern struct spinlock inet_addr_lock;

static inline __be32 inet_make_mask(int prefixlen)
{
	return prefixlen ? (__be32)__builtin_bswap32(~0U << (32 - prefixlen)) : 0;
}
/* The prefix length of a contiguous @mask, or -1. */
int inet_mask_len(__be32 mask);

/*
 * Adds @local/@prefixlen to @dev (broadcast: @bcast, or 0 for none) with
 * its routes; RTNL held. 0, -EEXIST, -ENOMEM.
 */
int inet_addr_add(struct net_device *dev, __be32 local, int prefixlen, __be32 bcast);
/* The same with the label @label (@label_len bytes, need not end in NUL; NULL: the device's name). */
int inet_addr_add_label(struct net_device *dev, __be32 local, int prefixlen, __be32 bcast,
			const char *label, size_t label_len);
/* Removes @local from @dev with its routes; RTNL held. 0 or -EADDRNOTAVAIL. */
int inet_addr_del(struct net_device *dev, __be32 local);
/* The primary address of @dev (0: none); for @dst on its subnet when there is one. */
__be32 inet_select_addr(const struct net_device *dev, __be32 dst);
/* Whether @addr is a broadcast address of @dev (limited, or a subnet's). */
bool inet_addr_is_broadcast(const struct net_device *dev, __be32 addr);
/* The ifindex of the device holding @addr, 0 when none. */
int inet_addr_ifindex(__be32 addr);

#endif /* _EXO_INETDEVICE_H */
