/*
 * test and [: POSIX conditional expressions.
 *
 * With up to four arguments the POSIX rules by argument count decide (so
 * "test -n" and "test ! =" mean what POSIX says); longer expressions go
 * through a recursive-descent parser: or := and (-o and)*, and := not
 * (-a not)*, not := ! not | primary, primary := ( or ) | UNARY arg |
 * arg BINARY arg | arg. Status 0 true, 1 false, 2 error.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exobox.h"

static char **tok;
static int ntok, pos;

_Noreturn static void test_error(const char *fmt, const char *arg)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", applet->name);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
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

static long long to_int(const char *s)
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
		test_error("invalid integer '%s'", s);
	return v;
}

static int unary(const char *op, const char *arg)
{
	struct stat st;

	switch (op[1]) {
	case 'n': return *arg != 0;
	case 'z': return *arg == 0;
	case 't': return isatty(to_int(arg));
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

static int binary(const char *a, const char *op, const char *b)
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
	{
		long long x = to_int(a), y = to_int(b);

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
}

static int parse_or(void);

static const char *next(void)
{
	if (pos >= ntok)
		test_error("missing argument after '%s'", tok[ntok - 1]);
	return tok[pos++];
}

static int parse_primary(void)
{
	const char *t = next();
	int v;

	if (pos + 1 < ntok && is_binary(tok[pos]) && strcmp(tok[pos], "-a") && strcmp(tok[pos], "-o")) {
		const char *op = tok[pos++];

		return binary(t, op, next());
	}
	if (!strcmp(t, "(") && pos < ntok) {
		v = parse_or();
		if (pos >= ntok || strcmp(tok[pos], ")"))
			test_error("'%s' expected", ")");
		pos++;
		return v;
	}
	if (is_unary(t) && pos < ntok)
		return unary(t, next());
	return *t != 0;
}

static int parse_not(void)
{
	if (pos < ntok && !strcmp(tok[pos], "!")) {
		pos++;
		return !parse_not();
	}
	return parse_primary();
}

static int parse_and(void)
{
	int v = parse_not();

	while (pos < ntok && !strcmp(tok[pos], "-a")) {
		pos++;
		v = parse_not() && v;
	}
	return v;
}

static int parse_or(void)
{
	int v = parse_and();

	while (pos < ntok && !strcmp(tok[pos], "-o")) {
		pos++;
		v = parse_and() || v;
	}
	return v;
}

/* POSIX's rules for 0 to 4 arguments; -1 when the general parser must decide. */
static int eval_posix(char **a, int n)
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
			return unary(a[0], a[1]);
		break;
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (!strcmp(a[0], "!"))
			return (v = eval_posix(a + 1, 2)) < 0 ? -1 : !v;
		if (!strcmp(a[0], "(") && !strcmp(a[2], ")"))
			return *a[1] != 0;
		break;
	case 4:
		if (!strcmp(a[0], "!"))
			return (v = eval_posix(a + 1, 3)) < 0 ? -1 : !v;
		if (!strcmp(a[0], "(") && !strcmp(a[3], ")"))
			return eval_posix(a + 1, 2);
		break;
	}
	return -1;
}

static int test_run(int argc, char **argv)
{
	int v = eval_posix(argv, argc);

	if (v >= 0)
		return !v;
	tok = argv;
	ntok = argc;
	pos = 0;
	v = parse_or();
	if (pos < ntok)
		test_error("extra argument '%s'", tok[pos]);
	return !v;
}

int test_main(int argc, char **argv)
{
	return test_run(argc - 1, argv + 1);
}

int bracket_main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		printf("Usage: [ EXPRESSION ]\n");
		return 0;
	}
	if (argc < 2 || strcmp(argv[argc - 1], "]"))
		test_error("missing '%s'", "]");
	return test_run(argc - 2, argv + 1);
}
