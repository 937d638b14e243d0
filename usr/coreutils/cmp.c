/*
 * cmp FILE1 FILE2: status 0 if the same bytes, 1 if they differ, 2 on
 * trouble; prints where the first difference is (GNU's wording) unless -s.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

int cmp_main(int argc, char **argv)
{
	unsigned long long byte = 1, line = 1;
	int c, silent = 0;
	FILE *a, *b;

	while ((c = getopt(argc, argv, "s")) != -1) {
		if (c != 's')
			usage();
		silent = 1;
	}
	if (argc - optind != 2) {
		warn(argc - optind < 2 ? "missing operand after '%s'" : "extra operand '%s'",
		     argv[argc - 1]);
		usage();
	}
	a = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	b = strcmp(argv[optind + 1], "-") ? fopen(argv[optind + 1], "r") : stdin;
	if (!a || !b) {
		if (!silent)
			warn_errno("%s", argv[a ? optind + 1 : optind]);
		return 2;
	}
	for (;; byte++) {
		int x = getc(a), y = getc(b);

		if (x == EOF && y == EOF)
			return 0;
		if (x == EOF || y == EOF) {
			if (!silent) {
				fflush(stdout);
				fprintf(stderr, "cmp: EOF on %s after byte %llu, line %llu\n",
					argv[optind + (x == EOF ? 0 : 1)], byte - 1, line - 1 + (byte > 1));
			}
			return 1;
		}
		if (x != y) {
			if (!silent)
				printf("%s %s differ: char %llu, line %llu\n", argv[optind],
				       argv[optind + 1], byte, line);
			return 1;
		}
		if (x == '\n')
			line++;
	}
}
