// SPDX-License-Identifier: MIT
/*
 * SOCK_DGRAM and SOCK_SEQPACKET data: one send is one unix_skb, one
 * receive takes one whole skb (MSG_TRUNC: the rest of a longer message is
 * dropped). A datagram socket sends to its connected peer or to the
 * address given, which must be a bound datagram socket that is not
 * connected to someone else (EPERM); connect() only sets the default
 * destination, and AF_UNSPEC clears it. SOCK_SEQPACKET connects like a
 * stream (af_unix.c) and sends and receives like a datagram.
 *
 * A receiver that is gone or shut for reading is EPIPE, without SIGPIPE
 * (Linux sends that for streams only).
 *
 * Flow control, Linux's: a sender waits (EAGAIN) while its datagrams not
 * yet received reach its SO_SNDBUF (each skb is charged to its sender
 * until freed), or, when the receiver is not connected back to it, while
 * the receiver holds more than UNIX_MAX_DGRAM_QLEN datagrams (Linux's
 * net.unix.max_dgram_qlen).
 *
 * Locking as in af_unix.c: the receiver's iolock across the copy, the
 * skb taken off the queue under sk.lock before it.
 */
#include <exo/err.h>
#include <exo/net.h>
#include <exo/poll.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

#define UNIX_MAX_DGRAM_QLEN	10

int unix_dgram_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = NULL, *old;
	int err;

	(void)flags;
	if (len >= (int)sizeof(sa_family_t) && uaddr->sa_family == AF_UNSPEC) {
		/* Disconnect. */
	} else {
		other = unix_find_other(uaddr, len, u->sk.type);
		if (IS_ERR(other))
			return (int)PTR_ERR(other);
	}
	err = 0;
	spin_lock(&u->sk.lock);
	old = u->peer;
	u->peer = other;
	u->sk.state = other ? SK_ESTABLISHED : SK_CLOSE;
	spin_unlock(&u->sk.lock);
	if (old)
		sock_put(&old->sk);
	return err;
}

/* The socket a datagram goes to, referenced; ERR_PTR(-ENOTCONN) and the lookup's errors. */
static struct unix_sock *unix_dgram_target(struct unix_sock *u, struct kmsghdr *msg)
{
	struct unix_sock *other;

	if (msg->namelen)
		return unix_find_other(msg->name, msg->namelen, u->sk.type);
	spin_lock(&u->sk.lock);
	other = u->peer;
	if (other)
		sock_hold(&other->sk);
	spin_unlock(&u->sk.lock);
	return other ? other : ERR_PTR(-ENOTCONN);
}

static bool unix_dgram_qlen_full(struct unix_sock *u, struct unix_sock *other)
{
	return READ_ONCE(other->peer) != u && READ_ONCE(other->qlen) > UNIX_MAX_DGRAM_QLEN;
}

/* Wakers: the receiver taking a datagram off (its own queue), its release. */
static bool unix_dgram_qlen_room(struct unix_sock *u, struct unix_sock *other)
{
	return !unix_dgram_qlen_full(u, other) || (READ_ONCE(other->sk.flags) & SOCK_DEAD) ||
	       (READ_ONCE(other->sk.shutdown) & RCV_SHUTDOWN);
}

/* Our peer died: forget it, as Linux does, so the next send is ENOTCONN. */
static void unix_dgram_drop_peer(struct unix_sock *u, struct unix_sock *other)
{
	bool was_peer;

	spin_lock(&u->sk.lock);
	was_peer = u->peer == other;
	if (was_peer) {
		u->peer = NULL;
		if (u->sk.type == SOCK_DGRAM)
			u->sk.state = SK_CLOSE;
	}
	spin_unlock(&u->sk.lock);
	if (was_peer)
		sock_put(&other->sk);
}

static ssize_t unix_dgram_send(struct unix_sock *u, struct kmsghdr *msg, int flags)
{
	size_t len = msg->iter.count;
	u64 deadline = sock_deadline(&u->sk, true);
	struct unix_sock *other;
	struct unix_scm scm;
	struct unix_skb *skb;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* EPIPE without SIGPIPE: Linux signals only for streams. */
	if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
		return -EPIPE;
	if (msg->namelen) {
		err = unix_validate_addr(msg->name, msg->namelen);
		if (err)
			return err;
	}
	if (len > (size_t)READ_ONCE(u->sk.sndbuf) - 32)
		return -EMSGSIZE;
	other = unix_dgram_target(u, msg);
	if (IS_ERR(other))
		return PTR_ERR(other);
	unix_scm_init(&scm);
	err = unix_scm_send(msg, &scm);
	if (err)
		goto out_put;
	/* Our own charge first: freeing our datagrams wakes our queue. */
	while (!unix_wmem_room(u)) {
		err = -EAGAIN;
		if (flags & MSG_DONTWAIT)
			goto out_scm;
		err = sock_wait_event(u->sk.wq, unix_wmem_room(u), deadline);
		if (err)
			goto out_scm;
	}
	skb = unix_skb_alloc(u, len);
	if (IS_ERR(skb)) {
		err = PTR_ERR(skb);
		goto out_scm;
	}
	err = -EFAULT;
	if (copy_from_iter(skb->data, len, &msg->iter) != len)
		goto out_free;
	skb->addr = unix_address_get(__atomic_load_n(&u->addr, __ATOMIC_ACQUIRE));
	unix_scm_attach(skb, &scm, u, other);
	for (;;) {
		err = -EPERM;
		if (READ_ONCE(other->peer) && READ_ONCE(other->peer) != u)
			goto out_free;
		if (READ_ONCE(other->sk.flags) & SOCK_DEAD) {
			err = -EPIPE;
			if (u->sk.type == SOCK_SEQPACKET)
				goto out_free;
			unix_dgram_drop_peer(u, other);
			err = -ECONNREFUSED;
			goto out_free;
		}
		if (!unix_dgram_qlen_full(u, other))
			break;
		err = -EAGAIN;
		if (flags & MSG_DONTWAIT)
			goto out_free;
		err = sock_wait_event(other->sk.wq, unix_dgram_qlen_room(u, other), deadline);
		if (err)
			goto out_free;
	}
	err = unix_queue_skb(other, skb);
	if (err)
		goto out_free;
	unix_scm_destroy(&scm);
	sock_put(&other->sk);
	return (ssize_t)len;

out_free:
	unix_skb_free(NULL, skb);
out_scm:
	unix_scm_destroy(&scm);
out_put:
	sock_put(&other->sk);
	return err;
}

ssize_t unix_dgram_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	return unix_dgram_send(unix_sk(sock->sk), msg, flags);
}

ssize_t unix_seqpacket_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);

	if (READ_ONCE(u->sk.state) != SK_ESTABLISHED)
		return -ENOTCONN;
	/* A connected sequenced-packet socket ignores the address, as Linux. */
	msg->namelen = 0;
	return unix_dgram_send(u, msg, flags);
}

ssize_t unix_dgram_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sock *sk = &u->sk;
	struct unix_skb *skb = NULL;
	u64 deadline = sock_deadline(sk, false);
	size_t n;
	ssize_t err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&u->iolock);
	for (;;) {
		spin_lock(&sk->lock);
		if (!list_empty(&u->queue)) {
			skb = list_first_entry(&u->queue, struct unix_skb, node);
			if (!(flags & MSG_PEEK)) {
				list_del(&skb->node);
				u->qlen--;
				u->queued_bytes -= skb->len;
			}
		}
		spin_unlock(&sk->lock);
		if (skb)
			break;
		err = sock_error(sk);
		if (err)
			goto out_unlock;
		if (READ_ONCE(sk->shutdown) & RCV_SHUTDOWN)
			goto out_unlock;	/* 0: end of file */
		err = unix_wait_for_data(u, flags, deadline);
		if (err)
			goto out_unlock;
	}
	if (!(flags & MSG_PEEK))
		__wake_up(&sk->wq, poll_to_key(POLLOUT | POLLWRNORM));
	n = min(skb->len, msg->iter.count);
	err = -EFAULT;
	if (copy_to_iter(skb->data, n, &msg->iter) != n)
		goto out_free;
	if (n < skb->len)
		msg->flags |= MSG_TRUNC;
	if (msg->name)
		msg->namelen = skb->addr ? unix_copy_addr(skb->addr, msg->name) : 0;
	err = unix_scm_recv(u, msg, skb, flags, true);
	if (!err)
		err = (flags & MSG_TRUNC) ? (ssize_t)skb->len : (ssize_t)n;
out_free:
	if (!(flags & MSG_PEEK))
		unix_skb_free(u, skb);
out_unlock:
	mutex_unlock(&u->iolock);
	return err;
}

ssize_t unix_seqpacket_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	if (READ_ONCE(sock->sk->state) != SK_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(sock, msg, flags);
}
