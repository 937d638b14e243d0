/*
 * mount and umount.
 *   mount                         print /proc/mounts as "SRC on DIR type T (OPTS)"
 *   mount [-t TYPE] [-o OPTS] SRC DIR
 *   mount -t proc proc /proc      (SRC may be "none" for virtual file systems)
 *   umount [-f] [-l] DIR...
 * Options ro, rw, nosuid, nodev, noexec, sync, remount, bind, noatime,
 * relatime become mount flags; anything else goes to the file system as data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "exobox.h"

static const struct {
	const char *name;
	unsigned long set, clear;
} mount_flags[] = {
	{ "ro", MS_RDONLY, 0 }, { "rw", 0, MS_RDONLY }, { "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID }, { "nodev", MS_NODEV, 0 }, { "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 }, { "exec", 0, MS_NOEXEC }, { "sync", MS_SYNCHRONOUS, 0 },
	{ "async", 0, MS_SYNCHRONOUS }, { "remount", MS_REMOUNT, 0 }, { "bind", MS_BIND, 0 },
	{ "rbind", MS_BIND | MS_REC, 0 }, { "noatime", MS_NOATIME, 0 }, { "atime", 0, MS_NOATIME },
	{ "relatime", MS_RELATIME, 0 }, { "strictatime", MS_STRICTATIME, 0 }, { "defaults", 0, 0 },
};

static void options_parse(char *opts, unsigned long *flags, char *data, size_t len)
{
	for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
		size_t i;

		for (i = 0; i < sizeof(mount_flags) / sizeof(mount_flags[0]); i++) {
			if (!strcmp(o, mount_flags[i].name)) {
				*flags = (*flags | mount_flags[i].set) & ~mount_flags[i].clear;
				break;
			}
		}
		if (i < sizeof(mount_flags) / sizeof(mount_flags[0]))
			continue;
		if (*data)
			strncat(data, ",", len - strlen(data) - 1);
		strncat(data, o, len - strlen(data) - 1);
	}
}

int mount_main(int argc, char **argv)
{
	const char *type = NULL, *src, *dir;
	unsigned long flags = 0;
	char data[1024] = "";
	int c;

	while ((c = getopt(argc, argv, "t:o:rwnv")) != -1) {
		switch (c) {
		case 't': type = optarg; break;
		case 'o': options_parse(optarg, &flags, data, sizeof(data)); break;
		case 'r': flags |= MS_RDONLY; break;
		case 'w': flags &= ~MS_RDONLY; break;
		case 'n': case 'v': break;
		default: usage();
		}
	}
	if (optind == argc && !type) {
		char buf[1 << 16];

		if (read_small_file("/proc/mounts", buf, sizeof(buf)) < 0)
			die_errno("cannot read /proc/mounts (is procfs mounted?)");
		/* util-linux's layout: "SRC on DIR type TYPE (OPTIONS)". */
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
			char s[256], d[256], t[64], o[512];

			if (sscanf(l, "%255s %255s %63s %511s", s, d, t, o) == 4)
				printf("%s on %s type %s (%s)\n", s, d, t, o);
		}
		return 0;
	}
	if (argc - optind == 1 && (flags & MS_REMOUNT)) {
		src = "none";
		dir = argv[optind];
	} else if (argc - optind == 2) {
		src = argv[optind];
		dir = argv[optind + 1];
	} else {
		warn(argc - optind == 1 ? "can't find %s in /etc/fstab (there is none)" : "bad usage",
		     argv[optind]);
		usage();
	}
	if (mount(src, dir, type, flags, *data ? data : NULL)) {
		int err = errno;

		if (err == ENODEV)
			die("%s: unknown filesystem type '%s'", dir, type ? type : "");
		errno = err;
		die_errno("mounting %s on %s failed", src, dir);
	}
	return 0;
}

int umount_main(int argc, char **argv)
{
	int c, flags = 0, ret = 0;

	while ((c = getopt(argc, argv, "flnv")) != -1) {
		switch (c) {
		case 'f': flags |= MNT_FORCE; break;
		case 'l': flags |= MNT_DETACH; break;
		case 'n': case 'v': break;
		default: usage();
		}
	}
	if (optind == argc) {
		warn("missing operand");
		usage();
	}
	for (int i = optind; i < argc; i++) {
		if (umount2(argv[i], flags)) {
			warn_errno("%s", argv[i]);
			ret = 1;
		}
	}
	return ret;
}
