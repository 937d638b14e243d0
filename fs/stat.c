// SPDX-License-Identifier: MIT
/*
 * stat, fstat, lstat, newfstatat, statx, readlink, readlinkat. A file's
 * attributes are gathered once into a struct kstat and then converted to
 * the layout the call returns (x86_64 struct stat, or struct statx).
 */
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "internal.h"

/*
 * The bodies of generic_fillattr(), vfs_fstatat() and kstat_to_stat() are
 * inlined into stat(2)'s path (user_fstatat()), where the compiler then keeps
 * the struct kstat in registers: the attributes go from the inode to the
 * struct stat in one pass.
 */
static __always_inline void fillattr(const struct path *path, struct kstat *st)
{
	struct inode *inode = path->dentry->d_inode;

	/*
	 * Every field is set below: no memset of the whole struct first. The
	 * attributes are read without i_lock, as Linux's generic_fillattr()
	 * reads them: each field is read once, and a stat racing a change
	 * sees some fields before it and some after, as it may on Linux.
	 */
	st->mode = READ_ONCE(inode->i_mode);
	st->nlink = READ_ONCE(inode->i_nlink);
	st->uid = READ_ONCE(inode->i_uid);
	st->gid = READ_ONCE(inode->i_gid);
	st->size = READ_ONCE(inode->i_size);
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
	st->ino = inode->i_ino;
	st->dev = inode->i_sb ? inode->i_sb->s_dev : 0;
	st->rdev = inode->i_rdev;
	st->blksize = PAGE_SIZE;
	if (inode->i_op && inode->i_op->disk_blocks) {
		st->blocks = inode->i_op->disk_blocks(inode);
	} else {
		/* A count read once, as Linux reads i_blocks: no lock needed. */
		st->blocks = READ_ONCE(inode->i_data.nrpages) * (PAGE_SIZE / 512);
	}
	st->mnt_id = path->mnt ? (u64)path->mnt->mnt_id : 0;
	st->result_mask = STATX_BASIC_STATS | STATX_MNT_ID;
}

void generic_fillattr(const struct path *path, struct kstat *st)
{
	fillattr(path, st);
}

int vfs_fstatat(int dfd, const char *name, int flags, struct kstat *st)
{
	struct path path;
	int err;

	err = path_lookup_at_flags(dfd, name, flags, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
				   AT_EMPTY_PATH | AT_STATX_SYNC_TYPE, &path);
	if (err)
		return err;
	fillattr(&path, st);
	path_put(&path);
	return 0;
}

int vfs_fstat(unsigned int fd, struct kstat *st)
{
	struct file *f = fget(current_files(), fd);

	if (!f)
		return -EBADF;
	fillattr(&f->f_path, st);
	fput(f);
	return 0;
}

static __always_inline void kstat_to_stat(const struct kstat *k, struct stat *st)
{
	/* Field by field, the padding too: no memset (a rep stos) first. */
	st->st_dev = dev_to_user(k->dev);
	st->st_ino = k->ino;
	st->st_nlink = k->nlink;
	st->st_mode = k->mode;
	st->st_uid = k->uid;
	st->st_gid = k->gid;
	st->__pad0 = 0;
	st->st_rdev = dev_to_user(k->rdev);
	st->st_size = k->size;
	st->st_blksize = k->blksize;
	st->st_blocks = (long)k->blocks;
	st->st_atime = (unsigned long)k->atime.tv_sec;
	st->st_atime_nsec = (unsigned long)k->atime.tv_nsec;
	st->st_mtime = (unsigned long)k->mtime.tv_sec;
	st->st_mtime_nsec = (unsigned long)k->mtime.tv_nsec;
	st->st_ctime = (unsigned long)k->ctime.tv_sec;
	st->st_ctime_nsec = (unsigned long)k->ctime.tv_nsec;
	st->__reserved[0] = 0;
	st->__reserved[1] = 0;
	st->__reserved[2] = 0;
}

void kstat_to_statx(const struct kstat *k, struct statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = k->result_mask;
	sx->stx_blksize = k->blksize;
	sx->stx_nlink = k->nlink;
	sx->stx_uid = k->uid;
	sx->stx_gid = k->gid;
	sx->stx_mode = k->mode;
	sx->stx_ino = k->ino;
	sx->stx_size = (u64)k->size;
	sx->stx_blocks = k->blocks;
	sx->stx_atime.tv_sec = k->atime.tv_sec;
	sx->stx_atime.tv_nsec = (u32)k->atime.tv_nsec;
	sx->stx_mtime.tv_sec = k->mtime.tv_sec;
	sx->stx_mtime.tv_nsec = (u32)k->mtime.tv_nsec;
	sx->stx_ctime.tv_sec = k->ctime.tv_sec;
	sx->stx_ctime.tv_nsec = (u32)k->ctime.tv_nsec;
	sx->stx_rdev_major = MAJOR(k->rdev);
	sx->stx_rdev_minor = MINOR(k->rdev);
	sx->stx_dev_major = MAJOR(k->dev);
	sx->stx_dev_minor = MINOR(k->dev);
	sx->stx_mnt_id = k->mnt_id;
}

static __always_inline long stat_to_user(const struct kstat *k, struct stat __user *ubuf)
{
	struct stat st;

	kstat_to_stat(k, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

/* Linux's cp_new_stat(): the inode's attributes straight to a user struct stat. */
static __always_inline long cp_new_stat(const struct path *path, struct stat __user *ubuf)
{
	struct kstat k;

	fillattr(path, &k);
	return stat_to_user(&k, ubuf);
}

static long user_fstatat(int dfd, const char __user *filename, struct stat __user *ubuf,
			 int flags)
{
	struct name_buf nb;
	struct path path;
	char *name;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	name = getname_buf(&nb, filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = path_lookupat(dfd, name, at_lookup_flags(flags), &path);
	putname_buf(&nb);
	if (err)
		return err;
	err = cp_new_stat(&path, ubuf);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(stat, const char __user *, filename, struct stat __user *, statbuf)
{
	return user_fstatat(AT_FDCWD, filename, statbuf, 0);
}

SYSCALL_DEFINE2(lstat, const char __user *, filename, struct stat __user *, statbuf)
{
	return user_fstatat(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename, struct stat __user *, statbuf,
		int, flag)
{
	return user_fstatat(dfd, filename, statbuf, flag);
}

SYSCALL_DEFINE2(fstat, unsigned int, fd, struct stat __user *, statbuf)
{
	struct file *f = fget(current_files(), fd);
	long err;

	if (!f)
		return -EBADF;
	err = cp_new_stat(&f->f_path, statbuf);
	fput(f);
	return err;
}

SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int, flags,
		unsigned int, mask, struct statx __user *, buffer)
{
	struct name_buf nb;
	struct kstat k;
	struct statx sx;
	char *name;
	long err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	name = getname_buf(&nb, filename, flags & AT_EMPTY_PATH);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = vfs_fstatat(dfd, name, (int)flags, &k);
	putname_buf(&nb);
	if (err)
		return err;
	kstat_to_statx(&k, &sx);
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}

ssize_t do_readlinkat(int dfd, const char *name, char *buf, size_t size)
{
	struct path path;
	struct inode *inode;
	const char *target;
	char *scratch;
	ssize_t len;
	int err;

	if ((ssize_t)size <= 0)
		return -EINVAL;
	err = path_lookupat(dfd, name, LOOKUP_EMPTY, &path);
	if (err)
		return err;
	inode = path.dentry->d_inode;
	if (!S_ISLNK(inode->i_mode) || !inode->i_op || !inode->i_op->get_link) {
		path_put(&path);
		return -EINVAL;
	}
	scratch = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!scratch) {
		path_put(&path);
		return -ENOMEM;
	}
	target = inode->i_op->get_link(inode, scratch, PATH_MAX);
	if (IS_ERR(target)) {
		len = PTR_ERR(target);
	} else {
		len = (ssize_t)strlen(target);
		if ((size_t)len > size)
			len = (ssize_t)size;
		memcpy(buf, target, (size_t)len);	/* no NUL, as readlink(2) says */
	}
	kfree(scratch);
	path_put(&path);
	return len;
}

static long user_readlinkat(int dfd, const char __user *pathname, char __user *buf, int bufsiz)
{
	char *name, *kbuf;
	long len;

	if (bufsiz <= 0)
		return -EINVAL;
	name = getname_flags(pathname, true);
	if (IS_ERR(name))
		return PTR_ERR(name);
	kbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!kbuf) {
		putname(name);
		return -ENOMEM;
	}
	len = do_readlinkat(dfd, name, kbuf, min((size_t)bufsiz, (size_t)PATH_MAX));
	if (len > 0 && copy_to_user(buf, kbuf, (size_t)len))
		len = -EFAULT;
	kfree(kbuf);
	putname(name);
	return len;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname, char __user *, buf,
		int, bufsiz)
{
	return user_readlinkat(dfd, pathname, buf, bufsiz);
}

SYSCALL_DEFINE3(readlink, const char __user *, path, char __user *, buf, int, bufsiz)
{
	return user_readlinkat(AT_FDCWD, path, buf, bufsiz);
}
