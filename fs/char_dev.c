// SPDX-License-Identifier: MIT
/*
 * Character devices by number. A driver registers the file operations of
 * one (major, minor); opening a character-device inode looks its number up
 * and switches the file to the driver's operations (ENXIO when nothing is
 * registered), which is how /dev nodes and mknod'ed nodes reach drivers.
 *
 * Lock order: chrdevs_lock is a leaf.
 */
#include <exo/fs.h>
#include <uapi/errno.h>
#include "internal.h"

#define MAX_CHRDEVS 32

struct chrdev {
	dev_t dev;
	bool any_minor;		/* register_chrdev_major(): every minor of MAJOR(dev) */
	const struct file_operations *fops;
};

static struct chrdev chrdevs[MAX_CHRDEVS];	/* [chrdevs_lock] */
static unsigned int nr_chrdevs;			/* [chrdevs_lock] */
static DEFINE_SPINLOCK(chrdevs_lock);

static int chrdev_add(dev_t dev, bool any_minor, const struct file_operations *fops)
{
	int err = 0;

	spin_lock(&chrdevs_lock);
	if (nr_chrdevs == MAX_CHRDEVS) {
		err = -ENOSPC;
	} else {
		chrdevs[nr_chrdevs].dev = dev;
		chrdevs[nr_chrdevs].any_minor = any_minor;
		chrdevs[nr_chrdevs].fops = fops;
		nr_chrdevs++;
	}
	spin_unlock(&chrdevs_lock);
	return err;
}

int register_chrdev_fops(unsigned int major, unsigned int minor, const struct file_operations *fops)
{
	return chrdev_add(MKDEV(major, minor), false, fops);
}

int register_chrdev_major(unsigned int major, const struct file_operations *fops)
{
	return chrdev_add(MKDEV(major, 0), true, fops);
}

static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = NULL;

	spin_lock(&chrdevs_lock);
	for (unsigned int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].dev == inode->i_rdev ||
		    (chrdevs[i].any_minor && MAJOR(chrdevs[i].dev) == MAJOR(inode->i_rdev)))
			fops = chrdevs[i].fops;
	spin_unlock(&chrdevs_lock);
	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	/* Devices are streams unless they say how to seek. */
	if (!fops->llseek)
		file->f_mode &= ~FMODE_LSEEK;
	return fops->open ? fops->open(inode, file) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
