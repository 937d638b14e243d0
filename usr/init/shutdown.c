/*
 * The end of the system: every process but init gets SIGTERM, then up to
 * SHUTDOWN_GRACE_MS to exit, then SIGKILL; file systems are synced and the
 * Linux reboot(2) call (magic 0xfee1dead, 672274793 and the command; musl's
 * reboot() passes them) powers off, restarts or halts. If reboot(2) fails
 * (Exo-OS does not have it yet), init says so and waits forever, as a
 * halted machine would. Unless init is PID 1 (tried on a host) it only exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define SHUTDOWN_GRACE_MS 2000
#define SHUTDOWN_POLL_MS 50

static int children_left(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	/* With no children left waitpid fails with ECHILD. */
	return !(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
}

static void wait_children(int ms)
{
	struct timespec poll = { 0, SHUTDOWN_POLL_MS * 1000000L };

	for (int t = 0; t < ms && children_left(); t += SHUTDOWN_POLL_MS)
		nanosleep(&poll, NULL);
}

_Noreturn void init_shutdown(int cmd)
{
	const char *what = cmd == RB_POWER_OFF ? "power off" : cmd == RB_AUTOBOOT ? "reboot" : "halt";
	sigset_t all;

	/* Tried on a host, init must not kill(-1) the host's processes. */
	if (getpid() != 1) {
		init_log("not PID 1: not shutting the system down for %s", what);
		exit(0);
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	init_log("the system is going down for %s", what);
	init_log("sending SIGTERM to all processes");
	kill(-1, SIGTERM);
	kill(-1, SIGCONT);
	wait_children(SHUTDOWN_GRACE_MS);
	init_log("sending SIGKILL to all processes");
	kill(-1, SIGKILL);
	wait_children(SHUTDOWN_GRACE_MS);
	sync();
	reboot(cmd);
	init_log("reboot(2) for %s failed: %s; the system is halted", what, strerror(errno));
	for (;;)
		pause();
}
