/* SPDX-License-Identifier: MIT */
/*
 * Restartable sequences (kernel/rseq.c). A thread registers a struct rseq
 * with rseq(2); whenever it was scheduled out (or takes a signal) the
 * kernel, before it returns to user mode, rewrites the area's CPU number
 * and aborts a critical section it was in (rseq_cs) by moving the
 * instruction pointer to the section's abort handler.
 */
#ifndef _EXO_RSEQ_H
#define _EXO_RSEQ_H

#include <exo/types.h>

struct pt_regs;
struct task;

/*
 * Called with interrupts enabled on the way to user mode when
 * current->rseq_pending is set, and before a signal frame is built:
 * updates the registered area and handles an interrupted critical
 * section. A bad area or abort signature kills the task with SIGSEGV.
 */
void rseq_handle_notify_resume(struct pt_regs *regs);

/* fork (@clone_vm false) keeps the parent's registration; threads and exec start without one. */
void rseq_fork(struct task *child, const struct task *parent, bool clone_vm);

#endif /* _EXO_RSEQ_H */
