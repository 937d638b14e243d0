/* SPDX-License-Identifier: MIT */
/* epoll(7): epoll_create1 flags, epoll_ctl operations, events and struct epoll_event. */
#ifndef _UAPI_EVENTPOLL_H
#define _UAPI_EVENTPOLL_H

#include <uapi/fcntl.h>
#include <uapi/types.h>

#define EPOLL_CLOEXEC	O_CLOEXEC

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

/* The POLL* bits with the same values, and epoll's own flags in the top bits. */
#define EPOLLIN		0x00000001u
#define EPOLLPRI	0x00000002u
#define EPOLLOUT	0x00000004u
#define EPOLLERR	0x00000008u
#define EPOLLHUP	0x00000010u
#define EPOLLNVAL	0x00000020u
#define EPOLLRDNORM	0x00000040u
#define EPOLLRDBAND	0x00000080u
#define EPOLLWRNORM	0x00000100u
#define EPOLLWRBAND	0x00000200u
#define EPOLLMSG	0x00000400u
#define EPOLLRDHUP	0x00002000u
#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)

/* x86_64 packs it: 12 bytes, data at offset 4, as the i386 layout. */
struct epoll_event {
	__u32 events;
	__u64 data;
} __attribute__((packed));

#endif /* _UAPI_EVENTPOLL_H */
