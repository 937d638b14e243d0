/* SPDX-License-Identifier: MIT */
/*
 * Readiness (poll, select): what a file's poll method uses.
 *
 * A file_operations->poll method returns the POLL* events (<uapi/poll.h>)
 * that hold now and calls poll_wait() on every wait queue whose wake-up may
 * change the answer. poll_wait() hands the queue to the poll table's
 * @qproc, which for poll/select (fs/select.c) adds one wait entry per
 * queue with a custom wake function, so one task sleeps on many queues at
 * once. Whoever changes readiness calls __wake_up(wq, key) with key = the
 * events that may now hold (or NULL for "anything"): a poller whose
 * events do not meet @key is not woken.
 *
 * The method must not sleep; it may read its state without locks (a stale
 * answer is corrected by the wake-up that follows the change).
 */
#ifndef _EXO_POLL_H
#define _EXO_POLL_H

#include <exo/fs_types.h>
#include <uapi/poll.h>

struct file;
struct wait_queue_head;

struct poll_table {
	/* Registers the caller on @wq; NULL once nothing needs registering (a rescan). */
	void (*qproc)(struct file *file, struct wait_queue_head *wq, struct poll_table *pt);
	__poll_t key;	/* the events the caller waits for, plus POLLERR | POLLHUP */
};

static inline void poll_wait(struct file *file, struct wait_queue_head *wq, struct poll_table *pt)
{
	if (pt && pt->qproc && wq)
		pt->qproc(file, wq, pt);
}

/* What a file without a poll method reports: always readable and writable. */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* @file->f_op->poll(@file, @pt), or DEFAULT_POLLMASK without a method. */
__poll_t vfs_poll(struct file *file, struct poll_table *pt);

/*
 * A wake-up key meaning "this queue is being freed": whoever keeps an
 * entry on it beyond one syscall (epoll) must take it off now and never
 * touch the queue again (signalfd's queue lives in the sighand).
 */
#define POLLFREE	0x4000

/* A __wake_up() key from an event mask. */
#define poll_to_key(m) ((void *)(unsigned long)(m))

#endif /* _EXO_POLL_H */
