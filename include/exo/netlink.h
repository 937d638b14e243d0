/* SPDX-License-Identifier: MIT */
/*
 * What the netlink socket family (net/netlink/af_netlink.c) offers the
 * rest of the kernel: a protocol registry, and messages the kernel queues
 * on a user's socket (mq_notify's SIGEV_THREAD cookies).
 *
 * A kernel message is allocated where sleeping is allowed
 * (netlink_kmsg_alloc) and sent later from any context, spinlocks held
 * (netlink_kmsg_send): the send cannot fail for lack of memory, as
 * Linux's netlink_sendskb of an skb attached in advance.
 */
#ifndef _EXO_NETLINK_H
#define _EXO_NETLINK_H

#include <exo/types.h>

struct sock;
struct netlink_kmsg;

/*
 * A netlink protocol (NETLINK_ROUTE, ...): @input takes a message a user
 * sent to the kernel (nl_pid 0) and returns 0 or -errno; NULL: none is
 * handled yet (sendmsg to the kernel is EOPNOTSUPP). Registered once at
 * boot; socket(AF_NETLINK, *, protocol) is EPROTONOSUPPORT without one.
 */
struct netlink_proto {
	int protocol;
	int (*input)(struct sock *sk, const void *data, size_t len);
};
int netlink_register(const struct netlink_proto *proto);

#ifdef CONFIG_NETLINK
/* The netlink socket open at @fd, referenced (sock_put); ERR_PTR(-EBADF, -ENOTSOCK, -ECONNREFUSED). */
struct sock *netlink_getsockbyfd(int fd);
/* A kernel message of @len zeroed bytes; NULL without memory. May sleep. */
struct netlink_kmsg *netlink_kmsg_alloc(size_t len);
void *netlink_kmsg_data(struct netlink_kmsg *m);
/* Queues @m (consumed) on @sk from the kernel (nl_pid 0); any context. Dropped if @sk is closed. */
void netlink_kmsg_send(struct sock *sk, struct netlink_kmsg *m);
void netlink_kmsg_free(struct netlink_kmsg *m);
/*
 * Queues a copy of @data on every socket of @protocol bound to multicast
 * @group (1..32); any context but interrupts (takes nl_table_lock). A
 * socket whose queue is full gets ENOBUFS instead. Returns the copies sent.
 */
int netlink_broadcast(int protocol, unsigned int group, const void *data, size_t len);
/* @sk's port id (bound: a protocol's input is only called on a bound socket). */
u32 netlink_portid(struct sock *sk);
/* Drops the reference netlink_getsockbyfd() gave. */
void netlink_sock_put(struct sock *sk);
#else
#include <exo/err.h>
#include <uapi/errno.h>
static inline struct sock *netlink_getsockbyfd(int fd)
{
	return ERR_PTR(-ENOTSOCK);
}
static inline struct netlink_kmsg *netlink_kmsg_alloc(size_t len)
{
	return NULL;
}
static inline void *netlink_kmsg_data(struct netlink_kmsg *m)
{
	return NULL;
}
static inline void netlink_kmsg_send(struct sock *sk, struct netlink_kmsg *m)
{
}
static inline void netlink_kmsg_free(struct netlink_kmsg *m)
{
}
static inline void netlink_sock_put(struct sock *sk)
{
}
#endif

#endif /* _EXO_NETLINK_H */
