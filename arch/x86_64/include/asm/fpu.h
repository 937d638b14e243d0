/* SPDX-License-Identifier: MIT */
/* Per-task FPU state areas (arch/x86_64/kernel/fpu.c). */
#ifndef _ASM_FPU_H
#define _ASM_FPU_H

/* Sizes the area cache from what cpu_init() enabled; once, after slab_init. 0 or -ENOMEM. */
int fpu_init(void);
void *fpu_alloc(void);
void fpu_free(void *area);
void fpu_init_state(void *area);
/* Saves this CPU's live FPU registers into @area / loads them from it. */
void fpu_save(void *area);
void fpu_restore(const void *area);
unsigned int fpu_state_size(void);

#endif /* _ASM_FPU_H */
