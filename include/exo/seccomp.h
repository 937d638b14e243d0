/* SPDX-License-Identifier: MIT */
/*
 * seccomp (kernel/seccomp.c, docs/seccomp.md): a task's system call filter.
 * The syscall entry tests task->seccomp.mode alone and calls
 * __secure_computing() only when it is set, so a task without a filter
 * pays one load and branch. Filters are immutable once installed, shared
 * by reference along a chain (the newest first), inherited by fork and
 * clone, kept by execve.
 */
#ifndef _EXO_SECCOMP_H
#define _EXO_SECCOMP_H

#include <exo/compiler.h>
#include <exo/types.h>

struct task;
struct pt_regs;
struct seccomp_filter;

struct seccomp {
	int mode;			/* [this task; TSYNC: siglock] SECCOMP_MODE_* */
	struct seccomp_filter *filter;	/* [this task; TSYNC: siglock] newest filter, referenced */
};

/*
 * Runs the current task's filters for system call @nr. Returns 0 when the
 * call goes ahead, -1 when it is skipped: regs->rax then holds its result
 * (or the task is dying).
 */
int __secure_computing(struct pt_regs *regs, unsigned long nr);
/* fork/clone: @child gets @parent's mode and a reference to its filters. */
void seccomp_fork(struct task *child, struct task *parent);
/* The task is freed: drop its filters. */
void seccomp_task_free(struct task *t);
/* How many filters @t's chain has (/proc/PID/status Seccomp_filters). */
int seccomp_filter_count(struct task *t);
/* prctl(PR_SET_SECCOMP, @mode, @filter). */
long prctl_set_seccomp(unsigned long mode, void __user *filter);

#endif /* _EXO_SECCOMP_H */
