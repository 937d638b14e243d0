/* SPDX-License-Identifier: MIT */
/*
 * An asm/string.h that claims no arch string functions: lib/string.c built
 * with this in front of the include path compiles every portable fallback,
 * so the host tests check the versions an architecture without its own gets.
 */
#ifndef _ASM_STRING_H
#define _ASM_STRING_H
#endif
