// SPDX-License-Identifier: MIT
/*
 * exit, exit_group, wait4, waitid: the end of a process.
 *
 * A task holds two references (task->usage): one for running, dropped by
 * finish_task_switch() once it has switched away for the last time, and one
 * for being unreaped, dropped when the parent collects it (or at exit for
 * tasks nobody waits for: kernel threads). The memory goes when both are
 * gone, so a zombie's task struct outlives its address space and files, and
 * the stack it exits on is never freed under it.
 *
 * Lock order: tasklist_lock -> wq->lock -> rq->lock.
 */
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/mmap.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/string.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>
#include <uapi/wait.h>
#include "sched/sched.h"

/* Lets a vfork parent go: clear first, so its re-check after the wake-up sees it. */
void vfork_release(struct task *t)
{
	struct wait_queue_head *wq = t->vfork_done;

	if (wq) {
		WRITE_ONCE(t->vfork_done, NULL);
		wake_up(wq);
	}
}

struct task *get_task(struct task *t)
{
	__atomic_fetch_add(&t->usage, 1, __ATOMIC_RELAXED);
	return t;
}

void put_task(struct task *t)
{
	if (__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL) == 0)
		task_free(t);
}

static struct task *init_process_locked(void)
{
	return find_task_by_pid_locked(1);
}

/* Gives the exiting task's children to init; zombies among them wake init's wait. */
static void reparent_children_locked(struct task *t)
{
	struct task *init = init_process_locked(), *child, *tmp;

	list_for_each_entry_safe(child, tmp, &t->children, sibling) {
		list_del(&child->sibling);
		child->parent = init;
		if (init)
			list_add_tail(&child->sibling, &init->children);
	}
	if (init)
		wake_up(&init->wait_child);
}

/* Releases what a dead task no longer needs; its task struct stays for wait(). */
static void exit_resources(struct task *t)
{
	struct files_struct *files;
	struct fs_struct *fs;
	struct mm *mm;

	/* Unpublish first (task_lock), drop after: a /proc reader holds its own references. */
	task_lock(t);
	mm = t->mm;
	files = t->files;
	fs = t->fs;
	t->mm = NULL;
	t->files = NULL;
	t->fs = NULL;
	task_unlock(t);
	if (mm) {
		arch_switch_to_kernel_mm();
		mmput(mm);
	}
	if (files)
		put_files(files);
	if (fs)
		put_fs_struct(fs);
}

void do_exit(int status)
{
	struct task *t = current, *parent;
	unsigned long flags;
	bool autoreap;

	if (t->pid == 1)
		init_exited(status);
	t->flags |= PF_EXITING;
	if (t->clear_child_tid && t->mm) {
		int zero = 0;

		/* For pthread_join; the futex wake comes with threads. */
		copy_to_user(t->clear_child_tid, &zero, sizeof(zero));
	}
	vfork_release(t);
	exit_resources(t);

	spin_lock_irqsave(&tasklist_lock, flags);
	reparent_children_locked(t);
	t->exit_code = status;
	parent = t->parent;
	autoreap = !parent || (t->flags & PF_KTHREAD);
	if (autoreap) {
		task_unregister_locked(t);
		if (parent)
			list_del(&t->sibling);
	} else {
		t->exit_state = EXIT_ZOMBIE;
		if (t->exit_signal)
			send_signal(parent, t->exit_signal);
		wake_up(&parent->wait_child);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (autoreap)
		put_task(t);

	local_irq_disable();
	t->state = TASK_DEAD;
	schedule();
	BUG();
}

void do_group_exit(int status)
{
	/* One thread per process until threads land: the group is the task. */
	do_exit(status);
}

void kthread_exit(int code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

/* --- wait --------------------------------------------------------------------- */

struct wait_opts {
	int type;		/* P_ALL, P_PID, P_PGID */
	int id;
	int options;
	struct task *found;	/* the zombie collected */
	int status;
	bool any_match;
};

static bool child_matches(const struct wait_opts *wo, const struct task *c)
{
	switch (wo->type) {
	case P_PID:
		return c->tgid == wo->id;
	case P_PGID:
		return c->pgid == wo->id;
	default:
		return true;
	}
}

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / 1000000000ULL);
	tv->tv_usec = (long)(ns % 1000000000ULL / 1000);
}

/*
 * Looks for a zombie child matching @wo; collects it unless WNOWAIT.
 * Returns true when one was found. Caller holds tasklist_lock.
 */
static bool wait_find_zombie_locked(struct wait_opts *wo)
{
	struct task *me = current, *c;

	list_for_each_entry(c, &me->children, sibling) {
		if (!child_matches(wo, c))
			continue;
		wo->any_match = true;
		if (c->exit_state != EXIT_ZOMBIE)
			continue;
		wo->found = c;
		wo->status = c->exit_code;
		if (!(wo->options & WNOWAIT)) {
			me->cutime_ns += c->utime_ns + c->cutime_ns;
			me->cstime_ns += c->stime_ns + c->cstime_ns;
			list_del(&c->sibling);
			task_unregister_locked(c);
		}
		return true;
	}
	return false;
}

static bool wait_ready(struct wait_opts *wo)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&tasklist_lock, flags);
	wo->any_match = false;
	ready = wait_find_zombie_locked(wo) || !wo->any_match;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ready;
}

/*
 * The common wait: returns the pid collected, 0 (WNOHANG and nothing yet),
 * -ECHILD or -ERESTARTSYS. wo->found is then a task the caller must
 * put_task() unless WNOWAIT was given.
 */
static long do_wait(struct wait_opts *wo)
{
	long err;

	wo->found = NULL;
	if (wo->options & WNOHANG) {
		wait_ready(wo);
	} else {
		err = wait_event_interruptible(current->wait_child, wait_ready(wo));
		if (err)
			return err;
	}
	if (wo->found)
		return wo->found->tgid;
	return wo->any_match ? 0 : -ECHILD;
}

static void fill_rusage(const struct task *t, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	ns_to_timeval(t->utime_ns + t->cutime_ns, &ru->ru_utime);
	ns_to_timeval(t->stime_ns + t->cstime_ns, &ru->ru_stime);
}

SYSCALL_DEFINE4(wait4, int, pid, int __user *, wstatus, int, options, struct rusage __user *, ru)
{
	struct wait_opts wo = { .options = options | WEXITED };
	struct rusage r;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == -1) {
		wo.type = P_ALL;
	} else if (pid < -1) {
		wo.type = P_PGID;
		wo.id = -pid;
	} else if (pid == 0) {
		wo.type = P_PGID;
		wo.id = current->pgid;
	} else {
		wo.type = P_PID;
		wo.id = pid;
	}
	ret = do_wait(&wo);
	if (ret <= 0)
		return ret == -ERESTARTSYS ? -EINTR : ret;
	if (ru)
		fill_rusage(wo.found, &r);
	put_task(wo.found);
	if (wstatus && put_user(wo.status, wstatus))
		return -EFAULT;
	if (ru && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

/* The SIGCHLD layout of siginfo_t (128 bytes). */
struct siginfo_chld {
	int si_signo, si_errno, si_code, __pad;
	int si_pid;
	u32 si_uid;
	int si_status;
	int __pad2;
	long si_utime, si_stime;
	char __rest[128 - 48];
};

SYSCALL_DEFINE5(waitid, int, which, int, id, struct siginfo_chld __user *, infop, int, options,
		struct rusage __user *, ru)
{
	struct wait_opts wo = { .type = which, .id = id, .options = options };
	struct siginfo_chld info;
	struct rusage r;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which != P_ALL && which != P_PID && which != P_PGID)
		return -EINVAL;
	if ((which == P_PID || which == P_PGID) && id <= 0)
		return -EINVAL;
	if (!(options & WEXITED))
		return -ECHILD;	/* stopped/continued children come with job control */
	ret = do_wait(&wo);
	if (ret < 0)
		return ret == -ERESTARTSYS ? -EINTR : ret;
	memset(&info, 0, sizeof(info));
	if (wo.found) {
		bool signaled = (wo.status & 0x7f) != 0;

		info.si_signo = SIGCHLD;
		info.si_code = signaled ? CLD_KILLED : CLD_EXITED;
		info.si_pid = wo.found->tgid;
		info.si_uid = wo.found->cred.uid;
		info.si_status = signaled ? (wo.status & 0x7f) : (wo.status >> 8) & 0xff;
		if (ru)
			fill_rusage(wo.found, &r);
		if (!(options & WNOWAIT))
			put_task(wo.found);
	}
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (ru && wo.found && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}
