/*
 * seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST: numbers, integers printed as
 * integers; with a fractional operand, as many decimals as the operands use.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exobox.h"

static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');

	return dot ? (int)strlen(dot + 1) : 0;
}

static double num(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end) {
		warn("invalid floating point argument: '%s'", s);
		usage();
	}
	return v;
}

int seq_main(int argc, char **argv)
{
	const char *sep = "\n";
	double first = 1, step = 1, last;
	int c, equal = 0, prec = 0, width = 0, nargs;
	char fmt[32];

	/* Negative numbers are operands, not options. */
	while (optind < argc && argv[optind][0] == '-' &&
	    !(argv[optind][1] >= '0' && argv[optind][1] <= '9') && argv[optind][1] != '.' &&
	    (c = getopt(argc, argv, "s:w")) != -1) {
		if (c == 's')
			sep = optarg;
		else if (c == 'w')
			equal = 1;
		else
			usage();
	}
	nargs = argc - optind;
	if (nargs < 1 || nargs > 3) {
		warn(nargs < 1 ? "missing operand" : "extra operand '%s'", argv[argc - 1]);
		usage();
	}
	last = num(argv[argc - 1]);
	if (nargs >= 2)
		first = num(argv[optind]);
	if (nargs == 3)
		step = num(argv[optind + 1]);
	for (int i = optind; i < argc; i++)
		if (decimals(argv[i]) > prec && !(i == argc - 1 && nargs > 1))
			prec = decimals(argv[i]);
	if (step == 0)
		die("invalid Zero increment value: '%s'", argv[optind + 1]);
	if (equal) {
		char a[64], b[64];
		int la = snprintf(a, sizeof(a), "%.*f", prec, first);
		int lb = snprintf(b, sizeof(b), "%.*f", prec, last);

		width = la > lb ? la : lb;
	}
	snprintf(fmt, sizeof(fmt), "%%%s%d.%df", equal ? "0" : "", width, prec);
	long i;

	for (i = 0;; i++) {
		double v = first + i * step;

		if ((step > 0 && v > last + 1e-10) || (step < 0 && v < last - 1e-10))
			break;
		if (i)
			fputs(sep, stdout);
		printf(fmt, v);
	}
	if (i)
		putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
