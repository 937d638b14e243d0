/*
 * cp: copy files and trees (copy.c does the work).
 *   cp SRC DST | cp SRC... DIR, -r/-R recursive, -p preserve, -f, -P, -a = -rpP
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

int cp_main(int argc, char **argv)
{
	struct copy_opts o = { 0 };
	struct stat st;
	int c, ret = 0, to_dir;
	const char *dest;

	while ((c = getopt(argc, argv, "rRpfaPdL")) != -1) {
		switch (c) {
		case 'r': case 'R': o.recursive = 1; break;
		case 'p': o.preserve = 1; break;
		case 'f': o.force = 1; break;
		case 'a': o.recursive = o.preserve = o.no_deref = 1; break;
		case 'P': case 'd': o.no_deref = 1; break;
		case 'L': o.no_deref = 0; break;
		default: usage();
		}
	}
	argv += optind;
	argc -= optind;
	if (argc < 2) {
		warn(argc ? "missing destination file operand after '%s'" : "missing file operand",
		     argv[0]);
		usage();
	}
	/* Recursive copies copy symlinks found inside the tree as symlinks (GNU: -r implies -P
	 * for everything but the command-line operands; we do it for all). */
	if (o.recursive)
		o.no_deref = 1;
	dest = argv[argc - 1];
	to_dir = !stat(dest, &st) && S_ISDIR(st.st_mode);
	if (argc > 2 && !to_dir)
		die("target '%s' is not a directory", dest);
	for (int i = 0; i < argc - 1; i++) {
		char *t = to_dir ? path_join(dest, path_base(argv[i])) : strdup(dest);
		struct stat s1, s2;

		if (!stat(argv[i], &s1) && !stat(t, &s2) && s1.st_dev == s2.st_dev &&
		    s1.st_ino == s2.st_ino) {
			warn("'%s' and '%s' are the same file", argv[i], t);
			ret = 1;
		} else if (copy_path(argv[i], t, &o)) {
			ret = 1;
		}
		free(t);
	}
	return ret;
}
