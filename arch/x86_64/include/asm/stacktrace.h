/* SPDX-License-Identifier: MIT */
/* Register dumps and frame-pointer backtraces, for panic and exception reports. */
#ifndef _ASM_STACKTRACE_H
#define _ASM_STACKTRACE_H

struct pt_regs;

/* Prints every register of @regs (and CR0/2/3/4). */
void show_regs(const struct pt_regs *regs);
/* Prints the call chain starting at @rip with frame pointer @rbp, symbolized. */
void show_backtrace(unsigned long rip, unsigned long rbp);
/* The kernel stack of a task that is switched out, from what __switch_to_asm saved. */
struct task;
void show_task_backtrace(const struct task *t);
/* Fills @regs with the caller's registers (enough for show_regs and a backtrace). */
void arch_capture_regs(struct pt_regs *regs);

#endif /* _ASM_STACKTRACE_H */
