/* SPDX-License-Identifier: MIT */
/* Time-stamp counter. rdtsc() is ordered by lfence so it does not run ahead of earlier loads. */
#ifndef _ASM_TSC_H
#define _ASM_TSC_H

#include <exo/types.h>

static inline __attribute__((always_inline)) u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

#endif /* _ASM_TSC_H */
