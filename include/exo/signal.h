/* SPDX-License-Identifier: MIT */
/*
 * Signals. send_signal() makes a signal pending on a task and wakes it from
 * an interruptible sleep; pending, unblocked signals are acted on at the
 * next return to user mode (signal_deliver(), from exit_to_user_mode()).
 *
 * force_sig_fault() is for faults the current task caused (SIGSEGV, SIGBUS,
 * SIGILL, SIGFPE): it queues @sig with si_code @si_code and si_addr @addr,
 * unblocking it as Linux does for synchronous faults. Called from exception
 * handlers with interrupts off; it must not sleep.
 *
 * Actions today are Linux's default ones (terminate, ignore); user handlers
 * (rt_sigaction) and stop/continue come with job control.
 */
#ifndef _EXO_SIGNAL_H
#define _EXO_SIGNAL_H

#include <exo/types.h>
#include <uapi/signal.h>

struct task;
struct pt_regs;

void send_signal(struct task *t, int sig);
/* Sends @sig to every task in process group @pgid; 0, or -ESRCH when the group is empty. */
int kill_pgrp(int pgid, int sig);
void force_sig_fault(int sig, int si_code, unsigned long addr);
bool signal_pending_current(void);
/* Acts on one pending signal of the current task; called with interrupts on. */
void signal_deliver(struct pt_regs *regs);

#endif /* _EXO_SIGNAL_H */
