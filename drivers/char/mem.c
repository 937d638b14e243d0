// SPDX-License-Identifier: MIT
/*
 * The memory devices of major 1: null (1:3), zero (1:5), full (1:7) and
 * kmsg (1:11). null reads EOF and swallows writes; zero reads zeros and
 * swallows writes; full reads zeros and refuses writes with ENOSPC; kmsg
 * reads the kernel log from its position and turns each write into a
 * printk line. Seeking any of them succeeds and leaves the position at 0,
 * except kmsg, which seeks in the log like a file.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <generated/autoconf.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

static ssize_t null_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t n = from->count;

	iov_iter_advance(from, n);
	return (ssize_t)n;
}

static ssize_t zero_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	size_t want = to->count, n = iov_iter_zero(want, to);

	if (!n && want)
		return -EFAULT;
	return (ssize_t)n;
}

static ssize_t full_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return -ENOSPC;
}

static loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return 0;
}

static const struct file_operations null_fops = {
	.read_iter = null_read,
	.write_iter = null_write,
	.llseek = noop_llseek,
};

static const struct file_operations zero_fops = {
	.read_iter = zero_read,
	.write_iter = null_write,
	.llseek = noop_llseek,
};

static const struct file_operations full_fops = {
	.read_iter = zero_read,
	.write_iter = full_write,
	.llseek = noop_llseek,
};

static ssize_t kmsg_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	char *log = kmalloc(CONFIG_LOG_BUF_SIZE, GFP_KERNEL);
	size_t len, n, c;

	if (!log)
		return -ENOMEM;
	len = printk_log_read(log, CONFIG_LOG_BUF_SIZE);
	if (*pos < 0 || (size_t)*pos >= len) {
		kfree(log);
		return 0;
	}
	n = min(len - (size_t)*pos, to->count);
	c = copy_to_iter(log + *pos, n, to);
	kfree(log);
	*pos += (loff_t)c;
	return c ? (ssize_t)c : -EFAULT;
}

static ssize_t kmsg_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	char buf[256];
	size_t total = from->count, done = 0;

	while (from->count) {
		size_t n = min(from->count, sizeof(buf) - 1);
		size_t c = copy_from_iter(buf, n, from);

		if (!c)
			return done ? (ssize_t)done : -EFAULT;
		buf[c] = '\0';
		printk(KERN_INFO "%s", buf);
		done += c;
	}
	return (ssize_t)total;
}

static loff_t kmsg_llseek(struct file *file, loff_t offset, int whence)
{
	if (whence != SEEK_SET || offset < 0)
		return -EINVAL;
	spin_lock(&file->f_lock);
	file->f_pos = offset;
	spin_unlock(&file->f_lock);
	return offset;
}

static const struct file_operations kmsg_fops = {
	.read_iter = kmsg_read,
	.write_iter = kmsg_write,
	.llseek = kmsg_llseek,
};

static int mem_chrdev_init(void)
{
	int err = register_chrdev_fops(1, 3, &null_fops);

	if (!err)
		err = register_chrdev_fops(1, 5, &zero_fops);
	if (!err)
		err = register_chrdev_fops(1, 7, &full_fops);
	if (!err)
		err = register_chrdev_fops(1, 11, &kmsg_fops);
	return err;
}
core_initcall(mem_chrdev_init);
