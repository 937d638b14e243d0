/* SPDX-License-Identifier: MIT */
/*
 * The string functions x86_64 implements itself (arch/x86_64/lib/string.c);
 * lib/string.c builds its portable version of each one not named here.
 */
#ifndef _ASM_STRING_H
#define _ASM_STRING_H

#define __HAVE_ARCH_MEMSET
#define __HAVE_ARCH_MEMCPY
#define __HAVE_ARCH_MEMMOVE
#define __HAVE_ARCH_MEMCHR_INV

#endif /* _ASM_STRING_H */
