/*
 * timerfd tests: create and settime errors, one-shot and periodic timers
 * read as expiration counts, relative and absolute (monotonic, realtime)
 * deadlines, gettime and the old value, disarming, non-blocking EAGAIN,
 * and poll/select readiness.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static struct itimerspec its_ms(long value_ms, long interval_ms)
{
	struct itimerspec its = {
		.it_value = { value_ms / 1000, (value_ms % 1000) * MS },
		.it_interval = { interval_ms / 1000, (interval_ms % 1000) * MS },
	};
	return its;
}

TEST(timerfd, create_errors)
{
	int fd;

	EXPECT_ERRNO(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	EXPECT_ERRNO(timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
	EXPECT_ERRNO(timerfd_create(42, 0), EINVAL);
	EXPECT_ERRNO(timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
	fd = ASSERT_OK(timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK));
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fcntl(fd, F_GETFL), O_RDWR | O_NONBLOCK);
	EXPECT_STREQ(fd_link(fd), "anon_inode:[timerfd]");
	close(fd);
	fd = ASSERT_OK(timerfd_create(CLOCK_REALTIME, 0));
	close(fd);
}

TEST(timerfd, settime_errors)
{
	int fd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	int efd = ASSERT_OK(eventfd(0, 0));
	struct itimerspec its = its_ms(10, 0), cur;
	uint64_t v;

	EXPECT_ERRNO(timerfd_settime(fd, 4, &its, NULL), EINVAL);
	EXPECT_ERRNO(timerfd_settime(fd, 0, NULL, NULL), EFAULT);
	EXPECT_ERRNO(timerfd_settime(-1, 0, &its, NULL), EBADF);
	EXPECT_ERRNO(timerfd_settime(efd, 0, &its, NULL), EINVAL);
	EXPECT_ERRNO(timerfd_gettime(efd, &cur), EINVAL);
	EXPECT_ERRNO(timerfd_gettime(-1, &cur), EBADF);
	EXPECT_ERRNO(timerfd_gettime(fd, NULL), EFAULT);
	its.it_value.tv_nsec = 1000000000;
	EXPECT_ERRNO(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = its_ms(10, 0);
	its.it_interval.tv_nsec = -1;
	EXPECT_ERRNO(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	its = its_ms(10, 0);
	its.it_value.tv_sec = -1;
	EXPECT_ERRNO(timerfd_settime(fd, 0, &its, NULL), EINVAL);
	/* Unarmed: nothing to read. */
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	EXPECT_ERRNO(read(fd, &v, 4), EINVAL);
	close(efd);
	close(fd);
}

TEST(timerfd, one_shot_blocking_read)
{
	int fd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, 0));
	struct itimerspec its = its_ms(30, 0), cur;
	long long t0 = now_ns();
	uint64_t v = 0;

	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	ASSERT_OK(timerfd_gettime(fd, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 30 * MS);
	EXPECT_EQ(ts_ns(&cur.it_interval), 0);
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 1);
	EXPECT_GE(now_ns() - t0, 25 * MS);
	/* Expired one-shot: disarmed. */
	ASSERT_OK(timerfd_gettime(fd, &cur));
	EXPECT_EQ(ts_ns(&cur.it_value), 0);
	close(fd);
}

TEST(timerfd, periodic_counts_expirations)
{
	int fd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct itimerspec its = its_ms(20, 20), cur, old;
	struct timespec ts = { 0, 110 * MS };
	long long t0 = now_ns();
	uint64_t v = 0;

	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	nanosleep(&ts, NULL);
	ASSERT_EQ(read(fd, &v, 8), 8);
	/* Every period that passed, however late the read: at most one per 20 ms. */
	EXPECT_GE(v, 4);
	EXPECT_LE(v, (now_ns() - t0) / (20 * MS) + 1);
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	ASSERT_OK(timerfd_gettime(fd, &cur));
	EXPECT_EQ(ts_ns(&cur.it_interval), 20 * MS);
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 20 * MS);
	/* Disarming returns the old setting; the interval set is kept. */
	its = its_ms(0, 50);
	ASSERT_OK(timerfd_settime(fd, 0, &its, &old));
	EXPECT_EQ(ts_ns(&old.it_interval), 20 * MS);
	EXPECT_GT(ts_ns(&old.it_value), 0);
	ASSERT_OK(timerfd_gettime(fd, &cur));
	EXPECT_EQ(ts_ns(&cur.it_value), 0);
	EXPECT_EQ(ts_ns(&cur.it_interval), 50 * MS);
	nanosleep(&ts, NULL);
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

TEST(timerfd, settime_resets_count)
{
	int fd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct itimerspec its = its_ms(5, 0);
	struct timespec ts = { 0, 30 * MS };
	uint64_t v;

	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	nanosleep(&ts, NULL);
	its = its_ms(10000, 0);
	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	EXPECT_ERRNO(read(fd, &v, 8), EAGAIN);
	close(fd);
}

static void abstime_case(int clock)
{
	int fd = ASSERT_OK(timerfd_create(clock, 0));
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	struct timespec now;
	long long t0 = now_ns(), at;
	uint64_t v;

	clock_gettime(clock, &now);
	at = ts_ns(&now) + 40 * MS;
	its.it_value.tv_sec = at / 1000000000LL;
	its.it_value.tv_nsec = at % 1000000000LL;
	ASSERT_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 1);
	EXPECT_GE(now_ns() - t0, 30 * MS);
	EXPECT_LT(now_ns() - t0, 1000 * MS);
	/* A deadline in the past fires at once. */
	its.it_value.tv_sec = 1;
	its.it_value.tv_nsec = 0;
	ASSERT_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(v, 1);
	close(fd);
}

TEST(timerfd, absolute_monotonic)
{
	abstime_case(CLOCK_MONOTONIC);
}

TEST(timerfd, absolute_realtime)
{
	abstime_case(CLOCK_REALTIME);
}

TEST(timerfd, poll_and_select)
{
	int fd = ASSERT_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	struct itimerspec its = its_ms(30, 0);
	struct timeval tv = { 2, 0 };
	uint64_t v;
	fd_set rd;

	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	EXPECT_EQ(poll(&pfd, 1, 2000), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	ASSERT_EQ(read(fd, &v, 8), 8);
	EXPECT_EQ(poll(&pfd, 1, 0), 0);
	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	FD_ZERO(&rd);
	FD_SET(fd, &rd);
	EXPECT_EQ(select(fd + 1, &rd, NULL, NULL, &tv), 1);
	close(fd);
}
