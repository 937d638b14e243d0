/* SPDX-License-Identifier: MIT */
/*
 * Scanning strings eight bytes at a time (little-endian). The borrow trick
 * (w - 0x01..01) & ~w & 0x80..80 flags every zero byte of @w; it may also
 * flag a 0x01 byte above a zero byte (the borrow runs on), never one below,
 * so the lowest flag is always exact. Readers load *aligned* words, which
 * never straddle a page: reading past a string's end can then fault only
 * where the string's own last byte could.
 */
#ifndef _EXO_WORD_AT_A_TIME_H
#define _EXO_WORD_AT_A_TIME_H

#define WORD_ONE_BYTES	0x0101010101010101UL
#define WORD_HIGH_BYTES	0x8080808080808080UL

/* Index (0-7) of the first zero byte of @w, or 8 if it has none. */
static inline unsigned int word_first_zero_byte(unsigned long w)
{
	unsigned long zeros = (w - WORD_ONE_BYTES) & ~w & WORD_HIGH_BYTES;

	return zeros ? (unsigned int)__builtin_ctzl(zeros) >> 3 : 8;
}

/*
 * @w, the aligned word holding a string that starts @off bytes into it,
 * with the @off bytes before the string made non-zero.
 */
static inline unsigned long word_mask_before(unsigned long w, unsigned long off)
{
	return w | ((1UL << (off * 8)) - 1);
}

#endif /* _EXO_WORD_AT_A_TIME_H */
