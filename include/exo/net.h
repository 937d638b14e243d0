/* SPDX-License-Identifier: MIT */
/*
 * The socket layer (net/) and what a protocol family plugs into it.
 *
 * Objects: a struct socket is the file-side object, one per socket file
 * (an S_IFSOCK inode on the internal sockfs; file->private_data). Its
 * struct sock is the protocol-side object: it lives as long as anything
 * refers to it (the socket, a connected peer, a sender waiting on it), by
 * a reference count, and a protocol embeds it at the start of its own
 * structure (struct unix_sock). A family registers a struct
 * net_proto_family whose create() fills sock->ops and sock->sk; the socket
 * layer does argument copying and checking, file and fd handling and the
 * SOL_SOCKET options, then calls the ops with kernel copies.
 *
 * Locking: sk->lock (a spinlock) guards the fields marked [lock]; it is a
 * leaf apart from the wait-queue lock taken for wake-ups. Protocols take
 * their own sleeping locks outside it (net/unix/af_unix.c lists them).
 */
#ifndef _EXO_NET_H
#define _EXO_NET_H

#include <exo/compiler.h>
#include <exo/fs.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/socket.h>

struct file;
struct poll_table;
struct socket;

/* sk->state: the TCP state names Linux uses for every family. */
#define SK_ESTABLISHED	1
#define SK_CLOSE	7
#define SK_LISTEN	10

/* sk->shutdown bits. */
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* sk->flags bits. */
#define SOCK_DEAD	0x1	/* released: no file, no new data */
#define SOCK_PASSCRED	0x2	/* SO_PASSCRED */
#define SOCK_REUSEADDR	0x4
#define SOCK_KEEPALIVE	0x8
#define SOCK_BROADCAST	0x10	/* SO_BROADCAST */
#define SOCK_REUSEPORT	0x20	/* SO_REUSEPORT */
#define SOCK_LINGER	0x40	/* SO_LINGER on, for sk->lingertime seconds */

/* Linux's defaults: net.core.[wr]mem_default and _max; the SO_*BUF minimums. */
#define SK_BUF_DEFAULT	212992
#define SK_BUF_MAX	212992
#define SK_MIN_SNDBUF	4608
#define SK_MIN_RCVBUF	2304

struct sock {
	struct spinlock lock;
	struct wait_queue_head wq;		/* readers, writers with room to wait for, pollers */
	int refcnt;				/* [atomic] */
	unsigned short family;			/* [immutable] */
	unsigned short type;			/* [immutable] SOCK_* */
	int protocol;				/* [immutable] */
	unsigned char state;			/* [lock] SK_* */
	unsigned char shutdown;			/* [lock] *_SHUTDOWN */
	unsigned int flags;			/* [lock] SOCK_* flags above */
	int err;				/* [lock] pending error (SO_ERROR), taken once */
	int sndbuf, rcvbuf;			/* [lock] bytes */
	int rmem_alloc, wmem_alloc;		/* [atomic] bytes charged by skb_set_owner_r/w */
	int max_backlog;			/* [lock] listen() backlog */
	u64 rcvtimeo, sndtimeo;			/* [lock] SO_RCVTIMEO/SO_SNDTIMEO in ns; 0: none */
	unsigned int lingertime;		/* [lock] SO_LINGER seconds (with SOCK_LINGER) */
	struct ucred peercred;			/* [lock] SO_PEERCRED */
	void (*destruct)(struct sock *sk);	/* [immutable] frees the protocol's object */
};

/* The kernel side of a send or receive (the user msghdr, checked and copied). */
struct kmsghdr {
	void *name;				/* address: in for send, out for receive */
	int namelen;
	struct iov_iter iter;
	void *control;				/* send: kernel copy of the user's cmsgs */
	void __user *ucontrol;			/* receive: the user's control buffer */
	size_t controllen;			/* bytes in control / left in ucontrol */
	unsigned int flags;			/* receive: MSG_* results (MSG_TRUNC, MSG_CTRUNC) */
};

struct proto_ops {
	int family;
	/* The socket's file is gone: drop the protocol state (sock->sk). */
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, struct sockaddr *addr, int len);
	/* @flags: the file's O_NONBLOCK. */
	int (*connect)(struct socket *sock, struct sockaddr *addr, int len, int flags);
	int (*socketpair)(struct socket *a, struct socket *b);
	/* Fills @newsock (type and ops set) with the next connection; @flags O_NONBLOCK. */
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	/* Writes the own (peer: the peer's) address into @addr; its length or -errno. */
	int (*getname)(struct socket *sock, struct sockaddr *addr, int peer);
	__poll_t (*poll)(struct file *file, struct socket *sock, struct poll_table *pt);
	int (*ioctl)(struct socket *sock, unsigned int cmd, unsigned long arg);
	int (*listen)(struct socket *sock, int backlog);
	/* @how: SHUT_RD/WR/RDWR, checked. */
	int (*shutdown)(struct socket *sock, int how);
	/* @flags: MSG_* with MSG_DONTWAIT set for a non-blocking file. Bytes or -errno. */
	ssize_t (*sendmsg)(struct socket *sock, struct kmsghdr *msg, int flags);
	ssize_t (*recvmsg)(struct socket *sock, struct kmsghdr *msg, int flags);
	/*
	 * Optional: read(2) and write(2) of one user buffer that passed
	 * access_ok(), without building an iov_iter; @flags is MSG_DONTWAIT
	 * for a non-blocking file, else 0. @len is not 0 for read. Without
	 * them read(2) and write(2) go through recvmsg and sendmsg.
	 */
	ssize_t (*read)(struct socket *sock, char __user *buf, size_t len, int flags);
	ssize_t (*write)(struct socket *sock, const char __user *buf, size_t len, int flags);
	/*
	 * Optional: options at levels other than SOL_SOCKET, and SOL_SOCKET
	 * options the socket layer does not know (it tries those here before
	 * answering ENOPROTOOPT). User pointers; 0 or -errno (ENOPROTOOPT for
	 * an unknown option). Without them other levels are EOPNOTSUPP.
	 */
	int (*setsockopt)(struct socket *sock, int level, int optname, const void __user *optval,
			  unsigned int optlen);
	int (*getsockopt)(struct socket *sock, int level, int optname, void __user *optval,
			  int __user *optlen);
};

struct socket {
	short type;				/* [immutable after create] SOCK_* */
	const struct proto_ops *ops;		/* [immutable after create] */
	struct file *file;			/* [immutable] */
	struct sock *sk;			/* [immutable after create or accept] */
};

struct net_proto_family {
	int family;
	/* Checks @protocol and sock->type, sets sock->ops and sock->sk; 0 or -errno. */
	int (*create)(struct socket *sock, int protocol);
};

/* Registers a family at boot (an initcall); 0 or -EEXIST. */
int sock_register(const struct net_proto_family *fam);

/* Sets up the generic part of a new sock: one reference, defaults, @sock's type. */
void sock_init_data(struct sock *sk, int family, int type);
static inline void sock_hold(struct sock *sk)
{
	__atomic_fetch_add(&sk->refcnt, 1, __ATOMIC_RELAXED);
}
/* Drops a reference; the last one calls sk->destruct. */
static inline void sock_put(struct sock *sk)
{
	if (!__atomic_sub_fetch(&sk->refcnt, 1, __ATOMIC_ACQ_REL))
		sk->destruct(sk);
}
int __sock_error(struct sock *sk);
/* Takes the pending error (SO_ERROR semantics): -errno or 0. */
static inline int sock_error(struct sock *sk)
{
	return READ_ONCE(sk->err) ? __sock_error(sk) : 0;
}
/* The credentials SO_PEERCRED reports for a connection made now by the current task. */
void sock_current_ucred(struct ucred *cred);
/* ktime_get_ns() + @timeo, out of line: sock_deadline() with a timeout set. */
u64 sock_deadline_after(u64 timeo);
/*
 * Blocking waits with SO_RCVTIMEO/SO_SNDTIMEO: sock_deadline() is the
 * deadline of a wait starting now (@send: SO_SNDTIMEO), WAIT_NO_DEADLINE
 * without a timeout; sock_wait_event() waits for @cond on @wq and returns
 * Linux's errors: 0, -EAGAIN at the deadline, and on a signal -EINTR when
 * a timeout is set (no restart), else -ERESTARTSYS.
 */
static inline u64 sock_deadline(struct sock *sk, bool send)
{
	u64 t = send ? READ_ONCE(sk->sndtimeo) : READ_ONCE(sk->rcvtimeo);

	return t ? sock_deadline_after(t) : WAIT_NO_DEADLINE;
}
static inline int sock_wait_errno(long err, u64 deadline)
{
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	if (err == -ERESTARTSYS && deadline != WAIT_NO_DEADLINE)
		return -EINTR;
	return (int)err;
}
#define sock_wait_event(wq, cond, deadline)                                            \
	({                                                                              \
		u64 __sdl = (deadline);                                                 \
		sock_wait_errno(wait_event_interruptible_deadline(wq, cond, __sdl), __sdl); \
	})

/* Sends SIGPIPE unless @flags has MSG_NOSIGNAL; returns -EPIPE for the caller to pass on. */
int sock_epipe(int flags);

/*
 * Ancillary data for recvmsg: appends a cmsg of @len data bytes to the
 * user's control buffer. A cmsg that does not fit whole is cut to what
 * fits (at least the header) and MSG_CTRUNC is set. 0 or -EFAULT.
 */
int put_cmsg(struct kmsghdr *msg, int level, int type, size_t len, const void *data);

/* Iterates the kernel copy of the cmsgs of a send; cmsg_ok() checks one. */
static inline struct cmsghdr *cmsg_first(struct kmsghdr *msg)
{
	return msg->controllen >= sizeof(struct cmsghdr) ? msg->control : NULL;
}
struct cmsghdr *cmsg_next(struct kmsghdr *msg, struct cmsghdr *c);
bool cmsg_ok(struct kmsghdr *msg, struct cmsghdr *c);
static inline void *cmsg_data(struct cmsghdr *c)
{
	return (char *)c + CMSG_DATA_OFF;
}

/* A new socket file for @sock on sockfs with O_NONBLOCK from @flags; or ERR_PTR. */
struct file *sock_alloc_file(struct socket *sock, unsigned int flags);
/* The socket of @file, or NULL when it is not a socket. */
struct socket *sock_from_file(struct file *file);

#endif /* _EXO_NET_H */
