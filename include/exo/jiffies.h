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

/*
 * Called from the local timer interrupt on every CPU, interrupts off.
 * @user_tick says whether the interrupted code ran in user mode: the tick is
 * charged to the current task's user or system time accordingly.
 */
void tick_periodic(bool user_tick);

#endif /* _EXO_JIFFIES_H */
