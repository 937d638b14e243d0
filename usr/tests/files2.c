// SPDX-License-Identifier: MIT
/*
 * The second batch of file calls: flock, the old getdents, utime/utimes/
 * futimesat, readahead, fadvise64, sync_file_range, fallocate, preadv2/
 * pwritev2, close_range. Raw syscall() throughout, so the checks see the
 * kernel's errnos and not the libc's emulation; each also passes on Linux.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif
#ifndef RWF_HIPRI
#define RWF_HIPRI	0x1
#define RWF_DSYNC	0x2
#define RWF_SYNC	0x4
#define RWF_NOWAIT	0x8
#define RWF_APPEND	0x10
#endif
#define FL_KEEP_SIZE	0x01
#define FL_PUNCH_HOLE	0x02
#define FL_COLLAPSE	0x08

static long sys_flock(int fd, int op)
{
	return syscall(SYS_flock, fd, op);
}

/* ---- flock ------------------------------------------------------------------ */

/* flock(@fd, @op | LOCK_NB) from a fork child; its errno or 0. */
static int child_flock(int fd, int op)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(sys_flock(fd, op | LOCK_NB) == 0 ? 0 : errno);
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

TEST(files2, flock_conflicts)
{
	int a, b, c;

	write_file("f", "x", 1, 0644);
	a = ASSERT_OK(open("f", O_RDONLY));
	b = ASSERT_OK(open("f", O_RDONLY));
	/* Shared locks of two open file descriptions coexist. */
	EXPECT_EQ(sys_flock(a, LOCK_SH), 0);
	EXPECT_EQ(sys_flock(b, LOCK_SH | LOCK_NB), 0);
	EXPECT_ERRNO(sys_flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	/* The failed conversion dropped b's shared lock, as on Linux: a converts alone. */
	EXPECT_EQ(sys_flock(a, LOCK_EX | LOCK_NB), 0);
	EXPECT_ERRNO(sys_flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	/* The lock belongs to the description: a dup and a fork child share it. */
	c = ASSERT_OK(dup(a));
	EXPECT_EQ(sys_flock(c, LOCK_EX | LOCK_NB), 0);
	EXPECT_EQ(child_flock(a, LOCK_EX), 0);
	/* Closing one of two descriptors keeps it; closing the last drops it. */
	close(a);
	EXPECT_ERRNO(sys_flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	close(c);
	EXPECT_EQ(sys_flock(b, LOCK_EX | LOCK_NB), 0);
	EXPECT_EQ(sys_flock(b, LOCK_UN), 0);
	EXPECT_EQ(sys_flock(b, LOCK_UN), 0);	/* unlocking nothing is fine */
	close(b);
}

TEST(files2, flock_errors_and_fcntl_independence)
{
	int fd, p, status;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	pid_t pid;

	write_file("f", "x", 1, 0644);
	fd = ASSERT_OK(open("f", O_RDWR));
	EXPECT_ERRNO(sys_flock(fd, 0), EINVAL);
	EXPECT_ERRNO(sys_flock(fd, LOCK_SH | LOCK_EX), EINVAL);
	EXPECT_ERRNO(sys_flock(fd, LOCK_NB), EINVAL);
	EXPECT_ERRNO(sys_flock(-1, LOCK_SH), EBADF);
	EXPECT_ERRNO(sys_flock(9999, LOCK_SH), EBADF);
	EXPECT_ERRNO(sys_flock(-1, 77), EINVAL);	/* the operation is checked first */
	EXPECT_EQ(sys_flock(-1, 32 | 64), 0);		/* LOCK_MAND|LOCK_READ: ignored */
	p = ASSERT_OK(open("f", O_PATH));
	EXPECT_ERRNO(sys_flock(p, LOCK_SH), EBADF);
	close(p);
	/* A BSD lock and a POSIX record lock on the same file ignore each other. */
	ASSERT_EQ(sys_flock(fd, LOCK_EX), 0);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		int g = open("f", O_RDWR);

		_exit(fcntl(g, F_SETLK, &fl) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	EXPECT_EQ(WEXITSTATUS(status), 0);
	close(fd);
}

TEST(files2, flock_blocks_until_release)
{
	int fd, p[2], status;
	long long t0;
	pid_t pid;
	char c;

	write_file("f", "x", 1, 0644);
	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		int g = open("f", O_RDONLY);

		sys_flock(g, LOCK_EX);
		if (write(p[1], "l", 1) != 1)
			_exit(1);
		usleep(200000);
		_exit(0);	/* exit closes g: the lock goes */
	}
	ASSERT_EQ(read(p[0], &c, 1), 1);
	fd = ASSERT_OK(open("f", O_RDONLY));
	t0 = now_ns();
	EXPECT_EQ(sys_flock(fd, LOCK_SH), 0);
	EXPECT_GT(now_ns() - t0, 100000000LL);
	waitpid(pid, &status, 0);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(files2, flock_wait_interrupted)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	int a, b;

	write_file("f", "x", 1, 0644);
	a = ASSERT_OK(open("f", O_RDONLY));
	b = ASSERT_OK(open("f", O_RDONLY));
	ASSERT_EQ(sys_flock(a, LOCK_EX), 0);
	sigaction(SIGALRM, &sa, NULL);
	ualarm(100000, 0);
	EXPECT_ERRNO(sys_flock(b, LOCK_EX), EINTR);
	close(a);
	close(b);
}

/* ---- getdents ------------------------------------------------------------------ */

struct old_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
	char d_name[];
};

TEST(files2, getdents_old_records)
{
	char buf[4096];
	int fd, seen = 0;
	long n;

	ASSERT_OK(mkdir("d", 0755));
	write_file("d/reg", "x", 1, 0644);
	ASSERT_OK(mkdir("d/sub", 0755));
	ASSERT_OK(symlink("reg", "d/lnk"));
	fd = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	n = syscall(SYS_getdents, fd, buf, sizeof(buf));
	ASSERT_GE(n, 1);
	for (long off = 0; off < n;) {
		struct old_dirent *d = (struct old_dirent *)(buf + off);
		unsigned char type = (unsigned char)buf[off + d->d_reclen - 1];

		EXPECT_EQ(d->d_reclen % 8, 0);
		EXPECT_NE(d->d_ino, 0);
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") || !strcmp(d->d_name, "sub")) {
			EXPECT_EQ(type, DT_DIR);
		} else if (!strcmp(d->d_name, "reg")) {
			EXPECT_EQ(type, DT_REG);
		} else if (!strcmp(d->d_name, "lnk")) {
			EXPECT_EQ(type, DT_LNK);
		} else {
			harness_fail(__FILE__, __LINE__, 0, "unexpected name %s", d->d_name);
		}
		seen++;
		off += d->d_reclen;
	}
	EXPECT_EQ(seen, 5);
	EXPECT_EQ(syscall(SYS_getdents, fd, buf, sizeof(buf)), 0);	/* at the end */
	/* Rewound, a buffer too small for one record is EINVAL. */
	lseek(fd, 0, SEEK_SET);
	EXPECT_ERRNO(syscall(SYS_getdents, fd, buf, 8), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getdents, fd, unmapped_page(), 4096), EFAULT);
	EXPECT_ERRNO(syscall(SYS_getdents, -1, buf, sizeof(buf)), EBADF);
	close(fd);
	fd = ASSERT_OK(open("d/reg", O_RDONLY));
	EXPECT_ERRNO(syscall(SYS_getdents, fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
}

/* ---- utime, utimes, futimesat ------------------------------------------------------ */

struct old_utimbuf {
	long actime;
	long modtime;
};

TEST(files2, utime_family)
{
	struct old_utimbuf ub = { .actime = 1000, .modtime = 2000 };
	struct timeval tv[2] = { { 3000, 500000 }, { 4000, 250 } };
	struct stat st;
	int dfd, fd;
	time_t now = time(NULL);

	write_file("f", "x", 1, 0644);
	EXPECT_EQ(syscall(SYS_utime, "f", &ub), 0);
	ASSERT_OK(stat("f", &st));
	EXPECT_EQ(st.st_atim.tv_sec, 1000);
	EXPECT_EQ(st.st_mtim.tv_sec, 2000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 0);
	EXPECT_EQ(syscall(SYS_utime, "f", NULL), 0);	/* now */
	ASSERT_OK(stat("f", &st));
	EXPECT_GE(st.st_mtim.tv_sec, now - 1);

	EXPECT_EQ(syscall(SYS_utimes, "f", tv), 0);
	ASSERT_OK(stat("f", &st));
	EXPECT_EQ(st.st_atim.tv_sec, 3000);
	EXPECT_EQ(st.st_atim.tv_nsec, 500000000);
	EXPECT_EQ(st.st_mtim.tv_sec, 4000);
	EXPECT_EQ(st.st_mtim.tv_nsec, 250000);
	tv[1].tv_usec = 1000000;
	EXPECT_ERRNO(syscall(SYS_utimes, "f", tv), EINVAL);
	tv[1].tv_usec = -1;
	EXPECT_ERRNO(syscall(SYS_utimes, "f", tv), EINVAL);
	tv[1].tv_usec = 0;
	EXPECT_ERRNO(syscall(SYS_utimes, "missing", tv), ENOENT);
	EXPECT_ERRNO(syscall(SYS_utimes, "f", unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_utime, "f", unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_utime, unmapped_page(), NULL), EFAULT);

	/* futimesat: relative to a directory fd, or the fd itself with no name. */
	ASSERT_OK(mkdir("d", 0755));
	write_file("d/g", "y", 1, 0644);
	dfd = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));
	tv[0] = (struct timeval){ 5000, 0 };
	tv[1] = (struct timeval){ 6000, 0 };
	EXPECT_EQ(syscall(SYS_futimesat, dfd, "g", tv), 0);
	ASSERT_OK(stat("d/g", &st));
	EXPECT_EQ(st.st_mtim.tv_sec, 6000);
	fd = ASSERT_OK(open("f", O_RDONLY));
	tv[1].tv_sec = 7000;
	EXPECT_EQ(syscall(SYS_futimesat, fd, NULL, tv), 0);
	ASSERT_OK(stat("f", &st));
	EXPECT_EQ(st.st_mtim.tv_sec, 7000);
	EXPECT_ERRNO(syscall(SYS_futimesat, -1, "g", tv), EBADF);
	EXPECT_ERRNO(syscall(SYS_futimesat, fd, "g", tv), ENOTDIR);
	EXPECT_ERRNO(syscall(SYS_futimesat, AT_FDCWD, NULL, tv), EFAULT);
	close(fd);
	close(dfd);
}

/* ---- readahead, fadvise64, sync_file_range ------------------------------------------- */

TEST(files2, hints_and_sync_file_range)
{
	char data[8192];
	int fd, wo, p[2];

	memset(data, 'a', sizeof(data));
	write_file("f", data, sizeof(data), 0644);
	fd = ASSERT_OK(open("f", O_RDWR));
	wo = ASSERT_OK(open("f", O_WRONLY));
	ASSERT_OK(pipe(p));

	EXPECT_EQ(syscall(SYS_readahead, fd, 0L, 8192UL), 0);
	EXPECT_EQ(syscall(SYS_readahead, fd, 1L << 40, 8192UL), 0);	/* past the end */
	EXPECT_ERRNO(syscall(SYS_readahead, wo, 0L, 4096UL), EBADF);
	EXPECT_ERRNO(syscall(SYS_readahead, p[0], 0L, 4096UL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_readahead, -1, 0L, 4096UL), EBADF);

	for (int adv = POSIX_FADV_NORMAL; adv <= POSIX_FADV_NOREUSE; adv++)
		EXPECT_EQ(syscall(SYS_fadvise64, fd, 0L, 4096UL, adv), 0);
	EXPECT_EQ(syscall(SYS_fadvise64, wo, 0L, 0UL, POSIX_FADV_WILLNEED), 0);
	EXPECT_ERRNO(syscall(SYS_fadvise64, fd, 0L, 4096UL, 6), EINVAL);
	EXPECT_ERRNO(syscall(SYS_fadvise64, fd, 0L, 4096UL, -1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_fadvise64, fd, 0L, (size_t)-1, POSIX_FADV_NORMAL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_fadvise64, p[0], 0L, 4096UL, POSIX_FADV_NORMAL), ESPIPE);
	EXPECT_ERRNO(syscall(SYS_fadvise64, p[1], 0L, 4096UL, 99), ESPIPE);
	EXPECT_ERRNO(syscall(SYS_fadvise64, -1, 0L, 4096UL, POSIX_FADV_NORMAL), EBADF);

	EXPECT_EQ(syscall(SYS_sync_file_range, fd, 0L, 0L, 7U), 0);
	EXPECT_EQ(syscall(SYS_sync_file_range, fd, 4096L, 100L, 2U), 0);
	EXPECT_EQ(syscall(SYS_sync_file_range, wo, 0L, 0L, 0U), 0);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, fd, 0L, 0L, 8U), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, fd, -1L, 0L, 2U), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, fd, 0L, -1L, 2U), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, fd, LLONG_MAX, 2L, 2U), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, p[1], 0L, 0L, 2U), ESPIPE);
	EXPECT_ERRNO(syscall(SYS_sync_file_range, -1, 0L, 0L, 8U), EBADF);	/* fd first */
	close(fd);
	close(wo);
}

/* ---- fallocate ------------------------------------------------------------------------ */

static long sys_fallocate(int fd, int mode, long off, long len)
{
	return syscall(SYS_fallocate, fd, mode, off, len);
}

TEST(files2, fallocate_tmpfs)
{
	char buf[3 * 4096], zero[4096] = { 0 };
	int fd = ASSERT_OK(syscall(SYS_memfd_create, "fa", MFD_ALLOW_SEALING));
	struct stat st;
	int ro, p[2], dfd;
	char path[64];

	EXPECT_EQ(sys_fallocate(fd, 0, 0, 10000), 0);
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 10000);
	EXPECT_GE(st.st_blocks * 512, 10000);
	EXPECT_EQ(sys_fallocate(fd, FL_KEEP_SIZE, 0, 50000), 0);
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 10000);
	EXPECT_EQ(sys_fallocate(fd, 0, 100, 200), 0);	/* inside: no change */
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 10000);

	/* A hole punched in written data reads back as zeros; the rest stays. */
	memset(buf, 'q', sizeof(buf));
	ASSERT_EQ(pwrite(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	EXPECT_EQ(sys_fallocate(fd, FL_PUNCH_HOLE | FL_KEEP_SIZE, 100, 4096 + 50), 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	EXPECT_EQ(buf[99], 'q');
	EXPECT_MEMEQ(buf + 100, zero, 4096);
	EXPECT_MEMEQ(buf + 4196, zero, 50);
	EXPECT_EQ(buf[4246], 'q');
	EXPECT_EQ(buf[3 * 4096 - 1], 'q');
	EXPECT_EQ(sys_fallocate(fd, FL_PUNCH_HOLE | FL_KEEP_SIZE, 4096, 4096), 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	EXPECT_MEMEQ(buf + 4096, zero, 4096);
	EXPECT_EQ(buf[8192], 'q');
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 3 * 4096);

	EXPECT_ERRNO(sys_fallocate(fd, FL_PUNCH_HOLE, 0, 4096), EOPNOTSUPP);
	EXPECT_ERRNO(sys_fallocate(fd, FL_COLLAPSE | FL_KEEP_SIZE, 0, 4096), EOPNOTSUPP);
	EXPECT_ERRNO(sys_fallocate(fd, 0x1000, 0, 4096), EOPNOTSUPP);
	EXPECT_ERRNO(sys_fallocate(fd, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(sys_fallocate(fd, 0, -1, 10), EINVAL);
	EXPECT_ERRNO(sys_fallocate(fd, 0, 0, -5), EINVAL);
	EXPECT_ERRNO(sys_fallocate(fd, 0, LLONG_MAX - 10, 100), EFBIG);
	EXPECT_ERRNO(sys_fallocate(-1, 0, 0, 10), EBADF);

	/* F_SEAL_GROW: allocating past the size is EPERM, inside it is fine. */
	ASSERT_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_ERRNO(sys_fallocate(fd, 0, 0, 4 * 4096), EPERM);
	EXPECT_EQ(sys_fallocate(fd, 0, 0, 4096), 0);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = ASSERT_OK(open(path, O_RDONLY));
	EXPECT_ERRNO(sys_fallocate(ro, 0, 0, 10), EBADF);
	close(ro);
	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(sys_fallocate(p[1], 0, 0, 10), ESPIPE);
	EXPECT_ERRNO(sys_fallocate(p[0], 0, 0, 10), EBADF);
	dfd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(sys_fallocate(dfd, 0, 0, 10), EBADF);
	close(dfd);
	close(fd);
}

/* ---- preadv2, pwritev2 ---------------------------------------------------------------- */

static long sys_prwv2(long nr, int fd, void *buf, size_t len, long pos, int flags)
{
	struct iovec iov = { buf, len };

	return syscall(nr, fd, &iov, 1, pos, 0L, flags);
}

TEST(files2, preadv2_pwritev2)
{
	char buf[16];
	int fd = ASSERT_OK(open("f", O_RDWR | O_CREAT, 0644));

	EXPECT_EQ(sys_prwv2(SYS_pwritev2, fd, "hello", 5, 10, 0), 5);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);		/* a position leaves f_pos */
	EXPECT_EQ(sys_prwv2(SYS_pwritev2, fd, "ab", 2, -1, 0), 2);	/* -1: f_pos */
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 2);
	EXPECT_EQ(sys_prwv2(SYS_pwritev2, fd, "Z", 1, 0, RWF_APPEND), 1);
	EXPECT_EQ(lseek(fd, 0, SEEK_END), 16);
	EXPECT_EQ(sys_prwv2(SYS_pwritev2, fd, "s", 1, 3, RWF_DSYNC | RWF_SYNC | RWF_HIPRI), 1);

	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(sys_prwv2(SYS_preadv2, fd, buf, 5, 10, RWF_HIPRI), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	lseek(fd, 0, SEEK_SET);
	EXPECT_EQ(sys_prwv2(SYS_preadv2, fd, buf, 4, -1, 0), 4);
	EXPECT_MEMEQ(buf, "ab\0s", 4);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 4);
	EXPECT_EQ(sys_prwv2(SYS_preadv2, fd, buf, 1, 15, RWF_NOWAIT), 1);
	EXPECT_EQ(buf[0], 'Z');

	EXPECT_ERRNO(sys_prwv2(SYS_preadv2, fd, buf, 4, 0, 0x10000), EOPNOTSUPP);
	EXPECT_ERRNO(sys_prwv2(SYS_pwritev2, fd, buf, 4, 0, 0x10000), EOPNOTSUPP);
	EXPECT_ERRNO(sys_prwv2(SYS_preadv2, fd, buf, 4, -2, 0), EINVAL);
	EXPECT_ERRNO(sys_prwv2(SYS_preadv2, -1, buf, 4, 0, 0), EBADF);
	EXPECT_ERRNO(sys_prwv2(SYS_preadv2, fd, unmapped_page(), 4, 0, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_preadv2, fd, unmapped_page(), 1, 0L, 0L, 0), EFAULT);
	close(fd);
}

/* ---- close_range -------------------------------------------------------------------------- */

TEST(files2, close_range_closes_and_cloexec)
{
	int base = ASSERT_OK(open("/dev/null", O_RDONLY));
	int fds[4];

	for (int i = 0; i < 4; i++)
		fds[i] = ASSERT_OK(dup(base));
	EXPECT_EQ(syscall(SYS_close_range, fds[0], fds[1], 0), 0);
	EXPECT_ERRNO(fcntl(fds[0], F_GETFD), EBADF);
	EXPECT_ERRNO(fcntl(fds[1], F_GETFD), EBADF);
	EXPECT_EQ(fcntl(fds[2], F_GETFD), 0);
	EXPECT_EQ(syscall(SYS_close_range, fds[2], ~0U, CLOSE_RANGE_CLOEXEC), 0);
	EXPECT_EQ(fcntl(fds[2], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fds[3], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(base, F_GETFD), 0);
	EXPECT_ERRNO(syscall(SYS_close_range, 5, 4, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_close_range, 0, 1, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_close_range, 0, 1, 8), EINVAL);
	EXPECT_EQ(syscall(SYS_close_range, 100000, ~0U, 0), 0);	/* nothing open there */
	EXPECT_EQ(syscall(SYS_close_range, fds[2], ~0U, 0), 0);
	EXPECT_ERRNO(fcntl(fds[3], F_GETFD), EBADF);
	EXPECT_EQ(fcntl(base, F_GETFD), 0);
	close(base);
}

/* A clone sharing our fd table closes @fd, with or without unsharing first. */
static int shared_child_close(int fd, unsigned int flags)
{
	int status;
	long pid = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0L, 0L, 0L, 0L);

	if (pid == 0)
		_exit(syscall(SYS_close_range, fd, fd, flags) == 0 ? 0 : 1);
	waitpid((pid_t)pid, &status, 0);
	return WEXITSTATUS(status);
}

TEST(files2, close_range_unshare)
{
	int fd = ASSERT_OK(open("/dev/null", O_RDONLY));

	EXPECT_EQ(shared_child_close(fd, CLOSE_RANGE_UNSHARE), 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), 0);		/* the child closed its copy */
	EXPECT_EQ(shared_child_close(fd, 0), 0);
	EXPECT_ERRNO(fcntl(fd, F_GETFD), EBADF);	/* the shared table lost it */
}

/* ---- copy_file_range --------------------------------------------------------------------- */

static long sys_cfr(int in, loff_t *oin, int out, loff_t *oout, size_t len, unsigned int flags)
{
	return syscall(SYS_copy_file_range, in, oin, out, oout, len, flags);
}

TEST(files2, copy_file_range)
{
	char buf[32] = { 0 };
	loff_t oin = 2, oout = 5;
	int in, out, ro, ap, mfd, p[2], dfd;

	write_file("in", "0123456789", 10, 0644);
	in = ASSERT_OK(open("in", O_RDWR));
	out = ASSERT_OK(open("out", O_RDWR | O_CREAT, 0644));
	/* Positions: the files' own, moved by the copy. */
	EXPECT_EQ(sys_cfr(in, NULL, out, NULL, 4, 0), 4);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 4);
	EXPECT_EQ(lseek(out, 0, SEEK_CUR), 4);
	/* Offsets given: they move, the files' positions do not. */
	EXPECT_EQ(sys_cfr(in, &oin, out, &oout, 3, 0), 3);
	EXPECT_EQ(oin, 5);
	EXPECT_EQ(oout, 8);
	EXPECT_EQ(lseek(in, 0, SEEK_CUR), 4);
	EXPECT_EQ(pread(out, buf, sizeof(buf), 0), 8);
	EXPECT_MEMEQ(buf, "0123\000234", 8);
	/* The count stops at the input's end; past it is 0. */
	oin = 8;
	EXPECT_EQ(sys_cfr(in, &oin, out, NULL, 100, 0), 2);
	oin = 50;
	EXPECT_EQ(sys_cfr(in, &oin, out, NULL, 100, 0), 0);
	/* Within one file: apart is fine, overlapping is EINVAL. */
	oin = 0, oout = 20;
	EXPECT_EQ(sys_cfr(in, &oin, in, &oout, 5, 0), 5);
	oin = 0, oout = 2;
	EXPECT_ERRNO(sys_cfr(in, &oin, in, &oout, 5, 0), EINVAL);

	EXPECT_ERRNO(sys_cfr(in, NULL, out, NULL, 1, 1), EINVAL);
	EXPECT_ERRNO(sys_cfr(-1, NULL, out, NULL, 1, 0), EBADF);
	EXPECT_ERRNO(sys_cfr(in, NULL, -1, NULL, 1, 0), EBADF);
	ro = ASSERT_OK(open("out", O_RDONLY));
	EXPECT_ERRNO(sys_cfr(in, NULL, ro, NULL, 1, 0), EBADF);
	ap = ASSERT_OK(open("out", O_WRONLY | O_APPEND));
	EXPECT_ERRNO(sys_cfr(in, NULL, ap, NULL, 1, 0), EBADF);
	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(sys_cfr(in, NULL, p[1], NULL, 1, 0), EINVAL);
	EXPECT_ERRNO(sys_cfr(p[0], NULL, out, NULL, 1, 0), EINVAL);
	dfd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO(sys_cfr(dfd, NULL, out, NULL, 1, 0), EISDIR);
	/* A memfd lives on another file system. */
	mfd = ASSERT_OK(syscall(SYS_memfd_create, "cfr", 0));
	EXPECT_ERRNO(sys_cfr(in, NULL, mfd, NULL, 1, 0), EXDEV);
	EXPECT_ERRNO(sys_cfr(in, unmapped_page(), out, NULL, 1, 0), EFAULT);
	EXPECT_ERRNO(sys_cfr(in, NULL, out, unmapped_page(), 1, 0), EFAULT);
	close(mfd);
	close(dfd);
	close(ap);
	close(ro);
	close(in);
	close(out);
}

/* ---- openat2 ------------------------------------------------------------------------------- */

struct how {
	uint64_t flags, mode, resolve;
};

static long sys_openat2(int dfd, const char *name, uint64_t flags, uint64_t resolve)
{
	struct how h = { flags, 0, resolve };

	return syscall(SYS_openat2, dfd, name, &h, sizeof(h));
}

/* openat2 and close the fd: 0 or -errno. */
static int try_openat2(int dfd, const char *name, uint64_t flags, uint64_t resolve)
{
	long fd = sys_openat2(dfd, name, flags, resolve);

	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

#define R_NO_XDEV	0x01
#define R_NO_MAGIC	0x02
#define R_NO_SYMLINKS	0x04
#define R_BENEATH	0x08
#define R_IN_ROOT	0x10

TEST(files2, openat2_checks)
{
	struct {
		struct how h;
		uint64_t extra;
	} big = { { O_RDONLY, 0, 0 }, 0 };
	int dfd, fd;

	write_file("f", "x", 1, 0644);
	dfd = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(try_openat2(dfd, "f", O_RDONLY, 0), 0);
	fd = ASSERT_OK(syscall(SYS_openat2, dfd, "f", &big, sizeof(big)));	/* zero tail */
	close(fd);
	big.extra = 1;
	EXPECT_ERRNO(syscall(SYS_openat2, dfd, "f", &big, sizeof(big)), E2BIG);
	EXPECT_ERRNO(syscall(SYS_openat2, dfd, "f", &big, 23), EINVAL);
	EXPECT_ERRNO(syscall(SYS_openat2, dfd, "f", &big, 8192), E2BIG);
	EXPECT_ERRNO(syscall(SYS_openat2, dfd, "f", unmapped_page(), 24), EFAULT);
	EXPECT_ERRNO(sys_openat2(dfd, unmapped_page(), O_RDONLY, 0), EFAULT);
	EXPECT_EQ(try_openat2(dfd, "f", 1ULL << 40, 0), -EINVAL);
	EXPECT_EQ(try_openat2(dfd, "f", 0x40000000, 0), -EINVAL);
	EXPECT_EQ(try_openat2(dfd, "f", O_RDONLY, 0x80), -EINVAL);
	EXPECT_EQ(try_openat2(dfd, "f", O_RDONLY, R_BENEATH | R_IN_ROOT), -EINVAL);
	EXPECT_EQ(try_openat2(dfd, "f", O_PATH | O_RDWR, 0), -EINVAL);
	EXPECT_EQ(try_openat2(dfd, "f", O_PATH | O_CLOEXEC | O_NOFOLLOW, 0), 0);
	{
		struct how h = { O_RDONLY, 0644, 0 };

		EXPECT_ERRNO(syscall(SYS_openat2, dfd, "f", &h, sizeof(h)), EINVAL);
		h.flags = O_CREAT | O_WRONLY;
		h.mode = 010000;
		EXPECT_ERRNO(syscall(SYS_openat2, dfd, "g", &h, sizeof(h)), EINVAL);
		h.mode = 0600;
		fd = ASSERT_OK(syscall(SYS_openat2, dfd, "g", &h, sizeof(h)));
		close(fd);
		EXPECT_EQ(access("g", F_OK), 0);
	}
	close(dfd);
}

TEST(files2, openat2_resolve)
{
	char name[64];
	int dfd, root, fdir, fd;

	ASSERT_OK(mkdir("d", 0755));
	ASSERT_OK(mkdir("d/sub", 0755));
	write_file("d/f", "x", 1, 0644);
	write_file("outside", "y", 1, 0644);
	ASSERT_OK(symlink("f", "d/lnk"));
	ASSERT_OK(symlink("/f", "d/abs"));
	ASSERT_OK(symlink("../outside", "d/up"));
	dfd = ASSERT_OK(open("d", O_RDONLY | O_DIRECTORY));

	EXPECT_EQ(try_openat2(dfd, "lnk", O_RDONLY, 0), 0);
	EXPECT_EQ(try_openat2(dfd, "lnk", O_RDONLY, R_NO_SYMLINKS), -ELOOP);
	EXPECT_EQ(try_openat2(dfd, "lnk", O_PATH | O_NOFOLLOW, R_NO_SYMLINKS), 0);
	EXPECT_EQ(try_openat2(dfd, "sub/../f", O_RDONLY, R_NO_SYMLINKS), 0);

	EXPECT_EQ(try_openat2(dfd, "sub/../f", O_RDONLY, R_BENEATH), 0);
	EXPECT_EQ(try_openat2(dfd, "lnk", O_RDONLY, R_BENEATH), 0);
	EXPECT_EQ(try_openat2(dfd, "../outside", O_RDONLY, R_BENEATH), -EXDEV);
	EXPECT_EQ(try_openat2(dfd, "up", O_RDONLY, R_BENEATH), -EXDEV);
	EXPECT_EQ(try_openat2(dfd, "abs", O_RDONLY, R_BENEATH), -EXDEV);
	EXPECT_EQ(try_openat2(dfd, "/d/f", O_RDONLY, R_BENEATH), -EXDEV);
	EXPECT_EQ(try_openat2(dfd, "up", O_RDONLY, 0), 0);

	/* IN_ROOT: "/" and ".." stay inside d. */
	EXPECT_EQ(try_openat2(dfd, "/f", O_RDONLY, R_IN_ROOT), 0);
	EXPECT_EQ(try_openat2(dfd, "../../f", O_RDONLY, R_IN_ROOT), 0);
	EXPECT_EQ(try_openat2(dfd, "abs", O_RDONLY, R_IN_ROOT), 0);
	EXPECT_EQ(try_openat2(dfd, "up", O_RDONLY, R_IN_ROOT), -ENOENT);

	/* Magic links: ELOOP with NO_MAGICLINKS, EXDEV in a scoped walk. */
	fd = ASSERT_OK(open("d/f", O_RDONLY));
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	EXPECT_EQ(try_openat2(AT_FDCWD, name, O_RDONLY, 0), 0);
	EXPECT_EQ(try_openat2(AT_FDCWD, name, O_RDONLY, R_NO_MAGIC), -ELOOP);
	fdir = ASSERT_OK(open("/proc/self/fd", O_RDONLY | O_DIRECTORY));
	snprintf(name, sizeof(name), "%d", fd);
	EXPECT_EQ(try_openat2(fdir, name, O_RDONLY, R_BENEATH), -EXDEV);

	/* NO_XDEV: /proc is another mount. */
	root = ASSERT_OK(open("/", O_RDONLY | O_DIRECTORY));
	EXPECT_EQ(try_openat2(root, "proc", O_RDONLY | O_DIRECTORY, 0), 0);
	EXPECT_EQ(try_openat2(root, "proc", O_RDONLY | O_DIRECTORY, R_NO_XDEV), -EXDEV);
	EXPECT_EQ(try_openat2(fdir, "..", O_RDONLY | O_DIRECTORY, R_NO_XDEV), 0);
	EXPECT_EQ(try_openat2(fdir, "../../..", O_RDONLY | O_DIRECTORY, R_NO_XDEV), -EXDEV);
	EXPECT_EQ(try_openat2(dfd, "f", O_RDONLY, R_NO_XDEV), 0);
	close(root);
	close(fdir);
	close(fd);
	close(dfd);
}

/* ---- execveat -------------------------------------------------------------------------------- */

extern char **environ;

/* execveat in a fork child; its exit status, or 100 + errno when execveat failed. */
static int child_execveat(int dfd, const char *name, int flags, const char *code)
{
	char *argv[] = { (char *)harness_self, HELPER_ARG, "exit", (char *)code, NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		syscall(SYS_execveat, dfd, name, argv, environ, flags);
		_exit(100 + errno);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

TEST(files2, execveat)
{
	char dir[PATH_MAX], *slash, *argv[] = { (char *)harness_self, NULL };
	int fd, pfd, dfd;

	strncpy(dir, harness_self, sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = 0;
	slash = strrchr(dir, '/');
	ASSERT_TRUE(slash != NULL);
	*slash = 0;
	fd = ASSERT_OK(open(harness_self, O_RDONLY));
	pfd = ASSERT_OK(open(harness_self, O_PATH));
	dfd = ASSERT_OK(open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY));

	EXPECT_EQ(child_execveat(fd, "", AT_EMPTY_PATH, "42"), 42);
	EXPECT_EQ(child_execveat(pfd, "", AT_EMPTY_PATH, "43"), 43);
	EXPECT_EQ(child_execveat(dfd, slash + 1, 0, "44"), 44);
	EXPECT_EQ(child_execveat(AT_FDCWD, harness_self, 0, "45"), 45);
	EXPECT_EQ(child_execveat(fd, "", 0, "1"), 100 + ENOENT);
	EXPECT_EQ(child_execveat(dfd, "", AT_EMPTY_PATH, "1"), 100 + EACCES);
	EXPECT_EQ(child_execveat(dfd, "no-such-program", 0, "1"), 100 + ENOENT);
	ASSERT_OK(symlink(harness_self, "lnk"));
	EXPECT_EQ(child_execveat(AT_FDCWD, "lnk", 0, "46"), 46);
	EXPECT_EQ(child_execveat(AT_FDCWD, "lnk", AT_SYMLINK_NOFOLLOW, "1"), 100 + ELOOP);
	EXPECT_ERRNO(syscall(SYS_execveat, AT_FDCWD, harness_self, argv, environ, 0x4000), EINVAL);
	EXPECT_ERRNO(syscall(SYS_execveat, fd, "", argv, environ, 0x4000), ENOENT);
	EXPECT_ERRNO(syscall(SYS_execveat, -1, "x", argv, environ, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_execveat, AT_FDCWD, unmapped_page(), argv, environ, 0), EFAULT);
	close(fd);
	close(pfd);
	close(dfd);
}

TEST(files2, execveat_execfn)
{
	char *argv[] = { (char *)harness_self, HELPER_ARG, "execfn", NULL };
	char buf[128] = { 0 }, want[64];
	int fd = ASSERT_OK(open(harness_self, O_RDONLY)), p[2], status;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		dup2(p[1], 1);
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
		_exit(1);
	}
	close(p[1]);
	EXPECT_GT(read(p[0], buf, sizeof(buf) - 1), 0);
	waitpid(pid, &status, 0);
	snprintf(want, sizeof(want), "/dev/fd/%d\n", fd);
	EXPECT_STREQ(buf, want);
	close(fd);
}

/* ---- inotify ------------------------------------------------------------------------------------ */

#include <poll.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

struct ev {
	int wd;
	uint32_t mask, cookie;
	char name[64];
};

/* Reads every queued event (the fd is non-blocking) into @evs; their number. */
static int read_events(int fd, struct ev *evs, int max)
{
	char buf[4096] __attribute__((aligned(8)));
	int n = 0;
	ssize_t len;

	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off < len;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);

			if (n < max) {
				evs[n].wd = e->wd;
				evs[n].mask = e->mask;
				evs[n].cookie = e->cookie;
				snprintf(evs[n].name, sizeof(evs[n].name), "%s", e->len ? e->name : "");
				if (e->len)
					EXPECT_EQ(e->len % 16, 0);
				n++;
			}
			off += sizeof(*e) + e->len;
		}
	}
	return n;
}

#define EXPECT_EV(e, m, nm)								\
	do {										\
		EXPECT_EQ((e).mask, (uint32_t)(m));					\
		EXPECT_STREQ((e).name, nm);						\
	} while (0)

TEST(files2, inotify_directory_events)
{
	struct ev e[32];
	char c;
	int in, wd, fd, n;

	ASSERT_OK(mkdir("d", 0755));
	in = ASSERT_OK(syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC));
	EXPECT_EQ(fcntl(in, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(in, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	wd = ASSERT_OK(syscall(SYS_inotify_add_watch, in, "d", IN_ALL_EVENTS));
	EXPECT_GT(wd, 0);
	EXPECT_ERRNO(read(in, e, sizeof(e)), EAGAIN);

	fd = ASSERT_OK(open("d/f", O_WRONLY | O_CREAT, 0644));
	ASSERT_EQ(write(fd, "x", 1), 1);
	close(fd);
	fd = ASSERT_OK(open("d/f", O_RDONLY));
	ASSERT_EQ(read(fd, &c, 1), 1);
	close(fd);
	ASSERT_OK(chmod("d/f", 0600));
	ASSERT_OK(rename("d/f", "d/g"));
	ASSERT_OK(mkdir("d/sub", 0755));
	ASSERT_OK(unlink("d/g"));
	ASSERT_OK(rmdir("d/sub"));

	n = read_events(in, e, 32);
	ASSERT_EQ(n, 13);
	for (int i = 0; i < n; i++)
		EXPECT_EQ(e[i].wd, wd);
	EXPECT_EV(e[0], IN_CREATE, "f");
	EXPECT_EV(e[1], IN_OPEN, "f");
	EXPECT_EV(e[2], IN_MODIFY, "f");
	EXPECT_EV(e[3], IN_CLOSE_WRITE, "f");
	EXPECT_EV(e[4], IN_OPEN, "f");
	EXPECT_EV(e[5], IN_ACCESS, "f");
	EXPECT_EV(e[6], IN_CLOSE_NOWRITE, "f");
	EXPECT_EV(e[7], IN_ATTRIB, "f");
	EXPECT_EV(e[8], IN_MOVED_FROM, "f");
	EXPECT_EV(e[9], IN_MOVED_TO, "g");
	EXPECT_NE(e[8].cookie, 0);
	EXPECT_EQ(e[8].cookie, e[9].cookie);
	EXPECT_EV(e[10], IN_CREATE | IN_ISDIR, "sub");
	EXPECT_EV(e[11], IN_DELETE, "g");
	EXPECT_EV(e[12], IN_DELETE | IN_ISDIR, "sub");

	/* The directory itself goes: IN_DELETE_SELF, then the watch ends (IN_IGNORED). */
	ASSERT_OK(rmdir("d"));
	n = read_events(in, e, 32);
	ASSERT_EQ(n, 2);
	EXPECT_EV(e[0], IN_DELETE_SELF, "");
	EXPECT_EV(e[1], IN_IGNORED, "");
	EXPECT_ERRNO(syscall(SYS_inotify_rm_watch, in, wd), EINVAL);
	close(in);
}

TEST(files2, inotify_file_watch_and_flags)
{
	struct ev e[16];
	int in, wd, wd2, fd, n;

	write_file("f", "", 0, 0644);
	in = ASSERT_OK(syscall(SYS_inotify_init1, IN_NONBLOCK));
	EXPECT_EQ(fcntl(in, F_GETFD), 0);
	wd = ASSERT_OK(syscall(SYS_inotify_add_watch, in, "f", IN_MODIFY | IN_ATTRIB));
	/* The same inode: the same wd, the mask replaced, added to, or EEXIST. */
	EXPECT_EQ(syscall(SYS_inotify_add_watch, in, "f", IN_MODIFY), wd);
	EXPECT_EQ(syscall(SYS_inotify_add_watch, in, "f", IN_ATTRIB | IN_MASK_ADD), wd);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, "f", IN_ATTRIB | IN_MASK_CREATE), EEXIST);
	fd = ASSERT_OK(open("f", O_WRONLY));
	ASSERT_EQ(write(fd, "a", 1), 1);
	ASSERT_EQ(write(fd, "b", 1), 1);	/* merged with the first */
	ASSERT_OK(fchmod(fd, 0600));
	close(fd);				/* IN_CLOSE_WRITE is not in the mask */
	n = read_events(in, e, 16);
	ASSERT_EQ(n, 2);
	EXPECT_EV(e[0], IN_MODIFY, "");
	EXPECT_EV(e[1], IN_ATTRIB, "");

	/* rm_watch: IN_IGNORED, and the wd is gone. */
	EXPECT_EQ(syscall(SYS_inotify_rm_watch, in, wd), 0);
	n = read_events(in, e, 16);
	ASSERT_EQ(n, 1);
	EXPECT_EQ(e[0].wd, wd);
	EXPECT_EV(e[0], IN_IGNORED, "");
	EXPECT_ERRNO(syscall(SYS_inotify_rm_watch, in, wd), EINVAL);

	/* IN_ONESHOT: one event, then IN_IGNORED; a new watch gets a new wd. */
	wd2 = ASSERT_OK(syscall(SYS_inotify_add_watch, in, "f", IN_MODIFY | IN_ONESHOT));
	EXPECT_NE(wd2, wd);
	fd = ASSERT_OK(open("f", O_WRONLY));
	ASSERT_EQ(write(fd, "a", 1), 1);
	ASSERT_EQ(pwrite(fd, "b", 1, 5), 1);
	close(fd);
	n = read_events(in, e, 16);
	ASSERT_EQ(n, 2);
	EXPECT_EV(e[0], IN_MODIFY, "");
	EXPECT_EV(e[1], IN_IGNORED, "");

	/* A watched file renamed and unlinked. */
	wd = ASSERT_OK(syscall(SYS_inotify_add_watch, in, "f", IN_ALL_EVENTS));
	ASSERT_OK(rename("f", "g"));
	ASSERT_OK(unlink("g"));
	n = read_events(in, e, 16);
	ASSERT_EQ(n, 4);
	EXPECT_EV(e[0], IN_MOVE_SELF, "");
	EXPECT_EV(e[1], IN_ATTRIB, "");
	EXPECT_EV(e[2], IN_DELETE_SELF, "");
	EXPECT_EV(e[3], IN_IGNORED, "");
	close(in);
}

TEST(files2, inotify_errors)
{
	int in = ASSERT_OK(syscall(SYS_inotify_init));
	int p[2];

	write_file("f", "", 0, 0644);
	EXPECT_ERRNO(syscall(SYS_inotify_init1, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, "f", 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, "f", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE),
		     EINVAL);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, -1, "f", IN_MODIFY), EBADF);
	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, p[0], "f", IN_MODIFY), EINVAL);
	EXPECT_ERRNO(syscall(SYS_inotify_rm_watch, p[0], 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_inotify_rm_watch, -1, 1), EBADF);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, "missing", IN_MODIFY), ENOENT);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, "f", IN_MODIFY | IN_ONLYDIR), ENOTDIR);
	EXPECT_ERRNO(syscall(SYS_inotify_add_watch, in, unmapped_page(), IN_MODIFY), EFAULT);
	EXPECT_ERRNO(syscall(SYS_inotify_rm_watch, in, 12345), EINVAL);
	ASSERT_OK(symlink("f", "lnk"));
	EXPECT_GT(syscall(SYS_inotify_add_watch, in, "lnk", IN_MODIFY | IN_DONT_FOLLOW), 0);
	close(in);
}

TEST(files2, inotify_read_poll_and_wait)
{
	char small[8], buf[256];
	struct pollfd pfd;
	struct epoll_event ee = { .events = EPOLLIN };
	int in, ep, avail = -1, status;
	pid_t pid;

	ASSERT_OK(mkdir("d", 0755));
	in = ASSERT_OK(syscall(SYS_inotify_init1, 0));
	ASSERT_OK(syscall(SYS_inotify_add_watch, in, "d", IN_CREATE));
	pfd = (struct pollfd){ .fd = in, .events = POLLIN };
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	ep = ASSERT_OK(epoll_create1(0));
	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, in, &ee));
	/* A blocking read waits for the event a child causes. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		usleep(100000);
		_exit(mkdir("d/longer-name", 0755) ? 1 : 0);
	}
	EXPECT_EQ(epoll_wait(ep, &ee, 1, 5000), 1);
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	EXPECT_EQ(ioctl(in, FIONREAD, &avail), 0);
	EXPECT_EQ(avail, (int)sizeof(struct inotify_event) + 16);
	EXPECT_ERRNO(read(in, small, sizeof(small)), EINVAL);
	EXPECT_ERRNO(read(in, unmapped_page(), sizeof(buf)), EFAULT);
	waitpid(pid, &status, 0);
	ASSERT_OK(mkdir("d/x", 0755));
	EXPECT_EQ(read(in, buf, sizeof(buf)), (ssize_t)sizeof(struct inotify_event) + 16);
	EXPECT_STREQ(((struct inotify_event *)buf)->name, "x");
	close(ep);
	close(in);
}

/* ---- splice, tee, vmsplice ---------------------------------------------------------------- */

#define SPL_NONBLOCK	0x02

static long sys_splice(int in, loff_t *oin, int out, loff_t *oout, size_t len, unsigned int fl)
{
	return syscall(SYS_splice, in, oin, out, oout, len, fl);
}

TEST(files2, splice_file_and_pipe)
{
	char buf[64] = { 0 };
	loff_t off = 6;
	int fd, p[2], q[2], wo, ap;

	write_file("f", "hello world", 11, 0644);
	fd = ASSERT_OK(open("f", O_RDWR));
	ASSERT_OK(pipe(p));
	ASSERT_OK(pipe(q));
	/* file -> pipe at an offset: the offset moves, the file position does not. */
	EXPECT_EQ(sys_splice(fd, &off, p[1], NULL, 5, 0), 5);
	EXPECT_EQ(off, 11);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 5);
	EXPECT_MEMEQ(buf, "world", 5);
	/* Without an offset: the file position. */
	EXPECT_EQ(sys_splice(fd, NULL, p[1], NULL, 5, SPL_NONBLOCK), 5);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 5);
	/* pipe -> pipe, then pipe -> file: what the pipe holds, not the count asked. */
	EXPECT_EQ(sys_splice(p[0], NULL, q[1], NULL, 100, 0), 5);
	off = 100;
	EXPECT_EQ(sys_splice(q[0], NULL, fd, &off, 100, 0), 5);
	EXPECT_EQ(off, 105);
	EXPECT_EQ(pread(fd, buf, 5, 100), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	/* An empty pipe: EAGAIN without waiting, or end of file without a writer. */
	EXPECT_ERRNO(sys_splice(p[0], NULL, fd, NULL, 10, SPL_NONBLOCK), EAGAIN);
	close(q[1]);
	EXPECT_EQ(sys_splice(q[0], NULL, fd, NULL, 10, 0), 0);

	/* A full pipe with SPLICE_F_NONBLOCK: EAGAIN. */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	fcntl(p[1], F_SETFL, 0);
	EXPECT_ERRNO(sys_splice(fd, NULL, p[1], NULL, 10, SPL_NONBLOCK), EAGAIN);

	EXPECT_EQ(sys_splice(fd, NULL, p[1], NULL, 0, 0x100), 0);	/* len 0 first */
	EXPECT_ERRNO(sys_splice(p[0], NULL, fd, NULL, 10, 0x100), EINVAL);
	EXPECT_ERRNO(sys_splice(fd, NULL, fd, NULL, 10, 0), EINVAL);
	EXPECT_ERRNO(sys_splice(p[0], NULL, p[1], NULL, 10, 0), EINVAL);
	off = 0;
	EXPECT_ERRNO(sys_splice(p[0], &off, fd, NULL, 10, 0), ESPIPE);
	EXPECT_ERRNO(sys_splice(fd, NULL, p[1], &off, 10, 0), ESPIPE);
	EXPECT_ERRNO(sys_splice(-1, NULL, p[1], NULL, 10, 0), EBADF);
	EXPECT_ERRNO(sys_splice(fd, NULL, -1, NULL, 10, 0), EBADF);
	wo = ASSERT_OK(open("f", O_WRONLY));
	EXPECT_ERRNO(sys_splice(wo, NULL, p[1], NULL, 10, 0), EBADF);
	ap = ASSERT_OK(open("f", O_WRONLY | O_APPEND));
	EXPECT_ERRNO(sys_splice(p[0], NULL, ap, NULL, 10, 0), EINVAL);
	EXPECT_ERRNO(sys_splice(p[0], NULL, fd, unmapped_page(), 10, 0), EFAULT);
	EXPECT_ERRNO(sys_splice(fd, unmapped_page(), p[1], NULL, 10, 0), EFAULT);
	close(wo);
	close(ap);
	close(fd);
}

TEST(files2, tee_and_vmsplice)
{
	char buf[64] = { 0 }, a[] = "ab", b[] = "cd";
	struct iovec iov[2] = { { a, 2 }, { b, 2 } }, rd = { buf, sizeof(buf) };
	int p[2], q[2], fd;

	ASSERT_OK(pipe(p));
	ASSERT_OK(pipe(q));
	ASSERT_EQ(write(p[1], "data", 4), 4);
	EXPECT_EQ(syscall(SYS_tee, p[0], q[1], 100, 0), 4);
	EXPECT_EQ(read(q[0], buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "data", 4);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 4);	/* tee consumed nothing */
	EXPECT_ERRNO(syscall(SYS_tee, p[0], q[1], 100, SPL_NONBLOCK), EAGAIN);
	EXPECT_ERRNO(syscall(SYS_tee, p[0], p[1], 100, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_tee, p[0], q[1], 100, 0x100), EINVAL);
	EXPECT_EQ(syscall(SYS_tee, p[0], q[1], 0, 0), 0);
	EXPECT_ERRNO(syscall(SYS_tee, -1, q[1], 10, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_tee, q[1], p[1], 10, 0), EBADF);	/* not readable */
	fd = ASSERT_OK(open("/dev/null", O_RDWR));
	EXPECT_ERRNO(syscall(SYS_tee, fd, q[1], 10, 0), EINVAL);

	/* vmsplice: into the write end as writev, out of the read end as readv. */
	EXPECT_EQ(syscall(SYS_vmsplice, p[1], iov, 2, 0), 4);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "abcd", 4);
	ASSERT_EQ(write(p[1], "xyz", 3), 3);
	EXPECT_EQ(syscall(SYS_vmsplice, p[0], &rd, 1, 0), 3);
	EXPECT_MEMEQ(buf, "xyz", 3);
	EXPECT_ERRNO(syscall(SYS_vmsplice, p[0], &rd, 1, SPL_NONBLOCK), EAGAIN);
	EXPECT_ERRNO(syscall(SYS_vmsplice, fd, iov, 2, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_vmsplice, p[1], iov, 2, 0x100), EINVAL);
	EXPECT_ERRNO(syscall(SYS_vmsplice, p[1], unmapped_page(), 2, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_vmsplice, -1, iov, 2, 0), EBADF);
	close(p[1]);
	EXPECT_EQ(syscall(SYS_tee, p[0], q[1], 10, 0), 0);	/* empty, no writer */
	close(fd);
}

/* ---- Linux AIO ------------------------------------------------------------------------------ */

/* linux/aio_abi.h, which musl does not ship. */
typedef unsigned long aio_context_t;
enum { IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2, IOCB_CMD_FDSYNC = 3,
       IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8 };

struct io_event {
	uint64_t data, obj;
	int64_t res, res2;
};

struct iocb {
	uint64_t aio_data;
	uint32_t aio_key, aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf, aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags, aio_resfd;
};

struct ring_hdr {
	unsigned int id, nr, head, tail, magic, compat, incompat, header_length;
	struct io_event events[];
};

static long sys_io_submit(aio_context_t ctx, long nr, struct iocb **cbs)
{
	return syscall(SYS_io_submit, ctx, nr, cbs);
}

static struct iocb make_cb(int fd, int op, void *buf, size_t len, long off, uint64_t data)
{
	return (struct iocb){ .aio_data = data, .aio_lio_opcode = (uint16_t)op,
			      .aio_fildes = (uint32_t)fd, .aio_buf = (uint64_t)(uintptr_t)buf,
			      .aio_nbytes = len, .aio_offset = off };
}

TEST(files2, aio_submit_and_reap)
{
	aio_context_t ctx = 0, bad = 1;
	struct io_event ev[8];
	struct timespec zero = { 0, 0 };
	char out[16] = { 0 }, a[4] = { 0 }, b[4] = { 0 };
	struct iovec iov[2] = { { a, 3 }, { b, 3 } };
	struct iocb w, r, v, s, *cbs[3];
	struct ring_hdr *ring;
	int fd, p[2];

	EXPECT_ERRNO(syscall(SYS_io_setup, 0, &ctx), EINVAL);
	EXPECT_ERRNO(syscall(SYS_io_setup, 8, &bad), EINVAL);
	EXPECT_ERRNO(syscall(SYS_io_setup, 8, unmapped_page()), EFAULT);
	ASSERT_EQ(syscall(SYS_io_setup, 8, &ctx), 0);
	ASSERT_NE(ctx, 0);
	ring = (struct ring_hdr *)ctx;
	EXPECT_EQ(ring->magic, 0xa10a10a1);
	EXPECT_GE(ring->nr, 8);
	EXPECT_EQ(ring->header_length, 32);
	EXPECT_EQ(ring->head, ring->tail);

	fd = ASSERT_OK(open("f", O_RDWR | O_CREAT, 0644));
	w = make_cb(fd, IOCB_CMD_PWRITE, "abcdef", 6, 10, 111);
	r = make_cb(fd, IOCB_CMD_PREAD, out, 6, 10, 222);
	cbs[0] = &w;
	cbs[1] = &r;
	EXPECT_EQ(sys_io_submit(ctx, 2, cbs), 2);
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 2, 8, ev, NULL), 2);
	EXPECT_EQ(ev[0].data, 111);
	EXPECT_EQ(ev[0].obj, (uint64_t)(uintptr_t)&w);
	EXPECT_EQ(ev[0].res, 6);
	EXPECT_EQ(ev[1].data, 222);
	EXPECT_EQ(ev[1].res, 6);
	EXPECT_MEMEQ(out, "abcdef", 6);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);	/* positional */

	/* Vectored reads, fsync; events reaped from user space by moving head. */
	v = make_cb(fd, IOCB_CMD_PREADV, iov, 2, 10, 333);
	s = make_cb(fd, IOCB_CMD_FSYNC, NULL, 0, 0, 444);
	cbs[0] = &v;
	cbs[1] = &s;
	EXPECT_EQ(sys_io_submit(ctx, 2, cbs), 2);
	EXPECT_MEMEQ(a, "abc", 3);
	EXPECT_MEMEQ(b, "def", 3);
	/* Linux runs the fsync on a worker: only the read is certainly there. */
	ASSERT_GE((ring->tail - ring->head + ring->nr) % ring->nr, 1);
	EXPECT_EQ(ring->events[ring->head].data, 333);
	EXPECT_EQ(ring->events[ring->head].res, 6);
	ring->head = (ring->head + 1) % ring->nr;
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 1, 8, ev, NULL), 1);
	EXPECT_EQ(ev[0].data, 444);
	EXPECT_EQ(ev[0].res, 0);
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 0, 8, ev, &zero), 0);

	/* A bad buffer inside user space completes with -EFAULT. */
	r = make_cb(fd, IOCB_CMD_PREAD, unmapped_page(), 6, 10, 555);
	cbs[0] = &r;
	EXPECT_EQ(sys_io_submit(ctx, 1, cbs), 1);
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 1, 1, ev, NULL), 1);
	EXPECT_EQ(ev[0].res, -EFAULT);

	/* Submission errors: the first fails the call, a later one ends the batch. */
	ASSERT_OK(pipe(p));
	w = make_cb(fd, IOCB_CMD_PWRITE, "x", 1, 0, 1);
	r = make_cb(-1, IOCB_CMD_PREAD, out, 1, 0, 2);
	cbs[0] = &w;
	cbs[1] = &r;
	EXPECT_EQ(sys_io_submit(ctx, 2, cbs), 1);
	EXPECT_ERRNO(sys_io_submit(ctx, 1, &cbs[1]), EBADF);
	s = make_cb(p[0], IOCB_CMD_FSYNC, NULL, 0, 0, 3);
	cbs[0] = &s;
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EINVAL);
	s = make_cb(fd, 99, NULL, 0, 0, 3);
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EINVAL);
	s = make_cb(fd, IOCB_CMD_PREAD, out, 1, 0, 3);
	s.aio_reserved2 = 1;
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EINVAL);
	s = make_cb(p[1], IOCB_CMD_PREAD, out, 1, 0, 3);
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EBADF);	/* write-only fd */
	cbs[0] = unmapped_page();
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EFAULT);
	EXPECT_ERRNO(sys_io_submit(ctx, 1, unmapped_page()), EFAULT);
	EXPECT_ERRNO(sys_io_submit(ctx, -1, cbs), EINVAL);
	EXPECT_ERRNO(sys_io_submit(12345, 1, cbs), EINVAL);
	EXPECT_EQ(sys_io_submit(ctx, 0, cbs), 0);
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 1, 8, ev, NULL), 1);	/* the write of "x" */

	EXPECT_ERRNO(syscall(SYS_io_getevents, ctx, 2, 1, ev, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_io_getevents, 12345, 0, 1, ev, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_io_getevents, ctx, 0, 1, ev, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_io_cancel, ctx, &w, ev), EINVAL);	/* done already */
	EXPECT_ERRNO(syscall(SYS_io_cancel, ctx, unmapped_page(), ev), EFAULT);
	close(p[0]);
	close(p[1]);
	close(fd);
	EXPECT_EQ(syscall(SYS_io_destroy, ctx), 0);
	EXPECT_ERRNO(syscall(SYS_io_destroy, ctx), EINVAL);
	EXPECT_ERRNO(sys_io_submit(ctx, 1, cbs), EINVAL);
}

TEST(files2, aio_getevents_timeout_and_pgetevents)
{
	aio_context_t ctx = 0;
	struct io_event ev[2];
	struct timespec ts = { 0, 50000000 };
	uint64_t mask = 1ULL << (SIGUSR1 - 1);
	struct {
		const void *mask;
		size_t size;
	} sig = { &mask, 8 };
	long long t0;

	ASSERT_EQ(syscall(SYS_io_setup, 4, &ctx), 0);
	t0 = now_ns();
	EXPECT_EQ(syscall(SYS_io_getevents, ctx, 1, 2, ev, &ts), 0);
	EXPECT_GE(now_ns() - t0, 40000000LL);
	EXPECT_EQ(syscall(SYS_io_pgetevents, ctx, 1, 2, ev, &ts, &sig), 0);
	EXPECT_EQ(syscall(SYS_io_pgetevents, ctx, 1, 2, ev, &ts, NULL), 0);
	sig.size = 7;
	EXPECT_ERRNO(syscall(SYS_io_pgetevents, ctx, 1, 2, ev, &ts, &sig), EINVAL);
	EXPECT_ERRNO(syscall(SYS_io_pgetevents, ctx, 1, 2, ev, &ts, unmapped_page()), EFAULT);
	EXPECT_EQ(syscall(SYS_io_destroy, ctx), 0);
}

static long read_knob(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 ? atol(buf) : -1;
}

static int write_knob(const char *path, long v)
{
	char buf[32];
	int fd = open(path, O_WRONLY), n = snprintf(buf, sizeof(buf), "%ld\n", v), ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, buf, (size_t)n) == n ? 0 : -errno;
	close(fd);
	return ok;
}

#define MAX_QUEUED "/proc/sys/fs/inotify/max_queued_events"

TEST(files2, inotify_queue_overflow)
{
	long old = read_knob(MAX_QUEUED);
	struct ev e[16];
	char name[16];
	int in, n;

	EXPECT_EQ(old, 16384);
	EXPECT_GT(read_knob("/proc/sys/fs/inotify/max_user_watches"), 0);
	if (geteuid() != 0)
		return;
	EXPECT_EQ(write_knob(MAX_QUEUED, -1), -EINVAL);
	ASSERT_EQ(write_knob(MAX_QUEUED, 4), 0);
	in = syscall(SYS_inotify_init1, IN_NONBLOCK);
	if (in < 0 || syscall(SYS_inotify_add_watch, in, ".", IN_CREATE) < 0) {
		write_knob(MAX_QUEUED, old);
		ASSERT_TRUE(0);
	}
	for (int i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		write_file(name, "", 0, 0644);
	}
	n = read_events(in, e, 16);
	write_knob(MAX_QUEUED, old);
	ASSERT_EQ(n, 5);
	EXPECT_EV(e[0], IN_CREATE, "f0");
	EXPECT_EV(e[3], IN_CREATE, "f3");
	EXPECT_EQ(e[4].wd, -1);
	EXPECT_EV(e[4], IN_Q_OVERFLOW, "");
	EXPECT_EQ(read_knob(MAX_QUEUED), old);
	close(in);
}

/*
 * /dev/zero and /dev/null take read() and write() straight to their ->read
 * and ->write (no iov_iter): the VFS checks before them stay Linux's.
 */
TEST(files2, mem_devices_read_write_checks)
{
	static char big[3 * 4096 + 5];
	char c = 'x';
	int zr = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int zw = ASSERT_OK(open("/dev/zero", O_WRONLY));
	int nr = ASSERT_OK(open("/dev/null", O_RDONLY));
	int nw = ASSERT_OK(open("/dev/null", O_WRONLY));
	int np = ASSERT_OK(open("/dev/null", O_PATH));
	char *ro = (char *)ASSERT_OK(mmap(NULL, 8192, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	/* Wrong direction or an O_PATH descriptor: EBADF, before the buffer is looked at. */
	EXPECT_ERRNO(write(zr, &c, 1), EBADF);
	EXPECT_ERRNO(read(zw, &c, 1), EBADF);
	EXPECT_ERRNO(write(nr, &c, 1), EBADF);
	EXPECT_ERRNO(read(nw, &c, 1), EBADF);
	EXPECT_ERRNO(read(np, &c, 1), EBADF);
	EXPECT_ERRNO(write(np, &c, 1), EBADF);
	/* Nothing to move: 0, the buffer untouched. */
	EXPECT_EQ(read(zr, &c, 0), 0);
	EXPECT_EQ(c, 'x');
	EXPECT_EQ(write(nw, NULL, 0), 0);
	/* Reads zero the whole buffer; /dev/null reads end of file, takes every write. */
	memset(big, 0xff, sizeof(big));
	EXPECT_EQ(read(zr, big, sizeof(big)), (ssize_t)sizeof(big));
	EXPECT_EQ(memchr(big, 0xff, sizeof(big)) == NULL, 1);
	EXPECT_EQ(read(nr, big, sizeof(big)), 0);
	EXPECT_EQ(write(nw, big, sizeof(big)), (ssize_t)sizeof(big));
	EXPECT_EQ(write(zw, big, sizeof(big)), (ssize_t)sizeof(big));
	/* Positional forms take the same path; the position does not move. */
	c = 'x';
	EXPECT_EQ(pread(zr, &c, 1, 12345), 1);
	EXPECT_EQ(c, 0);
	EXPECT_EQ(pwrite(nw, &c, 1, 99), 1);
	EXPECT_EQ(lseek(zr, 0, SEEK_CUR), 0);
	/* A buffer whose second page is read-only: EFAULT, as Linux's read_zero on a fault. */
	ASSERT_OK(mprotect(ro + 4096, 4096, PROT_READ));
	EXPECT_ERRNO(read(zr, ro + 4096, 16), EFAULT);
	munmap(ro, 8192);
	close(zr);
	close(zw);
	close(nr);
	close(nw);
	close(np);
}

/*
 * Linux checks the buffer before it looks at the count: a count of 0 with
 * a buffer in the kernel's half is EFAULT (NULL with 0 is fine), for the
 * devices with ->read/->write and for a pipe, which has neither.
 */
TEST(files2, empty_read_write_still_checks_the_buffer)
{
	void *kernel = (void *)0xffff800000000000ul;
	int zr = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int nw = ASSERT_OK(open("/dev/null", O_WRONLY));
	int p[2];

	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(read(zr, kernel, 0), EFAULT);
	EXPECT_ERRNO(write(nw, kernel, 0), EFAULT);
	EXPECT_ERRNO(pread(zr, kernel, 0, 0), EFAULT);
	EXPECT_ERRNO(read(p[0], kernel, 0), EFAULT);
	EXPECT_ERRNO(write(p[1], kernel, 0), EFAULT);
	EXPECT_EQ(read(zr, NULL, 0), 0);
	EXPECT_EQ(write(p[1], NULL, 0), 0);
	close(p[0]);
	close(p[1]);
	close(zr);
	close(nw);
}

/*
 * Linux's order of the checks of read/write/pread/pwrite/readv/preadv: a
 * negative position, then the descriptor (EBADF), then a file without
 * positions (ESPIPE), then the direction (EBADF), and the buffer (EFAULT)
 * last. A bad buffer once won over a file not open for the direction.
 */
TEST(files2, rw_errors_come_in_linux_order)
{
	void *kernel = (void *)0xffff800000000000ul;
	int rd = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int wr = ASSERT_OK(open("/dev/null", O_WRONLY));
	struct iovec bad = { .iov_base = kernel, .iov_len = 1 };
	char c;
	int p[2];

	ASSERT_OK(pipe(p));
	EXPECT_ERRNO(write(rd, kernel, 1), EBADF);
	EXPECT_ERRNO(read(wr, kernel, 1), EBADF);
	EXPECT_ERRNO(read(p[1], kernel, 1), EBADF);
	EXPECT_ERRNO(pwrite(rd, kernel, 1, 0), EBADF);
	EXPECT_ERRNO(pread(p[1], kernel, 1, 0), ESPIPE);
	EXPECT_ERRNO(pread(p[1], &c, 1, 0), ESPIPE);
	EXPECT_ERRNO(pread(-1, &c, 1, -1), EINVAL);
	EXPECT_ERRNO(pread(-1, kernel, 1, 0), EBADF);
	EXPECT_ERRNO(pread(rd, &c, 1, -1), EINVAL);
	EXPECT_ERRNO(readv(wr, (struct iovec *)kernel, 1), EBADF);
	EXPECT_ERRNO(writev(rd, &bad, 1), EBADF);
	EXPECT_ERRNO(preadv(p[0], &bad, 1, 0), ESPIPE);
	EXPECT_ERRNO(preadv(-1, &bad, 1, -1), EINVAL);
	EXPECT_ERRNO(read(rd, kernel, 1), EFAULT);
	EXPECT_ERRNO(readv(rd, &bad, 1), EFAULT);
	close(p[0]);
	close(p[1]);
	close(rd);
	close(wr);
}

static void *ppid_of_thread(void *arg)
{
	*(pid_t *)arg = getppid();
	return NULL;
}

/* getppid in any thread is the process's parent; a child sees its parent's pid. */
/* AVX usable in user mode: the CPU has it and the kernel turned its state on (XCR0). */
static bool user_avx(void)
{
	unsigned int a, b, c, d, lo, hi;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)) || !(c & (1u << 28)))	/* OSXSAVE, AVX */
		return false;
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6;
}

/*
 * One raw system call with ymm0-ymm7 loaded from @in before it and stored
 * to @out after it: one asm statement, so nothing else touches them.
 */
static long syscall_with_ymm(long nr, long a, long b, long c, const unsigned char *in,
			     unsigned char *out)
{
	long ret = nr;

	__asm__ __volatile__(".irp i, 0, 1, 2, 3, 4, 5, 6, 7\n\t"
			     "vmovdqu \\i*32(%[in]), %%ymm\\i\n\t"
			     ".endr\n\t"
			     "syscall\n\t"
			     ".irp i, 0, 1, 2, 3, 4, 5, 6, 7\n\t"
			     "vmovdqu %%ymm\\i, \\i*32(%[out])\n\t"
			     ".endr"
			     : "+a"(ret)
			     : "D"(a), "S"(b), "d"(c), [in] "r"(in), [out] "r"(out)
			     : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
			       "xmm5", "xmm6", "xmm7");
	return ret;
}

/*
 * System calls keep every register but rax, rcx and r11: the user's vector
 * registers too, across copies large enough for the kernel to move them
 * through vector registers of its own (reads and writes of 64 KiB, a file
 * and a pipe, and a read that faults part-way).
 */
TEST(files2, large_copies_keep_user_vector_registers)
{
	static unsigned char buf[65536], in[256], out[256];
	int p[2], fd;

	if (!user_avx())
		return;
	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)(i * 13 + 1);
	memset(buf, 'x', sizeof(buf));
	fd = ASSERT_OK(open("big", O_RDWR | O_CREAT | O_TRUNC, 0644));
	EXPECT_EQ(syscall_with_ymm(SYS_write, fd, (long)buf, sizeof(buf), in, out), 65536);
	EXPECT_MEMEQ(out, in, 256);
	memset(out, 0, sizeof(out));
	EXPECT_EQ(syscall_with_ymm(SYS_pread64, fd, (long)buf, sizeof(buf), in, out), 65536);
	EXPECT_MEMEQ(out, in, 256);
	ASSERT_OK(pipe(p));
	memset(out, 0, sizeof(out));
	EXPECT_EQ(syscall_with_ymm(SYS_write, p[1], (long)buf, 4096, in, out), 4096);
	EXPECT_MEMEQ(out, in, 256);
	memset(out, 0, sizeof(out));
	EXPECT_EQ(syscall_with_ymm(SYS_read, p[0], (long)buf, 4096, in, out), 4096);
	EXPECT_MEMEQ(out, in, 256);
	/* A copy that faults: the fixup path restores them as well. */
	{
		char *m = (char *)ASSERT_OK(mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

		ASSERT_OK(munmap(m + 4096, 4096));
		memset(out, 0, sizeof(out));
		EXPECT_EQ(syscall_with_ymm(SYS_pread64, fd, (long)(m + 1000), 8192, in, out),
			  4096 - 1000);
		EXPECT_MEMEQ(out, in, 256);
		munmap(m, 4096);
	}
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* Byte @i of batched_reads_*'s file: no period of a page or of a batch of pages. */
static unsigned char batch_pattern(long i)
{
	return (unsigned char)(i * 7 + i / 4093);
}

/*
 * Large reads copy the page cache in batches of pages, one run each: any
 * offset and length reads what was written, a hole in the middle reads as
 * zeros, and a read crossing batches (32 pages) is whole.
 */
TEST(files2, batched_reads_any_offset_and_length)
{
	enum { PAGES = 80, SZ = PAGES * 4096 };
	static unsigned char want[SZ], got[SZ];
	static const long offs[] = { 0, 100, 4095, 4096, 31 * 4096 + 3, 39 * 4096 + 1, SZ - 5 };
	static const long lens[] = { 1, 600, 4096, 5000, 33 * 4096 + 17, SZ };
	int fd = ASSERT_OK(open("batched", O_RDWR | O_CREAT | O_TRUNC, 0644));

	for (long i = 0; i < SZ; i++)
		want[i] = batch_pattern(i);
	memset(want + 40 * 4096, 0, 5 * 4096);	/* pages 40-44: never written */
	ASSERT_EQ(pwrite(fd, want, 40 * 4096, 0), 40 * 4096);
	ASSERT_EQ(pwrite(fd, want + 45 * 4096, SZ - 45 * 4096, 45 * 4096), SZ - 45 * 4096);
	for (unsigned int o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
		for (unsigned int l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
			long n = lens[l] < SZ - offs[o] ? lens[l] : SZ - offs[o];

			memset(got, 0xaa, (size_t)n);
			EXPECT_EQ(pread(fd, got, (size_t)lens[l], offs[o]), n);
			EXPECT_EQ(memcmp(got, want + offs[o], (size_t)n), 0);
		}
	}
	close(fd);
	unlink("batched");
}

/*
 * A read into a buffer that runs into an unmapped page returns exactly the
 * bytes before it, wherever the fault falls: in the first page of a batch
 * or a later one, in a later batch, with the buffer at an odd address (a
 * word of the copy straddles the hole), large or small.
 */
TEST(files2, batched_reads_stop_at_the_faulting_byte)
{
	enum { PAGES = 40, SZ = PAGES * 4096 };
	static unsigned char want[SZ];
	static const long offs[] = { 0, 100, 1001 };
	static const int cuts[] = { 1, 2, 5, 33 };
	int fd = ASSERT_OK(open("batched", O_RDWR | O_CREAT | O_TRUNC, 0644));

	for (long i = 0; i < SZ; i++)
		want[i] = batch_pattern(i);
	ASSERT_EQ(pwrite(fd, want, SZ, 0), SZ);
	for (unsigned int c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		size_t map = (size_t)(cuts[c] + 1) * 4096;
		unsigned char *m = (unsigned char *)ASSERT_OK(
			mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		long room = cuts[c] * 4096L - 3;	/* from m + 3 to the hole */

		ASSERT_OK(munmap(m + cuts[c] * 4096L, 4096));
		for (unsigned int o = 0; o < sizeof(offs) / sizeof(offs[0]); o++) {
			unsigned char *near = m + cuts[c] * 4096L - 197;

			/* Large (the whole rest of the file) and small (300 bytes over the hole). */
			EXPECT_EQ(pread(fd, m + 3, (size_t)(SZ - offs[o]), offs[o]), room);
			EXPECT_EQ(memcmp(m + 3, want + offs[o], (size_t)room), 0);
			EXPECT_EQ(pread(fd, near, 300, offs[o]), 197);
			EXPECT_EQ(memcmp(near, want + offs[o], 197), 0);
		}
		munmap(m, (size_t)cuts[c] * 4096);
	}
	close(fd);
	unlink("batched");
}

struct trunc_race {
	int fd, other;
	volatile int stop, rounds, err;
};

/* The file's bytes: odd, so neither zero nor the other file's 0xee. */
static unsigned char race_data[64 * 4096];

/*
 * Truncates the file to nothing, fills another file with 0xee bytes (in
 * the pages just freed, most likely: the page allocator reuses the last
 * freed first) and empties it, and writes the file whole again, until
 * told to stop; counts its rounds.
 */
static void *truncate_and_refill(void *arg)
{
	struct trunc_race *r = arg;
	static unsigned char junk[64 * 4096];

	memset(junk, 0xee, sizeof(junk));
	while (!r->stop) {
		if (ftruncate(r->fd, 0) < 0 || pwrite(r->other, junk, sizeof(junk), 0) < 0 ||
		    ftruncate(r->other, 0) < 0 ||
		    pwrite(r->fd, race_data, sizeof(race_data), 0) != sizeof(race_data)) {
			r->err = errno;
			break;
		}
		r->rounds++;
	}
	return NULL;
}

/*
 * Batched reads against truncation: the pages of a batch are referenced
 * for the copy, so a page the truncation takes out of the cache meanwhile
 * is freed only after it. Every byte read is the file's (odd) or a zero (a
 * page written again after the truncation starts zeroed), never the 0xee
 * of the other file that reuses the freed pages. A few bytes of each page
 * are checked (a reused page is 0xee all over), so the reader's time is
 * mostly the kernel's copy, where the race is.
 */
TEST(files2, batched_reads_race_truncation)
{
	static unsigned char buf[sizeof(race_data)];
	struct trunc_race r = { .stop = 0 };
	long reads = 0, nonempty = 0;
	pthread_t th;
	int bad = 0;

	for (long i = 0; i < (long)sizeof(race_data); i++)
		race_data[i] = batch_pattern(i) | 1;
	r.fd = ASSERT_OK(open("batched", O_RDWR | O_CREAT | O_TRUNC, 0644));
	r.other = ASSERT_OK(open("batched2", O_RDWR | O_CREAT | O_TRUNC, 0644));
	ASSERT_EQ(pwrite(r.fd, race_data, sizeof(race_data), 0), (ssize_t)sizeof(race_data));
	ASSERT_EQ(pthread_create(&th, NULL, truncate_and_refill, &r), 0);
	while (r.rounds < 400 && !r.err && !bad && reads < 2000000) {
		ssize_t n = pread(r.fd, buf, sizeof(buf), 0);

		reads++;
		if (n < 0 || n > (ssize_t)sizeof(buf)) {
			bad = 1;
			break;
		}
		nonempty += n > 0;
		for (ssize_t i = 0; i < n; i += 509) {
			if (buf[i] && buf[i] != race_data[i]) {
				bad = 1;
				break;
			}
		}
	}
	r.stop = 1;
	ASSERT_EQ(pthread_join(th, NULL), 0);
	EXPECT_EQ(r.err, 0);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(nonempty > 0, 1);
	close(r.fd);
	close(r.other);
	unlink("batched");
	unlink("batched2");
}

TEST(files2, getppid_threads_and_child)
{
	pthread_t th;
	pid_t got = -1, me = getpid(), pid;
	int status;

	ASSERT_EQ(pthread_create(&th, NULL, ppid_of_thread, &got), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	EXPECT_EQ(got, getppid());
	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(getppid() == me && syscall(SYS_getppid) == me ? 0 : 1);
	ASSERT_OK(waitpid(pid, &status, 0));
	EXPECT_EQ(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

/* The child's view of the fds that the test below spread over several words of the table. */
static const int spread_fds[] = { 63, 64, 127, 128, 200 };

static void check_spread_fds(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < sizeof(spread_fds) / sizeof(spread_fds[0]); i++)
		ASSERT_EQ(fcntl(spread_fds[i], F_GETFD), i == 2 ? FD_CLOEXEC : 0);
	EXPECT_ERRNO(fcntl(65, F_GETFD), EBADF);
	EXPECT_ERRNO(fcntl(199, F_GETFD), EBADF);
}

TEST(files2, fds_across_table_words_survive_fork)
{
	int fd = ASSERT_OK(open("/dev/null", O_RDONLY));

	for (unsigned int i = 0; i < sizeof(spread_fds) / sizeof(spread_fds[0]); i++)
		ASSERT_EQ(i == 2 ? dup3(fd, spread_fds[i], O_CLOEXEC) : dup2(fd, spread_fds[i]),
			  spread_fds[i]);
	EXPECT_EQ(run_child(check_spread_fds, NULL), 0);
	/* The child's exit closed its copies only. */
	check_spread_fds(NULL);
	for (unsigned int i = 0; i < sizeof(spread_fds) / sizeof(spread_fds[0]); i++)
		EXPECT_OK(close(spread_fds[i]));
	EXPECT_OK(close(fd));
}
