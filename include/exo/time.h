/* SPDX-License-Identifier: MIT */
/*
 * Kernel time. ktime_get_ns() is the monotonic clock in nanoseconds since
 * boot (TSC-based once calibrated; 0 before). ktime_get_real_ns() is wall
 * clock time since the Unix epoch, seeded from the CMOS RTC.
 */
#ifndef _EXO_TIME_H
#define _EXO_TIME_H

#include <exo/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

u64 ktime_get_ns(void);
u64 ktime_get_real_ns(void);
/* Busy-waits at least @ns nanoseconds (TSC-based once calibrated, port I/O before). */
void ndelay_busy(u64 ns);

/* TSC frequency in kHz, 0 until calibrated. */
extern u64 tsc_khz;

#endif /* _EXO_TIME_H */
