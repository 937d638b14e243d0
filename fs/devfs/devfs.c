// SPDX-License-Identifier: MIT
/*
 * devfs: a devtmpfs instance mounted on /dev at boot, holding the nodes of
 * the character devices the kernel always has, with Linux's numbers and
 * modes (ls -l /dev on Linux shows the same), plus the /dev/fd and
 * /dev/std{in,out,err} symlinks into /proc/self/fd.
 *
 * Nodes are made with the file system's mknod directly (no umask, no
 * permission check): this is the kernel populating its own directory.
 */
#include <exo/fs.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"

struct devfs_node {
	const char *name;
	umode_t mode;
	unsigned int major, minor;
};

static const struct devfs_node devfs_nodes[] = {
	{ "null", S_IFCHR | 0666, 1, 3 },
	{ "zero", S_IFCHR | 0666, 1, 5 },
	{ "full", S_IFCHR | 0666, 1, 7 },
	{ "random", S_IFCHR | 0666, 1, 8 },
	{ "urandom", S_IFCHR | 0666, 1, 9 },
	{ "kmsg", S_IFCHR | 0644, 1, 11 },
	{ "tty", S_IFCHR | 0666, 5, 0 },
	{ "console", S_IFCHR | 0600, 5, 1 },
	{ "ptmx", S_IFCHR | 0666, 5, 2 },
	{ "ttyS0", S_IFCHR | 0660, 4, 64 },
#ifdef CONFIG_FUSION
	{ "fusion", S_IFCHR | 0666, 10, 240 },	/* uapi/fusion.h */
#endif
};

static const struct { const char *name, *target; } devfs_links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* Creates @name in the directory @dir, with mknod or symlink. */
static int devfs_create(const struct path *dir, const char *name, umode_t mode, dev_t dev,
			const char *target)
{
	struct inode *d = dir->dentry->d_inode;
	struct dentry *dentry;
	int err;

	inode_lock(d);
	dentry = lookup_one_locked(dir->dentry, name, (unsigned int)strlen(name));
	if (IS_ERR(dentry)) {
		inode_unlock(d);
		return (int)PTR_ERR(dentry);
	}
	if (dentry->d_inode)
		err = -EEXIST;
	else if (target)
		err = d->i_op->symlink(d, dentry, target);
	else
		err = d->i_op->mknod(d, dentry, mode, dev);
	inode_unlock(d);
	dput(dentry);
	return err;
}

/* /dev, kept for nodes made after boot (block devices found by a probe). */
static struct path devfs_root;

int devfs_mknod(const char *name, umode_t mode, dev_t dev)
{
	int err;

	if (!devfs_root.dentry)
		return -ENOENT;
	err = devfs_create(&devfs_root, name, mode, dev, NULL);
	return err == -EEXIST ? 0 : err;
}

int devfs_populate(const struct path *dev)
{
	int err;

	path_get(dev);
	devfs_root = *dev;

	for (unsigned int i = 0; i < ARRAY_SIZE(devfs_nodes); i++) {
		const struct devfs_node *n = &devfs_nodes[i];

		err = devfs_create(dev, n->name, n->mode, MKDEV(n->major, n->minor), NULL);
		if (err)
			return err;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(devfs_links); i++) {
		err = devfs_create(dev, devfs_links[i].name, 0, 0, devfs_links[i].target);
		if (err)
			return err;
	}
	return 0;
}
