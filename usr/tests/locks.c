// SPDX-License-Identifier: MIT
/*
 * POSIX record locks (fcntl F_GETLK, F_SETLK, F_SETLKW), as SQLite takes
 * them: conflicts between processes, an owner's locks replacing and merging
 * with each other, release on close of any descriptor and at exit, the
 * blocking wait. Another process's view comes from a fork child, since a
 * process's own locks never conflict with each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static int setlk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl) == 0 ? 0 : -errno;
}

/* F_GETLK from another process (a child); returns what it wrote back. */
static struct flock other_getlk(int fd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	int p[2];
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (fcntl(fd, F_GETLK, &fl) != 0)
			fl.l_type = -1;
		_exit(write(p[1], &fl, sizeof(fl)) == sizeof(fl) ? 0 : 1);
	}
	close(p[1]);
	EXPECT_EQ(read(p[0], &fl, sizeof(fl)), (long)sizeof(fl));
	close(p[0]);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	return fl;
}

/* F_SETLK from another process: 0 or -errno. */
static int other_setlk(int fd, short type, off_t start, off_t len)
{
	int status;
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0)
		_exit(-setlk(fd, F_SETLK, type, start, len));
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -1000;
}

static int open_file(void)
{
	return ASSERT_OK(open("f", O_RDWR | O_CREAT | O_TRUNC, 0644));
}

TEST(locks, conflicts_between_processes)
{
	int fd = open_file();
	struct flock fl;

	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 10));
	fl = other_getlk(fd, F_RDLCK, 5, 1);
	EXPECT_EQ(fl.l_type, F_WRLCK);
	EXPECT_EQ(fl.l_start, 0);
	EXPECT_EQ(fl.l_len, 10);
	EXPECT_EQ(fl.l_pid, getpid());
	EXPECT_EQ(fl.l_whence, SEEK_SET);
	EXPECT_EQ(other_setlk(fd, F_WRLCK, 9, 1), -EAGAIN);
	EXPECT_EQ(other_setlk(fd, F_RDLCK, 0, 0), -EAGAIN);
	/* Just past the range is free. */
	EXPECT_EQ(other_getlk(fd, F_WRLCK, 10, 5).l_type, F_UNLCK);
	EXPECT_EQ(other_setlk(fd, F_WRLCK, 10, 5), 0);
	/* A read lock lets other readers in, not writers. */
	ASSERT_OK(setlk(fd, F_SETLK, F_RDLCK, 0, 10));
	EXPECT_EQ(other_setlk(fd, F_RDLCK, 0, 10), 0);
	EXPECT_EQ(other_setlk(fd, F_WRLCK, 3, 1), -EAGAIN);
	/* The owner's own locks never conflict. */
	EXPECT_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 100), 0);
}

TEST(locks, own_locks_split_and_merge)
{
	int fd = open_file();
	struct flock fl;

	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 100));
	/* A read lock in the middle splits the write lock in two. */
	ASSERT_OK(setlk(fd, F_SETLK, F_RDLCK, 20, 10));
	EXPECT_EQ(other_getlk(fd, F_RDLCK, 25, 1).l_type, F_UNLCK);
	fl = other_getlk(fd, F_RDLCK, 0, 1);
	EXPECT_EQ(fl.l_type, F_WRLCK);
	EXPECT_EQ(fl.l_len, 20);
	fl = other_getlk(fd, F_RDLCK, 50, 1);
	EXPECT_EQ(fl.l_start, 30);
	EXPECT_EQ(fl.l_len, 70);
	fl = other_getlk(fd, F_WRLCK, 25, 1);
	EXPECT_EQ(fl.l_type, F_RDLCK);
	EXPECT_EQ(fl.l_start, 20);
	EXPECT_EQ(fl.l_len, 10);
	/* Unlocking a hole, then writing it again, merges the three back into one. */
	ASSERT_OK(setlk(fd, F_SETLK, F_UNLCK, 20, 10));
	EXPECT_EQ(other_getlk(fd, F_WRLCK, 20, 10).l_type, F_UNLCK);
	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 20, 10));
	fl = other_getlk(fd, F_RDLCK, 0, 0);
	EXPECT_EQ(fl.l_start, 0);
	EXPECT_EQ(fl.l_len, 100);
	/* l_len 0 reaches any offset; a negative l_len counts back from l_start. */
	ASSERT_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 0));
	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 1000, 0));
	EXPECT_EQ(other_getlk(fd, F_RDLCK, 1L << 40, 1).l_type, F_WRLCK);
	ASSERT_OK(setlk(fd, F_SETLK, F_UNLCK, 0, 0));
	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 10, -5));
	fl = other_getlk(fd, F_RDLCK, 0, 0);
	EXPECT_EQ(fl.l_start, 5);
	EXPECT_EQ(fl.l_len, 5);
}

TEST(locks, close_of_any_descriptor_releases)
{
	int fd = open_file(), fd2;

	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 0));
	fd2 = ASSERT_OK(open("f", O_RDONLY));
	EXPECT_EQ(other_getlk(fd, F_RDLCK, 0, 0).l_type, F_WRLCK);
	/* POSIX: closing any descriptor of the file drops all the process's locks on it. */
	ASSERT_OK(close(fd2));
	EXPECT_EQ(other_getlk(fd, F_WRLCK, 0, 0).l_type, F_UNLCK);
	/* dup2 over a descriptor closes it too. */
	ASSERT_OK(setlk(fd, F_SETLK, F_WRLCK, 0, 0));
	fd2 = ASSERT_OK(open("f", O_RDONLY));
	ASSERT_OK(dup2(ASSERT_OK(open("/dev/null", O_RDONLY)), fd2));
	EXPECT_EQ(other_getlk(fd, F_WRLCK, 0, 0).l_type, F_UNLCK);
}

TEST(locks, setlkw_waits_for_release_at_exit)
{
	int fd = open_file(), p[2];
	struct timespec t0, t1;
	char c;
	pid_t pid;
	long ms;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, 0, 0) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(2);
		usleep(300 * 1000);
		_exit(0);	/* exit drops the lock */
	}
	close(p[1]);
	ASSERT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(setlk(fd, F_SETLK, F_RDLCK, 0, 1), -EAGAIN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(setlk(fd, F_SETLKW, F_WRLCK, 0, 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_GE(ms, 100);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(locks, setlkw_interrupted_by_signal)
{
	int fd = open_file(), p[2];
	struct sigaction sa = { .sa_handler = on_alarm };
	char c;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (setlk(fd, F_SETLK, F_WRLCK, 0, 0) != 0 || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(read(p[0], &c, 1), 1);
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	EXPECT_EQ(setlk(fd, F_SETLKW, F_WRLCK, 0, 0), -EINTR);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, NULL, 0), pid);
	EXPECT_EQ(setlk(fd, F_SETLK, F_WRLCK, 0, 0), 0);
}

TEST(locks, bad_requests)
{
	int fd = open_file();
	int ro = ASSERT_OK(open("f", O_RDONLY));
	int wo = ASSERT_OK(open("f", O_WRONLY));
	struct flock fl = { .l_type = F_WRLCK, .l_whence = 7 };

	EXPECT_EQ(setlk(ro, F_SETLK, F_WRLCK, 0, 0), -EBADF);
	EXPECT_EQ(setlk(wo, F_SETLK, F_RDLCK, 0, 0), -EBADF);
	EXPECT_EQ(setlk(fd, F_SETLK, 9, 0, 0), -EINVAL);
	EXPECT_EQ(setlk(fd, F_SETLK, F_WRLCK, -1, 0), -EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_SETLK, &fl), EINVAL);
	fl.l_whence = SEEK_SET;
	fl.l_type = F_UNLCK;
	EXPECT_ERRNO(fcntl(fd, F_GETLK, &fl), EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_SETLK, (struct flock *)8), EFAULT);
	/* Unlocking what is not locked is no error. */
	EXPECT_EQ(setlk(ro, F_SETLK, F_UNLCK, 0, 0), 0);
}
