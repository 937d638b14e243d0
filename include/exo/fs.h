/* SPDX-License-Identifier: MIT */
/*
 * The virtual file system: what fs/ offers the rest of the kernel.
 *
 * Objects, Linux-shaped: a super_block per mounted file system instance, an
 * inode per file, dentries naming inodes (<exo/dcache.h>), mounts
 * (<exo/mount.h>), and a struct file per open. Regular file data lives in the
 * inode's address_space (the page cache): pages indexed by file offset in
 * pages, each holding one reference for the cache.
 *
 * Ownership: a dentry holds a reference on its inode; a file holds a path
 * (mount + dentry). An inode whose link count and reference count both reach
 * zero is evicted and its pages freed.
 *
 * Locking (outermost first): the rename mutex, then inode->i_rwsem (a sleeping
 * lock: a directory's is held shared by lookup and readdir, exclusive by every
 * change to its names; two in lock_rename()'s order), then the spinlocks
 * files->lock | fs->lock, mount_lock, dcache_lock, inode->i_lock,
 * mapping->lock, under which nothing sleeps or faults. docs/vfs.md and
 * docs/locking.md have the whole story.
 */
#ifndef _EXO_FS_H
#define _EXO_FS_H

#include <exo/compiler.h>
#include <exo/dcache.h>
#include <exo/list.h>
#include <exo/rwsem.h>
#include <exo/spinlock.h>
#include <exo/fs_types.h>
#include <exo/radix-tree.h>
#include <exo/sched.h>
#include <exo/types.h>
#include <uapi/uio.h>

struct iov_iter;
struct page;
struct vm_area;
struct cred;
struct file;
struct inode;
struct super_block;
struct vfsmount;
struct poll_table;
struct seq_file;

/* Device numbers, the Linux encoding for 8-bit major and minor (new_encode_dev for small ones). */
#define MINORBITS 20
#define MKDEV(ma, mi) (((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev) & ((1U << MINORBITS) - 1)))
/* What stat() reports for a dev_t (Linux's new_encode_dev). */
static inline u64 dev_to_user(dev_t dev)
{
	u64 ma = MAJOR(dev), mi = MINOR(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

/* Current wall-clock time for inode stamps. */
struct timespec64 current_time(void);

/* ---- page cache ---------------------------------------------------------- */

/*
 * How a disk file system fills its page-cache pages (Linux's
 * address_space_operations; block devices have only readahead).
 * readpage() fills @page (locked by the caller, not yet PG_uptodate, not
 * zeroed) from the disk and sets PG_uptodate; it returns 0 or -errno and
 * may sleep. readahead() starts reading the pages of [@start, @start +
 * @nr) that are not cached, without waiting: it inserts each locked, and
 * the I/O completion sets PG_uptodate (not on an error: the reader's
 * readpage() retries) and unlocks it; page @mark, when it reads it, gets
 * PG_readahead. It may skip pages (readpage() reads those). Memory file
 * systems have none: a missing page is a hole.
 */
struct address_space;

struct address_space_operations {
	int (*readpage)(struct inode *inode, struct page *page);
	void (*readahead)(struct address_space *mapping, unsigned long start, unsigned long nr,
			  unsigned long mark);
};

/*
 * The pages of one file, sorted by index. The cache holds one reference on
 * each page; page->mapping and page->index say where it belongs.
 */
struct address_space {
	const struct address_space_operations *a_ops;	/* [immutable] NULL: memory file system */
	struct spinlock lock;
	struct radix_tree_root page_tree;	/* [lock] pages by page->index */
	unsigned long nrpages;		/* [lock]; stat reads it once without */
	struct inode *host;		/* [immutable] */
	bool reclaimable;		/* [immutable once pages exist] clean pages may be dropped
					 * under memory pressure (block devices; never tmpfs) */
	int nr_shared_writable;		/* [atomic] VM_SHARED|VM_MAYWRITE mappings (F_SEAL_WRITE) */
};

/*
 * Returns in *@out a referenced page of @mapping at @index. With @create a
 * missing page is allocated zero-filled and inserted; without it a missing
 * page gives -ENOENT (a hole). Returns 0, -ENOENT or -ENOMEM. The caller
 * drops the reference with put_page().
 */
int filemap_get_page(struct address_space *mapping, unsigned long index, bool create,
		     struct page **out);
/*
 * The page-cache read of regular files and block devices: copies from
 * *@pos (not negative) up to @size to @to, in batches of up to
 * COPY_PAGES_MAX cached pages each looked up under one lock and copied as
 * one run. A page the batch cannot take (missing, not up to date, a
 * read-ahead marker) comes from @fill(file, index, pages the read still
 * wants): referenced and up to date, NULL for a hole (reads as zeros), or
 * an ERR_PTR. Advances *@pos; returns the bytes read, or an error when
 * none were.
 */
ssize_t filemap_read(struct file *file, struct address_space *mapping, struct iov_iter *to,
		     loff_t *pos, loff_t size,
		     struct page *(*fill)(struct file *file, unsigned long index,
					  unsigned long req_pages));
/* The page of @mapping at @index, referenced, or NULL: filemap_get_page() without @create. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);
/*
 * For mappings with a_ops->readpage: the referenced, up-to-date page at
 * @index, read by readpage() under the page lock if it is not yet (or
 * waited for, when read-ahead has it locked). 0 or -errno (-EIO, -EUCLEAN,
 * -ENOMEM). May sleep.
 */
int filemap_read_page(struct address_space *mapping, unsigned long index, struct page **out);
/* Pages in every page cache (/proc/meminfo Cached and Shmem: all of it is tmpfs). */
extern unsigned long nr_pagecache_pages;	/* [atomic] */
/*
 * Reclaim of clean page-cache pages (the page cache shrinker): pages of
 * reclaimable mappings sit on one LRU; drop_pagecache() drops every clean
 * unmapped one (drop_caches). mark_page_accessed() gives a page a second
 * trip round the LRU.
 */
unsigned long drop_pagecache(void);
void mark_page_accessed(struct page *page);
extern unsigned long nr_lru_pages;	/* [atomic] pages on the page cache LRU */
/* Drops every page at index >= @start from the cache (truncate, evict). */
void truncate_inode_pages(struct address_space *mapping, unsigned long start);
/* The same for the pages at indexes [@start, @end] (punching a hole). */
void truncate_inode_pages_range(struct address_space *mapping, unsigned long start,
				unsigned long end);
/*
 * For the mm fault handler of a file-backed VMA: the referenced page-cache
 * page holding page @pgoff of @file, created zeroed for a hole. Returns 0,
 * -ENXIO when @pgoff lies at or beyond end of file (SIGBUS), -ENOMEM, or
 * -EACCES/-ENODEV when the file has no page cache.
 */
int filemap_fault(struct file *file, unsigned long pgoff, struct page **page);
/* An unlinked tmpfs file of @size bytes backing shared anonymous memory; or ERR_PTR. */
struct file *shmem_file_setup(loff_t size);
/*
 * An unlinked file named @name (shown as "/@name (deleted)") of @size bytes
 * and permission bits @mode on the kernel's tmpfs instance, open with the
 * open(2) @flags (O_RDWR, O_LARGEFILE); or ERR_PTR. memfd_create's backing.
 */
struct file *shmem_file_create(const char *name, loff_t size, umode_t mode, unsigned int flags);
/* Whether @file is on tmpfs (memfd seals, F_ADD_SEALS' EINVAL elsewhere). */
bool shmem_file(struct file *file);
/* fcntl F_ADD_SEALS / F_GET_SEALS (mm/memfd.c): the seals, 0 or -errno. */
long memfd_fcntl(struct file *file, unsigned int cmd, unsigned long arg);

/* ---- I/O iterators --------------------------------------------------------- */

/*
 * A read or write buffer. Its type says where the segments live, and each
 * type has its own constructor and segment type, so sparse checks that user
 * addresses are only reached through the uaccess helpers:
 *   ITER_IOVEC  struct iovec, void __user *iov_base (syscalls): iov_iter_init()
 *   ITER_KVEC   struct kvec, void *iov_base (kernel_read, self-tests): iov_iter_kvec()
 * The copies return the bytes moved, fewer than asked only when a user
 * address faults: copy_to_iter/copy_from_iter then move none of the
 * segment that faulted, copy_page_to_iter/copy_page_from_iter/iov_iter_zero
 * every byte before the fault (fs/iov_iter.c).
 */
enum iter_type {
	ITER_IOVEC,
	ITER_KVEC,
};

struct kvec {
	void *iov_base;
	size_t iov_len;
};

struct iov_iter {
	u8 iter_type;
	unsigned long nr_segs;
	size_t iov_offset;		/* into the first segment */
	size_t count;			/* bytes left in all segments */
	union {
		const struct iovec *iov;	/* ITER_IOVEC */
		const struct kvec *kvec;	/* ITER_KVEC */
	};
};

static inline bool iter_is_iovec(const struct iov_iter *it)
{
	return it->iter_type == ITER_IOVEC;
}

/* The length of the first segment; struct iovec and struct kvec differ only in address space. */
static inline size_t iov_iter_seg_len(const struct iov_iter *it)
{
	return iter_is_iovec(it) ? it->iov->iov_len : it->kvec->iov_len;
}

/* Steps to the next segment. */
static inline void iov_iter_next_seg(struct iov_iter *it)
{
	if (iter_is_iovec(it))
		it->iov++;
	else
		it->kvec++;
	it->nr_segs--;
	it->iov_offset = 0;
}

static inline void iov_iter_skip_empty(struct iov_iter *it)
{
	while (it->nr_segs && iov_iter_seg_len(it) == 0)
		iov_iter_next_seg(it);
}

/* The rest of a constructor, once the type and the segment array are set. */
static inline void __iov_iter_start(struct iov_iter *it, unsigned long nr_segs, size_t count)
{
	it->nr_segs = nr_segs;
	it->iov_offset = 0;
	it->count = count;
	iov_iter_skip_empty(it);
}

/*
 * User segments, already checked with access_ok() (import_iovec).
 * Inline: read() and write() build a one-segment iterator on every call.
 */
static inline void iov_iter_init(struct iov_iter *it, const struct iovec *iov,
				 unsigned long nr_segs, size_t count)
{
	it->iter_type = ITER_IOVEC;
	it->iov = iov;
	__iov_iter_start(it, nr_segs, count);
}

/* Kernel segments. */
static inline void iov_iter_kvec(struct iov_iter *it, const struct kvec *kvec,
				 unsigned long nr_segs, size_t count)
{
	it->iter_type = ITER_KVEC;
	it->kvec = kvec;
	__iov_iter_start(it, nr_segs, count);
}
size_t copy_to_iter(const void *src, size_t bytes, struct iov_iter *it);
size_t copy_from_iter(void *dst, size_t bytes, struct iov_iter *it);
size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *it);
/*
 * The most pages one copy_pages_to_iter() takes as one run: a batched read
 * of the page cache takes at most this many pages a round.
 */
#define COPY_PAGES_MAX 32
/*
 * Copies @bytes from @pages[0..@nr) taken as one run: from @offset in the
 * first page, then from the start of each next one (the caller makes
 * @bytes end within the last). Returns the bytes copied; fewer only where
 * a user address faults, stopping at the faulting byte, as
 * copy_page_to_iter() does.
 */
size_t copy_pages_to_iter(struct page **pages, unsigned int nr, size_t offset, size_t bytes,
			  struct iov_iter *it);
size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *it);
size_t iov_iter_zero(size_t bytes, struct iov_iter *it);
void iov_iter_advance(struct iov_iter *it, size_t bytes);
/*
 * Copies the user iovec array @uvec of @nr entries into a kmalloc'ed array
 * (kfree it), checking each segment; lengths are clipped so the sum stays
 * within MAX_RW_COUNT, which goes to *@total. ERR_PTR(-EINVAL) for more
 * than UIO_MAXIOV entries or a negative length, -EFAULT, -ENOMEM.
 */
struct iovec *import_iovec(const struct iovec __user *uvec, unsigned long nr, size_t *total);

/* ---- inodes ------------------------------------------------------------------ */

struct inode_operations {
	/* Fills the negative @dentry if @dir has such a name; the memory file systems leave it negative. */
	int (*lookup)(struct inode *dir, struct dentry *dentry);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev);
	int (*symlink)(struct inode *dir, struct dentry *dentry, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	/* Called with both parents' i_rwsem held (lock_rename) after the VFS checked every rule; replaces @new_dentry if positive. */
	int (*rename)(struct inode *old_dir, struct dentry *old_dentry, struct inode *new_dir,
		      struct dentry *new_dentry, unsigned int flags);
	/*
	 * Target of a symlink: a NUL-terminated string valid while the inode
	 * lives (memory file systems), or one written into @buf, @size
	 * (PATH_MAX) bytes the caller provides, for links whose target is
	 * computed on each use (procfs: /proc/self, /proc/PID/fd/N). Returns the
	 * string or ERR_PTR(-errno).
	 */
	const char *(*get_link)(struct inode *inode, char *buf, size_t size);
	/*
	 * Magic links (/proc/PID/fd/N, exe, cwd, root): the object itself, not
	 * a name. Fills @path, referenced (its mnt is NULL for pipes, sockets
	 * and other files on no mount), and returns 0 or -errno. When set, a
	 * path walk jumps there instead of reading get_link()'s text.
	 */
	int (*get_link_path)(struct inode *inode, struct path *path);
	/* Changes the size (truncate); called without locks. */
	int (*setsize)(struct inode *inode, loff_t size);
	/* 512-byte blocks the file holds on disk (stat's st_blocks); NULL: its cached pages. */
	u64 (*disk_blocks)(struct inode *inode);
};

struct inode {
	umode_t i_mode;				/* [i_lock] */
	u32 i_uid, i_gid;			/* [i_lock] */
	unsigned int i_nlink;			/* [i_lock] */
	loff_t i_size;				/* [i_lock] */
	dev_t i_rdev;				/* [immutable] device of a special file */
	struct timespec64 i_atime, i_mtime, i_ctime; /* [i_lock] */
	unsigned long i_ino;			/* [immutable] */
	const struct inode_operations *i_op;	/* [immutable] */
	const struct file_operations *i_fop;	/* [immutable] */
	struct super_block *i_sb;		/* [immutable] */
	struct address_space i_data;		/* regular files: the page cache */
	void *i_private;			/* [file system] */
	char *i_link;				/* [immutable] symlink target of memory file systems */
	int i_count;				/* [atomic] dentries and other holders */
	int i_writecount;			/* [atomic] >0 files open for writing, <0 being executed */
	unsigned int i_seals;			/* [i_lock] F_SEAL_* of a memfd (mm/memfd.c) */
	struct spinlock i_lock;
	/*
	 * Sleeping: a directory's names (shared for lookup and readdir,
	 * exclusive to add, remove or rename one) and, for any inode,
	 * attribute changes (setattr, truncate). File systems may sleep and do
	 * I/O under it.
	 */
	struct rw_semaphore i_rwsem;
};

/*
 * Lock classes (validator subclasses) of i_rwsem when a task holds more
 * than one: the parent of a one-directory operation is NORMAL; a
 * cross-directory rename's second parent (lock_rename(): ancestor first,
 * else by address) is PARENT2; a directory being removed or replaced,
 * locked to check it is empty, is CHILD and comes last.
 */
enum inode_lock_class {
	I_MUTEX_NORMAL,
	I_MUTEX_PARENT2,
	I_MUTEX_CHILD,
};

static __always_inline void inode_lock(struct inode *inode)
	__acquires(&inode->i_rwsem)
{
	down_write(&inode->i_rwsem);
}

static __always_inline void inode_lock_nested(struct inode *inode, unsigned int subclass)
	__acquires(&inode->i_rwsem)
{
	down_write_nested(&inode->i_rwsem, subclass);
}

static __always_inline void inode_unlock(struct inode *inode)
	__releases(&inode->i_rwsem)
{
	up_write(&inode->i_rwsem);
}

static __always_inline void inode_lock_shared(struct inode *inode)
	__acquires(&inode->i_rwsem)
{
	down_read(&inode->i_rwsem);
}

static __always_inline void inode_unlock_shared(struct inode *inode)
	__releases(&inode->i_rwsem)
{
	up_read(&inode->i_rwsem);
}

/*
 * ETXTBSY, Linux's rule: a regular file cannot be written while a program
 * runs from it, nor executed while open for writing. get_write_access()
 * counts a writer up unless the file is executing; deny_write_access()
 * counts an executor down unless someone writes.
 */
int get_write_access(struct inode *inode);
void put_write_access(struct inode *inode);
int deny_write_access(struct file *file);

/* A new inode of @sb with a fresh inode number, count 1, nlink 1; or ERR_PTR(-ENOMEM). */
struct inode *new_inode(struct super_block *sb);
struct inode *igrab(struct inode *inode);
/* Drops a reference; evicts the inode when it was the last and nlink is 0. */
void iput(struct inode *inode);
/* Sets the ops of a device node, FIFO or socket inode. */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void inode_touch_mc(struct inode *inode);	/* mtime = ctime = now */

/* Permission bits for inode_permission. */
#define MAY_EXEC	0x01
#define MAY_WRITE	0x02
#define MAY_READ	0x04
#define MAY_ACCESS	0x10	/* access(): use the real ids */

/*
 * Checks @mask (MAY_*) against @inode's mode for @cred's fsuid/fsgid. Root
 * passes everything except MAY_EXEC on a non-directory without any x bit.
 * Returns 0 or -EACCES.
 */
int inode_permission(const struct cred *cred, struct inode *inode, int mask);

/* ---- super blocks and file system types ---------------------------------- */

struct statfs;

struct super_operations {
	/* Frees the file system's part of an inode being evicted. */
	void (*evict_inode)(struct inode *inode);
	/* Fills the sizes of statfs(2) (the VFS set type, name length and flags); 0 or -errno. */
	int (*statfs)(struct super_block *sb, struct statfs *st);
	/*
	 * Extended attributes (fs/xattr.c checked name and permission):
	 * getxattr copies @name's value into @buf of @size bytes (0: just
	 * its length) and returns the length, -ENODATA, -ERANGE;
	 * listxattr writes the NUL-terminated names (size 0: the length
	 * needed). NULL: the file system has none (EOPNOTSUPP).
	 */
	ssize_t (*getxattr)(struct inode *inode, const char *name, void *buf, size_t size);
	ssize_t (*listxattr)(struct inode *inode, char *buf, size_t size);
};

struct super_block {
	struct file_system_type *s_type;	/* [immutable] */
	const struct super_operations *s_op;	/* [immutable] */
	struct dentry *s_root;			/* [immutable] */
	dev_t s_dev;				/* [immutable] anonymous device number */
	unsigned long s_magic;			/* [immutable] */
	unsigned long s_flags;			/* [mount_lock] MS_RDONLY */
	unsigned long s_next_ino;		/* [atomic] */
	unsigned long s_max_blocks;		/* [immutable] page-cache pages allowed; 0: no limit */
	unsigned long s_used_blocks;		/* [atomic] page-cache pages its files hold */
	void *s_fs_info;
};

struct file_system_type {
	const char *name;
	/*
	 * Builds a new super block with its root dentry; returns it or ERR_PTR.
	 * @data: mount(2)'s option string ("size=1m,mode=700"), or NULL.
	 */
	struct super_block *(*mount)(struct file_system_type *type, unsigned long flags,
				     const char *data);
	/*
	 * Instead of mount, for file systems on a block device: @dev_name is
	 * mount(2)'s source (a block device node). The file system may set
	 * MS_RDONLY in the new super block's s_flags (a read-only driver);
	 * the mount is then read-only whatever was asked.
	 */
	struct super_block *(*mount_dev)(struct file_system_type *type, unsigned long flags,
					 const char *dev_name, const char *data);
	/*
	 * Frees @sb, its tree and its root, once the only mount of it is
	 * unmounted (types whose every mount is a new instance); NULL: the
	 * super block stays for the kernel's life (devtmpfs, proc, sysfs).
	 */
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;		/* [file_systems_lock] */
};

int register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);
/* Calls @fn on every registered type, under a spinlock: @fn must not sleep. */
void iterate_filesystems(void (*fn)(struct file_system_type *type, void *arg), void *arg);
/* A zeroed super block with an anonymous device number; or ERR_PTR(-ENOMEM). */
struct super_block *sget_anon(struct file_system_type *type);
/*
 * Ends a mount's set-up: makes @root (may be an ERR_PTR: its allocation
 * failed) the root of @sb and returns @sb; on failure releases both and
 * returns the error.
 */
struct super_block *sb_set_root(struct super_block *sb, struct inode *root);

/* ---- open files ------------------------------------------------------------ */

/* f_mode bits */
#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_LSEEK	0x4
#define FMODE_PREAD	0x8
#define FMODE_PWRITE	0x10
#define FMODE_PATH	0x4000	/* O_PATH: no I/O */
#define FMODE_WRITER	0x8000	/* holds write access (i_writecount), dropped by the last fput */
#define FMODE_DENY_WRITE 0x10000 /* an exec's file: writes denied until the last fput */

struct dir_context;
/* The readdir of dcache-only (memory) directories: tmpfs, the mqueue file system. */
int dcache_readdir(struct file *file, struct dir_context *ctx);

struct file_operations {
	/* Device files: switch f_op or set private_data. */
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	/* Called at every close of a descriptor to the file (mqueue: drops a notification). */
	void (*flush)(struct file *file);
	/* Read or write at *@pos, advancing it; return bytes moved or -errno. */
	ssize_t (*read_iter)(struct file *file, struct iov_iter *to, loff_t *pos);
	ssize_t (*write_iter)(struct file *file, struct iov_iter *from, loff_t *pos);
	/*
	 * Optional, beside read_iter/write_iter (which every other path uses):
	 * one user buffer that passed access_ok(), for read(), write(), pread64()
	 * and pwrite64() without building an iov_iter (Linux's ->read/->write).
	 * read() and write() pass &file->f_pos itself (pread64 and pwrite64 a
	 * copy): one that moves the position stores it with WRITE_ONCE, and
	 * only in a file with FMODE_LSEEK. @count may be 0.
	 */
	ssize_t (*read)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count, loff_t *pos);
	/* NULL: generic_file_llseek semantics for a regular file. */
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	int (*iterate)(struct file *file, struct dir_context *ctx);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	/*
	 * Checks that @file may be mapped as @vma asks; the mm code then maps
	 * pages it gets from filemap_fault(). 0 or -errno (-ENODEV: not mappable).
	 */
	int (*mmap)(struct file *file, struct vm_area *vma);
	int (*fsync)(struct file *file, bool datasync);
	/* fallocate() after vfs_fallocate's checks; NULL: EOPNOTSUPP. */
	int (*fallocate)(struct file *file, int mode, loff_t offset, loff_t len);
	/*
	 * Readiness: returns the POLL* events that hold now, and registers the
	 * caller on the file's wait queues with poll_wait(@file, wq, @pt)
	 * (<exo/poll.h>) so that a change wakes it. @pt may be NULL (just ask).
	 * Must not sleep. NULL: always readable and writable, as Linux reports
	 * for regular files (DEFAULT_POLLMASK).
	 */
	__poll_t (*poll)(struct file *file, struct poll_table *pt);
	/*
	 * /proc/PID/fdinfo/N: prints the lines of this kind of file after the
	 * common ones (Linux's formats). Called with a reference to @file held;
	 * may take the file's own locks.
	 */
	void (*show_fdinfo)(struct seq_file *m, struct file *file);
};

/*
 * Read-ahead state of an open file (Linux's file_ra_state): the last
 * window read ahead is pages [start, start + size); when a sequential
 * reader reaches its last async_size pages the next, larger window is
 * started before it is needed. prev_index is the last page read (valid
 * once size is not 0; a new file's zeroed state reads as "nothing yet").
 * [f_ra is only touched by readers of the file; racing readers only
 * spoil the heuristics]
 */
struct file_ra_state {
	unsigned long start;
	unsigned int size;
	unsigned int async_size;
	unsigned long prev_index;
};

struct file {
	const struct file_operations *f_op;	/* [immutable after open] */
	struct path f_path;			/* [immutable] */
	struct inode *f_inode;			/* [immutable] */
	unsigned int f_flags;			/* [f_lock] O_* (F_SETFL changes some) */
	unsigned int f_mode;			/* [immutable] FMODE_* */
	loff_t f_pos;				/* [f_lock] for lseek; read/write: READ_ONCE/WRITE_ONCE */
	struct file_ra_state f_ra;		/* [racy] read-ahead heuristics */
	struct spinlock f_lock;
	int f_count;				/* [atomic] */
	void *private_data;			/* [f_op] */
	struct list_head f_ep_links;		/* [f_lock] epoll items watching it (fs/eventpoll.c) */
};

/*
 * A file not yet on any path, for open(): allocated before a lookup that may
 * create, so that running out of memory creates nothing. file_set_path()
 * completes it, taking over the caller's references on @path; until then
 * file_free_empty() is the way to drop it.
 */
struct file *alloc_empty_file(unsigned int flags);
void file_set_path(struct file *f, const struct path *path, const struct file_operations *fop);
void file_free_empty(struct file *f);
/* A new file on @path (referenced by the file on success) with @flags; or ERR_PTR. */
struct file *alloc_file(const struct path *path, unsigned int flags,
			const struct file_operations *fop);
/* An open file with no name (pipes, sockets, anonymous memory): needs a pseudo inode. */
struct file *alloc_file_pseudo(struct inode *inode, unsigned int flags,
			       const struct file_operations *fop);
/* The same with @name on its dentry ("[eventfd]": /proc/PID/fd shows "anon_inode:[eventfd]"). */
struct file *alloc_file_pseudo_named(struct inode *inode, const char *name, unsigned int flags,
				     const struct file_operations *fop);

static inline struct file *get_file(struct file *f)
{
	__atomic_fetch_add(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

/*
 * Drops a reference; the last one releases the file (f_op->release) and its
 * path, after taking it out of the epoll sets that watch it (which takes
 * mutexes): the last fput() must not run under a spinlock.
 */
void fput(struct file *file);

/*
 * Opens @path, a kernel string resolved from the caller's root and cwd (the
 * init fs before the first task), with open() @flags and @mode. Returns the
 * file or ERR_PTR(-errno) with open()'s errors.
 */
struct file *filp_open(const char *path, int flags, umode_t mode);
/*
 * Path helpers for other subsystems (AF_UNIX binds and connects by path),
 * resolving the kernel string @name from the caller's cwd and root.
 * kern_path: follows a final symlink; *@out referenced on success.
 * vfs_mknod_path: mknod(@name, @mode) (mode includes S_IF*, umask applies)
 * with mknod's errors (EEXIST when the name exists); *@out referenced on
 * success. Both return 0 or -errno.
 */
int kern_path(const char *name, struct path *out);
int vfs_mknod_path(const char *name, umode_t mode, struct path *out);
/* Reads up to @count bytes at *@pos into a kernel buffer; bytes read or -errno. */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
/*
 * execve's check on an open file: a regular file (-EACCES otherwise), on a
 * mount without noexec, with an x bit the caller may use (root: any x bit).
 * 0 or -EACCES.
 */
int vfs_permission_exec(struct file *file);

/* ---- per-process state: fd tables and fs_struct ---------------------------- */

/*
 * The fd table of one or more tasks (CLONE_FILES shares it). fd[] grows by
 * doubling; open_fds and close_on_exec are bitmaps of max_fds bits.
 */
struct files_struct {
	int count;				/* [atomic] tasks sharing it */
	struct spinlock lock;
	unsigned int max_fds;			/* [lock] */
	struct file **fd;			/* [lock] */
	unsigned long *open_fds;		/* [lock] reserved or installed */
	unsigned long *close_on_exec;		/* [lock] */
	unsigned int next_fd;			/* [lock] no free fd below it */
};

/* An empty fd table, count 1; or ERR_PTR(-ENOMEM). */
/*
 * lseek over @size bytes (fs/filemap.c): SEEK_SET/CUR/END/DATA/HOLE; with
 * @fixed no position past @size (a block device). The new position or -errno.
 */
loff_t generic_file_llseek_size(struct file *file, loff_t offset, int whence, loff_t size,
				bool fixed);
struct files_struct *files_alloc(void);
/* fork without CLONE_FILES: a copy holding its own references to every open file; or ERR_PTR(-ENOMEM). */
struct files_struct *dup_files(struct files_struct *files);
/* CLONE_FILES: one more task uses @files. */
static inline struct files_struct *get_files(struct files_struct *files)
{
	__atomic_fetch_add(&files->count, 1, __ATOMIC_RELAXED);
	return files;
}
/* A task stops using @files (exit, unshare, exec after unsharing); the last user closes every fd. */
void put_files(struct files_struct *files);
/* execve: closes every fd marked close-on-exec. */
void files_close_on_exec(struct files_struct *files);

/* Root, cwd and umask of one or more tasks (CLONE_FS shares it). */
struct fs_struct {
	int users;				/* [atomic] */
	struct spinlock lock;
	struct path root;			/* [lock] */
	struct path pwd;			/* [lock] */
	unsigned int umask;			/* [lock] */
	unsigned int seq;			/* [lock] odd while root or pwd change (lockless walk) */
};

/* A fresh fs_struct: root = cwd = the namespace root, umask 022; or ERR_PTR(-ENOMEM). */
struct fs_struct *fs_struct_alloc_init(void);
/* fork without CLONE_FS: a copy (own references); or ERR_PTR(-ENOMEM). */
struct fs_struct *copy_fs_struct(struct fs_struct *fs);
static inline struct fs_struct *get_fs_struct(struct fs_struct *fs)
{
	__atomic_fetch_add(&fs->users, 1, __ATOMIC_RELAXED);
	return fs;
}
void put_fs_struct(struct fs_struct *fs);

/*
 * The files/fs/cred of the running task, or of the kernel's own init
 * context (root, fd table init_files) while no task runs yet (boot, self-tests).
 */
struct files_struct *current_files(void);
/* The kernel's own fd table (current_files() while no task runs, or one without a table). */
extern struct files_struct init_files;
struct fs_struct *current_fs_struct(void);
const struct cred *current_cred(void);

/* Installs @file at the lowest free fd >= 0; the table takes the caller's reference. fd or -EMFILE. */
int fd_install_new(struct files_struct *files, struct file *file, unsigned int flags);
/* The file at @fd with a reference, or NULL. */
struct file *fget(struct files_struct *files, unsigned int fd);

/*
 * The calling task's file at @fd for the length of one system call, NULL
 * in .file if none. When the task is the only user of its fd table nobody
 * else can close the descriptor meanwhile, so no reference is taken and
 * .borrowed says so (Linux's fdget). Pair with fdput() before returning.
 */
struct fd {
	struct file *file;
	bool borrowed;
};

/* Inline: read() and write() of a cheap file spend a good part of their time here. */
static __always_inline struct fd fdget(unsigned int fd)
{
	/*
	 * Not current_files(): only system calls get here, and a task that
	 * can make one has a table (kernel threads, which have none, make none).
	 */
	struct files_struct *files = current->files;

	/* Only this task could change a table nobody shares, and it is here. */
	if (__atomic_load_n(&files->count, __ATOMIC_RELAXED) == 1)
		return (struct fd){ fd < files->max_fds ? files->fd[fd] : NULL, true };
	return (struct fd){ fget(files, fd), false };
}

static inline void fdput(struct fd f)
{
	if (f.file && !f.borrowed)
		fput(f.file);
}
/* Closes @fd: 0 or -EBADF. */
int close_fd(struct files_struct *files, unsigned int fd);

/* ---- devices ------------------------------------------------------------------ */

/*
 * Registers the operations of character device (@major, @minor): opening a
 * device node with that number switches the file to @fops (then calls
 * @fops->open). 0 or -ENOSPC. Devices without llseek are streams (ESPIPE).
 */
int register_chrdev_fops(unsigned int major, unsigned int minor, const struct file_operations *fops);
/* The same for every minor of @major (ptys: /dev/pts/N is 136:N); @fops->open reads the minor. */
int register_chrdev_major(unsigned int major, const struct file_operations *fops);

/*
 * Makes /dev/@name (@mode includes S_IFBLK or S_IFCHR) for a device found
 * after boot; an existing name is left as it is. 0 or -errno.
 */
#ifdef CONFIG_DEVFS
int devfs_mknod(const char *name, umode_t mode, dev_t dev);
#else
static inline int devfs_mknod(const char *name, umode_t mode, dev_t dev)
{
	(void)name;
	(void)mode;
	(void)dev;
	return 0;
}
#endif

/* Max bytes of one read or write, as Linux: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT (0x7fffffffL & ~(long)(4096 - 1))

/* ---- boot ---------------------------------------------------------------------- */

/* Mounts the tmpfs root, unpacks the initramfs into it, mounts devfs on /dev (an fs_initcall). */
int vfs_init(void);
/* After the initcalls: mounts root= (rootfstype=) as / if the command line names one; 0 or -errno. */
int prepare_namespace(void);

#endif /* _EXO_FS_H */
