// SPDX-License-Identifier: MIT
/*
 * tmpfs: a file system that lives entirely in the dentry cache and the page
 * cache. Directories are their dentries' child lists (every positive dentry
 * is pinned from creation to unlink); regular files keep their data in the
 * page cache, where a hole is a missing page; symlinks keep their target in
 * inode->i_link. Evicting an unlinked, unused inode frees every page.
 *
 * The same code serves devtmpfs (CONFIG_DEVFS), mounted on /dev, whose root
 * is 0755, and the unlinked files behind MAP_SHARED|MAP_ANONYMOUS memory.
 *
 * This file is built in every configuration: the root file system and
 * shared anonymous memory need it. CONFIG_TMPFS adds the size limit and
 * the mount options (options.c); without it this is Linux's ramfs, still
 * registered as "tmpfs", as Linux's mm/shmem.c does without CONFIG_SHMEM.
 *
 * Locking: every directory operation runs with the directory's i_rwsem held
 * exclusive (two for a rename, and the victim's for rmdir; namei_ops.c), so
 * the checks the VFS made still hold, and may sleep (it allocates); nlink
 * and times change under i_lock. Nothing here takes a spinlock across an
 * allocation.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mm.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "tmpfs.h"

#define TMPFS_MAGIC 0x01021994

static const struct inode_operations tmpfs_dir_iops;
static const struct inode_operations tmpfs_file_iops;
static const struct inode_operations tmpfs_symlink_iops;

static struct inode *tmpfs_get_inode(struct super_block *sb, struct inode *dir, umode_t mode,
				     dev_t dev)
{
	const struct cred *cred = current_cred();
	struct inode *inode = new_inode(sb);

	if (IS_ERR(inode))
		return inode;
	inode->i_uid = cred->fsuid;
	inode->i_gid = cred->fsgid;
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	inode->i_mode = mode;
	switch (mode & S_IFMT) {
	case S_IFREG:
		/* Linux's shmem: no seals but a memfd made to take them (mm/memfd.c). */
		inode->i_seals = F_SEAL_SEAL;
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &tmpfs_file_fops;
		break;
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_iops;
		inode->i_fop = &tmpfs_dir_fops;
		inode->i_nlink = 2;
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_symlink_iops;
		break;
	default:
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

/* Attaches @inode to the negative @dentry for good. */
static void tmpfs_instantiate(struct inode *dir, struct dentry *dentry, struct inode *inode)
{
	d_add(dentry, inode);
	d_pin(dentry);
	inode_touch_mc(dir);
}

static int tmpfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct inode *inode = tmpfs_get_inode(dir->i_sb, dir, mode, dev);

	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (S_ISDIR(mode))
		inc_nlink(dir);
	tmpfs_instantiate(dir, dentry, inode);
	return 0;
}

static int tmpfs_create(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return tmpfs_mknod(dir, dentry, mode | S_IFREG, 0);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return tmpfs_mknod(dir, dentry, mode | S_IFDIR, 0);
}

static int tmpfs_symlink(struct inode *dir, struct dentry *dentry, const char *target)
{
	size_t len = strlen(target);
	struct inode *inode;

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	inode = tmpfs_get_inode(dir->i_sb, dir, S_IFLNK | 0777, 0);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	inode->i_link = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_link) {
		iput(inode);
		return -ENOMEM;
	}
	memcpy(inode->i_link, target, len + 1);
	inode->i_size = (loff_t)len;
	tmpfs_instantiate(dir, dentry, inode);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = old->d_inode;

	inc_nlink(inode);
	spin_lock(&inode->i_lock);
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
	tmpfs_instantiate(dir, dentry, igrab(inode));
	return 0;
}

static int tmpfs_unlink(struct inode *dir, struct dentry *dentry)
{
	drop_nlink(dentry->d_inode);
	inode_touch_mc(dir);
	d_delete_pinned(dentry);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	drop_nlink(dentry->d_inode);	/* "." */
	drop_nlink(dentry->d_inode);	/* its name */
	drop_nlink(dir);		/* its ".." */
	inode_touch_mc(dir);
	d_delete_pinned(dentry);
	return 0;
}

static int tmpfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
			struct dentry *new, unsigned int flags)
{
	bool old_is_dir = S_ISDIR(old->d_inode->i_mode);
	char oldname[NAME_MAX + 1], newname[NAME_MAX + 1];
	unsigned int oldlen = old->d_len, newlen = new->d_len;
	struct dentry *old_parent = old->d_parent, *new_parent = new->d_parent;
	int err;

	memcpy(oldname, old->d_name, oldlen);
	memcpy(newname, new->d_name, newlen);
	if (flags & RENAME_EXCHANGE) {
		bool new_is_dir = S_ISDIR(new->d_inode->i_mode);

		err = d_move(old, new_parent, newname, newlen);
		if (!err)
			err = d_move(new, old_parent, oldname, oldlen);
		if (err)
			return err;
		if (old_dir != new_dir && old_is_dir != new_is_dir) {
			if (old_is_dir) {
				drop_nlink(old_dir);
				inc_nlink(new_dir);
			} else {
				drop_nlink(new_dir);
				inc_nlink(old_dir);
			}
		}
	} else {
		if (new->d_inode) {
			if (S_ISDIR(new->d_inode->i_mode)) {
				drop_nlink(new->d_inode);
				drop_nlink(new_dir);
			}
			drop_nlink(new->d_inode);
			d_delete_pinned(new);
		}
		err = d_move(old, new_parent, newname, newlen);
		if (err)
			return err;
		if (old_is_dir && old_dir != new_dir) {
			drop_nlink(old_dir);
			inc_nlink(new_dir);
		}
	}
	inode_touch_mc(old_dir);
	inode_touch_mc(new_dir);
	spin_lock(&old->d_inode->i_lock);
	old->d_inode->i_ctime = current_time();
	spin_unlock(&old->d_inode->i_lock);
	return 0;
}

static const char *tmpfs_get_link(struct inode *inode, char *buf, size_t size)
{
	return inode->i_link;
}

static const struct inode_operations tmpfs_dir_iops = {
	.create = tmpfs_create,
	.mkdir = tmpfs_mkdir,
	.mknod = tmpfs_mknod,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
};

/* Truncate, under i_rwsem as F_ADD_SEALS is: F_SEAL_SHRINK and F_SEAL_GROW refuse with EPERM. */
static int tmpfs_setsize(struct inode *inode, loff_t size)
{
	unsigned int seals = READ_ONCE(inode->i_seals);
	loff_t old = READ_ONCE(inode->i_size);

	if (((seals & F_SEAL_SHRINK) && size < old) || ((seals & F_SEAL_GROW) && size > old))
		return -EPERM;
	return generic_setsize(inode, size);
}

static const struct inode_operations tmpfs_file_iops = {
	.setsize = tmpfs_setsize,
};

static const struct inode_operations tmpfs_symlink_iops = {
	.get_link = tmpfs_get_link,
};

/*
 * Linux's tmpfs stores extended attributes; ours stores none yet, so a
 * name is never there (ENODATA) and the list is empty, which is what
 * Linux shows for a file nobody set one on (not EOPNOTSUPP).
 */
static ssize_t tmpfs_getxattr(struct inode *inode, const char *name, void *buf, size_t size)
{
	return -ENODATA;
}

static ssize_t tmpfs_listxattr(struct inode *inode, char *buf, size_t size)
{
	return 0;
}

static const struct super_operations tmpfs_sops = {
	.getxattr = tmpfs_getxattr,
	.listxattr = tmpfs_listxattr,
};

static struct super_block *tmpfs_fill_super(struct file_system_type *type,
					    const struct tmpfs_options *o)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (IS_ERR(sb))
		return sb;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_op = &tmpfs_sops;
	sb->s_max_blocks = o->max_blocks;
	root = tmpfs_get_inode(sb, NULL, S_IFDIR | o->root_mode, 0);
	if (!IS_ERR(root)) {
		root->i_uid = o->uid;
		root->i_gid = o->gid;
	}
	return sb_set_root(sb, root);
}

static struct super_block *tmpfs_mount(struct file_system_type *type, unsigned long flags,
				       const char *data)
{
	/*
	 * Linux's defaults: half of RAM, a sticky world-writable root owned by
	 * root. Without CONFIG_TMPFS there is neither limit nor option (ramfs).
	 */
	struct tmpfs_options o = { .max_blocks = TMPFS_DEFAULT_MAX_BLOCKS, .root_mode = 01777 };
	int err = tmpfs_parse_options(&o, data);

	if (err)
		return ERR_PTR(err);
	return tmpfs_fill_super(type, &o);
}

#ifdef CONFIG_DEVFS
/*
 * devtmpfs is one instance, as in Linux: every mount of it shows the same
 * tree, the one the kernel populated at boot, so init mounting it on /dev
 * again (or anywhere else) finds /dev/console and the rest there.
 */
static struct super_block *devtmpfs_mount(struct file_system_type *type, unsigned long flags,
					  const char *data)
{
	struct tmpfs_options o = { .max_blocks = TMPFS_DEFAULT_MAX_BLOCKS, .root_mode = 0755 };
	static struct super_block *dev_sb;
	struct super_block *sb = __atomic_load_n(&dev_sb, __ATOMIC_ACQUIRE);
	struct super_block *expected = NULL;

	if (sb)
		return sb;
	sb = tmpfs_fill_super(type, &o);
	if (IS_ERR(sb))
		return sb;
	/* Two racing first mounts: the loser's super block stays unused. */
	if (!__atomic_compare_exchange_n(&dev_sb, &expected, sb, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		sb = expected;
	return sb;
}

static struct file_system_type devtmpfs_type = { .name = "devtmpfs", .mount = devtmpfs_mount };
#endif

/* The tree goes with its pinned dentries: inodes and page-cache pages follow. */
static void tmpfs_kill_sb(struct super_block *sb)
{
	d_drop_tree(sb->s_root);
	dput(sb->s_root);
	kfree(sb);
}

static struct file_system_type tmpfs_type = {
	.name = "tmpfs", .mount = tmpfs_mount, .kill_sb = tmpfs_kill_sb,
};

/*
 * The kernel's own tmpfs instance (Linux's shm_mnt): no size limit, never
 * mounted in the namespace; its mount names memfd files in /proc/PID/fd.
 */
static struct vfsmount *shm_mount(void)
{
	static struct vfsmount *shm_mnt;
	struct vfsmount *mnt = __atomic_load_n(&shm_mnt, __ATOMIC_ACQUIRE), *expected = NULL;
	static const struct tmpfs_options shm_options = { .root_mode = 01777 };
	struct super_block *sb;

	if (mnt)
		return mnt;
	sb = tmpfs_fill_super(&tmpfs_type, &shm_options);
	if (IS_ERR(sb))
		return ERR_CAST(sb);
	mnt = kern_mount_sb(sb, "shm");
	if (IS_ERR(mnt))
		return mnt;
	/* Two racing first users: the loser's instance stays unused. */
	if (!__atomic_compare_exchange_n(&shm_mnt, &expected, mnt, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		mnt = expected;
	return mnt;
}

struct file *shmem_file_create(const char *name, loff_t size, umode_t mode, unsigned int flags)
{
	struct vfsmount *mnt = shm_mount();
	struct inode *inode;
	struct path path;
	struct file *f;

	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	inode = tmpfs_get_inode(mnt->mnt_sb, NULL, S_IFREG | mode, 0);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	inode->i_size = size;
	/* Unhashed under the root: d_path() gives "/name", and " (deleted)" follows. */
	path.dentry = d_alloc(mnt->mnt_root, name, (unsigned int)strlen(name));
	if (IS_ERR(path.dentry)) {
		iput(inode);
		return ERR_CAST(path.dentry);
	}
	path.dentry->d_inode = inode;
	path.mnt = mnt;
	f = alloc_file(&path, flags, &tmpfs_file_fops);
	dput(path.dentry);
	return f;
}

/*
 * An unlinked tmpfs file of @size bytes, the backing of MAP_SHARED |
 * MAP_ANONYMOUS memory (Linux's shmem_zero_setup): processes that share the
 * mapping after fork fault in the same page-cache pages. Its pages go when
 * the last mapping drops the file. Linux names it "/dev/zero (deleted)" in
 * /proc/PID/maps; here it is "/dev/zero" on the kernel's instance.
 */
struct file *shmem_file_setup(loff_t size)
{
	return shmem_file_create("dev/zero", size, 0600, O_RDWR);
}

int tmpfs_init(void)
{
	int err = register_filesystem(&tmpfs_type);

#ifdef CONFIG_DEVFS
	if (!err)
		err = register_filesystem(&devtmpfs_type);
#endif
	return err;
}
