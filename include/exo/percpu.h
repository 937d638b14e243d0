/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU identity. smp_processor_id() is only stable while the caller cannot
 * migrate (interrupts or preemption off). Per-CPU state is kept in arrays
 * indexed by it, sized NR_CPUS.
 */
#ifndef _EXO_PERCPU_H
#define _EXO_PERCPU_H

#include <generated/autoconf.h>
#include <asm/percpu.h>

#ifdef CONFIG_SMP
#define NR_CPUS CONFIG_NR_CPUS
#else
#define NR_CPUS 1
#endif

#define smp_processor_id() arch_cpu_id()
#define this_cpu_info() arch_cpu_info()

extern struct cpu_info *cpu_infos[NR_CPUS];
extern unsigned int nr_cpus_online;

#endif /* _EXO_PERCPU_H */
