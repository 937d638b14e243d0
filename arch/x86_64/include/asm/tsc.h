/* SPDX-License-Identifier: MIT */
/* Time-stamp counter reads. lfence keeps rdtsc from running ahead of earlier loads. */
#ifndef _ASM_TSC_H
#define _ASM_TSC_H

#include <exo/types.h>

static inline __attribute__((always_inline)) u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((u64)hi << 32) | lo;
}

/*
 * Measures the TSC frequency (against the HPET when there is one, else the
 * PIT), compares it with CPUID leaves 0x15/0x16, sets tsc_khz and registers
 * the TSC as the clock source. Returns 0 or -ENODEV when no figure is sane.
 */
int tsc_init(void);

#endif /* _ASM_TSC_H */
