/*
 * sha256sum [FILE]...: print each FILE's SHA-256 (FIPS 180-4, section 6.2)
 * as GNU does, "<64 hex digits>  NAME"; no FILE or "-" is standard input.
 * Status 1 if any FILE could not be read (the others are still printed).
 *
 * The block tests hash whole disks with it (/dev/vda), so it reads in
 * large chunks and hashes 64-byte blocks straight from the read buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"
#include "sha256.h"

#define SHA256SUM_CHUNK (1 << 20)

static int sha256sum_fd(int fd, unsigned char *buf, unsigned char out[32])
{
	struct sha256 s;
	ssize_t n;

	sha256_init(&s);
	while ((n = read(fd, buf, SHA256SUM_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		sha256_update(&s, buf, n);
	}
	sha256_final(&s, out);
	return 0;
}

int sha256sum_main(int argc, char **argv)
{
	static const char *stdin_only[] = { "-" };
	const char **files;
	int nfiles, status = 0;
	unsigned char *buf, sum[32];

	if (getopt(argc, argv, "") != -1)
		usage();
	files = (const char **)argv + optind;
	nfiles = argc - optind;
	if (!nfiles) {
		files = stdin_only;
		nfiles = 1;
	}
	buf = malloc(SHA256SUM_CHUNK);
	if (!buf)
		die("out of memory");
	for (int i = 0; i < nfiles; i++) {
		int std = !strcmp(files[i], "-");
		int fd = std ? 0 : open(files[i], O_RDONLY);

		if (fd < 0 || sha256sum_fd(fd, buf, sum)) {
			warn_errno("%s", files[i]);
			status = 1;
		} else {
			for (int j = 0; j < 32; j++)
				printf("%02x", sum[j]);
			printf("  %s\n", files[i]);
		}
		if (fd > 0)
			close(fd);
	}
	free(buf);
	return status;
}
