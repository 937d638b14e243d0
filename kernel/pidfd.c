// SPDX-License-Identifier: MIT
/*
 * pidfd_open, pidfd_send_signal, pidfd_getfd: file descriptors that name a
 * process rather than a pid number, so that a recycled pid cannot redirect
 * a signal.
 *
 * A pidfd is an anon-inode file ("[pidfd]", always close-on-exec) whose
 * private_data is the process's leader task, with a task reference
 * (get_task): the struct outlives the reaping, and task->pid_dead says the
 * process is gone. poll() reports POLLIN once every thread has exited (a
 * zombie or reaped), plus POLLHUP once reaped; all pollers wait on one
 * queue that pidfd_notify_exit() wakes at each process exit. Only
 * process pidfds exist (PIDFD_THREAD is EINVAL), so the default signal
 * scope is the thread group. Access to another process's files takes the
 * ptrace check (cred_may_ptrace()).
 */
#include <exo/anon_inodes.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/pidfd.h>
#include <exo/poll.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/signal.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/signal.h>

#define PIDFD_NONBLOCK O_NONBLOCK
#define PIDFD_SIGNAL_THREAD (1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)

static DECLARE_WAIT_QUEUE_HEAD(pidfd_exit_wq);

void pidfd_notify_exit(void)
{
	wake_up(&pidfd_exit_wq);
}

/* Every thread of @leader's process has exited (or it was reaped). Racy read: a hint for poll. */
static bool pidfd_process_exited(const struct task *leader)
{
	return READ_ONCE(leader->pid_dead) ||
	       (READ_ONCE(leader->exit_state) == EXIT_ZOMBIE && !READ_ONCE(leader->nr_threads));
}

static int pidfd_release(struct inode *inode, struct file *file)
{
	(void)inode;
	put_task(file->private_data);
	return 0;
}

static __poll_t pidfd_poll(struct file *file, struct poll_table *pt)
{
	struct task *leader = file->private_data;
	__poll_t events = 0;

	poll_wait(file, &pidfd_exit_wq, pt);
	if (pidfd_process_exited(leader))
		events |= POLLIN | POLLRDNORM;
	if (READ_ONCE(leader->pid_dead))
		events |= POLLHUP;
	return events;
}

/* Linux prints the pid, and NSpid while the process exists; -1 once reaped. */
static void pidfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct task *leader = file->private_data;
	int pid = READ_ONCE(leader->pid_dead) ? -1 : leader->tgid;

	seq_printf(m, "Pid:\t%d\n", pid);
	if (pid > 0)
		seq_printf(m, "NSpid:\t%d\n", pid);
}

static const struct file_operations pidfd_fops = {
	.release = pidfd_release,
	.poll = pidfd_poll,
	.show_fdinfo = pidfd_show_fdinfo,
};

struct task *pidfd_get_task(int fd, unsigned int *f_flags)
{
	struct file *file;
	struct task *t;

	if (fd < 0)
		return ERR_PTR(-EBADF);
	file = fget(current_files(), (unsigned int)fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &pidfd_fops) {
		fput(file);
		return ERR_PTR(-EBADF);
	}
	t = get_task(file->private_data);
	if (f_flags)
		*f_flags = file->f_flags;
	fput(file);
	return t;
}

int pidfd_get_tgid(int fd, bool *nonblock)
{
	unsigned int f_flags = 0;
	struct task *t = pidfd_get_task(fd, &f_flags);
	int tgid;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	/* Reaped: 0 matches no child (its old number may name a new process). */
	tgid = READ_ONCE(t->pid_dead) ? 0 : t->tgid;
	put_task(t);
	*nonblock = f_flags & O_NONBLOCK;
	return tgid;
}

SYSCALL_DEFINE2(pidfd_open, int, pid, unsigned int, flags)
{
	unsigned long irqflags;
	struct task *t;
	int fd;

	if (flags & ~PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, irqflags);
	t = find_task_by_pid_locked(pid);
	if (t && !(t->flags & PF_KTHREAD) && t->pid == t->tgid)
		get_task(t);
	else if (t)
		t = ERR_PTR(-ENOENT);	/* a thread, not a process: Linux 6.18 says ENOENT */
	spin_unlock_irqrestore(&tasklist_lock, irqflags);
	if (!t)
		return -ESRCH;
	if (IS_ERR(t))
		return PTR_ERR(t);
	fd = anon_inode_getfd("pidfd", &pidfd_fops, t, O_RDWR | O_CLOEXEC | (flags & PIDFD_NONBLOCK));
	if (fd < 0)
		put_task(t);
	return fd;
}

/*
 * Sends @sig with @info to @leader's process, its leader thread or its
 * process group (@scope, one PIDFD_SIGNAL_* bit). -ESRCH once reaped.
 */
static long pidfd_send(struct task *leader, int sig, const struct siginfo *info,
		       unsigned int scope)
{
	unsigned long flags;
	long ret;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (leader->pid_dead)
		ret = -ESRCH;
	else if (scope == PIDFD_SIGNAL_PROCESS_GROUP)
		ret = kill_pgrp_info_locked(sig, info, leader->pgid);
	else
		ret = kill_task_checked_locked(sig, info, leader, scope != PIDFD_SIGNAL_THREAD);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}

SYSCALL_DEFINE4(pidfd_send_signal, int, pidfd, int, sig, struct siginfo __user *, uinfo,
		unsigned int, flags)
{
	unsigned int scope = flags ? flags : PIDFD_SIGNAL_THREAD_GROUP;
	struct siginfo info;
	struct task *leader;
	long ret;

	if (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP))
		return -EINVAL;
	if (flags & (flags - 1))
		return -EINVAL;	/* one scope at most */
	leader = pidfd_get_task(pidfd, NULL);
	if (IS_ERR(leader))
		return PTR_ERR(leader);
	if (uinfo) {
		ret = -EFAULT;
		if (copy_from_user(&info, uinfo, sizeof(info)))
			goto out;
		ret = -EINVAL;
		if (info.si_signo != sig)
			goto out;
		/* Only a process signalling itself may claim a kernel or kill() origin. */
		ret = -EPERM;
		if ((leader->tgid != current->tgid || scope != PIDFD_SIGNAL_THREAD_GROUP) &&
		    (info.si_code >= 0 || info.si_code == SI_TKILL))
			goto out;
	} else {
		user_siginfo(&info, sig, scope == PIDFD_SIGNAL_THREAD ? SI_TKILL : SI_USER);
	}
	ret = -EINVAL;
	if (sig < 0 || sig > _NSIG)
		goto out;
	ret = pidfd_send(leader, sig, &info, scope);
out:
	put_task(leader);
	return ret;
}

SYSCALL_DEFINE3(pidfd_getfd, int, pidfd, int, fd, unsigned int, flags)
{
	struct files_struct *files;
	struct file *file = NULL;
	struct task *t;
	long ret;

	if (flags)
		return -EINVAL;
	t = pidfd_get_task(pidfd, NULL);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = -EPERM;
	if (!cred_may_ptrace(t))
		goto out;
	task_lock(t);
	files = t->files;
	if (files)
		get_files(files);
	task_unlock(t);
	/* Its files are gone: the process is exiting, which Linux reports as ESRCH. */
	ret = -ESRCH;
	if (!files)
		goto out;
	if (fd >= 0)
		file = fget(files, (unsigned int)fd);
	put_files(files);
	ret = -EBADF;
	if (!file)
		goto out;
	ret = fd_install_new(current_files(), file, O_CLOEXEC);
	if (ret < 0)
		fput(file);
out:
	put_task(t);
	return ret;
}
