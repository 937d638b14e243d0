// SPDX-License-Identifier: MIT
/*
 * Symbol lookup over the table scripts/mksymtab.py embeds in .ksymtab:
 *
 *   struct ksymtab_header { u64 magic; u64 count; }
 *   struct ksymtab_entry  { u64 addr; u32 size; u32 name_offset; } [count], sorted by addr
 *   char names[]          NUL-terminated, name_offset counts from the start of names
 *
 * The first link has an empty table (count 0); the section is the last in
 * the image, so filling it in the second link moves no other symbol.
 */
#include <exo/ksym.h>
#include <exo/printk.h>
#include <exo/string.h>

#define KSYMTAB_MAGIC 0x4d59534b4f584555UL /* "EUXOKSYM" */

struct ksymtab_entry {
	u64 addr;
	u32 size;
	u32 name_offset;
};

struct ksymtab_header {
	u64 magic;
	u64 count;
	struct ksymtab_entry entries[];
};

/* Weak so the first link, which has no generated table, still resolves. */
extern const struct ksymtab_header ksymtab __attribute__((weak));

static const struct ksymtab_entry *ksym_entries(void)
{
	return ksymtab.entries;
}

static const char *ksym_names(void)
{
	return (const char *)(ksym_entries() + ksymtab.count);
}

static bool ksym_present(void)
{
	return &ksymtab && ksymtab.magic == KSYMTAB_MAGIC && ksymtab.count;
}

const char *ksym_lookup(unsigned long addr, unsigned long *offset, unsigned long *size)
{
	const struct ksymtab_entry *e;
	u64 lo = 0, hi;

	if (!ksym_present())
		return NULL;
	e = ksym_entries();
	hi = ksymtab.count;
	if (addr < e[0].addr)
		return NULL;
	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* A zero-size symbol (assembly label) extends to the next symbol. */
	unsigned long sz = e[lo].size;

	if (!sz)
		sz = (lo + 1 < ksymtab.count ? e[lo + 1].addr : addr + 1) - e[lo].addr;
	if (addr - e[lo].addr >= sz)
		return NULL;
	if (offset)
		*offset = addr - e[lo].addr;
	if (size)
		*size = sz;
	return ksym_names() + e[lo].name_offset;
}

void ksym_format(unsigned long addr, char *buf, size_t len)
{
	unsigned long off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		snprintf(buf, len, "%s+0x%lx/0x%lx", name, off, size);
	else
		snprintf(buf, len, "0x%016lx", addr);
}

unsigned long ksym_address(const char *name)
{
	const struct ksymtab_entry *e;

	if (!ksym_present())
		return 0;
	e = ksym_entries();
	for (u64 i = 0; i < ksymtab.count; i++)
		if (!strcmp(ksym_names() + e[i].name_offset, name))
			return e[i].addr;
	return 0;
}
