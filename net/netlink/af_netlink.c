// SPDX-License-Identifier: MIT
/*
 * AF_NETLINK: the socket core; protocols (rtnetlink.c) plug in.
 *
 * A netlink socket is a datagram socket (SOCK_RAW or SOCK_DGRAM) of one
 * protocol (NETLINK_ROUTE, ...) with a receive queue. Its address is a
 * port id (nl_pid), unique within the protocol: bind() picks one (0: the
 * process's tgid if free, else a negative number, as Linux) and a first
 * send binds automatically. A message to port 0 goes to the protocol's
 * kernel handler (struct netlink_proto); one to another port is queued on
 * that socket. The kernel multicasts to the sockets bound to a group
 * (netlink_broadcast); users cannot send to groups.
 *
 * The kernel queues its own messages with netlink_kmsg_send(): mq_notify's
 * SIGEV_THREAD cookie, which musl and glibc wait for on a NETLINK_ROUTE
 * socket. Those are allocated beforehand and queued whatever SO_RCVBUF
 * says; a user datagram to a receiver holding SO_RCVBUF bytes or more is
 * refused with EAGAIN (Linux's unicast would wait instead).
 *
 * Protocols register with netlink_register(); socket() of a protocol with
 * none is EPROTONOSUPPORT. NETLINK_ROUTE is rtnetlink.c's.
 *
 * Locking: nl_table_lock guards the protocol table and the bound sockets'
 * list (taken alone, or before a socket's sk.lock); sk.lock guards the
 * fields marked [lock]. A reader holds nlk->iolock across its copy.
 */
#include <exo/err.h>
#include <exo/init.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/net.h>
#include <exo/netlink.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/netlink.h>
#include "../internal.h"

struct netlink_kmsg {
	struct list_head node;		/* [receiver's sk.lock] in its queue */
	u32 portid;			/* [immutable] sender's port, 0: the kernel */
	size_t len;			/* [immutable] */
	char data[];
};

struct netlink_sock {
	struct sock sk;
	struct mutex iolock;		/* one reader at a time, across the copy */
	struct list_head queue;		/* [sk.lock] netlink_kmsgs */
	size_t queued_bytes;		/* [sk.lock] */
	u32 portid;			/* [nl_table_lock] 0: unbound */
	u32 groups;			/* [sk.lock] bind's nl_groups */
	u32 dst_portid;			/* [sk.lock] connect's */
	struct list_head bind_node;	/* [nl_table_lock] in nl_bound */
};

static DEFINE_SPINLOCK(nl_table_lock);
static const struct netlink_proto *nl_protos[MAX_LINKS];	/* [nl_table_lock] */
static LIST_HEAD(nl_bound);					/* [nl_table_lock] */
static s32 nl_next_autobind = -4096;				/* [nl_table_lock] */

static struct netlink_sock *nlk_sk(struct sock *sk)
{
	return (struct netlink_sock *)sk;
}

int netlink_register(const struct netlink_proto *proto)
{
	int err = 0;

	spin_lock(&nl_table_lock);
	if (nl_protos[proto->protocol])
		err = -EEXIST;
	else
		nl_protos[proto->protocol] = proto;
	spin_unlock(&nl_table_lock);
	return err;
}

/* ---- kernel messages ------------------------------------------------------------- */

struct netlink_kmsg *netlink_kmsg_alloc(size_t len)
{
	struct netlink_kmsg *m = kzalloc(sizeof(*m) + len, GFP_KERNEL);

	if (m)
		m->len = len;
	return m;
}

void *netlink_kmsg_data(struct netlink_kmsg *m)
{
	return m->data;
}

void netlink_kmsg_free(struct netlink_kmsg *m)
{
	kfree(m);
}

/* Queues @m on @nlk; false (the caller keeps @m) if the socket is closed. */
static bool netlink_queue(struct netlink_sock *nlk, struct netlink_kmsg *m)
{
	struct sock *sk = &nlk->sk;

	spin_lock(&sk->lock);
	if (sk->flags & SOCK_DEAD) {
		spin_unlock(&sk->lock);
		return false;
	}
	list_add_tail(&m->node, &nlk->queue);
	nlk->queued_bytes += m->len;
	spin_unlock(&sk->lock);
	wake_up(&sk->wq);
	return true;
}

void netlink_kmsg_send(struct sock *sk, struct netlink_kmsg *m)
{
	m->portid = 0;
	if (!netlink_queue(nlk_sk(sk), m))
		kfree(m);
}

int netlink_broadcast(int protocol, unsigned int group, const void *data, size_t len)
{
	struct netlink_sock *nlk;
	struct netlink_kmsg *m;
	int delivered = 0;

	if (!group || group > 32)
		return 0;
	spin_lock(&nl_table_lock);
	list_for_each_entry(nlk, &nl_bound, bind_node) {
		struct sock *sk = &nlk->sk;

		if (sk->protocol != protocol || !(READ_ONCE(nlk->groups) & (1U << (group - 1))))
			continue;
		m = NULL;
		if (READ_ONCE(nlk->queued_bytes) < (size_t)READ_ONCE(sk->rcvbuf))
			m = kzalloc(sizeof(*m) + len, GFP_ATOMIC);
		if (!m) {
			/* A listener that does not keep up learns it lost some (Linux's overrun). */
			spin_lock(&sk->lock);
			sk->err = ENOBUFS;
			spin_unlock(&sk->lock);
			wake_up(&sk->wq);
			continue;
		}
		m->len = len;
		memcpy(m->data, data, len);
		if (netlink_queue(nlk, m))
			delivered++;
		else
			kfree(m);
	}
	spin_unlock(&nl_table_lock);
	return delivered;
}

u32 netlink_portid(struct sock *sk)
{
	return READ_ONCE(nlk_sk(sk)->portid);
}

void netlink_sock_put(struct sock *sk)
{
	sock_put(sk);
}

struct sock *netlink_getsockbyfd(int fd)
{
	struct socket *sock = sockfd_lookup(fd);
	struct sock *sk;

	if (IS_ERR(sock))
		return ERR_CAST(sock);
	sk = sock->sk;
	if (!sk || sk->family != AF_NETLINK) {
		sockfd_put(sock);
		return ERR_PTR(-ECONNREFUSED);
	}
	sock_hold(sk);
	sockfd_put(sock);
	return sk;
}

/* ---- addresses ------------------------------------------------------------------ */

static struct netlink_sock *netlink_lookup_locked(int protocol, u32 portid)
	__must_hold(&nl_table_lock)
{
	struct netlink_sock *nlk;

	lockdep_assert_held(&nl_table_lock);
	list_for_each_entry(nlk, &nl_bound, bind_node)
		if (nlk->sk.protocol == protocol && nlk->portid == portid)
			return nlk;
	return NULL;
}

/* Binds @nlk to @portid (0: pick one); -EADDRINUSE, -EINVAL if bound to another. */
static int netlink_insert(struct netlink_sock *nlk, u32 portid)
{
	int protocol = nlk->sk.protocol, err = 0;

	spin_lock(&nl_table_lock);
	if (nlk->portid) {
		err = (portid && portid != nlk->portid) ? -EINVAL : 0;
		goto out_unlock;
	}
	if (!portid) {
		portid = (u32)current->tgid;
		while (netlink_lookup_locked(protocol, portid))
			portid = (u32)nl_next_autobind--;
	} else if (netlink_lookup_locked(protocol, portid)) {
		err = -EADDRINUSE;
		goto out_unlock;
	}
	nlk->portid = portid;
	list_add(&nlk->bind_node, &nl_bound);
out_unlock:
	spin_unlock(&nl_table_lock);
	return err;
}

static int netlink_check_addr(const struct sockaddr *addr, int len)
{
	if (len < (int)sizeof(struct sockaddr_nl))
		return -EINVAL;
	return addr->sa_family == AF_NETLINK ? 0 : -EINVAL;
}

static int netlink_bind(struct socket *sock, struct sockaddr *addr, int len)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	const struct sockaddr_nl *nla = (const struct sockaddr_nl *)addr;
	int err = netlink_check_addr(addr, len);

	if (err)
		return err;
	err = netlink_insert(nlk, nla->nl_pid);
	if (!err) {
		spin_lock(&nlk->sk.lock);
		nlk->groups = nla->nl_groups;
		spin_unlock(&nlk->sk.lock);
	}
	return err;
}

static int netlink_connect(struct socket *sock, struct sockaddr *addr, int len, int flags)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	const struct sockaddr_nl *nla = (const struct sockaddr_nl *)addr;
	int err;

	if (len >= (int)sizeof(sa_family_t) && addr->sa_family == AF_UNSPEC) {
		spin_lock(&nlk->sk.lock);
		nlk->dst_portid = 0;
		nlk->sk.state = SK_CLOSE;
		spin_unlock(&nlk->sk.lock);
		return 0;
	}
	err = netlink_check_addr(addr, len);
	if (!err)
		err = netlink_insert(nlk, 0);
	if (err)
		return err;
	spin_lock(&nlk->sk.lock);
	nlk->dst_portid = nla->nl_pid;
	nlk->sk.state = SK_ESTABLISHED;
	spin_unlock(&nlk->sk.lock);
	return 0;
}

static int netlink_getname(struct socket *sock, struct sockaddr *addr, int peer)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	struct sockaddr_nl *nla = (struct sockaddr_nl *)addr;

	memset(nla, 0, sizeof(*nla));
	nla->nl_family = AF_NETLINK;
	spin_lock(&nlk->sk.lock);
	if (peer) {
		nla->nl_pid = nlk->dst_portid;
	} else {
		nla->nl_pid = READ_ONCE(nlk->portid);
		nla->nl_groups = nlk->groups;
	}
	spin_unlock(&nlk->sk.lock);
	return sizeof(*nla);
}

/* ---- data ----------------------------------------------------------------------- */

static ssize_t netlink_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk), *dst;
	const struct netlink_proto *proto;
	struct netlink_kmsg *m;
	size_t len = msg->iter.count;
	u32 dst_portid;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen) {
		err = netlink_check_addr(msg->name, msg->namelen);
		if (err)
			return err;
		dst_portid = ((struct sockaddr_nl *)msg->name)->nl_pid;
	} else {
		dst_portid = READ_ONCE(nlk->dst_portid);
	}
	err = netlink_insert(nlk, 0);
	if (err)
		return err;
	if (len > (size_t)READ_ONCE(nlk->sk.sndbuf))
		return -EMSGSIZE;
	m = netlink_kmsg_alloc(len);
	if (!m)
		return -ENOBUFS;
	if (copy_from_iter(m->data, len, &msg->iter) != len) {
		err = -EFAULT;
		goto out_free;
	}
	m->portid = READ_ONCE(nlk->portid);
	if (!dst_portid) {
		proto = READ_ONCE(nl_protos[nlk->sk.protocol]);
		err = proto && proto->input ? proto->input(&nlk->sk, m->data, len) : -EOPNOTSUPP;
		goto out_free;
	}
	spin_lock(&nl_table_lock);
	dst = netlink_lookup_locked(nlk->sk.protocol, dst_portid);
	if (dst)
		sock_hold(&dst->sk);
	spin_unlock(&nl_table_lock);
	err = -ECONNREFUSED;
	if (!dst)
		goto out_free;
	/* A full receiver: Linux's unicast would wait; a datagram socket here gives up. */
	err = -EAGAIN;
	if (READ_ONCE(dst->queued_bytes) >= (size_t)READ_ONCE(dst->sk.rcvbuf) ||
	    !netlink_queue(dst, m)) {
		sock_put(&dst->sk);
		goto out_free;
	}
	sock_put(&dst->sk);
	return (ssize_t)len;
out_free:
	kfree(m);
	return err ? err : (ssize_t)len;
}

static bool netlink_readable(struct netlink_sock *nlk)
{
	return !list_empty(&nlk->queue) || READ_ONCE(nlk->sk.err);
}

static ssize_t netlink_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	struct sock *sk = &nlk->sk;
	struct netlink_kmsg *m = NULL;
	u64 deadline = sock_deadline(sk, false);
	ssize_t err;
	size_t n;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	mutex_lock(&nlk->iolock);
	for (;;) {
		spin_lock(&sk->lock);
		if (!list_empty(&nlk->queue)) {
			m = list_first_entry(&nlk->queue, struct netlink_kmsg, node);
			if (!(flags & MSG_PEEK)) {
				list_del(&m->node);
				nlk->queued_bytes -= m->len;
			}
		}
		spin_unlock(&sk->lock);
		if (m)
			break;
		err = sock_error(sk);
		if (err)
			goto out_unlock;
		err = -EAGAIN;
		if (flags & MSG_DONTWAIT)
			goto out_unlock;
		mutex_unlock(&nlk->iolock);
		err = sock_wait_event(sk->wq, netlink_readable(nlk), deadline);
		mutex_lock(&nlk->iolock);
		if (err)
			goto out_unlock;
	}
	n = min(m->len, msg->iter.count);
	err = -EFAULT;
	if (copy_to_iter(m->data, n, &msg->iter) != n)
		goto out_free;
	if (n < m->len)
		msg->flags |= MSG_TRUNC;
	if (msg->name) {
		struct sockaddr_nl *nla = msg->name;

		memset(nla, 0, sizeof(*nla));
		nla->nl_family = AF_NETLINK;
		nla->nl_pid = m->portid;
		msg->namelen = sizeof(*nla);
	}
	err = (flags & MSG_TRUNC) ? (ssize_t)m->len : (ssize_t)n;
out_free:
	if (!(flags & MSG_PEEK))
		kfree(m);
out_unlock:
	mutex_unlock(&nlk->iolock);
	return err;
}

static __poll_t netlink_poll(struct file *file, struct socket *sock, struct poll_table *pt)
{
	struct netlink_sock *nlk = nlk_sk(sock->sk);
	__poll_t mask = POLLOUT | POLLWRNORM;

	poll_wait(file, &nlk->sk.wq, pt);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (READ_ONCE(nlk->sk.err))
		mask |= POLLERR;
	if (!list_empty(&nlk->queue))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* ---- creation and release ------------------------------------------------------- */

static void netlink_sock_destruct(struct sock *sk)
{
	struct netlink_sock *nlk = nlk_sk(sk);
	struct netlink_kmsg *m, *next;

	list_for_each_entry_safe(m, next, &nlk->queue, node)
		kfree(m);
	kfree(nlk);
}

static int netlink_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct netlink_sock *nlk;

	if (!sk)
		return 0;
	nlk = nlk_sk(sk);
	sock->sk = NULL;
	spin_lock(&nl_table_lock);
	if (nlk->portid)
		list_del(&nlk->bind_node);
	spin_unlock(&nl_table_lock);
	/* Holders (a registered mq_notify) may still send: they find SOCK_DEAD. */
	spin_lock(&sk->lock);
	sk->flags |= SOCK_DEAD;
	spin_unlock(&sk->lock);
	wake_up(&sk->wq);
	sock_put(sk);
	return 0;
}

static const struct proto_ops netlink_ops = {
	.family = AF_NETLINK,
	.release = netlink_release,
	.bind = netlink_bind,
	.connect = netlink_connect,
	.getname = netlink_getname,
	.poll = netlink_poll,
	.sendmsg = netlink_sendmsg,
	.recvmsg = netlink_recvmsg,
};

static int netlink_create(struct socket *sock, int protocol)
{
	struct netlink_sock *nlk;

	if (sock->type != SOCK_RAW && sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol < 0 || protocol >= MAX_LINKS || !READ_ONCE(nl_protos[protocol]))
		return -EPROTONOSUPPORT;
	nlk = kzalloc(sizeof(*nlk), GFP_KERNEL);
	if (!nlk)
		return -ENOMEM;
	sock_init_data(&nlk->sk, AF_NETLINK, sock->type);
	nlk->sk.protocol = protocol;
	nlk->sk.destruct = netlink_sock_destruct;
	mutex_init(&nlk->iolock);
	INIT_LIST_HEAD(&nlk->queue);
	INIT_LIST_HEAD(&nlk->bind_node);
	sock->ops = &netlink_ops;
	sock->sk = &nlk->sk;
	return 0;
}

static const struct net_proto_family netlink_family = {
	.family = AF_NETLINK,
	.create = netlink_create,
};

#ifndef CONFIG_INET
/* Without rtnetlink (CONFIG_INET): C libraries' mq_notify still opens a NETLINK_ROUTE socket. */
static const struct netlink_proto netlink_route = { .protocol = NETLINK_ROUTE };
#endif

static int af_netlink_init(void)
{
#ifndef CONFIG_INET
	int err = netlink_register(&netlink_route);

	if (err)
		return err;
#endif
	return sock_register(&netlink_family);
}
fs_initcall(af_netlink_init);
