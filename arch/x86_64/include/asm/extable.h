/* SPDX-License-Identifier: MIT */
/*
 * Exception table: lets a kernel instruction that may fault (a user-memory
 * access, a probe of a possibly unmapped address) name where execution
 * continues if it does. Each entry is {address of the instruction, address of
 * its fixup}; _ASM_EXTABLE() emits one into section __ex_table, which the
 * linker script gathers between __ex_table_start and __ex_table_end. When a
 * kernel-mode exception hits an instruction with an entry, the handler
 * resumes at the fixup instead of reporting an Oops. The fixup code then
 * sets the error (typically -EFAULT) and jumps back.
 *
 * Fixup code goes in section .text.fixup (kept out of the hot path, still
 * inside .text for the linker script). Rule: an entry covers exactly one
 * instruction; everything the fixup needs must be in registers the asm
 * statement declares.
 */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

#ifdef __ASSEMBLER__
#define _ASM_EXTABLE(insn, fixup)                                                \
	.pushsection __ex_table, "a";                                            \
	.balign 8;                                                               \
	.quad insn, fixup;                                                       \
	.popsection
#else
#include <exo/types.h>
#include <uapi/errno.h>

struct pt_regs;

struct exception_table_entry {
	unsigned long insn;	/* [immutable] address of the instruction that may fault */
	unsigned long fixup;	/* [immutable] where to resume if it does */
};

#define _ASM_EXTABLE(insn, fixup)                                                \
	".pushsection __ex_table, \"a\"\n\t"                                     \
	".balign 8\n\t"                                                          \
	".quad " #insn ", " #fixup "\n\t"                                        \
	".popsection\n\t"

/* The entry for the instruction at @addr, or NULL. */
const struct exception_table_entry *search_exception_tables(unsigned long addr);
/* If regs->rip has an entry, points regs->rip at its fixup and returns true. */
bool fixup_exception(struct pt_regs *regs);

/*
 * Reads the 8 bytes at kernel address @src into *@dst. Returns 0, or -EFAULT
 * (and *@dst = 0) when the address is not mapped or not canonical, instead
 * of an Oops. For diagnostics that must not fault (stack dumps, probes).
 */
static inline int read_kernel_nofault_u64(u64 *dst, const void *src)
{
	u64 val;
	int err;

	__asm__ __volatile__("1:	movq (%[src]), %[val]\n\t"
			     "	xorl %[err], %[err]\n"
			     "2:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3:	movl %[efault], %[err]\n\t"
			     "	xorl %k[val], %k[val]\n\t"
			     "	jmp 2b\n\t"
			     ".popsection\n\t"
			     _ASM_EXTABLE(1b, 3b)
			     : [val] "=&r"(val), [err] "=&r"(err)
			     : [src] "r"(src), [efault] "i"(-EFAULT)
			     : "memory");
	*dst = val;
	return err;
}
#endif

#endif /* _ASM_EXTABLE_H */
