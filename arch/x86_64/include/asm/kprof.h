/* SPDX-License-Identifier: MIT */
/*
 * x86 half of the function profiler (kernel/trace/kprof.c, docs/kprof.md):
 * the trampolines a patched function entry calls and returns through, the
 * patching of the 5-byte NOP at each entry, and the frame-pointer walk of a
 * sampled stack.
 */
#ifndef _ASM_KPROF_H
#define _ASM_KPROF_H

/*
 * The bytes gcc leaves before every hooked function's entry
 * (-fpatchable-function-entry=N,N in the Makefile, which passes N): never
 * executed while the profiler is off. On, they hold
 *   call kprof_entry_tramp; <the entry's first instructions>; jmp entry+D
 * and the entry's first two bytes jump back to them.
 */
#ifndef KPROF_PRE_SIZE
#define KPROF_PRE_SIZE 16
#endif
#define KPROF_CALL_SIZE 5

#ifndef __ASSEMBLER__
#include <exo/types.h>

struct pt_regs;

/* Where a hooked function returns to while its call is being timed. */
extern char kprof_exit_tramp[];

/* Finds a writable alias of the kernel text; 0 or -errno. */
int arch_kprof_init(void);
/*
 * Whether the function at @site can be hooked: its first instructions
 * (at least two bytes of them) are ones arch_kprof_patch() can move
 * into the bytes before it (no relative addressing).
 */
bool arch_kprof_hookable(unsigned long site);
/*
 * Hooks the function at @site (@on) or puts its first bytes back. The
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

#endif /* !__ASSEMBLER__ */
#endif /* _ASM_KPROF_H */
