/*
 * The one-screen applets: true, false, yes, clear, sync, pwd, basename,
 * dirname.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

int true_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int false_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 1;
}

int yes_main(int argc, char **argv)
{
	char buf[8192];
	size_t len = 0, unit;

	if (argc < 2) {
		buf[len++] = 'y';
	} else {
		for (int i = 1; i < argc; i++) {
			size_t l = strlen(argv[i]);

			if (len + l + 1 >= sizeof(buf) / 2)
				die("argument list too long");
			if (i > 1)
				buf[len++] = ' ';
			memcpy(buf + len, argv[i], l);
			len += l;
		}
	}
	buf[len++] = '\n';
	/* Fill the buffer with whole copies: fewer write() calls. */
	for (unit = len; len + unit <= sizeof(buf); len += unit)
		memcpy(buf + len, buf, unit);
	for (;;)
		if (write_all(1, buf, len))
			return 1;
}

int clear_main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		usage();
	/* Home, erase the screen, erase the scrollback (xterm's E3). */
	fputs("\033[H\033[2J\033[3J", stdout);
	return fflush(stdout) ? 1 : 0;
}

int sync_main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		usage();
	sync();
	return 0;
}

int pwd_main(int argc, char **argv)
{
	char buf[PATH_MAX];
	const char *env = getenv("PWD");
	struct stat a, b;
	int c, logical = 0;

	while ((c = getopt(argc, argv, "LP")) != -1) {
		if (c == '?')
			usage();
		logical = c == 'L';
	}
	if (logical && env && env[0] == '/' && !stat(env, &a) && !stat(".", &b) &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		puts(env);
		return 0;
	}
	if (!getcwd(buf, sizeof(buf)))
		die_errno("couldn't get the current directory");
	puts(buf);
	return 0;
}

int basename_main(int argc, char **argv)
{
	const char *b;
	size_t bl, sl;

	if (argc < 2 || argc > 3) {
		warn(argc < 2 ? "missing operand" : "extra operand '%s'", argv[argc - 1]);
		usage();
	}
	b = path_base(argv[1]);
	bl = strlen(b);
	if (argc == 3) {
		sl = strlen(argv[2]);
		if (sl < bl && !strcmp(b + bl - sl, argv[2]))
			bl -= sl;
	}
	printf("%.*s\n", (int)bl, b);
	return 0;
}

int dirname_main(int argc, char **argv)
{
	if (argc < 2) {
		warn("missing operand");
		usage();
	}
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i];
		size_t len = strlen(p);

		/* Strip trailing slashes, the last component, then the slashes before it. */
		while (len > 1 && p[len - 1] == '/')
			len--;
		while (len && p[len - 1] != '/')
			len--;
		if (!len) {
			puts(".");
			continue;
		}
		while (len > 1 && p[len - 1] == '/')
			len--;
		printf("%.*s\n", (int)len, p);
	}
	return 0;
}
