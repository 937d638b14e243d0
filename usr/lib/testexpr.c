/*
 * test and [: POSIX conditional expressions.
 *
 * With up to four arguments the POSIX rules by argument count decide (so
 * "test -n" and "test ! =" mean what POSIX says); longer expressions go
 * through a recursive-descent parser: or := and (-o and)*, and := not
 * (-a not)*, not := ! not | primary, primary := ( or ) | UNARY arg |
 * arg BINARY arg | arg.
 *
 * Errors do not unwind: the first one is reported and latched in ->failed,
 * the parse runs to its end on harmless values, and the status becomes 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testexpr.h"

struct test_expr {
	char **tok;
	int ntok, pos;
	int failed;
	void (*report)(const char *msg);
};

static void test_error(struct test_expr *t, const char *fmt, const char *arg)
{
	char msg[256];

	if (t->failed)
		return;
	t->failed = 1;
	snprintf(msg, sizeof(msg), fmt, arg);
	t->report(msg);
}

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("bcdefghLknprsStuwxzOG", s[1]);
}

static int is_binary(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "<", ">", "-eq", "-ne", "-gt", "-ge",
					   "-lt", "-le", "-nt", "-ot", "-ef", "-a", "-o", NULL };

	for (int i = 0; ops[i]; i++)
		if (!strcmp(s, ops[i]))
			return 1;
	return 0;
}

static long long to_int(struct test_expr *t, const char *s)
{
	const char *p = s;
	char *end;
	long long v;

	while (*p == ' ' || *p == '\t')
		p++;
	errno = 0;
	v = strtoll(p, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == p || *end || errno)
		test_error(t, "invalid integer '%s'", s);
	return v;
}

static int unary(struct test_expr *t, const char *op, const char *arg)
{
	struct stat st;

	switch (op[1]) {
	case 'n': return *arg != 0;
	case 'z': return *arg == 0;
	case 't': return isatty(to_int(t, arg));
	case 'h': case 'L': return !lstat(arg, &st) && S_ISLNK(st.st_mode);
	case 'r': return !access(arg, R_OK);
	case 'w': return !access(arg, W_OK);
	case 'x': return !access(arg, X_OK);
	}
	if (stat(arg, &st))
		return 0;
	switch (op[1]) {
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'p': return S_ISFIFO(st.st_mode);
	case 'S': return S_ISSOCK(st.st_mode);
	case 's': return st.st_size > 0;
	case 'g': return !!(st.st_mode & S_ISGID);
	case 'u': return !!(st.st_mode & S_ISUID);
	case 'k': return !!(st.st_mode & S_ISVTX);
	case 'O': return st.st_uid == geteuid();
	case 'G': return st.st_gid == getegid();
	}
	return 0;
}

/* Orders by modification time; a file that exists is newer than one that doesn't. */
static int mtime_cmp(const char *a, const char *b)
{
	struct stat sa, sb;
	int ha = !stat(a, &sa), hb = !stat(b, &sb);

	if (!ha || !hb)
		return ha - hb;
	if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec)
		return sa.st_mtim.tv_sec < sb.st_mtim.tv_sec ? -1 : 1;
	if (sa.st_mtim.tv_nsec != sb.st_mtim.tv_nsec)
		return sa.st_mtim.tv_nsec < sb.st_mtim.tv_nsec ? -1 : 1;
	return 0;
}

static int binary(struct test_expr *t, const char *a, const char *op, const char *b)
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
	if (!strcmp(op, "-a"))
		return *a && *b;
	if (!strcmp(op, "-o"))
		return *a || *b;
	if (!strcmp(op, "-nt"))
		return mtime_cmp(a, b) > 0;
	if (!strcmp(op, "-ot"))
		return mtime_cmp(a, b) < 0;
	if (!strcmp(op, "-ef"))
		return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
		       sa.st_ino == sb.st_ino;

	long long x = to_int(t, a), y = to_int(t, b);

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

static int parse_or(struct test_expr *t);

static const char *next(struct test_expr *t)
{
	if (t->pos >= t->ntok) {
		test_error(t, "missing argument after '%s'", t->tok[t->ntok - 1]);
		return "";
	}
	return t->tok[t->pos++];
}

static int parse_primary(struct test_expr *t)
{
	const char *a = next(t);
	int v;

	if (t->pos + 1 < t->ntok && is_binary(t->tok[t->pos]) && strcmp(t->tok[t->pos], "-a") &&
	    strcmp(t->tok[t->pos], "-o")) {
		const char *op = t->tok[t->pos++];

		return binary(t, a, op, next(t));
	}
	if (!strcmp(a, "(") && t->pos < t->ntok) {
		v = parse_or(t);
		if (t->pos >= t->ntok || strcmp(t->tok[t->pos], ")"))
			test_error(t, "'%s' expected", ")");
		t->pos++;
		return v;
	}
	if (is_unary(a) && t->pos < t->ntok)
		return unary(t, a, next(t));
	return *a != 0;
}

static int parse_not(struct test_expr *t)
{
	if (t->pos < t->ntok && !strcmp(t->tok[t->pos], "!")) {
		t->pos++;
		return !parse_not(t);
	}
	return parse_primary(t);
}

static int parse_and(struct test_expr *t)
{
	int v = parse_not(t);

	while (!t->failed && t->pos < t->ntok && !strcmp(t->tok[t->pos], "-a")) {
		t->pos++;
		v = parse_not(t) && v;
	}
	return v;
}

static int parse_or(struct test_expr *t)
{
	int v = parse_and(t);

	while (!t->failed && t->pos < t->ntok && !strcmp(t->tok[t->pos], "-o")) {
		t->pos++;
		v = parse_and(t) || v;
	}
	return v;
}

/* POSIX's rules for 0 to 4 arguments; -1 when the general parser must decide. */
static int eval_posix(struct test_expr *t, char **a, int n)
{
	int v;

	switch (n) {
	case 0:
		return 0;
	case 1:
		return *a[0] != 0;
	case 2:
		if (!strcmp(a[0], "!"))
			return *a[1] == 0;
		if (is_unary(a[0]))
			return unary(t, a[0], a[1]);
		break;
	case 3:
		if (is_binary(a[1]))
			return binary(t, a[0], a[1], a[2]);
		if (!strcmp(a[0], "!"))
			return (v = eval_posix(t, a + 1, 2)) < 0 ? -1 : !v;
		if (!strcmp(a[0], "(") && !strcmp(a[2], ")"))
			return *a[1] != 0;
		break;
	case 4:
		if (!strcmp(a[0], "!"))
			return (v = eval_posix(t, a + 1, 3)) < 0 ? -1 : !v;
		if (!strcmp(a[0], "(") && !strcmp(a[3], ")"))
			return eval_posix(t, a + 1, 2);
		break;
	}
	return -1;
}

int test_expr_eval(char **args, int nargs, void (*report)(const char *msg))
{
	struct test_expr t = { .tok = args, .ntok = nargs, .report = report };
	int v = eval_posix(&t, args, nargs);

	if (v < 0) {
		v = parse_or(&t);
		if (t.pos < t.ntok)
			test_error(&t, "extra argument '%s'", t.tok[t.pos]);
	}
	return t.failed ? 2 : !v;
}
