// SPDX-License-Identifier: MIT
/*
 * First C code on the boot CPU. head.S calls x86_64_start_kernel() in the
 * higher half on the boot stack, with the boot page tables still loaded.
 * Here the boot CPU gets its per-CPU area (so smp_processor_id() works in
 * spinlocks and printk) and its console, then generic start_kernel() runs.
 */
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/serial.h>
#include <asm/multiboot2.h>
#include <asm/pvh.h>
#include <asm/processor.h>

static struct cpu_info boot_cpu_info;

void arch_cpu_info_install(struct cpu_info *ci)
{
	ci->self = ci;
	wrmsr(MSR_GS_BASE, (u64)ci);
}

void x86_64_start_kernel(u32 mb2_magic, u32 mb2_info);

void x86_64_start_kernel(u32 mb2_magic, u32 mb2_info)
{
	boot_cpu_info.cpu = 0;
	boot_cpu_info.online = true;
	arch_cpu_info_install(&boot_cpu_info);
	cpu_infos[0] = &boot_cpu_info;

	serial_early_init();
	if (mb2_magic == XEN_HVM_START_MAGIC)
		pvh_parse(mb2_info);
	else
		multiboot2_parse(mb2_magic, mb2_info);
	start_kernel();
}
