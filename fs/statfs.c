// SPDX-License-Identifier: MIT
/*
 * statfs, fstatfs: what df prints. Every file system here lives in memory,
 * so sizes are RAM pages: tmpfs (and devtmpfs) report their size limit
 * (half of RAM, Linux's default) and what their files leave of it;
 * pseudo file systems (proc, pipes) report zero blocks like Linux's. The
 * magic number is the super block's.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/mount.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/statfs.h>
#include "internal.h"

#define TMPFS_MAGIC 0x01021994
#define NAME_MAX 255

static void statfs_fill(const struct super_block *sb, struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = (long)sb->s_magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	st->f_fsid[0] = (int)((unsigned long)sb >> 12);
	if (sb->s_flags & ST_RDONLY)
		st->f_flags |= ST_RDONLY;
	if (sb->s_magic == TMPFS_MAGIC) {
		unsigned long used = __atomic_load_n(&sb->s_used_blocks, __ATOMIC_RELAXED);

		st->f_blocks = (long)sb->s_max_blocks;
		st->f_bfree = (long)(sb->s_max_blocks > used ? sb->s_max_blocks - used : 0);
		st->f_bavail = st->f_bfree;
		/* Inodes are not limited: report them as plentiful, one per free page. */
		st->f_files = st->f_blocks;
		st->f_ffree = st->f_bfree;
	}
	if (sb->s_op && sb->s_op->statfs)
		sb->s_op->statfs((struct super_block *)sb, st);
}

static long statfs_to_user(const struct super_block *sb, struct statfs __user *ubuf)
{
	struct statfs st;

	statfs_fill(sb, &st);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *, buf)
{
	struct path path;
	char *name;
	long err;

	name = getname_flags(pathname, false);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, &path);
	putname(name);
	if (err)
		return err;
	err = statfs_to_user(path.dentry->d_sb, buf);
	path_put(&path);
	return err;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
{
	struct file *f = fget(current_files(), fd);
	long err;

	if (!f)
		return -EBADF;
	err = statfs_to_user(f->f_inode->i_sb, buf);
	fput(f);
	return err;
}

/* ustat(2): free blocks and inodes of the mounted file system on device @dev. */
struct ustat {
	int f_tfree;
	unsigned long f_tinode;
	char f_fname[6];
	char f_fpack[6];
};

SYSCALL_DEFINE2(ustat, unsigned int, dev, struct ustat __user *, ubuf)
{
	struct vfsmount *m, *found = NULL;
	struct statfs st;
	struct ustat u;

	spin_lock(&mount_lock);
	list_for_each_entry(m, &mount_list, mnt_list) {
		if ((u32)dev_to_user(m->mnt_sb->s_dev) == dev) {
			found = mntget(m);
			break;
		}
	}
	spin_unlock(&mount_lock);
	if (!found)
		return -EINVAL;
	statfs_fill(found->mnt_sb, &st);
	mntput(found);
	memset(&u, 0, sizeof(u));
	u.f_tfree = (int)st.f_bfree;
	u.f_tinode = (unsigned long)st.f_ffree;
	return copy_to_user(ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}
