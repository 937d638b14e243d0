// SPDX-License-Identifier: MIT
/*
 * /proc/PID/fdinfo tests: the common lines (pos, flags with O_CLOEXEC, ino)
 * and the lines eventfd, epoll, timerfd and signalfd add, in Linux's exact
 * formats. Every expected line is built from what a syscall reports
 * (fstat, fcntl, the values the test wrote), so the tests pass on Linux too.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "harness.h"

/* The text of /proc/self/fdinfo/@fd (or under @dir) in @buf; its length or -1 with errno. */
static ssize_t read_fdinfo_in(const char *dir, int fd, char *buf, size_t size)
{
	char path[96];
	size_t len = 0;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "%s/%d", dir, fd);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -1;
	while (len < size - 1 && (n = read(f, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(f);
	buf[len] = '\0';
	return (ssize_t)len;
}

static ssize_t read_fdinfo(int fd, char *buf, size_t size)
{
	return read_fdinfo_in("/proc/self/fdinfo", fd, buf, size);
}

/* The common head Linux prints, up to and including "ino:\t...\n". */
static void expect_head(const char *text, int fd, long long pos, unsigned int flags)
{
	char want[160];
	struct stat st;

	ASSERT_OK(fstat(fd, &st));
	snprintf(want, sizeof(want), "pos:\t%lld\nflags:\t0%o\nmnt_id:\t", pos, flags);
	EXPECT_TRUE(strncmp(text, want, strlen(want)) == 0);
	snprintf(want, sizeof(want), "\nino:\t%lu\n", (unsigned long)st.st_ino);
	EXPECT_TRUE(strstr(text, want) != NULL);
}

TEST(fdinfo, regular_file_pos_and_flags)
{
	char path[] = "/tmp/fdinfo-XXXXXX", text[1024];
	int fd = mkstemp(path), a, b, fl;

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, "0123456789", 10), 10);
	close(fd);
	a = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	ASSERT_TRUE(a >= 0);
	ASSERT_EQ(lseek(a, 7, SEEK_SET), 7);
	fl = fcntl(a, F_GETFL);
	ASSERT_TRUE(fl >= 0);
	ASSERT_TRUE(read_fdinfo(a, text, sizeof(text)) > 0);
	expect_head(text, a, 7, (unsigned int)fl | O_CLOEXEC);
	EXPECT_TRUE(strstr(text, "flags:\t0") != NULL);
	/* The open flags themselves, whatever else (O_LARGEFILE) the kernel adds. */
	{
		unsigned int shown = 0;

		ASSERT_TRUE(sscanf(strstr(text, "flags:\t"), "flags:\t%o", &shown) == 1);
		EXPECT_EQ(shown & O_ACCMODE, (unsigned int)O_RDWR);
		EXPECT_TRUE(shown & O_APPEND);
		EXPECT_TRUE(shown & O_CLOEXEC);
	}

	/* A dup without close-on-exec shares the position but not the flag. */
	b = dup(a);
	ASSERT_TRUE(b >= 0);
	ASSERT_EQ(lseek(b, 3, SEEK_SET), 3);
	ASSERT_TRUE(read_fdinfo(b, text, sizeof(text)) > 0);
	expect_head(text, b, 3, (unsigned int)fl);

	/* The same file under the thread's directory. */
	{
		char dir[64];

		snprintf(dir, sizeof(dir), "/proc/self/task/%ld/fdinfo", (long)syscall(SYS_gettid));
		ASSERT_TRUE(read_fdinfo_in(dir, b, text, sizeof(text)) > 0);
		expect_head(text, b, 3, (unsigned int)fl);
	}
	close(a);
	close(b);
	unlink(path);
}

TEST(fdinfo, closed_fd_is_enoent)
{
	char text[256];
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_TRUE(fd >= 0);
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	close(fd);
	EXPECT_ERRNO(read_fdinfo(fd, text, sizeof(text)), ENOENT);
	EXPECT_ERRNO(read_fdinfo(30000, text, sizeof(text)), ENOENT);
}

TEST(fdinfo, eventfd_count)
{
	char text[512], want[64];
	uint64_t v = 3;
	int fd = eventfd(5, EFD_NONBLOCK);

	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	expect_head(text, fd, 0, (unsigned int)fcntl(fd, F_GETFL));
	snprintf(want, sizeof(want), "eventfd-count: %16llx\n", 8ULL);
	EXPECT_TRUE(strstr(text, want) != NULL);
	EXPECT_TRUE(strstr(text, "\neventfd-id: ") != NULL);
	ASSERT_EQ(read(fd, &v, sizeof(v)), (ssize_t)sizeof(v));
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	EXPECT_TRUE(strstr(text, "eventfd-count:                0\n") != NULL);
	close(fd);
}

/* The "tfd:" line of @tfd in @text, checked up to its inode number. */
static void expect_epoll_item(const char *text, int tfd, unsigned int events, unsigned long long data)
{
	char want[160];
	struct stat st;

	ASSERT_OK(fstat(tfd, &st));
	snprintf(want, sizeof(want), "tfd: %8d events: %8x data: %16llx  pos:0 ino:%lx sdev:", tfd,
		 events, data, (unsigned long)st.st_ino);
	EXPECT_TRUE(strstr(text, want) != NULL);
}

TEST(fdinfo, epoll_items)
{
	struct epoll_event ev;
	char text[1024];
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2], efd = eventfd(0, 0), lines = 0;

	ASSERT_TRUE(ep >= 0 && efd >= 0);
	ASSERT_OK(pipe(p));
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1122334455667788ULL;
	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
	ev.data.u64 = 0xabcdefULL;
	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev));
	ASSERT_TRUE(read_fdinfo(ep, text, sizeof(text)) > 0);
	expect_head(text, ep, 0, (unsigned int)fcntl(ep, F_GETFL) | O_CLOEXEC);
	/* epoll_ctl adds EPOLLERR and EPOLLHUP to every item's events, as Linux shows. */
	expect_epoll_item(text, p[0], EPOLLIN | EPOLLERR | EPOLLHUP, 0x1122334455667788ULL);
	expect_epoll_item(text, efd, EPOLLIN | EPOLLOUT | EPOLLET | EPOLLERR | EPOLLHUP, 0xabcdefULL);
	for (const char *s = text; (s = strstr(s, "tfd: ")); s++)
		lines++;
	EXPECT_EQ(lines, 2);

	/* A removed item's line goes. */
	ASSERT_OK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	ASSERT_TRUE(read_fdinfo(ep, text, sizeof(text)) > 0);
	lines = 0;
	for (const char *s = text; (s = strstr(s, "tfd: ")); s++)
		lines++;
	EXPECT_EQ(lines, 1);
	close(ep);
	close(p[0]);
	close(p[1]);
	close(efd);
}

TEST(fdinfo, timerfd_settings)
{
	struct itimerspec its = { .it_interval = { 1, 500000000 }, .it_value = { 100, 0 } };
	unsigned long long vs = 0, vns = 0, is = 0, ins = 0, ticks = 1;
	unsigned int sflags = 9;
	char text[1024], *s;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC), clk = -1;

	ASSERT_TRUE(fd >= 0);
	ASSERT_OK(timerfd_settime(fd, 0, &its, NULL));
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	expect_head(text, fd, 0, (unsigned int)fcntl(fd, F_GETFL) | O_CLOEXEC);
	s = strstr(text, "clockid: ");
	ASSERT_TRUE(s != NULL);
	ASSERT_EQ(sscanf(s, "clockid: %d\nticks: %llu\nsettime flags: 0%o\nit_value: (%llu, %llu)\n"
			 "it_interval: (%llu, %llu)\n", &clk, &ticks, &sflags, &vs, &vns, &is, &ins), 7);
	EXPECT_EQ(clk, CLOCK_MONOTONIC);
	EXPECT_EQ(ticks, 0ULL);
	EXPECT_EQ(sflags, 0U);
	EXPECT_TRUE(vs == 99 || vs == 100);
	EXPECT_LT(vns, 1000000000ULL);
	EXPECT_EQ(is, 1ULL);
	EXPECT_EQ(ins, 500000000ULL);
	EXPECT_TRUE(strstr(text, "settime flags: 00\n") != NULL);

	/* Absolute time: the flag shows; a disarmed timer keeps its interval. */
	its.it_value.tv_sec = 0;
	ASSERT_OK(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	EXPECT_TRUE(strstr(text, "settime flags: 01\nit_value: (0, 0)\nit_interval: (1, 500000000)\n")
		    != NULL);
	close(fd);
}

TEST(fdinfo, signalfd_mask)
{
	char text[512], want[64];
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	ASSERT_TRUE(fd >= 0);
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	expect_head(text, fd, 0, (unsigned int)fcntl(fd, F_GETFL));
	snprintf(want, sizeof(want), "sigmask:\t%016llx\n",
		 (1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGTERM - 1)));
	EXPECT_TRUE(strstr(text, want) != NULL);

	/* SIGKILL and SIGSTOP cannot be taken, so the mask never shows them. */
	sigaddset(&set, SIGKILL);
	ASSERT_EQ(signalfd(fd, &set, 0), fd);
	ASSERT_TRUE(read_fdinfo(fd, text, sizeof(text)) > 0);
	EXPECT_TRUE(strstr(text, want) != NULL);
	close(fd);
}
