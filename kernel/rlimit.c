// SPDX-License-Identifier: MIT
/*
 * Resource limits: the first process's defaults (Linux's), getrlimit,
 * setrlimit and prlimit64 (raising a hard limit needs privilege).
 */
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/resource.h>

/* Linux's defaults for the first process (include/asm-generic/resource.h). */
void rlimits_init_default(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK] = (struct rlimit){ 8UL << 20, RLIM_INFINITY };
	rlim[RLIMIT_CORE] = (struct rlimit){ 0, RLIM_INFINITY };
	rlim[RLIMIT_NOFILE] = (struct rlimit){ 1024, 4096 };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8UL << 20, 8UL << 20 };
	rlim[RLIMIT_NPROC] = (struct rlimit){ 63429, 63429 };
	rlim[RLIMIT_SIGPENDING] = (struct rlimit){ 63429, 63429 };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

/* Hard limit the kernel enforces on open files, whatever RLIMIT_NOFILE says (fs.nr_open). */
#define NR_OPEN_MAX 1048576

static long do_prlimit(struct task *t, unsigned int resource, const struct rlimit *new,
		       struct rlimit *old)
{
	struct rlimit *r;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	r = &t->rlim[resource];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_MAX)
			return -EPERM;
		if (new->rlim_max > r->rlim_max && !capable_root())
			return -EPERM;
	}
	if (old)
		*old = *r;
	if (new)
		*r = *new;
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit old;
	long err = do_prlimit(current, resource, NULL, &old);

	return err ? err : copy_to_user(rlim, &old, sizeof(old));
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, const struct rlimit __user *, rlim)
{
	struct rlimit new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(current, resource, &new, NULL);
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource, const struct rlimit64 __user *, new_rlim,
		struct rlimit64 __user *, old_rlim)
{
	struct rlimit new, old;
	struct rlimit64 r64;
	struct task *t;
	long err;

	if (new_rlim) {
		if (copy_from_user(&r64, new_rlim, sizeof(r64)))
			return -EFAULT;
		new.rlim_cur = r64.rlim_cur;
		new.rlim_max = r64.rlim_max;
	}
	t = pid ? find_task_by_pid(pid) : current;
	if (!t)
		return -ESRCH;
	if (t != current && !capable_root() && t->cred.uid != current->cred.uid)
		return -EPERM;
	err = do_prlimit(t, resource, new_rlim ? &new : NULL, old_rlim ? &old : NULL);
	if (err)
		return err;
	if (old_rlim) {
		r64.rlim_cur = old.rlim_cur;
		r64.rlim_max = old.rlim_max;
		if (copy_to_user(old_rlim, &r64, sizeof(r64)))
			return -EFAULT;
	}
	return 0;
}
