/* SPDX-License-Identifier: MIT */
/*
 * System call machinery: MSR set-up per CPU, the dispatcher
 * (kernel/syscall_table.c), and where the x86_64 convention keeps the number
 * and the arguments in struct pt_regs: the number in orig_rax (rax is the
 * return value), the arguments in rdi, rsi, rdx, r10, r8, r9. Generic code
 * reads them only through these accessors (Linux's names).
 */
#ifndef _ASM_SYSCALL_H
#define _ASM_SYSCALL_H

#include <asm/ptrace.h>

struct task;

void syscall_init(void);
/* Runs system call @nr with the arguments in @regs; returns the result or -errno. */
long syscall_dispatch(struct pt_regs *regs, unsigned long nr);
/* fault_inject_syscall_exit() for the call @regs returns from (CONFIG_FAULT_INJECTION). */
void syscall_fault_inject_exit(const struct pt_regs *regs);

/*
 * A table entry: the six argument words in C-ABI registers. The fast path
 * of entry_SYSCALL_64 leaves rdi, rsi, rdx, r8, r9 where the user put them
 * and moves r10 (the fourth, since syscall clobbers rcx) to rcx, so no call
 * loads its arguments from pt_regs.
 */
typedef long (*syscall_fn_t)(unsigned long a1, unsigned long a2, unsigned long a3,
			     unsigned long a4, unsigned long a5, unsigned long a6);
/* NR_SYSCALLS slots, none NULL (kernel/syscall_table.c). */
extern const syscall_fn_t sys_call_table[];

/*
 * Argument @n (a literal 1 to 6) of the system call that entered with @regs;
 * SYSCALL_DEFINEn's wrappers expand it once per argument.
 */
#define SYSCALL_ARG(regs, n) __SYSCALL_ARG_##n(regs)
#define __SYSCALL_ARG_1(r) ((r)->rdi)
#define __SYSCALL_ARG_2(r) ((r)->rsi)
#define __SYSCALL_ARG_3(r) ((r)->rdx)
#define __SYSCALL_ARG_4(r) ((r)->r10)
#define __SYSCALL_ARG_5(r) ((r)->r8)
#define __SYSCALL_ARG_6(r) ((r)->r9)

/* Calls @fn with the arguments saved in @regs (the slow path, after ptrace or seccomp looked). */
static inline long syscall_call(syscall_fn_t fn, const struct pt_regs *regs)
{
	return fn(SYSCALL_ARG(regs, 1), SYSCALL_ARG(regs, 2), SYSCALL_ARG(regs, 3),
		  SYSCALL_ARG(regs, 4), SYSCALL_ARG(regs, 5), SYSCALL_ARG(regs, 6));
}

/* The number of the system call @regs entered with (@t is the task they belong to). */
static inline long syscall_get_nr(struct task *t, const struct pt_regs *regs)
{
	(void)t;
	return (long)regs->orig_rax;
}

/* Copies the six argument registers of that system call to @args[0..5]. */
static inline void syscall_get_arguments(struct task *t, const struct pt_regs *regs,
					 unsigned long *args)
{
	(void)t;
	args[0] = SYSCALL_ARG(regs, 1);
	args[1] = SYSCALL_ARG(regs, 2);
	args[2] = SYSCALL_ARG(regs, 3);
	args[3] = SYSCALL_ARG(regs, 4);
	args[4] = SYSCALL_ARG(regs, 5);
	args[5] = SYSCALL_ARG(regs, 6);
}

#endif /* _ASM_SYSCALL_H */
