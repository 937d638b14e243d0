// SPDX-License-Identifier: MIT
/*
 * tmpfs file and directory operations: data goes through the generic
 * page-cache paths, mmap hands the mm code page-cache pages through
 * filemap_fault(), fsync has nothing to do, fallocate allocates pages or
 * punches holes.
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include "../internal.h"

static int tmpfs_mmap(struct file *file, struct vm_area *vma)
{
	/* Every page the mapping touches comes from filemap_fault(); nothing to set up. */
	return 0;
}

static int noop_fsync(struct file *file, bool datasync)
{
	return 0;
}

/*
 * Seals (mm/memfd.c): F_SEAL_WRITE and F_SEAL_FUTURE_WRITE stop every
 * write, F_SEAL_GROW one that would extend the file. Linux checks the same
 * in shmem_write_begin, with EPERM.
 */
static ssize_t tmpfs_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	unsigned int seals = READ_ONCE(inode->i_seals);

	if (seals) {
		loff_t size, at = (file->f_flags & O_APPEND) ? READ_ONCE(inode->i_size) : *pos;

		if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
			return -EPERM;
		size = READ_ONCE(inode->i_size);
		/* As Linux, which checks page by page: what fits below the size is written. */
		if ((seals & F_SEAL_GROW) && at + (loff_t)from->count > size) {
			if (at >= size)
				return -EPERM;
			from->count = (size_t)(size - at);
		}
	}
	return generic_file_write_iter(file, from, pos);
}

/* Zeroes [from, to) of page @index if it is in the cache (a hole reads as zeros anyway). */
static void tmpfs_zero_partial(struct inode *inode, unsigned long index, size_t from, size_t to)
{
	struct page *page;

	if (filemap_get_page(&inode->i_data, index, false, &page))
		return;
	memset((char *)page_address(page) + from, 0, to - from);
	put_page(page);
}

/* Frees the whole pages of [offset, end) and zeroes the partial ones at its ends. */
static void tmpfs_punch_hole(struct inode *inode, loff_t offset, loff_t end)
{
	unsigned long first = (unsigned long)(offset / PAGE_SIZE);
	unsigned long last = (unsigned long)((end - 1) / PAGE_SIZE);
	size_t head = (size_t)(offset % PAGE_SIZE), tail = (size_t)(end % PAGE_SIZE);

	if (first == last && (head || tail)) {
		tmpfs_zero_partial(inode, first, head, tail ? tail : PAGE_SIZE);
		return;
	}
	if (head)
		tmpfs_zero_partial(inode, first++, head, PAGE_SIZE);
	if (tail)
		tmpfs_zero_partial(inode, last--, 0, tail);
	if (first <= last && last != ~0UL)
		truncate_inode_pages_range(&inode->i_data, first, last);
}

/*
 * Mode 0 (with or without FALLOC_FL_KEEP_SIZE) puts zeroed pages in the
 * cache for the range, so later writes cannot fail with ENOSPC, and grows
 * the size unless KEEP_SIZE; FALLOC_FL_PUNCH_HOLE|KEEP_SIZE frees the
 * range. Seals apply as to writes (EPERM). A failed allocation leaves the
 * pages it got (Linux gives them back); the size is unchanged.
 */
static int tmpfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = file->f_inode;
	unsigned int seals = READ_ONCE(inode->i_seals);
	loff_t end = offset + len;
	struct page *page;
	int err = 0;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	inode_lock(inode);
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) {
			err = -EPERM;
			goto out_unlock;
		}
		tmpfs_punch_hole(inode, offset, end);
		spin_lock(&inode->i_lock);
		inode->i_mtime = inode->i_ctime = current_time();
		spin_unlock(&inode->i_lock);
		goto out_unlock;
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > READ_ONCE(inode->i_size)) {
		err = (seals & F_SEAL_GROW) ? -EPERM : inode_newsize_ok(inode, end);
		if (err)
			goto out_unlock;
	}
	for (loff_t at = offset & ~(loff_t)(PAGE_SIZE - 1); at < end; at += PAGE_SIZE) {
		err = filemap_get_page(&inode->i_data, (unsigned long)(at / PAGE_SIZE), true, &page);
		if (err)
			goto out_unlock;
		put_page(page);
		if (signal_pending_current()) {
			err = -EINTR;
			goto out_unlock;
		}
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > READ_ONCE(inode->i_size))
		generic_setsize(inode, end);
	spin_lock(&inode->i_lock);
	inode->i_ctime = current_time();
	spin_unlock(&inode->i_lock);
out_unlock:
	inode_unlock(inode);
	return err;
}

const struct file_operations tmpfs_file_fops = {
	.read_iter = generic_file_read_iter,
	.write_iter = tmpfs_write_iter,
	.llseek = generic_file_llseek,
	.mmap = tmpfs_mmap,
	.fsync = noop_fsync,
	.fallocate = tmpfs_fallocate,
};

bool shmem_file(struct file *file)
{
	return file->f_op == &tmpfs_file_fops;
}

const struct file_operations tmpfs_dir_fops = {
	.iterate = dcache_readdir,
	.llseek = generic_file_llseek,
	.fsync = noop_fsync,
};
