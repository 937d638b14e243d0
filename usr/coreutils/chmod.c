/*
 * chmod: octal or symbolic modes, -R recursive. Symlinks met in a -R walk
 * are skipped; named on the command line they are followed (GNU behaviour).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

static const char *mode_spec;
static int recursive;

static int chmod_path(const char *path, int top)
{
	struct stat st;
	struct dirent *de;
	long mode;
	int ret = 0;
	DIR *d;

	if ((top ? stat(path, &st) : lstat(path, &st))) {
		warn_errno("cannot access '%s'", path);
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		return 0;
	mode = mode_parse(mode_spec, st.st_mode, S_ISDIR(st.st_mode));
	if (chmod(path, mode)) {
		warn_errno("changing permissions of '%s'", path);
		ret = -1;
	} else {
		/* "chmod -w" leaves the bits the umask protects; GNU reports that. */
		mode_t um = umask(0);
		long want = mode_parse(mode_spec, st.st_mode, S_ISDIR(st.st_mode));

		umask(um);
		if (want != mode) {
			char got_s[11], want_s[11];

			mode_string(mode, got_s);
			mode_string(want, want_s);
			warn("%s: new permissions are %s, not %s", path, got_s + 1, want_s + 1);
			ret = -1;
		}
	}
	if (!recursive || !S_ISDIR(st.st_mode))
		return ret;
	d = opendir(path);
	if (!d) {
		warn_errno("cannot read directory '%s'", path);
		return -1;
	}
	while ((de = readdir(d))) {
		char *s;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		s = path_join(path, de->d_name);
		if (chmod_path(s, 0))
			ret = -1;
		free(s);
	}
	closedir(d);
	return ret;
}

int chmod_main(int argc, char **argv)
{
	int i = 1, ret = 0;

	/* Not getopt: "-w" or "-x" is a mode, not an option. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-R"))
			recursive = 1;
		else if (strcmp(argv[i], "-f") && strcmp(argv[i], "-v") && !strchr("rwxXst", argv[i][1]))
			usage();
		else if (strcmp(argv[i], "-f") && strcmp(argv[i], "-v"))
			break;
	}
	if (argc - i < 2) {
		warn(argc - i ? "missing operand after '%s'" : "missing operand", argv[argc - 1]);
		usage();
	}
	mode_spec = argv[i++];
	if (mode_parse(mode_spec, 0, 0) < 0)
		die("invalid mode: '%s'", mode_spec);
	for (; i < argc; i++)
		if (chmod_path(argv[i], 1))
			ret = 1;
	return ret;
}
