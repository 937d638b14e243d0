/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU's GS base points at its struct cpu_info while in
 * kernel mode, so the CPU number and the current task are one %gs-relative
 * load away. Generic code uses <exo/percpu.h>.
 */
#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#include <exo/types.h>

struct task;
struct tss;
struct exception_stacks;

struct cpu_info {
	struct cpu_info *self;		/* [immutable] for %gs:0 -> pointer */
	unsigned int cpu;		/* [immutable] logical CPU number */
	unsigned int apic_id;		/* [immutable] */
	unsigned long kernel_stack;	/* [this cpu] top of the current task's kernel stack */
	unsigned long user_rsp;		/* [this cpu] scratch for the syscall entry */
	struct task *current_task;	/* [this cpu] the running task; read it as `current` */
	struct tss *tss;		/* [immutable] */
	u64 ticks;			/* [this cpu] timer interrupts taken */
	bool online;			/* [atomic] */
	struct exception_stacks *exception_stacks; /* [immutable] IST stacks, see <asm/desc.h> */
};

#define CPU_INFO_SELF 0
#define CPU_INFO_CPU 8

/*
 * Returned as unsigned long so that indexing per-CPU arrays needs no extra
 * zero-extension: movl to a 32-bit register already clears the upper half.
 */
static inline __attribute__((always_inline)) unsigned long arch_cpu_id(void)
{
	unsigned long cpu;

	__asm__ __volatile__("movl %%gs:%c1, %k0" : "=r"(cpu) : "i"(CPU_INFO_CPU));
	return cpu;
}

static inline __attribute__((always_inline)) struct cpu_info *arch_cpu_info(void)
{
	struct cpu_info *ci;

	__asm__("movq %%gs:%c1, %0" : "=r"(ci) : "i"(CPU_INFO_SELF));
	return ci;
}

/* Makes @ci this CPU's per-CPU area (writes the GS base MSR). */
void arch_cpu_info_install(struct cpu_info *ci);

#endif /* _ASM_PERCPU_H */
