// SPDX-License-Identifier: MIT
/*
 * Self-tests "vfs", "initramfs" and "devfs": the kernel-side bodies of the
 * file syscalls, driven with kernel strings from the boot context (the init
 * fd table and fs_struct), on scratch directories under /tmp.
 */
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/mount.h>
#include <exo/printk.h>
#include <exo/random.h>
#include <exo/selftest.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/dirent.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>
#include "internal.h"

static int st_stat(const char *path, int flags, struct kstat *st)
{
	return vfs_fstatat(AT_FDCWD, path, flags, st);
}

static int make_file(const char *path, const char *data)
{
	struct file *f = filp_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	n = kernel_write(f, data, strlen(data), &pos);
	fput(f);
	return n == (ssize_t)strlen(data) ? 0 : -EIO;
}

/* Counts the names in a directory listing and checks that @want is among them. */
static int list_dir(const char *path, const char *want, int *count, bool *found)
{
	char buf[256];
	int fd = do_sys_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0);
	long n;

	if (fd < 0)
		return fd;
	*count = 0;
	*found = false;
	while ((n = kernel_getdents64((unsigned int)fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			if (d->d_reclen % 8 || d->d_reclen < 20)
				return -EINVAL;
			if (want && !strcmp(d->d_name, want))
				*found = true;
			(*count)++;
			off += d->d_reclen;
		}
	}
	close_fd(current_files(), (unsigned int)fd);
	return (int)n;
}

static int vfs_walk_tests(void)
{
	struct kstat st, st2;
	char *longpath;
	char name[300];

	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vt", 0755), 0);
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vt", 0755), -EEXIST);
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vt/a/b", 0755), -ENOENT);
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/", 0755), -EEXIST);
	CHECK_EQ(make_file("/tmp/vt/f", "hello"), 0);

	/* ENOTDIR, ENOENT, trailing slashes. */
	CHECK_EQ(st_stat("/tmp/vt/f/x", 0, &st), -ENOTDIR);
	CHECK_EQ(st_stat("/tmp/vt/f/", 0, &st), -ENOTDIR);
	CHECK_EQ(st_stat("/tmp/vt/missing", 0, &st), -ENOENT);
	CHECK_EQ(st_stat("", 0, &st), -ENOENT);
	CHECK_EQ(st_stat("/tmp/vt/", 0, &st), 0);
	CHECK(S_ISDIR(st.mode));
	CHECK_EQ(st_stat("/tmp/vt/../vt/./f", 0, &st), 0);
	CHECK(S_ISREG(st.mode));
	CHECK_EQ(st.size, 5);
	CHECK_EQ(st.nlink, 1);

	/* ".." at the root stays there. */
	CHECK_EQ(st_stat("/..", 0, &st), 0);
	CHECK_EQ(st_stat("/", 0, &st2), 0);
	CHECK_EQ(st.ino, st2.ino);
	CHECK_EQ(st_stat("/../../tmp/../tmp/vt//f", 0, &st), 0);

	/* ".." across a mount point: /dev is devtmpfs on the tmpfs root. */
	CHECK_EQ(st_stat("/dev/..", 0, &st), 0);
	CHECK_EQ(st.ino, st2.ino);
	CHECK_EQ(st.dev, st2.dev);
	CHECK_EQ(st_stat("/dev", 0, &st), 0);
	CHECK(st.dev != st2.dev);

	/* Name and path length limits. */
	memset(name, 'a', sizeof(name));
	memcpy(name, "/tmp/", 5);
	name[5 + 255] = '\0';
	CHECK_EQ(st_stat(name, 0, &st), -ENOENT);
	name[5 + 255] = 'a';
	name[5 + 256] = '\0';
	CHECK_EQ(st_stat(name, 0, &st), -ENAMETOOLONG);
	CHECK_EQ(do_mkdirat(AT_FDCWD, name, 0755), -ENAMETOOLONG);
	longpath = kmalloc(PATH_MAX + 1, GFP_KERNEL);
	CHECK(longpath);
	for (int i = 0; i < PATH_MAX; i += 2)
		memcpy(longpath + i, "./", 2);
	longpath[PATH_MAX] = '\0';
	CHECK_EQ(st_stat(longpath, 0, &st), -ENAMETOOLONG);
	longpath[PATH_MAX - 1] = '\0';	/* 4095 bytes: allowed */
	CHECK_EQ(st_stat(longpath, 0, &st), 0);
	kfree(longpath);

	/* Symlinks: loops, chains of 40, links to directories, readlink. */
	CHECK_EQ(do_symlinkat("loop2", AT_FDCWD, "/tmp/vt/loop1"), 0);
	CHECK_EQ(do_symlinkat("loop1", AT_FDCWD, "/tmp/vt/loop2"), 0);
	CHECK_EQ(st_stat("/tmp/vt/loop1", 0, &st), -ELOOP);
	CHECK_EQ(st_stat("/tmp/vt/loop1/x", 0, &st), -ELOOP);
	CHECK_EQ(st_stat("/tmp/vt/loop1", AT_SYMLINK_NOFOLLOW, &st), 0);
	CHECK(S_ISLNK(st.mode));
	CHECK_EQ(st.size, 5);
	CHECK_EQ(do_symlinkat("/tmp/vt", AT_FDCWD, "/tmp/vt/ld"), 0);
	CHECK_EQ(st_stat("/tmp/vt/ld/ld/ld/f", 0, &st), 0);
	CHECK(S_ISREG(st.mode));
	CHECK_EQ(st_stat("/tmp/vt/ld/", AT_SYMLINK_NOFOLLOW, &st), 0);
	CHECK(S_ISDIR(st.mode));
	CHECK_EQ(do_symlinkat("f", AT_FDCWD, "/tmp/vt/lf"), 0);
	CHECK_EQ(st_stat("/tmp/vt/lf/", 0, &st), -ENOTDIR);
	CHECK_EQ(do_symlinkat("nowhere", AT_FDCWD, "/tmp/vt/dangling"), 0);
	CHECK_EQ(st_stat("/tmp/vt/dangling", 0, &st), -ENOENT);
	CHECK_EQ(do_symlinkat("", AT_FDCWD, "/tmp/vt/empty"), -ENOENT);
	{
		char buf[16];

		CHECK_EQ(do_readlinkat(AT_FDCWD, "/tmp/vt/lf", buf, sizeof(buf)), 1);
		CHECK(buf[0] == 'f');
		CHECK_EQ(do_readlinkat(AT_FDCWD, "/tmp/vt/f", buf, sizeof(buf)), -EINVAL);
		CHECK_EQ(do_readlinkat(AT_FDCWD, "/tmp/vt/loop1", buf, 3), 3);
	}
	for (int i = 0; i <= 40; i++) {
		char l[32], t[32];

		snprintf(l, sizeof(l), "/tmp/vt/s%d", i);
		if (i < 40)
			snprintf(t, sizeof(t), "s%d", i + 1);
		else
			snprintf(t, sizeof(t), "f");
		CHECK_EQ(do_symlinkat(t, AT_FDCWD, l), 0);
	}
	CHECK_EQ(st_stat("/tmp/vt/s1", 0, &st), 0);	/* 40 links */
	CHECK_EQ(st_stat("/tmp/vt/s0", 0, &st), -ELOOP);	/* 41 */

	/* O_NOFOLLOW, O_DIRECTORY, O_CREAT|O_EXCL, open of a directory for writing. */
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt/lf", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt/f", O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt/f", O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt", O_WRONLY, 0), -EISDIR);
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt/new/", O_WRONLY | O_CREAT, 0644), -EISDIR);
	CHECK_EQ(do_sys_openat(AT_FDCWD, "/tmp/vt/nope", O_RDONLY, 0), -ENOENT);
	return 0;
}

static int vfs_name_tests(void)
{
	struct kstat st, st2;
	int count;
	bool found;

	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vn", 0755), 0);
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vn/d", 0700), 0);
	CHECK_EQ(st_stat("/tmp/vn", 0, &st), 0);
	CHECK_EQ(st.nlink, 3);
	CHECK_EQ(st_stat("/tmp/vn/d", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFDIR | 0700);
	CHECK_EQ(st.nlink, 2);

	/* Hard links share the inode and count. */
	CHECK_EQ(make_file("/tmp/vn/a", "data"), 0);
	CHECK_EQ(do_linkat(AT_FDCWD, "/tmp/vn/a", AT_FDCWD, "/tmp/vn/b", 0), 0);
	CHECK_EQ(do_linkat(AT_FDCWD, "/tmp/vn/a", AT_FDCWD, "/tmp/vn/b", 0), -EEXIST);
	CHECK_EQ(do_linkat(AT_FDCWD, "/tmp/vn/d", AT_FDCWD, "/tmp/vn/dl", 0), -EPERM);
	CHECK_EQ(do_linkat(AT_FDCWD, "/tmp/vn/a", AT_FDCWD, "/dev/a", 0), -EXDEV);
	CHECK_EQ(st_stat("/tmp/vn/a", 0, &st), 0);
	CHECK_EQ(st_stat("/tmp/vn/b", 0, &st2), 0);
	CHECK_EQ(st.ino, st2.ino);
	CHECK_EQ(st2.nlink, 2);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/tmp/vn/a"), 0);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/tmp/vn/a"), -ENOENT);
	CHECK_EQ(st_stat("/tmp/vn/b", 0, &st2), 0);
	CHECK_EQ(st2.nlink, 1);

	/* unlink and rmdir on the wrong types. */
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/tmp/vn/d"), -EISDIR);
	CHECK_EQ(do_rmdir(AT_FDCWD, "/tmp/vn/b"), -ENOTDIR);
	CHECK_EQ(do_rmdir(AT_FDCWD, "/tmp/vn/d/."), -EINVAL);
	CHECK_EQ(do_rmdir(AT_FDCWD, "/tmp/vn/d/.."), -ENOTEMPTY);
	CHECK_EQ(do_rmdir(AT_FDCWD, "/dev"), -EBUSY);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/tmp/vn/b/"), -ENOTDIR);

	/* rename: replace, directories, NOREPLACE, EXCHANGE, into itself. */
	CHECK_EQ(make_file("/tmp/vn/c", "cc"), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/c", AT_FDCWD, "/tmp/vn/b", RENAME_NOREPLACE),
		 -EEXIST);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/c", AT_FDCWD, "/tmp/vn/b", 0), 0);
	CHECK_EQ(st_stat("/tmp/vn/c", 0, &st), -ENOENT);
	CHECK_EQ(st_stat("/tmp/vn/b", 0, &st), 0);
	CHECK_EQ(st.size, 2);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/b", AT_FDCWD, "/tmp/vn/d", 0), -EISDIR);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/d", AT_FDCWD, "/tmp/vn/b", 0), -ENOTDIR);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/d", AT_FDCWD, "/tmp/vn/d/e", 0), -EINVAL);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/b", AT_FDCWD, "/tmp/vn/b", 0), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/b", AT_FDCWD, "/dev/b", 0), -EXDEV);
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/vn/e", 0755), 0);
	CHECK_EQ(make_file("/tmp/vn/e/inner", "x"), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/d", AT_FDCWD, "/tmp/vn/e", 0), -ENOTEMPTY);
	CHECK_EQ(do_rmdir(AT_FDCWD, "/tmp/vn/e"), -ENOTEMPTY);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/d", AT_FDCWD, "/tmp/vn/e/d2", 0), 0);
	CHECK_EQ(st_stat("/tmp/vn/e", 0, &st), 0);
	CHECK_EQ(st.nlink, 3);
	CHECK_EQ(st_stat("/tmp/vn", 0, &st), 0);
	CHECK_EQ(st.nlink, 3);	/* lost d, kept e */
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/b", AT_FDCWD, "/tmp/vn/e",
			      RENAME_EXCHANGE), 0);
	CHECK_EQ(st_stat("/tmp/vn/b/inner", 0, &st), 0);
	CHECK_EQ(st_stat("/tmp/vn/e", 0, &st), 0);
	CHECK(S_ISREG(st.mode));
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/e", AT_FDCWD, "/tmp/vn/zz", RENAME_EXCHANGE),
		 -ENOENT);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/tmp/vn/e", AT_FDCWD, "/tmp/vn/zz",
			      RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL);

	/* Listing: ".", "..", b, e. */
	CHECK_EQ(list_dir("/tmp/vn", "e", &count, &found), 0);
	CHECK_EQ(count, 4);
	CHECK(found);
	{
		char small[16];
		int fd = do_sys_openat(AT_FDCWD, "/tmp/vn", O_RDONLY | O_DIRECTORY, 0);

		CHECK(fd >= 0);
		CHECK_EQ(kernel_getdents64((unsigned int)fd, small, sizeof(small)), -EINVAL);
		close_fd(current_files(), (unsigned int)fd);
		fd = do_sys_openat(AT_FDCWD, "/tmp/vn/e", O_RDONLY, 0);
		CHECK(fd >= 0);
		CHECK_EQ(kernel_getdents64((unsigned int)fd, small, sizeof(small)), -ENOTDIR);
		close_fd(current_files(), (unsigned int)fd);
	}
	return 0;
}

static int vfs_fd_tests(void)
{
	struct files_struct *files = current_files();
	struct kstat st;
	char buf[8];
	loff_t pos = 0;
	int fd, fd2, fd3;

	CHECK_EQ(make_file("/tmp/vfd", "0123456789"), 0);
	fd = do_sys_openat(AT_FDCWD, "/tmp/vfd", O_RDWR | O_CLOEXEC, 0);
	CHECK(fd >= 0);
	CHECK_EQ(do_fcntl((unsigned int)fd, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(do_fcntl((unsigned int)fd, F_GETFL, 0), O_RDWR);
	CHECK_EQ(do_fcntl((unsigned int)fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	CHECK_EQ(do_fcntl((unsigned int)fd, F_GETFL, 0), O_RDWR | O_APPEND | O_NONBLOCK);
	fd2 = do_dup((unsigned int)fd);
	CHECK(fd2 > fd);
	CHECK_EQ(do_fcntl((unsigned int)fd2, F_GETFD, 0), 0);
	fd3 = (int)do_fcntl((unsigned int)fd, F_DUPFD_CLOEXEC, 100);
	CHECK_EQ(fd3, 100);
	CHECK_EQ(do_fcntl((unsigned int)fd3, F_GETFD, 0), FD_CLOEXEC);
	CHECK_EQ(do_dup3((unsigned int)fd, (unsigned int)fd, 0), -EINVAL);
	CHECK_EQ(do_dup3((unsigned int)fd, 200, O_CLOEXEC), 200);
	CHECK_EQ(do_dup3(999, 201, 0), -EBADF);
	CHECK_EQ(do_fcntl(999, F_GETFD, 0), -EBADF);
	CHECK_EQ(do_fcntl((unsigned int)fd, 9999, 0), -EINVAL);

	/* Shared offsets through dup; lseek rules. */
	{
		struct file *f = fget(files, (unsigned int)fd2);

		CHECK(f);
		CHECK_EQ(vfs_llseek(f, 4, SEEK_SET), 4);
		CHECK_EQ(vfs_llseek(f, -1, SEEK_SET), -EINVAL);
		CHECK_EQ(vfs_llseek(f, 0, 7), -EINVAL);
		CHECK_EQ(vfs_llseek(f, 0, SEEK_END), 10);
		CHECK_EQ(vfs_llseek(f, 2, SEEK_DATA), 2);
		CHECK_EQ(vfs_llseek(f, 2, SEEK_HOLE), 10);
		CHECK_EQ(vfs_llseek(f, 11, SEEK_DATA), -ENXIO);
		pos = 3;
		CHECK_EQ(kernel_read(f, buf, 4, &pos), 4);
		CHECK(!memcmp(buf, "3456", 4));
		CHECK_EQ(kernel_read(f, buf, 4, &pos), 3);
		CHECK_EQ(kernel_read(f, buf, 4, &pos), 0);
		/* O_APPEND: writes land at the end whatever the position. */
		pos = 0;
		CHECK_EQ(kernel_write(f, "AB", 2, &pos), 2);
		CHECK_EQ(pos, 12);
		fput(f);
	}
	CHECK_EQ(vfs_fstat((unsigned int)fd, &st), 0);
	CHECK_EQ(st.size, 12);

	files_close_on_exec(files);
	CHECK(!fget(files, (unsigned int)fd));
	CHECK(!fget(files, 100));
	CHECK(!fget(files, 200));
	CHECK_EQ(close_fd(files, (unsigned int)fd2), 0);
	CHECK_EQ(close_fd(files, (unsigned int)fd2), -EBADF);

	/* A copied table holds its own references. */
	{
		struct files_struct *copy;
		struct file *f;

		fd = do_sys_openat(AT_FDCWD, "/tmp/vfd", O_RDONLY, 0);
		CHECK(fd >= 0);
		copy = dup_files(files);
		CHECK(!IS_ERR(copy));
		CHECK_EQ(close_fd(files, (unsigned int)fd), 0);
		f = fget(copy, (unsigned int)fd);
		CHECK(f);
		CHECK_EQ(f->f_count, 2);
		fput(f);
		put_files(copy);
	}

	/* Truncate, ftruncate, access, chmod, chdir/getcwd. */
	CHECK_EQ(do_truncate_path(AT_FDCWD, "/tmp/vfd", 3), 0);
	CHECK_EQ(st_stat("/tmp/vfd", 0, &st), 0);
	CHECK_EQ(st.size, 3);
	CHECK_EQ(do_truncate_path(AT_FDCWD, "/tmp/vfd", -1), -EINVAL);
	CHECK_EQ(do_truncate_path(AT_FDCWD, "/tmp", 0), -EISDIR);
	fd = do_sys_openat(AT_FDCWD, "/tmp/vfd", O_RDONLY, 0);
	CHECK_EQ(do_ftruncate((unsigned int)fd, 0), -EINVAL);
	close_fd(files, (unsigned int)fd);
	CHECK_EQ(do_faccessat(AT_FDCWD, "/tmp/vfd", R_OK | W_OK, 0), 0);
	CHECK_EQ(do_faccessat(AT_FDCWD, "/tmp/vfd", X_OK, 0), -EACCES);	/* root, no x bit */
	CHECK_EQ(do_faccessat(AT_FDCWD, "/tmp/vfd", 8, 0), -EINVAL);
	CHECK_EQ(do_fchmodat(AT_FDCWD, "/tmp/vfd", 0755, LOOKUP_FOLLOW), 0);
	CHECK_EQ(do_faccessat(AT_FDCWD, "/tmp/vfd", X_OK, 0), 0);
	CHECK_EQ(st_stat("/tmp/vfd", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFREG | 0755);
	{
		char cwd[64];

		CHECK_EQ(do_chdir("/tmp/vt"), 0);
		CHECK_EQ(do_getcwd(cwd, sizeof(cwd)), 8);
		CHECK(!strcmp(cwd, "/tmp/vt"));
		CHECK_EQ(do_getcwd(cwd, 4), -ERANGE);
		CHECK_EQ(st_stat("f", 0, &st), 0);	/* relative to the cwd */
		CHECK_EQ(do_chdir("/tmp/vfd"), -ENOTDIR);
		CHECK_EQ(do_chdir("/dev"), 0);
		CHECK_EQ(do_getcwd(cwd, sizeof(cwd)), 5);
		CHECK(!strcmp(cwd, "/dev"));
		CHECK_EQ(do_chdir("/"), 0);
		CHECK_EQ(do_getcwd(cwd, sizeof(cwd)), 2);
	}
	/* dirfd-relative walks. */
	fd = do_sys_openat(AT_FDCWD, "/tmp/vt", O_RDONLY | O_DIRECTORY, 0);
	CHECK(fd >= 0);
	CHECK_EQ(vfs_fstatat(fd, "f", 0, &st), 0);
	CHECK_EQ(vfs_fstatat(fd, "", AT_EMPTY_PATH, &st), 0);
	CHECK(S_ISDIR(st.mode));
	CHECK_EQ(vfs_fstatat(999, "f", 0, &st), -EBADF);
	fd2 = do_sys_openat(AT_FDCWD, "/tmp/vfd", O_RDONLY, 0);
	CHECK_EQ(vfs_fstatat(fd2, "x", 0, &st), -ENOTDIR);
	close_fd(files, (unsigned int)fd2);
	close_fd(files, (unsigned int)fd);
	return 0;
}

/*
 * The lockless walk hashes a component while it scans for its end, a word
 * at a time; the dcache hashes a name it is given whole. Every length, with
 * '/' or NUL after it, and components ending on a page's last bytes (the
 * walk then reads byte by byte) must give the dcache's hash.
 */
static int vfs_hash_tests(void)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	const struct dentry *parent = (const struct dentry *)0xffff888000123440UL;
	char *buf;

	if (!pg)
		return -ENOMEM;
	buf = page_address(pg);
	for (unsigned int len = 1; len <= 70; len++) {
		for (unsigned int end = 0; end < 3; end++) {
			/* end 0: NUL at the page's last byte; 1: '/' there; 2: mid-page. */
			char *name = end == 2 ? buf + 1000 + len % 8 : buf + PAGE_SIZE - 1 - len;
			unsigned int hash = 0, got;

			for (unsigned int i = 0; i < len; i++)
				name[i] = (char)('a' + (i * 7 + len) % 26);
			name[len] = end == 1 ? '/' : '\0';
			got = walk_hash_component(parent, name, &hash);
			CHECK_EQ(got, len);
			CHECK_EQ(hash, d_hash_name(parent, name, len));
		}
	}
	__free_pages(pg, 0);
	return 0;
}

static int vfs_selftest(void)
{
	int err = vfs_hash_tests();

	if (!err)
		err = vfs_walk_tests();

	if (!err)
		err = vfs_name_tests();
	if (!err)
		err = vfs_fd_tests();
	return err;
}
DEFINE_SELFTEST("vfs", vfs_selftest);

/* ---- initramfs ------------------------------------------------------------------ */

static size_t cpio_put(char *buf, size_t off, const char *name, u32 mode, const char *data,
		       u32 size, u32 namesize_override, u32 filesize_override)
{
	u32 namesize = namesize_override ? namesize_override : (u32)strlen(name) + 1;
	u32 filesize = filesize_override ? filesize_override : size;

	off += (size_t)snprintf(buf + off, 111, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
				1u, mode, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u, namesize, 0u);
	memcpy(buf + off, name, strlen(name) + 1);
	off = ALIGN(off + strlen(name) + 1, 4);
	memcpy(buf + off, data, size);
	return ALIGN(off + size, 4);
}

static int initramfs_selftest(void)
{
	struct path root;
	struct kstat st;
	char buf[8];
	char *ar;
	size_t n;
	int count;
	bool found;
	static const char *const dirs[] = { "/bin", "/dev", "/etc", "/proc", "/sys", "/tmp",
					     "/usr", "/root" };

	/* What the boot archive holds. */
	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		CHECK_EQ(st_stat(dirs[i], 0, &st), 0);
		CHECK(S_ISDIR(st.mode));
	}
	CHECK_EQ(st_stat("/tmp", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFDIR | 01777);
	{
		struct file *f = filp_open("/etc/hostname", O_RDONLY, 0);
		loff_t pos = 0;

		CHECK(!IS_ERR(f));
		CHECK_EQ(kernel_read(f, buf, sizeof(buf), &pos), 4);
		CHECK(!memcmp(buf, "exo\n", 4));
		fput(f);
	}
	CHECK_EQ(st_stat("/etc/hostname", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFREG | 0644);

	/* Hand-made archives into a scratch directory. */
	CHECK_EQ(do_mkdirat(AT_FDCWD, "/tmp/ir", 0755), 0);
	CHECK_EQ(path_lookupat(AT_FDCWD, "/tmp/ir", LOOKUP_DIRECTORY, &root), 0);
	ar = kzalloc(4096, GFP_KERNEL);
	CHECK(ar);
	n = cpio_put(ar, 0, "./d", S_IFDIR | 0750, "", 0, 0, 0);
	n = cpio_put(ar, n, "d/file", S_IFREG | 0600, "abc", 3, 0, 0);
	n = cpio_put(ar, n, "d/link", S_IFLNK | 0777, "file", 4, 0, 0);
	n = cpio_put(ar, n, "d/pipe", S_IFIFO | 0644, "", 0, 0, 0);
	n = cpio_put(ar, n, "TRAILER!!!", 0, "", 0, 0, 0);
	CHECK_EQ(initramfs_unpack(ar, n + 512, &root), 0);	/* zero padding after */
	CHECK_EQ(st_stat("/tmp/ir/d", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFDIR | 0750);
	CHECK_EQ(st_stat("/tmp/ir/d/link", 0, &st), 0);
	CHECK_EQ(st.mode, S_IFREG | 0600);
	CHECK_EQ(st.size, 3);
	CHECK_EQ(st_stat("/tmp/ir/d/pipe", 0, &st), 0);
	CHECK(S_ISFIFO(st.mode));
	CHECK_EQ(list_dir("/tmp/ir/d", "file", &count, &found), 0);
	CHECK_EQ(count, 5);

	/* Corrupt archives: each is refused, none crashes. */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "x", S_IFREG | 0644, "abc", 3, 0, 0);
	CHECK_EQ(initramfs_unpack(ar, 50, &root), -EINVAL);	/* truncated header */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "y", S_IFREG | 0644, "abc", 3, 0x7fffffff, 0);
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* name past the end */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "z", S_IFREG | 0644, "abc", 3, 0, 0xfffffff0);
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* absurd file size */
	CHECK_EQ(st_stat("/tmp/ir/z", 0, &st), -ENOENT);
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "w", S_IFREG | 0644, "abc", 3, 0, 0);
	ar[10] = 'g';
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* non-hex field */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "v", S_IFREG | 0644, "abc", 3, 0, 0);
	ar[0] = '1';
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* bad magic */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "../escape", S_IFREG | 0644, "abc", 3, 0, 0);
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* ".." */
	memset(ar, 0, 4096);
	n = cpio_put(ar, 0, "u", S_IFREG | 0644, "abc", 3, 0, 0);
	CHECK_EQ(initramfs_unpack(ar, n, &root), -EINVAL);	/* no trailer */
	CHECK_EQ(initramfs_unpack(ar, 0, &root), -EINVAL);	/* empty */
	/* Random headers with plausible sizes and garbage names and data. */
	for (int i = 0; i < 64; i++) {
		static const char hex[] = "0123456789abcdef";

		get_random_bytes(ar, 4096);
		memcpy(ar, "070701", 6);
		for (int j = 6; j < 110; j++)
			ar[j] = hex[ar[j] & 15];
		memcpy(ar + 6 + 8 * 6, "00000", 5);	/* file size < 4096 */
		memcpy(ar + 6 + 8 * 11, "000000", 6);	/* name size < 256 */
		CHECK(initramfs_unpack(ar, 4096, &root) < 0);
	}
	kfree(ar);
	path_put(&root);
	return 0;
}
DEFINE_SELFTEST("initramfs", initramfs_selftest);

/* ---- devfs ---------------------------------------------------------------------- */

static int devfs_selftest(void)
{
	static const struct { const char *path; umode_t mode; unsigned int ma, mi; } nodes[] = {
		{ "/dev/null", 0666, 1, 3 }, { "/dev/zero", 0666, 1, 5 },
		{ "/dev/full", 0666, 1, 7 }, { "/dev/random", 0666, 1, 8 },
		{ "/dev/urandom", 0666, 1, 9 }, { "/dev/kmsg", 0644, 1, 11 },
		{ "/dev/tty", 0666, 5, 0 }, { "/dev/console", 0600, 5, 1 },
	};
	struct kstat st;
	char buf[64], buf2[64];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	for (unsigned int i = 0; i < ARRAY_SIZE(nodes); i++) {
		CHECK_EQ(st_stat(nodes[i].path, 0, &st), 0);
		CHECK_EQ(st.mode, S_IFCHR | nodes[i].mode);
		CHECK_EQ(st.rdev, MKDEV(nodes[i].ma, nodes[i].mi));
		CHECK_EQ(dev_to_user(st.rdev), nodes[i].ma << 8 | nodes[i].mi);
	}
	f = filp_open("/dev/null", O_RDWR, 0);
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_read(f, buf, sizeof(buf), &pos), 0);
	CHECK_EQ(kernel_write(f, "xyz", 3, &pos), 3);
	CHECK_EQ(vfs_llseek(f, 100, SEEK_SET), 0);
	fput(f);

	f = filp_open("/dev/zero", O_RDONLY, 0);
	CHECK(!IS_ERR(f));
	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(kernel_read(f, buf, sizeof(buf), &pos), sizeof(buf));
	for (unsigned int i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 0);
	CHECK_EQ(kernel_write(f, "x", 1, &pos), -EBADF);	/* opened read-only */
	fput(f);

	f = filp_open("/dev/full", O_RDWR, 0);
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_write(f, "x", 1, &pos), -ENOSPC);
	CHECK_EQ(kernel_read(f, buf, 8, &pos), 8);
	fput(f);

	f = filp_open("/dev/urandom", O_RDONLY, 0);
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_read(f, buf, sizeof(buf), &pos), sizeof(buf));
	CHECK_EQ(kernel_read(f, buf2, sizeof(buf2), &pos), sizeof(buf2));
	CHECK(memcmp(buf, buf2, sizeof(buf)));
	fput(f);

	f = filp_open("/dev/kmsg", O_RDWR, 0);
	CHECK(!IS_ERR(f));
	/*
	 * Past the newest record, then lines: a record too long for the buffer
	 * is EINVAL and skipped (Linux), the next reads as "6,seq,usec,-;text".
	 */
	CHECK_EQ(vfs_llseek(f, 0, SEEK_END), 0);
	CHECK_EQ(kernel_write(f, "devfs selftest kmsg skip\n", 25, &pos), 25);
	pos = 0;
	CHECK_EQ(kernel_read(f, buf, 4, &pos), -EINVAL);
	CHECK_EQ(kernel_write(f, "devfs selftest kmsg line\n", 25, &pos), 25);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(!strncmp(buf, "6,", 2) && strstr(buf, ",-;devfs selftest kmsg line\n"));
	fput(f);

	f = filp_open("/dev/console", O_WRONLY, 0);
	CHECK(!IS_ERR(f));
	CHECK_EQ(kernel_write(f, "devfs: console write\n", 21, &pos), 21);
	CHECK_EQ(vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
	fput(f);

	/* A node nobody drives. */
	CHECK_EQ(do_mknodat(AT_FDCWD, "/tmp/nodev", S_IFCHR | 0600, MKDEV(200, 1)), 0);
	CHECK_EQ(PTR_ERR(filp_open("/tmp/nodev", O_RDONLY, 0)), -ENXIO);
	CHECK_EQ(do_mknodat(AT_FDCWD, "/tmp/baddir", S_IFDIR | 0600, 0), -EPERM);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/tmp/nodev"), 0);
	CHECK_EQ(st_stat("/dev/stdout", AT_SYMLINK_NOFOLLOW, &st), 0);
	CHECK(S_ISLNK(st.mode));
	return 0;
}
DEFINE_SELFTEST("devfs", devfs_selftest);
