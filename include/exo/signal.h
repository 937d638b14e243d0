/* SPDX-License-Identifier: MIT */
/*
 * Signals raised by the kernel itself. force_sig_fault() queues @sig with
 * si_code @si_code and si_addr @addr for the current task, unblocking and
 * un-ignoring it as Linux does for synchronous faults, so that the return
 * to user mode delivers it (or kills the task). Called from exception
 * handlers with interrupts off; it must not sleep.
 */
#ifndef _EXO_SIGNAL_H
#define _EXO_SIGNAL_H

#include <uapi/signal.h>

void force_sig_fault(int sig, int si_code, unsigned long addr);

#endif /* _EXO_SIGNAL_H */
