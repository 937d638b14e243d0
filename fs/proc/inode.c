// SPDX-License-Identifier: MIT
/*
 * The proc file system type, its inodes and its directories.
 *
 * Every inode and dentry is made by lookup from a struct proc_entry (see
 * internal.h) and freed on the last dput(): procfs pins nothing, so the
 * dcache holds only what is in use. A directory's names are its entry table
 * followed by dynamic names (pids in /proc, fds in /proc/PID/fd); readdir
 * cookies are 0 and 1 for "." and "..", 2 + i for the table's entry i, and
 * base + n for dynamic name n (a pid or an fd), so they stay valid while
 * processes come and go.
 *
 * Locking: no lock of its own. Tasks are found under tasklist_lock and
 * pinned with get_task(); emit() (a user copy) runs with no lock held.
 * ->lookup and readdir run under the directory's i_rwsem held shared
 * (fs/namei.c, lookup_slow(); fs/readdir.c), a sleeping lock: two walkers
 * may look one name up at once, and d_add() keeps only the first dentry
 * (lookup_one_locked() hands it to the second). tasklist_lock, task_lock
 * and files->lock nest inside it.
 */
#include <exo/exit.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0

static const struct proc_entry proc_root_entry = {
	.name = "/", .mode = S_IFDIR | 0555, .dir = &proc_root_dir,
};

struct task *proc_get_task(int pid, bool check)
{
	struct task *t = find_get_task_by_pid(pid);

	if (!t)
		return ERR_PTR(-ESRCH);
	if (check && !proc_may_access(t)) {
		put_task(t);
		return ERR_PTR(-EACCES);
	}
	return t;
}

bool proc_may_access(struct task *t)
{
	const struct cred *c = current_cred(), *tc = &t->cred;

	if (!current || t == current || c->euid == 0)
		return true;
	return c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid &&
	       c->gid == tc->gid && c->gid == tc->egid && c->gid == tc->sgid;
}

struct inode *proc_make_inode(struct super_block *sb, const struct proc_entry *entry, int pid,
			      int fd, unsigned long ino)
{
	struct proc_inode *pi = kmalloc(sizeof(*pi), GFP_KERNEL);
	struct inode *inode;

	if (!pi)
		return ERR_PTR(-ENOMEM);
	inode = new_inode(sb);
	if (IS_ERR(inode)) {
		kfree(pi);
		return inode;
	}
	pi->entry = entry;
	pi->pid = pid;
	pi->fd = fd;
	inode->i_private = pi;
	inode->i_ino = ino;
	inode->i_mode = entry->mode;
	if (pid) {
		struct task *t = proc_get_task(pid, false);

		if (IS_ERR(t)) {
			iput(inode);
			return ERR_CAST(t);
		}
		inode->i_uid = t->cred.euid;
		inode->i_gid = t->cred.egid;
		put_task(t);
	}
	switch (entry->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
		inode->i_nlink = 2;
		break;
	case S_IFLNK:
		inode->i_op = entry->get_link_path ? &proc_magic_link_iops : &proc_link_iops;
		break;
	default:
		inode->i_fop = &proc_seq_fops;
		break;
	}
	return inode;
}

int proc_instantiate(struct dentry *dentry, const struct proc_entry *entry, int pid, int fd,
		     unsigned long ino)
{
	struct inode *inode = proc_make_inode(dentry->d_sb, entry, pid, fd, ino);

	if (PTR_ERR(inode) == -ESRCH)
		return 0;	/* the task went away: a negative dentry */
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_add(dentry, inode);
	return 0;
}

/* Inode number of entry @i of the table of @dir: the directory's number shifted, plus i + 1. */
static unsigned long proc_child_ino(struct inode *dir, unsigned int i)
{
	struct proc_inode *pi = PROC_I(dir);
	unsigned long base = dir->i_ino & 0xffffffffUL;

	return pi->pid ? proc_pid_ino(pi->pid, (base << 8) + i + 1) : (base << 8) + i + 1;
}

static int proc_lookup(struct inode *dir, struct dentry *dentry)
{
	const struct proc_dir *d = PROC_I(dir)->entry->dir;

	for (unsigned int i = 0; i < d->nr_entries; i++) {
		const struct proc_entry *e = &d->entries[i];

		if (strlen(e->name) == dentry->d_len && !memcmp(e->name, dentry->d_name, dentry->d_len))
			return proc_instantiate(dentry, e, PROC_I(dir)->pid, PROC_I(dir)->fd,
						proc_child_ino(dir, i));
	}
	return d->lookup ? d->lookup(dir, dentry) : 0;
}

static int proc_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	const struct proc_dir *d = PROC_I(dir)->entry->dir;
	struct dentry *parent;
	u64 parent_ino;

	if (ctx->pos < 1) {
		if (!ctx->emit(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos < 2) {
		spin_lock(&dcache_lock);
		parent = file->f_path.dentry->d_parent;
		parent_ino = parent->d_inode ? parent->d_inode->i_ino : PROC_ROOT_INO;
		spin_unlock(&dcache_lock);
		if (!ctx->emit(ctx, "..", 2, 2, parent_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (loff_t i = ctx->pos - 2; i < d->nr_entries; i++) {
		const struct proc_entry *e = &d->entries[i];

		if (!ctx->emit(ctx, e->name, (unsigned int)strlen(e->name), i + 3,
			       proc_child_ino(dir, (unsigned int)i), mode_to_dt(e->mode)))
			return 0;
		ctx->pos = i + 3;
	}
	return d->readdir ? d->readdir(file, ctx, 2 + (loff_t)d->nr_entries) : 0;
}

int proc_readdir_ids(struct dir_context *ctx, loff_t base, int (*next)(int arg, int from),
		     int arg, unsigned long ino_n)
{
	for (;;) {
		int id = next(arg, (int)(ctx->pos - base));
		char name[16];
		int len;

		if (!id)
			return 0;
		len = snprintf(name, sizeof(name), "%d", id);
		if (!ctx->emit(ctx, name, (unsigned int)len, base + id + 1, proc_pid_ino(id, ino_n),
			       DT_DIR))
			return 0;
		ctx->pos = base + id + 1;
	}
}

static const char *proc_get_link(struct inode *inode, char *buf, size_t size)
{
	return PROC_I(inode)->entry->get_link(inode, buf, size);
}

const struct inode_operations proc_dir_iops = {
	.lookup = proc_lookup,
};

const struct inode_operations proc_link_iops = {
	.get_link = proc_get_link,
};

static int proc_get_link_path(struct inode *inode, struct path *path)
{
	return PROC_I(inode)->entry->get_link_path(inode, path);
}

/* readlink() of a magic link: the text of the path it jumps to. */
static const char *proc_magic_get_link(struct inode *inode, char *buf, size_t size)
{
	struct path p;
	const char *s;
	int err = proc_get_link_path(inode, &p);

	if (err)
		return ERR_PTR(err);
	s = proc_path_text(&p, buf, size);
	path_put(&p);
	return s;
}

const struct inode_operations proc_magic_link_iops = {
	.get_link = proc_magic_get_link,
	.get_link_path = proc_get_link_path,
};

const struct file_operations proc_dir_fops = {
	.iterate = proc_readdir,
	.llseek = dir_cookie_llseek,
};

static void proc_evict_inode(struct inode *inode)
{
	kfree(inode->i_private);
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict_inode,
};

struct super_block *proc_table_fill_super(struct file_system_type *type, unsigned long magic,
					  const struct proc_entry *root)
{
	struct super_block *sb = sget_anon(type);

	if (IS_ERR(sb))
		return sb;
	sb->s_magic = magic;
	sb->s_op = &proc_sops;
	return sb_set_root(sb, proc_make_inode(sb, root, 0, 0, PROC_ROOT_INO));
}

/* proc's options (hidepid=, gid=) are not supported: they are ignored. */
static struct super_block *proc_mount(struct file_system_type *type, unsigned long flags,
				     const char *data)
{
	return proc_table_fill_super(type, PROC_SUPER_MAGIC, &proc_root_entry);
}

static struct file_system_type proc_fs_type = { .name = "proc", .mount = proc_mount };

int proc_init(void)
{
	return register_filesystem(&proc_fs_type);
}
