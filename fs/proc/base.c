// SPDX-License-Identifier: MIT
/*
 * /proc/PID: the per-process files.
 *
 * cmdline and environ are read out of the process's own memory, between
 * the arg_start/arg_end and env_start/env_end exec recorded, through
 * access_remote_vm() on a user reference to its mm: the process may have
 * rewritten them, as Linux allows. The links (exe, cwd, root) are magic:
 * a walk jumps to the file or directory itself; readlink() shows it as
 * d_path() sees it from the reader's root.
 *
 * /proc/PID/task/TID has the same files for each thread (the directory
 * lists the threads in tid order); /proc/TID works for any thread, though
 * /proc lists only processes, as on Linux.
 *
 * Permissions as in Linux: stat, status, cmdline, comm and mounts are for
 * everyone; environ, maps, fd/, fdinfo/, exe, cwd and root only for the process's
 * own user or root (PROC_PTRACE, checked at open and again at read).
 *
 * Locking: task_lock() while taking references on mm/fs; mm->lock only
 * inside access_remote_vm() and while copying VMAs.
 */
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/memlayout.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "../internal.h"
#include "internal.h"

/* cmdline and environ beyond this are cut, as Linux cuts at what fits its buffers. */
#define PROC_ARGS_MAX	(128 * 1024)

struct task *proc_seq_task(struct seq_file *m)
{
	struct proc_inode *pi = PROC_I(m->inode);

	return proc_get_task(pi->pid, pi->entry->flags & PROC_PTRACE);
}

struct proc_vma *proc_vmas_get(struct mm *mm, unsigned int *nr)
{
	struct proc_vma *v;
	struct vm_area *vma;
	unsigned int n = 0;

	spin_lock(&mm->lock);
	/* kmalloc never sleeps: allocating under mm->lock keeps map_count exact. */
	v = kmalloc(((size_t)mm->map_count + 1) * sizeof(*v), GFP_KERNEL);
	if (!v) {
		spin_unlock(&mm->lock);
		return ERR_PTR(-ENOMEM);
	}
	for (vma = find_vma(mm, 0); vma && n < (unsigned int)mm->map_count;
	     vma = find_vma(mm, vma->vm_end)) {
		v[n] = (struct proc_vma){ .start = vma->vm_start, .end = vma->vm_end,
					  .flags = vma->vm_flags, .pgoff = vma->vm_pgoff,
					  .file = vma->vm_file };
		if (v[n].file)
			get_file(v[n].file);
		n++;
	}
	spin_unlock(&mm->lock);
	*nr = n;
	return v;
}

void proc_vmas_free(struct proc_vma *v, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		if (v[i].file)
			fput(v[i].file);
	kfree(v);
}

/* Copies [start, end) of the process's memory into the seq_file, as the bytes are. */
static int proc_show_user_range(struct seq_file *m, bool env)
{
	struct task *t = proc_seq_task(m);
	unsigned long start, end;
	struct mm *mm;
	char *buf;
	int err = 0;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	mm = get_task_mm(t);
	put_task(t);
	if (!mm)
		return 0;		/* a zombie or a kernel thread: empty, as in Linux */
	spin_lock(&mm->lock);
	start = env ? mm->env_start : mm->arg_start;
	end = env ? mm->env_end : mm->arg_end;
	spin_unlock(&mm->lock);
	if (end > start + PROC_ARGS_MAX)
		end = start + PROC_ARGS_MAX;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf) {
		mmput(mm);
		return -ENOMEM;
	}
	while (start < end && !m->overflow) {
		size_t want = min((size_t)(end - start), (size_t)PAGE_SIZE);
		int n = access_remote_vm(mm, start, buf, want, false);

		if (n <= 0)
			break;
		seq_write(m, buf, (size_t)n);
		start += (unsigned long)n;
	}
	kfree(buf);
	mmput(mm);
	return err;
}

static int proc_cmdline_show(struct seq_file *m)
{
	return proc_show_user_range(m, false);
}

static int proc_environ_show(struct seq_file *m)
{
	return proc_show_user_range(m, true);
}

static int proc_comm_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);
	char comm[TASK_COMM_LEN];

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	strlcpy(comm, t->comm, sizeof(comm));
	put_task(t);
	seq_printf(m, "%s\n", comm);
	return 0;
}

/* Linux's rule: a process renames its own threads only; the name is cut at 15 bytes, as written. */
static ssize_t proc_comm_write(struct file *file, const char *buf, size_t len)
{
	struct task *t = proc_get_task(PROC_I(file->f_inode)->pid, false);

	if (IS_ERR(t))
		return PTR_ERR(t);
	if (t->tgid != current->tgid) {
		put_task(t);
		return -EINVAL;
	}
	set_task_comm(t, buf, len);
	put_task(t);
	return (ssize_t)len;
}

/* size resident shared text lib data dt, in pages (proc(5)). */
static int proc_statm_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);
	unsigned long size = 0, rss = 0, text = 0, data = 0;
	struct mm *mm;

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	mm = get_task_mm(t);
	put_task(t);
	if (mm) {
		rss = mm_rss_pages(mm);
		spin_lock(&mm->lock);
		size = mm->total_vm;
		text = (ALIGN(mm->end_code, PAGE_SIZE) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
		for (struct vm_area *vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end))
			if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE ||
			    (vma->vm_flags & VM_GROWSDOWN))
				data += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		spin_unlock(&mm->lock);
		mmput(mm);
	}
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", size, rss, 0UL, text, data);
	return 0;
}

/* exe: the file the process runs, the mm's exe_file. */
static int proc_exe_get_link_path(struct inode *inode, struct path *path)
{
	struct task *t = proc_get_task(PROC_I(inode)->pid, true);
	struct file *exe = NULL;
	struct mm *mm;

	if (IS_ERR(t))
		return PTR_ERR(t);
	mm = get_task_mm(t);
	put_task(t);
	if (!mm)
		return -ENOENT;
	spin_lock(&mm->lock);
	if (mm->exe_file)
		exe = get_file(mm->exe_file);
	spin_unlock(&mm->lock);
	mmput(mm);
	if (!exe)
		return -ENOENT;
	*path = exe->f_path;
	path_get(path);
	fput(exe);
	return 0;
}

/* cwd or root of the process, from its fs_struct. */
static int proc_fs_get_link_path(struct inode *inode, struct path *path, bool cwd)
{
	struct task *t = proc_get_task(PROC_I(inode)->pid, true);
	struct path p = { NULL, NULL };

	if (IS_ERR(t))
		return PTR_ERR(t);
	task_lock(t);
	if (t->fs) {
		spin_lock(&t->fs->lock);
		p = cwd ? t->fs->pwd : t->fs->root;
		path_get(&p);
		spin_unlock(&t->fs->lock);
	}
	task_unlock(t);
	put_task(t);
	if (!p.dentry)
		return -ENOENT;
	*path = p;
	return 0;
}

static int proc_cwd_get_link_path(struct inode *inode, struct path *path)
{
	return proc_fs_get_link_path(inode, path, true);
}

static int proc_root_get_link_path(struct inode *inode, struct path *path)
{
	return proc_fs_get_link_path(inode, path, false);
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * fail-nth (Linux's): writing N makes the task's N-th eligible allocation
 * from now on fail; reading gives what is left (0: it failed). Only the task
 * itself may arm it, so that the counter stays its own.
 */
static int proc_fail_nth_show(struct seq_file *m)
{
	struct task *t = proc_seq_task(m);

	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	seq_printf(m, "%u\n", READ_ONCE(t->fail_nth));
	put_task(t);
	return 0;
}

static ssize_t proc_fail_nth_write(struct file *file, const char *buf, size_t len)
{
	struct task *t;
	unsigned long n;
	char *end;

	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	n = simple_strtoul(buf, &end, 0);
	if ((*end && !(*end == '\n' && !end[1])) || n > 0xffffffffUL)
		return -EINVAL;
	t = proc_get_task(PROC_I(file->f_inode)->pid, false);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (t != current) {
		put_task(t);
		return -EPERM;
	}
	t->fail_nth = (unsigned int)n;
	put_task(t);
	return (ssize_t)len;
}
#endif

static const struct proc_entry proc_pid_entries[] = {
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_pid_stat_show },
	{ .name = "status", .mode = S_IFREG | 0444, .show = proc_pid_status_show },
	{ .name = "statm", .mode = S_IFREG | 0444, .show = proc_statm_show },
	{ .name = "cmdline", .mode = S_IFREG | 0444, .show = proc_cmdline_show },
	{ .name = "comm", .mode = S_IFREG | 0644, .show = proc_comm_show,
	  .write = proc_comm_write },
	{ .name = "environ", .mode = S_IFREG | 0400, .flags = PROC_PTRACE,
	  .show = proc_environ_show },
	{ .name = "maps", .mode = S_IFREG | 0444, .flags = PROC_PTRACE,
	  .show = proc_pid_maps_show },
	{ .name = "mounts", .mode = S_IFREG | 0444, .show = proc_mounts_show },
	{ .name = "mountinfo", .mode = S_IFREG | 0444, .show = proc_mountinfo_show },
#ifdef CONFIG_FAULT_INJECTION
	{ .name = "fail-nth", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,
	  .show = proc_fail_nth_show, .write = proc_fail_nth_write },
#endif
	{ .name = "fd", .mode = S_IFDIR | 0500, .flags = PROC_PTRACE, .dir = &proc_fd_dir },
	/* Linux shows 0555 and checks in a permission hook; 0500 owned by the task is our check. */
	{ .name = "fdinfo", .mode = S_IFDIR | 0500, .flags = PROC_PTRACE, .dir = &proc_fdinfo_dir },
	{ .name = "exe", .mode = S_IFLNK | 0777, .flags = PROC_PTRACE,
	  .get_link_path = proc_exe_get_link_path },
	{ .name = "cwd", .mode = S_IFLNK | 0777, .flags = PROC_PTRACE,
	  .get_link_path = proc_cwd_get_link_path },
	{ .name = "root", .mode = S_IFLNK | 0777, .flags = PROC_PTRACE,
	  .get_link_path = proc_root_get_link_path },
	/* Last: a thread's directory has every entry but this one. */
	{ .name = "task", .mode = S_IFDIR | 0555, .dir = &proc_task_dir },
};

const struct proc_dir proc_pid_dir = {
	.entries = proc_pid_entries,
	.nr_entries = ARRAY_SIZE(proc_pid_entries),
};

/* /proc/PID/task/TID: the same files, about one thread. */
static const struct proc_dir proc_tid_dir = {
	.entries = proc_pid_entries,
	.nr_entries = ARRAY_SIZE(proc_pid_entries) - 1,
};

static const struct proc_entry proc_tid_entry = {
	.name = "tid", .mode = S_IFDIR | 0555, .dir = &proc_tid_dir,
};

/* The smallest thread id >= @from among the threads of process @tgid, or 0. */
static int next_tid(int tgid, int from)
{
	unsigned long flags;
	struct task *leader, *t;
	int best = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	leader = find_task_by_pid_locked(tgid);
	if (leader && leader->tgid == tgid)
		for_each_thread(leader, t)
			if (t->pid >= from && (!best || t->pid < best))
				best = t->pid;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

static int proc_task_lookup(struct inode *dir, struct dentry *dentry)
{
	int tid = proc_name_to_int(dentry->d_name, dentry->d_len);
	int tgid = PROC_I(dir)->pid;

	if (tid <= 0 || next_tid(tgid, tid) != tid)
		return 0;
	return proc_instantiate(dentry, &proc_tid_entry, tid, 0, proc_pid_ino(tid, 2));
}

static int proc_task_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	return proc_readdir_ids(ctx, base, next_tid, PROC_I(file->f_inode)->pid, 2);
}

const struct proc_dir proc_task_dir = {
	.lookup = proc_task_lookup,
	.readdir = proc_task_readdir,
};
