// SPDX-License-Identifier: MIT
/*
 * TCP over IPv4: the socket tables, segment demultiplexing, ports (bind,
 * ephemeral ports), active open (connect), listeners and their queues,
 * initial sequence numbers, resets without a socket, ICMP errors, the
 * socket lock and the state bookkeeping every TCP file shares.
 *
 * Tables (one lock, tcp_hash_lock):
 *   ehash  connections by 4-tuple (SYN_SENT on), holding a reference;
 *   bhash  every socket with a local port, by port: bind conflicts,
 *          ephemeral ports, and listeners (found here by port).
 * A socket leaves ehash when its connection is done and bhash then too,
 * unless bind() chose the port (then at close, as Linux keeps it).
 *
 * Listeners: a SYN makes a full child socket in SYN_RECV (hashed, on the
 * listener's syn_list, counted against the backlog and against a global
 * cap, TCP_MAX_SYN_RECV, so a SYN flood costs bounded memory); the
 * handshake's last ACK moves it to accept_queue. Each list holds a
 * reference on the child, the child one on its listener.
 *
 * ISNs (RFC 6528): a 4 µs-ish clock (ns >> 6, as Linux) plus SipHash-2-4
 * of the 4-tuple under a random boot key.
 */
#include <exo/checksum.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/jiffies.h>
#include <exo/poll.h>
#include <exo/proc_net.h>
#include <exo/random.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include "tcp_internal.h"

#define TCP_HASH_SIZE	256

DEFINE_SPINLOCK(tcp_hash_lock);
int tcp_tw_count, tcp_syn_count;
static struct list_head tcp_ehash[TCP_HASH_SIZE];	/* [tcp_hash_lock] */
static struct list_head tcp_bhash[TCP_HASH_SIZE];	/* [tcp_hash_lock] */
static bool tcp_tables_ready;

static void tcp_tables_init(void)
{
	if (tcp_tables_ready)
		return;
	for (int i = 0; i < TCP_HASH_SIZE; i++) {
		INIT_LIST_HEAD(&tcp_ehash[i]);
		INIT_LIST_HEAD(&tcp_bhash[i]);
	}
	tcp_tables_ready = true;
}

static unsigned int tcp_ehashfn(__be32 laddr, __be16 lport, __be32 faddr, __be16 fport)
{
	u32 h = (u32)laddr * 31 + (u32)faddr * 17 + (u32)lport * 7 + (u32)fport;

	h ^= h >> 16;
	h *= 0x45d9f3b;
	h ^= h >> 16;
	return h % TCP_HASH_SIZE;
}

static unsigned int tcp_bhashfn(u16 port)
{
	return port % TCP_HASH_SIZE;
}

/* ---- the socket lock ----------------------------------------------------- */

void tcp_lock(struct tcp_sock *tp) __acquires(&tp->inet.sk.lock)
{
	spin_lock(&tcp_to_sk(tp)->lock);
}

static void tcp_parent_work(struct tcp_sock *child, struct tcp_sock *lp, u8 action);

void tcp_unlock(struct tcp_sock *tp) __releases(&tp->inet.sk.lock)
{
	struct sk_buff_head q;
	struct tcp_sock *parent = NULL;
	struct sk_buff *skb;
	u8 action = tp->parent_action;

	skb_queue_head_init(&q);
	skb_queue_splice_tail_init(&tp->out_queue, &q);
	if (action) {
		tp->parent_action = 0;
		parent = tp->parent;
		if (action == TCP_PARENT_DROP)
			tp->parent = NULL;	/* its reference goes to tcp_parent_work */
		else
			sock_hold(tcp_to_sk(parent));
		sock_hold(tcp_to_sk(tp));
	}
	spin_unlock(&tcp_to_sk(tp)->lock);
	while ((skb = __skb_dequeue(&q))) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
		struct ip_send_opts opts = {
			.saddr = cb->saddr, .daddr = cb->daddr, .protocol = IPPROTO_TCP,
			.ttl = cb->ttl, .tos = cb->tos, .df = true, .oif = cb->oif,
		};

		/* As Linux: a GSO buffer counts the segments the device makes of it. */
		NET_ADD_STATS(tcp_mib, TCP_MIB_OUTSEGS, max(1U, (unsigned int)skb_shinfo(skb)->gso_segs));
		ip_send_skb(skb, &opts);
	}
	if (action) {
		tcp_parent_work(tp, parent, action);
		sock_put(tcp_to_sk(tp));
	}
}

/* ---- state bookkeeping --------------------------------------------------- */

void tcp_set_state(struct tcp_sock *tp, int state)
{
	struct sock *sk = tcp_to_sk(tp);
	int old = sk->state;

	if (old == state)
		return;
	if (state == TCP_ESTABLISHED)
		NET_INC_STATS(tcp_mib, TCP_MIB_CURRESTAB);
	else if (old == TCP_ESTABLISHED)
		NET_DEC_STATS(tcp_mib, TCP_MIB_CURRESTAB);
	if (old == TCP_SYN_SENT && state == TCP_CLOSE)
		NET_INC_STATS(tcp_mib, TCP_MIB_ATTEMPTFAILS);
	if (tp->syn_counted || (tp->tw_counted && old == TCP_TIME_WAIT)) {
		spin_lock(&tcp_hash_lock);
		if (tp->syn_counted && state != TCP_SYN_RECV) {
			tp->syn_counted = false;
			tcp_syn_count--;
		}
		if (tp->tw_counted && old == TCP_TIME_WAIT) {
			tp->tw_counted = false;
			tcp_tw_count--;
		}
		spin_unlock(&tcp_hash_lock);
	}
	WRITE_ONCE(sk->state, (unsigned char)state);
}

static void tcp_purge_write_queue(struct tcp_sock *tp)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&tp->write_queue)))
		tcp_free_write_skb(tp, skb);
	tp->send_head = NULL;
	tp->packets_out = tp->sacked_out = tp->lost_out = tp->retrans_out = tp->reno_sacked = 0;
}

void tcp_purge_rcv_queue(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&tp->rcv_queue))) {
		__atomic_fetch_sub(&sk->rmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
		kfree_skb(skb);
	}
	tp->rcv_bytes = 0;
	tp->copied_seq = tp->rcv_nxt;
}

void tcp_done(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);
	int old = sk->state;

	tcp_set_state(tp, TCP_CLOSE);
	sk->shutdown = SHUTDOWN_MASK;
	for (int i = 0; i < TCP_T_MAX; i++)
		tcp_timer_clear(tp, i);
	/* Fire now rather than at a keepalive hours away: the run drops the timer's reference. */
	if (tp->t_armed_for) {
		tp->t_armed_for = ktime_get_ns();
		net_timer_mod(&tp->timer, tp->t_armed_for);
	}
	tcp_purge_write_queue(tp);
	__skb_queue_purge(&tp->ofo_queue);
	tp->ofo_mem = 0;
	if (sk->flags & SOCK_DEAD)
		tcp_purge_rcv_queue(tp);
	if (old == TCP_SYN_RECV && tp->parent)
		tp->parent_action = TCP_PARENT_DROP;
	tcp_unhash(tp);
	__wake_up(&sk->wq, poll_to_key(POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDHUP));
}

/* ---- tables -------------------------------------------------------------- */

void tcp_hash(struct tcp_sock *tp)
{
	struct inet_sock *inet = &tp->inet;

	spin_lock(&tcp_hash_lock);
	if (!tp->hashed) {
		sock_hold(tcp_to_sk(tp));
		list_add(&tp->hash_node, &tcp_ehash[tcp_ehashfn(inet->saddr, inet->sport, inet->daddr,
							     inet->dport)]);
		tp->hashed = true;
	}
	if (!tp->bound) {
		list_add(&tp->bind_node, &tcp_bhash[tcp_bhashfn(ntohs(inet->sport))]);
		tp->bound = true;
	}
	spin_unlock(&tcp_hash_lock);
}

/* Out of ehash (dropping its reference); out of bhash unless the user bound the port. */
void tcp_unhash(struct tcp_sock *tp)
{
	bool put = false;

	spin_lock(&tcp_hash_lock);
	if (tp->hashed) {
		list_del(&tp->hash_node);
		tp->hashed = false;
		put = true;
	}
	if (tp->bound && (!tp->user_bound || (tcp_to_sk(tp)->flags & SOCK_DEAD))) {
		list_del(&tp->bind_node);
		tp->bound = false;
	}
	spin_unlock(&tcp_hash_lock);
	if (put)
		sock_put(tcp_to_sk(tp));
}

/* The connection for a segment from (@saddr, @sport) to (@daddr, @dport), held; or NULL. */
static struct tcp_sock *tcp_lookup_established(__be32 saddr, __be16 sport, __be32 daddr,
					       __be16 dport)
{
	struct list_head *head = &tcp_ehash[tcp_ehashfn(daddr, dport, saddr, sport)];
	struct tcp_sock *tp;

	list_for_each_entry(tp, head, hash_node) {
		struct inet_sock *inet = &tp->inet;

		if (inet->sport == dport && inet->dport == sport && inet->daddr == saddr &&
		    inet->saddr == daddr) {
			sock_hold(tcp_to_sk(tp));
			return tp;
		}
	}
	return NULL;
}

/* A listener for (@daddr, @dport): an exact address beats INADDR_ANY; SO_REUSEPORT groups by hash. */
static struct tcp_sock *tcp_lookup_listener(__be32 saddr, __be16 sport, __be32 daddr, __be16 dport)
{
	struct tcp_sock *tp, *best = NULL;
	int best_score = 0, matches = 0;
	u32 pick = tcp_ehashfn(saddr, sport, daddr, dport);

	list_for_each_entry(tp, &tcp_bhash[tcp_bhashfn(ntohs(dport))], bind_node) {
		struct inet_sock *inet = &tp->inet;
		int score;

		if (inet->sport != dport || READ_ONCE(tp->inet.sk.state) != TCP_LISTEN)
			continue;
		if (inet->rcv_saddr && inet->rcv_saddr != daddr)
			continue;
		score = inet->rcv_saddr ? 2 : 1;
		if (score > best_score) {
			best = tp;
			best_score = score;
			matches = 1;
		} else if (score == best_score && (tp->inet.sk.flags & SOCK_REUSEPORT)) {
			/* Spread connections over the group (reservoir choice by the tuple hash). */
			matches++;
			if ((pick ^ ((u32)matches * 0x9e3779b1U)) % (u32)matches == 0)
				best = tp;
		}
	}
	if (best)
		sock_hold(tcp_to_sk(best));
	return best;
}

/* ---- ports --------------------------------------------------------------- */

/* Linux's bind conflict rule (inet_csk_bind_conflict) between @tp and @other. */
static bool tcp_bind_conflict(struct tcp_sock *tp, __be32 addr, struct tcp_sock *other)
{
	struct sock *sk = tcp_to_sk(tp), *o = tcp_to_sk(other);

	if (addr && other->inet.rcv_saddr && addr != other->inet.rcv_saddr)
		return false;
	if ((sk->flags & SOCK_REUSEADDR) && (o->flags & SOCK_REUSEADDR) &&
	    READ_ONCE(o->state) != TCP_LISTEN)
		return false;
	/* SO_REUSEPORT shares a port between sockets of one owner only (no hijacking). */
	if ((sk->flags & SOCK_REUSEPORT) && (o->flags & SOCK_REUSEPORT) && tp->uid == other->uid)
		return false;
	return true;
}

static bool tcp_port_conflict(struct tcp_sock *tp, __be32 addr, u16 port)
{
	struct tcp_sock *o;

	list_for_each_entry(o, &tcp_bhash[tcp_bhashfn(port)], bind_node)
		if (o != tp && ntohs(o->inet.sport) == port && tcp_bind_conflict(tp, addr, o))
			return true;
	return false;
}

static bool tcp_port_in_use(u16 port)
{
	struct tcp_sock *o;

	list_for_each_entry(o, &tcp_bhash[tcp_bhashfn(port)], bind_node)
		if (ntohs(o->inet.sport) == port)
			return true;
	return false;
}

/* Binds @tp to (@addr, @port); port 0 picks a free ephemeral one. 0 or -EADDRINUSE. */
int tcp_v4_get_port(struct tcp_sock *tp, __be32 addr, u16 port)
{
	int low, high, err = 0;

	inet_get_local_port_range(&low, &high);
	spin_lock(&tcp_hash_lock);
	if (!port) {
		u32 range = (u32)(high - low + 1), off = (u32)get_random_u64() % range;

		err = -EADDRINUSE;
		for (u32 i = 0; i < range; i++) {
			u16 p = (u16)(low + (off + i) % range);

			if (!tcp_port_in_use(p)) {
				port = p;
				err = 0;
				break;
			}
		}
	} else if (tcp_port_conflict(tp, addr, port)) {
		err = -EADDRINUSE;
	}
	if (!err) {
		tp->inet.rcv_saddr = addr;
		tp->inet.saddr = addr;
		tp->inet.sport = htons(port);
		list_add(&tp->bind_node, &tcp_bhash[tcp_bhashfn(port)]);
		tp->bound = true;
	}
	spin_unlock(&tcp_hash_lock);
	return err;
}

/* An ephemeral port for connect: unused by listeners and bind(), and a unique 4-tuple. */
static int tcp_connect_port(struct tcp_sock *tp)
{
	struct inet_sock *inet = &tp->inet;
	int low, high;
	u32 range, off;

	inet_get_local_port_range(&low, &high);
	range = (u32)(high - low + 1);
	off = (u32)get_random_u64() % range;
	spin_lock(&tcp_hash_lock);
	for (u32 i = 0; i < range; i++) {
		u16 p = (u16)(low + (off + i) % range);
		struct tcp_sock *o;
		bool ok = true;

		list_for_each_entry(o, &tcp_bhash[tcp_bhashfn(p)], bind_node) {
			if (ntohs(o->inet.sport) != p)
				continue;
			if (o->user_bound || o->inet.sk.state == TCP_LISTEN ||
			    (o->inet.daddr == inet->daddr && o->inet.dport == inet->dport &&
			     o->inet.saddr == inet->saddr)) {
				ok = false;
				break;
			}
		}
		if (ok) {
			inet->sport = htons(p);
			list_add(&tp->bind_node, &tcp_bhash[tcp_bhashfn(p)]);
			tp->bound = true;
			spin_unlock(&tcp_hash_lock);
			return 0;
		}
	}
	spin_unlock(&tcp_hash_lock);
	return -EADDRNOTAVAIL;
}

/* ---- ISN (RFC 6528) ------------------------------------------------------ */

static u64 tcp_isn_key[2];
static bool tcp_isn_keyed;

#define SIPROUND(v0, v1, v2, v3)                                                \
	do {                                                                    \
		v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32); \
		v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2;               \
		v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0;               \
		v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32); \
	} while (0)

/* SipHash-2-4 of two 64-bit words. */
static u64 tcp_siphash(u64 a, u64 b)
{
	u64 v0 = 0x736f6d6570736575ULL ^ tcp_isn_key[0], v1 = 0x646f72616e646f6dULL ^ tcp_isn_key[1];
	u64 v2 = 0x6c7967656e657261ULL ^ tcp_isn_key[0], v3 = 0x7465646279746573ULL ^ tcp_isn_key[1];
	u64 m[3] = { a, b, 16ULL << 56 };

	for (int i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

u32 tcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	if (!__atomic_load_n(&tcp_isn_keyed, __ATOMIC_ACQUIRE)) {
		u64 key[2];

		get_random_bytes(key, sizeof(key));
		spin_lock(&tcp_hash_lock);
		if (!tcp_isn_keyed) {
			tcp_isn_key[0] = key[0];
			tcp_isn_key[1] = key[1];
			__atomic_store_n(&tcp_isn_keyed, true, __ATOMIC_RELEASE);
		}
		spin_unlock(&tcp_hash_lock);
	}
	return (u32)tcp_siphash((u64)saddr << 32 | daddr, (u64)sport << 16 | dport) +
	       (u32)(ktime_get_ns() >> 6);
}

/* ---- sockets ------------------------------------------------------------- */

static void tcp_destruct(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	__skb_queue_purge(&tp->write_queue);
	__skb_queue_purge(&tp->rcv_queue);
	__skb_queue_purge(&tp->ofo_queue);
	__skb_queue_purge(&tp->out_queue);
	kfree(tp);
}

struct tcp_sock *tcp_sock_alloc(void)
{
	struct tcp_sock *tp = kzalloc(sizeof(*tp), GFP_ATOMIC);
	struct sock *sk;

	if (!tp)
		return NULL;
	tcp_tables_init();
	sk = tcp_to_sk(tp);
	sock_init_data(sk, AF_INET, SOCK_STREAM);
	sk->protocol = IPPROTO_TCP;
	sk->destruct = tcp_destruct;
	mutex_init(&tp->iolock);
	mutex_init(&tp->wlock);
	INIT_LIST_HEAD(&tp->hash_node);
	INIT_LIST_HEAD(&tp->bind_node);
	INIT_LIST_HEAD(&tp->child_node);
	INIT_LIST_HEAD(&tp->syn_list);
	INIT_LIST_HEAD(&tp->accept_queue);
	skb_queue_head_init(&tp->write_queue);
	skb_queue_head_init(&tp->rcv_queue);
	skb_queue_head_init(&tp->ofo_queue);
	skb_queue_head_init(&tp->out_queue);
	tcp_timer_init(tp);
	tp->rto = TCP_TIMEOUT_INIT;
	tp->mss_cache = TCP_MSS_DEFAULT;
	tp->advmss = TCP_MSS_DEFAULT;
	tp->pmtu = 576;
	tp->rcv_wscale = TCP_RCV_WSCALE;
	tp->wscale_ok = tp->sack_ok = tp->tstamp_ok = true;	/* what we offer */
	tp->keepidle = TCP_KEEPIDLE_DEF;
	tp->keepintvl = TCP_KEEPINTVL_DEF;
	tp->keepcnt = TCP_KEEPCNT_DEF;
	tcp_cong_init(tp);
	return tp;
}

/* ---- active open --------------------------------------------------------- */

int tcp_v4_connect(struct tcp_sock *tp, __be32 daddr, __be16 dport)
{
	struct inet_sock *inet = &tp->inet;
	struct rtable rt;
	int err;

	if (!daddr)
		daddr = htonl(INADDR_LOOPBACK);	/* Linux: connecting to 0.0.0.0 means this host */
	err = ip_route_output(daddr, inet->rcv_saddr, inet->bound_dev_if, &rt);
	if (err)
		return err;
	if (rt.type == RTN_BROADCAST || rt.type == RTN_MULTICAST) {
		ip_rt_put(&rt);
		return -ENETUNREACH;
	}
	inet->daddr = daddr;
	inet->dport = dport;
	inet->saddr = inet->rcv_saddr ? inet->rcv_saddr : rt.prefsrc;
	tp->pmtu = rt.mtu;
	tp->gso_ok = rt.dev && (rt.dev->features & NETIF_F_TSO);
	ip_rt_put(&rt);
	tp->advmss = (u16)min(tp->pmtu - 40U, 65495U);
	if (tp->user_mss && tp->advmss > tp->user_mss)
		tp->advmss = tp->user_mss;
	if (!tp->bound) {
		err = tcp_connect_port(tp);
		if (err) {
			inet->daddr = 0;
			inet->dport = 0;
			return err;
		}
	} else if (!inet->rcv_saddr) {
		/* Bound to any address: the bucket stays, the source is now fixed. */
	}
	spin_lock(&tcp_hash_lock);
	{
		/* The 4-tuple must be unique (a bound port reused with SO_REUSEADDR). */
		struct tcp_sock *o = tcp_lookup_established(daddr, dport, inet->saddr, inet->sport);

		spin_unlock(&tcp_hash_lock);
		if (o) {
			sock_put(tcp_to_sk(o));
			return -EADDRNOTAVAIL;
		}
	}
	tp->iss = tcp_isn(inet->saddr, daddr, inet->sport, dport);
	tp->write_seq = tp->snd_una = tp->snd_nxt = tp->iss;
	tp->syn_retries = 0;
	tp->backoff = 0;
	tp->rto = TCP_TIMEOUT_INIT;
	tp->rcv_wscale = tp->wscale_ok ? TCP_RCV_WSCALE : 0;
	tp->inet.sk.err = 0;
	tcp_sync_mss(tp);
	tcp_set_state(tp, TCP_SYN_SENT);
	tcp_hash(tp);
	tcp_send_syn(tp);
	NET_INC_STATS(tcp_mib, TCP_MIB_ACTIVEOPENS);
	return 0;
}

/* ---- listeners ----------------------------------------------------------- */

int tcp_listen_start(struct tcp_sock *tp, int backlog)
{
	struct sock *sk = tcp_to_sk(tp);
	int err = 0;

	sk->max_backlog = backlog;
	if (sk->state == TCP_LISTEN)
		return 0;
	if (!tp->bound) {
		err = tcp_v4_get_port(tp, tp->inet.rcv_saddr, 0);
		if (err)
			return err;
	} else {
		/* Linux checks again at listen: two SO_REUSEADDR sockets cannot both listen. */
		struct tcp_sock *o;

		spin_lock(&tcp_hash_lock);
		list_for_each_entry(o, &tcp_bhash[tcp_bhashfn(ntohs(tp->inet.sport))], bind_node) {
			if (o == tp || o->inet.sport != tp->inet.sport || o->inet.sk.state != TCP_LISTEN)
				continue;
			if (tp->inet.rcv_saddr && o->inet.rcv_saddr &&
			    tp->inet.rcv_saddr != o->inet.rcv_saddr)
				continue;
			if ((sk->flags & SOCK_REUSEPORT) && (o->inet.sk.flags & SOCK_REUSEPORT) &&
			    tp->uid == o->uid)
				continue;
			err = -EADDRINUSE;
			break;
		}
		spin_unlock(&tcp_hash_lock);
		if (err)
			return err;
	}
	tcp_set_state(tp, TCP_LISTEN);
	return 0;
}

/*
 * Stops listening: takes both queues private (under the listener's lock)
 * for tcp_listen_abort_children() to reset once the lock is dropped.
 */
void tcp_listen_stop(struct tcp_sock *tp)
{
	tcp_set_state(tp, TCP_CLOSE);
	tp->syn_qlen = tp->accept_qlen = 0;
}

void tcp_take_children(struct tcp_sock *tp, struct list_head *children)
{
	while (!list_empty(&tp->syn_list))
		list_move_tail(tp->syn_list.next, children);
	while (!list_empty(&tp->accept_queue))
		list_move_tail(tp->accept_queue.next, children);
}

void tcp_listen_abort_children(struct list_head *children)
{
	struct tcp_sock *c, *n;

	list_for_each_entry_safe(c, n, children, child_node) {
		list_del_init(&c->child_node);
		tcp_lock(c);
		if (c->inet.sk.state != TCP_CLOSE) {
			if (c->inet.sk.state != TCP_SYN_RECV)
				tcp_send_rst(c);
			c->inet.sk.flags |= SOCK_DEAD;
			tcp_done(c);
		}
		c->parent_action = 0;
		if (c->parent) {
			struct tcp_sock *p = c->parent;

			c->parent = NULL;
			tcp_unlock(c);
			sock_put(tcp_to_sk(p));
		} else {
			tcp_unlock(c);
		}
		sock_put(tcp_to_sk(c));	/* the list's reference */
	}
}

/* The listener side of a child's handshake end or death (no lock held). */
static void tcp_parent_work(struct tcp_sock *child, struct tcp_sock *lp, u8 action)
{
	struct sock *lsk = tcp_to_sk(lp);
	bool listening, put_child = false;

	tcp_lock(lp);
	listening = lsk->state == TCP_LISTEN && !list_empty(&child->child_node);
	if (listening && action == TCP_PARENT_ESTABLISHED) {
		list_move_tail(&child->child_node, &lp->accept_queue);
		lp->syn_qlen--;
		lp->accept_qlen++;
		__wake_up(&lsk->wq, poll_to_key(POLLIN | POLLRDNORM));
	} else if (listening && action == TCP_PARENT_DROP) {
		list_del_init(&child->child_node);
		lp->syn_qlen--;
		put_child = true;
	}
	tcp_unlock(lp);
	if (put_child)
		sock_put(tcp_to_sk(child));
	/* ESTABLISHED held it for this call; DROP passed the child's own reference. */
	sock_put(lsk);
}

/* ---- input --------------------------------------------------------------- */

void tcp_v4_send_reset(struct tcp_sock *tp, const struct sk_buff *in)
{
	const struct tcphdr *th = tcp_hdr(in);
	const struct iphdr *iph = ip_hdr(in);
	const struct tcp_skb_cb *icb = TCP_SKB_CB(in);
	struct sk_buff *skb;
	struct tcphdr *rth;
	struct ip_send_opts opts = { .saddr = iph->daddr, .daddr = iph->saddr,
				     .protocol = IPPROTO_TCP, .df = true };

	if (th->rst)
		return;
	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, MAX_TCP_HEADER);
	rth = skb_push(skb, sizeof(*rth));
	skb_reset_transport_header(skb);
	memset(rth, 0, sizeof(*rth));
	rth->source = th->dest;
	rth->dest = th->source;
	rth->doff = sizeof(*rth) / 4;
	rth->rst = 1;
	/* RFC 9293 3.10.7.1: answer the ACK's number, or ACK the segment. */
	if (th->ack) {
		rth->seq = th->ack_seq;
	} else {
		rth->ack = 1;
		rth->ack_seq = htonl(icb->end_seq);
	}
	rth->check = csum_tcpudp_magic(opts.saddr, opts.daddr, skb->len, IPPROTO_TCP,
				       csum_partial(rth, (int)skb->len, 0));
	NET_INC_STATS(tcp_mib, TCP_MIB_OUTRSTS);
	if (tp) {
		memset(skb->cb, 0, sizeof(skb->cb));
		TCP_SKB_CB(skb)->saddr = opts.saddr;
		TCP_SKB_CB(skb)->daddr = opts.daddr;
		__skb_queue_tail(&tp->out_queue, skb);
		return;
	}
	NET_INC_STATS(tcp_mib, TCP_MIB_OUTSEGS);
	ip_send_skb(skb, &opts);
}

int tcp_v4_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct tcp_skb_cb *cb;
	struct tcp_sock *tp;
	struct tcphdr *th;
	unsigned int hlen;

	if (skb->pkt_type != PACKET_HOST && skb->pkt_type != PACKET_LOOPBACK)
		goto drop;
	if (!pskb_may_pull(skb, sizeof(*th)))
		goto bad;
	skb_reset_transport_header(skb);
	th = tcp_hdr(skb);
	hlen = th->doff * 4u;
	if (hlen < sizeof(*th) || hlen > skb->len)
		goto bad;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_tcpudp_magic(iph->saddr, iph->daddr, skb->len, IPPROTO_TCP,
			      csum_partial(skb->data, (int)skb->len, 0))) {
		NET_INC_STATS(tcp_mib, TCP_MIB_CSUMERRORS);
		goto bad;
	}
	/* Segments to or from broadcast and multicast addresses are never TCP's. */
	if ((ntohl(iph->daddr) >> 28) == 0xe || iph->daddr == 0xffffffff || !th->dest)
		goto drop;
	NET_INC_STATS(tcp_mib, TCP_MIB_INSEGS);
	cb = TCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + th->syn + th->fin + skb->len - hlen;
	cb->ack_seq = ntohl(th->ack_seq);
	cb->tcp_flags = tcp_flag_byte(th);
	tcp_tables_init();
lookup:
	spin_lock(&tcp_hash_lock);
	tp = tcp_lookup_established(iph->saddr, th->source, iph->daddr, th->dest);
	if (!tp)
		tp = tcp_lookup_listener(iph->saddr, th->source, iph->daddr, th->dest);
	spin_unlock(&tcp_hash_lock);
	if (!tp) {
		tcp_v4_send_reset(NULL, skb);
		goto drop;
	}
	tcp_lock(tp);
	if (tp->inet.sk.state == TCP_TIME_WAIT && th->syn && !th->ack && !th->rst &&
	    after(cb->seq, tp->rcv_nxt)) {
		/* A new incarnation of the connection (RFC 9293 3.6.1): end TIME_WAIT early. */
		tcp_done(tp);
		tcp_unlock(tp);
		sock_put(tcp_to_sk(tp));
		goto lookup;
	}
	tcp_rcv_state_process(tp, skb);
	tcp_unlock(tp);
	sock_put(tcp_to_sk(tp));
	return NET_RX_SUCCESS;
bad:
	NET_INC_STATS(tcp_mib, TCP_MIB_INERRS);
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* ICMP errors (RFC 1122 4.2.3.9; RFC 1191 for fragmentation needed). */
void tcp_v4_err(struct sk_buff *skb, int type, int code, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	unsigned int ihl = iph->ihl * 4u;
	const struct tcphdr *th;
	struct tcp_sock *tp;
	struct sock *sk;
	bool fatal;
	u32 seq;
	int err;

	if (skb->len < ihl + 8)
		return;
	th = (const struct tcphdr *)(skb->data + ihl);
	spin_lock(&tcp_hash_lock);
	tp = tcp_lookup_established(iph->daddr, th->dest, iph->saddr, th->source);
	spin_unlock(&tcp_hash_lock);
	if (!tp)
		return;
	sk = tcp_to_sk(tp);
	seq = ntohl(th->seq);
	tcp_lock(tp);
	if (sk->state == TCP_LISTEN || sk->state == TCP_CLOSE || sk->state == TCP_TIME_WAIT)
		goto out;
	/* Only about something in flight (RFC 5927 4.1): forged errors are ignored. */
	if (before(seq, tp->snd_una) || after(seq, tp->snd_nxt))
		goto out;
	if (type == 3 && code == 4) {
		/* Fragmentation needed: the path MTU is @info (RFC 1191). */
		if (info >= 68 && info < tp->pmtu) {
			struct sk_buff *head = skb_peek(&tp->write_queue);

			tp->pmtu = info;
			tcp_sync_mss(tp);
			if (head && head != tp->send_head)
				tcp_retransmit_skb(tp, head);
		}
		goto out;
	}
	err = icmp_err_to_errno(type, code, &fatal);
	if (!fatal)
		goto out;
	if (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
		sk->err = -err;		/* icmp_err_to_errno() is negative, sk->err positive */
		tcp_done(tp);
	}
	/* Established connections keep going (Linux: a soft error unless IP_RECVERR). */
out:
	tcp_unlock(tp);
	sock_put(sk);
}

/* ---- /proc/net/tcp ------------------------------------------------------- */

#define USER_HZ 100

static unsigned long tcp_ns_to_clock(u64 deadline, u64 now, unsigned int hz)
{
	return deadline > now ? (unsigned long)((deadline - now) / (NSEC_PER_SEC / hz)) : 0;
}

/* One line in Linux's tcp4_seq_show layout (get_tcp4_sock / get_timewait4_sock). */
static void tcp_seq_line(struct seq_file *m, int sl, struct tcp_sock *tp, u64 now)
{
	struct inet_sock *inet = &tp->inet;
	struct sock *sk = tcp_to_sk(tp);
	size_t start = m->count;
	int state = READ_ONCE(sk->state), timer = 0;
	u64 when = 0;

	seq_printf(m, "%4d: %08X:%04X %08X:%04X %02X ", sl, inet->rcv_saddr ? inet->rcv_saddr :
		   inet->saddr, ntohs(inet->sport), inet->daddr, ntohs(inet->dport), state);
	if (state == TCP_TIME_WAIT) {
		seq_printf(m, "%08X:%08X %02X:%08lX %08X %5d %8d %d %d %016lx", 0, 0, 3,
			   tcp_ns_to_clock(tp->t_deadline[TCP_T_KEEPALIVE], now, USER_HZ), 0, 0, 0, 0,
			   READ_ONCE(sk->refcnt), 0UL);
	} else {
		if (tp->t_deadline[TCP_T_RETRANS]) {
			timer = tp->packets_out ? 1 : 4;	/* retransmit, zero-window probe */
			when = tp->t_deadline[TCP_T_RETRANS];
		} else if (tp->t_deadline[TCP_T_KEEPALIVE]) {
			timer = 2;
			when = tp->t_deadline[TCP_T_KEEPALIVE];
		}
		seq_printf(m, "%08X:%08X %02X:%08lX %08X %5u %8d %lu %d %016lx %lu %lu %u %u %d",
			   state == TCP_LISTEN ? (u32)tp->accept_qlen : tp->write_seq - tp->snd_una,
			   state == TCP_LISTEN ? 0 : tp->rcv_nxt - tp->copied_seq, timer,
			   tcp_ns_to_clock(when, now, USER_HZ), tp->retransmits, tp->uid, tp->probes_out,
			   tp->ino, READ_ONCE(sk->refcnt), 0UL,
			   (unsigned long)(tp->rto / (NSEC_PER_SEC / HZ)),
			   (unsigned long)(TCP_DELACK_MIN / (NSEC_PER_SEC / HZ)),
			   (tp->quickack ? 2U : 0U) | (tp->pingpong ? 1U : 0U), tp->snd_cwnd,
			   state == TCP_LISTEN ? 0 : (tp->snd_ssthresh >= 0xffff ? -1 : (int)tp->snd_ssthresh));
	}
	seq_pad(m, start, 149, '\n');
}

int tcp_seq_show(struct seq_file *m)
{
	u64 now = ktime_get_ns();
	size_t start = m->count;
	struct tcp_sock *tp;
	int sl = 0;

	seq_puts(m, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
		    "   uid  timeout inode");
	seq_pad(m, start, 149, '\n');
	tcp_tables_init();
	spin_lock(&tcp_hash_lock);
	/* Listeners first, as Linux walks its listening hash before the established one. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < TCP_HASH_SIZE; i++)
			list_for_each_entry(tp, &tcp_bhash[i], bind_node) {
				int state = READ_ONCE(tp->inet.sk.state);

				if ((state == TCP_LISTEN) != (pass == 0) || (pass && !tp->hashed))
					continue;
				tcp_seq_line(m, sl++, tp, now);
			}
	spin_unlock(&tcp_hash_lock);
	return 0;
}
