/*
 * ptydrive: runs a program on a new pseudo-terminal, as script(1) does
 * (posix_openpt, grantpt, unlockpt; the child calls setsid, makes the
 * slave its controlling terminal with TIOCSCTTY and execs the program),
 * then plays a built-in conversation at it: send bytes, wait for text.
 * Everything the program writes is copied to standard output, with \r
 * shown as "\r", so the caller (scripts/testsuite/tty.py) sees the
 * transcript. Exits 0 and prints "ptydrive: OK" when every expectation
 * was met and the program exited 0; otherwise says which step failed.
 *
 *   ptydrive jobctl [SHELL]   job control in an interactive shell (default /bin/sh)
 *   ptydrive script [BUSYBOX] busybox script -c on a pty inside our pty
 *
 * It runs natively on Linux too: `ptydrive jobctl build/usr/root/bin/sh`.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define STEP_TIMEOUT_MS 15000
#define BUF_SIZE 65536

struct step {
	char op;		/* 's' send, 'e' expect, 'w' set the window size, 'p' pause 100 ms,
				 * 'f' wait until a job owns the terminal,
				 * 'z' wait until that job's process has died */
	const char *text;
};

/* PS1 is set to "PTY$ " in the environment of the shell. */
static const struct step jobctl_steps[] = {
	{ 'e', "PTY$ " },
	{ 's', "echo hi-$((1+2))\n" }, { 'e', "hi-3\r\n" }, { 'e', "PTY$ " },
	{ 's', "ps\n" }, { 'e', "pts/0" }, { 'e', "PTY$ " },
	{ 'w', "" }, { 's', "echo ok\n" }, { 'e', "ok\r\n" }, { 'e', "PTY$ " },
	{ 's', "sleep 100 &\n" }, { 'e', "[1] " }, { 'e', "PTY$ " },
	{ 's', "jobs\n" }, { 'e', "[1]+  Running" }, { 'e', "sleep 100" }, { 'e', "PTY$ " },
	{ 's', "fg\n" }, { 'e', "sleep 100\r\n" }, { 'f', "" }, { 'p', "" },
	{ 's', "\x1a" }, { 'e', "^Z" }, { 'e', "Stopped" }, { 'e', "PTY$ " },
	{ 's', "jobs\n" }, { 'e', "[1]+  Stopped" }, { 'e', "PTY$ " },
	{ 's', "bg\n" }, { 'e', "PTY$ " },
	{ 's', "jobs\n" }, { 'e', "[1]+  Running" }, { 'e', "PTY$ " },
	/* The shell reports the end before its next prompt or in jobs, by when sleep dies. */
	{ 's', "kill %1\n" }, { 'z', "" },
	{ 's', "jobs\n" }, { 'e', "Terminated" }, { 'e', "PTY$ " },
	{ 's', "sleep 100\n" }, { 'f', "" }, { 'p', "" }, { 's', "\x03" }, { 'e', "^C" }, { 'e', "PTY$ " },
	{ 's', "echo $?\n" }, { 'e', "130\r\n" }, { 'e', "PTY$ " },
	{ 's', "exit 0\n" },
	{ 0, NULL },
};

/* busybox script runs the command on a second pty and copies its output through. */
static const struct step script_steps[] = {
	{ 'e', "PTY$ " },
	{ 's', "busybox script -q -c 'tty; echo inner-$((6*7))' /tmp/typescript\n" },
	{ 'e', "/dev/pts/" }, { 'e', "inner-42" }, { 'e', "PTY$ " },
	{ 's', "cat /tmp/typescript\n" }, { 'e', "inner-42" }, { 'e', "PTY$ " },
	{ 's', "exit 0\n" },
	{ 0, NULL },
};

static char inbuf[BUF_SIZE];
static size_t inlen;		/* bytes received and not yet consumed by an expectation */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void transcript(const char *b, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (b[i] == '\r')
			fputs("\\r", stdout);
		else
			putchar(b[i]);
	}
	fflush(stdout);
}

/* Reads what is there within @ms: 1 read, 0 nothing came, -1 end of file or error. */
static int pump(int m, int ms)
{
	struct pollfd pfd = { .fd = m, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	if (inlen == sizeof(inbuf)) {
		memmove(inbuf, inbuf + sizeof(inbuf) / 2, sizeof(inbuf) / 2);
		inlen = sizeof(inbuf) / 2;
	}
	n = read(m, inbuf + inlen, sizeof(inbuf) - inlen);
	if (n <= 0)
		return -1;
	transcript(inbuf + inlen, n);
	inlen += (size_t)n;
	return 1;
}

static bool expect(int m, const char *text)
{
	long long deadline = now_ms() + STEP_TIMEOUT_MS;
	size_t len = strlen(text);

	for (;;) {
		char *hit = memmem(inbuf, inlen, text, len);

		if (hit) {
			size_t used = (size_t)(hit - inbuf) + len;

			memmove(inbuf, inbuf + used, inlen - used);
			inlen -= used;
			return true;
		}
		if (now_ms() >= deadline || pump(m, 100) < 0)
			return false;
	}
}

/*
 * The shell prints a job's command before it hands the job the terminal
 * (tcsetpgrp) and continues it, so a ^Z or ^C typed on seeing the command
 * can reach the shell's own group instead; on a slow machine a fixed pause
 * is not enough. Waits until the foreground group is not the shell's (the
 * master's TIOCGPGRP reports the slave's); the caller's pause then covers
 * the SIGCONT that follows the tcsetpgrp.
 */
static pid_t job_pgrp;		/* the last job seen in the foreground */

static bool job_in_foreground(int m, pid_t shell)
{
	long long deadline = now_ms() + STEP_TIMEOUT_MS;

	for (;;) {
		pid_t fg = tcgetpgrp(m);

		if (fg > 0 && fg != shell) {
			job_pgrp = fg;
			return true;
		}
		if (now_ms() >= deadline || pump(m, 10) < 0)
			return false;
	}
}

/* A zombie, or reaped already: the job's one process is its group's leader. */
static bool job_dead(pid_t pid)
{
	char path[64], buf[512], *state;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	state = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return state && state[1] == ' ' && state[2] == 'Z';
}

static bool job_died(int m)
{
	long long deadline = now_ms() + STEP_TIMEOUT_MS;

	while (job_pgrp <= 0 || !job_dead(job_pgrp)) {
		if (now_ms() >= deadline || pump(m, 10) < 0)
			return false;
	}
	return true;
}

static int spawn(const char *path, char *const argv[], int *master)
{
	static char path_var[4096] = "PATH=/bin:/usr/bin:/sbin";
	char *env[] = { "PS1=PTY$ ", path_var, "TERM=vt100", "HOME=/", NULL };
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	pid_t pid;

	/* The caller's PATH if it has one (on Linux, where BusyBox is the port's). */
	if (getenv("PATH"))
		snprintf(path_var, sizeof(path_var), "PATH=%s", getenv("PATH"));
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		perror("ptydrive: posix_openpt");
		return -1;
	}
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int s;

		setsid();
		s = open(ptsname(m), O_RDWR | O_NOCTTY);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0)) {
			perror("ptydrive: slave");
			_exit(126);
		}
		close(m);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		execve(path, argv, env);
		perror("ptydrive: exec");
		_exit(127);
	}
	*master = m;
	return pid;
}

int main(int argc, char **argv)
{
	const struct step *steps;
	const char *sh = "/bin/sh";
	char *sh_argv[] = { "sh", "-i", NULL };
	int m, status, i;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: ptydrive jobctl|script [SHELL]\n");
		return 2;
	}
	if (!strcmp(argv[1], "jobctl")) {
		steps = jobctl_steps;
	} else if (!strcmp(argv[1], "script")) {
		steps = script_steps;
	} else {
		fprintf(stderr, "ptydrive: no scenario %s\n", argv[1]);
		return 2;
	}
	if (argc > 2)
		sh = argv[2];
	pid = spawn(sh, sh_argv, &m);
	if (pid < 0)
		return 1;
	for (i = 0; steps[i].op; i++) {
		const struct step *st = &steps[i];
		struct winsize ws = { .ws_row = 33, .ws_col = 99 };
		bool ok = true;

		switch (st->op) {
		case 's':
			ok = write(m, st->text, strlen(st->text)) == (ssize_t)strlen(st->text);
			break;
		case 'e':
			ok = expect(m, st->text);
			break;
		case 'w':
			ok = ioctl(m, TIOCSWINSZ, &ws) == 0;
			break;
		case 'f':
			ok = job_in_foreground(m, pid);
			break;
		case 'z':
			ok = job_died(m);
			break;
		case 'p':
			for (long long end = now_ms() + 100; now_ms() < end;)
				pump(m, 10);
			break;
		}
		if (!ok) {
			printf("\nptydrive: FAIL at step %d (%c \"%s\")\n", i, st->op, st->text);
			kill(pid, SIGKILL);
			return 1;
		}
	}
	/* The shell exits: drain what it wrote until the slave closes (EIO). */
	while (pump(m, 5000) > 0)
		;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("\nptydrive: FAIL: the shell ended with status %#x\n", status);
		return 1;
	}
	printf("\nptydrive: OK\n");
	return 0;
}
