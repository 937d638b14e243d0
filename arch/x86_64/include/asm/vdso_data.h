/* SPDX-License-Identifier: MIT */
/*
 * The [vvar] page: what the kernel publishes for the vDSO to read
 * (arch/x86_64/vdso/). It is compiled into both, so it includes nothing and
 * uses only C types.
 *
 * Writers (update_vsyscall(), under the timekeeping lock) make @seq odd,
 * change the fields, then make it even again; a reader retries when it saw
 * an odd @seq or a different one after reading. The time is exactly the
 * kernel's: ns = tsc * mult >> 32 (CLOCKSOURCE_SHIFT), the monotonic clock,
 * and realtime = that + real_offset_ns.
 */
#ifndef _ASM_VDSO_DATA_H
#define _ASM_VDSO_DATA_H

#define VDSO_CLOCKMODE_NONE 0	/* no TSC clock: the vDSO makes the system call */
#define VDSO_CLOCKMODE_TSC 1

#define VDSO_MULT_SHIFT 32

struct vdso_data {
	unsigned int seq;
	unsigned int clock_mode;
	unsigned long long mult;
	unsigned long long real_offset_ns;
};

#endif /* _ASM_VDSO_DATA_H */
