// SPDX-License-Identifier: MIT
/*
 * Context switch and the initial kernel stack of new tasks.
 *
 * Every task's kernel stack ends with room for a struct pt_regs: entries
 * from user mode (syscall, interrupt, exception) save the user registers
 * there, so task_pt_regs() finds them. TSS.rsp0 and cpu_info->kernel_stack
 * point at the top of the running task's stack.
 *
 * A new task's stack also holds a switch frame right below pt_regs, shaped
 * like the one __switch_to_asm pushes, whose return address is
 * ret_from_fork (entry_64.S): the first switch into the task "returns" there.
 */
#include <exo/compiler.h>
#include <exo/entry.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/irqflags.h>
#include <asm/memlayout.h>
#include <asm/mmu.h>
#include <exo/mmap.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>

/* Callee-saved registers in __switch_to_asm's push order, then its return address. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

struct task *__switch_to_asm(struct task *prev, struct task *next);
void ret_from_fork(void);

BUILD_BUG_ON(__builtin_offsetof(struct task, thread.rsp) != 0);
BUILD_BUG_ON(sizeof(struct pt_regs) != PT_REGS_SIZE);

static unsigned long task_stack_top(const struct task *t)
{
	return (unsigned long)t->stack + KERNEL_STACK_SIZE;
}

struct pt_regs *task_pt_regs(struct task *t)
{
	return (struct pt_regs *)task_stack_top(t) - 1;
}

int arch_task_alloc(struct task *t)
{
	t->thread.fpu = fpu_alloc();
	if (!t->thread.fpu)
		return -ENOMEM;
	fpu_init_state(t->thread.fpu);
	return 0;
}

void arch_task_free(struct task *t)
{
	fpu_free(t->thread.fpu);
}

static struct switch_frame *task_switch_frame(struct task *t)
{
	struct switch_frame *frame = (struct switch_frame *)task_pt_regs(t) - 1;

	memset(frame, 0, sizeof(*frame));
	frame->ret_addr = (unsigned long)ret_from_fork;
	t->thread.rsp = (unsigned long)frame;
	return frame;
}

void arch_kthread_setup(struct task *t, int (*fn)(void *), void *arg)
{
	struct switch_frame *frame = task_switch_frame(t);

	/* ret_from_fork calls rbx(r12) when rbx is set. */
	frame->rbx = (unsigned long)fn;
	frame->r12 = (unsigned long)arg;
}

void arch_fork_setup(struct task *child, const struct pt_regs *regs, unsigned long sp,
		     unsigned long tls)
{
	struct pt_regs *child_regs = task_pt_regs(child);

	task_switch_frame(child);
	*child_regs = *regs;
	if (sp)
		child_regs->rsp = sp;
	/* The parent runs now, so its FPU registers are its state: copy them. */
	fpu_save(child->thread.fpu);
	child->thread.fsbase = tls ? tls : rdmsr(MSR_FS_BASE);
	child->thread.gsbase = rdmsr(MSR_KERNEL_GS_BASE);
}

/*
 * The task's area needs no reset: it is only read when the task is switched
 * back in, and switching it out saves the live registers there first.
 */
void fpu_reset_current(void)
{
	fpu_restore_init_state();
}

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	struct task *t = current;

	t->thread.fsbase = 0;
	t->thread.gsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	memset(regs, 0, sizeof(*regs));
	regs_changed_set(t);
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->eflags = X86_EFLAGS_IF | X86_EFLAGS_FIXED;
}

/*
 * The user FS and GS bases, which user space may change itself
 * (wrfsbase/wrgsbase) when CR4.FSGSBASE is on (whenever the CPU has it:
 * cpu_features_enable()): then rd/wr{fs,gs}base instead of an MSR access.
 * @fsgsbase is boot_cpu_has(X86_FEATURE_FSGSBASE), read once per switch.
 * After the kernel's swapgs the user GS base sits in MSR_KERNEL_GS_BASE;
 * swapgs around rdgsbase/wrgsbase reaches it: interrupts are off, and the
 * IST vectors that can still come (NMI, #MC, #DB) save and restore GS_BASE
 * as they find it (idt_entry.S), so a window with the user's base loaded
 * is safe for them too.
 */
static __always_inline unsigned long user_base_read(bool fsgsbase, bool gs)
{
	unsigned long v;

	if (!fsgsbase)
		return rdmsr(gs ? MSR_KERNEL_GS_BASE : MSR_FS_BASE);
	if (gs)
		__asm__ __volatile__("swapgs; rdgsbase %0; swapgs" : "=r"(v) : : "memory");
	else
		__asm__ __volatile__("rdfsbase %0" : "=r"(v));
	return v;
}

static __always_inline void user_base_write(bool fsgsbase, bool gs, unsigned long v)
{
	if (!fsgsbase)
		wrmsr(gs ? MSR_KERNEL_GS_BASE : MSR_FS_BASE, v);
	else if (gs)
		__asm__ __volatile__("swapgs; wrgsbase %0; swapgs" : : "r"(v) : "memory");
	else
		__asm__ __volatile__("wrfsbase %0" : : "r"(v) : "memory");
}

/*
 * The CPU features a switch tests are read once into locals: the asm
 * statements' memory clobbers would otherwise reload each from
 * boot_cpu_data at every use. The page table switch is inline
 * (arch_switch_user_mm: no call, no NULL test).
 */
struct task *context_switch(struct task *prev, struct task *next)
{
	struct cpu_info *ci = this_cpu_info();
	bool fsgsbase = boot_cpu_has(X86_FEATURE_FSGSBASE);
	u64 xcr0 = boot_cpu_data.xcr0;

	if (prev->mm) {
		prev->thread.fsbase = user_base_read(fsgsbase, false);
		prev->thread.gsbase = user_base_read(fsgsbase, true);
		__fpu_save(prev->thread.fpu, xcr0);
	}
	if (next->mm) {
		arch_switch_user_mm(next->mm);
		user_base_write(fsgsbase, false, next->thread.fsbase);
		user_base_write(fsgsbase, true, next->thread.gsbase);
		__fpu_restore(next->thread.fpu, xcr0);
	}
	ci->kernel_stack = ci->tss->rsp[0] = task_stack_top(next);
	ci->current_task = next;
	return __switch_to_asm(prev, next);
}

/*
 * arch_prctl: the FS and GS bases of user mode (TLS). A base must be a user
 * address: Linux refuses anything at or above the end of user space with
 * EPERM. While in the kernel, the user GS base sits in MSR_KERNEL_GS_BASE.
 */
SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	struct task *t = current;
	unsigned long val;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_SPACE_END)
			return -EPERM;
		t->thread.fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_SET_GS:
		if (addr >= USER_SPACE_END)
			return -EPERM;
		t->thread.gsbase = addr;
		wrmsr(MSR_KERNEL_GS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		val = rdmsr(MSR_FS_BASE);
		return put_user(val, (unsigned long __user *)addr);
	case ARCH_GET_GS:
		val = rdmsr(MSR_KERNEL_GS_BASE);
		return put_user(val, (unsigned long __user *)addr);
	default:
		return -EINVAL;
	}
}
