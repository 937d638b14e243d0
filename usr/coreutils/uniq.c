/*
 * uniq: collapse adjacent equal lines. -c counts ("%7lu "), -d only
 * repeated lines, -u only unique ones, -i ignores case, -f N skips fields,
 * -s N skips characters. uniq [INPUT [OUTPUT]].
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exobox.h"

static int icase, skip_fields, skip_chars;

static const char *skip(const char *s)
{
	for (int f = 0; f < skip_fields; f++) {
		while (*s && isblank((unsigned char)*s))
			s++;
		while (*s && !isblank((unsigned char)*s))
			s++;
	}
	for (int c = 0; c < skip_chars && *s; c++)
		s++;
	return s;
}

static int same(const char *a, const char *b)
{
	a = skip(a);
	b = skip(b);
	return icase ? !strcasecmp(a, b) : !strcmp(a, b);
}

int uniq_main(int argc, char **argv)
{
	int c, count = 0, dups = 0, uniques = 0;
	char *prev = NULL, *line = NULL;
	size_t cap = 0;
	unsigned long n = 0;
	FILE *in = stdin, *out = stdout;
	ssize_t len;
	long v;

	while ((c = getopt(argc, argv, "cduif:s:")) != -1) {
		switch (c) {
		case 'c': count = 1; break;
		case 'd': dups = 1; break;
		case 'u': uniques = 1; break;
		case 'i': icase = 1; break;
		case 'f':
		case 's':
			if (parse_long(optarg, &v) || v < 0)
				die("%s: invalid number of %s to skip", optarg, c == 'f' ? "fields" : "bytes");
			*(c == 'f' ? &skip_fields : &skip_chars) = v;
			break;
		default: usage();
		}
	}
	if (argc - optind > 2) {
		warn("extra operand '%s'", argv[optind + 2]);
		usage();
	}
	if (optind < argc && strcmp(argv[optind], "-") && !(in = fopen(argv[optind], "r")))
		die_errno("%s", argv[optind]);
	if (optind + 1 < argc && !(out = fopen(argv[optind + 1], "w")))
		die_errno("%s", argv[optind + 1]);
	for (;;) {
		len = getline(&line, &cap, in);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len >= 0 && prev && same(prev, line)) {
			n++;
			continue;
		}
		if (prev && (!dups || n > 1) && (!uniques || n == 1)) {
			if (count)
				fprintf(out, "%7lu ", n);
			fprintf(out, "%s\n", prev);
		}
		if (len < 0)
			break;
		free(prev);
		prev = strdup(line);
		n = 1;
	}
	return fflush(out) ? 1 : 0;
}
