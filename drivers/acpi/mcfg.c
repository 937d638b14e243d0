// SPDX-License-Identifier: MIT
/*
 * MCFG (PCI Firmware Specification 3.2, 4.1.2): the memory-mapped (ECAM)
 * configuration space window of each PCI segment and its bus range. The PCI
 * driver maps what it needs from acpi_mcfg_region().
 */
#include <exo/acpi.h>
#include <exo/printk.h>
#include <exo/string.h>
#include "internal.h"

#define MCFG_ENTRIES_OFFSET 44	/* header (36) + 8 reserved bytes */
#define MCFG_ENTRY_LEN 16	/* base u64, segment u16, start bus u8, end bus u8, reserved u32 */
#define ECAM_BUS_SIZE (1UL << 20)	/* 32 devices x 8 functions x 4 KiB */

static struct acpi_mcfg_region mcfg_regions[ACPI_MAX_MCFG];	/* [immutable] */
static unsigned int mcfg_nr;					/* [immutable] */

void acpi_mcfg_init(void)
{
	const struct acpi_table_header *t = acpi_find_table("MCFG", 0);
	size_t n;

	if (!t)
		return;
	if (t->length < MCFG_ENTRIES_OFFSET) {
		pr_err("ACPI: MCFG rejected: length %u below %d\n", t->length, MCFG_ENTRIES_OFFSET);
		return;
	}
	n = (t->length - MCFG_ENTRIES_OFFSET) / MCFG_ENTRY_LEN;
	for (size_t i = 0; i < n; i++) {
		const u8 *e = (const u8 *)t + MCFG_ENTRIES_OFFSET + i * MCFG_ENTRY_LEN;
		struct acpi_mcfg_region r;

		memcpy(&r.base, e, 8);
		memcpy(&r.segment, e + 8, 2);
		r.start_bus = e[10];
		r.end_bus = e[11];
		if (r.end_bus < r.start_bus || !r.base) {
			pr_err("ACPI: MCFG entry %zu rejected: bus %u-%u base %#lx\n", i,
			       r.start_bus, r.end_bus, (unsigned long)r.base);
			continue;
		}
		if (mcfg_nr == ACPI_MAX_MCFG) {
			pr_warn("ACPI: MCFG: more than %d regions, ignoring the rest\n",
				ACPI_MAX_MCFG);
			break;
		}
		mcfg_regions[mcfg_nr++] = r;
		pr_info("PCI: ECAM [mem %#010lx-%#010lx] for domain %04x [bus %02x-%02x]\n",
			(unsigned long)(r.base + r.start_bus * ECAM_BUS_SIZE),
			(unsigned long)(r.base + (r.end_bus + 1) * ECAM_BUS_SIZE - 1), r.segment,
			r.start_bus, r.end_bus);
	}
}

unsigned int acpi_mcfg_count(void)
{
	return mcfg_nr;
}

const struct acpi_mcfg_region *acpi_mcfg_region(unsigned int i)
{
	return i < mcfg_nr ? &mcfg_regions[i] : NULL;
}
