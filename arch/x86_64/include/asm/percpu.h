/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. Each CPU's GS base points at its struct cpu_info while in
 * kernel mode, so the CPU number and the current task are one %gs-relative
 * load away. Generic code uses <exo/percpu.h>.
 */
#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#include <exo/types.h>
#include <asm/traps.h>

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
	unsigned long trap_counts[NR_EXCEPTION_VECTORS]; /* [this cpu] see trap_count() */
};

#define CPU_INFO_SELF 0
#define CPU_INFO_CPU 8
#define CPU_INFO_CURRENT_TASK 32
_Static_assert(__builtin_offsetof(struct cpu_info, current_task) == CPU_INFO_CURRENT_TASK,
	       "CPU_INFO_CURRENT_TASK is the offset of current_task");

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

/*
 * Volatile: a task that sleeps may wake on another CPU, so this CPU's area
 * must be looked up again after any call that can schedule; a cached
 * pointer would name the old CPU (and its current_task, another task).
 */
static inline __attribute__((always_inline)) struct cpu_info *arch_cpu_info(void)
{
	struct cpu_info *ci;

	__asm__ __volatile__("movq %%gs:%c1, %0" : "=r"(ci) : "i"(CPU_INFO_SELF));
	return ci;
}

/*
 * The running task in one load. Not volatile: whichever CPU a task runs
 * on, this reads the task itself, so the compiler may reuse the value.
 */
static inline __attribute__((always_inline)) struct task *arch_current_task(void)
{
	struct task *t;

	__asm__("movq %%gs:%c1, %0" : "=r"(t) : "i"(CPU_INFO_CURRENT_TASK));
	return t;
}

/* Makes @ci this CPU's per-CPU area (writes the GS base MSR). */
void arch_cpu_info_install(struct cpu_info *ci);

#endif /* _ASM_PERCPU_H */
