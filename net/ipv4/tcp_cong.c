// SPDX-License-Identifier: MIT
/*
 * Congestion control: NewReno (RFC 5681 slow start and congestion
 * avoidance, RFC 6582 fast recovery), counted in segments as Linux does.
 * With SACK the recovery retransmits the holes the scoreboard shows
 * (tcp_input.c) instead of one segment per partial ACK; without it,
 * NewReno's rule: each partial ACK retransmits the next unacknowledged
 * segment. An RTO collapses the window to one segment (RFC 5681 3.1).
 *
 * Called with sk.lock held.
 */
#include "tcp_internal.h"

void tcp_cong_init(struct tcp_sock *tp)
{
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = 0x7fffffff;	/* "arbitrarily high" (RFC 5681 3.1) */
	tp->snd_cwnd_cnt = 0;
	tp->ca_state = TCP_CA_Open;
}

/* RFC 5681 (4): half the data in flight, at least two segments. */
u32 tcp_cong_ssthresh(struct tcp_sock *tp)
{
	u32 half = tcp_packets_in_flight(tp) / 2;

	if (half < tp->snd_cwnd / 2)
		half = tp->snd_cwnd / 2;
	return half < 2 ? 2 : half;
}

void tcp_cong_on_ack(struct tcp_sock *tp, u32 acked)
{
	/* Fast recovery sets cwnd itself; after an RTO slow start rebuilds it. */
	if (tp->ca_state == TCP_CA_Recovery)
		return;
	while (acked--) {
		if (tp->snd_cwnd < tp->snd_ssthresh) {
			tp->snd_cwnd++;		/* slow start: one segment per segment ACKed */
		} else if (++tp->snd_cwnd_cnt >= tp->snd_cwnd) {
			tp->snd_cwnd_cnt = 0;	/* avoidance: one segment per window */
			tp->snd_cwnd++;
		}
	}
	/* Cap growth at what a large window could ever use. */
	if (tp->snd_cwnd > 0xffff)
		tp->snd_cwnd = 0xffff;
}

/* Three duplicate ACKs (or as many segments SACKed): RFC 6582 3.2 step 2. */
void tcp_enter_recovery(struct tcp_sock *tp)
{
	tp->snd_ssthresh = tcp_cong_ssthresh(tp);
	tp->snd_cwnd = tp->snd_ssthresh + 3;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	tp->ca_state = TCP_CA_Recovery;
}

void tcp_enter_loss(struct tcp_sock *tp)
{
	if (tp->ca_state != TCP_CA_Loss || tp->backoff == 0)
		tp->snd_ssthresh = tcp_cong_ssthresh(tp);
	tp->snd_cwnd = 1;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	tp->ca_state = TCP_CA_Loss;
}

/*
 * RFC 6582 3.2 steps 3-5: a full ACK (past high_seq) ends recovery with
 * cwnd = ssthresh; a partial one deflates cwnd by what it acknowledged and
 * keeps going (the caller retransmits the next hole).
 */
void tcp_recovery_ack(struct tcp_sock *tp, u32 ack)
{
	if (!before(ack, tp->high_seq)) {
		if (tp->ca_state == TCP_CA_Recovery)
			tp->snd_cwnd = min(tp->snd_ssthresh, tcp_packets_in_flight(tp) + 1);
		if (tp->snd_cwnd < 1)
			tp->snd_cwnd = 1;
		tp->ca_state = TCP_CA_Open;
		tp->dupacks = 0;
		return;
	}
	if (tp->ca_state == TCP_CA_Recovery && tp->snd_cwnd > tp->snd_ssthresh)
		tp->snd_cwnd--;
}
