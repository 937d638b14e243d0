// SPDX-License-Identifier: MIT
/*
 * ioctl: the generic requests every fd understands (FIOCLEX, FIONCLEX,
 * FIONBIO, FIOASYNC, FIONREAD on regular files), then the file's own
 * unlocked_ioctl; anything else is ENOTTY, which is what isatty() and
 * TCGETS on a non-terminal expect.
 */
#include <exo/fs.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/stat.h>
#include "internal.h"

static long set_flag_from_user(struct file *f, unsigned long arg, unsigned int flag)
{
	int on;

	if (get_user(on, (int __user *)arg))
		return -EFAULT;
	spin_lock(&f->f_lock);
	if (on)
		f->f_flags |= flag;
	else
		f->f_flags &= ~flag;
	spin_unlock(&f->f_lock);
	return 0;
}

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct files_struct *files = current_files();
	struct file *f = fget(files, fd);
	struct inode *inode;
	long r;

	if (!f)
		return -EBADF;
	if (f->f_mode & FMODE_PATH) {
		fput(f);
		return -EBADF;
	}
	inode = f->f_inode;
	switch (cmd) {
	case FIOCLEX:
		fd_set_cloexec(files, fd, true);
		r = 0;
		break;
	case FIONCLEX:
		fd_set_cloexec(files, fd, false);
		r = 0;
		break;
	case FIONBIO:
		r = set_flag_from_user(f, arg, O_NONBLOCK);
		break;
	case FIOASYNC:
		r = set_flag_from_user(f, arg, FASYNC);
		break;
	case FIONREAD:
		if (S_ISREG(inode->i_mode)) {
			loff_t left;
			int n;

			spin_lock(&f->f_lock);
			left = inode->i_size - f->f_pos;
			spin_unlock(&f->f_lock);
			n = left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
			r = put_user(n, (int __user *)arg) ? -EFAULT : 0;
			break;
		}
		/* devices and pipes answer for themselves */
		__attribute__((fallthrough));
	default:
		r = (f->f_op && f->f_op->unlocked_ioctl) ? f->f_op->unlocked_ioctl(f, cmd, arg)
							 : -ENOTTY;
		break;
	}
	fput(f);
	return r;
}
