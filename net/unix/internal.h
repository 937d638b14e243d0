/* SPDX-License-Identifier: MIT */
/*
 * Shared inside net/unix/ only: the AF_UNIX socket, its queued messages
 * and the helpers the stream, datagram and ancillary-data files share.
 */
#ifndef _NET_UNIX_INTERNAL_H
#define _NET_UNIX_INTERNAL_H

#include <exo/dcache.h>
#include <exo/list.h>
#include <exo/mutex.h>
#include <exo/net.h>
#include <uapi/un.h>

/* An address a socket is bound to, shared with its accepted sockets and its datagrams. */
struct unix_address {
	int refcnt;			/* [atomic] */
	int len;			/* [immutable] bytes of name that count */
	struct sockaddr_un name;	/* [immutable] */
};

/*
 * A queued message (datagram, or a piece of a stream write), the data
 * following the header. Owned by the receiving socket's queue once queued.
 */
struct unix_skb {
	struct list_head node;		/* [receiver's sk.lock] */
	size_t len;			/* [immutable once queued] data bytes */
	size_t off;			/* [receiver's iolock] bytes already read (stream) */
	struct unix_sock *sender;	/* [immutable] charged for len (wmem), referenced */
	struct unix_address *addr;	/* [immutable] sender's address (referenced) or NULL */
	struct ucred cred;		/* [immutable] sender's pid, uid, gid */
	struct file **fp;		/* [receiver's iolock] SCM_RIGHTS files in flight, or NULL */
	unsigned int nfp;
	char data[];
};

struct unix_sock {
	struct sock sk;
	struct mutex iolock;		/* readers and accept: one at a time, across user copies */
	struct mutex bindlock;		/* bind, listen, connect of this socket */
	struct unix_address *addr;	/* [bindlock, then immutable] NULL: unbound */
	struct path path;		/* [bindlock] bound file (pathname address) */
	struct list_head bind_node;	/* [unix_table_lock] in unix_table */
	struct list_head all_node;	/* [unix_table_lock] in unix_sockets until freed */
	struct socket *sock;		/* [unix_table_lock] its socket (/proc/net/unix); NULL: none */
	struct unix_sock *peer;		/* [sk.lock] connected peer (referenced) */
	struct list_head queue;		/* [sk.lock; a stream reader walks it without] unix_skbs, or embryos */
	struct list_head accept_node;	/* [listener's sk.lock] in the listener's queue */
	size_t queued_bytes;		/* [sk.lock] unread data in queue */
	size_t wmem;			/* [atomic] bytes of our skbs not yet freed (SO_SNDBUF) */
	unsigned int qlen;		/* [sk.lock] entries in queue */
	unsigned int inflight;		/* [unix_gc_lock] queued skbs carrying files */
	unsigned int flight;		/* [unix_gc_lock] queued skbs carrying our own file */
	bool polled;			/* [set once] unix_poll() ran: every freed skb wakes POLLOUT */
};

static inline struct unix_sock *unix_sk(struct sock *sk)
{
	return (struct unix_sock *)sk;
}

/* Ancillary data of one send (scm.c). */
struct unix_scm {
	struct file **fp;
	unsigned int nfp;
	bool has_cred;			/* SCM_CREDENTIALS given: cred */
	struct ucred cred;
};

/* No ancillary data: what a send without control messages starts from. */
static inline void unix_scm_init(struct unix_scm *scm)
{
	scm->fp = NULL;
	scm->nfp = 0;
	scm->has_cred = false;
}

/*
 * Linux's overflowuid and overflowgid: the ids SO_PASSCRED reports for a
 * message that was sent without credentials (see unix_scm_attach()).
 */
#define UNIX_OVERFLOW_ID	65534

/* af_unix.c */
/* Checks a sockaddr_un: 0 or -EINVAL. */
int unix_validate_addr(const struct sockaddr *addr, int len);
/* The bound socket of type @type at @addr, referenced; ERR_PTR (ECONNREFUSED, ENOENT, EPROTOTYPE...). */
struct unix_sock *unix_find_other(const struct sockaddr *addr, int len, int type);
/*
 * Waits until @u has something to read, until @deadline (sock_deadline);
 * 0, or -EAGAIN (MSG_DONTWAIT or timeout), -EINTR, -ERESTARTSYS. The
 * caller's iolock is dropped while waiting.
 */
int unix_wait_for_data(struct unix_sock *u, int flags, u64 deadline) __must_hold(&u->iolock);
bool unix_readable(struct unix_sock *u);
/* Room for @u to send: its skbs in flight are under SO_SNDBUF. */
static inline bool unix_wmem_room(struct unix_sock *u)
{
	return __atomic_load_n(&u->wmem, __ATOMIC_RELAXED) < (size_t)READ_ONCE(u->sk.sndbuf);
}
__poll_t unix_poll(struct file *file, struct socket *sock, struct poll_table *pt);
void __unix_address_put(struct unix_address *addr);
static inline void unix_address_put(struct unix_address *addr)
{
	if (addr)
		__unix_address_put(addr);
}
static inline struct unix_address *unix_address_get(struct unix_address *addr)
{
	if (addr)
		__atomic_fetch_add(&addr->refcnt, 1, __ATOMIC_RELAXED);
	return addr;
}
/* Writes @addr (NULL: unnamed) as a sockaddr_un into @out; returns its length. */
int unix_copy_addr(struct unix_address *addr, void *out);

/* scm.c */
/* A new skb for @len bytes, charged to @sender's wmem until freed; or ERR_PTR(-ENOMEM). */
struct unix_skb *unix_skb_alloc(struct unix_sock *sender, size_t len);
/*
 * Frees @skb, dropping its files and address; @owner's in-flight count
 * follows. Uncharges the sender and wakes its writers (POLLOUT).
 */
void unix_skb_free(struct unix_sock *owner, struct unix_skb *skb);
/* Fills @scm (unix_scm_init() first) from @msg's control messages; 0 or -errno. */
int unix_scm_send(struct kmsghdr *msg, struct unix_scm *scm);
void __unix_scm_destroy(struct unix_scm *scm);
/* Drops what @scm still holds (files not attached to an skb). */
static inline void unix_scm_destroy(struct unix_scm *scm)
{
	if (scm->fp)
		__unix_scm_destroy(scm);
}
/* The current task's pid, uid and gid, as SCM_CREDENTIALS carries them. */
void unix_current_cred(struct ucred *cred);

/*
 * Moves @scm's files and credentials into @skb, which @sender sends to
 * @other (files: once, to the first skb of the send). As on Linux,
 * credentials are recorded only when asked for: given with
 * SCM_CREDENTIALS, or either end has SO_PASSCRED, or @other is an embryo
 * not accepted yet (it may turn SO_PASSCRED on once accepted). Otherwise a
 * receiver that turns SO_PASSCRED on later reads pid 0 and the overflow
 * ids, as it does on Linux.
 */
static inline void unix_scm_attach(struct unix_skb *skb, struct unix_scm *scm,
				   struct unix_sock *sender, struct unix_sock *other)
{
	if (scm->has_cred)
		skb->cred = scm->cred;
	else if (((READ_ONCE(sender->sk.flags) | READ_ONCE(other->sk.flags)) & SOCK_PASSCRED) ||
		 !READ_ONCE(other->sock))
		unix_current_cred(&skb->cred);
	else
		skb->cred = (struct ucred){ .uid = UNIX_OVERFLOW_ID, .gid = UNIX_OVERFLOW_ID };
	if (scm->fp) {
		skb->fp = scm->fp;
		skb->nfp = scm->nfp;
		scm->fp = NULL;
		scm->nfp = 0;
	}
}
/*
 * Queues @skb on @other; -EPIPE if @other is dead or shut for reading,
 * -ETOOMANYREFS if a file in @skb would make a reference cycle (scm.c).
 * Wakes @other's readers. The caller keeps @skb on error.
 */
int unix_queue_skb(struct unix_sock *other, struct unix_skb *skb);
/*
 * Delivers @skb's files (MSG_PEEK: copies) and, with @cred, its
 * credentials (SO_PASSCRED) to the receiver; @msg NULL for read(2), which
 * has no control buffer.
 */
int unix_scm_recv(struct unix_sock *u, struct kmsghdr *msg, struct unix_skb *skb, int flags,
		  bool cred);

/* stream.c, dgram.c */
ssize_t unix_stream_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags);
ssize_t unix_stream_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags);
ssize_t unix_stream_read(struct socket *sock, char __user *buf, size_t len, int flags);
ssize_t unix_stream_write(struct socket *sock, const char __user *buf, size_t len, int flags);
ssize_t unix_dgram_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags);
ssize_t unix_dgram_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags);
ssize_t unix_seqpacket_sendmsg(struct socket *sock, struct kmsghdr *msg, int flags);
ssize_t unix_seqpacket_recvmsg(struct socket *sock, struct kmsghdr *msg, int flags);
int unix_dgram_connect(struct socket *sock, struct sockaddr *addr, int len, int flags);

#endif /* _NET_UNIX_INTERNAL_H */
