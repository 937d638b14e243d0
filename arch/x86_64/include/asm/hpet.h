/* SPDX-License-Identifier: MIT */
/*
 * HPET (IA-PC HPET specification 1.0a): the main counter, used as the
 * reference to calibrate the TSC. Only the counter is enabled; every
 * comparator stays disabled and no HPET interrupt is routed.
 */
#ifndef _ASM_HPET_H
#define _ASM_HPET_H

#include <exo/types.h>

/* Maps the block at @phys, checks it and starts the main counter. Returns 0 or -ENODEV. */
int hpet_enable(phys_addr_t phys);
/* Main counter value; only the low 32 bits count on a 32-bit HPET. */
u64 hpet_read_counter(void);
/* Counter frequency in Hz; 0 when no HPET is enabled. */
extern u64 hpet_freq_hz;
/* True when the counter is 64 bits wide (COUNT_SIZE_CAP). */
extern bool hpet_64bit;

#endif /* _ASM_HPET_H */
