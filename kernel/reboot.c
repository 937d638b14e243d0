// SPDX-License-Identifier: MIT
/*
 * reboot(2): power off, restart or halt, for root only, with Linux's two
 * magic numbers guarding against accidental calls. The file systems are
 * all in memory (tmpfs), so there is nothing to sync first.
 */
#include <exo/reboot.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>

#define LINUX_REBOOT_MAGIC1 0xfee1deadU
#define LINUX_REBOOT_MAGIC2 672274793U
#define LINUX_REBOOT_MAGIC2A 85072278U
#define LINUX_REBOOT_MAGIC2B 369367448U
#define LINUX_REBOOT_MAGIC2C 537993216U

#define LINUX_REBOOT_CMD_RESTART 0x01234567U
#define LINUX_REBOOT_CMD_HALT 0xcdef0123U
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefU
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000U
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcU
#define LINUX_REBOOT_CMD_RESTART2 0xa1b2c3d4U

SYSCALL_DEFINE4(reboot, unsigned int, magic1, unsigned int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	if (current->cred.euid != 0)
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		machine_restart();
	case LINUX_REBOOT_CMD_HALT:
		machine_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		machine_power_off();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		/* Ctrl-Alt-Del comes from a PC keyboard, which Exo-OS does not drive. */
		return 0;
	default:
		return -EINVAL;
	}
}
