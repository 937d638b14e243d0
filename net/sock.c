// SPDX-License-Identifier: MIT
/*
 * struct sock, the protocol-independent half of a socket, and the socket
 * level options: setsockopt/getsockopt at SOL_SOCKET (other levels go to
 * the protocol, and AF_UNIX has none: EOPNOTSUPP, as Linux).
 *
 * Buffer sizes follow Linux: SO_SNDBUF/SO_RCVBUF store twice the value
 * asked (the kernel's bookkeeping overhead), clamped to [min, 2 * max]; the
 * *FORCE variants skip the max for root. SO_RCVTIMEO/SO_SNDTIMEO take a
 * struct timeval (both the _OLD and _NEW numbers: one layout on x86_64);
 * {0, 0} means none, a negative time means do not wait at all.
 *
 * Locking: sk->lock guards the option fields; it is taken alone.
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/net.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time_types.h>
#include "internal.h"

void sock_init_data(struct sock *sk, int family, int type)
{
	spin_lock_init(&sk->lock);
	init_waitqueue_head(&sk->wq);
	sk->refcnt = 1;
	sk->family = (unsigned short)family;
	sk->type = (unsigned short)type;
	sk->state = SK_CLOSE;
	sk->sndbuf = SK_BUF_DEFAULT;
	sk->rcvbuf = SK_BUF_DEFAULT;
	sk->peercred = (struct ucred){ .pid = 0, .uid = (u32)-1, .gid = (u32)-1 };
}

int __sock_error(struct sock *sk)
{
	int err;

	spin_lock(&sk->lock);
	err = sk->err;
	sk->err = 0;
	spin_unlock(&sk->lock);
	return -err;
}

void sock_current_ucred(struct ucred *cred)
{
	const struct cred *c = current_cred();

	cred->pid = (u32)current->tgid;
	cred->uid = c->euid;
	cred->gid = c->egid;
}

u64 sock_deadline_after(u64 timeo)
{
	return ktime_get_ns() + timeo;
}


static int sock_set_timeout(u64 *timeo, const void __user *optval, unsigned int optlen)
{
	struct __kernel_old_timeval tv;

	if (optlen < sizeof(tv))
		return -EINVAL;
	if (copy_from_user(&tv, optval, sizeof(tv)))
		return -EFAULT;
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		*timeo = 1;	/* do not wait */
	else if (tv.tv_sec > (s64)(~0ULL / NSEC_PER_SEC / 2))
		*timeo = 0;	/* as good as forever */
	else
		*timeo = (u64)tv.tv_sec * NSEC_PER_SEC + (u64)tv.tv_usec * NSEC_PER_USEC;
	return 0;
}

int sock_epipe(int flags)
{
	if (!(flags & MSG_NOSIGNAL))
		send_sig_info(SIGPIPE, NULL, current);	/* thread-directed, as Linux */
	return -EPIPE;
}

static void sock_set_flag(struct sock *sk, unsigned int flag, bool on)
{
	spin_lock(&sk->lock);
	if (on)
		sk->flags |= flag;
	else
		sk->flags &= ~flag;
	spin_unlock(&sk->lock);
}

/* SO_SNDBUF/SO_RCVBUF: Linux doubles the value, within [@min, 2 * SK_BUF_MAX] unless forced. */
static int sock_buf_size(int val, int min, bool force)
{
	long v = val;

	if (!force && v > SK_BUF_MAX)
		v = SK_BUF_MAX;
	if (v < 0)
		v = 0;
	v *= 2;
	if (v > 0x7fffffff)
		v = 0x7fffffff;
	return v < min ? min : (int)v;
}

static int sock_setsockopt(struct sock *sk, int optname, const void __user *optval,
			   unsigned int optlen)
{
	bool root = current_cred()->euid == 0;
	struct linger ling;
	u64 timeo;
	int val, err;

	if (optname == SO_LINGER) {
		if (optlen < sizeof(ling))
			return -EINVAL;
		if (copy_from_user(&ling, optval, sizeof(ling)))
			return -EFAULT;
		spin_lock(&sk->lock);
		if (ling.l_onoff) {
			sk->flags |= SOCK_LINGER;
			sk->lingertime = ling.l_linger < 0 ? 0 : (unsigned int)ling.l_linger;
		} else {
			sk->flags &= ~SOCK_LINGER;
		}
		spin_unlock(&sk->lock);
		return 0;
	}
	if (optname == SO_RCVTIMEO_OLD || optname == SO_RCVTIMEO_NEW ||
	    optname == SO_SNDTIMEO_OLD || optname == SO_SNDTIMEO_NEW) {
		err = sock_set_timeout(&timeo, optval, optlen);
		if (err)
			return err;
		spin_lock(&sk->lock);
		if (optname == SO_RCVTIMEO_OLD || optname == SO_RCVTIMEO_NEW)
			sk->rcvtimeo = timeo;
		else
			sk->sndtimeo = timeo;
		spin_unlock(&sk->lock);
		return 0;
	}
	/* A device name, not an int: the family's (AF_INET), ENOPROTOOPT elsewhere. */
	if (optname == SO_BINDTODEVICE)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (get_user(val, (const int __user *)optval))
		return -EFAULT;
	switch (optname) {
	case SO_PASSCRED:
		sock_set_flag(sk, SOCK_PASSCRED, val);
		return 0;
	case SO_REUSEADDR:
		sock_set_flag(sk, SOCK_REUSEADDR, val);
		return 0;
	case SO_KEEPALIVE:
		sock_set_flag(sk, SOCK_KEEPALIVE, val);
		return 0;
	case SO_BROADCAST:
		sock_set_flag(sk, SOCK_BROADCAST, val);
		return 0;
	case SO_REUSEPORT:
		sock_set_flag(sk, SOCK_REUSEPORT, val);
		return 0;
	case SO_SNDBUFFORCE:
	case SO_SNDBUF:
		if (optname == SO_SNDBUFFORCE && !root)
			return -EPERM;
		spin_lock(&sk->lock);
		sk->sndbuf = sock_buf_size(val, SK_MIN_SNDBUF, optname == SO_SNDBUFFORCE);
		spin_unlock(&sk->lock);
		/* A bigger buffer may let a writer on. */
		wake_up(&sk->wq);
		return 0;
	case SO_RCVBUFFORCE:
	case SO_RCVBUF:
		if (optname == SO_RCVBUFFORCE && !root)
			return -EPERM;
		spin_lock(&sk->lock);
		sk->rcvbuf = sock_buf_size(val, SK_MIN_RCVBUF, optname == SO_RCVBUFFORCE);
		spin_unlock(&sk->lock);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int sock_getsockopt(struct sock *sk, int optname, void __user *optval,
			   int __user *optlen)
{
	struct __kernel_old_timeval tv;
	struct linger ling;
	struct ucred cred;
	const void *src;
	u64 timeo;
	int len, val = 0, size = sizeof(int);

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	src = &val;
	spin_lock(&sk->lock);
	switch (optname) {
	case SO_TYPE:
		val = sk->type;
		break;
	case SO_DOMAIN:
		val = sk->family;
		break;
	case SO_PROTOCOL:
		val = sk->protocol;
		break;
	case SO_ERROR:
		val = sk->err;
		sk->err = 0;
		break;
	case SO_SNDBUF:
		val = sk->sndbuf;
		break;
	case SO_RCVBUF:
		val = sk->rcvbuf;
		break;
	case SO_PASSCRED:
		val = !!(sk->flags & SOCK_PASSCRED);
		break;
	case SO_REUSEADDR:
		val = !!(sk->flags & SOCK_REUSEADDR);
		break;
	case SO_KEEPALIVE:
		val = !!(sk->flags & SOCK_KEEPALIVE);
		break;
	case SO_BROADCAST:
		val = !!(sk->flags & SOCK_BROADCAST);
		break;
	case SO_REUSEPORT:
		val = !!(sk->flags & SOCK_REUSEPORT);
		break;
	case SO_LINGER:
		ling.l_onoff = !!(sk->flags & SOCK_LINGER);
		ling.l_linger = (int)sk->lingertime;
		src = &ling;
		size = sizeof(ling);
		break;
	case SO_ACCEPTCONN:
		val = sk->state == SK_LISTEN;
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		timeo = (optname == SO_RCVTIMEO_OLD || optname == SO_RCVTIMEO_NEW) ? sk->rcvtimeo
										   : sk->sndtimeo;
		tv.tv_sec = (s64)(timeo / NSEC_PER_SEC);
		tv.tv_usec = (s64)(timeo % NSEC_PER_SEC / NSEC_PER_USEC);
		src = &tv;
		size = sizeof(tv);
		break;
	case SO_PEERCRED:
		cred = sk->peercred;
		src = &cred;
		size = sizeof(cred);
		break;
	default:
		spin_unlock(&sk->lock);
		return -ENOPROTOOPT;
	}
	spin_unlock(&sk->lock);
	if (len > size)
		len = size;
	if (copy_to_user(optval, src, (size_t)len))
		return -EFAULT;
	return put_user(len, optlen) ? -EFAULT : 0;
}

/*
 * setsockopt and getsockopt: SOL_SOCKET here first; other levels, and
 * SOL_SOCKET options unknown here, go to the protocol (AF_INET has both).
 */
static long do_sockopt(int fd, int level, int optname, char __user *optval, int optlen,
		       int __user *uoptlen, bool get)
{
	struct socket *sock __free(sockfd_put) = NULL;
	const struct proto_ops *ops;
	int err = -ENOPROTOOPT;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ops = sock->ops;
	if (level == SOL_SOCKET)
		err = get ? sock_getsockopt(sock->sk, optname, optval, uoptlen)
			  : sock_setsockopt(sock->sk, optname, optval, (unsigned int)optlen);
	else if (!(get ? (void *)ops->getsockopt : (void *)ops->setsockopt))
		return -EOPNOTSUPP;
	if (err != -ENOPROTOOPT)
		return err;
	if (get && ops->getsockopt)
		err = ops->getsockopt(sock, level, optname, optval, uoptlen);
	else if (!get && ops->setsockopt)
		err = ops->setsockopt(sock, level, optname, optval, (unsigned int)optlen);
	return err;
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, optname, char __user *, optval,
		int, optlen)
{
	if (optlen < 0)
		return -EINVAL;
	return do_sockopt(fd, level, optname, optval, optlen, NULL, false);
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, optname, char __user *, optval,
		int __user *, optlen)
{
	return do_sockopt(fd, level, optname, optval, 0, optlen, true);
}
