/*
 * date: print the time in GNU's default format ("%a %b %e %H:%M:%S %Z %Y")
 * or +FORMAT (strftime, plus %N nanoseconds); -u for UTC; -d STRING for
 * another time. Also date_parse(), the -d reader touch shares.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

int date_parse(const char *s, int utc, struct timespec *ts)
{
	struct tm tm = { 0 };
	int n = 0, y, mo, d, h = 0, mi = 0, sec = 0;
	time_t t;

	while (*s == ' ')
		s++;
	if (*s == '@') {
		char *end;
		double v = strtod(s + 1, &end);

		if (end == s + 1 || *end)
			return -1;
		ts->tv_sec = (time_t)v;
		ts->tv_nsec = (long)((v - (double)ts->tv_sec) * 1e9);
		return 0;
	}
	if (!strcmp(s, "now") || !*s)
		return clock_gettime(CLOCK_REALTIME, ts);
	if (sscanf(s, "%d-%d-%d%n", &y, &mo, &d, &n) == 3) {
		s += n;
		if (*s == 'T' || *s == ' ') {
			n = 0;
			if (sscanf(s + 1, "%d:%d%n", &h, &mi, &n) != 2)
				return -1;
			s += 1 + n;
			if (*s == ':') {
				n = 0;
				if (sscanf(s + 1, "%d%n", &sec, &n) != 1)
					return -1;
				s += 1 + n;
			}
		}
		if (*s == 'Z' && !s[1]) {
			utc = 1;
			s++;
		}
		if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
			return -1;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
	} else if (sscanf(s, "%d:%d%n", &h, &mi, &n) == 2) {
		time_t now = time(NULL);

		s += n;
		if (*s == ':' && sscanf(s + 1, "%d%n", &sec, &n) == 1)
			s += 1 + n;
		if (*s)
			return -1;
		tm = utc ? *gmtime(&now) : *localtime(&now);
	} else {
		return -1;
	}
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	t = utc ? timegm(&tm) : mktime(&tm);
	ts->tv_sec = t;
	ts->tv_nsec = 0;
	return 0;
}

/* strftime with %N added; the result goes to stdout. */
static void date_print(const char *fmt, const struct tm *tm, long nsec)
{
	size_t len = strlen(fmt);
	char *f = malloc(len * 5 + 1), *o = f, out[4096];

	if (!f)
		die("out of memory");
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 'N') {
			o += sprintf(o, "%09ld", nsec);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			*o++ = *p++;
			*o++ = *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	/* An empty result is legal ("+%p" in some locales): prefix a byte and drop it. */
	out[0] = 'x';
	len = strftime(out + 1, sizeof(out) - 1, f, tm);
	if (!len && *f) {
		out[1] = '\0';
	}
	puts(out + 1);
	free(f);
}

int date_main(int argc, char **argv)
{
	struct timespec ts;
	const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
	const char *when = NULL;
	struct tm *tm;
	int c, utc = 0;

	while ((c = getopt(argc, argv, "ud:R")) != -1) {
		switch (c) {
		case 'u': utc = 1; break;
		case 'd': when = optarg; break;
		case 'R': fmt = "%a, %d %b %Y %H:%M:%S %z"; break;
		default: usage();
		}
	}
	if (optind < argc) {
		if (argv[optind][0] != '+' || optind + 1 < argc) {
			warn("invalid date '%s'", argv[optind]);
			usage();
		}
		fmt = argv[optind] + 1;
	}
	if (utc)
		setenv("TZ", "UTC0", 1);
	if (when) {
		if (date_parse(when, utc, &ts))
			die("invalid date '%s'", when);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
	}
	tm = utc ? gmtime(&ts.tv_sec) : localtime(&ts.tv_sec);
	if (!tm)
		die("time %lld is out of range", (long long)ts.tv_sec);
	if (utc) {
		/* musl names the zone of gmtime "GMT"; GNU says UTC. */
		tm->tm_zone = "UTC";
	}
	date_print(fmt, tm, ts.tv_nsec);
	return 0;
}
