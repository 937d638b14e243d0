// SPDX-License-Identifier: MIT
/*
 * /proc/PID/stat and /proc/PID/status, in Linux's formats (proc(5);
 * fs/proc/array.c in Linux): stat is one line of 52 fields, status is
 * "Name:\tvalue" lines. Fields Exo-OS does not track (page fault counts,
 * nice, real-time policy, capabilities beyond root's) print as Linux prints
 * them for a plain process with nothing to report: 0, or root's full set.
 *
 * Locking: ids and the parent under tasklist_lock; mm fields under
 * mm->lock on a user reference from get_task_mm(); nothing held while the
 * text is formatted into the seq_file buffer (which never faults).
 */
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/irqflags.h>
#include <exo/jiffies.h>
#include <exo/mmap.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/tty.h>
#include <uapi/resource.h>
#include <uapi/time_types.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

#define NSEC_PER_USER_TICK (1000000000ULL / USER_HZ)

struct proc_task_ids {
	int ppid, pgid, sid;
	unsigned int state;
	int exit_state, exit_code;
	struct cred cred;
	u64 cutime_ns, cstime_ns;
};


struct task_sig_masks {
	u64 pending, shared, blocked, ignored, caught;
};

/* A consistent snapshot of @t's signal state, taken under its siglock. */
static void task_sig_masks(struct task *t, struct task_sig_masks *out)
{
	struct sighand *sh = t->sighand;
	unsigned long flags;

	*out = (struct task_sig_masks){ 0 };
	if (!sh)
		return;
	spin_lock_irqsave(&sh->siglock, flags);
	out->pending = t->pending.signal;
	out->shared = t->signal ? t->signal->shared_pending.signal : 0;
	out->blocked = t->blocked;
	for (int sig = 1; sig <= _NSIG; sig++) {
		unsigned long h = sh->action[sig - 1].handler;

		if (h == SIG_IGN)
			out->ignored |= 1ULL << (sig - 1);
		else if (h != SIG_DFL)
			out->caught |= 1ULL << (sig - 1);
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
}

static void task_ids(struct task *t, struct proc_task_ids *ids)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	ids->ppid = t->parent ? t->parent->tgid : 0;
	ids->pgid = t->pgid;
	ids->sid = t->sid;
	ids->state = READ_ONCE(t->state);
	ids->exit_state = t->exit_state;
	ids->exit_code = t->exit_code;
	ids->cred = t->cred;
	ids->cutime_ns = t->cutime_ns;
	ids->cstime_ns = t->cstime_ns;
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* The ps letter and Linux's word for it. */
static const char *task_state_name(const struct proc_task_ids *ids)
{
	if (ids->exit_state == EXIT_ZOMBIE)
		return "Z (zombie)";
	if (ids->state & TASK_DEAD)
		return "X (dead)";
	if (ids->state & TASK_STOPPED)
		return "T (stopped)";
	if (ids->state & TASK_TRACED)
		return "t (tracing stop)";
	if (ids->state & TASK_UNINTERRUPTIBLE)
		return "D (disk sleep)";
	if (ids->state & TASK_INTERRUPTIBLE)
		return "S (sleeping)";
	return "R (running)";
}

struct proc_mm_info {
	unsigned long total_vm, rss, start_code, end_code, start_stack;
	unsigned long start_data, end_data, start_brk, brk;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long stack_vm, data_vm, pte_pages, locked_vm;
};

static void task_mm_info(struct task *t, struct proc_mm_info *mi)
{
	struct mm *mm = get_task_mm(t);
	struct vm_area *vma;

	memset(mi, 0, sizeof(*mi));
	if (!mm)
		return;
	mi->rss = mm_rss_pages(mm);
	mi->pte_pages = (unsigned long)__atomic_load_n(&mm->pgtables_bytes, __ATOMIC_RELAXED) >> PAGE_SHIFT;
	spin_lock(&mm->lock);
	mi->total_vm = mm->total_vm;
	mi->start_code = mm->start_code;
	mi->end_code = mm->end_code;
	mi->start_stack = mm->start_stack;
	mi->start_data = mm->start_data;
	mi->end_data = mm->end_data;
	mi->start_brk = mm->start_brk;
	mi->brk = mm->brk;
	mi->arg_start = mm->arg_start;
	mi->arg_end = mm->arg_end;
	mi->env_start = mm->env_start;
	mi->env_end = mm->env_end;
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

		/* Linux's VmStk and VmData: stack VMAs; private writable ones. */
		if (vma->vm_flags & VM_LOCKED)
			mi->locked_vm += pages;
		if (vma->vm_flags & VM_GROWSDOWN)
			mi->stack_vm += pages;
		else if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
			mi->data_vm += pages;
	}
	spin_unlock(&mm->lock);
	mmput(mm);
}

static unsigned long long ns_to_clock_t(u64 ns)
{
	return ns / NSEC_PER_USER_TICK;
}

int proc_pid_stat_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);
	struct proc_task_ids ids;
	struct task_sig_masks sigs;
	struct proc_mm_info mi;
	bool permitted;
	char comm[TASK_COMM_LEN];
	u32 tty_nr;
	int tpgid;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	permitted = proc_may_access(t);
	task_ids(t, &ids);
	task_mm_info(t, &mi);
	strlcpy(comm, t->comm, sizeof(comm));
	/* Addresses are for those who may inspect the process, as in Linux. */
	if (!permitted) {
		mi.start_code = mi.end_code = mi.start_stack = 0;
		mi.start_data = mi.end_data = mi.start_brk = 0;
		mi.arg_start = mi.arg_end = mi.env_start = mi.env_end = 0;
	}
	seq_printf(m, "%d (%s) %c", t->pid, comm, task_state_name(&ids)[0]);
	/* ppid pgrp session tty_nr tpgid flags */
	if (!tty_session_info(ids.sid, &tty_nr, &tpgid)) {
		tty_nr = 0;
		tpgid = -1;
	}
	seq_printf(m, " %d %d %d %u %d %u", ids.ppid, ids.pgid, ids.sid, tty_nr, tpgid, t->flags);
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(m, " %lu %lu %lu %lu %llu %llu %lld %lld", 0UL, 0UL, 0UL, 0UL,
		   ns_to_clock_t(t->utime_ns), ns_to_clock_t(t->stime_ns),
		   (long long)ns_to_clock_t(ids.cutime_ns), (long long)ns_to_clock_t(ids.cstime_ns));
	/* priority nice num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(m, " %d %d %d %d %llu %lu %lu %lu", 20 + t->nice, t->nice,
		   READ_ONCE(t->group_leader->nr_threads), 0,
		   ns_to_clock_t(t->start_time_ns), mi.total_vm << PAGE_SHIFT, mi.rss,
		   (unsigned long)t->rlim[RLIMIT_RSS].rlim_cur);
	/* startcode endcode startstack kstkesp kstkeip */
	seq_printf(m, " %lu %lu %lu %lu %lu", mi.start_code, mi.end_code, mi.start_stack, 0UL, 0UL);
	/* signal blocked sigignore sigcatch: obsolete decimal masks */
	task_sig_masks(t, &sigs);
	seq_printf(m, " %lu %lu %lu %lu", (unsigned long)sigs.pending, (unsigned long)sigs.blocked,
		   (unsigned long)sigs.ignored, (unsigned long)sigs.caught);
	/* wchan nswap cnswap exit_signal processor rt_priority policy */
	seq_printf(m, " %lu %lu %lu %d %d %u %u", 0UL, 0UL, 0UL, t->exit_signal, t->cpu,
		   (unsigned int)t->rt_priority, (unsigned int)t->policy);
	/* delayacct_blkio_ticks guest_time cguest_time */
	seq_printf(m, " %llu %lu %ld", 0ULL, 0UL, 0L);
	/* start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu %d\n", mi.start_data, mi.end_data,
		   mi.start_brk, mi.arg_start, mi.arg_end, mi.env_start, mi.env_end,
		   permitted && ids.exit_state ? ids.exit_code : 0);
	put_task(t);
	return 0;
}

/* Pending signals; no popcount from libgcc in the kernel. */
static unsigned int sig_count(u64 mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

static void status_kb(struct seq_file *m, const char *name, unsigned long pages)
{
	seq_printf(m, "%s:\t%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

static void status_sigmask(struct seq_file *m, const char *name, u64 mask)
{
	seq_printf(m, "%s:\t%016llx\n", name, (unsigned long long)mask);
}

static unsigned int task_fdsize(struct task *t)
{
	struct files_struct *files;
	unsigned int n = 0;

	task_lock(t);
	files = t->files;
	if (files) {
		spin_lock(&files->lock);
		n = files->max_fds;
		spin_unlock(&files->lock);
	}
	task_unlock(t);
	return n;
}

static unsigned int task_umask(struct task *t)
{
	unsigned int umask = 022;

	task_lock(t);
	if (t->fs) {
		spin_lock(&t->fs->lock);
		umask = t->fs->umask;
		spin_unlock(&t->fs->lock);
	}
	task_unlock(t);
	return umask;
}

int proc_pid_status_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);
	struct proc_task_ids ids;
	struct task_sig_masks sigs;
	struct cpumask cpus;
	struct proc_mm_info mi;
	char comm[TASK_COMM_LEN];
	u64 cap;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	task_ids(t, &ids);
	task_mm_info(t, &mi);
	strlcpy(comm, t->comm, sizeof(comm));
	seq_printf(m, "Name:\t%s\n", comm);
	seq_printf(m, "Umask:\t%04o\n", task_umask(t));
	seq_printf(m, "State:\t%s\n", task_state_name(&ids));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n", t->tgid,
		   t->pid, ids.ppid, ptrace_tracer_pid(t));
	seq_printf(m, "Uid:\t%u\t%u\t%u\t%u\n", ids.cred.uid, ids.cred.euid, ids.cred.suid,
		   ids.cred.fsuid);
	seq_printf(m, "Gid:\t%u\t%u\t%u\t%u\n", ids.cred.gid, ids.cred.egid, ids.cred.sgid,
		   ids.cred.fsgid);
	seq_printf(m, "FDSize:\t%u\nGroups:\t\n", task_fdsize(t));
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->tgid, t->pid,
		   ids.pgid, ids.sid);
	if (!ids.exit_state && mi.total_vm) {
		/* No high-water marks are kept: the peaks are the current sizes. */
		status_kb(m, "VmPeak", mi.total_vm);
		status_kb(m, "VmSize", mi.total_vm);
		status_kb(m, "VmLck", mi.locked_vm);
		status_kb(m, "VmPin", 0);
		status_kb(m, "VmHWM", mi.rss);
		status_kb(m, "VmRSS", mi.rss);
		status_kb(m, "RssAnon", mi.rss);
		status_kb(m, "RssFile", 0);
		status_kb(m, "RssShmem", 0);
		status_kb(m, "VmData", mi.data_vm);
		status_kb(m, "VmStk", mi.stack_vm);
		status_kb(m, "VmExe", (ALIGN(mi.end_code, PAGE_SIZE) - (mi.start_code & PAGE_MASK)) >>
				      PAGE_SHIFT);
		status_kb(m, "VmLib", 0);
		status_kb(m, "VmPTE", mi.pte_pages);
		status_kb(m, "VmSwap", 0);
		seq_puts(m, "HugetlbPages:\t       0 kB\n");
	}
	seq_puts(m, "CoreDumping:\t0\nTHP_enabled:\t1\n");
	task_sig_masks(t, &sigs);
	seq_printf(m, "Threads:\t%d\nSigQ:\t%u/%lu\n", READ_ONCE(t->group_leader->nr_threads),
		   sig_count(sigs.pending),
		   (unsigned long)t->rlim[RLIMIT_SIGPENDING].rlim_cur);
	status_sigmask(m, "SigPnd", sigs.pending);
	status_sigmask(m, "ShdPnd", sigs.shared);
	status_sigmask(m, "SigBlk", sigs.blocked);
	status_sigmask(m, "SigIgn", sigs.ignored);
	status_sigmask(m, "SigCgt", sigs.caught);
	cap = cred_capabilities(&ids.cred);
	status_sigmask(m, "CapInh", 0);
	status_sigmask(m, "CapPrm", cap);
	status_sigmask(m, "CapEff", cap);
	status_sigmask(m, "CapBnd", CAP_FULL_SET);
	status_sigmask(m, "CapAmb", 0);
	seq_printf(m, "NoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%d\n",
		   READ_ONCE(t->no_new_privs), READ_ONCE(t->seccomp.mode), seccomp_filter_count(t));
	/* Linux prints the affinity within the CPUs that exist, not every bit set. */
	cpumask_and(&cpus, &t->cpus_allowed, &cpu_online_mask);
	seq_puts(m, "Cpus_allowed:\t");
	seq_cpumask_hex(m, &cpus, nr_cpus_online);
	seq_puts(m, "\nCpus_allowed_list:\t");
	seq_cpumask_list(m, &cpus);
	seq_putc(m, '\n');
	seq_puts(m, "Mems_allowed:\t1\nMems_allowed_list:\t0\n");
	seq_puts(m, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
	put_task(t);
	return 0;
}
