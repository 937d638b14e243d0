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
	const struct file_operations *fops;
};

static struct chrdev chrdevs[MAX_CHRDEVS];	/* [chrdevs_lock] */
static unsigned int nr_chrdevs;			/* [chrdevs_lock] */
static DEFINE_SPINLOCK(chrdevs_lock);

int register_chrdev_fops(unsigned int major, unsigned int minor, const struct file_operations *fops)
{
	int err = 0;

	spin_lock(&chrdevs_lock);
	if (nr_chrdevs == MAX_CHRDEVS) {
		err = -ENOSPC;
	} else {
		chrdevs[nr_chrdevs].dev = MKDEV(major, minor);
		chrdevs[nr_chrdevs].fops = fops;
		nr_chrdevs++;
	}
	spin_unlock(&chrdevs_lock);
	return err;
}

static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = NULL;

	spin_lock(&chrdevs_lock);
	for (unsigned int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].dev == inode->i_rdev)
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
