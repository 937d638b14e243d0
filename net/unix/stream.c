// SPDX-License-Identifier: MIT
/*
 * SOCK_STREAM data: a write becomes one or more unix_skbs of at most
 * UNIX_STREAM_CHUNK bytes queued on the peer; a read copies from the head
 * skbs, across skb boundaries, without waiting once it has something
 * (MSG_WAITALL: until it has everything). Files passed with SCM_RIGHTS
 * ride on the first skb of their write; a read that meets them delivers
 * them with its first byte and stops at the end of that skb, so they
 * arrive with the bytes sent with them. Credentials (SO_PASSCRED) are
 * those of the first skb read.
 *
 * Flow control, Linux's: each skb is charged to its writer until the
 * reader frees it, and a writer waits (or gets EAGAIN) while its charge
 * is at SO_SNDBUF; freeing an skb wakes its writer's own wait queue.
 *
 * Locking (af_unix.c has the order): the reader holds its iolock across
 * the copy; the skb at the head can only be taken off by a reader, so it
 * stays put while the lock-free copy runs. Writers take only the peer's
 * sk.lock, to queue.
 */
#include <exo/err.h>
#include <exo/net.h>
#include <exo/poll.h>
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

ssize_t unix_stream_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other;
	struct unix_scm scm;
	struct unix_skb *skb;
	u64 deadline = sock_deadline(&u->sk, true);
	ssize_t sent = 0;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen)
		return READ_ONCE(u->sk.state) == SK_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
	/* The peer of a connected stream socket is fixed until its own release. */
	other = __atomic_load_n(&u->peer, __ATOMIC_ACQUIRE);
	if (!other)
		return -ENOTCONN;
	unix_scm_init(&scm);
	err = unix_scm_send(msg, &scm);
	if (err)
		return err;
	/* Before the loop too: a zero-byte send still reports a shut-down peer. */
	if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
		goto pipe_err;
	while (msg->iter.count) {
		size_t size;

		if (READ_ONCE(u->sk.shutdown) & SEND_SHUTDOWN)
			goto pipe_err;
		if (!unix_stream_writable(u, other)) {
			err = -EAGAIN;
			if (flags & MSG_DONTWAIT)
				break;
			err = sock_wait_event(u->sk.wq, unix_stream_writable(u, other), deadline);
			if (err)
				break;
			continue;
		}
		size = min(msg->iter.count, UNIX_STREAM_CHUNK);
		skb = unix_skb_alloc(u, size);
		if (IS_ERR(skb)) {
			err = PTR_ERR(skb);
			break;
		}
		if (copy_from_iter(skb->data, size, &msg->iter) != size) {
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
 * Linux's rules: EINVAL unless connected; data first, then the pending
 * error (ECONNRESET once), then end of file after a shutdown.
 */
ssize_t unix_stream_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sock *sk = &u->sk;
	size_t target = (flags & MSG_WAITALL) ? msg->iter.count : 1;
	size_t copied = 0, peek_skip = 0;
	u64 deadline = sock_deadline(sk, false);
	struct unix_skb *skb, *last = NULL;
	ssize_t err = 0;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (READ_ONCE(sk->state) != SK_ESTABLISHED)
		return -EINVAL;
	if (!msg->iter.count)
		return 0;
	mutex_lock(&u->iolock);
	while (msg->iter.count) {
		size_t avail, n;
		bool had_files;

		spin_lock(&sk->lock);
		if (!last)
			skb = list_empty(&u->queue) ? NULL
						    : list_first_entry(&u->queue, struct unix_skb, node);
		else
			skb = last->node.next == &u->queue ? NULL
							    : list_entry(last->node.next,
									 struct unix_skb, node);
		spin_unlock(&sk->lock);
		if (!skb) {
			if (copied >= target)
				break;
			err = sock_error(sk);
			if (err)
				break;
			if (READ_ONCE(sk->shutdown) & RCV_SHUTDOWN)
				break;
			err = unix_wait_for_data(u, flags, deadline);
			if (err)
				break;
			continue;
		}
		/* Files arrive with the first byte of a read, so a read ends before them. */
		if (copied && skb->nfp)
			break;
		avail = skb->len - skb->off - peek_skip;
		n = copy_to_iter(skb->data + skb->off + peek_skip, avail, &msg->iter);
		if (!n && avail) {
			err = -EFAULT;
			break;
		}
		if (!copied) {
			err = unix_scm_recv(u, msg, skb, flags);
			if (err)
				break;
		}
		copied += n;
		had_files = skb->nfp != 0;
		if (flags & MSG_PEEK) {
			peek_skip += n;
			if (peek_skip == skb->len - skb->off) {
				last = skb;
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
		if (had_files || n < avail)
			break;
	}
	mutex_unlock(&u->iolock);
	return copied ? (ssize_t)copied : err;
}
