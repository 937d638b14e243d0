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
 * At exit the parent gets exit_signal (SIGCHLD) with CLD_EXITED or
 * CLD_KILLED; when the parent ignores SIGCHLD (SIG_IGN) or set SA_NOCLDWAIT,
 * the child is reaped at once and wait() ends with ECHILD, as Linux does.
 * wait4 WUNTRACED / waitid WSTOPPED report a job-control stop once
 * (status sig << 8 | 0x7f), WCONTINUED a SIGCONT resume once (0xffff).
 *
 * Lock order: tasklist_lock -> sighand->siglock -> wq->lock -> rq->lock.
 */
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/mmap.h>
#include <exo/printk.h>
#include <exo/pidfd.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/syscalls.h>
#include <exo/tty.h>
#include <exo/uaccess.h>
#include <exo/string.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/ptrace.h>
#include <uapi/signal.h>
#include <uapi/time_types.h>
#include <uapi/wait.h>
#include "sched/sched.h"

/* Lets a vfork parent go: clear first, so its re-check after the wake-up sees it. */
/*
 * The vfork parent's wait queue is on its stack, and the parent may return
 * the moment it sees vfork_done NULL: clear it and wake under the queue's
 * lock, which the parent takes once before returning (kernel_clone), so the
 * queue outlives every use here.
 */
void vfork_release(struct task *t)
{
	struct wait_queue_head *wq = t->vfork_done;
	unsigned long flags;

	if (wq) {
		spin_lock_irqsave(&wq->lock, flags);
		WRITE_ONCE(t->vfork_done, NULL);
		__wake_up_locked(wq, NULL);
		spin_unlock_irqrestore(&wq->lock, flags);
	}
}

struct task *get_task(struct task *t)
{
	__atomic_fetch_add(&t->usage, 1, __ATOMIC_RELAXED);
	return t;
}

struct task *find_get_task_by_pid(int pid)
{
	unsigned long flags;
	struct task *t;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(pid);
	if (t)
		get_task(t);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t;
}

void put_task(struct task *t)
{
	put_task_inline(t);
}

static struct task *init_process_locked(void)
{
	lockdep_assert_held(&tasklist_lock);
	return find_task_by_pid_locked(1);
}

/* A thread of @t's process, other than @t, that is not exiting; or NULL. Caller holds tasklist_lock. */
static struct task *live_thread_locked(struct task *t)
{
	struct task *leader = t->group_leader, *it;

	lockdep_assert_held(&tasklist_lock);
	if (leader != t && !(leader->flags & PF_EXITING))
		return leader;
	list_for_each_entry(it, &leader->thread_list, thread_node)
		if (it != t && !(it->flags & PF_EXITING))
			return it;
	return NULL;
}

/*
 * Who takes the exiting task's children: another live thread of its process
 * (which stays their parent, as on Linux), else the nearest ancestor process
 * marked PR_SET_CHILD_SUBREAPER that has a live thread, else init. Caller
 * holds tasklist_lock.
 */
static struct task *find_new_reaper_locked(struct task *t, bool *same_process)
{
	struct task *heir = live_thread_locked(t), *p, *alive;

	lockdep_assert_held(&tasklist_lock);
	*same_process = heir != NULL;
	if (heir)
		return heir;
	for (p = t->parent; p && p->tgid != 1; p = p->parent) {
		if (!READ_ONCE(p->signal->is_child_subreaper))
			continue;
		alive = (p->flags & PF_EXITING) ? live_thread_locked(p) : p;
		if (alive)
			return alive;
	}
	return init_process_locked();
}

/*
 * Orphaned process groups (POSIX, as Linux implements it): a group is
 * orphaned when none of its members has a parent in another group of the
 * same session, the link a job-control shell uses to continue it. A group
 * that becomes orphaned while one of its processes is stopped gets SIGHUP
 * then SIGCONT, so that it is not left stopped with nobody to continue it.
 * The walks are over the task list, and only run when the cheap tests pass.
 */
bool pgrp_will_be_orphaned_locked(int pgid, const struct task *ignored)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, all_node) {
		struct task *parent;

		if (p != p->group_leader || p->pgid != pgid || p == ignored || p->exit_state ||
		    !p->parent || (p->flags & PF_KTHREAD))
			continue;
		parent = p->parent->group_leader;
		if (parent->tgid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == p->sid)
			return false;
	}
	return true;
}

static bool pgrp_has_stopped_locked(int pgid)
{
	struct task *p;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(p, &task_list, all_node)
		if (p == p->group_leader && p->pgid == pgid && p->signal &&
		    (READ_ONCE(p->signal->flags) & SIGNAL_STOP_STOPPED))
			return true;
	return false;
}

/*
 * @t's group may just have lost its link outside: @t's process is exiting
 * (@father NULL), or @t was a child of @father, which is. Caller holds
 * tasklist_lock.
 */
static void kill_orphaned_pgrp_locked(struct task *t, struct task *father)
{
	struct task *parent = father ? father : t->parent;

	lockdep_assert_held(&tasklist_lock);
	if (!parent)
		return;
	parent = parent->group_leader;
	if (parent->pgid != t->pgid && parent->sid == t->sid &&
	    pgrp_will_be_orphaned_locked(t->pgid, father ? NULL : t) &&
	    pgrp_has_stopped_locked(t->pgid)) {
		kill_pgrp_locked(t->pgid, SIGHUP);
		kill_pgrp_locked(t->pgid, SIGCONT);
	}
}

/*
 * Gives the exiting task's children to their new reaper; zombies among them
 * wake its wait. A child that asked for a parent-death signal gets it now,
 * even when the reaper is another thread of the same process (Linux's
 * rule: the signal follows the thread that forked it).
 */
static bool notify_parent_exit_locked(struct task *t, struct task *parent);

static void reparent_children_locked(struct task *t)
{
	bool same_process;
	struct task *to = find_new_reaper_locked(t, &same_process), *child, *tmp;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry_safe(child, tmp, &t->children, sibling) {
		int pdeath = READ_ONCE(child->pdeath_signal);

		list_del(&child->sibling);
		task_set_parent_locked(child, to);
		/* A new parent process waits without __WCLONE: an orphan reports with SIGCHLD (Linux too). */
		if (!same_process)
			child->exit_signal = SIGCHLD;
		if (to)
			list_add_tail(&child->sibling, &to->children);
		if (pdeath && !child->exit_state) {
			struct siginfo info;

			user_siginfo(&info, pdeath, SI_USER);
			group_send_sig_info(pdeath, &info, child);
		}
		if (!same_process)
			kill_orphaned_pgrp_locked(child, t);
		/*
		 * A zombie is reported to its new parent, as Linux's reparenting
		 * does: an init that reaps on SIGCHLD never learns of it
		 * otherwise. (A new parent that ignores SIGCHLD still collects
		 * it with wait(); Linux would release it at once.)
		 */
		if (to && !same_process && child->exit_state == EXIT_ZOMBIE && !child->nr_threads)
			notify_parent_exit_locked(child, to);
	}
	if (to)
		wake_up(&to->group_leader->wait_child);
}

/* Releases what a dead task no longer needs; its task struct stays for wait(). */
static void exit_resources(struct task *t)
{
	struct files_struct *files;
	struct fs_struct *fs;
	struct mm *mm;

	exit_sem(t);
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

static long ns_to_clock_ticks(u64 ns)
{
	return (long)(ns / (1000000000ULL / USER_HZ));
}

/*
 * Sends @t's exit signal to @parent; returns true when the parent does not
 * want zombies (SIGCHLD ignored or SA_NOCLDWAIT) and @t is to be reaped now.
 * Caller holds tasklist_lock.
 */
static bool notify_parent_exit_locked(struct task *t, struct task *parent)
{
	const struct kernel_sigaction *ka = parent->sighand ? &parent->sighand->action[SIGCHLD - 1] : NULL;
	int sig = t->exit_signal, status = t->exit_code;
	struct siginfo info;
	bool autoreap = false;

	lockdep_assert_held(&tasklist_lock);
	/* A parent that has exec'd since the fork is another program: it gets SIGCHLD only. */
	if (sig != SIGCHLD && sig && t->parent_exec_id != READ_ONCE(parent->self_exec_id))
		sig = SIGCHLD;

	if (ka && sig == SIGCHLD && (ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (ka->handler == SIG_IGN)
			sig = 0;
	}
	if (sig) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = (status & 0x7f) ? CLD_KILLED : CLD_EXITED;
		info.f.chld.pid = t->tgid;
		info.f.chld.uid = t->cred.uid;
		info.f.chld.status = (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff;
		info.f.chld.utime = ns_to_clock_ticks(t->utime_ns + t->cutime_ns);
		info.f.chld.stime = ns_to_clock_ticks(t->stime_ns + t->cstime_ns);
		group_send_sig_info(sig, &info, parent);
	}
	return autoreap;
}

/*
 * The whole process @leader heads is gone: report it to its parent, or
 * reap it at once when nobody waits for it (returned: drop its unreaped
 * reference after unlocking). Caller holds tasklist_lock.
 */
static struct task *process_exit_notify_locked(struct task *leader)
{
	struct task *parent = leader->parent;
	bool autoreap;

	lockdep_assert_held(&tasklist_lock);
	if (leader->group_exiting)
		leader->exit_code = leader->group_exit_code;
	pidfd_notify_exit();
	autoreap = !parent || (leader->flags & PF_KTHREAD);
	if (!autoreap)
		autoreap = notify_parent_exit_locked(leader, parent);
	if (autoreap) {
		task_unregister_locked(leader);
		if (parent) {
			list_del(&leader->sibling);
			/* A wait() that has no child left must see ECHILD now. */
			wake_up(&parent->group_leader->wait_child);
		}
		return leader;
	}
	wake_up(&parent->group_leader->wait_child);
	return NULL;
}

void do_exit(int status)
{
	struct task *t = current, *leader, *reap_leader = NULL;
	unsigned long flags;
	bool autoreap, group_dead;
	LIST_HEAD(ptrace_dead);		/* exited tracees this task held, put after unlocking */

	if (t->pid == 1)
		init_exited(status);
	/* PTRACE_O_TRACEEXIT: the tracer sees the registers before they go (not when killed). */
	if (unlikely(READ_ONCE(t->ptrace) & (PTRACE_O_TRACEEXIT << PT_OPT_SHIFT)) &&
	    (status & 0x7f) != SIGKILL)
		ptrace_event(PTRACE_EVENT_EXIT, (unsigned long)status);
	exit_signals(t);
	if (t->mm) {
		futex_exit(t);
		task_sample_rss(t);
	}
	vfork_release(t);
	exit_resources(t);
	/* The session ends with its leader process, not with one of its threads. */
	if (t == t->group_leader && t->sid == t->tgid)
		tty_session_leader_exit(t->sid);

	spin_lock_irqsave(&tasklist_lock, flags);
	exit_ptrace_locked(t, &ptrace_dead);
	reparent_children_locked(t);
	leader = t->group_leader;
	if (leader->nr_threads == 1)	/* the process ends with this thread */
		kill_orphaned_pgrp_locked(leader, NULL);
	/* exit_group and fatal signals end every thread with the group's status. */
	if (leader->group_exiting)
		status = leader->group_exit_code;
	t->exit_code = status;
	t->stop_code = 0;
	t->continued_report = false;
	/* A tracee's exit goes to its tracer first (before the real parent can reap it). */
	if (t->tracer)
		ptrace_exit_notify_locked(t, status);
	leader->nr_threads--;
	group_dead = !leader->nr_threads;
	if (t != leader) {
		/* A thread leaves no zombie; the process lives on in its other threads. */
		spin_lock(&t->sighand->siglock);
		list_del_init(&t->thread_node);
		spin_unlock(&t->sighand->siglock);
		task_unregister_locked(t);
		autoreap = true;
		wake_up(&leader->group_wq);
		/* The leader exited earlier and waited for this last thread: report the process now. */
		if (!leader->nr_threads && leader->exit_state == EXIT_ZOMBIE)
			reap_leader = process_exit_notify_locked(leader);
	} else if (leader->nr_threads) {
		/* Threads remain: a zombie its parent cannot collect until they are gone. */
		t->exit_state = EXIT_ZOMBIE;
		autoreap = false;
		/* An exec in one of those threads may be waiting for this exit. */
		wake_up(&leader->group_wq);
	} else {
		t->exit_state = EXIT_ZOMBIE;
		autoreap = process_exit_notify_locked(t) != NULL;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	ptrace_put_dead(&ptrace_dead);
	/* The interval timers are the process's: they stop with its last thread. */
	if (group_dead && t->signal) {
		itimers_exit(t->signal);
		posix_timers_exit(t);
	}
	if (autoreap)
		put_task(t);
	if (reap_leader)
		put_task(reap_leader);

	local_irq_disable();
	t->state = TASK_DEAD;
	schedule();
	BUG();
}

void do_group_exit(int status)
{
	struct task *t = current, *leader;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	leader = t->group_leader;
	if (!leader->group_exiting) {
		/* Every other thread dies too; a fatal signal that came first sets the status. */
		spin_lock(&t->sighand->siglock);
		status = signal_group_exit_locked(t, status);
		spin_unlock(&t->sighand->siglock);
		leader->group_exiting = true;
		leader->group_exit_code = status;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	do_exit(status);
}

int de_thread(struct task *t)
{
	struct task *leader, *old = NULL;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&tasklist_lock, flags);
	leader = t->group_leader;
	if (leader->nr_threads == 1) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return 0;
	}
	spin_lock(&t->sighand->siglock);
	if (leader->group_exiting || (t->signal->flags & SIGNAL_GROUP_EXIT)) {
		/* Another thread is ending the process or exec'ing: it wins. */
		spin_unlock(&t->sighand->siglock);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EAGAIN;
	}
	/* group_exiting keeps the dying threads from signalling back; the code is not reported. */
	leader->group_exiting = true;
	leader->group_exit_code = SIGKILL;
	zap_other_threads_locked(t);
	spin_unlock(&t->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	err = wait_event_interruptible(leader->group_wq, READ_ONCE(leader->nr_threads) == 1);
	spin_lock_irqsave(&tasklist_lock, flags);
	leader->group_exiting = false;
	if (!err && leader != t) {
		/*
		 * Exec from a thread: it becomes the process, under the leader's pid,
		 * in the leader's place among its parent's children; the old leader,
		 * a zombie nobody will collect, is released.
		 */
		old = leader;
		task_reassign_pid_locked(t, old);
		t->tgid = old->tgid;
		task_set_parent_locked(t, old->parent);
		t->exit_signal = old->exit_signal;
		spin_lock(&t->sighand->siglock);
		t->group_leader = t;
		INIT_LIST_HEAD(&t->thread_list);
		list_del_init(&t->thread_node);
		spin_unlock(&t->sighand->siglock);
		t->nr_threads = 1;
		t->group_exiting = false;
		list_replace_init(&old->sibling, &t->sibling);
		old->nr_threads = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (old)
		put_task(old);
	return err ? -EINTR : 0;
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
	struct task *found;	/* the child reported, with a reference for the caller */
	int status;		/* its wait status */
	int why;		/* CLD_EXITED, CLD_KILLED, CLD_STOPPED, CLD_CONTINUED, CLD_TRAPPED */
	int pid;		/* the id reported: the child's tgid, a tracee's own pid */
	bool any_match;
};

static bool child_matches(const struct wait_opts *wo, const struct task *c)
{
	/* A "clone" child (exit signal other than SIGCHLD) is waited for only with __WCLONE or __WALL. */
	if (!(wo->options & __WALL) && ((c->exit_signal != SIGCHLD) != !!(wo->options & __WCLONE)))
		return false;
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

static void wait_found_locked(struct wait_opts *wo, struct task *c, int status, int why)
{
	lockdep_assert_held(&tasklist_lock);
	wo->found = c;
	wo->status = status;
	wo->why = why;
	wo->pid = c->tgid;
	__atomic_add_fetch(&c->usage, 1, __ATOMIC_RELAXED);
}

static void wait_collect_zombie_locked(struct task *c);

/* A zombie child: collected (its unreaped reference goes) unless WNOWAIT. */
static void wait_task_zombie_locked(struct wait_opts *wo, struct task *c)
{
	lockdep_assert_held(&tasklist_lock);
	wait_found_locked(wo, c, c->exit_code, (c->exit_code & 0x7f) ? CLD_KILLED : CLD_EXITED);
	if (!(wo->options & WNOWAIT))
		wait_collect_zombie_locked(c);
}

/* Accounts the reaped child @c to its parent (the caller) and releases it. */
static void wait_collect_zombie_locked(struct task *c)
{
	struct task *me = current;

	lockdep_assert_held(&tasklist_lock);
	me->cutime_ns += c->utime_ns + c->cutime_ns;
	me->cstime_ns += c->stime_ns + c->cstime_ns;
	me->cmaxrss_kb = max(me->cmaxrss_kb, max(c->maxrss_kb, c->cmaxrss_kb));
	list_del(&c->sibling);
	task_unregister_locked(c);
	put_task(c);
}

/*
 * Looks for a child matching @wo with something to report: an exit, a stop
 * (WSTOPPED) or a continue (WCONTINUED). Returns true when one was found.
 * Caller holds tasklist_lock.
 */
/* The children of one thread; see wait_consider_children_locked(). */
static bool wait_consider_thread_children_locked(struct wait_opts *wo, struct task *me)
{
	struct task *c;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(c, &me->children, sibling) {
		if (!child_matches(wo, c))
			continue;
		wo->any_match = true;
		/* Traced: its tracer waits for it first (ptrace_wait_consider_locked()). */
		if (c->ptrace_zombie)
			continue;
		/* A leader whose threads still run is not collectable yet. */
		if (c->exit_state == EXIT_ZOMBIE && !c->nr_threads) {
			if (!(wo->options & WEXITED))
				continue;
			wait_task_zombie_locked(wo, c);
			return true;
		}
		if (c->tracer)
			continue;	/* its stops are the tracer's to report */
		if ((wo->options & WSTOPPED) && c->stop_code) {
			wait_found_locked(wo, c, c->stop_code, CLD_STOPPED);
			if (!(wo->options & WNOWAIT))
				c->stop_code = 0;
			return true;
		}
		if ((wo->options & WCONTINUED) && c->continued_report) {
			wait_found_locked(wo, c, WSTATUS_CONTINUED, CLD_CONTINUED);
			if (!(wo->options & WNOWAIT))
				c->continued_report = false;
			return true;
		}
	}
	return false;
}

/*
 * The tracees of thread @me (kernel/ptrace.c): their ptrace stops are
 * reported without WUNTRACED, and clone children without __WCLONE, as
 * Linux does; an exited tracee is reported (and the trace ends) before its
 * real parent can reap it, or reaped here when that parent is us.
 */
static bool ptrace_wait_consider_locked(struct wait_opts *wo, struct task *me)
{
	struct task *c;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(c, &me->ptraced, ptrace_entry) {
		if ((wo->type == P_PID && c->pid != wo->id) || (wo->type == P_PGID && c->pgid != wo->id))
			continue;
		wo->any_match = true;
		if (c->ptrace_zombie) {
			if (!(wo->options & WEXITED))
				continue;
			wait_found_locked(wo, c, c->exit_code,
					  (c->exit_code & 0x7f) ? CLD_KILLED : CLD_EXITED);
			wo->pid = c->pid;
			if (wo->options & WNOWAIT)
				return true;
			if (c->parent && c->parent->tgid == me->tgid && !c->pid_dead &&
			    c == c->group_leader && !c->nr_threads) {
				/* Our own child: collected now. */
				ptrace_reap_locked(c);
				wait_collect_zombie_locked(c);
			} else {
				ptrace_reap_locked(c);
			}
			return true;
		}
		if (c->ptrace_report) {
			wait_found_locked(wo, c, c->ptrace_report, CLD_TRAPPED);
			wo->pid = c->pid;
			if (!(wo->options & WNOWAIT))
				c->ptrace_report = 0;
			return true;
		}
	}
	return false;
}

static bool wait_consider_thread_locked(struct wait_opts *wo, struct task *me)
{
	return wait_consider_thread_children_locked(wo, me) || ptrace_wait_consider_locked(wo, me);
}

/* Any thread of the process may collect any thread's children (unless __WNOTHREAD). */
static bool wait_consider_children_locked(struct wait_opts *wo)
{
	struct task *me = current, *leader = me->group_leader, *it;

	lockdep_assert_held(&tasklist_lock);
	if ((wo->options & __WNOTHREAD) || leader->nr_threads <= 1)
		return wait_consider_thread_locked(wo, me);
	if (wait_consider_thread_locked(wo, leader))
		return true;
	list_for_each_entry(it, &leader->thread_list, thread_node)
		if (wait_consider_thread_locked(wo, it))
			return true;
	return false;
}

static bool wait_ready(struct wait_opts *wo)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&tasklist_lock, flags);
	wo->any_match = false;
	ready = wait_consider_children_locked(wo) || !wo->any_match;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ready;
}

/*
 * The common wait: returns the pid reported, 0 (WNOHANG and nothing yet),
 * -ECHILD or -ERESTARTSYS (restarted under SA_RESTART, else EINTR). On a
 * pid, wo->found holds a reference the caller drops with put_task().
 */
static long do_wait(struct wait_opts *wo)
{
	long err;

	wo->found = NULL;
	if (wo->options & WNOHANG) {
		wait_ready(wo);
	} else {
		err = wait_event_interruptible(current->group_leader->wait_child, wait_ready(wo));
		if (err)
			return err;
	}
	if (wo->found)
		return wo->pid;
	return wo->any_match ? 0 : -ECHILD;
}

static void fill_rusage(const struct task *t, struct rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	ns_to_timeval(t->utime_ns + t->cutime_ns, &ru->ru_utime);
	ns_to_timeval(t->stime_ns + t->cstime_ns, &ru->ru_stime);
	ru->ru_maxrss = (long)max(t->maxrss_kb, t->cmaxrss_kb);
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
		return ret;
	if (ru)
		fill_rusage(wo.found, &r);
	put_task(wo.found);
	if (wstatus && put_user(wo.status, wstatus))
		return -EFAULT;
	if (ru && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return ret;
}

SYSCALL_DEFINE5(waitid, int, which, int, id, struct siginfo __user *, infop, int, options,
		struct rusage __user *, ru)
{
	struct wait_opts wo = { .type = which, .id = id, .options = options };
	bool pidfd_nonblock = false;
	struct siginfo info;
	struct rusage r;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (which == P_PIDFD) {
		/* The process the pidfd names, which must be our child; PIDFD_NONBLOCK means WNOHANG. */
		bool nonblock = false;

		if (id < 0)
			return -EINVAL;
		ret = pidfd_get_tgid(id, &nonblock);
		if (ret < 0)
			return ret;
		wo.type = P_PID;
		wo.id = (int)ret;
		if (nonblock)
			wo.options |= WNOHANG;
		pidfd_nonblock = nonblock;
	} else if (which != P_ALL && which != P_PID && which != P_PGID) {
		return -EINVAL;
	}
	if ((which == P_PID || which == P_PGID) && id <= 0)
		return -EINVAL;
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	if (pidfd_nonblock && !wo.found)
		return -EAGAIN;
	memset(&info, 0, sizeof(info));
	if (wo.found) {
		info.si_signo = SIGCHLD;
		info.si_code = wo.why;
		info.f.chld.pid = wo.pid;
		info.f.chld.uid = wo.found->cred.uid;
		switch (wo.why) {
		case CLD_EXITED:
			info.f.chld.status = (wo.status >> 8) & 0xff;
			break;
		case CLD_KILLED:
			info.f.chld.status = wo.status & 0x7f;
			break;
		case CLD_STOPPED:
			info.f.chld.status = (wo.status >> 8) & 0xff;
			break;
		case CLD_TRAPPED:
			info.f.chld.status = (wo.status >> 8) & 0xffff;
			break;
		default:
			info.f.chld.status = SIGCONT;
			break;
		}
		if (ru)
			fill_rusage(wo.found, &r);
		put_task(wo.found);
	}
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (ru && wo.found && copy_to_user(ru, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}
