/*
 * blkcheck: the guest half of the block device tests (scripts/testsuite/block.py).
 *
 *   blkcheck size DEV...            "DEV BLKGETSIZE64 BLKSSZGET" for each DEV
 *   blkcheck ro DEV
 *       BLKROSET/BLKROGET: writes refused with EPERM while set, root only.
 *   blkcheck rand DEV NPROC OPS SEED
 *       NPROC processes do OPS random preads/pwrites each on DEV, then
 *       fsync (even workers) or sync() (odd ones) and exit. The disk is cut
 *       into BLKCHECK_CHUNK-byte chunks (not a page multiple, so neighbours
 *       share pages); chunk k belongs to worker k % NPROC, which only
 *       touches its own chunks, so the final content is deterministic
 *       whatever the interleaving. Each worker checks every read against
 *       its own model (the disk as read before the fork plus its writes).
 *       Then the parent replays every worker's sequence into one model,
 *       drops the cache (BLKFLSBUF), reads the disk back from the device
 *       and compares. The host replays the same sequence (block.py) and
 *       compares the image after poweroff.
 *   blkcheck eio DEV OFFSET GOOD    a read of the 4 KiB at OFFSET must fail
 *       with EIO (twice: a failed page is not cached), a read at GOOD must
 *       work; then a write at OFFSET and fsync must give EIO.
 *   blkcheck badinput DEV          Linux's answers to bad input on a block
 *       device: bad pointers to the size ioctls and to read/write are
 *       EFAULT, an unknown block ioctl ENOTTY, a seek past the end EINVAL,
 *       a read at the end 0 bytes and a write there ENOSPC.
 *
 * The generator is splitmix64, seeded SEED * 1000 + worker; per operation:
 * r = next(); a write if r % 4 != 0 else a read; chunk = worker + NPROC *
 * (next() % (chunks owned)), off = next() % chunk size, len = 1 + next() %
 * (chunk size - off), and for a write, v = next() and byte j of the data is
 * byte (j % 8) of v (little-endian) xor (j / 8) & 0xff.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define BLKCHECK_CHUNK 12345
#define BLKSSZGET_ 0x1268
#define BLKFLSBUF_ 0x1261
#define BLKGETSIZE64_ 0x80081272
#define BLKROSET_ 0x125d
#define BLKROGET_ 0x125e

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int fail(const char *what)
{
	fprintf(stderr, "blkcheck: %s: %s\n", what, strerror(errno));
	return 1;
}

/* A regular file stands in for a disk when the program is tried on the host. */
static int is_file(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISREG(st.st_mode);
}

static uint64_t dev_size(int fd)
{
	struct stat st;
	uint64_t size;

	if (is_file(fd))
		return !fstat(fd, &st) ? (uint64_t)st.st_size : 0;
	if (ioctl(fd, BLKGETSIZE64_, &size))
		return 0;
	return size;
}

static int cmd_size(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		uint64_t size;
		int ssz;

		if (fd < 0)
			return fail(argv[i]);
		if (ioctl(fd, BLKGETSIZE64_, &size) || ioctl(fd, BLKSSZGET_, &ssz))
			return fail(argv[i]);
		printf("%s %" PRIu64 " %d\n", argv[i], size, ssz);
		close(fd);
	}
	return 0;
}

static int read_full(int fd, unsigned char *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
		off += n;
	}
	return 0;
}

struct rand_op {
	int write;
	uint64_t off;
	size_t len;
	uint64_t v;
};

/* One operation of worker @w's sequence (see the top of the file). */
static void rand_next(uint64_t *s, int w, int nproc, uint64_t size, struct rand_op *op)
{
	uint64_t chunks = size / BLKCHECK_CHUNK, mine = (chunks - w + nproc - 1) / nproc;
	uint64_t chunk, off;

	op->write = splitmix64(s) % 4 != 0;
	chunk = w + nproc * (splitmix64(s) % mine);
	off = splitmix64(s) % BLKCHECK_CHUNK;
	op->len = 1 + splitmix64(s) % (BLKCHECK_CHUNK - off);
	op->off = chunk * BLKCHECK_CHUNK + off;
	op->v = op->write ? splitmix64(s) : 0;
}

static void rand_fill(unsigned char *p, size_t len, uint64_t v)
{
	for (size_t j = 0; j < len; j++)
		p[j] = (unsigned char)(v >> (8 * (j % 8))) ^ (unsigned char)(j / 8);
}

static int rand_worker(int fd, int w, int nproc, int ops, uint64_t seed, unsigned char *model,
		       uint64_t size)
{
	unsigned char *buf = malloc(BLKCHECK_CHUNK);
	uint64_t s = seed * 1000 + w;
	struct rand_op op;

	if (!buf)
		return 1;
	for (int i = 0; i < ops; i++) {
		rand_next(&s, w, nproc, size, &op);
		if (op.write) {
			rand_fill(model + op.off, op.len, op.v);
			if (pwrite(fd, model + op.off, op.len, op.off) != (ssize_t)op.len)
				return fail("pwrite");
		} else {
			if (read_full(fd, buf, op.len, op.off))
				return fail("pread");
			if (memcmp(buf, model + op.off, op.len)) {
				fprintf(stderr, "blkcheck: worker %d op %d: read of %zu at %" PRIu64
					" differs from what was written\n", w, i, op.len, op.off);
				return 1;
			}
		}
		if (i % 64 == 63 && fsync(fd))
			return fail("fsync");
	}
	if (w % 2 == 0) {
		if (fsync(fd))
			return fail("fsync");
	} else {
		sync();
	}
	return 0;
}

static int cmd_rand(char **argv)
{
	int nproc = atoi(argv[1]), ops = atoi(argv[2]), status = 0;
	uint64_t seed = strtoull(argv[3], NULL, 0), size;
	int fd = open(argv[0], O_RDWR);
	unsigned char *model, *disk;

	if (fd < 0)
		return fail(argv[0]);
	size = dev_size(fd);
	if (nproc < 1 || size / BLKCHECK_CHUNK < (uint64_t)nproc) {
		fprintf(stderr, "blkcheck: bad NPROC or a disk too small\n");
		return 1;
	}
	model = malloc(size);
	disk = malloc(size);
	if (!model || !disk)
		return fail("malloc");
	if (read_full(fd, model, size, 0))
		return fail("read the disk");
	for (int w = 0; w < nproc; w++) {
		pid_t pid = fork();

		if (pid < 0)
			return fail("fork");
		if (pid == 0)
			_exit(rand_worker(fd, w, nproc, ops, seed, model, size));
	}
	for (int w = 0; w < nproc; w++) {
		int st;

		if (wait(&st) < 0)
			return fail("wait");
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			status = 1;
	}
	if (status) {
		fprintf(stderr, "blkcheck: a worker failed\n");
		return 1;
	}
	/* The model of the whole disk, from every worker's sequence. */
	for (int w = 0; w < nproc; w++) {
		uint64_t s = seed * 1000 + w;
		struct rand_op op;

		for (int i = 0; i < ops; i++) {
			rand_next(&s, w, nproc, size, &op);
			if (op.write)
				rand_fill(model + op.off, op.len, op.v);
		}
	}
	if (!is_file(fd) && ioctl(fd, BLKFLSBUF_, 0))
		return fail("BLKFLSBUF");
	if (read_full(fd, disk, size, 0))
		return fail("read the disk back");
	for (uint64_t i = 0; i < size; i++) {
		if (disk[i] != model[i]) {
			fprintf(stderr, "blkcheck: byte %" PRIu64 " is %#x on the device, %#x expected\n",
				i, disk[i], model[i]);
			return 1;
		}
	}
	close(fd);
	printf("blkcheck rand: %d workers x %d operations: ok\n", nproc, ops);
	return 0;
}

static int cmd_eio(char **argv)
{
	off_t bad = strtoll(argv[1], NULL, 0), good = strtoll(argv[2], NULL, 0);
	unsigned char buf[4096];
	int fd = open(argv[0], O_RDWR);

	if (fd < 0)
		return fail(argv[0]);
	for (int i = 0; i < 2; i++) {
		errno = 0;
		if (pread(fd, buf, sizeof(buf), bad) >= 0 || errno != EIO) {
			fprintf(stderr, "blkcheck: read at %lld: %s, not EIO\n", (long long)bad,
				errno ? strerror(errno) : "no error");
			return 1;
		}
		printf("blkcheck eio: read at %lld: EIO\n", (long long)bad);
	}
	if (pread(fd, buf, sizeof(buf), good) != sizeof(buf))
		return fail("read at the good offset");
	printf("blkcheck eio: read at %lld: ok\n", (long long)good);
	/* A page written whole needs no read; its write-back fails. */
	memset(buf, 0x5a, sizeof(buf));
	if (pwrite(fd, buf, sizeof(buf), bad) != sizeof(buf))
		return fail("pwrite");
	errno = 0;
	if (fsync(fd) == 0 || errno != EIO) {
		fprintf(stderr, "blkcheck: fsync after a failing write: %s, not EIO\n",
			errno ? strerror(errno) : "no error");
		return 1;
	}
	printf("blkcheck eio: fsync: EIO\n");
	close(fd);
	return 0;
}

#define EXPECT_ERR(what, call, want)                                                      \
	do {                                                                               \
		errno = 0;                                                                 \
		if ((call) != -1 || errno != (want)) {                                     \
			fprintf(stderr, "blkcheck: %s: errno %d, expected %d\n", what, errno, \
				(want));                                                   \
			bad++;                                                             \
		}                                                                          \
	} while (0)

/*
 * The same answers when the page is cached (the kernel's cached-read fast
 * path): a fault is EFAULT and moves no position, a vector that faults in
 * its second segment returns the first, a read over the end is short.
 */
static int cached_reads(int fd, void *nowhere, uint64_t size)
{
	char buf[512];
	struct iovec iov[2] = { { buf, 100 }, { nowhere, 100 } };
	int bad = 0;

	if (pread(fd, buf, sizeof(buf), 4096) != sizeof(buf) ||
	    pread(fd, buf, sizeof(buf), (off_t)size - sizeof(buf)) != sizeof(buf)) {
		fprintf(stderr, "blkcheck: reads to cache pages failed\n");
		return 1;
	}
	EXPECT_ERR("pread of a cached page into a bad pointer", pread(fd, nowhere, 512, 4096),
		   EFAULT);
	if (lseek(fd, 4096, SEEK_SET) != 4096)
		bad++;
	EXPECT_ERR("read of a cached page into a bad pointer", read(fd, nowhere, 512), EFAULT);
	if (lseek(fd, 0, SEEK_CUR) != 4096) {
		fprintf(stderr, "blkcheck: a read that faulted moved the position\n");
		bad++;
	}
	if (preadv(fd, iov, 2, 4096) != 100) {
		fprintf(stderr, "blkcheck: preadv faulting in its second segment did not return the first\n");
		bad++;
	}
	if (pread(fd, buf, sizeof(buf), (off_t)size - 100) != 100) {
		fprintf(stderr, "blkcheck: a cached read over the end was not short\n");
		bad++;
	}
	return bad;
}

static int cmd_badinput(char **argv)
{
	int fd = open(argv[2], O_RDWR), bad = 0;
	void *nowhere = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t size = 0;
	char buf[512];

	if (fd < 0 || nowhere == MAP_FAILED || ioctl(fd, BLKGETSIZE64_, &size)) {
		perror("blkcheck: badinput");
		return 1;
	}
	EXPECT_ERR("BLKGETSIZE64 to a bad pointer", ioctl(fd, BLKGETSIZE64_, nowhere), EFAULT);
	EXPECT_ERR("BLKSSZGET to NULL", ioctl(fd, BLKSSZGET_, NULL), EFAULT);
	EXPECT_ERR("an unknown block ioctl", ioctl(fd, _IO(0x12, 0xee), 0), ENOTTY);
	EXPECT_ERR("read into a bad pointer", pread(fd, nowhere, 512, 0), EFAULT);
	EXPECT_ERR("write from a bad pointer", pwrite(fd, nowhere, 512, 0), EFAULT);
	EXPECT_ERR("seek past the end", lseek(fd, (off_t)size + 1, SEEK_SET), EINVAL);
	EXPECT_ERR("seek before the start", lseek(fd, -1, SEEK_SET), EINVAL);
	EXPECT_ERR("write at the end", pwrite(fd, buf, sizeof(buf), (off_t)size), ENOSPC);
	if (pread(fd, buf, sizeof(buf), (off_t)size) != 0) {
		fprintf(stderr, "blkcheck: a read at the end did not give 0 bytes\n");
		bad++;
	}
	if (lseek(fd, 0, SEEK_END) != (off_t)size) {
		fprintf(stderr, "blkcheck: SEEK_END is not the size\n");
		bad++;
	}
	bad += cached_reads(fd, nowhere, size);
	close(fd);
	printf("blkcheck badinput: %d wrong\n", bad);
	return bad != 0;
}

/*
 * BLKROSET makes the device read-only for writes through any open file
 * (EPERM, as Linux's write path answers) until it is cleared; opening it
 * for writing still succeeds; only root may set it (EACCES otherwise).
 */
static int cmd_ro(char **argv)
{
	int fd = open(argv[2], O_RDWR), one = 1, zero = 0, got = -1, bad = 0, fd2;
	char byte;
	pid_t pid;

	if (fd < 0 || pread(fd, &byte, 1, 0) != 1) {
		perror("blkcheck: ro");
		return 1;
	}
	if (ioctl(fd, BLKROGET_, &got) || got != 0) {
		fprintf(stderr, "blkcheck: BLKROGET on a writable device gave %d\n", got);
		bad++;
	}
	if (ioctl(fd, BLKROSET_, &one) || ioctl(fd, BLKROGET_, &got) || got != 1) {
		fprintf(stderr, "blkcheck: BLKROSET 1 did not take (BLKROGET %d)\n", got);
		bad++;
	}
	EXPECT_ERR("write to a read-only device", write(fd, &byte, 1), EPERM);
	EXPECT_ERR("pwrite to a read-only device", pwrite(fd, &byte, 1, 0), EPERM);
	fd2 = open(argv[2], O_RDWR);
	if (fd2 < 0) {
		fprintf(stderr, "blkcheck: opening a read-only device for writing: errno %d\n", errno);
		bad++;
	} else {
		EXPECT_ERR("pwrite through a second file", pwrite(fd2, &byte, 1, 0), EPERM);
		close(fd2);
	}
	EXPECT_ERR("BLKROSET from a bad pointer", ioctl(fd, BLKROSET_, (void *)8), EFAULT);
	pid = fork();
	if (pid == 0) {
		int errs = 0;

		if (setuid(65534))
			_exit(2);
		errno = 0;
		if (ioctl(fd, BLKROSET_, &zero) != -1 || errno != EACCES)
			errs++;
		_exit(errs);
	} else {
		int st;

		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "blkcheck: BLKROSET by an unprivileged user was not EACCES\n");
			bad++;
		}
	}
	if (ioctl(fd, BLKROSET_, &zero) || pwrite(fd, &byte, 1, 0) != 1) {
		fprintf(stderr, "blkcheck: BLKROSET 0 did not make the device writable again\n");
		bad++;
	}
	close(fd);
	printf("blkcheck ro: %d wrong\n", bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "size"))
		return cmd_size(argc - 2, argv + 2);
	if (argc == 6 && !strcmp(argv[1], "rand"))
		return cmd_rand(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "badinput"))
		return cmd_badinput(argv);
	if (argc == 3 && !strcmp(argv[1], "ro"))
		return cmd_ro(argv);
	if (argc == 5 && !strcmp(argv[1], "eio"))
		return cmd_eio(argv + 2);
	fprintf(stderr, "usage: blkcheck size DEV... | rand DEV NPROC OPS SEED | eio DEV OFFSET GOOD | badinput DEV | ro DEV\n");
	return 2;
}
