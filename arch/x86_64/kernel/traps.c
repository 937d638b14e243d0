// SPDX-License-Identifier: MIT
/*
 * CPU exceptions, vectors 0-31: do_exception() is called by idt_entry.S
 * with a full struct pt_regs and interrupts off.
 *
 * What happens in kernel mode:
 *   #BP, #DB   logged, execution continues (int3 as a cheap "got here").
 *   NMI        halts this CPU for good if another CPU asked all to stop
 *              (panic), else logged.
 *   #PF, others  an exception-table fixup (<asm/extable.h>) if the faulting
 *              instruction has one; otherwise an Oops: a Linux-shaped report
 *              (the page-fault lines, "Oops: <name>: <error code> [#1]",
 *              registers, backtrace) and panic.
 *   #DF, #MC   always fatal.
 *   #PF on a user address: the memory manager first (handle_mm_fault), for
 *              user mode and for the kernel inside a user copy; what it
 *              cannot resolve becomes a signal for user mode, and the
 *              fixup/Oops path for the kernel.
 *   other exceptions from user mode become the signal Linux sends for them
 *              (user_exception_signal); they never reach the Oops path.
 */
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/irqflags.h>
#include <asm/memlayout.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <asm/cpufeature.h>
#include <exo/fault-inject.h>
#include <exo/mmap.h>
#include <exo/panic.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <uapi/errno.h>

/* DR6 value with no debug condition recorded (vol. 3B, 18.2.3). */
#define DR6_RESERVED 0xffff0ff0UL

#ifdef CONFIG_SMP
#define OOPS_SMP " SMP"
#else
#define OOPS_SMP ""
#endif

static const char *const exception_names[NR_EXCEPTION_VECTORS] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_NMI] = "nmi",
	[X86_TRAP_BP] = "int3",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bounds",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "device not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_OLD_MF] = "coprocessor segment overrun",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection fault",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_MF] = "coprocessor error",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "simd floating point exception",
	[X86_TRAP_VE] = "virtualization exception",
	[X86_TRAP_CP] = "control protection fault",
	[X86_TRAP_HV] = "hypervisor injection",
	[X86_TRAP_VC] = "VMM communication",
	[X86_TRAP_SX] = "security exception",
};

static unsigned int oops_count;				/* [atomic] */

bool cpu_stop_requested;					/* [atomic] */
static unsigned int cpu_stop_requester;			/* [atomic] valid once the flag is set */

static const char *exception_name(unsigned long vector)
{
	return exception_names[vector] ? exception_names[vector] : "reserved exception";
}

unsigned long trap_count(unsigned int vector)
{
	unsigned long n = 0;

	if (vector >= NR_EXCEPTION_VECTORS)
		return 0;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_infos[cpu])
			n += READ_ONCE(cpu_infos[cpu]->trap_counts[vector]);
	return n;
}

void cpu_stop_request(void)
{
	__atomic_store_n(&cpu_stop_requester, smp_processor_id(), __ATOMIC_RELAXED);
	__atomic_store_n(&cpu_stop_requested, true, __ATOMIC_RELEASE);
}

/* The Oops report and panic; regs describe the faulting context. */
static void __noreturn die(struct pt_regs *regs, unsigned long vector)
{
	unsigned int n = __atomic_add_fetch(&oops_count, 1, __ATOMIC_RELAXED);

	printk(KERN_EMERG "Oops: %s: %04lx [#%u]%s\n", exception_name(vector), regs->orig_rax, n,
	       OOPS_SMP);
	printk(KERN_EMERG "CPU: %lu vector: %lu error code: %#lx\n", smp_processor_id(), vector,
	       regs->orig_rax);
	panic_regs(regs, "Fatal exception: %s in %s mode", exception_name(vector),
		   user_mode(regs) ? "user" : "kernel");
}

static void page_fault_report(struct pt_regs *regs, unsigned long addr)
{
	unsigned long err = regs->orig_rax;

	if (addr < PAGE_SIZE)
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, address: %016lx\n", addr);
	else
		printk(KERN_EMERG "BUG: unable to handle page fault for address: %016lx\n", addr);
	printk(KERN_EMERG "#PF: %s %s in %s mode\n", (err & X86_PF_USER) ? "user" : "supervisor",
	       (err & X86_PF_INSTR) ? "instruction fetch" :
	       (err & X86_PF_WRITE) ? "write access" : "read access",
	       user_mode(regs) ? "user" : "kernel");
	printk(KERN_EMERG "#PF: error_code(0x%04lx) - %s%s%s%s\n", err,
	       (err & X86_PF_PROT) ? "protection violation" : "not-present page",
	       (err & X86_PF_RSVD) ? ", reserved bit violation" : "",
	       (err & X86_PF_PK) ? ", protection key violation" : "",
	       (err & X86_PF_SHSTK) ? ", shadow stack access" : "");
	if ((err & (X86_PF_PROT | X86_PF_INSTR | X86_PF_USER)) == (X86_PF_PROT | X86_PF_INSTR) &&
	    addr < USER_SPACE_END)
		printk(KERN_EMERG "#PF: kernel tried to execute user memory (SMEP)\n");
}

/*
 * Faults the memory manager owns: user mode's, and the kernel's on a user
 * address inside a user copy (with SMAP: exactly when RFLAGS.AC is set; a
 * kernel access outside one is a bug for the Oops to report). Returns true
 * when dealt with: the page is there now, or a signal is on its way.
 */
static bool do_user_addr_fault(struct pt_regs *regs, unsigned long addr)
{
	struct task *tsk = current;
	int err = -EFAULT, sig = SIGSEGV, code = SEGV_MAPERR;

	if (!user_mode(regs) && (addr >= USER_SPACE_END ||
				 (boot_cpu_has(X86_FEATURE_SMAP) && !(regs->eflags & X86_EFLAGS_AC))))
		return false;
	if (addr < USER_SPACE_END && tsk && tsk->mm) {
		/*
		 * The fault path takes mm->lock, whose holder may be waiting for this
		 * CPU to answer a TLB shootdown IPI: take the fault with interrupts
		 * on whenever the faulting code had them on (CR2 is already read).
		 */
		if (regs->eflags & X86_EFLAGS_IF)
			local_irq_enable();
		for (unsigned int tries = 0;; tries++) {
			bool outer = fault_inject_begin();

			err = handle_mm_fault(tsk->mm, addr, regs->orig_rax);
			if (!err)
				return true;
			/*
			 * An injected failure is not memory pressure: take the fault
			 * again, as Linux's pagefault_out_of_memory() retries, instead
			 * of killing the task (a user copy gives up after a few).
			 */
			if (!fault_inject_end(outer) || err != -ENOMEM)
				break;
			if (user_mode(regs))
				return true;
			if (tries >= 16)
				break;
		}
	}
	if (!user_mode(regs))
		return false;
	if (err == -EACCES) {
		code = SEGV_ACCERR;
	} else if (err == -EIO) {
		sig = SIGBUS;
		code = BUS_ADRERR;
	} else if (err == -ENOMEM) {
		sig = SIGKILL;	/* no OOM killer: the task that found no memory dies */
		code = 0;
	}
	force_sig_fault(sig, code, addr);
	return true;
}

static void do_page_fault(struct pt_regs *regs)
{
	/* Before anything else can fault and overwrite it. */
	unsigned long addr = read_cr2();

	if (do_user_addr_fault(regs, addr))
		return;
	if (!user_mode(regs) && fixup_exception(regs))
		return;
	page_fault_report(regs, addr);
	die(regs, X86_TRAP_PF);
}

/*
 * Runs on the IST_DF stack. The common cause in a kernel is a stack
 * overflow: a push hit the guard page below the stack, and the CPU could not
 * push the #PF frame either. Name it when the saved RSP says so.
 */
static void __noreturn do_double_fault(struct pt_regs *regs)
{
	extern char boot_stack_guard[], boot_stack_bottom[];
	struct cpu_info *ci = this_cpu_info();
	unsigned long sp = regs->rsp;

	if (sp >= (unsigned long)boot_stack_guard && sp < (unsigned long)boot_stack_bottom + 64)
		printk(KERN_EMERG "BUG: boot stack guard page hit (stack overflow), RSP %016lx\n", sp);
	else if (ci->kernel_stack && sp < ci->kernel_stack - KERNEL_STACK_SIZE + 64 &&
		 sp >= ci->kernel_stack - KERNEL_STACK_SIZE - PAGE_SIZE)
		printk(KERN_EMERG "BUG: kernel stack guard page hit (stack overflow), RSP %016lx\n",
		       sp);
	die(regs, X86_TRAP_DF);
}

/*
 * Runs on the IST_NMI stack. Caveat for later: an exception taken inside
 * this handler ends with iretq, which unblocks NMIs, and a second NMI would
 * then start at the top of the same IST stack, over the first one's frame.
 * Nothing here may fault until nested NMIs are handled.
 */
static void do_nmi(struct pt_regs *regs)
{
	if (__atomic_load_n(&cpu_stop_requested, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&cpu_stop_requester, __ATOMIC_RELAXED) != smp_processor_id()) {
		__atomic_store_n(&this_cpu_info()->online, false, __ATOMIC_RELEASE);
		/* NMIs stay blocked until an iretq, which never comes. */
		for (;;)
			arch_halt();
	}
	pr_warn("NMI received on CPU %lu at %pS\n", smp_processor_id(), (void *)regs->rip);
}

static void do_int3(struct pt_regs *regs)
{
	/* #BP is a trap: RIP is already past the one-byte int3. */
	pr_info("int3 at %pS\n", (void *)(regs->rip - 1));
}

static unsigned long read_dr6(void)
{
	unsigned long v;

	__asm__ __volatile__("movq %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr6(unsigned long v)
{
	__asm__ __volatile__("movq %0, %%dr6" : : "r"(v));
}

/* No debugger uses DR0-3 or TF yet: report, clear the cause and carry on. */
static void do_debug(struct pt_regs *regs)
{
	unsigned long dr6 = read_dr6();

	write_dr6(DR6_RESERVED);
	regs->eflags &= ~X86_EFLAGS_TF;
	pr_warn("debug trap at %pS, DR6 %#lx\n", (void *)regs->rip, dr6);
}

/*
 * A CPU exception in user mode becomes a signal, as Linux maps them:
 * #DE -> SIGFPE/FPE_INTDIV, #UD -> SIGILL/ILL_ILLOPN, #GP/#SS/#NP ->
 * SIGSEGV/SI_KERNEL, #BP/#DB -> SIGTRAP, #MF/#XF -> SIGFPE, #AC -> SIGBUS.
 */
static void user_exception_signal(struct pt_regs *regs, unsigned long vector)
{
	switch (vector) {
	case X86_TRAP_DE:
		force_sig_fault(SIGFPE, FPE_INTDIV, regs->rip);
		break;
	case X86_TRAP_UD:
		force_sig_fault(SIGILL, ILL_ILLOPN, regs->rip);
		break;
	case X86_TRAP_BP:
		force_sig_fault(SIGTRAP, SI_KERNEL, 0);
		break;
	case X86_TRAP_DB:
		/* A single-step (TF, set by ptrace): DR6.BS is sticky, clear it for the next. */
		write_dr6(DR6_RESERVED);
		force_sig_fault(SIGTRAP, TRAP_TRACE, regs->rip);
		break;
	case X86_TRAP_MF:
	case X86_TRAP_XF:
		force_sig_fault(SIGFPE, 0, regs->rip);
		break;
	case X86_TRAP_AC:
		force_sig_fault(SIGBUS, BUS_ADRALN, regs->rip);
		break;
	default:
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

void do_exception(struct pt_regs *regs, unsigned long vector)
{
	struct cpu_info *ci = this_cpu_info();

	/*
	 * Per CPU, through %gs: a page fault does not bounce a shared cache line,
	 * and the count shows which cpu_info %gs named (selftest "ist" checks
	 * the IST entry with it). Only this CPU writes the slot, and an
	 * exception that interrupts this increment has another vector.
	 */
	WRITE_ONCE(ci->trap_counts[vector], ci->trap_counts[vector] + 1);
	if (user_mode(regs) && vector != X86_TRAP_PF && vector != X86_TRAP_NMI &&
	    vector != X86_TRAP_MC) {
		user_exception_signal(regs, vector);
		/*
		 * The error code is used up. From here orig_rax says "no system
		 * call" (-1), so the signal code never restarts one that this
		 * exception did not interrupt.
		 */
		regs->orig_rax = (unsigned long)-1L;
		return;
	}
	switch (vector) {
	case X86_TRAP_NMI:
		do_nmi(regs);
		return;
	case X86_TRAP_BP:
		do_int3(regs);
		return;
	case X86_TRAP_DB:
		do_debug(regs);
		return;
	case X86_TRAP_PF:
		do_page_fault(regs);
		if (user_mode(regs))
			regs->orig_rax = (unsigned long)-1L;
		return;
	case X86_TRAP_DF:
		do_double_fault(regs);
	case X86_TRAP_MC:
		die(regs, vector);
	}
	if (fixup_exception(regs))
		return;
	die(regs, vector);
}
