// SPDX-License-Identifier: MIT
/*
 * Freestanding memory and string functions. gcc may emit calls to memset,
 * memcpy, memmove and memcmp on its own, so these exact names must exist.
 * An architecture that has faster versions of some (x86_64's memset/memcpy
 * use rep stosq/movsq: under QEMU icount every rep iteration counts, and
 * 8-byte steps cost an eighth of byte steps) defines __HAVE_ARCH_<NAME> in
 * asm/string.h and its own function replaces the portable one here.
 */
#include <exo/string.h>
#include <exo/compiler.h>
#include <exo/word_at_a_time.h>

#ifndef __HAVE_ARCH_MEMSET
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned long fill = (unsigned char)c * 0x0101010101010101UL;

	/* Bytes up to a word boundary, then whole words, then the tail. */
	for (; n && ((unsigned long)p & 7); n--)
		*p++ = (unsigned char)c;
	for (; n >= 8; n -= 8, p += 8)
		__builtin_memcpy(p, &fill, 8);
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}
#endif

#ifndef __HAVE_ARCH_MEMCPY
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n >= 8; n -= 8, d += 8, s += 8) {
		unsigned long w;

		__builtin_memcpy(&w, s, 8);
		__builtin_memcpy(d, &w, 8);
	}
	while (n--)
		*d++ = *s++;
	return dst;
}
#endif

#ifndef __HAVE_ARCH_MEMMOVE
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
#endif

#ifndef __HAVE_ARCH_MEMCHR_INV
void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned long fill = (unsigned char)c * 0x0101010101010101UL;

	/* A word per step to the first one that differs, then its byte. */
	for (; n >= 8; n -= 8, p += 8) {
		unsigned long w;

		__builtin_memcpy(&w, p, 8);
		if (w != fill)
			break;
	}
	for (; n; n--, p++)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}
#endif

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	/* Equal runs are the common case (dentry names): a word per step until one differs. */
	for (; n >= 8; n -= 8, x += 8, y += 8) {
		unsigned long wx, wy;

		__builtin_memcpy(&wx, x, 8);
		__builtin_memcpy(&wy, y, 8);
		if (wx != wy)
			break;
	}
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* Aligned words (see <exo/word_at_a_time.h>), so no read crosses into a page the string does not touch. */
size_t strnlen(const char *s, size_t max)
{
	unsigned long off = (unsigned long)s & 7;
	const unsigned long *p = (const unsigned long *)((unsigned long)s - off);
	unsigned long w;
	size_t scanned = 8 - off;	/* bytes of the string the words read so far cover */

	if (!max)
		return 0;
	w = word_mask_before(*p, off);

	for (;;) {
		unsigned int zero = word_first_zero_byte(w);

		if (zero < 8) {
			size_t len = scanned - 8 + zero;

			return len < max ? len : max;
		}
		if (scanned >= max)
			return max;
		w = *++p;
		scanned += 8;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long simple_strtoul(const char *s, char **end, unsigned int base)
{
	unsigned long v = 0;
	int d;

	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			base = 8;
			if (s[1] == 'x' || s[1] == 'X') {
				base = 16;
				s += 2;
			}
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	while ((d = digit_value(*s)) < (int)base) {
		v = v * base + d;
		s++;
	}
	if (end)
		*end = (char *)s;
	return v;
}
