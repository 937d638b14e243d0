// SPDX-License-Identifier: MIT
/*
 * TCP sockets: the proto_ops of AF_INET SOCK_STREAM (create, bind,
 * connect, listen, accept, send and receive, poll, ioctl, shutdown,
 * options, close). Semantics are Linux's (tcp_sendmsg, tcp_recvmsg,
 * tcp_poll, inet_stream_connect, tcp_close); the protocol is in the other
 * tcp*.c files.
 *
 * User copies never happen under sk.lock: a send copies into a new buffer
 * first and queues it under the lock; a receive copies from the head of
 * rcv_queue with the lock dropped, which is safe because only a reader
 * holding tp->iolock takes data off rcv_queue (the network thread only
 * appends, and frees it only for an orphaned socket, which has no
 * readers). Sleeping happens with no spinlock held (sock_wait_event on
 * sk->wq, woken by every change of readiness).
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/init.h>
#include <exo/poll.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include "internal.h"
#include "tcp_internal.h"

#define TCP_STATEF(s)	(1U << (s))
#define TCPF_CONNECTING	(TCP_STATEF(TCP_SYN_SENT) | TCP_STATEF(TCP_SYN_RECV))

static u32 tcp_state_bit(struct sock *sk)
{
	return TCP_STATEF(READ_ONCE(sk->state));
}

/* ---- create, bind, connect, listen, accept -------------------------------- */

/*
 * The socket file's inode for /proc/net/tcp: the file exists only after
 * create()/accept() return, so each call records it (a word written once).
 */
static void tcp_note_ino(struct socket *sock)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);

	if (sock->file && !READ_ONCE(tp->ino))
		WRITE_ONCE(tp->ino, sock->file->f_inode->i_ino);
}

static int tcp_create(struct socket *sock, int protocol)
{
	struct tcp_sock *tp;

	if (protocol && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;
	tp = tcp_sock_alloc();
	if (!tp)
		return -ENOMEM;
	tp->uid = current_cred()->euid;
	sock->ops = &inet_stream_ops;
	sock->sk = tcp_to_sk(tp);
	return 0;
}

static int tcp_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct sock *sk = sock->sk;
	u16 port;
	int err;

	tcp_note_ino(sock);
	if (len < (int)sizeof(*sin))
		return -EINVAL;
	if (sin->sin_family != AF_INET) {
		/* Linux accepts AF_UNSPEC with INADDR_ANY for compatibility. */
		if (sin->sin_family != AF_UNSPEC || sin->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	port = ntohs(sin->sin_port);
	if (sin->sin_addr.s_addr && !inet_addr_is_local(sin->sin_addr.s_addr) &&
	    !tp->inet.freebind)
		return -EADDRNOTAVAIL;
	if (port && port < 1024 && !capable_root())
		return -EACCES;
	tcp_lock(tp);
	err = -EINVAL;
	if (sk->state != TCP_CLOSE || tp->bound)
		goto out;
	err = tcp_v4_get_port(tp, sin->sin_addr.s_addr, port);
	if (!err)
		tp->user_bound = true;
out:
	tcp_unlock(tp);
	return err;
}

static bool tcp_connect_done(struct sock *sk)
{
	return !(tcp_state_bit(sk) & TCPF_CONNECTING);
}

static int tcp_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	u64 deadline;
	int err;

	tcp_note_ino(sock);
	if (len < (int)sizeof(sin->sin_family))
		return -EINVAL;
	if (sin->sin_family == AF_UNSPEC) {
		/* Disconnect (Linux tcp_disconnect): abort whatever is there. */
		tcp_lock(tp);
		if (sk->state != TCP_CLOSE && sk->state != TCP_LISTEN) {
			if (sk->state != TCP_SYN_SENT)
				tcp_send_rst(tp);
			tcp_done(tp);
			tcp_purge_rcv_queue(tp);
			sk->shutdown = 0;
			tp->done = false;
		}
		tp->sock_state = SS_UNCONNECTED;
		tcp_unlock(tp);
		return 0;
	}
	if (len < (int)sizeof(*sin))
		return -EINVAL;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	tcp_lock(tp);
	/* Linux's __inet_stream_connect, by the socket's SS_* state. */
	switch (tp->sock_state) {
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	default:
		if (sk->state != TCP_CLOSE) {
			err = sk->state == TCP_LISTEN ? -EINVAL : -EISCONN;
			goto out;
		}
		err = tcp_v4_connect(tp, sin->sin_addr.s_addr, sin->sin_port);
		if (err)
			goto out;
		tp->sock_state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}
	if (tcp_state_bit(sk) & TCPF_CONNECTING) {
		int werr;

		if (flags)
			goto out;
		tcp_unlock(tp);
		deadline = sock_deadline(sk, true);
		werr = sock_wait_event(sk->wq, tcp_connect_done(sk), deadline);
		if (werr)
			return werr == -EAGAIN ? err : werr;	/* SO_SNDTIMEO: still in progress */
		tcp_lock(tp);
	}
	if (sk->state == TCP_CLOSE) {
		err = sk->err ? -sk->err : -ECONNABORTED;
		sk->err = 0;
		tp->sock_state = SS_UNCONNECTED;
		goto out;
	}
	tp->sock_state = SS_CONNECTED;
	err = 0;
out:
	tcp_unlock(tp);
	return err;
}

static int tcp_listen(struct socket *sock, int backlog)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	tcp_note_ino(sock);
	tcp_lock(tp);
	if (sk->state == TCP_CLOSE || sk->state == TCP_LISTEN)
		err = tcp_listen_start(tp, backlog);
	tcp_unlock(tp);
	return err;
}

static bool tcp_accept_ready(struct tcp_sock *tp)
{
	return !list_empty(&tp->accept_queue) || READ_ONCE(tp->inet.sk.state) != TCP_LISTEN;
}

static int tcp_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct tcp_sock *tp = tcp_sk(sock->sk), *child, *parent;
	struct sock *sk = sock->sk;
	u64 deadline = sock_deadline(sk, false);
	int err;

	tcp_lock(tp);
	for (;;) {
		if (sk->state != TCP_LISTEN) {
			err = -EINVAL;
			goto out;
		}
		if (!list_empty(&tp->accept_queue))
			break;
		if (flags) {
			err = -EAGAIN;
			goto out;
		}
		tcp_unlock(tp);
		err = sock_wait_event(sk->wq, tcp_accept_ready(tp), deadline);
		if (err)
			return err;
		tcp_lock(tp);
	}
	child = list_first_entry(&tp->accept_queue, struct tcp_sock, child_node);
	list_del_init(&child->child_node);
	tp->accept_qlen--;
	tcp_unlock(tp);
	tcp_lock(child);
	parent = child->parent;
	child->parent = NULL;
	tcp_unlock(child);
	if (parent)
		sock_put(tcp_to_sk(parent));
	tcp_lock(child);
	child->sock_state = SS_CONNECTED;
	tcp_unlock(child);
	/* The accept queue's reference becomes the new socket's. */
	newsock->sk = tcp_to_sk(child);
	newsock->ops = &inet_stream_ops;
	return 0;
out:
	tcp_unlock(tp);
	return err;
}

static int tcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct sock *sk = sock->sk;
	int err = 0;

	tcp_lock(tp);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (peer) {
		if (!tp->inet.dport ||
		    ((TCP_STATEF(sk->state) & (TCP_STATEF(TCP_CLOSE) | TCP_STATEF(TCP_SYN_SENT))) &&
		     peer == 1))
			err = -ENOTCONN;
		sin->sin_port = tp->inet.dport;
		sin->sin_addr.s_addr = tp->inet.daddr;
	} else {
		sin->sin_port = tp->inet.sport;
		sin->sin_addr.s_addr = tp->inet.saddr ? tp->inet.saddr : tp->inet.rcv_saddr;
	}
	tcp_unlock(tp);
	return err ? err : (int)sizeof(*sin);
}

/* ---- data ----------------------------------------------------------------- */

static bool tcp_send_ready(struct tcp_sock *tp)
{
	struct sock *sk = tcp_to_sk(tp);

	return tcp_wspace(tp) > 0 || READ_ONCE(sk->err) ||
	       (READ_ONCE(sk->shutdown) & SEND_SHUTDOWN) ||
	       !(tcp_state_bit(sk) & (TCP_STATEF(TCP_ESTABLISHED) | TCP_STATEF(TCP_CLOSE_WAIT)));
}

/*
 * Linux's sk_stream_error: the pending error, else EPIPE; EPIPE (pending
 * or not) comes with SIGPIPE unless MSG_NOSIGNAL.
 */
static ssize_t tcp_stream_error(struct sock *sk, int flags)
{
	int err = sock_error(sk);

	return err && err != -EPIPE ? err : sock_epipe(flags);
}

static ssize_t tcp_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct sock *sk = sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	u64 deadline = sock_deadline(sk, true);
	ssize_t copied = 0;
	int err = 0;

	tcp_note_ino(sock);
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&tp->wlock);
	tcp_lock(tp);
	while (tcp_state_bit(sk) & TCPF_CONNECTING) {
		if (flags & MSG_DONTWAIT) {
			err = -EAGAIN;
			goto out;
		}
		tcp_unlock(tp);
		err = sock_wait_event(sk->wq, tcp_connect_done(sk), deadline);
		tcp_lock(tp);
		if (err)
			goto out;
	}
	if (!(tcp_state_bit(sk) & (TCP_STATEF(TCP_ESTABLISHED) | TCP_STATEF(TCP_CLOSE_WAIT))))
		goto do_error;
	while (msg->iter.count) {
		unsigned int mss = tcp_current_mss(tp);
		size_t size;
		struct sk_buff *skb;

		if (sk->err || (sk->shutdown & SEND_SHUTDOWN) ||
		    !(tcp_state_bit(sk) & (TCP_STATEF(TCP_ESTABLISHED) | TCP_STATEF(TCP_CLOSE_WAIT))))
			goto do_error;
		if (!tcp_wspace(tp)) {
			tcp_push(tp);
			err = -EAGAIN;
			if (flags & MSG_DONTWAIT)
				goto out;
			tcp_unlock(tp);
			err = sock_wait_event(sk->wq, tcp_send_ready(tp), deadline);
			tcp_lock(tp);
			if (err)
				goto out;
			continue;
		}
		size = min(msg->iter.count, (size_t)mss);
		tcp_unlock(tp);
		skb = alloc_skb(MAX_TCP_HEADER + (unsigned int)size, GFP_KERNEL);
		if (!skb) {
			tcp_lock(tp);
			err = -ENOBUFS;
			goto out;
		}
		skb_reserve(skb, MAX_TCP_HEADER);
		if (copy_from_iter(skb_put(skb, (unsigned int)size), size, &msg->iter) != size) {
			kfree_skb(skb);
			tcp_lock(tp);
			err = -EFAULT;
			goto out;
		}
		memset(skb->cb, 0, sizeof(skb->cb));
		tcp_lock(tp);
		if (sk->err || (sk->shutdown & SEND_SHUTDOWN) ||
		    !(tcp_state_bit(sk) & (TCP_STATEF(TCP_ESTABLISHED) | TCP_STATEF(TCP_CLOSE_WAIT)))) {
			kfree_skb(skb);
			goto do_error;
		}
		TCP_SKB_CB(skb)->seq = tp->write_seq;
		TCP_SKB_CB(skb)->end_seq = tp->write_seq + (u32)size;
		TCP_SKB_CB(skb)->tcp_flags = TCPHDR_ACK | (msg->iter.count ? 0 : TCPHDR_PSH);
		tcp_queue_tail(tp, skb);
		copied += (ssize_t)size;
		if (msg->iter.count ? !tcp_gso_batching(tp) : !(flags & MSG_MORE))
			tcp_push(tp);
	}
	tcp_push(tp);
	goto out;
do_error:
	if (!copied) {
		tcp_unlock(tp);
		mutex_unlock(&tp->wlock);
		return tcp_stream_error(sk, flags);
	}
out:
	tcp_unlock(tp);
	mutex_unlock(&tp->wlock);
	return copied ? copied : err;
}

/* After a read: open the window with an ACK when it grew a lot (Linux's tcp_cleanup_rbuf). */
static void tcp_cleanup_rbuf(struct tcp_sock *tp)
{
	u32 now_wnd = 0, free = tcp_receive_space(tp) / 2;

	if (!(tcp_state_bit(tcp_to_sk(tp)) &
	      (TCP_STATEF(TCP_ESTABLISHED) | TCP_STATEF(TCP_FIN_WAIT1) | TCP_STATEF(TCP_FIN_WAIT2))))
		return;
	if (after(tp->rcv_wup + tp->rcv_wnd, tp->rcv_nxt))
		now_wnd = tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt;
	if ((free >= 2 * now_wnd && free >= tp->advmss) || tp->ack_pending > 1)
		tcp_send_ack(tp);
}

static bool tcp_recv_ready(struct tcp_sock *tp, u32 have)
{
	struct sock *sk = tcp_to_sk(tp);

	return READ_ONCE(tp->rcv_bytes) > have || READ_ONCE(sk->err) ||
	       (READ_ONCE(sk->shutdown) & RCV_SHUTDOWN) || READ_ONCE(sk->state) == TCP_CLOSE;
}

static ssize_t tcp_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct sock *sk = sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	size_t target = (flags & MSG_WAITALL) ? msg->iter.count : 1;
	u64 deadline = sock_deadline(sk, false);
	size_t copied = 0;
	u32 peek_off = 0;
	ssize_t err = 0;

	tcp_note_ino(sock);
	if (flags & MSG_OOB)
		return -EINVAL;	/* no urgent data is ever kept */
	mutex_lock(&tp->iolock);
	tcp_lock(tp);
	if (sk->state == TCP_LISTEN) {
		err = -ENOTCONN;
		goto out;
	}
	while (msg->iter.count) {
		struct sk_buff *skb;
		u32 off = (flags & MSG_PEEK) ? peek_off : 0;
		size_t n;

		/* The buffer holding byte @off of the queue. */
		skb_queue_walk(&tp->rcv_queue, skb) {
			if (off < skb->len)
				break;
			off -= skb->len;
		}
		if (skb != (struct sk_buff *)&tp->rcv_queue) {
			n = min((size_t)(skb->len - off), msg->iter.count);
			tcp_unlock(tp);
			n = copy_to_iter(skb->data + off, n, &msg->iter);
			tcp_lock(tp);
			if (!n) {
				err = -EFAULT;
				break;
			}
			copied += n;
			if (flags & MSG_PEEK) {
				peek_off += (u32)n;
				continue;
			}
			skb_pull(skb, (unsigned int)n);
			TCP_SKB_CB(skb)->seq += (u32)n;
			tp->copied_seq += (u32)n;
			tp->rcv_bytes -= (u32)n;
			if (!skb->len) {
				__skb_unlink(skb, &tp->rcv_queue);
				__atomic_fetch_sub(&sk->rmem_alloc, (int)skb->truesize, __ATOMIC_RELAXED);
				kfree_skb(skb);
			}
			continue;
		}
		if (copied >= target)
			break;
		if (copied) {
			if (sk->err || sk->state == TCP_CLOSE || (sk->shutdown & RCV_SHUTDOWN))
				break;
		} else {
			if (tp->done)
				break;
			if (sk->err) {
				err = -sk->err;
				sk->err = 0;
				break;
			}
			if (sk->shutdown & RCV_SHUTDOWN)
				break;
			if (sk->state == TCP_CLOSE) {
				err = -ENOTCONN;
				break;
			}
		}
		if (flags & MSG_DONTWAIT) {
			err = -EAGAIN;
			break;
		}
		tcp_cleanup_rbuf(tp);
		tcp_unlock(tp);
		{
			u32 have = (flags & MSG_PEEK) ? peek_off : 0;

			err = sock_wait_event(sk->wq, tcp_recv_ready(tp, have), deadline);
		}
		tcp_lock(tp);
		if (err)
			break;
	}
	if (copied && !(flags & MSG_PEEK))
		tcp_cleanup_rbuf(tp);
out:
	tcp_unlock(tp);
	mutex_unlock(&tp->iolock);
	return copied ? (ssize_t)copied : err;
}

/* ---- poll, ioctl, shutdown ------------------------------------------------ */

/* Linux's tcp_poll, event for event. */
static __poll_t tcp_poll(struct file *file, struct socket *sock, struct poll_table *pt)
{
	struct sock *sk = sock->sk;
	struct tcp_sock *tp = tcp_sk(sk);
	int state = READ_ONCE(sk->state);
	u8 shutdown = READ_ONCE(sk->shutdown);
	__poll_t mask = 0;

	tcp_note_ino(sock);
	poll_wait(file, &sk->wq, pt);
	if (state == TCP_LISTEN)
		return list_empty(&tp->accept_queue) ? 0 : POLLIN | POLLRDNORM;
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= POLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (READ_ONCE(tp->rcv_bytes))
			mask |= POLLIN | POLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (tcp_stream_writable(tp))
				mask |= POLLOUT | POLLWRNORM;
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}
	}
	if (READ_ONCE(sk->err))
		mask |= POLLERR;
	return mask;
}

#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD	0x894B
#endif

static int tcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct sock *sk = sock->sk;
	int val;

	tcp_lock(tp);
	if (sk->state == TCP_LISTEN && (cmd == FIONREAD || cmd == TIOCOUTQ || cmd == SIOCOUTQNSD)) {
		tcp_unlock(tp);
		return -EINVAL;
	}
	switch (cmd) {
	case FIONREAD:		/* SIOCINQ */
		val = (int)tp->rcv_bytes;
		break;
	case TIOCOUTQ:		/* SIOCOUTQ: not yet acknowledged */
		val = sk->state == TCP_SYN_SENT ? 0 : (int)(tp->write_seq - tp->snd_una);
		break;
	case SIOCOUTQNSD:	/* not yet sent */
		val = sk->state == TCP_SYN_SENT ? 0 : (int)(tp->write_seq - tp->snd_nxt);
		break;
	default:
		tcp_unlock(tp);
		return -ENOTTY;
	}
	tcp_unlock(tp);
	return put_user(val, (int __user *)arg) ? -EFAULT : 0;
}

static int tcp_shutdown(struct socket *sock, int how)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct sock *sk = sock->sk;
	int mask = how + 1;	/* SHUT_RD 0 -> RCV_SHUTDOWN 1, ... */
	int err = 0;

	tcp_lock(tp);
	switch (sk->state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		sk->shutdown |= (u8)mask;	/* Linux records it anyway */
		break;
	case TCP_LISTEN:
		if (!(mask & RCV_SHUTDOWN)) {
			err = -ENOTCONN;
			break;
		}
		/* fall through */
	case TCP_SYN_SENT: {
		LIST_HEAD(children);

		/* Linux's tcp_disconnect: the socket goes back to CLOSE. */
		tcp_take_children(tp, &children);
		if (sk->state == TCP_LISTEN)
			tcp_listen_stop(tp);
		else
			tcp_done(tp);
		sk->shutdown = 0;
		tp->sock_state = SS_UNCONNECTED;
		tcp_unlock(tp);
		tcp_listen_abort_children(&children);
		__wake_up(&sk->wq, poll_to_key(POLLIN | POLLOUT | POLLHUP));
		return 0;
	}
	default:
		sk->shutdown |= (u8)mask;
		if (mask & SEND_SHUTDOWN) {
			if (sk->state == TCP_ESTABLISHED || sk->state == TCP_SYN_RECV) {
				tcp_set_state(tp, TCP_FIN_WAIT1);
				tcp_send_fin(tp);
			} else if (sk->state == TCP_CLOSE_WAIT) {
				tcp_set_state(tp, TCP_LAST_ACK);
				tcp_send_fin(tp);
			}
		}
		break;
	}
	__wake_up(&sk->wq, poll_to_key(POLLIN | POLLOUT | POLLRDHUP));
	tcp_unlock(tp);
	return err;
}

static bool tcp_close_done(struct sock *sk)
{
	return !(tcp_state_bit(sk) & (TCP_STATEF(TCP_FIN_WAIT1) | TCP_STATEF(TCP_CLOSING) |
				      TCP_STATEF(TCP_LAST_ACK)));
}

/* The file is gone (Linux's tcp_close): FIN, RST or nothing, then the socket lives on orphaned. */
static int tcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct tcp_sock *tp;
	LIST_HEAD(children);
	u64 linger_until = 0;

	if (!sk)
		return 0;
	tp = tcp_sk(sk);
	sock->sk = NULL;
	tcp_lock(tp);
	sk->flags |= SOCK_DEAD;
	tp->ino = 0;
	if (sk->state == TCP_LISTEN) {
		tcp_take_children(tp, &children);
		tcp_listen_stop(tp);
	}
	if (sk->state == TCP_CLOSE) {
		sk->shutdown = SHUTDOWN_MASK;
		tcp_purge_rcv_queue(tp);
		tcp_unhash(tp);
		goto out;
	}
	sk->shutdown = SHUTDOWN_MASK;
	if (tp->rcv_bytes) {
		/* RFC 2525 2.17: closing with unread data resets the connection. */
		tcp_purge_rcv_queue(tp);
		tcp_send_rst(tp);
		tcp_done(tp);
	} else if ((sk->flags & SOCK_LINGER) && !sk->lingertime) {
		/* SO_LINGER with zero time: abort (RST) instead of the FIN handshake. */
		if (sk->state != TCP_SYN_SENT)
			tcp_send_rst(tp);
		tcp_done(tp);
	} else if (sk->state == TCP_SYN_SENT) {
		tcp_done(tp);
	} else if (sk->state == TCP_ESTABLISHED || sk->state == TCP_SYN_RECV) {
		tcp_set_state(tp, TCP_FIN_WAIT1);
		tcp_send_fin(tp);
	} else if (sk->state == TCP_CLOSE_WAIT) {
		tcp_set_state(tp, TCP_LAST_ACK);
		tcp_send_fin(tp);
	} else if (sk->state == TCP_FIN_WAIT2) {
		tcp_timer_set(tp, TCP_T_KEEPALIVE, ktime_get_ns() + TCP_FIN_TIMEOUT);
	}
	tcp_purge_rcv_queue(tp);
	if ((sk->flags & SOCK_LINGER) && sk->lingertime && !(sock->file->f_flags & O_NONBLOCK))
		linger_until = ktime_get_ns() + sk->lingertime * NSEC_PER_SEC;
out:
	tcp_unlock(tp);
	tcp_listen_abort_children(&children);
	if (linger_until)
		sock_wait_event(sk->wq, tcp_close_done(sk), linger_until);
	sock_put(sk);
	return 0;
}

/* ---- options -------------------------------------------------------------- */

static int tcp_setsockopt(struct socket *sock, int level, int optname,
			  const void __user *optval, unsigned int optlen)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);
	int val, err = 0;

	if (level != SOL_TCP)
		return inet_setsockopt(sock, level, optname, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (get_user(val, (const int __user *)optval))
		return -EFAULT;
	tcp_lock(tp);
	switch (optname) {
	case TCP_NODELAY:
		tp->nodelay = val != 0;
		if (val)
			tcp_push(tp);
		break;
	case TCP_CORK:
		tp->cork = val != 0;
		if (!val)
			tcp_push(tp);
		break;
	case TCP_MAXSEG:
		if (val && (val < (int)TCP_MIN_MSS || val > 65535))
			err = -EINVAL;
		else
			tp->user_mss = (u16)val;
		break;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		if (val < 1 || val > 32767) {
			err = -EINVAL;
			break;
		}
		if (optname == TCP_KEEPIDLE) {
			tp->keepidle = (u64)val * NSEC_PER_SEC;
			if (tp->inet.sk.state == TCP_ESTABLISHED)
				tcp_reset_keepalive(tp);
		} else {
			tp->keepintvl = (u64)val * NSEC_PER_SEC;
		}
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > 127)
			err = -EINVAL;
		else
			tp->keepcnt = (u8)val;
		break;
	case TCP_QUICKACK:
		if (val) {
			tp->quickack = TCP_QUICKACKS;
			tp->pingpong = false;
			if (tp->ack_pending)
				tcp_send_ack(tp);
		} else {
			tp->pingpong = true;
			tp->quickack = 0;
		}
		break;
	case TCP_SYNCNT:
	case TCP_LINGER2:
	case TCP_DEFER_ACCEPT:
	case TCP_WINDOW_CLAMP:
	case TCP_USER_TIMEOUT:
		/* Accepted for compatibility; the defaults stay in force. */
		if (val < 0)
			err = -EINVAL;
		break;
	default:
		err = -ENOPROTOOPT;
	}
	tcp_unlock(tp);
	return err;
}

static void tcp_get_info(struct tcp_sock *tp, struct tcp_info *info)
{
	struct sock *sk = tcp_to_sk(tp);

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->state;
	info->tcpi_ca_state = tp->ca_state;
	info->tcpi_retransmits = tp->retransmits;
	info->tcpi_probes = tp->probes_out;
	info->tcpi_backoff = tp->backoff;
	if (tp->tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (tp->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (tp->wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = tp->snd_wscale & 0xf;
		info->tcpi_rcv_wscale = tp->rcv_wscale & 0xf;
	}
	info->tcpi_rto = (u32)(tp->rto / NSEC_PER_USEC);
	info->tcpi_ato = (u32)(TCP_DELACK_MIN / NSEC_PER_USEC);
	info->tcpi_snd_mss = tp->mss_cache;
	info->tcpi_rcv_mss = tp->advmss;
	info->tcpi_unacked = tp->packets_out;
	info->tcpi_sacked = tp->sacked_out;
	info->tcpi_lost = tp->lost_out;
	info->tcpi_retrans = tp->retrans_out;
	info->tcpi_pmtu = tp->pmtu;
	info->tcpi_rcv_ssthresh = tp->rcv_wnd;
	info->tcpi_rtt = (u32)(tp->srtt / NSEC_PER_USEC);
	info->tcpi_rttvar = (u32)(tp->rttvar / NSEC_PER_USEC);
	info->tcpi_snd_ssthresh = tp->snd_ssthresh;
	info->tcpi_snd_cwnd = tp->snd_cwnd;
	info->tcpi_advmss = tp->advmss;
	info->tcpi_reordering = 3;
	info->tcpi_rcv_space = tp->rcv_wnd;
	info->tcpi_total_retrans = tp->total_retrans;
}

static int tcp_getsockopt(struct socket *sock, int level, int optname, void __user *optval,
			  int __user *optlen)
{
	struct tcp_sock *tp = tcp_sk(sock->sk);
	struct tcp_info info;
	const void *src = NULL;
	int len, val = 0, size = sizeof(int);

	if (level != SOL_TCP)
		return inet_getsockopt(sock, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	tcp_lock(tp);
	switch (optname) {
	case TCP_NODELAY:
		val = tp->nodelay;
		break;
	case TCP_CORK:
		val = tp->cork;
		break;
	case TCP_MAXSEG:
		val = tp->inet.sk.state == TCP_CLOSE || tp->inet.sk.state == TCP_LISTEN
			      ? (tp->user_mss ? tp->user_mss : (int)TCP_MSS_DEFAULT)
			      : tp->mss_cache;
		break;
	case TCP_KEEPIDLE:
		val = (int)(tp->keepidle / NSEC_PER_SEC);
		break;
	case TCP_KEEPINTVL:
		val = (int)(tp->keepintvl / NSEC_PER_SEC);
		break;
	case TCP_KEEPCNT:
		val = tp->keepcnt;
		break;
	case TCP_QUICKACK:
		val = !tp->pingpong;
		break;
	case TCP_SYNCNT:
		val = TCP_SYN_RETRIES;
		break;
	case TCP_INFO:
		tcp_get_info(tp, &info);
		src = &info;
		size = sizeof(info);
		break;
	default:
		tcp_unlock(tp);
		return -ENOPROTOOPT;
	}
	tcp_unlock(tp);
	if (!src)
		src = &val;
	if (len > size)
		len = size;
	if (copy_to_user(optval, src, (size_t)len))
		return -EFAULT;
	return put_user(len, optlen) ? -EFAULT : 0;
}

const struct proto_ops inet_stream_ops = {
	.family = AF_INET,
	.release = tcp_release,
	.bind = tcp_bind,
	.connect = tcp_connect,
	.accept = tcp_accept,
	.getname = tcp_getname,
	.poll = tcp_poll,
	.ioctl = tcp_ioctl,
	.listen = tcp_listen,
	.shutdown = tcp_shutdown,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
};

static struct inet_protosw tcp_protosw = {
	.type = SOCK_STREAM,
	.protocol = IPPROTO_TCP,
	.create = tcp_create,
};

static const struct net_protocol tcp_protocol = {
	.handler = tcp_v4_rcv,
	.err_handler = tcp_v4_err,
};

static int tcp_init(void)
{
	int err = inet_add_protocol(&tcp_protocol, IPPROTO_TCP);

	if (err)
		return err;
	inet_register_protosw(&tcp_protosw);
	return 0;
}
device_initcall(tcp_init);
