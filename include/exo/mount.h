/* SPDX-License-Identifier: MIT */
/*
 * The mount tree (fs/namespace.c). A vfsmount attaches a super block's root
 * dentry on top of a dentry (the mountpoint) of its parent mount. There is a
 * single namespace; /proc/mounts lists mount_list in mount order.
 *
 * Locking: mount_lock guards every field marked [mount_lock] and the list;
 * it nests inside the VFS i_rwsem locks and outside dcache_lock.
 */
#ifndef _EXO_MOUNT_H
#define _EXO_MOUNT_H

#include <exo/dcache.h>
#include <exo/list.h>
#include <exo/spinlock.h>

struct super_block;

#define MNT_NOSUID	0x01
#define MNT_NODEV	0x02
#define MNT_NOEXEC	0x04
#define MNT_READONLY	0x40

struct vfsmount {
	struct dentry *mnt_root;		/* [immutable] root of the mounted tree */
	struct super_block *mnt_sb;		/* [immutable] */
	struct vfsmount *mnt_parent;		/* [mount_lock] itself for the root mount */
	struct dentry *mnt_mountpoint;		/* [mount_lock] in mnt_parent */
	struct list_head mnt_list;		/* [mount_lock] in mount_list */
	int mnt_count;				/* [atomic] paths referring to it, +1 while mounted */
	int mnt_flags;				/* [mount_lock] MNT_* */
	int mnt_id;				/* [immutable] */
	char mnt_devname[32];			/* [immutable] source as given to mount() */
};

extern struct spinlock mount_lock;
extern struct list_head mount_list;		/* [mount_lock] */

static inline struct vfsmount *mntget(struct vfsmount *m)
{
	if (m)
		__atomic_fetch_add(&m->mnt_count, 1, __ATOMIC_RELAXED);
	return m;
}

static inline void mntput(struct vfsmount *m)
{
	if (m)
		__atomic_fetch_sub(&m->mnt_count, 1, __ATOMIC_RELEASE);
}

/* The mount on top of (@mnt, @dentry), referenced, or NULL. */
struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct dentry *dentry);
/*
 * lookup_mnt() without the reference, for a lockless walk (fs/namei.c): the
 * mount is not freed before the walk ends, and mount_seq, bumped by every
 * mount and unmount, tells the walk whether the tree changed meanwhile.
 */
struct vfsmount *lookup_mnt_walk(struct vfsmount *mnt, struct dentry *dentry);
extern unsigned int mount_seq;
/*
 * Mounts a new instance of file system @type (by name) on @mountpoint.
 * Returns 0, -ENODEV (unknown type), -ENOTDIR, -ENOMEM. Used by vfs_init()
 * for / (mountpoint NULL) and /dev, and by sys_mount.
 */
int do_mount_fs(const char *type, const char *devname, const struct path *mountpoint,
		unsigned long ms_flags, const char *data);
/*
 * A mount of @sb that is in no namespace (Linux's kern_mount): the kernel's
 * own instances (shmem files, the mqueue file system) give their files a
 * path on it, so /proc/PID/fd shows "/name". Never freed; or ERR_PTR.
 */
struct vfsmount *kern_mount_sb(struct super_block *sb, const char *name);
/* Mounts the root file system; the result is the root of every path walk. */
int mount_root(const char *type);
/*
 * Mounts a new @type instance on block device @devname as the root of
 * the namespace (root=, Linux's prepare_namespace): the boot tree's mounts
 * leave /proc/mounts and path walks from the root start on the new one.
 * 0 or the mount's -errno.
 */
int vfs_switch_root(const char *type, const char *devname, unsigned long ms_flags);
/* The root of the namespace (root mount and its root dentry), referenced. */
void get_fs_root_ns(struct path *root);

#endif /* _EXO_MOUNT_H */
