// SPDX-License-Identifier: MIT
/*
 * HPET main counter (IA-PC HPET specification 1.0a, 2.3). Used as the
 * calibration reference for the TSC: it has a documented period, unlike the
 * TSC and the local APIC timer. Only the counter runs; legacy replacement
 * routing stays off and every comparator's interrupt stays disabled.
 *
 * Rules: hpet_enable() runs once on the boot CPU; afterwards the counter is
 * only read, which needs no lock.
 */
#include <exo/printk.h>
#include <uapi/errno.h>
#include <asm/hpet.h>
#include <asm/io.h>

#define HPET_GCAP_ID 0x000
#define HPET_GEN_CONF 0x010
#define HPET_MAIN_COUNTER 0x0f0
#define HPET_TIMER_CONF(n) (0x100 + 0x20 * (n))
#define HPET_MMIO_SIZE 0x400

#define HPET_GCAP_COUNT_SIZE (1UL << 13)
#define HPET_GCAP_NUM_TIM_SHIFT 8
#define HPET_GEN_CONF_ENABLE (1UL << 0)
#define HPET_GEN_CONF_LEGACY (1UL << 1)
#define HPET_TN_INT_ENB (1UL << 2)
/* 2.3.4: COUNTER_CLK_PERIOD is non-zero and at most 100 ns. */
#define HPET_MAX_PERIOD_FS 100000000UL
#define FSEC_PER_SEC 1000000000000000ULL

static u8 __iomem *hpet_regs;	/* [immutable] */
u64 hpet_freq_hz;		/* [immutable] */
bool hpet_64bit;		/* [immutable] */

int hpet_enable(phys_addr_t phys)
{
	u64 cap, conf;
	u32 period_fs;
	unsigned int timers;

	if (!phys)
		return -ENODEV;
	hpet_regs = ioremap(phys, HPET_MMIO_SIZE);
	if (!hpet_regs)
		return -ENODEV;
	cap = readq(hpet_regs + HPET_GCAP_ID);
	period_fs = cap >> 32;
	if (!period_fs || period_fs > HPET_MAX_PERIOD_FS) {
		pr_err("hpet: bad counter period %u fs; not using the HPET\n", period_fs);
		iounmap(hpet_regs);
		hpet_regs = NULL;
		return -ENODEV;
	}
	hpet_64bit = cap & HPET_GCAP_COUNT_SIZE;
	timers = ((cap >> HPET_GCAP_NUM_TIM_SHIFT) & 0x1f) + 1;
	for (unsigned int n = 0; n < timers; n++) {
		u64 tc = readq(hpet_regs + HPET_TIMER_CONF(n));

		writeq(tc & ~HPET_TN_INT_ENB, hpet_regs + HPET_TIMER_CONF(n));
	}
	conf = readq(hpet_regs + HPET_GEN_CONF);
	conf &= ~HPET_GEN_CONF_LEGACY;
	writeq(conf | HPET_GEN_CONF_ENABLE, hpet_regs + HPET_GEN_CONF);
	hpet_freq_hz = FSEC_PER_SEC / period_fs;
	pr_info("hpet: %u comparators, %d-bit, %lu.%06lu MHz counter at %#lx\n", timers,
		hpet_64bit ? 64 : 32, (unsigned long)(hpet_freq_hz / 1000000),
		(unsigned long)(hpet_freq_hz % 1000000), (unsigned long)phys);
	return 0;
}

u64 hpet_read_counter(void)
{
	return readq(hpet_regs + HPET_MAIN_COUNTER);
}
