/* SPDX-License-Identifier: MIT */
/* System call machinery: MSR set-up per CPU and the dispatcher (kernel/syscall_table.c). */
#ifndef _ASM_SYSCALL_H
#define _ASM_SYSCALL_H

struct pt_regs;

void syscall_init(void);
/* Runs system call @nr with the arguments in @regs; returns the result or -errno. */
long syscall_dispatch(struct pt_regs *regs, unsigned long nr);

#endif /* _ASM_SYSCALL_H */
