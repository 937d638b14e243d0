// SPDX-License-Identifier: MIT
/*
 * Bringing up the application processors (SDM vol. 3A, 9.4: the
 * INIT-SIPI-SIPI sequence; ACPI MADT for the list of CPUs).
 *
 * For each enabled CPU in the MADT, up to NR_CPUS: allocate its cpu_info,
 * IST stacks (with unmapped guard pages) and idle task, fill the
 * trampoline's data block, send INIT, wait 10 ms, send a Startup IPI, wait
 * 200 us, send a second one, and wait up to a second for the AP to mark
 * itself online. One AP at a time, because they share the trampoline.
 *
 * The AP comes out of trampoline.S in long mode on a temporary page table
 * (identity map of the first 1 GiB, for the trampoline's own page, plus the
 * kernel half of init_pml4) and continues in ap_start_kernel().
 */
#include <exo/acpi.h>
#include <exo/cmdline.h>
#include <exo/cpumask.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <exo/time.h>
#include <exo/vmalloc.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/irqflags.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>

#define INIT_DEASSERT_WAIT_MS 10
#define SIPI_WAIT_US 200
#define AP_ONLINE_WAIT_MS 1000
#define IDENTITY_PD_ENTRIES 512		/* 512 x 2 MiB: the first 1 GiB */

void ap_start_kernel(struct cpu_info *ci);

static phys_addr_t trampoline_pgd;

/* A zeroed page below 4 GiB: the trampoline loads CR3 from a 32-bit field. */
static u64 *alloc_low_table(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_DMA32);

	return page ? page_address(page) : NULL;
}

static int trampoline_pgd_build(void)
{
	u64 *pml4 = alloc_low_table(), *pdpt = alloc_low_table(), *pd = alloc_low_table();
	const u64 *kernel = phys_to_virt(arch_kernel_pgd_phys());

	if (!pml4 || !pdpt || !pd)
		return -ENOMEM;
	for (unsigned int i = PTRS_PER_TABLE / 2; i < PTRS_PER_TABLE; i++)
		pml4[i] = kernel[i];
	for (unsigned int i = 0; i < IDENTITY_PD_ENTRIES; i++)
		pd[i] = ((u64)i << PMD_SHIFT) | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	pdpt[0] = virt_to_phys(pd) | _PAGE_PRESENT | _PAGE_RW;
	pml4[0] = virt_to_phys(pdpt) | _PAGE_PRESENT | _PAGE_RW;
	trampoline_pgd = virt_to_phys(pml4);
	return 0;
}

static struct cpu_info *cpu_info_alloc(unsigned int cpu, u32 apic_id)
{
	struct cpu_info *ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	struct exception_stacks *stacks;

	if (!ci)
		return ERR_PTR(-ENOMEM);
	stacks = vzalloc(sizeof(*stacks));
	if (!stacks) {
		kfree(ci);
		return ERR_PTR(-ENOMEM);
	}
	/*
	 * The guard page of each IST stack must fault, as the boot CPU's do. Only
	 * this CPU has touched the fresh area (zeroing it), so a local flush is
	 * all the unmapping needs.
	 */
	for (unsigned int i = 0; i < NR_IST_STACKS; i++)
		arch_unmap_kernel_range((unsigned long)stacks->ist[i].guard, PAGE_SIZE);
	ci->cpu = cpu;
	ci->apic_id = apic_id;
	ci->exception_stacks = stacks;
	return ci;
}

/* Runs on the AP, first C code, on its idle task's stack. */
void ap_start_kernel(struct cpu_info *ci)
{
	arch_cpu_info_install(ci);
	arch_switch_to_kernel_mm();
	cpu_init(ci);
	lapic_init_secondary();
	sched_init_secondary(ci->current_task);
	if (lapic_timer_init())
		pr_warn("smp: CPU %u has no timer tick\n", ci->cpu);
	cpumask_set_cpu(ci->cpu, &cpu_online_mask);
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ci->online, true, __ATOMIC_RELEASE);
	local_irq_enable();
	cpu_idle_loop();
}

static int boot_one_cpu(unsigned int cpu, u32 apic_id)
{
	struct trampoline_data *td = phys_to_virt(TRAMPOLINE_PHYS +
						  (trampoline_data - trampoline_start));
	struct cpu_info *ci = cpu_info_alloc(cpu, apic_id);
	struct task *idle;
	u64 deadline;

	if (IS_ERR(ci))
		return PTR_ERR(ci);
	idle = idle_task_create(cpu);
	if (IS_ERR(idle))
		return PTR_ERR(idle);
	ci->current_task = idle;
	cpu_infos[cpu] = ci;

	td->cr3 = (u32)trampoline_pgd;
	td->efer = (u32)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE));
	/* Below the pt_regs area, 16-byte aligned as a call site expects (+8 for the "return address"). */
	td->stack = ((unsigned long)task_pt_regs(idle) & ~15UL) - 8;
	td->entry = (u64)ap_start_kernel;
	td->arg = (u64)ci;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_init(apic_id);
	mdelay(INIT_DEASSERT_WAIT_MS);
	lapic_send_startup(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
	udelay(SIPI_WAIT_US);
	if (!__atomic_load_n(&ci->online, __ATOMIC_ACQUIRE))
		lapic_send_startup(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);

	deadline = ktime_get_ns() + AP_ONLINE_WAIT_MS * NSEC_PER_MSEC;
	while (!__atomic_load_n(&ci->online, __ATOMIC_ACQUIRE)) {
		if (ktime_get_ns() > deadline) {
			cpu_infos[cpu] = NULL;
			pr_err("smp: CPU %u (APIC id %u) did not come up; continuing without it\n",
			       cpu, apic_id);
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	return 0;
}

void smp_boot_cpus(void)
{
	unsigned int n = acpi_cpu_count(), next = 1;
	u32 self = lapic_id();

	cpu_infos[0]->apic_id = self;
	smp_ipi_init();
	if (NR_CPUS == 1 || cmdline_has("nosmp") || n <= 1) {
		pr_info("smp: 1 CPU online%s\n", n > 1 ? " (nosmp)" : "");
		return;
	}
	memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start, trampoline_end - trampoline_start);
	if (trampoline_pgd_build()) {
		pr_err("smp: no memory below 4 GiB for the start-up page table; 1 CPU online\n");
		return;
	}
	for (unsigned int i = 0; i < n && next < NR_CPUS; i++) {
		u32 apic_id = acpi_cpu_apic_id(i);

		if (apic_id == self)
			continue;
		if (!boot_one_cpu(next, apic_id))
			next++;
	}
	if (n > NR_CPUS)
		pr_warn("smp: %u CPUs present, CONFIG_NR_CPUS=%d used\n", n, NR_CPUS);
	pr_info("smp: %u CPUs online\n", nr_cpus_online);
}
