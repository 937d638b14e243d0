/* SPDX-License-Identifier: MIT */
/* Shared inside net/ only: fd lookup and address copies of the socket syscalls. */
#ifndef _NET_INTERNAL_H
#define _NET_INTERNAL_H

#include <exo/cleanup.h>
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/types.h>

struct file;
struct kmsghdr;
struct socket;
struct sockaddr_storage;

/*
 * The socket behind @fd, holding a reference on its file (sock->file) that
 * sockfd_put drops; ERR_PTR(-EBADF or -ENOTSOCK). A system call declares
 * `struct socket *sock __free(sockfd_put) = NULL;` and the reference is
 * dropped on every return, whatever the path.
 */
struct socket *sockfd_lookup(int fd);
void sockfd_put(struct socket *sock);
DEFINE_FREE(sockfd_put, struct socket *, if (_T && !IS_ERR(_T)) sockfd_put(_T))
/* A user address of @ulen bytes into @kaddr: 0, -EINVAL (length) or -EFAULT. */
int move_addr_to_kernel(const void __user *uaddr, int ulen, struct sockaddr_storage *kaddr);
/*
 * A kernel address of @klen bytes out to a value-result (@uaddr, *@ulen):
 * copies what fits, stores @klen in *@ulen. 0, -EINVAL (negative *@ulen)
 * or -EFAULT.
 */
int move_addr_to_user(const void *kaddr, int klen, void __user *uaddr, int __user *ulen);

/* Sends (@send) or receives @msg on @sock; a non-blocking @file adds MSG_DONTWAIT. */
ssize_t sock_xfer(struct socket *sock, struct file *file, struct kmsghdr *msg, int flags,
		  bool send);

#endif /* _NET_INTERNAL_H */
