/* SPDX-License-Identifier: MIT */
/*
 * ACPI static tables: what the firmware says about CPUs, interrupt
 * controllers, timers, PCI configuration space and power control. acpi_init()
 * finds the RSDP, walks the XSDT (or RSDT), verifies every table's checksum
 * and length, and parses the MADT, FADT, HPET and MCFG into the plain
 * structures below. Firmware bytes are untrusted input: a table that fails a
 * check is logged and skipped, never used. No AML interpreter: the one thing
 * taken from the DSDT is the \_S5_ sleep type, by a bounded byte scan.
 *
 * Everything here is written once by acpi_init() on the boot CPU before any
 * other CPU runs and is read-only afterwards ([immutable] below).
 */
#ifndef _EXO_ACPI_H
#define _EXO_ACPI_H

#include <generated/autoconf.h>
#include <exo/compiler.h>
#include <exo/types.h>

/* ACPI 6.5, 5.2.6: the header every system description table starts with. */
struct acpi_table_header {
	char signature[4];
	u32 length;		/* whole table, header included */
	u8 revision;
	u8 checksum;		/* all @length bytes sum to 0 mod 256 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

/* ACPI 6.5, 5.2.3.2: Generic Address Structure. */
struct acpi_generic_address {
	u8 space_id;		/* ACPI_GAS_* */
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
} __packed;

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO 1
#define ACPI_GAS_PCI_CONFIG 2

#define ACPI_MAX_CPUS 256
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NMIS 16
#define ACPI_MAX_MCFG 8

/* MPS INTI flags (ACPI 6.5, table 5.50): polarity bits 1:0, trigger mode bits 3:2. */
#define ACPI_MPS_POLARITY_MASK 0x3
#define ACPI_MPS_POLARITY_HIGH 0x1
#define ACPI_MPS_POLARITY_LOW 0x3
#define ACPI_MPS_TRIGGER_MASK 0xc
#define ACPI_MPS_TRIGGER_EDGE 0x4
#define ACPI_MPS_TRIGGER_LEVEL 0xc

struct acpi_cpu {
	u32 apic_id;		/* local APIC or x2APIC id */
	u32 uid;		/* ACPI processor UID, matches NMI entries */
	bool x2apic;		/* came from a Processor Local x2APIC entry */
	bool enabled;		/* usable now */
	bool online_capable;	/* disabled but may be hot-added */
};

struct acpi_ioapic {
	u8 id;
	u32 address;		/* physical base of IOREGSEL/IOWIN */
	u32 gsi_base;		/* first GSI served by input 0 */
};

struct acpi_irq_override {
	u8 bus;			/* 0: ISA */
	u8 source;		/* ISA IRQ */
	u32 gsi;
	u16 flags;		/* ACPI_MPS_* */
};

struct acpi_nmi {
	bool lapic;		/* true: a local APIC LINT pin; false: an IOAPIC GSI */
	u32 uid;		/* lapic: processor UID, 0xff / ~0 meaning all */
	u8 lint;		/* lapic: LINT0 or LINT1 */
	u32 gsi;		/* !lapic */
	u16 flags;		/* ACPI_MPS_* */
};

/* What the MADT says ([immutable] after acpi_init). */
struct acpi_madt_info {
	phys_addr_t lapic_address;	/* 32-bit field, or the 64-bit override entry */
	u32 flags;			/* bit 0: PC-AT dual 8259s present */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned int nr_cpus;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_ioapics;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
	unsigned int nr_overrides;
	struct acpi_nmi nmis[ACPI_MAX_NMIS];
	unsigned int nr_nmis;
};

/* What the FADT (and the DSDT's \_S5_) says that this kernel uses. */
struct acpi_fadt_info {
	bool present;
	u8 revision;
	u16 sci_irq;
	u32 smi_cmd;
	u8 acpi_enable;			/* value for SMI_CMD to hand PM to the OS */
	u32 pm1a_cnt, pm1b_cnt;		/* I/O ports; 0 when absent */
	u32 pm1a_evt, pm1b_evt;
	u32 pm_tmr;
	u8 century;			/* CMOS index of the century, 0: none */
	u16 boot_arch;			/* IAPC_BOOT_ARCH */
	u32 flags;
	bool reset_supported;		/* RESET_REG_SUP and a usable reset register */
	struct acpi_generic_address reset_reg;
	u8 reset_value;
	phys_addr_t dsdt;
	bool s5_valid;			/* \_S5_ found in the DSDT */
	u8 s5_typ_a, s5_typ_b;		/* SLP_TYPa / SLP_TYPb for soft-off */
};

#define ACPI_FADT_RESET_REG_SUP (1U << 10)
#define ACPI_BOOT_ARCH_CMOS_RTC_NOT_PRESENT (1U << 5)

struct acpi_mcfg_region {
	u64 base;		/* ECAM base for bus 0 of this segment */
	u16 segment;
	u8 start_bus, end_bus;
};

#ifdef CONFIG_ACPI

/*
 * Finds and parses the tables. Returns 0, or -ENODEV when there is no usable
 * RSDP (the kernel then runs without ACPI: one CPU, no IOAPIC).
 */
int acpi_init(void);

/*
 * Returns the @idx-th (from 0) verified table with signature @sig ("APIC",
 * "FACP", "HPET", "MCFG", "DSDT", ...), mapped for reading, or NULL when there
 * is no such table. The mapping lives forever.
 */
const struct acpi_table_header *acpi_find_table(const char *sig, unsigned int idx);

/*
 * Checks a table in memory: @avail bytes are readable at @hdr. Returns 0 when
 * the length field covers the header, fits in @avail and the checksum sums to
 * zero; -EINVAL otherwise (the reason is logged).
 */
int acpi_table_check(const struct acpi_table_header *hdr, size_t avail);

/*
 * Parses a MADT into @out (fully overwritten). Entries with a length below
 * their type's size, of zero, or running past the table's end stop the walk:
 * what was parsed before them is kept and -EINVAL is returned. The table
 * itself must already have passed acpi_table_check().
 */
int acpi_madt_parse(const struct acpi_table_header *madt, struct acpi_madt_info *out);

/*
 * Finds the \_S5_ package in an AML byte stream and decodes SLP_TYPa/b.
 * Returns 0 or -ENOENT; never reads outside [aml, aml + len).
 */
int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b);

/*
 * Parsed results; valid after acpi_init(), zeroed when the firmware has no
 * such table, NULL when the kernel is built without CONFIG_ACPI.
 */
const struct acpi_madt_info *acpi_madt(void);
const struct acpi_fadt_info *acpi_fadt(void);

/*
 * CPUs the MADT lists as enabled, in MADT order (the boot CPU is usually
 * first); acpi_cpu_apic_id() returns ~0 past the end.
 */
unsigned int acpi_cpu_count(void);
u32 acpi_cpu_apic_id(unsigned int i);

/*
 * Maps an ISA IRQ to its GSI and MPS flags through the Interrupt Source
 * Overrides. Without an override the GSI is the IRQ, edge, active high.
 */
u32 acpi_isa_irq_to_gsi(unsigned int irq, u16 *flags);

/* HPET block 0 base address from the HPET table; 0 when there is none. */
phys_addr_t acpi_hpet_address(void);

unsigned int acpi_mcfg_count(void);
const struct acpi_mcfg_region *acpi_mcfg_region(unsigned int i);

/*
 * Power control. acpi_poweroff() enters S5 through PM1a/b_CNT with the \_S5_
 * sleep types; acpi_reboot() writes the FADT reset register. Each returns
 * only on failure: -ENODEV when the firmware gave no way, -ETIMEDOUT when the
 * write did not take effect. Call with interrupts off and other CPUs stopped.
 */
int acpi_poweroff(void);
int acpi_reboot(void);

#else /* !CONFIG_ACPI */

#include <uapi/errno.h>

static inline int acpi_init(void) { return -ENODEV; }
static inline const struct acpi_table_header *acpi_find_table(const char *sig, unsigned int idx)
{
	return NULL;
}
static inline const struct acpi_madt_info *acpi_madt(void) { return NULL; }
static inline const struct acpi_fadt_info *acpi_fadt(void) { return NULL; }
static inline unsigned int acpi_cpu_count(void) { return 0; }
static inline u32 acpi_cpu_apic_id(unsigned int i) { return ~0U; }
static inline u32 acpi_isa_irq_to_gsi(unsigned int irq, u16 *flags)
{
	*flags = ACPI_MPS_POLARITY_HIGH | ACPI_MPS_TRIGGER_EDGE;
	return irq;
}
static inline phys_addr_t acpi_hpet_address(void) { return 0; }
static inline unsigned int acpi_mcfg_count(void) { return 0; }
static inline const struct acpi_mcfg_region *acpi_mcfg_region(unsigned int i) { return NULL; }
static inline int acpi_poweroff(void) { return -ENODEV; }
static inline int acpi_reboot(void) { return -ENODEV; }

#endif /* CONFIG_ACPI */

#endif /* _EXO_ACPI_H */
