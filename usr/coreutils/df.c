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

#define DF_COLS 7
#define DF_MAX_ROWS 256

/* Rows are collected first: GNU sizes every column to its widest cell. */
static char *rows[DF_MAX_ROWS][DF_COLS];
static int nrows;

static void row_add(const char *c0, const char *c1, const char *c2, const char *c3,
		    const char *c4, const char *c5, const char *c6)
{
	const char *cells[DF_COLS] = { c0, c1, c2, c3, c4, c5, c6 };

	if (nrows == DF_MAX_ROWS)
		return;
	for (int i = 0; i < DF_COLS; i++)
		rows[nrows][i] = strdup(cells[i]);
	nrows++;
}

static void rows_print(void)
{
	/* GNU's minimum widths: 14 for the source, 5 for sizes in -h. */
	int width[DF_COLS] = { 14, 0, human ? 5 : 0, human ? 5 : 0, human ? 5 : 0, 0, 0 };

	for (int r = 0; r < nrows; r++)
		for (int c = 0; c < DF_COLS; c++)
			if ((int)strlen(rows[r][c]) > width[c])
				width[c] = strlen(rows[r][c]);
	for (int r = 0; r < nrows; r++) {
		printf("%-*s", width[0], rows[r][0]);
		if (show_type)
			printf(" %-*s", width[1], rows[r][1]);
		for (int c = 2; c < 6; c++)
			printf(" %*s", width[c], rows[r][c]);
		printf(" %s\n", rows[r][6]);
	}
}

static int df_one(const char *src, const char *type, const char *dir, int explicit)
{
	char total[32], used[32], avail[32], pct[8];
	unsigned long long bs, blocks, bfree, bavail;
	struct statfs sf;

	for (int r = 1; r < nrows && !explicit; r++)
		if (!strcmp(rows[r][6], dir))
			return 0;
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
	row_add(src, type, total, used, avail, pct, dir);
	return 0;
}

/* The mount that holds @path: the longest mount point prefix in /proc/mounts. */
static void mount_of(char *mounts, const char *path, char *src, char *type, char *dir)
{
	char real[4096], s[256], d[256], t[64];
	size_t best = 0;

	strcpy(src, "-");
	strcpy(type, "-");
	strcpy(dir, path);
	if (!realpath(path, real))
		return;
	for (char *p = mounts; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t dl;

		if (sscanf(p, "%255s %255s %63s", s, d, t) != 3)
			continue;
		dl = strlen(d);
		if (!strncmp(real, d, dl) && (real[dl] == '/' || !real[dl] || dl == 1) && dl >= best) {
			best = dl;
			strcpy(src, s);
			strcpy(type, t);
			strcpy(dir, d);
		}
	}
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
	if (read_small_file("/proc/mounts", buf, sizeof(buf)) < 0) {
		if (optind == argc)
			die_errno("cannot read /proc/mounts (is procfs mounted?)");
		buf[0] = '\0';
	}
	row_add("Filesystem", "Type", human ? "Size" : "1K-blocks", "Used",
		human ? "Avail" : "Available", "Use%", "Mounted on");
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			char src[256], type[64], dir[4096];

			mount_of(buf, argv[i], src, type, dir);
			if (df_one(src, type, dir, 1))
				ret = 1;
		}
	} else {
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
			char src[256], dir[256], type[64];

			if (sscanf(line, "%255s %255s %63s", src, dir, type) == 3)
				df_one(src, type, dir, 0);
		}
	}
	rows_print();
	return ret;
}
