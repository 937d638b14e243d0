/* SPDX-License-Identifier: MIT */
/* The 8253/8254 PIT, used only as the TSC calibration reference when there is no HPET. */
#ifndef _ASM_I8253_H
#define _ASM_I8253_H

#include <exo/types.h>

#define PIT_TICK_RATE 1193182	/* Hz: the PC's 14.31818 MHz crystal / 12 */

/*
 * Measures the TSC over @ms milliseconds (1-50) of PIT channel 2 one-shot
 * countdown. Returns the TSC frequency in Hz, 0 when the PIT did not count.
 */
u64 pit_calibrate_tsc(unsigned int ms);

#endif /* _ASM_I8253_H */
