// SPDX-License-Identifier: MIT
/*
 * Signal generation, queueing and the default actions (see <exo/signal.h>
 * and docs/signals.md).
 *
 *   group_send_sig_info() a process-directed signal: the shared set, then
 *                      one thread that does not block it is woken
 *   send_sig_info()    a thread-directed signal: that thread's own set
 *   force_sig_fault()  a fault of the current task, never ignored or blocked
 *   get_signal()       at the return to user mode: dequeue (own set first,
 *                      then the shared one), act on default actions (ignore,
 *                      stop, continue, terminate), hand the first signal with
 *                      a user handler to the arch code
 *   signal_delivered() block what the handler's sa_mask says
 *
 * Every task has a sighand (actions, shared by threads), its own pending
 * set and queue, and a signal_struct (shared by threads) with the
 * process's pending set. Standard signals are pending at most once per set
 * (a second instance while one is pending is lost, as POSIX allows);
 * realtime signals queue each instance, oldest first. A queue entry that
 * cannot be allocated leaves the signal pending with a minimal siginfo
 * (SI_USER, pid 0), as Linux does.
 *
 * complete_signal_locked() picks the thread to wake as Linux does: the
 * named task if it wants the signal, else (process-directed) the first
 * thread that does not block it; none: the signal waits in the shared set
 * until a thread unblocks it or sigwaits. A fatal signal (default action
 * terminate, no handler) puts SIGKILL on every thread at once.
 *
 * Job control is per process: the thread that takes a stop signal marks
 * every other thread JOBCTL_STOP_PENDING and wakes it; each stops on its
 * way to user mode and the last one records the stop for wait() and tells
 * the parent, under tasklist_lock so that the report cannot cross a
 * SIGCONT's. SIGCONT (or SIGKILL) wakes every thread; one of them then
 * notifies the parent (CLD_CONTINUED), so senders never need tasklist_lock.
 *
 * Lock order: tasklist_lock -> sighand->siglock -> rq->lock. siglock is
 * taken with interrupts off (timers and drivers send signals). The thread
 * list changes under tasklist_lock and siglock, so either is enough to
 * walk it.
 */
#include <exo/entry.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/init.h>
#include <exo/printk.h>
#include <exo/ptrace.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/signalfd.h>
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

static struct kmem_cache *sigqueue_cache;	/* [immutable] after signals_init() */

/*
 * At boot, not at the first queued signal: that may come when memory is
 * short (a fault's SIGKILL), and a failed create must not become the cache.
 */
static int signals_init(void)
{
	struct kmem_cache *c = kmem_cache_create("sigqueue", sizeof(struct sigqueue), 8, 0, NULL);

	if (IS_ERR(c))
		return PTR_ERR(c);
	sigqueue_cache = c;
	return 0;
}
core_initcall(signals_init);

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

static void sigpending_init(struct sigpending *p)
{
	p->signal = 0;
	INIT_LIST_HEAD(&p->list);
}

int signal_task_init(struct task *t)
{
	struct sighand *sh = kmalloc(sizeof(*sh), GFP_KERNEL);
	struct signal_struct *sig = kmalloc(sizeof(*sig), GFP_KERNEL);

	if (!sh || !sig) {
		kfree(sh);
		kfree(sig);
		return -ENOMEM;
	}
	memset(sh, 0, sizeof(*sh));
	sh->refcount = 1;
	spin_lock_init(&sh->siglock);
	init_waitqueue_head(&sh->signalfd_wqh);
	memset(sig, 0, sizeof(*sig));
	sig->refcount = 1;
	sigpending_init(&sig->shared_pending);
	spin_lock_init(&sig->itimer_lock);
	INIT_LIST_HEAD(&sig->posix_timers);
	t->sighand = sh;
	t->signal = sig;
	sigpending_init(&t->pending);
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

static void signal_struct_put(struct signal_struct *sig)
{
	if (__atomic_sub_fetch(&sig->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		flush_queue(&sig->shared_pending, ~0ULL);
		kfree(sig);
	}
}

void signal_task_free(struct task *t)
{
	struct sighand *sh = t->sighand;

	if (t->signal) {
		signal_struct_put(t->signal);
		t->signal = NULL;
	}
	if (!sh)
		return;
	flush_queue(&t->pending, ~0ULL);
	t->sighand = NULL;
	if (__atomic_sub_fetch(&sh->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		signalfd_cleanup(sh);
		kfree(sh);
	}
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

void signal_share_group(struct task *child, struct task *parent)
{
	kfree(child->signal);
	__atomic_add_fetch(&parent->signal->refcount, 1, __ATOMIC_RELAXED);
	child->signal = parent->signal;
}

void signal_thread_join_locked(struct task *child, struct task *leader)
{
	struct signal_struct *sig = leader->signal;

	lockdep_assert_held(&tasklist_lock);
	spin_lock(&leader->sighand->siglock);
	list_add_tail(&child->thread_node, &leader->thread_list);
	/* Created while the process stops or dies: it stops or dies with it. */
	if (sig->flags & SIGNAL_GROUP_EXIT) {
		child->pending.signal |= sigmask(SIGKILL);
	} else if (sig->group_stop_count) {
		child->jobctl |= JOBCTL_STOP_PENDING;
		sig->group_stop_count++;
	}
	/* Its first return to user mode looks at all of it, the process's queue too. */
	signal_hint_set(child);
	spin_unlock(&leader->sighand->siglock);
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
	init_waitqueue_head(&sh->signalfd_wqh);
	spin_lock_irqsave(&old->siglock, flags);
	memcpy(sh->action, old->action, sizeof(sh->action));
	t->sighand = sh;
	spin_unlock_irqrestore(&old->siglock, flags);
	if (__atomic_sub_fetch(&old->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		signalfd_cleanup(old);
		kfree(old);
	}
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

	lockdep_assert_held(&t->sighand->siglock);
	/* A blocked signal stays pending: the handler may change before it is unblocked. */
	if (sig_in(t->blocked | t->real_blocked, sig))
		return false;
	/* The tracer sees every signal (signal-delivery-stop), even one the tracee ignores. */
	if (t->tracer && sig != SIGKILL)
		return false;
	/* Init gets only the signals it has a handler for (Linux's SIGNAL_UNKILLABLE). */
	if (t->tgid == 1 && ka->handler == SIG_DFL && !force)
		return true;
	return handler_ignores(ka, sig);
}

/* Its default action ends the process, and no handler is set. Caller holds siglock. */
static bool sig_fatal_locked(struct task *t, int sig)
{
	const struct kernel_sigaction *ka = &t->sighand->action[sig - 1];

	lockdep_assert_held(&t->sighand->siglock);
	if (sig == SIGKILL)
		return true;
	return ka->handler == SIG_DFL && !sig_default_ignored(sig) && !sig_is_stop(sig);
}

/*
 * Wakes @t so it notices a signal: from an interruptible sleep, and for a
 * @fatal one from a stop too; a task running on another CPU gets an IPI.
 */
static void signal_wake_up_locked(struct task *t, bool fatal)
{
	unsigned int states = TASK_INTERRUPTIBLE;

	lockdep_assert_held(&t->sighand->siglock);
	if (fatal) {
		t->jobctl &= ~(JOBCTL_STOPPED | JOBCTL_STOP_PENDING);
		states |= TASK_STOPPED | TASK_TRACED;
	}
	signal_hint_set(t);
	if (!wake_up_state(t, states))
		kick_process(t);
}

u64 signal_pending_set_locked(struct task *t)
{
	lockdep_assert_held(&t->sighand->siglock);
	return t->pending.signal | t->signal->shared_pending.signal;
}

void signal_discard_locked(struct task *t, u64 mask)
{
	struct task *it;

	lockdep_assert_held(&t->sighand->siglock);
	flush_queue(&t->signal->shared_pending, mask);
	for_each_thread(t->group_leader, it)
		flush_queue(&it->pending, mask);
}

/*
 * What a stop or continue signal does at once, whatever its handler
 * (signal(7)), to the whole process: SIGCONT discards pending stop signals,
 * cancels a group stop and resumes every stopped thread; a stop signal
 * discards a pending SIGCONT. Returns false when the process is dying and
 * the signal is dropped.
 */
static bool prepare_signal_locked(struct task *t, int sig)
{
	struct signal_struct *s = t->signal;
	struct task *it;

	lockdep_assert_held(&t->sighand->siglock);
	if (s->flags & SIGNAL_GROUP_EXIT)
		return sig == SIGKILL;
	if (sig == SIGCONT) {
		signal_discard_locked(t, SIG_STOP_MASK);
		for_each_thread(t->group_leader, it) {
			it->jobctl &= ~(JOBCTL_STOP_PENDING | JOBCTL_STOP_DEQUEUED);
			if (it->jobctl & JOBCTL_STOPPED) {
				it->jobctl &= ~JOBCTL_STOPPED;
				wake_up_state(it, TASK_STOPPED);
			}
			/* PTRACE_LISTEN ends here: the tracee traps again to report it. */
			if (it->jobctl & JOBCTL_LISTENING) {
				it->jobctl &= ~(JOBCTL_LISTENING | JOBCTL_TRACED);
				it->jobctl |= JOBCTL_TRAP_STOP;
				signal_hint_set(it);
				wake_up_state(it, TASK_TRACED);
			}
		}
		/*
		 * A finished stop is reported as continued; so is one still in
		 * progress, whose stopped threads are resumed (wait(WCONTINUED)
		 * reports it, as Linux's SIGNAL_STOP_CONTINUED does).
		 */
		if ((s->flags & SIGNAL_STOP_STOPPED) || s->group_stop_count) {
			s->flags = (s->flags & ~SIGNAL_STOP_STOPPED) | SIGNAL_CLD_CONTINUED;
			s->group_stop_count = 0;
		}
	} else if (sig_is_stop(sig)) {
		signal_discard_locked(t, sigmask(SIGCONT));
	}
	return true;
}

/* Whether @t can take @sig now (Linux's wants_signal). Caller holds siglock. */
static bool wants_signal(int sig, struct task *t)
{
	lockdep_assert_held(&t->sighand->siglock);
	if (sig_in(t->blocked, sig) || (t->flags & PF_EXITING))
		return false;
	if (sig == SIGKILL)
		return true;
	if (t->jobctl & (JOBCTL_STOPPED | JOBCTL_TRACED))
		return false;
	/*
	 * Prefer a thread that is running, or has nothing else to handle. @sig
	 * itself is already in the set when a thread-directed send asks: it
	 * must not make its own target look busy, or a thread asleep in
	 * sigwaitinfo() would never be woken for it.
	 */
	return t == current || READ_ONCE(t->on_cpu) ||
	       !(t->pending.signal & ~t->blocked & ~sigmask(sig));
}

static void signal_kill_thread_locked(struct task *t)
{
	lockdep_assert_held(&t->sighand->siglock);
	t->pending.signal |= sigmask(SIGKILL);
	signal_wake_up_locked(t, true);
}

void zap_other_threads_locked(struct task *t)
{
	struct task *it;

	lockdep_assert_held(&t->sighand->siglock);
	for_each_thread(t->group_leader, it)
		if (it != t && !(it->flags & PF_EXITING))
			signal_kill_thread_locked(it);
}

int signal_group_exit_locked(struct task *t, int status)
{
	struct signal_struct *s = t->signal;

	lockdep_assert_held(&t->sighand->siglock);
	if (s->flags & SIGNAL_GROUP_EXIT)
		return s->group_exit_code;
	s->flags = SIGNAL_GROUP_EXIT;
	s->group_exit_code = status;
	s->group_stop_count = 0;
	zap_other_threads_locked(t);
	return status;
}

/*
 * @sig was queued on @p (@group: on its process): wake the thread that is
 * to take it, or end the whole process now when it is fatal. Caller holds
 * siglock.
 */
static void complete_signal_locked(int sig, struct task *p, bool group)
{
	struct task *t = NULL, *it;

	lockdep_assert_held(&p->sighand->siglock);
	if (wants_signal(sig, p)) {
		t = p;
	} else if (group) {
		for_each_thread(p->group_leader, it) {
			if (wants_signal(sig, it)) {
				t = it;
				break;
			}
		}
	}
	if (!t)
		return;	/* every thread blocks it (or is busy): it waits in the set */
	/* A tracee's fatal signal waits for its delivery stop: the tracer may cancel it. */
	if (sig_fatal_locked(t, sig) && !(t->signal->flags & SIGNAL_GROUP_EXIT) &&
	    !sig_in(t->real_blocked, sig) && (sig == SIGKILL || !t->tracer)) {
		signal_group_exit_locked(t, sig);
		signal_kill_thread_locked(t);
		return;
	}
	signal_wake_up_locked(t, sig == SIGKILL);
}

/*
 * A signal was queued on @t (@group: on its process, which any thread may
 * take): the return to user mode of each thread it is queued for tests one
 * word (entry.h), even while the signal is blocked.
 */
static void signal_queued_locked(struct task *t, bool group)
{
	struct task *it;

	if (!group) {
		signal_hint_set(t);
		return;
	}
	for_each_thread(t->group_leader, it)
		signal_hint_set(it);
}

static int __send_signal_locked(int sig, const struct siginfo *info, struct task *t, bool group,
				bool force)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	lockdep_assert_held(&t->sighand->siglock);
	if (!prepare_signal_locked(t, sig))
		return 0;
	if (sig_ignored_locked(t, sig, force))
		return 0;
	if (sig < SIGRTMIN && sig_in(pending->signal, sig))
		return 0;	/* standard signals do not queue */
	/* No queue entry (no memory): a standard signal is still pending, without its siginfo. */
	q = sigqueue_cache ? kmem_cache_alloc(sigqueue_cache, GFP_ATOMIC) : NULL;
	if (q) {
		if (info) {
			q->info = *info;
		} else {
			memset(&q->info, 0, sizeof(q->info));
			q->info.si_code = SI_KERNEL;
		}
		q->info.si_signo = sig;
		list_add_tail(&q->node, &pending->list);
	} else if (sig >= SIGRTMIN && info && info->si_code != SI_USER) {
		return -EAGAIN;	/* sigqueue(3): no room for the value */
	}
	pending->signal |= sigmask(sig);
	signal_queued_locked(t, group);
	signalfd_notify(t, sig);
	complete_signal_locked(sig, t, group);
	return 0;
}

void send_timer_signal_locked(const struct siginfo *info, struct task *t, bool group)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;

	lockdep_assert_held(&t->sighand->siglock);
	list_for_each_entry(q, &pending->list, node) {
		if (q->info.si_code != SI_TIMER || q->info.si_signo != info->si_signo ||
		    q->info.f.timer.tid != info->f.timer.tid)
			continue;
		if (q->info.f.timer.overrun <= __INT_MAX__ - 1 - info->f.timer.overrun)
			q->info.f.timer.overrun += 1 + info->f.timer.overrun;
		else
			q->info.f.timer.overrun = __INT_MAX__;	/* DELAYTIMER_MAX */
		return;
	}
	__send_signal_locked(info->si_signo, info, t, group, false);
}

static int do_send_sig_info(int sig, const struct siginfo *info, struct task *t, bool group)
{
	unsigned long flags;
	int ret;

	if (!valid_signal(sig))
		return -EINVAL;
	/* A zombie leader still stands for its live threads; a dead thread takes nothing. */
	if (!t->sighand || (t->flags & PF_KTHREAD) || (!group && t->exit_state))
		return 0;
	spin_lock_irqsave(&t->sighand->siglock, flags);
	ret = __send_signal_locked(sig, info, t, group, false);
	spin_unlock_irqrestore(&t->sighand->siglock, flags);
	return ret;
}

int send_sig_info(int sig, const struct siginfo *info, struct task *t)
{
	return do_send_sig_info(sig, info, t, false);
}

int group_send_sig_info(int sig, const struct siginfo *info, struct task *t)
{
	return do_send_sig_info(sig, info, t, true);
}

int kill_tgid_info(int tgid, int sig, const struct siginfo *info)
{
	unsigned long flags;
	struct task *t;
	int err = -ESRCH;

	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid_locked(tgid);
	if (t && t == t->group_leader && !(t->exit_state && !t->nr_threads)) {
		group_send_sig_info(sig, info, t);
		err = 0;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

int kill_tgid(int tgid, int sig)
{
	return kill_tgid_info(tgid, sig, NULL);
}

int kill_pgrp_locked(int pgid, int sig)
{
	struct task *t;
	int err = -ESRCH;

	lockdep_assert_held(&tasklist_lock);
	list_for_each_entry(t, &task_list, all_node) {
		/* Once per process, through its leader, even a zombie one whose threads live on. */
		if (t->pgid != pgid || t != t->group_leader || (t->flags & PF_KTHREAD) ||
		    (t->exit_state && !t->nr_threads))
			continue;
		group_send_sig_info(sig, NULL, t);
		err = 0;
	}
	return err;
}

int kill_pgrp(int pgid, int sig)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&tasklist_lock, flags);
	err = kill_pgrp_locked(pgid, sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

void force_sig_info(const struct siginfo *info, bool to_default)
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
	__send_signal_locked(sig, info, t, false, true);
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

bool __signal_pending(struct task *t)
{
	const struct signal_struct *s = t->signal;
	u64 own = READ_ONCE(t->pending.signal);
	u64 pending = own | (s ? READ_ONCE(s->shared_pending.signal) : 0);
	bool stop = READ_ONCE(t->jobctl) & JOBCTL_PENDING_MASK;

	/* Every return to user mode asks: nothing pending is the case to make short. */
	if (likely(!pending))
		return stop;
	return (pending & ~READ_ONCE(t->blocked)) || sig_in(own, SIGKILL) || stop;
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

/* Takes the next signal in @allowed off @p into @info; returns it, or 0. Faults first, then the lowest number. */
static int __dequeue_signal(struct sigpending *p, u64 allowed, struct siginfo *info)
{
	u64 ready = p->signal & allowed;
	struct sigqueue *q, *found = NULL;
	bool more = false;
	int sig;

	if (!ready)
		return 0;
	if (ready & SIG_SYNCHRONOUS_MASK)
		ready &= SIG_SYNCHRONOUS_MASK;
	sig = __builtin_ctzll(ready) + 1;
	list_for_each_entry(q, &p->list, node) {
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
		p->signal &= ~sigmask(sig);
	return sig;
}

int dequeue_signal_locked(struct task *t, u64 allowed, struct siginfo *info)
{
	int sig = __dequeue_signal(&t->pending, allowed, info);

	lockdep_assert_held(&t->sighand->siglock);
	if (!sig)
		sig = __dequeue_signal(&t->signal->shared_pending, allowed, info);
	if (sig && info->si_code == SI_TIMER)
		posix_timer_delivered_locked(t->signal, info);
	return sig;
}

void notify_cldchild_locked(struct task *to, struct task *t, int pid, int why, int status)
{
	struct siginfo info;

	lockdep_assert_held(&tasklist_lock);
	if (!to || !to->sighand)
		return;
	/* SA_NOCLDSTOP silences stops and continues, never exits. */
	if (why == CLD_EXITED || why == CLD_KILLED ||
	    !(to->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGCHLD;
		info.si_code = why;
		info.f.chld.pid = pid;
		info.f.chld.uid = t->cred.uid;
		info.f.chld.status = status;
		group_send_sig_info(SIGCHLD, &info, to);
	}
	wake_up(&to->group_leader->wait_child);
}

/*
 * The SIGCHLD a parent gets when @t's process stops or continues; the
 * parent is the leader's (a thread's own parent field is not kept up to
 * date on reparenting). Caller holds tasklist_lock.
 */
static void notify_parent_cldstop_locked(struct task *t, int why, int sig)
{
	notify_cldchild_locked(t->group_leader->parent, t, t->tgid, why, sig);
}

/* The last thread of a group stop: record it for wait() and tell the parent. tasklist_lock held. */
static void notify_parent_stopped_locked(struct task *t, int sig)
{
	struct task *leader = t->group_leader;

	lockdep_assert_held(&tasklist_lock);
	leader->stop_code = WSTATUS_STOPPED(sig);
	leader->continued_report = false;
	notify_parent_cldstop_locked(t, CLD_STOPPED, sig);
}

static void do_notify_continued(struct task *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	t->group_leader->stop_code = 0;
	t->group_leader->continued_report = true;
	notify_parent_cldstop_locked(t, CLD_CONTINUED, SIGCONT);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* @t takes its part in a group stop; true when it was the last, so the process is stopped. */
static bool group_stop_participate_locked(struct task *t)
{
	struct signal_struct *s = t->signal;

	lockdep_assert_held(&t->sighand->siglock);
	if (!(t->jobctl & JOBCTL_STOP_PENDING))
		return false;
	t->jobctl &= ~JOBCTL_STOP_PENDING;
	if (!s->group_stop_count || --s->group_stop_count)
		return false;
	s->flags = (s->flags & ~SIGNAL_CLD_CONTINUED) | SIGNAL_STOP_STOPPED;
	return true;
}

/*
 * Stops the current thread: for the stop signal @sig it took (a new group
 * stop, which every other thread joins), or 0 to join the stop in progress.
 * Returns without stopping when a SIGCONT or SIGKILL came first. The thread
 * is marked stopped before the parent hears of it: a parent that sends
 * SIGCONT as soon as waitpid() reports the stop must find JOBCTL_STOPPED
 * set, or the SIGCONT would pass unseen and the thread stay stopped.
 */
static void do_signal_stop(int sig)
{
	struct task *t = current, *it;
	struct signal_struct *s = t->signal;
	unsigned long flags;
	bool last;

	/* tasklist_lock first: the last thread's report cannot cross a SIGCONT's. */
	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&t->sighand->siglock);
	if (!(t->jobctl & JOBCTL_STOP_PENDING)) {
		/* A SIGCONT since the dequeue cleared STOP_DEQUEUED; SIGKILL wins over a stop. */
		if (!sig || !(t->jobctl & JOBCTL_STOP_DEQUEUED) || fatal_signal_pending(t) ||
		    (s->flags & SIGNAL_GROUP_EXIT))
			goto out_unlock;
		/* A stop while stopped (a new thread took a stop signal) keeps reporting the first. */
		if (!(s->flags & SIGNAL_STOP_STOPPED))
			s->group_stop_sig = sig;
		s->group_stop_count = 1;
		t->jobctl |= JOBCTL_STOP_PENDING;
		signal_hint_set(t);
		for_each_thread(t->group_leader, it) {
			if (it == t || (it->flags & PF_EXITING) ||
			    (it->jobctl & (JOBCTL_STOPPED | JOBCTL_STOP_PENDING)))
				continue;
			it->jobctl |= JOBCTL_STOP_PENDING;
			s->group_stop_count++;
			signal_wake_up_locked(it, false);
		}
	}
	t->jobctl &= ~JOBCTL_STOP_DEQUEUED;
	last = group_stop_participate_locked(t);
	if (t->tracer) {
		/* A traced thread's group stop is a ptrace stop: the tracer resumes it. */
		spin_unlock(&t->sighand->siglock);
		if (last)
			notify_parent_stopped_locked(t, s->group_stop_sig);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		ptrace_group_stop(s->group_stop_sig);
		return;
	}
	t->jobctl |= JOBCTL_STOPPED;
	set_current_state(TASK_STOPPED);
	spin_unlock(&t->sighand->siglock);
	/* A SIGCONT from here on wakes us (schedule() then returns at once) and is reported after. */
	if (last)
		notify_parent_stopped_locked(t, s->group_stop_sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	schedule();
	return;

out_unlock:
	t->jobctl &= ~JOBCTL_STOP_DEQUEUED;
	spin_unlock(&t->sighand->siglock);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

/* Wakes another thread for the shared signals in @which that @tsk will not take. Caller holds siglock. */
static void retarget_shared_pending_locked(struct task *tsk, u64 which)
{
	u64 retarget = tsk->signal->shared_pending.signal & which;
	struct task *t;

	lockdep_assert_held(&tsk->sighand->siglock);
	if (!retarget)
		return;
	for_each_thread(tsk->group_leader, t) {
		if (t == tsk || (t->flags & PF_EXITING) || !(retarget & ~t->blocked))
			continue;
		retarget &= t->blocked;
		signal_wake_up_locked(t, false);
		if (!retarget)
			break;
	}
}

void exit_signals(struct task *t)
{
	struct signal_struct *s = t->signal;
	unsigned long flags;
	bool last;

	spin_lock_irqsave(&tasklist_lock, flags);
	spin_lock(&t->sighand->siglock);
	t->flags |= PF_EXITING;
	retarget_shared_pending_locked(t, ~t->blocked);
	/* A group stop waiting for this thread no longer does. */
	last = group_stop_participate_locked(t);
	spin_unlock(&t->sighand->siglock);
	if (last)
		notify_parent_stopped_locked(t, s->group_stop_sig);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

static bool current_pgrp_orphaned(void)
{
	unsigned long flags;
	bool orphaned;

	spin_lock_irqsave(&tasklist_lock, flags);
	orphaned = pgrp_will_be_orphaned_locked(current->pgid, NULL);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return orphaned;
}

bool get_signal(struct ksignal *ksig)
{
	struct task *t = current;
	struct sighand *sh = t->sighand;
	struct signal_struct *s = t->signal;
	struct kernel_sigaction *ka;
	unsigned long flags;
	int sig, status;

	for (;;) {
		spin_lock_irqsave(&sh->siglock, flags);
		if (s->flags & SIGNAL_CLD_CONTINUED) {
			s->flags &= ~SIGNAL_CLD_CONTINUED;
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_notify_continued(t);
			continue;
		}
		/* SIGKILL goes first: the process is ending, with the status a fatal signal set. */
		if (fatal_signal_pending(t)) {
			t->pending.signal &= ~sigmask(SIGKILL);
			status = (s->flags & SIGNAL_GROUP_EXIT) ? s->group_exit_code : SIGKILL;
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_group_exit(status);
		}
		if (t->jobctl & JOBCTL_STOP_PENDING) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			do_signal_stop(0);
			continue;
		}
		if (t->jobctl & JOBCTL_TRAP_STOP) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			ptrace_do_jobctl_trap();
			continue;
		}
		sig = dequeue_signal_locked(t, ~t->blocked, &ksig->info);
		if (!sig) {
			spin_unlock_irqrestore(&sh->siglock, flags);
			return false;
		}
		if (READ_ONCE(t->tracer) && sig != SIGKILL) {
			/* Signal-delivery-stop: the tracer may change or cancel the signal. */
			spin_unlock_irqrestore(&sh->siglock, flags);
			sig = ptrace_signal(sig, &ksig->info);
			if (!sig)
				continue;
			spin_lock_irqsave(&sh->siglock, flags);
			if (sig_in(t->blocked, sig)) {
				/* Blocked now: it waits in the queue like any other. */
				__send_signal_locked(sig, &ksig->info, t, false, false);
				spin_unlock_irqrestore(&sh->siglock, flags);
				continue;
			}
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
		if (sig_is_stop(sig))
			t->jobctl |= JOBCTL_STOP_DEQUEUED;
		spin_unlock_irqrestore(&sh->siglock, flags);

		if (sig_default_ignored(sig))
			continue;
		if (sig_is_stop(sig)) {
			if (sig != SIGSTOP && current_pgrp_orphaned()) {
				/* Linux: a terminal stop would leave it with nobody to continue it. */
				spin_lock_irqsave(&sh->siglock, flags);
				t->jobctl &= ~JOBCTL_STOP_DEQUEUED;
				spin_unlock_irqrestore(&sh->siglock, flags);
				continue;
			}
			do_signal_stop(sig);
			continue;
		}
		/* Terminate; with a core dump for the core signals, but RLIMIT_CORE is 0: no 0x80 bit. */
		do_group_exit(sig);
	}
}

/* Sets the current task's mask; the shared signals it now blocks go to another thread. */
void __set_current_blocked_locked(u64 mask)
{
	struct task *t = current;
	u64 newly = mask & ~t->blocked;

	lockdep_assert_held(&t->sighand->siglock);
	t->blocked = mask & ~SIG_KERNEL_ONLY_MASK;
	retarget_shared_pending_locked(t, newly);
}

void signal_delivered(struct ksignal *ksig)
{
	struct task *t = current;
	unsigned long flags;
	u64 block = ksig->ka.mask;

	if (!(ksig->ka.flags & SA_NODEFER))
		block |= sigmask(ksig->sig);
	spin_lock_irqsave(&t->sighand->siglock, flags);
	__set_current_blocked_locked(t->blocked | block);
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
	__set_current_blocked_locked(mask);
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
