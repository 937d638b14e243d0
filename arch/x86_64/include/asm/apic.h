/* SPDX-License-Identifier: MIT */
/*
 * Local APIC and IOAPIC (Intel SDM vol. 3A, chapter 11; Intel 82093AA
 * IOAPIC datasheet). The local APIC runs in x2APIC mode (MSRs) when the CPU
 * has it, else xAPIC mode (MMIO); callers never see the difference. IOAPIC
 * inputs are addressed by GSI, as ACPI numbers them.
 *
 * Set-up order: lapic_init() then ioapic_init() on the boot CPU, after
 * acpi_init(); lapic_timer_init() once the TSC clock source is registered.
 * Every IOAPIC input is masked until ioapic_route_irq() or ioapic_unmask().
 */
#ifndef _ASM_APIC_H
#define _ASM_APIC_H

#include <exo/types.h>

/* Local APIC register offsets (SDM vol. 3A, table 11-1); x2APIC MSR = 0x800 + (reg >> 4). */
#define APIC_ID 0x20
#define APIC_LVR 0x30
#define APIC_TASKPRI 0x80
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SPIV 0xf0
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVTTHMR 0x330
#define APIC_LVTPC 0x340
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0

#define APIC_SPIV_ENABLE (1U << 8)
#define APIC_LVT_MASKED (1U << 16)
#define APIC_LVT_LEVEL (1U << 15)
#define APIC_LVT_TIMER_PERIODIC (1U << 17)
#define APIC_DM_FIXED (0U << 8)
#define APIC_DM_NMI (4U << 8)
#define APIC_DM_INIT (5U << 8)
#define APIC_DM_STARTUP (6U << 8)
#define APIC_DM_EXTINT (7U << 8)
#define APIC_ICR_BUSY (1U << 12)
#define APIC_ICR_ASSERT (1U << 14)
#define APIC_ICR_LEVEL (1U << 15)
#define APIC_TDCR_DIV_16 0x3

/* IA32_APIC_BASE MSR bits (SDM vol. 3A, 11.4.4, 11.12.1). */
#define APIC_BASE_BSP (1UL << 8)
#define APIC_BASE_EXTD (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)
#define APIC_BASE_ADDR_MASK 0xffffff000UL

/* Enables this CPU's local APIC with every LVT masked but LINT1 (NMI). */
void lapic_init(void);
/* This CPU's APIC id (x2APIC: 32 bits; xAPIC: 8 bits). */
u32 lapic_id(void);
/* Signals end of interrupt for the in-service vector. */
void lapic_eoi(void);
/* Sends fixed interrupt @vector to the CPU with APIC id @apic_id. */
void lapic_send_ipi(u32 apic_id, unsigned int vector);
/* INIT and STARTUP IPIs for AP bring-up (SDM vol. 3A, 8.4.4.1). @page: trampoline phys >> 12. */
/* Sends a non-maskable interrupt (panic uses it to stop CPUs). */
void lapic_send_nmi(u32 apic_id);
void lapic_send_init(u32 apic_id);
/* Enables and programs this AP's local APIC in the boot CPU's mode. */
void lapic_init_secondary(void);
void lapic_send_startup(u32 apic_id, unsigned int page);
bool lapic_x2apic_mode(void);

/*
 * Calibrates the local APIC timer against the registered clock source (the
 * boot CPU measures, others reuse the figure) and starts the HZ periodic tick
 * on this CPU. Returns 0, or -errno when no clock source or no vector handler.
 */
int lapic_timer_init(void);
/* Local APIC timer input frequency (after the divider), 0 before calibration. */
extern u32 lapic_timer_hz;

/* ioapic_route_irq() flags. */
#define IOAPIC_ACTIVE_LOW (1U << 0)
#define IOAPIC_LEVEL (1U << 1)
#define IOAPIC_MASKED (1U << 2)

/* Maps every IOAPIC the MADT lists and masks all its inputs. Returns 0 or -ENODEV. */
int ioapic_init(void);
/*
 * Routes @gsi to @vector on the CPU with APIC id @dest (physical destination,
 * fixed delivery), polarity and trigger from @flags, unmasked unless
 * IOAPIC_MASKED. Returns 0, or -EINVAL for a GSI no IOAPIC serves.
 */
int ioapic_route_irq(u32 gsi, unsigned int vector, u32 dest, unsigned int flags);
/* Same for an ISA IRQ, through the MADT's Interrupt Source Overrides. */
int ioapic_route_isa_irq(unsigned int irq, unsigned int vector, u32 dest);
int ioapic_mask(u32 gsi);
int ioapic_unmask(u32 gsi);

#endif /* _ASM_APIC_H */
