/* SPDX-License-Identifier: MIT */
/*
 * Real-time clock: calendar time as the battery-backed clock keeps it (UTC
 * on the machines this kernel targets, as QEMU's -rtc base= sets it), and
 * the conversions between calendar time and Unix seconds (proleptic
 * Gregorian, no leap seconds). At boot the RTC driver sets the wall clock
 * (timekeeping_set_real_ns) from it.
 */
#ifndef _EXO_RTC_H
#define _EXO_RTC_H

#include <exo/types.h>

struct rtc_time {
	int year;	/* full year, e.g. 2024 */
	int mon;	/* 1-12 */
	int mday;	/* 1-31 */
	int hour;	/* 0-23 */
	int min;	/* 0-59 */
	int sec;	/* 0-59 */
};

/* Reads the hardware clock. Returns 0, -ENODEV (no RTC) or -EIO (never stable or invalid). */
int rtc_read_time(struct rtc_time *tm);
/* True when the fields are in range (month lengths and leap years included). */
bool rtc_valid_tm(const struct rtc_time *tm);
/* Seconds since 1970-01-01 00:00:00 UTC; @tm must be valid and not before 1970. */
u64 rtc_tm_to_unix(const struct rtc_time *tm);
void rtc_unix_to_tm(u64 secs, struct rtc_time *tm);

#endif /* _EXO_RTC_H */
