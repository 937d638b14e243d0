/*
 * kill: send a signal (-s NAME, -NAME, -N; default TERM) to PIDs (negative:
 * a process group), or list signal names (-l, -l N for one name, -l NAME
 * for its number).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "exobox.h"

static int kill_list(int argc, char **argv)
{
	int ret = 0;

	if (!argc) {
		for (int s = 1; s < 32; s++)
			if (signal_name(s))
				printf("%s%c", signal_name(s), s % 8 && s != 31 ? ' ' : '\n');
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		long n;

		if (!parse_long(argv[i], &n)) {
			/* "kill -l $?" after a signal death: status 128+N names N. */
			if (n > 128)
				n -= 128;
			if (!signal_name(n)) {
				warn("%s: invalid signal specification", argv[i]);
				ret = 1;
				continue;
			}
			puts(signal_name(n));
		} else {
			int s = signal_number(argv[i]);

			if (s <= 0) {
				warn("%s: invalid signal specification", argv[i]);
				ret = 1;
				continue;
			}
			printf("%d\n", s);
		}
	}
	return ret;
}

int kill_main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "-l"))
		return kill_list(argc - 2, argv + 2);
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		sig = signal_number(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--") &&
		   !(argv[1][1] >= '0' && argv[1][1] <= '9' && argc == 2)) {
		sig = signal_number(argv[1] + 1);
		i = 2;
		if (!strncmp(argv[1], "-s", 2) && argv[1][2])
			sig = signal_number(argv[1] + 2);
	}
	if (sig < 0) {
		warn("%s: invalid signal specification", argv[i - 1] + (argv[i - 1][0] == '-'));
		return 1;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc) {
		warn("not enough arguments");
		usage();
	}
	for (; i < argc; i++) {
		long pid;

		if (parse_long(argv[i], &pid)) {
			warn("%s: arguments must be process or job IDs", argv[i]);
			ret = 1;
			continue;
		}
		if (kill(pid, sig)) {
			warn_errno("(%ld)", pid);
			ret = 1;
		}
	}
	return ret;
}
