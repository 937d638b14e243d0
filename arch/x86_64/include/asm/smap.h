/* SPDX-License-Identifier: MIT */
/*
 * SMAP (Supervisor Mode Access Prevention, vol. 3A, 4.6.1): with CR4.SMAP
 * on, a kernel access to a user page faults unless RFLAGS.AC is set. The
 * user-copy helpers open the window with stac() right before the access and
 * close it with clac() right after; nothing else may run in between (no
 * calls, no sleeping), so a kernel bug cannot reach user memory through it.
 * Kernel entry from user mode must start with AC clear: SFMASK covers the
 * syscall entry, and the IDT entry will need a clac once user mode exists.
 *
 * On CPUs without SMAP both are no-ops: stac/clac would raise #UD there.
 */
#ifndef _ASM_SMAP_H
#define _ASM_SMAP_H

#include <asm/cpufeature.h>

static __always_inline void stac(void)
{
	if (boot_cpu_has(X86_FEATURE_SMAP))
		__asm__ __volatile__("stac" : : : "memory");
}

static __always_inline void clac(void)
{
	if (boot_cpu_has(X86_FEATURE_SMAP))
		__asm__ __volatile__("clac" : : : "memory");
}

#endif /* _ASM_SMAP_H */
