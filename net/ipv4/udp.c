// SPDX-License-Identifier: MIT
/*
 * UDP (RFC 768) sockets: SOCK_DGRAM over IPv4.
 *
 * Bound sockets are in udp_table, hashed by local port. A port is shared
 * only as Linux allows: the addresses differ (and neither is the
 * wildcard), or every socket on it set SO_REUSEADDR, or every one set
 * SO_REUSEPORT with the same owner. Unbound sockets get an ephemeral port
 * (32768-60999, from a random start) at connect or first send.
 *
 * Receive (network thread): the checksum is verified (a zero checksum
 * means none, RFC 768), then the datagram goes to the best matching
 * socket: connected peer and bound address beat wildcards; a device-bound
 * socket matches only its device; among SO_REUSEPORT sockets of equal
 * score, one is chosen by a hash of the sender. Broadcasts go to every
 * matching socket. No socket: ICMP port unreachable (not for broadcasts)
 * and NoPorts. ICMP errors about our datagrams reach the sending socket
 * (udp_err): ECONNREFUSED and the like on a connected socket.
 *
 * Send: the header is built in front of the payload; the checksum is left
 * to the device (CHECKSUM_PARTIAL: lo needs none) when it offloads, else
 * computed here. Datagrams above the MTU are fragmented by IP.
 *
 * Lock order: udp_table_lock -> sk.lock. udp_table_lock is taken in the
 * network thread and in system calls, never in an interrupt.
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/cred.h>
#include <exo/init.h>
#include <exo/random.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include <uapi/udp.h>
#include "internal.h"

#define UDP_HTABLE_SIZE	256
/* Largest payload: 65535 - IP header - UDP header. */
#define UDP_MAX_PAYLOAD	(0xffff - 20 - 8)

unsigned long udp_mib[UDP_MIB_MAX];
static struct list_head udp_table[UDP_HTABLE_SIZE];	/* [udp_table_lock] */
static DEFINE_SPINLOCK(udp_table_lock);
static const struct proto_ops udp_ops;

static struct list_head *udp_bucket(u16 port)
{
	return &udp_table[port % UDP_HTABLE_SIZE];
}

/* Whether @a and @b may not share a port (both bound to it). */
static bool udp_conflict(const struct dgram_sock *a, const struct dgram_sock *b)
{
	const struct inet_sock *ia = &a->inet, *ib = &b->inet;

	if (ia->rcv_saddr && ib->rcv_saddr && ia->rcv_saddr != ib->rcv_saddr)
		return false;
	if (ia->bound_dev_if && ib->bound_dev_if && ia->bound_dev_if != ib->bound_dev_if)
		return false;
	if ((ia->sk.flags & SOCK_REUSEADDR) && (ib->sk.flags & SOCK_REUSEADDR))
		return false;
	if ((ia->sk.flags & SOCK_REUSEPORT) && (ib->sk.flags & SOCK_REUSEPORT) &&
	    a->uid == b->uid)
		return false;
	return true;
}

static bool udp_port_taken(struct dgram_sock *ds, u16 port)
{
	struct dgram_sock *it;

	list_for_each_entry(it, udp_bucket(port), node)
		if (it != ds && ntohs(it->inet.sport) == port && udp_conflict(ds, it))
			return true;
	return false;
}

/* Binds @ds to @port (0: an ephemeral one); 0 or -EADDRINUSE. */
static int udp_get_port(struct dgram_sock *ds, u16 port)
{
	int low, high, err = 0;

	inet_get_local_port_range(&low, &high);
	spin_lock(&udp_table_lock);
	if (!port) {
		u32 range = (u32)(high - low + 1), start = (u32)get_random_u64() % range;

		err = -EADDRINUSE;
		for (u32 i = 0; i < range; i++) {
			u16 p = (u16)(low + (start + i) % range);

			if (!udp_port_taken(ds, p)) {
				port = p;
				err = 0;
				break;
			}
		}
	} else if (udp_port_taken(ds, port)) {
		err = -EADDRINUSE;
	}
	if (!err) {
		ds->inet.sport = htons(port);
		list_add_tail(&ds->node, udp_bucket(port));
		ds->hashed = true;
	}
	spin_unlock(&udp_table_lock);
	return err;
}

static void udp_unhash(struct dgram_sock *ds)
{
	spin_lock(&udp_table_lock);
	if (ds->hashed) {
		list_del_init(&ds->node);
		ds->hashed = false;
	}
	spin_unlock(&udp_table_lock);
}

static int udp_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	__be32 addr;
	u16 port;
	int err;

	if (len < (int)sizeof(*sin))
		return -EINVAL;
	/* Linux accepts AF_UNSPEC with INADDR_ANY, for old programs. */
	if (sin->sin_family != AF_INET &&
	    !(sin->sin_family == AF_UNSPEC && sin->sin_addr.s_addr == htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	addr = sin->sin_addr.s_addr;
	port = ntohs(sin->sin_port);
	if (addr && !ds->inet.freebind && fib_local_type(addr) != RTN_LOCAL &&
	    fib_local_type(addr) != RTN_BROADCAST && addr != htonl(INADDR_BROADCAST))
		return -EADDRNOTAVAIL;
	if (port && port < 1024 && !capable_root())
		return -EACCES;
	mutex_lock(&ds->iolock);
	err = -EINVAL;
	if (ds->hashed)
		goto out;
	ds->inet.rcv_saddr = addr;
	/* A broadcast bind receives, but sends from the device's address. */
	ds->inet.saddr = fib_local_type(addr) == RTN_LOCAL ? addr : 0;
	err = udp_get_port(ds, port);
	if (err) {
		ds->inet.rcv_saddr = 0;
		ds->inet.saddr = 0;
	}
out:
	mutex_unlock(&ds->iolock);
	return err;
}

static int udp_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct inet_sock *inet = &ds->inet;
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct rtable rt;
	__be32 daddr;
	int err;

	(void)flags;
	if (len < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (sin->sin_family == AF_UNSPEC) {
		spin_lock(&inet->sk.lock);
		inet->daddr = 0;
		inet->dport = 0;
		inet->sk.state = SK_CLOSE;
		spin_unlock(&inet->sk.lock);
		return 0;
	}
	err = inet_check_addr(uaddr, len, false);
	if (err)
		return err;
	daddr = sin->sin_addr.s_addr ? sin->sin_addr.s_addr : htonl(INADDR_LOOPBACK);
	err = ip_route_output(daddr, inet->saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	if (rt.type == RTN_BROADCAST && !(inet->sk.flags & SOCK_BROADCAST)) {
		ip_rt_put(&rt);
		return -EACCES;
	}
	mutex_lock(&ds->iolock);
	if (!ds->hashed)
		err = udp_get_port(ds, 0);
	if (!err) {
		spin_lock(&inet->sk.lock);
		if (!inet->saddr)
			inet->saddr = rt.prefsrc;
		if (!inet->rcv_saddr)
			inet->rcv_saddr = rt.prefsrc;
		inet->daddr = daddr;
		inet->dport = sin->sin_port;
		inet->sk.state = SK_ESTABLISHED;
		spin_unlock(&inet->sk.lock);
	}
	mutex_unlock(&ds->iolock);
	ip_rt_put(&rt);
	return err;
}

static ssize_t udp_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct inet_sock *inet = &ds->inet;
	struct sockaddr_in *sin = msg->name;
	size_t len = msg->iter.count;
	struct ip_send_opts opts = { .protocol = IPPROTO_UDP };
	struct rtable rt;
	struct sk_buff *skb;
	struct udphdr *uh;
	__be16 dport;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (sin) {
		if (msg->namelen < (int)sizeof(*sin))
			return -EINVAL;
		if (sin->sin_family != AF_INET)
			return sin->sin_family == AF_UNSPEC ? -EDESTADDRREQ : -EAFNOSUPPORT;
		opts.daddr = sin->sin_addr.s_addr ? sin->sin_addr.s_addr : htonl(INADDR_LOOPBACK);
		dport = sin->sin_port;
		if (!dport)
			return -EINVAL;
	} else {
		if (READ_ONCE(inet->sk.state) != SK_ESTABLISHED)
			return -EDESTADDRREQ;
		spin_lock(&inet->sk.lock);
		opts.daddr = inet->daddr;
		dport = inet->dport;
		spin_unlock(&inet->sk.lock);
	}
	if (!ds->hashed) {
		mutex_lock(&ds->iolock);
		err = ds->hashed ? 0 : udp_get_port(ds, 0);
		mutex_unlock(&ds->iolock);
		if (err)
			return err;
	}
	err = ip_route_output(opts.daddr, inet->saddr, inet->bound_dev_if, &rt);
	if (err) {
		NET_INC_STATS(ip_mib, IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	err = -EACCES;
	if (rt.type == RTN_BROADCAST && !(inet->sk.flags & SOCK_BROADCAST))
		goto out_put;
	err = -EMSGSIZE;
	if (inet->pmtudisc == IP_PMTUDISC_DO && len + sizeof(*uh) + 20 > rt.mtu)
		goto out_put;
	skb = dgram_alloc_send_skb(&inet->sk, sizeof(*uh), len, flags);
	if (IS_ERR(skb)) {
		err = (int)PTR_ERR(skb);
		goto out_put;
	}
	if (copy_from_iter(skb_put(skb, (unsigned int)len), len, &msg->iter) != len) {
		kfree_skb(skb);
		err = -EFAULT;
		goto out_put;
	}
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = inet->sport;
	uh->dest = dport;
	uh->len = htons((u16)skb->len);
	uh->check = 0;
	opts.saddr = inet->saddr ? inet->saddr : rt.prefsrc;
	if ((rt.dev->features & NETIF_F_IP_CSUM) && skb->len + 20 <= rt.mtu) {
		/* The device sums from here; the field holds the pseudo-header. */
		uh->check = ~csum_tcpudp_magic(opts.saddr, opts.daddr, skb->len, IPPROTO_UDP, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = (u16)(skb->data - skb->head);
		skb->csum_offset = offsetof(struct udphdr, check);
	} else {
		uh->check = csum_tcpudp_magic(opts.saddr, opts.daddr, skb->len, IPPROTO_UDP,
					      csum_partial(skb->data, (int)skb->len, 0));
		if (!uh->check)
			uh->check = 0xffff;	/* RFC 768: zero means no checksum */
	}
	opts.ttl = inet->ttl;
	opts.tos = inet->tos;
	opts.df = inet->pmtudisc >= IP_PMTUDISC_DO;
	opts.rt = &rt;
	err = ip_send_skb(skb, &opts);
	if (err) {
		NET_INC_STATS(udp_mib, UDP_MIB_SNDBUFERRORS);
		goto out_put;
	}
	NET_INC_STATS(udp_mib, UDP_MIB_OUTDATAGRAMS);
	err = (int)len;
out_put:
	ip_rt_put(&rt);
	return err;
}

/* How well @ds matches; -1: not at all. Table lock held. */
static int udp_score(const struct dgram_sock *ds, __be32 saddr, __be16 sport, __be32 daddr,
		     u16 dport, int ifindex)
{
	const struct inet_sock *inet = &ds->inet;
	int score = 0;

	if (ntohs(inet->sport) != dport)
		return -1;
	if (inet->rcv_saddr) {
		if (inet->rcv_saddr != daddr)
			return -1;
		score += 4;
	}
	if (inet->daddr) {
		if (inet->daddr != saddr)
			return -1;
		score += 4;
	}
	if (inet->dport) {
		if (inet->dport != sport)
			return -1;
		score += 4;
	}
	if (inet->bound_dev_if) {
		if (inet->bound_dev_if != ifindex)
			return -1;
		score += 4;
	}
	return score;
}

static void udp_fill_cb(struct sk_buff *skb, const struct udphdr *uh)
{
	DGRAM_CB(skb)->saddr = ip_hdr(skb)->saddr;
	DGRAM_CB(skb)->sport = uh->source;
	DGRAM_CB(skb)->ifindex = skb->dev->ifindex;
	DGRAM_CB(skb)->daddr = ip_hdr(skb)->daddr;
}

static void udp_deliver(struct dgram_sock *ds, struct sk_buff *skb)
{
	if (dgram_queue_rcv(&ds->inet.sk, skb)) {
		NET_INC_STATS(udp_mib, UDP_MIB_RCVBUFERRORS);
		NET_INC_STATS(udp_mib, UDP_MIB_INERRORS);
	} else {
		NET_INC_STATS(udp_mib, UDP_MIB_INDATAGRAMS);
	}
}

/* A broadcast: a copy for every matching socket. Consumes @skb. */
static void udp_deliver_all(struct sk_buff *skb, const struct udphdr *uh, u16 dport)
{
	struct dgram_sock *ds, *targets[16];
	int n = 0;

	spin_lock(&udp_table_lock);
	list_for_each_entry(ds, udp_bucket(dport), node)
		if (n < (int)ARRAY_SIZE(targets) &&
		    udp_score(ds, ip_hdr(skb)->saddr, uh->source, ip_hdr(skb)->daddr, dport,
			      skb->dev->ifindex) >= 0 &&
		    (!ds->inet.rcv_saddr || ds->inet.rcv_saddr == ip_hdr(skb)->daddr)) {
			sock_hold(&ds->inet.sk);
			targets[n++] = ds;
		}
	spin_unlock(&udp_table_lock);
	for (int i = 0; i < n; i++) {
		struct sk_buff *c = i == n - 1 ? skb : skb_clone(skb, GFP_ATOMIC);

		if (c)
			udp_deliver(targets[i], c);
		sock_put(&targets[i]->inet.sk);
	}
	if (!n) {
		NET_INC_STATS(udp_mib, UDP_MIB_NOPORTS);
		kfree_skb(skb);
	}
}

static struct dgram_sock *udp_lookup(__be32 saddr, __be16 sport, __be32 daddr, u16 dport,
				     int ifindex)
{
	struct dgram_sock *ds, *best = NULL;
	int best_score = -1, matches = 0;
	u32 hash = (saddr ^ sport) * 0x9e3779b1u;

	spin_lock(&udp_table_lock);
	list_for_each_entry(ds, udp_bucket(dport), node) {
		int score = udp_score(ds, saddr, sport, daddr, dport, ifindex);

		if (score < 0)
			continue;
		if (score > best_score) {
			best = ds;
			best_score = score;
			matches = 1;
		} else if (score == best_score && (ds->inet.sk.flags & SOCK_REUSEPORT)) {
			/* SO_REUSEPORT group: pick one by the sender's hash. */
			if ((hash >> 16) % (u32)++matches == 0)
				best = ds;
		}
	}
	if (best)
		sock_hold(&best->inet.sk);
	spin_unlock(&udp_table_lock);
	return best;
}

static int udp_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr *uh;
	struct dgram_sock *ds;
	unsigned int ulen;

	if (!pskb_may_pull(skb, sizeof(*uh)))
		goto bad;
	uh = (struct udphdr *)skb->data;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len)
		goto bad;
	skb_trim(skb, ulen);
	if (uh->check && skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
			      csum_partial(skb->data, (int)ulen, 0))) {
		NET_INC_STATS(udp_mib, UDP_MIB_CSUMERRORS);
		goto bad;
	}
	skb_pull(skb, sizeof(*uh));
	udp_fill_cb(skb, uh);
	if (skb->pkt_type == PACKET_BROADCAST || skb->pkt_type == PACKET_MULTICAST) {
		udp_deliver_all(skb, uh, ntohs(uh->dest));
		return NET_RX_SUCCESS;
	}
	ds = udp_lookup(iph->saddr, uh->source, iph->daddr, ntohs(uh->dest), skb->dev->ifindex);
	if (!ds) {
		NET_INC_STATS(udp_mib, UDP_MIB_NOPORTS);
		/* The quote starts at the IP header: put the UDP header back. */
		skb_push(skb, sizeof(*uh));
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	udp_deliver(ds, skb);
	sock_put(&ds->inet.sk);
	return NET_RX_SUCCESS;
bad:
	NET_INC_STATS(udp_mib, UDP_MIB_INERRORS);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* An ICMP error quoting a datagram we sent: skb->data at its IP header. */
static void udp_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct udphdr *uh = (const struct udphdr *)(skb->data + iph->ihl * 4);
	struct dgram_sock *ds;

	(void)info;
	/* Our datagram: we were its source, the peer its destination. */
	ds = udp_lookup(iph->daddr, uh->dest, iph->saddr, ntohs(uh->source), 0);
	if (!ds)
		return;
	dgram_report_err(&ds->inet.sk, type, code);
	sock_put(&ds->inet.sk);
}

static int udp_release(struct socket *sock)
{
	if (!sock->sk)
		return 0;
	udp_unhash(dgram_sk(sock->sk));
	dgram_release(sock);
	return 0;
}

static const struct proto_ops udp_ops = {
	DGRAM_PROTO_OPS,
	.release = udp_release,
	.bind = udp_bind,
	.connect = udp_connect,
	.sendmsg = udp_sendmsg,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
};

static int udp_create(struct socket *sock, int protocol)
{
	return dgram_sock_alloc(sock, protocol, &udp_ops) ? 0 : -ENOMEM;
}

static struct inet_protosw udp_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_UDP,
	.create = udp_create,
};

static const struct net_protocol udp_protocol = {
	.handler = udp_rcv,
	.err_handler = udp_err,
};

/*
 * A line of /proc/net/udp (@pad: slot "%5d", padded to 127 columns) or
 * /proc/net/raw (slot "%4d", not padded), as Linux prints them; the table
 * lock held.
 */
void dgram_seq_line(struct seq_file *m, int slot, struct dgram_sock *ds, u16 lport, bool pad)
{
	const struct inet_sock *inet = &ds->inet;
	size_t start = m->count;
	unsigned long ino = 0;

	if (ds->sock && ds->sock->file)
		ino = ds->sock->file->f_inode->i_ino;
	seq_printf(m, pad ? "%5d: " : "%4d: ", slot);
	seq_printf(m, "%08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d "
		      "%016lx %u",
		   inet->rcv_saddr, lport, inet->daddr, ntohs(inet->dport),
		   inet->sk.state, __atomic_load_n(&inet->sk.wmem_alloc, __ATOMIC_RELAXED),
		   __atomic_load_n(&inet->sk.rmem_alloc, __ATOMIC_RELAXED), 0, 0UL, 0, ds->uid, 0,
		   ino, __atomic_load_n(&inet->sk.refcnt, __ATOMIC_RELAXED), 0UL,
		   __atomic_load_n(&ds->drops, __ATOMIC_RELAXED));
	seq_pad(m, start, pad ? 127 : 0, '\n');
}

int udp_seq_show(struct seq_file *m)
{
	struct dgram_sock *ds;
	size_t start = m->count;

	seq_puts(m, "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
		    "   uid  timeout inode ref pointer drops");
	seq_pad(m, start, 127, '\n');
	spin_lock(&udp_table_lock);
	for (int i = 0; i < UDP_HTABLE_SIZE; i++)
		list_for_each_entry(ds, &udp_table[i], node)
			dgram_seq_line(m, i, ds, ntohs(ds->inet.sport), true);
	spin_unlock(&udp_table_lock);
	return 0;
}

static int udp_init(void)
{
	for (int i = 0; i < UDP_HTABLE_SIZE; i++)
		INIT_LIST_HEAD(&udp_table[i]);
	inet_register_protosw(&udp_protosw);
	return inet_add_protocol(&udp_protocol, IPPROTO_UDP);
}
arch_initcall(udp_init);
