// SPDX-License-Identifier: MIT
/*
 * read, write, their vectored and positional forms, lseek, and sendfile
 * (a copy through a kernel buffer, Linux's checks and errors).
 *
 * Linux's rules, in the order it checks them: a bad fd or an O_PATH file
 * is EBADF; a file not opened for reading (writing) is EBADF; a directory
 * read is EISDIR; a negative pread/pwrite offset is EINVAL; positional I/O
 * on a pipe-like file (no FMODE_PREAD) is ESPIPE; one call moves at most
 * MAX_RW_COUNT bytes; iovec counts above UIO_MAXIOV or lengths whose sum
 * overflows ssize_t are EINVAL.
 *
 * f_pos is read before the I/O and stored back after it, each a single
 * 64-bit access; as on Linux, concurrent I/O on one shared file may see the
 * same position (Linux serializes only with f_pos_lock, which we lack).
 * read() and write() through ->read/->write pass &f_pos itself: those
 * devices (null, zero, full) keep no position.
 */
#include <exo/fs.h>
#include <exo/fsnotify.h>
#include <exo/mm.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <uapi/inotify.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uapi/uio.h>
#include "internal.h"

/*
 * vfs_read() and vfs_write() after their f_mode checks, inline for pread()
 * and pwrite() of a file with only ->read_iter or ->write_iter (block
 * devices, ext4), whose fd_prw() made the checks: one call to the file
 * system. (read() and write() call vfs_read and vfs_write: inlined there
 * they moved the blocks of /dev/zero's and /dev/null's ->read path, one
 * jump more.)
 */
static __always_inline ssize_t do_iter_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	ssize_t ret;

	if (S_ISDIR(file->f_inode->i_mode))
		return -EISDIR;
	if (!file->f_op || !file->f_op->read_iter)
		return -EINVAL;
	if (to->count > MAX_RW_COUNT)
		to->count = MAX_RW_COUNT;
	if (!to->count)
		return 0;
	ret = file->f_op->read_iter(file, to, pos);
	if (ret > 0)
		fsnotify_dentry(file->f_path.dentry, IN_ACCESS);
	return ret;
}

static __always_inline ssize_t do_iter_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	ssize_t ret;

	if (!file->f_op || !file->f_op->write_iter)
		return -EINVAL;
	if (from->count > MAX_RW_COUNT)
		from->count = MAX_RW_COUNT;
	/* A socket sees write(fd, buf, 0): on a datagram socket it sends an empty datagram. */
	if (!from->count && !S_ISSOCK(file->f_inode->i_mode))
		return 0;
	ret = file->f_op->write_iter(file, from, pos);
	if (ret > 0)
		fsnotify_dentry(file->f_path.dentry, IN_MODIFY);
	return ret;
}

ssize_t vfs_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	if (file->f_mode & FMODE_PATH || !(file->f_mode & FMODE_READ))
		return -EBADF;
	return do_iter_read(file, to, pos);
}

ssize_t vfs_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	if (file->f_mode & FMODE_PATH || !(file->f_mode & FMODE_WRITE))
		return -EBADF;
	return do_iter_write(file, from, pos);
}

/*
 * One user buffer through a one-segment iov_iter; @checked: the caller made
 * vfs_read's or vfs_write's f_mode checks, the rest is inline.
 */
static __always_inline ssize_t rw_buf_iter(struct file *file, void __user *buf, size_t count,
					   loff_t *pos, bool write, bool checked)
{
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct iov_iter it;

	iov_iter_init(&it, &iov, 1, count);
	if (checked)
		return write ? do_iter_write(file, &it, pos) : do_iter_read(file, &it, pos);
	return write ? vfs_write(file, &it, pos) : vfs_read(file, &it, pos);
}

/* fsnotify_dentry() that loads the dentry only when a watch exists (one load fewer while none does). */
static __always_inline void fsnotify_file(const struct file *file, u32 mask)
{
	if (fsnotify_active())
		__fsnotify_dentry(file->f_path.dentry, mask);
}

/* The file's ->read (->write), which read() and write() of one buffer call when it has one. */
static __always_inline bool has_rw_op(const struct file *file, bool write)
{
	const struct file_operations *fop = file->f_op;

	return fop && (write ? fop->write != NULL : fop->read != NULL);
}

/*
 * ->read or ->write of one user buffer (it passed access_ok()) after
 * vfs_read's or vfs_write's checks. No directory has ->read (EISDIR). A
 * count of 0 goes to the file too, as on Linux (a socket's ->write sends
 * an empty datagram).
 */
static __always_inline ssize_t rw_buf_op(struct file *file, void __user *buf, size_t count,
					 loff_t *pos, bool write)
{
	unsigned int mode = write ? FMODE_WRITE : FMODE_READ;
	ssize_t ret;

	/* O_PATH, or not open for this direction: one compare for both. */
	if ((file->f_mode & (FMODE_PATH | mode)) != mode)
		return -EBADF;
	ret = write ? file->f_op->write(file, buf, count, pos) :
		      file->f_op->read(file, buf, count, pos);
	if (ret > 0)
		fsnotify_file(file, write ? IN_MODIFY : IN_ACCESS);
	return ret;
}

/* One user buffer (it passed access_ok()): ->read or ->write when the file has them. */
static __always_inline ssize_t rw_buf(struct file *file, void __user *buf, size_t count,
				      loff_t *pos, bool write, bool checked)
{
	if (has_rw_op(file, write))
		return rw_buf_op(file, buf, count, pos, write);
	return rw_buf_iter(file, buf, count, pos, write, checked);
}

/*
 * Stream I/O at f_pos through @it, or (@it NULL) of @count bytes at @buf.
 * Inlined: @write is constant at every call.
 */
static __always_inline ssize_t fd_rw(unsigned int fd, struct iov_iter *it, void __user *buf,
				     size_t count, bool write)
{
	struct fd f = fdget(fd);
	loff_t pos;
	ssize_t ret;

	if (!f.file)
		return -EBADF;
	if (!it && has_rw_op(f.file, write)) {
		/* ->read and ->write move f_pos themselves (<exo/fs.h>): no copy to store back. */
		ret = rw_buf_op(f.file, buf, count, &f.file->f_pos, write);
		fdput(f);
		return ret;
	}
	pos = READ_ONCE(f.file->f_pos);
	if (!it)
		ret = rw_buf_iter(f.file, buf, count, &pos, write, false);
	else
		ret = write ? vfs_write(f.file, it, &pos) : vfs_read(f.file, it, &pos);
	if (ret >= 0 && (f.file->f_mode & FMODE_LSEEK))
		WRITE_ONCE(f.file->f_pos, pos);
	fdput(f);
	return ret;
}

/*
 * Positional I/O at @pos through @it, or (@it NULL) of @count bytes at @buf.
 * Inlined like fd_rw(): @write is constant at every call.
 */
/*
 * What an open file @file says to a read or write (@positional: at a
 * given position) before the buffer is looked at, in Linux's order: an
 * O_PATH file is no file (EBADF), then a file without positions (ESPIPE),
 * then one not open for the direction (EBADF). 0 when it may go on.
 */
static int rw_file_error(const struct file *file, bool write, bool positional)
{
	unsigned int mode = write ? FMODE_WRITE : FMODE_READ;

	if (file->f_mode & FMODE_PATH)
		return -EBADF;
	if (positional && !(file->f_mode & (write ? FMODE_PWRITE : FMODE_PREAD)))
		return -ESPIPE;
	return file->f_mode & mode ? 0 : -EBADF;
}

static __always_inline ssize_t fd_prw(unsigned int fd, struct iov_iter *it, void __user *buf,
				      size_t count, loff_t pos, bool write)
{
	struct fd f;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;	/* before the descriptor, as Linux */
	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	ret = rw_file_error(f.file, write, true);
	if (!ret && !it)
		ret = rw_buf(f.file, buf, count, &pos, write, true);
	else if (!ret)
		ret = write ? vfs_write(f.file, it, &pos) : vfs_read(f.file, it, &pos);
	fdput(f);
	return ret;
}

static __always_inline ssize_t fd_rw_buf(unsigned int fd, void __user *buf, size_t count, bool write,
			 bool positional, loff_t pos)
{
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	/* Else gcc keeps the unclamped count too, for its zero tests: one register more to save. */
	OPTIMIZER_HIDE_VAR(count);
	/*
	 * access_ok() for a count under USER_SPACE_END: one compare. A count
	 * of 0 is checked too, as Linux's vfs_read does: EFAULT past the end.
	 */
	if ((unsigned long)buf > USER_SPACE_END - count) {
		/* Linux checks the descriptor and the file first: EFAULT comes last. */
		struct fd f;
		int err;

		if (positional && pos < 0)
			return -EINVAL;
		f = fdget(fd);
		if (!f.file)
			return -EBADF;
		err = rw_file_error(f.file, write, positional) ?: -EFAULT;
		fdput(f);
		return err;
	}
	return positional ? fd_prw(fd, NULL, buf, count, pos, write) :
			    fd_rw(fd, NULL, buf, count, write);
}

static __noinline ssize_t read_buf_slow(unsigned int fd, void __user *buf, size_t count)
{
	return fd_rw_buf(fd, buf, count, false, false, 0);
}

static __noinline ssize_t write_buf_slow(unsigned int fd, void __user *buf, size_t count)
{
	return fd_rw_buf(fd, buf, count, true, false, 0);
}

/*
 * read() and write() of a file with ->read (->write), by a task that is
 * the only user of its fd table, with a buffer that passes access_ok():
 * the usual call of a device, a pipe or a socket. Only the file is kept
 * across the call, so the frame saves one register; everything else,
 * errors included, goes to the general path, which checks it all again.
 */
static __always_inline ssize_t fd_rw_buf_fast(unsigned int fd, void __user *buf, size_t count,
					      bool write)
{
	struct files_struct *files = current->files;
	struct file *file;

	/* A count past MAX_RW_COUNT is clamped there, by the general path. */
	if (likely(count <= MAX_RW_COUNT && (unsigned long)buf <= USER_SPACE_END - count &&
		   __atomic_load_n(&files->count, __ATOMIC_RELAXED) == 1 && fd < files->max_fds)) {
		file = files->fd[fd];
		if (likely(file && has_rw_op(file, write)))
			return rw_buf_op(file, buf, count, &file->f_pos, write);
	}
	return write ? write_buf_slow(fd, buf, count) : read_buf_slow(fd, buf, count);
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return fd_rw_buf_fast(fd, buf, count, false);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t, count)
{
	return fd_rw_buf_fast(fd, (void __user *)buf, count, true);
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count, loff_t, pos)
{
	return fd_rw_buf(fd, buf, count, false, true, pos);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t, count, loff_t, pos)
{
	return fd_rw_buf(fd, (void __user *)buf, count, true, true, pos);
}

struct iovec *import_iovec(const struct iovec __user *uvec, unsigned long nr, size_t *total)
{
	struct iovec *iov;
	size_t sum = 0;

	if (nr > UIO_MAXIOV)
		return ERR_PTR(-EINVAL);
	iov = kmalloc(nr ? nr * sizeof(*iov) : 1, GFP_KERNEL);
	if (!iov)
		return ERR_PTR(-ENOMEM);
	if (nr && copy_from_user(iov, uvec, nr * sizeof(*iov))) {
		kfree(iov);
		return ERR_PTR(-EFAULT);
	}
	for (unsigned long i = 0; i < nr; i++) {
		size_t len = iov[i].iov_len;

		if ((ssize_t)len < 0) {
			kfree(iov);
			return ERR_PTR(-EINVAL);
		}
		if (len > MAX_RW_COUNT - sum) {
			len = MAX_RW_COUNT - sum;
			iov[i].iov_len = len;
		}
		if (len && !access_ok(iov[i].iov_base, len)) {
			kfree(iov);
			return ERR_PTR(-EFAULT);
		}
		sum += len;
	}
	*total = sum;
	return iov;
}

static ssize_t do_rwv(unsigned int fd, const struct iovec __user *vec, unsigned long vlen,
		      bool write, bool positional, loff_t pos)
{
	struct iovec *iov;
	struct iov_iter it;
	size_t total = 0;
	bool socket;
	ssize_t ret;
	struct file *f;

	/* The position, the descriptor and the file before the vector, as Linux. */
	if (positional && pos < 0)
		return -EINVAL;
	f = fget(current_files(), fd);
	if (!f)
		return -EBADF;
	ret = rw_file_error(f, write, positional);
	/* Unlike write(), writev() of nothing stops here even on a socket. */
	socket = S_ISSOCK(f->f_inode->i_mode);
	fput(f);
	if (ret)
		return ret;
	iov = import_iovec(vec, vlen, &total);
	if (IS_ERR(iov))
		return PTR_ERR(iov);
	iov_iter_init(&it, iov, vlen, total);
	if (!total && socket)
		ret = 0;
	else
		ret = positional ? fd_prw(fd, &it, NULL, 0, pos, write) :
				   fd_rw(fd, &it, NULL, 0, write);
	kfree(iov);
	return ret;
}

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_rwv((unsigned int)fd, vec, vlen, false, false, 0);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen)
{
	return do_rwv((unsigned int)fd, vec, vlen, true, false, 0);
}

SYSCALL_DEFINE5(preadv, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return do_rwv((unsigned int)fd, vec, vlen, false, true, (loff_t)pos_l);
}

SYSCALL_DEFINE5(pwritev, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h)
{
	return do_rwv((unsigned int)fd, vec, vlen, true, true, (loff_t)pos_l);
}

#define RWF_SUPPORTED (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

/*
 * preadv2/pwritev2: a position of -1 is the file's own (readv/writev).
 * RWF_HIPRI is a hint; RWF_NOWAIT is honoured for regular files, whose
 * reads and writes here never wait for I/O they did not start, and refused
 * elsewhere (Linux supports it on pipes and sockets too); RWF_APPEND writes
 * at the end; RWF_DSYNC/RWF_SYNC write the file back after the write.
 */
static ssize_t do_rwv2(unsigned int fd, const struct iovec __user *vec, unsigned long vlen,
		       loff_t pos, int flags, bool write)
{
	struct file *f;
	ssize_t ret;

	if (pos < -1)
		return -EINVAL;
	f = fget(current_files(), fd);
	if (!f)
		return -EBADF;
	ret = 0;
	if (flags & ~RWF_SUPPORTED)
		ret = -EOPNOTSUPP;
	else if ((flags & RWF_NOWAIT) && !S_ISREG(f->f_inode->i_mode))
		ret = -EOPNOTSUPP;
	if (write && (flags & RWF_APPEND) && S_ISREG(f->f_inode->i_mode))
		pos = READ_ONCE(f->f_inode->i_size);
	if (!ret)
		ret = do_rwv(fd, vec, vlen, write, pos != -1, pos);
	if (ret > 0 && write && (flags & (RWF_DSYNC | RWF_SYNC)) && f->f_op && f->f_op->fsync) {
		int err = f->f_op->fsync(f, !(flags & RWF_SYNC));

		if (err)
			ret = err;
	}
	fput(f);
	return ret;
}

SYSCALL_DEFINE6(preadv2, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h, int, flags)
{
	return do_rwv2((unsigned int)fd, vec, vlen, (loff_t)pos_l, flags, false);
}

SYSCALL_DEFINE6(pwritev2, unsigned long, fd, const struct iovec __user *, vec, unsigned long, vlen,
		unsigned long, pos_l, unsigned long, pos_h, int, flags)
{
	return do_rwv2((unsigned int)fd, vec, vlen, (loff_t)pos_l, flags, true);
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	if (file->f_op && file->f_op->llseek)
		return file->f_op->llseek(file, offset, whence);
	return generic_file_llseek(file, offset, whence);
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, loff_t, offset, unsigned int, whence)
{
	struct file *f = fget(current_files(), fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	ret = vfs_llseek(f, offset, (int)whence);
	fput(f);
	return ret;
}

/* ---- sendfile ---------------------------------------------------------------------- */

#define SENDFILE_CHUNK	PAGE_SIZE

ssize_t file_copy_range(struct file *in, loff_t *pos, struct file *out, loff_t *out_pos,
			size_t count, struct pipe_inode_info *ipipe)
{
	ssize_t total = 0, ret = 0;
	char *buf;

	buf = kmalloc(SENDFILE_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while ((size_t)total < count) {
		size_t chunk = min(count - (size_t)total, (size_t)SENDFILE_CHUNK);
		ssize_t got;

		if (total && ipipe && pipe_wait_ready(ipipe, false, true))
			break;		/* the pipe is empty: done */
		got = kernel_read(in, buf, chunk, pos);
		if (got <= 0) {
			ret = got;
			break;
		}
		ret = kernel_write(out, buf, (size_t)got, out_pos);
		if (ret > 0)
			total += ret;
		if (ret < got) {
			if (!ipipe)
				*pos -= got - (ret > 0 ? ret : 0);
			break;
		}
		if (signal_pending_current())
			break;
	}
	kfree(buf);
	return total ? total : ret;
}

/* sendfile's copy: to @out at its own position. */
static ssize_t sendfile_copy(struct file *in, loff_t *pos, struct file *out, size_t count)
{
	loff_t out_pos = READ_ONCE(out->f_pos);
	ssize_t ret = file_copy_range(in, pos, out, &out_pos, count, NULL);

	if ((out->f_mode & FMODE_LSEEK) && ret > 0)
		WRITE_ONCE(out->f_pos, out_pos);
	return ret;
}

/* Linux's do_sendfile: its checks in its order. @ppos NULL: @in's own position. */
static ssize_t do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	struct inode *in_inode, *out_inode;
	struct fd in, out;
	loff_t pos, end;
	ssize_t ret;

	in = fdget((unsigned int)in_fd);
	if (!in.file)
		return -EBADF;
	ret = -EBADF;
	if ((in.file->f_mode & FMODE_PATH) || !(in.file->f_mode & FMODE_READ))
		goto out_in;
	if (!ppos) {
		pos = READ_ONCE(in.file->f_pos);
	} else {
		pos = *ppos;
		ret = -ESPIPE;
		if (!(in.file->f_mode & FMODE_PREAD))
			goto out_in;
	}
	/* Linux's rw_verify_area: a negative count, or one that overflows the position. */
	ret = -EINVAL;
	if (pos < 0 || (ssize_t)count < 0 || __builtin_add_overflow(pos, (loff_t)count, &end))
		goto out_in;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;

	out = fdget((unsigned int)out_fd);
	ret = -EBADF;
	if (!out.file)
		goto out_in;
	if ((out.file->f_mode & FMODE_PATH) || !(out.file->f_mode & FMODE_WRITE))
		goto out_out;
	in_inode = in.file->f_inode;
	out_inode = out.file->f_inode;
	/* Only files with pages to splice from (regular files, block devices) can be read. */
	ret = -EINVAL;
	if (!S_ISREG(in_inode->i_mode) && !S_ISBLK(in_inode->i_mode))
		goto out_out;
	/* Linux's do_splice_direct refuses an O_APPEND file (a pipe takes it). */
	ret = -EINVAL;
	if (!S_ISFIFO(out_inode->i_mode) && (READ_ONCE(out.file->f_flags) & O_APPEND))
		goto out_out;
	ret = count ? sendfile_copy(in.file, &pos, out.file, count) : 0;
	if (ret >= 0) {
		if (ppos)
			*ppos = pos;
		else if (in.file->f_mode & FMODE_LSEEK)
			WRITE_ONCE(in.file->f_pos, pos);
	}
out_out:
	fdput(out);
out_in:
	fdput(in);
	return ret;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, loff_t __user *, offset, size_t, count)
{
	loff_t pos;
	ssize_t ret;

	if (!offset)
		return do_sendfile(out_fd, in_fd, NULL, count);
	if (copy_from_user(&pos, offset, sizeof(pos)))
		return -EFAULT;
	ret = do_sendfile(out_fd, in_fd, &pos, count);
	if (ret < 0)
		return ret;
	if (copy_to_user(offset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}

/* ---- copy_file_range ----------------------------------------------------------------- */

/*
 * Linux's vfs_copy_file_range for file systems without a copy offload: both
 * regular files (EISDIR, EINVAL), readable and writable without O_APPEND
 * (EBADF), on one super block (EXDEV), the count cut at the input's end,
 * no overlap within one file (EINVAL); the bytes are copied through the
 * page cache.
 */
static ssize_t do_copy_file_range(struct file *in, loff_t *pin, struct file *out, loff_t *pout,
				  size_t len)
{
	struct inode *iin = in->f_inode, *iout = out->f_inode;
	loff_t end, size;

	if (S_ISDIR(iin->i_mode) || S_ISDIR(iout->i_mode))
		return -EISDIR;
	if (!S_ISREG(iin->i_mode) || !S_ISREG(iout->i_mode))
		return -EINVAL;
	if (!(in->f_mode & FMODE_READ) || !(out->f_mode & FMODE_WRITE) ||
	    (READ_ONCE(out->f_flags) & O_APPEND))
		return -EBADF;
	if (iin->i_sb != iout->i_sb)
		return -EXDEV;
	if (__builtin_add_overflow(*pin, (loff_t)len, &end) ||
	    __builtin_add_overflow(*pout, (loff_t)len, &end))
		return -EOVERFLOW;
	size = READ_ONCE(iin->i_size);
	if (*pin >= size)
		len = 0;
	else if ((loff_t)len > size - *pin)
		len = (size_t)(size - *pin);
	if (iin == iout && *pout + (loff_t)len > *pin && *pout < *pin + (loff_t)len)
		return -EINVAL;
	if (*pin < 0 || *pout < 0 || (ssize_t)len < 0)
		return -EINVAL;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!len)
		return 0;
	return file_copy_range(in, pin, out, pout, len, NULL);
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, loff_t __user *, off_in, int, fd_out,
		loff_t __user *, off_out, size_t, len, unsigned int, flags)
{
	struct fd in, out;
	loff_t pin, pout;
	ssize_t ret;

	if (flags)
		return -EINVAL;
	in = fdget((unsigned int)fd_in);
	if (!in.file || fd_in < 0 || (in.file->f_mode & FMODE_PATH)) {
		fdput(in);
		return -EBADF;
	}
	out = fdget((unsigned int)fd_out);
	ret = -EBADF;
	if (!out.file || fd_out < 0 || (out.file->f_mode & FMODE_PATH))
		goto out_out;
	ret = -EFAULT;
	if (off_in) {
		if (copy_from_user(&pin, off_in, sizeof(pin)))
			goto out_out;
	} else {
		pin = READ_ONCE(in.file->f_pos);
	}
	if (off_out) {
		if (copy_from_user(&pout, off_out, sizeof(pout)))
			goto out_out;
	} else {
		pout = READ_ONCE(out.file->f_pos);
	}
	ret = do_copy_file_range(in.file, &pin, out.file, &pout, len);
	if (ret > 0) {
		if (off_in) {
			if (copy_to_user(off_in, &pin, sizeof(pin)))
				ret = -EFAULT;
		} else {
			WRITE_ONCE(in.file->f_pos, pin);
		}
		if (off_out) {
			if (copy_to_user(off_out, &pout, sizeof(pout)))
				ret = -EFAULT;
		} else {
			WRITE_ONCE(out.file->f_pos, pout);
		}
	}
out_out:
	if (out.file)
		fdput(out);
	fdput(in);
	return ret;
}
