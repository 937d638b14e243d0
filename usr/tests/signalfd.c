/*
 * signalfd tests: errors in Linux's order, the 128-byte signalfd_siginfo,
 * reading dequeues pending signals in the mask (several per read), the
 * sender's pid/uid and a sigqueue value, updating the mask through the
 * same fd, non-blocking EAGAIN, a blocking read woken by another process's
 * kill, and poll/select readiness.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int sfd_for(int sig, int flags)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return signalfd(-1, &set, flags);
}

TEST(signalfd, errors_and_file)
{
	uint64_t mask = 1ULL << (SIGUSR1 - 1);
	struct signalfd_siginfo si;
	int fd, efd;

	EXPECT_EQ(sizeof(struct signalfd_siginfo), 128);
	EXPECT_ERRNO(syscall(SYS_signalfd4, -1, &mask, 8, 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_signalfd4, -1, &mask, 4, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_signalfd4, -1, (void *)8, 8, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_signalfd4, 999, &mask, 8, 0), EBADF);
	efd = ASSERT_OK(eventfd(0, 0));
	EXPECT_ERRNO(syscall(SYS_signalfd4, efd, &mask, 8, 0), EINVAL);
	close(efd);
	fd = ASSERT_OK(syscall(SYS_signalfd4, -1, &mask, 8, SFD_CLOEXEC | SFD_NONBLOCK));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	EXPECT_STREQ(fd_link(fd), "anon_inode:[signalfd]");
	EXPECT_ERRNO(read(fd, &si, 100), EINVAL);
	EXPECT_ERRNO(read(fd, &si, sizeof(si)), EAGAIN);
	/* The old call: no flags. */
	efd = ASSERT_OK(syscall(SYS_signalfd, -1, &mask, 8));
	EXPECT_EQ(fcntl(efd, F_GETFL), O_RDWR);
	close(efd);
	close(fd);
}

TEST(signalfd, read_dequeues)
{
	int fd = ASSERT_OK(sfd_for(SIGUSR1, SFD_NONBLOCK));
	struct signalfd_siginfo si[3];
	sigset_t pending;

	block(SIGUSR1);
	ASSERT_OK(kill(getpid(), SIGUSR1));
	ASSERT_EQ(read(fd, si, sizeof(si)), sizeof(si[0]));
	EXPECT_EQ(si[0].ssi_signo, SIGUSR1);
	EXPECT_EQ(si[0].ssi_code, SI_USER);
	EXPECT_EQ(si[0].ssi_pid, getpid());
	EXPECT_EQ(si[0].ssi_uid, getuid());
	sigpending(&pending);
	EXPECT_EQ(sigismember(&pending, SIGUSR1), 0);
	EXPECT_ERRNO(read(fd, si, sizeof(si)), EAGAIN);
	close(fd);
}

TEST(signalfd, several_per_read_and_values)
{
	uint64_t mask = (1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGUSR2 - 1)) | (1ULL << (SIGRTMIN - 1));
	int fd = ASSERT_OK(syscall(SYS_signalfd4, -1, &mask, 8, SFD_NONBLOCK));
	struct signalfd_siginfo si[4];
	union sigval val = { .sival_int = 4242 };

	block(SIGUSR1);
	block(SIGUSR2);
	block(SIGRTMIN);
	ASSERT_OK(kill(getpid(), SIGUSR2));
	ASSERT_OK(kill(getpid(), SIGUSR1));
	ASSERT_OK(sigqueue(getpid(), SIGRTMIN, val));
	/* Lowest number first; the read takes as many as fit. */
	ASSERT_EQ(read(fd, si, sizeof(si)), 3 * sizeof(si[0]));
	EXPECT_EQ(si[0].ssi_signo, SIGUSR1);
	EXPECT_EQ(si[1].ssi_signo, SIGUSR2);
	EXPECT_EQ(si[2].ssi_signo, SIGRTMIN);
	EXPECT_EQ(si[2].ssi_code, SI_QUEUE);
	EXPECT_EQ(si[2].ssi_int, 4242);
	EXPECT_EQ(si[2].ssi_pid, getpid());
	close(fd);
}

TEST(signalfd, mask_update_through_fd)
{
	int fd = ASSERT_OK(sfd_for(SIGUSR1, SFD_NONBLOCK));
	struct signalfd_siginfo si;
	sigset_t set;

	block(SIGUSR1);
	block(SIGUSR2);
	ASSERT_OK(kill(getpid(), SIGUSR1));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGKILL);	/* silently dropped */
	EXPECT_EQ(signalfd(fd, &set, 0), fd);
	EXPECT_ERRNO(read(fd, &si, sizeof(si)), EAGAIN);
	ASSERT_OK(kill(getpid(), SIGUSR2));
	ASSERT_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	EXPECT_EQ(si.ssi_signo, SIGUSR2);
	close(fd);
}

/* A child that sends @sig to us after 50 ms; its pid. */
static pid_t kill_me_later(int sig)
{
	pid_t parent = getpid(), child = fork();

	if (!child) {
		struct timespec ts = { 0, 50 * MS };

		nanosleep(&ts, NULL);
		kill(parent, sig);
		_exit(0);
	}
	return child;
}

TEST(signalfd, blocking_read_woken_by_kill)
{
	int fd = ASSERT_OK(sfd_for(SIGUSR1, 0));
	struct signalfd_siginfo si;
	long long t0 = now_ns();
	pid_t child;
	int status;

	block(SIGUSR1);
	child = ASSERT_OK(kill_me_later(SIGUSR1));
	ASSERT_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	EXPECT_EQ(si.ssi_signo, SIGUSR1);
	EXPECT_EQ(si.ssi_pid, child);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	waitpid(child, &status, 0);
	close(fd);
}

TEST(signalfd, poll_and_select)
{
	int fd = ASSERT_OK(sfd_for(SIGUSR1, SFD_NONBLOCK));
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	struct timeval tv = { 0, 0 };
	struct signalfd_siginfo si;
	fd_set rd;

	block(SIGUSR1);
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_OK(kill(getpid(), SIGUSR1));
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	EXPECT_EQ(select(fd + 1, &rd, NULL, NULL, &tv), 1);
	ASSERT_EQ(read(fd, &si, sizeof(si)), sizeof(si));
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	close(fd);
}

TEST(signalfd, poll_woken_by_kill)
{
	int fd = ASSERT_OK(sfd_for(SIGUSR2, SFD_NONBLOCK));
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	pid_t child;
	int status;

	block(SIGUSR2);
	child = ASSERT_OK(kill_me_later(SIGUSR2));
	EXPECT_EQ(poll(&pfd, 1, 5000), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	waitpid(child, &status, 0);
	close(fd);
}
