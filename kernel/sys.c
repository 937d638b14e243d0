// SPDX-License-Identifier: MIT
/*
 * Process attributes: ids and credentials, process groups and sessions,
 * resource limits and usage, uname, sysinfo. Privilege is euid 0 (Exo-OS has
 * no capability sets yet), which is what CAP_SETUID/CAP_SYS_RESOURCE reduce
 * to for a process that has not dropped capabilities.
 *
 * Process groups and sessions are per thread group; the tasks' pgid/sid
 * fields are guarded by tasklist_lock.
 */
#include <exo/err.h>
#include <exo/kernel.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <exo/utsname.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include <uapi/sysinfo.h>
#include <uapi/time_types.h>
#include <uapi/utsname.h>

static char uts_nodename[__NEW_UTS_LEN + 1] = "exo";		/* [uts_lock] */
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";	/* [uts_lock] */
static DEFINE_SPINLOCK(uts_lock);				/* leaf */

static bool capable_root(void)
{
	return current->cred.euid == 0;
}

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
	unsigned long flags;
	int ppid;

	spin_lock_irqsave(&tasklist_lock, flags);
	/* Every thread reports the process's parent, which reparenting updates in the leader. */
	ppid = current->group_leader->parent ? current->group_leader->parent->tgid : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ppid;
}

SYSCALL_DEFINE0(getuid)
{
	return current->cred.uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current->cred.euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current->cred.gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current->cred.egid;
}

/* -1 as an id argument means "leave unchanged" for the setres/setre calls. */
#define ID_UNCHANGED ((u32)-1)

static bool id_is_one_of(u32 id, u32 a, u32 b, u32 c)
{
	return id == a || id == b || id == c;
}

/* setresuid/setresgid: an unprivileged caller may only use its current real, effective or saved id. */
static long set_res_ids(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne, u32 ns)
{
	if (!capable_root()) {
		if ((nr != ID_UNCHANGED && !id_is_one_of(nr, *r, *e, *s)) ||
		    (ne != ID_UNCHANGED && !id_is_one_of(ne, *r, *e, *s)) ||
		    (ns != ID_UNCHANGED && !id_is_one_of(ns, *r, *e, *s)))
			return -EPERM;
	}
	if (nr != ID_UNCHANGED)
		*r = nr;
	if (ne != ID_UNCHANGED)
		*e = ne;
	if (ns != ID_UNCHANGED)
		*s = ns;
	*fs = *e;
	return 0;
}

SYSCALL_DEFINE3(setresuid, u32, ruid, u32, euid, u32, suid)
{
	struct cred *c = &current->cred;

	return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid, suid);
}

SYSCALL_DEFINE3(setresgid, u32, rgid, u32, egid, u32, sgid)
{
	struct cred *c = &current->cred;

	return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid, sgid);
}

/* setuid: root sets all three ids; others may set the effective id to the real or saved one. */
SYSCALL_DEFINE1(setuid, u32, uid)
{
	struct cred *c = &current->cred;

	if (capable_root())
		return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, uid, uid, uid);
	if (uid != c->uid && uid != c->suid)
		return -EPERM;
	return set_res_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ID_UNCHANGED, uid,
			   ID_UNCHANGED);
}

SYSCALL_DEFINE1(setgid, u32, gid)
{
	struct cred *c = &current->cred;

	if (capable_root())
		return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, gid, gid, gid);
	if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	return set_res_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, ID_UNCHANGED, gid,
			   ID_UNCHANGED);
}

static long get_res_ids(u32 r, u32 e, u32 s, u32 __user *pr, u32 __user *pe, u32 __user *ps)
{
	if (put_user(r, pr) || put_user(e, pe) || put_user(s, ps))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, u32 __user *, ruid, u32 __user *, euid, u32 __user *, suid)
{
	struct cred *c = &current->cred;

	return get_res_ids(c->uid, c->euid, c->suid, ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, u32 __user *, rgid, u32 __user *, egid, u32 __user *, sgid)
{
	struct cred *c = &current->cred;

	return get_res_ids(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

/* No supplementary groups yet: the list is empty, and only root may set it (to anything). */
SYSCALL_DEFINE2(getgroups, int, size, u32 __user *, list)
{
	if (size < 0)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE2(setgroups, int, size, const u32 __user *, list)
{
	if (!capable_root())
		return -EPERM;
	if (size < 0 || size > 65536)
		return -EINVAL;
	return 0;
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

/* --- uname, sysinfo ----------------------------------------------------------- */

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	spin_lock(&uts_lock);
	strlcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	strlcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	spin_unlock(&uts_lock);
	return copy_to_user(name, &u, sizeof(u));
}

void uts_get_nodename(char *buf, size_t size)
{
	spin_lock(&uts_lock);
	strlcpy(buf, uts_nodename, size);
	spin_unlock(&uts_lock);
}

static int uts_set(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	spin_lock(&uts_lock);
	memcpy(dst, name, len);
	dst[len] = '\0';
	spin_unlock(&uts_lock);
	return 0;
}

int uts_set_nodename(const char *name, size_t len)
{
	return uts_set(uts_nodename, name, len);
}

static long set_uts_string(char *dst, const char __user *src, int len)
{
	char buf[__NEW_UTS_LEN + 1];

	if (!capable_root())
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	return uts_set(dst, buf, (size_t)len);
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_string(uts_nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_string(uts_domainname, name, len);
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

/* --- resource limits and usage --------------------------------------------- */

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

static void ns_to_timeval(u64 ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(ns / NSEC_PER_SEC);
	tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

void task_sample_rss(struct task *t)
{
	unsigned long kb;

	if (!t->mm)
		return;
	kb = mm_rss_pages(t->mm) << (PAGE_SHIFT - 10);
	if (kb > t->maxrss_kb)
		t->maxrss_kb = kb;
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct task *me = current;
	struct rusage r;

	memset(&r, 0, sizeof(r));
	switch (who) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		task_sample_rss(me);
		ns_to_timeval(me->utime_ns, &r.ru_utime);
		ns_to_timeval(me->stime_ns, &r.ru_stime);
		r.ru_maxrss = (long)me->maxrss_kb;
		break;
	case RUSAGE_CHILDREN:
		ns_to_timeval(me->cutime_ns, &r.ru_utime);
		ns_to_timeval(me->cstime_ns, &r.ru_stime);
		r.ru_maxrss = (long)me->cmaxrss_kb;
		break;
	default:
		return -EINVAL;
	}
	return copy_to_user(ru, &r, sizeof(r));
}

static long ns_to_clock_t(u64 ns)
{
	return (long)(ns / (NSEC_PER_SEC / USER_HZ));
}

SYSCALL_DEFINE1(times, struct tms __user *, buf)
{
	struct task *me = current;

	if (buf) {
		struct tms t = {
			.tms_utime = ns_to_clock_t(me->utime_ns),
			.tms_stime = ns_to_clock_t(me->stime_ns),
			.tms_cutime = ns_to_clock_t(me->cutime_ns),
			.tms_cstime = ns_to_clock_t(me->cstime_ns),
		};

		if (copy_to_user(buf, &t, sizeof(t)))
			return -EFAULT;
	}
	return ns_to_clock_t(ktime_get_ns());
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

SYSCALL_DEFINE0(sched_yield)
{
	current->need_resched = true;
	schedule();
	return 0;
}
