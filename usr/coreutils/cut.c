/*
 * cut: select bytes/characters (-b, -c: the same here, no multibyte) or
 * fields (-f, split at -d, TAB by default; -s drops lines without one).
 * LIST is N, N-M, N- or -M, comma separated; selected parts come out in
 * input order joined by the delimiter.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

struct range {
	long lo, hi;		/* 1-based, inclusive; hi LONG_MAX for "N-" */
};

static struct range *ranges;
static int nranges;

static void list_parse(const char *list)
{
	const char *p = list;

	while (*p) {
		struct range r = { 1, 0x7fffffffffffffffL };
		char *end;

		if (*p != '-') {
			r.lo = strtol(p, &end, 10);
			if (end == p || r.lo < 1)
				die("fields and positions are numbered from 1");
			p = end;
			r.hi = r.lo;
		}
		if (*p == '-') {
			p++;
			r.hi = 0x7fffffffffffffffL;
			if (*p >= '0' && *p <= '9') {
				r.hi = strtol(p, &end, 10);
				p = end;
			}
		}
		if (r.hi < r.lo)
			die("invalid decreasing range");
		if (*p && *p != ',')
			die("invalid field value '%s'", list);
		if (*p)
			p++;
		ranges = realloc(ranges, (nranges + 1) * sizeof(*ranges));
		ranges[nranges++] = r;
	}
	if (!nranges)
		die("fields and positions are numbered from 1");
}

static int selected(long i)
{
	for (int r = 0; r < nranges; r++)
		if (i >= ranges[r].lo && i <= ranges[r].hi)
			return 1;
	return 0;
}

int cut_main(int argc, char **argv)
{
	int c, mode = 0, only_delim = 0, ret = 0;
	char delim = '\t', *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((c = getopt(argc, argv, "b:c:f:d:sn")) != -1) {
		switch (c) {
		case 'b': case 'c': case 'f':
			if (mode)
				die("only one type of list may be specified");
			mode = c == 'f' ? 'f' : 'c';
			list_parse(optarg);
			break;
		case 'd':
			if (strlen(optarg) > 1)
				die("the delimiter must be a single character");
			delim = optarg[0];
			break;
		case 's': only_delim = 1; break;
		case 'n': break;
		default: usage();
		}
	}
	if (!mode) {
		warn("you must specify a list of bytes, characters, or fields");
		usage();
	}
	if (optind == argc)
		argv[--optind] = "-";
	for (int i = optind; i < argc; i++) {
		FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "r") : stdin;

		if (!f) {
			warn_errno("%s", argv[i]);
			ret = 1;
			continue;
		}
		while ((len = getline(&line, &cap, f)) >= 0) {
			if (len && line[len - 1] == '\n')
				line[--len] = '\0';
			if (mode == 'c') {
				for (ssize_t j = 0; j < len; j++)
					if (selected(j + 1))
						putchar(line[j]);
				putchar('\n');
				continue;
			}
			if (!memchr(line, delim, len)) {
				if (!only_delim)
					printf("%s\n", line);
				continue;
			}
			{
				char *p = line;
				long field = 1;
				int first = 1;

				for (;;) {
					char *e = memchr(p, delim, line + len - p);
					size_t flen = e ? (size_t)(e - p) : (size_t)(line + len - p);

					if (selected(field)) {
						if (!first)
							putchar(delim);
						fwrite(p, 1, flen, stdout);
						first = 0;
					}
					if (!e)
						break;
					p = e + 1;
					field++;
				}
				putchar('\n');
			}
		}
		if (f != stdin)
			fclose(f);
	}
	return ret;
}
