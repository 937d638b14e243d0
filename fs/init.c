// SPDX-License-Identifier: MIT
/*
 * Boot-time file system set-up, an fs_initcall: register the file systems,
 * mount tmpfs as /, unpack the initramfs into it, mount devtmpfs on /dev
 * and fill it. Before this runs no path resolves; after it, the kernel's
 * init context (init_fs) stands at / and filp_open() works.
 */
#include <exo/cmdline.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/mount.h>
#include <exo/printk.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>
#include "internal.h"

/* Makes the directory @dir (mode @mode) if missing and mounts a new @type instance on it. */
static int __maybe_unused mount_on(const char *dir, umode_t mode, const char *type,
				   unsigned long ms_flags)
{
	struct path p;
	int err;

	err = do_mkdirat(AT_FDCWD, dir, mode);
	if (err && err != -EEXIST)
		return err;
	err = path_lookupat(AT_FDCWD, dir, LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	err = do_mount_fs(type, type, &p, ms_flags, NULL);
	path_put(&p);
	return err;
}

#ifdef CONFIG_UNIX98_PTYS
/*
 * devpts on /dev/pts, where Linux's init scripts put it (mode 0755, no
 * setuid, no exec): /dev/ptmx needs it to name its slaves.
 */
static int mount_devpts(void)
{
	return mount_on("/dev/pts", 0755, "devpts", MS_NOSUID | MS_NOEXEC);
}
#else
static int mount_devpts(void)
{
	return 0;
}
#endif

#ifdef CONFIG_DEVFS
static int mount_dev(void)
{
	struct path dev;
	int err;

	err = mount_on("/dev", 0755, "devtmpfs", 0);
	if (err)
		return err;
	err = path_lookupat(AT_FDCWD, "/dev", LOOKUP_DIRECTORY, &dev);
	if (err)
		return err;
	err = devfs_populate(&dev);
	path_put(&dev);
	return err ? err : mount_devpts();
}
#define MOUNTED_DEV ", devtmpfs on /dev"
#else
static int mount_dev(void)
{
	return 0;
}
#define MOUNTED_DEV ""
#endif

#ifdef CONFIG_PROC_FS
static int mount_proc(void)
{
	int err = proc_init();

	if (!err)
		err = mount_on("/proc", 0555, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (!err)
		err = sysfs_init();
	return err ? err : mount_on("/sys", 0555, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC);
}
#define MOUNTED_PROC ", proc on /proc, sysfs on /sys"
#else
static int mount_proc(void)
{
	return 0;
}
#define MOUNTED_PROC ""
#endif

int vfs_init(void)
{
	struct path root;
	int err;

	err = tmpfs_init();
#ifdef CONFIG_UNIX98_PTYS
	if (!err)
		err = devpts_init();
#endif
	if (err)
		return err;
	err = mount_root("tmpfs");
	if (err) {
		pr_err("vfs: cannot mount the root tmpfs: %d\n", err);
		return err;
	}
	init_fs_set_root();
	get_fs_root_ns(&root);
	err = initramfs_unpack_boot(&root);
	path_put(&root);
	if (err)
		pr_err("vfs: initramfs unpacking stopped: %d\n", err);
	err = mount_dev();
	if (err)
		pr_err("vfs: cannot set up /dev: %d\n", err);
	if (mount_proc())
		pr_err("vfs: cannot mount /proc and /sys\n");
	pr_info("vfs: tmpfs on /" MOUNTED_DEV MOUNTED_PROC "\n");
	return err;
}
fs_initcall(vfs_init);

/*
 * root=/dev/vda1 [rootfstype=ext4] [rw]: once the drivers have found their
 * disks (after the initcalls), that device becomes / in place of the
 * initramfs tmpfs, as Linux's prepare_namespace does without an initrd,
 * and devtmpfs is mounted on its /dev (CONFIG_DEVTMPFS_MOUNT) so init
 * finds /dev/console. Without root= the initramfs stays the root.
 */
int prepare_namespace(void)
{
	char dev[64], type[32] = "ext4";
	struct path p;
	int err;

	if (!cmdline_get("root", dev, sizeof(dev)))
		return 0;
	cmdline_get("rootfstype", type, sizeof(type));
	err = vfs_switch_root(type, dev, cmdline_has("rw") ? 0 : MS_RDONLY);
	if (err) {
		pr_err("vfs: cannot mount root=%s (%s): %d; staying on the initramfs\n", dev, type,
		       err);
		return err;
	}
	path_put(&init_fs.root);
	path_put(&init_fs.pwd);
	init_fs_set_root();
	err = path_lookupat(AT_FDCWD, "/dev", LOOKUP_DIRECTORY, &p);
	if (!err) {
		err = do_mount_fs("devtmpfs", "devtmpfs", &p, 0, NULL);
		path_put(&p);
	}
	if (!err)
		err = mount_devpts();
	if (err)
		pr_warn("vfs: no devtmpfs on /dev of the new root: %d\n", err);
	pr_info("vfs: mounted %s (%s) as /\n", dev, type);
	return 0;
}
