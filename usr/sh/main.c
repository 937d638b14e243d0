/*
 * Startup and the top level:
 *
 *   sh [-eufxvnCim] [-c command [arg0 [arg...]]]
 *   sh [-eufxvnCim] [-s] [arg...]          commands from stdin
 *   sh [-eufxvnCim] file [arg...]          a script
 *
 * The shell is interactive with -i or when no script or -c is given and
 * stdin and stderr are terminals; it then uses the line editor, job
 * control, and survives errors by jumping back to the prompt (sh_abort).
 *
 * Also here: the option letters shared by the command line and "set".
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

extern char **environ;

struct shell sh;

static const struct {
	char letter;
	const char *name;
	int *flag;
} options[] = {
	{'e', "errexit", &sh.opt_e},   {'f', "noglob", &sh.opt_f},   {'u', "nounset", &sh.opt_u},
	{'x', "xtrace", &sh.opt_x},    {'v', "verbose", &sh.opt_v},  {'n', "noexec", &sh.opt_n},
	{'C', "noclobber", &sh.opt_C}, {'m', "monitor", &sh.jobctl},
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static int set_option_letter(char c, int on)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].letter == c) {
			*options[i].flag = on;
			return 0;
		}
	return -1;
}

static int set_option_name(const char *name, int on)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (!strcmp(options[i].name, name)) {
			*options[i].flag = on;
			return 0;
		}
	return -1;
}

void sh_exit(int status)
{
	sh.status = status;
	trap_run_exit();
	fflush(stdout);
	_exit(status);
}

int bltin_set(int argc, char **argv)
{
	int i = 1;

	if (argc == 1) {
		var_print(0, "");
		return 0;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		int on = a[0] == '-';

		if (!strcmp(a, "--")) {
			i++;
			goto positional;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		if (a[1] == 'o') {
			if (i + 1 >= argc) {
				for (size_t k = 0; k < NOPTIONS; k++)
					printf("%-16s%s\n", options[k].name,
					       *options[k].flag ? "on" : "off");
				return 0;
			}
			if (set_option_name(argv[++i], on) < 0) {
				sh_warn("set: Illegal option -o %s", argv[i]);
				return 2;
			}
			continue;
		}
		for (const char *p = a + 1; *p; p++)
			if (set_option_letter(*p, on) < 0) {
				sh_warn("set: Illegal option %c%c", a[0], *p);
				return 2;
			}
	}
	if (i >= argc)
		return 0;
positional:
	posp_set(argc - i, argv + i);
	return 0;
}

static void init_pwd(void)
{
	const char *pwd = var_get("PWD");
	struct stat a, b;
	char buf[PATH_MAX];

	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return;
	if (getcwd(buf, sizeof(buf)))
		var_set("PWD", buf, V_EXPORT);
}

__attribute__((noreturn)) static void usage_error(const char *msg)
{
	sh_warn("%s", msg);
	_exit(2);
}

/* The read-eval loop at the top; interactive errors come back here. */
static void toplevel(void)
{
	static jmp_buf top;
	int depth_arena = 0;

	(void)depth_arena;
	if (sh.interactive) {
		if (setjmp(top)) {
			input_discard_line();
			lex_reset();
			sh.skip = SKIP_NONE;
			sh.noerrexit = sh.loopnest = sh.funcnest = sh.dotnest = 0;
			var_pop_to(0);
			arena_set_current(NULL);
			fflush(stdout);
		}
		sh.toplevel = &top;
	}
	for (;;) {
		exec_loop();
		if (sh.interactive && sh.skip) {
			sh.skip = SKIP_NONE;
			continue;
		}
		break;
	}
}

int main(int argc, char **argv)
{
	const char *cmd = NULL, *script = NULL;
	int i = 1, force_i = 0, cflag = 0, sflag = 0;

	sh.pid = getpid();
	sh.ttyfd = -1;
	sh.arg0 = argv[0] ? argv[0] : "sh";
	var_init(environ);
	init_pwd();

	for (; i < argc; i++) {
		const char *a = argv[i];
		int on = a[0] == '-';

		if (!strcmp(a, "--") || !strcmp(a, "-")) {
			i++;
			break;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		if (a[1] == 'o') {
			if (i + 1 >= argc || set_option_name(argv[i + 1], on) < 0)
				usage_error("-o: bad option");
			i++;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			if (*p == 'c')
				cflag = 1;
			else if (*p == 's')
				sflag = 1;
			else if (*p == 'i')
				force_i = 1;
			else if (set_option_letter(*p, on) < 0) {
				char msg[32];

				snprintf(msg, sizeof(msg), "Illegal option %c%c", a[0], *p);
				usage_error(msg);
			}
		}
	}
	if (cflag) {
		if (i >= argc)
			usage_error("-c requires an argument");
		cmd = argv[i++];
		if (i < argc)
			sh.arg0 = argv[i++];
	} else if (!sflag && i < argc) {
		script = argv[i++];
		sh.arg0 = (char *)script;
	}
	posp_set(argc - i, argv + i);

	if (cmd) {
		input_push_string(cmd);
	} else if (script) {
		int fd = open(script, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			sh_warn("cannot open %s: %s", script, strerror(errno));
			_exit(errno == ENOENT ? 127 : 126);
		}
		input_push_fd(fd_move_high(fd), 0);
	} else {
		sh.interactive = force_i || (isatty(0) && isatty(2));
		if (sh.interactive)
			sh.jobctl = 1;
		input_push_fd(0, sh.interactive);
	}
	if (sh.jobctl)
		jobs_init_tty();
	trap_init();
	toplevel();
	sh_exit(sh.status);
}
