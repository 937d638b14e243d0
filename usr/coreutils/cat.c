/*
 * cat: concatenate files ("-" is stdin); -n numbers lines as GNU does
 * ("%6d\t"); -u is accepted (output is never buffered).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

static int number, at_line_start = 1;
static unsigned long line_no;

static int cat_numbered(int fd)
{
	char in[4096];
	ssize_t n;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (at_line_start)
				printf("%6lu\t", ++line_no);
			putchar(in[i]);
			at_line_start = in[i] == '\n';
		}
	}
	fflush(stdout);
	return n < 0 ? -1 : 0;
}

int cat_main(int argc, char **argv)
{
	int c, ret = 0;

	while ((c = getopt(argc, argv, "nu")) != -1) {
		if (c == 'n')
			number = 1;
		else if (c != 'u')
			usage();
	}
	if (optind == argc)
		argv[--optind] = "-";
	for (int i = optind; i < argc; i++) {
		int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : 0;

		if (fd < 0) {
			warn_errno("%s", argv[i]);
			ret = 1;
			continue;
		}
		if (number ? cat_numbered(fd) : copy_fd(fd, 1)) {
			warn_errno("%s", argv[i]);
			ret = 1;
		}
		if (fd)
			close(fd);
	}
	return ret;
}
