/*
 * ls: list directory contents the way GNU ls does in the C locale.
 *
 * Operands that are not directories are listed first, then each directory
 * under a "name:" header when there is more than one operand or -R. Names
 * sort with strcmp (-t by time, -S by size, -r reverses). Output is one name
 * per line unless stdout is a terminal, where names go in columns as wide
 * as the terminal. -l prints mode, links, owner and group (names from
 * /etc/passwd and /etc/group when they exist, -n numeric), size (or device
 * numbers), the date ("Mon dd HH:MM" within six months, else "Mon dd  YYYY")
 * and "-> target" for symlinks.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

struct entry {
	char *name;		/* as printed */
	char *path;		/* for stat and readlink */
	struct stat st;
	int stat_ok;
};

static struct {
	int all, almost_all, dir_self, longfmt, numeric, recursive, reverse;
	int sort_size, sort_time, one_per_line, inode, classify;
} opt;

static int status;
static int printed_any;
static time_t now;

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = 0;

	if (opt.sort_time) {
		if (x->st.st_mtim.tv_sec != y->st.st_mtim.tv_sec)
			r = x->st.st_mtim.tv_sec < y->st.st_mtim.tv_sec ? 1 : -1;
		else if (x->st.st_mtim.tv_nsec != y->st.st_mtim.tv_nsec)
			r = x->st.st_mtim.tv_nsec < y->st.st_mtim.tv_nsec ? 1 : -1;
	} else if (opt.sort_size && x->st.st_size != y->st.st_size) {
		r = x->st.st_size < y->st.st_size ? 1 : -1;
	}
	if (!r)
		r = strcmp(x->name, y->name);
	return opt.reverse ? -r : r;
}

static const char *user_name(uid_t uid, char *buf)
{
	struct passwd *pw = opt.numeric ? NULL : getpwuid(uid);

	if (pw)
		return pw->pw_name;
	sprintf(buf, "%u", (unsigned)uid);
	return buf;
}

static const char *group_name(gid_t gid, char *buf)
{
	struct group *gr = opt.numeric ? NULL : getgrgid(gid);

	if (gr)
		return gr->gr_name;
	sprintf(buf, "%u", (unsigned)gid);
	return buf;
}

static char indicator(mode_t m)
{
	if (S_ISDIR(m))
		return '/';
	if (S_ISLNK(m))
		return '@';
	if (S_ISFIFO(m))
		return '|';
	if (S_ISSOCK(m))
		return '=';
	if (S_ISREG(m) && (m & 0111))
		return '*';
	return 0;
}

static int num_width(unsigned long long v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

static void print_name(const struct entry *e)
{
	fputs(e->name, stdout);
	if (opt.classify && e->stat_ok && indicator(e->st.st_mode) &&
	    !(opt.longfmt && S_ISLNK(e->st.st_mode)))
		putchar(indicator(e->st.st_mode));
}

static void print_long(struct entry *v, size_t n)
{
	int w_link = 1, w_user = 1, w_group = 1, w_size = 1, w_ino = 1;
	char ubuf[16], gbuf[16];

	for (size_t i = 0; i < n; i++) {
		struct stat *st = &v[i].st;
		int w;

		if (!v[i].stat_ok)
			continue;
		w = num_width(st->st_nlink);
		w_link = w > w_link ? w : w_link;
		w = strlen(user_name(st->st_uid, ubuf));
		w_user = w > w_user ? w : w_user;
		w = strlen(group_name(st->st_gid, gbuf));
		w_group = w > w_group ? w : w_group;
		if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
			w = num_width(major(st->st_rdev)) + 2 + num_width(minor(st->st_rdev));
		else
			w = num_width(st->st_size);
		w_size = w > w_size ? w : w_size;
		w = num_width(st->st_ino);
		w_ino = w > w_ino ? w : w_ino;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat *st = &v[i].st;
		char mode[11], date[32];
		struct tm *tm;
		time_t t;

		if (!v[i].stat_ok) {
			printf("l????????? ? ? ? ? ? %s\n", v[i].name);
			continue;
		}
		mode_string(st->st_mode, mode);
		if (opt.inode)
			printf("%*lu ", w_ino, (unsigned long)st->st_ino);
		printf("%s %*lu %-*s %-*s ", mode, w_link, (unsigned long)st->st_nlink,
		       w_user, user_name(st->st_uid, ubuf), w_group, group_name(st->st_gid, gbuf));
		if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
			char dev[32];

			snprintf(dev, sizeof(dev), "%u, %u", major(st->st_rdev), minor(st->st_rdev));
			printf("%*s ", w_size, dev);
		} else {
			printf("%*lld ", w_size, (long long)st->st_size);
		}
		t = st->st_mtim.tv_sec;
		tm = localtime(&t);
		/* GNU: the year instead of the time for dates over six months away. */
		if (tm && t <= now && now - t < 31556952 / 2)
			strftime(date, sizeof(date), "%b %e %H:%M", tm);
		else if (tm)
			strftime(date, sizeof(date), "%b %e  %Y", tm);
		else
			strcpy(date, "?");
		printf("%s ", date);
		print_name(&v[i]);
		if (S_ISLNK(st->st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlink(v[i].path, target, sizeof(target) - 1);

			if (len >= 0) {
				target[len] = '\0';
				printf(" -> %s", target);
			}
		}
		putchar('\n');
	}
}

static int term_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");

	if (cols && atoi(cols) > 0)
		return atoi(cols);
	if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_col)
		return ws.ws_col;
	return 80;
}

static int entry_width(const struct entry *e, int w_ino)
{
	int w = strlen(e->name) + (opt.inode ? w_ino + 1 : 0);

	if (opt.classify && e->stat_ok && indicator(e->st.st_mode))
		w++;
	return w;
}

/* Pad from column @from to @to with tabs where they fit, as GNU ls does. */
static void pad_to(int from, int to)
{
	while (from < to) {
		/* A tab only where it moves more than one column (GNU indent()). */
		if (to / 8 > (from + 1) / 8) {
			putchar('\t');
			from += 8 - from % 8;
		} else {
			putchar(' ');
			from++;
		}
	}
}

/* Columns filled top to bottom, as many as fit the terminal (the line must
 * stay shorter than it), two spaces apart at least. */
static void print_columns(struct entry *v, size_t n)
{
	int width = term_width(), w_ino = 1;
	size_t cols, rows;
	int *colw;

	for (size_t i = 0; i < n; i++)
		if (num_width(v[i].st.st_ino) > w_ino)
			w_ino = num_width(v[i].st.st_ino);
	if (!n)
		return;
	colw = calloc(n, sizeof(*colw));
	if (!colw)
		die("out of memory");
	for (cols = n; cols > 1; cols--) {
		int total = 0;

		rows = (n + cols - 1) / cols;
		if ((rows - 1) * cols >= n && cols > 1)
			continue;
		for (size_t c = 0; c < cols; c++) {
			colw[c] = 0;
			for (size_t r = 0; r < rows && c * rows + r < n; r++) {
				int w = entry_width(&v[c * rows + r], w_ino);

				colw[c] = w > colw[c] ? w : colw[c];
			}
			total += colw[c] + (c + 1 < cols ? 2 : 0);
		}
		if (total < width)
			break;
	}
	if (cols <= 1) {
		cols = 1;
		colw[0] = 0;
	}
	rows = (n + cols - 1) / cols;
	for (size_t r = 0; r < rows; r++) {
		int pos = 0;

		for (size_t c = 0; c < cols; c++) {
			size_t i = c * rows + r;
			int w;

			if (i >= n)
				break;
			if (opt.inode)
				printf("%*lu ", w_ino, (unsigned long)v[i].st.st_ino);
			print_name(&v[i]);
			w = entry_width(&v[i], w_ino);
			if (c + 1 < cols && (c + 1) * rows + r < n) {
				pad_to(pos + w, pos + colw[c] + 2);
				pos += colw[c] + 2;
			}
		}
		putchar('\n');
	}
	free(colw);
}

static void print_entries(struct entry *v, size_t n)
{
	qsort(v, n, sizeof(*v), entry_cmp);
	if (opt.longfmt) {
		print_long(v, n);
	} else if (opt.one_per_line) {
		int w_ino = 1;

		for (size_t i = 0; i < n; i++)
			if (num_width(v[i].st.st_ino) > w_ino)
				w_ino = num_width(v[i].st.st_ino);
		for (size_t i = 0; i < n; i++) {
			if (opt.inode)
				printf("%*lu ", w_ino, (unsigned long)v[i].st.st_ino);
			print_name(&v[i]);
			putchar('\n');
		}
	} else {
		print_columns(v, n);
	}
}

static void free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
}

static void list_dir(const char *path, int header)
{
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	unsigned long long blocks = 0;
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		warn_errno("cannot open directory '%s'", path);
		status = status ? status : 2;
		return;
	}
	if (printed_any)
		putchar('\n');
	printed_any = 1;
	if (header)
		printf("%s:\n", path);
	while ((de = readdir(d))) {
		const char *nm = de->d_name;

		if (nm[0] == '.' && !opt.all &&
		    (!opt.almost_all || !nm[1] || (nm[1] == '.' && !nm[2])))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[n].name = xstrdup(nm);
		v[n].path = path_join(path, nm);
		v[n].stat_ok = !lstat(v[n].path, &v[n].st);
		if (!v[n].stat_ok) {
			memset(&v[n].st, 0, sizeof(v[n].st));
			warn_errno("cannot access '%s'", v[n].path);
			status = 1;
		}
		blocks += v[n].st.st_blocks;
		n++;
	}
	closedir(d);
	if (opt.longfmt)
		printf("total %llu\n", (blocks + 1) / 2);
	print_entries(v, n);
	if (opt.recursive) {
		for (size_t i = 0; i < n; i++) {
			const char *nm = v[i].name;

			if (!v[i].stat_ok || !S_ISDIR(v[i].st.st_mode))
				continue;
			if (!strcmp(nm, ".") || !strcmp(nm, ".."))
				continue;
			list_dir(v[i].path, 1);
		}
	}
	free_entries(v, n);
}

int ls_main(int argc, char **argv)
{
	struct entry *files, *dirs;
	size_t nfiles = 0, ndirs = 0;
	int c, noperands;

	opt.one_per_line = !isatty(1);
	while ((c = getopt(argc, argv, "1aAdlnRrStiFCgo")) != -1) {
		switch (c) {
		case '1': opt.one_per_line = 1; break;
		case 'a': opt.all = 1; break;
		case 'A': opt.almost_all = 1; break;
		case 'd': opt.dir_self = 1; break;
		case 'l': opt.longfmt = 1; break;
		case 'n': opt.longfmt = opt.numeric = 1; break;
		case 'R': opt.recursive = 1; break;
		case 'r': opt.reverse = 1; break;
		case 'S': opt.sort_size = 1; break;
		case 't': opt.sort_time = 1; break;
		case 'i': opt.inode = 1; break;
		case 'F': opt.classify = 1; break;
		case 'C': opt.one_per_line = 0; break;
		default: usage();
		}
	}
	now = time(NULL);
	if (optind == argc)
		argv[--optind] = ".";
	noperands = argc - optind;
	files = calloc(noperands, sizeof(*files));
	dirs = calloc(noperands, sizeof(*dirs));
	if (!files || !dirs)
		die("out of memory");
	for (int i = optind; i < argc; i++) {
		struct entry e = { .name = xstrdup(argv[i]), .path = xstrdup(argv[i]) };
		int follow = !opt.longfmt && !opt.dir_self && !opt.classify;

		if (lstat(argv[i], &e.st)) {
			warn_errno("cannot access '%s'", argv[i]);
			status = 2;
			free(e.name);
			free(e.path);
			continue;
		}
		e.stat_ok = 1;
		/* GNU: with -l, -d or -F an operand symlink is shown as itself; else one to
		 * a directory is followed. */
		if (S_ISLNK(e.st.st_mode) && follow) {
			struct stat target;

			if (!stat(argv[i], &target) && S_ISDIR(target.st_mode))
				e.st = target;
		}
		if (S_ISDIR(e.st.st_mode) && !opt.dir_self)
			dirs[ndirs++] = e;
		else
			files[nfiles++] = e;
	}
	if (nfiles) {
		print_entries(files, nfiles);
		printed_any = 1;
	}
	qsort(dirs, ndirs, sizeof(*dirs), entry_cmp);
	for (size_t i = 0; i < ndirs; i++)
		list_dir(dirs[i].path, noperands > 1 || opt.recursive);
	free_entries(files, nfiles);
	free_entries(dirs, ndirs);
	if (fflush(stdout))
		return 2;
	return status;
}
