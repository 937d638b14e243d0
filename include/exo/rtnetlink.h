/* SPDX-License-Identifier: MIT */
/*
 * Announcements of configuration changes to rtnetlink listeners
 * (RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE), made where the
 * change happens, so that `ip monitor` hears every one whoever made it: a
 * netlink request, an ioctl, the DHCP client, ip=, or a carrier change.
 * Process context; they allocate with GFP_ATOMIC and drop the message (the
 * listeners then see ENOBUFS, as on Linux) when memory is short.
 */
#ifndef _EXO_RTNETLINK_H
#define _EXO_RTNETLINK_H

struct net_device;
struct in_ifaddr;
struct fib_route;

#ifdef CONFIG_NETLINK
/* RTM_NEWLINK with @dev's state now (net/netlink/rtnetlink.c). */
void rtnl_announce_link(struct net_device *dev);
/* RTM_NEWADDR or RTM_DELADDR (@type) of @ifa, which still exists. */
void rtnl_announce_addr(const struct in_ifaddr *ifa, int type);
/* RTM_NEWROUTE or RTM_DELROUTE (@type) of @fr. */
void rtnl_announce_route(const struct fib_route *fr, int type);
#else
/* No netlink sockets: nobody to announce to. */
static inline void rtnl_announce_link(struct net_device *dev)
{
	(void)dev;
}

static inline void rtnl_announce_addr(const struct in_ifaddr *ifa, int type)
{
	(void)ifa, (void)type;
}

static inline void rtnl_announce_route(const struct fib_route *fr, int type)
{
	(void)fr, (void)type;
}
#endif

#endif /* _EXO_RTNETLINK_H */
