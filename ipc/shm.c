// SPDX-License-Identifier: MIT
/*
 * System V shared memory: shmget, shmat, shmdt, shmctl.
 *
 * A segment's pages are an unlinked tmpfs file (shmem_file_setup(), the
 * backing of MAP_SHARED | MAP_ANONYMOUS too). Each shmat() maps a new
 * "attach" file on the same inode, opened read-only for SHM_RDONLY (so
 * mprotect cannot add write), whose private data links it to the segment.
 * The VMAs hold references to the attach files, so fork, exec, exit and
 * munmap attach and detach with no hook: shm_nattch is the sum of the
 * attach files' reference counts (every reference is a mapping, as Linux
 * counts VMAs), and the last reference's release (under mm->lock) ends
 * the attachment.
 *
 * Lifetime: the table holds a reference to the segment and each attach
 * file one more. IPC_RMID with attachments left marks it SHM_DEST and
 * makes its key IPC_PRIVATE; it stays in the table (shmat and shmctl by id
 * still work, as in Linux) until the last attach file goes, which takes it
 * out. The pages go with the last reference.
 *
 * Locking: shm_ids.lock guards every segment field marked [lock] and the
 * attach lists; the release of an attach file takes it under mm->lock.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/ipc.h>
#include <exo/list.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/seq_file.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/linux/shm.h>
#include <uapi/mman.h>
#include "util.h"

struct shm_segment {
	struct kern_ipc_perm perm;
	struct file *file;		/* [immutable] the pages */
	unsigned long segsz;		/* [immutable] bytes asked for */
	long atime, dtime, ctime;	/* [lock] */
	int cpid, lpid;			/* [lock] */
	struct list_head attaches;	/* [lock] struct shm_attach */
};

struct shm_attach {
	struct list_head node;		/* [lock] in segment->attaches */
	struct shm_segment *shp;	/* [immutable] holds a segment reference */
	struct file *file;		/* [immutable] the mapped file */
};

unsigned long shm_ctlmax = SHMMAX;	/* [racy] sysctl kernel.shmmax */
unsigned long shm_ctlall = SHMALL;	/* [racy] sysctl kernel.shmall, pages */
int shm_ctlmni = SHMMNI;		/* [racy] sysctl kernel.shmmni */
static unsigned long shm_tot;		/* [shm_ids.lock] pages of all segments */

static struct ipc_ids shm_ids = IPC_IDS_INIT(shm_ids, &shm_ctlmni);

static unsigned long shm_pages(const struct shm_segment *shp)
{
	return ALIGN(shp->segsz, PAGE_SIZE) >> PAGE_SHIFT;
}

static struct kern_ipc_perm *shm_alloc(const struct ipc_params *p)
{
	struct shm_segment *shp;
	struct file *file;

	if (p->size < SHMMIN || p->size > READ_ONCE(shm_ctlmax) ||
	    ALIGN(p->size, PAGE_SIZE) < p->size)
		return ERR_PTR(-EINVAL);
	shp = kzalloc(sizeof(*shp), GFP_KERNEL);
	if (!shp)
		return ERR_PTR(-ENOMEM);
	file = shmem_file_setup((loff_t)p->size);
	if (IS_ERR(file)) {
		kfree(shp);
		return ERR_CAST(file);
	}
	shp->file = file;
	shp->segsz = p->size;
	shp->ctime = ipc_now();
	shp->cpid = current->tgid;
	INIT_LIST_HEAD(&shp->attaches);
	return &shp->perm;
}

static void shm_free(struct kern_ipc_perm *perm)
{
	struct shm_segment *shp = container_of(perm, struct shm_segment, perm);

	fput(shp->file);
	kfree(shp);
}

static int shm_may_add(struct kern_ipc_perm *perm)
{
	unsigned long pages = shm_pages(container_of(perm, struct shm_segment, perm));

	if (shm_tot + pages < shm_tot || shm_tot + pages > READ_ONCE(shm_ctlall))
		return -ENOSPC;
	shm_tot += pages;
	return 0;
}

static int shm_more_checks(struct kern_ipc_perm *perm, const struct ipc_params *p)
{
	return container_of(perm, struct shm_segment, perm)->segsz < p->size ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = {
	.alloc = shm_alloc,
	.may_add = shm_may_add,
	.more_checks = shm_more_checks,
	.free = shm_free,
};

/* Removes @shp from the table (uncounting its pages); true when the caller must free it. */
static bool shm_destroy_locked(struct shm_segment *shp)
{
	shm_tot -= shm_pages(shp);
	return ipc_rmid_locked(&shm_ids, &shp->perm);
}

static unsigned long shm_nattch_locked(struct shm_segment *shp)
{
	struct shm_attach *att;
	unsigned long n = 0;

	list_for_each_entry(att, &shp->attaches, node)
		n += (unsigned long)__atomic_load_n(&att->file->f_count, __ATOMIC_RELAXED);
	return n;
}

/* The last mapping of one shmat() went: runs under mm->lock, so nothing here sleeps. */
static int shm_release(struct inode *inode, struct file *file)
{
	struct shm_attach *att = file->private_data;
	struct shm_segment *shp = att->shp;
	bool free;

	spin_lock(&shm_ids.lock);
	list_del(&att->node);
	shp->dtime = ipc_now();
	shp->lpid = current->tgid;
	if ((shp->perm.mode & SHM_DEST) && list_empty(&shp->attaches) && !shp->perm.deleted)
		shm_destroy_locked(shp);
	free = ipc_put_locked(&shp->perm);
	spin_unlock(&shm_ids.lock);
	kfree(att);
	if (free)
		shm_free(&shp->perm);
	return 0;
}

static int shm_mmap(struct file *file, struct vm_area *vma)
{
	struct shm_attach *att = file->private_data;

	return att->shp->file->f_op->mmap(file, vma);
}

static const struct file_operations shm_file_fops = {
	.mmap = shm_mmap,
	.release = shm_release,
};

static unsigned long shm_attached_len(struct file *file)
{
	struct shm_attach *att = file->private_data;

	if (file->f_op != &shm_file_fops)
		return 0;
	spin_lock(&shm_ids.lock);
	att->shp->dtime = ipc_now();
	att->shp->lpid = current->tgid;
	spin_unlock(&shm_ids.lock);
	return att->shp->segsz;
}

SYSCALL_DEFINE3(shmget, int, key, size_t, size, int, shmflg)
{
	struct ipc_params p = { .key = key, .flg = shmflg, .size = size };

	return ipc_get(&shm_ids, &shm_ops, &p);
}

/* A new attach file of @shp, which the caller has pinned (the attach takes that reference). */
static struct file *shm_attach_file(struct shm_segment *shp, bool rdonly)
{
	struct inode *inode = shp->file->f_inode;
	struct shm_attach *att;
	char name[16];
	struct file *file;

	att = kzalloc(sizeof(*att), GFP_KERNEL);
	if (!att)
		return ERR_PTR(-ENOMEM);
	/* Linux's name in /proc/PID/maps. */
	snprintf(name, sizeof(name), "SYSV%08x", (unsigned int)shp->perm.key);
	file = alloc_file_pseudo_named(igrab(inode), name, rdonly ? O_RDONLY : O_RDWR,
				       &shm_file_fops);
	if (IS_ERR(file)) {
		iput(inode);
		kfree(att);
		return file;
	}
	att->shp = shp;
	att->file = file;
	file->private_data = att;
	spin_lock(&shm_ids.lock);
	list_add(&att->node, &shp->attaches);
	spin_unlock(&shm_ids.lock);
	return file;
}

static long do_shmat(int shmid, unsigned long addr, int shmflg)
{
	unsigned long flags = MAP_SHARED, prot, ret;
	struct shm_segment *shp;
	struct kern_ipc_perm *perm;
	struct file *file;
	int acc, err;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (!IS_ALIGNED(addr, PAGE_SIZE)) {
			/* SHMLBA is PAGE_SIZE on x86_64. */
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			addr = ALIGN_DOWN(addr, PAGE_SIZE);
			if (!addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		flags |= (shmflg & SHM_REMAP) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}
	if (shmflg & SHM_RDONLY) {
		prot = PROT_READ;
		acc = 0444;
	} else {
		prot = PROT_READ | PROT_WRITE;
		acc = 0666;
	}
	if (shmflg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= 0111;
	}

	spin_lock(&shm_ids.lock);
	perm = ipc_find_id(&shm_ids, shmid);
	if (!perm) {
		spin_unlock(&shm_ids.lock);
		return -EINVAL;
	}
	err = ipc_perms(perm, acc);
	if (err) {
		spin_unlock(&shm_ids.lock);
		return err;
	}
	shp = container_of(perm, struct shm_segment, perm);
	perm->refs++;
	shp->atime = ipc_now();
	shp->lpid = current->tgid;
	spin_unlock(&shm_ids.lock);

	file = shm_attach_file(shp, shmflg & SHM_RDONLY);
	if (IS_ERR(file)) {
		bool free;

		spin_lock(&shm_ids.lock);
		free = ipc_put_locked(perm);
		spin_unlock(&shm_ids.lock);
		if (free)
			shm_free(perm);
		return PTR_ERR(file);
	}
	ret = vm_mmap(current->mm, addr, shp->segsz, prot, flags, file, 0);
	/* The mapping holds its own reference; a failed one leaves ours the last. */
	fput(file);
	if (IS_ERR_VALUE(ret))
		return (long)ret == -EEXIST ? -EINVAL : (long)ret;
	return (long)ret;
}

SYSCALL_DEFINE3(shmat, int, shmid, char __user *, shmaddr, int, shmflg)
{
	return do_shmat(shmid, (unsigned long)shmaddr, shmflg);
}

SYSCALL_DEFINE1(shmdt, char __user *, shmaddr)
{
	return vm_munmap_attached(current->mm, (unsigned long)shmaddr, shm_attached_len);
}

static void shm_fill_ds(struct shm_segment *shp, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&shp->perm, &ds->shm_perm);
	ds->shm_segsz = shp->segsz;
	ds->shm_atime = shp->atime;
	ds->shm_dtime = shp->dtime;
	ds->shm_ctime = shp->ctime;
	ds->shm_cpid = shp->cpid;
	ds->shm_lpid = shp->lpid;
	ds->shm_nattch = shm_nattch_locked(shp);
}

static long shm_info(int cmd, void __user *buf)
{
	union {
		struct shminfo64 info;
		struct shm_info shm;
	} u;
	struct kern_ipc_perm *perm;
	int max_idx, i;

	memset(&u, 0, sizeof(u));
	spin_lock(&shm_ids.lock);
	if (cmd == IPC_INFO) {
		u.info.shmmax = READ_ONCE(shm_ctlmax);
		u.info.shmmin = SHMMIN;
		u.info.shmmni = (unsigned long)READ_ONCE(shm_ctlmni);
		u.info.shmseg = SHMSEG;
		u.info.shmall = READ_ONCE(shm_ctlall);
	} else {
		u.shm.used_ids = shm_ids.in_use;
		u.shm.shm_tot = shm_tot;
		for (i = 0; i < shm_ids.size; i++) {
			perm = shm_ids.entries[i];
			if (perm)
				u.shm.shm_rss += READ_ONCE(container_of(perm, struct shm_segment, perm)
								   ->file->f_inode->i_data.nrpages);
		}
	}
	max_idx = ipc_max_idx_locked(&shm_ids);
	spin_unlock(&shm_ids.lock);
	if (copy_to_user(buf, &u, cmd == IPC_INFO ? sizeof(u.info) : sizeof(u.shm)))
		return -EFAULT;
	return max_idx;
}

static long shm_stat(int id, int cmd, struct shmid64_ds __user *buf)
{
	struct shmid64_ds ds;
	struct kern_ipc_perm *perm;
	long ret;
	int err;

	spin_lock(&shm_ids.lock);
	perm = cmd == IPC_STAT ? ipc_find_id(&shm_ids, id) : ipc_find_idx(&shm_ids, id);
	if (!perm) {
		spin_unlock(&shm_ids.lock);
		return -EINVAL;
	}
	err = cmd == SHM_STAT_ANY ? 0 : ipc_perms(perm, 0444);
	if (err) {
		spin_unlock(&shm_ids.lock);
		return err;
	}
	shm_fill_ds(container_of(perm, struct shm_segment, perm), &ds);
	ret = cmd == IPC_STAT ? 0 : perm->id;
	spin_unlock(&shm_ids.lock);
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return ret;
}

/* IPC_SET, IPC_RMID, SHM_LOCK, SHM_UNLOCK: the owner's commands. */
static long shm_owner_cmd(int id, int cmd, struct shmid64_ds __user *buf)
{
	struct kern_ipc_perm *perm;
	struct shm_segment *shp;
	struct shmid64_ds ds;
	bool free = false;
	int err;

	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	spin_lock(&shm_ids.lock);
	perm = ipc_find_id(&shm_ids, id);
	if (!perm) {
		spin_unlock(&shm_ids.lock);
		return -EINVAL;
	}
	err = ipc_check_owner(perm);
	if (err)
		goto out_unlock;
	shp = container_of(perm, struct shm_segment, perm);
	switch (cmd) {
	case IPC_SET:
		ipc_update_perm(perm, &ds.shm_perm);
		shp->ctime = ipc_now();
		break;
	case IPC_RMID:
		if (list_empty(&shp->attaches)) {
			free = shm_destroy_locked(shp);
		} else {
			perm->mode |= SHM_DEST;
			perm->key = IPC_PRIVATE;
		}
		break;
	case SHM_LOCK:
		perm->mode |= SHM_LOCKED;	/* pages are never swapped: nothing else to do */
		break;
	case SHM_UNLOCK:
		perm->mode &= ~SHM_LOCKED;
		break;
	}
out_unlock:
	spin_unlock(&shm_ids.lock);
	if (free)
		shm_free(perm);
	return err;
}

SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, struct shmid64_ds __user *, buf)
{
	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat(shmid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_owner_cmd(shmid, cmd, buf);
	default:
		return -EINVAL;
	}
}

int sysvipc_shm_show(struct seq_file *m)
{
	struct shm_segment *shp;
	int i;

	seq_puts(m, "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
	spin_lock(&shm_ids.lock);
	for (i = 0; i < shm_ids.size; i++) {
		if (!shm_ids.entries[i])
			continue;
		shp = container_of(shm_ids.entries[i], struct shm_segment, perm);
		seq_printf(m, "%10d %10d  %4o %21lu %5d %5d  %5lu %5u %5u %5u %5u %10ld %10ld %10ld %21lu %21lu\n",
			   shp->perm.key, shp->perm.id, shp->perm.mode, shp->segsz, shp->cpid,
			   shp->lpid, shm_nattch_locked(shp), shp->perm.uid, shp->perm.gid,
			   shp->perm.cuid, shp->perm.cgid, shp->atime, shp->dtime, shp->ctime,
			   READ_ONCE(shp->file->f_inode->i_data.nrpages) * PAGE_SIZE, 0UL);
	}
	spin_unlock(&shm_ids.lock);
	return 0;
}
