// SPDX-License-Identifier: MIT
/*
 * POSIX record locks: fcntl F_GETLK, F_SETLK, F_SETLKW.
 *
 * A lock covers a byte range [start, end] of an inode and belongs to an
 * owner, the files_struct of the process that took it (threads share it, a
 * fork child does not: POSIX's per-process locks). Read locks of different
 * owners share a range, a write lock excludes every other owner. An owner's
 * own locks never conflict: a new lock replaces the owner's locks over its
 * range (splitting them at its ends) and merges with adjacent ones of its
 * type, so an owner's locks on an inode never overlap. Closing any
 * descriptor of an inode drops all the process's locks on it (POSIX), which
 * is also what frees them at exit: a lock never outlives its owner's last
 * open file of the inode, whose reference keeps the inode alive.
 *
 * All locks sit on one list under file_lock_lock (a spinlock, never held
 * while sleeping or copying from user space); F_SETLKW sleeps on one wait
 * queue, woken at every change.
 *
 * BSD locks (flock) are a second, independent kind, as on Linux: a whole-file
 * shared or exclusive lock owned by the open file description, so dup()ed
 * and inherited descriptors share it and the last fput() releases it. A
 * conversion (shared <-> exclusive) drops the old lock before waiting for
 * the new one, as Linux does, so it is not atomic. They live on their own
 * list under the same lock and wait queue. Not done: deadlock detection (Linux's
 * EDEADLK), OFD locks (F_OFD_*), mandatory locks, leases.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/list.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "internal.h"

#define LOCK_OFFSET_MAX ((loff_t)0x7fffffffffffffffLL)

struct posix_lock {
	struct list_head node;		/* [file_lock_lock] on file_locks */
	struct inode *inode;		/* [immutable] */
	struct files_struct *owner;	/* [immutable] */
	int pid;			/* [immutable] tgid of the locker, for F_GETLK */
	short type;			/* [file_lock_lock] F_RDLCK or F_WRLCK */
	loff_t start, end;		/* [file_lock_lock] inclusive */
};

static DEFINE_SPINLOCK(file_lock_lock);
static LIST_HEAD(file_locks);
static DECLARE_WAIT_QUEUE_HEAD(file_lock_wait);

static bool locks_overlap(const struct posix_lock *a, const struct posix_lock *b)
{
	return a->inode == b->inode && a->start <= b->end && b->start <= a->end;
}

static struct posix_lock *find_conflict_locked(const struct posix_lock *req)
{
	struct posix_lock *l;

	assert_spin_locked(&file_lock_lock);
	list_for_each_entry(l, &file_locks, node)
		if (l->owner != req->owner && locks_overlap(l, req) &&
		    (l->type == F_WRLCK || req->type == F_WRLCK))
			return l;
	return NULL;
}

static bool lock_would_block(const struct posix_lock *req)
{
	bool r;

	spin_lock(&file_lock_lock);
	r = find_conflict_locked(req) != NULL;
	spin_unlock(&file_lock_lock);
	return r;
}

/* struct flock to a range of @f's inode; 0 or -EINVAL/-EOVERFLOW. */
static int flock_to_range(struct file *f, const struct flock *fl, struct posix_lock *req)
{
	loff_t base, start, end;

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = f->f_inode->i_size;
		break;
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, fl->l_start, &start))
		return -EOVERFLOW;
	if (fl->l_len > 0) {
		if (__builtin_add_overflow(start, fl->l_len - 1, &end))
			return -EOVERFLOW;
	} else if (fl->l_len == 0) {
		end = LOCK_OFFSET_MAX;
	} else {
		end = start - 1;
		start += fl->l_len;
	}
	if (start < 0)
		return -EINVAL;
	req->start = start;
	req->end = end;
	req->inode = f->f_inode;
	req->owner = current_files();
	req->pid = current->tgid;
	req->type = fl->l_type;
	return 0;
}

/*
 * Puts @req's range into its owner's locks: cuts the range out of them
 * (@spare, when not NULL, becomes the right part of a lock split in two),
 * then, unless unlocking, adds @new (a copy of @req) merged with adjacent
 * locks of its type. Returns what of @spare and @new was not used, to free.
 */
static void apply_lock_locked(const struct posix_lock *req, struct posix_lock **spare,
			      struct posix_lock **new)
{
	struct posix_lock *l, *tmp;
	loff_t start = req->start, end = req->end;

	assert_spin_locked(&file_lock_lock);
	list_for_each_entry_safe(l, tmp, &file_locks, node) {
		if (l->owner != req->owner || !locks_overlap(l, req))
			continue;
		if (l->start < start && l->end > end) {
			struct posix_lock *right = *spare;

			*spare = NULL;
			*right = *l;
			right->start = end + 1;
			list_add(&right->node, &l->node);
			l->end = start - 1;
		} else if (l->start < start) {
			l->end = start - 1;
		} else if (l->end > end) {
			l->start = end + 1;
		} else {
			list_del(&l->node);
			kfree(l);
		}
	}
	if (req->type == F_UNLCK)
		return;
	list_for_each_entry_safe(l, tmp, &file_locks, node) {
		if (l->owner != req->owner || l->inode != req->inode || l->type != req->type)
			continue;
		if (l->end != LOCK_OFFSET_MAX && l->end + 1 == start) {
			start = l->start;
		} else if (end != LOCK_OFFSET_MAX && end + 1 == l->start) {
			end = l->end;
		} else {
			continue;
		}
		list_del(&l->node);
		kfree(l);
	}
	**new = *req;
	(*new)->start = start;
	(*new)->end = end;
	list_add_tail(&(*new)->node, &file_locks);
	*new = NULL;
}

static int posix_lock_set(struct file *f, const struct flock *fl, bool wait)
{
	struct posix_lock req, *spare, *new;
	int err;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK && fl->l_type != F_UNLCK)
		return -EINVAL;
	if ((fl->l_type == F_RDLCK && !(f->f_mode & FMODE_READ)) ||
	    (fl->l_type == F_WRLCK && !(f->f_mode & FMODE_WRITE)))
		return -EBADF;
	err = flock_to_range(f, fl, &req);
	if (err)
		return err;
	/* A change splits at most one lock and adds at most one: allocated before locking. */
	spare = kmalloc(sizeof(*spare), GFP_KERNEL);
	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!spare || !new) {
		err = -ENOLCK;
		goto out;
	}
	for (;;) {
		spin_lock(&file_lock_lock);
		if (req.type == F_UNLCK || !find_conflict_locked(&req)) {
			apply_lock_locked(&req, &spare, &new);
			spin_unlock(&file_lock_lock);
			wake_up_all(&file_lock_wait);
			err = 0;
			break;
		}
		spin_unlock(&file_lock_lock);
		if (!wait) {
			err = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(file_lock_wait, !lock_would_block(&req));
		if (err)
			break;
	}
out:
	kfree(spare);
	kfree(new);
	return err;
}

static int posix_lock_get(struct file *f, struct flock *fl)
{
	struct posix_lock req, *l;
	int err;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK)
		return -EINVAL;
	err = flock_to_range(f, fl, &req);
	if (err)
		return err;
	spin_lock(&file_lock_lock);
	l = find_conflict_locked(&req);
	if (l) {
		fl->l_type = l->type;
		fl->l_whence = SEEK_SET;
		fl->l_start = l->start;
		fl->l_len = l->end == LOCK_OFFSET_MAX ? 0 : l->end - l->start + 1;
		fl->l_pid = l->pid;
	} else {
		fl->l_type = F_UNLCK;
	}
	spin_unlock(&file_lock_lock);
	return 0;
}

long fcntl_posix_lock(struct file *f, unsigned int cmd, struct flock __user *ufl)
{
	struct flock fl;
	long err;

	if (f->f_mode & FMODE_PATH)
		return -EBADF;
	if (copy_from_user(&fl, ufl, sizeof(fl)))
		return -EFAULT;
	if (cmd == F_GETLK) {
		err = posix_lock_get(f, &fl);
		if (!err && copy_to_user(ufl, &fl, sizeof(fl)))
			err = -EFAULT;
		return err;
	}
	return posix_lock_set(f, &fl, cmd == F_SETLKW);
}

void locks_remove_posix(struct files_struct *files, struct file *f)
{
	struct posix_lock *l, *tmp;
	bool removed = false;

	if (list_empty(&file_locks))
		return;
	spin_lock(&file_lock_lock);
	list_for_each_entry_safe(l, tmp, &file_locks, node) {
		if (l->owner == files && l->inode == f->f_inode) {
			list_del(&l->node);
			kfree(l);
			removed = true;
		}
	}
	spin_unlock(&file_lock_lock);
	if (removed)
		wake_up_all(&file_lock_wait);
}

struct bsd_lock {
	struct list_head node;		/* [file_lock_lock] on bsd_locks */
	struct inode *inode;		/* [immutable] */
	struct file *owner;		/* [immutable] the open file description */
	int type;			/* [file_lock_lock] LOCK_SH or LOCK_EX */
};

static LIST_HEAD(bsd_locks);

static struct bsd_lock *bsd_find_locked(struct file *f)
{
	struct bsd_lock *l;

	list_for_each_entry(l, &bsd_locks, node)
		if (l->owner == f)
			return l;
	return NULL;
}

static bool bsd_conflict_locked(struct file *f, int type)
{
	struct bsd_lock *l;

	assert_spin_locked(&file_lock_lock);
	list_for_each_entry(l, &bsd_locks, node)
		if (l->inode == f->f_inode && l->owner != f &&
		    (l->type == LOCK_EX || type == LOCK_EX))
			return true;
	return false;
}

static bool bsd_conflict(struct file *f, int type)
{
	bool busy;

	spin_lock(&file_lock_lock);
	busy = bsd_conflict_locked(f, type);
	spin_unlock(&file_lock_lock);
	return busy;
}

/* Drops @f's BSD lock, if any; true if there was one. */
static bool bsd_unlock(struct file *f)
{
	struct bsd_lock *l;

	spin_lock(&file_lock_lock);
	l = bsd_find_locked(f);
	if (l)
		list_del(&l->node);
	spin_unlock(&file_lock_lock);
	if (!l)
		return false;
	kfree(l);
	wake_up_all(&file_lock_wait);
	return true;
}

static int bsd_lock(struct file *f, int type, bool wait)
{
	struct bsd_lock *l, *new;
	int err;

	spin_lock(&file_lock_lock);
	l = bsd_find_locked(f);
	if (l && l->type == type) {
		spin_unlock(&file_lock_lock);
		return 0;
	}
	spin_unlock(&file_lock_lock);
	if (l)
		bsd_unlock(f);
	new = kmalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOLCK;
	new->inode = f->f_inode;
	new->owner = f;
	new->type = type;
	for (;;) {
		spin_lock(&file_lock_lock);
		/* Another thread may have locked this description meanwhile. */
		l = bsd_find_locked(f);
		if (l) {
			list_del(&l->node);
			kfree(l);
		}
		if (!bsd_conflict_locked(f, type)) {
			list_add_tail(&new->node, &bsd_locks);
			spin_unlock(&file_lock_lock);
			if (type == LOCK_SH)
				wake_up_all(&file_lock_wait);
			return 0;
		}
		spin_unlock(&file_lock_lock);
		if (!wait) {
			err = -EWOULDBLOCK;
			break;
		}
		err = wait_event_interruptible(file_lock_wait, !bsd_conflict(f, type));
		if (err)
			break;
	}
	kfree(new);
	return err;
}

void locks_remove_flock(struct file *f)
{
	if (!list_empty(&bsd_locks))
		bsd_unlock(f);
}

SYSCALL_DEFINE2(flock, unsigned int, fd, unsigned int, cmd)
{
	unsigned int op = cmd & ~LOCK_NB;
	struct file *f;
	long err = 0;

	/* Linux removed LOCK_MAND (never enforced) and ignores such requests. */
	if (cmd & LOCK_MAND)
		return 0;
	/* Linux checks the operation before the descriptor. */
	if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		return -EINVAL;
	f = fget(current_files(), fd);
	if (!f)
		return -EBADF;
	if (op == LOCK_UN)
		bsd_unlock(f);
	else if (!(f->f_mode & (FMODE_READ | FMODE_WRITE)))
		err = -EBADF;		/* O_PATH */
	else
		err = bsd_lock(f, op, !(cmd & LOCK_NB));
	fput(f);
	return err;
}
