// SPDX-License-Identifier: MIT
/*
 * The HPET description table ("HPET", IA-PC HPET specification 1.0a,
 * section 3.2.4): where event timer block 0's registers are. The timer itself
 * is driven by arch code (arch/x86_64/kernel/hpet.c); this file only reads
 * and checks the table.
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/string.h>
#include "internal.h"

#define HPET_TABLE_ID 36		/* Event Timer Block ID (mirror of the capabilities) */
#define HPET_TABLE_ADDRESS 40		/* Generic Address Structure of the register block */
#define HPET_TABLE_NUMBER 52
#define HPET_TABLE_MIN_LEN 56

static phys_addr_t hpet_address;	/* [immutable] after acpi_hpet_init */

void acpi_hpet_init(void)
{
	const struct acpi_table_header *t = acpi_find_table("HPET", 0);
	struct acpi_generic_address gas;
	u32 id;

	if (!t)
		return;
	if (t->length < HPET_TABLE_MIN_LEN) {
		pr_err("ACPI: HPET rejected: length %u below %d\n", t->length, HPET_TABLE_MIN_LEN);
		return;
	}
	memcpy(&id, (const u8 *)t + HPET_TABLE_ID, sizeof(id));
	memcpy(&gas, (const u8 *)t + HPET_TABLE_ADDRESS, sizeof(gas));
	/* The spec puts the block in system memory; anything else we cannot use. */
	if (gas.space_id != ACPI_GAS_MEMORY || !gas.address || !IS_ALIGNED(gas.address, 1024)) {
		pr_err("ACPI: HPET rejected: register block space %u address %#lx\n",
		       gas.space_id, (unsigned long)gas.address);
		return;
	}
	hpet_address = gas.address;
	pr_info("ACPI: HPET id: %#x base: %#lx\n", id, (unsigned long)hpet_address);
}

phys_addr_t acpi_hpet_address(void)
{
	return hpet_address;
}
