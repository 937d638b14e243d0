// SPDX-License-Identifier: MIT
/*
 * splice, tee, vmsplice: moving data between a pipe and a file, two pipes,
 * or a pipe and user memory, with Linux's rules and errnos (do_splice,
 * do_tee, vmsplice_to_pipe/to_user).
 *
 * The pipe here holds private page copies, not references to page-cache
 * pages, so the data moves by copying through a kernel page: the calls
 * behave as Linux's (what is moved, when they wait, what they return) but
 * without the zero-copy. A call first waits until its pipe side is ready
 * (SPLICE_F_NONBLOCK or the pipe's O_NONBLOCK: EAGAIN instead), then moves
 * at most what the output pipe has room for, so the copy never waits
 * halfway; reading from a pipe stops once it is empty and something moved.
 * Bytes read from a pipe but refused by the output are lost, as when a
 * Linux splice to a file fails halfway.
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>
#include "internal.h"

#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08
#define SPLICE_F_ALL		(SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT)

static long do_splice(struct file *in, loff_t __user *off_in, struct file *out,
		      loff_t __user *off_out, size_t len, unsigned int flags)
{
	struct pipe_inode_info *ipipe = get_pipe_info(in), *opipe = get_pipe_info(out);
	loff_t ipos = 0, opos = 0, end;
	bool nonblock;
	ssize_t ret;

	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		return -EBADF;
	if ((ipipe && off_in) || (opipe && off_out))
		return -ESPIPE;
	if (!ipipe && !opipe)
		return -EINVAL;
	if (ipipe && opipe && ipipe == opipe)
		return -EINVAL;
	if (off_in) {
		if (!(in->f_mode & FMODE_PREAD))
			return -EINVAL;
		if (copy_from_user(&ipos, off_in, sizeof(ipos)))
			return -EFAULT;
	} else if (!ipipe) {
		ipos = READ_ONCE(in->f_pos);
	}
	if (off_out) {
		if (!(out->f_mode & FMODE_PWRITE))
			return -EINVAL;
		if (copy_from_user(&opos, off_out, sizeof(opos)))
			return -EFAULT;
	} else if (!opipe) {
		opos = READ_ONCE(out->f_pos);
	}
	if (!opipe && (READ_ONCE(out->f_flags) & O_APPEND))
		return -EINVAL;
	if (ipos < 0 || opos < 0 || (ssize_t)len < 0 ||
	    __builtin_add_overflow(ipipe ? opos : ipos, (loff_t)len, &end))
		return -EINVAL;
	nonblock = (flags & SPLICE_F_NONBLOCK) ||
		   ((READ_ONCE(in->f_flags) | READ_ONCE(out->f_flags)) & O_NONBLOCK);
	if (ipipe) {
		ret = pipe_wait_ready(ipipe, false, nonblock);
		if (ret)
			return ret;
	}
	if (opipe) {
		ret = pipe_wait_ready(opipe, true, nonblock);
		if (ret)
			return ret;
		len = min(len, pipe_room(opipe));
		if (!len)
			len = 1;	/* no reader: the write gives EPIPE */
	}
	ret = file_copy_range(in, &ipos, out, &opos, min(len, (size_t)MAX_RW_COUNT), ipipe);
	if (ret <= 0)
		return ret;
	if (off_in ? copy_to_user(off_in, &ipos, sizeof(ipos)) : 0)
		return -EFAULT;
	if (off_out ? copy_to_user(off_out, &opos, sizeof(opos)) : 0)
		return -EFAULT;
	if (!off_in && !ipipe && (in->f_mode & FMODE_LSEEK))
		WRITE_ONCE(in->f_pos, ipos);
	if (!off_out && !opipe && (out->f_mode & FMODE_LSEEK))
		WRITE_ONCE(out->f_pos, opos);
	return ret;
}

SYSCALL_DEFINE6(splice, int, fd_in, loff_t __user *, off_in, int, fd_out,
		loff_t __user *, off_out, size_t, len, unsigned int, flags)
{
	struct fd in, out;
	long ret;

	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	in = fdget((unsigned int)fd_in);
	if (!in.file)
		return -EBADF;
	out = fdget((unsigned int)fd_out);
	ret = out.file ? do_splice(in.file, off_in, out.file, off_out, len, flags) : -EBADF;
	fdput(out);
	fdput(in);
	return ret;
}

/* tee: copies what @in holds into @out without consuming it. */
static long do_tee(struct file *in, struct file *out, size_t len, unsigned int flags)
{
	struct pipe_inode_info *ipipe = get_pipe_info(in), *opipe = get_pipe_info(out);
	bool nonblock;
	loff_t pos = 0;
	size_t n;
	char *buf;
	long ret;

	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!ipipe || !opipe || ipipe == opipe)
		return -EINVAL;
	nonblock = (flags & SPLICE_F_NONBLOCK) ||
		   ((READ_ONCE(in->f_flags) | READ_ONCE(out->f_flags)) & O_NONBLOCK);
	ret = pipe_wait_ready(ipipe, false, nonblock);
	if (!ret)
		ret = pipe_wait_ready(opipe, true, nonblock);
	if (ret)
		return ret;
	len = min(len, min(pipe_room(opipe), (size_t)PAGE_SIZE * 16));
	buf = kmalloc(max(len, (size_t)1), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = pipe_peek(ipipe, buf, len);
	ret = n ? kernel_write(out, buf, n, &pos) : 0;	/* empty, no writer: 0 */
	kfree(buf);
	return ret;
}

SYSCALL_DEFINE4(tee, int, fdin, int, fdout, size_t, len, unsigned int, flags)
{
	struct fd in, out;
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	in = fdget((unsigned int)fdin);
	if (!in.file)
		return -EBADF;
	out = fdget((unsigned int)fdout);
	ret = out.file ? do_tee(in.file, out.file, len, flags) : -EBADF;
	fdput(out);
	fdput(in);
	return ret;
}

/*
 * vmsplice: user memory into a pipe's write end (as writev, at most what
 * fits) or out of its read end (as readv).
 */
SYSCALL_DEFINE4(vmsplice, int, fd, const struct iovec __user *, uiov, unsigned long, nr_segs,
		unsigned int, flags)
{
	struct pipe_inode_info *pipe;
	struct iovec *iov;
	struct iov_iter it;
	size_t total = 0;
	struct fd f;
	bool write;
	loff_t pos = 0;
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	f = fdget((unsigned int)fd);
	if (!f.file)
		return -EBADF;
	ret = -EBADF;
	write = f.file->f_mode & FMODE_WRITE;
	if (!write && !(f.file->f_mode & FMODE_READ))
		goto out;
	iov = import_iovec(uiov, nr_segs, &total);
	ret = PTR_ERR(iov);
	if (IS_ERR(iov))
		goto out;
	ret = 0;
	pipe = get_pipe_info(f.file);
	if (!total)
		goto out_free;
	ret = -EBADF;
	if (!pipe)
		goto out_free;
	ret = pipe_wait_ready(pipe, write, (flags & SPLICE_F_NONBLOCK) ||
				(READ_ONCE(f.file->f_flags) & O_NONBLOCK));
	if (ret)
		goto out_free;
	if (write)
		total = min(total, max(pipe_room(pipe), (size_t)1));
	iov_iter_init(&it, iov, nr_segs, total);
	ret = write ? vfs_write(f.file, &it, &pos) : vfs_read(f.file, &it, &pos);
out_free:
	kfree(iov);
out:
	fdput(f);
	return ret;
}
