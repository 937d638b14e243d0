/* SPDX-License-Identifier: MIT */
/*
 * IPv4 inside the kernel: the contract between the IP layer (net/ipv4/:
 * af_inet.c, route.c, ip_input.c, ip_output.c, ip_fragment.c, icmp.c,
 * devinet.c, arp.c) and the transports on it (udp.c, raw.c, ping.c, tcp*.c).
 *
 * A transport's socket embeds struct inet_sock (which starts with struct
 * sock); af_inet.c's socket() picks the transport by type and protocol
 * from the registered struct inet_protosw entries and calls its create().
 *
 * Receive: ip_rcv() checks and reassembles, then calls the handler
 * registered for the protocol number with skb->data at the transport
 * header, skb->len the transport length (link padding trimmed),
 * ip_hdr(skb) valid and skb->dev the arrival device. The handler consumes
 * the skb. ICMP errors about a datagram we sent go to the err_handler of
 * the quoted datagram's protocol.
 *
 * Send: a transport builds its header in front of the payload (with
 * MAX_TCP_HEADER / MAX_HEADER headroom reserved) and calls ip_send_skb(),
 * which routes, builds the IP header, fragments and hands the frame to the
 * neighbour layer (ARP) and the device. Everything runs in process context
 * (see <exo/netdevice.h>).
 */
#ifndef _EXO_INET_H
#define _EXO_INET_H

#include <exo/byteorder.h>
#include <exo/net.h>
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <uapi/in.h>
#include <uapi/ip.h>

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}
static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4u;
}

/* ---- sockets ------------------------------------------------------------- */

struct inet_sock {
	struct sock sk;			/* first: a struct sock * is a struct inet_sock * */
	__be32 rcv_saddr;		/* [sk lock] bound local address, 0: any */
	__be32 saddr;			/* [sk lock] source address used to send */
	__be32 daddr;			/* [sk lock] connected peer, 0: none */
	__be16 sport;			/* [sk lock] local port, network order; 0: unbound */
	__be16 dport;			/* [sk lock] peer port */
	u8 ttl;				/* [sk lock] IP_TTL; 0: the route's default (64) */
	u8 tos;				/* [sk lock] IP_TOS */
	u8 pmtudisc;			/* [sk lock] IP_MTU_DISCOVER */
	u8 recverr : 1,			/* [sk lock] IP_RECVERR */
	   hdrincl : 1,			/* [sk lock] IP_HDRINCL (raw) */
	   pktinfo : 1,			/* [sk lock] IP_PKTINFO */
	   recvttl : 1,
	   recvtos : 1,
	   freebind : 1;
	int bound_dev_if;		/* [sk lock] SO_BINDTODEVICE, 0: any */
};

static inline struct inet_sock *inet_sk(const struct sock *sk)
{
	return (struct inet_sock *)sk;
}

/* One socket type of AF_INET: (type, protocol) to a create function. */
struct inet_protosw {
	short type;			/* SOCK_STREAM, SOCK_DGRAM, SOCK_RAW */
	int protocol;			/* IPPROTO_*; IPPROTO_IP: the type's default */
	bool needs_cap_net_raw;		/* raw sockets */
	/* Allocates the sock (an inet_sock inside), sets sock->ops and sock->sk: 0 or -errno. */
	int (*create)(struct socket *sock, int protocol);
	struct list_head list;
};
void inet_register_protosw(struct inet_protosw *p);

/* Shared option handling at SOL_IP for every AF_INET socket (net/ipv4/ip_sockglue.c). */
int ip_setsockopt(struct sock *sk, int optname, const void *optval, unsigned int optlen);
int ip_getsockopt(struct sock *sk, int optname, void *optval, unsigned int *optlen);

/* The ephemeral port range (net.ipv4.ip_local_port_range, 32768-60999). */
void inet_get_local_port_range(int *low, int *high);
/* Whether @addr (network order) is one of this host's addresses, or 0 / loopback. */
bool inet_addr_is_local(__be32 addr);

/* ---- routing ------------------------------------------------------------- */

#define RTN_UNICAST	1
#define RTN_LOCAL	2
#define RTN_BROADCAST	3
#define RTN_MULTICAST	5
#define RTN_UNREACHABLE	7

/* The result of a route lookup, by value; @dev holds a reference (ip_rt_put). */
struct rtable {
	struct net_device *dev;
	__be32 gateway;			/* next hop; 0: on link (the destination itself) */
	__be32 prefsrc;			/* source address to use */
	unsigned int mtu;
	int type;			/* RTN_* */
};
/*
 * The route to @daddr from @saddr (0: choose) out of @oif (0: any):
 * 0 with @rt filled, -ENETUNREACH without a route, -EINVAL for a bad
 * source. Local and broadcast destinations route via lo / the device.
 */
int ip_route_output(__be32 daddr, __be32 saddr, int oif, struct rtable *rt);
static inline void ip_rt_put(struct rtable *rt)
{
	if (rt->dev)
		dev_put(rt->dev);
	rt->dev = NULL;
}

/* ---- send ---------------------------------------------------------------- */

/* How ip_send_skb() builds the header. */
struct ip_send_opts {
	__be32 saddr;			/* 0: the route's prefsrc */
	__be32 daddr;
	u8 protocol;
	u8 ttl;				/* 0: 64 */
	u8 tos;
	bool df;			/* set DF, never fragment (-EMSGSIZE above the MTU) */
	int oif;			/* output device, 0: by route */
	const struct rtable *rt;	/* a route already looked up, or NULL */
};
/*
 * Sends @skb (data at the transport header) as an IPv4 datagram: routes,
 * pushes the IP header, fragments above the MTU (unless df), resolves the
 * next hop (ARP; the packet waits in the neighbour queue meanwhile) and
 * transmits. Consumes @skb. 0, or -errno: -ENETUNREACH, -EHOSTUNREACH
 * (neighbour unreachable), -EMSGSIZE, -ENOBUFS.
 */
int ip_send_skb(struct sk_buff *skb, const struct ip_send_opts *opts);
/* Raw variant for IP_HDRINCL: the IP header is already at skb->data (checked, id/len/csum filled). */
int ip_send_hdrincl(struct sk_buff *skb, int oif);

/* ---- receive ------------------------------------------------------------- */

struct net_protocol {
	/* Consumes @skb; NET_RX_SUCCESS or NET_RX_DROP. */
	int (*handler)(struct sk_buff *skb);
	/*
	 * An ICMP error (@type, @code, @info: the next-hop MTU for "fragmentation
	 * needed") about a datagram we sent: skb->data at its quoted IP header,
	 * at least that header and 8 bytes of its transport header present.
	 * Must not consume @skb.
	 */
	void (*err_handler)(struct sk_buff *skb, int type, int code, u32 info);
};
/* Registers the handler for protocol number @num: 0 or -EBUSY. */
int inet_add_protocol(const struct net_protocol *prot, u8 num);

/*
 * ICMP errors to send about a received datagram @skb (its network header
 * valid): destination/port unreachable, time exceeded, parameter problem.
 * Rate-limited; never about ICMP errors, broadcasts or fragments past the
 * first. Does not consume @skb.
 */
void icmp_send(struct sk_buff *skb, int type, int code, u32 info);
/*
 * Maps an ICMP error to the errno a socket reports (Linux's
 * icmp_err_convert): a negative errno (0 for types that report none), and
 * in *@fatal whether it is a hard error (port unreachable: yes).
 */
int icmp_err_to_errno(int type, int code, bool *fatal);

/* ---- SNMP counters (/proc/net/snmp) -------------------------------------- */

/*
 * The counters /proc/net/snmp prints, by Linux's names; incremented
 * without locks (atomically), read approximately.
 */
enum {
	IPSTATS_MIB_INRECEIVES, IPSTATS_MIB_INHDRERRORS, IPSTATS_MIB_INADDRERRORS,
	IPSTATS_MIB_INUNKNOWNPROTOS, IPSTATS_MIB_INDISCARDS, IPSTATS_MIB_INDELIVERS,
	IPSTATS_MIB_OUTREQUESTS, IPSTATS_MIB_OUTDISCARDS, IPSTATS_MIB_OUTNOROUTES,
	IPSTATS_MIB_REASMTIMEOUT, IPSTATS_MIB_REASMREQDS, IPSTATS_MIB_REASMOKS,
	IPSTATS_MIB_REASMFAILS, IPSTATS_MIB_FRAGOKS, IPSTATS_MIB_FRAGFAILS,
	IPSTATS_MIB_FRAGCREATES, IPSTATS_MIB_FORWDATAGRAMS,
	IPSTATS_MIB_MAX
};
enum {
	TCP_MIB_ACTIVEOPENS, TCP_MIB_PASSIVEOPENS, TCP_MIB_ATTEMPTFAILS, TCP_MIB_ESTABRESETS,
	TCP_MIB_CURRESTAB, TCP_MIB_INSEGS, TCP_MIB_OUTSEGS, TCP_MIB_RETRANSSEGS,
	TCP_MIB_INERRS, TCP_MIB_OUTRSTS, TCP_MIB_CSUMERRORS,
	TCP_MIB_MAX
};
enum {
	UDP_MIB_INDATAGRAMS, UDP_MIB_NOPORTS, UDP_MIB_INERRORS, UDP_MIB_OUTDATAGRAMS,
	UDP_MIB_RCVBUFERRORS, UDP_MIB_SNDBUFERRORS, UDP_MIB_CSUMERRORS,
	UDP_MIB_MAX
};
extern unsigned long ip_mib[IPSTATS_MIB_MAX];
extern unsigned long tcp_mib[TCP_MIB_MAX];
extern unsigned long udp_mib[UDP_MIB_MAX];
#define NET_INC_STATS(mib, field) __atomic_fetch_add(&(mib)[field], 1, __ATOMIC_RELAXED)
#define NET_ADD_STATS(mib, field, n) __atomic_fetch_add(&(mib)[field], (n), __ATOMIC_RELAXED)
#define NET_DEC_STATS(mib, field) __atomic_fetch_sub(&(mib)[field], 1, __ATOMIC_RELAXED)

#endif /* _EXO_INET_H */
