// SPDX-License-Identifier: MIT
/*
 * The vDSO's functions: clock_gettime, gettimeofday, time and getcpu
 * without a system call. This file is built as a user-space shared object
 * (see the Makefile: its own flags, no kernel instrumentation) and runs in
 * every process, so it may use no kernel symbol and no relocation: the data
 * page is reached PC-relative (vvar_page is placed by vdso.lds.S one page
 * below the image) and each function falls back to the real system call
 * when the clock is not the TSC or the clock id is not one it computes.
 *
 * The time is the kernel's own (kernel/time/clock.c): the TSC read after
 * lfence, times mult, shifted; so a vDSO read and a syscall read can never
 * disagree beyond the time between them.
 */
#include <asm/segment.h>
#include <asm/vdso_data.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define SYS_gettimeofday 96
#define SYS_time 201
#define SYS_clock_gettime 228
#define SYS_getcpu 309
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11

struct vdso_timespec {
	long tv_sec;
	long tv_nsec;
};

struct vdso_timeval {
	long tv_sec;
	long tv_usec;
};

struct vdso_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

extern const volatile struct vdso_data vvar_page __attribute__((visibility("hidden")));

static long vdso_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "0"(nr), "D"(a), "S"(b), "d"(c)
			     : "rcx", "r11", "memory");
	return ret;
}

static inline unsigned long long vdso_rdtsc(void)
{
	unsigned int lo, hi;

	/* lfence: the TSC is read after every earlier load, as the kernel reads it. */
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((unsigned long long)hi << 32) | lo;
}

/* Nanoseconds on @clock, or -1 when only the system call can tell. */
static int vdso_read_ns(int clock, unsigned long long *ns)
{
	const volatile struct vdso_data *vd = &vvar_page;
	unsigned int seq;
	int real;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		real = 1;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		real = 0;
		break;
	default:
		return -1;
	}
	do {
		seq = vd->seq;
		if (seq & 1) {
			__asm__ __volatile__("pause" ::: "memory");
			continue;
		}
		__asm__ __volatile__("" ::: "memory");
		if (vd->clock_mode != VDSO_CLOCKMODE_TSC)
			return -1;
		*ns = (unsigned long long)(((unsigned __int128)vdso_rdtsc() * vd->mult) >>
					   VDSO_MULT_SHIFT);
		if (real)
			*ns += vd->real_offset_ns;
		__asm__ __volatile__("" ::: "memory");
	} while ((seq & 1) || seq != vd->seq);
	return 0;
}

int __vdso_clock_gettime(int clock, struct vdso_timespec *ts)
{
	unsigned long long ns;

	if (vdso_read_ns(clock, &ns))
		return (int)vdso_syscall3(SYS_clock_gettime, clock, (long)ts, 0);
	ts->tv_sec = (long)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
	return 0;
}
int clock_gettime(int clock, struct vdso_timespec *ts)
	__attribute__((weak, alias("__vdso_clock_gettime")));

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	unsigned long long ns;

	if (tv) {
		if (vdso_read_ns(CLOCK_REALTIME, &ns))
			return (int)vdso_syscall3(SYS_gettimeofday, (long)tv, (long)tz, 0);
		tv->tv_sec = (long)(ns / NSEC_PER_SEC);
		tv->tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	}
	if (tz) {
		tz->tz_minuteswest = 0;
		tz->tz_dsttime = 0;
	}
	return 0;
}
int gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
	__attribute__((weak, alias("__vdso_gettimeofday")));

long __vdso_time(long *t)
{
	unsigned long long ns;
	long now;

	if (vdso_read_ns(CLOCK_REALTIME, &ns))
		return vdso_syscall3(SYS_time, (long)t, 0, 0);
	now = (long)(ns / NSEC_PER_SEC);
	if (t)
		*t = now;
	return now;
}
long time(long *t) __attribute__((weak, alias("__vdso_time")));

/* The CPU number is the limit of a per-CPU GDT segment the kernel sets up (LSL works in ring 3). */
long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	unsigned int p;

	__asm__ __volatile__("lsl %1, %0" : "=r"(p) : "r"((unsigned int)__CPUNODE_SEG));
	if (cpu)
		*cpu = p & CPUNODE_CPU_MASK;
	if (node)
		*node = p >> CPUNODE_NODE_SHIFT;
	return 0;
}
long getcpu(unsigned int *cpu, unsigned int *node, void *unused)
	__attribute__((weak, alias("__vdso_getcpu")));
