/*
 * uptime: " HH:MM:SS up D days, H:MM,  0 user,  load average: a, b, c",
 * from /proc/uptime and /proc/loadavg or sysinfo(2). There is no utmp on
 * Exo-OS, so the user count is always 0 (printed "0 user" as procps does).
 */
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "exobox.h"

int uptime_main(int argc, char **argv)
{
	double up = 0, l1 = 0, l5 = 0, l15 = 0;
	char buf[256], clock[16];
	time_t now = time(NULL);
	struct sysinfo si;
	long secs, days, hours, mins;

	(void)argv;
	if (argc > 1)
		usage();
	if (read_small_file("/proc/uptime", buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%lf", &up) == 1 && read_small_file("/proc/loadavg", buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%lf %lf %lf", &l1, &l5, &l15) == 3) {
	} else if (!sysinfo(&si)) {
		up = si.uptime;
		l1 = si.loads[0] / 65536.0;
		l5 = si.loads[1] / 65536.0;
		l15 = si.loads[2] / 65536.0;
	} else {
		die_errno("cannot read /proc/uptime or sysinfo");
	}
	strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
	secs = (long)up;
	days = secs / 86400;
	hours = secs / 3600 % 24;
	mins = secs / 60 % 60;
	printf(" %s up ", clock);
	if (days)
		printf("%ld day%s, ", days, days == 1 ? "" : "s");
	if (hours)
		printf("%2ld:%02ld,  ", hours, mins);
	else
		printf("%ld min,  ", mins);
	printf("0 user,  load average: %.2f, %.2f, %.2f\n", l1, l5, l15);
	return 0;
}
