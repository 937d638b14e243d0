/*
 * poweroff, reboot, halt: ask init (PID 1) to shut down, by the signals
 * usr/init understands (SIGUSR2 power off, SIGTERM reboot, SIGUSR1 halt).
 * With -f they do it themselves at once: sync, then reboot(2).
 */
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

#include "exobox.h"

static int power(int argc, char **argv, int sig, int cmd)
{
	int c, force = 0;

	while ((c = getopt(argc, argv, "fdn")) != -1) {
		if (c == 'f')
			force = 1;
		else if (c == '?')
			usage();
	}
	if (optind < argc)
		usage();
	if (force) {
		sync();
		reboot(cmd);
		die_errno("reboot(2) failed");
	}
	if (kill(1, sig))
		die_errno("cannot signal init");
	return 0;
}

int poweroff_main(int argc, char **argv)
{
	return power(argc, argv, SIGUSR2, RB_POWER_OFF);
}

int reboot_main(int argc, char **argv)
{
	return power(argc, argv, SIGTERM, RB_AUTOBOOT);
}

int halt_main(int argc, char **argv)
{
	return power(argc, argv, SIGUSR1, RB_HALT_SYSTEM);
}
