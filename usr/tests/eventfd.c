/*
 * eventfd tests: flags, the counter in normal and semaphore mode, the
 * 8-byte rules (EINVAL), 2^64 - 1 refused, overflow waiting (EAGAIN when
 * non-blocking, woken by a read), blocking reads woken by a write, and
 * poll/select readiness.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

TEST(eventfd, flags_and_file)
{
	struct stat st;
	int fd;

	EXPECT_ERRNO(eventfd(0, 0x4), EINVAL);
	EXPECT_ERRNO(syscall(SYS_eventfd2, 0, O_RDONLY | O_APPEND), EINVAL);
	fd = ASSERT_OK(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_mode, 0600);
	EXPECT_STREQ(fd_link(fd), "anon_inode:[eventfd]");
	/* lseek is a no-op that succeeds (Linux's noop_llseek). */
	EXPECT_EQ(lseek(fd, 100, SEEK_SET), 0);
	close(fd);
	/* The old call takes no flags. */
	fd = ASSERT_OK(syscall(SYS_eventfd, 5));
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR);
	close(fd);
}

TEST(eventfd, counter)
{
	int fd = ASSERT_OK(eventfd(7, EFD_NONBLOCK));
	uint64_t v = 0;
	char big[16];

	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 7);
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	v = 2;
	EXPECT_EQ(write(fd, &v, 8), 8);
	v = 3;
	EXPECT_EQ(write(fd, &v, 8), 8);
	/* A longer buffer is fine: 8 bytes come back. */
	EXPECT_EQ(read(fd, big, sizeof(big)), 8);
	memcpy(&v, big, 8);
	EXPECT_EQ(v, 5);
	/* Adding 0 is allowed and changes nothing. */
	v = 0;
	EXPECT_EQ(write(fd, &v, 8), 8);
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

TEST(eventfd, semaphore)
{
	int fd = ASSERT_OK(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK));
	uint64_t v;

	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(read(fd, &v, 8), 8);
		EXPECT_EQ(v, 1);
	}
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

TEST(eventfd, size_and_value_errors)
{
	int fd = ASSERT_OK(eventfd(1, EFD_NONBLOCK));
	uint64_t v = ~0ULL;

	EXPECT_ERRNO(read(fd, &v, 7), EINVAL);
	EXPECT_ERRNO(write(fd, &v, 4), EINVAL);
	EXPECT_ERRNO(write(fd, &v, 8), EINVAL);
	EXPECT_ERRNO(write(fd, (void *)8, 8), EFAULT);
	/* The largest value the counter holds is 2^64 - 2. */
	v = ~0ULL - 2;
	EXPECT_EQ(write(fd, &v, 8), 8);
	v = 1;
	EXPECT_ERRNO(write(fd, &v, 8), EAGAIN);
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, ~0ULL - 1);
	close(fd);
}

static void *read_later(void *arg)
{
	struct timespec ts = { 0, 50 * MS };
	uint64_t v;

	nanosleep(&ts, NULL);
	return (void *)(long)read(*(int *)arg, &v, 8);
}

TEST(eventfd, overflow_blocks_until_read)
{
	int fd = ASSERT_OK(eventfd(0, 0));
	uint64_t v = ~0ULL - 1;
	long long t0;
	pthread_t th;

	ASSERT_EQ(write(fd, &v, 8), 8);
	ASSERT_EQ(pthread_create(&th, NULL, read_later, &fd), 0);
	t0 = now_ns();
	v = 1;
	EXPECT_EQ(write(fd, &v, 8), 8);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	pthread_join(th, NULL);
	close(fd);
}

static void *write_later(void *arg)
{
	struct timespec ts = { 0, 50 * MS };
	uint64_t v = 9;

	nanosleep(&ts, NULL);
	return (void *)(long)write(*(int *)arg, &v, 8);
}

TEST(eventfd, read_blocks_until_write)
{
	int fd = ASSERT_OK(eventfd(0, 0));
	long long t0 = now_ns();
	uint64_t v = 0;
	pthread_t th;

	ASSERT_EQ(pthread_create(&th, NULL, write_later, &fd), 0);
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 9);
	EXPECT_GE(now_ns() - t0, 40 * MS);
	pthread_join(th, NULL);
	close(fd);
}

TEST(eventfd, poll_and_select)
{
	int fd = ASSERT_OK(eventfd(0, EFD_NONBLOCK));
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	struct timeval tv = { 0, 0 };
	uint64_t v = ~0ULL - 1;
	fd_set rd, wr;

	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLOUT);
	ASSERT_EQ(write(fd, &v, 8), 8);
	/* Full: readable, not writable. */
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	ASSERT_EQ(read(fd, &v, 8), 8);
	v = 1;
	ASSERT_EQ(write(fd, &v, 8), 8);
	EXPECT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLIN | POLLOUT);
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	FD_ZERO(&wr);
	FD_SET(fd, &wr);
	EXPECT_EQ(select(fd + 1, &rd, &wr, NULL, &tv), 2);
	close(fd);
}

static void *poll_in(void *arg)
{
	struct pollfd pfd = { .fd = *(int *)arg, .events = POLLIN };

	return (void *)(long)poll(&pfd, 1, 5000);
}

TEST(eventfd, poll_woken_by_write)
{
	int fd = ASSERT_OK(eventfd(0, 0));
	struct timespec ts = { 0, 50 * MS };
	uint64_t v = 1;
	pthread_t th;
	void *ret;

	ASSERT_EQ(pthread_create(&th, NULL, poll_in, &fd), 0);
	nanosleep(&ts, NULL);
	ASSERT_EQ(write(fd, &v, 8), 8);
	pthread_join(th, &ret);
	EXPECT_EQ((long)ret, 1);
	close(fd);
}
