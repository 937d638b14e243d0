/* SPDX-License-Identifier: MIT */
/* Shared inside net/ipv4/ only. */
#ifndef _NET_IPV4_INTERNAL_H
#define _NET_IPV4_INTERNAL_H

#include <exo/inet.h>
#include <exo/inetdevice.h>

struct seq_file;

/* route.c */
#define RTF_UP		0x1
#define RTF_GATEWAY	0x2
#define RTF_HOST	0x4
#define RTF_REJECT	0x200
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
int route_seq_show(struct seq_file *m);

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
int arp_seq_show(struct seq_file *m);

/* raw.c: copies of a datagram for raw sockets of its protocol; whether any took one. */
bool raw_local_deliver(struct sk_buff *skb, u8 protocol);
void raw_err(struct sk_buff *skb, u8 protocol, int type, int code, u32 info);
int raw_seq_show(struct seq_file *m);

/* icmp.c */
void icmp_init(void);
/* ping.c: an echo reply for a ping socket; consumed when it found one. */
bool ping_rcv(struct sk_buff *skb);
void ping_err(struct sk_buff *skb, int type, int code, u32 info);

/* udp.c */
int udp_seq_show(struct seq_file *m);

/* af_inet.c: the bits every AF_INET socket shares. */
int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg);
/* Checks a sockaddr_in for bind/connect/sendto: 0 or -EINVAL/-EAFNOSUPPORT. */
int inet_check_addr(const struct sockaddr *uaddr, int len, bool allow_unspec);
/* Fills a sockaddr_in from @addr/@port (network order); its length. */
int inet_fill_addr(void *out, __be32 addr, __be16 port);

/* /proc/net/snmp */
int snmp_seq_show(struct seq_file *m);
extern unsigned long icmp_mib[];

#endif /* _NET_IPV4_INTERNAL_H */
