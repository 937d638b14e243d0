/*
 * Hostile-input tests: bad user pointers (NULL, kernel half, just past the
 * vsyscall page, unmapped user memory), lengths that overflow, bad and
 * out-of-range fds, unknown flags, commands and syscall numbers. Each must
 * be refused with Linux's errno, and the process must carry on unharmed.
 *
 * Pointer checks use raw syscall() so libc never dereferences them first.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PAGE 4096UL
#define NBAD 4

/* Fills bad[] with pointers no syscall may dereference. */
static void bad_pointers(void *bad[NBAD])
{
	bad[0] = NULL;
	bad[1] = (void *)0xffff800000000000UL;		/* start of the kernel half */
	bad[2] = (void *)0xffffffffff601000UL;		/* the page after the vsyscall page */
	bad[3] = unmapped_page();
}

/*
 * Evaluate a call once per bad pointer p (from bad[first] on); each must
 * fail with EFAULT. Where NULL means "none" to the call, start at 1.
 */
#define FOR_EACH_BAD_FROM(first, p, call)					\
	do {									\
		void *__bad[NBAD];						\
		int __i;							\
		bad_pointers(__bad);						\
		for (__i = (first); __i < NBAD; __i++) {			\
			void *p = __bad[__i];					\
			EXPECT_ERRNO(call, EFAULT);				\
		}								\
	} while (0)
#define FOR_EACH_BAD_EFAULT(p, call) FOR_EACH_BAD_FROM(0, p, call)
#define FOR_EACH_NONNULL_BAD_EFAULT(p, call) FOR_EACH_BAD_FROM(1, p, call)

static int data_file(void)
{
	write_file("f", "some data", 9, 0644);
	return ASSERT_OK(open("f", O_RDWR));
}

TEST(badinput, read_into_bad_buffer)
{
	int zero = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int file = data_file();
	int p[2];

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "pipe", 4), 4);
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_read, zero, b, 16));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_pread64, file, b, 4, 0));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_read, p[0], b, 4));
}

TEST(badinput, write_from_bad_buffer)
{
	int file = data_file();
	int p[2];

	ASSERT_OK(pipe(p));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_write, file, b, 16));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_write, p[1], b, 16));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_pwrite64, file, b, 16, 0));
	/* Nothing was written by the failed calls. */
	EXPECT_EQ(lseek(file, 0, SEEK_END), 9);
}

TEST(badinput, read_into_readonly_page)
{
	char *ro = (char *)ASSERT_OK(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
					  -1, 0));
	int zero = ASSERT_OK(open("/dev/zero", O_RDONLY));

	EXPECT_ERRNO(syscall(SYS_read, zero, ro, 16), EFAULT);
}

TEST(badinput, huge_counts_efault)
{
	char small[16];
	int zero = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int file = data_file();

	/* The whole range is checked first: SIZE_MAX cannot be a user buffer. */
	EXPECT_ERRNO(syscall(SYS_read, zero, small, SIZE_MAX), EFAULT);
	EXPECT_ERRNO(syscall(SYS_read, file, small, SIZE_MAX), EFAULT);
	EXPECT_ERRNO(syscall(SYS_write, file, small, SIZE_MAX), EFAULT);
	EXPECT_EQ(read(zero, small, sizeof(small)), 16);
}

TEST(badinput, write_stops_at_unmapped_page)
{
	char *p = (char *)ASSERT_OK(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	int fd = ASSERT_OK(open("f", O_RDWR | O_CREAT, 0644));

	memset(p, 'w', PAGE);
	ASSERT_OK(munmap(p + PAGE, PAGE));
	/* A regular file takes what could be copied: a short write, not EFAULT. */
	EXPECT_EQ(write(fd, p, 2 * PAGE), (ssize_t)PAGE);
	EXPECT_EQ(lseek(fd, 0, SEEK_END), (off_t)PAGE);
}

/*
 * Copies that fault part-way, neither at a page nor at a 256-byte block of
 * the kernel's bulk copy: the short count must be exact, and what arrived
 * must be the data. read() and write() of a regular file return what could
 * be copied (Linux: 1000 and 40000 here).
 */
static char *buffer_with_hole(unsigned long pages, unsigned long hole)
{
	char *p = (char *)ASSERT_OK(mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	ASSERT_OK(munmap(p + hole * PAGE, PAGE));
	return p;
}

static void pattern(char *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)(i * 7 + seed + (i >> 9));
}

TEST(badinput, read_stops_mid_block_at_unmapped_page)
{
	static char data[65536];
	char *p = buffer_with_hole(16, 10);
	int fd;

	pattern(data, sizeof(data), 3);
	write_file("f", data, sizeof(data), 0644);
	fd = ASSERT_OK(open("f", O_RDONLY));
	/* One page's copy: 1000 bytes land before the hole. */
	EXPECT_EQ(pread(fd, p + 10 * PAGE - 1000, 3000, 0), 1000);
	EXPECT_MEMEQ(p + 10 * PAGE - 1000, data, 1000);
	/* Ten pages' copies, the last cut after 3136 of its 4096 bytes. */
	EXPECT_EQ(pread(fd, p + 960, sizeof(data), 0), (ssize_t)(10 * PAGE - 960));
	EXPECT_MEMEQ(p + 960, data, 10 * PAGE - 960);
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	EXPECT_EQ(read(fd, p + 960, sizeof(data)), (ssize_t)(10 * PAGE - 960));
	EXPECT_EQ(lseek(fd, 0, SEEK_CUR), (off_t)(10 * PAGE - 960));
	close(fd);
}

TEST(badinput, write_stops_mid_block_at_unmapped_page)
{
	char *p = buffer_with_hole(16, 10);
	char back[65536];
	int fd = ASSERT_OK(open("g", O_RDWR | O_CREAT | O_TRUNC, 0644));

	pattern(p, 10 * PAGE, 5);
	EXPECT_EQ(write(fd, p + 10 * PAGE - 1000, 3000), 1000);
	EXPECT_EQ(pread(fd, back, sizeof(back), 0), 1000);
	EXPECT_MEMEQ(back, p + 10 * PAGE - 1000, 1000);
	ASSERT_OK(ftruncate(fd, 0));
	EXPECT_EQ(pwrite(fd, p + 960, 65536, 0), (ssize_t)(10 * PAGE - 960));
	EXPECT_EQ(pread(fd, back, sizeof(back), 0), (ssize_t)(10 * PAGE - 960));
	EXPECT_MEMEQ(back, p + 960, 10 * PAGE - 960);
	close(fd);
}

TEST(badinput, path_pointers)
{
	struct stat st;
	char buf[16];

	FOR_EACH_BAD_EFAULT(b, syscall(SYS_open, b, O_RDONLY));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_openat, AT_FDCWD, b, O_RDONLY | O_CREAT, 0644));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_stat, b, &st));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_newfstatat, AT_FDCWD, b, &st, 0));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_mkdir, b, 0755));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_unlink, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_chdir, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_readlink, b, buf, sizeof(buf)));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_rename, b, "x"));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_access, b, F_OK));
}

TEST(badinput, path_running_into_unmapped_page)
{
	char *p = (char *)ASSERT_OK(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	ASSERT_OK(munmap(p + PAGE, PAGE));
	/* A name with no NUL before the end of the mapping. */
	memset(p, 'a', PAGE);
	EXPECT_ERRNO(syscall(SYS_open, p + PAGE - 3, O_RDONLY), EFAULT);
	EXPECT_ERRNO(syscall(SYS_mkdir, p + PAGE - 3, 0755), EFAULT);
}

/*
 * Path strings end exactly at the end of a mapping, starting at every
 * alignment: the kernel may read user strings a word at a time, and must
 * neither fault on the NUL in the page's last byte nor miss the fault when
 * the string runs on into the hole.
 */
TEST(badinput, path_ending_at_page_end)
{
	char *p = (char *)ASSERT_OK(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *end = p + PAGE;
	static const char name[] = "/dev/null";

	ASSERT_OK(munmap(end, PAGE));
	for (int slashes = 0; slashes < 17; slashes++) {
		char *s = end - 1 - slashes - (sizeof(name) - 1);

		memset(s, '/', slashes);
		memcpy(s + slashes, name, sizeof(name));
		EXPECT_OK(syscall(SYS_access, s, F_OK));
		end[-1] = 'l';
		EXPECT_ERRNO(syscall(SYS_access, s, F_OK), EFAULT);
	}
	/* PATH_MAX counts the NUL: 4095 characters resolve, 4096 are too long. */
	char *buf = malloc(PATH_MAX + 16);

	ASSERT_TRUE(buf != NULL);
	for (int shift = 0; shift < 8; shift++) {
		char *s = buf + shift;

		memset(s, '/', PATH_MAX);
		memcpy(s + PATH_MAX - 9, "dev/null", 9);
		EXPECT_OK(syscall(SYS_access, s, F_OK));
		memset(s, '/', PATH_MAX);
		memcpy(s + PATH_MAX - 8, "dev/null", 9);
		EXPECT_ERRNO(syscall(SYS_access, s, F_OK), ENAMETOOLONG);
	}
	free(buf);
}

TEST(badinput, stat_buffer_pointers)
{
	int fd = data_file();

	FOR_EACH_BAD_EFAULT(b, syscall(SYS_stat, "f", b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_fstat, fd, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_lstat, "f", b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_statx, AT_FDCWD, "f", 0, 0x7ff, b));
}

TEST(badinput, getcwd_pipe_clock_uname)
{
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getcwd, b, 4096));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_pipe, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_pipe2, b, O_CLOEXEC));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_clock_getres, CLOCK_MONOTONIC, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_uname, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_sysinfo, b));
}

TEST(badinput, failed_pipe_leaks_no_fd)
{
	int a = ASSERT_OK(open("/dev/null", O_RDONLY));
	int b = ASSERT_OK(open("/dev/null", O_RDONLY));

	close(a);
	close(b);
	/* The pipe's two files were made, then dropped when the copy failed. */
	EXPECT_ERRNO(syscall(SYS_pipe, unmapped_page()), EFAULT);
	EXPECT_EQ(open("/dev/null", O_RDONLY), a);
	EXPECT_EQ(open("/dev/null", O_RDONLY), b);
}

static pid_t fork_exit0(void)
{
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0)
		_exit(0);
	return pid;
}

TEST(badinput, wait4_bad_status)
{
	int status;
	pid_t pid;

	/* NULL status is allowed; the others fault. */
	FOR_EACH_NONNULL_BAD_EFAULT(b, (pid = fork_exit0(), syscall(SYS_wait4, pid, b, 0, NULL)));
	/* Each child was reaped before the status copy failed. */
	EXPECT_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
}

TEST(badinput, getdents64_bad_buffer)
{
	int d = ASSERT_OK(open(".", O_RDONLY | O_DIRECTORY));

	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getdents64, d, b, 4096));
}

TEST(badinput, readv_writev_bad_iov)
{
	struct iovec iov;
	char buf[8];
	int zero = ASSERT_OK(open("/dev/zero", O_RDONLY));
	int file = data_file();

	FOR_EACH_BAD_EFAULT(b, syscall(SYS_readv, zero, b, 1));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_writev, file, b, 1));
	FOR_EACH_BAD_EFAULT(b, (iov = (struct iovec){ b, 8 }, syscall(SYS_readv, zero, &iov, 1)));
	FOR_EACH_BAD_EFAULT(b, (iov = (struct iovec){ b, 8 }, syscall(SYS_writev, file, &iov, 1)));
	/* A length that is negative as ssize_t. */
	iov = (struct iovec){ buf, SIZE_MAX };
	EXPECT_ERRNO(syscall(SYS_readv, zero, &iov, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_readv, zero, &iov, -1), EINVAL);
}

TEST(badinput, signal_pointers)
{
	sigset_t set;

	sigemptyset(&set);
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_rt_sigaction, SIGUSR1, b, NULL, 8));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_rt_sigaction, SIGUSR1, NULL, b, 8));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, 8));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, b, 8));
	/* The kernel's sigset is 8 bytes; any other size is refused. */
	EXPECT_ERRNO(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &set, 16), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4), EINVAL);
}

TEST(badinput, negative_and_closed_fds)
{
	char buf[4];
	struct stat st;
	int fd = ASSERT_OK(open("/dev/null", O_RDONLY));

	close(fd);
	EXPECT_ERRNO(read(-1, buf, 1), EBADF);
	EXPECT_ERRNO(write(-5, buf, 1), EBADF);
	EXPECT_ERRNO(read(fd, buf, 1), EBADF);
	EXPECT_ERRNO(close(-1), EBADF);
	EXPECT_ERRNO(close(fd), EBADF);
	EXPECT_ERRNO(fstat(-1, &st), EBADF);
	EXPECT_ERRNO(dup(-1), EBADF);
	EXPECT_ERRNO(lseek(fd, 0, SEEK_SET), EBADF);
	EXPECT_ERRNO(fcntl(INT32_MIN, F_GETFL), EBADF);
	EXPECT_ERRNO(syscall(SYS_read, 0x7fffffff, buf, 1), EBADF);
}

TEST(badinput, fd_beyond_rlimit)
{
	struct rlimit rl;
	int lim;

	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &rl));
	lim = rl.rlim_cur;
	EXPECT_ERRNO(fcntl(lim + 10, F_GETFD), EBADF);
	EXPECT_ERRNO(read(lim, &rl, 1), EBADF);
	EXPECT_ERRNO(dup2(0, lim), EBADF);
	/* F_DUPFD with a floor at or past the limit is EINVAL, not EBADF. */
	EXPECT_ERRNO(fcntl(0, F_DUPFD, lim), EINVAL);
	EXPECT_EQ(dup2(0, lim - 1), lim - 1);
}

TEST(badinput, unknown_open_flags_ignored)
{
	int fd;

	write_file("f", "", 0, 0644);
	/* open(2) has always ignored unknown bits; only openat2 refuses them. */
	fd = ASSERT_OK(open("f", O_RDONLY | 0x10000000 | 0x40000000));
	EXPECT_EQ(fcntl(fd, F_GETFL) & (0x10000000 | 0x40000000), 0);
}

TEST(badinput, unknown_fcntl_and_ioctl)
{
	int fd = ASSERT_OK(open("/dev/null", O_RDONLY));

	EXPECT_ERRNO(fcntl(fd, 9999), EINVAL);
	EXPECT_ERRNO(fcntl(fd, -1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_ioctl, fd, 0xdeadbeefUL, 0), ENOTTY);
}

TEST(badinput, unknown_syscall_enosys)
{
	EXPECT_ERRNO(syscall(1000), ENOSYS);
	EXPECT_ERRNO(syscall(100000), ENOSYS);
	EXPECT_ERRNO(syscall(-1L), ENOSYS);
	/* A gap in the x86_64 table. */
	EXPECT_ERRNO(syscall(400), ENOSYS);
}

TEST(badinput, mmap_bad_prot_and_flags)
{
	char *p;

	/*
	 * mmap does not validate prot: Linux maps with unknown bits set and
	 * ignores them. mprotect does check them.
	 */
	p = (char *)ASSERT_OK(syscall(SYS_mmap, NULL, PAGE, PROT_READ | 0x100,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	EXPECT_EQ(p[0], 0);
	EXPECT_ERRNO(syscall(SYS_mprotect, p, PAGE, PROT_READ | 0x100), EINVAL);
	/* Both type bits make MAP_SHARED_VALIDATE, which anonymous memory refuses. */
	EXPECT_ERRNO(syscall(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS,
			     -1, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_mmap, NULL, SIZE_MAX - PAGE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	EXPECT_ERRNO(syscall(SYS_mmap, 0xffff800000000000UL, PAGE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
}

TEST(badinput, process_survives_everything)
{
	void *bad[NBAD];
	char buf[32];
	int i, zero = ASSERT_OK(open("/dev/zero", O_RDONLY));

	bad_pointers(bad);
	for (i = 0; i < NBAD; i++) {
		syscall(SYS_read, zero, bad[i], 64);
		syscall(SYS_write, 1, bad[i], 64);
		syscall(SYS_uname, bad[i]);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, bad[i]);
		syscall(SYS_open, bad[i], O_RDONLY);
		syscall(SYS_getcwd, bad[i], 64);
		syscall(SYS_execve, bad[i], bad[i], bad[i]);
	}
	syscall(1000);
	/* Still a working process: memory, fds, clocks and children. */
	EXPECT_EQ(read(zero, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	EXPECT_EQ(getppid() > 0, 1);
	EXPECT_OK(clock_gettime(CLOCK_MONOTONIC, &(struct timespec){ 0 }));
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0)
		_exit(9);
	EXPECT_EQ(waitpid(pid, &i, 0), pid);
	EXPECT_EQ(WEXITSTATUS(i), 9);
}

/* ---- sockets ---------------------------------------------------------------- */

TEST(badinput, socket_address_pointers)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(a);
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int sv[2];

	FOR_EACH_BAD_EFAULT(b, syscall(SYS_bind, s, b, sizeof(a)));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_connect, s, b, sizeof(a)));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getsockname, s, b, &len));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getsockname, s, &a, b));
	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getpeername, sv[0], b, &len));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getpeername, sv[0], &a, b));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_setsockopt, s, SOL_SOCKET, SO_PASSCRED, b, sizeof(int)));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, b, &len));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, &a, b));
}

TEST(badinput, socketpair_bad_vector_leaks_no_fd)
{
	int a = ASSERT_OK(open("/dev/null", O_RDONLY));

	close(a);
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, b));
	EXPECT_EQ(open("/dev/null", O_RDONLY), a);
}

TEST(badinput, socket_data_pointers)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	char c;
	int sv[2];

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_sendto, sv[0], b, 16, 0, NULL, 0));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_sendto, sv[0], "x", 1, 0, b, sizeof(a)));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_sendmsg, sv[0], b, 0));
	ASSERT_EQ(write(sv[0], "data", 4), 4);
	/* A failed copy consumes nothing from a stream. */
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_recvfrom, sv[1], b, 4, 0, NULL, NULL));
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_recvmsg, sv[1], b, 0));
	m.msg_iov = unmapped_page();
	EXPECT_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_recvmsg, sv[1], &m, 0), EFAULT);
	FOR_EACH_BAD_EFAULT(b, syscall(SYS_sendmmsg, sv[0], b, 1, 0));
	FOR_EACH_NONNULL_BAD_EFAULT(b, syscall(SYS_recvmmsg, sv[1], &m, 1, 0, b));
	m.msg_iov = &iov;
	m.msg_control = unmapped_page();
	m.msg_controllen = 64;
	EXPECT_ERRNO(syscall(SYS_sendmsg, sv[0], &m, 0), EFAULT);
	EXPECT_EQ(read(sv[1], &c, 1), 1);
	EXPECT_EQ(c, 'd');
}
