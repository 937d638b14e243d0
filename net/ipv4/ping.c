// SPDX-License-Identifier: MIT
/*
 * "Unprivileged ping" sockets: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP).
 *
 * As Linux: allowed only to a process whose effective gid lies in
 * net.ipv4.ping_group_range (/proc/sys/net/ipv4/ping_group_range), by
 * default "1 0", an empty range, so everyone, root included, gets EACCES
 * (iputils then falls back to a raw socket). The socket's "port" is the
 * echo identifier: bind or the first send picks a free one; a send must
 * be an ICMP_ECHO request (EINVAL otherwise), whose identifier and
 * checksum the kernel fills in. Echo replies with the socket's identifier
 * (and matching addresses) are received as ICMP messages, the sender's
 * address with port 0; ICMP errors quoting one of its requests become
 * socket errors as for UDP.
 *
 * Lock order: ping_lock -> sk.lock.
 */
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/cred.h>
#include <exo/init.h>
#include <exo/random.h>
#include <exo/seq_file.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

/* [atomic] net.ipv4.ping_group_range: gids allowed, low and high. */
static u32 ping_group_range[2] = { 1, 0 };

static LIST_HEAD(ping_list);		/* [ping_lock] bound ping sockets */
static DEFINE_SPINLOCK(ping_lock);
static u16 ping_next_id;		/* [ping_lock] */
static const struct proto_ops ping_ops;

/* Binds @ds to echo id @id (0: a free one); 0 or -EADDRINUSE. */
static int ping_get_id(struct dgram_sock *ds, u16 id)
{
	struct dgram_sock *it;
	int err = 0;

	spin_lock(&ping_lock);
	for (unsigned int tries = 0; tries < 0x10000; tries++) {
		u16 cand = id;
		bool taken = false;

		if (!cand) {
			if (!++ping_next_id)
				++ping_next_id;	/* 0 means unbound */
			cand = ping_next_id;
		}

		list_for_each_entry(it, &ping_list, node)
			if (ntohs(it->inet.sport) == cand &&
			    (!it->inet.rcv_saddr || !ds->inet.rcv_saddr ||
			     it->inet.rcv_saddr == ds->inet.rcv_saddr))
				taken = true;
		if (!taken) {
			ds->inet.sport = htons(cand);
			list_add_tail(&ds->node, &ping_list);
			ds->hashed = true;
			goto out;
		}
		if (id)
			break;
	}
	err = -EADDRINUSE;
out:
	spin_unlock(&ping_lock);
	return err;
}

static int ping_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	int err = inet_check_addr(uaddr, len, false);

	if (err)
		return err;
	if (sin->sin_addr.s_addr && fib_local_type(sin->sin_addr.s_addr) != RTN_LOCAL)
		return -EADDRNOTAVAIL;
	mutex_lock(&ds->iolock);
	err = -EINVAL;
	if (!ds->hashed) {
		ds->inet.rcv_saddr = ds->inet.saddr = sin->sin_addr.s_addr;
		err = ping_get_id(ds, ntohs(sin->sin_port));
		if (err)
			ds->inet.rcv_saddr = ds->inet.saddr = 0;
	}
	mutex_unlock(&ds->iolock);
	return err;
}

static int ping_autobind(struct dgram_sock *ds)
{
	int err = 0;

	mutex_lock(&ds->iolock);
	if (!ds->hashed)
		err = ping_get_id(ds, 0);
	mutex_unlock(&ds->iolock);
	return err;
}

static int ping_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct inet_sock *inet = &ds->inet;
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct rtable rt;
	int err;

	(void)flags;
	if (len >= (int)sizeof(sa_family_t) && sin->sin_family == AF_UNSPEC) {
		spin_lock(&inet->sk.lock);
		inet->daddr = 0;
		inet->sk.state = SK_CLOSE;
		spin_unlock(&inet->sk.lock);
		return 0;
	}
	err = inet_check_addr(uaddr, len, false);
	if (!err)
		err = ip_route_output(sin->sin_addr.s_addr, inet->saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	err = ping_autobind(ds);
	if (!err) {
		spin_lock(&inet->sk.lock);
		if (!inet->saddr)
			inet->saddr = rt.prefsrc;
		inet->daddr = sin->sin_addr.s_addr;
		inet->sk.state = SK_ESTABLISHED;
		spin_unlock(&inet->sk.lock);
	}
	ip_rt_put(&rt);
	return err;
}

static ssize_t ping_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct inet_sock *inet = &ds->inet;
	struct sockaddr_in *sin = msg->name;
	size_t len = msg->iter.count;
	struct ip_send_opts opts = { .protocol = IPPROTO_ICMP };
	struct icmphdr *ic;
	struct sk_buff *skb;
	struct rtable rt;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len < sizeof(*ic) || len > 0xffff - 20)
		return len < sizeof(*ic) ? -EINVAL : -EMSGSIZE;
	if (sin) {
		if (msg->namelen < (int)sizeof(*sin))
			return -EINVAL;
		if (sin->sin_family != AF_INET)
			return -EAFNOSUPPORT;
		opts.daddr = sin->sin_addr.s_addr;
	} else {
		if (READ_ONCE(inet->sk.state) != SK_ESTABLISHED)
			return -EDESTADDRREQ;
		opts.daddr = READ_ONCE(inet->daddr);
	}
	err = ping_autobind(ds);
	if (err)
		return err;
	err = ip_route_output(opts.daddr, inet->saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	err = -EACCES;
	if (rt.type == RTN_BROADCAST && !(inet->sk.flags & SOCK_BROADCAST))
		goto out_put;
	skb = dgram_alloc_send_skb(&inet->sk, 0, len, flags);
	if (IS_ERR(skb)) {
		err = (int)PTR_ERR(skb);
		goto out_put;
	}
	ic = skb_put(skb, (unsigned int)len);
	err = -EFAULT;
	if (copy_from_iter(ic, len, &msg->iter) != len)
		goto out_free;
	err = -EINVAL;
	if (ic->type != ICMP_ECHO || ic->code)
		goto out_free;
	ic->un.echo.id = inet->sport;
	ic->checksum = 0;
	ic->checksum = ip_compute_csum(ic, (int)len);
	opts.saddr = inet->saddr;
	opts.ttl = inet->ttl;
	opts.tos = inet->tos;
	opts.rt = &rt;
	NET_INC_STATS(icmp_mib, ICMP_MIB_OUTMSGS);
	NET_INC_STATS(icmp_out_type, ICMP_ECHO);
	err = ip_send_skb(skb, &opts);
	if (!err)
		err = (int)len;
	goto out_put;
out_free:
	kfree_skb(skb);
out_put:
	ip_rt_put(&rt);
	return err;
}

/* The bound socket for echo id @id (network order) talking to @peer; referenced, or NULL. */
static struct dgram_sock *ping_lookup(__be16 id, __be32 peer, __be32 local)
{
	struct dgram_sock *ds, *found = NULL;

	spin_lock(&ping_lock);
	list_for_each_entry(ds, &ping_list, node) {
		const struct inet_sock *inet = &ds->inet;

		if (inet->sport != id || (inet->rcv_saddr && inet->rcv_saddr != local) ||
		    (inet->daddr && inet->daddr != peer))
			continue;
		found = ds;
		sock_hold(&ds->inet.sk);
		break;
	}
	spin_unlock(&ping_lock);
	return found;
}

bool ping_rcv(struct sk_buff *skb)
{
	const struct icmphdr *ic = (const struct icmphdr *)skb->data;
	const struct iphdr *iph = ip_hdr(skb);
	struct dgram_sock *ds = ping_lookup(ic->un.echo.id, iph->saddr, iph->daddr);

	if (!ds)
		return false;
	DGRAM_CB(skb)->saddr = iph->saddr;
	DGRAM_CB(skb)->sport = 0;
	DGRAM_CB(skb)->ifindex = skb->dev ? skb->dev->ifindex : 0;
	DGRAM_CB(skb)->daddr = iph->daddr;
	dgram_queue_rcv(&ds->inet.sk, skb);
	sock_put(&ds->inet.sk);
	return true;
}

void ping_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *qiph = (const struct iphdr *)skb->data;
	const struct icmphdr *qic = (const struct icmphdr *)(skb->data + qiph->ihl * 4);
	struct dgram_sock *ds;

	(void)info;
	if (qic->type != ICMP_ECHO)
		return;
	ds = ping_lookup(qic->un.echo.id, qiph->daddr, qiph->saddr);
	if (!ds)
		return;
	dgram_report_err(&ds->inet.sk, type, code);
	sock_put(&ds->inet.sk);
}

static int ping_release(struct socket *sock)
{
	struct dgram_sock *ds;

	if (!sock->sk)
		return 0;
	ds = dgram_sk(sock->sk);
	spin_lock(&ping_lock);
	if (ds->hashed) {
		list_del_init(&ds->node);
		ds->hashed = false;
	}
	spin_unlock(&ping_lock);
	dgram_release(sock);
	return 0;
}

static const struct proto_ops ping_ops = {
	DGRAM_PROTO_OPS,
	.release = ping_release,
	.bind = ping_bind,
	.connect = ping_connect,
	.sendmsg = ping_sendmsg,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
};

static int ping_create(struct socket *sock, int protocol)
{
	u32 gid = current_cred()->egid;

	if (gid < __atomic_load_n(&ping_group_range[0], __ATOMIC_RELAXED) ||
	    gid > __atomic_load_n(&ping_group_range[1], __ATOMIC_RELAXED))
		return -EACCES;
	return dgram_sock_alloc(sock, protocol, &ping_ops) ? 0 : -ENOMEM;
}

int ping_group_range_show(struct seq_file *m)
{
	seq_printf(m, "%u\t%u\n", __atomic_load_n(&ping_group_range[0], __ATOMIC_RELAXED),
		   __atomic_load_n(&ping_group_range[1], __ATOMIC_RELAXED));
	return 0;
}

/* Two unsigned decimals ("low high"); 0 or -EINVAL. */
int sysctl_parse_pair(const char *buf, unsigned long *a, unsigned long *b)
{
	char *end;

	while (*buf == ' ' || *buf == '\t')
		buf++;
	if (*buf < '0' || *buf > '9')
		return -EINVAL;
	*a = simple_strtoul(buf, &end, 10);
	if (*end != ' ' && *end != '\t')
		return -EINVAL;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end < '0' || *end > '9')
		return -EINVAL;
	*b = simple_strtoul(end, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

ssize_t ping_group_range_write(struct file *file, const char *buf, size_t len)
{
	unsigned long lo, hi;

	(void)file;
	if (!capable_root())
		return -EPERM;
	/* Linux: gids up to 2^32 - 2 (-1 is no gid); lo > hi is the empty range. */
	if (sysctl_parse_pair(buf, &lo, &hi) || lo > 0xfffffffeUL || hi > 0xfffffffeUL)
		return -EINVAL;
	__atomic_store_n(&ping_group_range[0], (u32)lo, __ATOMIC_RELAXED);
	__atomic_store_n(&ping_group_range[1], (u32)hi, __ATOMIC_RELAXED);
	return (ssize_t)len;
}

static struct inet_protosw ping_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_ICMP,
	.create = ping_create,
};

static int ping_init(void)
{
	inet_register_protosw(&ping_protosw);
	return 0;
}
/* After udp_init (same level, later in the link order): UDP is SOCK_DGRAM's default. */
arch_initcall(ping_init);
