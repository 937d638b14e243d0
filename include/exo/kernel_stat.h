/* SPDX-License-Identifier: MIT */
/*
 * System-wide accounting for /proc/stat and /proc/loadavg.
 *
 * kcpustat[cpu] counts the timer ticks of each CPU by what it interrupted:
 * user mode, kernel mode, or the idle task. Each CPU writes only its own
 * entry, from its tick with interrupts off; readers on other CPUs see a
 * value at most one tick old (aligned 64-bit loads do not tear on x86_64).
 *
 * avenrun[] is Linux's load average: exponentially decaying averages over
 * 1, 5 and 15 minutes of the number of runnable tasks, sampled every
 * LOAD_FREQ ticks by the boot CPU's tick, in FSHIFT-bit fixed point.
 */
#ifndef _EXO_KERNEL_STAT_H
#define _EXO_KERNEL_STAT_H

#include <exo/percpu.h>
#include <exo/types.h>

struct kernel_cpustat {
	u64 user;			/* [this cpu] ticks spent in user mode */
	u64 system;			/* [this cpu] ticks in the kernel, not idle */
	u64 idle;			/* [this cpu] ticks in the idle task */
	u64 iowait;			/* [this cpu] idle ticks with an io_schedule() sleeper */
};

extern struct kernel_cpustat kcpustat[NR_CPUS];

#define FSHIFT		11		/* bits of precision */
#define FIXED_1		(1UL << FSHIFT)	/* 1.0 */
#define LOAD_FREQ	(5 * HZ + 1)	/* 5 s, in ticks; the +1 avoids beating with 5 s timers */
#define EXP_1		1884		/* 1 / exp(5 s / 1 min) in fixed point */
#define EXP_5		2014		/* 1 / exp(5 s / 5 min) */
#define EXP_15		2037		/* 1 / exp(5 s / 15 min) */

/* [tick of CPU 0] 1, 5 and 15 minute load averages, FSHIFT fixed point. */
extern unsigned long avenrun[3];

/* Folds the number of runnable tasks into avenrun[] every LOAD_FREQ ticks; CPU 0's tick calls it. */
void calc_global_load(u64 ticks);

#endif /* _EXO_KERNEL_STAT_H */
