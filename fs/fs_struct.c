// SPDX-License-Identifier: MIT
/*
 * fs_struct: a task's root, working directory and umask, shared under
 * CLONE_FS and copied otherwise. init_fs serves the kernel before the first
 * task runs (and the init task can start from a copy of it).
 *
 * Lock order: fs->lock is taken before any VFS lock and only to read or
 * swap the two paths; path_put() of a replaced path runs after unlocking.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/cred.h>
#include <exo/mount.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include "internal.h"

struct fs_struct init_fs = {
	.users = 1,
	.lock = SPINLOCK_INIT(init_fs.lock),
	.umask = 022,
};

/* Root credentials of the kernel's own context. */
struct cred init_cred;

struct fs_struct *current_fs_struct(void)
{
	struct task *t = current;

	return t && t->fs ? t->fs : &init_fs;
}

const struct cred *current_cred(void)
{
	struct task *t = current;

	return t ? &t->cred : &init_cred;
}

bool capable_fs(void)
{
	return current_cred()->euid == 0;
}

/* Called once the root is mounted: the init context starts at /. */
void init_fs_set_root(void)
{
	struct path root;

	get_fs_root_ns(&root);
	init_fs.root = root;
	path_get(&root);
	init_fs.pwd = root;
}

struct fs_struct *fs_struct_alloc_init(void)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return ERR_PTR(-ENOMEM);
	fs->users = 1;
	spin_lock_init(&fs->lock);
	get_fs_root_ns(&fs->root);
	get_fs_root_ns(&fs->pwd);
	fs->umask = 022;
	return fs;
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return ERR_PTR(-ENOMEM);
	fs->users = 1;
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->root = old->root;
	path_get(&fs->root);
	fs->pwd = old->pwd;
	path_get(&fs->pwd);
	fs->umask = old->umask;
	spin_unlock(&old->lock);
	return fs;
}

void put_fs_struct(struct fs_struct *fs)
{
	if (__atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL))
		return;
	if (fs == &init_fs)
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

/* Replaces *@slot (fs->pwd or fs->root) by @path; the old path is put after unlocking. */
static void fs_path_replace(struct fs_struct *fs, struct path *slot, const struct path *path)
{
	struct path old;

	spin_lock(&fs->lock);
	WRITE_ONCE(fs->seq, fs->seq + 1);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* x86: stores stay in order */
	old = *slot;
	*slot = *path;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(fs->seq, fs->seq + 1);
	spin_unlock(&fs->lock);
	if (old.dentry)
		path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	fs_path_replace(fs, &fs->pwd, path);
}

void set_fs_root(struct fs_struct *fs, const struct path *path)
{
	fs_path_replace(fs, &fs->root, path);
}

SYSCALL_DEFINE1(umask, int, mask)
{
	struct fs_struct *fs = current_fs_struct();
	unsigned int old;

	spin_lock(&fs->lock);
	old = fs->umask;
	fs->umask = mask & 0777;
	spin_unlock(&fs->lock);
	return old;
}
