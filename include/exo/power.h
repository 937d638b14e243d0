/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine. qemu_debug_exit() writes to QEMU's isa-debug-exit
 * device (port 0xf4), which ends QEMU with status (code << 1) | 1; on a
 * machine without the device it returns and the caller halts.
 */
#ifndef _EXO_POWER_H
#define _EXO_POWER_H

#include <exo/compiler.h>

#define QEMU_EXIT_SUCCESS 0	/* QEMU exit status 1 */
#define QEMU_EXIT_FAILURE 1	/* QEMU exit status 3 */
#define QEMU_EXIT_PANIC 2	/* QEMU exit status 5 */

void __noreturn qemu_debug_exit(int code);

#endif /* _EXO_POWER_H */
