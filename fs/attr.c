// SPDX-License-Identifier: MIT
/*
 * The calls that change an inode's attributes by name or fd: chmod, chown,
 * truncate. As in open.c, each syscall copies its path in (getname) and
 * calls a do_* body taking a kernel string. A read-only mount refuses all
 * of them (EROFS), checked before permission as Linux does.
 *
 * Locking: a size change holds the inode's i_rwsem exclusive (the file
 * system may sleep in ->setsize); mode, owner and times change under
 * inode->i_lock, a spinlock, in one step.
 */
#include <exo/fsnotify.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/inotify.h>
#include <uapi/stat.h>
#include "internal.h"

static int chmod_path(const struct path *path, umode_t mode)
{
	struct inode *inode = path->dentry->d_inode;
	const struct cred *cred = current_cred();

	if (mnt_readonly(path))
		return -EROFS;
	if (cred->fsuid != 0 && cred->fsuid != inode->i_uid)
		return -EPERM;
	spin_lock(&inode->i_lock);
	mode &= S_IALLUGO;
	/* A non-member may not set the set-group-id bit (Linux clears it). */
	if (cred->fsuid != 0 && cred->fsgid != inode->i_gid)
		mode &= ~S_ISGID;
	inode->i_mode = (inode->i_mode & S_IFMT) | mode;
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
	fsnotify_dentry(path->dentry, IN_ATTRIB);
	return 0;
}

int do_fchmodat(int dfd, const char *name, umode_t mode, unsigned int lookup_flags)
{
	struct path path;
	int err = path_lookupat(dfd, name, lookup_flags, &path);

	if (err)
		return err;
	err = chmod_path(&path, mode);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t, mode)
{
	return WITH_NAME(filename, k, do_fchmodat(dfd, k, mode, LOOKUP_FOLLOW));
}

SYSCALL_DEFINE2(chmod, const char __user *, filename, umode_t, mode)
{
	return WITH_NAME(filename, k, do_fchmodat(AT_FDCWD, k, mode, LOOKUP_FOLLOW));
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	struct file *f = fget(current_files(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->f_mode & FMODE_PATH) ? -EBADF : chmod_path(&f->f_path, mode);
	fput(f);
	return r;
}

static int chown_path(const struct path *path, u32 uid, u32 gid)
{
	struct inode *inode = path->dentry->d_inode;
	const struct cred *cred = current_cred();
	bool root = cred->fsuid == 0;

	if (mnt_readonly(path))
		return -EROFS;
	spin_lock(&inode->i_lock);
	if (uid != (u32)-1 && uid != inode->i_uid && !root)
		goto eperm;
	if (gid != (u32)-1 && gid != inode->i_gid &&
	    !root && (cred->fsuid != inode->i_uid || gid != cred->fsgid))
		goto eperm;
	if (uid != (u32)-1 && !root && cred->fsuid != inode->i_uid)
		goto eperm;
	if (uid != (u32)-1)
		inode->i_uid = uid;
	if (gid != (u32)-1)
		inode->i_gid = gid;
	if (!S_ISDIR(inode->i_mode)) {
		inode->i_mode &= ~S_ISUID;
		if (inode->i_mode & S_IXGRP)
			inode->i_mode &= ~S_ISGID;
	}
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
	fsnotify_dentry(path->dentry, IN_ATTRIB);
	return 0;
eperm:
	spin_unlock(&inode->i_lock);
	return -EPERM;
}

int do_fchownat(int dfd, const char *name, u32 uid, u32 gid, int flags)
{
	struct path path;
	int err;

	err = path_lookup_at_flags(dfd, name, flags,
				   AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &path);
	if (err)
		return err;
	err = chown_path(&path, uid, gid);
	path_put(&path);
	return err;
}

static long user_fchownat(int dfd, const char __user *filename, u32 uid, u32 gid, int flags)
{
	char *k;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	k = getname_flags(filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(k))
		return PTR_ERR(k);
	r = do_fchownat(dfd, k, uid, gid, flags);
	putname(k);
	return r;
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char __user *, filename, u32, user, u32, group,
		int, flag)
{
	return user_fchownat(dfd, filename, user, group, flag);
}

SYSCALL_DEFINE3(chown, const char __user *, filename, u32, user, u32, group)
{
	return user_fchownat(AT_FDCWD, filename, user, group, 0);
}

SYSCALL_DEFINE3(lchown, const char __user *, filename, u32, user, u32, group)
{
	return user_fchownat(AT_FDCWD, filename, user, group, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, u32, user, u32, group)
{
	struct file *f = fget(current_files(), fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->f_mode & FMODE_PATH) ? -EBADF : chown_path(&f->f_path, user, group);
	fput(f);
	return r;
}

/* ---- truncate ------------------------------------------------------------------ */

/* A size change is an attribute change: under i_rwsem, exclusive; it may sleep. */
static int inode_setsize(struct inode *inode, loff_t length)
{
	int err;

	if (!inode->i_op || !inode->i_op->setsize)
		return -EINVAL;
	inode_lock(inode);
	err = inode_newsize_ok(inode, length);
	if (!err)
		err = inode->i_op->setsize(inode, length);
	inode_unlock(inode);
	return err;
}

int vfs_truncate(struct path *path, loff_t length)
{
	struct inode *inode = path->dentry->d_inode;
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (mnt_readonly(path))
		return -EROFS;
	err = inode_permission(current_cred(), inode, MAY_WRITE);
	if (err)
		return err;
	err = get_write_access(inode);
	if (err)
		return err;
	err = inode_setsize(inode, length);
	put_write_access(inode);
	if (!err)
		fsnotify_dentry(path->dentry, IN_MODIFY);
	return err;
}

int do_truncate_path(int dfd, const char *name, loff_t length)
{
	struct path path;
	int err;

	if (length < 0)
		return -EINVAL;
	err = path_lookupat(dfd, name, LOOKUP_FOLLOW, &path);
	if (err)
		return err;
	err = vfs_truncate(&path, length);
	path_put(&path);
	return err;
}

int do_ftruncate(unsigned int fd, loff_t length)
{
	struct file *f;
	int err;

	if (length < 0)
		return -EINVAL;
	f = fget(current_files(), fd);
	if (!f)
		return -EBADF;
	if (f->f_mode & FMODE_PATH)
		err = -EBADF;
	else if (!S_ISREG(f->f_inode->i_mode) || !(f->f_mode & FMODE_WRITE))
		err = -EINVAL;
	else
		err = inode_setsize(f->f_inode, length);
	if (!err)
		fsnotify_dentry(f->f_path.dentry, IN_MODIFY);
	fput(f);
	return err;
}

SYSCALL_DEFINE2(truncate, const char __user *, path, long, length)
{
	return WITH_NAME(path, k, do_truncate_path(AT_FDCWD, k, length));
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, long, length)
{
	return do_ftruncate(fd, length);
}
