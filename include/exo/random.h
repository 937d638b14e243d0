/* SPDX-License-Identifier: MIT */
/*
 * Kernel random numbers (drivers/char/random.c): a ChaCha20 generator
 * keyed from RDRAND (when present) and the TSC, re-keyed after every
 * request so earlier output cannot be recovered from the state. Used for
 * getrandom(), /dev/random, /dev/urandom and the AT_RANDOM bytes of exec.
 * Safe to call from any context except NMI; takes a spinlock.
 */
#ifndef _EXO_RANDOM_H
#define _EXO_RANDOM_H

#include <exo/types.h>

void get_random_bytes(void *buf, size_t len);
u64 get_random_u64(void);

#endif /* _EXO_RANDOM_H */
