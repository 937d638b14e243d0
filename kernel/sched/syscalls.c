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
#include <exo/cred.h>
#include <exo/mm.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/sched.h>
#include <uapi/time.h>

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

/*
 * Scheduling policies. SCHED_FIFO and SCHED_RR (priorities 1..99) run
 * before every fair task on their CPU (core.c's task_rank); SCHED_BATCH and
 * SCHED_IDLE are stored and reported but scheduled as SCHED_NORMAL.
 * SCHED_DEADLINE is not supported (EINVAL). Privilege is euid 0 (Linux's
 * CAP_SYS_NICE); without it, RLIMIT_RTPRIO and RLIMIT_NICE decide as on Linux.
 */
#define RT_PRIO_MAX 99
#define SETPARAM_POLICY (-1)	/* sched_setparam: keep the policy */
/* RECLAIM and DL_OVERRUN only concern SCHED_DEADLINE: accepted and ignored. */
#define SCHED_FLAG_ALL (SCHED_FLAG_RESET_ON_FORK | SCHED_FLAG_RECLAIM | SCHED_FLAG_DL_OVERRUN | \
			SCHED_FLAG_KEEP_POLICY | SCHED_FLAG_KEEP_PARAMS | \
			SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH || policy == SCHED_IDLE ||
	       rt_policy(policy);
}

/* What an unprivileged caller may do to @t (user_check_sched_setscheduler in Linux). */
static long sched_check_perm(struct task *t, int policy, unsigned int prio, int nice,
			     bool reset_on_fork)
{
	unsigned long rtprio = t->rlim[RLIMIT_RTPRIO].rlim_cur;
	unsigned long nice_rlim = t->rlim[RLIMIT_NICE].rlim_cur;

	if (capable_root())
		return 0;
	/* Lowering the nice value needs 20 - nice within RLIMIT_NICE. */
	if (!rt_policy(policy) && nice < t->nice && (unsigned long)(20 - nice) > nice_rlim)
		return -EPERM;
	if (rt_policy(policy)) {
		if (policy != t->policy && !rtprio)
			return -EPERM;
		if (prio > (unsigned int)t->rt_priority && prio > rtprio)
			return -EPERM;
	}
	if (t->policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    (unsigned long)(20 - t->nice) > nice_rlim)
		return -EPERM;
	if (!may_change(t))
		return -EPERM;
	if (t->sched_reset_on_fork && !reset_on_fork)
		return -EPERM;
	return 0;
}

/*
 * The common part of sched_setscheduler, sched_setparam and sched_setattr.
 * @policy is SETPARAM_POLICY to keep the current one (and its reset-on-fork
 * flag); @nice applies to the fair policies.
 */
static long sched_change(struct task *t, int policy, unsigned int prio, int nice, u64 flags)
{
	bool reset_on_fork = flags & SCHED_FLAG_RESET_ON_FORK;
	long err;

	if (policy == SETPARAM_POLICY) {
		policy = t->policy;
		reset_on_fork = t->sched_reset_on_fork;
	} else if (!valid_policy(policy)) {
		return -EINVAL;
	}
	if (flags & ~(u64)SCHED_FLAG_ALL)
		return -EINVAL;
	/* No utilization clamping: Linux without CONFIG_UCLAMP_TASK says so. */
	if (flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX))
		return -EOPNOTSUPP;
	if (prio > RT_PRIO_MAX || rt_policy(policy) != (prio != 0))
		return -EINVAL;
	err = sched_check_perm(t, policy, prio, nice, reset_on_fork);
	if (err)
		return err;
	if (!rt_policy(policy))
		WRITE_ONCE(t->nice, nice);
	sched_set_policy(t, policy, (int)prio, reset_on_fork);
	return 0;
}

static long sched_setscheduler_common(int pid, int policy, const struct sched_param __user *uparam)
{
	struct sched_param p;
	struct task *t;
	u64 flags = 0;

	if (!uparam || pid < 0)
		return -EINVAL;
	if (copy_from_user(&p, uparam, sizeof(p)))
		return -EFAULT;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK)) {
		flags |= SCHED_FLAG_RESET_ON_FORK;
		policy &= ~SCHED_RESET_ON_FORK;
	}
	return sched_change(t, policy, (unsigned int)p.sched_priority, t->nice, flags);
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, const struct sched_param __user *, param)
{
	if (policy < 0)
		return -EINVAL;
	return sched_setscheduler_common(pid, policy, param);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, const struct sched_param __user *, param)
{
	return sched_setscheduler_common(pid, SETPARAM_POLICY, param);
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	struct task *t;

	if (pid < 0)
		return -EINVAL;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	return t->policy | (t->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

SYSCALL_DEFINE2(sched_getparam, int, pid, struct sched_param __user *, param)
{
	struct sched_param p;
	struct task *t;

	if (!param || pid < 0)
		return -EINVAL;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	p.sched_priority = rt_policy(t->policy) ? t->rt_priority : 0;
	if (copy_to_user(param, &p, sizeof(p)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return RT_PRIO_MAX;
	if (valid_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	if (valid_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, struct timespec __user *, interval)
{
	struct timespec ts;
	struct task *t;
	u64 ns;

	if (pid < 0)
		return -EINVAL;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	ns = sched_task_slice_ns(t);
	ts.tv_sec = (long)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	if (copy_to_user(interval, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/*
 * Copies a sized struct sched_attr in: a short one (VER0, or 0 meaning
 * VER0) reads as zero-extended, a longer one must be zero past what we
 * know. A bad size gets E2BIG and our size written back.
 */
static long sched_attr_copy_in(struct sched_attr *attr, struct sched_attr __user *uattr)
{
	u32 size;

	memset(attr, 0, sizeof(*attr));
	if (get_user(size, &uattr->size))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto err_size;
	if (copy_from_user(attr, uattr, min((size_t)size, sizeof(*attr))))
		return -EFAULT;
	for (u32 off = sizeof(*attr); off < size; off++) {
		u8 byte;

		if (get_user(byte, (u8 __user *)uattr + off))
			return -EFAULT;
		if (byte)
			goto err_size;
	}
	if ((attr->sched_flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX)) &&
	    size < SCHED_ATTR_SIZE_VER1)
		return -EINVAL;
	if (attr->sched_nice < NICE_MIN)
		attr->sched_nice = NICE_MIN;
	if (attr->sched_nice > NICE_MAX)
		attr->sched_nice = NICE_MAX;
	return 0;
err_size:
	if (put_user((u32)sizeof(*attr), &uattr->size))
		return -EFAULT;
	return -E2BIG;
}

SYSCALL_DEFINE3(sched_setattr, int, pid, struct sched_attr __user *, uattr, unsigned int, flags)
{
	struct sched_attr attr;
	int policy, nice;
	unsigned int prio;
	struct task *t;
	long err;

	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	err = sched_attr_copy_in(&attr, uattr);
	if (err)
		return err;
	if ((int)attr.sched_policy < 0)
		return -EINVAL;
	policy = (int)attr.sched_policy;
	if (attr.sched_flags & SCHED_FLAG_KEEP_POLICY)
		policy = SETPARAM_POLICY;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	nice = attr.sched_nice;
	prio = attr.sched_priority;
	/* KEEP_PARAMS keeps an RT task's priority or a fair task's nice, not both. */
	if (attr.sched_flags & SCHED_FLAG_KEEP_PARAMS) {
		if (rt_policy(t->policy))
			prio = (unsigned int)t->rt_priority;
		else
			nice = t->nice;
	}
	return sched_change(t, policy, prio, nice, attr.sched_flags);
}

SYSCALL_DEFINE4(sched_getattr, int, pid, struct sched_attr __user *, uattr, unsigned int, usize,
		unsigned int, flags)
{
	struct sched_attr attr;
	struct task *t;

	if (!uattr || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || flags)
		return -EINVAL;
	t = task_by_pid_or_self(pid);
	if (!t)
		return -ESRCH;
	memset(&attr, 0, sizeof(attr));
	attr.sched_policy = (u32)t->policy;
	attr.sched_flags = t->sched_reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0;
	if (rt_policy(t->policy))
		attr.sched_priority = (u32)t->rt_priority;
	else
		attr.sched_nice = t->nice;
	/* A newer, larger struct gets what we know, zeroes after it, and our size. */
	attr.size = min(usize, (unsigned int)sizeof(attr));
	if (copy_to_user(uattr, &attr, attr.size))
		return -EFAULT;
	if (usize > attr.size && clear_user((u8 __user *)uattr + attr.size, usize - attr.size))
		return -EFAULT;
	return 0;
}
