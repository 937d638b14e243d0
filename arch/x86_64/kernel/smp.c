// SPDX-License-Identifier: MIT
/*
 * SMP control. Only the boot CPU runs until AP bring-up lands (the SMP
 * issue), so stopping other CPUs has nothing to stop yet.
 */
#include <exo/smp.h>
#include <exo/percpu.h>

struct cpu_info *cpu_infos[NR_CPUS];
unsigned int nr_cpus_online = 1;

void smp_stop_other_cpus(void)
{
}
