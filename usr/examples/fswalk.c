/*
 * fswalk [-x] [-b] DIR: prints one line per file under DIR, sorted by path, so
 * that two trees can be compared with diff: the ext4 tests run it in the
 * guest on a mounted image and on the host on the tree the image was
 * made from (scripts/testsuite/ext4.py). A line:
 *
 *   PATH TYPE size=N mode=OOOO nlink=N uid=N gid=N mtime=S.NNNNNNNNN DATA
 *
 * DATA: a regular file's sha256 (files over 64 MiB: of 64 KiB samples at
 * 17 offsets, "sampled:"), a symlink's target, a device's major:minor;
 * directories print no size (file systems count directory sizes their
 * own way). With -x, each user.* extended attribute follows as
 * xattr=NAME:sha256-of-value, sorted. With -b, blocks=N (st_blocks) follows
 * the mtime (comparable only on the same image). A top-level lost+found is skipped.
 * Errors print "PATH error ERRNO-NAME" and make the status 1.
 *
 * fswalk -e DIR: on a read-only mount DIR holding the file erofs-file and
 * the directory erofs-dir, tries every kind of write and prints
 * "erofs CALL: RESULT" for each (on Linux, all "Read-only file system"),
 * then "erofs statfs: ST_RDONLY" if statfs says so.
 *
 * fswalk -F PRISTINE SCRATCH LIST MNT N SEED STRICT: the corruption loop.
 * PRISTINE and SCRATCH are disks of one size (the image, and one this
 * writes); LIST is a disk holding text "bs B" then the numbers of the
 * image's metadata blocks. N times: flip 1-3 random bits (STRICT) or 1-8
 * in random metadata blocks of SCRATCH, mount it read-only on MNT, walk
 * it, unmount it, put the bytes back. A mount or a walk may fail, but with
 * STRICT (a metadata_csum image, where every corruption of what the walk
 * reads is detectable) every line the walk prints must be the intact
 * image's line or an error line. Prints counts, and "wrong" lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "sha256.h"

#define BIG_FILE (64LL << 20)
#define SAMPLE (64 << 10)
#define SAMPLES 16

static int status;
static int with_xattrs, with_blocks;
static FILE *out;	/* the listing: stdout, or memory in fuzz mode */

#define MAX_DEPTH 64	/* a corrupt image may link a directory into itself */

static void hex(const unsigned char sum[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", sum[i]);
}

static void fail(const char *path, int err)
{
	fprintf(out, "%s error %s\n", path, strerror(err));
	status = 1;
}

/* Hashes @len bytes at @off; 0 or an errno. */
static int hash_range(int fd, struct sha256 *s, off_t off, off_t len, unsigned char *buf)
{
	while (len > 0) {
		ssize_t n = pread(fd, buf, len < SAMPLE ? (size_t)len : SAMPLE, off);

		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;	/* shorter than its size */
		sha256_update(s, buf, (size_t)n);
		off += n;
		len -= n;
	}
	return 0;
}

static int hash_file(const char *path, off_t size, char out[80])
{
	static unsigned char *buf;
	unsigned char sum[32];
	struct sha256 s;
	int fd, err = 0;

	if (!buf && !(buf = malloc(SAMPLE)))
		return ENOMEM;
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return errno;
	sha256_init(&s);
	if (size <= BIG_FILE) {
		err = hash_range(fd, &s, 0, size, buf);
		strcpy(out, "");
	} else {
		for (int i = 0; i <= SAMPLES && !err; i++) {
			off_t off = i == SAMPLES ? size - SAMPLE : (size / SAMPLES) * i;

			err = hash_range(fd, &s, off, SAMPLE, buf);
		}
		strcpy(out, "sampled:");
	}
	close(fd);
	if (!err) {
		sha256_final(&s, sum);
		hex(sum, out + strlen(out));
	}
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_xattrs(const char *path)
{
	char names[65536], *list[1024], val[65536], h[65];
	unsigned char sum[32];
	ssize_t len = llistxattr(path, names, sizeof(names));
	int n = 0;

	if (len < 0) {
		if (errno != ENOTSUP)
			fprintf(out, " xattr-error=%s", strerror(errno));
		return;
	}
	for (char *p = names; p < names + len && n < 1024; p += strlen(p) + 1)
		if (!strncmp(p, "user.", 5))
			list[n++] = p;
	qsort(list, n, sizeof(list[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		ssize_t v = lgetxattr(path, list[i], val, sizeof(val));
		struct sha256 s;

		if (v < 0) {
			fprintf(out, " xattr=%s:error-%s", list[i], strerror(errno));
			continue;
		}
		sha256_init(&s);
		sha256_update(&s, (unsigned char *)val, (size_t)v);
		sha256_final(&s, sum);
		hex(sum, h);
		fprintf(out, " xattr=%s:%s", list[i], h);
	}
}

static void walk(const char *path, const char *rel, int depth)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int top = depth == 0;
	DIR *d;

	if (depth > MAX_DEPTH) {
		fail(rel, ELOOP);
		return;
	}
	d = opendir(path);
	if (!d) {
		fail(rel, errno);
		return;
	}
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (top && !strcmp(de->d_name, "lost+found"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names) {
				fail(rel, ENOMEM);
				exit(1);
			}
		}
		names[n++] = strdup(de->d_name);
	}
	if (errno)
		fail(rel, errno);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t plen = strlen(path) + strlen(names[i]) + 2;
		size_t rlen = strlen(rel) + strlen(names[i]) + 2;
		char *p = malloc(plen), *r = malloc(rlen), data[4200] = "";
		const char *type;
		struct stat st;
		int err = 0;

		snprintf(p, plen, "%s/%s", path, names[i]);
		snprintf(r, rlen, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (lstat(p, &st)) {
			fail(r, errno);
			goto next;
		}
		switch (st.st_mode & S_IFMT) {
		case S_IFREG:
			type = "reg";
			err = hash_file(p, st.st_size, data);
			break;
		case S_IFDIR:
			type = "dir";
			break;
		case S_IFLNK: {
			ssize_t l = readlink(p, data + 7, sizeof(data) - 8);

			type = "lnk";
			if (l < 0)
				err = errno;
			else
				data[7 + l] = '\0';
			memcpy(data, "target=", 7);
			break;
		}
		case S_IFCHR:
		case S_IFBLK:
			type = S_ISCHR(st.st_mode) ? "chr" : "blk";
			snprintf(data, sizeof(data), "rdev=%u:%u", major(st.st_rdev), minor(st.st_rdev));
			break;
		case S_IFIFO:
			type = "fifo";
			break;
		default:
			type = "sock";
			break;
		}
		if (err) {
			fail(r, err);
			goto next;
		}
		fprintf(out, "%s %s", r, type);
		if (!S_ISDIR(st.st_mode))
			fprintf(out, " size=%lld", (long long)st.st_size);
		fprintf(out, " mode=%04o nlink=%lu uid=%u gid=%u mtime=%lld.%09ld", st.st_mode & 07777,
		       (unsigned long)st.st_nlink, st.st_uid, st.st_gid, (long long)st.st_mtim.tv_sec,
		       st.st_mtim.tv_nsec);
		if (with_blocks)
			fprintf(out, " blocks=%lld", (long long)st.st_blocks);
		if (*data)
			fprintf(out, " %s", data);
		if (with_xattrs)
			print_xattrs(p);
		fprintf(out, "\n");
		if (S_ISDIR(st.st_mode))
			walk(p, r, depth + 1);
next:
		free(p);
		free(r);
		free(names[i]);
	}
	free(names);
}

static void erofs_report(const char *call, int ret)
{
	printf("erofs %s: %s\n", call, ret < 0 ? strerror(errno) : "succeeded");
	if (ret >= 0 || errno != EROFS)
		status = 1;
}

static void erofs_checks(const char *dir)
{
	char f[4096], d[4096], n[4096];
	struct statvfs sv;
	int fd;

	snprintf(f, sizeof(f), "%s/erofs-file", dir);
	snprintf(d, sizeof(d), "%s/erofs-dir", dir);
	snprintf(n, sizeof(n), "%s/erofs-new", dir);
	fd = open(n, O_WRONLY | O_CREAT, 0644);
	erofs_report("open O_CREAT", fd);
	fd = open(f, O_WRONLY);
	erofs_report("open O_WRONLY", fd);
	fd = open(f, O_RDWR | O_TRUNC);
	erofs_report("open O_RDWR|O_TRUNC", fd);
	erofs_report("truncate", truncate(f, 0));
	erofs_report("unlink", unlink(f));
	erofs_report("rmdir", rmdir(d));
	erofs_report("mkdir", mkdir(n, 0755));
	erofs_report("rename", rename(f, n));
	erofs_report("link", link(f, n));
	erofs_report("symlink", symlink("x", n));
	erofs_report("mknod", mknod(n, S_IFIFO | 0644, 0));
	erofs_report("chmod", chmod(f, 0600));
	erofs_report("chown", chown(f, 1, 1));
	erofs_report("utimes", utimes(f, NULL));
	erofs_report("setxattr", setxattr(f, "user.x", "1", 1, 0));
	erofs_report("removexattr", removexattr(f, "user.x"));
	if (statvfs(dir, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		printf("erofs statfs: ST_RDONLY\n");
	else
		status = 1;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The walk of @mnt as a NUL-terminated buffer (free it). */
static char *walk_to_memory(const char *mnt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *saved = out;

	out = open_memstream(&buf, &len);
	if (!out) {
		perror("open_memstream");
		exit(2);
	}
	status = 0;
	walk(mnt, "", 0);
	fclose(out);
	out = saved;
	return buf;
}

static char *read_disk(const char *path, off_t *size)
{
	int fd = open(path, O_RDONLY);
	char *buf;
	off_t got = 0;

	if (fd < 0 || (*size = lseek(fd, 0, SEEK_END)) <= 0 || !(buf = malloc(*size + 1))) {
		perror(path);
		exit(2);
	}
	while (got < *size) {
		ssize_t n = pread(fd, buf + got, *size - got, got);

		if (n <= 0) {
			perror(path);
			exit(2);
		}
		got += n;
	}
	buf[*size] = '\0';
	close(fd);
	return buf;
}

static int fuzz(char **argv)
{
	const char *pristine = argv[0], *scratch = argv[1], *list = argv[2], *mnt = argv[3];
	long iters = atol(argv[4]), bs = 0, nblocks = 0, *blocks;
	uint64_t rng = strtoull(argv[5], NULL, 0);
	int strict = atoi(argv[6]), fd;
	long mounted = 0, refused = 0, walk_errors = 0, wrong = 0;
	off_t size, lsize;
	char *image = read_disk(pristine, &size), *text = read_disk(list, &lsize), *golden, *p;

	if (sscanf(text, "bs %ld", &bs) != 1 || bs <= 0) {
		fprintf(stderr, "fuzz: no block size in %s\n", list);
		return 2;
	}
	blocks = malloc(sizeof(*blocks) * (lsize / 2 + 1));
	for (p = strchr(text, '\n'); p && *p;) {
		char *end;
		long b = strtol(p, &end, 10);

		if (end == p)
			break;
		if ((off_t)(b + 1) * bs <= size)
			blocks[nblocks++] = b;
		p = end;
	}
	fd = open(scratch, O_RDWR);
	if (fd < 0 || pwrite(fd, image, size, 0) != size || !nblocks) {
		perror(scratch);
		return 2;
	}
	mkdir(mnt, 0755);
	if (mount(scratch, mnt, "ext4", MS_RDONLY, NULL)) {
		perror("fuzz: mounting the intact image");
		return 2;
	}
	golden = walk_to_memory(mnt);
	umount(mnt);
	if (status) {
		fprintf(stderr, "fuzz: the intact image does not walk cleanly\n%s", golden);
		return 2;
	}
	for (long i = 0; i < iters; i++) {
		int nflips = 1 + (int)(splitmix64(&rng) % (strict ? 3 : 8));
		off_t where[8];
		char *listing, *line;

		for (int k = 0; k < nflips; k++) {
			/* A quarter of the flips hit the super block and descriptors. */
			long b = splitmix64(&rng) % 4 == 0 ? blocks[0] : blocks[splitmix64(&rng) % nblocks];
			char c;

			where[k] = (off_t)b * bs + (off_t)(splitmix64(&rng) % bs);
			c = image[where[k]] ^ (char)(1 << (splitmix64(&rng) % 8));
			pwrite(fd, &c, 1, where[k]);
		}
		if (mount(scratch, mnt, "ext4", MS_RDONLY, NULL)) {
			refused++;
		} else {
			mounted++;
			listing = walk_to_memory(mnt);
			if (status)
				walk_errors++;
			for (line = strtok(listing, "\n"); line; line = strtok(NULL, "\n")) {
				char *hit = strstr(golden, line);
				size_t l = strlen(line);

				if (strstr(line, " error ") ||
				    (hit && (hit == golden || hit[-1] == '\n') && hit[l] == '\n'))
					continue;
				if (strict && wrong < 10)
					printf("fuzz: wrong (variant %ld): %s\n", i, line);
				wrong++;
			}
			free(listing);
			if (umount(mnt)) {
				perror("fuzz: umount");
				return 2;
			}
		}
		for (int k = nflips - 1; k >= 0; k--)
			pwrite(fd, &image[where[k]], 1, where[k]);
	}
	printf("fuzz: %ld variants, %ld mounted, %ld refused, %ld walks with errors, %ld wrong lines%s\n",
	       iters, mounted, refused, walk_errors, wrong, strict ? " (strict)" : "");
	return strict && wrong ? 1 : 0;
}

int main(int argc, char **argv)
{
	int c, erofs = 0;

	if (argc == 9 && !strcmp(argv[1], "-F")) {
		out = stdout;
		return fuzz(argv + 2);
	}
	while ((c = getopt(argc, argv, "xbe")) != -1) {
		if (c == 'x') {
			with_xattrs = 1;
		} else if (c == 'b') {
			with_blocks = 1;
		} else if (c == 'e') {
			erofs = 1;
		} else {
			fprintf(stderr, "usage: fswalk [-x] [-b] DIR | fswalk -e DIR\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: fswalk [-x] [-b] DIR | fswalk -e DIR\n");
		return 2;
	}
	if (erofs) {
		erofs_checks(argv[optind]);
		printf("fswalk: end, status %d\n", status);
		return status;
	}
	out = stdout;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	walk(argv[optind], "", 0);
	printf("fswalk: end, status %d\n", status);
	return status;
}
