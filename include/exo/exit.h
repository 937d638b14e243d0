/* SPDX-License-Identifier: MIT */
/*
 * Ending tasks. do_exit() ends the current task with a wait status already
 * encoded (exit code << 8, or a signal number); do_group_exit() ends the
 * whole process. The task becomes a zombie until its parent collects it with
 * wait4()/waitid(); its children go to init (pid 1). Neither returns.
 */
#ifndef _EXO_EXIT_H
#define _EXO_EXIT_H

#include <exo/compiler.h>
#include <exo/types.h>

struct task;

void __noreturn do_exit(int status);
void __noreturn do_group_exit(int status);
/* At thread exit: marks robust futexes the task held and wakes clear_child_tid's waiter. */
void futex_exit(struct task *t);
/*
 * execve in a multi-threaded process: kills the other threads and waits for
 * them; when the caller is not the leader it takes over the leader's pid and
 * place. 0, -EAGAIN when another thread is already ending the process, or
 * -EINTR.
 */
int de_thread(struct task *t);
/*
 * POSIX orphaned process group: no member (but @ignored, may be NULL) has a
 * parent in another group of the same session; children of init do not
 * count (Linux's will_become_orphaned_pgrp). Caller holds tasklist_lock.
 */
bool pgrp_will_be_orphaned_locked(int pgid, const struct task *ignored);
/* Wakes the parent waiting in vfork() for @t to exec or exit. */
void vfork_release(struct task *t);
/* Takes a reference on @t (as find_task_by_pid() under tasklist_lock does for procfs). */
struct task *get_task(struct task *t);
/* The task with thread id @pid, with a reference (put_task), or NULL. Takes tasklist_lock. */
struct task *find_get_task_by_pid(int pid);
/* Drops a reference on @t; the last one frees it. */
void put_task(struct task *t);
/* put_task() with the decrement inline, where the reference is seldom the last (a wake-up's). */
#define put_task_inline(t)                                                              \
	do {                                                                             \
		struct task *__t = (t);                                                  \
		if (unlikely(__atomic_sub_fetch(&__t->usage, 1, __ATOMIC_ACQ_REL) == 0)) \
			task_free(__t);                                                  \
	} while (0)
/* Frees @t once its last reference is gone (kernel/sched/task.c). */
void task_free(struct task *t);

#endif /* _EXO_EXIT_H */
