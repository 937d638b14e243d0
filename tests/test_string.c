// SPDX-License-Identifier: MIT
/*
 * lib/string.c's word-at-a-time memcmp and strnlen against byte-by-byte
 * references, at every alignment and length up to a few words, and with
 * strings ending on the last byte before an inaccessible page (strnlen
 * reads whole aligned words and must not touch that page). memset, memcpy
 * and memmove, and memchr_inv, both the kernel's (x86_64's rep stosq/movsq ones) and
 * lib/string.c's portable fallbacks, against libc at every alignment and
 * length up to a few words. The kernel's functions are built under k_*
 * names, the fallbacks under kg_* (see the Makefile), so the host's libc
 * keeps its own.
 */
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "harness.h"

int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strnlen(const char *s, size_t max);
void *k_memset(void *s, int c, size_t n);
void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *kg_memset(void *s, int c, size_t n);
void *kg_memcpy(void *dst, const void *src, size_t n);
void *kg_memmove(void *dst, const void *src, size_t n);
void *k_memchr_inv(const void *s, int c, size_t n);
void *kg_memchr_inv(const void *s, int c, size_t n);

struct mem_impl {
	void *(*set)(void *s, int c, size_t n);
	void *(*cpy)(void *dst, const void *src, size_t n);
	void *(*move)(void *dst, const void *src, size_t n);
};

static const struct mem_impl mem_impls[] = {
	{ k_memset, k_memcpy, k_memmove },	/* what the kernel links */
	{ kg_memset, kg_memcpy, kg_memmove },	/* lib/string.c's fallbacks */
};

static void fill_pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 13 + seed);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

TEST(string_memcmp_matches_bytewise)
{
	unsigned char a[64], b[64];

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (unsigned char)(i * 7 + 1);
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + off <= 40; n++) {
			CHECK(k_memcmp(a + off, b + off, n) == 0);
			/* One differing byte at every position, both orders, high bit too. */
			for (size_t d = 0; d < n; d++) {
				unsigned char keep = b[off + d];

				b[off + d] = (unsigned char)(keep ^ 0x80);
				CHECK(sign(k_memcmp(a + off, b + off, n)) ==
				      sign(memcmp(a + off, b + off, n)));
				CHECK(sign(k_memcmp(b + off, a + off, n)) ==
				      sign(memcmp(b + off, a + off, n)));
				b[off + d] = keep;
			}
		}
}

TEST(string_strnlen_every_alignment_and_limit)
{
	char buf[80];

	for (size_t start = 0; start < 8; start++)
		for (size_t len = 0; len < 40; len++) {
			memset(buf, 'x', sizeof(buf));
			buf[start + len] = '\0';
			for (size_t max = 0; max < 48; max++)
				CHECK(k_strnlen(buf + start, max) == (len < max ? len : max));
		}
	/* 0x01 bytes after a zero must not confuse the borrow trick. */
	memset(buf, 1, sizeof(buf));
	buf[3] = '\0';
	CHECK(k_strnlen(buf, 64) == 3);
	buf[3] = (char)0x80;
	buf[9] = '\0';
	CHECK(k_strnlen(buf, 64) == 9);
}

TEST(string_strnlen_stops_at_page_end)
{
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(m != MAP_FAILED);
	CHECK(mprotect(m + page, page, PROT_NONE) == 0);
	memset(m, 'y', page);
	for (size_t len = 0; len < 24; len++) {
		char *s = m + page - 1 - len;

		s[len] = '\0';
		CHECK(k_strnlen(s, 4096) == len);
		/* No NUL but the limit ends at the page end: must not read on. */
		s[len] = 'y';
		CHECK(k_strnlen(s, len + 1) == len + 1);
	}
	munmap(m, 2 * page);
}

/* Only [off, off + n) changes, to the right bytes, and the destination is returned. */
TEST(string_memset_memcpy_memmove_match_libc)
{
	unsigned char got[96], want[96], src[96];

	for (size_t i = 0; i < sizeof(mem_impls) / sizeof(mem_impls[0]); i++) {
		const struct mem_impl *m = &mem_impls[i];

		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; n + off <= 64; n++) {
				fill_pattern(got, sizeof(got), 1);
				fill_pattern(want, sizeof(want), 1);
				CHECK(m->set(got + off, 0xa5 + (int)n * 256, n) == got + off);
				memset(want + off, 0xa5, n);
				CHECK(memcmp(got, want, sizeof(got)) == 0);

				for (size_t soff = 0; soff < 8; soff++) {
					fill_pattern(src, sizeof(src), 7);
					fill_pattern(got, sizeof(got), 1);
					fill_pattern(want, sizeof(want), 1);
					CHECK(m->cpy(got + off, src + soff, n) == got + off);
					memcpy(want + off, src + soff, n);
					CHECK(memcmp(got, want, sizeof(got)) == 0);
				}
				/* Overlapping both ways within one buffer. */
				for (size_t d = 0; d < 24; d++) {
					fill_pattern(got, sizeof(got), 3);
					fill_pattern(want, sizeof(want), 3);
					CHECK(m->move(got + off + d, got + off, n) == got + off + d);
					memmove(want + off + d, want + off, n);
					CHECK(memcmp(got, want, sizeof(got)) == 0);
					fill_pattern(got, sizeof(got), 3);
					fill_pattern(want, sizeof(want), 3);
					CHECK(m->move(got + off, got + off + d, n) == got + off);
					memmove(want + off, want + off + d, n);
					CHECK(memcmp(got, want, sizeof(got)) == 0);
				}
			}
	}
}

/*
 * memchr_inv (slab poison and red-zone checks): the first byte that is not
 * the pattern, at every alignment, length and position, including a
 * difference in the last byte of a quadword and in the tail after the last
 * whole one; NULL when every byte matches, and for length 0.
 */
TEST(string_memchr_inv_finds_first_other_byte)
{
	void *(*impls[])(const void *, int, size_t) = { k_memchr_inv, kg_memchr_inv };
	unsigned char buf[96];

	for (size_t k = 0; k < 2; k++)
		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; off + n <= 80; n++) {
				memset(buf, 0x6b, sizeof(buf));
				buf[off + n] = 0;	/* just past the range: never reported */
				CHECK(impls[k](buf + off, 0x6b, n) == NULL);
				for (size_t d = 0; d < n; d++) {
					memset(buf, 0x6b, sizeof(buf));
					buf[off + d] = 0xeb;	/* differs in one bit */
					if (d + 1 < n)
						buf[off + n - 1] = 0;	/* a later one too */
					CHECK(impls[k](buf + off, 0x6b, n) == buf + off + d);
				}
			}
}
