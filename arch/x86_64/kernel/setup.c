// SPDX-License-Identifier: MIT
/*
 * setup_arch: turn what the boot loader said into kernel state. Parses the
 * command line, reports the firmware memory map, and hands RAM to the
 * memory subsystem.
 */
#include <exo/kernel.h>
#include <exo/bootinfo.h>
#include <exo/cmdline.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/acpi.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/i8259.h>
#include <asm/paging.h>
#include <asm/tsc.h>

static const char *const mem_type_names[] = {
	[BOOT_MEM_AVAILABLE] = "usable",
	[BOOT_MEM_RESERVED] = "reserved",
	[BOOT_MEM_ACPI_RECLAIMABLE] = "ACPI data",
	[BOOT_MEM_ACPI_NVS] = "ACPI NVS",
	[BOOT_MEM_BAD] = "unusable",
};

static void print_memory_map(void)
{
	for (unsigned int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		const char *type = r->type < ARRAY_SIZE(mem_type_names) && mem_type_names[r->type] ?
					   mem_type_names[r->type] : "reserved";

		pr_info("BIOS-e820: [mem %#018lx-%#018lx] %s\n", (unsigned long)r->base,
			(unsigned long)(r->base + r->length - 1), type);
	}
}

void setup_arch(void)
{
	i8259_disable();
	pr_info("Command line: %s\n", boot_command_line);
	if (boot_info.loader_name)
		pr_info("Boot loader: %s\n", boot_info.loader_name);
	parse_early_params();
	cpu_init(this_cpu_info());
	arch_print_cpu_summary();
	print_memory_map();
	paging_init();
}

void arch_late_init(void)
{
	acpi_init();
	lapic_init();
	ioapic_init();
	tsc_init();
	lapic_timer_init();
}
