/*
 * Signals: the shell's own dispositions, the trap builtin and kill.
 *
 * A trapped signal only sets a flag in the handler; the action runs from
 * trap_check() between commands (exec_node calls it), with $? saved and
 * restored around it. Handlers are installed without SA_RESTART so a
 * blocking wait builtin sees EINTR and can return to run the trap.
 *
 * Subshells reset trapped signals to the default but keep ignored ones
 * (XCU 2.12); exec does the same by itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "sh.h"

#define NSIGS 65

static char *trap_action[NSIGS]; /* NULL: default, "": ignored */
static volatile sig_atomic_t pending[NSIGS];
volatile int trap_pending;

static const struct {
	const char *name;
	int sig;
} signames[] = {
	{"HUP", SIGHUP},   {"INT", SIGINT},	  {"QUIT", SIGQUIT}, {"ILL", SIGILL},
	{"TRAP", SIGTRAP}, {"ABRT", SIGABRT},	  {"BUS", SIGBUS},   {"FPE", SIGFPE},
	{"KILL", SIGKILL}, {"USR1", SIGUSR1},	  {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
	{"PIPE", SIGPIPE}, {"ALRM", SIGALRM},	  {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
	{"CHLD", SIGCHLD}, {"CONT", SIGCONT},	  {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
	{"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},	  {"URG", SIGURG},   {"XCPU", SIGXCPU},
	{"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
	{"IO", SIGIO},	   {"PWR", SIGPWR},	  {"SYS", SIGSYS},
};

#define NSIGNAMES (sizeof(signames) / sizeof(signames[0]))

int signal_by_name(const char *s)
{
	long n;

	if (str_to_int(s, &n) == 0)
		return n >= 0 && n < NSIGS ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	if (!strcasecmp(s, "EXIT"))
		return 0;
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (!strcasecmp(s, signames[i].name))
			return signames[i].sig;
	return -1;
}

const char *signal_name(int sig)
{
	if (sig == 0)
		return "EXIT";
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (signames[i].sig == sig)
			return signames[i].name;
	return NULL;
}

static void on_trapped(int sig)
{
	pending[sig] = 1;
	trap_pending = 1;
}

static void on_interactive_int(int sig)
{
	(void)sig;
	sh.intr = 1;
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* The disposition a signal has when no trap is set. */
static void default_disposition(int sig)
{
	if (sh.interactive && !sh.in_subshell) {
		if (sig == SIGINT) {
			set_handler(SIGINT, on_interactive_int);
			return;
		}
		if (sig == SIGQUIT || sig == SIGTERM) {
			set_handler(sig, SIG_IGN);
			return;
		}
		if (sh.jobctl && (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
			set_handler(sig, SIG_IGN);
			return;
		}
	}
	set_handler(sig, SIG_DFL);
}

void trap_init(void)
{
	if (sh.interactive) {
		default_disposition(SIGINT);
		default_disposition(SIGQUIT);
		default_disposition(SIGTERM);
	}
}

void trap_check(void)
{
	trap_pending = 0;
	for (int sig = 1; sig < NSIGS; sig++) {
		if (!pending[sig])
			continue;
		pending[sig] = 0;
		if (!trap_action[sig] || !*trap_action[sig])
			continue;
		int saved = sh.status;
		char *act = xstrdup(trap_action[sig]);

		exec_string(act);
		free(act);
		sh.status = saved;
	}
}

void trap_run_exit(void)
{
	char *act = trap_action[0];

	if (!act)
		return;
	trap_action[0] = NULL;
	exec_string(act);
	free(act);
}

void trap_reset_for_subshell(void)
{
	for (int sig = 0; sig < NSIGS; sig++) {
		if (!trap_action[sig] || !*trap_action[sig])
			continue;
		free(trap_action[sig]);
		trap_action[sig] = NULL;
		if (sig)
			set_handler(sig, SIG_DFL);
	}
}

static void trap_print(void)
{
	for (int sig = 0; sig < NSIGS; sig++) {
		if (!trap_action[sig])
			continue;
		printf("trap -- '");
		for (const char *p = trap_action[sig]; *p; p++)
			if (*p == '\'')
				printf("'\\''");
			else
				putchar(*p);
		printf("' %s\n", signal_name(sig) ? signal_name(sig) : "?");
	}
}

int bltin_trap(int argc, char **argv)
{
	int i = 1, st = 0;
	const char *action;
	long dummy;

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		trap_print();
		return 0;
	}
	if (!strcmp(argv[i], "-l")) {
		for (size_t k = 0; k < NSIGNAMES; k++)
			printf("%d) %s\n", signames[k].sig, signames[k].name);
		return 0;
	}
	action = argv[i];
	if (str_to_int(action, &dummy) == 0 || !strcmp(action, "-"))
		action = NULL;
	if (!strcmp(argv[i], "-") || action)
		i++;
	if (i >= argc && action) {
		sh_warn("trap: usage: trap [action condition...]");
		return 2;
	}
	for (; i < argc; i++) {
		int sig = signal_by_name(argv[i]);

		if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
			sh_warn("trap: %s: bad trap", argv[i]);
			st = 1;
			continue;
		}
		free(trap_action[sig]);
		trap_action[sig] = action ? xstrdup(action) : NULL;
		if (sig == 0)
			continue;
		if (!action)
			default_disposition(sig);
		else if (!*action)
			set_handler(sig, SIG_IGN);
		else
			set_handler(sig, on_trapped);
	}
	return st;
}

int bltin_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, st = 0;

	if (argc < 2) {
		sh_warn("kill: usage: kill [-s sigspec | -signum] pid | %%job ...");
		return 2;
	}
	if (!strcmp(argv[1], "-l")) {
		if (argc > 2) {
			long n;

			if (str_to_int(argv[2], &n) == 0 && signal_name(n > 128 ? n - 128 : n)) {
				printf("%s\n", signal_name(n > 128 ? n - 128 : n));
				return 0;
			}
			sh_warn("kill: %s: invalid signal", argv[2]);
			return 1;
		}
		for (size_t k = 0; k < NSIGNAMES; k++)
			printf("%s%c", signames[k].name, k + 1 == NSIGNAMES ? '\n' : ' ');
		return 0;
	}
	if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "-n")) {
		if (argc < 3) {
			sh_warn("kill: option requires an argument");
			return 2;
		}
		sig = signal_by_name(argv[2]);
		i = 3;
	} else if (argv[1][0] == '-' && argv[1][1] && strcmp(argv[1], "--")) {
		sig = signal_by_name(argv[1] + 1);
		i = 2;
	} else if (!strcmp(argv[1], "--")) {
		i = 2;
	}
	if (sig < 0) {
		sh_warn("kill: %s: invalid signal", argv[i - 1]);
		return 2;
	}
	for (; i < argc; i++) {
		pid_t pid;
		long n;

		if (argv[i][0] == '%') {
			if (jobs_spec_to_pid(argv[i], &pid) < 0) {
				st = 1;
				continue;
			}
		} else if (str_to_int(argv[i], &n) == 0) {
			pid = n;
		} else {
			sh_warn("kill: %s: arguments must be process or job IDs", argv[i]);
			st = 1;
			continue;
		}
		if (kill(pid, sig) < 0) {
			sh_warn("kill: %s: %s", argv[i], strerror(errno));
			st = 1;
		} else if ((sig == SIGTERM || sig == SIGHUP) && pid < 0) {
			kill(pid, SIGCONT);
		}
	}
	return st;
}
