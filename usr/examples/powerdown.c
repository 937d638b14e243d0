/*
 * Powers the machine off with reboot(2) after checking the call's errors:
 * a bad magic number must give EINVAL. Used by the test suite to check that
 * ACPI power-off ends QEMU cleanly. Run as root (it is init in the test).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r = syscall(SYS_reboot, 0x12345678, 672274793, RB_POWER_OFF, NULL);

	if (r != -1 || errno != EINVAL) {
		printf("powerdown: bad magic gave %ld errno %d, wanted EINVAL\n", r, errno);
		return 1;
	}
	printf("powerdown: powering off\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	perror("powerdown: reboot");
	return 1;
}
