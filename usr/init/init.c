/*
 * init: PID 1 of Exo-OS (installed as /sbin/init, /init links to it).
 *
 * Boot: mounts /proc, /sys and /dev (devtmpfs) unless the kernel has
 * mounted them already (statfs names the file system there: a second
 * mount would stack and show twice in /proc/mounts). Then it runs "/bin/sh /etc/rc"
 * if /etc/rc exists and waits for it, then keeps a login shell ("-sh", i.e. /bin/sh as a login shell) on
 * /dev/console: the shell is a session leader with the console as its
 * controlling terminal and its own process group in the foreground.
 * When the shell exits it is started again, after RESPAWN_DELAY seconds if
 * it died within RESPAWN_QUICK seconds RESPAWN_TRIES times in a row.
 * Orphans are reaped whenever SIGCHLD arrives.
 *
 * Shutdown, by signal (what poweroff, reboot and halt send):
 *   SIGUSR2 power off, SIGTERM or SIGINT reboot, SIGUSR1 halt.
 *
 * Test mode: "init --exit-after=CMD" (the rest of argv is joined to CMD
 * with spaces, since the kernel command line has no quoting) runs
 * "/bin/sh -c CMD" on the console after the boot steps and exits with its
 * status (128+N if signal N killed it) instead of starting a shell, so a
 * harness can boot, run one command and end QEMU. "--no-rc" skips /etc/rc.
 *
 * Mounts happen only when init really is PID 1, so init can be tried on a
 * Linux host without touching the host's /proc and /dev.
 *
 * Signal handling is race-free: the signals init cares about stay blocked
 * except inside sigsuspend(), whose handlers only set flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "init.h"

#define CONSOLE "/dev/console"

/* statfs f_type of the boot mounts (Linux's <linux/magic.h>, which musl lacks). */
#define PROC_SUPER_MAGIC	0x9fa0UL
#define SYSFS_MAGIC		0x62656572UL
#define TMPFS_MAGIC		0x01021994UL
#define SHELL "/bin/sh"
#define RC_FILE "/etc/rc"
#define RESPAWN_QUICK 2		/* seconds: a shell that lived less died "at once" */
#define RESPAWN_TRIES 3
#define RESPAWN_DELAY 5		/* seconds */

static volatile sig_atomic_t got_chld, got_alarm, shutdown_cmd;
static int shutdown_requested;
static sigset_t watched;

void init_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vwrite("init", fmt, ap);
	va_end(ap);
}

static void on_signal(int sig)
{
	switch (sig) {
	case SIGCHLD: got_chld = 1; break;
	case SIGALRM: got_alarm = 1; break;
	case SIGUSR2: shutdown_cmd = RB_POWER_OFF; break;
	case SIGUSR1: shutdown_cmd = RB_HALT_SYSTEM; break;
	default: shutdown_cmd = RB_AUTOBOOT; break;	/* SIGTERM, SIGINT */
	}
	if (sig != SIGCHLD && sig != SIGALRM)
		shutdown_requested = 1;
}

static void signals_setup(void)
{
	static const int sigs[] = { SIGCHLD, SIGALRM, SIGTERM, SIGINT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&watched);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&watched, sigs[i]);
	sa.sa_mask = watched;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	sigprocmask(SIG_BLOCK, &watched, NULL);
}

void init_child_signals(void)
{
	sigset_t none;

	for (int s = 1; s < _NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void init_reap(pid_t who, int *status, int *who_exited)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == who) {
			*status = st;
			*who_exited = 1;
		}
	}
}

static void mount_one(const char *src, const char *dir, const char *type, unsigned long magic,
		      unsigned long flags)
{
	struct statfs st;

	mkdir(dir, 0755);
	if (!statfs(dir, &st) && (unsigned long)st.f_type == magic)
		return;
	if (!mount(src, dir, type, flags, NULL) || errno == EBUSY)
		return;
	if (errno == ENODEV)
		init_log("%s: no %s file system in this kernel; going on without it", dir, type);
	else
		init_log("mounting %s on %s: %s", type, dir, strerror(errno));
}

static void mounts_setup(void)
{
	mount_one("proc", "/proc", "proc", PROC_SUPER_MAGIC, MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_one("devtmpfs", "/dev", "devtmpfs", TMPFS_MAGIC, MS_NOSUID);
	mount_one("sysfs", "/sys", "sysfs", SYSFS_MAGIC, MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

static void env_setup(void)
{
	setenv("PATH", "/bin:/usr/bin:/sbin:/usr/sbin", 0);
	setenv("HOME", "/root", 0);
	setenv("TERM", "linux", 0);
	setenv("SHELL", SHELL, 1);
	setenv("USER", "root", 0);
	setenv("LOGNAME", "root", 0);
	if (access("/root", F_OK))
		setenv("HOME", "/", 1);
}

/* In the child: own session, the console as controlling terminal and stdio.
 * Not PID 1 (tried on a host), the child keeps init's stdio. */
static void console_attach(void)
{
	int fd;

	setsid();
	if (getppid() != 1)
		return;
	fd = open(CONSOLE, O_RDWR);
	if (fd < 0)
		return;	/* keep the stdio the kernel gave us */
	/* Without a tty layer this is ENOTTY; the shell still runs. */
	ioctl(fd, TIOCSCTTY, 0);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	tcsetpgrp(0, getpid());
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0) {
		init_log("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		init_child_signals();
		console_attach();
		chdir(getenv("HOME"));
		execv(argv[0], argv);
		init_log("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Waits for @pid while reaping others; returns its wait status, or -1 if a
 * shutdown was requested first. */
static int wait_for(pid_t pid)
{
	sigset_t none;
	int status = 0, exited = 0;

	sigemptyset(&none);
	for (;;) {
		init_reap(pid, &status, &exited);
		if (exited)
			return status;
		if (shutdown_requested)
			return -1;
		sigsuspend(&none);
	}
}

static void rc_run(void)
{
	char *argv[] = { SHELL, RC_FILE, NULL };
	pid_t pid;
	int st;

	if (access(RC_FILE, R_OK) || access(SHELL, X_OK))
		return;
	pid = spawn(argv);
	if (pid < 0)
		return;
	st = wait_for(pid);
	if (st > 0)
		init_log("%s failed (status %d)", RC_FILE, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static char *test_command(int argc, char **argv, int *no_rc)
{
	size_t len = 1;
	char *cmd = NULL;
	int at = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-rc"))
			*no_rc = 1;
		else if (!strncmp(argv[i], "--exit-after", 12) && at < 0)
			at = i;
	}
	if (at < 0)
		return NULL;
	for (int i = at; i < argc; i++)
		len += strlen(argv[i]) + 1;
	cmd = calloc(1, len);
	if (!cmd)
		return NULL;
	if (argv[at][12] == '=')
		strcat(cmd, argv[at] + 13);
	for (int i = at + 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-rc"))
			continue;
		if (*cmd)
			strcat(cmd, " ");
		strcat(cmd, argv[i]);
	}
	return cmd;
}

static int test_mode(char *cmd)
{
	char *argv[] = { SHELL, "-c", cmd, NULL };
	pid_t pid = spawn(argv);
	int st;

	if (pid < 0)
		return 127;
	st = wait_for(pid);
	if (st < 0)
		init_shutdown(shutdown_cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void shell_loop(void)
{
	char *argv[] = { SHELL, NULL, NULL };
	int quick_deaths = 0;
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		time_t started = time(NULL);
		pid_t pid;
		int st;

		/* A login shell: argv[0] starts with '-'. */
		argv[0] = "-sh";
		pid = fork();
		if (pid == 0) {
			init_child_signals();
			console_attach();
			chdir(getenv("HOME"));
			execv(SHELL, argv);
			init_log("cannot run %s: %s", SHELL, strerror(errno));
			_exit(127);
		}
		if (pid < 0)
			init_log("fork: %s", strerror(errno));
		st = pid > 0 ? wait_for(pid) : 0;
		if (st < 0 || shutdown_requested)
			init_shutdown(shutdown_cmd);
		if (time(NULL) - started < RESPAWN_QUICK)
			quick_deaths++;
		else
			quick_deaths = 0;
		if (quick_deaths >= RESPAWN_TRIES) {
			init_log("%s keeps exiting at once; next try in %d seconds", SHELL, RESPAWN_DELAY);
			got_alarm = 0;
			alarm(RESPAWN_DELAY);
			while (!got_alarm && !shutdown_requested) {
				int dummy, ex = 0;

				sigsuspend(&none);
				init_reap(-1, &dummy, &ex);
			}
			alarm(0);
			if (shutdown_requested)
				init_shutdown(shutdown_cmd);
		}
	}
}

int main(int argc, char **argv)
{
	int no_rc = 0;
	char *cmd = test_command(argc, argv, &no_rc);

	umask(022);
	signals_setup();
	env_setup();
	if (getpid() == 1)
		mounts_setup();
	if (!no_rc)
		rc_run();
	if (shutdown_requested)
		init_shutdown(shutdown_cmd);
	if (cmd)
		return test_mode(cmd);
	shell_loop();
}
