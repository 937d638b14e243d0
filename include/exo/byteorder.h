/* SPDX-License-Identifier: MIT */
/*
 * Network byte order. x86_64 is little-endian, so every on-the-wire field
 * (typed __be16/__be32 in <uapi/types.h>) is swapped on access; the helpers
 * are constant-folded for constants, so `htons(ETH_P_IP)` is free.
 */
#ifndef _EXO_BYTEORDER_H
#define _EXO_BYTEORDER_H

#include <exo/types.h>
#include <uapi/types.h>

static __always_inline u16 swab16(u16 x)
{
	return __builtin_bswap16(x);
}
static __always_inline u32 swab32(u32 x)
{
	return __builtin_bswap32(x);
}
static __always_inline u64 swab64(u64 x)
{
	return __builtin_bswap64(x);
}

#define htons(x) ((__be16)swab16((u16)(x)))
#define ntohs(x) swab16((u16)(x))
#define htonl(x) ((__be32)swab32((u32)(x)))
#define ntohl(x) swab32((u32)(x))
#define cpu_to_be16 htons
#define be16_to_cpu ntohs
#define cpu_to_be32 htonl
#define be32_to_cpu ntohl
#define cpu_to_be64(x) ((__be64)swab64((u64)(x)))
#define be64_to_cpu(x) swab64((u64)(x))

/* Unaligned big-endian loads and stores, for option parsing and headers. */
static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}
static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}
static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)(v >> 8);
	b[1] = (u8)v;
}
static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

#endif /* _EXO_BYTEORDER_H */
