// SPDX-License-Identifier: MIT
/*
 * /proc/PID/fd: one symlink per open file descriptor, named by its number,
 * whose target is the file's path (d_path from the reader's root, with
 * " (deleted)" once unlinked) or, for files without a name, Linux's
 * "pipe:[ino]", "socket:[ino]", "anon_inode:[ino]". It is a magic link: a
 * path walk jumps to the open file's own dentry instead of reading that
 * text, so it reaches deleted and renamed files and pipes too (opening a
 * pipe this way is opening the FIFO; a socket gives ENXIO, as Linux).
 *
 * Locking: files->lock while looking at the table, never across emit() or
 * d_path(); the table is pinned with get_files() under task_lock(). Lookup
 * reads the table in place (task_lock -> files->lock) and takes no
 * reference, which is cheaper than a get and put (it runs under the
 * directory's i_rwsem, shared, where a put that sleeps would be allowed).
 */
#include <exo/exit.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/mount.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

#define PROC_FD_INO_BASE 0x80000000UL
#define PROC_FDINFO_INO_BASE 0xc0000000UL

/* The fd table of process @pid, referenced (put_files()), checked like the fd directory. */
static struct files_struct *proc_get_files(int pid)
{
	struct task *t = proc_get_task(pid, true);
	struct files_struct *files;

	if (IS_ERR(t))
		return NULL;
	task_lock(t);
	files = t->files ? get_files(t->files) : NULL;
	task_unlock(t);
	put_task(t);
	return files;
}

char *proc_d_path(const struct path *p, char *buf, size_t size)
{
	struct fs_struct *fs = current_fs_struct();
	struct path root;
	char *s;

	spin_lock(&fs->lock);
	root = fs->root;
	path_get(&root);
	spin_unlock(&fs->lock);
	s = d_path(p, &root, buf, size);
	path_put(&root);
	return s;
}

char *proc_path_text(const struct path *p, char *buf, size_t size)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->d_inode;
	char *s;

	if (!p->mnt) {
		const char *kind = S_ISFIFO(inode->i_mode) ? "pipe" :
				   S_ISSOCK(inode->i_mode) ? "socket" : "anon_inode";

		/* anon_inode files name their kind on the dentry, as Linux: anon_inode:[eventfd]. */
		if (d->d_name[0] == '[')
			snprintf(buf, size, "%s:%s", kind, d->d_name);
		else
			snprintf(buf, size, "%s:[%lu]", kind, inode->i_ino);
		return buf;
	}
	/* Room at the end for " (deleted)". */
	s = proc_d_path(p, buf, size - 16);
	if (!IS_ERR(s) && !(READ_ONCE(d->d_flags) & DCACHE_HASHED) && !d_is_root(d))
		strlcpy(s + strlen(s), " (deleted)", 16);
	return s;
}

char *proc_file_path(struct file *file, char *buf, size_t size)
{
	return proc_path_text(&file->f_path, buf, size);
}

static int proc_fd_get_link_path(struct inode *inode, struct path *path)
{
	struct proc_inode *pi = PROC_I(inode);
	struct files_struct *files = proc_get_files(pi->pid);
	struct file *file;

	if (!files)
		return -ENOENT;
	file = fget(files, (unsigned int)pi->fd);
	put_files(files);
	if (!file)
		return -ENOENT;
	*path = file->f_path;
	path_get(path);
	fput(file);
	return 0;
}

/* fd links are lr-x, l-wx or lrwx by the open mode, as in Linux. */
static const struct proc_entry proc_fd_entries[] = {
	{ .name = "fd", .mode = S_IFLNK | 0500, .flags = PROC_PTRACE, .get_link_path = proc_fd_get_link_path },
	{ .name = "fd", .mode = S_IFLNK | 0300, .flags = PROC_PTRACE, .get_link_path = proc_fd_get_link_path },
	{ .name = "fd", .mode = S_IFLNK | 0700, .flags = PROC_PTRACE, .get_link_path = proc_fd_get_link_path },
};

static const struct proc_entry *fd_entry(unsigned int f_mode)
{
	bool r = f_mode & FMODE_READ, w = f_mode & FMODE_WRITE;

	return &proc_fd_entries[r && w ? 2 : w ? 1 : 0];
}

/*
 * The open mode of fd @fd of process @pid, read in place, without taking a
 * reference to the file table or the file. False when the fd is not open
 * or the task is gone or not ours to see.
 */
static bool proc_fd_mode(int pid, int fd, unsigned int *f_mode)
{
	struct task *t = proc_get_task(pid, true);
	struct files_struct *files;
	bool open = false;

	if (IS_ERR(t))
		return false;
	task_lock(t);
	files = t->files;
	if (files) {
		spin_lock(&files->lock);
		if ((unsigned int)fd < files->max_fds && files->fd[fd]) {
			*f_mode = files->fd[fd]->f_mode;
			open = true;
		}
		spin_unlock(&files->lock);
	}
	task_unlock(t);
	put_task(t);
	return open;
}

static int proc_fd_lookup(struct inode *dir, struct dentry *dentry)
{
	int fd = proc_name_to_int(dentry->d_name, dentry->d_len);
	int pid = PROC_I(dir)->pid;
	unsigned int f_mode;

	if (fd < 0 || !proc_fd_mode(pid, fd, &f_mode))
		return 0;
	return proc_instantiate(dentry, fd_entry(f_mode), pid, fd,
				proc_pid_ino(pid, PROC_FD_INO_BASE + (unsigned long)fd));
}

/* The lowest open fd >= @from, or -1. */
static int next_fd(struct files_struct *files, unsigned int from, unsigned int *f_mode)
{
	int fd = -1;

	spin_lock(&files->lock);
	for (unsigned int i = from; i < files->max_fds; i++) {
		if (files->fd[i]) {
			fd = (int)i;
			*f_mode = files->fd[i]->f_mode;
			break;
		}
	}
	spin_unlock(&files->lock);
	return fd;
}

/* Emits one name per open fd, of type @type, inode numbers from @ino_base. */
static int proc_fd_emit_all(struct file *file, struct dir_context *ctx, loff_t base,
			    unsigned long ino_base, unsigned int type)
{
	int pid = PROC_I(file->f_inode)->pid;
	struct files_struct *files = proc_get_files(pid);

	if (!files)
		return 0;
	for (;;) {
		unsigned int f_mode = 0;
		int fd = next_fd(files, (unsigned int)(ctx->pos - base), &f_mode);
		char name[16];
		int len;

		if (fd < 0)
			break;
		len = snprintf(name, sizeof(name), "%d", fd);
		if (!ctx->emit(ctx, name, (unsigned int)len, base + fd + 1,
			       proc_pid_ino(pid, ino_base + (unsigned long)fd), type))
			break;
		ctx->pos = base + fd + 1;
	}
	put_files(files);
	return 0;
}

static int proc_fd_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	return proc_fd_emit_all(file, ctx, base, PROC_FD_INO_BASE, DT_LNK);
}

const struct proc_dir proc_fd_dir = {
	.lookup = proc_fd_lookup,
	.readdir = proc_fd_readdir,
};

/*
 * /proc/PID/fdinfo/N: the fd's position, open flags (with O_CLOEXEC when
 * the fd has close-on-exec, as Linux), mount id and inode number, then the
 * lines the file's kind adds through f_op->show_fdinfo. A file with no
 * mount (pipes, sockets, anon inodes) shows mnt_id 0 where Linux shows its
 * internal pseudo mount's id. Linux's lock lines are not printed.
 */
static int proc_fdinfo_show(struct seq_file *m)
{
	struct proc_inode *pi = PROC_I(m->inode);
	struct files_struct *files = proc_get_files(pi->pid);
	unsigned int flags;
	struct file *file;

	if (!files)
		return -ENOENT;
	file = fget(files, (unsigned int)pi->fd);
	flags = fd_get_cloexec(files, (unsigned int)pi->fd) ? O_CLOEXEC : 0;
	put_files(files);
	if (!file)
		return -ENOENT;
	flags |= READ_ONCE(file->f_flags);
	seq_printf(m, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		   (long long)READ_ONCE(file->f_pos), flags,
		   file->f_path.mnt ? file->f_path.mnt->mnt_id : 0, file->f_inode->i_ino);
	if (file->f_op && file->f_op->show_fdinfo)
		file->f_op->show_fdinfo(m, file);
	fput(file);
	return 0;
}

/* Readable by all as in Linux, but opening checks the task like fd/ (PROC_PTRACE). */
static const struct proc_entry proc_fdinfo_entry = {
	.name = "fdinfo", .mode = S_IFREG | 0444, .flags = PROC_PTRACE, .show = proc_fdinfo_show,
};

static int proc_fdinfo_lookup(struct inode *dir, struct dentry *dentry)
{
	int fd = proc_name_to_int(dentry->d_name, dentry->d_len);
	int pid = PROC_I(dir)->pid;
	unsigned int f_mode;

	if (fd < 0 || !proc_fd_mode(pid, fd, &f_mode))
		return 0;
	return proc_instantiate(dentry, &proc_fdinfo_entry, pid, fd,
				proc_pid_ino(pid, PROC_FDINFO_INO_BASE + (unsigned long)fd));
}

static int proc_fdinfo_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	return proc_fd_emit_all(file, ctx, base, PROC_FDINFO_INO_BASE, DT_REG);
}

const struct proc_dir proc_fdinfo_dir = {
	.lookup = proc_fdinfo_lookup,
	.readdir = proc_fdinfo_readdir,
};
