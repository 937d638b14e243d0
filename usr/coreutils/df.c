/*
 * df: space on the mounted file systems (from /proc/mounts) or on the ones
 * holding FILEs, through statfs(2). Exo-OS may not implement statfs yet;
 * df then says so plainly instead of printing zeros.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "exobox.h"

static int human, show_type;

static void size_fmt(unsigned long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double v = bytes;
	int u = -1;

	if (!human) {
		snprintf(buf, len, "%llu", (bytes + 1023) / 1024);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", bytes);
	else if (v < 10)
		snprintf(buf, len, "%.1f%c", (double)((long long)(v * 10 + 0.999)) / 10, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v + 0.499, units[u]);
}

static int df_one(const char *src, const char *type, const char *dir, int explicit)
{
	char total[32], used[32], avail[32], pct[8];
	unsigned long long bs, blocks, bfree, bavail;
	struct statfs sf;

	if (statfs(dir, &sf)) {
		if (errno == ENOSYS)
			die("statfs is not implemented by this kernel (ENOSYS): sizes are unknown");
		if (explicit)
			warn_errno("%s", dir);
		return explicit ? -1 : 0;
	}
	if (!explicit && !sf.f_blocks)
		return 0;
	bs = sf.f_frsize ? sf.f_frsize : sf.f_bsize;
	blocks = sf.f_blocks * bs;
	bfree = sf.f_bfree * bs;
	bavail = sf.f_bavail * bs;
	size_fmt(blocks, total, sizeof(total));
	size_fmt(blocks - bfree, used, sizeof(used));
	size_fmt(bavail, avail, sizeof(avail));
	if (blocks - bfree + bavail)
		snprintf(pct, sizeof(pct), "%llu%%",
			 ((blocks - bfree) * 100 + (blocks - bfree + bavail) - 1) / (blocks - bfree + bavail));
	else
		strcpy(pct, "-");
	if (show_type)
		printf("%-14s %-8s %9s %9s %9s %4s %s\n", src, type, total, used, avail, pct, dir);
	else
		printf("%-14s %9s %9s %9s %4s %s\n", src, total, used, avail, pct, dir);
	return 0;
}

int df_main(int argc, char **argv)
{
	char buf[1 << 16];
	int c, ret = 0;

	while ((c = getopt(argc, argv, "hkTaP")) != -1) {
		switch (c) {
		case 'h': human = 1; break;
		case 'T': show_type = 1; break;
		case 'k': case 'a': case 'P': break;
		default: usage();
		}
	}
	if (read_small_file("/proc/mounts", buf, sizeof(buf)) < 0 && optind == argc)
		die_errno("cannot read /proc/mounts (is procfs mounted?)");
	printf(show_type ? "%-14s %-8s %9s %9s %9s %4s %s\n" : "%-14s%.0s %9s %9s %9s %4s %s\n",
	       "Filesystem", "Type", human ? "Size" : "1K-blocks", "Used", "Available", "Use%",
	       "Mounted on");
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			if (df_one(argv[i], "-", argv[i], 1))
				ret = 1;
		return ret;
	}
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char src[256], dir[256], type[64];

		if (sscanf(line, "%255s %255s %63s", src, dir, type) == 3)
			df_one(src, type, dir, 0);
	}
	return ret;
}
