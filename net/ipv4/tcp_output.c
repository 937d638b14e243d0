// SPDX-License-Identifier: MIT
/*
 * TCP output: building segments (header, options, checksum), the send
 * decision (receiver window, congestion window, Nagle, TCP_CORK), the
 * window we advertise, and the control segments (SYN, SYN-ACK, ACK, FIN,
 * RST, probes).
 *
 * The write queue holds every segment from snd_una on: sent and not yet
 * acknowledged, then unsent from send_head. Its buffers keep only the
 * payload with MAX_TCP_HEADER of headroom; a transmission pushes the
 * header onto a clone (a copy when an earlier clone is still in flight, so
 * its header is never overwritten), which goes on tp->out_queue for
 * tcp_unlock() to hand to IP once the socket lock is dropped.
 *
 * TSO: the write queue's buffers stay one segment each (the unit of
 * in-flight accounting, SACK and retransmission); when the route's device
 * segments TCP itself, tcp_push() sends a run of consecutive full segments
 * that the windows allow as one GSO buffer (a copy of their payloads, at
 * most 64 KiB), which the device cuts back into the same segments.
 *
 * All functions here are called with sk.lock held.
 */
#include <exo/checksum.h>
#include <exo/err.h>
#include <exo/poll.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include "tcp_internal.h"

u32 tcp_time_stamp(void)
{
	return (u32)(ktime_get_ns() / NSEC_PER_MSEC);
}

/* What a header costs beyond 20 bytes on a non-SYN segment (timestamps). */
static unsigned int tcp_opt_overhead(const struct tcp_sock *tp)
{
	return tp->tstamp_ok ? 12 : 0;
}

unsigned int tcp_current_mss(struct tcp_sock *tp)
{
	return tp->mss_cache ? tp->mss_cache : TCP_MSS_DEFAULT;
}

/* mss_cache from the path MTU, the peer's MSS option and TCP_MAXSEG. */
void tcp_sync_mss(struct tcp_sock *tp)
{
	unsigned int mss = tp->pmtu - sizeof(struct iphdr) - sizeof(struct tcphdr);

	if (tp->peer_mss && mss > tp->peer_mss)
		mss = tp->peer_mss;
	if (tp->user_mss && mss > tp->user_mss)
		mss = tp->user_mss;
	mss -= tcp_opt_overhead(tp);
	if (mss < TCP_MIN_MSS)
		mss = TCP_MIN_MSS;
	tp->mss_cache = (u16)mss;
}

/* Free receive memory in bytes: SO_RCVBUF less what is queued in order and out of order. */
u32 tcp_receive_space(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);
	int free = sk->rcvbuf - READ_ONCE(sk->rmem_alloc) - tp->ofo_mem;

	return free > 0 ? (u32)free : 0;
}

/*
 * The window to advertise, in bytes: half the free receive memory (a
 * segment's payload is about half its truesize at worst, as Linux's
 * tcp_adv_win_scale 1 assumes), never less than what we already offered
 * (RFC 7323 2.4: a window must not shrink), not opened by less than an
 * MSS (RFC 1122 4.2.3.3, receiver silly window avoidance). Records it.
 */
u32 tcp_select_window(struct tcp_sock *tp)
{
	u32 cur = 0, win = tcp_receive_space(tp) / 2;
	u32 max = 65535U << tp->rcv_wscale;
	u32 mss = tp->advmss ? tp->advmss : TCP_MSS_DEFAULT;

	if (after(tp->rcv_wup + tp->rcv_wnd, tp->rcv_nxt))
		cur = tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt;
	if (win > max)
		win = max;
	if (win < cur || (win - cur < mss && win < (u32)tcp_to_sk(tp)->rcvbuf / 4 && cur))
		win = cur;
	/* The scaled field must not round the edge below what we offered before. */
	win = ALIGN(win, 1U << tp->rcv_wscale);
	if (win > max)
		win = max & ~((1U << tp->rcv_wscale) - 1);
	tp->rcv_wnd = win;
	tp->rcv_wup = tp->rcv_nxt;
	return win;
}

/* Writes the options of a segment with @flags at @p; returns their length (a multiple of 4). */
static unsigned int tcp_write_options(struct tcp_sock *tp, u8 flags, u8 *p, u64 now)
{
	u8 *start = p;
	bool syn = flags & TCPHDR_SYN;

	if (syn) {
		u16 mss = tp->advmss;

		*p++ = TCPOPT_MSS;
		*p++ = TCPOLEN_MSS;
		*p++ = (u8)(mss >> 8);
		*p++ = (u8)mss;
	}
	if (syn && tp->sack_ok) {
		if (tp->tstamp_ok) {
			*p++ = TCPOPT_SACK_PERM;
			*p++ = TCPOLEN_SACK_PERM;
		} else {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_SACK_PERM;
			*p++ = TCPOLEN_SACK_PERM;
		}
	}
	if (tp->tstamp_ok) {
		u32 tsval = (u32)(now / NSEC_PER_MSEC), tsecr = tp->ts_recent;

		if (!(syn && tp->sack_ok)) {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
		}
		*p++ = TCPOPT_TIMESTAMP;
		*p++ = TCPOLEN_TIMESTAMP;
		put_unaligned_be32(tsval, p);
		put_unaligned_be32((flags & TCPHDR_ACK) ? tsecr : 0, p + 4);
		p += 8;
	}
	if (syn && tp->wscale_ok) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_WINDOW;
		*p++ = TCPOLEN_WINDOW;
		*p++ = tp->rcv_wscale;
	}
	if (!syn && tp->sack_ok && tp->num_sacks) {
		unsigned int n = tp->num_sacks, max = tp->tstamp_ok ? 3 : 4;

		if (n > max)
			n = max;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK;
		*p++ = (u8)(TCPOLEN_SACK_BASE + n * TCPOLEN_SACK_PERBLOCK);
		for (unsigned int i = 0; i < n; i++) {
			put_unaligned_be32(tp->selective_acks[i].start_seq, p);
			put_unaligned_be32(tp->selective_acks[i].end_seq, p + 4);
			p += 8;
		}
	}
	return (unsigned int)(p - start);
}

/*
 * Pushes the header onto @skb (data at the payload, TCP_SKB_CB filled) and
 * queues it for IP. @skb is consumed.
 */
static void tcp_build_and_queue(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct inet_sock *inet = &tp->inet;
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	u8 opts[40], flags = cb->tcp_flags;
	unsigned int olen, hlen;
	struct tcphdr *th;
	u32 win;

	/* Everything but our first SYN and a bare RST acknowledges what we received. */
	if (!(flags & TCPHDR_RST) && tcp_to_sk(tp)->state != TCP_SYN_SENT)
		flags |= TCPHDR_ACK;
	/* A write-queue segment was stamped as it went out; a control segment was not. */
	olen = (flags & TCPHDR_RST) ? 0 :
	       tcp_write_options(tp, flags, opts, cb->sent_ns ? cb->sent_ns : ktime_get_ns());
	hlen = sizeof(*th) + olen;
	if (skb_cow_head(skb, hlen + MAX_HEADER)) {
		kfree_skb(skb);
		return;
	}
	th = skb_push(skb, hlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	memcpy(th + 1, opts, olen);
	th->source = inet->sport;
	th->dest = inet->dport;
	th->seq = htonl(cb->seq);
	th->ack_seq = (flags & TCPHDR_ACK) ? htonl(tp->rcv_nxt) : 0;
	th->doff = (u16)(hlen / 4);
	((u8 *)th)[13] = flags;
	if (flags & TCPHDR_SYN)
		win = min(tcp_select_window(tp), 65535U);
	else if (flags & TCPHDR_RST)
		win = 0;
	else
		win = tcp_select_window(tp) >> tp->rcv_wscale;
	th->window = htons((u16)win);
	/*
	 * The device sums from the header on (CHECKSUM_PARTIAL; the field holds
	 * the pseudo-header sum): lo needs no sum at all, virtio-net offloads it,
	 * and dev_queue_xmit() or IP fragmentation complete it in software for
	 * anything else. Summing every segment here cost as much as copying it.
	 */
	th->check = ~csum_tcpudp_magic(inet->saddr, inet->daddr, skb->len, IPPROTO_TCP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb->data - skb->head);
	skb->csum_offset = offsetof(struct tcphdr, check);
	cb->saddr = inet->saddr;
	cb->daddr = inet->daddr;
	cb->ttl = inet->ttl;
	cb->tos = inet->tos;
	cb->oif = inet->bound_dev_if;
	if (flags & TCPHDR_ACK) {
		/* Every segment carrying an ACK settles what we owed. */
		tp->ack_pending = 0;
		tp->rcv_since_ack = 0;
		tcp_timer_clear(tp, TCP_T_DELACK);
	}
	if (flags & TCPHDR_RST)
		NET_INC_STATS(tcp_mib, TCP_MIB_OUTRSTS);
	__skb_queue_tail(&tp->out_queue, skb);
}

/*
 * Sends a write-queue segment: a clone, which writes its headers into the
 * shared headroom without a copy since the queued original gave it up
 * (skb_header_release); while an earlier clone is still in flight (in a
 * device ring, or on lo in the receiver's queue) it may be using that
 * headroom, so a copy goes instead.
 */
static int tcp_transmit_skb(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sk_buff *c;

	/* Stamped first, so the clone's TSval is the same moment. */
	TCP_SKB_CB(skb)->sent_ns = ktime_get_ns();
	c = skb_cloned(skb) ? skb_copy(skb, GFP_ATOMIC) : skb_clone(skb, GFP_ATOMIC);
	if (!c)
		return -ENOBUFS;
	tcp_build_and_queue(tp, c);
	return 0;
}

/*
 * How many write-queue segments from @skb on go out together as one GSO
 * buffer: consecutive full-MSS payloads (the last may be shorter) that the
 * congestion and receive windows both admit; 1 when there is nothing to join.
 */
static unsigned int tcp_gso_segs(struct tcp_sock *tp, struct sk_buff *skb, unsigned int mss)
{
	u32 wnd_end = tp->snd_una + tp->snd_wnd;
	unsigned int n = 1, bytes = skb->len;
	unsigned int room = tp->snd_cwnd - tcp_packets_in_flight(tp);

	if (!tp->gso_ok || skb->len != mss || (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_FIN))
		return 1;
	while ((skb = skb_peek_next(skb, &tp->write_queue)) && n < room) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (!skb->len || skb->len > mss || bytes + skb->len > TCP_GSO_MAX_PAYLOAD ||
		    (cb->tcp_flags & TCPHDR_SYN) || after(cb->end_seq, wnd_end))
			break;
		/* Nagle holds a short tail back while the run before it is in flight. */
		if (skb->len < mss && !(cb->tcp_flags & TCPHDR_FIN) && (!tp->nodelay || tp->cork))
			break;
		n++;
		bytes += skb->len;
		/* A short one (or one with FIN) ends the run: the device gives only the last its size. */
		if (skb->len < mss || (cb->tcp_flags & TCPHDR_FIN))
			break;
	}
	return n;
}

/*
 * Sends @n write-queue segments from @first as one GSO buffer: their
 * payloads copied behind one header, PSH and FIN from the last (the device
 * puts them on the last segment, as Linux's GSO does). Each segment is
 * stamped as sent.
 */
static int tcp_transmit_gso(struct tcp_sock *tp, struct sk_buff *first, unsigned int n,
			    unsigned int mss)
{
	struct sk_buff *skb = first, *big;
	unsigned int bytes = 0;
	u8 flags = 0;
	u64 now;

	for (unsigned int i = 0; i < n; i++, skb = skb_peek_next(skb, &tp->write_queue))
		bytes += skb->len;
	big = alloc_skb(MAX_TCP_HEADER + bytes, GFP_ATOMIC);
	if (!big)
		return -ENOBUFS;
	skb_reserve(big, MAX_TCP_HEADER);
	now = ktime_get_ns();
	skb = first;
	for (unsigned int i = 0; i < n; i++) {
		TCP_SKB_CB(skb)->sent_ns = now;
		flags = TCP_SKB_CB(skb)->tcp_flags;
		skb_put_data(big, skb->data, skb->len);
		if (i + 1 < n)
			skb = skb_peek_next(skb, &tp->write_queue);
	}
	memcpy(big->cb, first->cb, sizeof(big->cb));
	TCP_SKB_CB(big)->end_seq = TCP_SKB_CB(skb)->end_seq;
	TCP_SKB_CB(big)->tcp_flags = (TCP_SKB_CB(first)->tcp_flags & (u8)~(TCPHDR_PSH | TCPHDR_FIN)) |
				     (flags & (TCPHDR_PSH | TCPHDR_FIN));
	TCP_SKB_CB(big)->sent_ns = now;
	skb_shinfo(big)->gso_size = (u16)mss;
	skb_shinfo(big)->gso_segs = (u16)n;
	skb_shinfo(big)->gso_type = SKB_GSO_TCPV4;
	tcp_build_and_queue(tp, big);
	return 0;
}

/* A control segment (no payload) with @flags at @seq. */
static void tcp_send_ctl(struct tcp_sock *tp, u8 flags, u32 seq)
{
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);

	if (!skb)
		return;
	skb_reserve(skb, MAX_TCP_HEADER);
	memset(skb->cb, 0, sizeof(skb->cb));
	TCP_SKB_CB(skb)->seq = seq;
	TCP_SKB_CB(skb)->end_seq = seq;
	TCP_SKB_CB(skb)->tcp_flags = flags;
	tcp_build_and_queue(tp, skb);
}

void tcp_send_ack(struct tcp_sock *tp)
{
	if (tcp_to_sk(tp)->state == TCP_CLOSE)
		return;
	tcp_send_ctl(tp, TCPHDR_ACK, tp->snd_nxt);
}

void tcp_send_rst(struct tcp_sock *tp)
{
	tcp_send_ctl(tp, TCPHDR_RST | TCPHDR_ACK, tp->snd_nxt);
}

/* Zero-window probe and keepalive: an old sequence number forces the peer to ACK. */
void tcp_send_probe(struct tcp_sock *tp)
{
	tcp_send_ctl(tp, TCPHDR_ACK, tp->snd_una - 1);
}

void tcp_queue_tail(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sock *sk = tcp_to_sk(tp);

	/* Only clones go out: they push their headers in place (see tcp_transmit_skb). */
	skb_header_release(skb);
	__skb_queue_tail(&tp->write_queue, skb);
	tp->wmem_queued += (int)skb->truesize;
	__atomic_store_n(&sk->wmem_alloc, tp->wmem_queued, __ATOMIC_RELAXED);
	if (!tp->send_head)
		tp->send_head = skb;
	tp->write_seq = TCP_SKB_CB(skb)->end_seq;
}

void tcp_free_write_skb(struct tcp_sock *tp, struct sk_buff *skb)
{
	tp->wmem_queued -= (int)skb->truesize;
	__atomic_store_n(&tcp_to_sk(tp)->wmem_alloc, tp->wmem_queued, __ATOMIC_RELAXED);
	kfree_skb(skb);
}

u32 tcp_wspace(struct tcp_sock *tp)
{
	int room = tcp_to_sk(tp)->sndbuf - tp->wmem_queued;

	return room > 0 ? (u32)room : 0;
}

/* Linux's sk_stream_is_writeable: free space at least half of what is queued. */
bool tcp_stream_writable(struct tcp_sock *tp)
{
	int room = tcp_to_sk(tp)->sndbuf - tp->wmem_queued;

	return room > 0 && room >= tp->wmem_queued / 2;
}

void tcp_check_space(struct tcp_sock *tp)
{
	if (tcp_stream_writable(tp))
		__wake_up(&tcp_to_sk(tp)->wq, poll_to_key(POLLOUT | POLLWRNORM | POLLWRBAND));
}

/* A queued control segment (SYN, SYN-ACK, or a bare FIN) that retransmits like data. */
static int tcp_queue_ctl(struct tcp_sock *tp, u8 flags, u32 seq)
{
	struct sk_buff *skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);

	if (!skb)
		return -ENOBUFS;
	skb_reserve(skb, MAX_TCP_HEADER);
	memset(skb->cb, 0, sizeof(skb->cb));
	TCP_SKB_CB(skb)->seq = seq;
	TCP_SKB_CB(skb)->end_seq = seq + 1;
	TCP_SKB_CB(skb)->tcp_flags = flags;
	tcp_queue_tail(tp, skb);
	return 0;
}

void tcp_send_syn(struct tcp_sock *tp)
{
	tp->snd_una = tp->snd_nxt = tp->iss;
	if (tcp_queue_ctl(tp, TCPHDR_SYN, tp->iss))
		return;
	tcp_push(tp);
}

void tcp_send_synack(struct tcp_sock *tp)
{
	struct sk_buff *skb = skb_peek(&tp->write_queue);

	/* Simultaneous open: our SYN becomes the SYN-ACK, same sequence number. */
	if (skb && (TCP_SKB_CB(skb)->tcp_flags & TCPHDR_SYN)) {
		TCP_SKB_CB(skb)->tcp_flags |= TCPHDR_ACK;
		tcp_retransmit_skb(tp, skb);
		tcp_rearm_rto(tp);
		return;
	}
	tp->snd_una = tp->snd_nxt = tp->iss;
	if (tcp_queue_ctl(tp, TCPHDR_SYN | TCPHDR_ACK, tp->iss))
		return;
	tcp_push(tp);
}

void tcp_send_fin(struct tcp_sock *tp)
{
	struct sk_buff *tail = skb_peek_tail(&tp->write_queue);

	if (tail && tp->send_head && !(TCP_SKB_CB(tail)->tcp_flags & (TCPHDR_SYN | TCPHDR_FIN))) {
		/* Unsent data at the tail carries the FIN. */
		TCP_SKB_CB(tail)->tcp_flags |= TCPHDR_FIN;
		TCP_SKB_CB(tail)->end_seq++;
		tp->write_seq++;
	} else if (tcp_queue_ctl(tp, TCPHDR_FIN | TCPHDR_ACK, tp->write_seq)) {
		return;
	}
	tcp_push(tp);
}

/* Splits @skb after @len payload bytes; the rest becomes a new buffer behind it. 0 or -ENOMEM. */
static int tcp_fragment(struct tcp_sock *tp, struct sk_buff *skb, unsigned int len)
{
	struct sk_buff *n;
	unsigned int rest = skb->len - len;

	if (len >= skb->len)
		return 0;
	n = alloc_skb(MAX_TCP_HEADER + rest, GFP_ATOMIC);
	if (!n)
		return -ENOMEM;
	skb_reserve(n, MAX_TCP_HEADER);
	skb_put_data(n, skb->data + len, rest);
	memcpy(n->cb, skb->cb, sizeof(n->cb));
	TCP_SKB_CB(n)->seq = TCP_SKB_CB(skb)->seq + len;
	TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(n)->seq;
	/* PSH and FIN belong to the tail. */
	TCP_SKB_CB(skb)->tcp_flags &= (u8)~(TCPHDR_FIN | TCPHDR_PSH);
	/* Only our own len and tail move: a clone in flight keeps its bytes. */
	skb_trim(skb, len);
	skb_header_release(n);
	__skb_queue_after(&tp->write_queue, skb, n);
	tp->wmem_queued += (int)n->truesize;
	if (TCP_SKB_CB(skb)->sacked & TCPCB_LOST)
		tp->lost_out++;
	if (TCP_SKB_CB(skb)->sacked & TCPCB_RETRANS)
		tp->retrans_out++;
	if (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED)
		tp->sacked_out++;
	if (!before(tp->snd_nxt, TCP_SKB_CB(n)->end_seq))
		tp->packets_out++;	/* both halves are in flight */
	return 0;
}

/* Folds the unsent buffers after @skb into its tailroom while they fit (small writes). */
static void tcp_collapse_unsent(struct tcp_sock *tp, struct sk_buff *skb, unsigned int mss)
{
	struct sk_buff *next;

	while ((next = skb_peek_next(skb, &tp->write_queue)) &&
	       !(TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_FIN | TCPHDR_SYN)) &&
	       !(TCP_SKB_CB(next)->tcp_flags & TCPHDR_SYN) && next->len &&
	       skb->len + next->len <= mss && next->len <= skb_tailroom(skb) && !skb_cloned(skb)) {
		skb_put_data(skb, next->data, next->len);
		TCP_SKB_CB(skb)->end_seq = TCP_SKB_CB(next)->end_seq;
		TCP_SKB_CB(skb)->tcp_flags |= TCP_SKB_CB(next)->tcp_flags;
		__skb_unlink(next, &tp->write_queue);
		tcp_free_write_skb(tp, next);
	}
}

/* Nagle (RFC 896 as Linux applies it): a short segment waits while data is unacknowledged. */
static bool tcp_nagle_allows(struct tcp_sock *tp, struct sk_buff *skb, unsigned int mss)
{
	if (skb->len >= mss || (TCP_SKB_CB(skb)->tcp_flags & (TCPHDR_FIN | TCPHDR_SYN)))
		return true;
	if (skb_peek_next(skb, &tp->write_queue))
		return true;	/* more behind it: this one cannot grow */
	if (tp->cork)
		return false;
	return tp->nodelay || !tp->packets_out;
}

void tcp_push(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);
	unsigned int mss = tcp_current_mss(tp), segs;
	struct sk_buff *skb;
	bool sent = false;

	if (sk->state == TCP_CLOSE || sk->state == TCP_LISTEN)
		return;
	while ((skb = tp->send_head)) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
		u32 wnd_end = tp->snd_una + tp->snd_wnd;

		if (!(cb->tcp_flags & TCPHDR_SYN)) {
			/* Before the handshake completes only the SYN goes out. */
			if (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV)
				break;
			if (tcp_packets_in_flight(tp) >= tp->snd_cwnd)
				break;
			tcp_collapse_unsent(tp, skb, mss);
			if (skb->len > mss && tcp_fragment(tp, skb, mss))
				break;
			if (after(cb->end_seq, wnd_end) && skb->len) {
				u32 room = after(wnd_end, cb->seq) ? wnd_end - cb->seq : 0;

				/* Split to the window only when that is a full segment or all we can do. */
				if (!room || (room < mss && tp->packets_out))
					break;
				if (tcp_fragment(tp, skb, room))
					break;
			} else if (after(cb->end_seq, wnd_end) && !skb->len && tp->snd_wnd == 0 &&
				   tp->packets_out) {
				break;
			}
			if (!tcp_nagle_allows(tp, skb, mss))
				break;
		}
		segs = (cb->tcp_flags & TCPHDR_SYN) ? 1 : tcp_gso_segs(tp, skb, mss);
		if (segs > 1 ? tcp_transmit_gso(tp, skb, segs, mss) : tcp_transmit_skb(tp, skb))
			break;
		for (; segs; segs--, skb = tp->send_head) {
			cb = TCP_SKB_CB(skb);
			tp->send_head = skb_peek_next(skb, &tp->write_queue);
			tp->snd_nxt = cb->end_seq;
			tp->packets_out++;
			if (skb->len)
				tp->lsndtime = cb->sent_ns;	/* just stamped */
		}
		sent = true;
	}
	if (sent && !tp->t_deadline[TCP_T_RETRANS])
		tcp_rearm_rto(tp);
	/* Data waits on a zero window with nothing in flight: probe it (RFC 9293 3.8.6.1). */
	if (tp->send_head && !tp->packets_out && !tp->t_deadline[TCP_T_RETRANS])
		tcp_timer_set(tp, TCP_T_RETRANS, ktime_get_ns() + tp->rto);
}

int tcp_retransmit_skb(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	unsigned int mss = tcp_current_mss(tp);
	int err;

	/* Partly acknowledged: send only the rest. */
	if (before(cb->seq, tp->snd_una) && skb->len && !(cb->tcp_flags & TCPHDR_SYN)) {
		u32 acked = tp->snd_una - cb->seq;

		if (acked >= skb->len)
			acked = skb->len;
		skb_pull(skb, acked);
		cb->seq += acked;
	}
	if (skb->len > mss && tcp_fragment(tp, skb, mss))
		return -ENOMEM;
	err = tcp_transmit_skb(tp, skb);
	if (err)
		return err;
	if ((cb->sacked & TCPCB_LOST) && !(cb->sacked & TCPCB_RETRANS))
		tp->retrans_out++;
	if (cb->sacked & TCPCB_LOST)
		cb->sacked |= TCPCB_RETRANS;
	cb->sacked |= TCPCB_EVER_RETRANS;
	tp->total_retrans++;
	NET_INC_STATS(tcp_mib, TCP_MIB_RETRANSSEGS);
	return 0;
}

void tcp_schedule_ack(struct tcp_sock *tp, bool now)
{
	tp->ack_pending = 1;
	/*
	 * ACK at once: when asked, in quickack mode (connection start,
	 * TCP_QUICKACK), or once two full segments are unacknowledged
	 * (RFC 1122 4.2.3.2); otherwise within the delayed-ACK time.
	 */
	if (now || tp->quickack || tp->rcv_since_ack >= 2U * tp->advmss) {
		if (tp->quickack)
			tp->quickack--;
		tcp_send_ack(tp);
		return;
	}
	if (!tp->t_deadline[TCP_T_DELACK])
		tcp_timer_set(tp, TCP_T_DELACK, ktime_get_ns() + TCP_DELACK_MIN);
}
