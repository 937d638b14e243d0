// SPDX-License-Identifier: MIT
/*
 * /proc/stat, in Linux's layout (proc(5)): the "cpu" line sums the per-CPU
 * "cpuN" lines; each has user nice system idle iowait irq softirq steal
 * guest guest_nice in USER_HZ ticks, from the per-CPU tick accounting in
 * kernel/time/tick.c (a tick is charged to user, system, idle or iowait by
 * what it interrupted; interrupt time is not told apart). intr counts the timer
 * interrupts, the only ones counted so far; the per-IRQ columns Linux adds
 * are left out. Then ctxt, btime, processes, procs_running, procs_blocked
 * and an all-zero softirq line.
 */
#include <exo/irqflags.h>
#include <exo/jiffies.h>
#include <exo/kernel_stat.h>
#include <exo/percpu.h>
#include <exo/sched.h>
#include <exo/time.h>
#include <uapi/time_types.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

static u64 ticks_to_clock_t(u64 ticks)
{
	return ticks * USER_HZ / HZ;
}

static void stat_cpu_line(struct seq_file *m, const char *name, const struct kernel_cpustat *ks)
{
	seq_printf(m, "%s %llu 0 %llu %llu %llu 0 0 0 0 0\n", name,
		   (unsigned long long)ticks_to_clock_t(ks->user),
		   (unsigned long long)ticks_to_clock_t(ks->system),
		   (unsigned long long)ticks_to_clock_t(ks->idle),
		   (unsigned long long)ticks_to_clock_t(ks->iowait));
}

static void stat_cpu_read(struct kernel_cpustat *ks, unsigned int cpu)
{
	ks->user = READ_ONCE(kcpustat[cpu].user);
	ks->system = READ_ONCE(kcpustat[cpu].system);
	ks->idle = READ_ONCE(kcpustat[cpu].idle);
	ks->iowait = READ_ONCE(kcpustat[cpu].iowait);
}

int proc_stat_show(struct seq_file *m)
{
	struct kernel_cpustat sum = { 0 }, ks;
	unsigned int blocked = 0;
	unsigned long flags;
	struct task *t;
	char name[16];
	u64 btime, intr = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++) {
		stat_cpu_read(&ks, i);
		sum.user += ks.user;
		sum.system += ks.system;
		sum.idle += ks.idle;
		sum.iowait += ks.iowait;
		if (cpu_infos[i])
			intr += READ_ONCE(cpu_infos[i]->ticks);
	}
	stat_cpu_line(m, "cpu ", &sum);
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		if (!cpu_infos[i] || !__atomic_load_n(&cpu_infos[i]->online, __ATOMIC_ACQUIRE))
			continue;
		snprintf(name, sizeof(name), "cpu%u", i);
		stat_cpu_read(&ks, i);
		stat_cpu_line(m, name, &ks);
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node)
		if (!t->exit_state && (READ_ONCE(t->state) & TASK_UNINTERRUPTIBLE) &&
		    !(t->flags & PF_KTHREAD))
			blocked++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	btime = (ktime_get_real_ns() - ktime_get_ns()) / NSEC_PER_SEC;
	seq_printf(m, "intr %llu\n", (unsigned long long)intr);
	seq_printf(m, "ctxt %llu\n", (unsigned long long)nr_context_switches());
	seq_printf(m, "btime %llu\n", (unsigned long long)btime);
	seq_printf(m, "processes %llu\n",
		   (unsigned long long)__atomic_load_n(&total_forks, __ATOMIC_RELAXED));
	seq_printf(m, "procs_running %u\nprocs_blocked %u\n", nr_running(), blocked);
	seq_puts(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}
