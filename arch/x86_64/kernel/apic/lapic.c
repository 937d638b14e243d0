// SPDX-License-Identifier: MIT
/*
 * Local APIC: enable, EOI, IPIs, and the timer that drives the periodic tick.
 *
 * Mode: x2APIC (registers are MSRs 0x800 + offset/16, SDM vol. 3A, 11.12)
 * when CPUID.01H:ECX[21] says the CPU has it, else xAPIC (a 4 KiB MMIO page
 * at the address the MADT gives, mapped uncached). apic_read()/apic_write()
 * hide the difference; the ICR is the one register that differs in shape.
 *
 * Timer: periodic mode at HZ, counting the bus clock divided by 16. Its input
 * frequency is not architecturally known, so the boot CPU measures it against
 * the TSC clock source over 10 ms; other CPUs reuse the figure (one bus
 * clock). TSC-deadline mode would spare the calibration but needs a write per
 * tick; it is the better choice once the tick becomes dynamic.
 *
 * Rules: lapic_init() runs on each CPU before it enables interrupts; the
 * register accessors touch only this CPU's APIC, so no locking is needed.
 */
#include <exo/acpi.h>
#include <exo/compiler.h>
#include <exo/irqflags.h>
#include <exo/jiffies.h>
#include <exo/kprof.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/memlayout.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/processor.h>

#define CPUID_1_ECX_X2APIC (1U << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)
#define X2APIC_MSR_BASE 0x800
#define X2APIC_MSR_ICR 0x830
#define APIC_DEFAULT_PHYS 0xfee00000UL
#define APIC_TIMER_CALIBRATE_NS (10 * NSEC_PER_MSEC)

static bool x2apic;			/* [immutable] after lapic_init on the boot CPU */
static u8 __iomem *apic_mmio;		/* [immutable] xAPIC register page */
u32 lapic_timer_hz;			/* [immutable] after boot CPU calibration */

static inline u32 apic_read(u32 reg)
{
	if (x2apic)
		return (u32)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return readl(apic_mmio + reg);
}

static inline void apic_write(u32 reg, u32 v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
	else
		writel(v, apic_mmio + reg);
}

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

u32 lapic_id(void)
{
	return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	/* x2APIC: a non-zero EOI write raises #GP (SDM vol. 3A, 11.12.1.2). */
	apic_write(APIC_EOI, 0);
}

/* Writes the ICR; xAPIC waits for the previous IPI to leave (SDM vol. 3A, 11.6.1). */
static void apic_icr_write(u32 low, u32 dest)
{
	unsigned long flags;

	local_irq_save(flags);
	if (x2apic) {
		wrmsr(X2APIC_MSR_ICR, (u64)dest << 32 | low);
	} else {
		while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
			cpu_relax();
		apic_write(APIC_ICR2, dest << 24);
		apic_write(APIC_ICR, low);
		while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
			cpu_relax();
	}
	local_irq_restore(flags);
}

void lapic_send_ipi(u32 apic_id, unsigned int vector)
{
	apic_icr_write(APIC_DM_FIXED | APIC_ICR_ASSERT | (vector & 0xff), apic_id);
}

void lapic_send_nmi(u32 apic_id)
{
	apic_icr_write(APIC_DM_NMI | APIC_ICR_ASSERT, apic_id);
}

void lapic_send_init(u32 apic_id)
{
	apic_icr_write(APIC_DM_INIT | APIC_ICR_ASSERT | APIC_ICR_LEVEL, apic_id);
}

void lapic_send_startup(u32 apic_id, unsigned int page)
{
	apic_icr_write(APIC_DM_STARTUP | (page & 0xff), apic_id);
}

static void lapic_spurious_interrupt(struct pt_regs *regs, unsigned int vector)
{
	/* SDM vol. 3A, 11.9: a spurious interrupt is not in service; no EOI. */
}

static void lapic_error_interrupt(struct pt_regs *regs, unsigned int vector)
{
	u32 esr;

	/* The ESR latches on a write (SDM vol. 3A, 11.5.3). */
	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	lapic_eoi();
	pr_err("APIC: error interrupt on APIC %u, ESR %#x\n", lapic_id(), esr);
}

static void lapic_timer_interrupt(struct pt_regs *regs, unsigned int vector)
{
	/* EOI first: the tick may end in a context switch that does not return here soon. */
	lapic_eoi();
	kprof_tick(regs);
	tick_periodic(user_mode(regs));
}

static void lapic_setup_this_cpu(void)
{
	/* Flat model, everyone in logical group 1; x2APIC has neither (read-only LDR). */
	if (!x2apic) {
		apic_write(APIC_DFR, 0xffffffff);
		apic_write(APIC_LDR, 1U << 24);
	}
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_LVTTHMR, APIC_LVT_MASKED);
	apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	/* LINT0 carries the 8259's ExtINT, which stays masked: interrupts come by IOAPIC. */
	apic_write(APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	/* LINT1 is wired to NMI on PCs (QEMU's MADT says so too). */
	apic_write(APIC_LVT1, APIC_DM_NMI);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_APIC_VECTOR);
	lapic_eoi();
}

void lapic_init(void)
{
	u32 a, b, c, d;
	u64 base = rdmsr(MSR_APIC_BASE);
	phys_addr_t phys;
	const struct acpi_madt_info *madt = acpi_madt();

	cpuid(1, &a, &b, &c, &d);
	if (c & CPUID_1_ECX_X2APIC) {
		/* SDM vol. 3A, 11.12.1: xAPIC -> x2APIC needs EN set first, then EXTD. */
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
		x2apic = true;
	} else {
		phys = madt && madt->lapic_address ? madt->lapic_address :
						      (base & APIC_BASE_ADDR_MASK);
		if (!phys)
			phys = APIC_DEFAULT_PHYS;
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		apic_mmio = ioremap(phys, PAGE_SIZE);
		if (!apic_mmio)
			panic("APIC: cannot map the local APIC at %#lx", (unsigned long)phys);
	}
	if (irq_set_vector_handler(SPURIOUS_APIC_VECTOR, lapic_spurious_interrupt) ||
	    irq_set_vector_handler(ERROR_APIC_VECTOR, lapic_error_interrupt))
		pr_warn("APIC: cannot register the spurious/error vectors\n");
	lapic_setup_this_cpu();
	pr_info("APIC: local APIC id %u, version %#x, %s mode%s\n", lapic_id(),
		apic_read(APIC_LVR) & 0xff, x2apic ? "x2APIC" : "xAPIC",
		c & CPUID_1_ECX_TSC_DEADLINE ? ", TSC-deadline capable" : "");
}

void lapic_init_secondary(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	/* The boot CPU chose the mode; every AP follows it (the MMIO window is shared). */
	if (x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
	} else {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	}
	lapic_setup_this_cpu();
}

/*
 * Counts the timer down for APIC_TIMER_CALIBRATE_NS of clock-source time.
 * The clock-source window lies inside the two counter reads, so a delay
 * (an MMIO exit waiting for QEMU's lock while other vCPUs hold it) can only
 * make a sample too high, never too low, and the caller keeps the smallest.
 * Starting the clock before the write that starts the counter, as this did,
 * made a delayed start read low: a 14 MHz timer for a 62.5 MHz one, and a
 * tick 4.4 times too fast, once on -smp 4.
 */
static u32 lapic_timer_measure(void)
{
	u64 t0, t1;
	u32 c0, c1;

	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
	c0 = apic_read(APIC_TMCCT);
	t0 = ktime_get_ns();
	do
		t1 = ktime_get_ns();
	while (t1 - t0 < APIC_TIMER_CALIBRATE_NS);
	c1 = apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	return (u32)(((u64)(c0 - c1) * NSEC_PER_SEC) / (t1 - t0));
}

int lapic_timer_init(void)
{
	static bool handler_registered;
	int err;

	if (!ktime_get_ns())
		return -ENODEV;
	if (!lapic_timer_hz) {
		/* Keep the smallest: a delay between the reads only inflates a sample. */
		lapic_timer_hz = lapic_timer_measure();
		for (int i = 0; i < 2; i++)
			lapic_timer_hz = min(lapic_timer_hz, lapic_timer_measure());
		pr_info("APIC: timer %u.%03u MHz (bus / 16), periodic at %d Hz\n",
			lapic_timer_hz / 1000000, lapic_timer_hz / 1000 % 1000, HZ);
		if (lapic_timer_hz < HZ)
			return -ENODEV;
	}
	if (!handler_registered) {
		err = irq_set_vector_handler(LOCAL_TIMER_VECTOR, lapic_timer_interrupt);
		if (err) {
			pr_warn("APIC: no handler for the timer vector (%d); tick not started\n",
				err);
			return err;
		}
		handler_registered = true;
	}
	apic_write(APIC_TDCR, APIC_TDCR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, lapic_timer_hz / HZ);
	return 0;
}
