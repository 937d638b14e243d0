// SPDX-License-Identifier: MIT
/*
 * The System V IPC id registry shared by shm.c, sem.c and msg.c: keys,
 * ids, the permission block and the checks every *get() and *ctl() makes.
 * There are no IPC namespaces: one registry per kind for the whole system.
 *
 * Interface and locking rules: ipc/util.h. Everything here that ends in
 * _locked, and ipc_find_*(), runs under the kind's ids->lock.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <uapi/linux/ipc.h>
#include "util.h"

#define IPC_MIN_CYCLE 64	/* indexes cycle at least this far before reuse */

long ipc_now(void)
{
	return (long)(ktime_get_real_ns() / NSEC_PER_SEC);
}

static struct kern_ipc_perm *ipc_find_key(struct ipc_ids *ids, int key)
{
	int i;

	for (i = 0; i < ids->size; i++)
		if (ids->entries[i] && ids->entries[i]->key == key)
			return ids->entries[i];
	return NULL;
}

struct kern_ipc_perm *ipc_find_idx(struct ipc_ids *ids, int idx)
{
	assert_spin_locked(&ids->lock);
	if (idx < 0 || idx >= ids->size)
		return NULL;
	return ids->entries[idx];
}

struct kern_ipc_perm *ipc_find_id(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *perm;

	if (id < 0)
		return NULL;
	perm = ipc_find_idx(ids, id % IPC_SEQ_MULTIPLIER);
	if (!perm || perm->seq != id / IPC_SEQ_MULTIPLIER)
		return NULL;
	return perm;
}

int ipc_max_idx_locked(struct ipc_ids *ids)
{
	int i;

	for (i = ids->size - 1; i > 0; i--)
		if (ids->entries[i])
			return i;
	return 0;
}

/* A free index: the next after the last one handed out, below @end, else the first from 0. */
static int ipc_alloc_idx(struct ipc_ids *ids, int end)
{
	int i;

	for (i = ids->last_idx + 1; i < end; i++)
		if (i >= ids->size || !ids->entries[i])
			return i;
	for (i = 0; i < end && i <= ids->last_idx; i++)
		if (i >= ids->size || !ids->entries[i])
			return i;
	return -ENOSPC;
}

/* Puts @perm in the table with a fresh id; 0, -ENOSPC or -ENOMEM. */
static int ipc_add_locked(struct ipc_ids *ids, struct kern_ipc_perm *perm)
{
	int end, idx;

	if (ids->in_use >= READ_ONCE(*ids->mni))
		return -ENOSPC;
	end = min(max(ids->in_use * 3 / 2, IPC_MIN_CYCLE), IPC_SEQ_MULTIPLIER);
	idx = ipc_alloc_idx(ids, end);
	if (idx < 0)
		return idx;
	if (idx >= ids->size) {
		int size = max(ids->size * 2, IPC_MIN_CYCLE);
		struct kern_ipc_perm **bigger;

		while (size <= idx)
			size *= 2;
		/* Atomic: we hold a spinlock; the table only grows, rarely. */
		bigger = kcalloc((size_t)size, sizeof(*bigger), GFP_ATOMIC);
		if (!bigger)
			return -ENOMEM;
		if (ids->size)
			memcpy(bigger, ids->entries, ids->size * sizeof(*bigger));
		kfree(ids->entries);
		ids->entries = bigger;
		ids->size = size;
	}
	if (idx <= ids->last_idx && ++ids->seq > IPC_SEQ_MAX)
		ids->seq = 0;
	ids->last_idx = idx;
	perm->seq = (unsigned short)ids->seq;
	perm->id = perm->seq * IPC_SEQ_MULTIPLIER + idx;
	perm->refs = 1;
	perm->deleted = false;
	ids->entries[idx] = perm;
	ids->in_use++;
	return 0;
}

static void ipc_init_perm(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	const struct cred *c = current_cred();

	perm->key = p->key;
	perm->uid = perm->cuid = c->euid;
	perm->gid = perm->cgid = c->egid;
	perm->mode = (unsigned int)p->flg & 0777;
}

int ipc_get(struct ipc_ids *ids, const struct ipc_ops *ops, const struct ipc_params *p)
{
	struct kern_ipc_perm *perm, *fresh = NULL;
	int err;

	spin_lock(&ids->lock);
	for (;;) {
		if (p->key != IPC_PRIVATE) {
			perm = ipc_find_key(ids, p->key);
			if (perm) {
				if ((p->flg & IPC_CREAT) && (p->flg & IPC_EXCL))
					err = -EEXIST;
				else
					err = ops->more_checks ? ops->more_checks(perm, p) : 0;
				if (!err)
					err = ipc_perms(perm, p->flg);
				if (!err)
					err = perm->id;
				goto out_unlock;
			}
			if (!(p->flg & IPC_CREAT)) {
				err = -ENOENT;
				goto out_unlock;
			}
		}
		if (fresh)
			break;
		/* Allocation may sleep: done unlocked, then the key is looked up again. */
		spin_unlock(&ids->lock);
		fresh = ops->alloc(p);
		if (IS_ERR(fresh))
			return PTR_ERR(fresh);
		ipc_init_perm(fresh, p);
		spin_lock(&ids->lock);
	}
	err = ops->may_add ? ops->may_add(fresh) : 0;
	if (!err)
		err = ipc_add_locked(ids, fresh);
	if (!err) {
		err = fresh->id;
		fresh = NULL;
	}
out_unlock:
	spin_unlock(&ids->lock);
	if (fresh)
		ops->free(fresh);
	return err;
}

bool ipc_put_locked(struct kern_ipc_perm *perm)
{
	return --perm->refs == 0;
}

bool ipc_rmid_locked(struct ipc_ids *ids, struct kern_ipc_perm *perm)
{
	assert_spin_locked(&ids->lock);
	ids->entries[perm->id % IPC_SEQ_MULTIPLIER] = NULL;
	ids->in_use--;
	perm->deleted = true;
	perm->key = IPC_PRIVATE;
	return ipc_put_locked(perm);
}

/* Supplementary groups do not exist yet: the filesystem gid is the one group. */
static bool ipc_in_group(u32 gid)
{
	return current_cred()->fsgid == gid;
}

int ipc_perms(const struct kern_ipc_perm *perm, int flag)
{
	u32 euid = current_cred()->euid;
	int requested = (flag >> 6) | (flag >> 3) | flag;
	unsigned int granted = perm->mode;

	if (euid == perm->cuid || euid == perm->uid)
		granted >>= 6;
	else if (ipc_in_group(perm->cgid) || ipc_in_group(perm->gid))
		granted >>= 3;
	/* CAP_IPC_OWNER, which only root has here. */
	if ((requested & ~granted & 07) && !capable_root())
		return -EACCES;
	return 0;
}

int ipc_check_owner(const struct kern_ipc_perm *perm)
{
	u32 euid = current_cred()->euid;

	/* CAP_SYS_ADMIN otherwise. */
	if (euid == perm->uid || euid == perm->cuid || capable_root())
		return 0;
	return -EPERM;
}

void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = perm->key;
	out->uid = perm->uid;
	out->gid = perm->gid;
	out->cuid = perm->cuid;
	out->cgid = perm->cgid;
	out->mode = perm->mode;
	out->seq = perm->seq;
}

void ipc_update_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in)
{
	perm->uid = in->uid;
	perm->gid = in->gid;
	perm->mode = (perm->mode & ~0777u) | (in->mode & 0777u);
}
