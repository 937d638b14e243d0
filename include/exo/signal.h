/* SPDX-License-Identifier: MIT */
/*
 * Signals (docs/signals.md).
 *
 * Generation: send_sig_info() queues a signal with its siginfo on a task
 * and wakes it (from an interruptible sleep, or from a stop for SIGKILL and
 * SIGCONT). A signal the task ignores and does not block is dropped at once,
 * as Linux does, so an ignored signal never interrupts a sleep. Standard
 * signals (1-31) are pending at most once; realtime ones (32-64) queue
 * every instance in order. Senders may run in interrupt context.
 *
 * Delivery: at every return to user mode, exit_to_user_mode() calls the
 * arch's arch_do_signal_or_restart(), which asks get_signal() for the next
 * signal with a user handler. get_signal() carries out the default actions
 * itself (ignore, stop, continue, terminate) and returns false when nothing
 * is left for a handler; the arch code then builds the signal frame, or
 * restarts the interrupted system call (see the restart rules in
 * docs/signals.md).
 *
 * Lock order: tasklist_lock -> sighand->siglock -> rq->lock. siglock is
 * taken with interrupts off; it guards the actions, every pending set and
 * queue of the tasks sharing the sighand, and their blocked masks.
 */
#ifndef _EXO_SIGNAL_H
#define _EXO_SIGNAL_H

#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <uapi/sigcontext.h>
#include <uapi/siginfo.h>
#include <uapi/signal.h>

struct task;
struct pt_regs;

/* One handler table per process; CLONE_SIGHAND tasks share it. */
struct sighand {
	int refcount;					/* [atomic] */
	struct spinlock siglock;
	struct kernel_sigaction action[_NSIG];		/* [siglock] index sig - 1 */
};

/* Signals pending on a task: the set, and the siginfo of each instance. */
struct sigpending {
	u64 signal;					/* [siglock] bit (sig - 1) */
	struct list_head list;				/* [siglock] of struct sigqueue, oldest first */
};

struct sigqueue {
	struct list_head node;				/* [siglock] */
	struct siginfo info;
};

/* A signal get_signal() hands to the arch code for a user handler. */
struct ksignal {
	int sig;
	struct kernel_sigaction ka;	/* the action as it was when dequeued */
	struct siginfo info;
};

static inline u64 sigmask(int sig)
{
	return 1ULL << (sig - 1);
}

#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))

static inline bool valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* Allocates @t's sighand and empty pending queue; 0 or -ENOMEM. */
int signal_task_init(struct task *t);
/* Frees @t's queued signals and drops its sighand. */
void signal_task_free(struct task *t);
/* fork: the child gets a copy of @parent's actions (or shares them, @share). */
void signal_copy_actions(struct task *child, struct task *parent, bool share);
/* execve: handled signals go back to SIG_DFL, ignored ones stay; the alternate stack goes. */
/* Gives @t its own copy of a handler table shared with dead threads (exec). 0 or -ENOMEM. */
int signal_unshare_handlers(struct task *t);
void signal_flush_handlers(struct task *t);

/*
 * Queues @sig for @t with @info (NULL: SI_KERNEL). Returns 0, or -EAGAIN when
 * a realtime signal could not be queued. Any context; takes siglock.
 */
int send_sig_info(int sig, const struct siginfo *info, struct task *t);
void send_signal(struct task *t, int sig);
/* Sends @sig to every task in process group @pgid; 0, or -ESRCH when the group is empty. */
int kill_pgrp(int pgid, int sig);
/*
 * A fault of the current task (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP)
 * with si_code @si_code and si_addr @addr. Linux's force semantics: if the
 * signal is blocked or ignored, the action is reset to SIG_DFL and the
 * signal unblocked, so the process dies instead of looping on the fault.
 * Called from exception handlers with interrupts off; does not sleep.
 */
void force_sig_fault(int sig, int si_code, unsigned long addr);
/* Delivers @sig to the current task with its default action, whatever the handler and mask. */
void force_sig_default(int sig);
bool signal_pending_current(void);
/* True when @t has an unblocked signal pending, or SIGKILL. */
bool signal_pending(struct task *t);
/* A pending SIGKILL: sleeps that cannot be interrupted otherwise still end. */
bool fatal_signal_pending(struct task *t);

/*
 * Acts on the current task's pending signals until one needs a user
 * handler: fills @ksig and returns true then (SA_RESETHAND already applied),
 * false when nothing is left. May stop the task or end the process.
 */
bool get_signal(struct ksignal *ksig);
/* After a frame for @ksig was built: block sa_mask (and the signal unless SA_NODEFER). */
void signal_delivered(struct ksignal *ksig);
/* Takes the next signal in @allowed off @t's queue into @info; 0 when none. Caller holds siglock. */
int dequeue_signal_locked(struct task *t, u64 allowed, struct siginfo *info);
/* The frame could not be written: SIGSEGV with its default action. */
void signal_setup_failed(void);
/* Sets the current task's blocked set to @mask (never SIGKILL/SIGSTOP). */
void set_current_blocked(u64 mask);
/* sigsuspend/pselect: the mask to put back once a handler ran (or none did). */
void set_restore_sigmask(u64 saved);
void restore_saved_sigmask(void);
/* The mask a signal frame records: sigsuspend's saved one if set, else the blocked set. */
u64 sigmask_to_save(void);

/* The current task runs on its alternate signal stack (at user stack pointer @sp). */
bool on_sig_stack(unsigned long sp);
/* Where a frame for @ka goes: the top of the alternate stack or @sp; 0 = no change. */
unsigned long sigsp(unsigned long sp, const struct kernel_sigaction *ka);
/* The uc_stack value a frame records. */
void sigaltstack_save(struct sigaltstack *ss, unsigned long sp);
/* sigaltstack(2) on the current task with user stack pointer @sp; 0 or -errno. */
int do_sigaltstack(const struct sigaltstack *ss, struct sigaltstack *oss, unsigned long sp);
/* rt_sigreturn: set the alternate stack from the frame's uc_stack (errors ignored, as Linux). */
void sigaltstack_restore(const struct sigaltstack *ss, unsigned long sp);

/* Acts on pending signals at the return to user mode (arch code). */
void arch_do_signal_or_restart(struct pt_regs *regs);
/* Kept for callers of the first signal code: the same as arch_do_signal_or_restart. */
void signal_deliver(struct pt_regs *regs);

/* The wait status bits of a stopped (sig << 8 | 0x7f) and a continued child. */
#define WSTATUS_STOPPED(sig) (((sig) << 8) | 0x7f)
#define WSTATUS_CONTINUED 0xffff

#endif /* _EXO_SIGNAL_H */
