// SPDX-License-Identifier: MIT
/*
 * I/O priorities: ioprio_set and ioprio_get on a thread, a process group
 * or a user's tasks, with Linux's class and level checks. The block layer
 * has one queue per device and does not order requests by priority, so
 * the value is stored per task and inherited at fork, nothing more. A task
 * that never set one reports IOPRIO_CLASS_NONE, level 0, as Linux does
 * since 5.x (the block layer derives the effective priority from nice).
 */
#include <exo/cred.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_LEVEL_MASK 0x7
#define IOPRIO_NR_LEVELS 8
#define IOPRIO_CLASS(p) (((p) >> IOPRIO_CLASS_SHIFT) & 0x7)
#define IOPRIO_LEVEL(p) ((p) & IOPRIO_LEVEL_MASK)

enum { IOPRIO_CLASS_NONE, IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE };
enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP, IOPRIO_WHO_USER };

static long ioprio_check(int ioprio)
{
	int level = IOPRIO_LEVEL(ioprio);

	if (ioprio < 0 || ioprio > 0xffff)
		return -EINVAL;
	switch (IOPRIO_CLASS(ioprio)) {
	case IOPRIO_CLASS_RT:
		if (!capable_root())
			return -EPERM;
		return level >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_BE:
		return level >= IOPRIO_NR_LEVELS ? -EINVAL : 0;
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return level ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

static long ioprio_set_task(struct task *t, int ioprio)
{
	const struct cred *me = &current->cred;

	if (t->cred.uid != me->euid && t->cred.uid != me->uid && !capable_root())
		return -EPERM;
	WRITE_ONCE(t->ioprio, (unsigned short)ioprio);
	return 0;
}

static int ioprio_get_task(const struct task *t)
{
	return READ_ONCE(t->ioprio);
}

/* Whether @t is one of the tasks ioprio's (which, who) names; @who is resolved. */
static bool ioprio_match(const struct task *t, int which, int who)
{
	if (t->exit_state || (t->flags & PF_KTHREAD))
		return false;
	return which == IOPRIO_WHO_PGRP ? t->pgid == who : t->cred.uid == (u32)who;
}

static int ioprio_resolve_who(int which, int who)
{
	if (who)
		return who;
	return which == IOPRIO_WHO_PGRP ? current->pgid : (int)current->cred.uid;
}

SYSCALL_DEFINE3(ioprio_set, int, which, int, who, int, ioprio)
{
	unsigned long flags;
	struct task *t;
	long err;

	err = ioprio_check(ioprio);
	if (err)
		return err;
	switch (which) {
	case IOPRIO_WHO_PROCESS:
		t = who ? find_task_by_pid(who) : current;
		if (!t || t->exit_state)
			return -ESRCH;
		return ioprio_set_task(t, ioprio);
	case IOPRIO_WHO_PGRP:
	case IOPRIO_WHO_USER:
		break;
	default:
		return -EINVAL;
	}
	who = ioprio_resolve_who(which, who);
	err = -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (!ioprio_match(t, which, who))
			continue;
		err = ioprio_set_task(t, ioprio);
		if (err)
			break;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* The better of two priorities: the lower value (class, then level; NONE first). */
static int ioprio_best(int a, int b)
{
	return a < b ? a : b;
}

SYSCALL_DEFINE2(ioprio_get, int, which, int, who)
{
	unsigned long flags;
	struct task *t;
	long ret = -ESRCH;

	switch (which) {
	case IOPRIO_WHO_PROCESS:
		t = who ? find_task_by_pid(who) : current;
		if (!t || t->exit_state)
			return -ESRCH;
		return ioprio_get_task(t);
	case IOPRIO_WHO_PGRP:
	case IOPRIO_WHO_USER:
		break;
	default:
		return -EINVAL;
	}
	who = ioprio_resolve_who(which, who);
	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (!ioprio_match(t, which, who))
			continue;
		ret = ret == -ESRCH ? ioprio_get_task(t) : ioprio_best((int)ret, ioprio_get_task(t));
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return ret;
}
