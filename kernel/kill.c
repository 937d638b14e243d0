// SPDX-License-Identifier: MIT
/*
 * Sending signals from user space: kill, tkill, tgkill, rt_sigqueueinfo,
 * rt_tgsigqueueinfo.
 *
 * kill(2) targets: pid > 0 one process; 0 the caller's process group;
 * -1 every process but init and the caller; < -1 the group -pid. Signal 0
 * only checks existence and permission. A sender may signal a process when
 * it is root, when its real or effective uid is the target's real or saved
 * uid, or for SIGCONT within its session (kill(2), "Linux notes").
 *
 * kill and rt_sigqueueinfo are process-directed (any thread of the target
 * that does not block the signal takes it), tkill and tgkill
 * thread-directed. Targets are looked up and signalled under
 * tasklist_lock, so none can be freed meanwhile; a zombie still "exists"
 * for kill (0, nothing queued), and a zombie leader whose threads live on
 * is their process.
 *
 * Lock order: tasklist_lock -> sighand->siglock -> rq->lock.
 */
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

static bool kill_permitted(const struct task *t, int sig)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (c->euid == 0)
		return true;
	if (c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid)
		return true;
	return sig == SIGCONT && t->sid == current->sid;
}

void user_siginfo(struct siginfo *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	info->f.rt.pid = current->tgid;
	info->f.rt.uid = current->cred.uid;
}

/* Checks permission and sends to @t's process (@group) or thread @t; caller holds tasklist_lock. */
static int send_checked_locked(int sig, const struct siginfo *info, struct task *t, bool group)
{
	lockdep_assert_held(&tasklist_lock);
	if (!kill_permitted(t, sig))
		return -EPERM;
	if (!sig)
		return 0;
	return group ? group_send_sig_info(sig, info, t) : send_sig_info(sig, info, t);
}

static bool is_process(const struct task *t)
{
	return !(t->flags & PF_KTHREAD) && t->pid == t->tgid;
}

/* Sends to every process @match accepts; 0 if one got it, else the last error or -ESRCH. */
static int kill_many_locked(int sig, const struct siginfo *info, int pgid, bool all)
{
	struct task *t;
	int err = -ESRCH, ret;
	bool ok = false;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(t, &task_list, all_node) {
		if (!is_process(t))
			continue;
		if (all ? (t->pid == 1 || t->tgid == current->tgid) : t->pgid != pgid)
			continue;
		ret = send_checked_locked(sig, info, t, true);
		if (!ret)
			ok = true;
		else
			err = ret;
	}
	return ok ? 0 : err;
}

static int kill_something(int pid, int sig, const struct siginfo *info)
{
	unsigned long flags;
	struct task *t;
	int ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (pid > 0) {
		t = find_task_by_pid_locked(pid);
		ret = t && is_process(t) ? send_checked_locked(sig, info, t, true) : -ESRCH;
	} else if (pid == -1) {
		ret = kill_many_locked(sig, info, 0, true);
	} else {
		ret = kill_many_locked(sig, info, pid ? -pid : current->pgid, false);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

int kill_task_checked_locked(int sig, const struct siginfo *info, struct task *t, bool group)
{
	return send_checked_locked(sig, info, t, group);
}

int kill_pgrp_info_locked(int sig, const struct siginfo *info, int pgid)
{
	return kill_many_locked(sig, info, pgid, false);
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct siginfo info;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid == (-2147483647 - 1))
		return -ESRCH;	/* -INT_MIN does not exist */
	user_siginfo(&info, sig, SI_USER);
	return kill_something(pid, sig, &info);
}

/* tkill/tgkill: one thread; @tgid < 0 means any process. */
static int do_tkill(int tgid, int tid, int sig)
{
	struct siginfo info;
	unsigned long flags;
	struct task *t;
	int ret;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	user_siginfo(&info, sig, SI_TKILL);
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(tid);
	if (!t || (t->flags & PF_KTHREAD) || (tgid > 0 && t->tgid != tgid))
		ret = -ESRCH;
	else
		ret = send_checked_locked(sig, &info, t, false);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	return do_tkill(-1, tid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, struct siginfo __user *, uinfo)
{
	struct siginfo info;
	unsigned long flags;
	struct task *t;
	int ret;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	/* Only the kernel may claim kill() or tkill() as the origin, except towards oneself. */
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && pid != current->tgid)
		return -EPERM;
	info.si_signo = sig;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = pid > 0 ? find_task_by_pid_locked(pid) : NULL;
	ret = t && is_process(t) ? send_checked_locked(sig, &info, t, true) : -ESRCH;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

/*
 * rt_tgsigqueueinfo: rt_sigqueueinfo aimed at one thread @tid of @tgid.
 * Only a thread signalling itself may claim a kernel or tkill origin.
 */
SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, struct siginfo __user *, uinfo)
{
	struct siginfo info;
	unsigned long flags;
	struct task *t;
	int ret;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) && tid != current->pid)
		return -EPERM;
	info.si_signo = sig;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(tid);
	if (!t || (t->flags & PF_KTHREAD) || t->tgid != tgid)
		ret = -ESRCH;
	else if (sig < 0 || sig > _NSIG)
		ret = -EINVAL;
	else
		ret = send_checked_locked(sig, &info, t, false);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
