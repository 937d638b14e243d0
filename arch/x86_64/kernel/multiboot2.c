// SPDX-License-Identifier: MIT
/*
 * Multiboot2 boot information parser (Multiboot2 spec, section 3.6).
 * Everything the kernel needs is copied into boot_info, because the loader's
 * structure lives in memory that becomes free once the page allocator runs.
 * A malformed tag (size too small, running past total_size) ends the walk
 * with a warning; the kernel then boots with what it has.
 */
#include <exo/bootinfo.h>
#include <exo/cmdline.h>
#include <exo/compiler.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/memlayout.h>
#include <asm/multiboot2.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

/* The boot page tables map only the first 1 GiB. */
#define MB2_INFO_LIMIT (1UL << 30)

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 reserved;
};

struct boot_info boot_info;
static char loader_name[64];

static void mb2_parse_mmap(const u8 *tag, u32 size)
{
	u32 entry_size = *(const u32 *)(tag + 8);

	if (entry_size < sizeof(struct mb2_mmap_entry)) {
		pr_warn("multiboot2: memory map entry size %u too small, map ignored\n", entry_size);
		return;
	}
	for (u32 off = 16; off + entry_size <= size; off += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)(tag + off);
		struct boot_mem_region *r;

		if (boot_info.nr_mem == BOOT_MAX_MEM_REGIONS) {
			pr_warn("multiboot2: more than %d memory regions, rest ignored\n",
				BOOT_MAX_MEM_REGIONS);
			return;
		}
		r = &boot_info.mem[boot_info.nr_mem++];
		r->base = e->base;
		r->length = e->length;
		r->type = e->type;
	}
}

static void mb2_parse_module(const u8 *tag, u32 size)
{
	struct boot_module *m;

	if (size < 16)
		return;
	if (boot_info.nr_modules == BOOT_MAX_MODULES) {
		pr_warn("multiboot2: more than %d modules, rest ignored\n", BOOT_MAX_MODULES);
		return;
	}
	m = &boot_info.modules[boot_info.nr_modules++];
	m->start = *(const u32 *)(tag + 8);
	m->end = *(const u32 *)(tag + 12);
	if (size > 16)
		strlcpy(m->cmdline, (const char *)(tag + 16),
			min(sizeof(m->cmdline), (size_t)(size - 16)));
}

void multiboot2_parse(u32 magic, u32 info_phys)
{
	const u8 *info, *p, *end;
	u32 total;

	if (magic != MB2_BOOTLOADER_MAGIC) {
		pr_err("multiboot2: bad magic %#x: not started by a Multiboot2 loader; boot with GRUB2 (make run)\n",
		       magic);
		return;
	}
	if (info_phys >= MB2_INFO_LIMIT) {
		pr_err("multiboot2: boot information at %#x is above the early 1 GiB map\n", info_phys);
		return;
	}
	info = phys_to_virt(info_phys);
	total = *(const u32 *)info;
	boot_info.info_start = info_phys;
	boot_info.info_end = info_phys + total;
	end = info + total;

	for (p = info + 8; p + sizeof(struct mb2_tag) <= end;) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->size < sizeof(struct mb2_tag) || p + tag->size > end) {
			pr_warn("multiboot2: malformed tag type %u size %u, parsing stopped\n",
				tag->type, tag->size);
			break;
		}
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			cmdline_set((const char *)(p + 8));
			break;
		case MB2_TAG_LOADER_NAME:
			strlcpy(loader_name, (const char *)(p + 8), sizeof(loader_name));
			boot_info.loader_name = loader_name;
			break;
		case MB2_TAG_MODULE:
			mb2_parse_module(p, tag->size);
			break;
		case MB2_TAG_MMAP:
			mb2_parse_mmap(p, tag->size);
			break;
		case MB2_TAG_FRAMEBUFFER:
			if (tag->size >= 31) {
				boot_info.fb.addr = *(const u64 *)(p + 8);
				boot_info.fb.pitch = *(const u32 *)(p + 16);
				boot_info.fb.width = *(const u32 *)(p + 20);
				boot_info.fb.height = *(const u32 *)(p + 24);
				boot_info.fb.bpp = p[28];
				boot_info.fb.type = p[29];
				boot_info.have_fb = true;
			}
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW: {
			u32 len = tag->size - 8;

			/* Prefer the ACPI 2.0+ RSDP (it has the XSDT) when both appear. */
			if (tag->type == MB2_TAG_ACPI_OLD && boot_info.rsdp_len > 20)
				break;
			if (len > sizeof(boot_info.rsdp))
				len = sizeof(boot_info.rsdp);
			memcpy(boot_info.rsdp, p + 8, len);
			boot_info.rsdp_len = len;
			break;
		}
		default:
			break;
		}
		p += ALIGN(tag->size, 8);
	}
}
