// SPDX-License-Identifier: MIT
/*
 * FADT ("FACP", ACPI 6.5, 5.2.9) and what power control needs from it: the
 * PM1 control blocks, the SCI, the reset register, the CMOS century index,
 * the DSDT address, and from the DSDT the \_S5_ (soft-off) sleep types.
 *
 * The FADT grew over ACPI revisions (116 bytes in 1.0, 244 in 2.0, 276 in
 * 6.x), so each field is read only when the table's length covers it.
 * \_S5_ is found by a byte scan of the DSDT's AML (no interpreter): a
 * NameOp defining _S5_ as a Package whose first two elements are integers
 * (ACPI 6.5, 7.4.2: SLP_TYPa, SLP_TYPb).
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <exo/time.h>
#include <uapi/errno.h>
#include <asm/io.h>
#include "internal.h"

/* Byte offsets into the FADT (ACPI 6.5, table 5.9). */
#define FADT_DSDT 40
#define FADT_SCI_INT 46
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_EVT_BLK 56
#define FADT_PM1B_EVT_BLK 60
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_PM_TMR_BLK 76
#define FADT_CENTURY 108
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184

/* PM1 control register bits (ACPI 6.5, table 4.13). */
#define PM1_CNT_SCI_EN (1U << 0)
#define PM1_CNT_SLP_TYP_SHIFT 10
#define PM1_CNT_SLP_EN (1U << 13)

/* AML opcodes (ACPI 6.5, 20.2). */
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c

/* PCI configuration mechanism #1 ports, for a reset register in PCI config space. */
#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

static struct acpi_fadt_info fadt_info;	/* [immutable] after acpi_fadt_init */

/* Reads @size bytes at @off of the FADT when the table is long enough; else leaves @dst. */
static bool fadt_read(const struct acpi_table_header *t, size_t off, void *dst, size_t size)
{
	if (off + size > t->length)
		return false;
	memcpy(dst, (const u8 *)t + off, size);
	return true;
}

/* Decodes one AML integer (ZeroOp, OneOp or a Byte/Word/DWord/QWord const) at *@pos. */
static int aml_read_integer(const u8 *aml, size_t len, size_t *pos, u64 *val)
{
	size_t p = *pos, n;

	if (p >= len)
		return -ENOENT;
	switch (aml[p]) {
	case AML_ZERO_OP:
		*val = 0;
		*pos = p + 1;
		return 0;
	case AML_ONE_OP:
		*val = 1;
		*pos = p + 1;
		return 0;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return -ENOENT;
	}
	if (len - p - 1 < n)
		return -ENOENT;
	*val = 0;
	memcpy(val, aml + p + 1, n);	/* AML integers are little-endian, like x86 */
	*pos = p + 1 + n;
	return 0;
}

int acpi_aml_find_s5(const u8 *aml, size_t len, u8 *typ_a, u8 *typ_b)
{
	for (size_t i = 1; i + 4 <= len; i++) {
		size_t p = i + 4;
		u64 a, b;

		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* A definition, not a reference: NameOp, optionally a root prefix, the name. */
		if (aml[i - 1] != AML_NAME_OP &&
		    !(aml[i - 1] == AML_ROOT_CHAR && i >= 2 && aml[i - 2] == AML_NAME_OP))
			continue;
		if (p >= len || aml[p] != AML_PACKAGE_OP)
			continue;
		p++;
		/* PkgLength (20.2.4): bits 7:6 of the lead byte count the bytes that follow. */
		if (p >= len)
			continue;
		p += 1 + (aml[p] >> 6);
		p++;	/* NumElements */
		if (aml_read_integer(aml, len, &p, &a) || aml_read_integer(aml, len, &p, &b))
			continue;
		/* SLP_TYP is a 3-bit field in PM1_CNT. */
		if (a > 7 || b > 7)
			continue;
		*typ_a = a;
		*typ_b = b;
		return 0;
	}
	return -ENOENT;
}

static void fadt_parse_dsdt(struct acpi_fadt_info *f)
{
	const struct acpi_table_header *dsdt = acpi_table_install(f->dsdt);

	if (!dsdt)
		return;
	if (!acpi_aml_find_s5((const u8 *)dsdt + sizeof(*dsdt), dsdt->length - sizeof(*dsdt),
			      &f->s5_typ_a, &f->s5_typ_b))
		f->s5_valid = true;
}

void acpi_fadt_init(void)
{
	const struct acpi_table_header *t = acpi_find_table("FACP", 0);
	struct acpi_fadt_info *f = &fadt_info;
	struct acpi_generic_address gas;
	u64 x_dsdt = 0;
	u32 dsdt32 = 0;

	if (!t) {
		pr_warn("ACPI: no FADT; no ACPI power-off or reset\n");
		return;
	}
	if (t->length < FADT_FLAGS + 4) {
		pr_err("ACPI: FADT rejected: length %u too short\n", t->length);
		return;
	}
	f->present = true;
	f->revision = t->revision;
	fadt_read(t, FADT_DSDT, &dsdt32, 4);
	fadt_read(t, FADT_SCI_INT, &f->sci_irq, 2);
	fadt_read(t, FADT_SMI_CMD, &f->smi_cmd, 4);
	fadt_read(t, FADT_ACPI_ENABLE, &f->acpi_enable, 1);
	fadt_read(t, FADT_PM1A_EVT_BLK, &f->pm1a_evt, 4);
	fadt_read(t, FADT_PM1B_EVT_BLK, &f->pm1b_evt, 4);
	fadt_read(t, FADT_PM1A_CNT_BLK, &f->pm1a_cnt, 4);
	fadt_read(t, FADT_PM1B_CNT_BLK, &f->pm1b_cnt, 4);
	fadt_read(t, FADT_PM_TMR_BLK, &f->pm_tmr, 4);
	fadt_read(t, FADT_CENTURY, &f->century, 1);
	fadt_read(t, FADT_IAPC_BOOT_ARCH, &f->boot_arch, 2);
	fadt_read(t, FADT_FLAGS, &f->flags, 4);

	/* 5.2.9: the 64-bit X_ fields take precedence when non-zero. */
	if (fadt_read(t, FADT_X_DSDT, &x_dsdt, 8) && x_dsdt)
		f->dsdt = x_dsdt;
	else
		f->dsdt = dsdt32;
	if (!f->pm1a_cnt && fadt_read(t, FADT_X_PM1A_CNT_BLK, &gas, sizeof(gas)) &&
	    gas.space_id == ACPI_GAS_IO && gas.address <= 0xffff)
		f->pm1a_cnt = gas.address;
	if (!f->pm1b_cnt && fadt_read(t, FADT_X_PM1B_CNT_BLK, &gas, sizeof(gas)) &&
	    gas.space_id == ACPI_GAS_IO && gas.address <= 0xffff)
		f->pm1b_cnt = gas.address;

	if ((f->flags & ACPI_FADT_RESET_REG_SUP) &&
	    fadt_read(t, FADT_RESET_REG, &f->reset_reg, sizeof(f->reset_reg)) &&
	    fadt_read(t, FADT_RESET_VALUE, &f->reset_value, 1) && f->reset_reg.address &&
	    f->reset_reg.space_id <= ACPI_GAS_PCI_CONFIG)
		f->reset_supported = true;
	/* The CMOS index must be a real CMOS byte (the clock itself uses 0-13). */
	if (f->century && (f->century < 14 || f->century > 127))
		f->century = 0;

	fadt_parse_dsdt(f);
	pr_info("ACPI: FADT rev %u: SCI IRQ %u, PM1a_CNT %#x, PM1b_CNT %#x, reset %s %#lx=%#x, "
		"century %#x, S5 %s\n",
		f->revision, f->sci_irq, f->pm1a_cnt, f->pm1b_cnt,
		f->reset_supported ? (f->reset_reg.space_id == ACPI_GAS_IO ? "io" :
				      f->reset_reg.space_id == ACPI_GAS_MEMORY ? "mem" : "pci") :
				     "none",
		(unsigned long)f->reset_reg.address, f->reset_value, f->century,
		f->s5_valid ? "found" : "missing");
}

const struct acpi_fadt_info *acpi_fadt(void)
{
	return &fadt_info;
}

/* 4.8.2.1: hand fixed hardware to the OS (SCI_EN) if the firmware still owns it. */
static void acpi_enable_mode(const struct acpi_fadt_info *f)
{
	if (inw(f->pm1a_cnt) & PM1_CNT_SCI_EN)
		return;
	if (!f->smi_cmd || !f->acpi_enable)
		return;
	outb(f->acpi_enable, f->smi_cmd);
	for (int i = 0; i < 300 && !(inw(f->pm1a_cnt) & PM1_CNT_SCI_EN); i++)
		ndelay_busy(NSEC_PER_MSEC);
}

int acpi_poweroff(void)
{
	const struct acpi_fadt_info *f = &fadt_info;

	if (!f->present || !f->pm1a_cnt || !f->s5_valid || f->pm1a_cnt > 0xffff)
		return -ENODEV;
	acpi_enable_mode(f);
	/* 4.8.3.2.1: SLP_TYPx and SLP_EN written together to each PM1 control block. */
	if (f->pm1b_cnt && f->pm1b_cnt <= 0xffff)
		outw((inw(f->pm1b_cnt) & ~(7U << PM1_CNT_SLP_TYP_SHIFT)) |
		     (f->s5_typ_b << PM1_CNT_SLP_TYP_SHIFT) | PM1_CNT_SLP_EN, f->pm1b_cnt);
	outw((inw(f->pm1a_cnt) & ~(7U << PM1_CNT_SLP_TYP_SHIFT)) |
	     (f->s5_typ_a << PM1_CNT_SLP_TYP_SHIFT) | PM1_CNT_SLP_EN, f->pm1a_cnt);
	ndelay_busy(100 * NSEC_PER_MSEC);
	return -ETIMEDOUT;
}

int acpi_reboot(void)
{
	const struct acpi_fadt_info *f = &fadt_info;
	const struct acpi_generic_address *r = &f->reset_reg;

	if (!f->reset_supported)
		return -ENODEV;
	switch (r->space_id) {
	case ACPI_GAS_IO:
		if (r->address > 0xffff)
			return -ENODEV;
		outb(f->reset_value, r->address);
		break;
	case ACPI_GAS_MEMORY: {
		volatile u8 *reg = (volatile u8 *)acpi_map(r->address, 1);

		if (!reg)
			return -ENODEV;
		*reg = f->reset_value;
		break;
	}
	case ACPI_GAS_PCI_CONFIG: {
		/* 5.2.3.2: bus 0, device in bits 47:32, function 31:16, offset 15:0. */
		u32 dev = (r->address >> 32) & 0x1f, fn = (r->address >> 16) & 7;
		u32 reg = r->address & 0xff;

		outl(0x80000000U | dev << 11 | fn << 8 | (reg & 0xfc), PCI_CONF_ADDR);
		outb(f->reset_value, PCI_CONF_DATA + (reg & 3));
		break;
	}
	default:
		return -ENODEV;
	}
	ndelay_busy(100 * NSEC_PER_MSEC);
	return -ETIMEDOUT;
}
