// SPDX-License-Identifier: MIT
/*
 * selftest=acpi: the firmware tables QEMU gives were found and checked, and
 * the parsers reject corrupted tables (bad checksum, lengths that lie, MADT
 * entries of length 0 or running past the end, truncated AML) without
 * reading out of bounds. The corrupt tables are built here, in a buffer
 * sized exactly to the table, so an overrun would read the guard bytes
 * after it and show up as a wrong parse.
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

static u8 test_buf[256];
static struct acpi_madt_info test_madt;	/* too big for the stack */

static void table_fix_checksum(struct acpi_table_header *h)
{
	h->checksum = 0;
	h->checksum = -acpi_checksum(h, h->length);
}

/* A MADT: two enabled CPUs, one disabled, one IOAPIC, IRQ0 -> GSI 2, an NMI. */
static size_t build_madt(u8 *buf)
{
	static const u8 entries[] = {
		0, 8, 0, 0, 1, 0, 0, 0,				/* LAPIC uid 0 id 0 enabled */
		0, 8, 1, 3, 1, 0, 0, 0,				/* LAPIC uid 1 id 3 enabled */
		0, 8, 2, 5, 0, 0, 0, 0,				/* LAPIC uid 2 id 5 unusable */
		1, 12, 7, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,	/* IOAPIC id 7 */
		2, 10, 0, 0, 2, 0, 0, 0, 0, 0,			/* ISA IRQ 0 -> GSI 2 */
		4, 6, 0xff, 5, 0, 1,				/* LINT1 NMI, all CPUs */
	};
	struct acpi_table_header *h = (struct acpi_table_header *)buf;
	u32 lapic = 0xfee00000, flags = 1;

	memset(buf, 0xa5, sizeof(test_buf));
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, "APIC", 4);
	h->length = 44 + sizeof(entries);
	h->revision = 3;
	memcpy(buf + 36, &lapic, 4);
	memcpy(buf + 40, &flags, 4);
	memcpy(buf + 44, entries, sizeof(entries));
	table_fix_checksum(h);
	return h->length;
}

static int test_firmware_tables(void)
{
	const struct acpi_table_header *madt = acpi_find_table("APIC", 0);
	const struct acpi_table_header *facp = acpi_find_table("FACP", 0);

	CHECK(madt);
	CHECK(!acpi_table_check(madt, madt->length));
	CHECK(acpi_cpu_count() >= 1);
	CHECK(acpi_cpu_apic_id(0) != ~0U);
	CHECK(acpi_madt()->nr_ioapics >= 1);
	CHECK(acpi_madt()->lapic_address);
	CHECK(facp);
	CHECK(acpi_fadt()->present && acpi_fadt()->pm1a_cnt);
	CHECK(acpi_find_table("DSDT", 0));
	/*
	 * QEMU's pc and q35 machines list an HPET unless started with -no-hpet;
	 * what must hold either way is that a listed, valid HPET gives an address.
	 */
	CHECK(!acpi_find_table("HPET", 0) == !acpi_hpet_address());
	CHECK(!acpi_find_table("APIC", 64));
	pr_info("selftest acpi: %u CPUs, %u IOAPIC(s), HPET %s, S5 %s, %u MCFG region(s)\n",
		acpi_cpu_count(), acpi_madt()->nr_ioapics, acpi_hpet_address() ? "yes" : "no",
		acpi_fadt()->s5_valid ? "yes" : "no", acpi_mcfg_count());
	return 0;
}

static int test_madt_parser(void)
{
	struct acpi_table_header *h = (struct acpi_table_header *)test_buf;
	size_t len = build_madt(test_buf);
	u16 flags;

	CHECK(!acpi_table_check(h, len));
	CHECK(!acpi_madt_parse(h, &test_madt));
	CHECK(test_madt.nr_cpus == 2 && test_madt.cpus[1].apic_id == 3);
	CHECK(test_madt.nr_ioapics == 1 && test_madt.ioapics[0].address == 0xfec00000);
	CHECK(test_madt.nr_overrides == 1 && test_madt.overrides[0].gsi == 2);
	CHECK(test_madt.nr_nmis == 1 && test_madt.nmis[0].uid == ~0U);
	CHECK(test_madt.lapic_address == 0xfee00000);

	/* A flipped byte: checksum no longer sums to zero. */
	test_buf[50] ^= 0x40;
	CHECK(acpi_table_check(h, len) == -EINVAL);

	/* Length fields that lie: below the header, past the buffer. */
	build_madt(test_buf);
	h->length = 20;
	CHECK(acpi_table_check(h, len) == -EINVAL);
	build_madt(test_buf);
	h->length = len + 1;
	CHECK(acpi_table_check(h, len) == -EINVAL);
	CHECK(acpi_table_check(h, 10) == -EINVAL);

	/* An entry of length 0 would loop forever; the parser must stop, keeping CPU 0. */
	build_madt(test_buf);
	test_buf[44 + 8 + 1] = 0;
	table_fix_checksum(h);
	CHECK(acpi_madt_parse(h, &test_madt) == -EINVAL);
	CHECK(test_madt.nr_cpus == 1);

	/* An entry shorter than its type needs (LAPIC of 4 bytes). */
	build_madt(test_buf);
	test_buf[44 + 1] = 4;
	table_fix_checksum(h);
	CHECK(acpi_madt_parse(h, &test_madt) == -EINVAL);
	CHECK(test_madt.nr_cpus == 0);

	/* The last entry (the 6-byte NMI) claims 40 bytes: past the table's end. */
	build_madt(test_buf);
	test_buf[len - 6 + 1] = 40;
	table_fix_checksum(h);
	CHECK(acpi_madt_parse(h, &test_madt) == -EINVAL);
	CHECK(test_madt.nr_nmis == 0 && test_madt.nr_cpus == 2);

	/* Table cut in the middle of an entry header (one byte left). */
	build_madt(test_buf);
	h->length = 44 + 8 + 1;
	table_fix_checksum(h);
	CHECK(acpi_madt_parse(h, &test_madt) == -EINVAL);
	CHECK(test_madt.nr_cpus == 1);

	/* Too short to hold the local APIC address. */
	build_madt(test_buf);
	h->length = 40;
	table_fix_checksum(h);
	CHECK(acpi_madt_parse(h, &test_madt) == -EINVAL);

	/* The override lookup of the booted machine: QEMU routes ISA IRQ 0 to GSI 2. */
	CHECK(acpi_isa_irq_to_gsi(0, &flags) == 2);
	return 0;
}

static int test_aml_and_rsdp(void)
{
	/* Name(\_S5_, Package(4) { 5, Zero, Zero, Zero }) */
	static const u8 aml[] = { 0x10, 0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
				  0x0a, 0x05, 0x00, 0x00, 0x00 };
	struct acpi_rsdp rsdp;
	bool xsdt;
	u8 a = 0xff, b = 0xff;

	CHECK(!acpi_aml_find_s5(aml, sizeof(aml), &a, &b) && a == 5 && b == 0);
	/* Every truncation must fail cleanly, none may read past the end. */
	for (size_t n = 0; n < sizeof(aml) - 3; n++)
		CHECK(acpi_aml_find_s5(aml, n, &a, &b) == -ENOENT);
	/* A reference to _S5_ (no NameOp before it) is not its definition. */
	CHECK(acpi_aml_find_s5(aml + 2, sizeof(aml) - 2, &a, &b) == -ENOENT);

	memset(&rsdp, 0, sizeof(rsdp));
	memcpy(rsdp.signature, "RSD PTR ", 8);
	rsdp.revision = 2;
	rsdp.length = sizeof(rsdp);
	rsdp.xsdt_address = 0x1000;
	rsdp.checksum = -acpi_checksum(&rsdp, ACPI_RSDP_V1_LEN);
	rsdp.extended_checksum = -acpi_checksum(&rsdp, sizeof(rsdp));
	CHECK(!acpi_rsdp_check(&rsdp, sizeof(rsdp), &xsdt) && xsdt);
	/* v2 but only 20 bytes available: usable, but only through the RSDT. */
	CHECK(!acpi_rsdp_check(&rsdp, ACPI_RSDP_V1_LEN, &xsdt) && !xsdt);
	rsdp.extended_checksum++;
	CHECK(!acpi_rsdp_check(&rsdp, sizeof(rsdp), &xsdt) && !xsdt);
	rsdp.oem_id[0] ^= 1;
	CHECK(acpi_rsdp_check(&rsdp, sizeof(rsdp), &xsdt) == -EINVAL);
	return 0;
}

static int acpi_selftest(void)
{
	int err;

	err = test_firmware_tables();
	if (!err)
		err = test_madt_parser();
	if (!err)
		err = test_aml_and_rsdp();
	return err;
}
DEFINE_SELFTEST("acpi", acpi_selftest);
