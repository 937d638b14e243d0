// SPDX-License-Identifier: MIT
/*
 * Self-test "boot": what the Multiboot2 parser extracted is complete and
 * consistent (memory map, initramfs module, command line, ACPI RSDP).
 */
#include <exo/bootinfo.h>
#include <exo/cmdline.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/string.h>
#include <uapi/errno.h>

#define ST_CHECK(cond)                                                   \
	do {                                                             \
		if (!(cond)) {                                           \
			pr_err("selftest boot: check failed: %s\n", #cond); \
			return -EINVAL;                                  \
		}                                                        \
	} while (0)

static int boot_info_selftest(void)
{
	bool have_ram = false;

	ST_CHECK(boot_info.nr_mem > 0);
	for (unsigned int i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == BOOT_MEM_AVAILABLE && boot_info.mem[i].length)
			have_ram = true;
	ST_CHECK(have_ram);
	ST_CHECK(boot_info.loader_name && !strncmp(boot_info.loader_name, "GRUB", 4));
	ST_CHECK(cmdline_has("selftest"));
	ST_CHECK(cmdline_has("console"));
	ST_CHECK(boot_info.nr_modules == 1);
	ST_CHECK(boot_info.modules[0].end > boot_info.modules[0].start);
	ST_CHECK(!strcmp(boot_info.modules[0].cmdline, "initramfs"));
	ST_CHECK(boot_info.rsdp_len >= 20 && !memcmp(boot_info.rsdp, "RSD PTR ", 8));
	return 0;
}
DEFINE_SELFTEST("boot", boot_info_selftest);
