// SPDX-License-Identifier: MIT
/*
 * Extended attributes: getxattr, lgetxattr, fgetxattr, listxattr,
 * llistxattr, flistxattr (and the set/remove calls, which no file system
 * here supports: EROFS on a read-only mount, else EOPNOTSUPP).
 *
 * A file system offers attributes through super_operations->getxattr and
 * ->listxattr; without them every call is EOPNOTSUPP, as Linux answers for
 * a file system without xattr support. Linux's rules before the file
 * system is asked: a name of 0 or more than 255 bytes is ERANGE; user.*
 * exists only on regular files and directories (others: ENODATA) and needs
 * read permission; trusted.* needs privilege (EPERM); values and lists
 * beyond 64 KiB are cut to it (XATTR_SIZE_MAX, XATTR_LIST_MAX).
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <exo/vmalloc.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "internal.h"

#define XATTR_NAME_MAX	255
#define XATTR_SIZE_MAX	65536
#define XATTR_LIST_MAX	65536
#define XATTR_CREATE	0x1
#define XATTR_REPLACE	0x2

static int xattr_permission(struct inode *inode, const char *name)
{
	if (!strncmp(name, "trusted.", 8))
		return capable_fs() ? 0 : -EPERM;
	if (!strncmp(name, "user.", 5)) {
		if (!S_ISREG(inode->i_mode) && !S_ISDIR(inode->i_mode))
			return -ENODATA;
		return inode_permission(current_cred(), inode, MAY_READ);
	}
	return 0;
}

static ssize_t vfs_getxattr(struct inode *inode, const char *name, void *buf, size_t size)
{
	const struct super_operations *op = inode->i_sb->s_op;
	int err = xattr_permission(inode, name);

	if (err)
		return err;
	if (!op || !op->getxattr)
		return -EOPNOTSUPP;
	return op->getxattr(inode, name, buf, size);
}

static ssize_t vfs_listxattr(struct inode *inode, char *buf, size_t size)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (!op || !op->listxattr)
		return -EOPNOTSUPP;
	return op->listxattr(inode, buf, size);
}

/* The attribute name from user memory: 0, -ERANGE (empty or too long), -EFAULT. */
static int xattr_name(const char __user *uname, char kname[XATTR_NAME_MAX + 1])
{
	long n = strncpy_from_user(kname, uname, XATTR_NAME_MAX + 1);

	if (n < 0)
		return -EFAULT;
	if (n == 0 || n > XATTR_NAME_MAX)
		return -ERANGE;
	return 0;
}

static ssize_t getxattr(struct inode *inode, const char __user *uname, void __user *value,
			size_t size)
{
	char kname[XATTR_NAME_MAX + 1];
	void *kbuf = NULL;
	ssize_t r = xattr_name(uname, kname);

	if (r)
		return r;
	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	if (size && !(kbuf = kvmalloc(size, GFP_KERNEL)))
		return -ENOMEM;
	r = vfs_getxattr(inode, kname, kbuf, size);
	if (r > 0 && size && copy_to_user(value, kbuf, (size_t)r))
		r = -EFAULT;
	kvfree(kbuf);
	return r;
}

static ssize_t listxattr(struct inode *inode, char __user *list, size_t size)
{
	char *kbuf = NULL;
	ssize_t r;

	if (size > XATTR_LIST_MAX)
		size = XATTR_LIST_MAX;
	if (size && !(kbuf = kvmalloc(size, GFP_KERNEL)))
		return -ENOMEM;
	r = vfs_listxattr(inode, kbuf, size);
	if (r > 0 && size && copy_to_user(list, kbuf, (size_t)r))
		r = -EFAULT;
	kvfree(kbuf);
	return r;
}

/* Runs @body with a referenced path @p of the user path @upath (@flags: LOOKUP_*). */
#define WITH_PATH(upath, flags, p, body)                                                 \
	WITH_NAME(upath, kname, ({                                                       \
		struct path p;                                                           \
		long __e = path_lookupat(AT_FDCWD, kname, (flags), &p);                  \
		if (!__e) {                                                              \
			__e = (body);                                                    \
			path_put(&p);                                                    \
		}                                                                        \
		__e;                                                                     \
	}))

/* Runs @body with the open file @f of @fd. */
#define WITH_FD(fd, f, body)                                                             \
	({                                                                               \
		struct fd __fd = fdget(fd);                                              \
		struct file *f = __fd.file;                                              \
		long __e = -EBADF;                                                       \
		if (f) {                                                                 \
			__e = (body);                                                    \
			fdput(__fd);                                                     \
		}                                                                        \
		__e;                                                                     \
	})

SYSCALL_DEFINE4(getxattr, const char __user *, pathname, const char __user *, name,
		void __user *, value, size_t, size)
{
	return WITH_PATH(pathname, LOOKUP_FOLLOW, p, getxattr(p.dentry->d_inode, name, value, size));
}

SYSCALL_DEFINE4(lgetxattr, const char __user *, pathname, const char __user *, name,
		void __user *, value, size_t, size)
{
	return WITH_PATH(pathname, 0, p, getxattr(p.dentry->d_inode, name, value, size));
}

SYSCALL_DEFINE4(fgetxattr, int, fd, const char __user *, name, void __user *, value, size_t, size)
{
	return WITH_FD(fd, f, getxattr(f->f_inode, name, value, size));
}

SYSCALL_DEFINE3(listxattr, const char __user *, pathname, char __user *, list, size_t, size)
{
	return WITH_PATH(pathname, LOOKUP_FOLLOW, p, listxattr(p.dentry->d_inode, list, size));
}

SYSCALL_DEFINE3(llistxattr, const char __user *, pathname, char __user *, list, size_t, size)
{
	return WITH_PATH(pathname, 0, p, listxattr(p.dentry->d_inode, list, size));
}

SYSCALL_DEFINE3(flistxattr, int, fd, char __user *, list, size_t, size)
{
	return WITH_FD(fd, f, listxattr(f->f_inode, list, size));
}

/* No file system stores attributes yet: a read-only mount refuses first, as Linux does. */
static long setxattr_refused(const struct path *p, const char __user *uname, int flags)
{
	char kname[XATTR_NAME_MAX + 1];
	int err;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	err = xattr_name(uname, kname);
	if (err)
		return err;
	return mnt_readonly(p) ? -EROFS : -EOPNOTSUPP;
}

SYSCALL_DEFINE5(setxattr, const char __user *, pathname, const char __user *, name,
		const void __user *, value, size_t, size, int, flags)
{
	return WITH_PATH(pathname, LOOKUP_FOLLOW, p, setxattr_refused(&p, name, flags));
}

SYSCALL_DEFINE5(lsetxattr, const char __user *, pathname, const char __user *, name,
		const void __user *, value, size_t, size, int, flags)
{
	return WITH_PATH(pathname, 0, p, setxattr_refused(&p, name, flags));
}

SYSCALL_DEFINE5(fsetxattr, int, fd, const char __user *, name, const void __user *, value,
		size_t, size, int, flags)
{
	return WITH_FD(fd, f, setxattr_refused(&f->f_path, name, flags));
}

SYSCALL_DEFINE2(removexattr, const char __user *, pathname, const char __user *, name)
{
	return WITH_PATH(pathname, LOOKUP_FOLLOW, p, setxattr_refused(&p, name, 0));
}

SYSCALL_DEFINE2(lremovexattr, const char __user *, pathname, const char __user *, name)
{
	return WITH_PATH(pathname, 0, p, setxattr_refused(&p, name, 0));
}

SYSCALL_DEFINE2(fremovexattr, int, fd, const char __user *, name)
{
	return WITH_FD(fd, f, setxattr_refused(&f->f_path, name, 0));
}
