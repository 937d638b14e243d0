/* SPDX-License-Identifier: MIT */
/*
 * Hardware random numbers: RDRAND where the CPU has it. The SDM (vol. 1,
 * 7.3.17.1) advises retrying a few times when CF comes back clear.
 */
#ifndef _ASM_ARCHRANDOM_H
#define _ASM_ARCHRANDOM_H

#include <exo/types.h>
#include <asm/cpufeature.h>

#define RDRAND_RETRY_LOOPS 10

/* Stores a hardware random word in *@v; false when there is none. */
static inline bool arch_get_random_long(unsigned long *v)
{
	if (!boot_cpu_has(X86_FEATURE_RDRAND))
		return false;
	for (int i = 0; i < RDRAND_RETRY_LOOPS; i++) {
		bool ok;

		__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

#endif /* _ASM_ARCHRANDOM_H */
