// SPDX-License-Identifier: MIT
/*
 * /proc itself: the system files, /proc/self and /proc/thread-self, and one
 * directory per process (thread group leader), named by its pid, zombies
 * included. A thread's id looks up too, without being listed.
 */
#include <exo/ipc.h>
#include <exo/irq.h>
#include <exo/irqflags.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/tty.h>
#include <uapi/dirent.h>
#include <uapi/stat.h>
#include "../internal.h"
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

static const char *proc_self_get_link(struct inode *inode, char *buf, size_t size)
{
	if (!current)
		return ERR_PTR(-ENOENT);
	snprintf(buf, size, "%d", current->tgid);
	return buf;
}

static const char *proc_thread_self_get_link(struct inode *inode, char *buf, size_t size)
{
	if (!current)
		return ERR_PTR(-ENOENT);
	snprintf(buf, size, "%d/task/%d", current->tgid, current->pid);
	return buf;
}

static const char *proc_mounts_get_link(struct inode *inode, char *buf, size_t size)
{
	return "self/mounts";
}

#ifdef CONFIG_SYSVIPC
/* /proc/sysvipc: System V IPC objects in Linux's columns (ipc/). */
static const struct proc_entry proc_sysvipc_entries[] = {
	{ .name = "msg", .mode = S_IFREG | 0444, .show = sysvipc_msg_show },
	{ .name = "sem", .mode = S_IFREG | 0444, .show = sysvipc_sem_show },
	{ .name = "shm", .mode = S_IFREG | 0444, .show = sysvipc_shm_show },
};

static const struct proc_dir proc_sysvipc_dir = {
	.entries = proc_sysvipc_entries,
	.nr_entries = ARRAY_SIZE(proc_sysvipc_entries),
};
#endif

static const struct proc_entry proc_root_entries[] = {
	{ .name = "self", .mode = S_IFLNK | 0777, .get_link = proc_self_get_link },
	{ .name = "thread-self", .mode = S_IFLNK | 0777, .get_link = proc_thread_self_get_link },
	{ .name = "mounts", .mode = S_IFLNK | 0777, .get_link = proc_mounts_get_link },
	{ .name = "meminfo", .mode = S_IFREG | 0444, .show = proc_meminfo_show },
	{ .name = "slabinfo", .mode = S_IFREG | 0400, .show = proc_slabinfo_show },
	{ .name = "cpuinfo", .mode = S_IFREG | 0444, .show = arch_show_cpuinfo },
	{ .name = "stat", .mode = S_IFREG | 0444, .show = proc_stat_show },
	{ .name = "uptime", .mode = S_IFREG | 0444, .show = proc_uptime_show },
	{ .name = "loadavg", .mode = S_IFREG | 0444, .show = proc_loadavg_show },
	{ .name = "filesystems", .mode = S_IFREG | 0444, .show = proc_filesystems_show },
	{ .name = "version", .mode = S_IFREG | 0444, .show = proc_version_show },
	{ .name = "consoles", .mode = S_IFREG | 0444, .show = proc_consoles_show },
	{ .name = "sys", .mode = S_IFDIR | 0555, .dir = &proc_sys_dir },
#ifdef CONFIG_SYSVIPC
	{ .name = "sysvipc", .mode = S_IFDIR | 0555, .dir = &proc_sysvipc_dir },
#endif
#ifdef CONFIG_INET
	{ .name = "net", .mode = S_IFDIR | 0555, .dir = &proc_net_dir },
#endif
#ifdef CONFIG_KPROF
	{ .name = "kprof", .mode = S_IFDIR | 0555, .dir = &proc_kprof_dir },
#endif
	{ .name = "interrupts", .mode = S_IFREG | 0444, .show = show_interrupts },
	{ .name = "sysrq-trigger", .mode = S_IFREG | 0200, .write = proc_sysrq_trigger_write },
};

static const struct proc_entry proc_pid_entry = {
	.name = "pid", .mode = S_IFDIR | 0555, .dir = &proc_pid_dir,
};

/* A decimal number without sign or leading zero, as a pid or fd name must be; -1 otherwise. */
int proc_name_to_int(const char *name, unsigned int len)
{
	long v = 0;

	if (!len || len > 9 || (name[0] == '0' && len > 1))
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return (int)v;
}

static int proc_root_lookup(struct inode *dir, struct dentry *dentry)
{
	int pid = proc_name_to_int(dentry->d_name, dentry->d_len);
	unsigned long flags;
	bool found;

	if (pid <= 0)
		return 0;
	/* Any thread's id resolves, as on Linux; readdir lists only processes. */
	spin_lock_irqsave(&tasklist_lock, flags);
	found = find_task_by_pid_locked(pid) != NULL;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!found)
		return 0;
	return proc_instantiate(dentry, &proc_pid_entry, pid, 0, proc_pid_ino(pid, 1));
}

/* The smallest thread-group id >= @from, or 0. */
static int next_tgid(int unused, int from)
{
	unsigned long flags;
	struct task *t;
	int best = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (t->pid == t->tgid && t->pid >= from && (!best || t->pid < best))
			best = t->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return best;
}

static int proc_root_readdir(struct file *file, struct dir_context *ctx, loff_t base)
{
	return proc_readdir_ids(ctx, base, next_tgid, 0, 1);
}

const struct proc_dir proc_root_dir = {
	.entries = proc_root_entries,
	.nr_entries = ARRAY_SIZE(proc_root_entries),
	.lookup = proc_root_lookup,
	.readdir = proc_root_readdir,
};
