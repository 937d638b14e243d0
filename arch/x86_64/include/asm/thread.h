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

struct pt_regs;

/*
 * Sets the current task up to enter a new program at @ip with stack @sp
 * (execve): @regs (its task_pt_regs()) gets the user segments and flags and
 * nothing else, and the TLS bases are cleared.
 */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);

#endif /* _ASM_THREAD_H */
