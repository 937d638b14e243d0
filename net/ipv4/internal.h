/* SPDX-License-Identifier: MIT */
/* Shared inside net/ipv4/ only. */
#ifndef _NET_IPV4_INTERNAL_H
#define _NET_IPV4_INTERNAL_H

#include <exo/inet.h>
#include <exo/inetdevice.h>
#include <exo/err.h>
#include <exo/mutex.h>
#include <exo/slab.h>
#include <exo/proc_net.h>
#include <uapi/icmp.h>

struct seq_file;

/* route.c */
#include <uapi/route.h>
/* fib_add/fib_del @flags */
#define FIB_LOCAL	0x1	/* the local table (local and broadcast addresses) */
#define FIB_USER	0x2	/* added by hand (SIOCADDRT): flushed when its device goes down */
/*
 * Adds or removes a route in the main (FIB_LOCAL: the local table); RTNL
 * held. fib_add: 0, -EEXIST, -ENOMEM. fib_del: @dev NULL and @gw 0 match
 * any, @any_metric ignores @metric; 0 or -ESRCH.
 */
int fib_add(__be32 dst, int plen, __be32 gw, struct net_device *dev, __be32 prefsrc, int type,
	    u32 metric, unsigned int flags);
int fib_del(__be32 dst, int plen, __be32 gw, struct net_device *dev, u32 metric,
	    unsigned int flags, bool any_metric);
/* Removes the routes added by hand through @dev; RTNL held. */
void fib_flush_dev(struct net_device *dev);
/* The local-table type of @addr seen from @dev's side: RTN_LOCAL, RTN_BROADCAST or 0. */
int fib_local_type(__be32 addr);

/* ip_input.c */
int ip_rcv(struct sk_buff *skb, struct net_device *dev);
/* Delivers a whole datagram (after reassembly) to raw sockets and the protocol. */
int ip_local_deliver(struct sk_buff *skb);
const struct net_protocol *inet_get_protocol(u8 num);

/* ip_output.c */
/* Sends a built datagram (IP header at data, skb->dev set) to @nexthop on its device. */
int ip_finish_output(struct sk_buff *skb, __be32 nexthop, int rt_type);
/* Fills id, the checksum and the length fields of the header at ip_hdr(skb). */
void ip_select_ident(struct iphdr *iph);
void ip_send_check(struct iphdr *iph);

/* ip_fragment.c */
int ip_fragment(struct sk_buff *skb, unsigned int mtu, __be32 nexthop, int rt_type);
/* Queues a fragment; returns the whole datagram when complete, else NULL (@skb consumed). */
struct sk_buff *ip_defrag(struct sk_buff *skb);
int ip_frag_seq_count(void);

/* arp.c */
int arp_rcv(struct sk_buff *skb, struct net_device *dev);
/* Sends @skb to @nexthop on skb->dev, resolving it first (the skb waits). Consumes @skb. */
int arp_output(struct sk_buff *skb, __be32 nexthop);
void arp_announce(struct net_device *dev, __be32 addr);
void arp_flush_dev(struct net_device *dev);

/* raw.c: copies of a datagram for raw sockets of its protocol; whether any took one. */
bool raw_local_deliver(struct sk_buff *skb, u8 protocol);
void raw_err(struct sk_buff *skb, u8 protocol, int type, int code, u32 info);

/* icmp.c */
void icmp_init(void);
/* Two unsigned decimals, "low high", as the range sysctls take them: 0 or -EINVAL. */
int sysctl_parse_pair(const char *buf, unsigned long *a, unsigned long *b);
/* ping.c: an echo reply for a ping socket; consumed when it found one. */
bool ping_rcv(struct sk_buff *skb);
void ping_err(struct sk_buff *skb, int type, int code, u32 info);

/* udp.c */

/* af_inet.c: the bits every AF_INET socket shares. */
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
/* Checks a sockaddr_in for bind/connect/sendto: 0 or -EINVAL/-EAFNOSUPPORT. */
int inet_check_addr(const struct sockaddr *uaddr, int len, bool allow_unspec);
/* Fills a sockaddr_in from @addr/@port (network order); its length. */
int inet_fill_addr(void *out, __be32 addr, __be16 port);

/* /proc/net/snmp */
enum {
	ICMP_MIB_INMSGS, ICMP_MIB_INERRORS, ICMP_MIB_CSUMERRORS,
	ICMP_MIB_OUTMSGS, ICMP_MIB_OUTERRORS, ICMP_MIB_RATELIMITGLOBAL,
	ICMP_MIB_MAX
};
extern unsigned long icmp_mib[ICMP_MIB_MAX];
/* Per ICMP type, in and out (the In<Type>/Out<Type> columns and IcmpMsg). */
extern unsigned long icmp_in_type[256], icmp_out_type[256];

#endif /* _NET_IPV4_INTERNAL_H */

/*
 * datagram.c: what UDP, raw and ping sockets share. Their socket is a
 * dgram_sock; received datagrams wait on rxq (under sk.lock) with skb->data
 * at what the reader gets and DGRAM_CB(skb) saying where it came from.
 */
struct dgram_sock {
	struct inet_sock inet;
	struct sk_buff_head rxq;	/* [sk.lock] received datagrams */
	struct list_head node;		/* [the protocol's table lock] bound/hashed */
	bool hashed;			/* [the protocol's table lock] */
	struct socket *sock;		/* [immutable] for /proc/net (inode, uid) */
	unsigned long ino;		/* [immutable after the file exists] */
	u32 uid;			/* [immutable] creator's euid */
	u32 drops;			/* [atomic] */
	struct mutex iolock;		/* readers, across user copies */
	u8 icmp_filter_set;
	u32 icmp_filter;		/* raw ICMP: ICMP_FILTER bits of types to drop */
};
static inline struct dgram_sock *dgram_sk(const struct sock *sk)
{
	return (struct dgram_sock *)sk;
}

struct dgram_cb {
	__be32 saddr;			/* the sender, for msg_name */
	__be16 sport;
	int ifindex;			/* IP_PKTINFO */
	__be32 daddr;
};
#define DGRAM_CB(skb) ((struct dgram_cb *)(skb)->cb)

/* A new datagram socket for @sock with @ops: sock->sk and sock->ops set; NULL on no memory. */
struct dgram_sock *dgram_sock_alloc(struct socket *sock, int protocol, const struct proto_ops *ops);
/* The proto_ops entries UDP, raw and ping share. */
#define DGRAM_PROTO_OPS                 \
	.family = AF_INET,              \
	.getname = inet_getname,        \
	.poll = dgram_poll,             \
	.ioctl = dgram_ioctl,           \
	.shutdown = dgram_shutdown,     \
	.recvmsg = dgram_recvmsg
/* Queues @skb (charged to @sk) and wakes readers; consumes it. 0 or -ENOBUFS (rcvbuf full). */
int dgram_queue_rcv(struct sock *sk, struct sk_buff *skb);
/* recvmsg over rxq: MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, the address and IP cmsgs. */
ssize_t dgram_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags);
__poll_t dgram_poll(struct file *file, struct socket *sock, struct poll_table *pt);
int dgram_shutdown(struct socket *sock, int how);
int dgram_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
/*
 * A send buffer for @len payload bytes after @hdrlen header bytes, charged
 * to @sk; waits for send-buffer room unless MSG_DONTWAIT. ERR_PTR on error
 * (the pending socket error first, as Linux).
 */
struct sk_buff *dgram_alloc_send_skb(struct sock *sk, unsigned int hdrlen, size_t len, int flags);
/* Records an ICMP error on @sk for a connected socket or one with IP_RECVERR; wakes it. */
void dgram_report_err(struct sock *sk, int type, int code);
/* Releases the shared state: the queue, the socket's reference. */
void dgram_release(struct socket *sock);
/* The IP-level options every AF_INET socket has (ip_sockglue.c), user pointers. */
int inet_setsockopt(struct socket *sock, int level, int optname, const void __user *optval,
		    unsigned int optlen);
int inet_getsockopt(struct socket *sock, int level, int optname, void __user *optval,
		    int __user *optlen);
/* A /proc/net/udp-style line for @ds at @slot with local port @lport. */
void dgram_seq_line(struct seq_file *m, int slot, struct dgram_sock *ds, u16 lport, bool pad);
