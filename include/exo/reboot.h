/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine: power off (ACPI S5) or restart (ACPI reset register,
 * then the keyboard controller, then a triple fault). Neither returns. The
 * reboot(2) system call (kernel/reboot.c) is the user-space way in.
 */
#ifndef _EXO_REBOOT_H
#define _EXO_REBOOT_H

#include <exo/compiler.h>

void __noreturn machine_power_off(void);
void __noreturn machine_restart(void);
void __noreturn machine_halt(void);

#endif /* _EXO_REBOOT_H */
