// SPDX-License-Identifier: MIT
/*
 * PVH boot information (Xen's hvm_start_info, version 1, as QEMU's -kernel
 * passes it to startup_pvh): the command line, the modules (-initrd is the
 * first, the initramfs), the E820 memory map and the ACPI RSDP, copied into
 * boot_info like multiboot2.c does for GRUB.
 */
#include <exo/bootinfo.h>
#include <exo/cmdline.h>
#include <exo/compiler.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <asm/pvh.h>
#include <asm/memlayout.h>

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr;	/* version 1 */
	u32 memmap_entries;	/* version 1 */
	u32 reserved;
};

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
};

struct hvm_memmap_table_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
};

/* The boot page tables map the first 1 GiB: everything read here must lie below it. */
#define PVH_INFO_LIMIT (1UL << 30)

static const void *pvh_ptr(u64 phys, u64 size, const char *what)
{
	if (!phys || phys >= PVH_INFO_LIMIT || size > PVH_INFO_LIMIT - phys) {
		pr_warn("pvh: %s at %#llx is outside the early 1 GiB map, ignored\n", what,
			(unsigned long long)phys);
		return NULL;
	}
	return phys_to_virt(phys);
}

void pvh_parse(u32 info_phys)
{
	const struct hvm_start_info *si = pvh_ptr(info_phys, sizeof(*si), "hvm_start_info");
	const struct hvm_modlist_entry *mods;
	const struct hvm_memmap_table_entry *map;
	const char *cmdline;
	const u8 *rsdp;

	if (!si)
		return;
	boot_info.loader_name = "PVH";
	boot_info.info_start = info_phys;
	boot_info.info_end = info_phys + sizeof(*si);
	cmdline = pvh_ptr(si->cmdline_paddr, 1, "the command line");
	if (cmdline)
		cmdline_set(cmdline);
	mods = pvh_ptr(si->modlist_paddr, (u64)si->nr_modules * sizeof(*mods), "the module list");
	for (u32 i = 0; mods && i < si->nr_modules; i++) {
		struct boot_module *m;

		if (boot_info.nr_modules == BOOT_MAX_MODULES) {
			pr_warn("pvh: more than %d modules, rest ignored\n", BOOT_MAX_MODULES);
			break;
		}
		m = &boot_info.modules[boot_info.nr_modules++];
		m->start = mods[i].paddr;
		m->end = mods[i].paddr + mods[i].size;
	}
	if (si->version < 1) {
		pr_err("pvh: hvm_start_info version %u has no memory map\n", si->version);
		return;
	}
	map = pvh_ptr(si->memmap_paddr, (u64)si->memmap_entries * sizeof(*map), "the memory map");
	for (u32 i = 0; map && i < si->memmap_entries; i++) {
		if (boot_info.nr_mem == BOOT_MAX_MEM_REGIONS) {
			pr_warn("pvh: more than %d memory regions, rest ignored\n", BOOT_MAX_MEM_REGIONS);
			break;
		}
		boot_info.mem[boot_info.nr_mem++] = (struct boot_mem_region){
			.base = map[i].addr, .length = map[i].size, .type = map[i].type,
		};
	}
	/* RSDP revision (byte 15) 2+ is the 36-byte ACPI 2.0 structure. */
	rsdp = si->rsdp_paddr ? pvh_ptr(si->rsdp_paddr, 36, "the ACPI RSDP") : NULL;
	if (rsdp) {
		boot_info.rsdp_len = rsdp[15] >= 2 ? 36 : 20;
		memcpy(boot_info.rsdp, rsdp, boot_info.rsdp_len);
	}
}
