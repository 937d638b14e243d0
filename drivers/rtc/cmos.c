// SPDX-License-Identifier: MIT
/*
 * The PC's CMOS real-time clock (MC146818A), read once at boot to set the
 * wall clock.
 *
 * The chip updates its time registers once a second; while Update-In-
 * Progress (status A bit 7) is set, or during the ~2 ms it lasts, a read can
 * mix two seconds. So: wait for UIP to clear, read every field, and repeat
 * until two consecutive readings agree. Status B says whether the fields are
 * BCD or binary (bit 2) and whether hours are 24h (bit 1) or 12h with bit 7
 * meaning PM. The century lives in a CMOS byte the FADT names (0x32 on
 * PC/QEMU); without one, years below 70 are taken as 20xx.
 *
 * Rules: CMOS is an index/data port pair shared with other CMOS users
 * (NVRAM), so every access pair runs under rtc_lock with interrupts off.
 */
#include <exo/acpi.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/rtc.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <asm/io.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b

#define RTC_UIP 0x80		/* reg A: update in progress */
#define RTC_24H 0x02		/* reg B: 24-hour mode */
#define RTC_DM_BINARY 0x04	/* reg B: binary, not BCD */
#define RTC_HOUR_PM 0x80	/* hours register in 12h mode */

#define RTC_UIP_SPINS 1000000	/* UIP lasts at most ~2 ms; each read is ~1 us */
#define RTC_READ_TRIES 10

static DEFINE_SPINLOCK(rtc_lock);

struct cmos_regs {
	u8 sec, min, hour, mday, mon, year, century, reg_b;
};

static u8 cmos_read(u8 reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

static int cmos_read_regs(struct cmos_regs *r, u8 century_reg)
{
	unsigned long flags;
	int spins = 0;

	spin_lock_irqsave(&rtc_lock, flags);
	while (cmos_read(RTC_REG_A) & RTC_UIP) {
		if (++spins > RTC_UIP_SPINS) {
			spin_unlock_irqrestore(&rtc_lock, flags);
			return -EIO;
		}
	}
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->mday = cmos_read(RTC_DAY_OF_MONTH);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_reg ? cmos_read(century_reg) : 0;
	r->reg_b = cmos_read(RTC_REG_B);
	spin_unlock_irqrestore(&rtc_lock, flags);
	return 0;
}

static int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && is_leap(y));
}

bool rtc_valid_tm(const struct rtc_time *tm)
{
	return tm->year >= 1970 && tm->year < 10000 && tm->mon >= 1 && tm->mon <= 12 &&
	       tm->mday >= 1 && tm->mday <= days_in_month(tm->year, tm->mon) &&
	       tm->hour >= 0 && tm->hour < 24 && tm->min >= 0 && tm->min < 60 &&
	       tm->sec >= 0 && tm->sec < 60;
}

/*
 * Days from 1970-01-01 to y-m-d: count in a calendar that starts on March 1,
 * so February's leap day falls at the end of the year and each 400-year era
 * has the same 146097 days.
 */
static s64 days_from_civil(int y, int m, int d)
{
	s64 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

u64 rtc_tm_to_unix(const struct rtc_time *tm)
{
	return (u64)days_from_civil(tm->year, tm->mon, tm->mday) * 86400 + tm->hour * 3600 +
	       tm->min * 60 + tm->sec;
}

void rtc_unix_to_tm(u64 secs, struct rtc_time *tm)
{
	s64 z = secs / 86400 + 719468;
	s64 era = z / 146097, doe, yoe, doy, mp;
	u64 rem = secs % 86400;

	/* The inverse of days_from_civil(), same March-based calendar. */
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->mon = mp < 10 ? mp + 3 : mp - 9;
	tm->year = yoe + era * 400 + (tm->mon <= 2);
	tm->hour = rem / 3600;
	tm->min = rem / 60 % 60;
	tm->sec = rem % 60;
}

static u8 rtc_century_reg(void)
{
	const struct acpi_fadt_info *f = acpi_fadt();

	return f && f->present ? f->century : 0;
}

int rtc_read_time(struct rtc_time *tm)
{
	const struct acpi_fadt_info *f = acpi_fadt();
	u8 century_reg = rtc_century_reg();
	struct cmos_regs a, b;
	bool pm, binary;
	int tries = 0;

	if (f && f->present && (f->boot_arch & ACPI_BOOT_ARCH_CMOS_RTC_NOT_PRESENT))
		return -ENODEV;
	if (cmos_read_regs(&a, century_reg))
		return -EIO;
	do {
		if (++tries > RTC_READ_TRIES)
			return -EIO;
		b = a;
		if (cmos_read_regs(&a, century_reg))
			return -EIO;
	} while (memcmp(&a, &b, sizeof(a)));

	binary = a.reg_b & RTC_DM_BINARY;
	pm = !(a.reg_b & RTC_24H) && (a.hour & RTC_HOUR_PM);
	a.hour &= ~RTC_HOUR_PM;
	tm->sec = binary ? a.sec : bcd2bin(a.sec);
	tm->min = binary ? a.min : bcd2bin(a.min);
	tm->hour = binary ? a.hour : bcd2bin(a.hour);
	tm->mday = binary ? a.mday : bcd2bin(a.mday);
	tm->mon = binary ? a.mon : bcd2bin(a.mon);
	tm->year = binary ? a.year : bcd2bin(a.year);
	if (!(a.reg_b & RTC_24H))
		tm->hour = (tm->hour % 12) + (pm ? 12 : 0);	/* 12 AM is 0, 12 PM is 12 */
	if (century_reg && a.century)
		tm->year += 100 * (binary ? a.century : bcd2bin(a.century));
	else
		tm->year += tm->year < 70 ? 2000 : 1900;
	return rtc_valid_tm(tm) ? 0 : -EIO;
}

static int rtc_cmos_init(void)
{
	struct rtc_time tm;
	u64 secs;
	int err;

	err = rtc_read_time(&tm);
	if (err) {
		pr_err("rtc_cmos: cannot read the clock (%d); wall clock starts at 1970\n", err);
		return err;
	}
	secs = rtc_tm_to_unix(&tm);
	timekeeping_set_real_ns(secs * NSEC_PER_SEC);
	pr_info("rtc_cmos: setting system clock to %04d-%02d-%02d %02d:%02d:%02d UTC (%lu)\n",
		tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec, (unsigned long)secs);
	return 0;
}
subsys_initcall(rtc_cmos_init);
