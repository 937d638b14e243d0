/* SPDX-License-Identifier: MIT */
/*
 * Registers saved on kernel entry (exceptions, interrupts, syscalls), in the
 * order Linux uses for struct pt_regs on x86_64, so that signal frames and
 * ptrace can copy it as it is. The entry code pushes them; the field order
 * is the stack order, lowest address first.
 */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#ifndef __ASSEMBLER__
struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long rbp;
	unsigned long rbx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long rax;
	unsigned long rcx;
	unsigned long rdx;
	unsigned long rsi;
	unsigned long rdi;
	/* The exception vector's error code, or the syscall number. */
	unsigned long orig_rax;
	/* Pushed by the CPU. */
	unsigned long rip;
	unsigned long cs;
	unsigned long eflags;
	unsigned long rsp;
	unsigned long ss;
};

static inline int user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}

/*
 * The accessors generic code uses instead of the field names (Linux's
 * names): the saved program counter, the user stack pointer, the frame
 * pointer a backtrace starts from, and the value a system call returns.
 */
static inline unsigned long instruction_pointer(const struct pt_regs *regs)
{
	return regs->rip;
}

static inline void instruction_pointer_set(struct pt_regs *regs, unsigned long val)
{
	regs->rip = val;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *regs)
{
	return regs->rsp;
}

static inline void user_stack_pointer_set(struct pt_regs *regs, unsigned long val)
{
	regs->rsp = val;
}

static inline unsigned long frame_pointer(const struct pt_regs *regs)
{
	return regs->rbp;
}

static inline void frame_pointer_set(struct pt_regs *regs, unsigned long val)
{
	regs->rbp = val;
}

static inline long regs_return_value(const struct pt_regs *regs)
{
	return (long)regs->rax;
}

static inline void regs_set_return_value(struct pt_regs *regs, unsigned long val)
{
	regs->rax = val;
}
#endif

#define PT_REGS_R15 0
#define PT_REGS_ORIG_RAX 120
#define PT_REGS_RIP 128
#define PT_REGS_CS 136
#define PT_REGS_SIZE 168

#endif /* _ASM_PTRACE_H */
