/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width types used throughout the kernel. Kernel code is freestanding:
 * these come from the compiler's own freestanding headers, never from libc.
 */
#ifndef _EXO_TYPES_H
#define _EXO_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;
typedef long ssize_t;
typedef unsigned int gfp_t;

#endif /* _EXO_TYPES_H */
