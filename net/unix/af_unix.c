// SPDX-License-Identifier: MIT
/*
 * AF_UNIX sockets: creation, addresses (bind, autobind, the bound-socket
 * table), connections (listen, connect, accept, socketpair), poll,
 * shutdown, ioctl and release. Data transfer is in stream.c (SOCK_STREAM)
 * and dgram.c (SOCK_DGRAM, SOCK_SEQPACKET), ancillary data in scm.c.
 *
 * Objects: a struct unix_sock per socket, referenced by its struct socket
 * (until the file is released), by a connected peer, and by anyone about
 * to queue data on it. Data is a list of unix_skb on the receiver; a
 * writer allocates and fills one without locks, then queues it under the
 * receiver's sk.lock. A listener's queue holds embryos instead: sockets
 * created by connect(), already paired with the connecting socket, which
 * accept() hands out. Bound sockets are in unix_table, keyed by the
 * inode of their socket file (pathnames) or by the name (abstract).
 *
 * Waiting: everything sleeps on the sk.wq of the socket whose queue it
 * waits for: readers and acceptors on their own, datagram writers (for
 * queue room) and connectors (for backlog) on the receiver's. A reader
 * that makes such room wakes its own queue with POLLOUT. A writer whose
 * SO_SNDBUF charge is full sleeps on its own queue, which the reader
 * freeing its skbs wakes (scm.c, unix_wmem_uncharge()).
 *
 * Lock order: u->bindlock -> u->iolock -> unix_gc_lock -> sk.lock (one
 * socket's at a time) -> wait-queue locks; unix_table_lock is a leaf taken
 * under bindlock. User copies and allocations run under the mutexes only.
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/poll.h>
#include <exo/proc_net.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/ioctls.h>
#include <uapi/stat.h>
#include "internal.h"

#define UNIX_HASH_SIZE	64
#define UNIX_AUTOBIND_NAMES 0x100000	/* five hex digits */

static struct list_head unix_table[UNIX_HASH_SIZE];	/* [unix_table_lock] */
static DEFINE_SPINLOCK(unix_table_lock);
static unsigned int unix_autobind_next;			/* [unix_table_lock] */
static LIST_HEAD(unix_sockets);					/* [unix_table_lock] */

static const struct proto_ops unix_stream_ops, unix_dgram_ops, unix_seqpacket_ops;

/* ---- addresses ------------------------------------------------------------ */

void __unix_address_put(struct unix_address *addr)
{
	if (!__atomic_sub_fetch(&addr->refcnt, 1, __ATOMIC_ACQ_REL))
		kfree(addr);
}

int unix_copy_addr(struct unix_address *addr, void *out)
{
	struct sockaddr_un *sun = out;

	if (!addr) {
		sun->sun_family = AF_UNIX;
		return sizeof(sa_family_t);
	}
	memcpy(sun, &addr->name, (size_t)addr->len);
	return addr->len;
}

int unix_validate_addr(const struct sockaddr *addr, int len)
{
	if (len < (int)sizeof(sa_family_t) || addr->sa_family != AF_UNIX)
		return -EINVAL;
	if (len > (int)sizeof(struct sockaddr_un))
		return -EINVAL;
	return 0;
}

static bool unix_is_abstract(const struct sockaddr_un *sun, int len)
{
	return len > (int)sizeof(sa_family_t) && sun->sun_path[0] == 0;
}

/* A pathname address: the name is the NUL-terminated prefix of sun_path within @len. */
static int unix_path_len(const struct sockaddr_un *sun, int len)
{
	int max = len - (int)sizeof(sa_family_t);

	return (int)strnlen(sun->sun_path, (size_t)max);
}

/* Abstract names are per socket type: a stream and a datagram socket may share one. */
static unsigned int unix_hash_abstract(const struct sockaddr_un *sun, int len, int type)
{
	unsigned int h = (unsigned int)type;

	for (int i = 0; i < len - (int)sizeof(sa_family_t); i++)
		h = h * 31 + (unsigned char)sun->sun_path[i];
	return h % UNIX_HASH_SIZE;
}

static unsigned int unix_hash_inode(const struct inode *inode)
{
	return (unsigned int)(((unsigned long)inode >> 6) % UNIX_HASH_SIZE);
}

/*
 * The bound socket with this socket inode, or with this abstract name and
 * @type; unix_table_lock held.
 */
static struct unix_sock *unix_table_find(const struct sockaddr_un *sun, int len,
					 const struct inode *inode, int type)
{
	unsigned int h = inode ? unix_hash_inode(inode) : unix_hash_abstract(sun, len, type);
	struct unix_sock *u;

	lockdep_assert_held(&unix_table_lock);
	list_for_each_entry(u, &unix_table[h], bind_node) {
		if (inode ? u->path.dentry && u->path.dentry->d_inode == inode
			  : !u->path.dentry && u->sk.type == type && u->addr->len == len &&
				    !memcmp(&u->addr->name, sun, (size_t)len))
			return u;
	}
	return NULL;
}

/* Publishes @addr for @u in the table unless the name is taken; bindlock held. */
static int unix_table_insert(struct unix_sock *u, struct unix_address *addr,
			     const struct inode *inode)
{
	int type = u->sk.type;
	unsigned int h = inode ? unix_hash_inode(inode)
			       : unix_hash_abstract(&addr->name, addr->len, type);
	int err = 0;

	lockdep_assert_held(&u->bindlock);
	spin_lock(&unix_table_lock);
	if (!inode && unix_table_find(&addr->name, addr->len, NULL, type))
		err = -EADDRINUSE;
	else {
		list_add_tail(&u->bind_node, &unix_table[h]);
		__atomic_store_n(&u->addr, addr, __ATOMIC_RELEASE);
	}
	spin_unlock(&unix_table_lock);
	return err;
}

static struct unix_address *unix_address_new(const struct sockaddr_un *sun, int len)
{
	struct unix_address *addr = kzalloc(sizeof(*addr), GFP_KERNEL);

	if (!addr)
		return ERR_PTR(-ENOMEM);
	addr->refcnt = 1;
	addr->len = len;
	memcpy(&addr->name, sun, (size_t)len);
	addr->name.sun_family = AF_UNIX;
	return addr;
}

/* bind with only a family: an unused abstract name of five hex digits. */
static int unix_autobind(struct unix_sock *u)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int len = (int)sizeof(sa_family_t) + 6, err = -EADDRINUSE;
	static const char hex[] = "0123456789abcdef";
	struct unix_address *addr;

	for (unsigned int tries = 0; tries < UNIX_AUTOBIND_NAMES && err == -EADDRINUSE; tries++) {
		unsigned int n;

		spin_lock(&unix_table_lock);
		n = unix_autobind_next++ % UNIX_AUTOBIND_NAMES;
		spin_unlock(&unix_table_lock);
		for (int i = 5; i >= 1; i--, n >>= 4)
			sun.sun_path[i] = hex[n & 0xf];
		addr = unix_address_new(&sun, len);
		if (IS_ERR(addr))
			return PTR_ERR(addr);
		err = unix_table_insert(u, addr, NULL);
		if (err)
			unix_address_put(addr);
	}
	return err;
}

static int unix_bind(struct socket *sock, struct sockaddr *uaddr, int len)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sockaddr_un *sun = (struct sockaddr_un *)uaddr;
	struct unix_address *addr;
	struct path path = { 0 };
	int err;

	if (len == (int)sizeof(sa_family_t) && sun->sun_family == AF_UNIX) {
		mutex_lock(&u->bindlock);
		/* Already bound: nothing to do (Linux returns 0 too). */
		err = u->addr ? 0 : unix_autobind(u);
		mutex_unlock(&u->bindlock);
		return err;
	}
	err = unix_validate_addr(uaddr, len);
	if (err)
		return err;
	if (!unix_is_abstract(sun, len)) {
		/* The path is a C string inside the address: terminate it there. */
		int n = unix_path_len(sun, len);

		if (n == (int)sizeof(sun->sun_path))
			return -EINVAL;
		sun->sun_path[n] = 0;
		len = (int)sizeof(sa_family_t) + n + 1;
	}
	addr = unix_address_new(sun, len);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	mutex_lock(&u->bindlock);
	err = -EINVAL;
	if (u->addr) {
		/* Linux creates the file first: an existing name wins over EINVAL. */
		if (sun->sun_path[0] && !kern_path(sun->sun_path, &path)) {
			path_put(&path);
			err = -EADDRINUSE;
		}
		goto out_unlock;
	}
	if (sun->sun_path[0]) {
		err = vfs_mknod_path(sun->sun_path, S_IFSOCK | S_IRWXU | S_IRWXG | S_IRWXO, &path);
		if (err == -EEXIST)
			err = -EADDRINUSE;
		if (err)
			goto out_unlock;
		u->path = path;
		err = unix_table_insert(u, addr, path.dentry->d_inode);
	} else {
		err = unix_table_insert(u, addr, NULL);
	}
	if (!err)
		addr = NULL;
out_unlock:
	mutex_unlock(&u->bindlock);
	unix_address_put(addr);
	return err;
}

struct unix_sock *unix_find_other(const struct sockaddr *uaddr, int len, int type)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)uaddr;
	struct inode *inode = NULL;
	struct unix_sock *u;
	struct path path;
	char name[UNIX_PATH_MAX + 1];
	int err = unix_validate_addr(uaddr, len);

	if (err)
		return ERR_PTR(err);
	if (len == (int)sizeof(sa_family_t))
		return ERR_PTR(-EINVAL);
	if (!unix_is_abstract(sun, len)) {
		int n = unix_path_len(sun, len);

		memcpy(name, sun->sun_path, (size_t)n);
		name[n] = 0;
		err = kern_path(name, &path);
		if (err)
			return ERR_PTR(err);
		inode = path.dentry->d_inode;
		err = inode_permission(current_cred(), inode, MAY_WRITE);
		if (!err && !S_ISSOCK(inode->i_mode))
			err = -ECONNREFUSED;
		if (err) {
			path_put(&path);
			return ERR_PTR(err);
		}
	}
	spin_lock(&unix_table_lock);
	u = unix_table_find(sun, len, inode, type);
	if (u)
		sock_hold(&u->sk);
	spin_unlock(&unix_table_lock);
	if (inode)
		path_put(&path);
	if (!u)
		return ERR_PTR(-ECONNREFUSED);
	/* Only a socket file can hold the wrong type: abstract names are per type. */
	if (u->sk.type != type) {
		sock_put(&u->sk);
		return ERR_PTR(-EPROTOTYPE);
	}
	return u;
}

/* ---- life cycle ------------------------------------------------------------- */

static void unix_sock_destruct(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);

	spin_lock(&unix_table_lock);
	list_del(&u->all_node);
	spin_unlock(&unix_table_lock);
	unix_address_put(u->addr);
	kfree(u);
}

static struct unix_sock *unix_sock_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return ERR_PTR(-ENOMEM);
	sock_init_data(&u->sk, AF_UNIX, type);
	u->sk.destruct = unix_sock_destruct;
	mutex_init(&u->iolock);
	mutex_init(&u->bindlock);
	INIT_LIST_HEAD(&u->queue);
	INIT_LIST_HEAD(&u->bind_node);
	INIT_LIST_HEAD(&u->accept_node);
	spin_lock(&unix_table_lock);
	list_add_tail(&u->all_node, &unix_sockets);
	spin_unlock(&unix_table_lock);
	return u;
}

/* Records @sock as @u's for /proc/net/unix (its inode); NULL when the socket goes. */
static void unix_set_socket(struct unix_sock *u, struct socket *sock)
{
	spin_lock(&unix_table_lock);
	u->sock = sock;
	spin_unlock(&unix_table_lock);
}

static bool unix_connection_based(const struct sock *sk)
{
	return sk->type == SOCK_STREAM || sk->type == SOCK_SEQPACKET;
}

/*
 * The socket is gone (its file, or an embryo never accepted): unbind it,
 * tell a connected peer (end of file; ECONNRESET if data was left unread
 * or the connection was never accepted), free what is queued.
 */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct sock *sk = &u->sk;
	struct unix_sock *peer, *e, *etmp;
	struct unix_skb *skb, *tmp;
	struct list_head queue;
	bool listener, unread;

	spin_lock(&unix_table_lock);
	if (!list_empty(&u->bind_node))
		list_del_init(&u->bind_node);
	u->sock = NULL;
	spin_unlock(&unix_table_lock);

	INIT_LIST_HEAD(&queue);
	spin_lock(&sk->lock);
	listener = sk->state == SK_LISTEN;
	unread = u->qlen != 0;
	sk->state = SK_CLOSE;
	sk->flags |= SOCK_DEAD;
	sk->shutdown = SHUTDOWN_MASK;
	peer = u->peer;
	u->peer = NULL;
	list_replace_init(&u->queue, &queue);
	u->qlen = 0;
	u->queued_bytes = 0;
	spin_unlock(&sk->lock);
	/* Writers and connectors waiting on us see SOCK_DEAD. */
	wake_up(&sk->wq);

	if (peer) {
		if (unix_connection_based(sk)) {
			spin_lock(&peer->sk.lock);
			peer->sk.shutdown = SHUTDOWN_MASK;
			if (unread || embryo)
				peer->sk.err = ECONNRESET;
			spin_unlock(&peer->sk.lock);
			wake_up(&peer->sk.wq);
		}
		sock_put(&peer->sk);
	}
	if (listener) {
		list_for_each_entry_safe(e, etmp, &queue, accept_node) {
			list_del_init(&e->accept_node);
			unix_release_sock(e, true);
		}
	} else {
		list_for_each_entry_safe(skb, tmp, &queue, node) {
			list_del(&skb->node);
			unix_skb_free(u, skb);
		}
	}
	if (u->path.dentry)
		path_put(&u->path);
	u->path = (struct path){ 0 };
	sock_put(sk);
}

static int unix_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sock->sk = NULL;
	unix_release_sock(unix_sk(sk), false);
	return 0;
}

static int unix_create(struct socket *sock, int protocol)
{
	struct unix_sock *u;

	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (sock->type) {
	case SOCK_STREAM:
		sock->ops = &unix_stream_ops;
		break;
	case SOCK_RAW:
		/* Linux treats SOCK_RAW as SOCK_DGRAM here. */
		sock->type = SOCK_DGRAM;
		/* fall through */
	case SOCK_DGRAM:
		sock->ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		sock->ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_sock_alloc(sock->type);
	if (IS_ERR(u))
		return PTR_ERR(u);
	u->sk.protocol = protocol;
	sock->sk = &u->sk;
	unix_set_socket(u, sock);
	return 0;
}

/* ---- connections ------------------------------------------------------------ */

static void unix_pair(struct unix_sock *a, struct unix_sock *b)
{
	sock_hold(&b->sk);
	a->peer = b;
	a->sk.state = SK_ESTABLISHED;
}

static int unix_socketpair(struct socket *socka, struct socket *sockb)
{
	struct unix_sock *a = unix_sk(socka->sk), *b = unix_sk(sockb->sk);

	/* Neither is visible to anyone yet: no locks needed. */
	unix_pair(a, b);
	unix_pair(b, a);
	sock_current_ucred(&a->sk.peercred);
	b->sk.peercred = a->sk.peercred;
	return 0;
}

static int unix_listen(struct socket *sock, int backlog)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sock *sk = &u->sk;
	int err = -EOPNOTSUPP;

	if (!unix_connection_based(sk))
		return err;
	mutex_lock(&u->bindlock);
	err = -EINVAL;
	if (!u->addr)
		goto out;
	spin_lock(&sk->lock);
	if (sk->state == SK_CLOSE || sk->state == SK_LISTEN) {
		sk->state = SK_LISTEN;
		sk->max_backlog = backlog;
		sock_current_ucred(&sk->peercred);
		err = 0;
	}
	spin_unlock(&sk->lock);
	/* A bigger backlog may let connectors in. */
	wake_up(&sk->wq);
out:
	mutex_unlock(&u->bindlock);
	return err;
}

static bool unix_backlog_room(struct unix_sock *l)
{
	return READ_ONCE(l->qlen) <= (unsigned int)READ_ONCE(l->sk.max_backlog) ||
	       READ_ONCE(l->sk.state) != SK_LISTEN;
}

static int unix_stream_connect(struct socket *sock, struct sockaddr *uaddr, int len, int flags)
{
	struct unix_sock *u = unix_sk(sock->sk), *other, *e;
	struct sock *sk = &u->sk;
	u64 deadline = sock_deadline(sk, true);
	int err;

	err = unix_validate_addr(uaddr, len);
	if (err)
		return err;
	mutex_lock(&u->bindlock);
	err = sk->state == SK_ESTABLISHED ? -EISCONN : sk->state != SK_CLOSE ? -EINVAL : 0;
	if (err)
		goto out_unlock;
	e = unix_sock_alloc(sk->type);
	if (IS_ERR(e)) {
		err = PTR_ERR(e);
		goto out_unlock;
	}
	for (;;) {
		other = unix_find_other(uaddr, len, sk->type);
		if (IS_ERR(other)) {
			err = (int)PTR_ERR(other);
			goto out_free_embryo;
		}
		spin_lock(&other->sk.lock);
		if (other->sk.state != SK_LISTEN) {
			spin_unlock(&other->sk.lock);
			err = -ECONNREFUSED;
			goto out_put_other;
		}
		if (other->qlen <= (unsigned int)other->sk.max_backlog)
			break;
		spin_unlock(&other->sk.lock);
		err = -EAGAIN;
		if (flags)
			goto out_put_other;
		err = sock_wait_event(other->sk.wq, unix_backlog_room(other), deadline);
		sock_put(&other->sk);
		if (err)
			goto out_free_embryo;
	}
	/* The embryo: paired with us, named like the listener, credited to us. */
	unix_pair(e, u);
	e->addr = unix_address_get(other->addr);
	sock_current_ucred(&e->sk.peercred);
	list_add_tail(&e->accept_node, &other->queue);
	other->qlen++;
	spin_unlock(&other->sk.lock);

	spin_lock(&sk->lock);
	sock_hold(&e->sk);
	u->peer = e;
	sk->state = SK_ESTABLISHED;
	sk->peercred = other->sk.peercred;
	spin_unlock(&sk->lock);
	__wake_up(&other->sk.wq, poll_to_key(POLLIN | POLLRDNORM));
	sock_put(&other->sk);
	mutex_unlock(&u->bindlock);
	return 0;

out_put_other:
	sock_put(&other->sk);
out_free_embryo:
	sock_put(&e->sk);
out_unlock:
	mutex_unlock(&u->bindlock);
	return err;
}

static bool unix_acceptable(struct unix_sock *l)
{
	return READ_ONCE(l->qlen) || READ_ONCE(l->sk.state) != SK_LISTEN;
}

static int unix_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct unix_sock *l = unix_sk(sock->sk), *e = NULL;
	struct sock *sk = &l->sk;
	u64 deadline = sock_deadline(sk, false);
	int err;

	if (!unix_connection_based(sk))
		return -EOPNOTSUPP;
	for (;;) {
		spin_lock(&sk->lock);
		if (sk->state != SK_LISTEN) {
			spin_unlock(&sk->lock);
			return -EINVAL;
		}
		if (l->qlen) {
			e = list_first_entry(&l->queue, struct unix_sock, accept_node);
			list_del_init(&e->accept_node);
			l->qlen--;
		}
		spin_unlock(&sk->lock);
		if (e)
			break;
		if (flags)
			return -EAGAIN;
		err = sock_wait_event(sk->wq, unix_acceptable(l), deadline);
		if (err)
			return err;
	}
	/* Room in the backlog for a waiting connector. */
	__wake_up(&sk->wq, poll_to_key(POLLOUT | POLLWRNORM));
	newsock->sk = &e->sk;
	unix_set_socket(e, newsock);
	return 0;
}

static int unix_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct unix_sock *u = unix_sk(sock->sk), *other = u;
	int len;

	if (peer) {
		spin_lock(&u->sk.lock);
		other = u->peer;
		if (other)
			sock_hold(&other->sk);
		spin_unlock(&u->sk.lock);
		if (!other)
			return -ENOTCONN;
	}
	len = unix_copy_addr(__atomic_load_n(&other->addr, __ATOMIC_ACQUIRE), uaddr);
	if (peer)
		sock_put(&other->sk);
	return len;
}

static int unix_shutdown(struct socket *sock, int how)
{
	struct unix_sock *u = unix_sk(sock->sk), *peer;
	struct sock *sk = &u->sk;
	unsigned char mode = (unsigned char)((how + 1) & SHUTDOWN_MASK), peer_mode = 0;

	spin_lock(&sk->lock);
	sk->shutdown |= mode;
	peer = u->peer;
	if (peer)
		sock_hold(&peer->sk);
	spin_unlock(&sk->lock);
	wake_up(&sk->wq);
	if (!peer)
		return 0;
	if (unix_connection_based(sk)) {
		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		spin_lock(&peer->sk.lock);
		peer->sk.shutdown |= peer_mode;
		spin_unlock(&peer->sk.lock);
		wake_up(&peer->sk.wq);
	}
	sock_put(&peer->sk);
	return 0;
}

static int unix_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sock *sk = &u->sk;
	struct unix_skb *skb;
	long amount = 0;

	switch (cmd) {
	case FIONREAD:	/* SIOCINQ */
		spin_lock(&sk->lock);
		if (sk->state == SK_LISTEN) {
			spin_unlock(&sk->lock);
			return -EINVAL;
		}
		if (sk->type == SOCK_STREAM) {
			amount = (long)u->queued_bytes;
		} else if (!list_empty(&u->queue)) {
			/* Datagrams: the size of the next one. */
			skb = list_first_entry(&u->queue, struct unix_skb, node);
			amount = (long)skb->len;
		}
		spin_unlock(&sk->lock);
		break;
	case TIOCOUTQ:	/* SIOCOUTQ: what we sent that is not yet received */
		amount = (long)__atomic_load_n(&u->wmem, __ATOMIC_RELAXED);
		break;
	default:
		return -ENOTTY;
	}
	return put_user((int)amount, (int __user *)arg) ? -EFAULT : 0;
}

/* ---- waiting and readiness ----------------------------------------------- */

bool unix_readable(struct unix_sock *u)
{
	return READ_ONCE(u->qlen) || (READ_ONCE(u->sk.shutdown) & RCV_SHUTDOWN) ||
	       READ_ONCE(u->sk.err);
}

int unix_wait_for_data(struct unix_sock *u, int flags, u64 deadline)
	__must_hold(&u->iolock)
{
	int err;

	if (flags & MSG_DONTWAIT)
		return -EAGAIN;
	mutex_unlock(&u->iolock);
	err = sock_wait_event(u->sk.wq, unix_readable(u), deadline);
	mutex_lock(&u->iolock);
	return err;
}

__poll_t unix_poll(struct file *file, struct socket *sock, struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(sock->sk);
	struct sock *sk = &u->sk;
	unsigned char shutdown, state;
	__poll_t mask = 0;

	/* Everything that changes our readiness wakes our own queue, freed skbs included. */
	if (!READ_ONCE(u->polled))
		WRITE_ONCE(u->polled, true);
	poll_wait(file, &sk->wq, pt);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	shutdown = READ_ONCE(sk->shutdown);
	state = READ_ONCE(sk->state);
	if (READ_ONCE(sk->err))
		mask |= POLLERR;
	if (shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (READ_ONCE(u->qlen))
		mask |= POLLIN | POLLRDNORM;
	if (unix_connection_based(sk) && state == SK_CLOSE)
		mask |= POLLHUP;
	if (state != SK_LISTEN && unix_wmem_room(u))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

/* ---- registration ------------------------------------------------------------- */

/* What the three types share; they differ in connect and data transfer. */
#define UNIX_COMMON_OPS                         \
	.family = AF_UNIX,                      \
	.release = unix_release,                \
	.bind = unix_bind,                      \
	.socketpair = unix_socketpair,          \
	.accept = unix_accept,                  \
	.getname = unix_getname,                \
	.poll = unix_poll,                      \
	.ioctl = unix_ioctl,                    \
	.listen = unix_listen,                  \
	.shutdown = unix_shutdown

static const struct proto_ops unix_stream_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_stream_connect,
	.sendmsg = unix_stream_sendmsg,
	.recvmsg = unix_stream_recvmsg,
	.read = unix_stream_read,
	.write = unix_stream_write,
};

static const struct proto_ops unix_dgram_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_dgram_connect,
	.sendmsg = unix_dgram_sendmsg,
	.recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
	UNIX_COMMON_OPS,
	.connect = unix_stream_connect,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
};

static const struct net_proto_family unix_family = {
	.family = AF_UNIX,
	.create = unix_create,
};

static int af_unix_init(void)
{
	for (int i = 0; i < UNIX_HASH_SIZE; i++)
		INIT_LIST_HEAD(&unix_table[i]);
	return sock_register(&unix_family);
}
fs_initcall(af_unix_init);

/*
 * /proc/net/unix in Linux's format: every socket not yet released (with
 * embryos waiting for accept), its kernel address shown as zeros (as
 * kptr_restrict does), __SO_ACCEPTCON for a listener, the socket state
 * (SS_CONNECTED/SS_UNCONNECTED; an embryo SS_CONNECTING) and the socket
 * file's inode, then the bound name ('@' for an abstract one, whose NULs
 * print as '@').
 */
#define UNIX_SO_ACCEPTCON	0x10000
#define UNIX_SS_UNCONNECTED	1
#define UNIX_SS_CONNECTING	2
#define UNIX_SS_CONNECTED	3
#define UNIX_SS_DISCONNECTING	4

int unix_seq_show(struct seq_file *m)
{
	struct unix_sock *u;

	seq_puts(m, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	spin_lock(&unix_table_lock);
	list_for_each_entry(u, &unix_sockets, all_node) {
		unsigned char state = READ_ONCE(u->sk.state);
		bool established = state == SK_ESTABLISHED;
		struct unix_address *addr = __atomic_load_n(&u->addr, __ATOMIC_ACQUIRE);
		unsigned long ino = 0;
		int st;

		if (u->sock)
			st = established ? UNIX_SS_CONNECTED : UNIX_SS_UNCONNECTED;
		else
			st = established ? UNIX_SS_CONNECTING : UNIX_SS_DISCONNECTING;
		if (u->sock && u->sock->file)
			ino = u->sock->file->f_inode->i_ino;
		seq_printf(m, "%016lx: %08X %08X %08X %04X %02X %5lu", 0UL,
			   (unsigned int)__atomic_load_n(&u->sk.refcnt, __ATOMIC_RELAXED), 0U,
			   state == SK_LISTEN ? UNIX_SO_ACCEPTCON : 0U, (unsigned int)u->sk.type,
			   (unsigned int)st, ino);
		if (addr) {
			const char *name = addr->name.sun_path;
			int i, len = addr->len - (int)offsetof(struct sockaddr_un, sun_path);

			seq_putc(m, ' ');
			for (i = 0; i < len; i++) {
				if (!name[0] && i == 0)
					seq_putc(m, '@');
				else if (name[i])
					seq_putc(m, name[i]);
				else if (!name[0])
					seq_putc(m, '@');
				else
					break;
			}
		}
		seq_putc(m, '\n');
	}
	spin_unlock(&unix_table_lock);
	return 0;
}
