/*
 * uname: -s -n -r -v -m (and -a for all of them, -o the system name,
 * -p and -i "unknown" as GNU prints them, left out of -a).
 */
#include <sys/utsname.h>
#include <unistd.h>

#include "exobox.h"

int uname_main(int argc, char **argv)
{
	enum { S = 1, N = 2, R = 4, V = 8, M = 16, P = 32, I = 64, O = 128 };
	struct utsname u;
	int c, want = 0, all = 0;
	const char *sep = "";

	while ((c = getopt(argc, argv, "asnrvmpio")) != -1) {
		switch (c) {
		case 'a': all = 1; want |= S | N | R | V | M | O; break;
		case 's': want |= S; break;
		case 'n': want |= N; break;
		case 'r': want |= R; break;
		case 'v': want |= V; break;
		case 'm': want |= M; break;
		case 'p': want |= P; break;
		case 'i': want |= I; break;
		case 'o': want |= O; break;
		default: usage();
		}
	}
	if (optind < argc) {
		warn("extra operand '%s'", argv[optind]);
		usage();
	}
	if (!want)
		want = S;
	if (uname(&u))
		die_errno("cannot get system name");
#define FIELD(bit, str)						\
	do {							\
		if (want & (bit)) {				\
			printf("%s%s", sep, str);		\
			sep = " ";				\
		}						\
	} while (0)
	FIELD(S, u.sysname);
	FIELD(N, u.nodename);
	FIELD(R, u.release);
	FIELD(V, u.version);
	FIELD(M, u.machine);
	if (!all) {
		FIELD(P, "unknown");
		FIELD(I, "unknown");
	}
	/* GNU prints "GNU/Linux"; these binaries are not GNU's: the kernel's name. */
	FIELD(O, u.sysname);
#undef FIELD
	putchar('\n');
	return 0;
}
