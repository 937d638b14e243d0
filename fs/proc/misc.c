// SPDX-License-Identifier: MIT
/*
 * Small system files: /proc/mounts (also /proc/PID/mounts and mountinfo: one namespace),
 * /proc/filesystems, /proc/version, /proc/uptime, /proc/loadavg,
 * /proc/sysrq-trigger.
 *
 * Locking: mount_lock is held only to pin the mounts (mntget; they are never
 * freed), since d_path() takes it again; file_systems_lock inside
 * iterate_filesystems(), where the callback only formats.
 */
#include <exo/jiffies.h>
#include <exo/kernel_stat.h>
#include <exo/mount.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/utsname.h>
#include <uapi/errno.h>
#include <uapi/mount.h>
#include "../internal.h"
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include "internal.h"

/* Linux's per-mount option words: ro or rw, nosuid, nodev, noexec, relatime. */
static void mount_options(struct seq_file *m, const struct vfsmount *mnt)
{
	int f = READ_ONCE(mnt->mnt_flags);

	seq_printf(m, "%s%s%s%s,relatime", f & MNT_READONLY ? "ro" : "rw",
		   f & MNT_NOSUID ? ",nosuid" : "", f & MNT_NODEV ? ",nodev" : "",
		   f & MNT_NOEXEC ? ",noexec" : "");
}

/* /proc/PID/mounts: device mountpoint type options 0 0. */
static void mounts_one(struct seq_file *m, struct vfsmount *mnt, const char *where)
{
	seq_printf(m, "%s %s %s ", mnt->mnt_devname, where, mnt->mnt_sb->s_type->name);
	mount_options(m, mnt);
	seq_puts(m, " 0 0\n");
}

/*
 * /proc/PID/mountinfo, Linux's format (what libmount and coreutils' df read
 * first): mount id, parent id, the st_dev major:minor, the mount's root
 * within its file system ("/": there are no bind mounts), the mount point,
 * the per-mount options, no optional fields (every mount is private), "-",
 * the type, the source and the super block's options. The root mount is its
 * own parent here; Linux names the hidden rootfs, also a mount not listed.
 */
static void mountinfo_one(struct seq_file *m, struct vfsmount *mnt, const char *where)
{
	struct super_block *sb = mnt->mnt_sb;

	seq_printf(m, "%d %d %u:%u / %s ", mnt->mnt_id, READ_ONCE(mnt->mnt_parent)->mnt_id,
		   MAJOR(sb->s_dev), MINOR(sb->s_dev), where);
	mount_options(m, mnt);
	seq_printf(m, " - %s %s %s\n", sb->s_type->name, mnt->mnt_devname,
		   READ_ONCE(sb->s_flags) & MS_RDONLY ? "ro" : "rw");
}

/* @show for each mount the reader's root reaches, in mount order. */
static int show_mounts(struct seq_file *m,
		       void (*show)(struct seq_file *m, struct vfsmount *mnt, const char *where))
{
	struct fs_struct *fs = current_fs_struct();
	struct vfsmount **mnts, *mnt;
	unsigned int n = 0, i = 0;
	struct path root;
	char *buf;

	spin_lock(&mount_lock);
	list_for_each_entry(mnt, &mount_list, mnt_list)
		n++;
	spin_unlock(&mount_lock);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	mnts = kmalloc((n + 1) * sizeof(*mnts), GFP_KERNEL);
	if (!buf || !mnts) {
		kfree(buf);
		kfree(mnts);
		return -ENOMEM;
	}
	spin_lock(&mount_lock);
	list_for_each_entry(mnt, &mount_list, mnt_list) {
		if (i == n)
			break;
		mnts[i++] = mntget(mnt);
	}
	spin_unlock(&mount_lock);
	spin_lock(&fs->lock);
	root = fs->root;
	path_get(&root);
	spin_unlock(&fs->lock);
	for (unsigned int k = 0; k < i; k++) {
		struct path p = { mnts[k], mnts[k]->mnt_root };
		char *where = d_path(&p, &root, buf, PATH_MAX);

		if (!IS_ERR(where))
			show(m, mnts[k], where);
		mntput(mnts[k]);
	}
	path_put(&root);
	kfree(mnts);
	kfree(buf);
	return 0;
}

int proc_mounts_show(struct seq_file *m)
{
	return show_mounts(m, mounts_one);
}

int proc_mountinfo_show(struct seq_file *m)
{
	return show_mounts(m, mountinfo_one);
}

static void filesystems_one(struct file_system_type *type, void *arg)
{
	/* Memory-backed types need no block device: "nodev", as Linux marks them. */
	seq_printf(arg, "%s\t%s\n", type->mount_dev ? "" : "nodev", type->name);
}

int proc_filesystems_show(struct seq_file *m)
{
	iterate_filesystems(filesystems_one, m);
	return 0;
}

int proc_version_show(struct seq_file *m)
{
	seq_printf(m, "%s version %s (%s) (gcc %s) %s\n", UTS_SYSNAME, UTS_RELEASE, UTS_COMPILE_BY,
		   __VERSION__, UTS_VERSION);
	return 0;
}

/* Seconds since boot and seconds all CPUs spent idle, to 1/100 s. */
int proc_uptime_show(struct seq_file *m)
{
	u64 up = ktime_get_ns() / (NSEC_PER_SEC / 100), idle = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++)
		idle += READ_ONCE(kcpustat[i].idle);
	idle = idle * 100 / HZ;
	seq_printf(m, "%lu.%02lu %lu.%02lu\n", (unsigned long)(up / 100), (unsigned long)(up % 100),
		   (unsigned long)(idle / 100), (unsigned long)(idle % 100));
	return 0;
}

#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

int proc_loadavg_show(struct seq_file *m)
{
	unsigned long a[3];
	unsigned int threads = nr_threads();

	for (int i = 0; i < 3; i++)
		a[i] = READ_ONCE(avenrun[i]) + FIXED_1 / 200;	/* round to 1/100 */
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n", LOAD_INT(a[0]), LOAD_FRAC(a[0]),
		   LOAD_INT(a[1]), LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]), nr_running(),
		   threads, pid_last());
	return 0;
}

/*
 * /proc/sysrq-trigger (root, write-only), Linux's: each character of the
 * write is a SysRq command. 't' prints every task's state and kernel stack
 * to the console (what the test harness asks for when a test hangs);
 * others are logged as unsupported, and the write succeeds, as Linux's does
 * for an unknown key.
 */
ssize_t proc_sysrq_trigger_write(struct file *file, const char *buf, size_t len)
{
	(void)file;
	for (size_t i = 0; i < len; i++) {
		switch (buf[i]) {
		case 't':
			show_state();
			break;
		case '\n':
			break;
		default:
			pr_info("sysrq: key '%c' is not supported (t: show task states)\n", buf[i]);
		}
	}
	return (ssize_t)len;
}
