// SPDX-License-Identifier: MIT
/*
 * System V semaphores: semget, semop, semtimedop, semctl, and the SEM_UNDO
 * lists applied at exit.
 *
 * semop applies all its operations or none: sem_try() applies them in
 * order on the live values and rolls back at the first one that would
 * block or overflow. A caller that must wait sleeps on the set's wait
 * queue, counted in semncnt or semzcnt of the semaphore it waits for, and
 * tries again after every change to the set (any successful alteration,
 * SETVAL, SETALL, an exit's undo, IPC_RMID wake the whole queue). Sleeps
 * are interruptible: a signal ends them with EINTR, never restarted (as in
 * Linux); semtimedop's timeout with EAGAIN; the set's removal with EIDRM.
 *
 * SEM_UNDO: each process (or the threads sharing one with CLONE_SYSVSEM)
 * has a struct sem_undo_list with one struct sem_undo per set it used
 * SEM_UNDO on, holding the adjustment per semaphore. The last task to
 * drop the list applies the adjustments (clamped to 0..SEMVMX, as Linux
 * does). Removing a set frees its undo entries; SETVAL and SETALL zero
 * the adjustments of what they set.
 *
 * Locking: sem_ids.lock guards everything here (values, counts, undo
 * entries and every list_proc/list_id); then a set's wq.lock.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/list.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/linux/sem.h>
#include <uapi/sched.h>
#include <uapi/time_types.h>
#include "util.h"

struct sem {
	int val;			/* [lock] semval */
	int pid;			/* [lock] sempid: the last process to change it */
	int ncnt, zcnt;			/* [lock] sleepers waiting for an increase, for zero */
};

struct sem_array {
	struct kern_ipc_perm perm;
	long otime, ctime;		/* [lock] */
	int nsems;			/* [immutable] */
	struct wait_queue_head wq;	/* semop sleepers */
	unsigned long changes;		/* [lock] bumped by every wake-up of wq; sleepers peek at it */
	struct list_head undos;		/* [lock] struct sem_undo.list_id */
	struct sem sems[];
};

struct sem_undo_list {
	int refs;			/* [atomic] tasks sharing it (CLONE_SYSVSEM) */
	struct list_head undos;		/* [sem_ids.lock] struct sem_undo.list_proc */
};

struct sem_undo {
	struct list_head list_proc;	/* [lock] in the process's sem_undo_list */
	struct list_head list_id;	/* [lock] in the set's undos */
	struct sem_array *sma;		/* [immutable] the entry dies with the set */
	int semid;			/* [immutable] */
	int nsems;			/* [immutable] entries in adj */
	short adj[];			/* [lock] semadj, per semaphore */
};

/* kernel.sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI, in that order (Linux's sem_ctls). */
int sem_ctls[4] = { SEMMSL, SEMMNS, SEMOPM, SEMMNI };
#define sc_semmsl sem_ctls[0]
#define sc_semmns sem_ctls[1]
#define sc_semopm sem_ctls[2]
#define sc_semmni sem_ctls[3]
static int used_sems;			/* [sem_ids.lock] semaphores in all sets */

static struct ipc_ids sem_ids = IPC_IDS_INIT(sem_ids, &sc_semmni);

#define SEMOPS_FAST 16	/* semop vectors this short stay on the stack */

static struct sem_array *to_sma(struct kern_ipc_perm *perm)
{
	return container_of(perm, struct sem_array, perm);
}

/* The set changed: sleepers look again. */
static void sem_wake_locked(struct sem_array *sma)
{
	sma->changes++;
	wake_up(&sma->wq);
}

static struct kern_ipc_perm *sem_alloc(const struct ipc_params *p)
{
	struct sem_array *sma;

	if (!p->size)
		return ERR_PTR(-EINVAL);
	sma = kzalloc(sizeof(*sma) + p->size * sizeof(struct sem), GFP_KERNEL);
	if (!sma)
		return ERR_PTR(-ENOMEM);
	sma->nsems = (int)p->size;
	sma->ctime = ipc_now();
	init_waitqueue_head(&sma->wq);
	INIT_LIST_HEAD(&sma->undos);
	return &sma->perm;
}

static void sem_free(struct kern_ipc_perm *perm)
{
	kfree(to_sma(perm));
}

static int sem_may_add(struct kern_ipc_perm *perm)
{
	int nsems = to_sma(perm)->nsems;

	if (used_sems + nsems > READ_ONCE(sc_semmns))
		return -ENOSPC;
	used_sems += nsems;
	return 0;
}

static int sem_more_checks(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	return (unsigned long)to_sma(perm)->nsems < p->size ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = {
	.alloc = sem_alloc,
	.may_add = sem_may_add,
	.more_checks = sem_more_checks,
	.free = sem_free,
};

SYSCALL_DEFINE3(semget, int, key, int, nsems, int, semflg)
{
	struct ipc_params p = { .key = key, .flg = semflg, .size = (unsigned long)nsems };

	if (nsems < 0 || nsems > READ_ONCE(sc_semmsl))
		return -EINVAL;
	return ipc_get(&sem_ids, &sem_ops, &p);
}

/* IPC_RMID: out of the table, undo entries freed, sleepers woken to find EIDRM. */
static bool sem_destroy_locked(struct sem_array *sma)
{
	struct sem_undo *un, *tmp;

	list_for_each_entry_safe(un, tmp, &sma->undos, list_id) {
		list_del(&un->list_id);
		list_del(&un->list_proc);
		kfree(un);
	}
	used_sems -= sma->nsems;
	sem_wake_locked(sma);
	return ipc_rmid_locked(&sem_ids, &sma->perm);
}

/*
 * Applies @sops to @sma all at once: 0 when done; 1 when operation
 * *@blocker must wait; -EAGAIN when it must wait but has IPC_NOWAIT;
 * -ERANGE when a value or an adjustment would leave its range.
 */
static int sem_try(struct sem_array *sma, const struct sembuf *sops, int nsops,
		   struct sem_undo *un, int *blocker)
{
	const struct sembuf *sop;
	int i, err, result;

	for (i = 0; i < nsops; i++) {
		sop = &sops[i];
		result = sma->sems[sop->sem_num].val;
		if (!sop->sem_op && result)
			goto would_block;
		result += sop->sem_op;
		if (result < 0)
			goto would_block;
		if (result > SEMVMX) {
			err = -ERANGE;
			goto undo;
		}
		if (sop->sem_flg & SEM_UNDO) {
			int adj = un->adj[sop->sem_num] - sop->sem_op;

			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				err = -ERANGE;
				goto undo;
			}
		}
		sma->sems[sop->sem_num].val = result;
	}
	for (i = 0; i < nsops; i++) {
		sop = &sops[i];
		if (sop->sem_flg & SEM_UNDO)
			un->adj[sop->sem_num] -= sop->sem_op;
		sma->sems[sop->sem_num].pid = current->tgid;
	}
	return 0;

would_block:
	*blocker = i;
	err = (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (--i >= 0)
		sma->sems[sops[i].sem_num].val -= sops[i].sem_op;
	return err;
}

static struct sem_undo_list *sem_undo_list_get(void)
{
	struct sem_undo_list *ulp = current->sysvsem;

	if (ulp)
		return ulp;
	ulp = kzalloc(sizeof(*ulp), GFP_KERNEL);
	if (!ulp)
		return NULL;
	ulp->refs = 1;
	INIT_LIST_HEAD(&ulp->undos);
	current->sysvsem = ulp;
	return ulp;
}

static struct sem_undo *sem_undo_lookup_locked(struct sem_undo_list *ulp, int semid)
{
	struct sem_undo *un;

	list_for_each_entry(un, &ulp->undos, list_proc)
		if (un->semid == semid)
			return un;
	return NULL;
}

/*
 * The caller's undo entry for @sma, or NULL when it has none yet and
 * *@fresh (allocated unlocked for @sma->nsems semaphores) is NULL or of
 * another size: the caller allocates one and looks the set up again.
 */
static struct sem_undo *sem_undo_get_locked(struct sem_undo_list *ulp, struct sem_array *sma,
					    int semid, struct sem_undo **fresh)
	__must_hold(&sem_ids.lock)
{
	struct sem_undo *un = sem_undo_lookup_locked(ulp, semid);

	if (un || !*fresh || (*fresh)->nsems != sma->nsems)
		return un;
	un = *fresh;
	*fresh = NULL;
	un->sma = sma;
	un->semid = semid;
	list_add(&un->list_proc, &ulp->undos);
	list_add(&un->list_id, &sma->undos);
	return un;
}

/* A semtimedop timeout: the ktime_get_ns() deadline in *@deadline, WAIT_NO_DEADLINE for none. */
static long sem_deadline(const struct __kernel_timespec __user *uts, u64 *deadline)
{
	u64 ns;
	int err;

	*deadline = WAIT_NO_DEADLINE;
	if (!uts)
		return 0;
	err = get_timespec_ns(uts, &ns);
	if (err)
		return err;
	*deadline = ns_add_sat(ktime_get_ns(), ns);
	return 0;
}

/* Sleeps until @sops can be applied; called and returns with sem_ids.lock held. */
static long sem_wait_locked(struct sem_array *sma, const struct sembuf *sops, int nsops,
			    struct sem_undo *un, int blocker, u64 deadline, bool *free)
	__must_hold(&sem_ids.lock)
{
	struct wait_queue_entry wqe = { .task = NULL };
	bool timed_out = false;
	unsigned long seen;
	struct sem *s;
	long err;

	for (;;) {
		s = &sma->sems[sops[blocker].sem_num];
		if (sops[blocker].sem_op)
			s->ncnt++;
		else
			s->zcnt++;
		sma->perm.refs++;
		seen = sma->changes;
		spin_unlock(&sem_ids.lock);
		/*
		 * prepare_to_wait() may not run under the spinlock; a change
		 * made before it shows in sma->changes, one made after it wakes us.
		 */
		prepare_to_wait(&sma->wq, &wqe, TASK_INTERRUPTIBLE);
		if (READ_ONCE(sma->changes) == seen && !signal_pending_current()) {
			if (deadline == WAIT_NO_DEADLINE)
				schedule();
			else
				timed_out = schedule_deadline(deadline);
		}
		finish_wait(&sma->wq, &wqe);
		spin_lock(&sem_ids.lock);
		if (sops[blocker].sem_op)
			s->ncnt--;
		else
			s->zcnt--;
		if (ipc_put_locked(&sma->perm)) {
			*free = true;
			return -EIDRM;
		}
		if (sma->perm.deleted)
			return -EIDRM;
		err = sem_try(sma, sops, nsops, un, &blocker);
		if (err <= 0)
			return err;
		if (signal_pending_current())
			return -EINTR;
		if (timed_out || (deadline != WAIT_NO_DEADLINE && ktime_get_ns() >= deadline))
			return -EAGAIN;
	}
}

static long do_semtimedop(int semid, struct sembuf __user *tsops, unsigned int nsops,
			  const struct __kernel_timespec __user *timeout)
{
	struct sembuf fast[SEMOPS_FAST], *sops = fast;
	struct kern_ipc_perm *perm;
	struct sem_undo_list *ulp = NULL;
	struct sem_undo *un = NULL, *fresh = NULL;
	struct sem_array *sma = NULL;
	bool undos = false, alter = false, free = false;
	int max = 0, blocker;
	unsigned int i;
	u64 deadline;
	long err;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > (unsigned int)READ_ONCE(sc_semopm))
		return -E2BIG;
	if (nsops > SEMOPS_FAST) {
		sops = kmalloc(nsops * sizeof(*sops), GFP_KERNEL);
		if (!sops)
			return -ENOMEM;
	}
	err = -EFAULT;
	if (copy_from_user(sops, tsops, nsops * sizeof(*sops)))
		goto out_free;
	err = sem_deadline(timeout, &deadline);
	if (err)
		goto out_free;
	for (i = 0; i < nsops; i++) {
		max = max(max, (int)sops[i].sem_num);
		undos |= sops[i].sem_flg & SEM_UNDO;
		alter |= sops[i].sem_op != 0;
	}

	if (undos) {
		ulp = sem_undo_list_get();
		err = -ENOMEM;
		if (!ulp)
			goto out_free;
	}
again:
	spin_lock(&sem_ids.lock);
	perm = ipc_find_id(&sem_ids, semid);
	if (!perm) {
		/* Gone while we allocated its undo entry: EIDRM, as in Linux. */
		err = fresh ? -EIDRM : -EINVAL;
		goto out_unlock;
	}
	sma = to_sma(perm);
	if (undos) {
		un = sem_undo_get_locked(ulp, sma, semid, &fresh);
		if (!un) {
			int nsems = sma->nsems;

			spin_unlock(&sem_ids.lock);
			kfree(fresh);
			fresh = kzalloc(sizeof(*fresh) + nsems * sizeof(short), GFP_KERNEL);
			err = -ENOMEM;
			if (!fresh)
				goto out_free;
			fresh->nsems = nsems;
			goto again;
		}
	}
	if (max >= sma->nsems) {
		err = -EFBIG;
		goto out_unlock;
	}
	err = ipc_perms(&sma->perm, alter ? 0222 : 0444);
	if (err)
		goto out_unlock;
	err = sem_try(sma, sops, (int)nsops, un, &blocker);
	if (err > 0)
		err = sem_wait_locked(sma, sops, (int)nsops, un, blocker, deadline, &free);
	if (!err) {
		sma->otime = ipc_now();
		if (alter)
			sem_wake_locked(sma);
	}
out_unlock:
	spin_unlock(&sem_ids.lock);
	if (free)
		sem_free(&sma->perm);
out_free:
	kfree(fresh);
	if (sops != fast)
		kfree(sops);
	return err;
}

SYSCALL_DEFINE4(semtimedop, int, semid, struct sembuf __user *, tsops, unsigned int, nsops,
		const struct __kernel_timespec __user *, timeout)
{
	return do_semtimedop(semid, tsops, nsops, timeout);
}

SYSCALL_DEFINE3(semop, int, semid, struct sembuf __user *, tsops, unsigned int, nsops)
{
	return do_semtimedop(semid, tsops, nsops, NULL);
}

static void sem_fill_ds(struct sem_array *sma, struct semid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&sma->perm, &ds->sem_perm);
	ds->sem_otime = sma->otime;
	ds->sem_ctime = sma->ctime;
	ds->sem_nsems = (unsigned long)sma->nsems;
}

static long sem_info(int cmd, void __user *buf)
{
	struct seminfo si;
	int max_idx;

	memset(&si, 0, sizeof(si));
	si.semmni = READ_ONCE(sc_semmni);
	si.semmns = READ_ONCE(sc_semmns);
	si.semmsl = READ_ONCE(sc_semmsl);
	si.semopm = READ_ONCE(sc_semopm);
	si.semvmx = SEMVMX;
	si.semmnu = SEMMNU;
	si.semmap = SEMMAP;
	si.semume = SEMUME;
	spin_lock(&sem_ids.lock);
	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = used_sems;
	} else {
		si.semusz = SEMUSZ;
		si.semaem = SEMAEM;
	}
	max_idx = ipc_max_idx_locked(&sem_ids);
	spin_unlock(&sem_ids.lock);
	if (copy_to_user(buf, &si, sizeof(si)))
		return -EFAULT;
	return max_idx;
}

static long sem_stat(int id, int cmd, void __user *buf)
{
	struct kern_ipc_perm *perm;
	struct semid64_ds ds;
	long ret;

	spin_lock(&sem_ids.lock);
	perm = cmd == IPC_STAT ? ipc_find_id(&sem_ids, id) : ipc_find_idx(&sem_ids, id);
	ret = perm ? 0 : -EINVAL;
	if (!ret && cmd != SEM_STAT_ANY)
		ret = ipc_perms(perm, 0444);
	if (!ret) {
		sem_fill_ds(to_sma(perm), &ds);
		ret = cmd == IPC_STAT ? 0 : perm->id;
	}
	spin_unlock(&sem_ids.lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

/* SETVAL/SETALL: the undo adjustments of what they set start over, as in Linux. */
static void sem_clear_adj_locked(struct sem_array *sma, int semnum)
{
	struct sem_undo *un;

	list_for_each_entry(un, &sma->undos, list_id) {
		if (semnum >= 0)
			un->adj[semnum] = 0;
		else
			memset(un->adj, 0, sma->nsems * sizeof(short));
	}
}

/*
 * GETALL and SETALL move nsems values through a kernel buffer sized from a
 * first look at the set; the set is looked up again after the copy.
 */
static long sem_getall_setall(int semid, int cmd, unsigned short __user *array)
{
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	unsigned short *vals;
	long err;
	int nsems, i;

	spin_lock(&sem_ids.lock);
	perm = ipc_find_id(&sem_ids, semid);
	if (!perm) {
		spin_unlock(&sem_ids.lock);
		return -EINVAL;
	}
	err = ipc_perms(perm, cmd == SETALL ? 0222 : 0444);
	nsems = to_sma(perm)->nsems;
	spin_unlock(&sem_ids.lock);
	if (err)
		return err;
	vals = kmalloc(nsems * sizeof(*vals), GFP_KERNEL);
	if (!vals)
		return -ENOMEM;
	if (cmd == SETALL) {
		err = -EFAULT;
		if (copy_from_user(vals, array, nsems * sizeof(*vals)))
			goto out_free;
		err = -ERANGE;
		for (i = 0; i < nsems; i++)
			if (vals[i] > SEMVMX)
				goto out_free;
	}
	spin_lock(&sem_ids.lock);
	perm = ipc_find_id(&sem_ids, semid);
	if (!perm || to_sma(perm)->nsems != nsems) {
		spin_unlock(&sem_ids.lock);
		err = -EIDRM;
		goto out_free;
	}
	sma = to_sma(perm);
	for (i = 0; i < nsems; i++) {
		if (cmd == GETALL) {
			vals[i] = (unsigned short)sma->sems[i].val;
		} else {
			sma->sems[i].val = vals[i];
			sma->sems[i].pid = current->tgid;
		}
	}
	if (cmd == SETALL) {
		sem_clear_adj_locked(sma, -1);
		sma->ctime = ipc_now();
		sem_wake_locked(sma);
	}
	spin_unlock(&sem_ids.lock);
	err = 0;
	if (cmd == GETALL && copy_to_user(array, vals, nsems * sizeof(*vals)))
		err = -EFAULT;
out_free:
	kfree(vals);
	return err;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, SETVAL: one semaphore. */
static long sem_one(int semid, int semnum, int cmd, int val)
{
	struct kern_ipc_perm *perm;
	struct sem_array *sma;
	struct sem *s;
	long ret;

	if (cmd == SETVAL && (val < 0 || val > SEMVMX))
		return -ERANGE;
	spin_lock(&sem_ids.lock);
	perm = ipc_find_id(&sem_ids, semid);
	if (!perm) {
		ret = -EINVAL;
		goto out_unlock;
	}
	sma = to_sma(perm);
	if (cmd == SETVAL) {
		ret = -EINVAL;
		if (semnum < 0 || semnum >= sma->nsems)
			goto out_unlock;
		ret = ipc_perms(perm, 0222);
	} else {
		ret = ipc_perms(perm, 0444);
		if (!ret && (semnum < 0 || semnum >= sma->nsems))
			ret = -EINVAL;
	}
	if (ret)
		goto out_unlock;
	s = &sma->sems[semnum];
	switch (cmd) {
	case GETVAL:
		ret = s->val;
		break;
	case GETPID:
		ret = s->pid;
		break;
	case GETNCNT:
		ret = s->ncnt;
		break;
	case GETZCNT:
		ret = s->zcnt;
		break;
	case SETVAL:
		s->val = val;
		s->pid = current->tgid;
		sem_clear_adj_locked(sma, semnum);
		sma->ctime = ipc_now();
		sem_wake_locked(sma);
		break;
	}
out_unlock:
	spin_unlock(&sem_ids.lock);
	return ret;
}

static long sem_owner_cmd(int semid, int cmd, struct semid64_ds __user *buf)
{
	struct kern_ipc_perm *perm;
	struct semid64_ds ds;
	bool free = false;
	long err;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	spin_lock(&sem_ids.lock);
	perm = ipc_find_id(&sem_ids, semid);
	err = perm ? ipc_check_owner(perm) : -EINVAL;
	if (!err) {
		if (cmd == IPC_SET) {
			ipc_update_perm(perm, &ds.sem_perm);
			to_sma(perm)->ctime = ipc_now();
		} else {
			free = sem_destroy_locked(to_sma(perm));
		}
	}
	spin_unlock(&sem_ids.lock);
	if (free)
		sem_free(perm);
	return err;
}

/* @arg is union semun, passed by value: an int, or a pointer. */
SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd, unsigned long, arg)
{
	void __user *p = (void __user *)arg;

	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(cmd, p);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat(semid, cmd, p);
	case GETALL:
	case SETALL:
		return sem_getall_setall(semid, cmd, p);
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
		return sem_one(semid, semnum, cmd, (int)arg);
	case IPC_SET:
	case IPC_RMID:
		return sem_owner_cmd(semid, cmd, p);
	default:
		return -EINVAL;
	}
}

int copy_semundo(struct task *child, struct task *parent, u64 clone_flags)
{
	struct sem_undo_list *ulp;

	child->sysvsem = NULL;
	if (!(clone_flags & CLONE_SYSVSEM) || parent != current)
		return 0;
	ulp = sem_undo_list_get();
	if (!ulp)
		return -ENOMEM;
	__atomic_add_fetch(&ulp->refs, 1, __ATOMIC_RELAXED);
	child->sysvsem = ulp;
	return 0;
}

void exit_sem(struct task *t)
{
	struct sem_undo_list *ulp = t->sysvsem;
	struct sem_undo *un, *tmp;
	struct sem_array *sma;
	int i, v;

	if (!ulp)
		return;
	t->sysvsem = NULL;
	if (__atomic_sub_fetch(&ulp->refs, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&sem_ids.lock);
	list_for_each_entry_safe(un, tmp, &ulp->undos, list_proc) {
		sma = un->sma;
		for (i = 0; i < sma->nsems; i++) {
			if (!un->adj[i])
				continue;
			v = sma->sems[i].val + un->adj[i];
			sma->sems[i].val = min(max(v, 0), SEMVMX);
			sma->sems[i].pid = t->tgid;
		}
		sem_wake_locked(sma);
		list_del(&un->list_id);
		list_del(&un->list_proc);
		kfree(un);
	}
	spin_unlock(&sem_ids.lock);
	kfree(ulp);
}

int sysvipc_sem_show(struct seq_file *m)
{
	struct sem_array *sma;
	int i;

	seq_puts(m, "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
	spin_lock(&sem_ids.lock);
	for (i = 0; i < sem_ids.size; i++) {
		if (!sem_ids.entries[i])
			continue;
		sma = to_sma(sem_ids.entries[i]);
		seq_printf(m, "%10d %10d  %4o %10u %5u %5u %5u %5u %10ld %10ld\n", sma->perm.key,
			   sma->perm.id, sma->perm.mode, sma->nsems, sma->perm.uid, sma->perm.gid,
			   sma->perm.cuid, sma->perm.cgid, sma->otime, sma->ctime);
	}
	spin_unlock(&sem_ids.lock);
	return 0;
}
