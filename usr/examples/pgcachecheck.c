// SPDX-License-Identifier: MIT
/*
 * pgcachecheck: page cache checks on a block device (scripts/testsuite/pagecache.py).
 * The image's 4 KiB block N starts with N as a little-endian u64.
 *
 *   pgcachecheck read DEV    read all of DEV in 1 MiB reads, check every block's
 *                        number, print MemFree before, after and after
 *                        drop_caches 1 (kB), and a checksum of the data
 *   pgcachecheck ra DEV      4 KiB sequential reads of 1 MiB from a dropped cache:
 *                        print the read requests the disk completed for them
 *   pgcachecheck wb DEV      write 16 marked blocks from block 1000, keep the file
 *                        open (no close, no sync), wait 8 s with write-back
 *                        set to 1 s / expire 3 s, print the write requests
 *                        before and after, then sleep forever (the host kills
 *                        QEMU and looks at the image)
 *   pgcachecheck ext4 DEV    mount DEV (ext4, read-only) at /mnt; from a dropped
 *                        cache read /mnt/big (its 4 KiB block N starts with N)
 *                        in 4 KiB reads and print the read requests and how
 *                        much Buffers (the device's cache) grew; then map
 *                        /mnt/tail (TAIL_SIZE bytes, byte i = i * 7 + 1) and
 *                        count wrong bytes and bytes past its end that are not 0;
 *                        then fault one page of a cold mapping of /mnt/big and
 *                        count the resident pages around it (mincore)
 * As PID 1 it mounts /proc and /sys first. Exit 0 when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef BLKFLSBUF
#define BLKFLSBUF 0x1261	/* _IO(0x12, 97) */
#endif

#define BLK 4096

static long meminfo(const char *key)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Field @n (0-based) of /sys/block/NAME/stat. */
static long disk_stat(const char *dev, int n)
{
	char path[64];
	long v[17] = { 0 };
	const char *name = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/stat", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (int i = 0; i < 17 && fscanf(f, "%ld", &v[i]) == 1; i++)
		;
	fclose(f);
	return v[n];
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok = fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static int do_read(const char *dev)
{
	static unsigned char buf[1 << 20];
	long before = meminfo("MemFree"), after, dropped;
	unsigned long long bytes = 0, blocks = 0, bad = 0, sum = 0;
	int fd = open(dev, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("pgcachecheck: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t off = 0; off + BLK <= n; off += BLK) {
			uint64_t num;

			memcpy(&num, buf + off, sizeof(num));
			if (num != (bytes + (unsigned long long)off) / BLK && bad++ < 5)
				printf("pgcachecheck: block %llu starts with %llu\n",
				       (bytes + (unsigned long long)off) / BLK, (unsigned long long)num);
			blocks++;
		}
		for (ssize_t i = 0; i < n; i += 8) {
			uint64_t w;

			memcpy(&w, buf + i, sizeof(w));
			sum = sum * 31 + w;
		}
		bytes += (unsigned long long)n;
		if (!(bytes % (64 << 20)))
			printf("pgcachecheck: %llu MiB, MemFree %ld kB\n", bytes >> 20, meminfo("MemFree"));
	}
	if (n < 0) {
		printf("pgcachecheck: read at %llu: %s\n", bytes, strerror(errno));
		return 1;
	}
	close(fd);
	after = meminfo("MemFree");
	write_str("/proc/sys/vm/drop_caches", "1\n");
	dropped = meminfo("MemFree");
	printf("pgcachecheck: read %llu bytes, %llu blocks, %llu bad, sum %016llx\n", bytes, blocks, bad, sum);
	printf("pgcachecheck: MemFree %ld kB before, %ld kB after, %ld kB after drop_caches\n", before,
	       after, dropped);
	return bad ? 1 : 0;
}

static int do_ra(const char *dev)
{
	char buf[BLK];
	int fd = open(dev, O_RDONLY);
	long before, after;

	if (fd < 0 || ioctl(fd, BLKFLSBUF, 0)) {
		printf("pgcachecheck: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	before = disk_stat(dev, 0);
	lseek(fd, 8 << 20, SEEK_SET);
	for (int i = 0; i < 256; i++) {
		uint64_t num;

		if (read(fd, buf, BLK) != BLK) {
			printf("pgcachecheck: short read\n");
			return 1;
		}
		memcpy(&num, buf, sizeof(num));
		if (num != (uint64_t)(2048 + i)) {
			printf("pgcachecheck: block %d starts with %llu\n", 2048 + i, (unsigned long long)num);
			return 1;
		}
	}
	after = disk_stat(dev, 0);
	printf("pgcachecheck: 256 sequential 4 KiB reads took %ld read requests\n", after - before);
	close(fd);
	return 0;
}

#define TAIL_SIZE 5000

static int drop_caches(void)
{
	sync();
	return write_str("/proc/sys/vm/drop_caches", "3");
}

/*
 * A fault in the middle of a cold mapping of /mnt/big reads the pages
 * around it too: mincore() counts the resident pages, all of them and
 * those within FAULT_AROUND of the faulting one.
 */
#define FAULT_PAGE 1000
#define FAULT_AROUND 10

static int ext4_fault_around(void)
{
	static unsigned char vec[(8 << 20) / BLK];
	int fd = open("/mnt/big", O_RDONLY), around = 0, all = 0;
	unsigned char *map;
	uint64_t num;

	if (fd < 0 || drop_caches())
		return 1;
	map = mmap(NULL, sizeof(vec) * BLK, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	memcpy(&num, map + (size_t)FAULT_PAGE * BLK, sizeof(num));
	usleep(200 * 1000);	/* for the read-around's I/O to complete */
	if (mincore(map, sizeof(vec) * BLK, vec))
		return 1;
	for (int i = 0; i < (int)sizeof(vec); i++) {
		all += vec[i] & 1;
		if (i >= FAULT_PAGE - FAULT_AROUND && i <= FAULT_PAGE + FAULT_AROUND)
			around += vec[i] & 1;
	}
	printf("pgcachecheck: ext4 fault at page %d (block %llu): %d pages resident, %d of the %d around it\n",
	       FAULT_PAGE, (unsigned long long)num, all, around, 2 * FAULT_AROUND + 1);
	munmap(map, sizeof(vec) * BLK);
	close(fd);
	return 0;
}

static int do_ext4(const char *dev)
{
	char buf[BLK];
	long reqs, buffers, bad = 0, past = 0, n = 0;
	unsigned char *map;
	int fd;

	mkdir("/mnt", 0755);	/* EEXIST under a full init */
	if (mount(dev, "/mnt", "ext4", MS_RDONLY, NULL)) {
		printf("pgcachecheck: mount %s: %s\n", dev, strerror(errno));
		return 1;
	}
	/*
	 * A cache of pages full of data first: their memory, freed, comes
	 * back as the pages of the mapping below, which must not show it.
	 */
	fd = open("/mnt/big", O_RDONLY);
	while (fd >= 0 && read(fd, buf, BLK) == BLK)
		;
	if (fd < 0 || close(fd) || drop_caches()) {
		printf("pgcachecheck: /mnt/big: %s\n", strerror(errno));
		return 1;
	}
	reqs = disk_stat(dev, 0);
	buffers = meminfo("Buffers");
	fd = open("/mnt/big", O_RDONLY);
	for (ssize_t got; (got = read(fd, buf, BLK)) > 0; n++) {
		uint64_t num;

		memcpy(&num, buf, sizeof(num));
		if ((got != BLK || num != (uint64_t)n) && bad++ < 5)
			printf("pgcachecheck: /mnt/big block %ld starts with %llu (%zd bytes)\n", n,
			       (unsigned long long)num, got);
	}
	close(fd);
	printf("pgcachecheck: ext4 %ld KiB in 4 KiB reads: %ld read requests, Buffers +%ld kB, %ld bad\n",
	       n * BLK / 1024, disk_stat(dev, 0) - reqs, meminfo("Buffers") - buffers, bad);
	fd = open("/mnt/tail", O_RDONLY);
	map = fd < 0 ? MAP_FAILED : mmap(NULL, TAIL_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		printf("pgcachecheck: /mnt/tail: %s\n", strerror(errno));
		return 1;
	}
	bad = 0;
	for (long i = 0; i < TAIL_SIZE; i++)
		bad += map[i] != (unsigned char)(i * 7 + 1);
	for (long i = TAIL_SIZE; i < 2 * BLK; i++)
		past += map[i] != 0;
	printf("pgcachecheck: ext4 tail: %ld wrong bytes, %ld bytes past the end not 0\n", bad, past);
	munmap(map, TAIL_SIZE);
	close(fd);
	return ext4_fault_around() || umount("/mnt") ? 1 : 0;
}

static int do_wb(const char *dev)
{
	char buf[BLK];
	int fd = open(dev, O_RDWR);
	long before, after;

	if (fd < 0) {
		printf("pgcachecheck: open %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (write_str("/proc/sys/vm/dirty_writeback_centisecs", "100\n") ||
	    write_str("/proc/sys/vm/dirty_expire_centisecs", "300\n")) {
		printf("pgcachecheck: cannot set /proc/sys/vm/dirty_*_centisecs\n");
		return 1;
	}
	before = disk_stat(dev, 4);
	for (int i = 0; i < 16; i++) {
		memset(buf, 0xa0 + i, sizeof(buf));
		snprintf(buf, 32, "EXO-WB %d", 1000 + i);
		if (pwrite(fd, buf, BLK, (off_t)(1000 + i) * BLK) != BLK) {
			printf("pgcachecheck: write: %s\n", strerror(errno));
			return 1;
		}
	}
	after = disk_stat(dev, 4);
	printf("pgcachecheck: write requests right after the writes: %ld\n", after - before);
	sleep(8);
	printf("pgcachecheck: write requests 8 s later: %ld\n", disk_stat(dev, 4) - before);
	printf("pgcachecheck: wb done\n");
	fflush(stdout);
	for (;;)
		pause();	/* the file stays open: its close would write back */
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: pgcachecheck read|ra|wb|ext4 DEV\n");
		return 2;
	}
	if (getpid() == 1) {
		mount("proc", "/proc", "proc", 0, NULL);
		mount("sysfs", "/sys", "sysfs", 0, NULL);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "read"))
		return do_read(argv[2]);
	if (!strcmp(argv[1], "ra"))
		return do_ra(argv[2]);
	if (!strcmp(argv[1], "wb"))
		return do_wb(argv[2]);
	if (!strcmp(argv[1], "ext4"))
		return do_ext4(argv[2]);
	return 2;
}
