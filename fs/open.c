// SPDX-License-Identifier: MIT
/*
 * Opening and closing files, and the calls that change an inode's
 * attributes by name or fd: access, chdir, chmod, chown, truncate,
 * utimensat. Each syscall copies its path in (getname) and calls a do_*
 * body taking a kernel string, which self-tests and filp_open use directly.
 */
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uapi/time.h>
#include "internal.h"

#define VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | \
			  O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | \
			  O_NOFOLLOW | O_NOATIME | O_CLOEXEC | __O_SYNC | O_PATH | __O_TMPFILE)

char *getname_flags(const char __user *name, bool empty_ok)
{
	char *k = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!k)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(k, name, PATH_MAX);
	if (len < 0) {
		kfree(k);
		return ERR_PTR(len);
	}
	if (len == PATH_MAX) {
		kfree(k);
		return ERR_PTR(-ENAMETOOLONG);
	}
	if (!len && !empty_ok) {
		kfree(k);
		return ERR_PTR(-ENOENT);
	}
	return k;
}

char *getname(const char __user *name)
{
	return getname_flags(name, false);
}

void putname(char *name)
{
	kfree(name);
}

static bool mnt_readonly(const struct path *p)
{
	return p->mnt && (READ_ONCE(p->mnt->mnt_flags) & MNT_READONLY);
}

/* Permission and type checks of an existing file being opened. */
static int may_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	int acc = flags & O_ACCMODE, mask = 0;

	if (flags & O_PATH)
		return 0;
	if (acc == O_RDONLY || acc == O_RDWR || acc == O_ACCMODE)
		mask |= MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || acc == O_ACCMODE || (flags & O_TRUNC))
		mask |= MAY_WRITE;
	switch (inode->i_mode & S_IFMT) {
	case S_IFLNK:
		return -ELOOP;
	case S_IFDIR:
		if (mask & MAY_WRITE)
			return -EISDIR;
		break;
	case S_IFCHR:
	case S_IFBLK:
		if (path->mnt && (path->mnt->mnt_flags & MNT_NODEV))
			return -EACCES;
		flags &= ~O_TRUNC;
		break;
	case S_IFIFO:
	case S_IFSOCK:
		flags &= ~O_TRUNC;
		break;
	}
	if ((mask & MAY_WRITE) && mnt_readonly(path) && S_ISREG(inode->i_mode))
		return -EROFS;
	if ((mask & MAY_WRITE) && mnt_readonly(path) && S_ISDIR(inode->i_mode))
		return -EROFS;
	return inode_permission(current_cred(), inode, mask);
}

/* Finds or creates the file of open(O_CREAT); *@created says which. */
static int open_or_create(int dfd, const char *name, int flags, umode_t mode, struct path *out,
			  bool *created)
{
	struct path parent;
	struct last_component last;
	struct dentry *d;
	int err;

	err = path_parentat(dfd, name, &parent, &last);
	if (err)
		return err;
	if (last.type != LAST_NORM || last.trailing_slash) {
		path_put(&parent);
		return -EISDIR;
	}
	spin_lock(&dir_lock);
	d = lookup_one_locked(parent.dentry, last.name, last.len);
	if (IS_ERR(d)) {
		spin_unlock(&dir_lock);
		path_put(&parent);
		return PTR_ERR(d);
	}
	if (!d->d_inode) {
		err = open_create_locked(&parent, d, mode);
		spin_unlock(&dir_lock);
		if (!err) {
			*created = true;
			out->mnt = mntget(parent.mnt);
			out->dentry = d;
			path_put(&parent);
			return 0;
		}
		dput(d);
		path_put(&parent);
		return err;
	}
	spin_unlock(&dir_lock);
	if (flags & O_EXCL) {
		dput(d);
		path_put(&parent);
		return -EEXIST;
	}
	out->mnt = mntget(parent.mnt);
	out->dentry = d;
	follow_mounts(out);
	path_put(&parent);
	if (S_ISLNK(out->dentry->d_inode->i_mode)) {
		/* An existing symlink: open what it points to (O_NOFOLLOW refuses). */
		path_put(out);
		if (flags & O_NOFOLLOW)
			return -ELOOP;
		return path_lookupat(dfd, name, LOOKUP_FOLLOW, out);
	}
	return 0;
}

struct file *do_filp_openat(int dfd, const char *name, int flags, umode_t mode)
{
	const struct file_operations *fop;
	struct path path;
	struct file *f;
	bool created = false;
	int err;

	if (flags & ~VALID_OPEN_FLAGS)
		flags &= VALID_OPEN_FLAGS;	/* Linux's open() ignores unknown flags */
	if ((flags & O_CREAT) && (flags & O_DIRECTORY) && !(flags & __O_TMPFILE))
		return ERR_PTR(-EINVAL);
	if (flags & __O_TMPFILE) {
		if ((flags & O_TMPFILE) != O_TMPFILE || !(flags & (O_WRONLY | O_RDWR)))
			return ERR_PTR(-EINVAL);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (flags & O_PATH)
		flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;

	/* Before anything is created: out of memory, O_CREAT must leave no file behind. */
	f = alloc_empty_file((unsigned int)flags);
	if (IS_ERR(f))
		return f;
	if (flags & O_CREAT) {
		err = open_or_create(dfd, name, flags, mode, &path, &created);
	} else {
		unsigned int lf = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;

		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		err = path_lookupat(dfd, name, lf, &path);
		if (!err && (flags & O_NOFOLLOW) && (flags & O_PATH) &&
		    S_ISLNK(path.dentry->d_inode->i_mode))
			goto open_it;	/* O_PATH|O_NOFOLLOW opens the link itself */
	}
	if (err) {
		file_free_empty(f);
		return ERR_PTR(err);
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(path.dentry->d_inode->i_mode)) {
		err = -ENOTDIR;
		goto out_free_file;
	}
	if (!created) {
		err = may_open(&path, flags);
		if (err)
			goto out_free_file;
	}
open_it:
	fop = (flags & O_PATH) ? NULL : path.dentry->d_inode->i_fop;
	file_set_path(f, &path, fop);
	if (S_ISREG(f->f_inode->i_mode) && (f->f_mode & FMODE_WRITE)) {
		err = get_write_access(f->f_inode);
		if (err) {
			f->f_op = NULL;
			fput(f);
			goto out;
		}
		f->f_mode |= FMODE_WRITER;
	}
	if (fop && fop->open) {
		err = fop->open(f->f_inode, f);
		if (err) {
			f->f_op = NULL;		/* release must not run for a failed open */
			fput(f);
			goto out;
		}
	}
	if ((flags & O_TRUNC) && !created && S_ISREG(f->f_inode->i_mode) &&
	    (f->f_mode & FMODE_WRITE)) {
		struct inode *inode = f->f_inode;

		err = inode->i_op && inode->i_op->setsize ? inode->i_op->setsize(inode, 0) : 0;
		if (err) {
			fput(f);
			goto out;
		}
	}
	path_put(&path);
	return f;
out_free_file:
	file_free_empty(f);
out:
	path_put(&path);
	return ERR_PTR(err);
}

struct file *filp_open(const char *path, int flags, umode_t mode)
{
	return do_filp_openat(AT_FDCWD, path, flags, mode);
}

int do_sys_openat(int dfd, const char *name, int flags, umode_t mode)
{
	struct file *f = do_filp_openat(dfd, name, flags, mode);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install_new(current_files(), f, (unsigned int)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

static long user_openat(int dfd, const char __user *filename, int flags, umode_t mode)
{
	char *k = getname(filename);
	long r;

	if (IS_ERR(k))
		return PTR_ERR(k);
	r = do_sys_openat(dfd, k, flags, mode);
	putname(k);
	return r;
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	return user_openat(dfd, filename, flags, mode);
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return user_openat(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, pathname, umode_t, mode)
{
	return user_openat(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(current_files(), fd);
}

/* ---- access ---------------------------------------------------------------- */

int do_faccessat(int dfd, const char *name, int mode, int flags)
{
	struct path path;
	struct inode *inode;
	int err, mask = 0;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	err = path_lookupat(dfd, name,
			    at_lookup_flags(flags), &path);
	if (err)
		return err;
	inode = path.dentry->d_inode;
	if (mode & R_OK)
		mask |= MAY_READ;
	if (mode & W_OK)
		mask |= MAY_WRITE;
	if (mode & X_OK)
		mask |= MAY_EXEC;
	if (!(flags & AT_EACCESS))
		mask |= MAY_ACCESS;
	if (mode)
		err = inode_permission(current_cred(), inode, mask);
	if (!err && (mode & W_OK) && mnt_readonly(&path) &&
	    (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) || S_ISLNK(inode->i_mode)))
		err = -EROFS;
	path_put(&path);
	return err;
}

static long user_faccessat(int dfd, const char __user *filename, int mode, int flags)
{
	char *k;
	long r;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	k = getname_flags(filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(k))
		return PTR_ERR(k);
	r = do_faccessat(dfd, k, mode, flags);
	putname(k);
	return r;
}

SYSCALL_DEFINE2(access, const char __user *, filename, int, mode)
{
	return user_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return user_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode, int, flags)
{
	return user_faccessat(dfd, filename, mode, flags);
}

/* ---- chdir ------------------------------------------------------------------- */

int do_chdir(const char *name)
{
	struct path path;
	int err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);

	if (err)
		return err;
	err = inode_permission(current_cred(), path.dentry->d_inode, MAY_EXEC);
	if (err) {
		path_put(&path);
		return err;
	}
	set_fs_pwd(current_fs_struct(), &path);
	return 0;
}

int do_fchdir(unsigned int fd)
{
	struct file *f = fget(current_files(), fd);
	int err;

	if (!f)
		return -EBADF;
	err = -ENOTDIR;
	if (!S_ISDIR(f->f_inode->i_mode))
		goto out;
	err = inode_permission(current_cred(), f->f_inode, MAY_EXEC);
	if (err)
		goto out;
	path_get(&f->f_path);
	set_fs_pwd(current_fs_struct(), &f->f_path);
out:
	fput(f);
	return err;
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	return WITH_NAME(filename, k, do_chdir(k));
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	return do_fchdir(fd);
}

/* ---- chmod, chown ------------------------------------------------------------ */

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
	return 0;
eperm:
	spin_unlock(&inode->i_lock);
	return -EPERM;
}

int do_fchownat(int dfd, const char *name, u32 uid, u32 gid, int flags)
{
	struct path path;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = path_lookupat(dfd, name,
			    at_lookup_flags(flags), &path);
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

static int inode_setsize(struct inode *inode, loff_t length)
{
	int err;

	if (!inode->i_op || !inode->i_op->setsize)
		return -EINVAL;
	err = inode_newsize_ok(inode, length);
	return err ? err : inode->i_op->setsize(inode, length);
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

/* ---- utimensat ------------------------------------------------------------------- */

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_OMIT || nsec == UTIME_NOW || (nsec >= 0 && nsec <= 999999999);
}

static int utimes_path(const struct path *path, const struct timespec64 *times)
{
	struct inode *inode = path->dentry->d_inode;
	const struct cred *cred = current_cred();
	struct timespec64 now = current_time();
	bool owner = cred->fsuid == 0 || cred->fsuid == inode->i_uid;

	if (mnt_readonly(path))
		return -EROFS;
	if (times && (times[0].tv_nsec != UTIME_NOW || times[1].tv_nsec != UTIME_NOW)) {
		/* Setting explicit times needs ownership. */
		if (!owner)
			return -EPERM;
	} else if (!owner && inode_permission(cred, inode, MAY_WRITE)) {
		return -EACCES;
	}
	spin_lock(&inode->i_lock);
	if (!times || times[0].tv_nsec == UTIME_NOW)
		inode->i_atime = now;
	else if (times[0].tv_nsec != UTIME_OMIT)
		inode->i_atime = times[0];
	if (!times || times[1].tv_nsec == UTIME_NOW)
		inode->i_mtime = now;
	else if (times[1].tv_nsec != UTIME_OMIT)
		inode->i_mtime = times[1];
	inode->i_ctime = now;
	spin_unlock(&inode->i_lock);
	return 0;
}

int do_utimensat(int dfd, const char *name, const struct timespec64 *times, int flags)
{
	struct path path;
	int err;

	if (times && (!nsec_valid(times[0].tv_nsec) || !nsec_valid(times[1].tv_nsec)))
		return -EINVAL;
	if (!name) {
		struct file *f;

		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		f = fget(current_files(), (unsigned int)dfd);
		if (!f || dfd < 0) {
			if (f)
				fput(f);
			return -EBADF;
		}
		err = utimes_path(&f->f_path, times);
		fput(f);
		return err;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = path_lookupat(dfd, name,
			    at_lookup_flags(flags), &path);
	if (err)
		return err;
	err = utimes_path(&path, times);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename,
		const struct timespec __user *, utimes, int, flags)
{
	struct timespec ut[2];
	struct timespec64 t[2];
	char *k = NULL;
	long r;

	if (utimes) {
		if (copy_from_user(ut, utimes, sizeof(ut)))
			return -EFAULT;
		if (ut[0].tv_nsec == UTIME_OMIT && ut[1].tv_nsec == UTIME_OMIT)
			return 0;
		for (int i = 0; i < 2; i++)
			t[i] = (struct timespec64){ .tv_sec = ut[i].tv_sec, .tv_nsec = ut[i].tv_nsec };
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (filename) {
		k = getname_flags(filename, flags & AT_EMPTY_PATH);
		if (IS_ERR(k))
			return PTR_ERR(k);
	} else if (dfd == AT_FDCWD) {
		return -EFAULT;
	}
	r = do_utimensat(dfd, k, utimes ? t : NULL, flags);
	if (k)
		putname(k);
	return r;
}
