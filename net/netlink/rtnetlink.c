// SPDX-License-Identifier: MIT
/*
 * NETLINK_ROUTE (rtnetlink): links, IPv4 addresses and routes as `ip`
 * (BusyBox, iproute2) reads and changes them.
 *
 * A datagram sent to the kernel holds one or more requests, each a
 * struct nlmsghdr and its payload (ifinfomsg, ifaddrmsg or rtmsg, then
 * rtattrs). Each is answered on the sender's socket with its sequence
 * number and the sender's port id:
 *   - a GET with NLM_F_DUMP: the objects as NLM_F_MULTI messages, in
 *     datagrams of up to RTNL_CHUNK bytes, then NLMSG_DONE;
 *   - a GET of one object (a link by index or IFLA_IFNAME, the route to
 *     RTA_DST): its message;
 *   - any failure: NLMSG_ERROR with -errno and the request copied;
 *   - a change with NLM_F_ACK: NLMSG_ERROR with error 0 and its header.
 * As Linux, a header whose nlmsg_len runs past the datagram (or is below
 * the header's size) ends the parse silently; a payload shorter than its
 * fixed part is EINVAL, a u32 attribute shorter than 4 bytes ERANGE, and
 * an attribute overrunning its message ends its list; a message without NLM_F_REQUEST
 * or of a control type is only acknowledged; an unknown type is
 * EOPNOTSUPP; a change (NEW/DEL) without CAP_NET_ADMIN (root) is EPERM.
 *
 * The state lives where the ioctls find it: devices in net/core/dev.c,
 * addresses in net/ipv4/devinet.c (adding one adds its connected and
 * local routes), routes in net/ipv4/route.c. A change made here is
 * announced to the listeners of RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR or
 * RTNLGRP_IPV4_ROUTE where it is made (<exo/rtnetlink.h>): device events
 * through a netdev notifier, addresses by devinet.c, routes by route.c; so
 * a change by ioctl, DHCP, ip= or a carrier is announced as one made here.
 *
 * Locking: a request runs in the sender's context under the RTNL, so a
 * dump sees a stable configuration; the route walk takes the FIB's
 * spinlock inside, so replies are built in a buffer allocated up front
 * and queued (netlink_kmsg_send) between walks.
 */
#include <exo/byteorder.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/inet.h>
#include <exo/inetdevice.h>
#include <exo/ip_fib.h>
#include <exo/netdevice.h>
#include <exo/netlink.h>
#include <exo/rtnetlink.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/rtnetlink.h>
#include <uapi/socket.h>

/* A dump's datagram size: at most what a reader with an 8 KiB buffer (BusyBox) takes. */
#define RTNL_CHUNK	4096

/* The replies to one request, built in @buf and queued on @sk by rtnl_flush. */
struct rtnl_reply {
	struct sock *sk;
	u32 portid, seq;
	char *buf;
	size_t len, cap;
};

/* ---- building messages ------------------------------------------------------ */

/* @n zeroed bytes (aligned) at the end of @r; NULL when they do not fit. */
static void *rtnl_reserve(struct rtnl_reply *r, size_t n)
{
	void *p;

	n = NLMSG_ALIGN(n);
	if (r->len + n > r->cap)
		return NULL;
	p = r->buf + r->len;
	memset(p, 0, n);
	r->len += n;
	return p;
}

/* Starts a message with a @hdrlen-byte fixed part; NULL when it does not fit. */
static struct nlmsghdr *rtnl_msg_begin(struct rtnl_reply *r, u16 type, u16 flags, size_t hdrlen)
{
	struct nlmsghdr *nlh = rtnl_reserve(r, NLMSG_HDRLEN + hdrlen);

	if (!nlh)
		return NULL;
	nlh->nlmsg_len = NLMSG_HDRLEN + hdrlen;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = r->seq;
	nlh->nlmsg_pid = r->portid;
	return nlh;
}

static void *rtnl_msg_data(struct nlmsghdr *nlh)
{
	return (char *)nlh + NLMSG_HDRLEN;
}

/* Appends an attribute to @nlh, the last message of @r: 0 or -EMSGSIZE. */
static int rtnl_put_attr(struct rtnl_reply *r, struct nlmsghdr *nlh, u16 type, const void *data,
			 size_t len)
{
	struct rtattr *rta = rtnl_reserve(r, RTA_LENGTH(len));

	if (!rta)
		return -EMSGSIZE;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	rta->rta_type = type;
	memcpy((char *)rta + RTA_LENGTH(0), data, len);
	nlh->nlmsg_len = (u32)((char *)r->buf + r->len - (char *)nlh);
	return 0;
}

static int rtnl_put_u32(struct rtnl_reply *r, struct nlmsghdr *nlh, u16 type, u32 v)
{
	return rtnl_put_attr(r, nlh, type, &v, sizeof(v));
}

/* Queues what @r holds as one datagram: 0 or -ENOBUFS. */
static int rtnl_flush(struct rtnl_reply *r)
{
	struct netlink_kmsg *m;

	if (!r->len)
		return 0;
	m = netlink_kmsg_alloc(r->len);
	if (!m)
		return -ENOBUFS;
	memcpy(netlink_kmsg_data(m), r->buf, r->len);
	netlink_kmsg_send(r->sk, m);
	r->len = 0;
	return 0;
}

/* Multicasts what @r holds to @group's listeners (a change's announcement) and empties @r. */
static void rtnl_notify(struct rtnl_reply *r, unsigned int group)
{
	if (r->len)
		netlink_broadcast(NETLINK_ROUTE, group, r->buf, r->len);
	r->len = 0;
}

/* NLMSG_ERROR for @req: the whole request for an error, its header for an ack (Linux's). */
static int rtnl_send_error(struct rtnl_reply *r, const struct nlmsghdr *req, int err)
{
	size_t copy = err ? req->nlmsg_len : sizeof(*req);
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	nlh = rtnl_msg_begin(r, NLMSG_ERROR, err ? 0 : NLM_F_CAPPED,
			     sizeof(int) + copy);
	if (!nlh) {
		int ret = rtnl_flush(r);

		if (ret)
			return ret;
		nlh = rtnl_msg_begin(r, NLMSG_ERROR, 0, sizeof(int) + sizeof(*req));
		copy = sizeof(*req);
		if (!nlh)
			return -ENOBUFS;
	}
	e = rtnl_msg_data(nlh);
	e->error = err;
	memcpy(&e->msg, req, copy);
	return rtnl_flush(r);
}

/* ---- parsing requests ------------------------------------------------------- */

/*
 * Splits the attributes after the @hdrlen-byte fixed part of @nlh into
 * @tb (indexed by type, up to @max; a later duplicate wins). A payload
 * shorter than the fixed part is -EINVAL; an attribute that overruns the
 * message, or is shorter than its header, ends the list there (what
 * Linux does for requests without NETLINK_GET_STRICT_CHK: ip relies on it).
 */
static int rtnl_parse(const struct nlmsghdr *nlh, size_t hdrlen, const struct rtattr **tb, int max)
{
	size_t off = NLMSG_ALIGN(hdrlen), len = nlh->nlmsg_len - NLMSG_HDRLEN;
	const char *p = rtnl_msg_data((struct nlmsghdr *)nlh);

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (len < hdrlen)
		return -EINVAL;
	while (off + sizeof(struct rtattr) <= len) {
		const struct rtattr *rta = (const struct rtattr *)(p + off);

		if (rta->rta_len < sizeof(*rta) || rta->rta_len > len - off)
			break;
		if (rta->rta_type <= max)
			tb[rta->rta_type] = rta;
		off += RTA_ALIGN(rta->rta_len);
	}
	return 0;
}

static const void *rta_data(const struct rtattr *rta)
{
	return (const char *)rta + RTA_LENGTH(0);
}

static size_t rta_payload(const struct rtattr *rta)
{
	return rta->rta_len - RTA_LENGTH(0);
}

/* A u32 (or __be32) attribute into @v when present: 0, or -ERANGE (Linux's) when too short. */
static int rta_get_u32(const struct rtattr *rta, u32 *v)
{
	if (!rta)
		return 0;
	if (rta_payload(rta) < sizeof(*v))
		return -ERANGE;
	memcpy(v, rta_data(rta), sizeof(*v));
	return 0;
}

/* The device of @index, or of the name in @name when @index is 0; referenced. */
static struct net_device *rtnl_find_dev(int index, const struct rtattr *name)
{
	char buf[IFNAMSIZ];
	size_t n;

	if (index)
		return dev_get_by_index(index);
	if (!name)
		return NULL;
	n = min(rta_payload(name), sizeof(buf) - 1);
	memcpy(buf, rta_data(name), n);
	buf[n] = 0;
	return dev_get_by_name(buf);
}

/* ---- links ------------------------------------------------------------------ */

static u8 rtnl_operstate(const struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return IF_OPER_DOWN;
	if (dev->flags & IFF_LOOPBACK)
		return IF_OPER_UNKNOWN;	/* Linux's lo has no carrier to report */
	return netif_carrier_ok(dev) ? IF_OPER_UP : IF_OPER_DOWN;
}

/* The flags as Linux reports them: RUNNING and LOWER_UP follow the carrier of an up device. */
static unsigned int rtnl_dev_flags(const struct net_device *dev)
{
	unsigned int flags = dev->flags & ~(IFF_RUNNING | IFF_LOWER_UP);

	if ((dev->flags & IFF_UP) && netif_carrier_ok(dev))
		flags |= IFF_RUNNING | IFF_LOWER_UP;
	return flags;
}

static int rtnl_fill_link(struct rtnl_reply *r, struct net_device *dev, u16 flags)
{
	struct rtnl_link_stats64 s64 = { 0 };
	struct rtnl_link_stats s32 = { 0 };
	const u64 *src = (const u64 *)&dev->stats;
	u64 *dst64 = (u64 *)&s64;
	u32 *dst32 = (u32 *)&s32;
	size_t start = r->len, i;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	u8 oper = rtnl_operstate(dev), mode = 0;	/* IF_LINK_MODE_DEFAULT */
	/* No queueing discipline: lo hands frames straight on, others keep one FIFO. */
	const char *qdisc = (dev->flags & IFF_LOOPBACK) ? "noqueue" : "pfifo";

	nlh = rtnl_msg_begin(r, RTM_NEWLINK, flags, sizeof(*ifi));
	if (!nlh)
		return -EMSGSIZE;
	ifi = rtnl_msg_data(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = dev->type;
	ifi->ifi_index = dev->ifindex;
	ifi->ifi_flags = rtnl_dev_flags(dev);
	/* struct net_device_stats is rtnl_link_stats64's first fields, in order. */
	for (i = 0; i < sizeof(dev->stats) / sizeof(u64); i++) {
		dst64[i] = READ_ONCE(src[i]);
		dst32[i] = (u32)dst64[i];
	}
	if (rtnl_put_attr(r, nlh, IFLA_IFNAME, dev->name, strlen(dev->name) + 1) ||
	    rtnl_put_u32(r, nlh, IFLA_TXQLEN, dev->tx_queue_len) ||
	    rtnl_put_attr(r, nlh, IFLA_OPERSTATE, &oper, 1) ||
	    rtnl_put_attr(r, nlh, IFLA_LINKMODE, &mode, 1) ||
	    rtnl_put_u32(r, nlh, IFLA_MTU, dev->mtu) ||
	    rtnl_put_u32(r, nlh, IFLA_GROUP, 0) ||
	    rtnl_put_attr(r, nlh, IFLA_QDISC, qdisc, strlen(qdisc) + 1) ||
	    rtnl_put_attr(r, nlh, IFLA_ADDRESS, dev->dev_addr, dev->addr_len) ||
	    rtnl_put_attr(r, nlh, IFLA_BROADCAST, dev->broadcast, dev->addr_len) ||
	    rtnl_put_attr(r, nlh, IFLA_STATS, &s32, sizeof(s32)) ||
	    rtnl_put_attr(r, nlh, IFLA_STATS64, &s64, sizeof(s64))) {
		r->len = start;
		return -EMSGSIZE;
	}
	return 0;
}

/* Every device, as NLM_F_MULTI messages; flushes @r when full. */
static int rtnl_dump_links(struct rtnl_reply *r)
{
	struct net_device *dev;
	int err;

	for_each_netdev(dev) {
		if (!rtnl_fill_link(r, dev, NLM_F_MULTI))
			continue;
		err = rtnl_flush(r);
		if (!err)
			err = rtnl_fill_link(r, dev, NLM_F_MULTI);
		if (err)
			return err;
	}
	return 0;
}

static int rtnl_getlink(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtattr *tb[IFLA_STATS64 + 1];
	const struct ifinfomsg *ifi = rtnl_msg_data((struct nlmsghdr *)nlh);
	struct net_device *dev;
	int err = rtnl_parse(nlh, sizeof(*ifi), tb, IFLA_STATS64);

	if (err)
		return err;
	if (!ifi->ifi_index && !tb[IFLA_IFNAME])
		return -EINVAL;
	dev = rtnl_find_dev(ifi->ifi_index, tb[IFLA_IFNAME]);
	if (!dev)
		return -ENODEV;
	err = rtnl_fill_link(r, dev, 0);
	dev_put(dev);
	return err ? err : rtnl_flush(r);
}

static int rtnl_newlink(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtattr *tb[IFLA_STATS64 + 1];
	const struct ifinfomsg *ifi = rtnl_msg_data((struct nlmsghdr *)nlh);
	struct net_device *dev;
	unsigned int flags;
	u32 mtu = 0;
	int err = rtnl_parse(nlh, sizeof(*ifi), tb, IFLA_STATS64);

	if (!err)
		err = rta_get_u32(tb[IFLA_MTU], &mtu);
	if (err)
		return err;
	dev = rtnl_find_dev(ifi->ifi_index, tb[IFLA_IFNAME]);
	if (!dev)
		return (nlh->nlmsg_flags & NLM_F_CREATE) ? -EOPNOTSUPP : -ENODEV;
	if (mtu)
		err = dev_set_mtu(dev, (int)mtu);
	if (!err && (ifi->ifi_flags || ifi->ifi_change)) {
		/* ifi_change names the bits to set; 0 (old ip) means all of them. */
		flags = ifi->ifi_change ? (ifi->ifi_flags & ifi->ifi_change) |
					  (dev->flags & ~ifi->ifi_change) : ifi->ifi_flags;
		err = dev_change_flags(dev, flags);
	}
	dev_put(dev);
	return err;
}

/* ---- addresses -------------------------------------------------------------- */

static int rtnl_fill_addr(struct rtnl_reply *r, const struct in_ifaddr *ifa, u16 type, u16 flags)
{
	const struct net_device *dev = ifa->idev->dev;
	/* Addresses here never expire: Linux's permanent ones, stamped when made. */
	struct ifa_cacheinfo ci = { .ifa_prefered = INFINITY_LIFE_TIME,
				    .ifa_valid = INFINITY_LIFE_TIME,
				    .cstamp = ifa->cstamp, .tstamp = ifa->cstamp };
	size_t start = r->len;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifm;

	nlh = rtnl_msg_begin(r, type, flags, sizeof(*ifm));
	if (!nlh)
		return -EMSGSIZE;
	ifm = rtnl_msg_data(nlh);
	ifm->ifa_family = AF_INET;
	ifm->ifa_prefixlen = ifa->prefixlen;
	ifm->ifa_flags = IFA_F_PERMANENT;
	ifm->ifa_scope = (dev->flags & IFF_LOOPBACK) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ifm->ifa_index = (u32)dev->ifindex;
	if (rtnl_put_attr(r, nlh, IFA_ADDRESS, &ifa->local, 4) ||
	    rtnl_put_attr(r, nlh, IFA_LOCAL, &ifa->local, 4) ||
	    (ifa->broadcast && rtnl_put_attr(r, nlh, IFA_BROADCAST, &ifa->broadcast, 4)) ||
	    rtnl_put_attr(r, nlh, IFA_LABEL, ifa->label, strlen(ifa->label) + 1) ||
	    rtnl_put_u32(r, nlh, IFA_FLAGS, IFA_F_PERMANENT) ||
	    rtnl_put_attr(r, nlh, IFA_CACHEINFO, &ci, sizeof(ci))) {
		r->len = start;
		return -EMSGSIZE;
	}
	return 0;
}

static int rtnl_dump_addrs(struct rtnl_reply *r)
{
	struct net_device *dev;
	struct in_ifaddr *ifa;
	int err;

	for_each_netdev(dev) {
		for (ifa = dev->ip_ptr ? dev->ip_ptr->ifa_list : NULL; ifa; ifa = ifa->next) {
			if (!rtnl_fill_addr(r, ifa, RTM_NEWADDR, NLM_F_MULTI))
				continue;
			err = rtnl_flush(r);
			if (!err)
				err = rtnl_fill_addr(r, ifa, RTM_NEWADDR, NLM_F_MULTI);
			if (err)
				return err;
		}
	}
	return 0;
}

static int rtnl_newaddr(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtattr *tb[IFA_BROADCAST + 1];
	const struct ifaddrmsg *ifm = rtnl_msg_data((struct nlmsghdr *)nlh);
	__be32 local = 0, bcast = 0;
	struct net_device *dev;
	struct in_ifaddr *ifa;
	int err = rtnl_parse(nlh, sizeof(*ifm), tb, IFA_BROADCAST);

	if (err)
		return err;
	if (ifm->ifa_family != AF_INET)
		return -EAFNOSUPPORT;
	if (ifm->ifa_prefixlen > 32)
		return -EINVAL;
	/* IFA_LOCAL is the address; IFA_ADDRESS alone (old tools) stands for it. */
	err = rta_get_u32(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], &local);
	if (!err)
		err = rta_get_u32(tb[IFA_BROADCAST], &bcast);
	if (err)
		return err;
	if (nlh->nlmsg_type == RTM_NEWADDR && !tb[IFA_LOCAL] && !tb[IFA_ADDRESS])
		return -EINVAL;
	dev = dev_get_by_index((int)ifm->ifa_index);
	if (!dev)
		return -ENODEV;
	if (nlh->nlmsg_type == RTM_DELADDR) {
		err = -EADDRNOTAVAIL;
		for (ifa = dev->ip_ptr ? dev->ip_ptr->ifa_list : NULL; ifa; ifa = ifa->next) {
			/* Without an address: the first one with that prefix length (ip addr flush). */
			if (local ? ifa->local == local : ifa->prefixlen == ifm->ifa_prefixlen) {
				err = inet_addr_del(dev, ifa->local);
				break;
			}
		}
		goto out_put;
	}
	/* The attribute need not hold a NUL: it goes by its length. */
	err = inet_addr_add_label(dev, local, ifm->ifa_prefixlen, bcast,
				  tb[IFA_LABEL] ? rta_data(tb[IFA_LABEL]) : NULL,
				  tb[IFA_LABEL] ? rta_payload(tb[IFA_LABEL]) : 0);
out_put:
	dev_put(dev);
	return err;
}

/* ---- routes ----------------------------------------------------------------- */

static int rtnl_fill_route(struct rtnl_reply *r, const struct fib_route *fr, u16 type, u16 flags)
{
	size_t start = r->len;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	u32 table = fr->local_table ? RT_TABLE_LOCAL : RT_TABLE_MAIN;

	nlh = rtnl_msg_begin(r, type, flags, sizeof(*rtm));
	if (!nlh)
		return -EMSGSIZE;
	rtm = rtnl_msg_data(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = fr->plen;
	rtm->rtm_table = (u8)table;
	rtm->rtm_protocol = fr->user ? RTPROT_BOOT : RTPROT_KERNEL;
	rtm->rtm_type = fr->type;
	if (fr->type == RTN_LOCAL)
		rtm->rtm_scope = RT_SCOPE_HOST;
	else if (fr->gw || fr->type == RTN_UNREACHABLE)
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	else
		rtm->rtm_scope = RT_SCOPE_LINK;
	if (rtnl_put_u32(r, nlh, RTA_TABLE, table) ||
	    (fr->plen && rtnl_put_attr(r, nlh, RTA_DST, &fr->dst, 4)) ||
	    (fr->metric && rtnl_put_u32(r, nlh, RTA_PRIORITY, fr->metric)) ||
	    (fr->prefsrc && rtnl_put_attr(r, nlh, RTA_PREFSRC, &fr->prefsrc, 4)) ||
	    (fr->gw && rtnl_put_attr(r, nlh, RTA_GATEWAY, &fr->gw, 4)) ||
	    (fr->type != RTN_UNREACHABLE && fr->ifindex &&
	     rtnl_put_u32(r, nlh, RTA_OIF, (u32)fr->ifindex))) {
		r->len = start;
		return -EMSGSIZE;
	}
	return 0;
}

struct rtnl_route_walk {
	struct rtnl_reply *r;
	unsigned int done;		/* entries already in the reply */
};

static int rtnl_route_walk_fn(const struct fib_route *fr, void *arg)
{
	struct rtnl_route_walk *w = arg;

	if (rtnl_fill_route(w->r, fr, RTM_NEWROUTE, NLM_F_MULTI))
		return -EMSGSIZE;
	w->done++;
	return 0;
}

/* The walk holds the FIB lock: when the buffer fills, queue it and walk again after it. */
static int rtnl_dump_routes(struct rtnl_reply *r)
{
	struct rtnl_route_walk w = { .r = r };
	unsigned int before;
	int err;

	for (;;) {
		before = w.done;
		if (!fib_walk(rtnl_route_walk_fn, &w, w.done))
			return 0;
		if (w.done == before && !r->len)
			return -EMSGSIZE;
		err = rtnl_flush(r);
		if (err)
			return err;
	}
}

static int rtnl_getroute(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtattr *tb[RTA_TABLE + 1];
	struct fib_route fr = { 0 };
	struct rtable rt;
	u32 oif = 0;
	int err = rtnl_parse(nlh, sizeof(struct rtmsg), tb, RTA_TABLE);

	if (!err)
		err = rta_get_u32(tb[RTA_DST], &fr.dst);
	if (!err)
		err = rta_get_u32(tb[RTA_OIF], &oif);
	if (err)
		return err;
	err = ip_route_output(fr.dst, 0, (int)oif, &rt);
	if (err)
		return err;
	fr.plen = 32;
	fr.gw = rt.gateway;
	fr.prefsrc = rt.prefsrc;
	fr.ifindex = rt.dev->ifindex;
	fr.type = (u8)rt.type;
	fr.local_table = rt.type == RTN_LOCAL;
	ip_rt_put(&rt);
	err = rtnl_fill_route(r, &fr, RTM_NEWROUTE, 0);
	if (!err)
		((struct rtmsg *)rtnl_msg_data((struct nlmsghdr *)r->buf))->rtm_flags |= RTM_F_CLONED;
	return err ? err : rtnl_flush(r);
}

static int rtnl_newroute(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtattr *tb[RTA_TABLE + 1];
	const struct rtmsg *rtm = rtnl_msg_data((struct nlmsghdr *)nlh);
	u32 dst = 0, gw = 0, oif = 0, prefsrc = 0, metric = 0, table = 0;
	struct net_device *dev = NULL;
	int err = rtnl_parse(nlh, sizeof(*rtm), tb, RTA_TABLE);

	if (!err)
		err = rta_get_u32(tb[RTA_DST], &dst);
	if (!err)
		err = rta_get_u32(tb[RTA_GATEWAY], &gw);
	if (!err)
		err = rta_get_u32(tb[RTA_OIF], &oif);
	if (!err)
		err = rta_get_u32(tb[RTA_PREFSRC], &prefsrc);
	if (!err)
		err = rta_get_u32(tb[RTA_PRIORITY], &metric);
	if (!err)
		err = rta_get_u32(tb[RTA_TABLE], &table);
	if (err)
		return err;
	if (rtm->rtm_family != AF_INET)
		return -EAFNOSUPPORT;
	if (rtm->rtm_dst_len > 32 || (dst & ~inet_make_mask(rtm->rtm_dst_len)))
		return -EINVAL;
	if (!table)
		table = rtm->rtm_table;
	/* Only the main table is writable (local routes follow the addresses). */
	if (table != RT_TABLE_MAIN && table != RT_TABLE_UNSPEC)
		return -EOPNOTSUPP;
	if (nlh->nlmsg_type == RTM_NEWROUTE && rtm->rtm_type != RTN_UNICAST &&
	    rtm->rtm_type != RTN_UNREACHABLE)
		return -EOPNOTSUPP;
	if (oif) {
		dev = dev_get_by_index((int)oif);
		if (!dev)
			return -ENODEV;
	}
	/* route.c announces the change. */
	if (nlh->nlmsg_type == RTM_DELROUTE)
		err = fib_route_del(dst, rtm->rtm_dst_len, gw, dev,
				    tb[RTA_PRIORITY] ? (s64)metric : -1);
	else
		err = fib_route_add(dst, rtm->rtm_dst_len, gw, dev, prefsrc, rtm->rtm_type, metric);
	if (dev)
		dev_put(dev);
	return err;
}

/* ---- dispatch --------------------------------------------------------------- */

struct rtnl_handler {
	u16 type;
	size_t hdrlen;					/* the fixed part */
	int (*doit)(struct rtnl_reply *r, const struct nlmsghdr *nlh);
	int (*dumpit)(struct rtnl_reply *r);
};

static const struct rtnl_handler rtnl_handlers[] = {
	{ RTM_NEWLINK, sizeof(struct ifinfomsg), rtnl_newlink, NULL },
	{ RTM_SETLINK, sizeof(struct ifinfomsg), rtnl_newlink, NULL },
	{ RTM_GETLINK, sizeof(struct ifinfomsg), rtnl_getlink, rtnl_dump_links },
	{ RTM_NEWADDR, sizeof(struct ifaddrmsg), rtnl_newaddr, NULL },
	{ RTM_DELADDR, sizeof(struct ifaddrmsg), rtnl_newaddr, NULL },
	{ RTM_GETADDR, sizeof(struct ifaddrmsg), NULL, rtnl_dump_addrs },
	{ RTM_NEWROUTE, sizeof(struct rtmsg), rtnl_newroute, NULL },
	{ RTM_DELROUTE, sizeof(struct rtmsg), rtnl_newroute, NULL },
	{ RTM_GETROUTE, sizeof(struct rtmsg), rtnl_getroute, rtnl_dump_routes },
};

static bool rtnl_is_get(u16 type)
{
	return (type & 3) == 2;		/* RTM_GET* are the third of each group of four */
}

/*
 * One request: 0 when it was answered with data (a dump or a GET), 1 when
 * only an ack is due, or -errno for an NLMSG_ERROR.
 */
static int rtnl_rcv_msg(struct rtnl_reply *r, const struct nlmsghdr *nlh)
{
	const struct rtnl_handler *h = NULL;
	size_t i;
	int err;

	if (!(nlh->nlmsg_flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return 1;
	for (i = 0; i < ARRAY_SIZE(rtnl_handlers); i++)
		if (rtnl_handlers[i].type == nlh->nlmsg_type)
			h = &rtnl_handlers[i];
	if (!h)
		return -EOPNOTSUPP;
	if (!rtnl_is_get(nlh->nlmsg_type) && !capable_root())
		return -EPERM;
	if (rtnl_is_get(nlh->nlmsg_type) && (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		/* A dump request may carry only a family byte (rtgenmsg): no length check. */
		if (!h->dumpit)
			return -EOPNOTSUPP;
		rtnl_lock();
		err = h->dumpit(r);
		rtnl_unlock();
		if (err)
			return err;
		if (!rtnl_msg_begin(r, NLMSG_DONE, NLM_F_MULTI, sizeof(int))) {
			err = rtnl_flush(r);
			if (!err && !rtnl_msg_begin(r, NLMSG_DONE, NLM_F_MULTI, sizeof(int)))
				err = -ENOBUFS;
			if (err)
				return err;
		}
		return rtnl_flush(r);
	}
	if (!h->doit)
		return -EOPNOTSUPP;
	if (nlh->nlmsg_len - NLMSG_HDRLEN < h->hdrlen)
		return -EINVAL;
	rtnl_lock();
	err = h->doit(r, nlh);
	rtnl_unlock();
	if (err)
		return err;
	return rtnl_is_get(nlh->nlmsg_type) ? 0 : 1;
}

static int rtnl_input(struct sock *sk, const void *data, size_t len)
{
	struct rtnl_reply r = { .sk = sk, .portid = netlink_portid(sk), .cap = RTNL_CHUNK };
	const char *p = data;
	int err;

	r.buf = kmalloc(RTNL_CHUNK, GFP_KERNEL);
	if (!r.buf)
		return -ENOBUFS;
	while (len >= (size_t)NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t step;

		if (nlh->nlmsg_len < (u32)NLMSG_HDRLEN || nlh->nlmsg_len > len)
			break;
		r.seq = nlh->nlmsg_seq;
		r.len = 0;
		err = rtnl_rcv_msg(&r, nlh);
		if (err < 0 || (err > 0 && (nlh->nlmsg_flags & NLM_F_ACK)))
			rtnl_send_error(&r, nlh, err < 0 ? err : 0);
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	kfree(r.buf);
	return 0;
}

static const struct netlink_proto rtnl_proto = {
	.protocol = NETLINK_ROUTE,
	.input = rtnl_input,
};

/* ---- announcements (<exo/rtnetlink.h>) ----------------------------------------- */

/* One message of at most this size: a link's, with both statistics blocks, fits. */
#define RTNL_ANNOUNCE_SIZE 1024

/* Builds one message with @fill and multicasts it to @group; dropped when memory is short. */
static void rtnl_announce(unsigned int group, int (*fill)(struct rtnl_reply *r, const void *obj,
							  int type),
			  const void *obj, int type)
{
	struct rtnl_reply r = { .cap = RTNL_ANNOUNCE_SIZE };

	r.buf = kmalloc(r.cap, GFP_ATOMIC);
	if (!r.buf)
		return;
	if (!fill(&r, obj, type))
		rtnl_notify(&r, group);
	kfree(r.buf);
}

static int rtnl_fill_link_obj(struct rtnl_reply *r, const void *dev, int type)
{
	return rtnl_fill_link(r, (struct net_device *)dev, 0);
}

static int rtnl_fill_addr_obj(struct rtnl_reply *r, const void *ifa, int type)
{
	return rtnl_fill_addr(r, ifa, (u16)type, 0);
}

static int rtnl_fill_route_obj(struct rtnl_reply *r, const void *fr, int type)
{
	return rtnl_fill_route(r, fr, (u16)type, 0);
}

void rtnl_announce_link(struct net_device *dev)
{
	rtnl_announce(RTNLGRP_LINK, rtnl_fill_link_obj, dev, RTM_NEWLINK);
}

void rtnl_announce_addr(const struct in_ifaddr *ifa, int type)
{
	rtnl_announce(RTNLGRP_IPV4_IFADDR, rtnl_fill_addr_obj, ifa, type);
}

void rtnl_announce_route(const struct fib_route *fr, int type)
{
	rtnl_announce(RTNLGRP_IPV4_ROUTE, rtnl_fill_route_obj, fr, type);
}

/* Linux's rtnetlink_event: a device's state changed (up, down, carrier, MTU, a new device). */
static void rtnl_netdev_event(struct net_device *dev, unsigned long event)
{
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGEADDR:
	case NETDEV_REGISTER:
		rtnl_announce_link(dev);
		break;
	}
}

static struct netdev_notifier rtnl_netdev_notifier = { .event = rtnl_netdev_event };

static int rtnetlink_init(void)
{
	register_netdevice_notifier(&rtnl_netdev_notifier);
	return netlink_register(&rtnl_proto);
}
fs_initcall(rtnetlink_init);
