/* SPDX-License-Identifier: MIT */
/* Shared inside net/ only: fd lookup and address copies of the socket syscalls. */
#ifndef _NET_INTERNAL_H
#define _NET_INTERNAL_H

#include <exo/compiler.h>
#include <exo/types.h>

struct file;
struct kmsghdr;
struct socket;
struct sockaddr_storage;

/* The socket behind @fd, with a file reference in *@filp; ERR_PTR(-EBADF or -ENOTSOCK). */
struct socket *sockfd_lookup(int fd, struct file **filp);
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
