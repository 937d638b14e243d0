// SPDX-License-Identifier: MIT
/*
 * The Internet checksum (RFC 1071), portable C: 32-bit words added into a
 * 64-bit accumulator, so carries are folded once at the end. Words are
 * loaded little-endian: the one's-complement sum commutes with swapping
 * bytes, so the folded result stored back little-endian is the network-order
 * checksum. A trailing odd byte is the high byte of a zero-padded word on
 * the wire, which is the low byte of a little-endian load.
 */
#include <exo/checksum.h>
#include <exo/string.h>

static u64 fold64(u64 s)
{
	s = (s & 0xffffffffULL) + (s >> 32);
	s = (s & 0xffffffffULL) + (s >> 32);
	return s;
}

__wsum csum_partial(const void *buf, int len, __wsum sum)
{
	const unsigned char *p = buf;
	u64 acc = sum;

	/* Unaligned loads are fine on x86 and the sum runs over bytes in order, so alignment does not matter. */
	if (len <= 0)
		return sum;
	while (len >= 32) {
		u32 w[8];

		memcpy(w, p, sizeof(w));
		acc += (u64)w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7];
		p += 32;
		len -= 32;
	}
	while (len >= 4) {
		u32 w;

		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		u16 h;

		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len)
		acc += p[0];	/* little-endian: a trailing byte is the low byte of its word */
	acc = fold64(acc);
	return (__wsum)acc;
}

/* An IPv4 header is whole 32-bit words (5 to 15): one add each, every packet in and out. */
__sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	const unsigned char *p = iph;
	u64 acc = 0;

	for (unsigned int i = 0; i < ihl; i++) {
		u32 w;

		memcpy(&w, p + 4 * i, 4);
		acc += w;
	}
	return csum_fold((__wsum)fold64(acc));
}

__wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum)
{
	u64 s = sum;

	s += saddr;
	s += daddr;
	/* Length and protocol in network order, as the 16-bit words they are on the wire. */
	s += (u64)__builtin_bswap16((u16)len) + ((u64)proto << 8);
	return (__wsum)fold64(s);
}
