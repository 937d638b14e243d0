/* SPDX-License-Identifier: MIT */
/*
 * User-access helpers inline where a call would cost as much as the work:
 * __clear_user() zeroes a range that passed access_ok() already (/dev/zero's
 * read of a few bytes is mostly this). The out-of-line copies are in
 * arch/x86_64/lib/usercopy.c.
 */
#ifndef _ASM_UACCESS_H
#define _ASM_UACCESS_H

#include <exo/compiler.h>
#include <exo/lockdep.h>
#include <exo/types.h>
#include <asm/extable.h>
#include <asm/smap.h>
#include <uapi/errno.h>

/*
 * The one body of the user copies and clears: "rep <op>q" over @words
 * 8-byte units, then "rep <op>b" over the @tail bytes, under stac with
 * fixups. A fault in the words leaves rcx = the words not done, which the
 * fixup turns into bytes (words * 8 + tail) and goes on with "rep <op>b"
 * from the faulting word, so a word straddling the end of the user's
 * mapping still moves its first bytes (Linux's copies stop at the exact
 * byte too); a fault in the bytes leaves the bytes not done. Either way
 * @words ends as the bytes not done, 0 on success. The remaining arguments are the operands
 * after rcx's: the rdi (and rsi or rax) constraints, inputs with [tail], and
 * the clobbers.
 */
#define __uaccess_rep(op, words, ...)						\
	__asm__ __volatile__("1:	rep " op "q\n\t"				\
			     "	movq %[tail], %%rcx\n"				\
			     "2:	rep " op "b\n"					\
			     "3:\n\t"						\
			     ".pushsection .text.fixup, \"ax\"\n"		\
			     "4:	leaq (%[tail], %%rcx, 8), %%rcx\n\t"	\
			     "	jmp 2b\n\t"					\
			     ".popsection\n\t"					\
			     _ASM_EXTABLE(1b, 4b)					\
			     _ASM_EXTABLE(2b, 3b)					\
			     : "+c"(words), __VA_ARGS__)

/* Zeroes @n user bytes at @dst (access_ok() checked by the caller); returns the bytes NOT zeroed. */
static __always_inline unsigned long raw_clear_user(void __user *dst, size_t n)
{
	unsigned long words = n >> 3, tail = n & 7;
	void *d = (__force void *)dst;	/* the store below runs under stac with a fixup */

	stac();
	__uaccess_rep("stos", words, "+D"(d) : [tail] "r"(tail), "a"(0UL) : "memory");
	clac();
	return words;
}

/* The same, 0 or -EFAULT. */
static __always_inline int __clear_user(void __user *dst, size_t n)
{
	might_sleep();
	return raw_clear_user(dst, n) ? -EFAULT : 0;
}

#endif /* _ASM_UACCESS_H */
