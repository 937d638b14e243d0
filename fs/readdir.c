// SPDX-License-Identifier: MIT
/*
 * getdents64 and the old getdents. A directory's f_pos is a cookie: 0 before ".", 1 after ".",
 * 2 after "..", then the d_dirpos of the last child returned (children get
 * increasing cookies as they are created, so removals never make a reader
 * skip or repeat a name). Each record's d_off is the cookie to lseek() to for
 * reading on after it. A buffer too small for even one record is EINVAL.
 */
#include <exo/fs.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include "internal.h"

unsigned int mode_to_dt(umode_t mode)
{
	return (mode & S_IFMT) >> 12;	/* DT_* are the S_IFMT bits shifted down */
}

loff_t dir_cookie_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t pos = -EINVAL;

	spin_lock(&file->f_lock);
	if (whence == 0 && offset >= 0) {
		file->f_pos = offset;
		pos = offset;
	}
	spin_unlock(&file->f_lock);
	return pos;
}

int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dir = file->f_path.dentry, *c;
	u64 parent_ino;

	if (ctx->pos < 1) {
		if (!ctx->emit(ctx, ".", 1, 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos < 2) {
		spin_lock(&dcache_lock);
		parent_ino = dir->d_parent->d_inode ? dir->d_parent->d_inode->i_ino : 0;
		spin_unlock(&dcache_lock);
		if (!ctx->emit(ctx, "..", 2, 2, parent_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	/*
	 * emit() may copy to user memory, which must not happen under
	 * dcache_lock: copy one child's name out, drop the lock, emit it.
	 */
	for (;;) {
		char name[NAME_MAX + 1];
		unsigned int len = 0, type = 0;
		loff_t off = 0;
		u64 ino = 0;
		bool found = false;

		spin_lock(&dcache_lock);
		list_for_each_entry(c, &dir->d_subdirs, d_child) {
			if (c->d_dirpos <= ctx->pos || !c->d_inode)
				continue;
			len = c->d_len;
			memcpy(name, c->d_name, len);
			off = c->d_dirpos;
			ino = c->d_inode->i_ino;
			type = mode_to_dt(c->d_inode->i_mode);
			found = true;
			break;
		}
		spin_unlock(&dcache_lock);
		if (!found)
			return 0;
		if (!ctx->emit(ctx, name, len, off, ino, type))
			return 0;
		ctx->pos = off;
	}
}

const struct file_operations generic_dir_operations = {
	.iterate = dcache_readdir,
};

int iterate_dir(struct file *file, struct dir_context *ctx)
{
	struct inode *inode = file->f_path.dentry->d_inode;
	int err = -ENOENT;

	if (!S_ISDIR(file->f_inode->i_mode))
		return -ENOTDIR;
	if (!file->f_op || !file->f_op->iterate)
		return -ENOTDIR;
	/* Shared: other readers and lookups go on, changes to the names wait. */
	inode_lock_shared(inode);
	if (inode->i_nlink)		/* else a removed directory */
		err = file->f_op->iterate(file, ctx);
	inode_unlock_shared(inode);
	return err;
}

/*
 * One getdents64 call: the records go to user memory (getdents64, through
 * copy_to_user) or to a kernel buffer (self-tests); the emit callback picks
 * the buffer of its own address space.
 */
struct getdents_ctx {
	struct dir_context ctx;
	union {
		char __user *ubuf;	/* filldir64 */
		char *kbuf;		/* filldir64_kernel */
	};
	unsigned int count;	/* room left */
	unsigned int used;
	int error;
};

/* Builds the record for one name in @rec; its length, or 0 when it does not fit. */
static unsigned int fill_record(struct getdents_ctx *g, char *rec, const char *name,
				unsigned int len, loff_t off, u64 ino, unsigned int type)
{
	unsigned int reclen = ALIGN(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	if (reclen > g->count) {
		if (!g->used)
			g->error = -EINVAL;
		return 0;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = off;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = (unsigned char)type;
	memcpy(d->d_name, name, len);
	return reclen;
}

#define DIRENT_REC_MAX (offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1 + 8)

/* Appends a built record to the user buffer; false (and g->error) on a fault. */
static bool copy_record_out(struct getdents_ctx *g, const char *rec, unsigned int reclen)
{
	if (copy_to_user(g->ubuf + g->used, rec, reclen)) {
		g->error = -EFAULT;
		return false;
	}
	g->used += reclen;
	g->count -= reclen;
	return true;
}

static bool filldir64(struct dir_context *ctx, const char *name, unsigned int len, loff_t off,
		      u64 ino, unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	char rec[DIRENT_REC_MAX] __aligned(8);
	unsigned int reclen = fill_record(g, rec, name, len, off, ino, type);

	return reclen && copy_record_out(g, rec, reclen);
}

static bool filldir64_kernel(struct dir_context *ctx, const char *name, unsigned int len,
			     loff_t off, u64 ino, unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	char rec[DIRENT_REC_MAX] __aligned(8);	/* the buffer may not be aligned */
	unsigned int reclen = fill_record(g, rec, name, len, off, ino, type);

	if (!reclen)
		return false;
	memcpy(g->kbuf + g->used, rec, reclen);
	g->used += reclen;
	g->count -= reclen;
	return true;
}

/* The directory behind @fd; NULL (EBADF) for a bad fd or an O_PATH one. */
static struct file *getdents_fget(unsigned int fd)
{
	struct file *f = fget(current_files(), fd);

	if (f && (f->f_mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

/* Reads records from f_pos on through @g's emit callback; consumes the reference on @f. */
static long getdents_file(struct file *f, struct getdents_ctx *g)
{
	int err;

	spin_lock(&f->f_lock);
	g->ctx.pos = f->f_pos;
	spin_unlock(&f->f_lock);
	err = iterate_dir(f, &g->ctx);
	spin_lock(&f->f_lock);
	f->f_pos = g->ctx.pos;
	spin_unlock(&f->f_lock);
	fput(f);
	if (err)
		return err;
	if (g->used)
		return g->used;
	return g->error;
}

/*
 * The old getdents record (struct linux_dirent): d_ino and d_off are longs,
 * the type sits in the record's last byte, after the name's NUL.
 */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

static bool filldir(struct dir_context *ctx, const char *name, unsigned int len, loff_t off,
		    u64 ino, unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	char rec[DIRENT_REC_MAX] __aligned(8);
	unsigned int reclen = ALIGN(offsetof(struct linux_dirent, d_name) + len + 2, 8);
	struct linux_dirent *d = (struct linux_dirent *)rec;

	if (reclen > g->count) {
		if (!g->used)
			g->error = -EINVAL;
		return false;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = off;
	d->d_reclen = (unsigned short)reclen;
	memcpy(d->d_name, name, len);
	rec[reclen - 1] = (char)type;
	return copy_record_out(g, rec, reclen);
}

/* getdents and getdents64 into user memory, with the record format of @emit. */
static long do_getdents_user(unsigned int fd, char __user *dirent, unsigned int count,
			     bool (*emit)(struct dir_context *, const char *, unsigned int, loff_t,
					  u64, unsigned int))
{
	struct getdents_ctx g = { .ctx.emit = emit, .ubuf = dirent, .count = count };
	struct file *f = getdents_fget(fd);

	if (!f)
		return -EBADF;
	/* Linux checks the fd first: EBADF wins over EFAULT. */
	if (!access_ok(dirent, count)) {
		fput(f);
		return -EFAULT;
	}
	return getdents_file(f, &g);
}

long do_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent, unsigned int count)
{
	return do_getdents_user(fd, (char __user *)dirent, count, filldir64);
}

long kernel_getdents64(unsigned int fd, void *dirent, unsigned int count)
{
	struct getdents_ctx g = { .ctx.emit = filldir64_kernel, .kbuf = dirent, .count = count };
	struct file *f = getdents_fget(fd);

	if (!f)
		return -EBADF;
	return getdents_file(f, &g);
}

SYSCALL_DEFINE3(getdents, unsigned int, fd, struct linux_dirent __user *, dirent,
		unsigned int, count)
{
	return do_getdents_user(fd, (char __user *)dirent, count, filldir);
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, struct linux_dirent64 __user *, dirent,
		unsigned int, count)
{
	return do_getdents64(fd, dirent, count);
}
