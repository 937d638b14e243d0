/*
 * Pipe and readiness tests: pipe/pipe2 flags, blocking and non-blocking
 * reads and writes, EOF, EPIPE/SIGPIPE, capacity, data across fork, and
 * poll/ppoll/select/pselect6 readiness, timeouts and errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

static void make_pipe(int p[2], int flags)
{
	ASSERT_OK(pipe2(p, flags));
}

/* Write into a non-blocking pipe until it is full; returns the bytes taken. */
static long fill_pipe(int wfd)
{
	static const char chunk[1024];
	long total = 0;
	ssize_t n;

	while ((n = write(wfd, chunk, sizeof(chunk))) > 0)
		total += n;
	EXPECT_EQ(n, -1);
	EXPECT_EQ(errno, EAGAIN);
	return total;
}

static short poll_one(int fd, short events, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	ASSERT_EQ(poll(&pfd, 1, timeout), pfd.revents ? 1 : 0);
	return pfd.revents;
}

TEST(pipe, roundtrip)
{
	char buf[16];
	int p[2];

	ASSERT_OK(pipe(p));
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	/* A read returns what is there, without waiting for the full count. */
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	EXPECT_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	EXPECT_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	EXPECT_ERRNO(write(p[0], "x", 1), EBADF);
	EXPECT_ERRNO(read(p[1], buf, 1), EBADF);
}

TEST(pipe, pipe2_flags)
{
	int p[2];

	make_pipe(p, O_CLOEXEC);
	EXPECT_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	make_pipe(p, O_NONBLOCK);
	EXPECT_EQ(fcntl(p[0], F_GETFD), 0);
	EXPECT_TRUE(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(p[1], F_GETFL) & O_NONBLOCK);
	EXPECT_ERRNO(syscall(SYS_pipe2, p, O_APPEND), EINVAL);
	EXPECT_ERRNO(syscall(SYS_pipe2, p, 0x1), EINVAL);
}

TEST(pipe, nonblock_empty_read_eagain)
{
	char c;
	int p[2];

	make_pipe(p, O_NONBLOCK);
	EXPECT_ERRNO(read(p[0], &c, 1), EAGAIN);
	/* With the writer gone, an empty pipe is at EOF instead. */
	close(p[1]);
	EXPECT_EQ(read(p[0], &c, 1), 0);
}

TEST(pipe, capacity_and_full_write_eagain)
{
	long cap;
	int p[2];

	make_pipe(p, O_NONBLOCK);
	cap = fill_pipe(p[1]);
	EXPECT_GE(cap, 4096);
	EXPECT_GE(cap, 65536);
	EXPECT_EQ(fcntl(p[1], F_GETPIPE_SZ), cap);
	EXPECT_ERRNO(write(p[1], "x", 1), EAGAIN);
}

TEST(pipe, nonblock_partial_write)
{
	static char big[8192];
	char buf[100];
	long cap;
	int p[2];

	make_pipe(p, O_NONBLOCK);
	cap = fill_pipe(p[1]);
	ASSERT_EQ(read(p[0], buf, 100), 100);
	/* Below PIPE_BUF writes are atomic: 100 free bytes do not take 200. */
	EXPECT_ERRNO(write(p[1], big, 200), EAGAIN);
	/* Drain a page; a large write then takes what fits. */
	ASSERT_EQ(read(p[0], big, 4096 - 100), 4096 - 100);
	EXPECT_EQ(write(p[1], big, sizeof(big)), 4096);
	(void)cap;
}

TEST(pipe, eof_after_writer_closes)
{
	char buf[8];
	int p[2];

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "ab", 2), 2);
	close(p[1]);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 2);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
	EXPECT_EQ(read(p[0], buf, sizeof(buf)), 0);
}

/* A pipe whose read end is already closed. */
static int readerless_pipe(void)
{
	int p[2];

	ASSERT_OK(pipe(p));
	close(p[0]);
	return p[1];
}

static void on_sigpipe(int sig)
{
	(void)sig;
}

static void write_readerless(void *arg)
{
	(void)arg;
	if (write(readerless_pipe(), "x", 1) != -1)
		_exit(10);
	_exit(errno == EPIPE ? 11 : 12);
}

TEST(pipe, epipe_when_sigpipe_ignored_or_caught)
{
	signal(SIGPIPE, SIG_IGN);
	EXPECT_ERRNO(write(readerless_pipe(), "x", 1), EPIPE);
	signal(SIGPIPE, on_sigpipe);
	EXPECT_ERRNO(write(readerless_pipe(), "x", 1), EPIPE);
}

TEST(pipe, sigpipe_default_kills)
{
	int status = run_child(write_readerless, NULL);

	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGPIPE);
}

/*
 * Zero bytes never wait and never fail on a pipe (Linux: pipe_read and
 * pipe_write return 0 first): a read of 0 from an empty pipe with a writer
 * returns at once, a write of 0 without readers is no EPIPE or SIGPIPE.
 * Through read(2)/write(2) (->read/->write, no iterator) and readv/writev.
 */
static void zero_write_readerless(void *arg)
{
	struct iovec iov = { .iov_base = "x", .iov_len = 0 };
	int fd = readerless_pipe();

	(void)arg;
	if (write(fd, "x", 0) != 0 || writev(fd, &iov, 1) != 0)
		_exit(10);
	_exit(0);
}

TEST(pipe, zero_length_io_neither_waits_nor_fails)
{
	struct iovec iov = { .iov_base = NULL, .iov_len = 0 };
	int p[2];
	char c;

	ASSERT_OK(pipe(p));
	alarm(5);	/* a read that waits is a failure, not a hang */
	EXPECT_EQ(read(p[0], &c, 0), 0);
	EXPECT_EQ(readv(p[0], &iov, 1), 0);
	EXPECT_EQ(write(p[1], "ab", 2), 2);
	EXPECT_EQ(read(p[0], &c, 0), 0);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'a');
	alarm(0);
	EXPECT_EQ(run_child(zero_write_readerless, NULL), 0);
	close(p[0]);
	close(p[1]);
}

TEST(pipe, data_crosses_fork)
{
	enum { TOTAL = 256 * 1024 };
	unsigned char buf[4096];
	long got = 0, bad = 0;
	int p[2], status;
	ssize_t n, i;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		long sent = 0;

		close(p[0]);
		while (sent < TOTAL) {
			for (i = 0; i < (ssize_t)sizeof(buf); i++)
				buf[i] = (unsigned char)((sent + i) * 7);
			n = write(p[1], buf, sizeof(buf));
			if (n <= 0)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			bad += buf[i] != (unsigned char)((got + i) * 7);
		got += n;
	}
	EXPECT_EQ(got, TOTAL);
	EXPECT_EQ(bad, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

/* Fork a child that writes "w" to wfd after delay_us; returns its pid. */
static pid_t delayed_writer(int wfd, int delay_us)
{
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0) {
		usleep(delay_us);
		_exit(write(wfd, "w", 1) == 1 ? 0 : 1);
	}
	return pid;
}

TEST(pipe, blocking_read_waits_for_writer)
{
	long long t0 = now_ns();
	int p[2], status;
	char c = 0;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = delayed_writer(p[1], 50000);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'w');
	EXPECT_GE(now_ns() - t0, 40 * MS);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

/*
 * Two readers asleep on one empty pipe, then two one-byte writes far apart:
 * the first write wakes both, one takes the byte and the other must sleep
 * again and be woken by the second (a wake-up takes a sleeper off the wait
 * queue; sleeping on means queueing again).
 */
TEST(pipe, two_sleeping_readers_each_get_a_byte)
{
	struct timespec pause = { 0, 30 * 1000 * 1000 };
	int p[2], status, ok = 0;
	pid_t pid[2];

	ASSERT_OK(pipe(p));
	for (int i = 0; i < 2; i++) {
		pid[i] = ASSERT_OK(fork());
		if (pid[i] == 0) {
			char c;

			close(p[1]);
			_exit(read(p[0], &c, 1) == 1 && c == 'r' ? 0 : 1);
		}
	}
	nanosleep(&pause, NULL);
	ASSERT_EQ(write(p[1], "r", 1), 1);
	nanosleep(&pause, NULL);
	nanosleep(&pause, NULL);
	ASSERT_EQ(write(p[1], "r", 1), 1);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(waitpid(pid[i], &status, 0), pid[i]);
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	EXPECT_EQ(ok, 2);
}

/*
 * A reader asleep in read() and a poller asleep in poll() on one empty
 * pipe: one write of two bytes wakes both (the first reader sleeps in the
 * pipe's single-sleeper slot, the poller on its wait queue).
 */
TEST(pipe, one_write_wakes_a_sleeping_reader_and_a_poller)
{
	struct timespec pause = { 0, 30 * 1000 * 1000 };
	int p[2], status, ok = 0;
	pid_t pid[2];

	ASSERT_OK(pipe(p));
	pid[0] = ASSERT_OK(fork());
	if (pid[0] == 0) {
		char c;

		_exit(read(p[0], &c, 1) == 1 && c == 'a' ? 0 : 1);
	}
	nanosleep(&pause, NULL);
	pid[1] = ASSERT_OK(fork());
	if (pid[1] == 0) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long long t0 = now_ns();

		/* Woken by the write, not by the timeout (the byte left over stays readable). */
		_exit(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLIN) &&
		      now_ns() - t0 < 4000 * MS ? 0 : 2);
	}
	nanosleep(&pause, NULL);
	ASSERT_EQ(write(p[1], "ab", 2), 2);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(waitpid(pid[i], &status, 0), pid[i]);
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	EXPECT_EQ(ok, 2);
}

/* Two writers asleep on a full pipe (the slot's and the queue's) both finish once it drains. */
TEST(pipe, two_sleeping_writers_both_finish)
{
	static char buf[65536];
	int p[2], status, ok = 0;
	long cap, got = 0;
	pid_t pid[2];
	ssize_t n;

	ASSERT_OK(pipe2(p, O_NONBLOCK));
	cap = fill_pipe(p[1]);
	ASSERT_OK(fcntl(p[0], F_SETFL, 0));
	ASSERT_OK(fcntl(p[1], F_SETFL, 0));
	for (int i = 0; i < 2; i++) {
		pid[i] = ASSERT_OK(fork());
		if (pid[i] == 0)
			_exit(write(p[1], "wxyz", 4) == 4 ? 0 : 1);
	}
	usleep(50000);
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		got += n;
	EXPECT_EQ(got, cap + 8);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(waitpid(pid[i], &status, 0), pid[i]);
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	EXPECT_EQ(ok, 2);
}

/* A writer asleep on a full pipe wakes when a read makes room, and its data arrives whole. */
TEST(pipe, writer_on_full_pipe_wakes_after_read)
{
	static char buf[65536 + 100];
	int p[2], status;
	long cap, got = 0;
	ssize_t n;
	pid_t pid;

	ASSERT_OK(pipe2(p, O_NONBLOCK));
	cap = fill_pipe(p[1]);
	ASSERT_OK(fcntl(p[0], F_SETFL, 0));
	ASSERT_OK(fcntl(p[1], F_SETFL, 0));
	pid = ASSERT_OK(fork());
	if (pid == 0)
		_exit(write(p[1], "tail", 4) == 4 ? 0 : 1);
	usleep(50000);
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		got += n;
	EXPECT_EQ(got, cap + 4);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

TEST(pipe, fionread)
{
	int p[2], avail = -1;

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "12345", 5), 5);
	ASSERT_OK(ioctl(p[0], FIONREAD, &avail));
	EXPECT_EQ(avail, 5);
}

TEST(pipe, poll_in_out)
{
	int p[2];

	ASSERT_OK(pipe(p));
	EXPECT_EQ(poll_one(p[0], POLLIN, 0), 0);
	EXPECT_EQ(poll_one(p[1], POLLOUT, 0), POLLOUT);
	ASSERT_EQ(write(p[1], "x", 1), 1);
	EXPECT_EQ(poll_one(p[0], POLLIN | POLLOUT, 0), POLLIN);
}

TEST(pipe, poll_full_pipe_not_writable)
{
	int p[2];

	make_pipe(p, O_NONBLOCK);
	fill_pipe(p[1]);
	EXPECT_EQ(poll_one(p[1], POLLOUT, 0), 0);
}

TEST(pipe, poll_hup_and_err)
{
	int p[2], q[2];

	ASSERT_OK(pipe(p));
	close(p[1]);
	/* POLLHUP is reported even when not asked for. */
	EXPECT_EQ(poll_one(p[0], POLLIN, 0), POLLHUP);
	ASSERT_OK(pipe(q));
	ASSERT_EQ(write(q[1], "x", 1), 1);
	close(q[1]);
	EXPECT_EQ(poll_one(q[0], POLLIN, 0), POLLIN | POLLHUP);
	ASSERT_OK(pipe(p));
	close(p[0]);
	EXPECT_EQ(poll_one(p[1], POLLOUT, 0), POLLOUT | POLLERR);
}

TEST(pipe, poll_nval_and_negative_fd)
{
	struct pollfd pfd[2] = { { .fd = 900, .events = POLLIN }, { .fd = -1, .events = POLLIN } };

	pfd[1].revents = 0x7;
	EXPECT_EQ(poll(pfd, 2, 0), 1);
	EXPECT_EQ(pfd[0].revents, POLLNVAL);
	/* A negative fd is skipped and its revents cleared. */
	EXPECT_EQ(pfd[1].revents, 0);
}

TEST(pipe, poll_timeouts)
{
	long long t0;
	int p[2];

	ASSERT_OK(pipe(p));
	t0 = now_ns();
	EXPECT_EQ(poll_one(p[0], POLLIN, 0), 0);
	EXPECT_LT(now_ns() - t0, 500 * MS);
	t0 = now_ns();
	EXPECT_EQ(poll_one(p[0], POLLIN, 50), 0);
	EXPECT_GE(now_ns() - t0, 50 * MS);
	EXPECT_EQ(poll(NULL, 0, 20), 0);
}

TEST(pipe, poll_errors)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	struct rlimit rl;

	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_ERRNO(poll(&pfd, rl.rlim_cur + 1, 0), EINVAL);
	EXPECT_ERRNO(poll(unmapped_page(), 1, 0), EFAULT);
}

TEST(pipe, poll_wakes_on_write)
{
	int p[2], status;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = delayed_writer(p[1], 30000);
	EXPECT_EQ(poll_one(p[0], POLLIN, 5000), POLLIN);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

TEST(pipe, poll_100_fds)
{
	struct pollfd pfd[100];
	int p[2], i, ready = 0, ok = 1;

	for (i = 0; i < 50; i++) {
		ASSERT_OK(pipe(p));
		pfd[2 * i] = (struct pollfd){ .fd = p[0], .events = POLLIN };
		pfd[2 * i + 1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
		if (i % 3 == 0)
			ASSERT_EQ(write(p[1], "d", 1), 1);
	}
	EXPECT_EQ(poll(pfd, 100, 1000), 17 + 50);
	for (i = 0; i < 100; i++) {
		short want = i % 2 ? POLLOUT : (i / 2 % 3 == 0 ? POLLIN : 0);

		ready += pfd[i].revents != 0;
		ok &= pfd[i].revents == want;
	}
	EXPECT_EQ(ready, 67);
	EXPECT_TRUE(ok);
}

TEST(pipe, ppoll_timeout_and_mask)
{
	struct timespec ts = { 0, 30 * MS };
	struct pollfd pfd;
	long long t0;
	sigset_t mask;
	int p[2];

	ASSERT_OK(pipe(p));
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	sigemptyset(&mask);
	t0 = now_ns();
	EXPECT_EQ(ppoll(&pfd, 1, &ts, &mask), 0);
	EXPECT_GE(now_ns() - t0, 30 * MS);
	ASSERT_EQ(write(p[1], "x", 1), 1);
	EXPECT_EQ(ppoll(&pfd, 1, NULL, NULL), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(ppoll(&pfd, 1, &ts, NULL), EINVAL);
}

TEST(pipe, select_readiness)
{
	struct timeval tv = { 0, 0 };
	fd_set rd, wr;
	int p[2];

	ASSERT_OK(pipe(p));
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(p[1], &wr);
	EXPECT_EQ(select(p[1] + 1, &rd, &wr, NULL, &tv), 1);
	EXPECT_TRUE(!FD_ISSET(p[0], &rd));
	EXPECT_TRUE(FD_ISSET(p[1], &wr));
	ASSERT_EQ(write(p[1], "x", 1), 1);
	FD_SET(p[0], &rd);
	EXPECT_EQ(select(p[0] + 1, &rd, NULL, NULL, NULL), 1);
	EXPECT_TRUE(FD_ISSET(p[0], &rd));
}

TEST(pipe, select_timeout_updates_tv)
{
	struct timeval tv = { 0, 30000 };
	long long t0 = now_ns();
	fd_set rd;
	int p[2];

	ASSERT_OK(pipe(p));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	/* Raw call: musl's select goes through pselect6 on a copy of tv. */
	EXPECT_EQ(syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv), 0);
	EXPECT_GE(now_ns() - t0, 30 * MS);
	/* Linux writes back the time left, here none; the set is cleared. */
	EXPECT_EQ(tv.tv_sec, 0);
	EXPECT_EQ(tv.tv_usec, 0);
	EXPECT_TRUE(!FD_ISSET(p[0], &rd));
}

TEST(pipe, select_errors)
{
	struct timeval tv = { 0, 0 }, bad = { 0, -1 };
	int fd = ASSERT_OK(open("/dev/null", O_RDONLY));
	fd_set rd;

	FD_ZERO(&rd);
	EXPECT_ERRNO(syscall(SYS_select, -1, NULL, NULL, NULL, &tv), EINVAL);
	EXPECT_ERRNO(syscall(SYS_select, 0, NULL, NULL, NULL, &bad), EINVAL);
	/*
	 * A closed fd inside the fd table is EBADF. (Linux clamps nfds to the
	 * table's size, so a far larger fd number would just be ignored.)
	 */
	close(fd);
	FD_SET(fd, &rd);
	EXPECT_ERRNO(syscall(SYS_select, fd + 1, &rd, NULL, NULL, &tv), EBADF);
	EXPECT_EQ(select(0, NULL, NULL, NULL, &tv), 0);
}

/* Fds at both sides of word boundaries, and set bits past nfds (ignored, even for closed fds). */
TEST(pipe, select_across_words_and_past_nfds)
{
	static const int at[] = { 63, 64, 127, 128 };
	struct timeval tv = { 0, 0 };
	fd_set rd, wr;
	int p[2];

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "x", 1), 1);
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	for (unsigned int i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		ASSERT_OK(dup2(p[0], at[i]));
		FD_SET(at[i], &rd);
	}
	FD_SET(p[1], &wr);
	close(150);
	FD_SET(150, &rd);	/* past nfds = 129, in the same word as fd 128 */
	EXPECT_EQ(syscall(SYS_select, 129, &rd, &wr, NULL, &tv), 5);
	for (unsigned int i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		EXPECT_TRUE(FD_ISSET(at[i], &rd));
	EXPECT_TRUE(FD_ISSET(p[1], &wr));
	EXPECT_TRUE(!FD_ISSET(150, &rd));
	EXPECT_TRUE(!FD_ISSET(p[0], &rd));
	/* Inside nfds the closed fd is an error. */
	FD_SET(150, &rd);
	EXPECT_ERRNO(syscall(SYS_select, 151, &rd, NULL, NULL, &tv), EBADF);
}

TEST(pipe, pselect6_readiness_and_timeout)
{
	struct timespec ts = { 0, 20 * MS };
	long long t0;
	fd_set rd;
	int p[2];

	ASSERT_OK(pipe(p));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	t0 = now_ns();
	EXPECT_EQ(pselect(p[0] + 1, &rd, NULL, NULL, &ts, NULL), 0);
	EXPECT_GE(now_ns() - t0, 20 * MS);
	ASSERT_EQ(write(p[1], "x", 1), 1);
	FD_SET(p[0], &rd);
	/* The raw call takes a pointer to { sigset pointer, size } as sixth argument. */
	EXPECT_EQ(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL), 1);
	EXPECT_TRUE(FD_ISSET(p[0], &rd));
	ts.tv_nsec = -5;
	EXPECT_ERRNO(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL), EINVAL);
}
