// SPDX-License-Identifier: MIT
/*
 * /proc/sys/kernel: hostname (the uname nodename; root may write it, a
 * trailing newline is dropped as Linux's proc_dostring does), ostype and
 * osrelease (uname's sysname and release).
 */
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/utsname.h>
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

static const struct proc_entry proc_sys_kernel_entries[] = {
	{ .name = "hostname", .mode = S_IFREG | 0644, .show = hostname_show,
	  .write = hostname_write },
	{ .name = "ostype", .mode = S_IFREG | 0444, .show = ostype_show },
	{ .name = "osrelease", .mode = S_IFREG | 0444, .show = osrelease_show },
};

static const struct proc_dir proc_sys_kernel_dir = {
	.entries = proc_sys_kernel_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_kernel_entries),
};

static const struct proc_entry proc_sys_entries[] = {
	{ .name = "kernel", .mode = S_IFDIR | 0555, .dir = &proc_sys_kernel_dir },
};

const struct proc_dir proc_sys_dir = {
	.entries = proc_sys_entries,
	.nr_entries = ARRAY_SIZE(proc_sys_entries),
};
