// SPDX-License-Identifier: MIT
/*
 * Boot-time IP configuration, as Linux's ipconfig: after the devices have
 * probed (late_initcall), the kernel configures one Ethernet device from
 * the ip= argument,
 *
 *   ip=<client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>
 *   ip=dhcp    ip=off
 *
 * or, without ip=, with DHCP on the first Ethernet device when there is one
 * (so `make run` is networked with no argument). It brings the device up,
 * waits for its carrier, takes a static address or runs DHCP (RFC 2131:
 * DISCOVER, OFFER, REQUEST, ACK, each retried with growing timeouts, a NAK
 * starting over), adds the address, its subnet route and the default route,
 * and logs "IP-Config: Complete:" with the result. /proc/net/pnp then holds
 * the name servers in resolv.conf syntax (/etc/resolv.conf links to it).
 *
 * Before an address exists the stack cannot send or take UDP, so DHCP
 * frames are built here (Ethernet, IPv4 from 0.0.0.0 to 255.255.255.255,
 * UDP 68 -> 67) and sent with dev_queue_xmit(), and replies are taken off
 * the wire by a packet_type handler for ETH_P_IP registered before IP's:
 * while DHCP runs it keeps UDP datagrams from port 67 to port 68 on the
 * device it configures (queued for the waiting boot thread) and passes
 * everything else to ip_rcv(); afterwards it only passes on. The message
 * parsing lives in dhcp.c.
 *
 * Contexts: ip_auto_config() runs in the init thread and sleeps; ic_rcv()
 * runs in a network thread. They share ic_dev/ic_xid (written before
 * listening starts, read with acquire) and the ic_replies queue (its lock).
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/cmdline.h>
#include <exo/etherdevice.h>
#include <exo/init.h>
#include <exo/inetdevice.h>
#include <exo/printk.h>
#include <exo/proc_net.h>
#include <exo/random.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/time.h>
#include <exo/utsname.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/if_ether.h>
#include "dhcp.h"
#include "internal.h"

#define NSEC_PER_MSEC		1000000ULL
#define NSEC_PER_SEC		1000000000ULL
#define IC_CARRIER_WAIT_NS	(3 * NSEC_PER_SEC)	/* a virtual NIC has it at once */
#define IC_DISCOVER_TRIES	4			/* waits of 1, 2, 4, 4 s */
#define IC_REQUEST_TRIES	3
#define IC_MAX_WAIT_NS		(4 * NSEC_PER_SEC)
#define IC_MAX_REPLIES		8			/* queued, unread replies kept */
#define IC_UDP_HLEN		8

struct ic_udphdr {
	__be16 source, dest, len;
	__sum16 check;
};

static struct net_device *ic_dev;	/* [release/acquire] listening for DHCP on it; NULL: not */
static u32 ic_xid;			/* [written before ic_dev] */
static struct sk_buff_head ic_replies;	/* [its lock] DHCP replies, data at the message */
static DECLARE_WAIT_QUEUE_HEAD(ic_wq);
static char ic_pnp[512];		/* [written once, before ic_done] /proc/net/pnp */
static bool ic_done;			/* [release/acquire] */

/* "a.b.c.d" of a network-order address into @buf (16 bytes). */
static const char *ic_ntoa(char *buf, __be32 a)
{
	const u8 *b = (const u8 *)&a;

	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* ---- receive ------------------------------------------------------------- */

/* Whether @skb (data at the IP header) is a well-formed UDP datagram from port 67 to 68. */
static bool ic_is_dhcp_reply(struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct ic_udphdr *uh;
	unsigned int ihl, tot, ulen;

	if (skb->pkt_type == PACKET_OTHERHOST || !pskb_may_pull(skb, sizeof(*iph)))
		return false;
	ihl = iph->ihl * 4u;
	tot = ntohs(iph->tot_len);
	if (iph->version != 4 || ihl < sizeof(*iph) || iph->protocol != IPPROTO_UDP ||
	    tot > skb->len || tot < ihl + IC_UDP_HLEN ||
	    (iph->frag_off & htons(IP_MF | IP_OFFSET)))
		return false;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY && ip_fast_csum(iph, iph->ihl))
		return false;
	uh = (const struct ic_udphdr *)(skb->data + ihl);
	ulen = ntohs(uh->len);
	if (uh->source != htons(DHCP_SERVER_PORT) || uh->dest != htons(DHCP_CLIENT_PORT) ||
	    ulen < IC_UDP_HLEN || ulen > tot - ihl)
		return false;
	if (uh->check && skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP, csum_partial(uh, (int)ulen, 0)))
		return false;
	return true;
}

static int ic_rcv(struct sk_buff *skb, struct net_device *dev)
{
	struct net_device *listening = __atomic_load_n(&ic_dev, __ATOMIC_ACQUIRE);
	unsigned int ihl, ulen;

	if (listening != dev || !ic_is_dhcp_reply(skb))
		return ip_rcv(skb, dev);
	ihl = ((const struct iphdr *)skb->data)->ihl * 4u;
	ulen = ntohs(((const struct ic_udphdr *)(skb->data + ihl))->len);
	skb_pull(skb, ihl + IC_UDP_HLEN);
	skb_trim(skb, ulen - IC_UDP_HLEN);
	if (skb_queue_len(&ic_replies) >= IC_MAX_REPLIES) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_queue_tail(&ic_replies, skb);
	wake_up(&ic_wq);
	return NET_RX_SUCCESS;
}

/* First in the ETH_P_IP list: registered before ip_input.c's (arch_initcall). */
static struct packet_type ic_packet_type = {
	.type = __builtin_bswap16(ETH_P_IP),
	.func = ic_rcv,
};

static int ic_hook_init(void)
{
	skb_queue_head_init(&ic_replies);
	dev_add_pack(&ic_packet_type);
	return 0;
}
core_initcall(ic_hook_init);

/* ---- send ---------------------------------------------------------------- */

/* Broadcasts the DHCP message @msg from 0.0.0.0:68 to 255.255.255.255:67 on @dev. */
static int ic_send(struct net_device *dev, const u8 *msg, unsigned int len)
{
	unsigned int ulen = IC_UDP_HLEN + len;
	struct ic_udphdr *uh;
	struct sk_buff *skb;
	struct iphdr *iph;
	int err;

	skb = alloc_skb(MAX_HEADER + sizeof(*iph) + ulen, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, MAX_HEADER + sizeof(*iph) + IC_UDP_HLEN);
	skb_put_data(skb, msg, len);
	uh = skb_push(skb, IC_UDP_HLEN);
	uh->source = htons(DHCP_CLIENT_PORT);
	uh->dest = htons(DHCP_SERVER_PORT);
	uh->len = htons((u16)ulen);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(0, htonl(INADDR_BROADCAST), ulen, IPPROTO_UDP,
				      csum_partial(uh, (int)ulen, 0));
	if (!uh->check)
		uh->check = (__sum16)0xffff;	/* 0 means "no checksum" in UDP over IPv4 */
	iph = skb_push(skb, sizeof(*iph));
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons((u16)(sizeof(*iph) + ulen));
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->daddr = htonl(INADDR_BROADCAST);
	iph->check = ip_fast_csum(iph, iph->ihl);
	skb_reset_network_header(skb);
	skb->protocol = htons(ETH_P_IP);
	skb->dev = dev;
	err = dev_hard_header(skb, dev, ETH_P_IP, NULL, NULL, skb->len);
	if (err < 0) {
		kfree_skb(skb);
		return err;
	}
	return dev_queue_xmit(skb);
}

/*
 * Waits until @deadline for a reply of a type in @types (bit per type);
 * fills @lease and returns its type, or -ETIMEDOUT.
 */
static int ic_wait_reply(u32 xid, const u8 *mac, unsigned int types, u64 deadline,
			 struct dhcp_lease *lease)
{
	for (;;) {
		struct sk_buff *skb;
		int type;

		if (wait_event_interruptible_deadline(ic_wq, !skb_queue_empty(&ic_replies), deadline))
			return -ETIMEDOUT;
		skb = skb_dequeue(&ic_replies);
		if (!skb)
			continue;
		type = dhcp_parse(skb->data, skb->len, xid, mac, lease);
		kfree_skb(skb);
		if (type > 0 && (types & (1u << type)))
			return type;
	}
}

/* A whole DHCP exchange on @dev: 0 with @lease the ACK, or -ETIMEDOUT. */
static int ic_dhcp(struct net_device *dev, struct dhcp_lease *lease)
{
	u8 msg[DHCP_CLIENT_LEN];
	u64 start = ktime_get_ns();
	u8 mac[ETH_ALEN];
	int err = -ETIMEDOUT;

	memcpy(mac, dev->dev_addr, ETH_ALEN);
	ic_xid = (u32)get_random_u64();
	__atomic_store_n(&ic_dev, dev, __ATOMIC_RELEASE);
	for (unsigned int d = 0; d < IC_DISCOVER_TRIES && err; d++) {
		u64 wait = min(NSEC_PER_SEC << d, IC_MAX_WAIT_NS);
		u16 secs = (u16)((ktime_get_ns() - start) / NSEC_PER_SEC);
		struct dhcp_lease offer;

		dhcp_build(msg, DHCPDISCOVER, ic_xid, mac, secs, 0, 0);
		if (ic_send(dev, msg, DHCP_CLIENT_LEN))
			pr_warn("IP-Config: %s: DHCPDISCOVER not sent\n", dev->name);
		if (ic_wait_reply(ic_xid, mac, 1u << DHCPOFFER, ktime_get_ns() + wait, &offer) < 0)
			continue;
		/* RFC 2131, 4.4.1: REQUEST names the offer we take and the server that made it. */
		for (unsigned int r = 0; r < IC_REQUEST_TRIES; r++) {
			int type;

			dhcp_build(msg, DHCPREQUEST, ic_xid, mac, secs, offer.yiaddr, offer.server_id);
			if (ic_send(dev, msg, DHCP_CLIENT_LEN))
				pr_warn("IP-Config: %s: DHCPREQUEST not sent\n", dev->name);
			type = ic_wait_reply(ic_xid, mac, (1u << DHCPACK) | (1u << DHCPNAK),
					     ktime_get_ns() + 2 * NSEC_PER_SEC, lease);
			if (type == DHCPNAK)
				break;	/* start over with a DISCOVER */
			if (type == DHCPACK && lease->yiaddr == offer.yiaddr) {
				err = 0;
				break;
			}
		}
	}
	__atomic_store_n(&ic_dev, NULL, __ATOMIC_RELEASE);
	skb_queue_purge(&ic_replies);
	return err;
}

/* ---- configuration ------------------------------------------------------- */

/* The device named @name, or the first Ethernet one; held (dev_put), or NULL. */
static struct net_device *ic_find_dev(const char *name)
{
	struct net_device *dev;

	if (name[0])
		return dev_get_by_name(name);
	rtnl_lock();
	for_each_netdev(dev) {
		if (dev->type == ARPHRD_ETHER && !(dev->flags & IFF_LOOPBACK)) {
			dev_hold(dev);
			rtnl_unlock();
			return dev;
		}
	}
	rtnl_unlock();
	return NULL;
}

static bool ic_wait_carrier(struct net_device *dev)
{
	u64 deadline = ktime_get_ns() + IC_CARRIER_WAIT_NS;

	while (!netif_carrier_ok(dev)) {
		if (ktime_get_ns() > deadline)
			return false;
		schedule_timeout_ns(10 * NSEC_PER_MSEC, false);
	}
	return true;
}

/* Adds @c's address, subnet and default route to @dev; RTNL held. */
static int ic_apply(struct net_device *dev, const struct ic_conf *c)
{
	int plen = inet_mask_len(c->mask);
	int err;

	if (plen < 0)
		return -EINVAL;
	err = inet_addr_add(dev, c->addr, plen, plen < 31 ? (c->addr | ~c->mask) : 0);
	if (err && err != -EEXIST)
		return err;
	if (c->gw) {
		err = fib_add(0, 0, c->gw, dev, c->addr, RTN_UNICAST, 0, 0);
		if (err && err != -EEXIST)
			return err;
	}
	if (c->hostname[0])
		uts_set_nodename(c->hostname, strlen(c->hostname));
	return 0;
}

/* Fills /proc/net/pnp in Linux's words (resolv.conf syntax plus the "#" header). */
static void ic_write_pnp(const struct ic_conf *c, const char *domain, bool dhcp)
{
	size_t n = 0;
	char a[16];

	n += snprintf(ic_pnp + n, sizeof(ic_pnp) - n, dhcp ? "#PROTO: DHCP\n" : "#MANUAL\n");
	if (domain && domain[0])
		n += snprintf(ic_pnp + n, sizeof(ic_pnp) - n, "domain %s\n", domain);
	for (unsigned int i = 0; i < ARRAY_SIZE(c->dns); i++)
		if (c->dns[i])
			n += snprintf(ic_pnp + n, sizeof(ic_pnp) - n, "nameserver %s\n",
				      ic_ntoa(a, c->dns[i]));
	if (c->server)
		snprintf(ic_pnp + n, sizeof(ic_pnp) - n, "bootserver %s\n", ic_ntoa(a, c->server));
	__atomic_store_n(&ic_done, true, __ATOMIC_RELEASE);
}

int pnp_seq_show(struct seq_file *m)
{
	if (__atomic_load_n(&ic_done, __ATOMIC_ACQUIRE))
		seq_printf(m, "%s", ic_pnp);
	return 0;
}

static void ic_lease_to_conf(const struct dhcp_lease *l, struct ic_conf *c)
{
	c->addr = l->yiaddr;
	c->mask = l->mask ? l->mask : ic_default_mask(l->yiaddr);
	c->gw = l->router;
	c->server = l->server_id;
	for (unsigned int i = 0; i < ARRAY_SIZE(c->dns); i++)
		c->dns[i] = i < l->ndns ? l->dns[i] : 0;
	if (!c->hostname[0])
		memcpy(c->hostname, l->hostname, sizeof(c->hostname));
}

static int ip_auto_config(void)
{
	char arg[256], a[16], m[16], g[16];
	struct dhcp_lease lease;
	struct net_device *dev;
	struct ic_conf c;
	bool given = cmdline_get("ip", arg, sizeof(arg));
	int err;

	if (!given) {
		c = (struct ic_conf){ .proto = IC_DHCP };
	} else if (ic_parse(arg, &c)) {
		pr_err("IP-Config: ip=%s not understood: nothing configured\n", arg);
		return -EINVAL;
	}
	if (c.proto == IC_OFF)
		return 0;
	dev = ic_find_dev(c.device);
	if (!dev) {
		if (given)
			pr_err("IP-Config: no device %s\n", c.device[0] ? c.device : "to configure");
		return given ? -ENODEV : 0;
	}
	rtnl_lock();
	err = dev_open(dev);
	rtnl_unlock();
	if (err) {
		pr_err("IP-Config: %s: cannot bring it up (%d)\n", dev->name, err);
		goto out;
	}
	if (!ic_wait_carrier(dev))
		pr_warn("IP-Config: %s: no carrier, trying anyway\n", dev->name);
	if (c.proto == IC_DHCP) {
		pr_info("IP-Config: %s: sending DHCP requests\n", dev->name);
		err = ic_dhcp(dev, &lease);
		if (err) {
			pr_warn("IP-Config: %s: no DHCP answer (%llu frames sent, %llu received), "
				"not configured\n", dev->name, (unsigned long long)dev->stats.tx_packets,
				(unsigned long long)dev->stats.rx_packets);
			goto out;
		}
		ic_lease_to_conf(&lease, &c);
	}
	rtnl_lock();
	err = ic_apply(dev, &c);
	rtnl_unlock();
	if (err) {
		pr_err("IP-Config: %s: address or route refused (%d)\n", dev->name, err);
		goto out;
	}
	ic_write_pnp(&c, c.proto == IC_DHCP ? lease.domain : NULL, c.proto == IC_DHCP);
	pr_info("IP-Config: Complete:\n");
	pr_info("     device=%s, hwaddr=%02x:%02x:%02x:%02x:%02x:%02x, ipaddr=%s, mask=%s, gw=%s\n",
		dev->name, dev->dev_addr[0], dev->dev_addr[1], dev->dev_addr[2], dev->dev_addr[3],
		dev->dev_addr[4], dev->dev_addr[5], ic_ntoa(a, c.addr), ic_ntoa(m, c.mask),
		c.gw ? ic_ntoa(g, c.gw) : "255.255.255.255");
	for (unsigned int i = 0; i < ARRAY_SIZE(c.dns); i++)
		if (c.dns[i])
			pr_info("     nameserver%u=%s\n", i, ic_ntoa(a, c.dns[i]));
out:
	dev_put(dev);
	return err;
}
late_initcall(ip_auto_config);
