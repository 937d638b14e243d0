/* SPDX-License-Identifier: MIT */
/*
 * Multiprocessor control.
 *
 * smp_send_reschedule() interrupts another CPU so that it notices new work
 * (its need_resched flag is set by the caller). smp_call_function_many()
 * runs fn(arg) on every CPU of @mask except the caller and, with @wait,
 * returns only when all have finished; the caller must have interrupts
 * enabled (two CPUs waiting on each other with interrupts off would never
 * see each other's request). smp_stop_other_cpus() halts every other
 * online CPU by NMI, for panic and power-off; before SMP bring-up it does
 * nothing.
 */
#ifndef _EXO_SMP_H
#define _EXO_SMP_H

#include <exo/types.h>

struct cpumask;

void smp_stop_other_cpus(void);
void smp_send_reschedule(unsigned int cpu);
void smp_call_function_many(const struct cpumask *mask, void (*fn)(void *arg), void *arg,
			    bool wait);
/* Registers the IPI vectors; before any AP starts. */
void smp_ipi_init(void);

#endif /* _EXO_SMP_H */
