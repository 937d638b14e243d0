/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader told us, in a loader-neutral form. The arch boot code
 * (Multiboot2 parser) fills boot_info once, copying everything it needs out
 * of the loader's memory, which is later reused. Read-only after setup_arch.
 */
#ifndef _EXO_BOOTINFO_H
#define _EXO_BOOTINFO_H

#include <exo/types.h>

#define BOOT_MAX_MEM_REGIONS 128
#define BOOT_MAX_MODULES 8

/* Region types: the E820/Multiboot2 numbering. */
#define BOOT_MEM_AVAILABLE 1
#define BOOT_MEM_RESERVED 2
#define BOOT_MEM_ACPI_RECLAIMABLE 3
#define BOOT_MEM_ACPI_NVS 4
#define BOOT_MEM_BAD 5

struct boot_mem_region {
	u64 base;
	u64 length;
	u32 type;
};

struct boot_module {
	u64 start;	/* physical */
	u64 end;	/* physical, exclusive */
	char cmdline[64];
};

struct boot_framebuffer {
	u64 addr;
	u32 pitch, width, height;
	u8 bpp, type;
};

struct boot_info {
	const char *loader_name;
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned int nr_mem;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;
	/* ACPI RSDP copied from the loader: v1 (20 bytes) or v2+ (36 bytes). */
	u8 rsdp[36];
	unsigned int rsdp_len;	/* 0: the loader gave none */
	struct boot_framebuffer fb;
	bool have_fb;
	/* Physical range of the loader's info structure, reserved until parsed. */
	u64 info_start, info_end;
};

extern struct boot_info boot_info;

#endif /* _EXO_BOOTINFO_H */
