/* SPDX-License-Identifier: MIT */
/*
 * The fixed-width types of the Linux ABI (__u32, __s64, ...), made from the
 * compiler's predefined macros so that every uapi header compiles in user
 * space with no kernel header and no libc (make check-headers tries each
 * one that way). In the kernel (__KERNEL__), __user is sparse's user address
 * space from <exo/compiler.h>; in user space it means nothing.
 */
#ifndef _UAPI_TYPES_H
#define _UAPI_TYPES_H

typedef __UINT8_TYPE__ __u8;
typedef __UINT16_TYPE__ __u16;
typedef __UINT32_TYPE__ __u32;
typedef __UINT64_TYPE__ __u64;
typedef __INT8_TYPE__ __s8;
typedef __INT16_TYPE__ __s16;
typedef __INT32_TYPE__ __s32;
typedef __INT64_TYPE__ __s64;
typedef __SIZE_TYPE__ __kernel_size_t;

/* Big-endian (network order) fields, as Linux's uapi spells them. */
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u16 __sum16;
typedef __u32 __wsum;

#ifdef __KERNEL__
#include <exo/compiler.h>
#else
#define __user
#endif

#endif /* _UAPI_TYPES_H */
