/* SPDX-License-Identifier: MIT */
/*
 * Process file descriptors (kernel/pidfd.c): a pidfd holds a reference on
 * a process's leader task and becomes readable when the process has
 * exited (pidfd_notify_exit() wakes its pollers).
 */
#ifndef _EXO_PIDFD_H
#define _EXO_PIDFD_H

#include <exo/types.h>

struct file;

/* A process has exited or been reaped: wakes pidfd pollers. Any context that may wake_up(). */
void pidfd_notify_exit(void);

/*
 * waitid(P_PIDFD): the process id the pidfd @fd refers to (0 once reaped,
 * which matches no child; -EBADF when @fd is not a pidfd), and in
 * *@nonblock whether it was opened with PIDFD_NONBLOCK.
 */
int pidfd_get_tgid(int fd, bool *nonblock);

struct task;
/* The leader task of the pidfd @fd, referenced (put_task()), or ERR_PTR(-EBADF). */
struct task *pidfd_get_task(int fd, unsigned int *f_flags);

#endif /* _EXO_PIDFD_H */
