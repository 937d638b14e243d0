// SPDX-License-Identifier: MIT
/*
 * utimensat, utimes, futimesat and utime: setting a
 * file's access and modification times, UTIME_NOW and UTIME_OMIT, with
 * Linux's permission rule (owner for explicit times, write access for
 * "now").
 */
#include <exo/fsnotify.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/inotify.h>
#include <uapi/time.h>
#include "internal.h"

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
	fsnotify_dentry(path->dentry, IN_ATTRIB);
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
	err = path_lookup_at_flags(dfd, name, flags,
				   AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &path);
	if (err)
		return err;
	err = utimes_path(&path, times);
	path_put(&path);
	return err;
}

/* The user-path half shared by utimensat and the older calls: @t NULL means now. */
static long user_utimes(int dfd, const char __user *filename, const struct timespec64 *t,
			int flags)
{
	char *k = NULL;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (filename) {
		k = getname_flags(filename, flags & AT_EMPTY_PATH);
		if (IS_ERR(k))
			return PTR_ERR(k);
	} else if (dfd == AT_FDCWD) {
		return -EFAULT;
	}
	r = do_utimensat(dfd, k, t, flags);
	if (k)
		putname(k);
	return r;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char __user *, filename,
		const struct timespec __user *, utimes, int, flags)
{
	struct timespec ut[2];
	struct timespec64 t[2];

	if (utimes) {
		if (copy_from_user(ut, utimes, sizeof(ut)))
			return -EFAULT;
		if (ut[0].tv_nsec == UTIME_OMIT && ut[1].tv_nsec == UTIME_OMIT)
			return 0;
		for (int i = 0; i < 2; i++)
			t[i] = (struct timespec64){ .tv_sec = ut[i].tv_sec, .tv_nsec = ut[i].tv_nsec };
	}
	return user_utimes(dfd, filename, utimes ? t : NULL, flags);
}

/* futimesat and utimes: microseconds, which must be below a second (EINVAL). */
static long user_futimesat(int dfd, const char __user *filename,
			   const struct timeval __user *utimes)
{
	struct timeval tv[2];
	struct timespec64 t[2];

	if (utimes) {
		if (copy_from_user(tv, utimes, sizeof(tv)))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i] = (struct timespec64){ .tv_sec = tv[i].tv_sec,
						    .tv_nsec = tv[i].tv_usec * 1000 };
		}
	}
	return user_utimes(dfd, filename, utimes ? t : NULL, 0);
}

SYSCALL_DEFINE3(futimesat, int, dfd, const char __user *, filename,
		const struct timeval __user *, utimes)
{
	return user_futimesat(dfd, filename, utimes);
}

SYSCALL_DEFINE2(utimes, const char __user *, filename, const struct timeval __user *, utimes)
{
	return user_futimesat(AT_FDCWD, filename, utimes);
}

/* struct utimbuf: whole seconds. */
struct utimbuf {
	long actime;
	long modtime;
};

SYSCALL_DEFINE2(utime, const char __user *, filename, const struct utimbuf __user *, times)
{
	struct utimbuf ub;
	struct timespec64 t[2];

	if (times) {
		if (copy_from_user(&ub, times, sizeof(ub)))
			return -EFAULT;
		t[0] = (struct timespec64){ .tv_sec = ub.actime };
		t[1] = (struct timespec64){ .tv_sec = ub.modtime };
	}
	return user_utimes(AT_FDCWD, filename, times ? t : NULL, 0);
}
