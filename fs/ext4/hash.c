// SPDX-License-Identifier: MIT
/*
 * The htree hashes of directory names (the superblock's s_def_hash_version
 * and each root's hash_version): legacy (dx_hack), half-MD4 and TEA, each
 * in a signed and an unsigned variant (whether name bytes are widened as
 * signed char, which differed between the architectures that made the
 * image: s_flags says which). Pure functions, host-tested.
 */
#include <exo/types.h>
#include "ext4.h"

#define EXT4_HTREE_EOF_32BIT 0x7fffffffU

static inline u32 rol32(u32 w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

static void tea_transform(u32 buf[4], const u32 in[4])
{
	u32 sum = 0, b0 = buf[0], b1 = buf[1];
	u32 a = in[0], b = in[1], c = in[2], d = in[3];

	for (int n = 0; n < 16; n++) {
		sum += 0x9E3779B9U;
		b0 += ((b1 << 4) + a) ^ (b1 + sum) ^ ((b1 >> 5) + b);
		b1 += ((b0 << 4) + c) ^ (b0 + sum) ^ ((b0 >> 5) + d);
	}
	buf[0] += b0;
	buf[1] += b1;
}

#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define ROUND(f, a, b, c, d, x, s) (a += f(b, c, d) + (x), a = rol32(a, s))
#define K2 013240474631U
#define K3 015666365641U

/* Half of MD4: three rounds over 8 words. */
static void half_md4_transform(u32 buf[4], const u32 in[8])
{
	u32 a = buf[0], b = buf[1], c = buf[2], d = buf[3];

	ROUND(F, a, b, c, d, in[0], 3);
	ROUND(F, d, a, b, c, in[1], 7);
	ROUND(F, c, d, a, b, in[2], 11);
	ROUND(F, b, c, d, a, in[3], 19);
	ROUND(F, a, b, c, d, in[4], 3);
	ROUND(F, d, a, b, c, in[5], 7);
	ROUND(F, c, d, a, b, in[6], 11);
	ROUND(F, b, c, d, a, in[7], 19);

	ROUND(G, a, b, c, d, in[1] + K2, 3);
	ROUND(G, d, a, b, c, in[3] + K2, 5);
	ROUND(G, c, d, a, b, in[5] + K2, 9);
	ROUND(G, b, c, d, a, in[7] + K2, 13);
	ROUND(G, a, b, c, d, in[0] + K2, 3);
	ROUND(G, d, a, b, c, in[2] + K2, 5);
	ROUND(G, c, d, a, b, in[4] + K2, 9);
	ROUND(G, b, c, d, a, in[6] + K2, 13);

	ROUND(H, a, b, c, d, in[3] + K3, 3);
	ROUND(H, d, a, b, c, in[7] + K3, 9);
	ROUND(H, c, d, a, b, in[2] + K3, 11);
	ROUND(H, b, c, d, a, in[6] + K3, 15);
	ROUND(H, a, b, c, d, in[1] + K3, 3);
	ROUND(H, d, a, b, c, in[5] + K3, 9);
	ROUND(H, c, d, a, b, in[0] + K3, 11);
	ROUND(H, b, c, d, a, in[4] + K3, 15);

	buf[0] += a;
	buf[1] += b;
	buf[2] += c;
	buf[3] += d;
}

static int name_byte(const char *name, int i, bool is_signed)
{
	return is_signed ? (int)(signed char)name[i] : (int)(unsigned char)name[i];
}

static u32 dx_hack_hash(const char *name, int len, bool is_signed)
{
	u32 hash, hash0 = 0x12a3fe2d, hash1 = 0x37abe8f9;

	for (int i = 0; i < len; i++) {
		hash = hash1 + (hash0 ^ (u32)(name_byte(name, i, is_signed) * 7152373));
		if (hash & 0x80000000U)
			hash -= 0x7fffffff;
		hash1 = hash0;
		hash0 = hash;
	}
	return hash0 << 1;
}

/* Packs up to @num words of the name, padded with its length, as e2fsprogs does. */
static void str2hashbuf(const char *msg, int len, u32 *buf, int num, bool is_signed)
{
	u32 pad = (u32)len | ((u32)len << 8), val;

	pad |= pad << 16;
	val = pad;
	if (len > num * 4)
		len = num * 4;
	for (int i = 0; i < len; i++) {
		val = (u32)name_byte(msg, i, is_signed) + (val << 8);
		if ((i % 4) == 3) {
			*buf++ = val;
			val = pad;
			num--;
		}
	}
	if (--num >= 0)
		*buf++ = val;
	while (--num >= 0)
		*buf++ = pad;
}

u32 ext4fs_dirhash(const char *name, unsigned int ulen, unsigned int version, const u32 *seed)
{
	u32 buf[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 }, in[8], hash;
	bool is_signed = version < DX_HASH_LEGACY_UNSIGNED;
	int len = (int)ulen;
	const char *p = name;

	if (seed && (seed[0] | seed[1] | seed[2] | seed[3]))
		for (int i = 0; i < 4; i++)
			buf[i] = seed[i];
	switch (version) {
	case DX_HASH_LEGACY:
	case DX_HASH_LEGACY_UNSIGNED:
		hash = dx_hack_hash(name, len, is_signed);
		break;
	case DX_HASH_HALF_MD4:
	case DX_HASH_HALF_MD4_UNSIGNED:
		for (; len > 0; len -= 32, p += 32) {
			str2hashbuf(p, len, in, 8, is_signed);
			half_md4_transform(buf, in);
		}
		hash = buf[1];
		break;
	case DX_HASH_TEA:
	case DX_HASH_TEA_UNSIGNED:
		for (; len > 0; len -= 16, p += 16) {
			str2hashbuf(p, len, in, 4, is_signed);
			tea_transform(buf, in);
		}
		hash = buf[0];
		break;
	default:
		return 0;
	}
	hash &= ~1U;
	if (hash == (EXT4_HTREE_EOF_32BIT << 1))
		hash = (EXT4_HTREE_EOF_32BIT - 1) << 1;
	return hash;
}
