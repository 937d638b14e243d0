/*
 * syslog(2) (klogctl): the log read whole (READ_ALL) and consumed (READ),
 * CLEAR, the sizes, argument errors and EFAULT, and the privilege rules:
 * with kernel.dmesg_restrict 0 anyone may READ_ALL and SIZE_BUFFER, every
 * other action needs CAP_SYSLOG. Messages are logged through /dev/kmsg.
 * Checks that would change the host's console level or consume its log
 * for its syslog daemon run only on Exo-OS.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

static long ksyslog(int type, void *buf, long len)
{
	return syscall(SYS_syslog, type, buf, len);
}

static void kmsg_log(const char *text)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
}

/* The whole log as READ_ALL gives it, NUL-terminated; free() it. */
static char *read_all(long *n)
{
	long size = ksyslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf;

	ASSERT_GE(size, 4096);
	buf = calloc(1, size + 1);
	ASSERT_TRUE(buf != NULL);
	*n = ksyslog(SYSLOG_ACTION_READ_ALL, buf, size);
	ASSERT_GE(*n, 0);
	return buf;
}

static int dmesg_restricted(void)
{
	char c = '0';
	int fd = open("/proc/sys/kernel/dmesg_restrict", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c == '1';
}

TEST(syslog, read_all_sees_new_message)
{
	char marker[64];
	long n;
	char *log;

	/* Linux makes a record readable once its line is ended. */
	snprintf(marker, sizeof(marker), "exotest-syslog-%d-%lld\n", getpid(), now_ns());
	kmsg_log(marker);
	log = read_all(&n);
	EXPECT_TRUE(strstr(log, marker) != NULL);
	EXPECT_EQ(log[n - 1], '\n');
	free(log);
	/* A short buffer gets the newest bytes. */
	{
		char small[256];

		n = ksyslog(SYSLOG_ACTION_READ_ALL, small, sizeof(small) - 1);
		ASSERT_GE(n, 1);
		EXPECT_LE(n, (long)sizeof(small) - 1);
		small[n] = '\0';
		EXPECT_TRUE(strstr(small, marker) != NULL);
	}
}

TEST(syslog, errors)
{
	char buf[64];

	EXPECT_ERRNO(ksyslog(99, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(ksyslog(-1, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ_ALL, NULL, 10), EINVAL);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ_ALL, buf, -1), EINVAL);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ, NULL, 10), EINVAL);
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_READ_ALL, buf, 0), 0);
	kmsg_log("exotest-syslog-efault\n");
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ_ALL, unmapped_page(), 64), EFAULT);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0), EINVAL);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9), EINVAL);
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_OPEN, NULL, 0), 0);
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_CLOSE, NULL, 0), 0);
	EXPECT_GE(ksyslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 0);
	/* glibc/musl's klogctl is the same call. */
	EXPECT_EQ(klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), ksyslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0));
}

static void unprivileged(void *arg)
{
	int restricted = *(int *)arg;
	char buf[128];

	if (setuid(65534))
		_exit(2);
	if (restricted) {
		EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf)), EPERM);
		EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), EPERM);
	} else {
		EXPECT_GE(ksyslog(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf)), 0);
		EXPECT_GE(ksyslog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0), 4096);
	}
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ, buf, sizeof(buf)), EPERM);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_READ_CLEAR, buf, sizeof(buf)), EPERM);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_CLEAR, NULL, 0), EPERM);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), EPERM);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 5), EPERM);
	EXPECT_ERRNO(ksyslog(SYSLOG_ACTION_OPEN, NULL, 0), EPERM);
	/* The privilege check comes before the argument checks. */
	EXPECT_ERRNO(ksyslog(99, NULL, 0), EPERM);
}

TEST(syslog, unprivileged)
{
	int restricted = dmesg_restricted();
	int st = run_child(unprivileged, &restricted);

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(syslog, read_consumes_and_clear)
{
	char marker[64], buf[65536];
	long n, unread;
	char *log;

	if (!running_on_exo())
		return;	/* would take messages from the host's syslog daemon */
	/* Drain what is unread, then one new message is all READ returns. */
	while (ksyslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) > 0)
		ASSERT_GE(ksyslog(SYSLOG_ACTION_READ, buf, sizeof(buf)), 1);
	snprintf(marker, sizeof(marker), "exotest-read-%d\n", getpid());
	kmsg_log(marker);
	unread = ksyslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0);
	EXPECT_GT(unread, (long)strlen(marker));
	n = ksyslog(SYSLOG_ACTION_READ, buf, sizeof(buf) - 1);
	EXPECT_EQ(n, unread);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_TRUE(strstr(buf, marker) != NULL);
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 0);
	/* CLEAR: READ_ALL starts after it. */
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_CLEAR, NULL, 0), 0);
	log = read_all(&n);
	EXPECT_TRUE(strstr(log, marker) == NULL);
	free(log);
	kmsg_log("exotest-after-clear\n");
	n = ksyslog(SYSLOG_ACTION_READ_CLEAR, buf, sizeof(buf) - 1);
	ASSERT_GE(n, 1);
	buf[n] = '\0';
	EXPECT_TRUE(strstr(buf, "exotest-after-clear") != NULL);
	log = read_all(&n);
	EXPECT_EQ(n, 0);
	free(log);
	/* Console off and back on (which restores the level it had). */
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_CONSOLE_OFF, NULL, 0), 0);
	EXPECT_EQ(ksyslog(SYSLOG_ACTION_CONSOLE_ON, NULL, 0), 0);
}

/* One /dev/kmsg record, NUL-terminated in @buf: its length, or -1 with errno. */
static long kmsg_record(int fd, char *buf, size_t size, unsigned long long *seq, char **text)
{
	long n = read(fd, buf, size - 1);
	unsigned int prio;
	unsigned long long usec;
	int off = 0;

	if (n <= 0)
		return n;
	buf[n] = '\0';
	EXPECT_EQ(buf[n - 1], '\n');
	EXPECT_EQ(sscanf(buf, "%u,%llu,%llu,%*[^;];%n", &prio, seq, &usec, &off), 3);
	EXPECT_GT(off, 0);
	*text = buf + off;
	return n;
}

/*
 * /dev/kmsg read as Linux's (util-linux's dmesg reads it; it printed blank
 * lines on Exo-OS, which returned the log as plain text): one record per
 * read, "prio,seq,usec,flags;text\n", a buffer too small for the record
 * EINVAL (and the record skipped), EAGAIN past the newest with O_NONBLOCK, increasing sequence
 * numbers, SEEK_END past the newest and SEEK_SET 0 back to the oldest.
 */
TEST(syslog, kmsg_reads_records)
{
	char buf[2048], marker[64], *text;
	unsigned long long seq, marker_seq = 0, first;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), found = 0;
	long n;

	ASSERT_GE(fd, 0);
	snprintf(marker, sizeof(marker), "exotest-kmsg-%d\n", getpid());
	ASSERT_EQ(lseek(fd, 0, SEEK_END), 0);
	/* Linux skips a record the buffer cannot hold: the first marker is gone. */
	kmsg_log("exotest-kmsg-too-long-for-4-bytes\n");
	errno = 0;
	EXPECT_EQ(read(fd, buf, 4), -1);
	EXPECT_EQ(errno, EINVAL);
	kmsg_log(marker);
	/* The host's log may grow meanwhile: read on to the end. */
	for (int i = 0; i < 200 && (n = kmsg_record(fd, buf, sizeof(buf), &seq, &text)) > 0; i++) {
		EXPECT_TRUE(!found || seq > marker_seq);
		EXPECT_TRUE(strcmp(text, "exotest-kmsg-too-long-for-4-bytes\n"));
		if (!found && !strcmp(text, marker)) {
			found = 1;
			marker_seq = seq;
		}
	}
	EXPECT_EQ(n, -1);
	EXPECT_EQ(errno, EAGAIN);
	EXPECT_TRUE(found);
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
	ASSERT_GE(kmsg_record(fd, buf, sizeof(buf), &first, &text), 1);
	EXPECT_LT(first, marker_seq);
	ASSERT_GE(kmsg_record(fd, buf, sizeof(buf), &seq, &text), 1);
	EXPECT_GT(seq, first);
	errno = 0;
	EXPECT_EQ(lseek(fd, 1, SEEK_SET), -1);
	EXPECT_EQ(errno, ESPIPE);
	close(fd);
}
