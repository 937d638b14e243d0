// SPDX-License-Identifier: MIT
/*
 * Signal generation, queueing and the default actions (see <exo/signal.h>
 * and docs/signals.md).
 *
 *   send_sig_info()    queue a signal on a task, wake it
 *   force_sig_fault()  a fault of the current task, never ignored or blocked
 *   get_signal()       at the return to user mode: dequeue, act on default
 *                      actions (ignore, stop, continue, terminate), hand the
 *                      first signal with a user handler to the arch code
 *   signal_delivered() block what the handler's sa_mask says
 *
 * Every task has a sighand (actions) and its own pending set and queue.
 * Standard signals are pending at most once (a second instance while one
 * is pending is lost, as POSIX allows); realtime signals queue each
 * instance, oldest first. A queue entry that cannot be allocated leaves the
 * signal pending with a minimal siginfo (SI_USER, pid 0), as Linux does.
 *
 * Job control is per task while a process is one task: a stop signal puts
 * the task in TASK_STOPPED and records the wait status for the parent;
 * SIGCONT (or SIGKILL) wakes it, and the task itself then notifies its
 * parent (CLD_CONTINUED), so senders never need tasklist_lock.
 *
 * Lock order: tasklist_lock -> sighand->siglock -> rq->lock. siglock is
 * taken with interrupts off (timers and drivers send signals).
 */
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define SIG_STOP_MASK (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define SIG_IGNORE_MASK (sigmask(SIGCHLD) | sigmask(SIGURG) | sigmask(SIGWINCH) | sigmask(SIGCONT))
#define SIG_COREDUMP_MASK (sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | \
			   sigmask(SIGABRT) | sigmask(SIGBUS) | sigmask(SIGFPE) |     \
			   sigmask(SIGSEGV) | sigmask(SIGXCPU) | sigmask(SIGXFSZ) |   \
			   sigmask(SIGSYS))
/* Faults are dequeued before anything else, so the handler sees the fault's own siginfo. */
#define SIG_SYNCHRONOUS_MASK (sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | \
			      sigmask(SIGTRAP) | sigmask(SIGFPE) | sigmask(SIGSYS))

static struct kmem_cache *sigqueue_cache;

static bool sig_in(u64 set, int sig)
{
	return (set & sigmask(sig)) != 0;
}

static bool sig_default_ignored(int sig)
{
	return sig <= 31 && sig_in(SIG_IGNORE_MASK, sig);
}

static bool sig_is_stop(int sig)
{
	return sig <= 31 && sig_in(SIG_STOP_MASK, sig);
}

static bool handler_ignores(const struct kernel_sigaction *ka, int sig)
{
	return ka->handler == SIG_IGN || (ka->handler == SIG_DFL && sig_default_ignored(sig));
}

/* --- sighand and queue lifetime ----------------------------------------------- */

int signal_task_init(struct task *t)
{
	struct sighand *sh = kmalloc(sizeof(*sh), GFP_KERNEL);

	if (!sh)
		return -ENOMEM;
	memset(sh, 0, sizeof(*sh));
	sh->refcount = 1;
	spin_lock_init(&sh->siglock);
	t->sighand = sh;
	INIT_LIST_HEAD(&t->pending.list);
	t->pending.signal = 0;
	return 0;
}

static void flush_queue(struct sigpending *p, u64 which)
{
	struct sigqueue *q, *tmp;

	list_for_each_entry_safe(q, tmp, &p->list, node) {
		if (!sig_in(which, q->info.si_signo))
			continue;
		list_del(&q->node);
		kmem_cache_free(sigqueue_cache, q);
	}
	p->signal &= ~which;
}

void signal_task_free(struct task *t)
{
	struct sighand *sh = t->sighand;

	if (!sh)
		return;
	flush_queue(&t->pending, ~0ULL);
	t->sighand = NULL;
	if (__atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(sh);
}

void signal_copy_actions(struct task *child, struct task *parent, bool share)
{
	unsigned long flags;

	if (share) {
		kfree(child->sighand);
		__atomic_add_fetch(&parent->sighand->refcount, 1, __ATOMIC_RELAXED);
		child->sighand = parent->sighand;
	} else {
		spin_lock_irqsave(&parent->sighand->siglock, flags);
		memcpy(child->sighand->action, parent->sighand->action,
		       sizeof(child->sighand->action));
		spin_unlock_irqrestore(&parent->sighand->siglock, flags);
	}
	child->blocked = parent->blocked;
	child->sas_ss_sp = parent->sas_ss_sp;
	child->sas_ss_size = parent->sas_ss_size;
	child->sas_ss_flags = parent->sas_ss_flags;
}

int signal_unshare_handlers(struct task *t)
{
	struct sighand *old = t->sighand, *sh;
	unsigned long flags;

	if (__atomic_load_n(&old->refcount, __ATOMIC_ACQUIRE) == 1)
		return 0;
	sh = kmalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh)
		return -ENOMEM;
	memset(sh, 0, sizeof(*sh));
	sh->refcount = 1;
	spin_lock_init(&sh->siglock);
	spin_lock_irqsave(&old->siglock, flags);
	memcpy(sh->action, old->action, sizeof(sh->action));
	t->sighand = sh;
	spin_unlock_irqrestore(&old->siglock, flags);
	if (__atomic_sub_fetch(&old->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(old);
	return 0;
}

void signal_flush_handlers(struct task *t)
{
	struct sighand *sh = t->sighand;
	unsigned long flags;

	/* exec unshared them first (signal_unshare_handlers). */
	WARN_ON(__atomic_load_n(&sh->refcount, __ATOMIC_RELAXED) != 1);
	spin_lock_irqsave(&sh->siglock, flags);
	for (int i = 0; i < _NSIG; i++) {
		struct kernel_sigaction *ka = &sh->action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
	spin_unlock_irqrestore(&sh->siglock, flags);
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
	t->sas_ss_flags = 0;
}

/* --- generation ------------------------------------------------------------------ */

/* Whether @sig sent to @t would have no effect at all. Caller holds siglock. */
static bool sig_ignored_locked(struct task *t, int sig, bool force)
{
	const struct kernel_sigaction *ka = &t->sighand->action[sig - 1];

	/* A blocked signal stays pending: the handler may change before it is unblocked. */
	if (sig_in(t->blocked | t->real_blocked, sig))
		return false;
	/* Init gets only the signals it has a handler for (Linux's SIGNAL_UNKILLABLE). */
	if (t->pid == 1 && ka->handler == SIG_DFL && !force)
		return true;
	return handler_ignores(ka, sig);
}

/* Wakes @t so it notices @sig: from an interruptible sleep, or a stop for SIGKILL. */
static void signal_wake_up_locked(struct task *t, int sig)
{
	if (sig == SIGKILL) {
		t->jobctl &= ~JOBCTL_STOPPED;
		wake_up_state(t, TASK_INTERRUPTIBLE | TASK_STOPPED);
	} else if (!sig_in(t->blocked, sig)) {
		wake_up_state(t, TASK_INTERRUPTIBLE);
	}
}

/*
 * What a stop or continue signal does at once, whatever its handler
 * (signal(7)): SIGCONT discards pending stop signals and resumes a stopped
 * task; a stop signal discards a pending SIGCONT.
 */
static void prepare_signal_locked(struct task *t, int sig)
{
	if (sig == SIGCONT) {
		flush_queue(&t->pending, SIG_STOP_MASK);
		if (t->jobctl & JOBCTL_STOPPED) {
			t->jobctl = (t->jobctl & ~JOBCTL_STOPPED) | JOBCTL_CONT_NOTIFY;
			wake_up_state(t, TASK_STOPPED);
		}
	} else if (sig_is_stop(sig)) {
		flush_queue(&t->pending, sigmask(SIGCONT));
	}
}

static int __send_signal_locked(int sig, const struct siginfo *info, struct task *t, bool force)
{
	struct sigqueue *q;

	prepare_signal_locked(t, sig);
	if (sig_ignored_locked(t, sig, force))
		return 0;
	if (sig < SIGRTMIN && sig_in(t->pending.signal, sig))
		return 0;	/* standard signals do not queue */
	if (!sigqueue_cache)
		sigqueue_cache = kmem_cache_create("sigqueue", sizeof(struct sigqueue), 8, 0, NULL);
	q = sigqueue_cache ? kmem_cache_alloc(sigqueue_cache, GFP_ATOMIC) : NULL;
	if (q) {
		if (info) {
			q->info = *info;
		} else {
			memset(&q->info, 0, sizeof(q->info));
			q->info.si_code = SI_KERNEL;
		}
		q->info.si_signo = sig;
		list_add_tail(&q->node, &t->pending.list);
	} else if (sig >= SIGRTMIN && info && info->si_code != SI_USER) {
		return -EAGAIN;	/* sigqueue(3): no room for the value */
	}
	t->pending.signal |= sigmask(sig);
	signal_wake_up_locked(t, sig);
	return 0;
}

int send_sig_info(int sig, const struct siginfo *info, struct task *t)
{
	unsigned long flags;
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!t->sighand || (t->flags & PF_KTHREAD) || t->exit_state)
		return 0;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ret = __send_signal_locked(sig, info, t, false);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

void send_signal(struct task *t, int sig)
{
	send_sig_info(sig, NULL, t);
}

int kill_pgrp(int pgid, int sig)
{
	unsigned long flags;
	struct task *t;
	int err = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(t, &task_list, all_node) {
		if (t->pgid == pgid && !t->exit_state && !(t->flags & PF_KTHREAD)) {
			send_signal(t, sig);
			err = 0;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

/* Queues @sig on the current task so that its default action runs if @to_default. */
static void force_sig_info(const struct siginfo *info, bool to_default)
{
	struct task *t = current;
	struct kernel_sigaction *ka = &t->sighand->action[info->si_signo - 1];
	int sig = info->si_signo;
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	if (to_default || ka->handler == SIG_IGN || sig_in(t->blocked, sig)) {
		ka->handler = SIG_DFL;
		ka->flags &= ~SA_RESETHAND;
	}
	t->blocked &= ~sigmask(sig);
	__send_signal_locked(sig, info, t, true);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void force_sig_fault(int sig, int si_code, unsigned long addr)
{
	struct siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = si_code;
	info.f.fault.addr = addr;
	force_sig_info(&info, false);
}

void force_sig_default(int sig)
{
	struct siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	force_sig_info(&info, true);
}

bool signal_pending(struct task *t)
{
	u64 pending = READ_ONCE(t->pending.signal);

	return (pending & ~READ_ONCE(t->blocked)) || sig_in(pending, SIGKILL);
}

bool signal_pending_current(void)
{
	return signal_pending(current);
}

bool fatal_signal_pending(struct task *t)
{
	return sig_in(READ_ONCE(t->pending.signal), SIGKILL);
}

/* --- delivery ---------------------------------------------------------------------- */

/*
 * Takes the next signal in @allowed off @t's queue into @info; returns it,
 * or 0. Faults first, then the lowest number. Caller holds siglock.
 */
int dequeue_signal_locked(struct task *t, u64 allowed, struct siginfo *info)
{
	u64 ready = t->pending.signal & allowed;
	struct sigqueue *q, *found = NULL;
	bool more = false;
	int sig;

	if (!ready)
		return 0;
	if (ready & SIG_SYNCHRONOUS_MASK)
		ready &= SIG_SYNCHRONOUS_MASK;
	sig = __builtin_ctzll(ready) + 1;
	list_for_each_entry(q, &t->pending.list, node) {
		if (q->info.si_signo != sig)
			continue;
		if (found) {
			more = true;
			break;
		}
		found = q;
	}
	if (found) {
		*info = found->info;
		list_del(&found->node);
		kmem_cache_free(sigqueue_cache, found);
	} else {
		memset(info, 0, sizeof(*info));
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
	if (!more)
		t->pending.signal &= ~sigmask(sig);
	return sig;
}

/* The SIGCHLD a parent gets when @t stops or continues; caller holds tasklist_lock. */
static void notify_parent_cldstop_locked(struct task *t, int why, int sig)
{
	struct task *parent = t->parent;
	struct siginfo info;

	if (!parent || !parent->sighand)
		return;
	if (!(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGCHLD;
		info.si_code = why;
		info.f.chld.pid = t->tgid;
		info.f.chld.uid = t->cred.uid;
		info.f.chld.status = sig;
		send_sig_info(SIGCHLD, &info, parent);
	}
	wake_up(&parent->group_leader->wait_child);
}

static void do_notify_continued(struct task *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	t->stop_code = 0;
	t->continued_report = true;
	notify_parent_cldstop_locked(t, CLD_CONTINUED, SIGCONT);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/*
 * Stops the current task for @sig until SIGCONT or SIGKILL. The task is
 * marked stopped before the parent hears of it: a parent that sends
 * SIGCONT as soon as waitpid() reports the stop must find JOBCTL_STOPPED
 * set, or the SIGCONT would pass unseen and the task stay stopped.
 */
static void do_signal_stop(int sig)
{
	struct task *t = current;
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	/* A SIGCONT or SIGKILL already on its way cancels the stop. */
	if (sig_in(t->pending.signal, SIGKILL) || (t->jobctl & JOBCTL_CONT_NOTIFY)) {
		spin_unlock_irqrestore(&t->sighand->siglock, flags);
		return;
	}
	t->jobctl |= JOBCTL_STOPPED;
	set_current_state(TASK_STOPPED);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);

	/* A SIGCONT from here on wakes us (schedule() then returns at once) and is reported after. */
	spin_lock_irqsave(&tasklist_lock, flags);
	t->stop_code = WSTATUS_STOPPED(sig);
	t->continued_report = false;
	notify_parent_cldstop_locked(t, CLD_STOPPED, sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	schedule();
}

bool get_signal(struct ksignal *ksig)
{
	struct task *t = current;
	struct sighand *sh = t->sighand;
	struct kernel_sigaction *ka;
	unsigned long flags;
	int sig;

	for (;;) {
		spin_lock_irqsave(&sh->siglock, flags);
		if (t->jobctl & JOBCTL_CONT_NOTIFY) {
			t->jobctl &= ~JOBCTL_CONT_NOTIFY;
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_notify_continued(t);
			continue;
		}
		/* SIGKILL goes first and ignores the mask. */
		sig = dequeue_signal_locked(t, ~t->blocked | sigmask(SIGKILL), &ksig->info);
		if (!sig) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			return false;
		}
		ka = &sh->action[sig - 1];
		if (ka->handler == SIG_IGN && sig != SIGKILL) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			continue;
		}
		if (ka->handler != SIG_DFL && sig != SIGKILL) {
			ksig->sig = sig;
			ksig->ka = *ka;
			if (ka->flags & SA_RESETHAND) {
				ka->handler = SIG_DFL;
				ka->flags &= ~SA_RESETHAND;
			}
			spin_unlock_irqrestore(&sh->siglock, flags);
			return true;
		}
		spin_unlock_irqrestore(&sh->siglock, flags);

		if (sig_default_ignored(sig))
			continue;
		if (sig_is_stop(sig)) {
			do_signal_stop(sig);
			continue;
		}
		/* Terminate; with a core dump for the core signals, but RLIMIT_CORE is 0: no 0x80 bit. */
		do_group_exit(sig);
	}
}

void signal_delivered(struct ksignal *ksig)
{
	struct task *t = current;
	unsigned long flags;
	u64 block = ksig->ka.mask;

	if (!(ksig->ka.flags & SA_NODEFER))
		block |= sigmask(ksig->sig);
	spin_lock_irqsave(&t->sighand->siglock, flags);
	t->blocked = (t->blocked | block) & ~SIG_KERNEL_ONLY_MASK;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	/* The frame holds the mask sigsuspend saved; the handler's return restores it. */
	t->restore_sigmask = false;
}

void signal_setup_failed(void)
{
	force_sig_default(SIGSEGV);
}

void set_current_blocked(u64 mask)
{
	struct task *t = current;
	unsigned long flags;

	spin_lock_irqsave(&t->sighand->siglock, flags);
	t->blocked = mask & ~SIG_KERNEL_ONLY_MASK;
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
}

void set_restore_sigmask(u64 saved)
{
	current->saved_sigmask = saved;
	current->restore_sigmask = true;
}

void restore_saved_sigmask(void)
{
	struct task *t = current;

	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		set_current_blocked(t->saved_sigmask);
	}
}

u64 sigmask_to_save(void)
{
	struct task *t = current;

	return t->restore_sigmask ? t->saved_sigmask : t->blocked;
}

void signal_deliver(struct pt_regs *regs)
{
	arch_do_signal_or_restart(regs);
}

/* --- the alternate signal stack ---------------------------------------------------- */

bool on_sig_stack(unsigned long sp)
{
	struct task *t = current;

	if (t->sas_ss_flags & SS_AUTODISARM)
		return false;
	return sp > t->sas_ss_sp && sp - t->sas_ss_sp <= t->sas_ss_size;
}

static int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

unsigned long sigsp(unsigned long sp, const struct kernel_sigaction *ka)
{
	struct task *t = current;

	if ((ka->flags & SA_ONSTACK) && sas_ss_flags(sp) == 0)
		return t->sas_ss_sp + t->sas_ss_size;
	return 0;
}

void sigaltstack_save(struct sigaltstack *ss, unsigned long sp)
{
	struct task *t = current;

	memset(ss, 0, sizeof(*ss));
	ss->ss_sp = t->sas_ss_sp;
	ss->ss_size = t->sas_ss_size;
	ss->ss_flags = sas_ss_flags(sp) | (int)t->sas_ss_flags;
	/* SS_AUTODISARM: the handler runs with no alternate stack until it returns. */
	if (t->sas_ss_flags & SS_AUTODISARM) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
	}
}

/* The core of sigaltstack(2); @sp is the caller's user stack pointer. */
int do_sigaltstack(const struct sigaltstack *ss, struct sigaltstack *oss, unsigned long sp)
{
	struct task *t = current;
	unsigned int mode;

	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = t->sas_ss_sp;
		oss->ss_size = t->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) | (int)t->sas_ss_flags;
	}
	if (!ss)
		return 0;
	if (on_sig_stack(sp))
		return -EPERM;
	mode = (unsigned int)ss->ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->sas_ss_sp = 0;
		t->sas_ss_size = 0;
		t->sas_ss_flags = 0;
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->sas_ss_sp = ss->ss_sp;
	t->sas_ss_size = ss->ss_size;
	t->sas_ss_flags = (unsigned int)ss->ss_flags & SS_AUTODISARM;
	return 0;
}

void sigaltstack_restore(const struct sigaltstack *ss, unsigned long sp)
{
	do_sigaltstack(ss, NULL, sp);
}

/* --- restart_syscall ------------------------------------------------------------------ */

static long do_no_restart_syscall(struct restart_block *rb)
{
	(void)rb;
	return -EINTR;
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &current->restart_block;
	long (*fn)(struct restart_block *) = rb->fn ? rb->fn : do_no_restart_syscall;

	rb->fn = do_no_restart_syscall;
	return fn(rb);
}
