// SPDX-License-Identifier: MIT
/*
 * /proc/stat, in Linux's layout (proc(5)): the "cpu" line sums the per-CPU
 * "cpuN" lines; each has user nice system idle iowait irq softirq steal
 * guest guest_nice in USER_HZ ticks, from the per-CPU tick accounting in
 * kernel/time/tick.c (a tick is charged to user, system or idle by what it
 * interrupted; interrupt time is not told apart). intr counts the timer
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

static void stat_cpu_line(struct seq_file *m, const char *name, u64 user, u64 system, u64 idle)
{
	seq_printf(m, "%s %llu 0 %llu %llu 0 0 0 0 0 0\n", name,
		   (unsigned long long)ticks_to_clock_t(user),
		   (unsigned long long)ticks_to_clock_t(system),
		   (unsigned long long)ticks_to_clock_t(idle));
}

int proc_stat_show(struct seq_file *m)
{
	u64 user = 0, system = 0, idle = 0, intr = 0;
	unsigned int blocked = 0;
	unsigned long flags;
	struct task *t;
	char name[16];
	u64 btime;

	for (unsigned int i = 0; i < NR_CPUS; i++) {
		user += READ_ONCE(kcpustat[i].user);
		system += READ_ONCE(kcpustat[i].system);
		idle += READ_ONCE(kcpustat[i].idle);
		if (cpu_infos[i])
			intr += READ_ONCE(cpu_infos[i]->ticks);
	}
	stat_cpu_line(m, "cpu ", user, system, idle);
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		if (!cpu_infos[i] || !__atomic_load_n(&cpu_infos[i]->online, __ATOMIC_ACQUIRE))
			continue;
		snprintf(name, sizeof(name), "cpu%u", i);
		stat_cpu_line(m, name, READ_ONCE(kcpustat[i].user), READ_ONCE(kcpustat[i].system),
			      READ_ONCE(kcpustat[i].idle));
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
