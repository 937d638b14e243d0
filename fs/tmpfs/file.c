// SPDX-License-Identifier: MIT
/*
 * tmpfs file and directory operations: data goes through the generic
 * page-cache paths, mmap hands the mm code page-cache pages through
 * filemap_fault(), and fsync has nothing to do.
 */
#include <exo/fs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
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

const struct file_operations tmpfs_file_fops = {
	.read_iter = generic_file_read_iter,
	.write_iter = tmpfs_write_iter,
	.llseek = generic_file_llseek,
	.mmap = tmpfs_mmap,
	.fsync = noop_fsync,
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
