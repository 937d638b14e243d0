// SPDX-License-Identifier: MIT
/*
 * The receive paths of the network stack on the host, under ASan/UBSan:
 * net/core/dev.c, net/ethernet/eth.c and net/ipv4/ (ARP, IPv4 with
 * reassembly, ICMP, UDP, raw) fed with crafted Ethernet frames on a fake
 * device whose transmit function captures what the stack sends back. The
 * network threads are stood in for: netif_rx delivers at once and
 * net_timers are fired by the test.
 *
 * Checked: ARP replies and the queue of packets waiting for resolution,
 * echo replies, port unreachable, UDP delivery and its checksum,
 * Ethernet padding, malformed IPv4 headers counted and dropped, fragments
 * reassembled in any order, overlaps dropping the datagram, the
 * reassembly timeout's ICMP. The fuzz target: a seeded mutation loop over
 * valid frames (bytes flipped, lengths cut and lied about) that must
 * neither crash nor leak buffers.
 */
#define loff_t kernel_loff_t
#define dev_t kernel_dev_t
#include <exo/byteorder.h>
#include <exo/checksum.h>
#include <exo/cred.h>
#include <exo/etherdevice.h>
#include <exo/fs.h>
#include <exo/inet.h>
#include <exo/inetdevice.h>
#include <exo/init.h>
#include <exo/mutex.h>
#include <exo/net.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/wait.h>
#include <uapi/icmp.h>
#include <uapi/if_arp.h>
#include <uapi/udp.h>
#undef loff_t
#undef dev_t
#include "test_mm.h"
#include <stdarg.h>
#include <string.h>

/* ---- stand-ins for what the network code calls outside itself ------------------ */

unsigned long k_simple_strtoul(const char *cp, char **endp, unsigned int base);
unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	return k_simple_strtoul(cp, endp, base);
}
size_t k_strlcpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size)
{
	return k_strlcpy(dst, src, size);
}

static u64 host_now_ns = 1000000000ULL;
u64 ktime_get_ns(void)
{
	return host_now_ns;
}
void get_random_bytes(void *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		((u8 *)buf)[i] = (u8)test_rand();
}
u64 get_random_u64(void)
{
	return (u64)test_rand() << 32 ^ test_rand();
}
static const struct cred host_cred;	/* root */
const struct cred *current_cred(void)
{
	return &host_cred;
}
bool capable_root(void)
{
	return true;
}
void mutex_lock_slowpath(struct mutex *m)
{
	panic("mutex %p contended on one thread", (void *)m);
}
void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->owner, NULL, __ATOMIC_RELEASE);
}
void lockdep_might_sleep(const char *file, int line)
{
	(void)file, (void)line;
}
long schedule_timeout_ns(u64 ns, bool interruptible)
{
	(void)ns, (void)interruptible;
	return 0;
}
bool schedule_deadline(u64 deadline_ns)
{
	(void)deadline_ns;
	return false;
}
static const struct net_proto_family *inet_fam;
int sock_register(const struct net_proto_family *fam)
{
	inet_fam = fam;
	return 0;
}
void sock_init_data(struct sock *sk, int family, int type)
{
	spin_lock_init(&sk->lock);
	init_waitqueue_head(&sk->wq);
	sk->refcnt = 1;
	sk->family = (unsigned short)family;
	sk->type = (unsigned short)type;
	sk->state = SK_CLOSE;
	sk->sndbuf = SK_BUF_DEFAULT;
	sk->rcvbuf = SK_BUF_DEFAULT;
}
/* sock_error(), sock_deadline() and sock_wait_errno() are inline; these are their calls. */
int __sock_error(struct sock *sk)
{
	int err = sk->err;

	sk->err = 0;
	return -err;
}
u64 sock_deadline_after(u64 timeo)
{
	(void)timeo;
	return WAIT_NO_DEADLINE;
}
int sock_epipe(int flags)
{
	(void)flags;
	return -EPIPE;
}
int put_cmsg(struct kmsghdr *msg, int level, int type, size_t len, const void *data)
{
	(void)msg, (void)level, (void)type, (void)len, (void)data;
	return 0;
}
size_t copy_from_iter(void *dst, size_t bytes, struct iov_iter *it)
{
	memcpy(dst, it->kvec->iov_base, bytes);
	return bytes;
}
unsigned long raw_copy_from_user(void *dst, const void __user *src, unsigned long n)
{
	memcpy(dst, (const void *)src, n);
	return 0;
}
unsigned long raw_copy_to_user(void __user *dst, const void *src, unsigned long n)
{
	memcpy((void *)dst, src, n);
	return 0;
}
int dev_ioctl(unsigned int cmd, void __user *arg, bool inet)
{
	(void)cmd, (void)arg, (void)inet;
	return -ENOTTY;
}
void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	(void)m, (void)fmt;
}
void seq_puts(struct seq_file *m, const char *s)
{
	(void)m, (void)s;
}
void seq_pad(struct seq_file *m, size_t line_start, size_t col, char c)
{
	(void)m, (void)line_start, (void)col, (void)c;
}
void poll_wait(struct file *file, struct wait_queue_head *wq, struct poll_table *pt)
{
	(void)file, (void)wq, (void)pt;
}

/* The network threads: receive at once, run carrier changes at once, timers by hand. */
int netif_rx(struct sk_buff *skb)
{
	return netif_receive_skb(skb);
}
void linkwatch_run(struct net_device *dev);
void linkwatch_fire(struct net_device *dev)
{
	linkwatch_run(dev);
}
void dev_tx_restart(struct net_device *dev);
void netthread_schedule_tx(struct net_device *dev)
{
	dev_tx_restart(dev);
}
void netthread_flush_dev(struct net_device *dev)
{
	(void)dev;
}

#define MAX_TIMERS 1100	/* above the ARP table limit: a table past it runs out of slots */
static struct net_timer *timers[MAX_TIMERS];	/* armed */
static u64 timer_when[MAX_TIMERS];

void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
	t->cpu = -1;
}
bool net_timer_del(struct net_timer *t)
{
	for (int i = 0; i < MAX_TIMERS; i++)
		if (timers[i] == t) {
			timers[i] = NULL;
			return true;
		}
	return false;
}
void net_timer_mod(struct net_timer *t, u64 expires_ns)
{
	int free = -1;

	net_timer_del(t);
	for (int i = 0; i < MAX_TIMERS && free < 0; i++)
		if (!timers[i])
			free = i;
	CHECK(free >= 0);
	timers[free] = t;
	timer_when[free] = expires_ns;
}
bool net_timer_pending(const struct net_timer *t)
{
	for (int i = 0; i < MAX_TIMERS; i++)
		if (timers[i] == t)
			return true;
	return false;
}
/* Moves the clock to @now, running each timer due on the way at its own time. */
static void run_timers_until(u64 now)
{
	for (;;) {
		int next = -1;

		for (int i = 0; i < MAX_TIMERS; i++)
			if (timers[i] && timer_when[i] <= now &&
			    (next < 0 || timer_when[i] < timer_when[next]))
				next = i;
		if (next < 0)
			break;
		{
			struct net_timer *t = timers[next];

			if (timer_when[next] > host_now_ns)
				host_now_ns = timer_when[next];
			timers[next] = NULL;
			t->fn(t);
		}
	}
	host_now_ns = now;
}

/* ---- the fake Ethernet device ----------------------------------------------------- */

static struct sk_buff_head sent;	/* frames the stack transmitted */
static struct net_device *eth;
static const u8 our_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
#define OUR_IP htonl(0x0a000002)	/* 10.0.0.2/24 */
#define PEER_IP htonl(0x0a000001)

static netdev_tx_t fake_xmit(struct sk_buff *skb, struct net_device *dev)
{
	(void)dev;
	skb_orphan(skb);
	__skb_queue_tail(&sent, skb);
	return NETDEV_TX_OK;
}
static const struct net_device_ops fake_ops = { .ndo_start_xmit = fake_xmit };

extern const initcall_t __start_hostinit[], __stop_hostinit[];

static void inet_boot(void)
{
	test_boot(64 * MB, false);
	slab_init();
	host_current = (struct task *)&host_cred;	/* a token: mutexes need an owner */
	skb_queue_head_init(&sent);
	for (const initcall_t *fn = __start_hostinit; fn < __stop_hostinit; fn++)
		CHECK((*fn)() == 0);
	eth = alloc_etherdev(0);
	CHECK(eth);
	memcpy(eth->dev_addr, our_mac, ETH_ALEN);
	eth->netdev_ops = &fake_ops;
	CHECK(register_netdev(eth) == 0);
	CHECK(!strcmp(eth->name, "eth0"));
	rtnl_lock();
	CHECK(dev_open(eth) == 0);
	CHECK(inet_addr_add(eth, OUR_IP, 24, htonl(0x0a0000ff)) == 0);
	rtnl_unlock();
	netif_carrier_on(eth);	/* announces 10.0.0.2 */
	__skb_queue_purge(&sent);
}

/* Hands @len bytes of a frame to the stack as eth0 received them. */
static void rx(const void *frame, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + 2 + len, GFP_ATOMIC);

	CHECK(skb);
	skb_reserve(skb, NET_SKB_PAD + 2);	/* IP header 4-aligned (UBSan) */
	skb->dev = eth;
	skb_put_data(skb, frame, len);
	netif_receive_skb(skb);
}

/* The next frame sent, or NULL. */
static struct sk_buff *tx(void)
{
	return __skb_dequeue(&sent);
}

/* ---- frame building -------------------------------------------------------------- */

/* Two bytes in front of the Ethernet header align the IP header, as NET_IP_ALIGN would. */
struct frame {
	u32 align;
	u8 pad[2];
	u8 b[2048];
	unsigned int len;
};

static void put_eth(struct frame *f, const u8 *dst, u16 type)
{
	struct ethhdr *e = (struct ethhdr *)f->b;

	memcpy(e->h_dest, dst, ETH_ALEN);
	memcpy(e->h_source, peer_mac, ETH_ALEN);
	e->h_proto = htons(type);
	f->len = ETH_HLEN;
}

/* An IPv4 header at f->len with @plen payload bytes after it; returns the header. */
static struct iphdr *put_ip(struct frame *f, u8 proto, __be32 saddr, __be32 daddr,
			    unsigned int plen, u16 id, u16 frag_off)
{
	struct iphdr *ip = (struct iphdr *)(f->b + f->len);

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = proto;
	ip->saddr = saddr;
	ip->daddr = daddr;
	ip->id = htons(id);
	ip->frag_off = htons(frag_off);
	ip->tot_len = htons((u16)(sizeof(*ip) + plen));
	ip->check = ip_fast_csum(ip, 5);
	f->len += sizeof(*ip);
	return ip;
}

static void build_udp(struct frame *f, __be32 saddr, u16 sport, u16 dport, const void *data,
		      unsigned int dlen)
{
	struct udphdr *uh;

	put_eth(f, our_mac, ETH_P_IP);
	put_ip(f, IPPROTO_UDP, saddr, OUR_IP, sizeof(*uh) + dlen, 1, 0);
	uh = (struct udphdr *)(f->b + f->len);
	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons((u16)(sizeof(*uh) + dlen));
	uh->check = 0;
	memcpy(uh + 1, data, dlen);
	uh->check = csum_tcpudp_magic(saddr, OUR_IP, sizeof(*uh) + dlen, IPPROTO_UDP,
				      csum_partial(uh, (int)(sizeof(*uh) + dlen), 0));
	if (!uh->check)
		uh->check = 0xffff;
	f->len += sizeof(*uh) + dlen;
}

static void build_echo(struct frame *f, u16 id, u16 seq)
{
	struct icmphdr *ic;

	put_eth(f, our_mac, ETH_P_IP);
	put_ip(f, IPPROTO_ICMP, PEER_IP, OUR_IP, sizeof(*ic) + 16, 2, 0);
	ic = (struct icmphdr *)(f->b + f->len);
	memset(ic, 0, sizeof(*ic) + 16);
	ic->type = ICMP_ECHO;
	ic->un.echo.id = htons(id);
	ic->un.echo.sequence = htons(seq);
	memcpy(ic + 1, "0123456789abcdef", 16);
	ic->checksum = ip_compute_csum(ic, sizeof(*ic) + 16);
	f->len += sizeof(*ic) + 16;
}

static void build_arp(struct frame *f, u16 op, __be32 sip, __be32 tip, const u8 *dst)
{
	struct arphdr *a;
	u8 *p;

	put_eth(f, dst, ETH_P_ARP);
	a = (struct arphdr *)(f->b + f->len);
	a->ar_hrd = htons(ARPHRD_ETHER);
	a->ar_pro = htons(ETH_P_IP);
	a->ar_hln = ETH_ALEN;
	a->ar_pln = 4;
	a->ar_op = htons(op);
	p = (u8 *)(a + 1);
	memcpy(p, peer_mac, ETH_ALEN);
	memcpy(p + 6, &sip, 4);
	memcpy(p + 10, op == ARPOP_REPLY ? our_mac : (const u8 *)"\0\0\0\0\0\0", ETH_ALEN);
	memcpy(p + 16, &tip, 4);
	f->len += sizeof(*a) + 20;
}

static void learn_peer(void)
{
	struct frame f;

	build_arp(&f, ARPOP_REPLY, PEER_IP, OUR_IP, our_mac);
	rx(f.b, f.len);
}

/* A UDP socket bound to @port on any address. */
static struct socket *udp_socket(u16 port)
{
	struct socket *sock = kzalloc(sizeof(*sock), GFP_KERNEL);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	CHECK(sock && inet_fam);
	sock->type = SOCK_DGRAM;
	CHECK(inet_fam->create(sock, 0) == 0);
	CHECK(sock->ops->bind(sock, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	return sock;
}

/* The start of net/ipv4's struct dgram_sock (internal.h): the receive queue. */
struct dgram_sock_view {
	struct inet_sock inet;
	struct sk_buff_head rxq;
};

static u32 rxq_len(struct socket *sock)
{
	return skb_queue_len(&((struct dgram_sock_view *)sock->sk)->rxq);
}

/* ---- tests ---------------------------------------------------------------------- */

TEST(inet_arp_request_for_us_is_answered)
{
	struct frame f;
	struct sk_buff *skb;
	const struct arphdr *a;

	inet_boot();
	build_arp(&f, ARPOP_REQUEST, PEER_IP, OUR_IP, (const u8 *)"\xff\xff\xff\xff\xff\xff");
	rx(f.b, f.len);
	skb = tx();
	CHECK(skb && skb->len == ETH_HLEN + 28);
	CHECK(!memcmp(skb->data, peer_mac, ETH_ALEN));
	a = (const struct arphdr *)(skb->data + ETH_HLEN);
	CHECK(ntohs(a->ar_op) == ARPOP_REPLY);
	CHECK(!memcmp((const u8 *)(a + 1), our_mac, ETH_ALEN));
	CHECK(!memcmp((const u8 *)(a + 1) + 6, &(__be32){ OUR_IP }, 4));
	kfree_skb(skb);
	/* Not for us: no answer. */
	build_arp(&f, ARPOP_REQUEST, PEER_IP, htonl(0x0a000063), (const u8 *)"\xff\xff\xff\xff\xff\xff");
	rx(f.b, f.len);
	CHECK(!tx());
}

TEST(inet_echo_waits_for_arp_then_is_answered)
{
	struct frame f;
	struct sk_buff *skb;
	const struct icmphdr *ic;
	long before;

	inet_boot();
	before = skb_in_use;
	build_echo(&f, 0x1234, 1);
	rx(f.b, f.len);
	/* The peer is unknown: an ARP request goes out, the reply waits. */
	skb = tx();
	CHECK(skb && ((struct ethhdr *)skb->data)->h_proto == htons(ETH_P_ARP));
	CHECK(is_broadcast_ether_addr(skb->data));
	kfree_skb(skb);
	CHECK(!tx());
	learn_peer();
	skb = tx();
	CHECK(skb && ((struct ethhdr *)skb->data)->h_proto == htons(ETH_P_IP));
	CHECK(!memcmp(skb->data, peer_mac, ETH_ALEN));
	CHECK(!ip_fast_csum(skb->data + ETH_HLEN, 5));
	ic = (const struct icmphdr *)(skb->data + ETH_HLEN + 20);
	CHECK(ic->type == ICMP_ECHOREPLY && ntohs(ic->un.echo.id) == 0x1234);
	CHECK(!ip_compute_csum(ic, (int)skb->len - ETH_HLEN - 20));
	CHECK(!memcmp(ic + 1, "0123456789abcdef", 16));
	kfree_skb(skb);
	CHECK(skb_in_use == before);
}

TEST(inet_arp_gives_up_after_three_probes)
{
	struct frame f;
	struct sk_buff *skb;
	int requests = 0;

	inet_boot();
	build_echo(&f, 1, 1);
	rx(f.b, f.len);
	run_timers_until(host_now_ns + 10ULL * 1000000000ULL);
	while ((skb = tx())) {
		CHECK(((struct ethhdr *)skb->data)->h_proto == htons(ETH_P_ARP));
		requests++;
		kfree_skb(skb);
	}
	CHECK(requests == 3);
}

TEST(inet_udp_delivery_checksum_and_padding)
{
	struct frame f;
	struct socket *s;
	unsigned long csum_errs = udp_mib[UDP_MIB_CSUMERRORS];

	inet_boot();
	s = udp_socket(5000);
	build_udp(&f, PEER_IP, 4000, 5000, "hello", 5);
	rx(f.b, f.len);
	CHECK(rxq_len(s) == 1);
	/* Padded to the Ethernet minimum: the padding is not data. */
	memset(f.b + f.len, 0xee, 60 - f.len);
	rx(f.b, 60);
	CHECK(rxq_len(s) == 2);
	CHECK(skb_peek_tail(&((struct dgram_sock_view *)s->sk)->rxq)->len == 5);
	/* A flipped byte: the checksum catches it. */
	f.b[f.len - 1] ^= 1;
	rx(f.b, f.len);
	CHECK(rxq_len(s) == 2);
	CHECK(udp_mib[UDP_MIB_CSUMERRORS] == csum_errs + 1);
}

TEST(inet_udp_closed_port_gets_port_unreachable)
{
	struct frame f;
	struct sk_buff *skb;
	const struct icmphdr *ic;

	inet_boot();
	learn_peer();
	build_udp(&f, PEER_IP, 4000, 5001, "x", 1);
	rx(f.b, f.len);
	skb = tx();
	CHECK(skb);
	ic = (const struct icmphdr *)(skb->data + ETH_HLEN + 20);
	CHECK(ic->type == ICMP_DEST_UNREACH && ic->code == ICMP_PORT_UNREACH);
	/* The quote: the offending IP header and the UDP header. */
	CHECK(!memcmp(ic + 1, f.b + ETH_HLEN, 28));
	kfree_skb(skb);
}

TEST(inet_malformed_ip_headers_are_counted_and_dropped)
{
	struct frame f, g;
	struct socket *s;
	unsigned long hdr = ip_mib[IPSTATS_MIB_INHDRERRORS];
	struct iphdr *ip;

	inet_boot();
	s = udp_socket(5000);
	build_udp(&f, PEER_IP, 4000, 5000, "hello", 5);
	ip = (struct iphdr *)(f.b + ETH_HLEN);

	g = f;	/* bad header checksum */
	((struct iphdr *)(g.b + ETH_HLEN))->check ^= 1;
	rx(g.b, g.len);
	g = f;	/* ihl < 5 */
	((struct iphdr *)(g.b + ETH_HLEN))->ihl = 4;
	rx(g.b, g.len);
	g = f;	/* version 6 */
	((struct iphdr *)(g.b + ETH_HLEN))->version = 6;
	rx(g.b, g.len);
	g = f;	/* tot_len claims more than the frame */
	((struct iphdr *)(g.b + ETH_HLEN))->tot_len = htons(200);
	((struct iphdr *)(g.b + ETH_HLEN))->check = 0;
	((struct iphdr *)(g.b + ETH_HLEN))->check = ip_fast_csum(g.b + ETH_HLEN, 5);
	rx(g.b, g.len);
	g = f;	/* tot_len shorter than the header */
	((struct iphdr *)(g.b + ETH_HLEN))->tot_len = htons(12);
	((struct iphdr *)(g.b + ETH_HLEN))->check = 0;
	((struct iphdr *)(g.b + ETH_HLEN))->check = ip_fast_csum(g.b + ETH_HLEN, 5);
	rx(g.b, g.len);
	rx(f.b, ETH_HLEN + 10);	/* truncated header */
	CHECK(ip_mib[IPSTATS_MIB_INHDRERRORS] == hdr + 6);
	CHECK(rxq_len(s) == 0);
	/* ihl 6 with an option word: skipped safely, the datagram still arrives. */
	(void)ip;
	rx(f.b, f.len);
	CHECK(rxq_len(s) == 1);
}

/* The UDP datagram of @dlen bytes to port 5000, cut into fragments; sends those in @order. */
static void send_frags(u16 id, const u8 *data, unsigned int dlen, const unsigned int *cuts,
		       int n, const int *order, int count)
{
	u8 dgram[512];
	struct udphdr *uh = (struct udphdr *)dgram;
	unsigned int total = sizeof(*uh) + dlen;

	uh->source = htons(4000);
	uh->dest = htons(5000);
	uh->len = htons((u16)total);
	uh->check = 0;	/* none */
	memcpy(uh + 1, data, dlen);
	for (int k = 0; k < count; k++) {
		int i = order[k];
		unsigned int start = cuts[i], end = i + 1 < n ? cuts[i + 1] : total;
		struct frame f;

		put_eth(&f, our_mac, ETH_P_IP);
		put_ip(&f, IPPROTO_UDP, PEER_IP, OUR_IP, end - start, id,
		       (u16)(start / 8 | (i + 1 < n ? IP_MF : 0)));
		memcpy(f.b + f.len, dgram + start, end - start);
		f.len += end - start;
		rx(f.b, f.len);
	}
}

TEST(inet_reassembly_orders_and_overlaps)
{
	static const u8 data[40] = "the quick brown fox jumps over the dog!";
	static const unsigned int cuts[] = { 0, 16, 32 };
	static const int fwd[] = { 0, 1, 2 }, rev[] = { 2, 1, 0 }, dup[] = { 0, 0, 1, 2 };
	struct socket *s;
	struct sk_buff *skb;

	inet_boot();
	s = udp_socket(5000);
	send_frags(10, data, 40, cuts, 3, fwd, 3);
	send_frags(11, data, 40, cuts, 3, rev, 3);
	send_frags(12, data, 40, cuts, 3, dup, 4);
	CHECK(rxq_len(s) == 3);
	skb_queue_walk(&((struct dgram_sock_view *)s->sk)->rxq, skb)
		CHECK(skb->len == 40 && !memcmp(skb->data, data, 40));
	/* Overlap: [0,24) and [16,48): the datagram is dropped. */
	{
		static const unsigned int ocuts[] = { 0, 16 };
		static const int one[] = { 0 };
		u8 dgram[48] = { 0 };
		struct frame f;
		unsigned long fails = ip_mib[IPSTATS_MIB_REASMFAILS];

		put_eth(&f, our_mac, ETH_P_IP);
		put_ip(&f, IPPROTO_UDP, PEER_IP, OUR_IP, 24, 13, IP_MF);
		memcpy(f.b + f.len, dgram, 24);
		f.len += 24;
		rx(f.b, f.len);
		send_frags(13, data, 40, ocuts, 2, (const int[]){ 1 }, 1);
		(void)one;
		CHECK(ip_mib[IPSTATS_MIB_REASMFAILS] == fails + 1);
		CHECK(rxq_len(s) == 3);
	}
}

TEST(inet_reassembly_timeout_sends_time_exceeded)
{
	static const u8 data[40] = "0123456789012345678901234567890123456789";
	static const unsigned int cuts[] = { 0, 16, 32 };
	static const int first_two[] = { 0, 1 }, last[] = { 2 };
	struct sk_buff *skb;
	const struct icmphdr *ic;

	inet_boot();
	learn_peer();
	udp_socket(5000);
	send_frags(20, data, 40, cuts, 3, first_two, 2);
	send_frags(21, data, 40, cuts, 3, last, 1);	/* no first fragment: no ICMP */
	CHECK(!tx());
	run_timers_until(host_now_ns + 31ULL * 1000000000ULL);
	skb = tx();
	CHECK(skb);
	ic = (const struct icmphdr *)(skb->data + ETH_HLEN + 20);
	CHECK(ic->type == ICMP_TIME_EXCEEDED && ic->code == ICMP_EXC_FRAGTIME);
	kfree_skb(skb);
	CHECK(!tx());
	CHECK(ip_mib[IPSTATS_MIB_REASMTIMEOUT] >= 2);
}

/*
 * The fuzz target: valid frames of each kind, mutated from a fixed seed
 * (bytes flipped, frames cut short, IP lengths and offsets rewritten),
 * must be handled without a sanitizer report, and once the sockets'
 * queues and the reassembly timers are drained no buffer may be left.
 */
TEST(inet_fuzz_mutated_frames)
{
	struct frame base[6], f;
	struct socket *s;
	long before;
	static const u8 data[40] = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuz";

	inet_boot();
	learn_peer();
	s = udp_socket(5000);
	test_srand(13);
	before = skb_in_use;
	build_udp(&base[0], PEER_IP, 4000, 5000, "payload", 7);
	build_udp(&base[1], PEER_IP, 4000, 5009, "closed", 6);
	build_echo(&base[2], 7, 7);
	build_arp(&base[3], ARPOP_REQUEST, PEER_IP, OUR_IP, (const u8 *)"\xff\xff\xff\xff\xff\xff");
	put_eth(&base[4], our_mac, ETH_P_IP);
	put_ip(&base[4], IPPROTO_UDP, PEER_IP, OUR_IP, 16, 99, IP_MF);
	memcpy(base[4].b + base[4].len, data, 16);
	base[4].len += 16;
	put_eth(&base[5], our_mac, ETH_P_IP);
	put_ip(&base[5], IPPROTO_UDP, PEER_IP, OUR_IP, 24, 99, 2);
	memcpy(base[5].b + base[5].len, data + 16, 24);
	base[5].len += 24;
	for (int iter = 0; iter < 30000; iter++) {
		unsigned int kind = (unsigned int)(test_rand() % 6), flips = test_rand() % 4;

		f = base[kind];
		for (unsigned int k = 0; k < flips; k++)
			f.b[test_rand() % f.len] ^= (u8)(1u << (test_rand() % 8));
		switch (test_rand() % 5) {
		case 0:	/* cut short */
			f.len = (unsigned int)(test_rand() % (f.len + 1));
			break;
		case 1: {	/* a lying tot_len or fragment offset, with a valid header checksum */
			struct iphdr *ip = (struct iphdr *)(f.b + ETH_HLEN);

			if (f.len < ETH_HLEN + 20)
				break;
			if (test_rand() & 1)
				ip->tot_len = htons((u16)test_rand());
			else
				ip->frag_off = htons((u16)test_rand());
			ip->check = 0;
			ip->check = ip_fast_csum(ip, 5);
			break;
		}
		case 2:	/* trailing garbage */
			while (f.len < sizeof(f.b) && test_rand() % 8)
				f.b[f.len++] = (u8)test_rand();
			break;
		default:
			break;
		}
		rx(f.b, f.len);
		if (iter % 64 == 0) {
			__skb_queue_purge(&sent);
			host_now_ns += 1000000000ULL;
		}
	}
	/* Drain: what the socket holds, what was sent, every pending timer. */
	__skb_queue_purge(&((struct dgram_sock_view *)s->sk)->rxq);
	run_timers_until(host_now_ns + 3600ULL * 1000000000ULL);
	__skb_queue_purge(&sent);
	CHECK(skb_in_use == before);
}

TEST(inet_gratuitous_arp_on_carrier_up_and_address_add)
{
	struct sk_buff *skb;
	const struct arphdr *a;
	__be32 sip, tip, extra = htonl(0x0a000103);

	inet_boot();
	netif_carrier_off(eth);
	netif_carrier_on(eth);
	skb = tx();
	CHECK(skb && is_broadcast_ether_addr(skb->data));
	a = (const struct arphdr *)(skb->data + ETH_HLEN);
	memcpy(&sip, (const u8 *)(a + 1) + 6, 4);
	memcpy(&tip, (const u8 *)(a + 1) + 16, 4);
	CHECK(ntohs(a->ar_op) == ARPOP_REQUEST && sip == OUR_IP && tip == OUR_IP);
	kfree_skb(skb);
	CHECK(!tx());
	rtnl_lock();
	CHECK(inet_addr_add(eth, extra, 24, 0) == 0);
	rtnl_unlock();
	skb = tx();
	CHECK(skb);
	a = (const struct arphdr *)(skb->data + ETH_HLEN);
	memcpy(&sip, (const u8 *)(a + 1) + 6, 4);
	CHECK(sip == extra);
	kfree_skb(skb);
}

TEST(inet_arp_entry_is_revalidated_by_unicast_probes)
{
	struct frame f;
	struct sk_buff *skb;
	int unicast = 0;

	inet_boot();
	learn_peer();	/* REACHABLE */
	/* Past reachable time (at most 45 s): STALE; the next use starts DELAY, then PROBE. */
	run_timers_until(host_now_ns + 50ULL * 1000000000ULL);
	build_echo(&f, 5, 5);
	rx(f.b, f.len);
	skb = tx();	/* the echo reply goes out at once to the stale address */
	CHECK(skb && ((struct ethhdr *)skb->data)->h_proto == htons(ETH_P_IP));
	kfree_skb(skb);
	run_timers_until(host_now_ns + 7ULL * 1000000000ULL);
	while ((skb = tx())) {
		if (((struct ethhdr *)skb->data)->h_proto == htons(ETH_P_ARP) &&
		    !memcmp(skb->data, peer_mac, ETH_ALEN))
			unicast++;
		kfree_skb(skb);
	}
	CHECK(unicast >= 1);
	/* A reply confirms it: no more probes. */
	learn_peer();
	run_timers_until(host_now_ns + 3ULL * 1000000000ULL);
	CHECK(!tx());
}

TEST(inet_arp_table_is_bounded)
{
	struct frame f;

	inet_boot();
	/* Requests for us from 3000 forged senders: the table stops at its limit, no crash. */
	for (u32 i = 0; i < 3000; i++) {
		build_arp(&f, ARPOP_REQUEST, htonl(0x0a000000 | (10 + i % 240) | (i / 240) << 8),
			  OUR_IP, (const u8 *)"\xff\xff\xff\xff\xff\xff");
		rx(f.b, f.len);
		__skb_queue_purge(&sent);
	}
	CHECK(skb_in_use < 100);
}
