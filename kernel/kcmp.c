// SPDX-License-Identifier: MIT
/*
 * kcmp(2): whether two processes share a kernel resource (an open file,
 * the fd table, the address space, the fs context, the signal handlers,
 * the I/O context, the System V semaphore undo list). The answer is 0 for
 * "same", else 1 or 2 ordering the two objects by an address scrambled
 * with a per-type boot-time key, so that the order is consistent (user
 * space can sort) without revealing kernel addresses. Exo-OS has no I/O
 * contexts: KCMP_IO compares two absent ones, equal, as Linux does for
 * tasks that never did I/O. KCMP_EPOLL_TFD is not supported (EOPNOTSUPP,
 * Linux's answer without epoll).
 */
#include <exo/cred.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/random.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>

enum {
	KCMP_FILE,
	KCMP_VM,
	KCMP_FILES,
	KCMP_FS,
	KCMP_SIGHAND,
	KCMP_IO,
	KCMP_SYSVSEM,
	KCMP_EPOLL_TFD,
	KCMP_TYPES,
};

static unsigned long kcmp_cookies[KCMP_TYPES][2];	/* [written once] */
static bool kcmp_cookies_ready;				/* [atomic] */
static DEFINE_SPINLOCK(kcmp_cookie_lock);

static unsigned long kcmp_scramble(const void *p, int type)
{
	unsigned long flags;

	if (!__atomic_load_n(&kcmp_cookies_ready, __ATOMIC_ACQUIRE)) {
		spin_lock_irqsave(&kcmp_cookie_lock, flags);
		if (!kcmp_cookies_ready) {
			get_random_bytes(kcmp_cookies, sizeof(kcmp_cookies));
			for (int i = 0; i < KCMP_TYPES; i++)
				kcmp_cookies[i][1] |= 1;	/* odd: multiplying stays a bijection */
			__atomic_store_n(&kcmp_cookies_ready, true, __ATOMIC_RELEASE);
		}
		spin_unlock_irqrestore(&kcmp_cookie_lock, flags);
	}
	return ((unsigned long)p ^ kcmp_cookies[type][0]) * kcmp_cookies[type][1];
}

static long kcmp_ptr(const void *a, const void *b, int type)
{
	unsigned long x = kcmp_scramble(a, type), y = kcmp_scramble(b, type);

	return (x < y) | ((x > y) << 1);
}

/* @t's file at @fd, referenced, or NULL. */
static struct file *kcmp_task_file(struct task *t, unsigned long fd)
{
	struct files_struct *files;
	struct file *file = NULL;

	task_lock(t);
	files = t->files;
	if (files)
		get_files(files);
	task_unlock(t);
	if (!files)
		return NULL;
	/* Linux truncates the index to an unsigned int. */
	file = fget(files, (unsigned int)fd);
	put_files(files);
	return file;
}

/* The pointer compared for @type, read under task_lock where exit clears it. */
static const void *kcmp_resource(struct task *t, int type)
{
	const void *p;

	task_lock(t);
	switch (type) {
	case KCMP_VM:
		p = t->mm;
		break;
	case KCMP_FILES:
		p = t->files;
		break;
	case KCMP_FS:
		p = t->fs;
		break;
	case KCMP_SIGHAND:
		p = t->sighand;
		break;
	case KCMP_SYSVSEM:
		p = t->sysvsem;
		break;
	default:
		p = NULL;	/* KCMP_IO: no I/O contexts */
		break;
	}
	task_unlock(t);
	return p;
}

SYSCALL_DEFINE5(kcmp, int, pid1, int, pid2, int, type, unsigned long, idx1, unsigned long, idx2)
{
	struct task *t1 = find_get_task_by_pid(pid1), *t2 = find_get_task_by_pid(pid2);
	struct file *f1, *f2;
	long ret;

	ret = -ESRCH;
	if (!t1 || !t2)
		goto out;
	ret = -EPERM;
	if (!cred_may_ptrace(t1) || !cred_may_ptrace(t2))
		goto out;
	switch (type) {
	case KCMP_FILE:
		f1 = kcmp_task_file(t1, idx1);
		f2 = kcmp_task_file(t2, idx2);
		ret = (f1 && f2) ? kcmp_ptr(f1, f2, type) : -EBADF;
		if (f1)
			fput(f1);
		if (f2)
			fput(f2);
		break;
	case KCMP_VM:
	case KCMP_FILES:
	case KCMP_FS:
	case KCMP_SIGHAND:
	case KCMP_IO:
	case KCMP_SYSVSEM:
		ret = kcmp_ptr(kcmp_resource(t1, type), kcmp_resource(t2, type), type);
		break;
	case KCMP_EPOLL_TFD:
		ret = -EOPNOTSUPP;
		break;
	default:
		ret = -EINVAL;
		break;
	}
out:
	if (t1)
		put_task(t1);
	if (t2)
		put_task(t2);
	return ret;
}
