// SPDX-License-Identifier: MIT
/*
 * System call set-up and dispatch. syscall_init() programs the MSRs of this
 * CPU: LSTAR = entry_SYSCALL_64, STAR = kernel/user selector bases, SFMASK
 * clears IF, TF, DF and AC on entry (so the kernel starts with interrupts
 * off and user access closed), EFER.SCE on.
 */
#include <exo/entry.h>
#include <exo/printk.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/smap.h>
#include <asm/syscall.h>
#include <uapi/errno.h>

/* NR_SYSCALLS only. */
#define __SYSCALL(nr, entry)
#define __SYSCALL_NAME(nr, name)
#include <generated/syscall_table.h>
#undef __SYSCALL
#undef __SYSCALL_NAME

void entry_SYSCALL_64(void);
void do_syscall_64(struct pt_regs *regs, unsigned long nr);

void syscall_init(void)
{
	/*
	 * STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: base for sysret, which
	 * loads CS = base + 16 and SS = base + 8: __USER32_CS gives 0x33 / 0x2b.
	 */
	wrmsr(MSR_STAR, ((u64)__USER32_CS << 48) | ((u64)__KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_SFMASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/*
 * The slow path of entry_SYSCALL_64 (a traced or seccomp task, a number
 * past the table); the fast path does the same inline in the assembly.
 * Returns with interrupts off and the exit work done: the caller restores
 * all of pt_regs and iretqs.
 */
notrace void do_syscall_64(struct pt_regs *regs, unsigned long nr)
{
	arch_irq_enable();
	/* The only cost seccomp and ptrace add to a task without them: this test. */
	if (unlikely(READ_ONCE(current->syscall_work)))
		syscall_work_dispatch(regs, nr);
	else
		regs->rax = syscall_dispatch(regs, nr);
	syscall_exit_to_user_mode(regs);
}
