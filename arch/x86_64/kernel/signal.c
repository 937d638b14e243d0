// SPDX-License-Identifier: MIT
/*
 * x86_64 signal frames, rt_sigreturn and system call restarts.
 *
 * The frame a handler starts with (Linux's rt_sigframe, docs/signals.md):
 *
 *	higher addresses	  (user stack or sigaltstack top, minus the 128-byte red zone)
 *	  fpstate		  XSAVE area + FP_XSTATE_MAGIC2, 64-byte aligned
 *	  struct siginfo	  info
 *	  struct ucontext	  uc: flags, link, uc_stack, uc_mcontext, uc_sigmask
 *	  pretcode		  sa_restorer: the handler's return address
 *	rsp at handler entry ---> &pretcode; (rsp + 8) is 16-byte aligned, as after a call
 *
 * and rdi = signal, rsi = &info, rdx = &uc. The restorer (musl's
 * __restore_rt) calls rt_sigreturn with rsp at &uc, which reloads
 * everything from the frame. User space owns the frame meanwhile, so
 * restore_sigcontext() takes only what user mode may have: CS and SS are
 * forced to the user selectors, RFLAGS keeps its privileged bits (IOPL, IF,
 * NT, VM...) and takes only the arithmetic and DF/TF/AC/RF ones, RIP must
 * be a user address. A frame that cannot be read, or FPU state XRSTOR would
 * reject, ends in SIGSEGV.
 *
 * Restart rules (signal(7)): a system call that returned -ERESTARTSYS is
 * restarted (rip -= 2 goes back to the 2-byte syscall instruction, rax =
 * the number again) when the handler has SA_RESTART, else fails with EINTR;
 * -ERESTARTNOINTR always restarts, -ERESTARTNOHAND and
 * -ERESTART_RESTARTBLOCK fail with EINTR when a handler runs. With no
 * handler (the signal was ignored, or stopped and continued the task) every
 * one of them restarts; -ERESTART_RESTARTBLOCK through restart_syscall.
 * Entries other than syscalls have orig_rax = -1 and never restart.
 */
#include <exo/entry.h>
#include <exo/printk.h>
#include <exo/rseq.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/fpu.h>
#include <asm/memlayout.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>

#define NR_restart_syscall 219
#define SYSCALL_INSN_SIZE 2	/* 0f 05 */
#define RED_ZONE_SIZE 128	/* System V AMD64 ABI, 3.2.2: below rsp, not ours */
#define FPSTATE_ALIGN 64

/* The RFLAGS bits a signal frame may change (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS (X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | \
		    X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | \
		    X86_EFLAGS_CF | X86_EFLAGS_RF)

struct rt_sigframe {
	unsigned long pretcode;
	struct ucontext uc;
	struct siginfo info;
};

BUILD_BUG_ON(sizeof(struct sigcontext) != 256);
BUILD_BUG_ON(__builtin_offsetof(struct ucontext, uc_mcontext) != 40);
BUILD_BUG_ON(__builtin_offsetof(struct ucontext, uc_sigmask) != 296);
BUILD_BUG_ON(sizeof(struct siginfo) != SI_MAX_SIZE);
BUILD_BUG_ON(sizeof(struct kernel_sigaction) != 32);

static long syscall_nr(const struct pt_regs *regs)
{
	return (long)regs->orig_rax;
}

/* Where the frame goes; 0 when it would not fit on the alternate stack. */
static unsigned long get_sigframe(const struct ksignal *ksig, const struct pt_regs *regs,
				  unsigned long *fpstate)
{
	unsigned long sp = regs->rsp - RED_ZONE_SIZE, alt = sigsp(regs->rsp, &ksig->ka);
	bool onstack = alt != 0;

	if (onstack)
		sp = alt;
	sp = ALIGN_DOWN(sp - fpu_sigframe_size(), FPSTATE_ALIGN);
	*fpstate = sp;
	sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16) - 8;
	/* Overflowing the alternate stack would write below it, into whatever is there. */
	if (onstack && !(sp > current->sas_ss_sp))
		return 0;
	return sp;
}

/* @sc is part of a frame the caller zeroed: fields not set here stay 0. */
static void fill_sigcontext(struct sigcontext *sc, const struct pt_regs *regs, u64 mask,
			    unsigned long fpstate)
{
	sc->r8 = regs->r8;
	sc->r9 = regs->r9;
	sc->r10 = regs->r10;
	sc->r11 = regs->r11;
	sc->r12 = regs->r12;
	sc->r13 = regs->r13;
	sc->r14 = regs->r14;
	sc->r15 = regs->r15;
	sc->rdi = regs->rdi;
	sc->rsi = regs->rsi;
	sc->rbp = regs->rbp;
	sc->rbx = regs->rbx;
	sc->rdx = regs->rdx;
	sc->rax = regs->rax;
	sc->rcx = regs->rcx;
	sc->rsp = regs->rsp;
	sc->rip = regs->rip;
	sc->eflags = regs->eflags;
	sc->cs = (u16)regs->cs;
	sc->ss = (u16)regs->ss;
	sc->oldmask = mask;
	sc->fpstate = fpstate;
	/* trapno, err and cr2 of the last exception are not kept: the siginfo has the address. */
}

static int setup_rt_frame(struct ksignal *ksig, struct pt_regs *regs)
{
	struct rt_sigframe frame;
	unsigned long fpstate, sp;

	/* x86_64 has no vDSO trampoline here: the restorer is mandatory, as in Linux. */
	if (!(ksig->ka.flags & SA_RESTORER))
		return -EFAULT;
	/*
	 * The handler becomes the RIP of the exit's iretq. On Intel, an iretq to
	 * a non-canonical RIP raises #GP still in ring 0, after the exit's
	 * swapgs, where no entry expects a fault (idt_entry.S). Linux turns that
	 * fault into SIGSEGV; refusing the frame gives the same.
	 */
	if (ksig->ka.handler >= TASK_SIZE)
		return -EFAULT;
	sp = get_sigframe(ksig, regs, &fpstate);
	if (!sp)
		return -EFAULT;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ksig->ka.restorer;
	frame.uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	sigaltstack_save(&frame.uc.uc_stack, regs->rsp);
	fill_sigcontext(&frame.uc.uc_mcontext, regs, sigmask_to_save(), fpstate);
	frame.uc.uc_sigmask = sigmask_to_save();
	frame.info = ksig->info;

	if (fpu_sigframe_save((void __user *)fpstate))
		return -EFAULT;
	if (copy_to_user((void __user *)sp, &frame, sizeof(frame)))
		return -EFAULT;

	regs->rdi = (unsigned long)ksig->sig;
	regs->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;	/* no vector registers used by a variadic-style call */
	regs->rsp = sp;
	regs->rip = ksig->ka.handler;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	/* The handler starts with the ABI's flags: DF clear, no single-stepping. */
	regs->eflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	/* ...and a clean FPU, as Linux gives it; the interrupted state is in the frame. */
	fpu_reset_current();
	return 0;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	if (syscall_nr(regs) >= 0) {
		switch ((long)regs->rax) {
		case -ERESTART_RESTARTBLOCK:
		case -ERESTARTNOHAND:
			regs->rax = (unsigned long)-EINTR;
			break;
		case -ERESTARTSYS:
			if (!(ksig->ka.flags & SA_RESTART)) {
				regs->rax = (unsigned long)-EINTR;
				break;
			}
			__attribute__((fallthrough));
		case -ERESTARTNOINTR:
			regs->rax = regs->orig_rax;
			regs->rip -= SYSCALL_INSN_SIZE;
			break;
		}
	}
	/* An interrupted rseq critical section resumes at its abort handler after the handler. */
	if (current->rseq)
		rseq_handle_notify_resume(regs);
	if (setup_rt_frame(ksig, regs))
		signal_setup_failed();
	else
		signal_delivered(ksig);
}

void arch_do_signal_or_restart(struct pt_regs *regs)
{
	struct ksignal ksig;

	if (get_signal(&ksig)) {
		handle_signal(&ksig, regs);
		return;
	}
	if (syscall_nr(regs) >= 0) {
		switch ((long)regs->rax) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			regs->rax = regs->orig_rax;
			regs->rip -= SYSCALL_INSN_SIZE;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->rax = NR_restart_syscall;
			regs->rip -= SYSCALL_INSN_SIZE;
			break;
		}
	}
	restore_saved_sigmask();
}

static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
	if (sc->rip >= TASK_SIZE)
		return -EFAULT;
	regs_changed_set(current);
	regs->r8 = sc->r8;
	regs->r9 = sc->r9;
	regs->r10 = sc->r10;
	regs->r11 = sc->r11;
	regs->r12 = sc->r12;
	regs->r13 = sc->r13;
	regs->r14 = sc->r14;
	regs->r15 = sc->r15;
	regs->rdi = sc->rdi;
	regs->rsi = sc->rsi;
	regs->rbp = sc->rbp;
	regs->rbx = sc->rbx;
	regs->rdx = sc->rdx;
	regs->rax = sc->rax;
	regs->rcx = sc->rcx;
	regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->eflags = (regs->eflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	/* Whatever rax holds now is a result, never a restart request. */
	regs->orig_rax = (unsigned long)-1L;
	if (sc->fpstate)
		return fpu_sigframe_restore((const void __user *)sc->fpstate);
	fpu_reset_current();
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = task_pt_regs(current);
	/* The handler's ret popped pretcode: rsp is at uc. */
	unsigned long frame = regs->rsp - sizeof(unsigned long);
	struct ucontext uc;

	if (copy_from_user(&uc, (const void __user *)(frame + __builtin_offsetof(struct rt_sigframe, uc)),
			   sizeof(uc)))
		goto badframe;
	set_current_blocked(uc.uc_sigmask);
	if (restore_sigcontext(regs, &uc.uc_mcontext))
		goto badframe;
	sigaltstack_restore(&uc.uc_stack, regs->rsp);
	return (long)regs->rax;

badframe:
	regs->orig_rax = (unsigned long)-1L;
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	return (long)regs->rax;
}
