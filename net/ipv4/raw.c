// SPDX-License-Identifier: MIT
/*
 * Raw IPv4 sockets (SOCK_RAW): root only (CAP_NET_RAW; EPERM otherwise,
 * checked by af_inet.c). A raw socket of protocol P receives a copy of
 * every datagram of protocol P for this host, IP header included, the
 * ICMP ones too (filtered by ICMP_FILTER on SOL_RAW), before the protocol
 * itself handles it; ICMP errors about its datagrams reach it as socket
 * errors like UDP's. It sends its payload as protocol P, or with
 * IP_HDRINCL (implied by IPPROTO_RAW) the datagram the user built: the
 * kernel fills in the total length and header checksum, an ID when 0 and
 * the source when 0.
 *
 * Sockets are on raw_list from creation (as Linux hashes them by
 * protocol at once). Lock order: raw_lock -> sk.lock.
 */
#include <exo/byteorder.h>
#include <exo/init.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include "internal.h"

#define SOL_RAW 255

static LIST_HEAD(raw_list);		/* [raw_lock] */
static DEFINE_SPINLOCK(raw_lock);

static bool raw_match(const struct dgram_sock *ds, const struct sk_buff *skb, u8 protocol)
{
	const struct inet_sock *inet = &ds->inet;
	const struct iphdr *iph = ip_hdr(skb);

	if (inet->sk.protocol != protocol)
		return false;
	if (inet->rcv_saddr && inet->rcv_saddr != iph->daddr)
		return false;
	if (inet->daddr && inet->daddr != iph->saddr)
		return false;
	if (inet->bound_dev_if && skb->dev && inet->bound_dev_if != skb->dev->ifindex)
		return false;
	return true;
}

/* ICMP_FILTER: a set bit drops that ICMP type. */
static bool raw_filtered(const struct dgram_sock *ds, const struct sk_buff *skb)
{
	u8 type;

	if (ds->inet.sk.protocol != IPPROTO_ICMP || !ds->icmp_filter_set)
		return false;
	if (skb->len < 1)
		return true;
	type = skb->data[0];
	return type < 32 && (ds->icmp_filter & (1U << type));
}

bool raw_local_deliver(struct sk_buff *skb, u8 protocol)
{
	struct dgram_sock *ds, *targets[16];
	int n = 0;

	if (list_empty(&raw_list))
		return false;
	spin_lock(&raw_lock);
	list_for_each_entry(ds, &raw_list, node)
		if (n < (int)ARRAY_SIZE(targets) && raw_match(ds, skb, protocol) &&
		    !raw_filtered(ds, skb)) {
			sock_hold(&ds->inet.sk);
			targets[n++] = ds;
		}
	spin_unlock(&raw_lock);
	for (int i = 0; i < n; i++) {
		struct sk_buff *c = skb_clone(skb, GFP_ATOMIC);

		if (c) {
			/* The reader gets the IP header too. */
			skb_push(c, (unsigned int)(skb->data - skb_network_header(skb)));
			DGRAM_CB(c)->saddr = ip_hdr(skb)->saddr;
			DGRAM_CB(c)->sport = 0;
			DGRAM_CB(c)->ifindex = skb->dev ? skb->dev->ifindex : 0;
			DGRAM_CB(c)->daddr = ip_hdr(skb)->daddr;
			dgram_queue_rcv(&targets[i]->inet.sk, c);
		}
		sock_put(&targets[i]->inet.sk);
	}
	return n > 0;
}

void raw_err(struct sk_buff *skb, u8 protocol, int type, int code, u32 info)
{
	const struct iphdr *qiph = (const struct iphdr *)skb->data;
	struct dgram_sock *ds;

	(void)info;
	spin_lock(&raw_lock);
	list_for_each_entry(ds, &raw_list, node) {
		const struct inet_sock *inet = &ds->inet;

		/* Our datagram: its source is our address, its destination our peer. */
		if (inet->sk.protocol != protocol || (inet->daddr && inet->daddr != qiph->daddr) ||
		    (inet->rcv_saddr && inet->rcv_saddr != qiph->saddr))
			continue;
		dgram_report_err(&ds->inet.sk, type, code);
	}
	spin_unlock(&raw_lock);
}

static int raw_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct inet_sock *inet = inet_sk(sock->sk);
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	int err = inet_check_addr(uaddr, len, false);

	if (err)
		return err;
	if (sin->sin_addr.s_addr && fib_local_type(sin->sin_addr.s_addr) != RTN_LOCAL &&
	    fib_local_type(sin->sin_addr.s_addr) != RTN_BROADCAST)
		return -EADDRNOTAVAIL;
	spin_lock(&inet->sk.lock);
	inet->rcv_saddr = sin->sin_addr.s_addr;
	inet->saddr = fib_local_type(sin->sin_addr.s_addr) == RTN_LOCAL ? sin->sin_addr.s_addr : 0;
	spin_unlock(&inet->sk.lock);
	return 0;
}

static int raw_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct inet_sock *inet = inet_sk(sock->sk);
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
	if (err)
		return err;
	err = ip_route_output(sin->sin_addr.s_addr, inet->saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	spin_lock(&inet->sk.lock);
	if (!inet->saddr)
		inet->saddr = rt.prefsrc;
	if (!inet->rcv_saddr)
		inet->rcv_saddr = rt.prefsrc;
	inet->daddr = sin->sin_addr.s_addr;
	inet->sk.state = SK_ESTABLISHED;
	spin_unlock(&inet->sk.lock);
	ip_rt_put(&rt);
	return 0;
}

static ssize_t raw_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct inet_sock *inet = inet_sk(sock->sk);
	struct sockaddr_in *sin = msg->name;
	size_t len = msg->iter.count;
	struct ip_send_opts opts = { .protocol = (u8)inet->sk.protocol };
	struct sk_buff *skb;
	struct rtable rt;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (len > 0xffff)
		return -EMSGSIZE;
	if (sin) {
		if (msg->namelen < (int)sizeof(*sin))
			return -EINVAL;
		if (sin->sin_family != AF_INET && sin->sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		opts.daddr = sin->sin_addr.s_addr;
	} else {
		if (READ_ONCE(inet->sk.state) != SK_ESTABLISHED)
			return -EDESTADDRREQ;
		opts.daddr = READ_ONCE(inet->daddr);
	}
	err = ip_route_output(opts.daddr, inet->saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	if (rt.type == RTN_BROADCAST && !(inet->sk.flags & SOCK_BROADCAST)) {
		ip_rt_put(&rt);
		return -EACCES;
	}
	skb = dgram_alloc_send_skb(&inet->sk, 0, len, flags);
	if (IS_ERR(skb)) {
		ip_rt_put(&rt);
		return PTR_ERR(skb);
	}
	if (copy_from_iter(skb_put(skb, (unsigned int)len), len, &msg->iter) != len) {
		kfree_skb(skb);
		ip_rt_put(&rt);
		return -EFAULT;
	}
	if (inet->hdrincl) {
		ip_rt_put(&rt);
		err = ip_send_hdrincl(skb, inet->bound_dev_if);
	} else {
		opts.saddr = inet->saddr;
		opts.ttl = inet->ttl;
		opts.tos = inet->tos;
		opts.df = inet->pmtudisc >= IP_PMTUDISC_DO;
		opts.rt = &rt;
		err = ip_send_skb(skb, &opts);
		ip_rt_put(&rt);
	}
	return err ? err : (ssize_t)len;
}

static int raw_setsockopt(struct socket *sock, int level, int optname, const void __user *optval,
			  unsigned int optlen)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct icmp_filter f;

	if (level != SOL_RAW)
		return inet_setsockopt(sock, level, optname, optval, optlen);
	if (optname != ICMP_FILTER || ds->inet.sk.protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	if (optlen > sizeof(f))
		optlen = sizeof(f);
	memset(&f, 0, sizeof(f));
	if (copy_from_user(&f, optval, optlen))
		return -EFAULT;
	spin_lock(&ds->inet.sk.lock);
	ds->icmp_filter = f.data;
	ds->icmp_filter_set = 1;
	spin_unlock(&ds->inet.sk.lock);
	return 0;
}

static int raw_getsockopt(struct socket *sock, int level, int optname, void __user *optval,
			  int __user *optlen)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	int len;

	if (level != SOL_RAW)
		return inet_getsockopt(sock, level, optname, optval, optlen);
	if (optname != ICMP_FILTER || ds->inet.sk.protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > (int)sizeof(u32))
		len = sizeof(u32);
	if (put_user(len, optlen) || copy_to_user(optval, &ds->icmp_filter, (size_t)len))
		return -EFAULT;
	return 0;
}

static int raw_release(struct socket *sock)
{
	struct dgram_sock *ds;

	if (!sock->sk)
		return 0;
	ds = dgram_sk(sock->sk);
	spin_lock(&raw_lock);
	list_del_init(&ds->node);
	spin_unlock(&raw_lock);
	dgram_release(sock);
	return 0;
}

static const struct proto_ops raw_ops = {
	DGRAM_PROTO_OPS,
	.release = raw_release,
	.bind = raw_bind,
	.connect = raw_connect,
	.sendmsg = raw_sendmsg,
	.setsockopt = raw_setsockopt,
	.getsockopt = raw_getsockopt,
};

static int raw_create(struct socket *sock, int protocol)
{
	struct dgram_sock *ds = dgram_sock_alloc(sock, protocol, &raw_ops);

	if (!ds)
		return -ENOMEM;
	if (protocol == IPPROTO_RAW)
		ds->inet.hdrincl = 1;
	spin_lock(&raw_lock);
	list_add_tail(&ds->node, &raw_list);
	spin_unlock(&raw_lock);
	return 0;
}

static struct inet_protosw raw_protosw = {
	.type = SOCK_RAW,
	.protocol = IPPROTO_IP,	/* wildcard: any protocol but 0 */
	.needs_cap_net_raw = true,
	.create = raw_create,
};

int raw_seq_show(struct seq_file *m)
{
	struct dgram_sock *ds;
	int i = 0;

	seq_puts(m, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
		    "   uid  timeout inode ref pointer drops\n");
	spin_lock(&raw_lock);
	list_for_each_entry(ds, &raw_list, node)
		dgram_seq_line(m, i++, ds, (u16)ds->inet.sk.protocol, false);
	spin_unlock(&raw_lock);
	return 0;
}

static int raw_init(void)
{
	inet_register_protosw(&raw_protosw);
	return 0;
}
arch_initcall(raw_init);
