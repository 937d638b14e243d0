// SPDX-License-Identifier: MIT
/*
 * TCP timers. Each socket has one net_timer (run by a network thread in
 * process context, <exo/netdevice.h>) serving several deadlines in
 * tp->t_deadline[]: retransmission (also SYN and SYN-ACK retransmission
 * and zero-window probes), delayed ACK, and the long one (keepalive,
 * orphaned FIN_WAIT2 and TIME_WAIT expiry). The net_timer is armed for the
 * earliest deadline; clearing a deadline only zeroes it, and an early
 * expiry re-arms for what is left.
 *
 * Reference rule: the armed timer holds one socket reference, taken when
 * t_armed_for goes from 0 to a time and dropped by the run that finds
 * nothing left to arm. A run that finds the net_timer pending again (armed
 * anew by someone between its expiry and taking the lock) leaves it all to
 * that next run.
 *
 * RTO, RFC 6298: initial 1 s, srtt/rttvar from samples (tcp_input.c, with
 * Karn's rule), at least 200 ms (Linux's minimum), doubled per expiry
 * (5.5) up to 120 s, kept backed off until a new sample.
 */
#include <exo/poll.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include "tcp_internal.h"

static void tcp_timer_fn(struct net_timer *t);

void tcp_timer_init(struct tcp_sock *tp)
{
	net_timer_init(&tp->timer, tcp_timer_fn, tp);
}

void tcp_timer_set(struct tcp_sock *tp, int which, u64 deadline)
{
	if (!deadline)
		deadline = 1;
	tp->t_deadline[which] = deadline;
	if (!tp->t_armed_for) {
		sock_hold(tcp_to_sk(tp));
		tp->t_armed_for = deadline;
		net_timer_mod(&tp->timer, deadline);
	} else if (deadline < tp->t_armed_for) {
		tp->t_armed_for = deadline;
		net_timer_mod(&tp->timer, deadline);
	}
}

/* The current RTO with backoff, capped. */
static u64 tcp_rto_backed_off(struct tcp_sock *tp)
{
	u64 rto = tp->rto;

	for (int i = 0; i < tp->backoff && rto < TCP_RTO_MAX; i++)
		rto *= 2;
	return rto > TCP_RTO_MAX ? TCP_RTO_MAX : rto;
}

void tcp_rearm_rto(struct tcp_sock *tp)
{
	if (!tp->packets_out && !tp->send_head) {
		tcp_timer_clear(tp, TCP_T_RETRANS);
		return;
	}
	tcp_timer_set(tp, TCP_T_RETRANS, ktime_get_ns() + tcp_rto_backed_off(tp));
}

void tcp_reset_keepalive(struct tcp_sock *tp)
{
	tcp_timer_set(tp, TCP_T_KEEPALIVE, tp->rcv_tstamp + tp->keepidle);
}

/* Gives up on the connection with @err (ETIMEDOUT): the error, a RST when synchronized, done. */
static void tcp_write_err(struct tcp_sock *tp, int err)
{
	struct sock *sk = tcp_to_sk(tp);

	sk->err = err;
	if (sk->state != TCP_SYN_SENT && sk->state != TCP_SYN_RECV)
		tcp_send_rst(tp);
	tcp_done(tp);
}

static void tcp_retransmit_timer(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);
	struct sk_buff *skb;
	u32 lost = 0;

	if (sk->state == TCP_CLOSE || sk->state == TCP_LISTEN || sk->state == TCP_TIME_WAIT)
		return;
	if (sk->state == TCP_SYN_SENT || sk->state == TCP_SYN_RECV) {
		int max = sk->state == TCP_SYN_SENT ? TCP_SYN_RETRIES : TCP_SYNACK_RETRIES;

		if (tp->syn_retries >= max) {
			tcp_write_err(tp, ETIMEDOUT);
			return;
		}
		tp->syn_retries++;
		tp->backoff++;
		skb = skb_peek(&tp->write_queue);
		if (skb) {
			TCP_SKB_CB(skb)->sacked |= TCPCB_EVER_RETRANS;
			tcp_retransmit_skb(tp, skb);
		}
		tcp_rearm_rto(tp);
		return;
	}
	if (!tp->packets_out) {
		if (!tp->send_head)
			return;
		/* Zero-window probe (RFC 9293 3.8.6.1), backing off like retransmissions. */
		if (tp->probes_out >= TCP_RETRIES2 && (sk->flags & SOCK_DEAD)) {
			tcp_write_err(tp, ETIMEDOUT);
			return;
		}
		tcp_send_probe(tp);
		tp->probes_out++;
		if (tp->backoff < 16)
			tp->backoff++;
		tcp_timer_set(tp, TCP_T_RETRANS, ktime_get_ns() + tcp_rto_backed_off(tp));
		return;
	}
	if (tp->retransmits >= TCP_RETRIES2) {
		tcp_write_err(tp, ETIMEDOUT);
		return;
	}
	/* RFC 6298 5.4-5.6 and RFC 5681 3.1: everything in flight not SACKed is lost. */
	tcp_enter_loss(tp);
	tp->retrans_out = 0;
	skb_queue_walk(&tp->write_queue, skb) {
		struct tcp_skb_cb *cb = TCP_SKB_CB(skb);

		if (skb == tp->send_head)
			break;
		cb->sacked &= (u8)~TCPCB_RETRANS;
		if (!(cb->sacked & TCPCB_SACKED_ACKED)) {
			cb->sacked |= TCPCB_LOST;
			lost++;
		}
	}
	tp->lost_out = lost;
	tp->reno_sacked = 0;
	tp->dupacks = 0;
	skb = skb_peek(&tp->write_queue);
	while (skb && (TCP_SKB_CB(skb)->sacked & TCPCB_SACKED_ACKED) && skb != tp->send_head)
		skb = skb_peek_next(skb, &tp->write_queue);
	if (skb && skb != tp->send_head)
		tcp_retransmit_skb(tp, skb);
	tp->retransmits++;
	if (tp->backoff < 16)
		tp->backoff++;
	tcp_timer_set(tp, TCP_T_RETRANS, ktime_get_ns() + tcp_rto_backed_off(tp));
}

static void tcp_keepalive_timer(struct tcp_sock *tp, u64 now)
{
	struct sock *sk = tcp_to_sk(tp);

	switch (sk->state) {
	case TCP_TIME_WAIT:
		tcp_done(tp);
		return;
	case TCP_FIN_WAIT2:
		if (sk->flags & SOCK_DEAD) {
			/* Orphaned and the peer never closes: give up as tcp_fin_timeout does. */
			tcp_done(tp);
			return;
		}
		break;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT1:
		break;
	default:
		return;
	}
	if (!(sk->flags & SOCK_KEEPALIVE) || sk->state == TCP_FIN_WAIT2) {
		if (sk->state != TCP_FIN_WAIT2)
			tcp_timer_set(tp, TCP_T_KEEPALIVE, now + tp->keepidle);
		return;
	}
	/* Data in flight has its own timer; keepalive is for idle connections. */
	if (tp->packets_out || tp->send_head) {
		tcp_timer_set(tp, TCP_T_KEEPALIVE, now + tp->keepidle);
		return;
	}
	if (now - tp->rcv_tstamp < tp->keepidle && !tp->probes_out) {
		tcp_timer_set(tp, TCP_T_KEEPALIVE, tp->rcv_tstamp + tp->keepidle);
		return;
	}
	if (tp->probes_out >= tp->keepcnt) {
		tcp_write_err(tp, ETIMEDOUT);
		return;
	}
	tcp_send_probe(tp);
	tp->probes_out++;
	tcp_timer_set(tp, TCP_T_KEEPALIVE, now + tp->keepintvl);
}

static void tcp_timer_fn(struct net_timer *t)
{
	struct tcp_sock *tp = t->data;
	struct sock *sk = tcp_to_sk(tp);
	u64 now, next = 0;
	bool keep;

	tcp_lock(tp);
	if (net_timer_pending(&tp->timer)) {
		/* Re-armed between its expiry and now: that run owns the reference. */
		tcp_unlock(tp);
		return;
	}
	tp->t_armed_for = 0;
	now = ktime_get_ns();
	if (tp->t_deadline[TCP_T_DELACK] && tp->t_deadline[TCP_T_DELACK] <= now) {
		tp->t_deadline[TCP_T_DELACK] = 0;
		if (tp->ack_pending && sk->state != TCP_CLOSE)
			tcp_send_ack(tp);
	}
	if (tp->t_deadline[TCP_T_RETRANS] && tp->t_deadline[TCP_T_RETRANS] <= now) {
		tp->t_deadline[TCP_T_RETRANS] = 0;
		tcp_retransmit_timer(tp);
	}
	if (tp->t_deadline[TCP_T_KEEPALIVE] && tp->t_deadline[TCP_T_KEEPALIVE] <= now) {
		tp->t_deadline[TCP_T_KEEPALIVE] = 0;
		tcp_keepalive_timer(tp, now);
	}
	if (sk->state == TCP_CLOSE)
		for (int i = 0; i < TCP_T_MAX; i++)
			tp->t_deadline[i] = 0;
	for (int i = 0; i < TCP_T_MAX; i++)
		if (tp->t_deadline[i] && (!next || tp->t_deadline[i] < next))
			next = tp->t_deadline[i];
	/* Handlers may have armed it already (tcp_timer_set took a reference of its own). */
	keep = false;
	if (next && !tp->t_armed_for) {
		tp->t_armed_for = next;
		net_timer_mod(&tp->timer, next);
		keep = true;	/* our reference goes to the next run */
	} else if (next && next < tp->t_armed_for) {
		tp->t_armed_for = next;
		net_timer_mod(&tp->timer, next);
	}
	tcp_unlock(tp);
	if (!keep)
		sock_put(sk);
}

void tcp_time_wait(struct tcp_sock *tp)
{
	bool over;

	tcp_set_state(tp, TCP_TIME_WAIT);
	tcp_timer_clear(tp, TCP_T_RETRANS);
	tcp_timer_clear(tp, TCP_T_DELACK);
	spin_lock(&tcp_hash_lock);
	over = !tp->tw_counted && tcp_tw_count >= TCP_MAX_TW;
	if (!over && !tp->tw_counted) {
		tp->tw_counted = true;
		tcp_tw_count++;
	}
	spin_unlock(&tcp_hash_lock);
	if (over) {
		/* Linux's "time wait bucket table overflow": close at once. */
		tcp_done(tp);
		return;
	}
	tcp_timer_set(tp, TCP_T_KEEPALIVE, ktime_get_ns() + TCP_TIMEWAIT_LEN);
}
