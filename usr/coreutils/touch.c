/*
 * touch: create files and set their times to now, -d DATE or -r FILE's;
 * -a/-m restrict to one of the two times; -c never creates.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

int touch_main(int argc, char **argv)
{
	struct timespec ts[2] = { { .tv_nsec = UTIME_NOW }, { .tv_nsec = UTIME_NOW } };
	int c, only_a = 0, only_m = 0, no_create = 0, ret = 0;
	struct stat st;

	while ((c = getopt(argc, argv, "acmd:r:fh")) != -1) {
		switch (c) {
		case 'a': only_a = 1; break;
		case 'm': only_m = 1; break;
		case 'c': no_create = 1; break;
		case 'd':
			if (date_parse(optarg, 0, &ts[0]))
				die("invalid date format '%s'", optarg);
			ts[1] = ts[0];
			break;
		case 'r':
			if (stat(optarg, &st))
				die_errno("failed to get attributes of '%s'", optarg);
			ts[0] = st.st_atim;
			ts[1] = st.st_mtim;
			break;
		case 'f': case 'h': break;
		default: usage();
		}
	}
	if (optind == argc) {
		warn("missing file operand");
		usage();
	}
	if (only_a && !only_m)
		ts[1].tv_nsec = UTIME_OMIT;
	if (only_m && !only_a)
		ts[0].tv_nsec = UTIME_OMIT;
	for (int i = optind; i < argc; i++) {
		if (!no_create) {
			int fd = open(argv[i], O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0666);

			int err = errno;

			if (fd >= 0) {
				close(fd);
			} else if (err != EISDIR && access(argv[i], F_OK)) {
				errno = err;	/* open's reason (EROFS, EACCES), not access's ENOENT */
				warn_errno("cannot touch '%s'", argv[i]);
				ret = 1;
				continue;
			}
		}
		if (utimensat(AT_FDCWD, argv[i], ts, 0)) {
			if (no_create && errno == ENOENT)
				continue;
			warn_errno("setting times of '%s'", argv[i]);
			ret = 1;
		}
	}
	return ret;
}
