/*
 * The builtin table and the builtins that manage the shell itself:
 * control flow (break, continue, return, exit), evaluation (eval, ., exec),
 * variables (export, readonly, unset, local, shift), the working directory
 * (cd, pwd), lookup (type, command) and umask.
 *
 * Builtins get argv like main() and return an exit status; they write with
 * stdio, which exec.c flushes before undoing redirections. "special" marks
 * POSIX special builtins (XCU 2.14): their prefix assignments persist.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sh.h"

static int bltin_true(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

static int bltin_false(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 1;
}

static int parse_count(const char *cmd, const char *s, long *n)
{
	if (str_to_int(s, n) < 0 || *n < 0) {
		sh_warn("%s: Illegal number: %s", cmd, s);
		return -1;
	}
	return 0;
}

static int bltin_exit(int argc, char **argv)
{
	long n = sh.status;

	if (argc > 1 && parse_count("exit", argv[1], &n) < 0)
		sh_abort(2);
	sh_exit(n & 0xff);
}

static int bltin_return(int argc, char **argv)
{
	long n = sh.status;

	if (argc > 1 && parse_count("return", argv[1], &n) < 0)
		return 2;
	sh.skip = SKIP_RETURN;
	sh.status = n & 0xff;
	return n & 0xff;
}

static int loop_ctl(int argc, char **argv, enum sh_skip what)
{
	long n = 1;

	if (argc > 1 && (parse_count(argv[0], argv[1], &n) < 0 || n == 0)) {
		if (n == 0)
			sh_warn("%s: Illegal number: %s", argv[0], argv[1]);
		return 2;
	}
	if (!sh.loopnest)
		return 0;
	if (n > sh.loopnest)
		n = sh.loopnest;
	sh.skip = what;
	sh.skipcount = n;
	return 0;
}

static int bltin_break(int argc, char **argv)
{
	return loop_ctl(argc, argv, SKIP_BREAK);
}

static int bltin_continue(int argc, char **argv)
{
	return loop_ctl(argc, argv, SKIP_CONTINUE);
}

static int bltin_eval(int argc, char **argv)
{
	struct strbuf sb = {0};
	int st;

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sb_addc(&sb, ' ');
		sb_adds(&sb, argv[i]);
	}
	if (!sb.len)
		return 0;
	sb_addc(&sb, '\n');
	st = exec_string(sb.s);
	sb_free(&sb);
	return st;
}

static int bltin_dot(int argc, char **argv)
{
	char *path;
	int fd, st;

	if (argc < 2) {
		sh_warn(".: filename argument required");
		return 2;
	}
	path = strchr(argv[1], '/') ? xstrdup(argv[1]) : path_search(argv[1]);
	if (!path)
		path = xstrdup(argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sh_warn(".: cannot open %s: %s", argv[1], strerror(errno));
		free(path);
		sh_abort(2);
	}
	fd = fd_move_high(fd);
	sh.dotnest++;
	st = exec_file(path, fd);
	sh.dotnest--;
	close(fd);
	free(path);
	if (sh.skip == SKIP_RETURN)
		sh.skip = SKIP_NONE;
	return st;
}

static int bltin_exec(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	exec_external(argv + 1, var_environ());
}

/* name or name=value operands of export, readonly and local. */
static int assign_operands(int argc, char **argv, int flag, int local)
{
	int st = 0;

	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char *name = eq ? xstrndup(argv[i], eq - argv[i]) : xstrdup(argv[i]);

		if (!is_name(name)) {
			sh_warn("%s: %s: bad variable name", argv[0], name);
			free(name);
			st = 1;
			continue;
		}
		if (local)
			var_local(name);
		if (eq && var_set(name, eq + 1, flag) < 0)
			st = 1;
		else if (!eq)
			var_set_flags(name, flag);
		free(name);
	}
	return st;
}

static int bltin_export(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-p"))) {
		var_print(V_EXPORT, "export ");
		return 0;
	}
	return assign_operands(argc, argv, V_EXPORT, 0);
}

static int bltin_readonly(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "-p"))) {
		var_print(V_READONLY, "readonly ");
		return 0;
	}
	return assign_operands(argc, argv, V_READONLY, 0);
}

static int bltin_local(int argc, char **argv)
{
	if (!sh.funcnest) {
		sh_warn("local: not in a function");
		return 2;
	}
	return assign_operands(argc, argv, 0, 1);
}

static int bltin_unset(int argc, char **argv)
{
	int funcs = 0, i = 1, st = 0;

	if (i < argc && !strcmp(argv[i], "-f"))
		funcs = 1, i++;
	else if (i < argc && !strcmp(argv[i], "-v"))
		i++;
	for (; i < argc; i++) {
		if (funcs)
			func_unset(argv[i]);
		else if (var_unset(argv[i]) < 0)
			sh_abort(2);
	}
	return st;
}

static int bltin_shift(int argc, char **argv)
{
	long n = 1;

	if (argc > 1 && parse_count("shift", argv[1], &n) < 0)
		sh_abort(2);
	if (n > posp.n)
		sh_error("shift: can't shift that many");
	for (int i = 0; i < n; i++)
		free(posp.v[i]);
	memmove(posp.v, posp.v + n, (posp.n - n + 1) * sizeof(char *));
	posp.n -= n;
	return 0;
}

/* Lexically resolves "." and ".." in an absolute path. */
static char *path_clean(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t len = 0;
	const char *p = path;

	while (*p) {
		while (*p == '/')
			p++;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = 0;
	return out;
}

static int bltin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	const char *pwd = var_get("PWD");
	char *target, *newpwd = NULL;
	int print = 0;
	char buf[PATH_MAX];

	if (argc > 1 && (!strcmp(argv[1], "-L") || !strcmp(argv[1], "-P")))
		dir = argc > 2 ? argv[2] : var_get("HOME");
	if (!dir || !*dir) {
		sh_warn("cd: HOME not set");
		return 1;
	}
	if (!strcmp(dir, "-")) {
		dir = var_get("OLDPWD");
		if (!dir) {
			sh_warn("cd: OLDPWD not set");
			return 1;
		}
		print = 1;
	}
	if (dir[0] == '/') {
		target = xstrdup(dir);
	} else if (pwd && pwd[0] == '/') {
		target = xmalloc(strlen(pwd) + strlen(dir) + 2);
		sprintf(target, "%s/%s", pwd, dir);
	} else {
		target = NULL;
	}
	if (target) {
		newpwd = path_clean(target);
		free(target);
		if (chdir(newpwd) < 0) {
			free(newpwd);
			newpwd = NULL;
		}
	}
	if (!newpwd) {
		if (chdir(dir) < 0) {
			sh_warn("cd: can't cd to %s", dir);
			return 2;
		}
		newpwd = xstrdup(getcwd(buf, sizeof(buf)) ? buf : dir);
	}
	var_set("OLDPWD", pwd ? pwd : newpwd, 0);
	var_set("PWD", newpwd, 0);
	if (print)
		printf("%s\n", newpwd);
	free(newpwd);
	return 0;
}

static int bltin_pwd(int argc, char **argv)
{
	const char *pwd = var_get("PWD");
	char buf[PATH_MAX];
	struct stat a, b;

	if (argc > 1 && !strcmp(argv[1], "-P"))
		pwd = NULL;
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
		printf("%s\n", pwd);
		return 0;
	}
	if (!getcwd(buf, sizeof(buf))) {
		sh_perror("pwd");
		return 1;
	}
	printf("%s\n", buf);
	return 0;
}

static const char *const keywords[] = {"if",   "then", "else", "elif",	"fi",	 "do",
				       "done", "case", "esac", "while", "until", "for",
				       "in",   "{",    "}",    "!",	NULL};

static int is_keyword(const char *s)
{
	for (int i = 0; keywords[i]; i++)
		if (!strcmp(s, keywords[i]))
			return 1;
	return 0;
}

/* type and command -v/-V: 0 if found. */
static int describe(const char *name, int verbose)
{
	char *path;

	if (is_keyword(name)) {
		if (verbose)
			printf("%s is a shell keyword\n", name);
		else
			printf("%s\n", name);
		return 0;
	}
	if (func_lookup(name)) {
		if (verbose)
			printf("%s is a shell function\n", name);
		else
			printf("%s\n", name);
		return 0;
	}
	const struct builtin *b = builtin_lookup(name);

	if (b) {
		if (verbose)
			printf("%s is a %sshell builtin\n", name, b->special ? "special " : "");
		else
			printf("%s\n", name);
		return 0;
	}
	path = path_search(name);
	if (path && (!strchr(name, '/') || access(path, X_OK) == 0)) {
		if (verbose)
			printf("%s is %s\n", name, path);
		else
			printf("%s\n", path);
		free(path);
		return 0;
	}
	free(path);
	if (verbose)
		printf("%s: not found\n", name);
	return 127;
}

static int bltin_type(int argc, char **argv)
{
	int st = 0;

	for (int i = 1; i < argc; i++)
		if (describe(argv[i], 1))
			st = 127;
	return st;
}

static int bltin_command(int argc, char **argv)
{
	int i = 1, v = 0, V = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *p = argv[i] + 1; *p; p++) {
			if (*p == 'v')
				v = 1;
			else if (*p == 'V')
				V = 1;
			else if (*p != 'p') {
				sh_warn("command: -%c: bad option", *p);
				return 2;
			}
		}
	}
	if (i >= argc)
		return 0;
	if (v || V) {
		int st = 0;

		for (; i < argc; i++)
			if (describe(argv[i], V))
				st = 127;
		return st;
	}
	const struct builtin *b = builtin_lookup(argv[i]);

	if (b)
		return b->fn(argc - i, argv + i);
	return exec_run_external(argv + i);
}

static int bltin_umask(int argc, char **argv)
{
	mode_t m = umask(0);

	umask(m);
	if (argc > 1 && !strcmp(argv[1], "-S")) {
		static const char who[] = "ugo";
		for (int k = 0; k < 3; k++) {
			int bits = ~(m >> (6 - 3 * k)) & 7;

			printf("%c=%s%s%s%s", who[k], bits & 4 ? "r" : "", bits & 2 ? "w" : "",
			       bits & 1 ? "x" : "", k < 2 ? "," : "\n");
		}
		return 0;
	}
	if (argc == 1) {
		printf("%04o\n", (unsigned)m);
		return 0;
	}
	char *end;
	long v = strtol(argv[1], &end, 8);

	if (*end || v < 0 || v > 0777) {
		sh_warn("umask: Illegal mode: %s", argv[1]);
		return 1;
	}
	umask(v);
	return 0;
}

static const struct builtin builtins[] = {
	{".", bltin_dot, 1},	       {":", bltin_true, 1},
	{"[", bltin_test, 0},	       {"bg", bltin_bg, 0},
	{"break", bltin_break, 1},     {"cd", bltin_cd, 0},
	{"command", bltin_command, 0}, {"continue", bltin_continue, 1},
	{"echo", bltin_echo, 0},       {"eval", bltin_eval, 1},
	{"exec", bltin_exec, 1},       {"exit", bltin_exit, 1},
	{"export", bltin_export, 1},   {"false", bltin_false, 0},
	{"fg", bltin_fg, 0},	       {"jobs", bltin_jobs, 0},
	{"kill", bltin_kill, 0},       {"local", bltin_local, 0},
	{"printf", bltin_printf, 0},   {"pwd", bltin_pwd, 0},
	{"read", bltin_read, 0},       {"readonly", bltin_readonly, 1},
	{"return", bltin_return, 1},   {"set", bltin_set, 1},
	{"shift", bltin_shift, 1},     {"source", bltin_dot, 1},
	{"test", bltin_test, 0},       {"trap", bltin_trap, 1},
	{"true", bltin_true, 0},       {"type", bltin_type, 0},
	{"umask", bltin_umask, 0},     {"unset", bltin_unset, 1},
	{"wait", bltin_wait, 0},
};

const struct builtin *builtin_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return &builtins[i];
	return NULL;
}
