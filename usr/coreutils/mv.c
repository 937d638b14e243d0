/*
 * mv: rename(2), or copy and remove when the target is on another file
 * system (EXDEV). mv SRC DST | mv SRC... DIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

static int mv_one(const char *src, const char *dst)
{
	struct copy_opts o = { .recursive = 1, .preserve = 1, .no_deref = 1 };
	struct stat st;

	if (!rename(src, dst))
		return 0;
	if (errno != EXDEV) {
		warn_errno("cannot move '%s' to '%s'", src, dst);
		return -1;
	}
	if (!lstat(dst, &st) && remove_path(dst, S_ISDIR(st.st_mode), 1))
		return -1;
	if (copy_path(src, dst, &o))
		return -1;
	return remove_path(src, 1, 0);
}

int mv_main(int argc, char **argv)
{
	struct stat st;
	const char *dest;
	int c, ret = 0, to_dir;

	while ((c = getopt(argc, argv, "fin")) != -1)
		if (c == '?')
			usage();
	argv += optind;
	argc -= optind;
	if (argc < 2) {
		warn(argc ? "missing destination file operand after '%s'" : "missing file operand",
		     argv[0]);
		usage();
	}
	dest = argv[argc - 1];
	to_dir = !stat(dest, &st) && S_ISDIR(st.st_mode);
	if (argc > 2 && !to_dir)
		die("target '%s' is not a directory", dest);
	for (int i = 0; i < argc - 1; i++) {
		char *t = to_dir ? path_join(dest, path_base(argv[i])) : strdup(dest);

		if (mv_one(argv[i], t))
			ret = 1;
		free(t);
	}
	return ret;
}
