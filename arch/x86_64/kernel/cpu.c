// SPDX-License-Identifier: MIT
/*
 * cpu_init(): everything one CPU needs before it may take an exception or
 * an interrupt (<asm/cpu.h>). On the boot CPU it also runs the one-time
 * steps: CPUID detection and building the shared IDT. Order matters only in
 * that the IDT must be loaded before anything can fault, and features are
 * enabled last so that a #GP from a bad CR4 write is reported, not a triple
 * fault.
 */
#include <asm/cpu.h>
#include <asm/syscall.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <exo/percpu.h>

static bool cpu_boot_done;	/* [boot cpu] one-time set-up finished */

void cpu_init(struct cpu_info *ci)
{
	if (!cpu_boot_done) {
		cpu_detect();
		idt_init();
		cpu_boot_done = true;
	}
	gdt_init_cpu(ci);
	idt_load();
	cpu_features_enable();
	syscall_init();
}
