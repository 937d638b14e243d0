/*
 * ln: hard or (-s) symbolic links. ln TARGET LINK | ln TARGET... DIR;
 * -f replaces an existing LINK; -n does not follow a LINK that is a symlink
 * to a directory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

int ln_main(int argc, char **argv)
{
	int c, sym = 0, force = 0, noderef = 0, ret = 0, to_dir = 0;
	struct stat st;
	const char *dest;

	while ((c = getopt(argc, argv, "sfnTv")) != -1) {
		switch (c) {
		case 's': sym = 1; break;
		case 'f': force = 1; break;
		case 'n': case 'T': noderef = 1; break;
		case 'v': break;
		default: usage();
		}
	}
	argv += optind;
	argc -= optind;
	if (argc < 1) {
		warn("missing file operand");
		usage();
	}
	if (argc == 1) {
		dest = ".";
		to_dir = 1;
	} else {
		dest = argv[--argc];
		if (noderef && !lstat(dest, &st) && S_ISLNK(st.st_mode))
			to_dir = 0;
		else
			to_dir = !stat(dest, &st) && S_ISDIR(st.st_mode);
		if (argc > 1 && !to_dir)
			die("target '%s' is not a directory", dest);
	}
	for (int i = 0; i < argc; i++) {
		char *t = to_dir ? path_join(dest, path_base(argv[i])) : strdup(dest);
		int r = sym ? symlink(argv[i], t) : link(argv[i], t);

		if (r && errno == EEXIST && force) {
			unlink(t);
			r = sym ? symlink(argv[i], t) : link(argv[i], t);
		}
		if (r) {
			if (sym || errno == EEXIST)
				warn_errno("failed to create %s link '%s'", sym ? "symbolic" : "hard", t);
			else
				warn_errno("failed to create hard link '%s' => '%s'", t, argv[i]);
			ret = 1;
		}
		free(t);
	}
	return ret;
}
