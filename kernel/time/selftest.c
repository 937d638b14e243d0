// SPDX-License-Identifier: MIT
/*
 * selftest=clock: the monotonic clock never goes backwards and advances; the
 * wall clock agrees with the RTC and lands in a sane year (the harness boots
 * with -rtc base=2024-01-01T00:00:00, so the year is at least 2024).
 * selftest=timer: with interrupts on, jiffies advances about HZ/10 over
 * 100 ms of clock-source time. Under TCG the timer and the TSC both follow
 * host time but interrupts can be late, so the check allows a factor of 3.
 */
#include <exo/irqflags.h>
#include <exo/jiffies.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/rtc.h>
#include <exo/selftest.h>
#include <exo/time.h>
#include <uapi/errno.h>

#define CLOCK_CALLS 100000
#define TIMER_TEST_MS 100

static int clock_selftest(void)
{
	struct rtc_time rtc, wall;
	u64 prev, now, first, real_s, rtc_s;
	int err;

	first = prev = ktime_get_ns();
	if (!first) {
		pr_err("clock: no clock source\n");
		return -ENODEV;
	}
	for (int i = 0; i < CLOCK_CALLS; i++) {
		now = ktime_get_ns();
		if (now < prev) {
			pr_err("clock: went back from %lu to %lu at call %d\n",
			       (unsigned long)prev, (unsigned long)now, i);
			return -EINVAL;
		}
		prev = now;
	}
	if (prev == first) {
		pr_err("clock: did not advance over %d calls\n", CLOCK_CALLS);
		return -EINVAL;
	}
	pr_info("clock: %d reads in %lu ns (%lu ns each)\n", CLOCK_CALLS,
		(unsigned long)(prev - first), (unsigned long)((prev - first) / CLOCK_CALLS));

	err = rtc_read_time(&rtc);
	if (err) {
		pr_err("clock: RTC read failed (%d)\n", err);
		return err;
	}
	real_s = ktime_get_real_ns() / NSEC_PER_SEC;
	rtc_s = rtc_tm_to_unix(&rtc);
	rtc_unix_to_tm(real_s, &wall);
	pr_info("clock: RTC %04d-%02d-%02d %02d:%02d:%02d, wall clock %04d-%02d-%02d %02d:%02d:%02d\n",
		rtc.year, rtc.mon, rtc.mday, rtc.hour, rtc.min, rtc.sec, wall.year, wall.mon,
		wall.mday, wall.hour, wall.min, wall.sec);
	if (rtc.year < 2024 || !rtc_valid_tm(&wall) || wall.year != rtc.year) {
		pr_err("clock: bad year (RTC %d, wall clock %d)\n", rtc.year, wall.year);
		return -EINVAL;
	}
	/* The wall clock was the RTC at boot plus TSC time: they may differ by a tick of the RTC. */
	if (real_s + 2 < rtc_s || real_s > rtc_s + 2) {
		pr_err("clock: wall clock %lu s vs RTC %lu s\n", (unsigned long)real_s,
		       (unsigned long)rtc_s);
		return -EINVAL;
	}
	/* The calendar conversions are inverses; 2024 is a leap year. */
	rtc = (struct rtc_time){ .year = 2024, .mon = 2, .mday = 29, .hour = 23, .min = 59,
				 .sec = 59 };
	rtc_unix_to_tm(rtc_tm_to_unix(&rtc), &wall);
	if (rtc_tm_to_unix(&rtc) != 1709251199ULL || wall.mday != 29 || wall.mon != 2) {
		pr_err("clock: calendar conversion broken\n");
		return -EINVAL;
	}
	return 0;
}
DEFINE_SELFTEST("clock", clock_selftest);

static int timer_selftest(void)
{
	const u64 expect = HZ * TIMER_TEST_MS / 1000;
	u64 j0, j1, t0, t1, ticks0;

	if (irqs_disabled()) {
		pr_err("timer: interrupts are off\n");
		return -EINVAL;
	}
	ticks0 = READ_ONCE(this_cpu_info()->ticks);
	j0 = get_jiffies_64();
	t0 = ktime_get_ns();
	ndelay_busy(TIMER_TEST_MS * NSEC_PER_MSEC);
	t1 = ktime_get_ns();
	j1 = get_jiffies_64();
	pr_info("timer: %lu jiffies in %lu us (expected %lu), %lu ticks on this CPU\n",
		(unsigned long)(j1 - j0), (unsigned long)((t1 - t0) / 1000), (unsigned long)expect,
		(unsigned long)(READ_ONCE(this_cpu_info()->ticks) - ticks0));
	if (j1 == j0 || j1 - j0 < expect / 3 || j1 - j0 > expect * 3)
		return -EINVAL;
	return 0;
}
DEFINE_SELFTEST("timer", timer_selftest);
