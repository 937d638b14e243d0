/* SPDX-License-Identifier: MIT */
/*
 * Shared inside drivers/acpi only: the RSDP layout, the mapping helper and
 * the per-table init steps acpi_init() runs in order (FADT before MADT so the
 * DSDT is listed with the other tables; the rest in any order).
 */
#ifndef _DRIVERS_ACPI_INTERNAL_H
#define _DRIVERS_ACPI_INTERNAL_H

#include <exo/acpi.h>

/* ACPI 6.5, 5.2.5.3: Root System Description Pointer. v1 is the first 20 bytes. */
struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	u8 checksum;		/* first 20 bytes sum to 0 */
	char oem_id[6];
	u8 revision;		/* 0: ACPI 1.0 (RSDT only); 2: ACPI 2.0+ */
	u32 rsdt_address;
	u32 length;		/* v2: whole structure */
	u64 xsdt_address;
	u8 extended_checksum;	/* v2: all @length bytes sum to 0 */
	u8 reserved[3];
} __packed;

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36
/* Bigger than any table real firmware ships (DSDTs reach a few hundred KiB). */
#define ACPI_MAX_TABLE_LEN (4U << 20)

/*
 * Returns a kernel pointer to @len bytes of firmware memory at @phys: the
 * direct map when every page is mapped there, else an uncached ioremap
 * (ACPI tables usually sit in e820 "reserved" RAM the direct map skips).
 * NULL when the mapping fails. acpi_unmap() undoes an ioremap.
 */
const void *acpi_map(phys_addr_t phys, size_t len);
void acpi_unmap(const void *virt);

/*
 * Maps the table at @phys, checks it (acpi_table_check), adds it to the list
 * acpi_find_table() searches and prints its line. NULL when rejected.
 */
const struct acpi_table_header *acpi_table_install(phys_addr_t phys);

/* Checks an RSDP copy of @avail bytes; sets *@use_xsdt when its XSDT may be used. */
int acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail, bool *use_xsdt);

u8 acpi_checksum(const void *p, size_t len);

void acpi_fadt_init(void);
void acpi_madt_init(void);
void acpi_hpet_init(void);
void acpi_mcfg_init(void);

#endif /* _DRIVERS_ACPI_INTERNAL_H */
