// SPDX-License-Identifier: MIT
/*
 * From a path back to its name: d_path() and getcwd(). The name is built
 * from the end of the buffer towards its start, climbing parents and
 * crossing from each mount's root to its mountpoint until the caller's root.
 * A working directory that was removed reads as "/name (deleted)" in Linux;
 * getcwd then fails with ENOENT, as Linux's does.
 */
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

static int prepend(char **p, char *start, const char *s, size_t len)
{
	if ((size_t)(*p - start) < len)
		return -ENAMETOOLONG;
	*p -= len;
	memcpy(*p, s, len);
	return 0;
}

char *d_path(const struct path *path, const struct path *root, char *buf, size_t size)
{
	struct dentry *d = path->dentry;
	struct vfsmount *mnt = path->mnt;
	char *p = buf + size;
	int err = 0;

	if (!size)
		return ERR_PTR(-ENAMETOOLONG);
	*--p = '\0';
	spin_lock(&mount_lock);
	spin_lock(&dcache_lock);
	while (!(d == root->dentry && mnt == root->mnt)) {
		if (d == mnt->mnt_root) {
			if (mnt->mnt_parent == mnt)
				break;		/* outside the caller's root: stop at the top */
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		if (d_is_root(d))
			break;
		err = prepend(&p, buf, d->d_name, d->d_len);
		if (!err)
			err = prepend(&p, buf, "/", 1);
		if (err)
			break;
		d = d->d_parent;
	}
	spin_unlock(&dcache_lock);
	spin_unlock(&mount_lock);
	if (!err && *p == '\0')
		err = prepend(&p, buf, "/", 1);
	return err ? ERR_PTR(err) : p;
}

int do_getcwd(char *buf, size_t size)
{
	struct fs_struct *fs = current_fs_struct();
	struct path pwd, root;
	char *page, *p;
	int len;

	spin_lock(&fs->lock);
	pwd = fs->pwd;
	root = fs->root;
	path_get(&pwd);
	path_get(&root);
	spin_unlock(&fs->lock);
	page = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!page) {
		len = -ENOMEM;
		goto out;
	}
	if (!(pwd.dentry->d_flags & DCACHE_HASHED) && !d_is_root(pwd.dentry)) {
		len = -ENOENT;
		goto out_free;
	}
	p = d_path(&pwd, &root, page, PATH_MAX);
	if (IS_ERR(p)) {
		len = (int)PTR_ERR(p);
		goto out_free;
	}
	len = (int)(page + PATH_MAX - p);	/* with the NUL */
	if ((size_t)len > size)
		len = -ERANGE;
	else
		memcpy(buf, p, (size_t)len);
out_free:
	kfree(page);
out:
	path_put(&pwd);
	path_put(&root);
	return len;
}

SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	char *k;
	int len;

	k = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	len = do_getcwd(k, size < PATH_MAX ? size : PATH_MAX);
	if (len > 0 && copy_to_user(buf, k, (size_t)len))
		len = -EFAULT;
	kfree(k);
	return len;
}
