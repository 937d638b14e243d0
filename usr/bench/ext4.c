/*
 * ext4 rows: the same ext4 image (scripts/bench.py, build/bench/ext4.img,
 * attached as /dev/vdb after the blk_* rows' /dev/vda) mounted read-only
 * on both kernels at /tmp/exobench.ext4:
 *
 *   stat/d00 .. stat/d09    1,000 empty files each (f0000 ..), htree directories
 *   big                     64 MiB of data
 *
 * ext4_stat_*     cycles per fstatat() of one of the 10,000 files (relative
 *                 paths from the mount, "stat/dNN/fNNNN")
 * ext4_walk_*     cycles per entry of a recursive walk of the whole tree
 *                 (openat + getdents64 + fstatat of every entry, as find -ls)
 * ext4_read_*_kib cycles per KiB of read()s of 1 MiB over the 64 MiB file
 *
 * Cold: "echo 3 > /proc/sys/vm/drop_caches" before each timed pass, which
 * drops the page cache (file data and the block device's metadata pages)
 * and the unused dentries and inodes on both kernels; every cold row checks
 * that a warm pass is at least 1.25x as fast, else the row FAILs. Warm: one
 * untimed pass first. The smallest pass counts.
 *
 * Without the disk, or without ext4 (Linux's modules, scripts/bench.py), the
 * rows SKIP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exobench.h"

#define MNT "/tmp/exobench.ext4"
#define NDIRS 10
#define PER_DIR 1000
#define NFILES (NDIRS * PER_DIR)
#define BIG_BYTES (64L << 20)
#define CHUNK (1L << 20)
#define COLD_PASSES 3

/* Mounts the image unless an earlier row did (each row is its own child); chdir()s there. */
static void ext4_mount(void)
{
	static const char *const devs[] = { "/dev/vdb", "/tmp/exobench.dev/vdb" };
	struct stat st;
	int err = ENOENT;

	if (stat(MNT "/big", &st) < 0) {
		mkdir(MNT, 0755);
		for (unsigned i = 0; i < 2; i++) {
			if (i == 1) {
				/* Linux's initramfs has a static /dev without vdb. */
				mkdir("/tmp/exobench.dev", 0755);
				mount("devtmpfs", "/tmp/exobench.dev", "devtmpfs", 0, NULL);
			}
			if (mount(devs[i], MNT, "ext4", MS_RDONLY, NULL) == 0) {
				err = 0;
				break;
			}
			err = errno;
		}
		if (err == ENOENT || err == ENXIO)
			row_skip("no /dev/vdb (no ext4 image attached)");
		if (err == ENODEV)
			row_skip("no ext4 in this kernel");
		if (err) {
			errno = err;
			row_errno("mount /dev/vdb ext4");
		}
	}
	if (chdir(MNT) < 0)
		row_errno("chdir " MNT);
	if (stat("big", &st) < 0 || st.st_size != BIG_BYTES)
		row_fail("%s/big is not a 64 MiB file: not the bench image?", MNT);
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd < 0 && errno == ENOENT) {
		/* exobench is PID 1: nobody mounted /proc. */
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, NULL);
		fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	}
	sync();
	if (fd < 0)
		row_errno("open /proc/sys/vm/drop_caches");
	if (write(fd, "3\n", 2) != 2)
		row_errno("write /proc/sys/vm/drop_caches");
	close(fd);
}

static char (*paths)[16];

static void make_paths(void)
{
	paths = malloc(sizeof(*paths) * NFILES);
	if (!paths)
		row_fail("malloc");
	for (int i = 0; i < NFILES; i++)
		snprintf(paths[i], sizeof(paths[i]), "stat/d%02d/f%04d", i / PER_DIR, i % PER_DIR);
}

/* One pass over the 10,000 files in an order that jumps between directories. */
static uint64_t stat_pass(void)
{
	struct stat st;
	uint64_t t0 = rdtsc();

	for (int i = 0; i < NFILES; i++) {
		int k = (i % NDIRS) * PER_DIR + i / NDIRS;

		if (fstatat(AT_FDCWD, paths[k], &st, 0) < 0)
			row_errno(paths[k]);
	}
	return rdtsc() - t0;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Walks the directory @fd (closed here) and below; returns the entries seen. */
static long walk(int fd)
{
	static char buf[16384];
	long n = 0;

	for (;;) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf));

		if (got < 0)
			row_errno("getdents64");
		if (got == 0)
			break;
		/* Read the whole directory first: the recursion reuses buf. */
		char *copy = malloc(got);

		if (!copy)
			row_fail("malloc");
		memcpy(copy, buf, got);
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (void *)(copy + off);
			struct stat st;

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if (!strcmp(d->d_name, "lost+found"))
				continue;
			if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				row_errno("fstatat (walk)");
			n++;
			if (S_ISDIR(st.st_mode)) {
				int sub = openat(fd, d->d_name, O_RDONLY | O_DIRECTORY);

				if (sub < 0)
					row_errno("openat (walk)");
				n += walk(sub);
			}
		}
		free(copy);
	}
	close(fd);
	return n;
}

static uint64_t walk_pass(long *entries)
{
	uint64_t t0 = rdtsc();
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		row_errno("open . (walk)");
	*entries = walk(fd);
	return rdtsc() - t0;
}

static uint64_t read_pass(char *buf)
{
	uint64_t t0 = rdtsc();
	int fd = open("big", O_RDONLY);

	if (fd < 0)
		row_errno("open big");
	for (long off = 0; off < BIG_BYTES; off += CHUNK)
		if (read(fd, buf, CHUNK) != CHUNK)
			row_errno("read big");
	close(fd);
	return rdtsc() - t0;
}

enum kind { STAT, WALK, READ };

static uint64_t pass(enum kind k, char *buf, long *units)
{
	switch (k) {
	case STAT:
		*units = NFILES;
		return stat_pass();
	case WALK:
		return walk_pass(units);
	default:
		*units = BIG_BYTES / 1024;
		return read_pass(buf);
	}
}

static void row(enum kind k, int cold)
{
	uint64_t best = UINT64_MAX, warm;
	long units = 1;
	char *buf = NULL;
	int passes = cold ? COLD_PASSES : bench_reps;

	ext4_mount();
	if (k == STAT)
		make_paths();
	if (k == READ) {
		buf = malloc(CHUNK);
		if (!buf)
			row_fail("malloc");
		memset(buf, 0, CHUNK);
	}
	if (!cold)
		pass(k, buf, &units);		/* untimed: fills the caches */
	for (int r = 0; r < passes; r++) {
		uint64_t t;

		if (cold)
			drop_caches();
		t = pass(k, buf, &units);
		if (t < best)
			best = t;
	}
	if (k == WALK && units != NFILES + NDIRS + 2)
		row_fail("the walk saw %ld entries, not %d", units, NFILES + NDIRS + 2);
	if (cold) {
		warm = pass(k, buf, &units);
		check_cache_dropped(best, warm, "drop_caches");
	}
	row_report((best + units / 2) / units);
}

void bench_ext4_stat_cold(void)		{ row(STAT, 1); }
void bench_ext4_stat_warm(void)		{ row(STAT, 0); }
void bench_ext4_walk_cold(void)		{ row(WALK, 1); }
void bench_ext4_walk_warm(void)		{ row(WALK, 0); }
void bench_ext4_read_cold(void)		{ row(READ, 1); }
void bench_ext4_read_warm(void)		{ row(READ, 0); }
