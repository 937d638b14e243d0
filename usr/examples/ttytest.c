/*
 * ttytest: the serial terminal driven from the host (the tty_* tests of
 * scripts/run_tests.py type at it through QEMU's serial port).
 *
 * Runs as init on /dev/console: prints "cmd> ", reads a command line, runs
 * it and reports on lines the host matches. Commands:
 *
 *   line        one canonical read(), reported as "got N [bytes]"
 *   noecho      the same with ECHO off
 *   lineh       the same with VERASE set to ^H (stty erase ^H)
 *   raw         non-canonical, VMIN=1 VTIME=0, no ECHO, ISIG, ICRNL: each read() until 'q'
 *   rawecho     only ICANON off (echo, signals and CR mapping stay)
 *   vtime       VMIN=0 VTIME=3 with no input: the read's result and duration
 *   bulk N      raw, no echo: sleep 1 s (input piles up), then read N bytes;
 *               report their count and sum
 *   output      writes with and without OPOST|ONLCR
 *   ioctls      TCGETS defaults, window size, FIONREAD, TCFLSH
 *   sigint, sigquit, sigtstp
 *               a foreground child of a new session reads; how it ended
 *   ttin, ttou  a background child reads, or writes under TOSTOP
 *   hup         a session leader exits with its foreground child in read()
 *   devtty      /dev/tty with and without a controlling terminal
 *   exit        exit 0 (QEMU ends under debug_exit)
 *
 * Job control needs a controlling terminal, and init, whose process group
 * is orphaned, could not take the foreground back from a child: those
 * commands run in a child that makes a session of its own (setsid,
 * TIOCSCTTY) and gives the terminal up again by exiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(1, buf, n) < 0)
		_exit(3);
}

/* "got N [bytes]" with bytes escaped so the host sees exactly what read() returned. */
static void report(const char *what, const char *buf, ssize_t n)
{
	char out[400];
	size_t o = 0;

	if (n < 0) {
		say("%s -1 %s\n", what, strerror(errno));
		return;
	}
	for (ssize_t i = 0; i < n && o + 5 < sizeof(out); i++) {
		unsigned char c = buf[i];

		if (c == '\n')
			o += snprintf(out + o, sizeof(out) - o, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '[' || c == ']' || c == '\\')
			o += snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	out[o] = '\0';
	say("%s %zd [%s]\n", what, n, out);
}

static struct termios saved;

static void set_mode(int lflag_on, int lflag_off, int iflag_off, int vmin, int vtime)
{
	struct termios t = saved;

	t.c_lflag |= lflag_on;
	t.c_lflag &= ~lflag_off;
	t.c_iflag &= ~iflag_off;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	if (tcsetattr(0, TCSANOW, &t))
		say("tcsetattr: %s\n", strerror(errno));
}

static void restore_mode(void)
{
	tcsetattr(0, TCSANOW, &saved);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void cmd_line(int echo, int erase)
{
	struct termios t = saved;
	char buf[256];
	ssize_t n;

	if (!echo)
		t.c_lflag &= ~ECHO;
	if (erase)
		t.c_cc[VERASE] = erase;
	tcsetattr(0, TCSANOW, &t);
	say("line: ready\n");
	n = read(0, buf, sizeof(buf));
	restore_mode();
	report("got", buf, n);
}

static void cmd_raw(int echo)
{
	char buf[64];

	/* raw: what cfmakeraw() clears but OPOST; rawecho: only ICANON. */
	if (echo)
		set_mode(0, ICANON, 0, 1, 0);
	else
		set_mode(0, ICANON | ECHO | ISIG | IEXTEN, ICRNL | IXON, 1, 0);
	say("raw: ready\n");
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));

		report("raw", buf, n);
		if (n <= 0 || memchr(buf, 'q', n))
			break;
	}
	restore_mode();
}

static void cmd_vtime(void)
{
	char buf[16];
	long long start;
	ssize_t n;

	set_mode(0, ICANON | ECHO, 0, 0, 3);
	start = now_ms();
	n = read(0, buf, sizeof(buf));
	say("vtime n=%zd ms=%lld\n", n, now_ms() - start);
	restore_mode();
}

static void cmd_bulk(long want)
{
	unsigned long sum = 0;
	long got = 0;
	char buf[512];

	set_mode(0, ICANON | ECHO | ISIG | IEXTEN, ICRNL | IXON, 1, 0);
	say("bulk: ready\n");
	usleep(1000000);
	while (got < want) {
		ssize_t n = read(0, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			sum += (unsigned char)buf[i];
		got += n;
	}
	restore_mode();
	say("bulk n=%ld sum=%lu\n", got, sum);
}

static void cmd_output(void)
{
	struct termios t = saved;

	say("out1:a\nb\n");
	t.c_oflag &= ~OPOST;
	tcsetattr(1, TCSANOW, &t);
	say("out2:c\nd\n");
	restore_mode();
	say("\noutput: done\n");
}

static void cmd_ioctls(void)
{
	struct winsize ws = { 33, 111, 0, 0 }, got;
	struct termios t;
	int n = -1;

	if (tcgetattr(0, &t))
		say("tcgetattr: %s\n", strerror(errno));
	say("termios lflag_canon=%d echo=%d isig=%d icrnl=%d onlcr=%d intr=%d erase=%d vmin=%d\n",
	    !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG),
	    !!(t.c_iflag & ICRNL), !!(t.c_oflag & ONLCR), t.c_cc[VINTR], t.c_cc[VERASE],
	    t.c_cc[VMIN]);
	if (ioctl(0, TIOCSWINSZ, &ws) || ioctl(0, TIOCGWINSZ, &got))
		say("winsize: %s\n", strerror(errno));
	else
		say("winsize %dx%d\n", got.ws_row, got.ws_col);
	say("isatty=%d\n", isatty(0));

	set_mode(0, ICANON | ECHO, 0, 1, 0);
	say("fionread: ready\n");
	for (int i = 0; i < 300; i++) {
		if (ioctl(0, FIONREAD, &n) || n >= 3)
			break;
		usleep(10000);
	}
	say("fionread %d\n", n);
	tcflush(0, TCIFLUSH);
	ioctl(0, FIONREAD, &n);
	say("after flush %d\n", n);
	restore_mode();
}

/* A new session with the console as its controlling terminal; exits on failure. */
static void become_session(void)
{
	if (setsid() < 0 || ioctl(0, TIOCSCTTY, 0)) {
		say("session: %s\n", strerror(errno));
		_exit(4);
	}
}

static void describe(const char *what, int status)
{
	if (WIFSIGNALED(status))
		say("%s: child signaled %d\n", what, WTERMSIG(status));
	else if (WIFSTOPPED(status))
		say("%s: child stopped %d\n", what, WSTOPSIG(status));
	else
		say("%s: child exited %d\n", what, WEXITSTATUS(status));
}

/* Runs fn in a child of a fresh session and waits for it. */
static void in_session(void (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		become_session();
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &status, 0);
}

static void child_reader(void)
{
	char buf[16];

	while (tcgetpgrp(0) != getpgrp())
		usleep(1000);
	say("fg: ready\n");
	read(0, buf, sizeof(buf));
	_exit(0);
}

/* ^C, ^\ or ^Z typed at a foreground child blocked in read(). */
static void job_signal(const char *what)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		setpgid(0, 0);
		child_reader();
	}
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	waitpid(pid, &status, WUNTRACED);
	describe(what, status);
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
}

/* A child in a background group reads, or writes with TOSTOP set. */
static void job_background(const char *what)
{
	int writer = !strcmp(what, "ttou");
	pid_t pid;
	int status;

	if (writer) {
		struct termios t = saved;

		t.c_lflag |= TOSTOP;
		tcsetattr(0, TCSANOW, &t);
	}
	pid = fork();
	if (pid == 0) {
		char buf[16];

		setpgid(0, 0);
		if (writer)
			say("ttou: background write\n");
		else
			read(0, buf, sizeof(buf));
		_exit(0);
	}
	setpgid(pid, pid);
	waitpid(pid, &status, WUNTRACED);
	describe(what, status);
	if (WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	restore_mode();
}

/* The leader leaves its foreground child in read(): the child gets SIGHUP. */
static void job_hangup(const char *what)
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		child_reader();
	}
	setpgid(pid, pid);
	tcsetpgrp(0, pid);
	say("%s: child %d\n", what, pid);
	/* Long enough for the child to block in read(). */
	usleep(200000);
}

static void cmd_hup(void)
{
	pid_t leader = fork();
	int status;

	if (leader == 0) {
		become_session();
		job_hangup("hup");
		_exit(0);
	}
	/* The leader and, reparented to us, its child. */
	for (int i = 0; i < 2; i++) {
		pid_t pid = wait(&status);

		if (pid < 0)
			break;
		if (pid == leader)
			say("hup: leader exited\n");
		else
			describe("hup", status);
	}
}

static void session_devtty(const char *what)
{
	int fd = open("/dev/tty", O_RDWR);
	pid_t sid = -1;

	say("%s in session: %s\n", what, fd >= 0 ? "ok" : strerror(errno));
	if (fd >= 0 && ioctl(fd, TIOCGSID, &sid) == 0)
		say("devtty sid=%s\n", sid == getpid() ? "self" : "other");
	if (fd >= 0 && tcgetpgrp(fd) == getpgrp())
		say("devtty foreground=self\n");
}

static void cmd_devtty(void)
{
	int fd = open("/dev/tty", O_RDWR);

	say("devtty before: %s\n", fd >= 0 ? "ok" : strerror(errno));
	in_session(session_devtty, "devtty");
	fd = open("/dev/tty", O_RDWR);
	say("devtty after: %s\n", fd >= 0 ? "ok" : strerror(errno));
}

int main(void)
{
	char cmd[64];

	if (tcgetattr(0, &saved)) {
		say("ttytest: stdin is not a terminal: %s\n", strerror(errno));
		return 1;
	}
	say("ttytest: ready\n");
	for (;;) {
		ssize_t n;

		say("cmd> ");
		n = read(0, cmd, sizeof(cmd) - 1);
		if (n <= 0) {
			say("ttytest: read %zd\n", n);
			return 1;
		}
		cmd[n] = '\0';
		cmd[strcspn(cmd, "\n")] = '\0';
		if (!strcmp(cmd, "line"))
			cmd_line(1, 0);
		else if (!strcmp(cmd, "noecho"))
			cmd_line(0, 0);
		else if (!strcmp(cmd, "lineh"))
			cmd_line(1, '\b');
		else if (!strcmp(cmd, "raw"))
			cmd_raw(0);
		else if (!strcmp(cmd, "rawecho"))
			cmd_raw(1);
		else if (!strcmp(cmd, "vtime"))
			cmd_vtime();
		else if (!strncmp(cmd, "bulk ", 5))
			cmd_bulk(atol(cmd + 5));
		else if (!strcmp(cmd, "output"))
			cmd_output();
		else if (!strcmp(cmd, "ioctls"))
			cmd_ioctls();
		else if (!strcmp(cmd, "sigint") || !strcmp(cmd, "sigquit") ||
			 !strcmp(cmd, "sigtstp"))
			in_session(job_signal, cmd);
		else if (!strcmp(cmd, "ttin") || !strcmp(cmd, "ttou"))
			in_session(job_background, cmd);
		else if (!strcmp(cmd, "hup"))
			cmd_hup();
		else if (!strcmp(cmd, "devtty"))
			cmd_devtty();
		else if (!strcmp(cmd, "exit"))
			return 0;
		else
			say("unknown command [%s]\n", cmd);
	}
}
