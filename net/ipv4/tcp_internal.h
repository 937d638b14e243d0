/* SPDX-License-Identifier: MIT */
/*
 * Shared by net/ipv4/tcp*.c only: the TCP socket, the per-segment control
 * block and the functions the TCP files call in each other.
 *
 * Files: tcp.c (socket calls: sendmsg, recvmsg, poll, ioctl, options,
 * shutdown, close), tcp_input.c (segment arrival: the state machine, ACK
 * processing, SACK, the out-of-order queue), tcp_output.c (building and
 * sending segments, Nagle, window advertisement), tcp_timer.c (the one
 * timer per socket: retransmit, zero-window probe, delayed ACK,
 * keepalive, SYN-ACK retransmit, FIN_WAIT2 and TIME_WAIT), tcp_ipv4.c
 * (hash tables, demux, bind, connect, listen, accept, ISNs, ICMP errors,
 * /proc/net/tcp), tcp_cong.c (NewReno congestion control).
 *
 * Locking (docs/net.md "TCP"): one spinlock per socket, sk.lock, held by
 * process context only (system calls and the network thread) and never
 * across a user copy or a sleep. Lock order:
 *
 *   tp->iolock (mutex)      readers of one socket, across user copies
 *     tp->wlock (mutex)     writers of one socket
 *       sk.lock             everything marked [lock] below
 *         tcp_hash_lock     ehash, bhash, counts of SYN_RECV and TIME_WAIT sockets
 *           wq->lock        wake-ups
 *
 * Two sk.locks are never held at once: a connection completing its
 * handshake is put on its listener's accept queue after its own lock is
 * dropped. Segments built under sk.lock are queued on tp->out_queue and
 * handed to IP by tcp_unlock() after the lock is dropped, so a loopback
 * delivery can never re-enter a socket lock we hold.
 */
#ifndef _NET_IPV4_TCP_INTERNAL_H
#define _NET_IPV4_TCP_INTERNAL_H

#include <exo/inet.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/netdevice.h>
#include <exo/skbuff.h>
#include <exo/time.h>
#include <uapi/tcp.h>

/* Sequence arithmetic modulo 2^32 (RFC 793 3.3). */
static inline bool before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}
#define after(a, b) before(b, a)
static inline bool between(u32 seq, u32 lo, u32 hi)	/* lo <= seq <= hi */
{
	return hi - lo >= seq - lo;
}

#define TCP_MSS_DEFAULT		536U
#define TCP_MIN_MSS		88U
#define TCP_MAX_WSCALE		14
#define TCP_RCV_WSCALE		7		/* what Linux offers with default buffers */
#define TCP_INIT_CWND		10U		/* RFC 6928 */
#define TCP_RTO_MIN		(200 * NSEC_PER_MSEC)
#define TCP_RTO_MAX		(120 * NSEC_PER_SEC)
#define TCP_TIMEOUT_INIT	(1 * NSEC_PER_SEC)	/* RFC 6298 2.1 */
#define TCP_DELACK_MAX		(200 * NSEC_PER_MSEC)
#define TCP_DELACK_MIN		(40 * NSEC_PER_MSEC)
#define TCP_TIMEWAIT_LEN	(60 * NSEC_PER_SEC)	/* 2MSL as Linux */
#define TCP_FIN_TIMEOUT		(60 * NSEC_PER_SEC)	/* orphaned FIN_WAIT2 */
#define TCP_RETRIES2		15		/* retransmissions before giving up */
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_KEEPIDLE_DEF	(7200 * NSEC_PER_SEC)
#define TCP_KEEPINTVL_DEF	(75 * NSEC_PER_SEC)
#define TCP_KEEPCNT_DEF		9
#define TCP_MAX_TW		8192		/* TIME_WAIT sockets kept at most */
#define TCP_MAX_SYN_RECV	1024		/* SYN_RECV sockets, all listeners together */
#define TCP_OFO_MAX_FRACTION	2		/* out-of-order data: at most rcvbuf / 2 */
#define TCP_MAX_SACKS		4
#define TCP_CHALLENGE_PER_SEC	100		/* challenge ACKs per socket per second */
#define TCP_QUICKACKS		16		/* segments ACKed at once after an idle start */

/* Per-segment state in skb->cb while TCP owns the buffer. */
struct tcp_skb_cb {
	u32 seq;		/* first sequence number */
	u32 end_seq;		/* seq + SYN + FIN + data length */
	u64 sent_ns;		/* last (re)transmission */
	u32 ack_seq;		/* input: the segment's ACK field */
	u8 tcp_flags;		/* TCPHDR_* */
	u8 sacked;		/* TCPCB_* scoreboard bits (write queue) */
	u16 pad;
	/* Output clones: where ip_send_skb() sends them (filled when built). */
	__be32 saddr, daddr;
	u8 ttl, tos;
	u16 pad2;
	int oif;
};
#define TCP_SKB_CB(skb) ((struct tcp_skb_cb *)((skb)->cb))
_Static_assert(sizeof(struct tcp_skb_cb) <= sizeof(((struct sk_buff *)0)->cb), "cb too small");

#define TCPCB_SACKED_ACKED	0x1	/* the peer has it (SACK) */
#define TCPCB_RETRANS		0x2	/* retransmitted, not yet acknowledged */
#define TCPCB_LOST		0x4	/* considered lost, to retransmit */
#define TCPCB_EVER_RETRANS	0x8	/* Karn: no RTT sample from it */

struct tcp_sack_block {
	u32 start_seq, end_seq;
};

/* Options of a received segment. */
struct tcp_opts {
	u16 mss;			/* 0: none */
	u8 wscale;
	bool wscale_ok, sack_ok, saw_tstamp;
	u32 tsval, tsecr;
	int num_sacks;
	struct tcp_sack_block sacks[TCP_MAX_SACKS];
};

/* The socket's one net_timer serves these deadlines (0: off). */
enum {
	TCP_T_RETRANS,		/* retransmit, SYN / SYN-ACK retransmit, zero-window probe */
	TCP_T_DELACK,
	TCP_T_KEEPALIVE,	/* keepalive; FIN_WAIT2 and TIME_WAIT expiry */
	TCP_T_MAX
};

struct tcp_sock {
	struct inet_sock inet;		/* first: a struct sock * is a struct tcp_sock * */
	struct mutex iolock;		/* readers */
	struct mutex wlock;		/* writers */

	struct list_head hash_node;	/* [tcp_hash_lock] ehash chain */
	struct list_head bind_node;	/* [tcp_hash_lock] bhash chain */
	bool hashed, bound;		/* [tcp_hash_lock] on ehash / bhash */
	bool tw_counted, syn_counted;	/* [tcp_hash_lock] in tcp_tw_count / tcp_syn_count */

	/* Send sequence space, RFC 793 3.2. */
	u32 iss;			/* [lock] */
	u32 snd_una;			/* [lock] oldest unacknowledged */
	u32 snd_nxt;			/* [lock] next to send */
	u32 write_seq;			/* [lock] after the last byte queued by the user */
	u32 snd_wnd;			/* [lock] peer's window, scaled */
	u32 snd_wl1, snd_wl2;		/* [lock] segment seq / ack of the last window update */
	u32 max_window;			/* [lock] largest window the peer offered */
	/* Receive sequence space. */
	u32 irs;			/* [lock] */
	u32 rcv_nxt;			/* [lock] next expected */
	u32 copied_seq;			/* [lock] next byte the user reads */
	u32 rcv_wnd;			/* [lock] window last advertised */
	u32 rcv_wup;			/* [lock] rcv_nxt when rcv_wnd was advertised */

	/* Options negotiated (SYN) and their values. */
	u16 mss_cache;			/* [lock] data bytes per segment we send */
	u16 advmss;			/* [lock] MSS we announce (route MTU - 40) */
	u16 peer_mss;			/* [lock] peer's MSS option (536 without) */
	u16 user_mss;			/* [lock] TCP_MAXSEG, 0: none */
	u8 snd_wscale, rcv_wscale;	/* [lock] */
	bool wscale_ok, sack_ok, tstamp_ok;	/* [lock] */
	u32 ts_recent;			/* [lock] peer's last TSval (RFC 7323 4.3) */
	u64 ts_recent_stamp;		/* [lock] when it was recorded, ns */
	u32 pmtu;			/* [lock] path MTU */
	bool gso_ok;			/* [lock] the route's device segments TCP (NETIF_F_TSO) */

	/* RTT and RTO, RFC 6298 (ns). */
	u64 srtt, rttvar, rto;		/* [lock] srtt 0: no sample yet */
	u8 backoff;			/* [lock] exponential backoff count */
	u8 retransmits;			/* [lock] consecutive RTO expiries */
	u8 probes_out;			/* [lock] unanswered zero-window or keepalive probes */
	u8 syn_retries;			/* [lock] */

	/* Congestion control (tcp_cong.c), in segments. */
	u32 snd_cwnd, snd_ssthresh;	/* [lock] */
	u32 snd_cwnd_cnt;		/* [lock] ACKed segments toward the next increase */
	u32 high_seq;			/* [lock] snd_nxt when recovery started (NewReno "recover") */
	u8 ca_state;			/* [lock] TCP_CA_* */
	u8 dupacks;			/* [lock] duplicate ACKs in a row */
	u32 packets_out;		/* [lock] segments in [snd_una, snd_nxt) */
	u32 sacked_out, lost_out, retrans_out;	/* [lock] scoreboard counts */
	u32 reno_sacked;		/* [lock] without SACK: dupacks since the last advance */
	u32 total_retrans;		/* [lock] */

	/* Queues. */
	struct sk_buff_head write_queue;	/* [lock] sent-unacked, then unsent (send_head on) */
	struct sk_buff *send_head;	/* [lock] first unsent on write_queue, NULL: none */
	int wmem_queued;		/* [lock] truesize on write_queue */
	struct sk_buff_head rcv_queue;	/* [lock] in-order data not yet read */
	struct sk_buff_head ofo_queue;	/* [lock] out-of-order segments, by seq */
	int ofo_mem;			/* [lock] truesize on ofo_queue */
	struct sk_buff_head out_queue;	/* [lock] built segments to hand to IP after unlock */
	struct tcp_sack_block selective_acks[TCP_MAX_SACKS];	/* [lock] blocks we send */
	u8 num_sacks;			/* [lock] */

	/* ACK scheduling. */
	u8 ack_pending;			/* [lock] an ACK is owed */
	u8 quickack;			/* [lock] segments to ACK at once */
	bool pingpong;			/* [lock] interactive: delay ACKs to piggyback */
	u32 rcv_since_ack;		/* [lock] bytes received since our last ACK */
	u32 challenge_count;		/* [lock] challenge ACKs in the current second */
	u64 challenge_stamp;		/* [lock] */

	/* Options set by the user. */
	bool nodelay, cork;		/* [lock] TCP_NODELAY, TCP_CORK */
	u64 keepidle, keepintvl;	/* [lock] ns */
	u8 keepcnt;			/* [lock] */
	u64 rcv_tstamp;			/* [lock] last segment received, ns (keepalive idle) */
	u64 lsndtime;			/* [lock] last data sent, ns */

	/* Timers: one net_timer, several deadlines. */
	struct net_timer timer;
	u64 t_deadline[TCP_T_MAX];	/* [lock] ns, 0: off */
	u64 t_armed_for;		/* [lock] expiry the net_timer is armed for, 0: unarmed */

	/* Listeners and the connections they spawn. */
	struct tcp_sock *parent;	/* [lock] the listener of a passive open until accepted */
	struct list_head child_node;	/* [listener's lock] on its syn_list or accept_queue */
	struct list_head syn_list;	/* [lock] children in SYN_RECV */
	struct list_head accept_queue;	/* [lock] established, not yet accepted */
	int syn_qlen, accept_qlen;	/* [lock] */
	u8 parent_action;		/* [lock] TCP_PARENT_*: for tcp_unlock() to do on the listener */
	bool done;			/* [lock] FIN received or connection finished (SOCK_DONE) */
	bool ever_connected;		/* [lock] */
	u8 sock_state;			/* [lock] SS_*: what connect() has reported */
	u32 uid;			/* [immutable] owner's euid, for /proc/net/tcp */
	unsigned long ino;		/* [lock] socket inode number, 0 once released */
	bool user_bound;		/* [lock] bind() chose the port: it stays after tcp_done */
	u32 rcv_bytes;			/* [lock] bytes on rcv_queue (FIONREAD) */
};

static inline struct tcp_sock *tcp_sk(const struct sock *sk)
{
	return (struct tcp_sock *)sk;
}
static inline struct sock *tcp_to_sk(struct tcp_sock *tp)
{
	return &tp->inet.sk;
}
static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}
static inline u8 tcp_flag_byte(const struct tcphdr *th)
{
	return ((const u8 *)th)[13];
}

/* tp->sock_state, Linux's socket_state for connect()'s answers. */
#define SS_UNCONNECTED	1
#define SS_CONNECTING	2
#define SS_CONNECTED	3

/* tp->parent_action: listener work a child leaves for after its own lock is dropped. */
#define TCP_PARENT_ESTABLISHED	1	/* handshake done: to the accept queue */
#define TCP_PARENT_DROP		2	/* died in SYN_RECV: off the SYN queue */

/* tcp_ipv4.c */
extern struct spinlock tcp_hash_lock;
extern int tcp_tw_count, tcp_syn_count;	/* [tcp_hash_lock] */
extern const struct proto_ops inet_stream_ops;
void tcp_lock(struct tcp_sock *tp) __acquires(&tp->inet.sk.lock);
/* Drops sk.lock, then sends what was built under it. */
void tcp_unlock(struct tcp_sock *tp) __releases(&tp->inet.sk.lock);
struct tcp_sock *tcp_sock_alloc(void);
void tcp_hash(struct tcp_sock *tp);
void tcp_unhash(struct tcp_sock *tp);
void tcp_set_state(struct tcp_sock *tp, int state);
/* The connection is over: CLOSE, unhashed, queues freed, sleepers woken. */
void tcp_done(struct tcp_sock *tp);
u32 tcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
int tcp_v4_rcv(struct sk_buff *skb);
void tcp_v4_err(struct sk_buff *skb, int type, int code, u32 info);
int tcp_v4_connect(struct tcp_sock *tp, __be32 daddr, __be16 dport);
int tcp_v4_get_port(struct tcp_sock *tp, __be32 addr, u16 port);
int tcp_listen_start(struct tcp_sock *tp, int backlog);
/* Stops listening (lock held); the caller took syn_list and accept_queue private first. */
void tcp_listen_stop(struct tcp_sock *tp);
/* Moves a listener's SYN_RECV and unaccepted children to @children (lock held). */
void tcp_take_children(struct tcp_sock *tp, struct list_head *children);
/* Resets and releases the children on @children (no lock held). */
void tcp_listen_abort_children(struct list_head *children);
void tcp_purge_rcv_queue(struct tcp_sock *tp);
/* Called without locks for a child that finished its handshake. */
/* Sends a RST answering @skb; @tp (locked) queues it on its out_queue, NULL sends now. */
void tcp_v4_send_reset(struct tcp_sock *tp, const struct sk_buff *skb);
int tcp_init_sock(struct tcp_sock *tp);
void tcp_sock_init_defaults(struct tcp_sock *tp);

/* tcp_input.c */
/* Processes one segment for @tp (locked); consumes @skb. */
void tcp_rcv_state_process(struct tcp_sock *tp, struct sk_buff *skb);
/* Handles a SYN to listener @lp (locked): a new child in SYN_RECV, or a drop. Consumes @skb. */
void tcp_listen_rcv(struct tcp_sock *lp, struct sk_buff *skb);
/*
 * Parses the options of @th into @opt (zeroed first). Malformed options end
 * the walk (what was read stays, as Linux does); SYN-only options count
 * only when @th is a SYN.
 */
void tcp_parse_options(const struct tcphdr *th, struct tcp_opts *opt);

/* tcp_output.c */
void tcp_send_syn(struct tcp_sock *tp);
void tcp_send_synack(struct tcp_sock *tp);
void tcp_send_ack(struct tcp_sock *tp);
void tcp_send_rst(struct tcp_sock *tp);
void tcp_send_fin(struct tcp_sock *tp);
void tcp_send_probe(struct tcp_sock *tp);
/* Sends what Nagle, the windows and cwnd allow from send_head. */
void tcp_push(struct tcp_sock *tp);
/* Retransmits @skb (on the write queue); 0 or -errno. */
int tcp_retransmit_skb(struct tcp_sock *tp, struct sk_buff *skb);
u32 tcp_select_window(struct tcp_sock *tp);
u32 tcp_receive_space(struct tcp_sock *tp);
void tcp_sync_mss(struct tcp_sock *tp);
unsigned int tcp_current_mss(struct tcp_sock *tp);
u32 tcp_time_stamp(void);
/* The delayed-ACK or immediate-ACK decision after data arrived. */
void tcp_schedule_ack(struct tcp_sock *tp, bool now);
void tcp_queue_tail(struct tcp_sock *tp, struct sk_buff *skb);
void tcp_free_write_skb(struct tcp_sock *tp, struct sk_buff *skb);
u32 tcp_wspace(struct tcp_sock *tp);
bool tcp_stream_writable(struct tcp_sock *tp);
void tcp_check_space(struct tcp_sock *tp);

/* tcp_timer.c */
void tcp_timer_init(struct tcp_sock *tp);
void tcp_timer_set(struct tcp_sock *tp, int which, u64 deadline);
static inline void tcp_timer_clear(struct tcp_sock *tp, int which)
{
	tp->t_deadline[which] = 0;
}
void tcp_rearm_rto(struct tcp_sock *tp);
void tcp_reset_keepalive(struct tcp_sock *tp);
void tcp_time_wait(struct tcp_sock *tp);
void tcp_set_keepalive(struct sock *sk, bool on);

/* tcp_cong.c */
void tcp_cong_init(struct tcp_sock *tp);
/* @acked segments newly acknowledged (cumulatively or by SACK) in the open state. */
void tcp_cong_on_ack(struct tcp_sock *tp, u32 acked);
u32 tcp_cong_ssthresh(struct tcp_sock *tp);
void tcp_enter_recovery(struct tcp_sock *tp);
void tcp_enter_loss(struct tcp_sock *tp);
/* In recovery: an ACK that advanced snd_una to @ack. */
void tcp_recovery_ack(struct tcp_sock *tp, u32 ack);
static inline u32 tcp_packets_in_flight(const struct tcp_sock *tp)
{
	return tp->packets_out - tp->sacked_out - tp->reno_sacked - tp->lost_out + tp->retrans_out;
}

/* At most this much payload in one GSO buffer: its IP total length must fit 16 bits. */
#define TCP_GSO_MAX_PAYLOAD (65535U - 20U - 60U)

/*
 * With TSO, a write pushes once a GSO buffer's worth is queued unsent (or at
 * its end), not after every segment: one push then sends the run as one buffer.
 */
static inline bool tcp_gso_batching(const struct tcp_sock *tp)
{
	return tp->gso_ok && tp->send_head &&
	       tp->write_seq - TCP_SKB_CB(tp->send_head)->seq < TCP_GSO_MAX_PAYLOAD;
}

#endif /* _NET_IPV4_TCP_INTERNAL_H */
