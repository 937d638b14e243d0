// SPDX-License-Identifier: MIT
/*
 * The socket layer: sockfs, socket files, and the socket syscalls that
 * create, name and connect sockets (socket, socketpair, bind, listen,
 * accept, accept4, connect, getsockname, getpeername, shutdown). Data
 * transfer is in net/msg.c, socket options and struct sock in net/sock.c.
 *
 * A socket is a pseudo file on an S_IFSOCK inode of sockfs: fstat shows
 * it, read/write/readv/writev/poll/ioctl go to the protocol through
 * socket_file_ops, and the last fput() releases the protocol state and the
 * struct socket (sock_close). Syscalls check and copy their arguments here
 * (addresses into a kernel sockaddr_storage) in the order Linux does, so
 * the errno of a call with several bad arguments is Linux's.
 *
 * Locking: families[] is written once per family at boot under
 * families_lock and read without it afterwards.
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/net.h>
#include <exo/netdevice.h>
#include <exo/poll.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/sockios.h>
#include <uapi/stat.h>
#include "internal.h"

static struct super_block *sock_sb;	/* [immutable after init] sockfs */
static struct file_system_type sockfs_type = { .name = "sockfs" };
static const struct net_proto_family *families[AF_MAX];	/* [families_lock], then read-only */
static DEFINE_SPINLOCK(families_lock);

int sock_register(const struct net_proto_family *fam)
{
	int err = 0;

	spin_lock(&families_lock);
	if (families[fam->family])
		err = -EEXIST;
	else
		families[fam->family] = fam;
	spin_unlock(&families_lock);
	return err;
}

/* ---- socket files -------------------------------------------------------- */

/* MSG_DONTWAIT for a non-blocking file. */
static int sock_file_flags(struct file *file)
{
	return (file->f_flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
}

ssize_t sock_xfer(struct socket *sock, struct file *file, struct kmsghdr *msg, int flags,
		  bool send)
{
	flags |= sock_file_flags(file);
	return send ? sock->ops->sendmsg(sock, msg, flags) : sock->ops->recvmsg(sock, msg, flags);
}

/* read/write and their vectored forms: a receive or send without address or control data. */
static ssize_t sock_rw_iter(struct file *file, struct iov_iter *it, bool write)
{
	struct kmsghdr msg = { .iter = *it };
	ssize_t ret = sock_xfer(file->private_data, file, &msg, 0, write);

	*it = msg.iter;
	return ret;
}

static ssize_t sock_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	return sock_rw_iter(file, to, false);
}

static ssize_t sock_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	return sock_rw_iter(file, from, true);
}

/*
 * read(2) and write(2) of one buffer (it passed access_ok()): the
 * protocol's ->read/->write when it has them, else recvmsg/sendmsg
 * through a one-segment iterator.
 */
static __always_inline ssize_t sock_rw_buf(struct file *file, char __user *buf, size_t count,
					   loff_t *pos, bool write)
{
	struct socket *sock = file->private_data;
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct iov_iter it;

	if (write && sock->ops->write)
		return sock->ops->write(sock, buf, count, sock_file_flags(file));
	if (!write && sock->ops->read)
		return sock->ops->read(sock, buf, count, sock_file_flags(file));
	(void)pos;
	iov_iter_init(&it, &iov, 1, count);
	return sock_rw_iter(file, &it, write);
}

/* A read of 0 bytes is 0 before the protocol sees it, as Linux's sock_read_iter. */
static ssize_t sock_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	if (!count)
		return 0;
	return sock_rw_buf(file, buf, count, pos, false);
}

/* A write of 0 bytes goes on: an empty datagram, or a stream's ENOTCONN or EPIPE. */
static ssize_t sock_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	return sock_rw_buf(file, (char __user *)buf, count, pos, true);
}

static __poll_t sock_poll(struct file *file, struct poll_table *pt)
{
	struct socket *sock = file->private_data;

	return sock->ops->poll(file, sock, pt);
}

static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;
	long err = sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;

#ifdef CONFIG_INET
	/* Device ioctls work on any socket (ifconfig uses whatever it can open). */
	if (err == -ENOTTY && cmd >= SIOC_DEV_FIRST && cmd <= SIOC_DEV_LAST)
		err = dev_ioctl(cmd, (void __user *)arg, false);
#endif
	return err;
}

static int sock_close(struct inode *inode, struct file *file)
{
	struct socket *sock = file->private_data;

	(void)inode;
	if (sock->ops)
		sock->ops->release(sock);
	kfree(sock);
	return 0;
}

static const struct file_operations socket_file_ops = {
	.read_iter = sock_read_iter,
	.write_iter = sock_write_iter,
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.unlocked_ioctl = sock_ioctl,
	.release = sock_close,
};

struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

struct file *sock_alloc_file(struct socket *sock, unsigned int flags)
{
	const struct cred *cred = current_cred();
	struct inode *inode = new_inode(sock_sb);
	struct file *f;

	if (IS_ERR(inode))
		return ERR_CAST(inode);
	/* S_IFSOCK with the ENXIO open: reopening through /proc/PID/fd/N fails as on Linux. */
	init_special_inode(inode, S_IFSOCK | S_IRWXU | S_IRWXG | S_IRWXO, 0);
	inode->i_uid = cred->fsuid;
	inode->i_gid = cred->fsgid;
	inode->i_private = sock;
	f = alloc_file_pseudo(inode, O_RDWR | (flags & O_NONBLOCK), &socket_file_ops);
	if (IS_ERR(f)) {
		iput(inode);
		return f;
	}
	f->private_data = sock;
	sock->file = f;
	return f;
}

/*
 * A socket of @family/@type/@protocol without a file (yet); ERR_PTR with
 * Linux's errors: EAFNOSUPPORT for a family out of range or not built,
 * EINVAL for a type out of range, the family's own for the rest.
 */
static struct socket *sock_create(int family, int type, int protocol)
{
	const struct net_proto_family *fam;
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return ERR_PTR(-EAFNOSUPPORT);
	if (type < 0 || type >= SOCK_MAX)
		return ERR_PTR(-EINVAL);
	fam = READ_ONCE(families[family]);
	if (!fam)
		return ERR_PTR(-EAFNOSUPPORT);
	sock = kzalloc(sizeof(*sock), GFP_KERNEL);
	if (!sock)
		return ERR_PTR(-ENOMEM);
	sock->type = (short)type;
	err = fam->create(sock, protocol);
	if (err) {
		kfree(sock);
		return ERR_PTR(err);
	}
	return sock;
}

/* Releases a socket that never got a file. */
static void sock_release_nofile(struct socket *sock)
{
	if (sock->ops)
		sock->ops->release(sock);
	kfree(sock);
}

/* A file for @sock, installed at a new fd (SOCK_CLOEXEC, SOCK_NONBLOCK in @flags); fd or -errno. */
static int sock_map_fd(struct socket *sock, int flags)
{
	struct file *f = sock_alloc_file(sock, (unsigned int)flags & O_NONBLOCK);
	int fd;

	if (IS_ERR(f)) {
		sock_release_nofile(sock);
		return (int)PTR_ERR(f);
	}
	fd = fd_install_new(current_files(), f, (unsigned int)flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

struct socket *sockfd_lookup(int fd)
{
	struct file *f = fget(current_files(), (unsigned int)fd);
	struct socket *sock;

	if (!f)
		return ERR_PTR(-EBADF);
	sock = sock_from_file(f);
	if (!sock) {
		fput(f);
		return ERR_PTR(-ENOTSOCK);
	}
	return sock;
}

void sockfd_put(struct socket *sock)
{
	fput(sock->file);
}

int move_addr_to_kernel(const void __user *uaddr, int ulen, struct sockaddr_storage *kaddr)
{
	if (ulen < 0 || ulen > (int)sizeof(*kaddr))
		return -EINVAL;
	if (ulen == 0)
		return 0;
	return copy_from_user(kaddr, uaddr, (size_t)ulen) ? -EFAULT : 0;
}

int move_addr_to_user(const void *kaddr, int klen, void __user *uaddr, int __user *ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulen) ? -EFAULT : 0;
}

/* ---- syscalls ------------------------------------------------------------- */

/* Splits socket()'s type into the type and its creation flags; -EINVAL for unknown flags. */
static int sock_split_type(int *type)
{
	int flags = *type & ~SOCK_TYPE_MASK;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*type &= SOCK_TYPE_MASK;
	return flags;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	int flags = sock_split_type(&type);
	struct socket *sock;

	if (flags < 0)
		return flags;
	sock = sock_create(family, type, protocol);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	return sock_map_fd(sock, flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, int __user *, usockvec)
{
	int flags = sock_split_type(&type);
	struct files_struct *files = current_files();
	struct socket *a, *b;
	int fd[2], err;

	if (flags < 0)
		return flags;
	a = sock_create(family, type, protocol);
	if (IS_ERR(a))
		return PTR_ERR(a);
	b = sock_create(family, type, protocol);
	if (IS_ERR(b)) {
		sock_release_nofile(a);
		return PTR_ERR(b);
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	if (err) {
		sock_release_nofile(a);
		sock_release_nofile(b);
		return err;
	}
	fd[0] = sock_map_fd(a, flags);
	if (fd[0] < 0) {
		sock_release_nofile(b);
		return fd[0];
	}
	fd[1] = sock_map_fd(b, flags);
	if (fd[1] < 0) {
		close_fd(files, (unsigned int)fd[0]);
		return fd[1];
	}
	/* As with pipe2, the fds are visible before the copy; a fault takes them back. */
	if (copy_to_user(usockvec, fd, sizeof(fd))) {
		close_fd(files, (unsigned int)fd[1]);
		close_fd(files, (unsigned int)fd[0]);
		return -EFAULT;
	}
	return 0;
}

/* bind and connect: an address in, the protocol's answer out. */
static long do_sockaddr_op(int fd, struct sockaddr __user *uaddr, int addrlen, bool connect)
{
	struct sockaddr_storage addr;
	struct sockaddr *ka = (struct sockaddr *)&addr;
	struct socket *sock __free(sockfd_put) = NULL;
	int err;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = move_addr_to_kernel(uaddr, addrlen, &addr);
	if (!err && connect)
		err = sock->ops->connect ? sock->ops->connect(sock, ka, addrlen,
							      (int)(sock->file->f_flags & O_NONBLOCK))
					 : -EOPNOTSUPP;
	else if (!err)
		err = sock->ops->bind ? sock->ops->bind(sock, ka, addrlen) : -EOPNOTSUPP;
	return err;
}

SYSCALL_DEFINE3(bind, int, fd, struct sockaddr __user *, umyaddr, int, addrlen)
{
	return do_sockaddr_op(fd, umyaddr, addrlen, false);
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct socket *sock __free(sockfd_put) = NULL;
	int err;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if ((unsigned int)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sock->ops->listen ? sock->ops->listen(sock, backlog) : -EOPNOTSUPP;
	return err;
}

static long do_accept4(int fd, struct sockaddr __user *upeer, int __user *upeer_len, int flags)
{
	struct sockaddr_storage addr;
	struct socket *sock __free(sockfd_put) = NULL;
	struct socket *newsock;
	struct file *newfile;
	int err, len, newfd;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EOPNOTSUPP;
	if (!sock->ops->accept)
		return err;
	err = -ENOMEM;
	newsock = kzalloc(sizeof(*newsock), GFP_KERNEL);
	if (!newsock)
		return err;
	newsock->type = sock->type;
	err = sock->ops->accept(sock, newsock, (int)(sock->file->f_flags & O_NONBLOCK));
	if (err) {
		kfree(newsock);
		return err;
	}
	newsock->ops = sock->ops;
	newfile = sock_alloc_file(newsock, (unsigned int)flags & O_NONBLOCK);
	if (IS_ERR(newfile)) {
		sock_release_nofile(newsock);
		err = (int)PTR_ERR(newfile);
		return err;
	}
	if (upeer) {
		len = newsock->ops->getname(newsock, (struct sockaddr *)&addr, 1);
		err = len < 0 ? len : move_addr_to_user(&addr, len, upeer, upeer_len);
		if (err) {
			/* Linux loses the connection too: the new file is dropped. */
			fput(newfile);
			return err;
		}
	}
	newfd = fd_install_new(current_files(), newfile, (unsigned int)flags & O_CLOEXEC);
	if (newfd < 0)
		fput(newfile);
	err = newfd;
	return err;
}

SYSCALL_DEFINE4(accept4, int, fd, struct sockaddr __user *, upeer_sockaddr,
		int __user *, upeer_addrlen, int, flags)
{
	return do_accept4(fd, upeer_sockaddr, upeer_addrlen, flags);
}

SYSCALL_DEFINE3(accept, int, fd, struct sockaddr __user *, upeer_sockaddr,
		int __user *, upeer_addrlen)
{
	return do_accept4(fd, upeer_sockaddr, upeer_addrlen, 0);
}

SYSCALL_DEFINE3(connect, int, fd, struct sockaddr __user *, uservaddr, int, addrlen)
{
	return do_sockaddr_op(fd, uservaddr, addrlen, true);
}

static long do_getname(int fd, struct sockaddr __user *usockaddr, int __user *usockaddr_len,
		       int peer)
{
	struct sockaddr_storage addr;
	struct socket *sock __free(sockfd_put) = NULL;
	int len;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	len = sock->ops->getname(sock, (struct sockaddr *)&addr, peer);
	if (len >= 0)
		len = move_addr_to_user(&addr, len, usockaddr, usockaddr_len);
	return len;
}

SYSCALL_DEFINE3(getsockname, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 0);
}

SYSCALL_DEFINE3(getpeername, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return do_getname(fd, usockaddr, usockaddr_len, 1);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct socket *sock __free(sockfd_put) = NULL;
	int err;

	sock = sockfd_lookup(fd);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if (how < SHUT_RD || how > SHUT_RDWR)
		err = -EINVAL;
	else
		err = sock->ops->shutdown ? sock->ops->shutdown(sock, how) : -EOPNOTSUPP;
	return err;
}

static int sock_init(void)
{
	struct super_block *sb = sget_anon(&sockfs_type);

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	sock_sb = sb;
	return 0;
}
fs_initcall(sock_init);
