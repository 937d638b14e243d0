/* SPDX-License-Identifier: MIT */
/*
 * get_cycles(): a fast, fine-grained, per-CPU counter for measuring short
 * intervals and for entropy (Linux's name). On x86_64 it is the TSC.
 */
#ifndef _ASM_TIMEX_H
#define _ASM_TIMEX_H

#include <asm/tsc.h>

typedef u64 cycles_t;

static inline __attribute__((always_inline)) cycles_t get_cycles(void)
{
	return rdtsc();
}

#endif /* _ASM_TIMEX_H */
