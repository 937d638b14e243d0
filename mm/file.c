// SPDX-License-Identifier: MIT
/*
 * The VFS as the memory manager sees it, in one file: the rest of mm/ uses
 * these and never includes <exo/fs.h>. They call fget() on the current
 * task's files, get_file(), fput(), file->f_mode (FMODE_READ/FMODE_WRITE),
 * file->f_op->mmap() and filemap_fault(), which returns a referenced
 * page-cache page.
 *
 * mm calls mm_fput() and f_op->mmap() with mm->lock held: neither may
 * sleep (Linux's fput() defers the final release for the same reason).
 * filemap_fault() is called without it.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mm_types.h>
#include <exo/pagemap.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uapi/mman.h>
#include "vma.h"

#include <exo/fs.h>

struct file *mm_fget(int fd)
{
	struct file *file = fd < 0 ? NULL : fget(current_files(), (unsigned int)fd);

	return file ? file : ERR_PTR(-EBADF);
}

void mm_get_file(struct file *file)
{
	get_file(file);
}

void mm_fput(struct file *file)
{
	fput(file);
}

int mm_file_mmap_check(struct file *file, unsigned long prot, bool shared,
		       unsigned long *vm_flags)
{
	/* mmap(2): EACCES unless the file is open for reading, and for writing too for a writable shared map. */
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if (shared && !(file->f_mode & FMODE_WRITE)) {
		if (prot & PROT_WRITE)
			return -EACCES;
		*vm_flags &= ~(VM_MAYWRITE | VM_MAYSHARE);
	}
	/* A write-sealed memfd: no writable shared mapping, nor one mprotect could make writable. */
	if (shared && file->f_inode &&
	    (READ_ONCE(file->f_inode->i_seals) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))) {
		if (prot & PROT_WRITE)
			return -EPERM;
		*vm_flags &= ~VM_MAYWRITE;
	}
	return 0;
}

void mm_file_map_writable(struct file *file, unsigned long vm_flags, int delta)
{
	if ((vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE) && file->f_inode)
		__atomic_fetch_add(&file->f_inode->i_data.nr_shared_writable, delta,
				   __ATOMIC_ACQ_REL);
}

int mm_file_mmap(struct file *file, struct vm_area *vma)
{
	if (!file->f_op || !file->f_op->mmap)
		return -ENODEV;
	return file->f_op->mmap(file, vma);
}

int mm_file_fault(struct file *file, unsigned long pgoff, struct page **page)
{
	return filemap_fault(file, pgoff, page);
}

struct file *mm_shmem_file(unsigned long len)
{
	return shmem_file_setup((loff_t)len);
}

bool mm_file_page_cached(struct file *file, unsigned long pgoff)
{
	struct page *page;
	bool resident;

	if (!file->f_inode || !S_ISREG(file->f_inode->i_mode) ||
	    filemap_get_page(&file->f_inode->i_data, pgoff, false, &page))
		return false;
	/* As Linux: a page still being read in is not resident yet. */
	resident = page_test(page, PG_uptodate);
	put_page(page);
	return resident;
}
