/* SPDX-License-Identifier: MIT */
/* Shared inside kernel/sched/ only. */
#ifndef _KERNEL_SCHED_SCHED_H
#define _KERNEL_SCHED_SCHED_H

#include <exo/sched.h>

/*
 * A cache line each (64 bytes in the production kernel): no CPU's lock
 * shares a line with another's, and this_rq() indexes with a shift.
 */
struct rq {
	struct spinlock lock;
	struct list_head queue;		/* [lock] runnable tasks, not curr */
	struct task *curr;		/* [lock] */
	struct task *idle;		/* [immutable] */
	unsigned int nr_running;	/* [lock] tasks in queue */
	u64 nr_switches;		/* [lock] */
} __aligned(64);

struct rq *this_rq(void);
struct rq *task_rq(const struct task *t);
void finish_task_switch(struct task *prev) __releases(&this_rq()->lock);
struct task *task_init_idle(void);
struct task *task_alloc(void);
/* Gives @t a pid and links it into the task list; the pid or -EAGAIN. */
int task_register(struct task *t);
void task_unregister_locked(struct task *t);
void task_reassign_pid_locked(struct task *t, struct task *old);

#endif /* _KERNEL_SCHED_SCHED_H */
