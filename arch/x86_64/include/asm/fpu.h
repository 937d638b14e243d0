/* SPDX-License-Identifier: MIT */
/* Per-task FPU state areas (arch/x86_64/kernel/fpu.c). */
#ifndef _ASM_FPU_H
#define _ASM_FPU_H

#include <exo/compiler.h>
#include <exo/types.h>
#include <asm/cpufeature.h>

/* Sizes the area cache from what cpu_init() enabled; once, after slab_init. 0 or -ENOMEM. */
int fpu_init(void);
void *fpu_alloc(void);
void fpu_free(void *area);
void fpu_init_state(void *area);
/*
 * Saves this CPU's live FPU registers into @area / loads them from it.
 * Inline: the context switch runs them on every switch between user tasks.
 * XSAVE (boot_cpu_data.xcr0 set) when cpu_init() enabled it, else FXSAVE.
 */
/* @xcr0: boot_cpu_data.xcr0, which a caller doing more than one save or restore reads once. */
static __always_inline void __fpu_save(void *area, u64 xcr0)
{
	if (xcr0) {
		u32 lo = (u32)xcr0, hi = (u32)(xcr0 >> 32);

		if (boot_cpu_has(X86_FEATURE_XSAVEOPT))
			__asm__ __volatile__("xsaveopt64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
		else
			__asm__ __volatile__("xsave64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	} else {
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
	}
}

static __always_inline void fpu_save(void *area)
{
	__fpu_save(area, boot_cpu_data.xcr0);
}

static __always_inline void __fpu_restore(const void *area, u64 xcr0)
{
	if (xcr0) {
		u32 lo = (u32)xcr0, hi = (u32)(xcr0 >> 32);

		__asm__ __volatile__("xrstor64 (%0)" : : "r"(area), "a"(lo), "d"(hi) : "memory");
	} else {
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(area) : "memory");
	}
}
static __always_inline void fpu_restore(const void *area)
{
	__fpu_restore(area, boot_cpu_data.xcr0);
}

/* Loads the power-on state into this CPU's live FPU registers (the task's area is not touched). */
void fpu_restore_init_state(void);
unsigned int fpu_state_size(void);
/* ptrace: a switched-out task's x87/SSE state as the 512-byte FXSAVE image; set: 0 or -EINVAL. */
void fpu_fxsave_get(const void *area, void *buf);
int fpu_fxsave_set(void *area, const void *buf);

/* Bytes the FPU state takes in a signal frame (XSAVE area + magic2); 64-byte aligned there. */
unsigned int fpu_sigframe_size(void);
/* Saves the current task's live FPU state to a signal frame at @buf; 0 or -EFAULT. */
int fpu_sigframe_save(void __user *buf);
/* Loads the FPU state from a signal frame; 0, -EFAULT (unreadable or invalid) or -ENOMEM. */
int fpu_sigframe_restore(const void __user *buf);

#endif /* _ASM_FPU_H */
