// SPDX-License-Identifier: MIT
/*
 * The load average, computed as Linux does (kernel/sched/loadavg.c): every
 * LOAD_FREQ ticks the boot CPU counts the tasks that are runnable or running
 * and folds that count into three exponentially decaying averages,
 *
 *	load = load * e + active * (1 - e),	e = exp(-5 s / period),
 *
 * in FSHIFT-bit fixed point. Linux also counts tasks in uninterruptible
 * sleep (D), which here are only kernel threads waiting for their start, so
 * they are left out.
 *
 * Locking: avenrun[] is written only by CPU 0's tick; readers take each word
 * as it is (/proc/loadavg may mix two samples, as Linux's may).
 */
#include <exo/jiffies.h>
#include <exo/kernel_stat.h>
#include <exo/sched.h>

unsigned long avenrun[3];

static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;		/* round up while rising, as Linux does */
	return newload / FIXED_1;
}

void calc_global_load(u64 ticks)
{
	unsigned long active;

	if (ticks % LOAD_FREQ)
		return;
	active = (unsigned long)nr_running() * FIXED_1;
	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
}
