// SPDX-License-Identifier: MIT
/*
 * ACPI table discovery: RSDP -> XSDT (or RSDT) -> every table, each one
 * mapped, length- and checksum-checked and kept in a small list that
 * acpi_find_table() searches by signature. Then the parsers for the tables
 * this kernel uses run (fadt.c, madt.c, hpet.c, mcfg.c).
 *
 * The RSDP comes from the boot loader's copy (Multiboot2 ACPI tag); without
 * one it is searched for where ACPI 6.5, 5.2.5.1 says legacy BIOSes put it:
 * the first KiB of the EBDA and 0xE0000-0xFFFFF, on 16-byte boundaries.
 *
 * Rules: runs once, on the boot CPU, before other CPUs start; the list is
 * [immutable] afterwards, so readers take no lock. Never trust a length or
 * address read from firmware before checking it.
 */
#include <exo/acpi.h>
#include <exo/bootinfo.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include <asm/io.h>
#include <asm/paging.h>
#include "internal.h"

#define ACPI_MAX_TABLES 64
#define ACPI_SDT_HEADER_LEN sizeof(struct acpi_table_header)

/* BIOS data area word holding the EBDA segment (ACPI 6.5, 5.2.5.1). */
#define BDA_EBDA_SEGMENT 0x40e
#define EBDA_SEARCH_LEN 1024
#define BIOS_ROM_START 0xe0000
#define BIOS_ROM_END 0x100000

struct acpi_table_entry {
	phys_addr_t phys;
	const struct acpi_table_header *hdr;
};

static struct acpi_table_entry acpi_tables[ACPI_MAX_TABLES];	/* [immutable] */
static unsigned int acpi_nr_tables;				/* [immutable] */

u8 acpi_checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

const void *acpi_map(phys_addr_t phys, size_t len)
{
	phys_addr_t end = phys + len;

	if (!len || end < phys)
		return NULL;
	if (end <= DIRECT_MAP_SIZE) {
		phys_addr_t p;

		for (p = ALIGN_DOWN(phys, PAGE_SIZE); p < end; p += PAGE_SIZE)
			if (arch_kernel_virt_to_phys((unsigned long)phys_to_virt(p)) != p)
				break;
		if (p >= end)
			return phys_to_virt(phys);
	}
	/* Tables are memory, read with plain loads: the mapping drops __iomem. */
	return (__force const void *)ioremap(phys, len);
}

void acpi_unmap(const void *virt)
{
	unsigned long va = (unsigned long)virt;

	if (va >= IOREMAP_START && va < IOREMAP_END)
		iounmap((__force void __iomem *)virt);
}

/* Copies @n bytes of firmware text, replacing what would garble the console. */
static void acpi_printable(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	dst[n] = '\0';
}

static void acpi_table_print(phys_addr_t phys, const struct acpi_table_header *h)
{
	char sig[5], oem[7], oem_table[9], creator[5];
	u32 creator_id = h->creator_id;

	acpi_printable(sig, h->signature, 4);
	acpi_printable(oem, h->oem_id, 6);
	acpi_printable(oem_table, h->oem_table_id, 8);
	acpi_printable(creator, (const char *)&creator_id, 4);
	pr_info("ACPI: %s 0x%016lX %06X (v%02u %-6s %-8s %08X %-4s %08X)\n", sig,
		(unsigned long)phys, h->length, h->revision, oem, oem_table, h->oem_revision,
		creator, h->creator_revision);
}

int acpi_table_check(const struct acpi_table_header *hdr, size_t avail)
{
	char sig[5];

	if (avail < ACPI_SDT_HEADER_LEN) {
		pr_err("ACPI: table header truncated (%zu bytes available)\n", avail);
		return -EINVAL;
	}
	acpi_printable(sig, hdr->signature, 4);
	if (hdr->length < ACPI_SDT_HEADER_LEN || hdr->length > avail) {
		pr_err("ACPI: %s rejected: length %u outside [%zu, %zu]\n", sig, hdr->length,
		       ACPI_SDT_HEADER_LEN, avail);
		return -EINVAL;
	}
	if (acpi_checksum(hdr, hdr->length)) {
		pr_err("ACPI: %s rejected: bad checksum (sum %#x over %u bytes)\n", sig,
		       acpi_checksum(hdr, hdr->length), hdr->length);
		return -EINVAL;
	}
	return 0;
}

const struct acpi_table_header *acpi_table_install(phys_addr_t phys)
{
	const struct acpi_table_header *hdr;
	u32 len;

	if (!phys)
		return NULL;
	hdr = acpi_map(phys, ACPI_SDT_HEADER_LEN);
	if (!hdr) {
		pr_err("ACPI: cannot map table header at %#lx\n", (unsigned long)phys);
		return NULL;
	}
	len = hdr->length;
	acpi_unmap(hdr);
	if (len < ACPI_SDT_HEADER_LEN || len > ACPI_MAX_TABLE_LEN) {
		pr_err("ACPI: table at %#lx rejected: length %u\n", (unsigned long)phys, len);
		return NULL;
	}
	hdr = acpi_map(phys, len);
	if (!hdr) {
		pr_err("ACPI: cannot map %u-byte table at %#lx\n", len, (unsigned long)phys);
		return NULL;
	}
	/* Re-read the length through the full mapping: the check must use what we map. */
	if (acpi_table_check(hdr, len)) {
		acpi_unmap(hdr);
		return NULL;
	}
	acpi_table_print(phys, hdr);
	if (acpi_nr_tables == ACPI_MAX_TABLES) {
		pr_warn("ACPI: more than %d tables, ignoring the rest\n", ACPI_MAX_TABLES);
		return hdr;
	}
	acpi_tables[acpi_nr_tables].phys = phys;
	acpi_tables[acpi_nr_tables].hdr = hdr;
	acpi_nr_tables++;
	return hdr;
}

const struct acpi_table_header *acpi_find_table(const char *sig, unsigned int idx)
{
	for (unsigned int i = 0; i < acpi_nr_tables; i++) {
		if (memcmp(acpi_tables[i].hdr->signature, sig, 4))
			continue;
		if (!idx--)
			return acpi_tables[i].hdr;
	}
	return NULL;
}

int acpi_rsdp_check(const struct acpi_rsdp *rsdp, size_t avail, bool *use_xsdt)
{
	*use_xsdt = false;
	if (avail < ACPI_RSDP_V1_LEN || memcmp(rsdp->signature, "RSD PTR ", 8))
		return -EINVAL;
	if (acpi_checksum(rsdp, ACPI_RSDP_V1_LEN)) {
		pr_err("ACPI: RSDP rejected: bad checksum\n");
		return -EINVAL;
	}
	if (rsdp->revision < 2)
		return 0;
	/* ACPI 2.0+: the XSDT is usable only if the extended part checks out too. */
	if (avail < ACPI_RSDP_V2_LEN || rsdp->length < ACPI_RSDP_V2_LEN || rsdp->length > avail) {
		pr_warn("ACPI: RSDP v%u length %u unusable, using the RSDT\n", rsdp->revision,
			avail >= ACPI_RSDP_V2_LEN ? rsdp->length : 0);
		return 0;
	}
	if (acpi_checksum(rsdp, rsdp->length)) {
		pr_warn("ACPI: RSDP extended checksum bad, using the RSDT\n");
		return 0;
	}
	*use_xsdt = rsdp->xsdt_address != 0;
	return 0;
}

/* Searches [start, start + len) for a valid RSDP; copies it into @out and returns its address. */
static phys_addr_t acpi_scan_rsdp(phys_addr_t start, size_t len, struct acpi_rsdp *out,
				  bool *use_xsdt)
{
	const u8 *area = acpi_map(start, len);
	phys_addr_t found = 0;

	if (!area)
		return 0;
	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16) {
		size_t avail = min(len - off, (size_t)ACPI_RSDP_V2_LEN);

		if (memcmp(area + off, "RSD PTR ", 8))
			continue;
		if (acpi_rsdp_check((const struct acpi_rsdp *)(area + off), avail, use_xsdt))
			continue;
		memset(out, 0, sizeof(*out));
		memcpy(out, area + off, avail);
		found = start + off;
		break;
	}
	acpi_unmap(area);
	return found;
}

static int acpi_find_rsdp(struct acpi_rsdp *rsdp, phys_addr_t *phys, bool *use_xsdt)
{
	u16 ebda_seg;

	*phys = 0;
	if (boot_info.rsdp_len) {
		size_t len = min((size_t)boot_info.rsdp_len, sizeof(*rsdp));

		memset(rsdp, 0, sizeof(*rsdp));
		memcpy(rsdp, boot_info.rsdp, len);
		if (!acpi_rsdp_check(rsdp, len, use_xsdt))
			return 0;
		pr_err("ACPI: the boot loader's RSDP copy is invalid; searching memory\n");
	}
	/* Page 0 holds the BIOS data area and is direct-mapped as usable RAM. */
	memcpy(&ebda_seg, phys_to_virt(BDA_EBDA_SEGMENT), sizeof(ebda_seg));
	if (ebda_seg >= 0x8000 && ebda_seg < 0xa000)
		*phys = acpi_scan_rsdp((phys_addr_t)ebda_seg << 4, EBDA_SEARCH_LEN, rsdp, use_xsdt);
	if (!*phys)
		*phys = acpi_scan_rsdp(BIOS_ROM_START, BIOS_ROM_END - BIOS_ROM_START, rsdp,
				       use_xsdt);
	return *phys ? 0 : -ENODEV;
}

/* Installs every table the RSDT (4-byte entries) or XSDT (8-byte entries) lists. */
static int acpi_parse_root(phys_addr_t root_phys, bool xsdt)
{
	const struct acpi_table_header *root = acpi_table_install(root_phys);
	size_t entry_len = xsdt ? 8 : 4;
	unsigned int n;

	if (!root)
		return -EINVAL;
	n = (root->length - ACPI_SDT_HEADER_LEN) / entry_len;
	for (unsigned int i = 0; i < n; i++) {
		const u8 *e = (const u8 *)root + ACPI_SDT_HEADER_LEN + i * entry_len;
		u64 phys = 0;

		/* Entries are packed after a 36-byte header: XSDT ones are unaligned. */
		memcpy(&phys, e, entry_len);
		acpi_table_install(phys);
	}
	return 0;
}

int acpi_init(void)
{
	struct acpi_rsdp rsdp;
	phys_addr_t rsdp_phys;
	char oem[7];
	bool use_xsdt;
	int err;

	if (acpi_find_rsdp(&rsdp, &rsdp_phys, &use_xsdt)) {
		pr_warn("ACPI: no valid RSDP; running without ACPI (one CPU, no IOAPIC)\n");
		return -ENODEV;
	}
	acpi_printable(oem, rsdp.oem_id, 6);
	if (rsdp_phys)
		pr_info("ACPI: RSDP 0x%016lX %06X (v%02u %-6s)\n", (unsigned long)rsdp_phys,
			rsdp.revision >= 2 ? rsdp.length : ACPI_RSDP_V1_LEN, rsdp.revision, oem);
	else
		pr_info("ACPI: RSDP (boot loader copy) %06X (v%02u %-6s)\n",
			rsdp.revision >= 2 ? rsdp.length : ACPI_RSDP_V1_LEN, rsdp.revision, oem);

	err = -EINVAL;
	if (use_xsdt)
		err = acpi_parse_root(rsdp.xsdt_address, true);
	if (err && rsdp.rsdt_address) {
		if (use_xsdt)
			pr_warn("ACPI: XSDT unusable, falling back to the RSDT\n");
		err = acpi_parse_root(rsdp.rsdt_address, false);
	}
	if (err) {
		pr_err("ACPI: no usable RSDT/XSDT; running without ACPI\n");
		return -ENODEV;
	}

	acpi_fadt_init();
	acpi_madt_init();
	acpi_hpet_init();
	acpi_mcfg_init();
	return 0;
}
