/* SPDX-License-Identifier: MIT */
/* CPU sets as bitmaps of NR_CPUS bits; the caller provides any locking, or uses the atomic forms. */
#ifndef _EXO_CPUMASK_H
#define _EXO_CPUMASK_H

#include <exo/percpu.h>
#include <exo/types.h>

#define CPUMASK_LONGS ((NR_CPUS + 63) / 64)

struct cpumask {
	unsigned long bits[CPUMASK_LONGS];
};

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1UL << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1UL << (cpu % 64)), __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_RELAXED) >> (cpu % 64)) & 1;
}

static inline void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = __atomic_load_n(&a->bits[i], __ATOMIC_RELAXED) &
			       __atomic_load_n(&b->bits[i], __ATOMIC_RELAXED);
}

#define for_each_cpu(cpu, mask)                                                  \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)                                \
		if (cpumask_test_cpu((cpu), (mask)))

extern struct cpumask cpu_online_mask;
#define for_each_online_cpu(cpu) for_each_cpu(cpu, &cpu_online_mask)

#endif /* _EXO_CPUMASK_H */
