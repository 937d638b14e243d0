/* SPDX-License-Identifier: MIT */
/*
 * Signals (docs/signals.md).
 *
 * Generation: group_send_sig_info() queues a process-directed signal (kill,
 * timers, SIGCHLD, the tty) in the process's shared pending set and wakes
 * one thread that does not block it; send_sig_info() queues a
 * thread-directed one (tkill, tgkill, SIGPIPE, faults) on one thread. A
 * signal the target ignores and does not block is dropped at once, as Linux
 * does, so an ignored signal never interrupts a sleep. Standard signals
 * (1-31) are pending at most once per set; realtime ones (32-64) queue
 * every instance in order. Senders may run in interrupt context. A fatal
 * signal (default action terminate, no handler) ends every thread at once.
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
 * queue of the tasks sharing the sighand, their blocked masks, the
 * signal_struct of their process and (with tasklist_lock) its thread list.
 */
#ifndef _EXO_SIGNAL_H
#define _EXO_SIGNAL_H

#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <exo/types.h>
#include <exo/wait.h>
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
	struct wait_queue_head signalfd_wqh;		/* signalfd readers and pollers (fs/signalfd.c) */
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

/*
 * What the threads of one process share besides the handlers (Linux's
 * signal_struct): process-directed signals, group exit and group stop.
 * CLONE_THREAD tasks share one; they always share the sighand too, whose
 * siglock guards it.
 */
struct signal_struct {
	int refcount;					/* [atomic] tasks pointing here */
	struct sigpending shared_pending;		/* [siglock] process-directed signals */
	unsigned int flags;				/* [siglock] SIGNAL_* */
	int group_exit_code;				/* [siglock] wait status, with SIGNAL_GROUP_EXIT */
	int group_stop_count;				/* [siglock] threads yet to stop */
	int group_stop_sig;				/* [siglock] the stop reported to the parent */
	/* Interval timers are the process's (kernel/time/itimer.c). */
	struct spinlock itimer_lock;			/* irqsave; only timer_lock under it */
	struct timer it_real_timer;			/* ITIMER_REAL */
	int it_real_tgid;				/* [itimer_lock] whom its SIGALRM goes to */
	u64 it_real_incr_ns;				/* [itimer_lock] its reload value */
	u64 it_virt_ns, it_virt_incr_ns;		/* [itimer_lock] ITIMER_VIRTUAL left, reload */
	u64 it_prof_ns, it_prof_incr_ns;		/* [itimer_lock] ITIMER_PROF left, reload */
	/* POSIX timers (kernel/time/posix_timers.c). */
	struct list_head posix_timers;			/* [siglock] of struct k_itimer */
	int next_posix_timer_id;			/* [siglock] */
	int nr_cpu_timers;				/* [siglock] CPU-clock timers among them */
	int nr_posix_timers;				/* [siglock] all of them */
	bool is_child_subreaper;			/* [written once by its own threads] prctl */
};

#define SIGNAL_STOP_STOPPED 0x1		/* every thread stopped, the parent told */
#define SIGNAL_CLD_CONTINUED 0x2	/* SIGCONT ended a stop: a thread tells the parent */
#define SIGNAL_GROUP_EXIT 0x4		/* a fatal signal or exit_group: every thread dies */

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

/* Allocates @t's sighand, signal_struct and empty pending queue; 0 or -ENOMEM. */
int signal_task_init(struct task *t);
/* Frees @t's queued signals and drops its sighand and signal_struct. */
void signal_task_free(struct task *t);
/* fork: the child gets a copy of @parent's actions (or shares them, @share). */
void signal_copy_actions(struct task *child, struct task *parent, bool share);
/* CLONE_THREAD: @child joins @parent's signal_struct (before it is visible). */
void signal_share_group(struct task *child, struct task *parent);
/*
 * Adds the new thread @child to @leader's thread list; it joins a group
 * stop in progress and dies with a group exit. Caller holds tasklist_lock.
 */
void signal_thread_join_locked(struct task *child, struct task *leader);
/*
 * do_exit: marks @t PF_EXITING, hands its share of a group stop and the
 * shared signals it would have taken to the other threads. Takes
 * tasklist_lock and siglock.
 */
void exit_signals(struct task *t);
/*
 * Tells @to that its child or tracee @t (reported as @pid) stopped,
 * continued or exited (@why CLD_*, @status the signal or exit code):
 * SIGCHLD unless SA_NOCLDSTOP silences a stop, and a wake-up of its wait().
 * Caller holds tasklist_lock.
 */
void notify_cldchild_locked(struct task *to, struct task *t, int pid, int why, int status);
/* SIGKILL to every thread of @t's process but @t. Caller holds siglock. */
void zap_other_threads_locked(struct task *t);
/*
 * exit_group: the process ends with @status unless a fatal signal already
 * set the group's status, which is returned instead. Caller holds siglock.
 */
int signal_group_exit_locked(struct task *t, int status);
/* execve: handled signals go back to SIG_DFL, ignored ones stay; the alternate stack goes. */
/* Gives @t its own copy of a handler table shared with dead threads (exec). 0 or -ENOMEM. */
int signal_unshare_handlers(struct task *t);
void signal_flush_handlers(struct task *t);

/*
 * Queues @sig with @info (NULL: SI_KERNEL) on thread @t alone
 * (thread-directed: tkill, SIGPIPE). Returns 0, or -EAGAIN when a realtime
 * signal could not be queued. Any context; takes siglock.
 */
int send_sig_info(int sig, const struct siginfo *info, struct task *t);
/* The same for @t's whole process (process-directed: kill, timers, SIGCHLD). */
int group_send_sig_info(int sig, const struct siginfo *info, struct task *t);
/*
 * A POSIX timer's signal (@info->si_code SI_TIMER) to @t, or to its
 * process with @group. While an earlier signal of the same timer is still
 * queued, none is queued again: the queued one's si_overrun grows by
 * 1 + @info's instead (timer_create(2)). Caller holds siglock.
 */
void send_timer_signal_locked(const struct siginfo *info, struct task *t, bool group);
/* Sends @sig to every process in process group @pgid; 0, or -ESRCH when the group is empty. */
int kill_pgrp(int pgid, int sig);
/* @sig (SI_KERNEL) to process @tgid, if it still lives; from any context. 0 or -ESRCH. */
int kill_tgid(int tgid, int sig);
/* The same with @info (mq_notify's SI_MESGQ); NULL: SI_KERNEL. */
int kill_tgid_info(int tgid, int sig, const struct siginfo *info);
/* kill_pgrp() with tasklist_lock held. */
int kill_pgrp_locked(int pgid, int sig);
/*
 * A fault of the current task (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP)
 * with si_code @si_code and si_addr @addr. Linux's force semantics: if the
 * signal is blocked or ignored, the action is reset to SIG_DFL and the
 * signal unblocked, so the process dies instead of looping on the fault.
 * Called from exception handlers with interrupts off; does not sleep.
 */
void force_sig_fault(int sig, int si_code, unsigned long addr);
/*
 * Queues @info on the current task with force semantics (a blocked or
 * ignored signal is unblocked and reset to SIG_DFL), its default action
 * in any case with @to_default. Does not sleep.
 */
void force_sig_info(const struct siginfo *info, bool to_default);
/* Delivers @sig to the current task with its default action, whatever the handler and mask. */
void force_sig_default(int sig);
bool signal_pending_current(void);
/* signal_pending() is in <exo/sched.h>, inline on struct task. */
bool __signal_pending(struct task *t);
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
/*
 * Takes the next signal in @allowed into @info: from @t's own set first,
 * then from its process's shared set; 0 when none. Caller holds siglock.
 */
int dequeue_signal_locked(struct task *t, u64 allowed, struct siginfo *info);
/* What @t would dequeue: its own pending set and its process's. Caller holds siglock. */
u64 signal_pending_set_locked(struct task *t);
/* Drops the pending instances of @mask from @t's process: the shared set and every thread's. */
void signal_discard_locked(struct task *t, u64 mask);
/* The frame could not be written: SIGSEGV with its default action. */
void signal_setup_failed(void);
/* Sets the current task's blocked set to @mask (never SIGKILL/SIGSTOP). */
void set_current_blocked(u64 mask);
/* The siginfo of a signal the current task sends: @code (SI_USER, SI_TKILL), its tgid and uid. */
void user_siginfo(struct siginfo *info, int sig, int code);

/*
 * kill()'s permission check, then @sig to @t's process (@group) or to
 * thread @t; signal 0 only checks. 0, -EPERM. Caller holds tasklist_lock.
 */
int kill_task_checked_locked(int sig, const struct siginfo *info, struct task *t, bool group);
/* kill(-@pgid): 0 if a member got it, else -EPERM or -ESRCH. Caller holds tasklist_lock. */
int kill_pgrp_info_locked(int sig, const struct siginfo *info, int pgid);
/* The same with siglock held; shared signals @mask newly blocks go to another thread. */
void __set_current_blocked_locked(u64 mask);
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
