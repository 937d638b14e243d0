// SPDX-License-Identifier: MIT
/*
 * File system types and super blocks. A file system registers its type
 * once; each mount of a memory file system builds a new super block with an
 * anonymous device number (major 0, as Linux gives tmpfs), which is what
 * stat() reports as st_dev.
 *
 * Lock order: file_systems_lock is a leaf.
 */
#include <exo/fs.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

int mount_options_parse(const char *data, int (*one)(void *arg, const char *opt, const char *end),
			void *arg)
{
	while (data && *data) {
		const char *end = strchr(data, ',');
		int err;

		if (!end)
			end = data + strlen(data);
		if (end > data) {
			err = one(arg, data, end);
			if (err)
				return err;
		}
		data = *end ? end + 1 : end;
	}
	return 0;
}

static struct file_system_type *file_systems;	/* [file_systems_lock] */
static DEFINE_SPINLOCK(file_systems_lock);
static unsigned int next_anon_minor = 1;	/* [atomic] */

int register_filesystem(struct file_system_type *fs)
{
	int err = 0;

	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next) {
		if (!strcmp(p->name, fs->name)) {
			err = -EBUSY;
			goto out;
		}
	}
	fs->next = file_systems;
	file_systems = fs;
out:
	spin_unlock(&file_systems_lock);
	return err;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *p;

	spin_lock(&file_systems_lock);
	for (p = file_systems; p; p = p->next)
		if (!strcmp(p->name, name))
			break;
	spin_unlock(&file_systems_lock);
	return p;
}

void iterate_filesystems(void (*fn)(struct file_system_type *type, void *arg), void *arg)
{
	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next)
		fn(p, arg);
	spin_unlock(&file_systems_lock);
}

struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_type = type;
	sb->s_dev = MKDEV(0, __atomic_fetch_add(&next_anon_minor, 1, __ATOMIC_RELAXED));
	return sb;
}

struct super_block *sb_set_root(struct super_block *sb, struct inode *root)
{
	struct dentry *d;
	long err;

	if (IS_ERR(root)) {
		err = PTR_ERR(root);
		goto out_sb;
	}
	d = d_make_root(sb, root);
	if (IS_ERR(d)) {
		err = PTR_ERR(d);
		iput(root);
		goto out_sb;
	}
	sb->s_root = d;
	return sb;
out_sb:
	kfree(sb);
	return ERR_PTR(err);
}

/*
 * sysfs(2), the old way to list file system types: option 1 maps a name to
 * its index, 2 an index to its name, 3 counts them; indexes follow
 * /proc/filesystems' order.
 */
static long sysfs_index(const char __user *uname)
{
	struct file_system_type *p;
	char *name = getname_flags(uname, false);
	long idx = 0;

	if (IS_ERR(name))
		return PTR_ERR(name);
	spin_lock(&file_systems_lock);
	for (p = file_systems; p && strcmp(p->name, name); p = p->next)
		idx++;
	spin_unlock(&file_systems_lock);
	putname(name);
	return p ? idx : -EINVAL;
}

static long sysfs_name(unsigned long idx, char __user *buf)
{
	struct file_system_type *p;
	char name[64];

	spin_lock(&file_systems_lock);
	for (p = file_systems; p && idx; p = p->next)
		idx--;
	if (p)
		strlcpy(name, p->name, sizeof(name));
	spin_unlock(&file_systems_lock);
	if (!p)
		return -EINVAL;
	return copy_to_user(buf, name, strlen(name) + 1) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(sysfs, int, option, unsigned long, arg1, unsigned long, arg2)
{
	struct file_system_type *p;
	long n = 0;

	switch (option) {
	case 1:
		return sysfs_index((const char __user *)arg1);
	case 2:
		return sysfs_name(arg1, (char __user *)arg2);
	case 3:
		spin_lock(&file_systems_lock);
		for (p = file_systems; p; p = p->next)
			n++;
		spin_unlock(&file_systems_lock);
		return n;
	}
	return -EINVAL;
}
