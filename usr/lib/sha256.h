/*
 * SHA-256 (FIPS 180-4, section 6.2), shared by sha256sum and fswalk.
 *   struct sha256 s; sha256_init(&s); sha256_update(&s, p, n)...; sha256_final(&s, out);
 */
#ifndef USR_LIB_SHA256_H
#define USR_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];	/* a partial block */
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const unsigned char *p, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);

#endif
