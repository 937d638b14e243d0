// SPDX-License-Identifier: MIT
/*
 * fork, vfork, clone, clone3: new processes.
 *
 * The child gets a copy of the parent's task with its own kernel stack and
 * pid; the address space, open files and fs context are copied or shared
 * according to CLONE_VM / CLONE_FILES / CLONE_FS, as in Linux. Private memory
 * is shared copy-on-write (mm_dup). The child returns to user mode with the
 * parent's registers and rax = 0.
 *
 * The child copies the parent's signal actions, mask and alternate stack;
 * its pending set starts empty and its interval timers are off (fork(2)).
 *
 * A thread (CLONE_THREAD) shares its process's sighand and signal_struct
 * (the shared pending set) and joins a group stop or exit in progress;
 * namespaces are not supported (EINVAL).
 *
 * Lock order: tasklist_lock -> rq->lock.
 */
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/irqflags.h>
#include <exo/mmap.h>
#include <exo/ptrace.h>
#include <exo/rseq.h>
#include <exo/sched.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/ptrace.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/ptrace.h>
#include <uapi/sched.h>
#include <uapi/signal.h>
#include "sched/sched.h"

#define CLONE_UNSUPPORTED (CLONE_PIDFD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			   CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

struct kernel_clone_args {
	u64 flags;
	int exit_signal;
	unsigned long stack;
	unsigned long tls;
	int __user *parent_tid;
	int __user *child_tid;
};

u64 total_forks;

static int copy_resources(struct task *child, struct task *parent, u64 flags)
{
	if (parent->mm) {
		if (flags & CLONE_VM) {
			mmget(parent->mm);
			child->mm = parent->mm;
		} else {
			child->mm = mm_dup(parent->mm);
			if (IS_ERR(child->mm)) {
				int err = PTR_ERR(child->mm);

				child->mm = NULL;
				return err;
			}
		}
	}
	if (parent->files) {
		child->files = (flags & CLONE_FILES) ? get_files(parent->files) :
						       dup_files(parent->files);
		if (IS_ERR(child->files)) {
			int err = PTR_ERR(child->files);

			child->files = NULL;
			return err;
		}
	}
	if (copy_semundo(child, parent, flags))
		return -ENOMEM;
	if (parent->fs) {
		child->fs = (flags & CLONE_FS) ? get_fs_struct(parent->fs) :
						 copy_fs_struct(parent->fs);
		if (IS_ERR(child->fs)) {
			int err = PTR_ERR(child->fs);

			child->fs = NULL;
			return err;
		}
	}
	return 0;
}

static void release_resources(struct task *t)
{
	exit_sem(t);
	if (t->mm)
		mmput(t->mm);
	if (t->files)
		put_files(t->files);
	if (t->fs)
		put_fs_struct(t->fs);
}

static long kernel_clone(struct kernel_clone_args *args)
{
	struct task *parent = current, *child;
	struct wait_queue_head vfork_wq;
	unsigned long flags;
	long pid;
	int err, event;

	if (args->flags & CLONE_UNSUPPORTED)
		return -EINVAL;
	if (args->exit_signal < 0 || args->exit_signal > _NSIG)
		return -EINVAL;
	/* Linux's rules: threads share handlers, and shared handlers need a shared mm. */
	if ((args->flags & CLONE_THREAD) && !(args->flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((args->flags & CLONE_SIGHAND) && !(args->flags & CLONE_VM))
		return -EINVAL;
	/* Init may not make siblings of itself: nobody would reap them. */
	if ((args->flags & CLONE_PARENT) && parent->tgid == 1)
		return -EINVAL;

	child = task_alloc();
	if (IS_ERR(child))
		return PTR_ERR(child);
	child->cred = parent->cred;
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	signal_copy_actions(child, parent, args->flags & CLONE_SIGHAND);
	if (args->flags & CLONE_THREAD)
		signal_share_group(child, parent);
	/* The parent-death signal is not inherited; no_new_privs and the slack are. */
	child->no_new_privs = parent->no_new_privs;
	seccomp_fork(child, parent);
	child->timer_slack_ns = parent->timer_slack_ns;
	child->nice = parent->nice;
	child->ioprio = READ_ONCE(parent->ioprio);
	child->personality = parent->personality;
	child->mempolicy = parent->mempolicy;
	child->mempolicy_nodes = parent->mempolicy_nodes;
	rseq_fork(child, parent, args->flags & CLONE_VM);
	if (parent->sched_reset_on_fork) {
		/* SCHED_RESET_ON_FORK: real-time and negative nice are not inherited. */
		child->policy = (parent->policy == SCHED_FIFO || parent->policy == SCHED_RR) ?
					SCHED_NORMAL : parent->policy;
		child->rt_priority = 0;
		if (child->nice < 0)
			child->nice = 0;
	} else {
		child->policy = parent->policy;
		child->rt_priority = parent->rt_priority;
	}
	child->cpus_allowed = parent->cpus_allowed;
	child->exit_signal = args->exit_signal;
	child->usage = 2;	/* running + unreaped */
	err = copy_resources(child, parent, args->flags);
	if (err)
		goto out_release;	/* what was copied before the failure */
	arch_fork_setup(child, task_pt_regs(parent), args->stack,
			(args->flags & CLONE_SETTLS) ? args->tls : 0);
	/* The child sees fork() return 0. */
	regs_set_return_value(task_pt_regs(child), 0);
	if (args->flags & CLONE_CHILD_SETTID)
		child->set_child_tid = args->child_tid;
	if (args->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = args->child_tid;

	pid = task_register(child);
	if (pid < 0) {
		err = (int)pid;
		goto out_release;
	}
	__atomic_fetch_add(&total_forks, 1, __ATOMIC_RELAXED);

	spin_lock_irqsave(&tasklist_lock, flags);
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	if (args->flags & CLONE_THREAD) {
		/* A thread: same process id, no exit signal, not anyone's child. */
		struct task *leader = parent->group_leader;

		child->tgid = leader->tgid;
		child->group_leader = leader;
		task_set_parent_locked(child, leader->parent);
		child->exit_signal = 0;
		signal_thread_join_locked(child, leader);
		leader->nr_threads++;
	} else {
		child->tgid = child->pid;
		if ((args->flags & CLONE_PARENT) && parent->parent) {
			/*
			 * A sibling of the caller: its parent is the caller's, which never
			 * asked for another exit signal than the caller's own (Linux's rule;
			 * else any child could send its grandparent any signal).
			 */
			task_set_parent_locked(child, parent->parent);
			child->exit_signal = parent->group_leader->exit_signal;
			child->parent_exec_id = parent->parent_exec_id;
		} else {
			task_set_parent_locked(child, parent);
			child->parent_exec_id = parent->self_exec_id;
		}
		list_add_tail(&child->sibling, &child->parent->children);
	}
	/* A traced parent with TRACEFORK/VFORK/CLONE: the child is traced from its first instruction. */
	event = ptrace_fork_link_locked(child, args->flags, args->exit_signal);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	if ((args->flags & CLONE_PARENT_SETTID) && put_user((int)pid, args->parent_tid))
		pr_debug("clone: parent_tid not writable\n");
	if (args->flags & CLONE_VFORK) {
		init_waitqueue_head(&vfork_wq);
		child->vfork_done = &vfork_wq;
		get_task(child);	/* another parent (CLONE_PARENT) may reap it meanwhile */
	}
	wake_up_new_task(child);
	if (event)
		ptrace_event(event, (unsigned long)pid);
	if (args->flags & CLONE_VFORK) {
		unsigned long flags;

		wait_event(vfork_wq, READ_ONCE(child->vfork_done) == NULL);
		/* The child may still be inside vfork_release() on our stack's queue: let it out. */
		spin_lock_irqsave(&vfork_wq.lock, flags);
		spin_unlock_irqrestore(&vfork_wq.lock, flags);
		put_task(child);
		if (event)
			ptrace_event(PTRACE_EVENT_VFORK_DONE, (unsigned long)pid);
	}
	return pid;

out_release:
	release_resources(child);
	task_free(child);
	return err;
}

/* First code of a forked child in process context, before it returns to user mode. */
void ret_from_fork_user_tail(void)
{
	struct task *t = current;

	/*
	 * finish_task_switch() left interrupts off. put_user() may fault a
	 * page in and sleep (glibc's fork asks CLONE_CHILD_SETTID for a word
	 * on a copy-on-write page), so turn them on as a kernel thread's start
	 * does; exit_to_user_mode() turns them off again for the iretq.
	 */
	local_irq_enable();
	if (t->set_child_tid) {
		put_user(t->pid, t->set_child_tid);
		t->set_child_tid = NULL;
	}
}

SYSCALL_DEFINE0(fork)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

SYSCALL_DEFINE0(vfork)
{
	struct kernel_clone_args args = { .flags = CLONE_VFORK | CLONE_VM, .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

/* x86_64 argument order: flags, stack, parent_tid, child_tid, tls. */
SYSCALL_DEFINE5(clone, unsigned long, clone_flags, unsigned long, newsp, int __user *, parent_tid,
		int __user *, child_tid, unsigned long, tls)
{
	struct kernel_clone_args args = {
		.flags = clone_flags & ~CSIGNAL,
		.exit_signal = (int)(clone_flags & CSIGNAL),
		.stack = newsp,
		.tls = tls,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
	};

	return kernel_clone(&args);
}

SYSCALL_DEFINE2(clone3, struct clone_args __user *, uargs, size_t, size)
{
	struct clone_args ca;
	struct kernel_clone_args args;

	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, uargs, min(size, sizeof(ca))))
		return -EFAULT;
	/* Bytes past what we know must be zero (extensible-struct rule). */
	for (size_t off = sizeof(ca); off < size; off++) {
		u8 b;

		if (copy_from_user(&b, (const u8 __user *)uargs + off, 1))
			return -EFAULT;
		if (b)
			return -E2BIG;
	}
	if ((ca.flags & CSIGNAL) || ca.exit_signal > _NSIG || ca.set_tid || ca.set_tid_size)
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	args = (struct kernel_clone_args){
		.flags = ca.flags,
		.exit_signal = (int)ca.exit_signal,
		.stack = ca.stack ? ca.stack + ca.stack_size : 0,
		.tls = ca.tls,
		.parent_tid = (int __user *)ca.parent_tid,
		.child_tid = (int __user *)ca.child_tid,
	};
	return kernel_clone(&args);
}

/*
 * unshare(2): give the caller its own copy of what it shares with other
 * tasks: the fd table (CLONE_FILES), the fs context (CLONE_FS: cwd, root,
 * umask) and the System V semaphore undo list (CLONE_SYSVSEM, which as on
 * Linux applies and drops the shared list, like an exit). CLONE_THREAD,
 * CLONE_SIGHAND and CLONE_VM can only be "unshared" when nothing is
 * shared (EINVAL otherwise), as on Linux. Exo-OS has no namespaces: the
 * CLONE_NEW* flags are EINVAL, Linux's answer when a namespace type is
 * configured out.
 */
#define UNSHARE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
			  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME)
#define UNSHARE_FLAGS (CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | \
		       CLONE_SYSVSEM | UNSHARE_NS_FLAGS)

static int unshare_check(unsigned long flags)
{
	struct task *t = current;

	if (flags & ~(unsigned long)UNSHARE_FLAGS)
		return -EINVAL;
	if (flags & UNSHARE_NS_FLAGS)
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) &&
	    READ_ONCE(t->group_leader->nr_threads) > 1)
		return -EINVAL;
	if ((flags & (CLONE_SIGHAND | CLONE_VM)) &&
	    __atomic_load_n(&t->sighand->refcount, __ATOMIC_RELAXED) > 1)
		return -EINVAL;
	if ((flags & CLONE_VM) && t->mm && __atomic_load_n(&t->mm->mm_users, __ATOMIC_RELAXED) > 1)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE1(unshare, unsigned long, flags)
{
	struct task *t = current;
	struct files_struct *new_files = NULL, *old_files = NULL;
	struct fs_struct *new_fs = NULL, *old_fs = NULL;
	int err;

	if (flags & CLONE_VM)
		flags |= CLONE_SIGHAND;
	if (flags & CLONE_SIGHAND)
		flags |= CLONE_THREAD;
	err = unshare_check(flags);
	if (err)
		return err;
	if ((flags & CLONE_FS) && t->fs && __atomic_load_n(&t->fs->users, __ATOMIC_RELAXED) > 1) {
		new_fs = copy_fs_struct(t->fs);
		if (IS_ERR(new_fs))
			return PTR_ERR(new_fs);
	}
	if ((flags & CLONE_FILES) && t->files &&
	    __atomic_load_n(&t->files->count, __ATOMIC_RELAXED) > 1) {
		new_files = dup_files(t->files);
		if (IS_ERR(new_files)) {
			if (new_fs)
				put_fs_struct(new_fs);
			return PTR_ERR(new_files);
		}
	}
	if (flags & CLONE_SYSVSEM)
		exit_sem(t);
	task_lock(t);
	if (new_fs) {
		old_fs = t->fs;
		t->fs = new_fs;
	}
	if (new_files) {
		old_files = t->files;
		t->files = new_files;
	}
	task_unlock(t);
	if (old_fs)
		put_fs_struct(old_fs);
	if (old_files)
		put_files(old_files);
	return 0;
}
