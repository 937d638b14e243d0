// SPDX-License-Identifier: MIT
/*
 * Timekeeping: the monotonic and wall clocks on top of one clock source.
 *
 * ktime_get_ns() converts counter cycles to nanoseconds with a fixed-point
 * multiply: ns = cycles * mult >> 32, mult = 10^9 * 2^32 / freq computed
 * once at registration (a 64-bit division: 10^9 * 2^32 < 2^64). The product
 * is taken in 128 bits, a single mul instruction, so it never overflows and
 * needs no periodic re-basing; there is no division on the read path.
 *
 * Rules: clocksource_register() runs once on the boot CPU before other CPUs
 * start, and the clock and wall offset are [immutable] afterwards except
 * through timekeeping_set_real_ns() (boot RTC read, and later settimeofday).
 * Each change is also published to the vDSO (update_vsyscall()) under
 * tk_lock, which keeps the vDSO's seqcount writers one at a time; the
 * vDSO computes the same ns = cycles * mult >> 32, so it agrees exactly.
 */
#include <exo/time.h>
#include <exo/compiler.h>
#include <exo/irqflags.h>
#include <exo/printk.h>
#include <exo/spinlock.h>
#include <asm/io.h>

u64 tsc_khz;

static struct clocksource *clock;	/* [immutable] once set */
static u64 real_offset_ns;		/* [atomic] wall clock minus monotonic; written under tk_lock */
static DEFINE_SPINLOCK(tk_lock);	/* serialises the writers of clock, real_offset_ns and the vDSO data */

void timekeeping_sync_vsyscall(void)
{
	unsigned long flags;

	spin_lock_irqsave(&tk_lock, flags);
	update_vsyscall(clock, real_offset_ns);
	spin_unlock_irqrestore(&tk_lock, flags);
}

void clocksource_register(struct clocksource *cs)
{
	cs->mult = (NSEC_PER_SEC << CLOCKSOURCE_SHIFT) / cs->freq_hz;
	WRITE_ONCE(clock, cs);
	timekeeping_sync_vsyscall();
	pr_info("clocksource: switched to %s (%lu Hz, mult %lu)\n", cs->name,
		(unsigned long)cs->freq_hz, (unsigned long)cs->mult);
}

u64 ktime_get_ns(void)
{
	const struct clocksource *cs = READ_ONCE(clock);

	if (!cs)
		return 0;
	return (u64)(((unsigned __int128)cs->read() * cs->mult) >> CLOCKSOURCE_SHIFT);
}

u64 ktime_get_real_ns(void)
{
	return READ_ONCE(real_offset_ns) + ktime_get_ns();
}

void timekeeping_set_real_ns(u64 unix_ns)
{
	unsigned long flags;

	spin_lock_irqsave(&tk_lock, flags);
	WRITE_ONCE(real_offset_ns, unix_ns - ktime_get_ns());
	update_vsyscall(clock, real_offset_ns);
	spin_unlock_irqrestore(&tk_lock, flags);
}

void ndelay_busy(u64 ns)
{
	u64 end;

	if (!READ_ONCE(clock)) {
		for (u64 us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC; us; us--)
			io_delay();
		return;
	}
	end = ktime_get_ns() + ns;
	while (ktime_get_ns() < end)
		cpu_relax();
}
