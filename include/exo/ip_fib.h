/* SPDX-License-Identifier: MIT */
/*
 * The IPv4 routing tables (net/ipv4/route.c) as configuration sees them:
 * what SIOCADDRT and rtnetlink add and remove, and a walk over the
 * entries for netlink dumps. Every function here wants the RTNL held.
 */
#ifndef _EXO_IP_FIB_H
#define _EXO_IP_FIB_H

#include <exo/types.h>
#include <uapi/types.h>

struct net_device;

/* One table entry as a walk shows it. */
struct fib_route {
	__be32 dst, gw, prefsrc;	/* gw 0: on link; prefsrc 0: none given */
	int ifindex;
	u32 metric;
	u8 plen;
	u8 type;			/* RTN_* */
	bool local_table;		/* RT_TABLE_LOCAL, else RT_TABLE_MAIN */
	bool user;			/* added by hand, not for an address */
};

/*
 * Calls @fn for each entry of the main table, then of the local one,
 * whose device is up (as /proc/net/route and Linux show them), from the
 * @skip'th on, with the table lock held (@fn must not sleep);
 * stops at the first non-zero return and gives it back, else 0.
 */
int fib_walk(int (*fn)(const struct fib_route *r, void *arg), void *arg, unsigned int skip);
/*
 * Adds a main-table route by hand (flushed when @dev goes down). @dev
 * NULL: the device of the connected subnet holding @gw. 0, -EEXIST,
 * -ENETUNREACH (no such subnet), -ENODEV, -ENOMEM.
 */
int fib_route_add(__be32 dst, int plen, __be32 gw, struct net_device *dev, __be32 prefsrc,
		  int type, u32 metric);
/* Removes the main-table route; @dev NULL and @gw 0 match any; @metric < 0 too. 0 or -ESRCH. */
int fib_route_del(__be32 dst, int plen, __be32 gw, struct net_device *dev, s64 metric);

#endif /* _EXO_IP_FIB_H */
