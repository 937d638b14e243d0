// SPDX-License-Identifier: MIT
/*
 * File access hints and space: fadvise64, readahead, sync_file_range,
 * fallocate.
 *
 * fadvise and readahead are hints, checked as Linux checks them (ESPIPE
 * for pipes, EINVAL for unknown advice or files without pages); WILLNEED
 * and readahead read the range into the page cache of files that have a
 * backing store (ext4, block devices), the rest needs no action here (the
 * page cache has no per-file read-ahead window to tune, and DONTNEED's
 * dropping of clean pages is left to reclaim). sync_file_range writes the
 * whole file back through f_op->fsync: more than asked, never less.
 * fallocate checks Linux's vfs_fallocate rules in its order, then calls
 * f_op->fallocate (tmpfs only; others are EOPNOTSUPP as on Linux for file
 * systems without it).
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/signal.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <uapi/stat.h>
#include "internal.h"

#define MAX_LFS_FILESIZE ((loff_t)0x7fffffffffffffffLL)

/* Reads [offset, offset + len) into the page cache (len 0: to the end). */
static void fadvise_willneed(struct file *f, loff_t offset, loff_t len)
{
	struct inode *inode = f->f_inode;
	struct address_space *m = &inode->i_data;
	loff_t size = READ_ONCE(inode->i_size), end;
	struct page *page;

	if (!m->a_ops || offset >= size)
		return;
	if (!len || __builtin_add_overflow(offset, len, &end) || end > size)
		end = size;
	for (unsigned long i = offset / PAGE_SIZE; (loff_t)i * PAGE_SIZE < end; i++) {
		if (filemap_read_page(m, i, &page))
			break;
		put_page(page);
		if (signal_pending_current())
			break;
	}
}

static int vfs_fadvise(struct file *f, loff_t offset, loff_t len, int advice)
{
	umode_t mode = f->f_inode->i_mode;

	if (S_ISFIFO(mode))
		return -ESPIPE;
	if (len < 0)
		return -EINVAL;
	switch (advice) {
	case POSIX_FADV_WILLNEED:
		if (S_ISREG(mode) || S_ISBLK(mode))
			fadvise_willneed(f, offset, len);
		return 0;
	case POSIX_FADV_NORMAL:
	case POSIX_FADV_RANDOM:
	case POSIX_FADV_SEQUENTIAL:
	case POSIX_FADV_NOREUSE:
	case POSIX_FADV_DONTNEED:
		return 0;
	default:
		return -EINVAL;
	}
}

/* The fd's file, or NULL for a bad or O_PATH fd (EBADF). */
static struct file *fadvise_fget(int fd)
{
	struct file *f = fd < 0 ? NULL : fget(current_files(), (unsigned int)fd);

	if (f && (f->f_mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

SYSCALL_DEFINE4(fadvise64, int, fd, loff_t, offset, size_t, len, int, advice)
{
	struct file *f = fadvise_fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = vfs_fadvise(f, offset, (loff_t)len, advice);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(readahead, int, fd, loff_t, offset, size_t, count)
{
	struct file *f = fadvise_fget(fd);
	umode_t mode;
	long err;

	if (!f)
		return -EBADF;
	mode = f->f_inode->i_mode;
	if (!(f->f_mode & FMODE_READ))
		err = -EBADF;
	else if (!S_ISREG(mode) && !S_ISBLK(mode))
		err = -EINVAL;	/* nothing to read ahead: pipes, sockets, directories */
	else
		err = vfs_fadvise(f, offset, (loff_t)count, POSIX_FADV_WILLNEED);
	fput(f);
	return err;
}

#define SYNC_FILE_RANGE_VALID \
	(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)

SYSCALL_DEFINE4(sync_file_range, int, fd, loff_t, offset, loff_t, nbytes, unsigned int, flags)
{
	struct file *f = fadvise_fget(fd);
	umode_t mode;
	loff_t end;
	long err;

	if (!f)
		return -EBADF;
	mode = f->f_inode->i_mode;
	err = -EINVAL;
	if ((flags & ~SYNC_FILE_RANGE_VALID) || offset < 0 || nbytes < 0 ||
	    __builtin_add_overflow(offset, nbytes, &end))
		goto out;
	err = -ESPIPE;
	if (!S_ISREG(mode) && !S_ISBLK(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		goto out;
	err = 0;
	if ((flags & SYNC_FILE_RANGE_WRITE) && f->f_op && f->f_op->fsync)
		err = f->f_op->fsync(f, true);
out:
	fput(f);
	return err;
}

static int vfs_fallocate(struct file *f, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = f->f_inode;
	loff_t end;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	switch (mode & ~FALLOC_FL_KEEP_SIZE) {
	case 0:
	case FALLOC_FL_ZERO_RANGE:
	case FALLOC_FL_UNSHARE_RANGE:
		break;
	case FALLOC_FL_PUNCH_HOLE:
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		break;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (S_ISFIFO(inode->i_mode))
		return -ESPIPE;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode))
		return -ENODEV;
	if (__builtin_add_overflow(offset, len, &end) || end > MAX_LFS_FILESIZE)
		return -EFBIG;
	if (!f->f_op || !f->f_op->fallocate)
		return -EOPNOTSUPP;
	return f->f_op->fallocate(f, mode, offset, len);
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, loff_t, offset, loff_t, len)
{
	struct file *f = fadvise_fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = vfs_fallocate(f, mode, offset, len);
	fput(f);
	return err;
}
