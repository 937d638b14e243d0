// SPDX-License-Identifier: MIT
/*
 * Scheduler system calls: CPU affinity and nice values.
 *
 * sched_getaffinity reports the online CPUs the task may use; musl's
 * sysconf(_SC_NPROCESSORS_ONLN) counts them, so it must be exact. Nice
 * values scale the round-robin time slice (task_slice() in core.c).
 */
#include <exo/cpumask.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define NICE_MIN (-20)
#define NICE_MAX 19

/* Bytes of a CPU mask as Linux sizes it: the possible CPUs, rounded up to longs. */
#define CPUMASK_USER_BYTES (CPUMASK_LONGS * sizeof(unsigned long))

static struct task *task_by_pid_or_self(int pid)
{
	if (pid < 0)
		return NULL;
	return pid ? find_task_by_pid(pid) : current;
}

static bool may_change(const struct task *t)
{
	const struct cred *me = &current->cred;

	return me->euid == 0 || me->euid == t->cred.uid || me->euid == t->cred.euid;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len, unsigned long __user *, user_mask)
{
	struct cpumask mask;
	struct task *t;

	if (len < CPUMASK_USER_BYTES || (len & (sizeof(unsigned long) - 1)))
		return -EINVAL;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		mask.bits[i] = t->cpus_allowed.bits[i] & cpu_online_mask.bits[i];
	if (copy_to_user(user_mask, mask.bits, CPUMASK_USER_BYTES))
		return -EFAULT;
	return (long)CPUMASK_USER_BYTES;
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len, const unsigned long __user *, user_mask)
{
	struct cpumask mask;
	bool any = false;
	struct task *t;

	memset(&mask, 0, sizeof(mask));
	if (copy_from_user(mask.bits, user_mask, min((size_t)len, CPUMASK_USER_BYTES)))
		return -EFAULT;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	if (!may_change(t))
		return -EPERM;
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++) {
		mask.bits[i] &= cpu_online_mask.bits[i];
		any |= mask.bits[i] != 0;
	}
	if (!any)
		return -EINVAL;
	return sched_set_cpus_allowed(t, &mask);
}

static bool prio_match(const struct task *t, int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return t->tgid == who;
	case PRIO_PGRP:
		return t->pgid == who;
	default:
		return t->cred.uid == (u32)who;
	}
}

/* Resolves who = 0 to the caller's process, group or user. */
static int prio_who(int which, int who)
{
	if (who)
		return who;
	if (which == PRIO_PROCESS)
		return current->tgid;
	if (which == PRIO_PGRP)
		return current->pgid;
	return (int)current->cred.uid;
}

/* The kernel ABI returns 20 - nice (1..40) so that it is never negative; libc converts. */
SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	unsigned long flags;
	struct task *t;
	long best = -ESRCH;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	who = prio_who(which, who);
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node)
		if (!t->exit_state && !(t->flags & PF_KTHREAD) && prio_match(t, which, who) &&
		    20 - t->nice > best)
			best = 20 - t->nice;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	unsigned long flags;
	struct task *t;
	long err = -ESRCH;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	niceval = niceval < NICE_MIN ? NICE_MIN : niceval > NICE_MAX ? NICE_MAX : niceval;
	who = prio_who(which, who);
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (t->exit_state || (t->flags & PF_KTHREAD) || !prio_match(t, which, who))
			continue;
		if (!may_change(t)) {
			err = -EPERM;
			continue;
		}
		/* Raising priority (a lower nice) needs privilege (CAP_SYS_NICE). */
		if (niceval < t->nice && current->cred.euid != 0) {
			err = -EACCES;
			continue;
		}
		WRITE_ONCE(t->nice, niceval);
		err = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpup, unsigned int __user *, nodep, void __user *, unused)
{
	unsigned int cpu = (unsigned int)smp_processor_id(), node = 0;

	if (cpup && put_user(cpu, cpup))
		return -EFAULT;
	if (nodep && put_user(node, nodep))
		return -EFAULT;
	return 0;
}
