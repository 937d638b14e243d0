/* SPDX-License-Identifier: MIT */
/*
 * The Internet checksum (RFC 1071): a 32-bit running one's-complement sum
 * (__wsum) folded to 16 bits and inverted (__sum16) at the end. Sums are
 * kept in network byte order throughout, so a folded sum is stored into a
 * header as is. lib/checksum.c.
 */
#ifndef _EXO_CHECKSUM_H
#define _EXO_CHECKSUM_H

#include <exo/types.h>
#include <uapi/types.h>

/* Adds the bytes of @buf to @sum (any length, any alignment). */
__wsum csum_partial(const void *buf, int len, __wsum sum);
/* Folds a 32-bit sum to 16 bits and inverts it: the value for a header field. */
static inline __sum16 csum_fold(__wsum sum)
{
	u32 s = sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__sum16)~s;
}
static inline __wsum csum_add(__wsum a, __wsum b)
{
	u32 r = a + b;

	return r + (r < b);
}
static inline __wsum csum_sub(__wsum a, __wsum b)
{
	return csum_add(a, ~b);
}
static inline __wsum csum_unfold(__sum16 s)
{
	return s;
}
/* The IPv4 header checksum of @ihl 32-bit words; 0 when a received header is intact. */
__sum16 ip_fast_csum(const void *iph, unsigned int ihl);
/* The TCP/UDP pseudo-header (addresses network order, @len and @proto host order) added to @sum. */
__wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum);
static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}
/* The checksum of a whole buffer: csum_fold(csum_partial(buf, len, 0)). */
static inline __sum16 ip_compute_csum(const void *buf, int len)
{
	return csum_fold(csum_partial(buf, len, 0));
}

#endif /* _EXO_CHECKSUM_H */
