// SPDX-License-Identifier: MIT
/*
 * The mount tree: one namespace, a list of vfsmounts in mount order (what
 * /proc/mounts prints), mount(2) and umount2(2).
 *
 * A mount holds one reference on itself while attached (mnt_count starts at
 * 1); each path pointing into it holds one more. umount2 refuses with EBUSY
 * while anything else refers to the mount or something is mounted on top.
 * umount2 without MNT_DETACH frees the mount, and the super block with its
 * tree when the type has kill_sb (tmpfs): the last reference is dropped
 * right there, since nothing else refers to the mount. A lazily detached
 * mount and the super blocks of other types stay (docs/vfs.md).
 *
 * Lock order: i_rwsem (sleeping) -> mount_lock -> dcache_lock.
 */
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>
#include <uapi/stat.h>
#include "internal.h"

DEFINE_SPINLOCK(mount_lock);
LIST_HEAD(mount_list);
static struct vfsmount *root_mnt;		/* [immutable after mount_root] */
static int next_mnt_id = 1;			/* [mount_lock] */
/* [mount_lock] bumped by every change of the mount tree; lockless walks check it. */
unsigned int mount_seq;

static void mount_tree_changed(void)
{
	WRITE_ONCE(mount_seq, mount_seq + 1);
}

/* mount_lock held. The newest mount on a mountpoint hides the older ones. */
static struct vfsmount *__lookup_mnt(struct vfsmount *mnt, struct dentry *dentry)
{
	struct vfsmount *m, *found = NULL;

	list_for_each_entry(m, &mount_list, mnt_list) {
		if (m != root_mnt && m->mnt_parent == mnt && m->mnt_mountpoint == dentry)
			found = m;
	}
	return found;
}

struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct dentry *dentry)
{
	struct vfsmount *found;

	if (!(READ_ONCE(dentry->d_flags) & DCACHE_MOUNTED))
		return NULL;
	spin_lock(&mount_lock);
	found = mntget(__lookup_mnt(mnt, dentry));
	spin_unlock(&mount_lock);
	return found;
}

struct vfsmount *lookup_mnt_walk(struct vfsmount *mnt, struct dentry *dentry)
{
	struct vfsmount *found;

	spin_lock(&mount_lock);
	found = __lookup_mnt(mnt, dentry);
	spin_unlock(&mount_lock);
	return found;
}

void get_fs_root_ns(struct path *root)
{
	root->mnt = mntget(root_mnt);
	root->dentry = dget(root_mnt ? root_mnt->mnt_root : NULL);
}

static struct vfsmount *vfs_kern_mount(const char *type_name, const char *devname,
				       unsigned long ms_flags, const char *data)
{
	struct file_system_type *type = get_fs_type(type_name);
	struct super_block *sb;
	struct vfsmount *mnt;

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	if (!mnt)
		return ERR_PTR(-ENOMEM);
	if (type->mount_dev)
		sb = type->mount_dev(type, ms_flags, devname, data);
	else
		sb = type->mount(type, ms_flags, data);
	if (IS_ERR(sb)) {
		kfree(mnt);
		return ERR_PTR(PTR_ERR(sb));
	}
	if (type->mount_dev)
		ms_flags |= sb->s_flags & MS_RDONLY;	/* a read-only driver */
	sb->s_flags = ms_flags & MS_RDONLY;
	mnt->mnt_sb = sb;
	mnt->mnt_root = dget(sb->s_root);
	mnt->mnt_count = 1;
	if (ms_flags & MS_RDONLY)
		mnt->mnt_flags |= MNT_READONLY;
	if (ms_flags & MS_NOSUID)
		mnt->mnt_flags |= MNT_NOSUID;
	if (ms_flags & MS_NODEV)
		mnt->mnt_flags |= MNT_NODEV;
	if (ms_flags & MS_NOEXEC)
		mnt->mnt_flags |= MNT_NOEXEC;
	strlcpy(mnt->mnt_devname, devname ? devname : type_name, sizeof(mnt->mnt_devname));
	return mnt;
}

struct vfsmount *kern_mount_sb(struct super_block *sb, const char *name)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);

	if (!mnt)
		return ERR_PTR(-ENOMEM);
	mnt->mnt_sb = sb;
	mnt->mnt_root = dget(sb->s_root);
	mnt->mnt_count = 1;
	/* Its own parent, as the root mount: d_path() stops at its root. */
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	INIT_LIST_HEAD(&mnt->mnt_list);
	strlcpy(mnt->mnt_devname, name, sizeof(mnt->mnt_devname));
	spin_lock(&mount_lock);
	mnt->mnt_id = next_mnt_id++;
	spin_unlock(&mount_lock);
	return mnt;
}

int mount_root(const char *type)
{
	struct vfsmount *mnt = vfs_kern_mount(type, "rootfs", 0, NULL);

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	spin_lock(&mount_lock);
	mnt->mnt_id = next_mnt_id++;
	list_add_tail(&mnt->mnt_list, &mount_list);
	root_mnt = mnt;
	spin_unlock(&mount_lock);
	return 0;
}

int vfs_switch_root(const char *type, const char *devname, unsigned long ms_flags)
{
	struct vfsmount *mnt = vfs_kern_mount(type, devname, ms_flags, NULL), *m, *n;

	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	spin_lock(&mount_lock);
	/* The boot tree leaves the namespace; whoever still holds a path into it keeps it. */
	list_for_each_entry_safe(m, n, &mount_list, mnt_list)
		list_del_init(&m->mnt_list);
	mount_tree_changed();
	mnt->mnt_id = next_mnt_id++;
	list_add_tail(&mnt->mnt_list, &mount_list);
	root_mnt = mnt;
	spin_unlock(&mount_lock);
	return 0;
}

int do_mount_fs(const char *type, const char *devname, const struct path *mp,
		unsigned long ms_flags, const char *data)
{
	struct vfsmount *mnt;

	if (!mp->dentry->d_inode || !S_ISDIR(mp->dentry->d_inode->i_mode))
		return -ENOTDIR;
	mnt = vfs_kern_mount(type, devname, ms_flags, data);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	/* Linux's do_add_mount: the same file system again on its own root is EBUSY. */
	if (mnt->mnt_sb == mp->mnt->mnt_sb && mp->dentry == mp->mnt->mnt_root) {
		dput(mnt->mnt_root);
		kfree(mnt);
		return -EBUSY;
	}
	spin_lock(&mount_lock);
	mnt->mnt_parent = mntget(mp->mnt);
	mnt->mnt_mountpoint = dget(mp->dentry);
	mnt->mnt_id = next_mnt_id++;
	list_add_tail(&mnt->mnt_list, &mount_list);
	mount_tree_changed();
	spin_unlock(&mount_lock);
	spin_lock(&dcache_lock);
	mp->dentry->d_flags |= DCACHE_MOUNTED;
	spin_unlock(&dcache_lock);
	return 0;
}

int do_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
	     const char *data)
{
	struct path mp;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	err = path_lookupat(AT_FDCWD, dir, LOOKUP_FOLLOW, &mp);
	if (err)
		return err;
	if (!capable_fs()) {
		err = -EPERM;
		goto out;
	}
	/* Remount, bind and move need more of the tree than we track yet. */
	if (flags & (MS_REMOUNT | MS_BIND | MS_MOVE) || !type) {
		err = -EINVAL;
		goto out;
	}
	follow_mounts(&mp);
	err = do_mount_fs(type, dev, &mp, flags, data);
out:
	path_put(&mp);
	return err;
}

static bool mount_has_children(struct vfsmount *mnt)
{
	struct vfsmount *m;

	list_for_each_entry(m, &mount_list, mnt_list)
		if (m != mnt && m->mnt_parent == mnt)
			return true;
	return false;
}

/*
 * Frees @mnt, which was unmounted and had no other user; nobody can find it
 * any more (off mount_list). A racing reference (none should exist: the
 * count was checked under mount_lock) keeps it, as a lazy unmount does.
 * A lockless walk may have found it before it left the list, and takes a
 * reference at its end (then sees mount_seq moved and drops it, which
 * leaves the mount allocated, as a lazy unmount): wait for those walks
 * first, then look at the count.
 */
static void mnt_free_unmounted(struct vfsmount *mnt)
{
	struct super_block *sb = mnt->mnt_sb;

	dcache_sync_walkers();
	if (__atomic_load_n(&mnt->mnt_count, __ATOMIC_ACQUIRE) != 0)
		return;
	dput(mnt->mnt_root);
	kfree(mnt);
	if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
}

int do_umount(const char *dir, int flags)
{
	struct path p;
	struct vfsmount *mnt, *other;
	struct dentry *mp;
	unsigned int lookup_flags = LOOKUP_DIRECTORY;
	int err = 0;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (!capable_fs())
		return -EPERM;
	if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		return -EINVAL;
	if (!(flags & UMOUNT_NOFOLLOW))
		lookup_flags |= LOOKUP_FOLLOW;
	err = path_lookupat(AT_FDCWD, dir, lookup_flags, &p);
	if (err)
		return err;
	mnt = p.mnt;
	/* Only the root of a mount can be unmounted. */
	if (p.dentry != mnt->mnt_root) {
		err = -EINVAL;
		goto out;
	}
	if (mnt == root_mnt) {
		err = -EBUSY;
		goto out;
	}
	spin_lock(&mount_lock);
	/* Our lookup holds one reference, the attachment another. */
	if (mount_has_children(mnt) ||
	    (!(flags & MNT_DETACH) && __atomic_load_n(&mnt->mnt_count, __ATOMIC_ACQUIRE) > 2)) {
		spin_unlock(&mount_lock);
		err = -EBUSY;
		goto out;
	}
	list_del(&mnt->mnt_list);
	mount_tree_changed();
	mp = mnt->mnt_mountpoint;
	spin_unlock(&mount_lock);

	other = lookup_mnt(mnt->mnt_parent, mp);
	if (other) {
		mntput(other);
	} else {
		spin_lock(&dcache_lock);
		mp->d_flags &= ~DCACHE_MOUNTED;
		spin_unlock(&dcache_lock);
	}
	dput(mp);
	mntput(mnt->mnt_parent);
	mntput(mnt);	/* the attachment; the memory stays for lazy users (MNT_DETACH) */
	path_put(&p);
	if (!(flags & MNT_DETACH))
		mnt_free_unmounted(mnt);
	return 0;
out:
	path_put(&p);
	return err;
}

SYSCALL_DEFINE5(mount, const char __user *, dev_name, const char __user *, dir_name,
		const char __user *, type, unsigned long, flags, const void __user *, data)
{
	char *kdir, *ktype = NULL, *kdev = NULL, *kdata = NULL;
	long err;

	kdir = getname(dir_name);
	if (IS_ERR(kdir))
		return PTR_ERR(kdir);
	if (type) {
		ktype = getname(type);
		if (IS_ERR(ktype)) {
			err = PTR_ERR(ktype);
			goto out_dir;
		}
	}
	if (dev_name) {
		kdev = getname_flags(dev_name, true);
		if (IS_ERR(kdev)) {
			err = PTR_ERR(kdev);
			goto out_type;
		}
	}
	if (data) {
		/* At most a page of options, as Linux copies. */
		long n;

		kdata = kmalloc(PAGE_SIZE, GFP_KERNEL);
		err = -ENOMEM;
		if (!kdata)
			goto out_dev;
		n = strncpy_from_user(kdata, data, PAGE_SIZE - 1);
		err = -EFAULT;
		if (n < 0)
			goto out_dev;
		kdata[n] = '\0';
	}
	err = do_mount(kdev, kdir, ktype, flags, kdata);
out_dev:
	kfree(kdata);
	if (kdev)
		putname(kdev);
out_type:
	if (ktype)
		putname(ktype);
out_dir:
	putname(kdir);
	return err;
}

SYSCALL_DEFINE2(umount2, const char __user *, name, int, flags)
{
	char *kname = getname(name);
	long err;

	if (IS_ERR(kname))
		return PTR_ERR(kname);
	err = do_umount(kname, flags);
	putname(kname);
	return err;
}
