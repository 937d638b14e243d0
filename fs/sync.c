// SPDX-License-Identifier: MIT
/*
 * sync, syncfs, fsync, fdatasync. Memory file systems have nothing to
 * write back; sync(2) writes back the block devices' page caches
 * (block/fops.c). Otherwise these check their arguments the way Linux does:
 * EBADF for a bad fd, EINVAL for a file whose f_op has no fsync (device
 * nodes, pipes, sockets).
 */
#include <exo/blkdev.h>
#include <exo/fs.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include "internal.h"

static long do_fsync(unsigned int fd, bool datasync)
{
	struct file *f = fget(current_files(), fd);
	long r;

	if (!f)
		return -EBADF;
	if (f->f_mode & FMODE_PATH)
		r = -EBADF;
	else if (!f->f_op || !f->f_op->fsync)
		r = -EINVAL;
	else
		r = f->f_op->fsync(f, datasync);
	fput(f);
	return r;
}

SYSCALL_DEFINE1(fsync, unsigned int, fd)
{
	return do_fsync(fd, false);
}

SYSCALL_DEFINE1(fdatasync, unsigned int, fd)
{
	return do_fsync(fd, true);
}

SYSCALL_DEFINE0(sync)
{
#ifdef CONFIG_BLOCK
	sync_all_blockdevs();
#endif
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fget(current_files(), (unsigned int)fd);

	if (!f || fd < 0) {
		if (f)
			fput(f);
		return -EBADF;
	}
	fput(f);
	return 0;
}
