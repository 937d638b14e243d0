// SPDX-License-Identifier: MIT
/*
 * Register dumps and backtraces. Frames are walked through the saved-%rbp
 * chain (the kernel is built with -fno-omit-frame-pointer): [rbp] holds the
 * caller's rbp and [rbp+8] the return address. Every frame pointer is checked
 * to lie in kernel memory and to grow upward before it is dereferenced, so a
 * corrupt stack ends the trace instead of faulting inside the fault report.
 */
#include <asm/memlayout.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <exo/printk.h>
#include <exo/sched.h>

#define BACKTRACE_MAX_DEPTH 32

void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04lx:%pS\n", r->cs, (void *)r->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx ORIG_RAX: %016lx\n", r->ss, r->rsp,
	       r->eflags, r->orig_rax);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(),
	       read_cr2(), read_cr3(), read_cr4());
}

static bool frame_pointer_valid(unsigned long fp)
{
	return fp >= DIRECT_MAP_BASE && (fp & 7) == 0 && fp < ~0UL - 16;
}

void show_backtrace(unsigned long rip, unsigned long rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " [<%016lx>] %pS\n", rip, (void *)rip);
	for (int depth = 0; depth < BACKTRACE_MAX_DEPTH && frame_pointer_valid(rbp); depth++) {
		unsigned long next = ((unsigned long *)rbp)[0];
		unsigned long ret = ((unsigned long *)rbp)[1];

		if (ret < KERNEL_VMA)
			break;
		/* Return addresses point after the call; -1 names the calling function. */
		printk(KERN_EMERG " [<%016lx>] %pS\n", ret, (void *)(ret - 1));
		if (next <= rbp)
			break;
		rbp = next;
	}
}

/*
 * __switch_to_asm pushed %rbp, %rbx, %r12-%r15 under its return address and
 * saved %rsp: [r15 r14 r13 r12 rbx rbp ret]. The return address is in the
 * scheduler; the saved %rbp starts the chain of its callers.
 */
void show_task_backtrace(const struct task *t)
{
	const unsigned long *frame = (const unsigned long *)READ_ONCE(t->thread.rsp);

	if (!frame_pointer_valid((unsigned long)frame))
		return;
	show_backtrace(frame[6], frame[5]);
}

void __noinline arch_capture_regs(struct pt_regs *r)
{
	unsigned long *frame = __builtin_frame_address(0);

	__asm__ __volatile__("movq %%rbx, %0; movq %%r12, %1; movq %%r13, %2; movq %%r14, %3; movq %%r15, %4"
			     : "=m"(r->rbx), "=m"(r->r12), "=m"(r->r13), "=m"(r->r14), "=m"(r->r15));
	/* Describe the caller: its rbp and the address it will return to. */
	r->rbp = frame[0];
	r->rip = frame[1];
	r->rsp = (unsigned long)(frame + 2);
	__asm__ __volatile__("movq %%cs, %0; movq %%ss, %1" : "=r"(r->cs), "=r"(r->ss));
	r->eflags = read_rflags();
}
