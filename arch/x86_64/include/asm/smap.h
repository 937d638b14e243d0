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
 * Each stac and clac is emitted as the instruction itself, with its address
 * in .smap_sites: on a CPU without SMAP (where both raise #UD)
 * smap_patch_sites() turns every one into a 3-byte NOP at boot, before
 * anything touches user memory. So a CPU with SMAP pays one instruction a
 * site, not a feature test and a branch, as Linux's alternatives do.
 */
#ifndef _ASM_SMAP_H
#define _ASM_SMAP_H

#include <exo/compiler.h>

#define __SMAP_SITE(insn)                                                       \
	"661:\n\t" insn "\n"                                                    \
	"\t.pushsection .smap_sites, \"a\"\n\t.balign 8\n\t.quad 661b\n\t.popsection\n"

static __always_inline void stac(void)
{
	__asm__ __volatile__(__SMAP_SITE("stac") : : : "memory");
}

static __always_inline void clac(void)
{
	__asm__ __volatile__(__SMAP_SITE("clac") : : : "memory");
}

/* Boot CPU, after paging_init(): NOPs over every site when the CPU has no SMAP. */
void smap_patch_sites(void);

#endif /* _ASM_SMAP_H */
