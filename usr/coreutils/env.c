/*
 * env: print the environment, or run COMMAND in a changed one
 * (-i empty, -u NAME unset, NAME=VALUE set). Status 125 for env's own
 * errors, 126 if COMMAND cannot run, 127 if it is not found (GNU).
 * which: the PATH entries that hold an executable COMMAND.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

extern char **environ;

int env_main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+iu:0")) != -1) {
		switch (c) {
		case 'i': clearenv(); break;
		case 'u':
			if (unsetenv(optarg)) {
				warn_errno("cannot unset '%s'", optarg);
				return 125;
			}
			break;
		case '0': break;
		default: usage();
		}
	}
	/* A lone "-" is the old spelling of -i. */
	if (optind < argc && !strcmp(argv[optind], "-")) {
		clearenv();
		optind++;
	}
	for (; optind < argc && strchr(argv[optind], '='); optind++) {
		if (putenv(argv[optind])) {
			warn_errno("cannot set '%s'", argv[optind]);
			return 125;
		}
	}
	if (optind == argc) {
		for (char **e = environ; e && *e; e++)
			puts(*e);
		return fflush(stdout) ? 125 : 0;
	}
	execvp(argv[optind], argv + optind);
	c = errno;
	warn_errno("'%s'", argv[optind]);
	return c == ENOENT ? 127 : 126;
}

int which_main(int argc, char **argv)
{
	const char *path = getenv("PATH");
	int c, all = 0, ret = 0;

	while ((c = getopt(argc, argv, "a")) != -1) {
		if (c != 'a')
			usage();
		all = 1;
	}
	if (optind == argc)
		usage();
	if (!path)
		path = "/bin:/usr/bin:/sbin:/usr/sbin";
	for (int i = optind; i < argc; i++) {
		const char *p = path;
		int found = 0;

		if (strchr(argv[i], '/')) {
			struct stat st;

			if (!stat(argv[i], &st) && S_ISREG(st.st_mode) && !access(argv[i], X_OK)) {
				puts(argv[i]);
				continue;
			}
			ret = 1;
			continue;
		}
		while (*p || p == path) {
			const char *colon = strchr(p, ':');
			size_t len = colon ? (size_t)(colon - p) : strlen(p);
			char *dir = len ? strndup(p, len) : strdup(".");
			char *full = path_join(dir, argv[i]);
			struct stat st;

			if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK)) {
				puts(full);
				found = 1;
			}
			free(dir);
			free(full);
			if ((found && !all) || !colon)
				break;
			p = colon + 1;
		}
		if (!found)
			ret = 1;
	}
	return ret;
}
