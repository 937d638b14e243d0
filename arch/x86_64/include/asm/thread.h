/* SPDX-License-Identifier: MIT */
/*
 * Per-task CPU state the context switch saves. Callee-saved registers live
 * on the task's kernel stack; only the stack pointer is kept here, with the
 * user FS base (TLS) and the FPU/XSAVE area.
 */
#ifndef _ASM_THREAD_H
#define _ASM_THREAD_H

#include <exo/types.h>

struct thread_struct {
	unsigned long rsp;		/* kernel stack pointer while switched out */
	unsigned long fsbase;		/* user FS base (arch_prctl ARCH_SET_FS) */
	unsigned long gsbase;		/* user GS base (kernel GS base while in kernel) */
	void *fpu;			/* XSAVE area, boot_cpu_data.xsave_size bytes, 64-aligned */
};

#endif /* _ASM_THREAD_H */
