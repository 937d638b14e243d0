// SPDX-License-Identifier: MIT
/*
 * /proc/sys/kernel: hostname (the uname nodename; root may write it, a
 * trailing newline is dropped as Linux's proc_dostring does), ostype and
 * osrelease (uname's sysname and release).
 *
 * /proc/sys/vm/drop_caches (write-only, root): 1 drops the page cache, 2
 * slab objects, 3 both, as in Linux; 4 (Linux: silence the message) is
 * accepted and does nothing. 1 drops every clean unused page of the
 * page cache LRU (block devices and disk file systems' files; tmpfs pages
 * are the files themselves, which Linux keeps as well); 2 drops the
 * dentries disk file systems keep that nobody uses (shrink_dcache_all(),
 * which evicts their inodes: ext4 has no inode cache of its own), then
 * what the allocators keep for speed: every CPU's per-CPU slab stacks and
 * per-CPU page lists, and the empty slabs each cache keeps. With 3 the
 * dentries go first, so the pages their inodes held go with the rest.
 * Leak checks write 3 before reading /proc/meminfo.
 *
 * /proc/sys/vm/dirty_writeback_centisecs and dirty_expire_centisecs
 * (root-writable, 1/100 s, Linux's names): the flusher's period and the
 * age at which dirty data is written back (<exo/writeback.h>).
 *
 * /proc/sys/debug (CONFIG_FAULT_INJECTION): the knobs Linux keeps in
 * debugfs, failslab/ and fail_page_alloc/ {probability, interval, times,
 * space, verbose}, root-writable, plus read-only injected (failures so
 * far), all PROC_NOFAULT so that turning injection off cannot fail for
 * lack of memory once the file is open; fault_seed (writing reseeds) and fault_bad_errno (syscalls that
 * returned another errno than ENOMEM/EAGAIN/ENOBUFS after an injected
 * failure). See docs/errors.md.
 *
 * /proc/sys/fs/inotify: max_queued_events and max_user_watches (the latter
 * counted over all users here), root-writable.
 */
#include <exo/cpumask.h>
#include <exo/dcache.h>
#include <exo/fault-inject.h>
#include <exo/fsnotify.h>
#include <exo/ipc.h>
#include <exo/irqflags.h>
#include <exo/mm.h>
#include <exo/mqueue.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/utsname.h>
#include <exo/writeback.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/utsname.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

static int hostname_show(struct seq_file *m)
{
	char name[__NEW_UTS_LEN + 1];

	uts_get_nodename(name, sizeof(name));
	seq_printf(m, "%s\n", name);
	return 0;
}

static ssize_t hostname_write(struct file *file, const char *buf, size_t len)
{
	size_t n = 0;
	int err;

	if (current_cred()->euid != 0)
		return -EPERM;
	while (n < len && buf[n] != '\n' && buf[n] != '\0')
		n++;
	err = uts_set_nodename(buf, n);
	return err ? err : (ssize_t)len;
}

static int ostype_show(struct seq_file *m)
{
	seq_puts(m, UTS_SYSNAME "\n");
	return 0;
}

static int osrelease_show(struct seq_file *m)
{
	seq_puts(m, UTS_RELEASE "\n");
	return 0;
}

#ifdef CONFIG_SYSVIPC
/* The System V IPC limits: ipc/ipc_sysctl.c knows them by the file's name. */
static int ipc_knob_show(struct seq_file *m)
{
	return ipc_sysctl_show(PROC_I(m->inode)->entry->name, m);
}

static ssize_t ipc_knob_write(struct file *file, const char *buf, size_t len)
{
	return ipc_sysctl_write(PROC_I(file->f_inode)->entry->name, buf, len);
}

#define IPC_KNOB(n) { .name = n, .mode = S_IFREG | 0644, .show = ipc_knob_show, .write = ipc_knob_write }
#endif

static const struct proc_entry proc_sys_kernel_entries[] = {
	{ .name = "hostname", .mode = S_IFREG | 0644, .show = hostname_show,
	  .write = hostname_write },
#ifdef CONFIG_SYSVIPC
	IPC_KNOB("msgmax"), IPC_KNOB("msgmnb"), IPC_KNOB("msgmni"), IPC_KNOB("sem"),
	IPC_KNOB("shmall"), IPC_KNOB("shmmax"), IPC_KNOB("shmmni"),
#endif
	{ .name = "ostype", .mode = S_IFREG | 0444, .show = ostype_show },
	{ .name = "osrelease", .mode = S_IFREG | 0444, .show = osrelease_show },
};

static const struct proc_dir proc_sys_kernel_dir = {
	.entries = proc_sys_kernel_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_kernel_entries),
};

/* A decimal long, optionally negative, with an optional trailing newline. */
static int parse_long(const char *buf, long *val)
{
	bool neg = buf[0] == '-';
	char *end;

	if (buf[neg] < '0' || buf[neg] > '9')
		return -EINVAL;
	*val = (long)simple_strtoul(buf + neg, &end, 0);
	if (*end && !(*end == '\n' && !end[1]))
		return -EINVAL;
	if (neg)
		*val = -*val;
	return 0;
}

/* On each CPU, interrupts off (the IPI handler, or drop_caches_write()). */
static void drop_caches_cpu(void *unused)
{
	kmem_cache_shrink_all();
	drain_local_pages();
}

static ssize_t drop_caches_write(struct file *file, const char *buf, size_t len)
{
	unsigned long flags;
	long val;
	int err;

	if (current_cred()->euid != 0)
		return -EPERM;
	err = parse_long(buf, &val);
	if (err)
		return err;
	if (val < 1 || val > 4)
		return -EINVAL;
	if (val & 2)
		shrink_dcache_all();
	if (val & 1)
		drop_pagecache();
	if (val & 2) {
		task_stack_cache_drain();
		local_irq_save(flags);
		drop_caches_cpu(NULL);
		local_irq_restore(flags);
		smp_call_function_many(&cpu_online_mask, drop_caches_cpu, NULL, true);
	}
	return (ssize_t)len;
}

/* dirty_writeback_centisecs, dirty_expire_centisecs: the entry's name says which. */
static unsigned int *vm_knob(struct inode *inode)
{
	const struct proc_entry *e = PROC_I(inode)->entry;

	return !strcmp(e->name, "dirty_expire_centisecs") ? &dirty_expire_centisecs :
							     &dirty_writeback_centisecs;
}

static int vm_knob_show(struct seq_file *m)
{
	seq_printf(m, "%u\n", READ_ONCE(*vm_knob(m->inode)));
	return 0;
}

static ssize_t vm_knob_write(struct file *file, const char *buf, size_t len)
{
	long val;
	int err = parse_long(buf, &val);

	if (current_cred()->euid != 0)
		return -EPERM;
	if (err)
		return err;
	if (val < 0 || val > 0x7fffffffL)
		return -EINVAL;
	WRITE_ONCE(*vm_knob(file->f_inode), (unsigned int)val);
	return (ssize_t)len;
}

static const struct proc_entry proc_sys_vm_entries[] = {
	{ .name = "dirty_expire_centisecs", .mode = S_IFREG | 0644, .show = vm_knob_show,
	  .write = vm_knob_write },
	{ .name = "dirty_writeback_centisecs", .mode = S_IFREG | 0644, .show = vm_knob_show,
	  .write = vm_knob_write },
	{ .name = "drop_caches", .mode = S_IFREG | 0200, .write = drop_caches_write },
};

static const struct proc_dir proc_sys_vm_dir = {
	.entries = proc_sys_vm_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_vm_entries),
};

#ifdef CONFIG_FAULT_INJECTION
#define FAULT_NR_KNOBS 6	/* entries of FAULT_KNOBS() */
static const struct proc_entry failslab_entries[FAULT_NR_KNOBS], fail_page_alloc_entries[FAULT_NR_KNOBS];

/* The attribute and field a knob file is about, from its entry. */
static long *fault_knob(struct inode *inode, struct fault_attr **attrp)
{
	const struct proc_entry *e = PROC_I(inode)->entry;
	struct fault_attr *attr = (e >= failslab_entries && e < failslab_entries + FAULT_NR_KNOBS) ?
				  &failslab : &fail_page_alloc;

	*attrp = attr;
	if (!strcmp(e->name, "probability"))
		return (long *)&attr->probability;
	if (!strcmp(e->name, "interval"))
		return (long *)&attr->interval;
	if (!strcmp(e->name, "times"))
		return &attr->times;
	if (!strcmp(e->name, "space"))
		return &attr->space;
	return (long *)&attr->injected;
}

static int fault_knob_show(struct seq_file *m)
{
	const struct proc_entry *e = PROC_I(m->inode)->entry;
	struct fault_attr *attr;
	long *v = fault_knob(m->inode, &attr);

	if (!strcmp(e->name, "verbose"))
		seq_printf(m, "%u\n", attr->verbose);
	else
		seq_printf(m, "%ld\n", __atomic_load_n(v, __ATOMIC_RELAXED));
	return 0;
}

/* A knob's new value: only root writes them (EPERM), as a number (EINVAL). */
static int parse_root_knob(const char *buf, long *val)
{
	if (current_cred()->euid != 0)
		return -EPERM;
	return parse_long(buf, val);
}

static ssize_t fault_knob_write(struct file *file, const char *buf, size_t len)
{
	const struct proc_entry *e = PROC_I(file->f_inode)->entry;
	struct fault_attr *attr;
	long *v = fault_knob(file->f_inode, &attr), val;
	int err = parse_root_knob(buf, &val);

	if (err)
		return err;
	if (!strcmp(e->name, "verbose")) {
		attr->verbose = val != 0;
	} else if (!strcmp(e->name, "probability")) {
		if (val < 0 || val > 100)
			return -EINVAL;
		__atomic_store_n(v, val, __ATOMIC_RELAXED);
	} else if (!strcmp(e->name, "interval")) {
		if (val < 1)
			return -EINVAL;
		__atomic_store_n(v, val, __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(v, val, __ATOMIC_RELAXED);
	}
	return (ssize_t)len;
}

#define FAULT_KNOBS(prefix)									\
static const struct proc_entry prefix##_entries[] = {						\
	{ .name = "probability", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show, .write = fault_knob_write },					\
	{ .name = "interval", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show, .write = fault_knob_write },					\
	{ .name = "times", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show, .write = fault_knob_write },					\
	{ .name = "space", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show, .write = fault_knob_write },					\
	{ .name = "verbose", .mode = S_IFREG | 0644, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show, .write = fault_knob_write },					\
	{ .name = "injected", .mode = S_IFREG | 0444, .flags = PROC_NOFAULT,			\
	  .show = fault_knob_show },								\
};												\
static const struct proc_dir prefix##_dir = {							\
	.entries = prefix##_entries,								\
	.nr_entries = ARRAY_SIZE(prefix##_entries),						\
}

FAULT_KNOBS(failslab);
FAULT_KNOBS(fail_page_alloc);

static int fault_seed_show(struct seq_file *m)
{
	seq_printf(m, "%llu\n", (unsigned long long)fault_inject_get_seed());
	return 0;
}

static ssize_t fault_seed_write(struct file *file, const char *buf, size_t len)
{
	long val;
	int err = parse_root_knob(buf, &val);

	if (err)
		return err;
	fault_inject_seed((u64)val);
	return (ssize_t)len;
}

static int fault_bad_errno_show(struct seq_file *m)
{
	seq_printf(m, "%lu\n", __atomic_load_n(&fault_inject_bad_errno, __ATOMIC_RELAXED));
	return 0;
}

static const struct proc_entry proc_sys_debug_entries[] = {
	{ .name = "failslab", .mode = S_IFDIR | 0555, .dir = &failslab_dir },
	{ .name = "fail_page_alloc", .mode = S_IFDIR | 0555, .dir = &fail_page_alloc_dir },
	{ .name = "fault_seed", .mode = S_IFREG | 0644, .show = fault_seed_show,
	  .write = fault_seed_write },
	{ .name = "fault_bad_errno", .mode = S_IFREG | 0444, .show = fault_bad_errno_show },
};

static const struct proc_dir proc_sys_debug_dir = {
	.entries = proc_sys_debug_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_debug_entries),
};
#endif

#ifdef CONFIG_POSIX_MQUEUE
/* /proc/sys/fs/mqueue: Linux's POSIX message queue limits (ipc/mqueue.c keeps them). */
static const char *const mq_limit_names[MQ_NR_LIMITS] = {
	[MQ_MSG_MAX] = "msg_max",
	[MQ_MSGSIZE_MAX] = "msgsize_max",
	[MQ_QUEUES_MAX] = "queues_max",
	[MQ_MSG_DEFAULT] = "msg_default",
	[MQ_MSGSIZE_DEFAULT] = "msgsize_default",
};

static enum mq_limit mq_knob(struct inode *inode)
{
	const char *name = PROC_I(inode)->entry->name;
	int i;

	for (i = 0; i < MQ_NR_LIMITS - 1; i++)
		if (!strcmp(name, mq_limit_names[i]))
			break;
	return (enum mq_limit)i;
}

static int mq_knob_show(struct seq_file *m)
{
	seq_printf(m, "%ld\n", mq_limit_get(mq_knob(m->inode)));
	return 0;
}

static ssize_t mq_knob_write(struct file *file, const char *buf, size_t len)
{
	long val;
	int err = parse_long(buf, &val);

	if (current_cred()->euid != 0)
		return -EPERM;
	if (!err)
		err = mq_limit_set(mq_knob(file->f_inode), val);
	return err ? err : (ssize_t)len;
}

#define MQ_KNOB(n) { .name = n, .mode = S_IFREG | 0644, .show = mq_knob_show, \
			.write = mq_knob_write }
static const struct proc_entry proc_sys_mqueue_entries[] = {
	MQ_KNOB("msg_default"), MQ_KNOB("msg_max"), MQ_KNOB("msgsize_default"),
	MQ_KNOB("msgsize_max"), MQ_KNOB("queues_max"),
};

static const struct proc_dir proc_sys_mqueue_dir = {
	.entries = proc_sys_mqueue_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_mqueue_entries),
};

#endif

/* /proc/sys/fs/inotify: the limits fs/notify/inotify.c enforces (root-writable, >= 0). */
static int *inotify_knob(struct inode *inode)
{
	return strcmp(PROC_I(inode)->entry->name, "max_queued_events") ?
	       &inotify_max_user_watches : &inotify_max_queued_events;
}

static int inotify_knob_show(struct seq_file *m)
{
	seq_printf(m, "%d\n", __atomic_load_n(inotify_knob(m->inode), __ATOMIC_RELAXED));
	return 0;
}

static ssize_t inotify_knob_write(struct file *file, const char *buf, size_t len)
{
	long val;
	int err = parse_long(buf, &val);

	if (current_cred()->euid != 0)
		return -EPERM;
	if (!err && (val < 0 || val > 0x7fffffffL))
		err = -EINVAL;
	if (err)
		return err;
	__atomic_store_n(inotify_knob(file->f_inode), (int)val, __ATOMIC_RELAXED);
	return (ssize_t)len;
}

static const struct proc_entry proc_sys_inotify_entries[] = {
	{ .name = "max_queued_events", .mode = S_IFREG | 0644, .show = inotify_knob_show,
	  .write = inotify_knob_write },
	{ .name = "max_user_watches", .mode = S_IFREG | 0644, .show = inotify_knob_show,
	  .write = inotify_knob_write },
};

static const struct proc_dir proc_sys_inotify_dir = {
	.entries = proc_sys_inotify_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_inotify_entries),
};

static const struct proc_entry proc_sys_fs_entries[] = {
	{ .name = "inotify", .mode = S_IFDIR | 0555, .dir = &proc_sys_inotify_dir },
#ifdef CONFIG_POSIX_MQUEUE
	{ .name = "mqueue", .mode = S_IFDIR | 0555, .dir = &proc_sys_mqueue_dir },
#endif
};

static const struct proc_dir proc_sys_fs_dir = {
	.entries = proc_sys_fs_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_fs_entries),
};

static const struct proc_entry proc_sys_entries[] = {
#ifdef CONFIG_FAULT_INJECTION
	{ .name = "debug", .mode = S_IFDIR | 0555, .dir = &proc_sys_debug_dir },
#endif
	{ .name = "fs", .mode = S_IFDIR | 0555, .dir = &proc_sys_fs_dir },
	{ .name = "kernel", .mode = S_IFDIR | 0555, .dir = &proc_sys_kernel_dir },
#ifdef CONFIG_INET
	{ .name = "net", .mode = S_IFDIR | 0555, .dir = &proc_sys_net_dir },
#endif
	{ .name = "vm", .mode = S_IFDIR | 0555, .dir = &proc_sys_vm_dir },
};

const struct proc_dir proc_sys_dir = {
	.entries = proc_sys_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_entries),
};
