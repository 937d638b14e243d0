// SPDX-License-Identifier: MIT
/*
 * TCP's state machine against a scripted peer: the real net/ipv4/tcp_*.c
 * (all but the socket calls of tcp.c) and net/core/skbuff.c, with IP
 * replaced by a capture of what TCP sends (fake ip_send_skb) and a fake
 * clock driving the one net_timer each socket has. Segments from the peer
 * are crafted here, checksummed, and fed to tcp_v4_rcv(). Ends with a
 * seeded mutation fuzz loop (bad checksums, bogus options, truncated
 * headers) under ASan/UBSan.
 */
#define loff_t kernel_loff_t
#define dev_t kernel_dev_t
#include <exo/checksum.h>
#include <exo/fs.h>
#include <exo/net.h>
#include <exo/skbuff.h>
#include <exo/slab.h>
#include <exo/wait.h>
#include "../net/ipv4/tcp_internal.h"
#undef loff_t
#undef dev_t
#include <exo/proc_net.h>
#include <exo/seq_file.h>
#include "test_mm.h"
#include <stdarg.h>
#include <string.h>

/* ---- the environment TCP runs in ---------------------------------------- */

static u64 fake_now = 1000 * NSEC_PER_SEC;
u64 ktime_get_ns(void)
{
	return fake_now;
}
void get_random_bytes(void *buf, size_t len)
{
	memset(buf, 0x5a, len);
}
u64 get_random_u64(void)
{
	return 12345;
}
void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->waiters);
}
void __wake_up(struct wait_queue_head *wq, void *key)
{
	(void)wq, (void)key;
}
size_t copy_to_iter(const void *src, size_t bytes, struct iov_iter *it)
{
	(void)src, (void)it;
	return bytes;
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
/* sock_put() is inline: a test counts a socket's free by wrapping its destructor. */
static int socks_freed;
static void (*wrapped_destruct)(struct sock *sk);
static void counting_destruct(struct sock *sk)
{
	socks_freed++;
	wrapped_destruct(sk);
}
void inet_get_local_port_range(int *low, int *high)
{
	*low = 32768;
	*high = 60999;
}
bool inet_addr_is_local(__be32 addr)
{
	return addr == htonl(0x7f000001);
}
unsigned long tcp_mib[TCP_MIB_MAX];
/* /proc/net/tcp's printing, into a plain buffer. */
void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
	va_end(ap);
	m->count += (size_t)n < m->size - m->count ? (size_t)n : m->size - m->count - 1;
}
void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}
void seq_pad(struct seq_file *m, size_t line_start, size_t col, char c)
{
	while (m->count < line_start + col && m->count + 2 < m->size)
		m->buf[m->count++] = ' ';
	m->buf[m->count++] = c;
	m->buf[m->count] = 0;
}
int icmp_err_to_errno(int type, int code, bool *fatal)
{
	*fatal = type == 3 && code != 4;
	return type == 3 && code == 3 ? -ECONNREFUSED : -EHOSTUNREACH;
}
void dev_put(struct net_device *dev)
{
	(void)dev;
}
#define LOCAL htonl(0x0a000001)
#define PEER htonl(0x0a000002)
static unsigned int route_mtu = 1500;
int ip_route_output(__be32 daddr, __be32 saddr, int oif, struct rtable *rt)
{
	(void)daddr, (void)saddr, (void)oif;
	memset(rt, 0, sizeof(*rt));
	rt->prefsrc = LOCAL;
	rt->mtu = route_mtu;
	rt->type = RTN_UNICAST;
	return 0;
}

/* What TCP sent, oldest first. */
static struct sk_buff_head sent;
static bool sent_ready;
int ip_send_skb(struct sk_buff *skb, const struct ip_send_opts *opts)
{
	CHECK(opts->protocol == IPPROTO_TCP);
	CHECK(skb->len >= sizeof(struct tcphdr));
	/*
	 * Every segment TCP builds must carry a correct checksum once the device
	 * (here skb_checksum_help, as for a device without offload) completes it.
	 */
	CHECK(skb_checksum_help(skb) == 0);
	CHECK(csum_tcpudp_magic(opts->saddr, opts->daddr, skb->len, IPPROTO_TCP,
				csum_partial(skb->data, (int)skb->len, 0)) == 0);
	if (!sent_ready) {
		skb_queue_head_init(&sent);
		sent_ready = true;
	}
	__skb_queue_tail(&sent, skb);
	return 0;
}

/* The fake network threads: one pending timer per net_timer, fired by advance(). */
#define MAX_TIMERS 16384
static struct net_timer *timers[MAX_TIMERS];
static int ntimers;
void net_timer_init(struct net_timer *t, void (*fn)(struct net_timer *t), void *data)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->data = data;
	t->cpu = -1;
}
void net_timer_mod(struct net_timer *t, u64 expires_ns)
{
	t->timer.expires_ns = expires_ns;
	if (!t->timer.pending) {
		t->timer.pending = 1;
		CHECK(ntimers < MAX_TIMERS);
		timers[ntimers++] = t;
	}
}
bool net_timer_pending(const struct net_timer *t)
{
	return t->timer.pending;
}
bool net_timer_del(struct net_timer *t)
{
	bool was = t->timer.pending;

	t->timer.pending = 0;
	return was;
}
/* Moves the clock by @ns, running every timer that comes due (in order). */
static void advance(u64 ns)
{
	u64 end = fake_now + ns;

	for (;;) {
		int best = -1;

		for (int i = 0; i < ntimers; i++)
			if (timers[i]->timer.pending && timers[i]->timer.expires_ns <= end &&
			    (best < 0 || timers[i]->timer.expires_ns < timers[best]->timer.expires_ns))
				best = i;
		if (best < 0)
			break;
		if (timers[best]->timer.expires_ns > fake_now)
			fake_now = timers[best]->timer.expires_ns;
		timers[best]->timer.pending = 0;
		{
			struct net_timer *t = timers[best];

			timers[best] = timers[--ntimers];
			t->fn(t);
		}
	}
	fake_now = end;
}

/* ---- the scripted peer ---------------------------------------------------- */

#define LPORT 5000
#define PPORT 40000

struct seg {
	u32 seq, ack;
	u8 flags;
	u16 win;
	const u8 *opts;
	unsigned int optlen;
	unsigned int len;	/* payload bytes, filled with 'a' + offset */
	__be16 sport, dport;
};

static struct sk_buff *build(const struct seg *s)
{
	unsigned int hlen = sizeof(struct tcphdr) + ALIGN(s->optlen, 4);
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + sizeof(struct iphdr) + hlen + s->len, GFP_KERNEL);
	struct iphdr *iph;
	struct tcphdr *th;
	u8 *p;

	CHECK(skb);
	skb_reserve(skb, NET_SKB_PAD);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = PEER;
	iph->daddr = LOCAL;
	iph->ttl = 64;
	skb_reset_network_header(skb);
	skb_pull(skb, sizeof(*iph));
	th = skb_put_zero(skb, hlen);
	th->source = s->sport ? s->sport : htons(PPORT);
	th->dest = s->dport ? s->dport : htons(LPORT);
	th->seq = htonl(s->seq);
	th->ack_seq = htonl(s->ack);
	th->doff = (u16)(hlen / 4);
	((u8 *)th)[13] = s->flags;
	th->window = htons(s->win ? s->win : 65535);
	if (s->optlen)
		memcpy(th + 1, s->opts, s->optlen);
	memset((u8 *)(th + 1) + s->optlen, TCPOPT_EOL, hlen - sizeof(*th) - s->optlen);
	p = skb_put(skb, s->len);
	for (unsigned int i = 0; i < s->len; i++)
		p[i] = (u8)('a' + (s->seq + i) % 26);
	th->check = csum_tcpudp_magic(PEER, LOCAL, skb->len, IPPROTO_TCP,
				      csum_partial(th, (int)skb->len, 0));
	skb->pkt_type = PACKET_HOST;
	return skb;
}

static void peer_send(const struct seg *s)
{
	tcp_v4_rcv(build(s));
}

/* The next segment TCP sent, or NULL; the caller frees it. */
static struct sk_buff *next_sent(void)
{
	return sent_ready ? __skb_dequeue(&sent) : NULL;
}
static void drain_sent(void)
{
	struct sk_buff *skb;

	while ((skb = next_sent()))
		kfree_skb(skb);
}
static unsigned int sent_count(void)
{
	return sent_ready ? skb_queue_len(&sent) : 0;
}
static struct tcphdr *th_of(struct sk_buff *skb)
{
	return (struct tcphdr *)skb->data;
}
static u32 seq_of(struct sk_buff *skb)
{
	return ntohl(th_of(skb)->seq);
}
static unsigned int payload_of(struct sk_buff *skb)
{
	return skb->len - th_of(skb)->doff * 4u;
}
static u8 flags_of(struct sk_buff *skb)
{
	return tcp_flag_byte(th_of(skb));
}

static void tcp_test_boot(void)
{
	test_boot(256 * MB, false);
	slab_init();
	CHECK(skb_init() == 0);
}

/* Options of a SYN-ACK: MSS 1460, SACK permitted, window scale @ws (none when < 0), no timestamps. */
static u8 synack_opts[12];
static unsigned int synack_optlen(int ws, bool sack)
{
	unsigned int n = 0;

	synack_opts[n++] = TCPOPT_MSS;
	synack_opts[n++] = 4;
	synack_opts[n++] = 1460 >> 8;
	synack_opts[n++] = 1460 & 0xff;
	if (sack) {
		synack_opts[n++] = TCPOPT_NOP;
		synack_opts[n++] = TCPOPT_NOP;
		synack_opts[n++] = TCPOPT_SACK_PERM;
		synack_opts[n++] = 2;
	}
	if (ws >= 0) {
		synack_opts[n++] = TCPOPT_NOP;
		synack_opts[n++] = TCPOPT_WINDOW;
		synack_opts[n++] = 3;
		synack_opts[n++] = (u8)ws;
	}
	return n;
}

#define PISS 1000000u	/* the peer's initial sequence number */

/* An established active connection: our SYN, the peer's SYN-ACK (no timestamps), our ACK. */
static struct tcp_sock *established(bool sack)
{
	struct tcp_sock *tp = tcp_sock_alloc();
	struct sk_buff *syn;
	struct seg s = { 0 };

	CHECK(tp);
	tcp_lock(tp);
	CHECK(tcp_v4_get_port(tp, LOCAL, LPORT) == 0);
	CHECK(tcp_v4_connect(tp, PEER, htons(PPORT)) == 0);
	tcp_unlock(tp);
	syn = next_sent();
	CHECK(syn && flags_of(syn) == TCPHDR_SYN);
	s.seq = PISS;
	s.ack = seq_of(syn) + 1;
	s.flags = TCPHDR_SYN | TCPHDR_ACK;
	s.opts = synack_opts;
	s.optlen = synack_optlen(0, sack);
	kfree_skb(syn);
	fake_now += 10 * NSEC_PER_MSEC;
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED);
	drain_sent();
	return tp;
}

/* Queues @n bytes as a send would, and lets TCP push. */
static void app_send(struct tcp_sock *tp, unsigned int n)
{
	tcp_lock(tp);
	while (n) {
		unsigned int size = min(n, tcp_current_mss(tp));
		struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER + size, GFP_KERNEL);

		skb_reserve(skb, MAX_TCP_HEADER);
		memset(skb_put(skb, size), 'd', size);
		memset(skb->cb, 0, sizeof(skb->cb));
		TCP_SKB_CB(skb)->seq = tp->write_seq;
		TCP_SKB_CB(skb)->end_seq = tp->write_seq + size;
		TCP_SKB_CB(skb)->tcp_flags = TCPHDR_ACK;
		tcp_queue_tail(tp, skb);
		n -= size;
	}
	tcp_push(tp);
	tcp_unlock(tp);
}

static struct seg peer_ack(struct tcp_sock *tp, u32 ack)
{
	struct seg s = { .seq = tp->rcv_nxt, .ack = ack, .flags = TCPHDR_ACK, .win = 65535 };

	return s;
}

/* ---- tests ---------------------------------------------------------------- */

TEST(tcp_handshake_active_options_and_ack)
{
	struct tcp_sock *tp;
	struct sk_buff *syn, *ack;
	struct seg s = { 0 };
	const u8 *o;

	tcp_test_boot();
	tp = tcp_sock_alloc();
	tcp_lock(tp);
	CHECK(tcp_v4_get_port(tp, LOCAL, LPORT) == 0);
	CHECK(tcp_v4_connect(tp, PEER, htons(PPORT)) == 0);
	tcp_unlock(tp);
	CHECK(tp->inet.sk.state == TCP_SYN_SENT);
	syn = next_sent();
	CHECK(syn && flags_of(syn) == TCPHDR_SYN && payload_of(syn) == 0);
	/* MSS from the route (1500 - 40), then SACK-permitted, timestamps, window scale. */
	o = (const u8 *)(th_of(syn) + 1);
	CHECK(th_of(syn)->doff == 10);
	CHECK(o[0] == TCPOPT_MSS && (o[2] << 8 | o[3]) == 1460);
	CHECK(o[4] == TCPOPT_SACK_PERM && o[6] == TCPOPT_TIMESTAMP);
	CHECK(o[17] == TCPOPT_WINDOW && o[19] == TCP_RCV_WSCALE);
	s.seq = PISS;
	s.ack = seq_of(syn) + 1;
	s.flags = TCPHDR_SYN | TCPHDR_ACK;
	s.opts = synack_opts;
	s.optlen = synack_optlen(2, true);
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED);
	CHECK(tp->snd_wscale == 2 && tp->sack_ok && !tp->tstamp_ok);
	CHECK(tp->mss_cache == 1460);
	ack = next_sent();
	CHECK(ack && flags_of(ack) == TCPHDR_ACK);
	CHECK(ntohl(th_of(ack)->ack_seq) == PISS + 1);
	CHECK(seq_of(ack) == seq_of(syn) + 1);
	kfree_skb(syn);
	kfree_skb(ack);
}

TEST(tcp_handshake_passive_accept_queue)
{
	struct tcp_sock *lp, *child;
	struct sk_buff *synack;
	struct seg s = { .seq = PISS, .flags = TCPHDR_SYN, .win = 29200 };

	tcp_test_boot();
	lp = tcp_sock_alloc();
	tcp_lock(lp);
	CHECK(tcp_v4_get_port(lp, 0, LPORT) == 0);
	lp->inet.sk.max_backlog = 8;
	CHECK(tcp_listen_start(lp, 8) == 0);
	tcp_unlock(lp);
	s.opts = synack_opts;
	s.optlen = synack_optlen(7, true);
	peer_send(&s);
	CHECK(lp->syn_qlen == 1);
	synack = next_sent();
	CHECK(synack && flags_of(synack) == (TCPHDR_SYN | TCPHDR_ACK));
	CHECK(ntohl(th_of(synack)->ack_seq) == PISS + 1);
	/* A retransmitted SYN gets the same SYN-ACK again. */
	peer_send(&s);
	{
		struct sk_buff *again = next_sent();

		CHECK(again && seq_of(again) == seq_of(synack));
		kfree_skb(again);
	}
	s = (struct seg){ .seq = PISS + 1, .ack = seq_of(synack) + 1, .flags = TCPHDR_ACK };
	peer_send(&s);
	CHECK(lp->syn_qlen == 0 && lp->accept_qlen == 1);
	child = list_first_entry(&lp->accept_queue, struct tcp_sock, child_node);
	CHECK(child->inet.sk.state == TCP_ESTABLISHED);
	CHECK(child->snd_wscale == 7);
	/* A bare ACK to the listener for no connection is answered with RST. */
	s = (struct seg){ .seq = 5, .ack = 77, .flags = TCPHDR_ACK, .sport = htons(PPORT + 1) };
	drain_sent();
	peer_send(&s);
	{
		struct sk_buff *rst = next_sent();

		CHECK(rst && (flags_of(rst) & TCPHDR_RST) && seq_of(rst) == 77);
		kfree_skb(rst);
	}
	kfree_skb(synack);
}

TEST(tcp_simultaneous_open)
{
	struct tcp_sock *tp;
	struct sk_buff *syn, *synack;
	struct seg s = { .seq = PISS, .flags = TCPHDR_SYN };

	tcp_test_boot();
	tp = tcp_sock_alloc();
	tcp_lock(tp);
	CHECK(tcp_v4_get_port(tp, LOCAL, LPORT) == 0);
	CHECK(tcp_v4_connect(tp, PEER, htons(PPORT)) == 0);
	tcp_unlock(tp);
	syn = next_sent();
	s.opts = synack_opts;
	s.optlen = synack_optlen(-1, false);
	peer_send(&s);		/* their SYN crosses ours */
	CHECK(tp->inet.sk.state == TCP_SYN_RECV);
	synack = next_sent();
	CHECK(synack && flags_of(synack) == (TCPHDR_SYN | TCPHDR_ACK));
	CHECK(seq_of(synack) == seq_of(syn));
	CHECK(ntohl(th_of(synack)->ack_seq) == PISS + 1);
	/* Their SYN-ACK (RFC 9293 figure 8) completes it. */
	s = (struct seg){ .seq = PISS, .ack = seq_of(syn) + 1, .flags = TCPHDR_SYN | TCPHDR_ACK };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED || tp->inet.sk.state == TCP_SYN_RECV);
	s = (struct seg){ .seq = PISS + 1, .ack = seq_of(syn) + 1, .flags = TCPHDR_ACK };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED);
	kfree_skb(syn);
	kfree_skb(synack);
}

TEST(tcp_simultaneous_close_and_time_wait)
{
	struct tcp_sock *tp;
	struct sk_buff *fin;
	struct seg s;
	u32 our_fin;

	tcp_test_boot();
	tp = established(true);
	tcp_lock(tp);
	tcp_set_state(tp, TCP_FIN_WAIT1);
	tcp_to_sk(tp)->shutdown |= SEND_SHUTDOWN;
	tcp_send_fin(tp);
	tcp_unlock(tp);
	fin = next_sent();
	CHECK(fin && (flags_of(fin) & TCPHDR_FIN));
	our_fin = seq_of(fin);
	/* Their FIN crosses ours (acknowledging only what came before it). */
	s = (struct seg){ .seq = PISS + 1, .ack = our_fin, .flags = TCPHDR_FIN | TCPHDR_ACK };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_CLOSING);
	s = (struct seg){ .seq = PISS + 2, .ack = our_fin + 1, .flags = TCPHDR_ACK };
	peer_send(&s);

	CHECK(tp->inet.sk.state == TCP_TIME_WAIT);
	CHECK(tcp_tw_count == 1);
	/* A retransmitted FIN in TIME_WAIT is ACKed again. */
	drain_sent();
	s = (struct seg){ .seq = PISS + 1, .ack = our_fin + 1, .flags = TCPHDR_FIN | TCPHDR_ACK };
	peer_send(&s);
	{
		struct sk_buff *ack = next_sent();

		CHECK(ack && flags_of(ack) == TCPHDR_ACK && ntohl(th_of(ack)->ack_seq) == PISS + 2);
		kfree_skb(ack);
	}
	advance(59 * NSEC_PER_SEC);
	CHECK(tp->inet.sk.state == TCP_TIME_WAIT);
	advance(2 * NSEC_PER_SEC);
	CHECK(tp->inet.sk.state == TCP_CLOSE);
	CHECK(tcp_tw_count == 0);
	CHECK(!tp->hashed);
	kfree_skb(fin);
}

TEST(tcp_retransmit_on_loss_with_karn)
{
	struct tcp_sock *tp;
	struct sk_buff *a, *b;
	u64 srtt, rto;
	struct seg s;

	tcp_test_boot();
	tp = established(false);
	srtt = tp->srtt;
	rto = tp->rto;
	CHECK(srtt == 10 * NSEC_PER_MSEC);	/* the SYN's round trip */
	CHECK(rto >= TCP_RTO_MIN);
	app_send(tp, 100);
	a = next_sent();
	CHECK(a && payload_of(a) == 100);
	advance(rto - 1);
	CHECK(sent_count() == 0);
	advance(2);
	b = next_sent();
	CHECK(b && seq_of(b) == seq_of(a) && payload_of(b) == 100);
	CHECK(tp->backoff == 1 && tp->snd_cwnd == 1);
	/* The second expiry waits twice as long. */
	advance(2 * rto - 2);
	CHECK(sent_count() == 0);
	advance(4);
	CHECK(sent_count() == 1);
	drain_sent();
	/* The ACK of a retransmitted segment gives no RTT sample (Karn). */
	fake_now += 3 * NSEC_PER_SEC;
	s = peer_ack(tp, seq_of(a) + 100);
	peer_send(&s);
	CHECK(tp->snd_una == seq_of(a) + 100);
	CHECK(tp->srtt == srtt);
	CHECK(tp->backoff == 0);
	CHECK(tp->packets_out == 0 && !tp->t_deadline[TCP_T_RETRANS]);
	kfree_skb(a);
	kfree_skb(b);
}

TEST(tcp_fast_retransmit_on_three_dupacks)
{
	struct tcp_sock *tp;
	struct sk_buff *skb;
	u32 first;
	struct seg s;

	tcp_test_boot();
	tp = established(false);
	app_send(tp, 10 * 1460);
	CHECK(sent_count() == 10);
	skb = next_sent();
	first = seq_of(skb);
	kfree_skb(skb);
	drain_sent();
	/* Segment 2 was lost: segment 1 is ACKed, then three duplicates. */
	s = peer_ack(tp, first + 1460);
	peer_send(&s);
	drain_sent();
	for (int i = 0; i < 2; i++) {
		peer_send(&s);
		CHECK(sent_count() == 0);
	}
	peer_send(&s);
	skb = next_sent();
	CHECK(skb && seq_of(skb) == first + 1460 && payload_of(skb) == 1460);
	CHECK(tp->ca_state == TCP_CA_Recovery);
	kfree_skb(skb);
	/* A full ACK ends recovery. */
	s = peer_ack(tp, first + 10 * 1460);
	peer_send(&s);
	CHECK(tp->ca_state == TCP_CA_Open && tp->packets_out == 0);
}

TEST(tcp_sack_blocks_avoid_needless_retransmits)
{
	struct tcp_sock *tp;
	struct sk_buff *skb;
	u8 opt[12];
	u32 first;
	struct seg s;

	tcp_test_boot();
	tp = established(true);
	app_send(tp, 8 * 1460);
	skb = next_sent();
	first = seq_of(skb);
	kfree_skb(skb);
	drain_sent();
	/* Segments 1 and 2 lost; 3-8 arrived: three ACKs with growing SACK blocks. */
	for (int k = 3; k <= 5; k++) {
		opt[0] = TCPOPT_NOP;
		opt[1] = TCPOPT_NOP;
		opt[2] = TCPOPT_SACK;
		opt[3] = 10;
		put_unaligned_be32(first + 2 * 1460, opt + 4);
		put_unaligned_be32(first + (u32)k * 1460 + 1460 * 3, opt + 8);
		s = peer_ack(tp, first);
		s.opts = opt;
		s.optlen = 12;
		peer_send(&s);
	}
	CHECK(tp->sacked_out == 6);
	CHECK(tp->ca_state == TCP_CA_Recovery);
	/* Only the holes go again, never a SACKed segment. */
	while ((skb = next_sent())) {
		if (payload_of(skb))
			CHECK(before(seq_of(skb), first + 2 * 1460));
		kfree_skb(skb);
	}
	/* An RTO retransmits the holes too, not what was SACKed. */
	advance(TCP_RTO_MAX);
	while ((skb = next_sent())) {
		if (payload_of(skb))
			CHECK(before(seq_of(skb), first + 2 * 1460));
		kfree_skb(skb);
	}
}

TEST(tcp_out_of_order_queue_and_sack_sent)
{
	struct tcp_sock *tp;
	struct sk_buff *ack;
	struct seg s;
	const u8 *o;

	tcp_test_boot();
	tp = established(true);
	s = (struct seg){ .seq = PISS + 1 + 1000, .ack = tp->snd_nxt, .flags = TCPHDR_ACK, .len = 500 };
	peer_send(&s);
	ack = next_sent();
	CHECK(ack && ntohl(th_of(ack)->ack_seq) == PISS + 1);	/* a duplicate ACK at once */
	o = (const u8 *)(th_of(ack) + 1);
	CHECK(th_of(ack)->doff == 8 && o[2] == TCPOPT_SACK && o[3] == 10);
	CHECK(get_unaligned_be32(o + 4) == PISS + 1001 && get_unaligned_be32(o + 8) == PISS + 1501);
	kfree_skb(ack);
	CHECK(tp->rcv_bytes == 0 && skb_queue_len(&tp->ofo_queue) == 1);
	/* The hole filled: both in order, the SACK block gone. */
	s = (struct seg){ .seq = PISS + 1, .ack = tp->snd_nxt, .flags = TCPHDR_ACK, .len = 1000 };
	peer_send(&s);
	CHECK(tp->rcv_bytes == 1500 && tp->rcv_nxt == PISS + 1501);
	CHECK(skb_queue_empty(&tp->ofo_queue) && tp->num_sacks == 0);
	ack = next_sent();
	CHECK(ack && ntohl(th_of(ack)->ack_seq) == PISS + 1501);
	kfree_skb(ack);
	/* The out-of-order queue is capped: far more than rcvbuf / 2 is dropped, not queued. */
	for (u32 i = 0; i < 400; i++) {
		s = (struct seg){ .seq = PISS + 1501 + 2000 + i * 1000, .ack = tp->snd_nxt,
				  .flags = TCPHDR_ACK, .len = 1000 };
		peer_send(&s);
	}
	drain_sent();
	CHECK(tp->ofo_mem <= tcp_to_sk(tp)->rcvbuf / TCP_OFO_MAX_FRACTION);
}

TEST(tcp_zero_window_probe)
{
	struct tcp_sock *tp;
	struct sk_buff *skb;
	struct seg s;

	tcp_test_boot();
	tp = established(false);
	s = peer_ack(tp, tp->snd_nxt);
	s.win = 0;
	s.flags = TCPHDR_ACK;
	/* win 0 in struct seg means 65535: send a real zero through a window of 0 bytes. */
	s.win = 0;
	{
		struct sk_buff *z = build(&s);

		th_of(z)->window = 0;
		th_of(z)->check = 0;
		th_of(z)->check = csum_tcpudp_magic(PEER, LOCAL, z->len, IPPROTO_TCP,
						    csum_partial(z->data, (int)z->len, 0));
		tcp_v4_rcv(z);
	}
	CHECK(tp->snd_wnd == 0);
	app_send(tp, 100);
	CHECK(sent_count() == 0);
	advance(tp->rto + 1);
	skb = next_sent();
	CHECK(skb && payload_of(skb) == 0 && seq_of(skb) == tp->snd_una - 1);
	kfree_skb(skb);
	/* The probes back off. */
	advance(tp->rto + 1);
	CHECK(sent_count() == 0);
	advance(tp->rto + 1);
	CHECK(sent_count() == 1);
	drain_sent();
	/* The window opens: the data goes. */
	s = peer_ack(tp, tp->snd_nxt);
	peer_send(&s);
	skb = next_sent();
	CHECK(skb && payload_of(skb) == 100);
	kfree_skb(skb);
}

TEST(tcp_rst_rfc5961_challenge_ack)
{
	struct tcp_sock *tp;
	struct sk_buff *skb;
	struct seg s;

	tcp_test_boot();
	tp = established(false);
	/* In the window but not exact: challenge ACK, connection kept. */
	s = (struct seg){ .seq = PISS + 1 + 100, .flags = TCPHDR_RST };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED);
	skb = next_sent();
	CHECK(skb && flags_of(skb) == TCPHDR_ACK && ntohl(th_of(skb)->ack_seq) == PISS + 1);
	kfree_skb(skb);
	/* Outside the window: ignored silently. */
	s.seq = PISS + 1 + 0x40000000;
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED && sent_count() == 0);
	/* A SYN on the connection: challenge ACK too. */
	s = (struct seg){ .seq = PISS + 50, .flags = TCPHDR_SYN };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED && sent_count() == 1);
	drain_sent();
	/* The exact sequence number resets. */
	s = (struct seg){ .seq = PISS + 1, .flags = TCPHDR_RST };
	peer_send(&s);
	CHECK(tp->inet.sk.state == TCP_CLOSE && tp->inet.sk.err == ECONNRESET);
}

TEST(tcp_syn_flood_is_capped)
{
	struct tcp_sock *lp, *lp2;

	tcp_test_boot();
	lp = tcp_sock_alloc();
	lp2 = tcp_sock_alloc();
	tcp_lock(lp);
	CHECK(tcp_v4_get_port(lp, 0, LPORT) == 0);
	CHECK(tcp_listen_start(lp, 16) == 0);
	tcp_unlock(lp);
	for (u32 i = 0; i < 3000; i++) {
		struct seg s = { .seq = i * 7919, .flags = TCPHDR_SYN, .sport = htons((u16)(1024 + i)) };

		peer_send(&s);
		drain_sent();
	}
	/* The backlog bounds the SYN queue of one listener. */
	CHECK(lp->syn_qlen == 16 && tcp_syn_count == 16);
	tcp_lock(lp2);
	CHECK(tcp_v4_get_port(lp2, 0, LPORT + 1) == 0);
	CHECK(tcp_listen_start(lp2, 4096) == 0);
	tcp_unlock(lp2);
	for (u32 i = 0; i < 3000; i++) {
		struct seg s = { .seq = i * 7919, .flags = TCPHDR_SYN, .sport = htons((u16)(1024 + i)),
				 .dport = htons(LPORT + 1) };

		peer_send(&s);
		drain_sent();
	}
	/* And the global cap all of them together. */
	CHECK(tcp_syn_count == TCP_MAX_SYN_RECV);
	/* The children give up after their SYN-ACK retransmissions; memory comes back. */
	advance(300 * NSEC_PER_SEC);
	drain_sent();
	CHECK(tcp_syn_count == 0 && lp->syn_qlen == 0 && lp2->syn_qlen == 0);
}

TEST(tcp_delayed_ack_and_quickack)
{
	struct tcp_sock *tp;
	struct seg s;

	tcp_test_boot();
	tp = established(false);
	tp->quickack = 0;
	s = (struct seg){ .seq = PISS + 1, .ack = tp->snd_nxt, .flags = TCPHDR_ACK, .len = 10 };
	peer_send(&s);
	CHECK(sent_count() == 0);
	advance(TCP_DELACK_MIN - 1);
	CHECK(sent_count() == 0);
	advance(2);
	CHECK(sent_count() == 1);
	drain_sent();
	/* Two full segments are ACKed at once. */
	s = (struct seg){ .seq = PISS + 11, .ack = tp->snd_nxt, .flags = TCPHDR_ACK, .len = 1460 };
	peer_send(&s);
	s.seq += 1460;
	peer_send(&s);
	CHECK(sent_count() == 1);
}

TEST(tcp_time_wait_is_capped)
{
	static struct tcp_sock *tw[TCP_MAX_TW + 8];

	tcp_test_boot();
	for (int i = 0; i < TCP_MAX_TW + 8; i++) {
		tw[i] = tcp_sock_alloc();
		tcp_lock(tw[i]);
		tcp_set_state(tw[i], TCP_FIN_WAIT2);
		tcp_time_wait(tw[i]);
		tcp_unlock(tw[i]);
		CHECK(tw[i]->inet.sk.state == (i < TCP_MAX_TW ? TCP_TIME_WAIT : TCP_CLOSE));
	}
	CHECK(tcp_tw_count == TCP_MAX_TW);
	advance(TCP_TIMEWAIT_LEN + 1);
	CHECK(tcp_tw_count == 0 && tw[0]->inet.sk.state == TCP_CLOSE);
}

/* An ICMP error quoting our segment @seq (skb->data at the quoted IP header). */
static void icmp_about(u32 seq, int type, int code, u32 info)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));
	struct tcphdr *th = skb_put_zero(skb, 8);

	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = LOCAL;
	iph->daddr = PEER;
	th->source = htons(LPORT);
	th->dest = htons(PPORT);
	th->seq = htonl(seq);
	tcp_v4_err(skb, type, code, info);
	kfree_skb(skb);
}

TEST(tcp_icmp_errors_refuse_and_shrink_mss)
{
	struct tcp_sock *tp = NULL;
	struct sk_buff *skb;
	u32 seq;

	tcp_test_boot();
	tp = tcp_sock_alloc();
	tcp_lock(tp);
	CHECK(tcp_v4_get_port(tp, LOCAL, LPORT) == 0);
	CHECK(tcp_v4_connect(tp, PEER, htons(PPORT)) == 0);
	tcp_unlock(tp);
	skb = next_sent();
	seq = seq_of(skb);
	kfree_skb(skb);
	/* A forged error about a sequence number never sent is ignored. */
	icmp_about(seq + 5000, 3, 3, 0);
	CHECK(tp->inet.sk.state == TCP_SYN_SENT);
	/* Port unreachable during the handshake: ECONNREFUSED (RFC 1122 4.2.3.9). */
	icmp_about(seq, 3, 3, 0);
	CHECK(tp->inet.sk.state == TCP_CLOSE && tp->inet.sk.err == ECONNREFUSED);
	tcp_unhash(tp);
	/* Fragmentation needed (RFC 1191): the MSS follows the next-hop MTU, the head goes again. */
	tp = established(false);
	app_send(tp, 2 * 1460);
	skb = next_sent();
	seq = seq_of(skb);
	kfree_skb(skb);
	drain_sent();
	icmp_about(seq, 3, 4, 1000);
	CHECK(tp->pmtu == 1000 && tp->mss_cache == 960);
	skb = next_sent();
	CHECK(skb && seq_of(skb) == seq && payload_of(skb) == 960);
	kfree_skb(skb);
}

TEST(tcp_keepalive_probes_then_timeout)
{
	struct tcp_sock *tp;
	struct sk_buff *skb;
	int freed;

	tcp_test_boot();
	tp = established(false);
	tcp_to_sk(tp)->flags |= SOCK_KEEPALIVE;
	tp->keepidle = 10 * NSEC_PER_SEC;
	tp->keepintvl = 2 * NSEC_PER_SEC;
	tp->keepcnt = 3;
	tcp_lock(tp);
	tcp_reset_keepalive(tp);
	tcp_unlock(tp);
	advance(9 * NSEC_PER_SEC);
	CHECK(sent_count() == 0);
	advance(2 * NSEC_PER_SEC);
	skb = next_sent();
	CHECK(skb && payload_of(skb) == 0 && seq_of(skb) == tp->snd_una - 1);
	kfree_skb(skb);
	/* An answer resets the count; silence for keepcnt probes ends the connection. */
	{
		struct seg s = peer_ack(tp, tp->snd_una);

		peer_send(&s);
	}
	CHECK(tp->probes_out == 0);
	advance(11 * NSEC_PER_SEC);
	drain_sent();
	CHECK(tp->inet.sk.state == TCP_ESTABLISHED);
	advance(7 * NSEC_PER_SEC);
	CHECK(tp->inet.sk.state == TCP_CLOSE && tp->inet.sk.err == ETIMEDOUT);
	drain_sent();
	/* Nothing but the test's own reference keeps it: the timer let go at once. */
	freed = socks_freed;
	wrapped_destruct = tcp_to_sk(tp)->destruct;
	tcp_to_sk(tp)->destruct = counting_destruct;
	advance(NSEC_PER_SEC);
	CHECK(socks_freed == freed && tcp_to_sk(tp)->refcnt == 1);
	sock_put(tcp_to_sk(tp));
	CHECK(socks_freed == freed + 1);
}

/* Loopback: hands every captured segment back to tcp_v4_rcv (with an IP header) until quiet. */
static int pump(void)
{
	struct sk_buff *skb;
	int n = 0;

	while ((skb = next_sent())) {
		struct iphdr *iph;
		__be32 saddr = TCP_SKB_CB(skb)->saddr ? TCP_SKB_CB(skb)->saddr : LOCAL;
		__be32 daddr = TCP_SKB_CB(skb)->daddr ? TCP_SKB_CB(skb)->daddr : LOCAL;

		CHECK(skb_cow_head(skb, sizeof(*iph)) == 0);
		iph = skb_push(skb, sizeof(*iph));
		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = saddr;
		iph->daddr = daddr;
		skb_reset_network_header(skb);
		skb_pull(skb, sizeof(*iph));
		skb->pkt_type = PACKET_HOST;
		skb->ip_summed = CHECKSUM_NONE;
		tcp_v4_rcv(skb);
		n++;
	}
	return n;
}

TEST(tcp_loopback_connect_data_close)
{
	struct tcp_sock *lp, *c, *s;
	struct sk_buff *skb;

	tcp_test_boot();
	route_mtu = 65536;
	lp = tcp_sock_alloc();
	c = tcp_sock_alloc();
	tcp_lock(lp);
	CHECK(tcp_v4_get_port(lp, 0, LPORT) == 0);
	CHECK(tcp_listen_start(lp, 8) == 0);
	tcp_unlock(lp);
	tcp_lock(c);
	CHECK(tcp_v4_connect(c, LOCAL, htons(LPORT)) == 0);
	tcp_unlock(c);
	pump();
	CHECK(c->inet.sk.state == TCP_ESTABLISHED && lp->accept_qlen == 1);
	s = list_first_entry(&lp->accept_queue, struct tcp_sock, child_node);
	CHECK(s->inet.sk.state == TCP_ESTABLISHED);
	CHECK(c->tstamp_ok && s->tstamp_ok && c->sack_ok && c->snd_wscale == TCP_RCV_WSCALE);
	for (int round = 0; round < 20; round++) {
		fake_now += NSEC_PER_MSEC;
		app_send(c, 1 + (unsigned int)round * 5000);
		do
			advance(TCP_DELACK_MAX);
		while (pump());
		CHECK(s->rcv_bytes == 1 + (unsigned int)round * 5000);
		tcp_lock(s);
		tcp_purge_rcv_queue(s);
		tcp_unlock(s);
		CHECK(c->packets_out == 0 && c->snd_una == c->write_seq);
	}
	/* A close from each side: FIN, FIN, TIME_WAIT on the first closer. */
	tcp_lock(c);
	tcp_set_state(c, TCP_FIN_WAIT1);
	tcp_to_sk(c)->shutdown |= SEND_SHUTDOWN;
	tcp_send_fin(c);
	tcp_unlock(c);
	pump();
	CHECK(s->inet.sk.state == TCP_CLOSE_WAIT && c->inet.sk.state == TCP_FIN_WAIT2);
	tcp_lock(s);
	tcp_set_state(s, TCP_LAST_ACK);
	tcp_to_sk(s)->shutdown |= SEND_SHUTDOWN;
	tcp_send_fin(s);
	tcp_unlock(s);
	pump();
	CHECK(s->inet.sk.state == TCP_CLOSE && c->inet.sk.state == TCP_TIME_WAIT);
	{
		/* /proc/net/tcp: the listener (0A) first, then the TIME_WAIT end (06). */
		static char buf[8192];
		struct seq_file m = { .buf = buf, .size = sizeof(buf) };
		char *l0, *l1;

		tcp_seq_show(&m);
		l0 = strchr(buf, '\n') + 1;
		l1 = strchr(l0, '\n') + 1;
		CHECK(l0 - buf == 150 && l1 - l0 == 150);
		CHECK(!strncmp(l0, "   0: 00000000:1388 00000000:0000 0A ", 37));
		CHECK(!strncmp(l1, "   1: 0100000A:", 15) && !strncmp(l1 + 19, " 0100000A:1388 06 ", 18));
	}
	(void)skb;
}

/* ---- fuzz ------------------------------------------------------------------ */

static u32 fuzz_state = 1;
static u32 fuzz_rand(void)
{
	fuzz_state = fuzz_state * 1103515245 + 12345;
	return fuzz_state >> 8;
}

/* What closing the file does to a connection: orphaned, aborted, its queues freed. */
static void test_release(struct tcp_sock *tp)
{
	tcp_lock(tp);
	tcp_to_sk(tp)->flags |= SOCK_DEAD;
	if (tp->inet.sk.state != TCP_CLOSE)
		tcp_done(tp);
	tcp_purge_rcv_queue(tp);
	tcp_unhash(tp);
	tcp_unlock(tp);
	sock_put(tcp_to_sk(tp));
}

TEST(tcp_fuzz_mutated_segments)
{
	struct tcp_sock *tp, *lp;

	tcp_test_boot();
	lp = tcp_sock_alloc();
	tcp_lock(lp);
	CHECK(tcp_v4_get_port(lp, 0, 6000) == 0);
	CHECK(tcp_listen_start(lp, 64) == 0);
	tcp_unlock(lp);
	tp = established(true);
	for (int iter = 0; iter < 30000; iter++) {
		u8 opts[40];
		unsigned int optlen = fuzz_rand() % 41;
		struct seg s = {
			.seq = (fuzz_rand() & 1) ? tp->rcv_nxt + fuzz_rand() % 3000 - 1000 : fuzz_rand(),
			.ack = (fuzz_rand() & 1) ? tp->snd_una + fuzz_rand() % 3000 - 1500 : fuzz_rand(),
			.flags = (u8)fuzz_rand(),
			.win = (u16)fuzz_rand(),
			.len = fuzz_rand() % 3 ? fuzz_rand() % 1600 : 0,
			.dport = htons((fuzz_rand() & 3) == 0 ? 6000 : LPORT),
		};
		struct sk_buff *skb;

		for (unsigned int i = 0; i < optlen; i++)
			opts[i] = (u8)((fuzz_rand() & 3) ? fuzz_rand() % 10 : fuzz_rand());
		s.opts = opts;
		s.optlen = optlen;
		skb = build(&s);
		switch (fuzz_rand() % 6) {
		case 0:		/* a bad checksum */
			skb->data[fuzz_rand() % skb->len] ^= (u8)(1 + fuzz_rand() % 255);
			break;
		case 1:		/* a truncated header */
			skb_trim(skb, fuzz_rand() % (tcp_hdr(skb) ? 40 : 40));
			break;
		case 2:		/* a bogus data offset, checksum fixed up so the parser sees it */
			((u8 *)skb->data)[12] = (u8)(fuzz_rand() << 4);
			((struct tcphdr *)skb->data)->check = 0;
			((struct tcphdr *)skb->data)->check =
				csum_tcpudp_magic(PEER, LOCAL, skb->len, IPPROTO_TCP,
						  csum_partial(skb->data, (int)skb->len, 0));
			break;
		case 3:		/* the device said the checksum is fine */
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			break;
		default:
			break;
		}
		tcp_v4_rcv(skb);
		drain_sent();
		if ((iter & 1023) == 0)
			advance(NSEC_PER_SEC);
		if (tp->inet.sk.state == TCP_CLOSE) {
			test_release(tp);
			tp = established(true);
		}
	}
	/* Close everything as release does; once the timers ran, no buffer is left. */
	{
		LIST_HEAD(children);

		test_release(tp);
		tcp_lock(lp);
		tcp_take_children(lp, &children);
		tcp_listen_stop(lp);
		tcp_to_sk(lp)->flags |= SOCK_DEAD;
		tcp_unhash(lp);
		tcp_unlock(lp);
		tcp_listen_abort_children(&children);
	}
	advance(600 * NSEC_PER_SEC);
	drain_sent();
	CHECK(skb_in_use == 0);
	CHECK(tcp_syn_count == 0);
}
