/* SPDX-License-Identifier: MIT */
/*
 * Initcalls: subsystems and drivers register their init function in a linker
 * section instead of being called by name from start_kernel. Levels run in
 * order (core, arch, subsys, fs, device, late); within a level, in link order.
 * An initcall returns 0 or -errno; a failure is logged and boot continues.
 */
#ifndef _EXO_INIT_H
#define _EXO_INIT_H

#include <exo/compiler.h>

typedef int (*initcall_t)(void);

#ifndef __define_initcall	/* the host unit tests collect them their own way */
#define __define_initcall(fn, level)                                             \
	static const initcall_t __initcall_##fn __used                           \
		__section(".initcall." #level) = fn
#endif

#define core_initcall(fn) __define_initcall(fn, 1)
#define arch_initcall(fn) __define_initcall(fn, 3)
#define subsys_initcall(fn) __define_initcall(fn, 4)
#define fs_initcall(fn) __define_initcall(fn, 5)
#define device_initcall(fn) __define_initcall(fn, 6)
#define late_initcall(fn) __define_initcall(fn, 7)

void do_initcalls(void);

#endif /* _EXO_INIT_H */
