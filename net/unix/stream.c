// SPDX-License-Identifier: MIT
/*
 * SOCK_STREAM data: a write becomes one or more unix_skbs of at most
 * UNIX_STREAM_CHUNK bytes queued on the peer; a read copies from the head
 * skbs, across skb boundaries, without waiting once it has something
 * (MSG_WAITALL: until it has everything). Files passed with SCM_RIGHTS
 * ride on the first skb of their write; a read that reaches them, after
 * other bytes too, takes them and stops at the end of that skb, as on
 * Linux. Credentials (SO_PASSCRED) are those of the first skb read.
 *
 * Flow control, Linux's: each skb is charged to its writer until the
 * reader frees it, and a writer waits (or gets EAGAIN) while its charge
 * is at SO_SNDBUF; freeing an skb from there wakes its writer's own wait
 * queue (scm.c, unix_wmem_uncharge()).
 *
 * read(2) and write(2) come through ->read/->write with the user buffer
 * (it passed access_ok()); everything else (send, recv, readv, ...)
 * through sendmsg/recvmsg and an iov_iter. The bodies are written once,
 * over a struct rw_xfer (<exo/rw_xfer.h>) and inlined into both.
 *
 * Locking (af_unix.c has the order): the reader holds its iolock across
 * the copy and walks the queue without sk.lock: only a reader takes skbs
 * off, and a writer links a new one with a release store (scm.c,
 * unix_queue_publish()), so the skbs it sees stay put and are whole. It
 * takes sk.lock once per skb, to account what it read and unlink it.
 * Writers take only the peer's sk.lock, to queue.
 */
#include <exo/err.h>
#include <exo/net.h>
#include <exo/poll.h>
#include <exo/rw_xfer.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

/* Data bytes per skb: header and data fit a 16 KiB allocation. */
#define UNIX_STREAM_CHUNK	(16384 - sizeof(struct unix_skb))

/* Wakers: the peer freeing our skbs, the peer's release and shutdown (both wake u->sk.wq). */
static bool unix_stream_writable(struct unix_sock *u, struct unix_sock *other)
{
	return unix_wmem_room(u) || (READ_ONCE(other->sk.flags) & SOCK_DEAD) ||
	       (READ_ONCE(other->sk.shutdown) & RCV_SHUTDOWN) ||
	       (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN);
}

/* A send; @msg NULL for write(2) (no address, no control messages). */
static __always_inline ssize_t __unix_stream_send(struct unix_sock *u, struct rw_xfer *from,
						  struct kmsghdr *msg, int flags)
{
	struct unix_sock *other;
	struct unix_scm scm;
	struct unix_skb *skb;
	u64 deadline = 0;	/* 0: not needed yet (SO_SNDTIMEO counts from the first wait) */
	ssize_t sent = 0;
	int err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg && msg->namelen)
		return READ_ONCE(u->sk.state) == SK_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
	/* The peer of a connected stream socket is fixed until its own release. */
	other = __atomic_load_n(&u->peer, __ATOMIC_ACQUIRE);
	if (!other)
		return -ENOTCONN;
	unix_scm_init(&scm);
	if (msg && msg->controllen) {
		err = unix_scm_send(msg, &scm);
		if (err)
			return err;
	}
	for (;;) {
		size_t size;

		/* Before the first chunk too: a zero-byte send still reports a shut-down peer. */
		if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
			goto pipe_err;
		if (!rw_xfer_left(from))
			break;
		if (!unix_stream_writable(u, other)) {
			err = -EAGAIN;
			if (flags & MSG_DONTWAIT)
				break;
			if (!deadline)
				deadline = sock_deadline(&u->sk, true);
			err = sock_wait_event(u->sk.wq, unix_stream_writable(u, other), deadline);
			if (err)
				break;
			continue;
		}
		size = min(rw_xfer_left(from), UNIX_STREAM_CHUNK);
		skb = unix_skb_alloc(u, size);
		if (IS_ERR(skb)) {
			err = PTR_ERR(skb);
			break;
		}
		if (rw_xfer_from_user(from, skb->data, size) != size) {
			unix_skb_free(NULL, skb);
			err = -EFAULT;
			break;
		}
		unix_scm_attach(skb, &scm, u, other);
		err = unix_queue_skb(other, skb);
		if (err)
			unix_skb_free(NULL, skb);
		if (err == -EPIPE)
			goto pipe_err;
		if (err)
			break;
		sent += (ssize_t)size;
	}
	unix_scm_destroy(&scm);
	return sent ? sent : err;

pipe_err:
	unix_scm_destroy(&scm);
	if (sent)
		return sent;
	return sock_epipe(flags);
}

/*
 * The skb after @pos in @u's queue (@pos the queue itself: the first), or
 * NULL; without sk.lock (see the top). @u's iolock held.
 */
static __always_inline struct unix_skb *unix_stream_next(struct unix_sock *u,
							 struct list_head *pos)
{
	struct list_head *next = __atomic_load_n(&pos->next, __ATOMIC_ACQUIRE);

	return next == &u->queue ? NULL : list_entry(next, struct unix_skb, node);
}

/*
 * A receive; @msg NULL for read(2) (no control buffer). Linux's rules:
 * EINVAL unless connected; data first, then the pending error
 * (ECONNRESET once), then end of file after a shutdown.
 */
static __always_inline ssize_t __unix_stream_recv(struct unix_sock *u, struct rw_xfer *to,
						  struct kmsghdr *msg, int flags)
{
	struct sock *sk = &u->sk;
	struct list_head *pos = &u->queue;	/* read after this: the queue, or the last skb peeked */
	size_t target, copied = 0, peek_skip = 0;
	u64 deadline = 0;	/* 0: not needed yet (SO_RCVTIMEO counts from the first wait) */
	struct unix_skb *skb;
	ssize_t err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (READ_ONCE(sk->state) != SK_ESTABLISHED)
		return -EINVAL;
	if (!rw_xfer_left(to))
		return 0;
	target = (flags & MSG_WAITALL) ? rw_xfer_left(to) : 1;
	mutex_lock(&u->iolock);
	for (;;) {
		size_t avail, n;
		bool had_files;

		skb = unix_stream_next(u, pos);
		if (!skb) {
			/*
			 * A peek that has copied stops at the end of the queue, even
			 * with MSG_WAITALL, as on Linux: pos is inside a peeked skb,
			 * which another reader could free while we waited.
			 */
			if (copied >= target || ((flags & MSG_PEEK) && copied))
				break;
			err = sock_error(sk);
			if (err)
				break;
			if (READ_ONCE(sk->shutdown) & RCV_SHUTDOWN)
				break;
			if (!deadline)
				deadline = sock_deadline(sk, false);
			err = unix_wait_for_data(u, flags, deadline);
			if (err)
				break;
			continue;
		}
		avail = skb->len - skb->off - peek_skip;
		n = rw_xfer_to_user(to, skb->data + skb->off + peek_skip,
				    min(avail, rw_xfer_left(to)));
		if (!n) {
			err = -EFAULT;
			break;
		}
		/* Before unix_scm_recv(), which takes the files off unless peeking. */
		had_files = skb->nfp != 0;
		if (had_files || (!copied && (READ_ONCE(sk->flags) & SOCK_PASSCRED))) {
			err = unix_scm_recv(u, msg, skb, flags, !copied);
			if (err)
				break;
		}
		copied += n;
		if (flags & MSG_PEEK) {
			peek_skip += n;
			if (peek_skip == skb->len - skb->off) {
				pos = &skb->node;
				peek_skip = 0;
			}
		} else {
			bool done = skb->off + n == skb->len;

			spin_lock(&sk->lock);
			skb->off += n;
			u->queued_bytes -= n;
			if (done) {
				list_del(&skb->node);
				u->qlen--;
			}
			spin_unlock(&sk->lock);
			if (done)
				unix_skb_free(u, skb);
		}
		if (had_files || n < avail || !rw_xfer_left(to))
			break;
	}
	mutex_unlock(&u->iolock);
	return copied ? (ssize_t)copied : err;
}

ssize_t unix_stream_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct rw_xfer x = { .it = &msg->iter };

	return __unix_stream_send(unix_sk(sock->sk), &x, msg, flags);
}

ssize_t unix_stream_write(struct socket *sock, const char __user *buf, size_t len, int flags)
{
	struct rw_xfer x = { .ubuf = (char __user *)buf, .count = len };

	return __unix_stream_send(unix_sk(sock->sk), &x, NULL, flags);
}

ssize_t unix_stream_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct rw_xfer x = { .it = &msg->iter };

	return __unix_stream_recv(unix_sk(sock->sk), &x, msg, flags);
}

ssize_t unix_stream_read(struct socket *sock, char __user *buf, size_t len, int flags)
{
	struct rw_xfer x = { .ubuf = buf, .count = len };

	return __unix_stream_recv(unix_sk(sock->sk), &x, NULL, flags);
}
