// SPDX-License-Identifier: MIT
/*
 * IPv4 routing: two tables as Linux keeps them. The local table holds
 * this host's addresses (RTN_LOCAL) and its broadcast addresses
 * (RTN_BROADCAST); the main table the connected subnets, routes added
 * with SIOCADDRT and the default route. A lookup is longest-prefix match,
 * then the lowest metric, over the entries whose device is up (and is
 * @oif when one is asked for); the local table first.
 *
 * The tables are short lists kept sorted by prefix length (longest
 * first) and metric, so the first match is the answer: fine for the
 * handful of routes a host has. /proc/net/route prints the main table in
 * Linux's format.
 *
 * Locking: changes hold the RTNL and take fib_lock around the list edit;
 * lookups take fib_lock alone (the receive path cannot sleep). An entry
 * holds a reference on its device, and a lookup result another.
 */
#include <exo/byteorder.h>
#include <exo/inetdevice.h>
#include <exo/ip_fib.h>
#include <exo/rtnetlink.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <uapi/errno.h>
#include <uapi/rtnetlink.h>
#include "internal.h"

struct fib_entry {
	struct list_head node;		/* [fib_lock] */
	__be32 dst, mask;
	__be32 gw;			/* 0: on link */
	__be32 prefsrc;			/* 0: chosen from the device */
	struct net_device *dev;		/* referenced */
	u32 metric;
	u8 plen;
	u8 type;			/* RTN_* */
	u8 flags;			/* FIB_* */
};

static LIST_HEAD(fib_main);
static LIST_HEAD(fib_local);
static DEFINE_SPINLOCK(fib_lock);

static struct list_head *fib_table(unsigned int flags)
{
	return (flags & FIB_LOCAL) ? &fib_local : &fib_main;
}

/* @fe as a walk and an announcement show it. */
static struct fib_route fib_entry_route(const struct fib_entry *fe)
{
	return (struct fib_route){ .dst = fe->dst, .gw = fe->gw, .prefsrc = fe->prefsrc,
				   .ifindex = fe->dev->ifindex, .metric = fe->metric,
				   .plen = fe->plen, .type = fe->type,
				   .local_table = fe->flags & FIB_LOCAL, .user = fe->flags & FIB_USER };
}

static void fib_announce(const struct fib_entry *fe, int type)
{
	struct fib_route r = fib_entry_route(fe);

	rtnl_announce_route(&r, type);
}

int fib_add(__be32 dst, int plen, __be32 gw, struct net_device *dev, __be32 prefsrc, int type,
	    u32 metric, unsigned int flags)
{
	struct list_head *table = fib_table(flags);
	struct fib_entry *fe, *it;
	struct fib_route added;
	__be32 mask = inet_make_mask(plen);

	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe)
		return -ENOMEM;
	fe->dst = dst & mask;
	fe->mask = mask;
	fe->plen = (u8)plen;
	fe->gw = gw;
	fe->prefsrc = prefsrc;
	fe->dev = dev;
	fe->metric = metric;
	fe->type = (u8)type;
	fe->flags = (u8)flags;
	spin_lock(&fib_lock);
	list_for_each_entry(it, table, node) {
		if (it->dst == fe->dst && it->plen == fe->plen && it->metric == metric &&
		    it->dev == dev && it->gw == gw && it->type == type) {
			spin_unlock(&fib_lock);
			kfree(fe);
			return -EEXIST;
		}
	}
	list_for_each_entry(it, table, node)
		if (it->plen < fe->plen || (it->plen == fe->plen && it->metric > metric))
			break;
	dev_hold(dev);
	list_add_tail(&fe->node, &it->node);
	/* Read while it is certainly there; announced without the lock. */
	added = fib_entry_route(fe);
	spin_unlock(&fib_lock);
	rtnl_announce_route(&added, RTM_NEWROUTE);
	return 0;
}

/* Frees an entry already taken out of its table, announcing its removal. */
static void fib_free(struct fib_entry *fe)
{
	fib_announce(fe, RTM_DELROUTE);
	dev_put(fe->dev);
	kfree(fe);
}

int fib_del(__be32 dst, int plen, __be32 gw, struct net_device *dev, u32 metric,
	    unsigned int flags, bool any_metric)
{
	struct fib_entry *fe, *found = NULL;
	__be32 mask = inet_make_mask(plen);

	spin_lock(&fib_lock);
	list_for_each_entry(fe, fib_table(flags), node) {
		if (fe->dst != (dst & mask) || fe->plen != plen)
			continue;
		if ((dev && fe->dev != dev) || (gw && fe->gw != gw) ||
		    (!any_metric && fe->metric != metric))
			continue;
		found = fe;
		list_del(&fe->node);
		break;
	}
	spin_unlock(&fib_lock);
	if (!found)
		return -ESRCH;
	fib_free(found);
	return 0;
}

void fib_flush_dev(struct net_device *dev)
{
	struct fib_entry *fe, *tmp;
	LIST_HEAD(dead);

	spin_lock(&fib_lock);
	list_for_each_entry_safe(fe, tmp, &fib_main, node)
		if (fe->dev == dev && (fe->flags & FIB_USER))
			list_move(&fe->node, &dead);
	spin_unlock(&fib_lock);
	list_for_each_entry_safe(fe, tmp, &dead, node)
		fib_free(fe);
}

/*
 * Whether @a (at list position @ia) comes before @b (at @ib) in a dump:
 * Linux dumps its trie in key order, so destination ascending, then the
 * longer prefix, then the lower metric; the list position breaks ties.
 * (The lists themselves stay in lookup order, longest prefix first.)
 */
static bool fib_dump_before(const struct fib_entry *a, unsigned int ia,
			    const struct fib_entry *b, unsigned int ib)
{
	u32 da = be32_to_cpu(a->dst), db = be32_to_cpu(b->dst);

	if (da != db)
		return da < db;
	if (a->plen != b->plen)
		return a->plen > b->plen;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return ia < ib;
}

/*
 * The entry of @table that follows @prev (at position *@pos; NULL: the
 * first) in dump order, its position in *@pos; NULL at the end. A
 * selection over the list, O(n) a step: tables here are a few entries.
 * fib_lock held.
 */
static struct fib_entry *fib_dump_next(struct list_head *table, const struct fib_entry *prev,
				       unsigned int *pos)
{
	struct fib_entry *fe, *best = NULL;
	unsigned int i = 0, best_pos = 0;

	list_for_each_entry(fe, table, node) {
		if ((!prev || fib_dump_before(prev, *pos, fe, i)) &&
		    (!best || fib_dump_before(fe, i, best, best_pos))) {
			best = fe;
			best_pos = i;
		}
		i++;
	}
	*pos = best_pos;
	return best;
}

#define for_each_fib_dump(fe, table, pos) \
	for (fe = fib_dump_next(table, NULL, &(pos)); fe; fe = fib_dump_next(table, fe, &(pos)))

int fib_walk(int (*fn)(const struct fib_route *r, void *arg), void *arg, unsigned int skip)
{
	struct list_head *tables[] = { &fib_main, &fib_local };
	struct fib_entry *fe;
	struct fib_route r;
	unsigned int i, n = 0, pos;
	int ret = 0;

	spin_lock(&fib_lock);
	for (i = 0; i < ARRAY_SIZE(tables) && !ret; i++) {
		for_each_fib_dump(fe, tables[i], pos) {
			/* A down device's routes are out of use: Linux removes them, we keep them. */
			if (!(READ_ONCE(fe->dev->flags) & IFF_UP) || n++ < skip)
				continue;
			r = fib_entry_route(fe);
			ret = fn(&r, arg);
			if (ret)
				break;
		}
	}
	spin_unlock(&fib_lock);
	return ret;
}

int fib_route_add(__be32 dst, int plen, __be32 gw, struct net_device *dev, __be32 prefsrc,
		  int type, u32 metric)
{
	struct rtable r;
	int err;

	if (dev)
		return fib_add(dst, plen, gw, dev, prefsrc, type, metric, FIB_USER);
	if (!gw)
		return -ENODEV;
	/* The gateway must be on a connected subnet: its route names the device. */
	err = ip_route_output(gw, 0, 0, &r);
	if (err)
		return err;
	err = (r.gateway || r.type != RTN_UNICAST) ? -ENETUNREACH :
		fib_add(dst, plen, gw, r.dev, prefsrc, type, metric, FIB_USER);
	ip_rt_put(&r);
	return err;
}

int fib_route_del(__be32 dst, int plen, __be32 gw, struct net_device *dev, s64 metric)
{
	return fib_del(dst, plen, gw, dev, metric < 0 ? 0 : (u32)metric, 0, metric < 0);
}

/* The first usable match for @daddr in @table; fib_lock held. */
static struct fib_entry *fib_lookup(struct list_head *table, __be32 daddr, int oif)
{
	struct fib_entry *fe;

	list_for_each_entry(fe, table, node) {
		if ((daddr & fe->mask) != fe->dst)
			continue;
		if (!(READ_ONCE(fe->dev->flags) & IFF_UP))
			continue;
		if (oif && fe->dev->ifindex != oif && !(fe->flags & FIB_LOCAL))
			continue;
		return fe;
	}
	return NULL;
}

int fib_local_type(__be32 addr)
{
	struct fib_entry *fe;
	int type;

	spin_lock(&fib_lock);
	fe = fib_lookup(&fib_local, addr, 0);
	type = fe ? fe->type : 0;
	spin_unlock(&fib_lock);
	return type;
}

int ip_route_output(__be32 daddr, __be32 saddr, int oif, struct rtable *rt)
{
	struct fib_entry *fe;
	struct net_device *dev;
	__be32 gw = 0, prefsrc = 0;
	int type;

	*rt = (struct rtable){ 0 };
	if (saddr && !inet_addr_is_local(saddr))
		return -EINVAL;
	spin_lock(&fib_lock);
	fe = fib_lookup(&fib_local, daddr, 0);
	if (fe && fe->type == RTN_LOCAL) {
		/* Our own address: through lo, whatever device holds it. */
		dev = READ_ONCE(loopback_dev);
		if (!dev) {
			spin_unlock(&fib_lock);
			return -ENETUNREACH;	/* early boot: lo not registered yet */
		}
		type = RTN_LOCAL;
		prefsrc = saddr ? saddr : daddr;
	} else {
		if (fe && fe->type == RTN_BROADCAST && (!oif || fe->dev->ifindex == oif)) {
			dev = fe->dev;
			prefsrc = fe->prefsrc;
			type = RTN_BROADCAST;
		} else {
			fe = fib_lookup(&fib_main, daddr, oif);
			if (!fe || fe->type == RTN_UNREACHABLE) {
				spin_unlock(&fib_lock);
				if (!fe) {
					struct net_device *odev;

					/* Bound to a device without a route: on link there (Linux's oif rule). */
					if (oif && (odev = dev_get_by_index(oif))) {
						if (!(odev->flags & IFF_UP)) {
							dev_put(odev);
							return -ENETUNREACH;
						}
						rt->dev = odev;
						rt->type = daddr == htonl(INADDR_BROADCAST) ? RTN_BROADCAST
											    : RTN_UNICAST;
						rt->prefsrc = saddr ? saddr : inet_select_addr(odev, daddr);
						rt->mtu = odev->mtu;
						return 0;
					}
				}
				return -ENETUNREACH;
			}
			dev = fe->dev;
			gw = fe->gw;
			prefsrc = fe->prefsrc;
			type = daddr == htonl(INADDR_BROADCAST) ? RTN_BROADCAST : RTN_UNICAST;
			if (type == RTN_BROADCAST)
				gw = 0;
		}
	}
	dev_hold(dev);
	spin_unlock(&fib_lock);
	rt->dev = dev;
	rt->gateway = gw;
	rt->type = type;
	rt->mtu = dev->mtu;
	if (saddr)
		rt->prefsrc = saddr;
	else
		rt->prefsrc = prefsrc ? prefsrc : inet_select_addr(dev, gw ? gw : daddr);
	return 0;
}

int route_seq_show(struct seq_file *m)
{
	struct fib_entry *fe;
	size_t start = m->count;
	unsigned int pos;

	seq_puts(m, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU"
		    "\tWindow\tIRTT");
	seq_pad(m, start, 127, '\n');
	spin_lock(&fib_lock);
	for_each_fib_dump(fe, &fib_main, pos) {
		unsigned int flags = RTF_UP;

		if (!(READ_ONCE(fe->dev->flags) & IFF_UP))
			continue;
		if (fe->gw)
			flags |= RTF_GATEWAY;
		if (fe->plen == 32)
			flags |= RTF_HOST;
		if (fe->type == RTN_UNREACHABLE)
			flags |= RTF_REJECT;
		start = m->count;
		seq_printf(m, "%s\t%08X\t%08X\t%04X\t%d\t%u\t%u\t%08X\t%d\t%u\t%u", fe->dev->name,
			   fe->dst, fe->gw, flags, 0, 0, fe->metric, fe->mask, 0, 0, 0);
		seq_pad(m, start, 127, '\n');
	}
	spin_unlock(&fib_lock);
	return 0;
}
