/*
 * sleep NUMBER[smhd]...: the sum of the operands, fractions allowed;
 * nanosleep is restarted after signals that do not kill us.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "exobox.h"

int sleep_main(int argc, char **argv)
{
	long double total = 0;
	struct timespec ts, rem;

	if (argc < 2) {
		warn("missing operand");
		usage();
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		long double v = strtold(argv[i], &end);

		if (end == argv[i] || v < 0 || (end[0] && end[1]))
			goto bad;
		switch (*end) {
		case 'd': v *= 24;	/* fall through */
		case 'h': v *= 60;	/* fall through */
		case 'm': v *= 60;	/* fall through */
		case 's': case '\0': break;
		default: goto bad;
		}
		total += v;
		continue;
bad:
		warn("invalid time interval '%s'", argv[i]);
		usage();
	}
	ts.tv_sec = (time_t)total;
	ts.tv_nsec = (long)((total - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &rem) && errno == EINTR)
		ts = rem;
	return 0;
}
