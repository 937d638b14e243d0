// SPDX-License-Identifier: MIT
/*
 * The x86_64 part of ptrace (kernel/ptrace.c has the rest): a stopped
 * tracee's registers as struct user_regs_struct (its saved pt_regs, the FS
 * and GS bases), its x87/SSE state as the FXSAVE image, PEEKUSER/POKEUSER
 * offsets in struct user, and the trap flag for single-stepping.
 *
 * Everything written is checked so the tracee's return to user mode cannot
 * fault in the kernel: CS and SS must be the user selectors, RIP and RSP
 * user (canonical lower-half) addresses, the FS/GS bases below TASK_SIZE;
 * only the arithmetic flags, TF, DF, RF and AC of EFLAGS can change, and an
 * MXCSR with reserved bits is refused. Linux accepts any RIP/RSP and lets
 * the tracee take SIGSEGV; here a non-canonical one is EIO.
 *
 * The tracee is in a ptrace stop and off its CPU (kernel/ptrace.c waits
 * for that), so its pt_regs, thread struct and FPU area are at rest.
 */
#include <exo/entry.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <asm/fpu.h>
#include <asm/memlayout.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>
#include <uapi/ptrace.h>
#include <uapi/seccomp.h>
#include <uapi/uio.h>

/* The EFLAGS bits a tracer may change (Linux's FLAG_MASK). */
#define PTRACE_FLAG_MASK (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
			  X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_OF | \
			  X86_EFLAGS_RF | X86_EFLAGS_AC)

#define REG_INDEX(field) (offsetof(struct user_regs_struct, field) / sizeof(unsigned long))

static unsigned long getreg(struct task *child, unsigned int idx)
{
	const unsigned long *regs = (const unsigned long *)task_pt_regs(child);

	switch (idx) {
	case REG_INDEX(fs_base):
		return child->thread.fsbase;
	case REG_INDEX(gs_base):
		return child->thread.gsbase;
	case REG_INDEX(ds):
	case REG_INDEX(es):
	case REG_INDEX(fs):
	case REG_INDEX(gs):
		return 0;	/* 64-bit user code runs with null data selectors */
	default:
		return regs[idx];	/* the first 21 are struct pt_regs */
	}
}

static bool user_address(unsigned long v)
{
	return v < TASK_SIZE;
}

static int putreg(struct task *child, unsigned int idx, unsigned long v)
{
	struct pt_regs *regs = task_pt_regs(child);
	unsigned long *r = (unsigned long *)regs;

	/* It may stop inside a system call (a PTRACE_EVENT stop) and return on the fast path. */
	regs_changed_set(child);
	switch (idx) {
	case REG_INDEX(cs):
		if (v != __USER_CS)
			return -EIO;
		break;
	case REG_INDEX(ss):
		if (v != __USER_DS)
			return -EIO;
		break;
	case REG_INDEX(rip):
	case REG_INDEX(rsp):
		if (!user_address(v))
			return -EIO;
		break;
	case REG_INDEX(eflags):
		v = (v & PTRACE_FLAG_MASK) | (regs->eflags & ~PTRACE_FLAG_MASK);
		break;
	case REG_INDEX(fs_base):
		if (!user_address(v))
			return -EIO;
		child->thread.fsbase = v;
		return 0;
	case REG_INDEX(gs_base):
		if (!user_address(v))
			return -EIO;
		child->thread.gsbase = v;
		return 0;
	case REG_INDEX(ds):
	case REG_INDEX(es):
	case REG_INDEX(fs):
	case REG_INDEX(gs):
		/* Null or a user data selector; the 64-bit ABI keeps them null. */
		return (v == 0 || v == __USER_DS) ? 0 : -EIO;
	}
	r[idx] = v;
	return 0;
}

static void regs_get_all(struct task *child, struct user_regs_struct *u)
{
	unsigned long *w = (unsigned long *)u;

	for (unsigned int i = 0; i < sizeof(*u) / sizeof(long); i++)
		w[i] = getreg(child, i);
}

/* All or nothing: every field is checked before any is written. */
static int regs_set_all(struct task *child, const struct user_regs_struct *u)
{
	struct pt_regs saved = *task_pt_regs(child);
	unsigned long fsbase = child->thread.fsbase, gsbase = child->thread.gsbase;
	const unsigned long *w = (const unsigned long *)u;
	int err = 0;

	for (unsigned int i = 0; i < sizeof(*u) / sizeof(long) && !err; i++)
		err = putreg(child, i, w[i]);
	if (err) {
		*task_pt_regs(child) = saved;
		child->thread.fsbase = fsbase;
		child->thread.gsbase = gsbase;
	}
	return err;
}

static long regset(struct task *child, bool set, unsigned long type,
		   struct iovec __user *uiov)
{
	union {
		struct user_regs_struct regs;
		struct user_fpregs_struct fp;
	} buf;
	struct iovec iov;
	size_t size;
	long err = 0;

	if (copy_from_user(&iov, uiov, sizeof(iov)))
		return -EFAULT;
	if (type == NT_PRSTATUS)
		size = sizeof(buf.regs);
	else if (type == NT_PRFPREG)
		size = sizeof(buf.fp);
	else
		return -EINVAL;
	size = min(size, iov.iov_len);
	if (type == NT_PRSTATUS)
		regs_get_all(child, &buf.regs);
	else
		fpu_fxsave_get(child->thread.fpu, &buf.fp);
	if (set) {
		/* A short set changes the leading registers only, as Linux's regset does. */
		if (copy_from_user(&buf, iov.iov_base, size))
			return -EFAULT;
		err = type == NT_PRSTATUS ? regs_set_all(child, &buf.regs) :
					    fpu_fxsave_set(child->thread.fpu, &buf.fp);
	} else if (copy_to_user(iov.iov_base, &buf, size)) {
		return -EFAULT;
	}
	if (!err) {
		iov.iov_len = size;
		if (copy_to_user(uiov, &iov, sizeof(iov)))
			return -EFAULT;
	}
	return err;
}

long arch_ptrace(struct task *child, long request, unsigned long addr, unsigned long data)
{
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;

	switch (request) {
	case PTRACE_PEEKUSR: {
		unsigned long v = 0;

		if ((addr & (sizeof(long) - 1)) || addr >= USER_STRUCT_SIZE)
			return -EIO;
		if (addr < USER_REGS_SIZE)
			v = getreg(child, addr / sizeof(long));
		/* The debug registers (u_debugreg) are not supported: they read 0. */
		return put_user(v, (unsigned long __user *)data) ? -EFAULT : 0;
	}
	case PTRACE_POKEUSR:
		if ((addr & (sizeof(long) - 1)) || addr >= USER_STRUCT_SIZE)
			return -EIO;
		if (addr < USER_REGS_SIZE)
			return putreg(child, addr / sizeof(long), data);
		/* No hardware breakpoints: only the value they have (0) can be written. */
		if (addr >= USER_DEBUGREG_OFFSET)
			return data ? -EIO : 0;
		return 0;
	case PTRACE_GETREGS:
		regs_get_all(child, &regs);
		return copy_to_user((void __user *)data, &regs, sizeof(regs)) ? -EFAULT : 0;
	case PTRACE_SETREGS:
		if (copy_from_user(&regs, (const void __user *)data, sizeof(regs)))
			return -EFAULT;
		return regs_set_all(child, &regs);
	case PTRACE_GETFPREGS:
		fpu_fxsave_get(child->thread.fpu, &fp);
		return copy_to_user((void __user *)data, &fp, sizeof(fp)) ? -EFAULT : 0;
	case PTRACE_SETFPREGS:
		if (copy_from_user(&fp, (const void __user *)data, sizeof(fp)))
			return -EFAULT;
		return fpu_fxsave_set(child->thread.fpu, &fp);
	case PTRACE_ARCH_PRCTL:
		/* arch_prctl(2) on the tracee: its saved FS/GS bases. */
		switch (data) {
		case ARCH_GET_FS:
		case ARCH_GET_GS:
			return put_user(getreg(child, data == ARCH_GET_FS ? REG_INDEX(fs_base) :
								     REG_INDEX(gs_base)),
					(unsigned long __user *)addr) ? -EFAULT : 0;
		case ARCH_SET_FS:
		case ARCH_SET_GS:
			if (addr >= TASK_SIZE)
				return -EPERM;
			return putreg(child, data == ARCH_SET_FS ? REG_INDEX(fs_base) :
								  REG_INDEX(gs_base), addr);
		default:
			return -EINVAL;
		}
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return regset(child, request == PTRACE_SETREGSET, addr, (struct iovec __user *)data);
	default:
		return -EIO;
	}
}

void user_enable_single_step(struct task *child)
{
	task_pt_regs(child)->eflags |= X86_EFLAGS_TF;
}

void user_disable_single_step(struct task *child)
{
	if (READ_ONCE(child->syscall_work) & SYSCALL_WORK_STEP)
		task_pt_regs(child)->eflags &= ~X86_EFLAGS_TF;
}

void arch_ptrace_syscall_info(struct task *child, u64 *ip, u64 *sp, u32 *arch)
{
	struct pt_regs *regs = task_pt_regs(child);

	*ip = regs->rip;
	*sp = regs->rsp;
	*arch = AUDIT_ARCH_X86_64;
}
