/* SPDX-License-Identifier: MIT */
/* POSIX message queues (Linux's include/uapi/linux/mqueue.h). */
#ifndef _UAPI_MQUEUE_H
#define _UAPI_MQUEUE_H

#define MQ_PRIO_MAX	32768	/* priorities are 0 .. MQ_PRIO_MAX - 1 */

/* 64 bytes: mq_open's attributes, mq_getsetattr's both ways. */
struct mq_attr {
	long mq_flags;		/* O_NONBLOCK or 0 */
	long mq_maxmsg;		/* messages the queue holds */
	long mq_msgsize;	/* largest message, bytes */
	long mq_curmsgs;	/* messages queued now */
	long __reserved[4];
};

/*
 * SIGEV_THREAD: the 32-byte cookie the kernel queues on the netlink socket
 * named by sigev_signo; its last byte says why.
 */
#define NOTIFY_NONE	0
#define NOTIFY_WOKENUP	1
#define NOTIFY_REMOVED	2
#define NOTIFY_COOKIE_LEN	32

#endif /* _UAPI_MQUEUE_H */
