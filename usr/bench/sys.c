/*
 * Rows that stay in one process: the system call path itself, the file
 * calls, select, sched_yield and tmpfs read bandwidth (lmbench's lat_syscall,
 * lat_select and bw_file_rd).
 *
 * Calls go through musl's plain wrappers, as lmbench's do through its libc:
 * getppid() is three instructions around the syscall instruction, so
 * null_syscall is the kernel's entry and exit plus the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exobench.h"

void bench_null_syscall(void)
{
	need(getppid(), "getppid");
	MEASURE(it(2000), getppid());
}

void bench_read_devzero(void)
{
	int fd = need(open("/dev/zero", O_RDONLY), "open /dev/zero");
	char c;

	need(read(fd, &c, 1), "read /dev/zero");
	MEASURE(it(2000), if (read(fd, &c, 1) != 1) row_fail("read /dev/zero"));
}

void bench_write_devnull(void)
{
	int fd = need(open("/dev/null", O_WRONLY), "open /dev/null");
	char c = 0;

	need(write(fd, &c, 1), "write /dev/null");
	MEASURE(it(2000), if (write(fd, &c, 1) != 1) row_fail("write /dev/null"));
}

void bench_open_close(void)
{
	need(close(need(open(bench_tmpfile, O_RDONLY), "open")), "close");
	MEASURE(it(500), {
		int fd = open(bench_tmpfile, O_RDONLY);
		if (fd < 0)
			row_errno("open");
		close(fd);
	});
}

void bench_stat(void)
{
	struct stat st;

	need(stat(bench_tmpfile, &st), "stat");
	MEASURE(it(500), stat(bench_tmpfile, &st));
}

void bench_fstat(void)
{
	int fd = need(open(bench_tmpfile, O_RDONLY), "open");
	struct stat st;

	need(fstat(fd, &st), "fstat");
	MEASURE(it(2000), fstat(fd, &st));
}

void bench_sched_yield(void)
{
	need(sched_yield(), "sched_yield");
	MEASURE(it(2000), sched_yield());
}

/* lmbench lat_select -n 100 file: 100 descriptors of a regular file, all ready. */
void bench_select_100(void)
{
	int fd = need(open(bench_tmpfile, O_RDONLY), "open");
	int last = 0;
	fd_set set, rd;

	FD_ZERO(&set);
	for (int i = 0; i < 100; i++) {
		int d = need(dup(fd), "dup");

		if (d > last)
			last = d;
		FD_SET(d, &set);
	}
	rd = set;
	{
		struct timeval tv = { 0, 0 };

		if (select(last + 1, &rd, NULL, NULL, &tv) < 0)
			row_errno("select");
	}
	MEASURE(it(300), {
		struct timeval tv = { 0, 0 };
		rd = set;
		if (select(last + 1, &rd, NULL, NULL, &tv) != 100)
			row_fail("select did not report 100 ready descriptors");
	});
}

#define FILE_SIZE (1 << 20)
#define CHUNK (64 << 10)

/* lmbench bw_file_rd io_only: 64 KiB reads of a 1 MiB tmpfs file; cycles per KiB. */
void bench_file_read_bw(void)
{
	const char *path = "/tmp/exobench.big";
	long passes = bench_quick ? 1 : 4;
	struct best b = BEST_INIT;
	char *buf = malloc(CHUNK);
	int fd;

	if (!buf)
		row_fail("malloc");
	memset(buf, 'x', CHUNK);
	fd = need(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644), "create file");
	for (int off = 0; off < FILE_SIZE; off += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			row_errno("write file");
	unlink(path);
	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t0 = rdtsc(), t1;

		for (long p = 0; p < passes; p++)
			for (off_t off = 0; off < FILE_SIZE; off += CHUNK)
				if (pread(fd, buf, CHUNK, off) != CHUNK)
					row_errno("pread");
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, passes * (FILE_SIZE >> 10));
	}
	row_report(b.cycles);
}
