// SPDX-License-Identifier: MIT
/*
 * The periodic tick (see <exo/jiffies.h>). The arch timer interrupt calls
 * tick_periodic() on every CPU; only the boot CPU advances jiffies, so a
 * jiffy is 1/HZ s whatever the number of CPUs.
 */
#include <exo/jiffies.h>
#include <exo/percpu.h>

u64 jiffies;

/* Stand-in until the scheduler defines its own. */
__attribute__((weak)) void scheduler_tick(void)
{
}

void tick_periodic(void)
{
	struct cpu_info *ci = this_cpu_info();

	ci->ticks++;
	if (ci->cpu == 0)
		__atomic_store_n(&jiffies, jiffies + 1, __ATOMIC_RELEASE);
	scheduler_tick();
}
