// SPDX-License-Identifier: MIT
/*
 * ptrace(2): process tracing, as Linux does it (docs/ptrace.md).
 *
 *   attach      PTRACE_TRACEME / ATTACH / SEIZE link the tracee to the tracer
 *               (t->tracer, tracer->ptraced); the tracer is its temporary
 *               parent for wait(); ATTACH sends SIGSTOP
 *   stops       ptrace_stop(), always by the tracee itself: syscall entry
 *               and exit (SYSCALL_WORK_TRACE), signal delivery, group stop,
 *               event stops, the SEIZE trap. It records the wait status in
 *               t->ptrace_report, tells the tracer (SIGCHLD CLD_TRAPPED and
 *               a wake-up of its wait) and sleeps in TASK_TRACED until the
 *               tracer resumes it or SIGKILL comes
 *   requests    valid only while the tracee is in such a stop (else ESRCH),
 *               except KILL and INTERRUPT; registers are the arch's
 *               (arch_ptrace), memory goes through access_remote_vm()
 *   detach      PTRACE_DETACH, or the tracer's exit (EXITKILL: SIGKILL)
 *   exit        a traced task's exit is reported to the tracer first; the
 *               real parent can reap it only after the tracer has waited
 *
 * Locking: tasklist_lock guards the links (t->tracer, t->ptrace, the
 * ptraced lists, t->ptrace_report, t->ptrace_zombie); the tracee's siglock
 * its JOBCTL_TRACED bit, ptrace_resume and last_siginfo. Order as
 * everywhere: tasklist_lock -> siglock -> rq->lock.
 */
#include <exo/cred.h>
#include <exo/entry.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/irqflags.h>
#include <exo/mmap.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <asm/switch_to.h>
#include <asm/syscall.h>
#include <uapi/errno.h>
#include <uapi/ptrace.h>
#include <uapi/sched.h>
#include <uapi/signal.h>

static unsigned int ptrace_opts(const struct task *t)
{
	return t->ptrace >> PT_OPT_SHIFT;
}

void syscall_work_set(struct task *t, unsigned int bits)
{
	__atomic_fetch_or(&t->syscall_work, bits, __ATOMIC_RELAXED);
}

void syscall_work_clear(struct task *t, unsigned int bits)
{
	__atomic_fetch_and(&t->syscall_work, ~bits, __ATOMIC_RELAXED);
}

int ptrace_tracer_pid(struct task *t)
{
	unsigned long flags;
	int pid;

	spin_lock_irqsave(&tasklist_lock, flags);
	pid = t->tracer ? t->tracer->tgid : 0;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return pid;
}

/* --- the tracee's side: stops ------------------------------------------------- */

/* Tells the tracer a stop or an exit is waiting for it. Caller holds tasklist_lock. */
static void ptrace_notify_tracer_locked(struct task *t, int why, int status)
{
	notify_cldchild_locked(t->tracer, t, t->pid, why, status);
}

/*
 * Stops the current task for its tracer with wait status (@report << 8) |
 * 0x7f and @info for GETSIGINFO (NULL: EINVAL there). Returns the signal
 * the tracer resumed it with, or @dflt when it is not traced (any more) or
 * is being killed.
 */
static int ptrace_stop(int report, int dflt, struct siginfo *info, unsigned char op)
{
	struct task *t = current;
	struct sighand *sh = t->sighand;
	unsigned long flags;
	int sig;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&sh->siglock);
	if (!t->tracer || fatal_signal_pending(t)) {
		spin_unlock(&sh->siglock);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return dflt;
	}
	t->ptrace_syscall_op = op;
	t->last_siginfo = info;
	t->ptrace_resume = 0;
	t->ptrace_report = (report << 8) | 0x7f;
	t->jobctl &= ~(JOBCTL_TRAP_STOP | JOBCTL_LISTENING);
	t->jobctl |= JOBCTL_TRACED;
	set_current_state(TASK_TRACED);
	spin_unlock(&sh->siglock);
	ptrace_notify_tracer_locked(t, CLD_TRAPPED, report & 0x7f);
	spin_unlock_irqrestore(&tasklist_lock, flags);

	for (;;) {
		schedule();
		spin_lock_irqsave(&sh->siglock, flags);
		if (!(t->jobctl & JOBCTL_TRACED) || fatal_signal_pending(t))
			break;
		/* LISTEN, or a wake-up meant for something else: still stopped. */
		set_current_state(TASK_TRACED);
		spin_unlock_irqrestore(&sh->siglock, flags);
	}
	set_current_state(TASK_RUNNING);
	t->jobctl &= ~(JOBCTL_TRACED | JOBCTL_LISTENING);
	t->last_siginfo = NULL;
	sig = fatal_signal_pending(t) ? 0 : t->ptrace_resume;
	t->ptrace_resume = 0;
	spin_unlock_irqrestore(&sh->siglock, flags);
	return sig;
}

/* A stop with a siginfo of its own (si_code = the stop's code), as Linux's ptrace_do_notify(). */
static int ptrace_notify_sig(int signo, int code, unsigned char op)
{
	struct siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = signo;
	info.si_code = code;
	info.f.rt.pid = current->tgid;
	info.f.rt.uid = current->cred.uid;
	return ptrace_stop(code, 0, &info, op);
}

static int ptrace_notify(int code, unsigned char op)
{
	return ptrace_notify_sig(SIGTRAP, code, op);
}

static void ptrace_report_syscall(unsigned char op)
{
	struct task *t = current;
	int code = SIGTRAP | ((ptrace_opts(t) & PTRACE_O_TRACESYSGOOD) ? 0x80 : 0);
	int sig = ptrace_notify(code, op);

	/* A signal given at a syscall stop is sent, as Linux does (not injected). */
	if (sig)
		send_sig_info(sig, NULL, t);
}

bool ptrace_report_syscall_entry(struct pt_regs *regs)
{
	ptrace_report_syscall(PTRACE_SYSCALL_INFO_ENTRY);
	return fatal_signal_pending(current) || syscall_get_nr(current, regs) == -1;
}

void ptrace_report_syscall_exit(struct pt_regs *regs, bool step)
{
	struct siginfo info;

	(void)regs;
	if (step) {
		/* The step over the syscall instruction traps here (Linux's user_single_step_report). */
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGTRAP;
		info.si_code = SI_USER;
		force_sig_info(&info, false);
		return;
	}
	ptrace_report_syscall(PTRACE_SYSCALL_INFO_EXIT);
}

void ptrace_event(int event, unsigned long msg)
{
	struct task *t = current;

	if (!(ptrace_opts(t) & (1U << event)))
		return;
	t->ptrace_message = msg;
	ptrace_notify(SIGTRAP | (event << 8), PTRACE_SYSCALL_INFO_NONE);
}

bool ptrace_seccomp_event(u32 data)
{
	struct task *t = current;

	if (!(ptrace_opts(t) & PTRACE_O_TRACESECCOMP))
		return false;
	t->ptrace_message = data;
	ptrace_notify(SIGTRAP | (PTRACE_EVENT_SECCOMP << 8), PTRACE_SYSCALL_INFO_SECCOMP);
	return true;
}

void ptrace_exec_notify(int old_pid)
{
	struct task *t = current;
	struct siginfo info;

	if (!READ_ONCE(t->ptrace))
		return;
	if (ptrace_opts(t) & PTRACE_O_TRACEEXEC) {
		ptrace_event(PTRACE_EVENT_EXEC, (unsigned long)old_pid);
	} else if (!(t->ptrace & PT_SEIZED)) {
		/* The legacy tracee: a SIGTRAP after every successful exec. */
		user_siginfo(&info, SIGTRAP, SI_USER);
		info.f.rt.pid = 0;
		info.f.rt.uid = 0;
		send_sig_info(SIGTRAP, &info, t);
	}
}

int ptrace_signal(int sig, struct siginfo *info)
{
	struct task *t = current;
	unsigned long flags;
	int resume = ptrace_stop(sig, sig, info, PTRACE_SYSCALL_INFO_NONE);

	if (!resume)
		return 0;
	/* The tracer replaced the signal: the siginfo says the tracer sent it. */
	if (resume != info->si_signo) {
		memset(info, 0, sizeof(*info));
		info->si_signo = resume;
		info->si_code = SI_USER;
		spin_lock_irqsave(&tasklist_lock, flags);
		if (t->tracer) {
			info->f.rt.pid = t->tracer->tgid;
			info->f.rt.uid = t->tracer->cred.uid;
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	return resume;
}

/* The signal a seized task's EVENT_STOP reports: the group stop's, or SIGTRAP outside one. */
static int jobctl_trap_sig(struct task *t)
{
	struct signal_struct *s = t->signal;

	if (s->group_stop_count || (s->flags & SIGNAL_STOP_STOPPED))
		return s->group_stop_sig ? s->group_stop_sig : SIGSTOP;
	return SIGTRAP;
}

void ptrace_group_stop(int sig)
{
	if (!(READ_ONCE(current->ptrace) & PT_SEIZED)) {
		/* No siginfo: GETSIGINFO fails with EINVAL, how a tracer tells a group stop. */
		ptrace_stop(sig, 0, NULL, PTRACE_SYSCALL_INFO_NONE);
		return;
	}
	ptrace_notify_sig(sig, sig | (PTRACE_EVENT_STOP << 8), PTRACE_SYSCALL_INFO_NONE);
}

void ptrace_do_jobctl_trap(void)
{
	struct task *t = current;
	unsigned long flags;
	int sig;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	t->jobctl &= ~JOBCTL_TRAP_STOP;
	sig = jobctl_trap_sig(t);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	/* Reported as a group stop is: a seized tracee's EVENT_STOP, a legacy one's plain stop. */
	ptrace_group_stop(sig);
}

/* --- links ------------------------------------------------------------------------- */

static void ptrace_link_locked(struct task *child, struct task *tracer, unsigned int ptrace)
{
	lockdep_assert_held(&tasklist_lock);
	child->ptrace = ptrace;
	child->tracer = tracer;
	list_add_tail(&child->ptrace_entry, &tracer->ptraced);
}

/*
 * Ends the trace of @child: a stopped tracee resumes with @sig. Returns
 * true when @child is an exited tracee whose reference the caller drops
 * (after unlocking). Caller holds tasklist_lock.
 */
static bool ptrace_unlink_locked(struct task *child, int sig)
{
	bool zombie = child->ptrace_zombie;

	lockdep_assert_held(&tasklist_lock);
	list_del_init(&child->ptrace_entry);
	child->tracer = NULL;
	child->ptrace = 0;
	child->ptrace_report = 0;
	child->ptrace_zombie = false;
	if (child->sighand) {
		spin_lock(&child->sighand->siglock);
		child->jobctl &= ~(JOBCTL_TRAP_STOP | JOBCTL_LISTENING);
		if (child->jobctl & JOBCTL_TRACED) {
			user_disable_single_step(child);
			child->ptrace_resume = sig;
			child->jobctl &= ~JOBCTL_TRACED;
			wake_up_state(child, TASK_TRACED);
		}
		spin_unlock(&child->sighand->siglock);
	}
	syscall_work_clear(child, SYSCALL_WORK_TRACE | SYSCALL_WORK_STEP);
	if (zombie && child->parent)
		wake_up(&child->parent->group_leader->wait_child);
	return zombie;
}

/* The tracer collected @child's exit. Caller holds tasklist_lock and a reference of its own. */
void ptrace_reap_locked(struct task *child)
{
	if (ptrace_unlink_locked(child, 0))
		put_task(child);	/* not the last reference: the caller holds one */
}

void exit_ptrace_locked(struct task *t, struct list_head *dead)
{
	struct task *child, *tmp;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry_safe(child, tmp, &t->ptraced, ptrace_entry) {
		if ((ptrace_opts(child) & PTRACE_O_EXITKILL) && !child->exit_state)
			send_sig_info(SIGKILL, NULL, child);
		if (ptrace_unlink_locked(child, 0))
			list_add_tail(&child->ptrace_entry, dead);
	}
}

void ptrace_put_dead(struct list_head *dead)
{
	struct task *child, *tmp;

	list_for_each_entry_safe(child, tmp, dead, ptrace_entry) {
		list_del_init(&child->ptrace_entry);
		put_task(child);
	}
}

void ptrace_exit_notify_locked(struct task *t, int status)
{
	lockdep_assert_held(&tasklist_lock);
	if (!t->tracer)
		return;
	/* The tracer holds the task until it has waited for it. */
	get_task(t);
	t->ptrace_zombie = true;
	t->ptrace_report = 0;
	ptrace_notify_tracer_locked(t, (status & 0x7f) ? CLD_KILLED : CLD_EXITED,
				    (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
}

int ptrace_fork_link_locked(struct task *child, unsigned long clone_flags, int exit_signal)
{
	struct task *parent = current;
	unsigned int opts = ptrace_opts(parent);
	int event;

	lockdep_assert_held(&tasklist_lock);
	if (!parent->tracer)
		return 0;
	if (clone_flags & CLONE_VFORK)
		event = PTRACE_EVENT_VFORK;
	else if (exit_signal != SIGCHLD)
		event = PTRACE_EVENT_CLONE;
	else
		event = PTRACE_EVENT_FORK;
	if (!(opts & (1U << event)))
		return 0;
	ptrace_link_locked(child, parent->tracer, parent->ptrace);
	/* It stops before its first instruction: SIGSTOP, or the SEIZE trap. */
	if (parent->ptrace & PT_SEIZED)
		child->jobctl |= JOBCTL_TRAP_STOP;
	else
		child->pending.signal |= sigmask(SIGSTOP);
	signal_hint_set(child);
	return event;
}

/* --- the tracer's side: requests ---------------------------------------------------- */

/* Linux's __ptrace_may_access() for ATTACH/SEIZE; caller holds tasklist_lock. */
static int ptrace_may_attach_locked(struct task *t)
{
	lockdep_assert_held(&tasklist_lock);
	if (t->tgid == current->tgid)
		return -EPERM;
	if ((t->flags & (PF_KTHREAD | PF_EXITING)) || t->exit_state || t->tgid == 1)
		return -EPERM;
	if (!cred_may_ptrace(t))
		return -EPERM;
	if (t->tracer)
		return -EPERM;
	return 0;
}

static int ptrace_traceme(void)
{
	struct task *t = current;
	unsigned long flags;
	int err = -EPERM;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (!t->tracer && t->parent && t->group_leader->parent &&
	    !(t->group_leader->parent->flags & PF_EXITING)) {
		ptrace_link_locked(t, t->group_leader->parent, PT_PTRACED);
		err = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

static int ptrace_attach(long pid, long request, unsigned long addr, unsigned long flags_arg)
{
	bool seize = request == PTRACE_SEIZE;
	unsigned int ptrace = PT_PTRACED;
	struct task *t;
	unsigned long flags;
	int err;

	if (seize) {
		if (addr != 0)
			return -EIO;
		if (flags_arg & ~(unsigned long)PTRACE_O_MASK)
			return -EIO;
		ptrace |= PT_SEIZED | (unsigned int)flags_arg << PT_OPT_SHIFT;
	}
	if (pid <= 0 || pid > __INT_MAX__)
		return -ESRCH;
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked((int)pid);
	err = -ESRCH;
	if (!t || t->pid_dead)
		goto out;
	err = ptrace_may_attach_locked(t);
	if (err)
		goto out;
	ptrace_link_locked(t, current, ptrace);
	if (!seize)
		send_sig_info(SIGSTOP, NULL, t);
	spin_lock(&t->sighand->siglock);
	/* Already in a group stop: it re-traps into a ptrace stop the tracer can see. */
	if (t->jobctl & JOBCTL_STOPPED) {
		t->jobctl &= ~JOBCTL_STOPPED;
		t->jobctl |= JOBCTL_TRAP_STOP;
		signal_hint_set(t);
		wake_up_state(t, TASK_STOPPED);
	}
	spin_unlock(&t->sighand->siglock);
	err = 0;
out:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/*
 * The tracee @pid of the current task, with a reference; for requests
 * other than KILL and INTERRUPT it must be in a ptrace stop and off its
 * CPU (its saved registers and FPU area are what we read and write).
 */
static struct task *ptrace_get_child(long pid, bool any_state)
{
	struct task *t;
	unsigned long flags;
	bool stopped;

	if (pid <= 0 || pid > __INT_MAX__)
		return ERR_PTR(-ESRCH);
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked((int)pid);
	if (!t || t->tracer != current || t->ptrace_zombie) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return ERR_PTR(-ESRCH);
	}
	spin_lock(&t->sighand->siglock);
	stopped = (t->jobctl & (JOBCTL_TRACED | JOBCTL_LISTENING)) == JOBCTL_TRACED &&
		  !fatal_signal_pending(t);
	spin_unlock(&t->sighand->siglock);
	if (!stopped && !any_state) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return ERR_PTR(-ESRCH);
	}
	get_task(t);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	/* It set TASK_TRACED itself and may still be on the way into schedule(). */
	while (stopped && READ_ONCE(t->on_cpu))
		cpu_relax();
	return t;
}

static bool valid_signal_nr(unsigned long sig)
{
	return sig <= _NSIG;
}

static long ptrace_resume(struct task *child, long request, unsigned long data)
{
	unsigned long flags;

	if (!valid_signal_nr(data))
		return -EIO;
	if (request == PTRACE_SYSCALL)
		syscall_work_set(child, SYSCALL_WORK_TRACE);
	else
		syscall_work_clear(child, SYSCALL_WORK_TRACE);
	if (request == PTRACE_SINGLESTEP) {
		user_enable_single_step(child);
		syscall_work_set(child, SYSCALL_WORK_STEP);
	} else {
		user_disable_single_step(child);
		syscall_work_clear(child, SYSCALL_WORK_STEP);
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&child->sighand->siglock);
	child->ptrace_report = 0;
	child->ptrace_resume = (int)data;
	child->jobctl &= ~JOBCTL_TRACED;
	wake_up_state(child, TASK_TRACED);
	spin_unlock(&child->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

static long ptrace_detach(struct task *child, unsigned long data)
{
	unsigned long flags;
	bool zombie;

	if (!valid_signal_nr(data))
		return -EIO;
	spin_lock_irqsave(&tasklist_lock, flags);
	zombie = ptrace_unlink_locked(child, (int)data);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (zombie)
		put_task(child);
	return 0;
}

static long ptrace_peek_poke(struct task *child, long request, unsigned long addr,
			     unsigned long data)
{
	bool write = request == PTRACE_POKETEXT || request == PTRACE_POKEDATA;
	unsigned long word = data;
	struct mm *mm = get_task_mm(child);
	long n;

	if (!mm)
		return -EIO;
	n = access_remote_vm_force(mm, addr, &word, sizeof(word), write);
	mmput(mm);
	if (n != sizeof(word))
		return -EIO;
	if (!write && put_user(word, (unsigned long __user *)data))
		return -EFAULT;
	return 0;
}

static long ptrace_get_syscall_info(struct task *child, unsigned long size,
				    void __user *uinfo)
{
	struct pt_regs *regs = task_pt_regs(child);
	struct ptrace_syscall_info info;
	unsigned long args[6];
	unsigned long len;
	long rval;

	memset(&info, 0, sizeof(info));
	info.op = child->ptrace_syscall_op;
	arch_ptrace_syscall_info(child, &info.instruction_pointer, &info.stack_pointer, &info.arch);
	len = offsetof(struct ptrace_syscall_info, entry);
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		info.entry.nr = (u64)syscall_get_nr(child, regs);
		syscall_get_arguments(child, regs, args);
		for (int i = 0; i < 6; i++)
			info.entry.args[i] = args[i];
		len = offsetof(struct ptrace_syscall_info, entry.args) + sizeof(info.entry.args);
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		rval = regs_return_value(regs);
		info.exit.rval = rval;
		info.exit.is_error = rval < 0 && rval >= -4095;
		len = offsetof(struct ptrace_syscall_info, exit.is_error) + sizeof(info.exit.is_error);
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		info.seccomp.nr = (u64)syscall_get_nr(child, regs);
		syscall_get_arguments(child, regs, args);
		for (int i = 0; i < 6; i++)
			info.seccomp.args[i] = args[i];
		info.seccomp.ret_data = (u32)child->ptrace_message;
		len = offsetof(struct ptrace_syscall_info, seccomp.ret_data) +
		      sizeof(info.seccomp.ret_data);
		break;
	}
	if (copy_to_user(uinfo, &info, min(size, len)))
		return -EFAULT;
	return (long)len;
}

static long ptrace_siginfo(struct task *child, long request, void __user *uinfo)
{
	struct siginfo info;
	unsigned long flags;
	long err = 0;

	if (request == PTRACE_SETSIGINFO && copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	spin_lock_irqsave(&child->sighand->siglock, flags);
	if (!child->last_siginfo)
		err = -EINVAL;
	else if (request == PTRACE_SETSIGINFO)
		*child->last_siginfo = info;
	else
		info = *child->last_siginfo;
	spin_unlock_irqrestore(&child->sighand->siglock, flags);
	if (!err && request == PTRACE_GETSIGINFO && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return err;
}

/* Copies the @n-th queued siginfo of @child (shared queue or its own) to @info; false past the end. */
static bool ptrace_peek_queued(struct task *child, bool shared, u64 n, struct siginfo *info)
{
	struct sigpending *p = shared ? &child->signal->shared_pending : &child->pending;
	struct sigqueue *q;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&child->sighand->siglock, flags);
	list_for_each_entry(q, &p->list, node) {
		if (n--)
			continue;
		*info = q->info;
		found = true;
		break;
	}
	spin_unlock_irqrestore(&child->sighand->siglock, flags);
	return found;
}

static long ptrace_peeksiginfo(struct task *child, const void __user *uargs,
			       struct siginfo __user *uinfo)
{
	struct ptrace_peeksiginfo_args args;
	struct siginfo info;
	long i;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~PTRACE_PEEKSIGINFO_SHARED) || args.nr < 0)
		return -EINVAL;
	for (i = 0; i < args.nr; i++) {
		if (!ptrace_peek_queued(child, args.flags & PTRACE_PEEKSIGINFO_SHARED,
					args.off + (u64)i, &info))
			break;
		if (copy_to_user(uinfo + i, &info, sizeof(info)))
			return i ? i : -EFAULT;
		if (signal_pending_current())
			break;
	}
	return i;
}

static long ptrace_sigmask(struct task *child, long request, unsigned long size,
			   u64 __user *umask)
{
	unsigned long flags;
	u64 mask;

	if (size != sizeof(u64))
		return -EINVAL;
	if (request == PTRACE_GETSIGMASK)
		return put_user(child->blocked, umask) ? -EFAULT : 0;
	if (get_user(mask, umask))
		return -EFAULT;
	spin_lock_irqsave(&child->sighand->siglock, flags);
	child->blocked = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&child->sighand->siglock, flags);
	return 0;
}

static long ptrace_interrupt_listen(struct task *child, long request)
{
	unsigned long flags;
	long err = 0;

	if (!(child->ptrace & PT_SEIZED))
		return -EIO;
	spin_lock_irqsave(&child->sighand->siglock, flags);
	if (request == PTRACE_INTERRUPT) {
		/* A running tracee traps; a listening one re-reports its stop. */
		child->jobctl |= JOBCTL_TRAP_STOP;
		signal_hint_set(child);
		if (child->jobctl & JOBCTL_LISTENING) {
			child->jobctl &= ~(JOBCTL_LISTENING | JOBCTL_TRACED);
			wake_up_state(child, TASK_TRACED);
		} else if (!(child->jobctl & JOBCTL_TRACED) && !wake_up_state(child, TASK_INTERRUPTIBLE)) {
			kick_process(child);
		}
	} else if (!child->last_siginfo ||
		   (child->last_siginfo->si_code >> 8) != PTRACE_EVENT_STOP) {
		err = -EIO;
	} else {
		/* LISTEN: stays stopped but is no longer the tracer's until SIGCONT. */
		child->jobctl |= JOBCTL_LISTENING;
	}
	spin_unlock_irqrestore(&child->sighand->siglock, flags);
	if (!err && request == PTRACE_LISTEN) {
		spin_lock_irqsave(&tasklist_lock, flags);
		child->ptrace_report = 0;
		spin_unlock_irqrestore(&tasklist_lock, flags);
	}
	return err;
}

static long ptrace_setoptions(struct task *child, unsigned long data)
{
	unsigned long flags;

	if (data & ~(unsigned long)PTRACE_O_MASK)
		return -EINVAL;
	spin_lock_irqsave(&tasklist_lock, flags);
	child->ptrace = (child->ptrace & ((1U << PT_OPT_SHIFT) - 1)) |
			(unsigned int)data << PT_OPT_SHIFT;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

static long ptrace_request(struct task *child, long request, unsigned long addr,
			   unsigned long data)
{
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return ptrace_peek_poke(child, request, addr, data);
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
		return ptrace_resume(child, request, data);
	case PTRACE_DETACH:
		return ptrace_detach(child, data);
	case PTRACE_KILL:
		send_sig_info(SIGKILL, NULL, child);
		return 0;
	case PTRACE_INTERRUPT:
	case PTRACE_LISTEN:
		return ptrace_interrupt_listen(child, request);
	case PTRACE_SETOPTIONS:
		return ptrace_setoptions(child, data);
	case PTRACE_GETEVENTMSG:
		return put_user(child->ptrace_message, (unsigned long __user *)data) ? -EFAULT : 0;
	case PTRACE_GETSIGINFO:
	case PTRACE_SETSIGINFO:
		return ptrace_siginfo(child, request, (void __user *)data);
	case PTRACE_PEEKSIGINFO:
		return ptrace_peeksiginfo(child, (const void __user *)addr, (void __user *)data);
	case PTRACE_GETSIGMASK:
	case PTRACE_SETSIGMASK:
		return ptrace_sigmask(child, request, addr, (u64 __user *)data);
	case PTRACE_GET_SYSCALL_INFO:
		return ptrace_get_syscall_info(child, addr, (void __user *)data);
	default:
		return arch_ptrace(child, request, addr, data);
	}
}

SYSCALL_DEFINE4(ptrace, long, request, long, pid, unsigned long, addr, unsigned long, data)
{
	struct task *child;
	long ret;

	if (request == PTRACE_TRACEME)
		return ptrace_traceme();
	if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
		return ptrace_attach(pid, request, addr, data);
	child = ptrace_get_child(pid, request == PTRACE_KILL || request == PTRACE_INTERRUPT);
	if (IS_ERR(child))
		return PTR_ERR(child);
	ret = ptrace_request(child, request, addr, data);
	put_task(child);
	return ret;
}
