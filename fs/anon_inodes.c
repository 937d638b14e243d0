// SPDX-License-Identifier: MIT
/*
 * anon_inodefs: the one inode behind every epoll, eventfd, timerfd and
 * signalfd file (see <exo/anon_inodes.h>). Made at boot; each file's
 * dentry holds a reference to it, so it is never evicted.
 */
#include <exo/anon_inodes.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/init.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

static struct file_system_type anon_inode_fs_type = { .name = "anon_inodefs" };
static struct inode *anon_inode_inode;	/* [immutable after init] */

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				unsigned int flags)
{
	char dname[32];
	struct file *f;

	if (!anon_inode_inode)
		return ERR_PTR(-ENFILE);
	snprintf(dname, sizeof(dname), "[%s]", name);
	f = alloc_file_pseudo_named(igrab(anon_inode_inode), dname,
				    flags & (O_ACCMODE | O_NONBLOCK), fops);
	if (IS_ERR(f)) {
		iput(anon_inode_inode);
		return f;
	}
	/* lseek succeeds and moves nothing (noop_llseek), as Linux's event files. */
	f->f_mode |= FMODE_LSEEK;
	f->private_data = priv;
	return f;
}

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	(void)offset;
	(void)whence;
	return READ_ONCE(file->f_pos);
}

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     unsigned int flags)
{
	struct file *f = anon_inode_getfile(name, fops, priv, flags);
	int fd;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	fd = fd_install_new(current_files(), f, flags & O_CLOEXEC);
	if (fd < 0) {
		/* The caller still owns @priv: the file must not free it. */
		f->private_data = NULL;
		fput(f);
	}
	return fd;
}

static int anon_inode_init(void)
{
	struct super_block *sb = sget_anon(&anon_inode_fs_type);
	struct inode *inode;

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	inode = new_inode(sb);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	/* Linux's alloc_anon_inode: 0600, no S_IFMT bits, owned by root. */
	inode->i_mode = S_IRUSR | S_IWUSR;
	anon_inode_inode = inode;
	return 0;
}
fs_initcall(anon_inode_init);
