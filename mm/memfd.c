// SPDX-License-Identifier: MIT
/*
 * memfd_create(2) and file seals (fcntl F_ADD_SEALS / F_GET_SEALS).
 *
 * A memfd is an unlinked file on the kernel's own tmpfs instance
 * (shmem_file_create), named "memfd:NAME" so /proc/PID/fd shows
 * "/memfd:NAME (deleted)" as Linux does. It is an ordinary tmpfs file from
 * then on: read, write, lseek, ftruncate, mmap, fork and exec inheritance.
 *
 * Seals live in inode->i_seals and are checked where each operation
 * happens: writes (tmpfs_write_iter), size changes (tmpfs_setsize) and
 * shared mappings (mm_file_mmap_check). Every tmpfs file starts with
 * F_SEAL_SEAL, so only a memfd made with MFD_ALLOW_SEALING can take seals;
 * files elsewhere are EINVAL, as Linux.
 *
 * F_SEAL_WRITE needs the file to have no writable shared mapping
 * (VM_SHARED with VM_MAYWRITE, counted in i_data.nr_shared_writable), else
 * EBUSY. Linux also waits for pinned pages (GUP) to go; nothing here pins
 * tmpfs pages beyond a syscall.
 *
 * Locking: F_ADD_SEALS holds i_rwsem (so a truncate sees the seals before
 * or after, whole) and sets the bits under i_lock; readers take them with
 * READ_ONCE: a write racing with F_SEAL_WRITE may finish first, as on
 * Linux where the check is in write_begin.
 */
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/memfd.h>

#define MFD_NAME_PREFIX		"memfd:"
#define MFD_NAME_PREFIX_LEN	(sizeof(MFD_NAME_PREFIX) - 1)
/* NAME_MAX less the prefix: the longest name memfd_create takes. */
#define MFD_NAME_MAX_LEN	(255 - MFD_NAME_PREFIX_LEN)
#define MFD_ALL_FLAGS	(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)
#define F_ALL_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
			 F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

SYSCALL_DEFINE2(memfd_create, const char __user *, uname, unsigned int, flags)
{
	umode_t mode = 0777;
	struct file *file;
	char *name;
	long len;
	int fd;

	if (flags & ~MFD_ALL_FLAGS)
		return -EINVAL;
	/* No hugetlbfs: Linux built without it refuses MFD_HUGETLB the same way. */
	if (flags & MFD_HUGETLB)
		return -EINVAL;
	if ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL))
		return -EINVAL;
	name = kmalloc(MFD_NAME_PREFIX_LEN + MFD_NAME_MAX_LEN + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	memcpy(name, MFD_NAME_PREFIX, MFD_NAME_PREFIX_LEN);
	len = strncpy_from_user(name + MFD_NAME_PREFIX_LEN, uname, MFD_NAME_MAX_LEN + 1);
	if (len < 0) {
		fd = (int)len;
		goto out_free_name;
	}
	if (len > MFD_NAME_MAX_LEN) {
		fd = -EINVAL;
		goto out_free_name;
	}
	if (flags & MFD_NOEXEC_SEAL)
		mode = 0666;
	file = shmem_file_create(name, 0, mode, O_RDWR | O_LARGEFILE);
	if (IS_ERR(file)) {
		fd = (int)PTR_ERR(file);
		goto out_free_name;
	}
	/* Linux's memfd: sealing as asked; MFD_NOEXEC_SEAL allows it and seals exec. */
	if (flags & MFD_NOEXEC_SEAL)
		file->f_inode->i_seals = F_SEAL_EXEC;
	else if (flags & MFD_ALLOW_SEALING)
		file->f_inode->i_seals = 0;
	fd = fd_install_new(current_files(), file, (flags & MFD_CLOEXEC) ? O_CLOEXEC : 0);
	if (fd < 0)
		fput(file);
out_free_name:
	kfree(name);
	return fd;
}

static int memfd_add_seals(struct file *file, unsigned int seals)
{
	struct inode *inode = file->f_inode;
	int err = 0;

	if (seals & ~F_ALL_SEALS)
		return -EINVAL;
	inode_lock(inode);
	if (inode->i_seals & F_SEAL_SEAL) {
		err = -EPERM;
		goto out_unlock;
	}
	/* Sealing exec on an executable memfd makes it W^X: no more writes either (Linux 6.3). */
	if ((seals & F_SEAL_EXEC) && (inode->i_mode & 0111))
		seals |= F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE;
	if ((seals & F_SEAL_WRITE) && !(inode->i_seals & F_SEAL_WRITE) &&
	    __atomic_load_n(&inode->i_data.nr_shared_writable, __ATOMIC_ACQUIRE) > 0) {
		err = -EBUSY;
		goto out_unlock;
	}
	spin_lock(&inode->i_lock);
	inode->i_seals |= seals;
	spin_unlock(&inode->i_lock);
out_unlock:
	inode_unlock(inode);
	return err;
}

long memfd_fcntl(struct file *file, unsigned int cmd, unsigned long arg)
{
	/* Linux checks the descriptor's write access before the kind of file. */
	if (cmd == F_ADD_SEALS && !(file->f_mode & FMODE_WRITE))
		return -EPERM;
	if (!shmem_file(file))
		return -EINVAL;
	if (cmd == F_GET_SEALS)
		return READ_ONCE(file->f_inode->i_seals);
	return memfd_add_seals(file, (unsigned int)arg);
}
