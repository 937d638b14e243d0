/*
 * mkdir (-p parents, -m mode) and rmdir (-p ancestors).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

static int mkdir_parents(char *path, mode_t mode)
{
	struct stat st;
	char *p = path;

	for (;;) {
		while (*p == '/')
			p++;
		p = strchr(p, '/');
		if (p)
			*p = '\0';
		if (mkdir(path, p ? 0777 : mode) && errno != EEXIST) {
			warn_errno("cannot create directory '%s'", path);
			return -1;
		}
		if (!p)
			break;
		*p = '/';
	}
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		warn_errno("cannot create directory '%s'", path);
		return -1;
	}
	return 0;
}

int mkdir_main(int argc, char **argv)
{
	int c, parents = 0, ret = 0;
	const char *mode_spec = NULL;
	mode_t mode = 0777;

	while ((c = getopt(argc, argv, "pm:v")) != -1) {
		switch (c) {
		case 'p': parents = 1; break;
		case 'm': mode_spec = optarg; break;
		case 'v': break;
		default: usage();
		}
	}
	if (mode_spec) {
		/* GNU: symbolic modes apply to a=rwx (so "g=rx" leaves o's bits). */
		long m = mode_parse(mode_spec, 0777, 1);

		if (m < 0)
			die("invalid mode '%s'", mode_spec);
		mode = m;
	}
	if (optind == argc) {
		warn("missing operand");
		usage();
	}
	for (int i = optind; i < argc; i++) {
		char *path = strdup(argv[i]);

		if (parents) {
			if (mkdir_parents(path, mode))
				ret = 1;
		} else if (mkdir(path, mode)) {
			warn_errno("cannot create directory '%s'", path);
			ret = 1;
		}
		/* -m is exact: the umask must not narrow it. */
		if (mode_spec && !ret && chmod(path, mode)) {
			warn_errno("cannot set permissions of '%s'", path);
			ret = 1;
		}
		free(path);
	}
	return ret;
}

int rmdir_main(int argc, char **argv)
{
	int c, parents = 0, ret = 0;

	while ((c = getopt(argc, argv, "pv")) != -1) {
		if (c == 'p')
			parents = 1;
		else if (c != 'v')
			usage();
	}
	if (optind == argc) {
		warn("missing operand");
		usage();
	}
	for (int i = optind; i < argc; i++) {
		char *path = strdup(argv[i]), *slash;

		for (;;) {
			if (rmdir(path)) {
				warn_errno("failed to remove '%s'", path);
				ret = 1;
				break;
			}
			if (!parents)
				break;
			while ((slash = strrchr(path, '/')) && !slash[1] && slash != path)
				*slash = '\0';
			slash = strrchr(path, '/');
			if (!slash || slash == path)
				break;
			while (slash > path && slash[-1] == '/')
				slash--;
			*slash = '\0';
		}
		free(path);
	}
	return ret;
}
