// SPDX-License-Identifier: MIT
/*
 * selftest "cpu": what cpu_init() promised is in the registers. Every
 * feature CPUID reports is on in CR4/EFER/XCR0, the segment registers hold
 * the <asm/segment.h> selectors, TR points at the TSS, and loading the GDT
 * left the GS base (this CPU's cpu_info) alone.
 */
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <uapi/errno.h>

static int check(bool ok, const char *what)
{
	if (!ok)
		pr_err("selftest cpu: %s\n", what);
	return ok ? 0 : -EINVAL;
}

static int cpu_selftest(void)
{
	struct cpu_info *ci = this_cpu_info();
	struct desc_ptr gdtr, idtr;
	unsigned long cs, ss;
	int err = 0;

	__asm__ __volatile__("movq %%cs, %0; movq %%ss, %1" : "=r"(cs), "=r"(ss));
	store_gdt(&gdtr);
	store_idt(&idtr);

	err |= cpu_features_check();
	err |= check(cs == __KERNEL_CS, "CS is not __KERNEL_CS");
	err |= check(ss == __KERNEL_DS, "SS is not __KERNEL_DS");
	err |= check(store_tr() == __TSS_SEL, "TR is not the TSS selector");
	err |= check(gdtr.size == GDT_ENTRIES * 8 - 1, "GDT limit");
	err |= check(idtr.size == 256 * sizeof(struct idt_gate) - 1, "IDT limit");
	err |= check(rdmsr(MSR_GS_BASE) == (u64)ci, "GS base lost");
	err |= check(ci->tss && ci->tss->ist[IST_DF - 1], "no double-fault IST stack");
	err |= check(!(read_cr0() & X86_CR0_EM), "CR0.EM set");
	return err ? -EINVAL : 0;
}
DEFINE_SELFTEST("cpu", cpu_selftest);
