// SPDX-License-Identifier: MIT
/*
 * TCP input: what a segment does to a connection (RFC 9293 3.10.7 "SEGMENT
 * ARRIVES"), with RFC 5961's defences (RST and SYN inside the window get a
 * challenge ACK, ACKs far outside the window are answered and dropped),
 * RFC 7323 timestamps and PAWS, RFC 2018 SACK in both directions, RFC 6298
 * RTT sampling under Karn's rule, duplicate-ACK counting for fast
 * retransmit, and the receive side: in-order data to rcv_queue,
 * out-of-order data to ofo_queue within a memory cap.
 *
 * Everything here runs with the socket's sk.lock held (tcp_v4_rcv takes
 * it); a listener's SYN handling holds the listener's lock and builds the
 * child before anything else can see it.
 */
#include <exo/checksum.h>
#include <exo/err.h>
#include <exo/poll.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include "tcp_internal.h"

#define TCP_PAWS_24DAYS	(24ULL * 86400 * NSEC_PER_SEC)

void tcp_parse_options(const struct tcphdr *th, struct tcp_opts *opt)
{
	const u8 *p = (const u8 *)(th + 1);
	int len = th->doff * 4 - (int)sizeof(*th);
	bool syn = th->syn;

	memset(opt, 0, sizeof(*opt));
	while (len > 0) {
		u8 kind = *p, size;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (len < 2)
			return;
		size = p[1];
		if (size < 2 || size > len)
			return;
		switch (kind) {
		case TCPOPT_MSS:
			if (size == TCPOLEN_MSS && syn) {
				u16 mss = get_unaligned_be16(p + 2);

				if (mss)
					opt->mss = mss < TCP_MIN_MSS ? TCP_MIN_MSS : mss;
			}
			break;
		case TCPOPT_WINDOW:
			if (size == TCPOLEN_WINDOW && syn) {
				opt->wscale_ok = true;
				/* RFC 7323 2.3: larger than 14 is used as 14. */
				opt->wscale = p[2] > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : p[2];
			}
			break;
		case TCPOPT_SACK_PERM:
			if (size == TCPOLEN_SACK_PERM && syn)
				opt->sack_ok = true;
			break;
		case TCPOPT_TIMESTAMP:
			if (size == TCPOLEN_TIMESTAMP) {
				opt->saw_tstamp = true;
				opt->tsval = get_unaligned_be32(p + 2);
				opt->tsecr = get_unaligned_be32(p + 6);
			}
			break;
		case TCPOPT_SACK:
			if (size >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
			    (size - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK == 0 && !syn) {
				int n = (size - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_PERBLOCK;

				for (int i = 0; i < n && opt->num_sacks < TCP_MAX_SACKS; i++) {
					opt->sacks[opt->num_sacks].start_seq =
						get_unaligned_be32(p + 2 + i * 8);
					opt->sacks[opt->num_sacks].end_seq =
						get_unaligned_be32(p + 6 + i * 8);
					opt->num_sacks++;
				}
			}
			break;
		default:
			break;
		}
		p += size;
		len -= size;
	}
}

/* ---- RTT (RFC 6298) ------------------------------------------------------ */

static void tcp_rtt_sample(struct tcp_sock *tp, u64 r)
{
	if (!tp->srtt) {
		tp->srtt = r;
		tp->rttvar = r / 2;
	} else {
		u64 d = tp->srtt > r ? tp->srtt - r : r - tp->srtt;

		tp->rttvar = (3 * tp->rttvar + d) / 4;
		tp->srtt = (7 * tp->srtt + r) / 8;
	}
	/* Linux's floor: 4 * rttvar is at least the 200 ms minimum. */
	tp->rto = tp->srtt + max(4 * tp->rttvar, (u64)TCP_RTO_MIN);
	if (tp->rto > TCP_RTO_MAX)
		tp->rto = TCP_RTO_MAX;
	tp->backoff = 0;	/* 5.7: a new sample ends the backoff */
}

/* ---- sending side: ACK, SACK, dupacks ------------------------------------ */

/* Marks write-queue buffers inside the peer's SACK blocks; returns how many became SACKed. */
static u32 tcp_sacktag(struct tcp_sock *tp, const struct tcp_opts *opt)
{
	u32 newly = 0;

	for (int i = 0; i < opt->num_sacks; i++) {
		u32 start = opt->sacks[i].start_seq, end = opt->sacks[i].end_seq;
		struct sk_buff *skb;

		/* RFC 2018 blocks must lie in what we sent; ignore the rest (D-SACK included). */
		if (!after(end, start) || !after(end, tp->snd_una) || after(end, tp->snd_nxt) ||
		    before(start, tp->snd_una))
			continue;
		skb_queue_walk(&tp->write_queue, skb) {
			struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

			if (skb == tp->send_head || !before(cb->seq, end))
				break;
			if (before(cb->seq, start) || after(cb->end_seq, end))
				continue;
			if (cb->sacked & TCPCB_SACKED_ACKED)
				continue;
			if (cb->sacked & TCPCB_LOST)
				tp->lost_out--;
			if (cb->sacked & TCPCB_RETRANS)
				tp->retrans_out--;
			cb->sacked = (u8)((cb->sacked & TCPCB_EVER_RETRANS) | TCPCB_SACKED_ACKED);
			tp->sacked_out++;
			newly++;
		}
	}
	return newly;
}

/*
 * Frees what @ack covers; returns segments freed. Samples the RTT under Karn's
 * rule, against @now (the segment's arrival, read once per segment).
 */
static u32 tcp_clean_rtx_queue(struct tcp_sock *tp, u32 ack, const struct tcp_opts *opt, u64 now)
{
	struct sock *sk = tcp_to_sk(tp);
	u64 sent = 0;
	bool retransmitted = false;
	u32 freed = 0;
	struct sk_buff *skb;

	while ((skb = skb_peek(&tp->write_queue)) && skb != tp->send_head) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (after(cb->end_seq, ack))
			break;
		if (cb->sacked & TCPCB_EVER_RETRANS)
			retransmitted = true;
		else
			sent = cb->sent_ns;
		if (cb->sacked & TCPCB_SACKED_ACKED)
			tp->sacked_out--;
		if (cb->sacked & TCPCB_LOST)
			tp->lost_out--;
		if (cb->sacked & TCPCB_RETRANS)
			tp->retrans_out--;
		tp->packets_out--;
		freed++;
		__skb_unlink(skb, &tp->write_queue);
		tcp_free_write_skb(tp, skb);
	}
	if (freed && !retransmitted) {
		if (opt->saw_tstamp && opt->tsecr && tp->tstamp_ok) {
			u32 ms = (u32)(now / NSEC_PER_MSEC) - opt->tsecr;

			if (ms < 60000)
				tcp_rtt_sample(tp, ms ? ms * NSEC_PER_MSEC : NSEC_PER_MSEC / 4);
		} else if (sent) {
			tcp_rtt_sample(tp, now - sent);
		}
	}
	if (freed)
		tcp_check_space(tp);
	(void)sk;
	return freed;
}

/* Retransmits lost segments the congestion window allows (recovery and after an RTO). */
static void tcp_xmit_retransmit_queue(struct tcp_sock *tp)
{
	struct sk_buff *skb;

	skb_queue_walk(&tp->write_queue, skb) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (skb == tp->send_head)
			break;
		if (tcp_packets_in_flight(tp) >= tp->snd_cwnd)
			break;
		if ((cb->sacked & (TCPCB_LOST | TCPCB_RETRANS | TCPCB_SACKED_ACKED)) != TCPCB_LOST)
			continue;
		if (tcp_retransmit_skb(tp, skb))
			break;
	}
}

/*
 * With SACK (RFC 6675 IsLost, simplified): an unSACKed segment with at
 * least three SACKed segments above it is lost. Without: the first.
 */
static void tcp_mark_lost(struct tcp_sock *tp)
{
	struct sk_buff *skb, *head = skb_peek(&tp->write_queue);
	u32 above = tp->sacked_out;

	if (!head || head == tp->send_head)
		return;
	skb_queue_walk(&tp->write_queue, skb) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (skb == tp->send_head)
			break;
		if (cb->sacked & TCPCB_SACKED_ACKED) {
			above--;
			continue;
		}
		if (cb->sacked & TCPCB_LOST)
			continue;
		if (skb == head || (tp->sack_ok && above >= 3)) {
			cb->sacked |= TCPCB_LOST;
			tp->lost_out++;
		}
	}
}

/* RFC 5961 5.2: the acceptable range of ACK values. */
static bool tcp_ack_acceptable(struct tcp_sock *tp, u32 ack)
{
	return !after(ack, tp->snd_nxt) && !before(ack, tp->snd_una - tp->max_window);
}

static void tcp_send_challenge_ack(struct tcp_sock *tp)
{
	u64 now = ktime_get_ns();

	if (now - tp->challenge_stamp >= NSEC_PER_SEC) {
		tp->challenge_stamp = now;
		tp->challenge_count = 0;
	}
	if (tp->challenge_count++ < TCP_CHALLENGE_PER_SEC)
		tcp_send_ack(tp);
}

/* The ACK of a segment: 0 to go on with it, -1 to drop it. */
static int tcp_ack(struct tcp_sock *tp, struct sk_buff *skb, const struct tcp_opts *opt,
		   u32 payload)
{
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 ack = cb->ack_seq, prior_una = tp->snd_una, prior_wnd = tp->snd_wnd;
	u32 wnd = (u32)ntohs(th->window) << tp->snd_wscale;
	u32 freed = 0, newly_sacked = 0;

	if (after(ack, tp->snd_nxt)) {
		/* Acknowledges something never sent: answer and drop (RFC 9293 3.10.7.4). */
		tcp_send_challenge_ack(tp);
		return -1;
	}
	if (!tcp_ack_acceptable(tp, ack)) {
		tcp_send_challenge_ack(tp);
		return -1;
	}
	tp->probes_out = 0;	/* the peer answers: keepalive and window probes start over */
	if (tp->sack_ok && opt->num_sacks)
		newly_sacked = tcp_sacktag(tp, opt);
	/* Window update (RFC 9293 3.10.7.4: SND.WL1/WL2 rule). */
	if (after(cb->seq, tp->snd_wl1) || (cb->seq == tp->snd_wl1 && !before(ack, tp->snd_wl2))) {
		tp->snd_wnd = wnd;
		tp->snd_wl1 = cb->seq;
		tp->snd_wl2 = ack;
		if (wnd > tp->max_window)
			tp->max_window = wnd;
	}
	if (after(ack, prior_una)) {
		freed = tcp_clean_rtx_queue(tp, ack, opt, tp->rcv_tstamp);
		tp->snd_una = ack;
		tp->reno_sacked = tp->reno_sacked > freed ? tp->reno_sacked - freed : 0;
		tp->retransmits = 0;
		if (tp->ca_state == TCP_CA_Recovery || tp->ca_state == TCP_CA_Loss) {
			bool partial = before(ack, tp->high_seq);

			if (tp->ca_state == TCP_CA_Loss)
				tcp_cong_on_ack(tp, freed);
			tcp_recovery_ack(tp, ack);
			/* NewReno partial ACK (RFC 6582 3.2 step 5): the next hole is lost too. */
			if (partial && tp->ca_state == TCP_CA_Recovery) {
				struct sk_buff *h = skb_peek(&tp->write_queue);

				if (h && h != tp->send_head && !(TCP_SKB_CB(h)->sacked &
								  (TCPCB_LOST | TCPCB_SACKED_ACKED))) {
					TCP_SKB_CB(h)->sacked |= TCPCB_LOST;
					tp->lost_out++;
				}
			}
		} else {
			tcp_cong_on_ack(tp, freed + newly_sacked);
		}
		tp->dupacks = 0;
		tp->backoff = 0;	/* forward progress: the peer is there */
		tcp_rearm_rto(tp);
	} else if (ack == prior_una && tp->packets_out && !payload && !(cb->tcp_flags & TCPHDR_FIN) &&
		   (wnd == prior_wnd || newly_sacked)) {
		/* RFC 5681 2: a duplicate acknowledgment. */
		tp->dupacks++;
		/*
		 * Without SACK each duplicate says a segment left the network
		 * (Linux's Reno "SACK" emulation, the role of RFC 6582 3.2
		 * step 3's window inflation).
		 */
		if (!tp->sack_ok && tp->sacked_out + tp->reno_sacked + 1 < tp->packets_out)
			tp->reno_sacked++;
	}
	if (tp->ca_state == TCP_CA_Open && tp->packets_out &&
	    (tp->dupacks >= 3 || (tp->sack_ok && tp->sacked_out >= 3)) &&
	    (after(ack, tp->high_seq) || tp->high_seq == tp->snd_una || !tp->high_seq)) {
		tcp_enter_recovery(tp);
		tcp_mark_lost(tp);
	} else if (tp->ca_state == TCP_CA_Recovery && newly_sacked) {
		tcp_mark_lost(tp);
	}
	if (tp->ca_state == TCP_CA_Recovery || tp->ca_state == TCP_CA_Loss)
		tcp_xmit_retransmit_queue(tp);
	return 0;
}

/* ---- receiving side ------------------------------------------------------ */

/* Keeps our SACK blocks (RFC 2018 4): the block holding the newest segment first. */
static void tcp_update_sack_blocks(struct tcp_sock *tp, u32 seq, u32 end)
{
	struct tcp_sack_block blocks[TCP_MAX_SACKS];
	int n = 0;

	if (!tp->sack_ok)
		return;
	/* Merge the new range with the blocks it touches. */
	for (int i = 0; i < tp->num_sacks; i++) {
		struct tcp_sack_block *b = &tp->selective_acks[i];

		if (!after(b->start_seq, end) && !after(seq, b->end_seq)) {
			if (before(b->start_seq, seq))
				seq = b->start_seq;
			if (after(b->end_seq, end))
				end = b->end_seq;
		}
	}
	blocks[n++] = (struct tcp_sack_block){ seq, end };
	for (int i = 0; i < tp->num_sacks && n < TCP_MAX_SACKS; i++) {
		struct tcp_sack_block *b = &tp->selective_acks[i];

		if (!after(b->start_seq, end) && !after(seq, b->end_seq))
			continue;
		blocks[n++] = *b;
	}
	memcpy(tp->selective_acks, blocks, sizeof(blocks[0]) * (size_t)n);
	tp->num_sacks = (u8)n;
}

/* Drops SACK blocks below rcv_nxt (now acknowledged cumulatively). */
static void tcp_prune_sack_blocks(struct tcp_sock *tp)
{
	int n = 0;

	for (int i = 0; i < tp->num_sacks; i++)
		if (after(tp->selective_acks[i].end_seq, tp->rcv_nxt))
			tp->selective_acks[n++] = tp->selective_acks[i];
	tp->num_sacks = (u8)n;
}

static void tcp_fin(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);

	sk->shutdown |= RCV_SHUTDOWN;
	tp->done = true;
	switch (sk->state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(tp, TCP_CLOSE_WAIT);
		tp->pingpong = false;
		break;
	case TCP_FIN_WAIT1:
		/* Simultaneous close (RFC 9293 3.6 case 2). */
		tcp_set_state(tp, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		tcp_send_ack(tp);
		tcp_time_wait(tp);
		break;
	default:
		break;
	}
	__skb_queue_purge(&tp->ofo_queue);
	tp->ofo_mem = 0;
	tp->num_sacks = 0;
	if (sk->state != TCP_TIME_WAIT && sk->state != TCP_CLOSE)
		tcp_send_ack(tp);
	__wake_up(&sk->wq, poll_to_key(POLLIN | POLLRDNORM | POLLRDHUP));
}

/* Appends in-order payload [seq, end) of @skb (header already pulled) to rcv_queue. */
static void tcp_queue_rcv(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sock *sk = tcp_to_sk(tp);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	u32 skip = tp->rcv_nxt - cb->seq;
	bool fin = cb->tcp_flags & TCPHDR_FIN;

	if (skip && skip <= skb->len) {
		skb_pull(skb, skip);
		cb->seq += skip;
	}
	tp->rcv_nxt = cb->end_seq - (fin ? 1 : 0);
	if (skb->len) {
		tp->rcv_nxt = cb->seq + skb->len;
		__skb_queue_tail(&tp->rcv_queue, skb);
		tp->rcv_bytes += skb->len;
		__atomic_fetch_add(&sk->rmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
		tp->rcv_since_ack += skb->len;
	} else {
		kfree_skb(skb);
	}
	if (fin) {
		tp->rcv_nxt++;
		tcp_fin(tp);
	}
}

/* Moves ofo segments that became in order onto rcv_queue. */
static void tcp_ofo_queue(struct tcp_sock *tp)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&tp->ofo_queue)) && !after(TCP_SKB_CB(skb)->seq, tp->rcv_nxt)) {
		__skb_unlink(skb, &tp->ofo_queue);
		tp->ofo_mem -= (int)skb->truesize;
		if (!after(TCP_SKB_CB(skb)->end_seq, tp->rcv_nxt)) {
			kfree_skb(skb);		/* all duplicate */
			continue;
		}
		tcp_queue_rcv(tp, skb);
		if (tcp_to_sk(tp)->shutdown & RCV_SHUTDOWN)
			break;
	}
}

/* Out of order: keep it (sorted by seq, duplicates dropped) within the memory cap. */
static void tcp_data_queue_ofo(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sock *sk = tcp_to_sk(tp);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	struct sk_buff *pos, *prev = NULL;

	if (tp->ofo_mem + (int)skb->truesize > sk->rcvbuf / TCP_OFO_MAX_FRACTION ||
	    tcp_receive_space(tp) < skb->truesize) {
		kfree_skb(skb);
		return;
	}
	skb_queue_walk(&tp->ofo_queue, pos) {
		struct tcp_skb_cb *pcb = TCP_SKB_CB(pos);

		if (!before(cb->seq, pcb->seq) && !after(cb->end_seq, pcb->end_seq)) {
			kfree_skb(skb);		/* already have all of it */
			tcp_update_sack_blocks(tp, pcb->seq, pcb->end_seq);
			return;
		}
		if (before(cb->seq, pcb->seq))
			break;
		prev = pos;
	}
	if (prev)
		__skb_queue_after(&tp->ofo_queue, prev, skb);
	else
		__skb_queue_head(&tp->ofo_queue, skb);
	tp->ofo_mem += (int)skb->truesize;
	tcp_update_sack_blocks(tp, cb->seq, cb->end_seq);
}

/* The payload (and FIN) of an acceptable segment in a state that receives data. */
static void tcp_data_queue(struct tcp_sock *tp, struct sk_buff *skb, u32 payload)
{
	struct sock *sk = tcp_to_sk(tp);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	bool had_ofo = !skb_queue_empty(&tp->ofo_queue);

	skb_pull(skb, tcp_hdr(skb)->doff * 4u);
	skb_trim(skb, payload);
	if (!after(cb->end_seq, tp->rcv_nxt)) {
		/* A retransmission of what we have: ACK at once so the peer stops. */
		kfree_skb(skb);
		tcp_schedule_ack(tp, true);
		return;
	}
	if (after(cb->seq, tp->rcv_nxt)) {
		tcp_data_queue_ofo(tp, skb);
		tcp_schedule_ack(tp, true);	/* a duplicate ACK with SACK (RFC 5681 4.2) */
		return;
	}
	if (payload && tcp_receive_space(tp) < skb->truesize / 2 && !skb_queue_empty(&tp->rcv_queue)) {
		/* Beyond the buffer the window promised: drop, the peer retransmits. */
		kfree_skb(skb);
		tcp_schedule_ack(tp, true);
		return;
	}
	tcp_queue_rcv(tp, skb);
	if (had_ofo) {
		tcp_ofo_queue(tp);
		tcp_prune_sack_blocks(tp);
	}
	if (payload) {
		__wake_up(&sk->wq, poll_to_key(POLLIN | POLLRDNORM));
		/* tcp_fin() has ACKed a FIN already; data alone may wait for a delayed ACK. */
		if (!tp->done)
			tcp_schedule_ack(tp, had_ofo);
	}
}

/* ---- the state machine --------------------------------------------------- */

/* RFC 9293 3.10.7.4 first check: is the segment in the receive window? */
static bool tcp_sequence_ok(struct tcp_sock *tp, u32 seq, u32 end_seq)
{
	u32 wnd = after(tp->rcv_wup + tp->rcv_wnd, tp->rcv_nxt) ? tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt
								 : 0;

	return !before(end_seq, tp->rcv_wup) && !after(seq, tp->rcv_nxt + wnd);
}

/* A RST that passed the checks: Linux's tcp_reset errors. */
static void tcp_reset(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);

	switch (sk->state) {
	case TCP_SYN_SENT:
		sk->err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		sk->err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		sk->err = ECONNRESET;
	}
	if (sk->state == TCP_ESTABLISHED || sk->state == TCP_CLOSE_WAIT)
		NET_INC_STATS(tcp_mib, TCP_MIB_ESTABRESETS);
	tcp_done(tp);
}

/* Options a SYN or SYN-ACK negotiates. */
static void tcp_syn_options(struct tcp_sock *tp, const struct tcp_opts *opt, bool we_offered)
{
	tp->peer_mss = opt->mss ? opt->mss : TCP_MSS_DEFAULT;
	tp->wscale_ok = opt->wscale_ok && (we_offered ? tp->wscale_ok : true);
	if (tp->wscale_ok) {
		tp->snd_wscale = opt->wscale;
	} else {
		tp->snd_wscale = 0;
		tp->rcv_wscale = 0;
	}
	tp->sack_ok = opt->sack_ok && (we_offered ? tp->sack_ok : true);
	tp->tstamp_ok = opt->saw_tstamp && (we_offered ? tp->tstamp_ok : true);
	if (tp->tstamp_ok) {
		tp->ts_recent = opt->tsval;
		tp->ts_recent_stamp = ktime_get_ns();
	}
	tcp_sync_mss(tp);
}

static void tcp_established(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);

	tcp_set_state(tp, TCP_ESTABLISHED);
	tp->ever_connected = true;
	tp->quickack = TCP_QUICKACKS;
	tp->rcv_tstamp = ktime_get_ns();
	tcp_reset_keepalive(tp);
	__wake_up(&sk->wq, poll_to_key(POLLOUT | POLLWRNORM));
}

static void tcp_rcv_synsent(struct tcp_sock *tp, struct sk_buff *skb, const struct tcp_opts *opt)
{
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	u8 flags = cb->tcp_flags;

	if (flags & TCPHDR_ACK) {
		if (!after(cb->ack_seq, tp->iss) || after(cb->ack_seq, tp->snd_nxt)) {
			if (!(flags & TCPHDR_RST))
				tcp_v4_send_reset(tp, skb);
			goto drop;
		}
	}
	if (flags & TCPHDR_RST) {
		if (flags & TCPHDR_ACK)
			tcp_reset(tp);
		goto drop;
	}
	if (!(flags & TCPHDR_SYN))
		goto drop;
	tp->irs = cb->seq;
	tp->rcv_nxt = cb->seq + 1;
	tp->copied_seq = tp->rcv_nxt;
	tp->rcv_wup = tp->rcv_nxt;
	tcp_syn_options(tp, opt, true);
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	tp->snd_wnd = ntohs(th->window);
	tp->snd_wl1 = cb->seq;
	tp->max_window = tp->snd_wnd;
	if (flags & TCPHDR_ACK) {
		tp->snd_wl2 = cb->ack_seq;
		tcp_clean_rtx_queue(tp, cb->ack_seq, opt, ktime_get_ns());
		tp->snd_una = cb->ack_seq;
		tp->backoff = 0;
		tcp_rearm_rto(tp);
		tcp_established(tp);
		tcp_send_ack(tp);
		tcp_push(tp);
		goto drop;
	}
	/* Simultaneous open (RFC 9293 3.5, figure 8). */
	tcp_set_state(tp, TCP_SYN_RECV);
	tcp_send_synack(tp);
drop:
	kfree_skb(skb);
}

void tcp_rcv_state_process(struct tcp_sock *tp, struct sk_buff *skb)
{
	struct sock *sk = tcp_to_sk(tp);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 payload = skb->len - th->doff * 4u;
	u8 flags = cb->tcp_flags;
	struct tcp_opts opt;

	tcp_parse_options(th, &opt);
	switch (sk->state) {
	case TCP_CLOSE:
		if (!(flags & TCPHDR_RST))
			tcp_v4_send_reset(tp, skb);
		goto drop;
	case TCP_LISTEN:
		tcp_listen_rcv(tp, skb);
		return;
	case TCP_SYN_SENT:
		tcp_rcv_synsent(tp, skb, &opt);
		return;
	default:
		break;
	}
	tp->rcv_tstamp = ktime_get_ns();
	/* RFC 7323 5: PAWS drops an old duplicate (never a RST). */
	if (tp->tstamp_ok && opt.saw_tstamp && !(flags & TCPHDR_RST) &&
	    (s32)(opt.tsval - tp->ts_recent) < 0 &&
	    tp->rcv_tstamp - tp->ts_recent_stamp < TCP_PAWS_24DAYS) {
		tcp_send_ack(tp);
		goto drop;
	}
	if (!tcp_sequence_ok(tp, cb->seq, cb->end_seq)) {
		if (!(flags & TCPHDR_RST))
			tcp_send_ack(tp);
		goto drop;
	}
	if (flags & TCPHDR_RST) {
		/* RFC 5961 3.2: only the exact next sequence number resets. */
		if (cb->seq == tp->rcv_nxt) {
			if (sk->state == TCP_SYN_RECV && tp->parent)
				tcp_done(tp);	/* the listener simply forgets it */
			else
				tcp_reset(tp);
		} else {
			tcp_send_challenge_ack(tp);
		}
		goto drop;
	}
	if (tp->tstamp_ok && opt.saw_tstamp && !after(cb->seq, tp->rcv_wup)) {
		/* RFC 7323 4.3: remember the TSval of the segment at the left edge. */
		tp->ts_recent = opt.tsval;
		tp->ts_recent_stamp = tp->rcv_tstamp;
	}
	if (flags & TCPHDR_SYN) {
		if (sk->state == TCP_SYN_RECV && cb->seq == tp->irs) {
			/* Our SYN-ACK was lost: the peer repeats its SYN. */
			struct sk_buff *s = skb_peek(&tp->write_queue);

			if (s && (TCP_SKB_CB(s)->tcp_flags & TCPHDR_SYN))
				tcp_retransmit_skb(tp, s);
			goto drop;
		}
		/* RFC 5961 4.2: a SYN on a synchronized connection gets a challenge ACK. */
		tcp_send_challenge_ack(tp);
		goto drop;
	}
	if (!(flags & TCPHDR_ACK))
		goto drop;
	if (sk->state == TCP_SYN_RECV) {
		if (!after(cb->ack_seq, tp->snd_una) || after(cb->ack_seq, tp->snd_nxt)) {
			tcp_v4_send_reset(tp, skb);
			goto drop;
		}
		tp->snd_wnd = (u32)ntohs(th->window) << tp->snd_wscale;
		tp->snd_wl1 = cb->seq;
		tp->snd_wl2 = cb->ack_seq;
		tp->max_window = tp->snd_wnd;
		tcp_clean_rtx_queue(tp, cb->ack_seq, &opt, tp->rcv_tstamp);
		tp->snd_una = cb->ack_seq;
		tp->backoff = 0;
		tcp_rearm_rto(tp);
		tcp_established(tp);
		if (tp->parent)
			tp->parent_action = TCP_PARENT_ESTABLISHED;
	} else if (tcp_ack(tp, skb, &opt, payload)) {
		goto drop;
	}
	/* Our FIN acknowledged? */
	if (tp->snd_una == tp->write_seq && (sk->shutdown & SEND_SHUTDOWN)) {
		switch (sk->state) {
		case TCP_FIN_WAIT1:
			tcp_set_state(tp, TCP_FIN_WAIT2);
			if (sk->flags & SOCK_DEAD)
				tcp_timer_set(tp, TCP_T_KEEPALIVE, ktime_get_ns() + TCP_FIN_TIMEOUT);
			else
				tcp_timer_clear(tp, TCP_T_KEEPALIVE);
			__wake_up(&sk->wq, poll_to_key(POLLOUT));
			break;
		case TCP_CLOSING:
			tcp_time_wait(tp);
			goto drop;
		case TCP_LAST_ACK:
			tcp_done(tp);
			goto drop;
		default:
			break;
		}
	}
	switch (sk->state) {
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		if ((sk->flags & SOCK_DEAD) && payload && after(cb->end_seq, tp->rcv_nxt) &&
		    sk->state != TCP_ESTABLISHED) {
			/* New data for a closed socket: nobody will read it (Linux resets). */
			tcp_send_rst(tp);
			tcp_done(tp);
			goto drop;
		}
		if (payload || (flags & TCPHDR_FIN)) {
			tcp_data_queue(tp, skb, payload);
			tcp_push(tp);
			return;
		}
		break;
	case TCP_TIME_WAIT:
		if (flags & TCPHDR_FIN) {
			/* Our last ACK was lost: ACK again and restart 2MSL. */
			tcp_send_ack(tp);
			tcp_timer_set(tp, TCP_T_KEEPALIVE, ktime_get_ns() + TCP_TIMEWAIT_LEN);
		}
		goto drop;
	default:
		break;
	}
	tcp_push(tp);
drop:
	kfree_skb(skb);
}

void tcp_listen_rcv(struct tcp_sock *lp, struct sk_buff *skb)
{
	struct sock *lsk = tcp_to_sk(lp);
	struct tcp_skb_cb *cb = TCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	const struct iphdr *iph = ip_hdr(skb);
	struct tcp_sock *child;
	struct sock *csk;
	struct tcp_opts opt;
	struct rtable rt;
	bool full;

	if (cb->tcp_flags & TCPHDR_RST)
		goto drop;
	if (cb->tcp_flags & TCPHDR_ACK) {
		tcp_v4_send_reset(lp, skb);
		goto drop;
	}
	if (!(cb->tcp_flags & TCPHDR_SYN) || (cb->tcp_flags & TCPHDR_FIN))
		goto drop;
	/* SYN flood: the listen backlog bounds both queues, a global cap all listeners. */
	if (lp->accept_qlen >= lsk->max_backlog + 1 ||
	    lp->syn_qlen >= (lsk->max_backlog > 8 ? lsk->max_backlog : 8))
		goto drop;
	spin_lock(&tcp_hash_lock);
	full = tcp_syn_count >= TCP_MAX_SYN_RECV;
	if (!full)
		tcp_syn_count++;
	spin_unlock(&tcp_hash_lock);
	if (full)
		goto drop;
	tcp_parse_options(th, &opt);
	child = tcp_sock_alloc();
	if (!child) {
		spin_lock(&tcp_hash_lock);
		tcp_syn_count--;
		spin_unlock(&tcp_hash_lock);
		goto drop;
	}
	child->syn_counted = true;
	csk = tcp_to_sk(child);
	csk->flags = lsk->flags & (SOCK_REUSEADDR | SOCK_KEEPALIVE | SOCK_REUSEPORT);
	csk->sndbuf = lsk->sndbuf;
	csk->rcvbuf = lsk->rcvbuf;
	csk->peercred = lsk->peercred;
	child->nodelay = lp->nodelay;
	child->user_mss = lp->user_mss;
	child->keepidle = lp->keepidle;
	child->keepintvl = lp->keepintvl;
	child->keepcnt = lp->keepcnt;
	child->uid = lp->uid;
	child->inet.rcv_saddr = iph->daddr;
	child->inet.saddr = iph->daddr;
	child->inet.daddr = iph->saddr;
	child->inet.sport = th->dest;
	child->inet.dport = th->source;
	child->inet.ttl = lp->inet.ttl;
	child->inet.tos = lp->inet.tos;
	child->pmtu = 576;
	if (!ip_route_output(iph->saddr, iph->daddr, 0, &rt)) {
		child->pmtu = rt.mtu;
		child->gso_ok = rt.dev && (rt.dev->features & NETIF_F_TSO);
		ip_rt_put(&rt);
	}
	child->advmss = (u16)min(child->pmtu - 40U, 65495U);
	child->irs = cb->seq;
	child->rcv_nxt = child->copied_seq = child->rcv_wup = cb->seq + 1;
	child->iss = tcp_isn(iph->daddr, iph->saddr, th->dest, th->source);
	child->snd_una = child->snd_nxt = child->write_seq = child->iss;
	child->snd_wnd = ntohs(th->window);
	child->snd_wl1 = cb->seq;
	child->max_window = child->snd_wnd;
	tcp_syn_options(child, &opt, false);
	if (!child->wscale_ok)
		child->rcv_wscale = 0;
	child->inet.sk.state = TCP_SYN_RECV;
	sock_hold(lsk);
	child->parent = lp;
	sock_hold(csk);		/* the listener's syn_list */
	list_add_tail(&child->child_node, &lp->syn_list);
	lp->syn_qlen++;
	tcp_send_synack(child);
	/* The SYN-ACK leaves when the listener unlocks. */
	skb_queue_splice_tail_init(&child->out_queue, &lp->out_queue);
	tcp_hash(child);
	sock_put(csk);		/* tcp_sock_alloc's: the hash and the list hold it now */
	NET_INC_STATS(tcp_mib, TCP_MIB_PASSIVEOPENS);
drop:
	kfree_skb(skb);
}
