/*
 * id and whoami: user and group ids, with names from /etc/passwd and
 * /etc/group when they are there.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "exobox.h"

static void print_uid(uid_t uid, int names)
{
	struct passwd *pw = getpwuid(uid);

	if (names && pw)
		printf("%s", pw->pw_name);
	else if (names)
		printf("%u", (unsigned)uid);
	else
		printf("%u%s%s%s", (unsigned)uid, pw ? "(" : "", pw ? pw->pw_name : "", pw ? ")" : "");
}

static void print_gid(gid_t gid, int names)
{
	struct group *gr = getgrgid(gid);

	if (names && gr)
		printf("%s", gr->gr_name);
	else if (names)
		printf("%u", (unsigned)gid);
	else
		printf("%u%s%s%s", (unsigned)gid, gr ? "(" : "", gr ? gr->gr_name : "", gr ? ")" : "");
}

int id_main(int argc, char **argv)
{
	int c, only = 0, names = 0, ngroups;
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid(), egid = getegid(), groups[256];

	while ((c = getopt(argc, argv, "ugGnr")) != -1) {
		switch (c) {
		case 'u': case 'g': case 'G': only = c; break;
		case 'n': names = 1; break;
		case 'r': break;
		default: usage();
		}
	}
	if (optind < argc) {
		struct passwd *pw = getpwnam(argv[optind]);

		if (!pw)
			die("'%s': no such user", argv[optind]);
		uid = euid = pw->pw_uid;
		gid = egid = pw->pw_gid;
		ngroups = 1;
		groups[0] = gid;
	} else {
		ngroups = getgroups(256, groups);
		if (ngroups < 0)
			ngroups = 0;
	}
	if (names && !only)
		die("cannot print only names or real IDs in default format");
	if (only == 'u') {
		if (names)
			print_uid(euid, 1);
		else
			printf("%u", (unsigned)euid);
	} else if (only == 'g') {
		if (names)
			print_gid(egid, 1);
		else
			printf("%u", (unsigned)egid);
	} else if (only == 'G') {
		if (names)
			print_gid(egid, 1);
		else
			printf("%u", (unsigned)egid);
		for (int i = 0; i < ngroups; i++) {
			if (groups[i] == egid)
				continue;
			putchar(' ');
			if (names)
				print_gid(groups[i], 1);
			else
				printf("%u", (unsigned)groups[i]);
		}
	} else {
		printf("uid=");
		print_uid(uid, 0);
		printf(" gid=");
		print_gid(gid, 0);
		if (euid != uid) {
			printf(" euid=");
			print_uid(euid, 0);
		}
		if (egid != gid) {
			printf(" egid=");
			print_gid(egid, 0);
		}
		printf(" groups=");
		print_gid(gid, 0);
		for (int i = 0; i < ngroups; i++) {
			if (groups[i] == gid)
				continue;
			putchar(',');
			print_gid(groups[i], 0);
		}
	}
	putchar('\n');
	return 0;
}

int whoami_main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		usage();
	print_uid(geteuid(), 1);
	putchar('\n');
	return 0;
}
