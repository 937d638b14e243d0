/*
 * rm: remove files; -r trees, -f no complaints about missing files.
 * Refuses "/" , "." and ".." as GNU does.
 */
#include <string.h>
#include <unistd.h>

#include "exobox.h"

int rm_main(int argc, char **argv)
{
	int c, recursive = 0, force = 0, ret = 0;

	while ((c = getopt(argc, argv, "rRfiv")) != -1) {
		switch (c) {
		case 'r': case 'R': recursive = 1; break;
		case 'f': force = 1; break;
		case 'i': case 'v': break;
		default: usage();
		}
	}
	if (optind == argc) {
		if (force)
			return 0;
		warn("missing operand");
		usage();
	}
	for (int i = optind; i < argc; i++) {
		const char *b = path_base(argv[i]);

		if (!strcmp(b, ".") || !strcmp(b, "..")) {
			warn("refusing to remove '.' or '..' directory: skipping '%s'", argv[i]);
			ret = 1;
		} else if (!strcmp(b, "/")) {
			warn("it is dangerous to operate recursively on '/'");
			ret = 1;
		} else if (remove_path(argv[i], recursive, force)) {
			ret = 1;
		}
	}
	return ret;
}
