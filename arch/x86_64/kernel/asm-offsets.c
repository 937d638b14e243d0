// SPDX-License-Identifier: MIT
/*
 * The numbers the entry assembly needs from C (struct offsets, the table
 * size), as Linux's asm-offsets.c: the Makefile compiles this file to
 * assembly only, never links it, and turns each "->NAME value" marker into
 * a #define of include/generated/asm-offsets.h. A field that moves moves
 * the assembly's offset with it.
 */
#include <exo/sched.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>

#define __SYSCALL(nr, entry)
#define __SYSCALL_NAME(nr, name)
#include <generated/syscall_table.h>
#undef __SYSCALL
#undef __SYSCALL_NAME

#define DEFINE(sym, val) __asm__ __volatile__("\n.ascii \"->" #sym " %c0\"" : : "i"(val))
#define OFFSET(sym, type, member) DEFINE(sym, __builtin_offsetof(struct type, member))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(CPU_INFO_KERNEL_STACK, cpu_info, kernel_stack);
	OFFSET(CPU_INFO_USER_RSP, cpu_info, user_rsp);
	/* percpu.h's CPU_INFO_CURRENT_TASK is a C macro: a name of its own here. */
	OFFSET(CPU_INFO_CURRENT, cpu_info, current_task);
	OFFSET(TASK_SYSCALL_WORK, task, syscall_work);
	OFFSET(TASK_EXIT_WORK, task, exit_work);
	OFFSET(PT_REGS_RAX, pt_regs, rax);
	DEFINE(NR_SYSCALLS, NR_SYSCALLS);
}
