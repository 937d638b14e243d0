/*
 * test and [ (XCU test). Up to four arguments follow the standard's table
 * exactly (so "[ ! = x ]" and "[ -n ]" mean what POSIX says); longer
 * expressions go through a recursive-descent parser with ! -a -o ( ).
 * Status: 0 true, 1 false, 2 error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

struct texpr {
	char **av;
	int n, pos;
	int err;
};

static const char *const unops[] = {"-b", "-c", "-d", "-e", "-f", "-g", "-h", "-L", "-n", "-p",
				    "-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", NULL};
static const char *const binops[] = {"=",   "!=",  "<",	  ">",	 "-eq", "-ne", "-gt", "-ge",
				     "-lt", "-le", "-nt", "-ot", "-ef", "==",  NULL};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

static long test_num(struct texpr *t, const char *s)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*s || *end || errno) {
		sh_warn("test: Illegal number: %s", s);
		t->err = 1;
	}
	return v;
}

static int unary(struct texpr *t, const char *op, const char *a)
{
	struct stat st;

	switch (op[1]) {
	case 'n':
		return *a != 0;
	case 'z':
		return *a == 0;
	case 't':
		return isatty(test_num(t, a));
	case 'h':
	case 'L':
		return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	case 'r':
		return access(a, R_OK) == 0;
	case 'w':
		return access(a, W_OK) == 0;
	case 'x':
		return access(a, X_OK) == 0;
	}
	if (stat(a, &st) < 0)
		return 0;
	switch (op[1]) {
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'e':
		return 1;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	}
	return 0;
}

static int binary(struct texpr *t, const char *a, const char *op, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(op, "=") || !strcmp(op, "=="))
		return !strcmp(a, b);
	if (!strcmp(op, "!="))
		return strcmp(a, b) != 0;
	if (!strcmp(op, "<"))
		return strcmp(a, b) < 0;
	if (!strcmp(op, ">"))
		return strcmp(a, b) > 0;
	if (!strcmp(op, "-nt") || !strcmp(op, "-ot") || !strcmp(op, "-ef")) {
		int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;

		if (op[1] == 'e')
			return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
		if (op[1] == 'n')
			return ha && (!hb || sa.st_mtime > sb.st_mtime);
		return hb && (!ha || sa.st_mtime < sb.st_mtime);
	}
	long x = test_num(t, a), y = test_num(t, b);

	if (!strcmp(op, "-eq"))
		return x == y;
	if (!strcmp(op, "-ne"))
		return x != y;
	if (!strcmp(op, "-gt"))
		return x > y;
	if (!strcmp(op, "-ge"))
		return x >= y;
	if (!strcmp(op, "-lt"))
		return x < y;
	return x <= y;
}

static int t_or(struct texpr *t);

static const char *t_next(struct texpr *t)
{
	return t->pos < t->n ? t->av[t->pos] : NULL;
}

static int t_primary(struct texpr *t)
{
	const char *a = t_next(t);

	if (!a) {
		sh_warn("test: argument expected");
		t->err = 1;
		return 0;
	}
	if (!strcmp(a, "!")) {
		t->pos++;
		return !t_primary(t);
	}
	if (!strcmp(a, "(") && t->pos + 1 < t->n) {
		t->pos++;
		int r = t_or(t);

		if (!t_next(t) || strcmp(t_next(t), ")")) {
			sh_warn("test: closing paren expected");
			t->err = 1;
		}
		t->pos++;
		return r;
	}
	if (t->pos + 2 < t->n + 0 && in_list(binops, t->av[t->pos + 1])) {
		t->pos += 3;
		return binary(t, a, t->av[t->pos - 2], t->av[t->pos - 1]);
	}
	if (in_list(unops, a) && t->pos + 1 < t->n) {
		t->pos += 2;
		return unary(t, a, t->av[t->pos - 1]);
	}
	t->pos++;
	return *a != 0;
}

static int t_and(struct texpr *t)
{
	int r = t_primary(t);

	while (t_next(t) && !strcmp(t_next(t), "-a")) {
		t->pos++;
		r = t_primary(t) && r;
	}
	return r;
}

static int t_or(struct texpr *t)
{
	int r = t_and(t);

	while (t_next(t) && !strcmp(t_next(t), "-o")) {
		t->pos++;
		r = t_and(t) || r;
	}
	return r;
}

static int t_eval(struct texpr *t, char **av, int n);

/* POSIX's rules for 0 to 4 arguments; -1 means "use the general parser". */
static int t_small(struct texpr *t, char **av, int n)
{
	switch (n) {
	case 0:
		return 0;
	case 1:
		return *av[0] != 0;
	case 2:
		if (!strcmp(av[0], "!"))
			return *av[1] == 0;
		if (in_list(unops, av[0]))
			return unary(t, av[0], av[1]);
		break;
	case 3:
		if (in_list(binops, av[1]))
			return binary(t, av[0], av[1], av[2]);
		if (!strcmp(av[0], "!"))
			return !t_eval(t, av + 1, 2);
		if (!strcmp(av[0], "(") && !strcmp(av[2], ")"))
			return *av[1] != 0;
		break;
	case 4:
		if (!strcmp(av[0], "!"))
			return !t_eval(t, av + 1, 3);
		if (!strcmp(av[0], "(") && !strcmp(av[3], ")"))
			return t_eval(t, av + 1, 2);
		break;
	}
	return -1;
}

static int t_eval(struct texpr *t, char **av, int n)
{
	int r = t_small(t, av, n);

	if (r >= 0)
		return r;
	t->av = av;
	t->n = n;
	t->pos = 0;
	r = t_or(t);
	if (t->pos < t->n && !t->err) {
		sh_warn("test: %s: unexpected operator", t->av[t->pos]);
		t->err = 1;
	}
	return r;
}

int bltin_test(int argc, char **argv)
{
	struct texpr t = {0};
	int r;

	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			sh_warn("[: missing ]");
			return 2;
		}
		argc--;
	}
	r = t_eval(&t, argv + 1, argc - 1);
	if (t.err)
		return 2;
	return !r;
}
