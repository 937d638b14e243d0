// SPDX-License-Identifier: MIT
/*
 * setup_arch: turn what the boot loader said into kernel state. Parses the
 * command line, reports the firmware memory map, and hands RAM to the
 * memory subsystem.
 */
#include <exo/kernel.h>
#include <exo/bootinfo.h>
#include <exo/cmdline.h>
#include <exo/memblock.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sections.h>
#include <exo/string.h>
#include <exo/acpi.h>
#include <exo/irq.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/i8259.h>
#include <asm/paging.h>
#include <asm/smap.h>
#include <asm/smp.h>
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

/* Below 1 MiB: BIOS data, the EBDA, option ROMs, and later the AP start-up trampoline. */
#define LOW_MEMORY_RESERVED 0x100000UL
/* The boot page tables map the first 4 GiB; early allocations must stay there. */
#define EARLY_MAPPED_LIMIT (4UL << 30)

static phys_addr_t pgtable_page_from_memblock(void)
{
	phys_addr_t phys = memblock_alloc(PAGE_SIZE, PAGE_SIZE);

	if (phys)
		memset(phys_to_virt(phys), 0, PAGE_SIZE);
	return phys;
}

static void memblock_setup(void)
{
	memblock_init();
	for (unsigned int i = 0; i < boot_info.nr_mem; i++)
		if (boot_info.mem[i].type == BOOT_MEM_AVAILABLE &&
		    memblock_add(boot_info.mem[i].base, boot_info.mem[i].length))
			pr_warn("memblock: region table full, RAM at %#lx ignored\n",
				(unsigned long)boot_info.mem[i].base);
	memblock_reserve(0, LOW_MEMORY_RESERVED);
	memblock_reserve(virt_to_phys(_kernel_start), _kernel_end - _kernel_start);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		memblock_reserve(boot_info.modules[i].start,
				 boot_info.modules[i].end - boot_info.modules[i].start);
	memblock_set_limit(EARLY_MAPPED_LIMIT);
	pgtable_set_allocator(pgtable_page_from_memblock);
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
	memblock_setup();
	paging_init();
	smap_patch_sites();
}

void arch_late_init(void)
{
	acpi_init();
	lapic_init();
	ioapic_init();
	early_irq_init();
	tsc_init();
	lapic_timer_init();
#ifdef CONFIG_SMP
	smp_boot_cpus();
#endif
}
