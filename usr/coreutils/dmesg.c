/*
 * dmesg: the kernel log through syslog(2) (klogctl READ_ALL), or, where
 * that is missing, the records of /dev/kmsg ("pri,seq,usec,flags;text")
 * printed as "[secs.usecs] text". -c clears the log after reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "exobox.h"

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_SIZE_BUFFER 10

static int dmesg_kmsg(void)
{
	char rec[8192];
	ssize_t n;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		unsigned long long usec = 0;
		char *text, *p;

		if (n < 0) {
			if (errno == EPIPE)	/* overwritten records: skip on */
				continue;
			break;
		}
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		*text++ = '\0';
		p = strchr(rec, ',');
		if (p && (p = strchr(p + 1, ',')))
			usec = strtoull(p + 1, NULL, 10);
		/* Continuation lines (" KEY=value") are metadata, not text. */
		p = strchr(text, '\n');
		if (p)
			*p = '\0';
		printf("[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000, text);
	}
	close(fd);
	return 0;
}

int dmesg_main(int argc, char **argv)
{
	int c, clear = 0, size;
	char *buf;

	while ((c = getopt(argc, argv, "cr")) != -1) {
		if (c == 'c')
			clear = 1;
		else if (c != 'r')
			usage();
	}
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size < 0) {
		if (errno != ENOSYS && errno != EPERM)
			die_errno("klogctl failed");
		if (dmesg_kmsg())
			die_errno("read kernel buffer failed (no syslog(2) and no /dev/kmsg)");
		return 0;
	}
	if (size < 4096)
		size = 4096;
	buf = malloc(size);
	if (!buf)
		die("out of memory");
	size = klogctl(clear ? SYSLOG_ACTION_READ_CLEAR : SYSLOG_ACTION_READ_ALL, buf, size);
	if (size < 0)
		die_errno("read kernel buffer failed");
	/* syslog(2) records start with "<pri>": drop it, as dmesg does by default. */
	for (char *p = buf, *end = buf + size; p < end;) {
		char *nl = memchr(p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (len > 2 && p[0] == '<') {
			char *gt = memchr(p, '>', len);

			if (gt) {
				len -= gt + 1 - p;
				p = gt + 1;
			}
		}
		fwrite(p, 1, len, stdout);
		putchar('\n');
		p += len + 1;
	}
	free(buf);
	return 0;
}
