// SPDX-License-Identifier: MIT
/*
 * Opening and closing files, access and chdir; the calls that change an
 * inode's attributes are in attr.c (chmod, chown, truncate) and utimes.c.
 * Each syscall copies its path in (getname) and calls a do_* body taking a
 * kernel string, which self-tests and filp_open use directly.
 */
#include <exo/cred.h>
#include <exo/fsnotify.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/inotify.h>
#include <uapi/stat.h>
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

char *getname_buf(struct name_buf *nb, const char __user *name, bool empty_ok)
{
	long len = strncpy_from_user(nb->inline_name, name, NAME_BUF_INLINE);
	char *k;

	if (len < 0)
		return ERR_PTR(len);
	if (len < NAME_BUF_INLINE) {
		if (!len && !empty_ok)
			return ERR_PTR(-ENOENT);
		nb->name = nb->inline_name;
		return nb->name;
	}
	/* Longer than the stack copy: the rest goes after it in a full buffer. */
	k = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	memcpy(k, nb->inline_name, NAME_BUF_INLINE);
	len = strncpy_from_user(k + NAME_BUF_INLINE, name + NAME_BUF_INLINE,
				PATH_MAX - NAME_BUF_INLINE);
	if (len < 0 || len == PATH_MAX - NAME_BUF_INLINE) {
		kfree(k);
		return ERR_PTR(len < 0 ? len : -ENAMETOOLONG);
	}
	nb->name = k;
	return k;
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

struct file *do_filp_open_lookup(int dfd, const char *name, int flags, umode_t mode,
				 unsigned int lookup)
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
		err = path_openat_create(dfd, name, flags, mode, lookup, &path, &created);
	} else {
		unsigned int lf = lookup | ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);

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
	/* The file takes over the lookup's references: fput() drops them from here on. */
	file_set_path(f, &path, fop);
	if (S_ISREG(f->f_inode->i_mode) && (f->f_mode & FMODE_WRITE)) {
		err = get_write_access(f->f_inode);
		if (err)
			goto out_fput;
		f->f_mode |= FMODE_WRITER;
	}
	if (fop && fop->open) {
		err = fop->open(f->f_inode, f);
		if (err)
			goto out_fput;
	}
	if ((flags & O_TRUNC) && !created && S_ISREG(f->f_inode->i_mode) &&
	    (f->f_mode & FMODE_WRITE)) {
		struct inode *inode = f->f_inode;

		err = 0;
		if (inode->i_op && inode->i_op->setsize) {
			inode_lock(inode);
			err = inode->i_op->setsize(inode, 0);
			inode_unlock(inode);
		}
		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
	}
	if (fop)
		fsnotify_dentry(f->f_path.dentry, IN_OPEN);
	return f;
out_fput:
	f->f_op = NULL;		/* release must not run for a failed open */
	fput(f);
	return ERR_PTR(err);
out_free_file:
	file_free_empty(f);
	path_put(&path);
	return ERR_PTR(err);
}

struct file *do_filp_openat(int dfd, const char *name, int flags, umode_t mode)
{
	return do_filp_open_lookup(dfd, name, flags, mode, 0);
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
	return WITH_NAME(filename, k, do_sys_openat(dfd, k, flags, mode));
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags, umode_t, mode)
{
	return user_openat(dfd, filename, flags, mode);
}

/* openat2's struct open_how (linux/openat2.h); later versions only grow it. */
struct open_how {
	u64 flags;
	u64 mode;
	u64 resolve;
};

#define OPEN_HOW_SIZE_VER0	24
#define RESOLVE_NO_XDEV		0x01
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_NO_SYMLINKS	0x04
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10
#define RESOLVE_CACHED		0x20
#define VALID_RESOLVE_FLAGS \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
	 RESOLVE_IN_ROOT | RESOLVE_CACHED)
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/*
 * Copies a struct that user space may know in a larger version: the bytes
 * past what the kernel knows must be zero (E2BIG), as Linux's
 * copy_struct_from_user; a shorter one is zero-extended.
 */
static int copy_struct_from_user(void *dst, size_t ksize, const void __user *src, size_t usize)
{
	size_t n = usize < ksize ? usize : ksize;

	memset(dst, 0, ksize);
	for (size_t off = ksize; off < usize; off++) {
		unsigned char c;

		if (copy_from_user(&c, (const char __user *)src + off, 1))
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	return copy_from_user(dst, src, n) ? -EFAULT : 0;
}

/* Linux's build_open_flags for openat2: unlike open(), unknown bits are errors. */
static int open_how_check(const struct open_how *how, unsigned int *lookup)
{
	u64 flags = how->flags;

	if (flags & ~(u64)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(u64)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((flags & (O_CREAT | __O_TMPFILE)) ? how->mode & ~(u64)07777 : how->mode)
		return -EINVAL;
	if ((flags & O_PATH) && (flags & ~(u64)O_PATH_FLAGS))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) && (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	*lookup = ((how->resolve & RESOLVE_NO_XDEV) ? LOOKUP_NO_XDEV : 0) |
		  ((how->resolve & RESOLVE_NO_MAGICLINKS) ? LOOKUP_NO_MAGICLINKS : 0) |
		  ((how->resolve & RESOLVE_NO_SYMLINKS) ? LOOKUP_NO_SYMLINKS : 0) |
		  ((how->resolve & RESOLVE_BENEATH) ? LOOKUP_BENEATH : 0) |
		  ((how->resolve & RESOLVE_IN_ROOT) ? LOOKUP_IN_ROOT : 0);
	return 0;
}

/*
 * openat2: openat with the flags checked strictly and the walk restricted by
 * RESOLVE_*. RESOLVE_CACHED is taken as a hint: the walk may still call a
 * file system's lookup where Linux would return EAGAIN.
 */
SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename, struct open_how __user *, uhow,
		size_t, usize)
{
	struct open_how how;
	unsigned int lookup;
	struct file *f;
	char *k;
	int err, fd;

	if (usize < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	err = copy_struct_from_user(&how, sizeof(how), uhow, usize);
	if (err)
		return err;
	err = open_how_check(&how, &lookup);
	if (err)
		return err;
	k = getname(filename);
	if (IS_ERR(k))
		return PTR_ERR(k);
	f = do_filp_open_lookup(dfd, k, (int)how.flags | O_LARGEFILE, (umode_t)how.mode, lookup);
	putname(k);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = fd_install_new(current_files(), f, (unsigned int)how.flags);
	if (fd < 0)
		fput(f);
	return fd;
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
	err = path_lookup_at_flags(dfd, name, flags,
				   AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH, &path);
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

/*
 * chroot(2): later absolute lookups, absolute symlinks and ".." stop at @name
 * (namei starts from and stops at fs->root). The working directory is left
 * where it is, as Linux leaves it: a process that chroots without chdir("/")
 * can still reach the old tree through it. The permission check comes
 * before the privilege check, so an unprivileged caller learns EACCES or
 * ENOTDIR before EPERM, as on Linux (CAP_SYS_CHROOT is euid 0 here).
 */
static int do_chroot(const char *name)
{
	struct path path;
	int err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);

	if (err)
		return err;
	err = inode_permission(current_cred(), path.dentry->d_inode, MAY_EXEC);
	if (!err && !capable_root())
		err = -EPERM;
	if (err) {
		path_put(&path);
		return err;
	}
	set_fs_root(current_fs_struct(), &path);
	return 0;
}

SYSCALL_DEFINE1(chroot, const char __user *, filename)
{
	return WITH_NAME(filename, k, do_chroot(k));
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	return WITH_NAME(filename, k, do_chdir(k));
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	return do_fchdir(fd);
}
