/*
 * Block device rows: reads of /dev/vda through the kernel's page cache
 * (buffered, as dd or a file system's metadata reads do), sequential with
 * 4 KiB and 1 MiB read() calls and random with 4 KiB pread() calls, each
 * cold (the device's cache dropped first) and cached.
 *
 * Sequential rows are cycles per KiB read (like file_read_bw_kib); random
 * rows are cycles per 4 KiB pread().
 *
 * "Cold" is BLKFLSBUF before each timed pass: on Linux it writes back and
 * then drops the device's clean page cache pages (invalidate_bdev), on
 * Exo-OS it drops the device's whole cache (bdev_invalidate). Every cold
 * row checks that the drop worked: a cached pass of the same reads must be
 * at least 1.25x as fast, else the row FAILs (on Linux, whose read-ahead
 * overlaps the device with copying, a cold sequential pass is only ~2.7x a
 * cached one under icount).
 *
 * Cached rows read their region once untimed, wait for read-ahead to
 * settle, then time their passes. The disk is /dev/vda, a raw image of at least 16 MiB (scripts/bench.py
 * attaches 64 MiB). Without one the rows SKIP. When /dev/vda is missing (Linux's
 * initramfs has a static /dev) the rows mount a devtmpfs of their own to
 * find it. scripts/bench.py loads virtio_blk on Linux (see load_modules() in main.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exobench.h"

#define KIB 1024L
#define MIB (1024L * 1024)
#define PAGE 4096L
#ifndef BLKFLSBUF
#define BLKFLSBUF 0x1261
#endif
#ifndef BLKGETSIZE64
#define BLKGETSIZE64 0x80081272
#endif

/* Opens the disk read-only; SKIPs the row when there is none. Sets *@size. */
static int open_disk(uint64_t *size)
{
	static const char *const paths[] = { "/dev/vda", "/tmp/exobench.dev/vda" };
	int fd = -1;

	for (unsigned i = 0; i < 2 && fd < 0; i++) {
		if (i == 1) {
			/* Linux's initramfs: no devtmpfs on /dev, so mount one here. */
			mkdir("/tmp/exobench.dev", 0755);
			mount("devtmpfs", "/tmp/exobench.dev", "devtmpfs", 0, NULL);
		}
		fd = open(paths[i], O_RDONLY);
		if (fd < 0 && (errno == EACCES || errno == EPERM))
			row_skip("open /dev/vda: no access (not a benchmark guest?)");
		if (fd < 0 && errno != ENOENT && errno != ENXIO)
			row_errno("open /dev/vda");
	}
	if (fd < 0)
		row_skip("no /dev/vda (no virtio disk attached)");
	if (ioctl(fd, BLKGETSIZE64, size) < 0)
		row_errno("ioctl BLKGETSIZE64");
	if (*size < 16 * MIB)
		row_skip("/dev/vda is %llu bytes, the rows need 16 MiB",
			 (unsigned long long)*size);
	return fd;
}

static void drop_cache(int fd)
{
	if (ioctl(fd, BLKFLSBUF, 0) < 0)
		row_errno("ioctl BLKFLSBUF");
}

static char *buffer(long bytes)
{
	char *buf = malloc(bytes);

	if (!buf)
		row_fail("malloc");
	memset(buf, 0, bytes);		/* fault it in outside the timing */
	return buf;
}

/* One pass of sequential read()s of @chunk over the first @len bytes; cycles. */
static uint64_t seq_pass(int fd, char *buf, long chunk, long len)
{
	uint64_t t0, t1;

	if (lseek(fd, 0, SEEK_SET) != 0)
		row_errno("lseek");
	t0 = rdtsc();
	for (long off = 0; off < len; off += chunk)
		if (read(fd, buf, chunk) != chunk)
			row_errno("read /dev/vda");
	t1 = rdtsc();
	return t1 - t0;
}

/*
 * Page numbers of the random reads: distinct pages spread over the disk
 * (an odd stride modulo a power of two is a permutation), the same on
 * every run and kernel.
 */
static off_t rand_off(long i, uint64_t size)
{
	uint64_t pages = 1;

	while (pages * 2 <= size / PAGE)
		pages *= 2;
	return (off_t)(((uint64_t)i * 40503u + 7919u) % pages) * PAGE;
}

static uint64_t rand_pass(int fd, char *buf, long n, uint64_t size)
{
	uint64_t t0, t1;

	t0 = rdtsc();
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, PAGE, rand_off(i, size)) != PAGE)
			row_errno("pread /dev/vda");
	t1 = rdtsc();
	return t1 - t0;
}

/*
 * The region sequential rows read: 8 MiB cached, 4 MiB cold (a cold pass
 * waits for the device, which costs guest time, see docs/BENCHMARKS.md); a
 * quarter of that under --quick.
 */
static long seq_len(int cold)
{
	long len = cold ? 4 * MIB : 8 * MIB;

	return bench_quick ? len / 4 : len;
}

static long rand_ops(int cold)
{
	long n = cold ? 256 : 1024;

	return bench_quick ? n / 4 : n;
}

/*
 * Before a cached row's timing: one pass has read the pages in; wait a
 * moment so that read-ahead the kernel started beyond them completes now,
 * not as interrupts inside a timed pass.
 */
static void settle(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void seq_row(long chunk, int cold)
{
	uint64_t size, cached = UINT64_MAX, best = UINT64_MAX;
	int fd = open_disk(&size);
	long len = seq_len(cold);
	char *buf = buffer(chunk);

	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t;

		if (cold)
			drop_cache(fd);
		else if (r == 1)
			settle();
		t = seq_pass(fd, buf, chunk, len);
		if (r > 0 && t < best)
			best = t;
	}
	if (cold) {
		cached = seq_pass(fd, buf, chunk, len);
		check_cache_dropped(best, cached, "BLKFLSBUF");
	}
	row_report((best + len / KIB / 2) / (len / KIB));
}

static void rand_row(int cold)
{
	uint64_t size, best = UINT64_MAX;
	int fd = open_disk(&size);
	long n = rand_ops(cold);
	char *buf = buffer(PAGE);

	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t;

		if (cold)
			drop_cache(fd);
		else if (r == 1)
			settle();
		t = rand_pass(fd, buf, n, size);
		if (r > 0 && t < best)
			best = t;
	}
	if (cold) {
		check_cache_dropped(best, rand_pass(fd, buf, n, size), "BLKFLSBUF");
	}
	row_report((best + n / 2) / n);
}

void bench_blk_seq_read_4k_cold(void)	{ seq_row(4 * KIB, 1); }
void bench_blk_seq_read_1m_cold(void)	{ seq_row(MIB, 1); }
void bench_blk_seq_read_4k_cached(void)	{ seq_row(4 * KIB, 0); }
void bench_blk_seq_read_1m_cached(void)	{ seq_row(MIB, 0); }
void bench_blk_rand_read_4k_cold(void)	{ rand_row(1); }
void bench_blk_rand_read_4k_cached(void)	{ rand_row(0); }
