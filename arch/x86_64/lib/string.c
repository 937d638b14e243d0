// SPDX-License-Identifier: MIT
/*
 * memset and memcpy with rep stosq/movsq for the bulk: under QEMU icount
 * every rep iteration counts as an instruction, and 8-byte steps cost an
 * eighth of byte steps (the benchmarks run under icount). The tail is done a
 * byte at a time. memchr_inv, the debug allocators' poison check, scans
 * quadwords with repe scasq for the same reason. memmove is here too only so that gcc inlines memcpy into
 * its forward case, as it did when all three shared lib/string.c. That file
 * has the rest, and portable fallbacks of these three that asm/string.h
 * turns off.
 */
#include <exo/string.h>

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned long fill = (unsigned char)c * 0x0101010101010101UL;
	size_t words = n >> 3;

	__asm__ __volatile__("rep stosq" : "+D"(p), "+c"(words) : "a"(fill) : "memory");
	n &= 7;
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t words = n >> 3;

	__asm__ __volatile__("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	n &= 7;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned long fill = (unsigned char)c * 0x0101010101010101UL;
	size_t words = n >> 3;

	/* Stops one quadword past the first that differs (ZF clear), or at the end. */
	if (words) {
		bool differs;

		__asm__ __volatile__("repe scasq"
				     : "+D"(p), "+c"(words), "=@ccnz"(differs)
				     : "a"(fill) : "memory");
		if (differs) {
			p -= 8;
			n = 8;
		} else {
			n &= 7;
		}
	}
	for (; n; n--, p++)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}
