/*
 * NETLINK_ROUTE: raw requests as `ip` sends them, on lo, and the replies'
 * structure: dumps of links, addresses and routes (NLM_F_MULTI, the
 * sequence number and our port id, NLMSG_DONE), single GETs, acks
 * (NLMSG_ERROR 0), errors for malformed requests, and EPERM for changes
 * by a non-root user. The address and route tests change lo and undo it.
 *
 * The ABI is written out here rather than taken from a header: musl has
 * no <linux/rtnetlink.h>, and values typed again catch a wrong one in the
 * kernel's. Natively, run in a fresh network namespace (unshare -n): the
 * tests bring lo up and add addresses to it.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <net/route.h>
#include <sys/ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define AF_NETLINK_	16
#define NLM_F_REQUEST	0x01
#define NLM_F_MULTI	0x02
#define NLM_F_ACK	0x04
#define NLM_F_DUMP	0x300
#define NLM_F_EXCL	0x200
#define NLM_F_CREATE	0x400
#define NLMSG_ERROR	2
#define NLMSG_DONE	3
#define RTM_NEWLINK	16
#define RTM_GETLINK	18
#define RTM_NEWADDR	20
#define RTM_DELADDR	21
#define RTM_GETADDR	22
#define RTM_NEWROUTE	24
#define RTM_DELROUTE	25
#define RTM_GETROUTE	26
#define IFLA_ADDRESS	1
#define IFLA_IFNAME	3
#define IFLA_MTU	4
#define IFLA_STATS	7
#define IFLA_TXQLEN	13
#define IFLA_OPERSTATE	16
#define IFLA_STATS64	23
#define IFA_ADDRESS	1
#define IFA_LOCAL	2
#define IFA_LABEL	3
#define RTA_DST		1
#define RTA_OIF		4
#define RTA_GATEWAY	5
#define RTA_TABLE	15
#define RT_TABLE_MAIN	254
#define RT_TABLE_LOCAL	255
#define RT_SCOPE_HOST	254
#define RTN_LOCAL	2
#define RTPROT_BOOT	3
#define RT_SCOPE_UNIVERSE 0
#define RT_SCOPE_LINK	253
#define RTN_UNICAST	1

struct sockaddr_nl_ {
	unsigned short nl_family, nl_pad;
	uint32_t nl_pid, nl_groups;
};
struct nlmsghdr_ {
	uint32_t nlmsg_len;
	uint16_t nlmsg_type, nlmsg_flags;
	uint32_t nlmsg_seq, nlmsg_pid;
};
struct nlmsgerr_ {
	int error;
	struct nlmsghdr_ msg;
};
struct rtattr_ {
	unsigned short rta_len, rta_type;
};
struct ifinfomsg_ {
	unsigned char ifi_family, pad;
	unsigned short ifi_type;
	int ifi_index;
	unsigned int ifi_flags, ifi_change;
};
struct ifaddrmsg_ {
	uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
	uint32_t ifa_index;
};
struct rtmsg_ {
	unsigned char family, dst_len, src_len, tos, table, protocol, scope, type;
	unsigned int flags;
};

#define ALIGN4(n) (((n) + 3U) & ~3U)

/* A request being built: header, fixed part, attributes. */
struct req {
	struct nlmsghdr_ h;
	char data[1024];
};

static void req_init(struct req *r, int type, int flags, const void *fixed, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = (uint32_t)(sizeof(r->h) + ALIGN4(len));
	r->h.nlmsg_type = (uint16_t)type;
	r->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->h.nlmsg_seq = 4242 + (uint32_t)type;
	memcpy(r->data, fixed, len);
}

static void req_attr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr_ *rta = (struct rtattr_ *)((char *)r + r->h.nlmsg_len);

	rta->rta_len = (unsigned short)(sizeof(*rta) + len);
	rta->rta_type = (unsigned short)type;
	memcpy(rta + 1, data, len);
	r->h.nlmsg_len += ALIGN4(rta->rta_len);
}

static int nl_open(void)
{
	struct sockaddr_nl_ sa = { .nl_family = AF_NETLINK_ };
	struct timeval tv = { 2, 0 };
	int s = socket(AF_NETLINK_, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return s;
}

static uint32_t nl_portid(int s)
{
	struct sockaddr_nl_ sa;
	socklen_t len = sizeof(sa);

	getsockname(s, (struct sockaddr *)&sa, &len);
	return sa.nl_pid;
}

static int nl_send(int s, const void *buf, size_t len)
{
	struct sockaddr_nl_ k = { .nl_family = AF_NETLINK_ };

	return sendto(s, buf, len, 0, (struct sockaddr *)&k, sizeof(k)) == (ssize_t)len ? 0 : -1;
}

/* The error of the NLMSG_ERROR answering a change (0: an ack), or 1 if none came. */
static int nl_request(int s, struct req *r)
{
	char buf[8192];
	struct nlmsghdr_ *h = (struct nlmsghdr_ *)buf;
	struct nlmsgerr_ *e = (struct nlmsgerr_ *)(h + 1);
	ssize_t n;

	if (nl_send(s, r, r->h.nlmsg_len))
		return -1000;
	n = recv(s, buf, sizeof(buf), 0);
	if (n < (ssize_t)(sizeof(*h) + sizeof(*e)) || h->nlmsg_type != NLMSG_ERROR)
		return 1;
	if (h->nlmsg_seq != r->h.nlmsg_seq || h->nlmsg_pid != nl_portid(s) ||
	    e->msg.nlmsg_seq != r->h.nlmsg_seq || e->msg.nlmsg_type != r->h.nlmsg_type)
		return 2;
	return e->error;
}

static int lo_index(void)
{
	return (int)if_nametoindex("lo");
}

/* ---- a dump, message by message ----------------------------------------------- */

typedef void (*dump_fn)(struct nlmsghdr_ *h, void *arg);

/* Sends a dump request; calls @fn for each message; the count, or -1 on a broken reply. */
static int nl_dump(int s, int type, size_t fixed_len, dump_fn fn, void *arg)
{
	char fixed[64] = { 0 }, buf[8192];
	struct req r;
	int count = 0;

	fixed[0] = type == RTM_GETLINK ? 0 : AF_INET;
	req_init(&r, type, NLM_F_DUMP, fixed, fixed_len);
	if (nl_send(s, &r, r.h.nlmsg_len))
		return -1;
	for (;;) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		size_t off = 0;

		if (n <= 0)
			return -1;
		while (off + sizeof(struct nlmsghdr_) <= (size_t)n) {
			struct nlmsghdr_ *h = (struct nlmsghdr_ *)(buf + off);

			if (h->nlmsg_len < sizeof(*h) || off + h->nlmsg_len > (size_t)n)
				return -1;
			if (h->nlmsg_seq != r.h.nlmsg_seq || h->nlmsg_pid != nl_portid(s) ||
			    !(h->nlmsg_flags & NLM_F_MULTI))
				return -1;
			if (h->nlmsg_type == NLMSG_DONE)
				return count;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			count++;
			fn(h, arg);
			off += ALIGN4(h->nlmsg_len);
		}
	}
}

/* The attribute @type after a @fixed-byte part, or NULL. */
static struct rtattr_ *nl_attr(struct nlmsghdr_ *h, size_t fixed, int type)
{
	size_t off = sizeof(*h) + ALIGN4(fixed);

	while (off + sizeof(struct rtattr_) <= h->nlmsg_len) {
		struct rtattr_ *rta = (struct rtattr_ *)((char *)h + off);

		if (rta->rta_len < sizeof(*rta) || off + rta->rta_len > h->nlmsg_len)
			return NULL;
		if (rta->rta_type == type)
			return rta;
		off += ALIGN4(rta->rta_len);
	}
	return NULL;
}

static uint32_t attr_u32(struct rtattr_ *rta)
{
	uint32_t v = 0;

	if (rta)
		memcpy(&v, rta + 1, sizeof(v));
	return v;
}

static int lo_set_up(int s)
{
	struct ifinfomsg_ ifi = { .ifi_index = lo_index(), .ifi_flags = IFF_UP,
				  .ifi_change = IFF_UP };
	struct req r;

	req_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	return nl_request(s, &r);
}

/* ---- links ------------------------------------------------------------------ */

struct link_seen {
	int lo, lo_flags, lo_type, others;
	uint32_t mtu;
	int has_stats, has_stats64, has_txqlen, has_operstate;
};

static void link_cb(struct nlmsghdr_ *h, void *arg)
{
	struct link_seen *ls = arg;
	struct ifinfomsg_ *ifi = (struct ifinfomsg_ *)(h + 1);
	struct rtattr_ *name = nl_attr(h, sizeof(*ifi), IFLA_IFNAME);

	if (h->nlmsg_type != RTM_NEWLINK || !name)
		return;
	if (strcmp((char *)(name + 1), "lo")) {
		ls->others++;
		return;
	}
	ls->lo = ifi->ifi_index;
	ls->lo_flags = (int)ifi->ifi_flags;
	ls->lo_type = ifi->ifi_type;
	ls->mtu = attr_u32(nl_attr(h, sizeof(*ifi), IFLA_MTU));
	ls->has_stats = nl_attr(h, sizeof(*ifi), IFLA_STATS) != NULL;
	ls->has_stats64 = nl_attr(h, sizeof(*ifi), IFLA_STATS64) != NULL;
	ls->has_txqlen = nl_attr(h, sizeof(*ifi), IFLA_TXQLEN) != NULL;
	ls->has_operstate = nl_attr(h, sizeof(*ifi), IFLA_OPERSTATE) != NULL;
}

TEST(rtnetlink, getlink_dump)
{
	struct link_seen ls = { 0 };
	int s = ASSERT_OK(nl_open());

	if (getuid() == 0)
		EXPECT_EQ(lo_set_up(s), 0);
	EXPECT_GE(nl_dump(s, RTM_GETLINK, sizeof(struct ifinfomsg_), link_cb, &ls), 1);
	EXPECT_EQ(ls.lo, lo_index());
	EXPECT_EQ(ls.lo_type, 772);			/* ARPHRD_LOOPBACK */
	EXPECT_TRUE(ls.lo_flags & IFF_LOOPBACK);
	EXPECT_TRUE(ls.lo_flags & IFF_UP);
	EXPECT_TRUE(ls.lo_flags & IFF_RUNNING);
	EXPECT_GE(ls.mtu, 1500);
	EXPECT_TRUE(ls.has_stats && ls.has_stats64 && ls.has_txqlen && ls.has_operstate);
	close(s);
}

TEST(rtnetlink, getlink_by_name_and_index)
{
	char buf[4096];
	struct ifinfomsg_ ifi = { 0 };
	struct nlmsghdr_ *h = (struct nlmsghdr_ *)buf;
	struct req r;
	int s = ASSERT_OK(nl_open());
	ssize_t n;

	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	ASSERT_OK(nl_send(s, &r, r.h.nlmsg_len));
	n = recv(s, buf, sizeof(buf), 0);
	ASSERT_GE(n, (long)sizeof(*h));
	EXPECT_EQ(h->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(h->nlmsg_len, (unsigned long)n);
	EXPECT_EQ(h->nlmsg_seq, r.h.nlmsg_seq);
	EXPECT_EQ(h->nlmsg_pid, nl_portid(s));
	EXPECT_EQ(((struct ifinfomsg_ *)(h + 1))->ifi_index, lo_index());
	EXPECT_TRUE(nl_attr(h, sizeof(ifi), IFLA_ADDRESS) != NULL);

	/* By index; then one that does not exist. */
	ifi.ifi_index = lo_index();
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	ASSERT_OK(nl_send(s, &r, r.h.nlmsg_len));
	n = recv(s, buf, sizeof(buf), 0);
	ASSERT_GE(n, (long)sizeof(*h));
	EXPECT_EQ(h->nlmsg_type, RTM_NEWLINK);
	EXPECT_EQ(strcmp((char *)(nl_attr(h, sizeof(ifi), IFLA_IFNAME) + 1), "lo"), 0);
	ifi.ifi_index = 99999;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	EXPECT_EQ(nl_request(s, &r), -ENODEV);
	close(s);
}

TEST(rtnetlink, malformed)
{
	struct ifinfomsg_ ifi = { .ifi_index = 1 };
	struct req r;
	char buf[256];
	int s = ASSERT_OK(nl_open());

	/*
	 * An attribute longer than the message, or shorter than its own
	 * header: the list ends there (Linux without strict checking) and
	 * the request is answered from what came before.
	 */
	ifi.ifi_index = 99999;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	((struct rtattr_ *)((char *)&r + sizeof(r.h) + sizeof(ifi)))->rta_len = 200;
	EXPECT_EQ(nl_request(s, &r), -ENODEV);
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	((struct rtattr_ *)((char *)&r + sizeof(r.h) + sizeof(ifi)))->rta_len = 2;
	EXPECT_EQ(nl_request(s, &r), -ENODEV);
	ifi.ifi_index = 1;
	/* A fixed part cut short. */
	req_init(&r, RTM_GETLINK, 0, &ifi, 4);
	EXPECT_EQ(nl_request(s, &r), -EINVAL);
	/* A u32 attribute of two bytes (a change: root only; as a user EPERM comes first). */
	if (getuid() == 0) {
		struct ifaddrmsg_ ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24,
					  .ifa_index = (uint32_t)lo_index() };

		req_init(&r, RTM_NEWADDR, NLM_F_ACK, &ifa, sizeof(ifa));
		req_attr(&r, IFA_LOCAL, "\x0a\x00", 2);
		EXPECT_EQ(nl_request(s, &r), -ERANGE);
	}
	/* An unknown type. */
	req_init(&r, 1000, 0, &ifi, sizeof(ifi));
	EXPECT_EQ(nl_request(s, &r), -EOPNOTSUPP);
	/* nlmsg_len past the datagram: ignored, no answer. */
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	r.h.nlmsg_len = 500;
	ASSERT_OK(nl_send(s, &r, sizeof(r.h) + sizeof(ifi)));
	EXPECT_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* A reply (no NLM_F_REQUEST) with NLM_F_ACK is acked, not acted on. */
	req_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	r.h.nlmsg_flags &= (uint16_t)~NLM_F_REQUEST;
	EXPECT_EQ(nl_request(s, &r), 0);
	close(s);
}

/* ---- addresses and routes ----------------------------------------------------- */

struct addr_seen {
	uint32_t want;
	int found, prefixlen, index;
	char label[IFNAMSIZ];
};

static void addr_cb(struct nlmsghdr_ *h, void *arg)
{
	struct addr_seen *as = arg;
	struct ifaddrmsg_ *ifa = (struct ifaddrmsg_ *)(h + 1);
	struct rtattr_ *label = nl_attr(h, sizeof(*ifa), IFA_LABEL);

	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET ||
	    attr_u32(nl_attr(h, sizeof(*ifa), IFA_LOCAL)) != as->want ||
	    attr_u32(nl_attr(h, sizeof(*ifa), IFA_ADDRESS)) != as->want)
		return;
	as->found++;
	as->prefixlen = ifa->ifa_prefixlen;
	as->index = (int)ifa->ifa_index;
	if (label)
		snprintf(as->label, sizeof(as->label), "%s", (char *)(label + 1));
}

struct route_seen {
	uint32_t dst, gw;
	int dst_len, want_table;
	int found, oif, scope, protocol, table, type;
};

static void route_cb(struct nlmsghdr_ *h, void *arg)
{
	struct route_seen *rs = arg;
	struct rtmsg_ *rtm = (struct rtmsg_ *)(h + 1);

	if (h->nlmsg_type != RTM_NEWROUTE || rtm->family != AF_INET ||
	    rtm->dst_len != rs->dst_len || rtm->table != rs->want_table ||
	    attr_u32(nl_attr(h, sizeof(*rtm), RTA_DST)) != rs->dst)
		return;
	rs->found++;
	rs->gw = attr_u32(nl_attr(h, sizeof(*rtm), RTA_GATEWAY));
	rs->oif = (int)attr_u32(nl_attr(h, sizeof(*rtm), RTA_OIF));
	rs->scope = rtm->scope;
	rs->protocol = rtm->protocol;
	rs->type = rtm->type;
	rs->table = (int)attr_u32(nl_attr(h, sizeof(*rtm), RTA_TABLE));
}

static int addr_change(int s, int type, uint32_t addr, int plen)
{
	struct ifaddrmsg_ ifa = { .ifa_family = AF_INET, .ifa_prefixlen = (uint8_t)plen,
				  .ifa_index = (uint32_t)lo_index() };
	struct req r;

	req_init(&r, type, NLM_F_ACK | (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0),
		 &ifa, sizeof(ifa));
	req_attr(&r, IFA_LOCAL, &addr, 4);
	req_attr(&r, IFA_ADDRESS, &addr, 4);
	return nl_request(s, &r);
}

static int route_change(int s, int type, uint32_t dst, int plen, uint32_t gw)
{
	struct rtmsg_ rtm = { .family = AF_INET, .dst_len = (unsigned char)plen,
			      .table = RT_TABLE_MAIN, .protocol = RTPROT_BOOT,
			      .scope = RT_SCOPE_UNIVERSE, .type = RTN_UNICAST };
	int oif = lo_index();
	struct req r;

	req_init(&r, type, NLM_F_ACK | (type == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0),
		 &rtm, sizeof(rtm));
	if (plen)
		req_attr(&r, RTA_DST, &dst, 4);
	req_attr(&r, RTA_GATEWAY, &gw, 4);
	req_attr(&r, RTA_OIF, &oif, 4);
	return nl_request(s, &r);
}

TEST(rtnetlink, addr_and_route)
{
	uint32_t addr = inet_addr("10.77.0.1"), net = inet_addr("10.77.0.0");
	uint32_t gw = inet_addr("10.77.0.2"), far = inet_addr("10.88.0.0");
	struct addr_seen as = { .want = addr };
	struct route_seen conn = { .dst = net, .dst_len = 24, .want_table = RT_TABLE_LOCAL };
	struct route_seen rs = { .dst = far, .dst_len = 16, .want_table = RT_TABLE_MAIN };
	int s;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(nl_open());
	ASSERT_EQ(lo_set_up(s), 0);
	ASSERT_EQ(addr_change(s, RTM_NEWADDR, addr, 24), 0);
	EXPECT_EQ(addr_change(s, RTM_NEWADDR, addr, 24), -EEXIST);
	EXPECT_GE(nl_dump(s, RTM_GETADDR, sizeof(struct ifaddrmsg_), addr_cb, &as), 1);
	EXPECT_EQ(as.found, 1);
	EXPECT_EQ(as.prefixlen, 24);
	EXPECT_EQ(as.index, lo_index());
	EXPECT_EQ(strcmp(as.label, "lo"), 0);
	/* The address brought its subnet's route: on lo a local one, in the local table. */
	EXPECT_GE(nl_dump(s, RTM_GETROUTE, sizeof(struct rtmsg_), route_cb, &conn), 1);
	EXPECT_EQ(conn.found, 1);
	EXPECT_EQ(conn.oif, lo_index());
	EXPECT_EQ(conn.scope, RT_SCOPE_HOST);
	EXPECT_EQ(conn.type, RTN_LOCAL);
	EXPECT_EQ(conn.table, RT_TABLE_LOCAL);

	EXPECT_EQ(route_change(s, RTM_NEWROUTE, far, 16, gw), 0);
	EXPECT_EQ(route_change(s, RTM_NEWROUTE, far, 16, gw), -EEXIST);
	EXPECT_GE(nl_dump(s, RTM_GETROUTE, sizeof(struct rtmsg_), route_cb, &rs), 1);
	EXPECT_EQ(rs.found, 1);
	EXPECT_EQ(rs.gw, gw);
	EXPECT_EQ(rs.oif, lo_index());
	EXPECT_EQ(rs.scope, RT_SCOPE_UNIVERSE);
	EXPECT_EQ(rs.protocol, RTPROT_BOOT);
	/* A host bit set past the prefix length. */
	EXPECT_EQ(route_change(s, RTM_NEWROUTE, inet_addr("10.88.0.1"), 16, gw), -EINVAL);

	/* The route to one destination. */
	{
		struct rtmsg_ rtm = { .family = AF_INET, .dst_len = 32 };
		uint32_t dst = inet_addr("10.88.3.4");
		struct nlmsghdr_ *h;
		char buf[4096];
		struct req r;

		req_init(&r, RTM_GETROUTE, 0, &rtm, sizeof(rtm));
		req_attr(&r, RTA_DST, &dst, 4);
		ASSERT_OK(nl_send(s, &r, r.h.nlmsg_len));
		ASSERT_GE(recv(s, buf, sizeof(buf), 0), (long)sizeof(*h));
		h = (struct nlmsghdr_ *)buf;
		EXPECT_EQ(h->nlmsg_type, RTM_NEWROUTE);
		EXPECT_EQ(h->nlmsg_seq, r.h.nlmsg_seq);
		EXPECT_EQ(attr_u32(nl_attr(h, sizeof(rtm), RTA_DST)), dst);
		/* (No gateway check: Linux treats one on lo's local subnet as on link.) */
		EXPECT_EQ((int)attr_u32(nl_attr(h, sizeof(rtm), RTA_OIF)), lo_index());
	}

	EXPECT_EQ(route_change(s, RTM_DELROUTE, far, 16, gw), 0);
	EXPECT_EQ(route_change(s, RTM_DELROUTE, far, 16, gw), -ESRCH);
	rs.found = 0;
	EXPECT_GE(nl_dump(s, RTM_GETROUTE, sizeof(struct rtmsg_), route_cb, &rs), 0);
	EXPECT_EQ(rs.found, 0);

	EXPECT_EQ(addr_change(s, RTM_DELADDR, addr, 24), 0);
	EXPECT_EQ(addr_change(s, RTM_DELADDR, addr, 24), -EADDRNOTAVAIL);
	as.found = conn.found = 0;
	EXPECT_GE(nl_dump(s, RTM_GETADDR, sizeof(struct ifaddrmsg_), addr_cb, &as), 0);
	EXPECT_EQ(as.found, 0);
	EXPECT_GE(nl_dump(s, RTM_GETROUTE, sizeof(struct rtmsg_), route_cb, &conn), 0);
	EXPECT_EQ(conn.found, 0);
	close(s);
}

TEST(rtnetlink, set_mtu)
{
	struct ifinfomsg_ ifi = { .ifi_index = lo_index() };
	struct link_seen ls = { 0 };
	uint32_t mtu = 1280, old;
	struct req r;
	int s;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(nl_open());
	ASSERT_GE(nl_dump(s, RTM_GETLINK, sizeof(ifi), link_cb, &ls), 1);
	old = ls.mtu;
	req_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_MTU, &mtu, 4);
	EXPECT_EQ(nl_request(s, &r), 0);
	ASSERT_GE(nl_dump(s, RTM_GETLINK, sizeof(ifi), link_cb, &ls), 1);
	EXPECT_EQ(ls.mtu, 1280);
	req_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_MTU, &old, 4);
	EXPECT_EQ(nl_request(s, &r), 0);
	close(s);
}

static int changes_as_user(void)
{
	struct ifaddrmsg_ ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24,
				  .ifa_index = (uint32_t)lo_index() };
	struct link_seen ls = { 0 };
	uint32_t addr = inet_addr("10.77.0.9");
	struct req r;
	int s = nl_open();

	if (s < 0)
		return 1;
	req_init(&r, RTM_NEWADDR, NLM_F_ACK, &ifa, sizeof(ifa));
	req_attr(&r, IFA_LOCAL, &addr, 4);
	if (nl_request(s, &r) != -EPERM)
		return 2;
	if (lo_set_up(s) != -EPERM)
		return 3;
	/* Reading is allowed. */
	if (nl_dump(s, RTM_GETLINK, sizeof(struct ifinfomsg_), link_cb, &ls) < 1 || !ls.lo)
		return 4;
	return 0;
}

TEST(rtnetlink, eperm_as_user)
{
	int status;
	pid_t pid;

	if (getuid() != 0)
		return;
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(changes_as_user());
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

/* The next message on @s, of @type, MSG_DONTWAIT; its ifaddrmsg's address through @addr. */
static int next_addr_msg(int s, int type, uint32_t *addr)
{
	char buf[4096];
	struct nlmsghdr_ *h = (struct nlmsghdr_ *)buf;
	ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < (ssize_t)sizeof(*h) || h->nlmsg_type != type)
		return -1;
	*addr = attr_u32(nl_attr(h, sizeof(struct ifaddrmsg_), IFA_LOCAL));
	return 0;
}

TEST(rtnetlink, notifications)
{
	struct sockaddr_nl_ sa = { .nl_family = AF_NETLINK_, .nl_groups = 0x10 /* RTMGRP_IPV4_IFADDR */ };
	uint32_t addr = inet_addr("10.78.0.1"), got = 0;
	struct sockaddr_nl_ nm;
	socklen_t len = sizeof(nm);
	char buf[256];
	int s, l;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(nl_open());
	l = ASSERT_OK(socket(AF_NETLINK_, SOCK_RAW | SOCK_CLOEXEC, 0));
	ASSERT_OK(bind(l, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_OK(getsockname(l, (struct sockaddr *)&nm, &len));
	EXPECT_EQ(nm.nl_groups, 0x10);
	ASSERT_EQ(lo_set_up(s), 0);
	/* A link change is not in the address group. */
	EXPECT_ERRNO(recv(l, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	ASSERT_EQ(addr_change(s, RTM_NEWADDR, addr, 24), 0);
	EXPECT_EQ(next_addr_msg(l, RTM_NEWADDR, &got), 0);
	EXPECT_EQ(got, addr);
	ASSERT_EQ(addr_change(s, RTM_DELADDR, addr, 24), 0);
	got = 0;
	EXPECT_EQ(next_addr_msg(l, RTM_DELADDR, &got), 0);
	EXPECT_EQ(got, addr);
	EXPECT_ERRNO(recv(l, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(l);
	close(s);
}

/*
 * The next message of @type on the listener @s within 2 s, skipping others;
 * copied into @buf. 0, or -1 when none came.
 */
static int wait_msg(int s, int type, char *buf, size_t size)
{
	struct nlmsghdr_ *h = (struct nlmsghdr_ *)buf;
	struct timeval tv = { .tv_sec = 2 };

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		ssize_t n = recv(s, buf, size, 0);

		if (n < (ssize_t)sizeof(*h))
			return -1;
		if (h->nlmsg_type == type)
			return 0;
	}
}

/* Changes made by ioctl (ifconfig, route) are announced as netlink's own are. */
TEST(rtnetlink, notifications_from_ioctls)
{
	/* RTMGRP_LINK | RTMGRP_IPV4_ROUTE */
	struct sockaddr_nl_ sa = { .nl_family = AF_NETLINK_, .nl_groups = 0x1 | 0x40 };
	struct rtentry rt = { .rt_flags = RTF_UP, .rt_dev = "lo" };
	struct ifreq ifr = { .ifr_name = "lo" };
	struct sockaddr_in *sin;
	char buf[4096];
	int s, l, u, old_mtu;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(nl_open());
	ASSERT_EQ(lo_set_up(s), 0);
	l = ASSERT_OK(socket(AF_NETLINK_, SOCK_RAW | SOCK_CLOEXEC, 0));
	ASSERT_OK(bind(l, (struct sockaddr *)&sa, sizeof(sa)));
	/* The ioctls go to an inet socket, as ifconfig and route use. */
	u = ASSERT_OK(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
	ASSERT_OK(ioctl(u, SIOCGIFMTU, &ifr));
	old_mtu = ifr.ifr_mtu;
	ifr.ifr_mtu = 1280;
	ASSERT_OK(ioctl(u, SIOCSIFMTU, &ifr));
	EXPECT_EQ(wait_msg(l, RTM_NEWLINK, buf, sizeof(buf)), 0);
	EXPECT_EQ(attr_u32(nl_attr((struct nlmsghdr_ *)buf, sizeof(struct ifinfomsg_), IFLA_MTU)),
		  1280u);
	ifr.ifr_mtu = old_mtu;
	ASSERT_OK(ioctl(u, SIOCSIFMTU, &ifr));
	EXPECT_EQ(wait_msg(l, RTM_NEWLINK, buf, sizeof(buf)), 0);

	sin = (struct sockaddr_in *)&rt.rt_dst;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = inet_addr("10.89.0.0");
	sin = (struct sockaddr_in *)&rt.rt_genmask;
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = inet_addr("255.255.0.0");
	ASSERT_OK(ioctl(u, SIOCADDRT, &rt));
	EXPECT_EQ(wait_msg(l, RTM_NEWROUTE, buf, sizeof(buf)), 0);
	EXPECT_EQ(attr_u32(nl_attr((struct nlmsghdr_ *)buf, sizeof(struct rtmsg_), RTA_DST)),
		  inet_addr("10.89.0.0"));
	ASSERT_OK(ioctl(u, SIOCDELRT, &rt));
	EXPECT_EQ(wait_msg(l, RTM_DELROUTE, buf, sizeof(buf)), 0);
	EXPECT_EQ(attr_u32(nl_attr((struct nlmsghdr_ *)buf, sizeof(struct rtmsg_), RTA_DST)),
		  inet_addr("10.89.0.0"));
	close(u);
	close(l);
	close(s);
}

/*
 * Random requests: lengths, types, flags and attributes drawn at random, several
 * per datagram. As root only GETs (nothing changes); as nobody every type (EPERM
 * for changes, after the header checks). The socket must keep answering.
 */
static int fuzz(int gets_only)
{
	unsigned int seed = 12345;
	char buf[16384];
	struct link_seen ls = { 0 };
	int s = nl_open(), i, j;

	if (s < 0)
		return 1;
	for (i = 0; i < 3000; i++) {
		unsigned char msg[512];
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(msg));
		struct nlmsghdr_ *h = (struct nlmsghdr_ *)msg;

		for (j = 0; j < (int)len; j++)
			msg[j] = (unsigned char)rand_r(&seed);
		if (len >= sizeof(*h)) {
			int type = 16 + rand_r(&seed) % 16;

			if (gets_only)
				type = (type & ~3) | 2;
			h->nlmsg_type = (uint16_t)type;
			if (rand_r(&seed) % 4)
				h->nlmsg_len = (uint32_t)(len - rand_r(&seed) % 8);
			if (rand_r(&seed) % 2)
				h->nlmsg_flags |= NLM_F_REQUEST;
		}
		nl_send(s, msg, len);
		while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	if (nl_dump(s, RTM_GETLINK, sizeof(struct ifinfomsg_), link_cb, &ls) < 1 || !ls.lo)
		return 2;
	close(s);
	return 0;
}

TEST_TIMEOUT(rtnetlink, random_requests, 60)
{
	int status;
	pid_t pid;

	EXPECT_EQ(fuzz(1), 0);
	if (getuid() != 0)
		return;
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fuzz(0));
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}
