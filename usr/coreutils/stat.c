/*
 * stat: file status in GNU's multi-line layout, or -c FORMAT with the common
 * % sequences (%n %N %s %b %B %o %a %A %f %F %u %U %g %G %h %i %d %D %t %T
 * %x %X %y %Y %z %Z %w %W %m). Birth time is not known (no statx): "-".
 */
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

static const char *file_type(mode_t m, off_t size)
{
	if (S_ISREG(m))
		return size ? "regular file" : "regular empty file";
	if (S_ISDIR(m))
		return "directory";
	if (S_ISLNK(m))
		return "symbolic link";
	if (S_ISCHR(m))
		return "character special file";
	if (S_ISBLK(m))
		return "block special file";
	if (S_ISFIFO(m))
		return "fifo";
	if (S_ISSOCK(m))
		return "socket";
	return "weird file";
}

static void print_time(const struct timespec *ts)
{
	char buf[64], zone[8];
	time_t t = ts->tv_sec;
	struct tm *tm = localtime(&t);

	if (!tm) {
		printf("?");
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", tm);
	strftime(zone, sizeof(zone), "%z", tm);
	printf("%s.%09ld %s", buf, ts->tv_nsec, zone);
}

static const char *uname_of(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_name : "UNKNOWN";
}

static const char *gname_of(gid_t gid)
{
	struct group *gr = getgrgid(gid);

	return gr ? gr->gr_name : "UNKNOWN";
}

static void print_default(const char *name, const struct stat *st)
{
	char mode[11];

	mode_string(st->st_mode, mode);
	printf("  File: %s", name);
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(name, target, sizeof(target) - 1);

		if (n >= 0)
			printf(" -> %.*s", (int)n, target);
	}
	printf("\n  Size: %-10lld\tBlocks: %-10lld IO Block: %-6ld %s\n", (long long)st->st_size,
	       (long long)st->st_blocks, (long)st->st_blksize, file_type(st->st_mode, st->st_size));
	printf("Device: %u,%u\tInode: %-11lu ", major(st->st_dev), minor(st->st_dev),
	       (unsigned long)st->st_ino);
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("Links: %-5lu Device type: %u,%u", (unsigned long)st->st_nlink,
		       major(st->st_rdev), minor(st->st_rdev));
	else
		printf("Links: %lu", (unsigned long)st->st_nlink);
	printf("\nAccess: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n", st->st_mode & 07777, mode,
	       (unsigned)st->st_uid, uname_of(st->st_uid), (unsigned)st->st_gid, gname_of(st->st_gid));
	printf("Access: ");
	print_time(&st->st_atim);
	printf("\nModify: ");
	print_time(&st->st_mtim);
	printf("\nChange: ");
	print_time(&st->st_ctim);
	printf("\n Birth: -\n");
}

static void print_format(const char *fmt, const char *name, const struct stat *st)
{
	char mode[11];

	for (const char *p = fmt; *p; p++) {
		if (*p == '\\' && p[1]) {
			char out[4];
			int n;

			p++;
			n = unescape(&p, out, ESC_FORMAT);
			if (n > 0)
				fwrite(out, 1, n, stdout);
			p--;
			continue;
		}
		if (*p != '%' || !p[1]) {
			putchar(*p);
			continue;
		}
		switch (*++p) {
		case '%': putchar('%'); break;
		case 'n': fputs(name, stdout); break;
		case 'N':
			printf("'%s'", name);
			if (S_ISLNK(st->st_mode)) {
				char target[PATH_MAX];
				ssize_t n = readlink(name, target, sizeof(target) - 1);

				if (n >= 0)
					printf(" -> '%.*s'", (int)n, target);
			}
			break;
		case 's': printf("%lld", (long long)st->st_size); break;
		case 'b': printf("%lld", (long long)st->st_blocks); break;
		case 'B': printf("512"); break;
		case 'o': printf("%ld", (long)st->st_blksize); break;
		case 'a': printf("%o", st->st_mode & 07777); break;
		case 'A': mode_string(st->st_mode, mode); fputs(mode, stdout); break;
		case 'f': printf("%x", st->st_mode); break;
		case 'F': fputs(file_type(st->st_mode, st->st_size), stdout); break;
		case 'u': printf("%u", (unsigned)st->st_uid); break;
		case 'U': fputs(uname_of(st->st_uid), stdout); break;
		case 'g': printf("%u", (unsigned)st->st_gid); break;
		case 'G': fputs(gname_of(st->st_gid), stdout); break;
		case 'h': printf("%lu", (unsigned long)st->st_nlink); break;
		case 'i': printf("%lu", (unsigned long)st->st_ino); break;
		case 'd': printf("%lu", (unsigned long)st->st_dev); break;
		case 'D': printf("%lx", (unsigned long)st->st_dev); break;
		case 't': printf("%x", major(st->st_rdev)); break;
		case 'T': printf("%x", minor(st->st_rdev)); break;
		case 'x': print_time(&st->st_atim); break;
		case 'X': printf("%lld", (long long)st->st_atim.tv_sec); break;
		case 'y': print_time(&st->st_mtim); break;
		case 'Y': printf("%lld", (long long)st->st_mtim.tv_sec); break;
		case 'z': print_time(&st->st_ctim); break;
		case 'Z': printf("%lld", (long long)st->st_ctim.tv_sec); break;
		case 'w': putchar('-'); break;
		case 'W': putchar('0'); break;
		default: putchar('?'); break;
		}
	}
	putchar('\n');
}

int stat_main(int argc, char **argv)
{
	const char *fmt = NULL;
	int c, follow = 0, ret = 0;

	while ((c = getopt(argc, argv, "Lc:")) != -1) {
		if (c == 'L')
			follow = 1;
		else if (c == 'c')
			fmt = optarg;
		else
			usage();
	}
	if (optind == argc) {
		warn("missing operand");
		usage();
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (follow ? stat(argv[i], &st) : lstat(argv[i], &st)) {
			warn_errno("cannot statx '%s'", argv[i]);
			ret = 1;
			continue;
		}
		if (fmt)
			print_format(fmt, argv[i], &st);
		else
			print_default(argv[i], &st);
	}
	return ret;
}
