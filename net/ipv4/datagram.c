// SPDX-License-Identifier: MIT
/*
 * The socket side shared by UDP, raw and ping sockets (struct dgram_sock):
 * the receive queue and recvmsg, poll, shutdown, the send-buffer wait, the
 * ICMP error report and release.
 *
 * Receive: the network thread queues a datagram under sk.lock after
 * charging it to the socket's receive buffer (dropped, counted, when the
 * buffer is full) and wakes the socket's queue. A reader holds iolock (a
 * mutex: MSG_PEEK and a dequeue by another thread never interleave
 * between the look and the copy), takes the head under sk.lock, copies
 * without it, and frees the datagram unless peeking.
 *
 * Errors: an ICMP error about a datagram this socket sent becomes
 * sk->err for a connected socket (or any socket with IP_RECVERR), which
 * the next send, receive or SO_ERROR takes, as Linux does without the
 * error queue.
 *
 * Lock order: iolock -> sk.lock -> wait-queue lock.
 */
#include <exo/byteorder.h>
#include <exo/cred.h>
#include <exo/poll.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include <uapi/ioctls.h>
#include "internal.h"

static void dgram_destruct(struct sock *sk)
{
	kfree(dgram_sk(sk));
}

struct dgram_sock *dgram_sock_alloc(struct socket *sock, int protocol, const struct proto_ops *ops)
{
	struct dgram_sock *ds = kzalloc(sizeof(*ds), GFP_KERNEL);
	struct sock *sk;

	if (!ds)
		return NULL;
	sk = &ds->inet.sk;
	sock_init_data(sk, AF_INET, sock->type);
	sk->protocol = protocol;
	sk->destruct = dgram_destruct;
	skb_queue_head_init(&ds->rxq);
	INIT_LIST_HEAD(&ds->node);
	mutex_init(&ds->iolock);
	ds->sock = sock;
	ds->uid = current_cred()->euid;
	ds->inet.pmtudisc = IP_PMTUDISC_WANT;
	sock->sk = sk;
	sock->ops = ops;
	return ds;
}

int dgram_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	if (__atomic_load_n(&sk->rmem_alloc, __ATOMIC_RELAXED) + (int)skb->truesize >
	    READ_ONCE(sk->rcvbuf)) {
		__atomic_fetch_add(&dgram_sk(sk)->drops, 1, __ATOMIC_RELAXED);
		kfree_skb(skb);
		return -ENOBUFS;
	}
	skb_set_owner_r(skb, sk);
	spin_lock(&sk->lock);
	if (sk->flags & SOCK_DEAD) {
		spin_unlock(&sk->lock);
		kfree_skb(skb);
		return 0;
	}
	__skb_queue_tail(&dgram_sk(sk)->rxq, skb);
	spin_unlock(&sk->lock);
	__wake_up(&sk->wq, poll_to_key(POLLIN | POLLRDNORM));
	return 0;
}

static bool dgram_readable(struct dgram_sock *ds)
{
	return !skb_queue_empty(&ds->rxq) || READ_ONCE(ds->inet.sk.err) ||
	       (READ_ONCE(ds->inet.sk.shutdown) & RCV_SHUTDOWN);
}

/* IP_PKTINFO, IP_TTL, IP_TOS control messages for @skb. */
static int dgram_put_cmsgs(struct dgram_sock *ds, struct kmsghdr *msg, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	int err = 0;

	if (!msg->ucontrol)
		return 0;
	if (ds->inet.pktinfo) {
		struct in_pktinfo info = {
			.ipi_ifindex = DGRAM_CB(skb)->ifindex,
			.ipi_spec_dst.s_addr = DGRAM_CB(skb)->daddr,
			.ipi_addr.s_addr = iph->daddr,
		};

		err = put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);
	}
	if (!err && ds->inet.recvttl) {
		int ttl = iph->ttl;

		err = put_cmsg(msg, SOL_IP, IP_TTL, sizeof(ttl), &ttl);
	}
	if (!err && ds->inet.recvtos) {
		u8 tos = iph->tos;

		err = put_cmsg(msg, SOL_IP, IP_TOS, sizeof(tos), &tos);
	}
	return err;
}

ssize_t dgram_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sock *sk = &ds->inet.sk;
	u64 deadline = sock_deadline(sk, false);
	struct sk_buff *skb;
	size_t want = msg->iter.count, copied;
	ssize_t ret;
	int err;

	if (flags & (MSG_OOB | MSG_ERRQUEUE))
		return (flags & MSG_OOB) ? -EOPNOTSUPP : -EAGAIN;
	mutex_lock(&ds->iolock);
	for (;;) {
		err = sock_error(sk);
		if (err)
			goto out_unlock;
		spin_lock(&sk->lock);
		skb = skb_peek(&ds->rxq);
		spin_unlock(&sk->lock);
		if (skb)
			break;
		err = 0;
		if (READ_ONCE(sk->shutdown) & RCV_SHUTDOWN)
			goto out_unlock;
		err = -EAGAIN;
		if (flags & MSG_DONTWAIT)
			goto out_unlock;
		mutex_unlock(&ds->iolock);
		err = sock_wait_event(sk->wq, dgram_readable(ds), deadline);
		mutex_lock(&ds->iolock);
		if (err)
			goto out_unlock;
	}
	copied = want < skb->len ? want : skb->len;
	err = skb_copy_datagram_iter(skb, 0, &msg->iter, (int)copied);
	if (err)
		goto out_unlock;
	if (copied < skb->len)
		msg->flags |= MSG_TRUNC;
	if (msg->name)
		msg->namelen = inet_fill_addr(msg->name, DGRAM_CB(skb)->saddr,
					      DGRAM_CB(skb)->sport);
	err = dgram_put_cmsgs(ds, msg, skb);
	if (err)
		goto out_unlock;
	ret = (flags & MSG_TRUNC) ? (ssize_t)skb->len : (ssize_t)copied;
	if (!(flags & MSG_PEEK)) {
		spin_lock(&sk->lock);
		__skb_unlink(skb, &ds->rxq);
		spin_unlock(&sk->lock);
		consume_skb(skb);
	}
	mutex_unlock(&ds->iolock);
	return ret;
out_unlock:
	mutex_unlock(&ds->iolock);
	return err;
}

static bool dgram_wmem_room(struct sock *sk)
{
	return __atomic_load_n(&sk->wmem_alloc, __ATOMIC_RELAXED) < READ_ONCE(sk->sndbuf);
}

__poll_t dgram_poll(struct file *file, struct socket *sock, struct poll_table *pt)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sock *sk = &ds->inet.sk;
	unsigned char shutdown;
	__poll_t mask = 0;

	poll_wait(file, &sk->wq, pt);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	shutdown = READ_ONCE(sk->shutdown);
	if (READ_ONCE(sk->err))
		mask |= POLLERR;
	if (shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!skb_queue_empty(&ds->rxq))
		mask |= POLLIN | POLLRDNORM;
	if (dgram_wmem_room(sk))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

int dgram_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	spin_lock(&sk->lock);
	/* Linux: ENOTCONN on an unconnected socket, the bits are set all the same. */
	if (sk->state != SK_ESTABLISHED)
		err = -ENOTCONN;
	sk->shutdown |= (unsigned char)(how + 1);
	spin_unlock(&sk->lock);
	wake_up(&sk->wq);
	return err;
}

int dgram_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sock *sk = &ds->inet.sk;
	struct sk_buff *skb;
	int amount = 0;

	switch (cmd) {
	case FIONREAD:	/* SIOCINQ: the next datagram's size */
		spin_lock(&sk->lock);
		skb = skb_peek(&ds->rxq);
		if (skb)
			amount = (int)skb->len;
		spin_unlock(&sk->lock);
		break;
	case TIOCOUTQ:	/* SIOCOUTQ */
		amount = __atomic_load_n(&sk->wmem_alloc, __ATOMIC_RELAXED);
		break;
	default:
		return inet_ioctl(sock, cmd, arg);
	}
	return put_user(amount, (int __user *)arg) ? -EFAULT : 0;
}

struct sk_buff *dgram_alloc_send_skb(struct sock *sk, unsigned int hdrlen, size_t len, int flags)
{
	u64 deadline = sock_deadline(sk, true);
	struct sk_buff *skb;
	int err;

	for (;;) {
		err = sock_error(sk);
		if (err)
			return ERR_PTR(err);
		if (READ_ONCE(sk->shutdown) & SEND_SHUTDOWN)
			return ERR_PTR(sock_epipe(flags));
		if (dgram_wmem_room(sk))
			break;
		if (flags & MSG_DONTWAIT)
			return ERR_PTR(-EAGAIN);
		err = sock_wait_event(sk->wq, dgram_wmem_room(sk) || READ_ONCE(sk->err), deadline);
		if (err)
			return ERR_PTR(err);
	}
	skb = alloc_skb(MAX_HEADER + hdrlen + (unsigned int)len, GFP_KERNEL);
	if (!skb)
		return ERR_PTR(-ENOBUFS);
	skb_reserve(skb, MAX_HEADER + hdrlen);
	skb_set_owner_w(skb, sk);
	return skb;
}

void dgram_report_err(struct sock *sk, int type, int code)
{
	bool fatal;
	int err = icmp_err_to_errno(type, code, &fatal);

	spin_lock(&sk->lock);
	if (inet_sk(sk)->recverr || (fatal && sk->state == SK_ESTABLISHED)) {
		sk->err = -err;
		spin_unlock(&sk->lock);
		__wake_up(&sk->wq, poll_to_key(POLLERR | POLLIN | POLLOUT));
		return;
	}
	spin_unlock(&sk->lock);
}

void dgram_release(struct socket *sock)
{
	struct dgram_sock *ds = dgram_sk(sock->sk);
	struct sock *sk = &ds->inet.sk;
	struct sk_buff_head dead;

	skb_queue_head_init(&dead);
	spin_lock(&sk->lock);
	sk->flags |= SOCK_DEAD;
	skb_queue_splice_tail_init(&ds->rxq, &dead);
	spin_unlock(&sk->lock);
	__skb_queue_purge(&dead);
	sock->sk = NULL;
	sock_put(sk);
}
