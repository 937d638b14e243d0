// SPDX-License-Identifier: MIT
/*
 * TSC calibration and the TSC clock source.
 *
 * The TSC's rate is measured against a timer of documented frequency: the
 * HPET main counter when ACPI lists one (any period, 10 ns resolution on
 * QEMU), else PIT channel 2 (mode 0, 1.193182 MHz). Each method runs over a
 * 20 ms window, several times; the samples must agree within 0.5% or the
 * measurement is repeated, and the median is kept. CPUID leaf 0x15 (crystal
 * ratio) or 0x16 (nominal MHz) is printed beside the measurement when it
 * disagrees by more than 1%: the measured figure is what the clock uses,
 * because a hypervisor's CPUID may describe the host, not the guest's TSC.
 *
 * Rules: tsc_init() runs once on the boot CPU with interrupts off, before
 * other CPUs start; the CPUs' TSCs are assumed synchronised (invariant TSC,
 * started together at reset), as on QEMU and current hardware.
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <asm/hpet.h>
#include <asm/i8253.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#define CALIBRATE_MS 20
#define CALIBRATE_SAMPLES 3
#define CALIBRATE_TRIES 4
#define TSC_MIN_HZ 100000000ULL		/* 100 MHz: slower means the measurement broke */
#define TSC_MAX_HZ 20000000000ULL	/* 20 GHz */
#define CPUID_80000007_EDX_INVARIANT_TSC (1U << 8)

static u64 tsc_read(void)
{
	return rdtsc();
}

static struct clocksource tsc_clocksource = {
	.name = "tsc",
	.read = tsc_read,
	.vdso_tsc = true,
};

/* One measurement: TSC cycles over CALIBRATE_MS of HPET time, as Hz. */
static u64 hpet_calibrate_tsc(void)
{
	u64 want = hpet_freq_hz * CALIBRATE_MS / 1000;
	u64 mask = hpet_64bit ? ~0ULL : 0xffffffffULL;
	u64 h0, h1, t0, t1;

	h0 = hpet_read_counter();
	t0 = rdtsc();
	do {
		h1 = hpet_read_counter();
		t1 = rdtsc();
	} while (((h1 - h0) & mask) < want);
	return (t1 - t0) * hpet_freq_hz / ((h1 - h0) & mask);
}

static u64 calibrate_once(bool use_hpet)
{
	return use_hpet ? hpet_calibrate_tsc() : pit_calibrate_tsc(CALIBRATE_MS);
}

static void sort_samples(u64 *s)
{
	for (int i = 0; i < CALIBRATE_SAMPLES; i++)
		for (int j = i + 1; j < CALIBRATE_SAMPLES; j++)
			if (s[j] < s[i]) {
				u64 t = s[i];

				s[i] = s[j];
				s[j] = t;
			}
}

static u64 tsc_calibrate(bool use_hpet)
{
	u64 s[CALIBRATE_SAMPLES];

	for (int tries = 0; tries < CALIBRATE_TRIES; tries++) {
		for (int i = 0; i < CALIBRATE_SAMPLES; i++)
			s[i] = calibrate_once(use_hpet);
		sort_samples(s);
		/* Spread within 0.5% of the median: the reference and the TSC agree. */
		if (s[0] && (s[CALIBRATE_SAMPLES - 1] - s[0]) * 200 <= s[1])
			return s[1];
	}
	pr_warn("tsc: %s calibration noisy (%lu..%lu Hz); using the median\n",
		use_hpet ? "HPET" : "PIT", (unsigned long)s[0],
		(unsigned long)s[CALIBRATE_SAMPLES - 1]);
	return s[1];
}

/* The TSC frequency CPUID states (leaf 0x15, else the 0x16 base MHz), or 0. */
static u64 tsc_cpuid_hz(const char **how)
{
	u32 max, a, b, c, d;

	cpuid(0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		/* SDM vol. 2A, CPUID leaf 15H: TSC = crystal (ECX) * EBX / EAX. */
		if (a && b && c) {
			*how = "CPUID 0x15";
			return (u64)c * b / a;
		}
	}
	if (max >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if (a & 0xffff) {
			*how = "CPUID 0x16";
			return (u64)(a & 0xffff) * 1000000;
		}
	}
	return 0;
}

int tsc_init(void)
{
	bool use_hpet = !hpet_enable(acpi_hpet_address());
	const char *how = NULL;
	u64 hz, cpuid_hz;
	u32 a, b, c, d;

	hz = tsc_calibrate(use_hpet);
	if (hz < TSC_MIN_HZ || hz > TSC_MAX_HZ) {
		pr_err("tsc: calibration against the %s gave %lu Hz; no TSC clock\n",
		       use_hpet ? "HPET" : "PIT", (unsigned long)hz);
		return -ENODEV;
	}
	tsc_khz = hz / 1000;
	pr_info("tsc: Detected %lu.%03lu MHz processor (calibrated against the %s)\n",
		(unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000),
		use_hpet ? "HPET" : "PIT");
	cpuid_hz = tsc_cpuid_hz(&how);
	if (cpuid_hz && (cpuid_hz > hz ? cpuid_hz - hz : hz - cpuid_hz) * 100 > hz)
		pr_info("tsc: %s reports %lu.%03lu MHz, measured %lu.%03lu MHz; using the measurement\n",
			how, (unsigned long)(cpuid_hz / 1000000),
			(unsigned long)(cpuid_hz / 1000 % 1000), (unsigned long)(tsc_khz / 1000),
			(unsigned long)(tsc_khz % 1000));
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000007) {
		cpuid(0x80000007, &a, &b, &c, &d);
		if (!(d & CPUID_80000007_EDX_INVARIANT_TSC))
			pr_info("tsc: CPUID does not report an invariant TSC\n");
	}
	tsc_clocksource.freq_hz = hz;
	clocksource_register(&tsc_clocksource);
	return 0;
}
