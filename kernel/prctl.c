// SPDX-License-Identifier: MIT
/*
 * prctl(2): the options Linux programs and libcs use. Numbers, argument
 * checks and errno values are Linux's; an option Exo-OS does not have is
 * EINVAL, as Linux answers for one it does not know.
 *
 * Where each attribute lives, as on Linux: the name, the parent-death
 * signal, no_new_privs and the timer slack are the thread's; dumpable is
 * the address space's; the child-subreaper mark is the process's.
 */
#include <exo/kernel.h>
#include <exo/mm_types.h>
#include <exo/sched.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/capability.h>
#include <uapi/prctl.h>

#define TIMER_SLACK_DEFAULT_NS 50000

static long prctl_set_name(const char __user *uname)
{
	char comm[TASK_COMM_LEN] = { 0 };
	long len = strncpy_from_user(comm, uname, sizeof(comm) - 1);

	if (len < 0)
		return -EFAULT;
	set_task_comm(current, comm, (size_t)len);
	return 0;
}

static long prctl_get_name(char __user *uname)
{
	char comm[TASK_COMM_LEN];

	task_lock(current);
	memcpy(comm, current->comm, sizeof(comm));
	task_unlock(current);
	return copy_to_user(uname, comm, sizeof(comm)) ? -EFAULT : 0;
}

static long put_int(unsigned long uaddr, int value)
{
	return put_user(value, (int __user *)uaddr) ? -EFAULT : 0;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3, unsigned long, arg4,
		unsigned long, arg5)
{
	struct task *t = current;

	switch (option) {
	case PR_SET_NAME:
		return prctl_set_name((const char __user *)arg2);
	case PR_GET_NAME:
		return prctl_get_name((char __user *)arg2);
	case PR_SET_PDEATHSIG:
		if (arg2 > _NSIG)
			return -EINVAL;
		WRITE_ONCE(t->pdeath_signal, (int)arg2);
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(arg2, READ_ONCE(t->pdeath_signal));
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		WRITE_ONCE(t->mm->dumpable, (int)arg2);
		return 0;
	case PR_GET_DUMPABLE:
		return READ_ONCE(t->mm->dumpable);
	case PR_SET_CHILD_SUBREAPER:
		WRITE_ONCE(t->signal->is_child_subreaper, arg2 != 0);
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(arg2, READ_ONCE(t->signal->is_child_subreaper));
	case PR_SET_NO_NEW_PRIVS:
		/* It can be set, never cleared. */
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return t->no_new_privs;
	case PR_SET_TIMERSLACK:
		t->timer_slack_ns = arg2 ? arg2 : TIMER_SLACK_DEFAULT_NS;
		return 0;
	case PR_GET_TIMERSLACK:
		return (long)(t->timer_slack_ns ? t->timer_slack_ns : TIMER_SLACK_DEFAULT_NS);
	case PR_GET_SECCOMP:
		return READ_ONCE(t->seccomp.mode);
	case PR_SET_SECCOMP:
		return prctl_set_seccomp(arg2, (void __user *)arg3);
	case PR_CAPBSET_READ:
		/* No capability is ever dropped from the bounding set. */
		return arg2 <= CAP_LAST_CAP ? 1 : -EINVAL;
	default:
		return -EINVAL;
	}
}
