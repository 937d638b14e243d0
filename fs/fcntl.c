// SPDX-License-Identifier: MIT
/*
 * dup, dup2, dup3 and fcntl's descriptor commands (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL) and the pipe sizes
 * (F_GETPIPE_SZ, F_SETPIPE_SZ, answered by fs/pipe.c), record locks
 * (F_GETLK, F_SETLK, F_SETLKW: fs/locks.c). Leases, owners and seals come
 * with the subsystems that need them.
 */
#include <exo/fs.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "internal.h"

/* The flags F_SETFL may change; the access mode and creation flags stay. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | FASYNC | O_DIRECT | O_NOATIME)

int do_dup(unsigned int fd)
{
	struct files_struct *files = current_files();
	struct file *f = fget(files, fd);
	int newfd;

	if (!f)
		return -EBADF;
	newfd = fd_install_new(files, f, 0);
	if (newfd < 0)
		fput(f);
	return newfd;
}

int do_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	struct files_struct *files = current_files();
	struct file *f;
	int err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	f = fget(files, oldfd);
	if (!f)
		return -EBADF;
	err = fd_replace(files, newfd, f, (unsigned int)flags);
	if (err < 0)
		fput(f);
	return err;
}

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	return do_dup(fildes);
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return do_dup3(oldfd, newfd, flags);
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	if (oldfd == newfd) {
		struct file *f = fget(current_files(), oldfd);

		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return do_dup3(oldfd, newfd, 0);
}

long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct files_struct *files = current_files();
	struct file *f = fget(files, fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= rlimit_nofile()) {
			r = -EINVAL;
			break;
		}
		r = fd_alloc_from(files, (unsigned int)arg, get_file(f),
				  cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
		if (r < 0)
			fput(f);
		break;
	case F_GETFD:
		r = fd_get_cloexec(files, fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_set_cloexec(files, fd, arg & FD_CLOEXEC);
		r = 0;
		break;
	case F_GETFL:
		spin_lock(&f->f_lock);
		r = f->f_flags;
		spin_unlock(&f->f_lock);
		break;
	case F_SETFL:
		if (f->f_mode & FMODE_PATH) {
			r = -EBADF;
			break;
		}
		spin_lock(&f->f_lock);
		f->f_flags = (f->f_flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
		spin_unlock(&f->f_lock);
		r = 0;
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = pipe_fcntl(f, cmd, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = memfd_fcntl(f, cmd, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		r = fcntl_posix_lock(f, cmd, (struct flock __user *)arg);
		break;
	default:
		r = (f->f_mode & FMODE_PATH) ? -EBADF : -EINVAL;
		break;
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	return do_fcntl(fd, cmd, arg);
}
