/* SPDX-License-Identifier: MIT */
/*
 * Kernel timers: call fn(timer) from the timer interrupt once the monotonic
 * clock passes @expires_ns (checked every tick, so the resolution is one
 * tick, 1/HZ s). fn runs with interrupts off and must not sleep.
 * timer_del() returns true when the timer was still pending; after it
 * returns, fn is not running and will not run.
 */
#ifndef _EXO_TIMER_H
#define _EXO_TIMER_H

#include <exo/list.h>
#include <exo/types.h>

struct timer {
	struct list_head node;		/* [timer_lock] */
	u64 expires_ns;			/* [timer_lock] */
	void (*fn)(struct timer *t);	/* [immutable while pending] */
	void *data;
	bool pending;			/* [timer_lock] */
};

void timer_add(struct timer *t, u64 expires_ns);
/*
 * Takes @t off the list and waits until its function, if running on another
 * CPU, has returned; a function that re-added its timer meanwhile has it
 * taken off again. Returns whether it was pending. Do not hold a lock the
 * function takes.
 */
bool timer_del(struct timer *t);
/* Takes @t off the list if it is on it, without waiting for a running function. */
bool timer_cancel(struct timer *t);
/* Runs expired timers; the tick calls it. */
void timers_run(void);

struct task;
struct signal_struct;
/* Counts a tick down on @t's process's ITIMER_VIRTUAL / ITIMER_PROF (kernel/time/itimer.c). */
void itimer_tick(struct task *t, bool user_tick);
/* The process is gone (its last thread exits): its ITIMER_REAL stops for good. */
void itimers_exit(struct signal_struct *sig);

/*
 * POSIX timers (kernel/time/posix_timers.c). A timer signal was dequeued:
 * its si_overrun becomes what timer_getoverrun() reports (siglock held).
 */
struct siginfo;
void posix_timer_delivered_locked(struct signal_struct *sig, const struct siginfo *info);
/* execve or the last thread's exit: every POSIX timer of the process goes. Process context. */
void posix_timers_exit(struct task *t);
/* The tick charged @t: counts down the CPU-clock timers of @t and its process. */
void posix_cpu_timers_tick(struct task *t);
#endif /* _EXO_TIMER_H */
