// SPDX-License-Identifier: MIT
/*
 * tmpfs file and directory operations: data goes through the generic
 * page-cache paths, mmap hands the mm code page-cache pages through
 * filemap_fault(), and fsync has nothing to do.
 */
#include <exo/fs.h>
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

const struct file_operations tmpfs_file_fops = {
	.read_iter = generic_file_read_iter,
	.write_iter = generic_file_write_iter,
	.llseek = generic_file_llseek,
	.mmap = tmpfs_mmap,
	.fsync = noop_fsync,
};

const struct file_operations tmpfs_dir_fops = {
	.iterate = dcache_readdir,
	.llseek = generic_file_llseek,
	.fsync = noop_fsync,
};
