/* SPDX-License-Identifier: MIT */
/*
 * Kernel time. ktime_get_ns() is the monotonic clock in nanoseconds since the
 * clock source's counter started (power-on for the TSC), read from the
 * registered clock source; 0 before one is registered. ktime_get_real_ns()
 * is wall-clock time since the Unix epoch: the RTC reading taken at boot plus
 * the monotonic time elapsed since. Both are safe from any context.
 *
 * A clock source is a free-running counter of known frequency; arch code
 * registers one (the TSC on x86) once it has measured the frequency.
 */
#ifndef _EXO_TIME_H
#define _EXO_TIME_H

#include <exo/compiler.h>
#include <exo/types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

struct clocksource {
	const char *name;	/* [immutable] */
	u64 (*read)(void);	/* [immutable] must be monotonic on each CPU */
	u64 freq_hz;		/* [immutable] */
	u64 mult;		/* [immutable] ns = cycles * mult >> CLOCKSOURCE_SHIFT */
	bool vdso_tsc;		/* [immutable] user mode can read it too (the TSC): the vDSO uses it */
};

#define CLOCKSOURCE_SHIFT 32

/*
 * Makes @cs the clock behind ktime_get_ns(). Called once at boot, on the boot
 * CPU, before other CPUs run; @cs must stay valid forever. Fills cs->mult.
 */
void clocksource_register(struct clocksource *cs);

u64 ktime_get_ns(void);
u64 ktime_get_real_ns(void);

struct __kernel_timespec;
/*
 * Reads a user struct __kernel_timespec as nanoseconds, U64_MAX when that
 * does not fit: 0, -EFAULT, or -EINVAL for a negative one or nanoseconds
 * outside [0, 1e9) (Linux's get_timespec64() and timespec64_valid()).
 * The one reader of timeouts for nanosleep, futex, sigtimedwait, epoll,
 * semtimedop, mq_timed*, io_getevents (kernel/time/posix_clock.c).
 */
int get_timespec_ns(const struct __kernel_timespec __user *uts, u64 *ns);

/* @base + @ns, U64_MAX ("no deadline") when that overflows. */
static inline u64 ns_add_sat(u64 base, u64 ns)
{
	return base + ns < base ? ~0ULL : base + ns;
}
/* Sets the wall clock: ktime_get_real_ns() returns @unix_ns now (RTC driver, boot). */
void timekeeping_set_real_ns(u64 unix_ns);
/*
 * The vDSO's copy of the clock (arch): update_vsyscall() publishes @cs and
 * the wall offset to user mode; timekeeping calls it, under its lock, at
 * every change. timekeeping_sync_vsyscall() publishes the current state
 * again (the arch calls it once its data page exists).
 */
void update_vsyscall(const struct clocksource *cs, u64 real_offset_ns);
void timekeeping_sync_vsyscall(void);

/*
 * The wall clock was set (clock_settime, settimeofday, ADJ_SETOFFSET):
 * timerfds with an absolute realtime deadline move to the new time line or,
 * with TFD_TIMER_CANCEL_ON_SET, are canceled (fs/timerfd.c). Process context.
 */
/* The same for POSIX timers with an absolute realtime deadline (kernel/time/posix_timers.c). */
void posix_timers_clock_was_set(void);
#ifdef CONFIG_TIMERFD
void timerfd_clock_was_set(void);
#else
static inline void timerfd_clock_was_set(void)
{
}
#endif

/*
 * Busy-waits at least @ns nanoseconds. Uses the clock source once
 * registered; before, port-I/O delays that are ~1 us each on real hardware
 * but much shorter under emulation, so early waits are only approximate.
 */
void ndelay_busy(u64 ns);

static inline void udelay(u64 us)
{
	ndelay_busy(us * NSEC_PER_USEC);
}

static inline void mdelay(u64 ms)
{
	ndelay_busy(ms * NSEC_PER_MSEC);
}

/* TSC frequency in kHz, 0 until calibrated. */
extern u64 tsc_khz;

#endif /* _EXO_TIME_H */
