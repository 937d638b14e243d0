// SPDX-License-Identifier: MIT
/*
 * AF_UNIX messages and their ancillary data: unix_skb allocation, queuing
 * on the receiver, SCM_RIGHTS (files in flight) and SCM_CREDENTIALS.
 *
 * A file passed with SCM_RIGHTS is held by reference in the skb from the
 * send until a receive installs it as a new fd; an skb freed unreceived
 * (the receiver closed, or MSG_CTRUNC dropped what did not fit) drops it.
 *
 * Cycles and chains: an AF_UNIX socket in flight inside its own queue
 * (directly or through other sockets) would never be released, and we
 * have no garbage collector to find such loops; a long chain of sockets
 * each in flight in the next would be released by recursion (fput ->
 * release -> fput ...) deep enough to overflow the kernel stack, since
 * fput() is not deferred. So files travel only in one level: a unix
 * socket may be sent only when it is not the receiver, holds no files in
 * flight itself (inflight == 0) and, if listening, has no pending
 * connections (their queues could hold files); and files may be sent to
 * a socket only while its own file is not in flight (flight == 0).
 * Otherwise the send fails with ETOOMANYREFS. The checks and the queuing
 * are one step under unix_gc_lock, so no loop or chain can form between
 * two sends.
 *
 * Lock order: unix_gc_lock -> receiver's sk.lock.
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/net.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "internal.h"

static DEFINE_SPINLOCK(unix_gc_lock);

struct unix_skb *unix_skb_alloc(struct unix_sock *sender, size_t len)
{
	struct unix_skb *skb = kmalloc(sizeof(*skb) + len, GFP_KERNEL);

	if (!skb)
		return ERR_PTR(-ENOMEM);
	sock_hold(&sender->sk);
	__atomic_fetch_add(&sender->wmem, len, __ATOMIC_RELAXED);
	skb->sender = sender;
	skb->len = len;
	skb->off = 0;
	skb->addr = NULL;
	skb->fp = NULL;
	skb->nfp = 0;
	return skb;
}

static void unix_fp_put(struct file **fp, unsigned int from, unsigned int n)
{
	for (unsigned int i = from; i < n; i++)
		fput(fp[i]);
}

/* The AF_UNIX socket behind @file, or NULL. */
static struct unix_sock *unix_sock_of_file(struct file *file)
{
	struct socket *s = sock_from_file(file);

	return s && s->sk && s->sk->family == AF_UNIX ? unix_sk(s->sk) : NULL;
}

/* Counts @skb's files into (@delta 1) or out of (-1) @owner's queue; unix_gc_lock held. */
static void unix_inflight_add(struct unix_sock *owner, struct unix_skb *skb, int delta)
{
	lockdep_assert_held(&unix_gc_lock);
	owner->inflight += (unsigned int)delta;
	for (unsigned int i = 0; i < skb->nfp; i++) {
		struct unix_sock *p = unix_sock_of_file(skb->fp[i]);

		if (p)
			p->flight += (unsigned int)delta;
	}
}

/* @owner's queue no longer holds @skb's files. */
static void unix_inflight_dec(struct unix_sock *owner, struct unix_skb *skb)
{
	if (!owner || !skb->fp)
		return;
	spin_lock(&unix_gc_lock);
	unix_inflight_add(owner, skb, -1);
	spin_unlock(&unix_gc_lock);
}

/*
 * Gives @len bytes back to @sender's SO_SNDBUF and wakes its queue with
 * POLLOUT when that can matter: a writer sleeps for room only while its
 * charge is at SO_SNDBUF, so only a free from there can end its wait (a
 * smaller SO_SNDBUF set since is read here; a bigger one wakes in
 * setsockopt). Poll and epoll hear every free once the socket has been
 * polled, as edge-triggered epoll expects (Linux wakes on each free while
 * there is room). Without the test, the sender of a request, asleep in
 * read() for the answer on this same queue, was woken for nothing each
 * time the peer read the request. The fetch_sub is a full barrier: a
 * writer's prepare_to_wait() and its look at wmem, or unix_poll()'s
 * polled store and its look, come before it or see its result.
 */
static void unix_wmem_uncharge(struct unix_sock *sender, size_t len)
{
	size_t old = __atomic_fetch_sub(&sender->wmem, len, __ATOMIC_SEQ_CST);

	if (old >= (size_t)READ_ONCE(sender->sk.sndbuf) || READ_ONCE(sender->polled))
		__wake_up(&sender->sk.wq, poll_to_key(POLLOUT | POLLWRNORM | POLLWRBAND));
}

void unix_skb_free(struct unix_sock *owner, struct unix_skb *skb)
{
	if (skb->fp) {
		unix_inflight_dec(owner, skb);
		unix_fp_put(skb->fp, 0, skb->nfp);
		kfree(skb->fp);
	}
	unix_address_put(skb->addr);
	unix_wmem_uncharge(skb->sender, skb->len);
	sock_put(&skb->sender->sk);
	kfree(skb);
}

void __unix_scm_destroy(struct unix_scm *scm)
{
	unix_fp_put(scm->fp, 0, scm->nfp);
	kfree(scm->fp);
	scm->fp = NULL;
	scm->nfp = 0;
}

/* SCM_RIGHTS: references to the files of the fds in @c, appended to @scm. */
static int unix_scm_rights(struct cmsghdr *c, struct unix_scm *scm)
{
	unsigned int n = (unsigned int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	const int *fds = cmsg_data(c);
	struct file **fp;

	if (!n)
		return 0;
	if (scm->nfp + n > SCM_MAX_FD)
		return -EINVAL;
	fp = kmalloc((scm->nfp + n) * sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	if (scm->nfp)
		memcpy(fp, scm->fp, scm->nfp * sizeof(*fp));
	kfree(scm->fp);
	scm->fp = fp;
	for (unsigned int i = 0; i < n; i++) {
		struct file *f = fds[i] < 0 ? NULL : fget(current_files(), (unsigned int)fds[i]);

		if (!f)
			return -EBADF;
		scm->fp[scm->nfp++] = f;
	}
	return 0;
}

/* SCM_CREDENTIALS: only one's own pid, and ids one has, unless root. */
static int unix_scm_creds(struct cmsghdr *c, struct unix_scm *scm)
{
	const struct cred *cred = current_cred();
	struct ucred uc;
	bool root = cred->euid == 0;

	if (c->cmsg_len != CMSG_LEN(sizeof(uc)))
		return -EINVAL;
	memcpy(&uc, cmsg_data(c), sizeof(uc));
	if (!root && uc.pid != (u32)current->tgid)
		return -EPERM;
	if (!root && uc.uid != cred->uid && uc.uid != cred->euid && uc.uid != cred->suid)
		return -EPERM;
	if (!root && uc.gid != cred->gid && uc.gid != cred->egid && uc.gid != cred->sgid)
		return -EPERM;
	scm->cred = uc;
	scm->has_cred = true;
	return 0;
}

void unix_current_cred(struct ucred *uc)
{
	const struct cred *cred = current_cred();

	*uc = (struct ucred){ .pid = (u32)current->tgid, .uid = cred->uid, .gid = cred->gid };
}

int unix_scm_send(struct kmsghdr *msg, struct unix_scm *scm)
{
	struct cmsghdr *c;
	int err = 0;

	for (c = cmsg_first(msg); c; c = cmsg_next(msg, c)) {
		if (!cmsg_ok(msg, c)) {
			err = -EINVAL;
			break;
		}
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_RIGHTS)
			err = unix_scm_rights(c, scm);
		else if (c->cmsg_type == SCM_CREDENTIALS)
			err = unix_scm_creds(c, scm);
		else
			err = -EINVAL;
		if (err)
			break;
	}
	if (err)
		unix_scm_destroy(scm);
	return err;
}

/* Would sending @skb's files to @other nest files in flight (see the top)? unix_gc_lock held. */
static bool unix_fp_makes_cycle(struct unix_sock *other, struct unix_skb *skb)
{
	lockdep_assert_held(&unix_gc_lock);
	if (other->flight)
		return true;
	for (unsigned int i = 0; i < skb->nfp; i++) {
		struct unix_sock *p = unix_sock_of_file(skb->fp[i]);

		if (!p)
			continue;
		if (p == other || p->inflight ||
		    (READ_ONCE(p->sk.state) == SK_LISTEN && READ_ONCE(p->qlen)))
			return true;
	}
	return false;
}

/*
 * list_add_tail() of @skb to @other's queue, sk.lock held, with the link
 * that makes it reachable (the old tail's next, or the queue's first)
 * stored last, with release: a stream reader walks the queue from its
 * head without sk.lock (unix_stream_next()) and so sees the skb whole.
 * Only the reader, under its iolock, takes skbs off.
 */
static void unix_queue_publish(struct unix_sock *other, struct unix_skb *skb)
{
	struct list_head *head = &other->queue, *prev = head->prev;

	lockdep_assert_held(&other->sk.lock);
	skb->node.next = head;
	skb->node.prev = prev;
	head->prev = &skb->node;
	__atomic_store_n(&prev->next, &skb->node, __ATOMIC_RELEASE);
}

/* Queues @skb on @other; the caller holds unix_gc_lock when it carries files. */
static __always_inline int __unix_queue_skb(struct unix_sock *other, struct unix_skb *skb)
{
	struct sock *sk = &other->sk;
	int err = 0;

	spin_lock(&sk->lock);
	if ((sk->flags & SOCK_DEAD) || (sk->shutdown & RCV_SHUTDOWN)) {
		err = -EPIPE;
	} else {
		unix_queue_publish(other, skb);
		other->qlen++;
		other->queued_bytes += skb->len;
		if (skb->fp)
			unix_inflight_add(other, skb, 1);
	}
	spin_unlock(&sk->lock);
	return err;
}

int unix_queue_skb(struct unix_sock *other, struct unix_skb *skb)
{
	int err;

	if (skb->fp) {
		spin_lock(&unix_gc_lock);
		if (unix_fp_makes_cycle(other, skb))
			err = -ETOOMANYREFS;
		else
			err = __unix_queue_skb(other, skb);
		spin_unlock(&unix_gc_lock);
	} else {
		err = __unix_queue_skb(other, skb);
	}
	if (!err)
		__wake_up(&other->sk.wq, poll_to_key(POLLIN | POLLRDNORM));
	return err;
}

/* SCM_RIGHTS out: as many new fds as the control buffer holds, MSG_CTRUNC for the rest. */
static int unix_scm_detach_fds(struct unix_sock *u, struct kmsghdr *msg, struct unix_skb *skb,
			       int flags)
{
	size_t room = msg->ucontrol && msg->controllen > sizeof(struct cmsghdr)
			      ? (msg->controllen - sizeof(struct cmsghdr)) / sizeof(int)
			      : 0;
	unsigned int n = 0, max = skb->nfp < room ? skb->nfp : (unsigned int)room;
	bool peek = flags & MSG_PEEK;
	int fds[SCM_MAX_FD];
	int err = 0;

	/* Out of flight first, while the skb still holds every file: an installed fd may be closed at once. */
	if (!peek)
		unix_inflight_dec(u, skb);
	for (; n < max; n++) {
		struct file *f = peek ? get_file(skb->fp[n]) : skb->fp[n];
		int fd = fd_install_new(current_files(), f,
					(flags & MSG_CMSG_CLOEXEC) ? O_CLOEXEC : 0);

		if (fd < 0) {
			if (peek)
				fput(f);
			break;
		}
		fds[n] = fd;
	}
	if (n)
		err = put_cmsg(msg, SOL_SOCKET, SCM_RIGHTS, n * sizeof(int), fds);
	if (n < skb->nfp)
		msg->flags |= MSG_CTRUNC;
	if (peek)
		return err;
	/* The rest are dropped, as Linux does. */
	unix_fp_put(skb->fp, n, skb->nfp);
	kfree(skb->fp);
	skb->fp = NULL;
	skb->nfp = 0;
	return err;
}

int unix_scm_recv(struct unix_sock *u, struct kmsghdr *msg, struct unix_skb *skb, int flags,
		  bool cred)
{
	struct kmsghdr none = { 0 };	/* read(2): cmsgs are cut (MSG_CTRUNC), files dropped */
	int err = 0;

	if (!msg)
		msg = &none;

	if (cred && (READ_ONCE(u->sk.flags) & SOCK_PASSCRED))
		err = put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, sizeof(skb->cred), &skb->cred);
	if (!err && skb->nfp)
		err = unix_scm_detach_fds(u, msg, skb, flags);
	return err;
}
