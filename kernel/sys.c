// SPDX-License-Identifier: MIT
/*
 * Process identity and grouping: pids, process groups and sessions (the
 * tasks' pgid/sid fields are per thread group, guarded by tasklist_lock),
 * set_tid_address, sched_yield and sysinfo. Credentials are in cred.c,
 * uname and the host name in utsname.c, limits in rlimit.c, usage in
 * rusage.c.
 */
#include <exo/mm.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/sysinfo.h>

SYSCALL_DEFINE0(getpid)
{
	return current->tgid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	/*
	 * Every thread reports the process's parent, which reparenting updates in the
	 * leader; the leader outlives every other thread, so no lock is needed.
	 */
	return READ_ONCE(current->group_leader->parent_tgid);
}

/* --- process groups and sessions ------------------------------------------ */

static bool pgrp_exists_in_session_locked(int pgid, int sid)
{
	struct task *t;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(t, &task_list, all_node)
		if (t->pgid == pgid && t->sid == sid && !t->exit_state)
			return true;
	return false;
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task *me = current, *t;
	unsigned long flags;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	if (!pid || pid == me->tgid) {
		t = me;
	} else {
		t = find_task_by_pid_locked(pid);
		if (!t || t->parent != me) {
			err = -ESRCH;
			goto out;
		}
		if (t->did_exec) {
			err = -EACCES;
			goto out;
		}
		if (t->sid != me->sid) {
			err = -EPERM;
			goto out;
		}
	}
	if (!pgid)
		pgid = t->tgid;
	if (t->sid == t->tgid) {
		err = -EPERM;	/* a session leader cannot change its group */
		goto out;
	}
	if (pgid != t->tgid && !pgrp_exists_in_session_locked(pgid, me->sid)) {
		err = -EPERM;
		goto out;
	}
	t->pgid = pgid;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* Looks a process up for getpgid/getsid: 0 means the caller. */
static long pid_attr(int pid, bool session)
{
	unsigned long flags;
	struct task *t;
	long ret;

	if (pid < 0)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = pid ? find_task_by_pid_locked(pid) : current;
	ret = t ? (session ? t->sid : t->pgid) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	return pid_attr(pid, false);
}

SYSCALL_DEFINE0(getpgrp)
{
	return pid_attr(0, false);
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	return pid_attr(pid, true);
}

SYSCALL_DEFINE0(setsid)
{
	struct task *me = current, *t;
	unsigned long flags;
	long ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	/* Fails when any process group already has the caller's pid as its id. */
	list_for_each_entry(t, &task_list, all_node) {
		if (t->pgid == me->tgid && !t->exit_state) {
			spin_unlock_irqrestore(&tasklist_lock, flags);
			return -EPERM;
		}
	}
	me->sid = me->pgid = me->tgid;
	ret = me->sid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, info)
{
	struct sysinfo si;
	unsigned long flags;
	struct task *t;
	unsigned int procs = 0;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(ktime_get_ns() / NSEC_PER_SEC);
	si.totalram = totalram_pages() << PAGE_SHIFT;
	si.freeram = nr_free_pages() << PAGE_SHIFT;
	si.mem_unit = 1;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node)
		procs++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	si.procs = procs > 0xffff ? 0xffff : procs;
	return copy_to_user(info, &si, sizeof(si));
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield_current();
	return 0;
}
