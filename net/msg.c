// SPDX-License-Identifier: MIT
/*
 * Socket data transfer: sendto, recvfrom, sendmsg, recvmsg, sendmmsg,
 * recvmmsg, and the ancillary-data helpers the protocols use (put_cmsg
 * for receiving, the cmsg walk for sending).
 *
 * Each syscall turns its arguments into a struct kmsghdr: the data as an
 * iov_iter over user memory (import_iovec checks every segment), the
 * address copied into a kernel sockaddr_storage, and for a send the control
 * buffer copied into kernel memory. A non-blocking file adds MSG_DONTWAIT.
 * After a receive the address, msg_flags and the used control length go
 * back to the user's msghdr, as Linux writes them.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/net.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/time_types.h>
#include <uapi/uio.h>
#include "internal.h"

#define MAX_CONTROL_LEN	0x7fffffffUL	/* INT_MAX: a longer control buffer is ENOBUFS */

bool cmsg_ok(struct kmsghdr *msg, struct cmsghdr *c)
{
	size_t off = (size_t)((char *)c - (char *)msg->control);

	return c->cmsg_len >= sizeof(struct cmsghdr) && c->cmsg_len <= msg->controllen - off;
}

struct cmsghdr *cmsg_next(struct kmsghdr *msg, struct cmsghdr *c)
{
	char *next = (char *)c + CMSG_ALIGN(c->cmsg_len);
	size_t off = (size_t)(next - (char *)msg->control);

	if (off + sizeof(struct cmsghdr) > msg->controllen)
		return NULL;
	return (struct cmsghdr *)next;
}

int put_cmsg(struct kmsghdr *msg, int level, int type, size_t len, const void *data)
{
	struct cmsghdr h;
	size_t cmlen = CMSG_LEN(len), space;

	if (!msg->ucontrol || msg->controllen < sizeof(h)) {
		msg->flags |= MSG_CTRUNC;
		return 0;
	}
	if (msg->controllen < cmlen) {
		msg->flags |= MSG_CTRUNC;
		cmlen = msg->controllen;
	}
	h.cmsg_len = cmlen;
	h.cmsg_level = level;
	h.cmsg_type = type;
	if (copy_to_user(msg->ucontrol, &h, sizeof(h)))
		return -EFAULT;
	if (cmlen > CMSG_DATA_OFF &&
	    copy_to_user((char __user *)msg->ucontrol + CMSG_DATA_OFF, data, cmlen - CMSG_DATA_OFF))
		return -EFAULT;
	space = CMSG_SPACE(len);
	if (space > msg->controllen)
		space = msg->controllen;
	msg->ucontrol = (char __user *)msg->ucontrol + space;
	msg->controllen -= space;
	return 0;
}

/* One user buffer as an iov_iter, with read()'s clipping and EFAULT check. */
static int import_single(void __user *buf, size_t len, struct iovec *iov, struct iov_iter *it)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!access_ok(buf, len))
		return -EFAULT;
	iov->iov_base = buf;
	iov->iov_len = len;
	iov_iter_init(it, iov, 1, len);
	return 0;
}

SYSCALL_DEFINE6(sendto, int, fd, void __user *, buff, size_t, len, unsigned int, flags,
		struct sockaddr __user *, addr, int, addr_len)
{
	struct sockaddr_storage address;
	struct kmsghdr msg = { 0 };
	struct socket *sock __free(sockfd_put) = NULL;
	struct iovec iov;
	long err;

	err = import_single(buff, len, &iov, &msg.iter);
	if (err)
		return err;
	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if (addr) {
		err = move_addr_to_kernel(addr, addr_len, &address);
		if (err)
			return err;
		msg.name = &address;
		msg.namelen = addr_len;
	}
	err = sock_xfer(sock, sock->file, &msg, (int)flags, true);
	return err;
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, ubuf, size_t, size, unsigned int, flags,
		struct sockaddr __user *, addr, int __user *, addr_len)
{
	struct sockaddr_storage address;
	struct kmsghdr msg = { .name = &address };
	struct socket *sock __free(sockfd_put) = NULL;
	struct iovec iov;
	long err, err2;

	err = import_single(ubuf, size, &iov, &msg.iter);
	if (err)
		return err;
	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = sock_xfer(sock, sock->file, &msg, (int)flags, false);
	if (err >= 0 && addr) {
		err2 = move_addr_to_user(&address, msg.namelen, addr, addr_len);
		if (err2 < 0)
			err = err2;
	}
	return err;
}

/*
 * The user msghdr @umsg into @m and @msg: the iovec array (kfree *@iov),
 * the address for a send, the control buffer (a kernel copy for a send,
 * kfree msg->control). Linux's errors: EFAULT, EINVAL for a negative
 * msg_namelen, EMSGSIZE for more than UIO_MAXIOV segments, ENOBUFS for an
 * oversized control buffer.
 */
static int copy_msghdr_from_user(struct kmsghdr *msg, const struct msghdr __user *umsg,
				 struct msghdr *m, struct sockaddr_storage *addr,
				 struct iovec **iov, bool send)
{
	size_t total;
	int err;

	if (copy_from_user(m, umsg, sizeof(*m)))
		return -EFAULT;
	if (m->msg_namelen < 0)
		return -EINVAL;
	if (m->msg_namelen > (int)sizeof(*addr))
		m->msg_namelen = sizeof(*addr);
	if (m->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	msg->name = addr;
	msg->namelen = 0;
	if (send && m->msg_name && m->msg_namelen) {
		err = move_addr_to_kernel(m->msg_name, m->msg_namelen, addr);
		if (err)
			return err;
		msg->namelen = m->msg_namelen;
	} else if (send) {
		msg->name = NULL;
	}
	*iov = import_iovec(m->msg_iov, m->msg_iovlen, &total);
	if (IS_ERR(*iov))
		return (int)PTR_ERR(*iov);
	iov_iter_init(&msg->iter, *iov, m->msg_iovlen, total);
	msg->controllen = m->msg_controllen;
	if (!send) {
		msg->ucontrol = m->msg_control;
		return 0;
	}
	if (m->msg_controllen > MAX_CONTROL_LEN) {
		err = -ENOBUFS;
		goto out_free_iov;
	}
	if (m->msg_controllen < sizeof(struct cmsghdr)) {
		msg->controllen = 0;
		return 0;
	}
	msg->control = kmalloc(m->msg_controllen, GFP_KERNEL);
	err = -ENOMEM;
	if (!msg->control)
		goto out_free_iov;
	err = -EFAULT;
	if (copy_from_user(msg->control, m->msg_control, m->msg_controllen))
		goto out_free_control;
	return 0;

out_free_control:
	kfree(msg->control);
	msg->control = NULL;
out_free_iov:
	kfree(*iov);
	return err;
}

/*
 * One sendmsg or recvmsg on @sock; a receive writes the address, flags and
 * control length back to @umsg. Bytes or -errno.
 */
static long sock_msg_one(struct socket *sock, struct msghdr __user *umsg,
			 unsigned int flags, bool send)
{
	struct sockaddr_storage address;
	struct kmsghdr msg = { 0 };
	struct iovec *iov;
	struct msghdr m;
	long err, err2 = 0;

	err = copy_msghdr_from_user(&msg, umsg, &m, &address, &iov, send);
	if (err)
		return err;
	err = sock_xfer(sock, sock->file, &msg, (int)flags, send);
	kfree(msg.control);
	kfree(iov);
	if (send || err < 0)
		return err;
	if (m.msg_name)
		err2 = move_addr_to_user(&address, msg.namelen, m.msg_name, &umsg->msg_namelen);
	if (!err2 && (put_user(msg.flags & ~MSG_CMSG_CLOEXEC, &umsg->msg_flags) ||
		      put_user(m.msg_controllen - msg.controllen, &umsg->msg_controllen)))
		err2 = -EFAULT;
	return err2 ? err2 : err;
}

static long do_sys_msg(int fd, struct msghdr __user *umsg, unsigned int flags, bool send)
{
	struct socket *sock __free(sockfd_put) = NULL;
	long err;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = sock_msg_one(sock, umsg, flags, send);
	return err;
}

SYSCALL_DEFINE3(sendmsg, int, fd, struct msghdr __user *, umsg, unsigned int, flags)
{
	return do_sys_msg(fd, umsg, flags, true);
}

SYSCALL_DEFINE3(recvmsg, int, fd, struct msghdr __user *, umsg, unsigned int, flags)
{
	return do_sys_msg(fd, umsg, flags, false);
}

/*
 * sendmmsg and recvmmsg, Linux's rules: at most UIO_MAXIOV messages; each
 * one's byte count goes to its msg_len; an error after some messages ends
 * the batch and the count is returned (a receive error other than EAGAIN
 * is kept as the socket's pending error, for the next call). recvmmsg:
 * MSG_WAITFORONE turns on MSG_DONTWAIT after the first message; the
 * timeout is checked after each message (not while waiting, as in Linux)
 * and what is left of it is written back.
 */
static long do_sys_mmsg(int fd, struct mmsghdr __user *vec, unsigned int vlen, unsigned int flags,
			struct __kernel_timespec __user *utimeout, bool send)
{
	struct __kernel_timespec ts;
	u64 deadline = 0, now;
	struct socket *sock __free(sockfd_put) = NULL;
	unsigned int n = 0;
	long err = 0;

	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
			return -EINVAL;
		deadline = ktime_get_ns() + (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	}
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if (!send) {
		err = sock_error(sock->sk);
		if (err)
			return err;
	}
	for (; n < vlen; n++) {
		err = sock_msg_one(sock, &vec[n].msg_hdr, flags & ~MSG_WAITFORONE, send);
		if (err < 0)
			break;
		if (put_user((unsigned int)err, &vec[n].msg_len)) {
			err = -EFAULT;
			break;
		}
		err = 0;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (utimeout && ktime_get_ns() >= deadline) {
			n++;
			break;
		}
	}
	if (n && err && err != -EAGAIN && !send) {
		spin_lock(&sock->sk->lock);
		sock->sk->err = (int)-err;
		spin_unlock(&sock->sk->lock);
	}
	if (n)
		err = n;
	if (n && utimeout) {
		now = ktime_get_ns();
		now = deadline > now ? deadline - now : 0;
		ts.tv_sec = (long long)(now / NSEC_PER_SEC);
		ts.tv_nsec = (long long)(now % NSEC_PER_SEC);
		if (copy_to_user(utimeout, &ts, sizeof(ts)))
			err = -EFAULT;
	}
	return err;
}

SYSCALL_DEFINE4(sendmmsg, int, fd, struct mmsghdr __user *, mmsg, unsigned int, vlen,
		unsigned int, flags)
{
	return do_sys_mmsg(fd, mmsg, vlen, flags, NULL, true);
}

SYSCALL_DEFINE5(recvmmsg, int, fd, struct mmsghdr __user *, mmsg, unsigned int, vlen,
		unsigned int, flags, struct __kernel_timespec __user *, timeout)
{
	return do_sys_mmsg(fd, mmsg, vlen, flags, timeout, false);
}
