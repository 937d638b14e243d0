// SPDX-License-Identifier: MIT
/*
 * User and group ids: get/set of the real, effective, saved and fs ids
 * (Linux's rules for an unprivileged caller: each new id must be one of the
 * current ones), and the supplementary groups.
 */
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>

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

/*
 * setreuid/setregid: the real id may become the real or effective one, the
 * effective id any of the three. Setting the real id, or an effective id
 * other than the old real one, also sets the saved id to the new
 * effective id, so a set-id program cannot get its privilege back.
 */
static long set_re_ids(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne)
{
	u32 old_r = *r;

	if (!capable_root()) {
		if (nr != ID_UNCHANGED && nr != *r && nr != *e)
			return -EPERM;
		if (ne != ID_UNCHANGED && !id_is_one_of(ne, *r, *e, *s))
			return -EPERM;
	}
	if (nr != ID_UNCHANGED)
		*r = nr;
	if (ne != ID_UNCHANGED)
		*e = ne;
	if (nr != ID_UNCHANGED || (ne != ID_UNCHANGED && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

SYSCALL_DEFINE2(setreuid, u32, ruid, u32, euid)
{
	struct cred *c = &current->cred;

	return set_re_ids(&c->uid, &c->euid, &c->suid, &c->fsuid, ruid, euid);
}

SYSCALL_DEFINE2(setregid, u32, rgid, u32, egid)
{
	struct cred *c = &current->cred;

	return set_re_ids(&c->gid, &c->egid, &c->sgid, &c->fsgid, rgid, egid);
}

/*
 * setfsuid/setfsgid return the old fs id whether or not they change it
 * (failure is silent, as on Linux): the new one must be the real,
 * effective, saved or current fs id unless the caller is privileged, and
 * -1 only queries.
 */
static long set_fs_id(u32 *fs, u32 r, u32 e, u32 s, u32 id)
{
	u32 old = *fs;

	if (id == ID_UNCHANGED)
		return old;
	if (capable_root() || id_is_one_of(id, r, e, s) || id == old)
		*fs = id;
	return old;
}

SYSCALL_DEFINE1(setfsuid, u32, uid)
{
	struct cred *c = &current->cred;

	return set_fs_id(&c->fsuid, c->uid, c->euid, c->suid, uid);
}

SYSCALL_DEFINE1(setfsgid, u32, gid)
{
	struct cred *c = &current->cred;

	return set_fs_id(&c->fsgid, c->gid, c->egid, c->sgid, gid);
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

bool cred_may_ptrace(const struct task *t)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (t->tgid == current->tgid || capable_root())
		return true;
	return id_is_one_of(c->uid, tc->uid, tc->uid, tc->uid) && tc->uid == tc->euid &&
	       tc->uid == tc->suid && c->gid == tc->gid && tc->gid == tc->egid &&
	       tc->gid == tc->sgid;
}
