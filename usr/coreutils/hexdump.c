/*
 * hexdump -C: util-linux's canonical format, byte for byte:
 *   00000000  68 65 6c 6c 6f 0a                                 |hello.|
 *   00000006
 * Repeated 16-byte lines collapse into one "*" line; the last line is the
 * total length. -n LENGTH and -s OFFSET limit the input. Only -C output is
 * implemented (it is also what plain "hexdump" gives here).
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

static unsigned char line[16], prev[16];
static size_t fill;
static unsigned long long offset;
static int have_prev, starred;

static void line_flush(void)
{
	if (!fill)
		return;
	if (fill == 16 && have_prev && !memcmp(line, prev, 16)) {
		if (!starred)
			puts("*");
		starred = 1;
	} else {
		printf("%08llx ", offset);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				putchar(' ');
			if (i < fill)
				printf(" %02x", line[i]);
			else
				printf("   ");
		}
		printf("  |");
		for (size_t i = 0; i < fill; i++)
			putchar(isprint(line[i]) ? line[i] : '.');
		printf("|\n");
		starred = 0;
	}
	memcpy(prev, line, 16);
	have_prev = fill == 16;
	offset += fill;
	fill = 0;
}

static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (end == s)
		die("invalid number '%s'", s);
	if (*end == 'k' || *end == 'K')
		v *= 1024;
	else if (*end == 'm' || *end == 'M')
		v *= 1024 * 1024;
	else if (*end)
		die("invalid number '%s'", s);
	return v;
}

int hexdump_main(int argc, char **argv)
{
	unsigned long long limit = ~0ULL, skip = 0;
	int c, ret = 0;

	while ((c = getopt(argc, argv, "Cn:s:v")) != -1) {
		switch (c) {
		case 'C': break;
		case 'n': limit = parse_size(optarg); break;
		case 's': skip = parse_size(optarg); break;
		case 'v': break;
		default: usage();
		}
	}
	offset = skip;
	if (optind == argc)
		argv[--optind] = "-";
	for (int i = optind; i < argc && limit; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;
		unsigned char buf[4096];
		ssize_t n;

		if (fd < 0) {
			warn_errno("%s", argv[i]);
			ret = 1;
			continue;
		}
		while (limit && (n = read(fd, buf, sizeof(buf))) > 0) {
			ssize_t j = 0;

			/* -s skips across files, as util-linux does. */
			if (skip) {
				j = (unsigned long long)n < skip ? n : (ssize_t)skip;
				skip -= j;
			}
			for (; j < n && limit; j++, limit--) {
				line[fill++] = buf[j];
				if (fill == 16)
					line_flush();
			}
		}
		if (fd)
			close(fd);
	}
	line_flush();
	if (offset)
		printf("%08llx\n", offset);
	return ret;
}
