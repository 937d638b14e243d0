// SPDX-License-Identifier: MIT
/*
 * seccomp: system call filtering (seccomp(2), docs/seccomp.md).
 *
 *   SECCOMP_MODE_STRICT  only read, write, _exit and rt_sigreturn; anything
 *                        else kills the thread with SIGKILL.
 *   SECCOMP_MODE_FILTER  classic BPF programs over struct seccomp_data,
 *                        checked before they are installed, run at every
 *                        system call; the most restrictive answer of the
 *                        chain wins (KILL_PROCESS < KILL_THREAD < TRAP <
 *                        ERRNO < USER_NOTIF < TRACE < LOG < ALLOW).
 *
 * A filter is immutable once installed; each one holds a reference to the
 * one installed before it, so a chain is shared by every task that
 * inherited it and freed with its last user. The syscall entry tests
 * task->syscall_work once (SYSCALL_WORK_SECCOMP, set with the mode), then
 * task->seccomp.mode (include/exo/seccomp.h).
 *
 * TRACE stops for a tracer with PTRACE_O_TRACESECCOMP (kernel/ptrace.c),
 * else fails with -ENOSYS as Linux does. Differences from Linux:
 * USER_NOTIF acts as with no listener (-ENOSYS);
 * SECCOMP_FILTER_FLAG_NEW_LISTENER is refused (EINVAL); LOG does not log.
 *
 * Locking: a task changes its own seccomp state; TSYNC changes its
 * threads' under tasklist_lock and siglock, and a thread reads its own
 * filter pointer once per system call (the old chain it may be running is
 * an ancestor of the new one, so it stays referenced).
 */
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/ptrace.h>
#include <asm/syscall.h>
#include <uapi/errno.h>
#include <uapi/seccomp.h>

#define MAX_ERRNO 4095
#define NR_read 0
#define NR_write 1
#define NR_rt_sigreturn 15
#define NR_exit 60

struct seccomp_filter {
	int refcount;				/* [atomic] */
	struct seccomp_filter *prev;		/* [immutable] referenced */
	unsigned short len;			/* [immutable] */
	struct sock_filter insns[];		/* [immutable] */
};

static void seccomp_filter_put(struct seccomp_filter *f)
{
	while (f && __atomic_sub_fetch(&f->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		struct seccomp_filter *prev = f->prev;

		kfree(f);
		f = prev;
	}
}

static void seccomp_filter_get(struct seccomp_filter *f)
{
	if (f)
		__atomic_fetch_add(&f->refcount, 1, __ATOMIC_RELAXED);
}

/* --- the checker ----------------------------------------------------------- */

/* The instructions a seccomp program may use; BPF_LEN loads become immediates. */
static bool seccomp_insn_ok(struct sock_filter *in)
{
	switch (in->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		/* Aligned 32-bit loads within struct seccomp_data only. */
		return in->k < sizeof(struct seccomp_data) && !(in->k & 3);
	case BPF_LD | BPF_W | BPF_LEN:
		in->code = BPF_LD | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return true;
	case BPF_LDX | BPF_W | BPF_LEN:
		in->code = BPF_LDX | BPF_IMM;
		in->k = sizeof(struct seccomp_data);
		return true;
	case BPF_ALU | BPF_DIV | BPF_K:
		return in->k != 0;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return in->k < 32;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return in->k < BPF_MEMWORDS;
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

/*
 * The whole program: known instructions, jumps forward and inside, a RET
 * at the end, and no scratch word M[k] read on a path that did not store
 * it first (each instruction's entry mask is what every path into it
 * stored). 0 or -EINVAL.
 */
static int seccomp_check_filter(struct sock_filter *f, unsigned int len)
{
	u16 masks[BPF_MAXINSNS];
	u16 valid = 0;
	unsigned int pc;

	for (pc = 0; pc < len; pc++) {
		struct sock_filter *in = &f[pc];

		if (!seccomp_insn_ok(in))
			return -EINVAL;
		if (BPF_CLASS(in->code) == BPF_JMP) {
			if (BPF_OP(in->code) == BPF_JA) {
				if (in->k >= len - pc - 1)
					return -EINVAL;
			} else if (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len) {
				return -EINVAL;
			}
		}
	}
	if (BPF_CLASS(f[len - 1].code) != BPF_RET)
		return -EINVAL;

	for (pc = 0; pc < len; pc++)
		masks[pc] = 0xffff;
	for (pc = 0; pc < len; pc++) {
		struct sock_filter *in = &f[pc];

		valid &= masks[pc];
		switch (in->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= 1 << in->k;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1 << in->k)))
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (BPF_CLASS(in->code) == BPF_JMP) {
				masks[pc + 1 + in->jt] &= valid;
				masks[pc + 1 + in->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

/* --- the interpreter ------------------------------------------------------- */

static u32 seccomp_run_one(const struct seccomp_filter *f, const struct seccomp_data *sd)
{
	const struct sock_filter *in = f->insns;
	u32 A = 0, X = 0, M[BPF_MEMWORDS];
	u32 src;

	for (;; in++) {
		src = BPF_SRC(in->code) == BPF_X ? X : in->k;
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			if (BPF_MODE(in->code) == BPF_ABS)
				memcpy(&A, (const char *)sd + in->k, sizeof(A));
			else if (BPF_MODE(in->code) == BPF_MEM)
				A = M[in->k];
			else
				A = in->k;
			break;
		case BPF_LDX:
			X = BPF_MODE(in->code) == BPF_MEM ? M[in->k] : in->k;
			break;
		case BPF_ST:
			M[in->k] = A;
			break;
		case BPF_STX:
			M[in->k] = X;
			break;
		case BPF_ALU:
			switch (BPF_OP(in->code)) {
			case BPF_ADD: A += src; break;
			case BPF_SUB: A -= src; break;
			case BPF_MUL: A *= src; break;
			case BPF_DIV: A = src ? A / src : 0; break;	/* X == 0: the program returns 0 */
			case BPF_AND: A &= src; break;
			case BPF_OR: A |= src; break;
			case BPF_XOR: A ^= src; break;
			case BPF_LSH: A = src < 32 ? A << src : 0; break;
			case BPF_RSH: A = src < 32 ? A >> src : 0; break;
			case BPF_NEG: A = -A; break;
			}
			if (BPF_OP(in->code) == BPF_DIV && !src)
				return 0;
			break;
		case BPF_JMP:
			switch (BPF_OP(in->code)) {
			case BPF_JA: in += in->k; break;
			case BPF_JEQ: in += A == src ? in->jt : in->jf; break;
			case BPF_JGT: in += A > src ? in->jt : in->jf; break;
			case BPF_JGE: in += A >= src ? in->jt : in->jf; break;
			case BPF_JSET: in += (A & src) ? in->jt : in->jf; break;
			}
			break;
		case BPF_RET:
			return BPF_RVAL(in->code) == BPF_A ? A : in->k;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
}

/* The most restrictive answer of @f's chain for @sd. */
static u32 seccomp_run_filters(const struct seccomp_filter *f, const struct seccomp_data *sd)
{
	u32 ret = SECCOMP_RET_ALLOW;

	for (; f; f = f->prev) {
		u32 cur = seccomp_run_one(f, sd);

		if ((s32)(cur & SECCOMP_RET_ACTION_FULL) < (s32)(ret & SECCOMP_RET_ACTION_FULL))
			ret = cur;
	}
	return ret;
}

/* SIGSYS for TRAP: the handler learns the call, the arch and the filter's data. */
static void seccomp_send_sigsys(unsigned long nr, const struct pt_regs *regs, u32 data)
{
	struct siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGSYS;
	info.si_code = SYS_SECCOMP;
	info.si_errno = (int)data;
	info.f.sys.call_addr = instruction_pointer(regs);
	info.f.sys.syscall = (int)nr;
	info.f.sys.arch = AUDIT_ARCH_X86_64;
	force_sig_info(&info, false);
}

static bool current_is_last_thread(void)
{
	return READ_ONCE(current->group_leader->nr_threads) <= 1;
}

static int seccomp_filter(struct pt_regs *regs, unsigned long nr, bool recheck);

int __secure_computing(struct pt_regs *regs, unsigned long nr)
{
	return seccomp_filter(regs, nr, false);
}

/*
 * SECCOMP_RET_TRACE: the tracer (PTRACE_O_TRACESECCOMP) sees the call in a
 * PTRACE_EVENT_SECCOMP stop and may change or skip it (nr -1); the filters
 * then run again on what it left, with TRACE meaning allow (Linux's rule).
 */
static int seccomp_trace(struct pt_regs *regs, u32 data)
{
	long nr;

	if (!ptrace_seccomp_event(data)) {
		regs_set_return_value(regs, (unsigned long)-ENOSYS);	/* no tracer */
		return -1;
	}
	nr = syscall_get_nr(current, regs);
	if (fatal_signal_pending(current) || nr < 0)
		return -1;
	return seccomp_filter(regs, (unsigned long)nr, true);
}

static int seccomp_filter(struct pt_regs *regs, unsigned long nr, bool recheck)
{
	struct task *t = current;
	struct seccomp_data sd;
	unsigned long args[6];
	u32 ret, data;

	if (t->seccomp.mode == SECCOMP_MODE_STRICT) {
		if (nr == NR_read || nr == NR_write || nr == NR_exit || nr == NR_rt_sigreturn)
			return 0;
		do_exit(SIGKILL);
	}
	sd.nr = (int)nr;
	sd.arch = AUDIT_ARCH_X86_64;
	sd.instruction_pointer = instruction_pointer(regs);
	syscall_get_arguments(t, regs, args);
	for (unsigned int i = 0; i < 6; i++)
		sd.args[i] = args[i];
	ret = seccomp_run_filters(READ_ONCE(t->seccomp.filter), &sd);
	data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return 0;
	case SECCOMP_RET_ERRNO:
		regs_set_return_value(regs, (unsigned long)-(long)(data > MAX_ERRNO ? MAX_ERRNO : data));
		return -1;
	case SECCOMP_RET_TRACE:
		if (recheck)
			return 0;
		/* Until the tracer sets a result, the call fails with ENOSYS. */
		regs_set_return_value(regs, (unsigned long)-ENOSYS);
		return seccomp_trace(regs, data);
	case SECCOMP_RET_USER_NOTIF:
		regs_set_return_value(regs, (unsigned long)-ENOSYS);	/* no listener */
		return -1;
	case SECCOMP_RET_TRAP:
		/* The handler sees the registers as at entry: the return register still the number. */
		regs_set_return_value(regs, nr);
		seccomp_send_sigsys(nr, regs, data);
		return -1;
	case SECCOMP_RET_KILL_THREAD:
		if (!current_is_last_thread())
			do_exit(SIGSYS);
		__attribute__((fallthrough));
	default:
		/* KILL_PROCESS, and any unknown action: the process dies of SIGSYS. */
		regs_set_return_value(regs, nr);
		force_sig_default(SIGSYS);
		return -1;
	}
}

void seccomp_fork(struct task *child, struct task *parent)
{
	struct seccomp_filter *f = READ_ONCE(parent->seccomp.filter);

	seccomp_filter_get(f);
	child->seccomp.filter = f;
	child->seccomp.mode = READ_ONCE(parent->seccomp.mode);
	/* Only seccomp's bit is inherited: the child is traced only if ptrace links it. */
	child->syscall_work = READ_ONCE(parent->syscall_work) & SYSCALL_WORK_SECCOMP;
}

void seccomp_task_free(struct task *t)
{
	seccomp_filter_put(t->seccomp.filter);
	t->seccomp.filter = NULL;
}

int seccomp_filter_count(struct task *t)
{
	const struct seccomp_filter *f;
	int n = 0;

	for (f = READ_ONCE(t->seccomp.filter); f; f = f->prev)
		n++;
	return n;
}

/* --- installing ------------------------------------------------------------ */

static bool seccomp_may_assign_mode(int mode)
{
	int cur = current->seccomp.mode;

	return cur == SECCOMP_MODE_DISABLED || cur == mode;
}

static long seccomp_set_mode_strict(void)
{
	if (!seccomp_may_assign_mode(SECCOMP_MODE_STRICT))
		return -EINVAL;
	WRITE_ONCE(current->seccomp.mode, SECCOMP_MODE_STRICT);
	syscall_work_set(current, SYSCALL_WORK_SECCOMP);
	return 0;
}

static struct seccomp_filter *seccomp_prepare_filter(const void __user *ufprog)
{
	struct seccomp_filter *f;
	struct sock_fprog fprog;
	int err;

	if (copy_from_user(&fprog, ufprog, sizeof(fprog)))
		return ERR_PTR(-EFAULT);
	if (fprog.len == 0 || fprog.len > BPF_MAXINSNS)
		return ERR_PTR(-EINVAL);
	/* A filter could fool a set-uid program: only without new privileges, or for root. */
	if (!current->no_new_privs && !capable_root())
		return ERR_PTR(-EACCES);
	f = kmalloc(sizeof(*f) + fprog.len * sizeof(struct sock_filter), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(f->insns, fprog.filter,
			   fprog.len * sizeof(struct sock_filter))) {
		kfree(f);
		return ERR_PTR(-EFAULT);
	}
	err = seccomp_check_filter(f->insns, fprog.len);
	if (err) {
		kfree(f);
		return ERR_PTR(err);
	}
	f->len = fprog.len;
	f->refcount = 1;
	f->prev = NULL;
	return f;
}

/* Whether @child's chain ends in @ancestor's (or @ancestor is no filter). */
static bool seccomp_is_ancestor(const struct seccomp_filter *ancestor,
				const struct seccomp_filter *child)
{
	if (!ancestor)
		return true;
	for (; child; child = child->prev)
		if (child == ancestor)
			return true;
	return false;
}

/*
 * TSYNC: every other thread must run the caller's chain or an ancestor of
 * it; they all get the caller's new chain. Returns 0, or the tid of a
 * thread that cannot be synchronized (-ESRCH with @esrch). Caller holds
 * tasklist_lock and siglock.
 */
static long seccomp_sync_threads_locked(bool esrch)
{
	struct task *cur = current, *it;

	for_each_thread(cur->group_leader, it) {
		if (it == cur || (it->flags & PF_EXITING))
			continue;
		if (it->seccomp.mode == SECCOMP_MODE_STRICT ||
		    !seccomp_is_ancestor(it->seccomp.filter, cur->seccomp.filter->prev))
			return esrch ? -ESRCH : it->pid;
	}
	for_each_thread(cur->group_leader, it) {
		struct seccomp_filter *old;

		if (it == cur || (it->flags & PF_EXITING))
			continue;
		old = it->seccomp.filter;
		seccomp_filter_get(cur->seccomp.filter);
		WRITE_ONCE(it->seccomp.filter, cur->seccomp.filter);
		/* The old chain is an ancestor of the new one: this never frees it. */
		seccomp_filter_put(old);
		it->no_new_privs |= cur->no_new_privs;
		WRITE_ONCE(it->seccomp.mode, SECCOMP_MODE_FILTER);
		syscall_work_set(it, SYSCALL_WORK_SECCOMP);
	}
	return 0;
}

#define SECCOMP_FILTER_FLAGS_OK (SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | \
				 SECCOMP_FILTER_FLAG_SPEC_ALLOW | SECCOMP_FILTER_FLAG_TSYNC_ESRCH)

static long seccomp_set_mode_filter(unsigned int flags, const void __user *ufprog)
{
	struct task *cur = current;
	struct seccomp_filter *f;
	unsigned long irqflags;
	long ret = 0;

	if (flags & ~SECCOMP_FILTER_FLAGS_OK)
		return -EINVAL;	/* NEW_LISTENER (no user notification here) or unknown */
	f = seccomp_prepare_filter(ufprog);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!seccomp_may_assign_mode(SECCOMP_MODE_FILTER)) {
		kfree(f);
		return -EINVAL;
	}
	spin_lock_irqsave(&tasklist_lock, irqflags);
	spin_lock(&cur->sighand->siglock);
	f->prev = cur->seccomp.filter;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
		struct seccomp_filter *saved = cur->seccomp.filter;

		cur->seccomp.filter = f;
		ret = seccomp_sync_threads_locked(flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
		if (ret) {
			cur->seccomp.filter = saved;
			spin_unlock(&cur->sighand->siglock);
			spin_unlock_irqrestore(&tasklist_lock, irqflags);
			kfree(f);
			return ret;
		}
	}
	/* The new filter takes over the caller's reference to the old chain. */
	WRITE_ONCE(cur->seccomp.filter, f);
	WRITE_ONCE(cur->seccomp.mode, SECCOMP_MODE_FILTER);
	syscall_work_set(cur, SYSCALL_WORK_SECCOMP);
	spin_unlock(&cur->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, irqflags);
	return 0;
}

static long seccomp_get_action_avail(const void __user *uaction)
{
	u32 action;

	if (copy_from_user(&action, uaction, sizeof(action)))
		return -EFAULT;
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static long seccomp_get_notif_sizes(void __user *usizes)
{
	struct seccomp_notif_sizes sizes = { 80, 24, sizeof(struct seccomp_data) };

	return copy_to_user(usizes, &sizes, sizeof(sizes)) ? -EFAULT : 0;
}

static long do_seccomp(unsigned int op, unsigned int flags, void __user *uargs)
{
	switch (op) {
	case SECCOMP_SET_MODE_STRICT:
		if (flags || uargs)
			return -EINVAL;
		return seccomp_set_mode_strict();
	case SECCOMP_SET_MODE_FILTER:
		return seccomp_set_mode_filter(flags, uargs);
	case SECCOMP_GET_ACTION_AVAIL:
		if (flags)
			return -EINVAL;
		return seccomp_get_action_avail(uargs);
	case SECCOMP_GET_NOTIF_SIZES:
		if (flags)
			return -EINVAL;
		return seccomp_get_notif_sizes(uargs);
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE3(seccomp, unsigned int, op, unsigned int, flags, void __user *, uargs)
{
	return do_seccomp(op, flags, uargs);
}

long prctl_set_seccomp(unsigned long mode, void __user *filter)
{
	switch (mode) {
	case SECCOMP_MODE_STRICT:
		return do_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL);
	case SECCOMP_MODE_FILTER:
		return do_seccomp(SECCOMP_SET_MODE_FILTER, 0, filter);
	default:
		return -EINVAL;
	}
}
