/* SPDX-License-Identifier: MIT */
/*
 * Shared inside fs/ only: path walk, the kernel-side bodies of the syscalls
 * (taking kernel strings, so self-tests and in-kernel users call them
 * directly), and the helpers the syscall wrappers use.
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <exo/fs.h>
#include <exo/mount.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/string.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct kstat;
struct statx;
struct stat;

/* A path on a mount made read-only (MNT_READONLY): writes to it are EROFS. */
static inline bool mnt_readonly(const struct path *p)
{
	return p->mnt && (READ_ONCE(p->mnt->mnt_flags) & MNT_READONLY);
}

/* Path walk flags. */
#define LOOKUP_FOLLOW		0x0001	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY	0x0002	/* the result must be a directory */
#define LOOKUP_EMPTY		0x0004	/* "" means the starting point (AT_EMPTY_PATH) */
/* openat2's RESOLVE_* restrictions on the whole walk. */
#define LOOKUP_NO_SYMLINKS	0x0010	/* any symlink: ELOOP */
#define LOOKUP_NO_MAGICLINKS	0x0020	/* a magic link (/proc/PID/fd/N): ELOOP */
#define LOOKUP_NO_XDEV		0x0040	/* crossing a mount: EXDEV */
#define LOOKUP_BENEATH		0x0080	/* leaving the start (absolute, ".."): EXDEV */
#define LOOKUP_IN_ROOT		0x0100	/* the start is the root for "/" and ".." */
#define LOOKUP_IS_SCOPED	(LOOKUP_BENEATH | LOOKUP_IN_ROOT)

/* Kind of the last component after a parent walk. */
#define LAST_NORM	0
#define LAST_ROOT	1
#define LAST_DOT	2
#define LAST_DOTDOT	3

#define MAXSYMLINKS	40	/* symlinks followed in one walk, in total */
#define MAX_NESTED_LINKS 8	/* symlinks inside symlinks being resolved */

/* LOOKUP_* flags for the AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH bits of an *at() call. */
static inline unsigned int at_lookup_flags(int at_flags)
{
	return ((at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
	       ((at_flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
}

/* The last component of a path whose parent was walked. */
struct last_component {
	const char *name;	/* points into the caller's string */
	unsigned int len;
	int type;		/* LAST_* */
	bool trailing_slash;
};

/* Global init state: the kernel's own fd table and fs_struct, used while no task runs. */
extern struct files_struct init_files;
extern struct fs_struct init_fs;
extern struct cred init_cred;

/*
 * Resolves @name relative to @dfd (AT_FDCWD or an fd of the current files)
 * with LOOKUP_* @flags; on success *@out holds references.
 */
int path_lookupat(int dfd, const char *name, unsigned int flags, struct path *out);

/*
 * The *at() calls' lookup: AT_* @flags outside @valid are -EINVAL (checked
 * before the walk, as Linux does), AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH
 * steer the walk. 0 with a reference in @path, or -errno.
 */
static inline int path_lookup_at_flags(int dfd, const char *name, int flags, int valid,
				       struct path *path)
{
	if (flags & ~valid)
		return -EINVAL;
	return path_lookupat(dfd, name, at_lookup_flags(flags), path);
}

/* Walks to the parent of the last component; *@parent referenced on success. */
int path_parentat(int dfd, const char *name, struct path *parent, struct last_component *last);
/*
 * The referenced hashed child of @parent named @last, or a negative unhashed
 * dentry; the caller holds the parent's i_rwsem (shared: lookup; exclusive:
 * a change follows).
 */
struct dentry *lookup_one_locked(struct dentry *parent, const char *name, unsigned int len);
/* Moves @path up past every mount stacked on it. */
void follow_mounts(struct path *path);

/* open(O_CREAT) of a missing name (namei_ops.c): @dentry negative, parent's i_rwsem held exclusive. */
int open_create_locked(struct path *parent, struct dentry *dentry, umode_t mode);
/* open(O_CREAT) in one walk (namei.c): finds or creates the file; *@created says which. */
int path_openat_create(int dfd, const char *name, int flags, umode_t mode, unsigned int lookup,
		       struct path *out, bool *created);

/*
 * The dentry hash of (@parent, @name[0..@len)) (fs/dcache.c), and the
 * lockless walk's: the length of the component at @name (to '/' or NUL)
 * with its hash in the same pass (fs/namei.c). They must agree, or every
 * lockless lookup misses (selftest "vfs").
 */
unsigned int d_hash_name(const struct dentry *parent, const char *name, unsigned int len);
unsigned int walk_hash_component(const struct dentry *parent, const char *name,
				 unsigned int *hashp);

/* The dcache's hash chains (fs/dcache.c), read by the lockless walk. */
#define D_HASH_BITS 10
extern struct dentry *dentry_hashtable[];

/*
 * @name (@len bytes) against a dentry's name @dname, a word at a time: a
 * dentry name buffer holds whole words up to its size (DNAME_INLINE_LEN,
 * NAME_MAX + 1), and @name is read past its end only inside its page.
 */
static inline bool d_name_eq(const char *dname, const char *name, unsigned int len)
{
	u64 a, b;

	if (((unsigned long)(name + len - 1) & (PAGE_SIZE - 1)) > PAGE_SIZE - 8)
		return !memcmp(dname, name, len);
	for (;;) {
		__builtin_memcpy(&a, dname, 8);
		__builtin_memcpy(&b, name, 8);
		if (len <= 8)
			return !((a ^ b) & (~0ULL >> (8 * (8 - len))));
		if (a != b)
			return false;
		dname += 8;
		name += 8;
		len -= 8;
	}
}

/*
 * The hashed child @name of @parent without a reference or lock, with its
 * d_seq in *@seqp; NULL when it is not in the cache or changed under us
 * (the caller then takes the locked path). Only inside a walk; inline, as
 * it runs once per component of every lockless walk.
 */
static inline struct dentry *__d_lookup_walk(const struct dentry *parent, const char *name,
					     unsigned int len, unsigned int hash,
					     unsigned int *seqp)
{
	unsigned int seq;
	struct dentry *d;
	const char *dname;

	d = __atomic_load_n(&dentry_hashtable[hash & ((1U << D_HASH_BITS) - 1)], __ATOMIC_ACQUIRE);
	for (; d; d = READ_ONCE(d->d_hash_next)) {
		if (READ_ONCE(d->d_hash_val) != hash)
			continue;
		seq = READ_ONCE(d->d_seq);
		if (seq & 1)
			return NULL;		/* changing: let the locked path see */
		__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* x86: loads stay in order */
		dname = READ_ONCE(d->d_name);
		if (READ_ONCE(d->d_parent) != parent || READ_ONCE(d->d_len) != len ||
		    (dname == d->d_iname && len >= DNAME_INLINE_LEN) || !d_name_eq(dname, name, len))
			continue;
		if (!(READ_ONCE(d->d_flags) & DCACHE_HASHED))
			return NULL;
		if (d_seq_changed(d, seq))
			return NULL;
		if (!READ_ONCE(d->d_referenced) && (READ_ONCE(d->d_flags) & DCACHE_LRU))
			WRITE_ONCE(d->d_referenced, true);
		*seqp = seq;
		return d;
	}
	return NULL;
}

/* Copies a user path into a kmalloc'ed buffer (putname frees); ERR_PTR(-ENAMETOOLONG/-EFAULT/-ENOENT). */
char *getname(const char __user *name);
char *getname_flags(const char __user *name, bool empty_ok);
void putname(char *name);
/*
 * A user path for one system call in the caller's stack frame: a name
 * shorter than NAME_BUF_INLINE (nearly every one) is copied there, a longer
 * one into a PATH_MAX allocation as getname() makes. getname_buf() returns
 * the kernel string or ERR_PTR like getname_flags(); putname_buf() frees.
 */
#define NAME_BUF_INLINE 128
struct name_buf {
	char *name;
	char inline_name[NAME_BUF_INLINE];
};
char *getname_buf(struct name_buf *nb, const char __user *name, bool empty_ok);

static inline void putname_buf(struct name_buf *nb)
{
	if (nb->name != nb->inline_name)
		putname(nb->name);
}

/* Runs @body with @kname bound to the kernel copy of the user path @uname; -errno from getname. */
#define WITH_NAME(uname, kname, body)                                            \
	({                                                                       \
		struct name_buf __nb;                                            \
		char *kname = getname_buf(&__nb, uname, false);                  \
		long __r;                                                        \
		if (IS_ERR(kname)) {                                             \
			__r = PTR_ERR(kname);                                    \
		} else {                                                         \
			__r = (body);                                            \
			putname_buf(&__nb);                                      \
		}                                                                \
		__r;                                                             \
	})

/* Kernel-side syscall bodies. Strings are kernel strings. */
int do_sys_openat(int dfd, const char *name, int flags, umode_t mode);
struct file *do_filp_openat(int dfd, const char *name, int flags, umode_t mode);
/* The same with extra LOOKUP_* flags for the walk (LOOKUP_EMPTY, openat2's RESOLVE_*). */
struct file *do_filp_open_lookup(int dfd, const char *name, int flags, umode_t mode,
				 unsigned int lookup);
int do_mkdirat(int dfd, const char *name, umode_t mode);
int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev);
int do_rmdir(int dfd, const char *name);
int do_unlinkat(int dfd, const char *name);
int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname, int flags);
int do_symlinkat(const char *target, int newdfd, const char *newname);
int do_renameat2(int olddfd, const char *oldname, int newdfd, const char *newname,
		 unsigned int flags);
ssize_t do_readlinkat(int dfd, const char *name, char *buf, size_t size);
int do_faccessat(int dfd, const char *name, int mode, int flags);
int do_chdir(const char *name);
int do_fchdir(unsigned int fd);
int do_fchmodat(int dfd, const char *name, umode_t mode, unsigned int lookup_flags);
int do_fchownat(int dfd, const char *name, u32 uid, u32 gid, int flags);
int do_truncate_path(int dfd, const char *name, loff_t length);
int do_ftruncate(unsigned int fd, loff_t length);
int do_utimensat(int dfd, const char *name, const struct timespec64 *times, int flags);
int do_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
	     const char *data);
int do_umount(const char *dir, int flags);
int do_getcwd(char *buf, size_t size);
/* Writes @path into @buf (size @size) from its end; returns the start or ERR_PTR(-ENAMETOOLONG). */
char *d_path(const struct path *path, const struct path *root, char *buf, size_t size);

/* What stat() says about a file, before conversion to a user layout. */
struct kstat {
	u32 result_mask;
	umode_t mode;
	unsigned int nlink;
	u32 blksize;
	u32 uid, gid;
	dev_t dev, rdev;
	u64 ino;
	loff_t size;
	u64 blocks;
	struct timespec64 atime, mtime, ctime;
	u64 mnt_id;
};
void generic_fillattr(const struct path *path, struct kstat *stat);
int vfs_fstatat(int dfd, const char *name, int flags, struct kstat *stat);
int vfs_fstat(unsigned int fd, struct kstat *stat);
void kstat_to_statx(const struct kstat *k, struct statx *sx);

/* Kernel-side read/write by fd, through an iov_iter. */
ssize_t vfs_read(struct file *file, struct iov_iter *to, loff_t *pos);
ssize_t vfs_write(struct file *file, struct iov_iter *from, loff_t *pos);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
int vfs_truncate(struct path *path, loff_t length);
int do_dup3(unsigned int oldfd, unsigned int newfd, int flags);
int do_dup(unsigned int fd);
long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
/* getdents64 into a user buffer; bytes or -errno. */
struct linux_dirent64;
long do_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent, unsigned int count);
/* getdents64 into a kernel buffer (self-tests). */
long kernel_getdents64(unsigned int fd, void *dirent, unsigned int count);

/* Directory iteration: iterate() calls emit() per entry; emit returns false when the buffer is full. */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, unsigned int len, loff_t off,
		     u64 ino, unsigned int type);
	loff_t pos;
};
int iterate_dir(struct file *file, struct dir_context *ctx);
unsigned int mode_to_dt(umode_t mode);
/* lseek of a directory whose f_pos is a readdir cookie: SEEK_SET to any cookie >= 0 only. */
loff_t dir_cookie_llseek(struct file *file, loff_t offset, int whence);

/* Generic file operations of page-cache files (fs/filemap.c). */
ssize_t generic_file_read_iter(struct file *file, struct iov_iter *to, loff_t *pos);
ssize_t generic_file_write_iter(struct file *file, struct iov_iter *from, loff_t *pos);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
int generic_setsize(struct inode *inode, loff_t size);
/*
 * Linux's limits on growing a file: RLIMIT_FSIZE (past it the caller gets
 * SIGXFSZ and EFBIG) and the largest offset, MAX_LFS_FILESIZE (EFBIG).
 * write_size_ok() returns how many of @count bytes at @pos may be written,
 * or -EFBIG; inode_newsize_ok() 0 or -EFBIG for a truncate to @size.
 */
ssize_t write_size_ok(loff_t pos, size_t count);
int inode_newsize_ok(struct inode *inode, loff_t size);
extern const struct file_operations generic_dir_operations;

/* Character devices (fs/char_dev.c). */
extern const struct file_operations def_chr_fops;

/* fd table internals (fdtable.c). fd_alloc_from: lowest free fd >= @start (F_DUPFD). */
int fd_alloc_from(struct files_struct *files, unsigned int start, struct file *file,
		  unsigned int flags);
bool fd_get_cloexec(struct files_struct *files, unsigned int fd);
void fd_set_cloexec(struct files_struct *files, unsigned int fd, bool on);
/*
 * dup2/dup3: installs @file at @newfd, closing what was there. Returns
 * @newfd, -EBADF beyond the limit, -ENOMEM. The table takes the caller's
 * reference to @file.
 */
int fd_replace(struct files_struct *files, unsigned int newfd, struct file *file,
	       unsigned int flags);
unsigned int rlimit_nofile(void);
void init_fs_set_root(void);
/* Sets the working directory; takes over the caller's reference to @path. */
void set_fs_pwd(struct fs_struct *fs, const struct path *path);
/* POSIX record locks (fs/locks.c): fcntl F_GETLK/F_SETLK/F_SETLKW on @f. */
struct flock;
long fcntl_posix_lock(struct file *f, unsigned int cmd, struct flock __user *ufl);
/* Drops @files' record locks on @f's inode: called whenever @files closes a descriptor. */
void locks_remove_posix(struct files_struct *files, struct file *f);
/* Drops @f's BSD (flock) lock: called by the last fput() of @f. */
void locks_remove_flock(struct file *f);
/* Sets the root directory (chroot); takes over the caller's reference to @path. */
void set_fs_root(struct fs_struct *fs, const struct path *path);
bool capable_fs(void);		/* fsuid 0: the stand-in for CAP_DAC_OVERRIDE / CAP_SYS_ADMIN */

/*
 * For splice, tee and vmsplice (fs/splice.c): the pipe behind @file or NULL;
 * waiting until a pipe is readable (data, or no writer) or writable (room,
 * or no reader), -EAGAIN at once with @nonblock, -ERESTARTSYS on a signal;
 * the bytes that fit without waiting; copying the first @len bytes out
 * without consuming them (the number copied).
 */
struct pipe_inode_info;
struct pipe_inode_info *get_pipe_info(struct file *file);
/*
 * Copies up to @count bytes from @in at *@pos to @out at *@out_pos, a chunk
 * at a time through a kernel buffer (read_write.c: sendfile,
 * copy_file_range, splice). Bytes read but not written go back (the read
 * position is moved back) unless @in is the pipe @ipipe, whose copy also
 * ends once it is empty after the first chunk. Returns what was written,
 * or -errno when nothing was; a signal or a short write ends it early.
 */
ssize_t file_copy_range(struct file *in, loff_t *pos, struct file *out, loff_t *out_pos,
			size_t count, struct pipe_inode_info *ipipe);
int pipe_wait_ready(struct pipe_inode_info *pipe, bool write, bool nonblock);
size_t pipe_room(struct pipe_inode_info *pipe);
size_t pipe_peek(struct pipe_inode_info *pipe, void *dst, size_t len);

/* Both ends of pipes and named FIFOs (fs/pipe.c); init_special_inode gives it to S_IFIFO inodes. */
extern const struct file_operations pipefifo_fops;
/* The two ends of a new pipe, read then write, with @flags' O_NONBLOCK/O_DIRECT; 0 or -errno. */
int create_pipe_files(struct file **res, int flags);
/* F_GETPIPE_SZ / F_SETPIPE_SZ on @file (fs/pipe.c): bytes or -errno, -EBADF if not a pipe. */
long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg);

int tmpfs_init(void);
/*
 * Unpacks a newc cpio archive into the directory @root; 0, or -EINVAL for a
 * malformed archive (logged; entries before the bad one stay).
 */
int initramfs_unpack(const void *data, size_t size, const struct path *root);
/* Unpacks the boot loader's module 0 into @root. */
int initramfs_unpack_boot(const struct path *root);
extern const struct file_operations tmpfs_file_fops;
extern const struct file_operations tmpfs_dir_fops;
int devfs_populate(const struct path *dev);
/* Registers devpts (fs/devpts/); fs/init.c mounts it on /dev/pts. */
int devpts_init(void);
/*
 * Splits mount(2)'s option string @data (may be NULL) at commas and calls
 * @one on each non-empty option [@opt, @end); stops at its first error.
 * 0 or that -errno.
 */
int mount_options_parse(const char *data, int (*one)(void *arg, const char *opt, const char *end),
			void *arg);
/* Registers the proc file system type (fs/proc/). */
int proc_init(void);
/* Registers sysfs, a procfs entry table (fs/proc/sysfs.c). */
int sysfs_init(void);

#endif /* _FS_INTERNAL_H */
