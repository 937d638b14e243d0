// SPDX-License-Identifier: MIT
/*
 * struct file: one open of a file, shared by every fd dup()ed or inherited
 * from it. f_count counts fd-table slots and other holders (mappings through
 * vma->vm_file, in-flight syscalls); the last fput() calls f_op->release and
 * drops the path. f_flags and lseek's read-modify-write of f_pos are under
 * f_lock, which is never held across I/O; read/write load the position with
 * one 64-bit access, do the I/O, and store it back with another.
 *
 * Lock order: f_lock is a leaf.
 */
#include <exo/eventpoll.h>
#include <exo/fsnotify.h>
#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include <uapi/uio.h>
#include "internal.h"

static struct kmem_cache *file_cachep;

static unsigned int open_flags_to_fmode(unsigned int flags)
{
	unsigned int mode = 0;

	if (flags & O_PATH)
		return FMODE_PATH;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		mode = FMODE_READ;
		break;
	case O_WRONLY:
		mode = FMODE_WRITE;
		break;
	case O_RDWR:
		mode = FMODE_READ | FMODE_WRITE;
		break;
	}
	return mode | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
}

static struct file *file_new(unsigned int flags, const struct file_operations *fop)
{
	struct file *f;

	if (!file_cachep) {
		file_cachep = kmem_cache_create("file", sizeof(struct file), 0, 0, NULL);
		if (IS_ERR(file_cachep)) {
			file_cachep = NULL;
			return ERR_PTR(-ENOMEM);
		}
	}
	f = kmem_cache_zalloc(file_cachep, GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_count = 1;
	f->f_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->f_mode = open_flags_to_fmode(flags);
	f->f_op = fop;
	spin_lock_init(&f->f_lock);
	INIT_LIST_HEAD(&f->f_ep_links);
	return f;
}

struct file *alloc_empty_file(unsigned int flags)
{
	return file_new(flags, NULL);
}

void file_free_empty(struct file *f)
{
	kmem_cache_free(file_cachep, f);
}

void file_set_path(struct file *f, const struct path *path, const struct file_operations *fop)
{
	f->f_op = fop;
	f->f_path = *path;		/* the caller's references pass to the file */
	f->f_inode = path->dentry->d_inode;
}

struct file *alloc_file(const struct path *path, unsigned int flags,
			const struct file_operations *fop)
{
	struct file *f = file_new(flags, fop);

	if (!IS_ERR(f)) {
		path_get(path);
		file_set_path(f, path, fop);
	}
	return f;
}

struct file *alloc_file_pseudo(struct inode *inode, unsigned int flags,
			       const struct file_operations *fop)
{
	return alloc_file_pseudo_named(inode, "anon", flags, fop);
}

struct file *alloc_file_pseudo_named(struct inode *inode, const char *name, unsigned int flags,
				     const struct file_operations *fop)
{
	struct file *f = file_new(flags, fop);
	struct dentry *d;

	if (IS_ERR(f))
		return f;
	d = d_alloc(NULL, name, (unsigned int)strlen(name));
	if (IS_ERR(d)) {
		kmem_cache_free(file_cachep, f);
		return ERR_PTR(PTR_ERR(d));
	}
	d->d_sb = inode->i_sb;
	d->d_inode = inode;
	f->f_path.dentry = d;
	f->f_inode = inode;
	f->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return f;
}

static int writecount_add_unless(struct inode *inode, int delta, bool (*refuse)(int))
{
	int v = __atomic_load_n(&inode->i_writecount, __ATOMIC_RELAXED);

	do {
		if (refuse(v))
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&inode->i_writecount, &v, v + delta, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

static bool executing(int v)
{
	return v < 0;
}

static bool written(int v)
{
	return v > 0;
}

int get_write_access(struct inode *inode)
{
	return writecount_add_unless(inode, 1, executing);
}

void put_write_access(struct inode *inode)
{
	__atomic_sub_fetch(&inode->i_writecount, 1, __ATOMIC_RELEASE);
}

/*
 * The file of an exec: denied for as long as it lives, and it lives while
 * the mm holds it as exe_file (fork copies share it), so writes stay
 * refused until the last process running it has gone.
 */
int deny_write_access(struct file *file)
{
	int err = writecount_add_unless(file->f_inode, -1, written);

	if (!err)
		file->f_mode |= FMODE_DENY_WRITE;
	return err;
}

void fput(struct file *file)
{
	if (__atomic_sub_fetch(&file->f_count, 1, __ATOMIC_ACQ_REL))
		return;
	eventpoll_release(file);
	fsnotify_close(file);
	locks_remove_flock(file);
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	if (file->f_mode & FMODE_WRITER)
		put_write_access(file->f_inode);
	if (file->f_mode & FMODE_DENY_WRITE)
		__atomic_add_fetch(&file->f_inode->i_writecount, 1, __ATOMIC_RELEASE);
	path_put(&file->f_path);
	kmem_cache_free(file_cachep, file);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct kvec kv = { .iov_base = buf, .iov_len = count };
	struct iov_iter it;

	iov_iter_kvec(&it, &kv, 1, count);
	return vfs_read(file, &it, pos);
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = count };	/* only read from */
	struct iov_iter it;

	iov_iter_kvec(&it, &kv, 1, count);
	return vfs_write(file, &it, pos);
}

int vfs_permission_exec(struct file *file)
{
	struct inode *inode = file->f_inode;

	if (!S_ISREG(inode->i_mode))
		return -EACCES;
	if (file->f_path.mnt && (file->f_path.mnt->mnt_flags & MNT_NOEXEC))
		return -EACCES;
	return inode_permission(current_cred(), inode, MAY_EXEC);
}
