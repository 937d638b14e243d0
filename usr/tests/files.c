/*
 * File and directory tests: open flags, read/write and their vectored and
 * positional forms, lseek, dup family, fcntl, the stat family and statx,
 * access, getdents64, mkdir/rmdir/unlink/rename/link/symlink, cwd, modes,
 * owners, truncate, timestamps, sync, path lookup errors and the character
 * devices in /dev.
 *
 * Every test runs in its own empty scratch directory, so relative names
 * are safe and nothing needs cleaning up.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <uapi/stat.h>	/* struct statx: musl 1.2.3 lacks it */

#include "harness.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static int open_rw(const char *path)
{
	return ASSERT_OK(open(path, O_RDWR | O_CREAT, 0644));
}

static void read_expect(int fd, const char *want)
{
	char buf[256];
	size_t len = strlen(want);

	ASSERT_TRUE(len < sizeof(buf));
	EXPECT_EQ(read(fd, buf, sizeof(buf)), (ssize_t)len);
	EXPECT_MEMEQ(buf, want, len);
}

static void file_expect(const char *path, const char *want)
{
	int fd = ASSERT_OK(open(path, O_RDONLY));

	read_expect(fd, want);
	close(fd);
}

static struct stat stat_of(const char *path)
{
	struct stat st;

	ASSERT_OK(lstat(path, &st));
	return st;
}

TEST(files, open_creat_excl)
{
	int fd = ASSERT_OK(open("f", O_WRONLY | O_CREAT | O_EXCL, 0600));

	close(fd);
	EXPECT_ERRNO(open("f", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST);
	ASSERT_OK(symlink("dangling-target", "link"));
	/* O_EXCL does not follow a symlink, even a dangling one. */
	EXPECT_ERRNO(open("link", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST);
	EXPECT_ERRNO(open("missing", O_RDONLY), ENOENT);
}

TEST(files, open_trunc)
{
	int fd;

	write_file("f", "0123456789", 10, 0644);
	fd = ASSERT_OK(open("f", O_RDWR | O_TRUNC));
	EXPECT_EQ(stat_of("f").st_size, 0);
	close(fd);
}

TEST(files, open_append_writes_at_end)
{
	int fd;

	write_file("f", "abc", 3, 0644);
	fd = ASSERT_OK(open("f", O_RDWR | O_APPEND));
	EXPECT_EQ(lseek(fd, 0, SEEK_SET), 0);
	EXPECT_EQ(write(fd, "de", 2), 2);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
	file_expect("f", "abcde");
}

TEST(files, pwrite_on_append_fd_appends)
{
	int fd;

	write_file("f", "abc", 3, 0644);
	fd = ASSERT_OK(open("f", O_WRONLY | O_APPEND));
	/* Linux ignores the offset of pwrite on an O_APPEND file (see pwrite(2) BUGS). */
	EXPECT_EQ(pwrite(fd, "X", 1, 0), 1);
	file_expect("f", "abcX");
}

TEST(files, open_directory_flag)
{
	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	EXPECT_OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(open(".", O_WRONLY), EISDIR);
	EXPECT_ERRNO(open(".", O_RDWR), EISDIR);
}

TEST(files, open_cloexec_in_getfd)
{
	int a = ASSERT_OK(open(".", O_RDONLY | O_CLOEXEC));
	int b = ASSERT_OK(open(".", O_RDONLY));

	EXPECT_EQ(fcntl(a, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(b, F_GETFD), 0);
	ASSERT_OK(fcntl(b, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(b, F_GETFD), FD_CLOEXEC);
}

TEST(files, open_returns_lowest_fd)
{
	int a = ASSERT_OK(open(".", O_RDONLY));
	int b = ASSERT_OK(open(".", O_RDONLY));

	EXPECT_GT(b, a);
	close(a);
	EXPECT_EQ(open(".", O_RDONLY), a);
	close(b);
	EXPECT_EQ(open(".", O_RDONLY), b);
}

TEST(files, creat_is_wronly_trunc)
{
	char c;
	int fd;

	write_file("f", "old", 3, 0644);
	fd = ASSERT_OK(creat("f", 0600));
	EXPECT_EQ(stat_of("f").st_size, 0);
	/* The existing file keeps its mode. */
	EXPECT_EQ(stat_of("f").st_mode & 0777, 0644);
	EXPECT_ERRNO(read(fd, &c, 1), EBADF);
	EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
}

TEST(files, access_mode_enforced_on_fd)
{
	int r, w;
	char c;

	write_file("f", "x", 1, 0644);
	r = ASSERT_OK(open("f", O_RDONLY));
	w = ASSERT_OK(open("f", O_WRONLY));
	EXPECT_ERRNO(write(r, "y", 1), EBADF);
	EXPECT_ERRNO(read(w, &c, 1), EBADF);
	EXPECT_ERRNO(read(ASSERT_OK(open(".", O_RDONLY)), &c, 1), EISDIR);
}

TEST(files, read_write_offsets)
{
	int fd = open_rw("f");
	char buf[8];

	EXPECT_EQ(write(fd, "hello", 5), 5);
	EXPECT_EQ(write(fd, " world", 6), 6);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 11);
	EXPECT_EQ(read(fd, buf, 8), 0);
	ASSERT_OK(lseek(fd, 6, SEEK_SET));
	read_expect(fd, "world");
	EXPECT_EQ(write(fd, "", 0), 0);
}

TEST(files, pread_pwrite_keep_offset)
{
	int fd = open_rw("f");
	char buf[4];

	ASSERT_EQ(write(fd, "abcdef", 6), 6);
	EXPECT_EQ(pwrite(fd, "XY", 2, 1), 2);
	EXPECT_EQ(pread(fd, buf, 4, 0), 4);
	EXPECT_MEMEQ(buf, "aXYd", 4);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 6);
	EXPECT_EQ(pread(fd, buf, 4, 100), 0);
	EXPECT_ERRNO(pread(fd, buf, 4, -1), EINVAL);
}

TEST(files, readv_writev)
{
	char a[3], b[4], all[16];
	struct iovec out[3] = { { "abc", 3 }, { "", 0 }, { "defg", 4 } };
	struct iovec in[2] = { { a, 3 }, { b, 4 } };
	int fd = open_rw("f");

	EXPECT_EQ(writev(fd, out, 3), 7);
	ASSERT_OK(lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(readv(fd, in, 2), 7);
	EXPECT_MEMEQ(a, "abc", 3);
	EXPECT_MEMEQ(b, "defg", 4);
	EXPECT_EQ(pread(fd, all, sizeof(all), 0), 7);
	EXPECT_ERRNO(writev(fd, out, -1), EINVAL);
	EXPECT_ERRNO(writev(fd, out, 1025), EINVAL);
}

TEST(files, lseek_whence)
{
	int fd = open_rw("f");

	ASSERT_EQ(write(fd, "0123456789", 10), 10);
	EXPECT_EQ(lseek(fd, 3, SEEK_SET), 3);
	EXPECT_EQ(lseek(fd, 2, SEEK_CUR), 5);
	EXPECT_EQ(lseek(fd, -1, SEEK_CUR), 4);
	EXPECT_EQ(lseek(fd, -2, SEEK_END), 8);
	EXPECT_EQ(lseek(fd, 0, SEEK_END), 10);
	EXPECT_ERRNO(lseek(fd, -11, SEEK_END), EINVAL);
	EXPECT_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERRNO(lseek(fd, 0, 17), EINVAL);
	/* A failed seek leaves the offset alone. */
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 10);
}

TEST(files, lseek_past_eof_makes_hole)
{
	static const char zero[4096];
	char buf[4096];
	int fd = open_rw("f");

	ASSERT_EQ(write(fd, "a", 1), 1);
	EXPECT_EQ(lseek(fd, 8192, SEEK_SET), 8192);
	EXPECT_EQ(stat_of("f").st_size, 1);
	ASSERT_EQ(write(fd, "z", 1), 1);
	EXPECT_EQ(stat_of("f").st_size, 8193);
	EXPECT_EQ(pread(fd, buf, sizeof(buf), 1), (ssize_t)sizeof(buf));
	EXPECT_MEMEQ(buf, zero, sizeof(buf));
	EXPECT_EQ(pread(fd, buf, 10, 8190), 3);
	EXPECT_MEMEQ(buf, "\0\0z", 3);
}

TEST(files, lseek_on_pipe_espipe)
{
	int p[2];

	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(lseek(p[0], 0, SEEK_CUR), ESPIPE);
	EXPECT_ERRNO(pread(p[0], p, 1, 0), ESPIPE);
	EXPECT_ERRNO(pwrite(p[1], "x", 1, 0), ESPIPE);
}

TEST(files, dup_shares_offset)
{
	int fd = open_rw("f");
	int d = ASSERT_OK(dup(fd));

	EXPECT_GT(d, fd);
	ASSERT_EQ(write(fd, "abc", 3), 3);
	EXPECT_EQ(lseek(d, 0, SEEK_CUR), 3);
	/* File status flags live in the shared open file, fd flags do not. */
	ASSERT_OK(fcntl(fd, F_SETFL, O_APPEND));
	EXPECT_TRUE(fcntl(d, F_GETFL) & O_APPEND);
	ASSERT_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EXPECT_EQ(fcntl(d, F_GETFD), 0);
}

TEST(files, dup2)
{
	int a = open_rw("a"), b = open_rw("b");

	EXPECT_EQ(dup2(a, a), a);
	ASSERT_EQ(dup2(a, b), b);
	ASSERT_EQ(write(b, "via-b", 5), 5);
	file_expect("a", "via-b");
	EXPECT_EQ(dup2(a, 200), 200);
	EXPECT_ERRNO(dup2(999, 201), EBADF);
	EXPECT_ERRNO(fcntl(201, F_GETFD), EBADF);
	/* dup2 on the same fd checks that it is open. */
	EXPECT_ERRNO(dup2(202, 202), EBADF);
}

TEST(files, dup3)
{
	int a = open_rw("a");

	/* Raw calls: musl's dup3 quietly drops flags other than O_CLOEXEC. */
	EXPECT_ERRNO(syscall(SYS_dup3, a, a, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_dup3, a, a, O_CLOEXEC), EINVAL);
	EXPECT_ERRNO(syscall(SYS_dup3, a, 50, 0x4), EINVAL);
	EXPECT_EQ(dup3(a, 50, O_CLOEXEC), 50);
	EXPECT_EQ(fcntl(50, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(dup3(a, 51, 0), 51);
	EXPECT_EQ(fcntl(51, F_GETFD), 0);
}

TEST(files, fcntl_dupfd)
{
	int fd = ASSERT_OK(open(".", O_RDONLY));

	EXPECT_EQ(fcntl(fd, F_DUPFD, 100), 100);
	EXPECT_EQ(fcntl(fd, F_DUPFD, 100), 101);
	EXPECT_EQ(fcntl(101, F_GETFD), 0);
	EXPECT_EQ(fcntl(fd, F_DUPFD_CLOEXEC, 100), 102);
	EXPECT_EQ(fcntl(102, F_GETFD), FD_CLOEXEC);
	EXPECT_ERRNO(fcntl(fd, F_DUPFD, -1), EINVAL);
}

TEST(files, fcntl_getfl_setfl)
{
	int fd = ASSERT_OK(open(".", O_RDONLY));
	int w = open_rw("f");

	EXPECT_EQ(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_RDONLY);
	EXPECT_EQ(fcntl(w, F_GETFL) & O_ACCMODE, O_RDWR);
	ASSERT_OK(fcntl(w, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY));
	/* The access mode cannot change; the status flags do. */
	EXPECT_EQ(fcntl(w, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		  O_RDWR | O_APPEND | O_NONBLOCK);
	ASSERT_OK(fcntl(w, F_SETFL, 0));
	EXPECT_EQ(fcntl(w, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);
}

TEST(files, stat_regular_file)
{
	struct stat st, fst;
	int fd;

	write_file("f", "12345", 5, 0640);
	ASSERT_OK(stat("f", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0640);
	EXPECT_EQ(st.st_size, 5);
	EXPECT_EQ(st.st_nlink, 1);
	EXPECT_EQ(st.st_uid, geteuid());
	EXPECT_GT(st.st_blksize, 0);
	fd = ASSERT_OK(open("f", O_RDONLY));
	ASSERT_OK(fstat(fd, &fst));
	EXPECT_EQ(fst.st_ino, st.st_ino);
	EXPECT_EQ(fst.st_dev, st.st_dev);
}

TEST(files, stat_directory_nlink)
{
	struct stat st;

	ASSERT_OK(mkdir("d", 0755));
	ASSERT_OK(stat("d", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(st.st_nlink, 2);
	ASSERT_OK(mkdir("d/sub", 0755));
	ASSERT_OK(stat("d", &st));
	EXPECT_EQ(st.st_nlink, 3);
}

TEST(files, lstat_symlink)
{
	struct stat st;

	write_file("target", "abc", 3, 0644);
	ASSERT_OK(symlink("target", "link"));
	ASSERT_OK(lstat("link", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_EQ(st.st_size, 6);
	ASSERT_OK(stat("link", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_size, 3);
}

TEST(files, newfstatat_flags)
{
	struct stat st;
	int dir, fd;

	ASSERT_OK(mkdir("d", 0755));
	write_file("d/f", "abcd", 4, 0644);
	ASSERT_OK(symlink("f", "d/l"));
	dir = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	ASSERT_OK(fstatat(dir, "f", &st, 0));
	EXPECT_EQ(st.st_size, 4);
	ASSERT_OK(fstatat(dir, "l", &st, AT_SYMLINK_NOFOLLOW));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_OK(fstatat(dir, "l", &st, 0));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	fd = ASSERT_OK(open("d/f", O_RDONLY));
	ASSERT_OK(fstatat(fd, "", &st, AT_EMPTY_PATH));
	EXPECT_EQ(st.st_size, 4);
	EXPECT_ERRNO(fstatat(fd, "", &st, 0), ENOENT);
	EXPECT_ERRNO(fstatat(fd, "x", &st, 0), ENOTDIR);
	EXPECT_ERRNO(fstatat(dir, "f", &st, 0x40000000), EINVAL);
}

TEST(files, statx_fields)
{
	struct statx stx;
	struct stat st;

	_Static_assert(sizeof(stx) == 256, "struct statx is 256 bytes");
	write_file("f", "123456789", 9, 0604);
	ASSERT_OK(syscall(SYS_statx, AT_FDCWD, "f", 0, STATX_BASIC_STATS, &stx));
	EXPECT_EQ(stx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	EXPECT_EQ(stx.stx_size, 9);
	EXPECT_EQ(stx.stx_mode, S_IFREG | 0604);
	EXPECT_EQ(stx.stx_nlink, 1);
	EXPECT_EQ(stx.stx_uid, geteuid());
	st = stat_of("f");
	EXPECT_EQ(stx.stx_ino, st.st_ino);
	EXPECT_EQ(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
	EXPECT_EQ(stx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	ASSERT_OK(syscall(SYS_statx, AT_FDCWD, ".", 0, STATX_TYPE, &stx));
	EXPECT_TRUE(S_ISDIR(stx.stx_mode));
	EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, "missing", 0, STATX_BASIC_STATS, &stx), ENOENT);
	EXPECT_ERRNO(syscall(SYS_statx, AT_FDCWD, "f", 0, 0x80000000U, &stx), EINVAL);
}

TEST(files, access_family)
{
	write_file("f", "", 0, 0600);
	EXPECT_OK(access("f", F_OK));
	EXPECT_OK(access("f", R_OK | W_OK));
	/* No execute bit at all: denied even to root. */
	EXPECT_ERRNO(access("f", X_OK), EACCES);
	EXPECT_ERRNO(access("missing", F_OK), ENOENT);
	EXPECT_OK(faccessat(AT_FDCWD, "f", R_OK, 0));
	EXPECT_OK(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, AT_EACCESS));
	EXPECT_ERRNO(syscall(SYS_faccessat2, AT_FDCWD, "f", R_OK, 0x1), EINVAL);
	EXPECT_ERRNO(access("f", 8), EINVAL);
	EXPECT_OK(access(".", X_OK));
}

TEST(files, access_nonroot_denied)
{
	write_file("f", "", 0, 0000);
	if (have_cap(CAP_DAC_OVERRIDE))
		EXPECT_OK(access("f", R_OK | W_OK));
	else
		EXPECT_ERRNO(access("f", R_OK), EACCES);
}

struct dirent64_min {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

TEST(files, getdents64_lists_entries)
{
	char buf[4096], *seen_names[8];
	int fd, n, off, count = 0, mask = 0, i;
	static const char *const want[] = { ".", "..", "a", "b", "sub" };
	static const unsigned char types[] = { DT_DIR, DT_DIR, DT_REG, DT_LNK, DT_DIR };

	write_file("a", "", 0, 0644);
	ASSERT_OK(symlink("a", "b"));
	ASSERT_OK(mkdir("sub", 0755));
	fd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64_min *d = (struct dirent64_min *)(buf + off);

			for (i = 0; i < 5; i++) {
				if (strcmp(d->name, want[i]))
					continue;
				mask |= 1 << i;
				EXPECT_EQ(d->type, types[i]);
			}
			EXPECT_EQ(d->reclen % 8, 0);
			if (count < 8)
				seen_names[count] = d->name;
			count++;
			off += d->reclen;
		}
	}
	(void)seen_names;
	EXPECT_EQ(n, 0);
	EXPECT_EQ(count, 5);
	EXPECT_EQ(mask, 0x1f);
	/* At the end it keeps returning 0. */
	EXPECT_EQ(syscall(SYS_getdents64, fd, buf, sizeof(buf)), 0);
}

TEST(files, getdents64_errors)
{
	char buf[4096];
	int f, d;

	write_file("f", "", 0, 0644);
	f = ASSERT_OK(open("f", O_RDONLY));
	d = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(syscall(SYS_getdents64, f, buf, sizeof(buf)), ENOTDIR);
	/* Too small for even one entry. */
	EXPECT_ERRNO(syscall(SYS_getdents64, d, buf, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);
}

TEST(files, mkdir_and_mkdirat)
{
	int d;

	ASSERT_OK(mkdir("d", 0700));
	EXPECT_ERRNO(mkdir("d", 0700), EEXIST);
	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(mkdir("f", 0700), EEXIST);
	EXPECT_ERRNO(mkdir("missing/d", 0700), ENOENT);
	d = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	EXPECT_OK(mkdirat(d, "inner", 0700));
	EXPECT_TRUE(S_ISDIR(stat_of("d/inner").st_mode));
	EXPECT_ERRNO(mkdirat(d, "inner", 0700), EEXIST);
	EXPECT_EQ(stat_of("d").st_mode & 0777, 0700);
}

TEST(files, rmdir_rules)
{
	ASSERT_OK(mkdir("d", 0755));
	write_file("d/f", "", 0, 0644);
	EXPECT_ERRNO(rmdir("d"), ENOTEMPTY);
	EXPECT_ERRNO(rmdir("d/f"), ENOTDIR);
	EXPECT_ERRNO(rmdir("d/."), EINVAL);
	EXPECT_ERRNO(rmdir("missing"), ENOENT);
	ASSERT_OK(unlink("d/f"));
	EXPECT_OK(rmdir("d"));
	EXPECT_ERRNO(stat("d", &(struct stat){ 0 }), ENOENT);
}

TEST(files, unlink_rules)
{
	ASSERT_OK(mkdir("d", 0755));
	EXPECT_ERRNO(unlink("d"), EISDIR);
	EXPECT_ERRNO(unlink("missing"), ENOENT);
	write_file("f", "", 0, 0644);
	EXPECT_OK(unlink("f"));
	EXPECT_ERRNO(unlink("f"), ENOENT);
}

TEST(files, unlinkat_removedir)
{
	ASSERT_OK(mkdir("d", 0755));
	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "f", AT_REMOVEDIR), ENOTDIR);
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "d", 0), EISDIR);
	EXPECT_OK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
	EXPECT_OK(unlinkat(AT_FDCWD, "f", 0));
	EXPECT_ERRNO(unlinkat(AT_FDCWD, "f", 0x1), EINVAL);
}

TEST(files, unlinked_open_file_lives_on)
{
	int fd = open_rw("f");

	ASSERT_EQ(write(fd, "still", 5), 5);
	ASSERT_OK(unlink("f"));
	ASSERT_OK(lseek(fd, 0, SEEK_SET));
	read_expect(fd, "still");
	EXPECT_EQ((int)({ struct stat st; fstat(fd, &st); st.st_nlink; }), 0);
}

TEST(files, rename_files)
{
	write_file("a", "A", 1, 0644);
	write_file("b", "B", 1, 0644);
	ASSERT_OK(rename("a", "c"));
	EXPECT_ERRNO(stat("a", &(struct stat){ 0 }), ENOENT);
	file_expect("c", "A");
	/* Over an existing file: atomically replaced. */
	ASSERT_OK(rename("c", "b"));
	file_expect("b", "A");
	EXPECT_OK(rename("b", "b"));
	EXPECT_ERRNO(rename("missing", "x"), ENOENT);
}

TEST(files, renameat2_flags)
{
	write_file("a", "A", 1, 0644);
	write_file("b", "B", 1, 0644);
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE),
		     EEXIST);
	EXPECT_OK(syscall(SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	EXPECT_OK(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "c", RENAME_EXCHANGE));
	file_expect("b", "A");
	file_expect("c", "B");
	EXPECT_ERRNO(syscall(SYS_renameat2, AT_FDCWD, "b", AT_FDCWD, "c",
			     RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL);
	EXPECT_OK(renameat(AT_FDCWD, "b", AT_FDCWD, "d"));
}

TEST(files, rename_directories)
{
	ASSERT_OK(mkdir("a", 0755));
	ASSERT_OK(mkdir("full", 0755));
	ASSERT_OK(mkdir("empty", 0755));
	write_file("full/f", "", 0, 0644);
	write_file("file", "", 0, 0644);
	EXPECT_ERRNO(rename("a", "full"), ENOTEMPTY);
	EXPECT_ERRNO(rename("a", "file"), ENOTDIR);
	EXPECT_ERRNO(rename("file", "empty"), EISDIR);
	EXPECT_ERRNO(rename("a", "a/inside"), EINVAL);
	EXPECT_OK(rename("a", "empty"));
	EXPECT_TRUE(S_ISDIR(stat_of("empty").st_mode));
	EXPECT_ERRNO(stat("a", &(struct stat){ 0 }), ENOENT);
}

TEST(files, link_counts)
{
	write_file("f", "x", 1, 0644);
	ASSERT_OK(link("f", "g"));
	EXPECT_EQ(stat_of("f").st_nlink, 2);
	EXPECT_EQ(stat_of("g").st_ino, stat_of("f").st_ino);
	ASSERT_OK(linkat(AT_FDCWD, "g", AT_FDCWD, "h", 0));
	EXPECT_EQ(stat_of("f").st_nlink, 3);
	ASSERT_OK(unlink("f"));
	EXPECT_EQ(stat_of("h").st_nlink, 2);
	EXPECT_ERRNO(link("g", "h"), EEXIST);
	EXPECT_ERRNO(link("missing", "x"), ENOENT);
	ASSERT_OK(mkdir("d", 0755));
	EXPECT_ERRNO(link("d", "d2"), EPERM);
}

TEST(files, linkat_symlink_follow)
{
	write_file("f", "x", 1, 0644);
	ASSERT_OK(symlink("f", "l"));
	/* Without AT_SYMLINK_FOLLOW the link itself is linked. */
	ASSERT_OK(linkat(AT_FDCWD, "l", AT_FDCWD, "l2", 0));
	EXPECT_TRUE(S_ISLNK(stat_of("l2").st_mode));
	ASSERT_OK(linkat(AT_FDCWD, "l", AT_FDCWD, "f2", AT_SYMLINK_FOLLOW));
	EXPECT_TRUE(S_ISREG(stat_of("f2").st_mode));
	EXPECT_EQ(stat_of("f").st_nlink, 2);
}

TEST(files, symlink_readlink)
{
	char buf[64];

	ASSERT_OK(symlink("some/target", "l"));
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(readlink("l", buf, sizeof(buf)), 11);
	/* No terminating NUL is written. */
	EXPECT_MEMEQ(buf, "some/targetx", 12);
	EXPECT_EQ(readlink("l", buf, 4), 4);
	EXPECT_MEMEQ(buf, "some", 4);
	EXPECT_EQ(readlinkat(AT_FDCWD, "l", buf, sizeof(buf)), 11);
	EXPECT_ERRNO(symlink("x", "l"), EEXIST);
	EXPECT_ERRNO(symlink("", "empty"), ENOENT);
	EXPECT_ERRNO(syscall(SYS_readlink, "l", buf, 0), EINVAL);
}

TEST(files, readlink_non_link_einval)
{
	char buf[16];

	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(readlink("f", buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(readlink(".", buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(readlink("missing", buf, sizeof(buf)), ENOENT);
}

TEST(files, symlink_loops_eloop)
{
	ASSERT_OK(symlink("b", "a"));
	ASSERT_OK(symlink("a", "b"));
	ASSERT_OK(symlink("self", "self"));
	EXPECT_ERRNO(open("a", O_RDONLY), ELOOP);
	EXPECT_ERRNO(stat("self", &(struct stat){ 0 }), ELOOP);
	EXPECT_ERRNO(open("a/x", O_RDONLY), ELOOP);
	EXPECT_OK(lstat("a", &(struct stat){ 0 }));
}

TEST(files, o_nofollow_on_symlink_eloop)
{
	write_file("f", "", 0, 0644);
	ASSERT_OK(symlink("f", "l"));
	EXPECT_ERRNO(open("l", O_RDONLY | O_NOFOLLOW), ELOOP);
	EXPECT_OK(open("f", O_RDONLY | O_NOFOLLOW));
}

TEST(files, symlink_chain_resolves)
{
	int i;
	char from[8], to[8];

	write_file("l0", "end", 3, 0644);
	for (i = 1; i <= 30; i++) {
		snprintf(from, sizeof(from), "l%d", i);
		snprintf(to, sizeof(to), "l%d", i - 1);
		ASSERT_OK(symlink(to, from));
	}
	/* Linux follows at most 40 links in one lookup. */
	file_expect("l30", "end");
}

TEST(files, chdir_fchdir_getcwd)
{
	char start[PATH_MAX], buf[PATH_MAX], want[PATH_MAX + 8];
	int fd;

	ASSERT_TRUE(getcwd(start, sizeof(start)) != NULL);
	EXPECT_EQ(start[0], '/');
	ASSERT_OK(mkdir("d", 0755));
	ASSERT_OK(chdir("d"));
	snprintf(want, sizeof(want), "%s/d", start);
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), want);
	ASSERT_OK(chdir(".."));
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), start);
	fd = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	ASSERT_OK(fchdir(fd));
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), want);
	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(chdir("f"), ENOTDIR);
	EXPECT_ERRNO(fchdir(ASSERT_OK(open("f", O_RDONLY))), ENOTDIR);
	EXPECT_ERRNO(chdir("missing"), ENOENT);
}

TEST(files, getcwd_buffer_sizes)
{
	char buf[PATH_MAX];
	long len;

	ASSERT_TRUE(getcwd(buf, sizeof(buf)) != NULL);
	/* The raw call returns the length including the NUL. */
	len = syscall(SYS_getcwd, buf, sizeof(buf));
	EXPECT_EQ(len, (long)strlen(buf) + 1);
	EXPECT_ERRNO(syscall(SYS_getcwd, buf, 1), ERANGE);
	EXPECT_ERRNO(syscall(SYS_getcwd, buf, len - 1), ERANGE);
	EXPECT_EQ(syscall(SYS_getcwd, buf, len), len);
	EXPECT_TRUE(getcwd(buf, 1) == NULL);
	EXPECT_EQ(errno, ERANGE);
}

TEST(files, getcwd_of_removed_dir)
{
	char buf[PATH_MAX];

	ASSERT_OK(mkdir("d", 0755));
	ASSERT_OK(chdir("d"));
	ASSERT_OK(rmdir("../d"));
	/* Linux reports an unlinked cwd as ENOENT. */
	EXPECT_ERRNO(syscall(SYS_getcwd, buf, sizeof(buf)), ENOENT);
}

/* chroot(2) (BusyBox's mdev tests run it in a jail folder): lookups of "/", absolute symlinks
 * and ".." stop at the new root; the working directory stays; only root may call it. */
TEST(files, chroot_confines_lookups)
{
	char buf[PATH_MAX];
	pid_t pid;
	int status;

	ASSERT_OK(mkdir("jail", 0755));
	ASSERT_OK(mkdir("jail/sub", 0755));
	write_file("jail/inside", "in", 2, 0644);
	write_file("outside", "out", 3, 0644);
	ASSERT_OK(symlink("/inside", "jail/sub/abs"));
	if (geteuid() != 0) {
		EXPECT_ERRNO(chroot("jail"), EPERM);
		return;
	}
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		/* CAP_SYS_CHROOT is root's: anyone else gets EPERM, after the lookup's errors. */
		if (setuid(65534) != 0)
			_exit(10);
		if (chroot("/missing-exotest") == 0 || errno != ENOENT)
			_exit(11);
		_exit(chroot("/") == -1 && errno == EPERM ? 0 : 12);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	EXPECT_ERRNO(chroot("outside"), ENOTDIR);
	EXPECT_ERRNO(chroot("missing"), ENOENT);
	ASSERT_OK(chroot("jail"));
	/* The working directory is still outside the new root. */
	file_expect("outside", "out");
	ASSERT_OK(chdir("/"));
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), "/");
	file_expect("/inside", "in");
	file_expect("/sub/abs", "in");
	file_expect("/../../inside", "in");
	ASSERT_OK(chdir("sub/../.."));
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), "/");
	EXPECT_ERRNO(access("/outside", F_OK), ENOENT);
	/* A child inherits the root. */
	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(access("/inside", F_OK) == 0 && access("/outside", F_OK) == -1 ? 0 : 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

TEST(files, chmod_family)
{
	int fd;

	write_file("f", "", 0, 0644);
	ASSERT_OK(chmod("f", 0600));
	EXPECT_EQ(stat_of("f").st_mode & 07777, 0600);
	fd = ASSERT_OK(open("f", O_RDONLY));
	ASSERT_OK(fchmod(fd, 0751));
	EXPECT_EQ(stat_of("f").st_mode & 07777, 0751);
	ASSERT_OK(fchmodat(AT_FDCWD, "f", 04700, 0));
	EXPECT_EQ(stat_of("f").st_mode & 07777, 04700);
	EXPECT_TRUE(S_ISREG(stat_of("f").st_mode));
	EXPECT_ERRNO(chmod("missing", 0600), ENOENT);
}

TEST(files, chown_family)
{
	struct stat st;
	int fd;

	write_file("f", "", 0, 0644);
	/* -1 means "leave alone": allowed to every owner. */
	EXPECT_OK(chown("f", -1, -1));
	EXPECT_OK(chown("f", geteuid(), getegid()));
	ASSERT_OK(symlink("f", "l"));
	if (have_cap(CAP_CHOWN)) {
		ASSERT_OK(chown("f", 1234, 5678));
		st = stat_of("f");
		EXPECT_EQ(st.st_uid, 1234);
		EXPECT_EQ(st.st_gid, 5678);
		fd = ASSERT_OK(open("f", O_RDONLY));
		ASSERT_OK(fchown(fd, 4321, -1));
		EXPECT_EQ(stat_of("f").st_uid, 4321);
		EXPECT_EQ(stat_of("f").st_gid, 5678);
		ASSERT_OK(lchown("l", 777, 777));
		EXPECT_EQ(stat_of("l").st_uid, 777);
		EXPECT_EQ(stat_of("f").st_uid, 4321);
		ASSERT_OK(fchownat(AT_FDCWD, "f", 0, 0, 0));
		EXPECT_EQ(stat_of("f").st_uid, 0);
	} else {
		EXPECT_ERRNO(chown("f", geteuid() + 1, -1), EPERM);
		EXPECT_ERRNO(lchown("l", geteuid() + 1, -1), EPERM);
	}
}

TEST(files, truncate_grow_shrink)
{
	char buf[8];
	int fd;

	write_file("f", "abcdef", 6, 0644);
	ASSERT_OK(truncate("f", 3));
	EXPECT_EQ(stat_of("f").st_size, 3);
	file_expect("f", "abc");
	fd = ASSERT_OK(open("f", O_RDWR));
	ASSERT_OK(ftruncate(fd, 6));
	EXPECT_EQ(pread(fd, buf, sizeof(buf), 0), 6);
	EXPECT_MEMEQ(buf, "abc\0\0\0", 6);
	/* The offset is not moved by truncation. */
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_ERRNO(ftruncate(fd, -1), EINVAL);
	EXPECT_ERRNO(ftruncate(ASSERT_OK(open("f", O_RDONLY)), 0), EINVAL);
	EXPECT_ERRNO(truncate(".", 0), EISDIR);
	EXPECT_ERRNO(truncate("missing", 0), ENOENT);
}

TEST(files, utimensat_times)
{
	struct timespec ts[2] = { { 1000000000, 123456789 }, { 1200000000, 5 } };
	struct timespec now;
	struct stat st;

	write_file("f", "", 0, 0644);
	ASSERT_OK(utimensat(AT_FDCWD, "f", ts, 0));
	st = stat_of("f");
	EXPECT_EQ(st.st_atim.tv_sec, 1000000000);
	EXPECT_EQ(st.st_atim.tv_nsec, 123456789);
	EXPECT_EQ(st.st_mtim.tv_sec, 1200000000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 5);

	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	clock_gettime(CLOCK_REALTIME, &now);
	ASSERT_OK(utimensat(AT_FDCWD, "f", ts, 0));
	st = stat_of("f");
	EXPECT_EQ(st.st_atim.tv_sec, 1000000000);
	EXPECT_GE(st.st_mtim.tv_sec, now.tv_sec - 1);
	EXPECT_LE(st.st_mtim.tv_sec, now.tv_sec + 1);

	ts[0].tv_nsec = 1000000000;
	EXPECT_ERRNO(utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
	EXPECT_OK(utimensat(AT_FDCWD, "f", NULL, 0));
	EXPECT_GE(stat_of("f").st_atim.tv_sec, now.tv_sec - 1);
}

TEST(files, write_updates_mtime_and_size)
{
	struct timespec old[2] = { { 1, 0 }, { 1, 0 } };
	int fd = open_rw("f");

	ASSERT_OK(futimens(fd, old));
	ASSERT_EQ(write(fd, "abc", 3), 3);
	EXPECT_GT(stat_of("f").st_mtim.tv_sec, 1);
	EXPECT_GT(stat_of("f").st_ctim.tv_sec, 1);
	EXPECT_EQ(stat_of("f").st_size, 3);
}

TEST(files, sync_family)
{
	int fd = open_rw("f");

	ASSERT_EQ(write(fd, "x", 1), 1);
	sync();
	EXPECT_EQ(fsync(fd), 0);
	EXPECT_EQ(fdatasync(fd), 0);
	EXPECT_EQ(syncfs(fd), 0);
	EXPECT_ERRNO(fsync(999), EBADF);
}

TEST(files, name_too_long)
{
	char *name = malloc(5001), *path = malloc(PATH_MAX + 2);
	int i;

	ASSERT_TRUE(name && path);
	memset(name, 'n', 5000);
	name[5000] = '\0';
	EXPECT_ERRNO(open(name, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG);
	EXPECT_ERRNO(mkdir(name, 0755), ENAMETOOLONG);
	/* NAME_MAX is 255: one more is too long. */
	name[256] = '\0';
	EXPECT_ERRNO(open(name, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG);
	name[255] = '\0';
	EXPECT_OK(open(name, O_RDONLY | O_CREAT, 0644));
	/* A whole path of PATH_MAX bytes or more. */
	for (i = 0; i < PATH_MAX + 1; i++)
		path[i] = i % 2 ? '/' : 'a';
	path[PATH_MAX + 1] = '\0';
	EXPECT_ERRNO(open(path, O_RDONLY), ENAMETOOLONG);
}

TEST(files, missing_and_non_dir_components)
{
	write_file("f", "", 0, 0644);
	ASSERT_OK(mkdir("d", 0755));
	EXPECT_ERRNO(open("nope/x", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("d/nope/x", O_RDONLY | O_CREAT, 0644), ENOENT);
	EXPECT_ERRNO(open("f/x", O_RDONLY), ENOTDIR);
	EXPECT_ERRNO(open("f/", O_RDONLY), ENOTDIR);
	EXPECT_ERRNO(mkdir("f/x", 0755), ENOTDIR);
	EXPECT_ERRNO(open("", O_RDONLY), ENOENT);
	EXPECT_ERRNO(open("f/..", O_RDONLY), ENOTDIR);
}

TEST(files, dotdot_at_root_stays)
{
	struct stat root, up;
	char buf[16];

	ASSERT_OK(stat("/", &root));
	ASSERT_OK(stat("/..", &up));
	EXPECT_EQ(up.st_ino, root.st_ino);
	ASSERT_OK(stat("/../../..", &up));
	EXPECT_EQ(up.st_ino, root.st_ino);
	ASSERT_OK(chdir("/"));
	ASSERT_OK(chdir(".."));
	EXPECT_STREQ(getcwd(buf, sizeof(buf)), "/");
}

TEST(files, dev_null_and_zero)
{
	char buf[64];
	static const char zero[64];
	int n = ASSERT_OK(open("/dev/null", O_RDWR));
	int z = ASSERT_OK(open("/dev/zero", O_RDWR));

	EXPECT_EQ(read(n, buf, sizeof(buf)), 0);
	EXPECT_EQ(write(n, "data", 4), 4);
	memset(buf, 1, sizeof(buf));
	EXPECT_EQ(read(z, buf, sizeof(buf)), 64);
	EXPECT_MEMEQ(buf, zero, 64);
	EXPECT_EQ(write(z, "data", 4), 4);
	EXPECT_TRUE(S_ISCHR(stat_of("/dev/null").st_mode));
}

TEST(files, dev_full_enospc)
{
	char buf[16];
	int fd = ASSERT_OK(open("/dev/full", O_RDWR));

	EXPECT_ERRNO(write(fd, "x", 1), ENOSPC);
	EXPECT_EQ(read(fd, buf, sizeof(buf)), 16);
	EXPECT_EQ(buf[15], 0);
}

TEST(files, dev_urandom)
{
	unsigned char a[64], b[64];
	int fd = ASSERT_OK(open("/dev/urandom", O_RDONLY));

	EXPECT_EQ(read(fd, a, sizeof(a)), 64);
	EXPECT_EQ(read(fd, b, sizeof(b)), 64);
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
}

TEST(files, ioctl_tcgets_on_file_enotty)
{
	struct termios t;
	int fd = open_rw("f");

	EXPECT_ERRNO(ioctl(fd, TCGETS, &t), ENOTTY);
	EXPECT_ERRNO(ioctl(ASSERT_OK(open("/dev/null", O_RDONLY)), TCGETS, &t), ENOTTY);
	EXPECT_ERRNO(isatty(fd) ? 0 : -1, ENOTTY);
}

TEST(files, mkfifo_type)
{
	ASSERT_OK(mkfifo("p", 0600));
	EXPECT_TRUE(S_ISFIFO(stat_of("p").st_mode));
	EXPECT_ERRNO(mkfifo("p", 0600), EEXIST);
	/* A reader-less FIFO opened non-blocking for writing has no reader. */
	EXPECT_ERRNO(open("p", O_WRONLY | O_NONBLOCK), ENXIO);
	EXPECT_OK(open("p", O_RDONLY | O_NONBLOCK));
}

TEST(files, openat_relative_to_dirfd)
{
	int d, fd;

	ASSERT_OK(mkdir("d", 0755));
	d = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	fd = ASSERT_OK(openat(d, "f", O_WRONLY | O_CREAT, 0644));
	ASSERT_EQ(write(fd, "in-d", 4), 4);
	file_expect("d/f", "in-d");
	EXPECT_OK(openat(AT_FDCWD, "d/f", O_RDONLY));
	/* An absolute path ignores the dirfd, even a bad one. */
	EXPECT_OK(openat(999, "/dev/null", O_RDONLY));
	EXPECT_ERRNO(openat(999, "f", O_RDONLY), EBADF);
	EXPECT_ERRNO(openat(fd, "f", O_RDONLY), ENOTDIR);
}

TEST(files, close_twice_ebadf)
{
	int fd = ASSERT_OK(open(".", O_RDONLY));

	EXPECT_OK(close(fd));
	EXPECT_ERRNO(close(fd), EBADF);
}

/* statfs/fstatfs: what df reads. */
#include <sys/vfs.h>

TEST(files, statfs_proc_magic_and_sizes)
{
	struct statfs st;

	ASSERT_OK(statfs("/proc", &st));
	EXPECT_EQ((long)st.f_type, 0x9fa0L);
	ASSERT_OK(statfs(".", &st));
	EXPECT_GT((long)st.f_bsize, 0L);
	EXPECT_EQ((long)st.f_namelen, 255L);
	EXPECT_LE((long)st.f_bfree, (long)st.f_blocks);
}

TEST(files, fstatfs_matches_statfs)
{
	struct statfs a, b;
	int fd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));

	ASSERT_OK(statfs(".", &a));
	ASSERT_OK(fstatfs(fd, &b));
	EXPECT_EQ((long)a.f_type, (long)b.f_type);
	EXPECT_EQ((long)a.f_bsize, (long)b.f_bsize);
	close(fd);
}

TEST(files, statfs_errors)
{
	struct statfs st;

	EXPECT_ERRNO(statfs("no/such/dir", &st), ENOENT);
	EXPECT_ERRNO(syscall(SYS_statfs, ".", (void *)8), EFAULT);
	EXPECT_ERRNO(fstatfs(-1, &st), EBADF);
	EXPECT_ERRNO(fstatfs(1000, &st), EBADF);
}

/* tmpfs mount options, Linux's: size= (with suffix or %), mode=, uid=, gid=; ENOSPC when full. */
#include <sys/mount.h>
#include <sys/sysinfo.h>

TEST(files, tmpfs_mount_options_size_mode_owner_and_enospc)
{
	static char chunk[65536];
	struct statfs st;
	struct sysinfo si;
	struct stat sb;
	long long total = 0;
	ssize_t n;
	int fd;

	ASSERT_OK(mkdir("m", 0755));
	if (!have_cap(21)) {	/* CAP_SYS_ADMIN */
		EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, "size=1m"), EPERM);
		return;
	}
	ASSERT_OK(mount("tmpfs", "m", "tmpfs", 0, "size=1m,mode=0700,uid=65534,gid=65534"));
	EXPECT_OK(stat("m", &sb));
	EXPECT_EQ(sb.st_mode & 07777, 0700);
	EXPECT_EQ(sb.st_uid, 65534);
	EXPECT_EQ(sb.st_gid, 65534);
	EXPECT_OK(statfs("m", &st));
	EXPECT_EQ((long long)st.f_blocks * st.f_bsize, 1LL << 20);
	EXPECT_EQ((long long)st.f_bfree, (long long)st.f_blocks);
	fd = open("m/f", O_WRONLY | O_CREAT, 0600);
	EXPECT_GE(fd, 0);
	while ((n = write(fd, chunk, sizeof(chunk))) > 0)
		total += n;
	EXPECT_EQ(total, 1LL << 20);
	EXPECT_ERRNO(write(fd, chunk, 1), ENOSPC);
	EXPECT_OK(fstatfs(fd, &st));
	EXPECT_EQ((long long)st.f_bfree, 0);
	close(fd);
	EXPECT_OK(unlink("m/f"));
	EXPECT_OK(statfs("m", &st));
	EXPECT_EQ((long long)st.f_bfree, (long long)st.f_blocks);
	EXPECT_OK(umount2("m", 0));

	/* A percentage of RAM, and no limit at all (size=0: statfs shows no blocks). */
	ASSERT_OK(sysinfo(&si));
	ASSERT_OK(mount("tmpfs", "m", "tmpfs", 0, "size=50%"));
	EXPECT_OK(statfs("m", &st));
	EXPECT_EQ((long long)st.f_blocks,
		  (long long)((unsigned long long)si.totalram * si.mem_unit / 4096 * 50 / 100));
	EXPECT_OK(umount2("m", 0));
	ASSERT_OK(mount("tmpfs", "m", "tmpfs", 0, "size=0,nr_inodes=10k,huge=never"));
	EXPECT_OK(statfs("m", &st));
	EXPECT_EQ((long long)st.f_blocks, 0);
	EXPECT_OK(umount2("m", 0));

	EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, "bogus=1"), EINVAL);
	EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, "size=12q"), EINVAL);
	EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, "mode=9"), EINVAL);
	EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, "size"), EINVAL);
	EXPECT_ERRNO(mount("tmpfs", "m", "tmpfs", 0, (void *)1), EFAULT);
}

/* RLIMIT_FSIZE: a write is cut at the limit; past it, EFBIG and SIGXFSZ (which kills by default). */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static volatile sig_atomic_t xfsz_hits;

static void count_xfsz(int sig)
{
	(void)sig;
	xfsz_hits++;
}

static void write_past_limit(void *arg)
{
	struct rlimit rl = { 4096, 4096 };
	static char buf[8192];
	int fd = open((const char *)arg, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	signal(SIGXFSZ, SIG_DFL);
	setrlimit(RLIMIT_FSIZE, &rl);
	if (write(fd, buf, sizeof(buf)) != 4096)
		_exit(1);
	write(fd, buf, 1);	/* SIGXFSZ, default action: the process ends here */
	_exit(2);
}

TEST(files, rlimit_fsize_cuts_writes_then_efbig_and_sigxfsz)
{
	struct sigaction sa = { .sa_handler = count_xfsz };
	struct rlimit rl = { 10000, 10000 };
	static char buf[20000];
	int fd, st;

	fd = ASSERT_OK(open("f", O_RDWR | O_CREAT | O_TRUNC, 0600));
	xfsz_hits = 0;
	ASSERT_OK(sigaction(SIGXFSZ, &sa, NULL));
	ASSERT_OK(setrlimit(RLIMIT_FSIZE, &rl));
	EXPECT_EQ(write(fd, buf, sizeof(buf)), 10000);
	EXPECT_EQ(xfsz_hits, 0);
	EXPECT_ERRNO(write(fd, buf, 1), EFBIG);
	EXPECT_EQ(xfsz_hits, 1);
	EXPECT_ERRNO(ftruncate(fd, 10001), EFBIG);
	EXPECT_EQ(xfsz_hits, 2);
	EXPECT_ERRNO(truncate("f", 20000), EFBIG);
	EXPECT_OK(ftruncate(fd, 10000));	/* not growing: allowed */
	EXPECT_OK(ftruncate(fd, 5000));
	EXPECT_EQ(pwrite(fd, buf, 10, 9995), 5);
	EXPECT_EQ(write(fd, buf, 0), 0);	/* nothing to write: no signal */
	EXPECT_EQ(xfsz_hits, 3);
	close(fd);

	st = run_child(write_past_limit, "g");
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ);
}
