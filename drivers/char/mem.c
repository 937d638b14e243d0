// SPDX-License-Identifier: MIT
/*
 * The memory devices of major 1: null (1:3), zero (1:5), full (1:7) and
 * kmsg (1:11). null reads EOF and swallows writes; zero reads zeros and
 * swallows writes; full reads zeros and refuses writes with ENOSPC; kmsg
 * reads the kernel log one record at a time, as Linux's, and turns each
 * write into a printk line. Seeking any of them succeeds and leaves the
 * position at 0, except kmsg, which seeks to Linux's three places.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/uaccess.h>
#include <generated/autoconf.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <asm/uaccess.h>

static ssize_t null_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t null_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t n = from->count;

	iov_iter_advance(from, n);
	return (ssize_t)n;
}

static ssize_t zero_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	size_t want = to->count, n = iov_iter_zero(want, to);

	if (!n && want)
		return -EFAULT;
	return (ssize_t)n;
}

/* The same for one user buffer (->read/->write: no iov_iter). */
static ssize_t null_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	return (ssize_t)count;
}

static ssize_t zero_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	/* read() checked access_ok() for the whole buffer. */
	return __clear_user(buf, count) ? -EFAULT : (ssize_t)count;
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
	.write_iter = null_write_iter,
	.write = null_write,
	.llseek = noop_llseek,
};

static const struct file_operations zero_fops = {
	.read_iter = zero_read_iter,
	.write_iter = null_write_iter,
	.read = zero_read,
	.write = null_write,
	.llseek = noop_llseek,
};

static const struct file_operations full_fops = {
	.read_iter = zero_read_iter,
	.read = zero_read,
	.write_iter = full_write,
	.llseek = noop_llseek,
};

/*
 * /dev/kmsg reads as Linux's: each read() returns one record,
 * "level,seq,usec,flags;text\n" (util-linux's dmesg and journald parse
 * them), from the oldest kept on; EAGAIN past the newest with O_NONBLOCK,
 * else the read waits for one; EPIPE once when the reader's next record was
 * overwritten; EINVAL when the buffer cannot hold the record (which is
 * then skipped, as on Linux). Each open file
 * has its own place (kmsg_pos) in private_data.
 */
#define KMSG_POLL_NS (100 * NSEC_PER_MSEC)	/* printk wakes nobody: readers poll, as syslog's */

static int kmsg_open(struct inode *inode, struct file *file)
{
	struct kmsg_pos *kp = kmalloc(sizeof(*kp), GFP_KERNEL);

	if (!kp)
		return -ENOMEM;
	kmsg_seek(kp, KMSG_SEEK_SET);
	file->private_data = kp;
	return 0;
}

static int kmsg_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t kmsg_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct kmsg_pos *kp = file->private_data, at;
	char *rec = kmalloc(KMSG_LINE_MAX + 64, GFP_KERNEL);
	ssize_t n;

	if (!rec)
		return -ENOMEM;
	for (;;) {
		spin_lock(&file->f_lock);
		at = *kp;
		spin_unlock(&file->f_lock);
		n = kmsg_read_record(&at, rec, min(to->count, (size_t)KMSG_LINE_MAX + 64));
		if (n) {
			spin_lock(&file->f_lock);
			*kp = at;
			spin_unlock(&file->f_lock);
		}
		if (n)
			break;
		n = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			break;
		n = -ERESTARTSYS;
		if (schedule_timeout_ns(KMSG_POLL_NS, true) > 0 || signal_pending_current())
			break;
	}
	if (n > 0 && copy_to_iter(rec, (size_t)n, to) != (size_t)n)
		n = -EFAULT;
	kfree(rec);
	return n;
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

/* Linux's three places: SEEK_SET 0 the oldest record, SEEK_DATA after the last clear, SEEK_END. */
static loff_t kmsg_llseek(struct file *file, loff_t offset, int whence)
{
	struct kmsg_pos at;

	if (offset)
		return -ESPIPE;
	if (whence == SEEK_SET)
		kmsg_seek(&at, KMSG_SEEK_SET);
	else if (whence == SEEK_DATA)
		kmsg_seek(&at, KMSG_SEEK_CLEAR);
	else if (whence == SEEK_END)
		kmsg_seek(&at, KMSG_SEEK_END);
	else
		return -EINVAL;
	spin_lock(&file->f_lock);
	*(struct kmsg_pos *)file->private_data = at;
	spin_unlock(&file->f_lock);
	return 0;
}

static const struct file_operations kmsg_fops = {
	.open = kmsg_open,
	.release = kmsg_release,
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
