// SPDX-License-Identifier: MIT
/*
 * The periodic tick (see <exo/jiffies.h>). The arch timer interrupt calls
 * tick_periodic() on every CPU; only the boot CPU advances jiffies and runs
 * the timer list, so a jiffy is 1/HZ s whatever the number of CPUs. Every
 * CPU charges the tick to its current task and to its own kcpustat entry
 * (user, system, idle, or iowait when an I/O sleeper waits on an idle CPU;
 * for /proc/stat) and lets the scheduler account the
 * time slice. The boot CPU also samples the load average every 5 s.
 */
#include <exo/jiffies.h>
#include <exo/kernel_stat.h>
#include <exo/percpu.h>
#include <exo/sched.h>
#include <exo/timer.h>

u64 jiffies;
struct kernel_cpustat kcpustat[NR_CPUS];

static void account_tick(unsigned int cpu, bool user_tick)
{
	struct kernel_cpustat *ks = &kcpustat[cpu];
	struct task *t = current;

	if (!t || (t->flags & PF_IDLE)) {
		/* As Linux: an idle CPU that a task sleeps on for I/O is waiting, not idle. */
		if (nr_iowait_cpu(cpu))
			ks->iowait++;
		else
			ks->idle++;
		return;
	}
	if (user_tick) {
		ks->user++;
		t->utime_ns += TICK_NSEC;
	} else {
		ks->system++;
		t->stime_ns += TICK_NSEC;
	}
	if (t->mm) {
		itimer_tick(t, user_tick);
		posix_cpu_timers_tick(t);
	}
}

void tick_periodic(bool user_tick)
{
	struct cpu_info *ci = this_cpu_info();

	ci->ticks++;
	if (ci->cpu == 0) {
		__atomic_store_n(&jiffies, jiffies + 1, __ATOMIC_RELEASE);
		timers_run();
		calc_global_load(jiffies);
	}
	account_tick(ci->cpu, user_tick);
	scheduler_tick();
}
