/* SPDX-License-Identifier: MIT */
/*
 * POSIX message queues (ipc/mqueue.c): the limits behind
 * /proc/sys/fs/mqueue, Linux's knobs with Linux's defaults and bounds.
 */
#ifndef _EXO_MQUEUE_H
#define _EXO_MQUEUE_H

enum mq_limit {
	MQ_MSG_MAX,		/* msg_max: mq_maxmsg a user may ask (10) */
	MQ_MSGSIZE_MAX,		/* msgsize_max: mq_msgsize a user may ask (8192) */
	MQ_QUEUES_MAX,		/* queues_max: queues that may exist, root apart (256) */
	MQ_MSG_DEFAULT,		/* msg_default: mq_maxmsg without attributes (10) */
	MQ_MSGSIZE_DEFAULT,	/* msgsize_default: mq_msgsize without attributes (8192) */
	MQ_NR_LIMITS,
};

long mq_limit_get(enum mq_limit which);
/* 0, or -EINVAL outside Linux's bounds for that knob. */
int mq_limit_set(enum mq_limit which, long val);

#endif /* _EXO_MQUEUE_H */
