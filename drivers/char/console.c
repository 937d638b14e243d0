// SPDX-License-Identifier: MIT
/*
 * /dev/console (5:1) and /dev/tty (5:0) until the tty layer lands: writes
 * go straight to the kernel's consoles (the serial port), reads return end
 * of file, and terminal ioctls are ENOTTY. The tty driver replaces both
 * registrations with real terminals.
 */
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <uapi/errno.h>

static ssize_t console_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t console_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	char buf[128];
	size_t done = 0;

	while (from->count) {
		size_t n = min(from->count, sizeof(buf));
		size_t c = copy_from_iter(buf, n, from);

		if (!c)
			return done ? (ssize_t)done : -EFAULT;
		/* Raw bytes, no log stamp: what the program wrote is what the terminal shows. */
		console_emergency_write(buf, c);
		done += c;
	}
	return (ssize_t)done;
}

static const struct file_operations console_fops = {
	.read_iter = console_read,
	.write_iter = console_write,
};

static int console_chrdev_init(void)
{
	int err = register_chrdev_fops(5, 1, &console_fops);

	if (!err)
		err = register_chrdev_fops(5, 0, &console_fops);
	return err;
}
core_initcall(console_chrdev_init);
