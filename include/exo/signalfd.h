/* SPDX-License-Identifier: MIT */
/*
 * What the signal code tells signalfd (fs/signalfd.c). signalfd readers
 * and pollers, epoll sets among them, wait on their process's
 * sighand->signalfd_wqh: signalfd_notify() wakes them when a signal
 * becomes pending (caller holds siglock; the queue lock nests inside it),
 * signalfd_cleanup() tells entries that outlive a syscall (epoll) to let
 * go of the queue before the sighand is freed (POLLFREE).
 */
#ifndef _EXO_SIGNALFD_H
#define _EXO_SIGNALFD_H

#include <exo/eventpoll.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/wait.h>

static inline void signalfd_notify(struct task *t, int sig)
{
	(void)sig;
	/* The pending bit before the lockless look at the waiters (they order the other way). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!list_empty(&t->sighand->signalfd_wqh.waiters))
		__wake_up(&t->sighand->signalfd_wqh, poll_to_key(POLLIN | POLLRDNORM));
}

static inline void signalfd_cleanup(struct sighand *sh)
{
	if (!list_empty(&sh->signalfd_wqh.waiters))
		__wake_up(&sh->signalfd_wqh, poll_to_key(POLLHUP | POLLFREE));
	/* Even when empty: the last removal may still be unlocking the queue. */
	eventpoll_pollfree_sync();
}

#endif /* _EXO_SIGNALFD_H */
