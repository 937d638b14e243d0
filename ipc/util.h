/* SPDX-License-Identifier: MIT */
/*
 * Shared inside ipc/ only: the id registry behind System V shared memory,
 * semaphores and message queues (util.c).
 *
 * Each kind has one struct ipc_ids. Its spinlock guards the table and
 * every field of every object of that kind (semaphore values, message
 * lists, permissions): one lock per kind keeps the rules short, and no
 * operation holds it across a user copy, an allocation that may sleep or
 * a schedule(). Lock order: ids->lock, then a wait queue's lock, then
 * nothing; mm->lock is never taken under ids->lock (shm's mapping release
 * runs under mm->lock and takes shm's ids->lock, so the order there is
 * mm->lock -> shm ids->lock).
 *
 * Ids are Linux's: seq * IPC_SEQ_MULTIPLIER + index, the index allocated
 * cyclically below max(in_use * 3 / 2, 64), seq bumped on every wrap, so a
 * stale id of a removed object fails with EINVAL for a long while.
 */
#ifndef _IPC_UTIL_H
#define _IPC_UTIL_H

#include <exo/spinlock.h>
#include <exo/types.h>

struct ipc64_perm;

#define IPC_SEQ_MULTIPLIER 32768	/* IPCMNI: ids below it are indexes */
#define IPC_SEQ_MAX 65535		/* INT_MAX / IPCMNI */

struct kern_ipc_perm {
	int key;			/* [ids->lock] IPC_PRIVATE once removed */
	int id;				/* [immutable once added] */
	u32 uid, gid;			/* [ids->lock] owner (IPC_SET) */
	u32 cuid, cgid;			/* [immutable] creator */
	unsigned int mode;		/* [ids->lock] permissions and kind-specific bits */
	unsigned short seq;		/* [immutable once added] */
	bool deleted;			/* [ids->lock] out of the table: wake-ups see EIDRM */
	int refs;			/* [ids->lock] the table's reference and sleepers' */
};

struct ipc_ids {
	struct spinlock lock;
	int in_use;			/* [lock] objects in the table */
	int last_idx;			/* [lock] last index handed out, -1 at first */
	int seq;			/* [lock] seq of new objects */
	int size;			/* [lock] slots in entries */
	struct kern_ipc_perm **entries;	/* [lock] by index; NULL for free */
	int *mni;			/* the kind's object limit (sysctl) */
};

#define IPC_IDS_INIT(n, limit) { .lock = SPINLOCK_INIT(n.lock), .last_idx = -1, .mni = (limit) }

/* What a *get() call asks for. */
struct ipc_params {
	int key;
	int flg;			/* IPC_CREAT, IPC_EXCL, permission bits */
	unsigned long size;		/* shm: bytes; sem: nsems */
};

struct ipc_ops {
	/* A new object for @p, not yet in the table; ERR_PTR on failure. No lock held. */
	struct kern_ipc_perm *(*alloc)(const struct ipc_params *p);
	/* Under ids->lock, before adding @perm: the kind's totals; 0 or -ENOSPC. */
	int (*may_add)(struct kern_ipc_perm *perm);
	/* Under ids->lock, an existing object asked for by key: EINVAL on a bigger size. */
	int (*more_checks)(struct kern_ipc_perm *perm, const struct ipc_params *p);
	/* Frees an object no one references; no lock held. */
	void (*free)(struct kern_ipc_perm *perm);
};

/* shmget/semget/msgget: the id of the object @p names, or a new one's; -errno. */
int ipc_get(struct ipc_ids *ids, const struct ipc_ops *ops, const struct ipc_params *p);
/* The object with id @id, or NULL (EINVAL to the caller). Caller holds ids->lock. */
struct kern_ipc_perm *ipc_find_id(struct ipc_ids *ids, int id);
/* *_STAT: the object at index @idx, or NULL. Caller holds ids->lock. */
struct kern_ipc_perm *ipc_find_idx(struct ipc_ids *ids, int idx);
/* Takes @perm out of the table (marks it deleted, drops the table's reference). Returns true when that was the last reference. */
bool ipc_rmid_locked(struct ipc_ids *ids, struct kern_ipc_perm *perm);
/* Drops a sleeper's reference; true when the caller must free the object. Caller holds ids->lock. */
bool ipc_put_locked(struct kern_ipc_perm *perm);
/* The highest index in use, 0 when none: what IPC_INFO and *_INFO return. */
int ipc_max_idx_locked(struct ipc_ids *ids);

/* Linux's ipcperms(): 0, or -EACCES unless the caller has @flag's rwx bits (CAP_IPC_OWNER bypasses). */
int ipc_perms(const struct kern_ipc_perm *perm, int flag);
/* IPC_SET and IPC_RMID: 0 for the owner, the creator or root; -EPERM otherwise. */
int ipc_check_owner(const struct kern_ipc_perm *perm);
void ipc_fill_perm(const struct kern_ipc_perm *perm, struct ipc64_perm *out);
/* IPC_SET's common part: uid, gid and the nine permission bits. */
void ipc_update_perm(struct kern_ipc_perm *perm, const struct ipc64_perm *in);

/* The limits (ipc_sysctl.c's files), owned by shm.c, sem.c and msg.c. [racy] */
extern unsigned long shm_ctlmax, shm_ctlall;
extern int shm_ctlmni, msg_ctlmax, msg_ctlmnb, msg_ctlmni;
extern int sem_ctls[4];		/* SEMMSL, SEMMNS, SEMOPM, SEMMNI */

/* Wall-clock seconds, for the *_time fields. */
long ipc_now(void);

#endif /* _IPC_UTIL_H */
