/* SPDX-License-Identifier: MIT */
/*
 * The periodic tick. Each CPU's local timer interrupts HZ times a second and
 * calls tick_periodic(), which counts the tick per CPU, advances jiffies (on
 * the boot CPU only, so jiffies counts time and not CPUs), and gives the
 * scheduler its time slice accounting hook.
 *
 * HZ is 250: a 4 ms slice is fine-grained enough for interactive shells and
 * timeouts, and a quarter of the interrupt load of 1000 Hz, which matters
 * under TCG where each timer interrupt costs tens of microseconds of host
 * time per CPU (Linux's default for servers is 250 for the same balance).
 */
#ifndef _EXO_JIFFIES_H
#define _EXO_JIFFIES_H

#include <exo/compiler.h>
#include <exo/types.h>

#define HZ 250
#define TICK_NSEC (1000000000ULL / HZ)

extern u64 jiffies;	/* [atomic] written by the boot CPU's tick only */

static inline u64 get_jiffies_64(void)
{
	return READ_ONCE(jiffies);
}

/* Called from the local timer interrupt on every CPU, interrupts off. */
void tick_periodic(void);

/*
 * The scheduler's per-tick hook (time slice accounting, preemption). Runs in
 * interrupt context on the CPU that took the tick. Until a scheduler
 * provides it, a weak empty definition in kernel/time/tick.c stands in.
 */
void scheduler_tick(void);

#endif /* _EXO_JIFFIES_H */
