/* SPDX-License-Identifier: MIT */
/*
 * x86 half of the function profiler (kernel/trace/kprof.c, docs/kprof.md):
 * the trampolines a patched function entry calls and returns through, the
 * patching of the 5-byte NOP at each entry, and the frame-pointer walk of a
 * sampled stack.
 */
#ifndef _ASM_KPROF_H
#define _ASM_KPROF_H

#include <exo/types.h>

struct pt_regs;

/* The call site (5 bytes) at the entry of every hooked function. */
#define KPROF_SITE_SIZE 5

/* Where a hooked function returns to while its call is being timed. */
extern char kprof_exit_tramp[];

/* Finds a writable alias of the kernel text; 0 or -errno. */
int arch_kprof_init(void);
/*
 * Writes the call of the entry trampoline (@on) or the NOP into @site. The
 * caller guarantees no CPU runs those bytes meanwhile (kprof_patch_all).
 */
void arch_kprof_patch(unsigned long site, bool on);
/* Serialises this CPU's instruction fetch after another CPU changed code (SDM 3A, 8.1.3). */
void arch_sync_core(void);
/*
 * The interrupted call chain of @regs: the RIP, then the return addresses
 * found along the frame pointers inside [@lo, @hi). Returns how many (0 for
 * a user-mode @regs).
 */
unsigned int arch_kprof_walk(const struct pt_regs *regs, unsigned long lo, unsigned long hi,
			     unsigned long *pcs, unsigned int max);

#endif /* _ASM_KPROF_H */
