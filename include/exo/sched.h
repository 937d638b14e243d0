/* SPDX-License-Identifier: MIT */
/*
 * Tasks and the scheduler. One struct task per thread; a process is the
 * tasks that share an mm, files and fs (clone flags select what is shared,
 * as in Linux). `current` is the task running on this CPU.
 *
 * Each CPU owns a runqueue (kernel/sched/core.c); a task is on at most one.
 * schedule() picks the next runnable task; a task that wants to sleep sets
 * its state (usually through prepare_to_wait()) and calls schedule().
 * wake_up_process() makes a sleeping task runnable on its CPU.
 *
 * Locking: tasklist_lock guards the process tree (parent, children,
 * sibling) and the pid table; rq->lock guards a runqueue and the state of
 * the tasks on it. Order: tasklist_lock before rq->lock.
 */
#ifndef _EXO_SCHED_H
#define _EXO_SCHED_H

#include <exo/cpumask.h>
#include <exo/cred.h>
#include <exo/list.h>
#include <exo/percpu.h>
#include <exo/seccomp.h>
#include <exo/signal.h>
#include <exo/spinlock.h>
#include <exo/timer.h>
#include <exo/types.h>
#include <exo/wait.h>
#include <uapi/resource.h>
#include <asm/thread.h>

/* Task states (the ps letters in brackets). */
#define TASK_RUNNING 0x0000		/* R: on a runqueue */
#define TASK_INTERRUPTIBLE 0x0001	/* S: sleeping, signals wake it */
#define TASK_UNINTERRUPTIBLE 0x0002	/* D: sleeping, only its event wakes it */
#define TASK_STOPPED 0x0004		/* T: job-control stop */
#define TASK_TRACED 0x0008		/* t: in a ptrace stop (include/exo/ptrace.h) */
#define TASK_DEAD 0x0080		/* exited; the stack is freed by the next task */
#define EXIT_ZOMBIE 0x0020		/* Z: exited, waiting for the parent's wait() */

/* Task flags. */
#define PF_KTHREAD 0x00200000		/* kernel thread: no user mm */
#define PF_IDLE 0x00000002		/* a CPU's idle task */
#define PF_EXITING 0x00000004
#define PF_MEMALLOC 0x00000800		/* reclaiming memory: no direct reclaim again */

#define TASK_COMM_LEN 16

struct blk_plug;
struct mm;
struct files_struct;
struct fs_struct;
struct robust_list_head;
struct restart_block;
struct sem_undo_list;

/*
 * What sys_restart_syscall() resumes after a sleep that returned
 * -ERESTART_RESTARTBLOCK was interrupted by a signal without a handler.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	u64 deadline_ns;			/* CLOCK_MONOTONIC end of the sleep */
	void __user *rem;			/* nanosleep's rem argument */
	void __user *poll_fds;			/* poll's fds and nfds */
	unsigned int poll_nfds;
};

/* task->jobctl bits */
#define JOBCTL_STOPPED 0x1			/* in do_signal_stop(), TASK_STOPPED */
#define JOBCTL_STOP_PENDING 0x2			/* a group stop waits for this thread */
#define JOBCTL_STOP_DEQUEUED 0x4		/* took a stop signal; SIGCONT cancels it */
#define JOBCTL_TRACED 0x8			/* in ptrace_stop(): the tracer may look and resume */
#define JOBCTL_TRAP_STOP 0x10			/* a SEIZE trap (PTRACE_EVENT_STOP) is due */
#define JOBCTL_LISTENING 0x20			/* PTRACE_LISTEN: stopped, but not for the tracer */
/* Bits that send a task through get_signal() on its way to user mode. */
#define JOBCTL_PENDING_MASK (JOBCTL_STOP_PENDING | JOBCTL_TRAP_STOP)

struct task {
	struct thread_struct thread;		/* [this task] saved kernel context (arch) */
	unsigned int state;			/* [rq->lock] TASK_* */
	unsigned int flags;			/* [this task] PF_* */
	int cpu;				/* [rq->lock] runqueue it belongs to */
	bool on_rq;				/* [rq->lock] */
	struct list_head run_node;		/* [rq->lock] */
	unsigned int time_slice;		/* [rq->lock] ticks left */
	int nice;				/* [rq->lock] -20..19, scales the time slice */
	int policy;				/* [rq->lock] SCHED_NORMAL/FIFO/RR/BATCH/IDLE */
	int rt_priority;			/* [rq->lock] 1..99 for FIFO and RR, else 0 */
	bool sched_reset_on_fork;		/* [rq->lock] children start SCHED_NORMAL */
	bool sched_yielded;			/* [this task] in sched_yield: to the back of its level */
	unsigned short ioprio;			/* [atomic] ioprio_set's class and level; 0: from nice */
	unsigned int personality;		/* [this task] personality(2), inherited */
	unsigned int mempolicy;			/* [this task] set_mempolicy mode | MPOL_F_*, inherited */
	unsigned long mempolicy_nodes;		/* [this task] its user nodemask (nodes 0-63) */
	struct rseq __user *rseq;		/* [this task] registered rseq area, or NULL */
	u32 rseq_len, rseq_sig;			/* [this task] its size and abort signature */
	struct cpumask cpus_allowed;		/* [rq->lock] sched_setaffinity */
	bool migrate;				/* [rq->lock] runnable, to be queued on task->cpu after switch-out */
	int on_cpu;				/* [rq->lock] CPU + 1 while its context is loaded, else 0 (a debug check) */
	/*
	 * The flags of the work before a return to user mode, tested as one
	 * word (exit_work) by the system call fast path and the interrupt
	 * return: each is a byte of its own, so a remote CPU's store to one
	 * never rewrites another.
	 */
	union {
		struct {
			bool need_resched;	/* [atomic] reschedule at next chance */
			bool restore_sigmask;	/* [this task] saved_sigmask is valid */
			bool rseq_pending;	/* [this task] switched out: update rseq before user mode */
			bool sigpending_hint;	/* [atomic] set with every queued signal or jobctl trap (signal_hint_set) */
			bool regs_changed;	/* [this task, or its tracer while it stops] pt_regs' callee-saved part rewritten */
			bool fault_injected;	/* [this task] an allocation failed on purpose (CONFIG_FAULT_INJECTION) */
		};
		u64 exit_work;			/* nonzero while any of them is set */
	};
	void *stack;				/* [immutable] kernel stack base, KERNEL_STACK_SIZE */

	int pid;				/* [immutable] thread id */
	int tgid;				/* [immutable] process id (leader's pid) */
	int pgid, sid;				/* [tasklist_lock] */
	struct task *parent;			/* [tasklist_lock] set with task_set_parent_locked() */
	int parent_tgid;			/* [tasklist_lock; READ_ONCE] parent's tgid, 0 without: getppid reads it unlocked */
	struct list_head children;		/* [tasklist_lock] */
	struct list_head sibling;		/* [tasklist_lock] in parent->children */
	struct list_head all_node;		/* [tasklist_lock] in the global task list */
	/*
	 * Thread groups (CLONE_THREAD): the leader is the task whose pid is the
	 * process id. Its thread_list holds the other threads; nr_threads,
	 * group_exiting and group_exit_code describe the whole group and are
	 * only meaningful in the leader.
	 */
	struct task *group_leader;		/* [tasklist_lock] itself for a leader */
	struct list_head thread_node;		/* [tasklist_lock] in group_leader->thread_list */
	struct list_head thread_list;		/* [tasklist_lock] leader: its other threads */
	int nr_threads;				/* [tasklist_lock] leader: threads not yet exited */
	bool group_exiting;			/* [tasklist_lock] leader: exit_group or a fatal signal */
	int group_exit_code;			/* [tasklist_lock] leader: the status the process ends with */
	struct wait_queue_head group_wq;	/* leader: exec waits here for the other threads to go */
	struct list_head pid_node;		/* [tasklist_lock] in the pid hash */

	/*
	 * The task changes these pointers under alloc_lock (task_lock()), so
	 * that another task (procfs) can take a reference on what they point
	 * to: exec swaps mm, exit clears all three.
	 */
	struct mm *mm;				/* [alloc_lock] NULL for kernel threads */
	struct files_struct *files;		/* [alloc_lock] */
	struct fs_struct *fs;			/* [alloc_lock] cwd, root, umask */
	struct spinlock alloc_lock;		/* leaf lock: see task_lock() */
	struct cred cred;			/* [this task] */
	struct sem_undo_list *sysvsem;		/* [this task] SEM_UNDO adjustments (ipc/sem.c), or NULL */
	struct rlimit rlim[RLIM_NLIMITS];	/* [this task] */

	int exit_state;				/* [tasklist_lock] 0 or EXIT_ZOMBIE */
	bool pid_dead;				/* [tasklist_lock] unregistered: reaped (pidfds see it) */
	int exit_code;				/* [tasklist_lock] wait status */
	int exit_signal;			/* [tasklist_lock] sent to the parent at exit; SIGCHLD once reparented */
	struct wait_queue_head wait_child;	/* tasks in wait4() on their children */
	int __user *clear_child_tid;		/* [this task] set_tid_address */
	struct robust_list_head __user *robust_list;	/* [this task] set_robust_list */

	u64 utime_ns, stime_ns;			/* [this task] */
	u64 cutime_ns, cstime_ns;		/* [tasklist_lock] of reaped children */
	unsigned long maxrss_kb;		/* [this task] peak RSS, sampled at getrusage and exit */
	unsigned long cmaxrss_kb;		/* [tasklist_lock] largest maxrss of reaped children */
	bool did_exec;				/* [this task] setpgid() by the parent fails after it */
	u64 self_exec_id;			/* [this task] execs so far */
	u64 parent_exec_id;			/* [immutable] the parent's self_exec_id at fork */
	int usage;				/* [atomic] references: running until switched out, unreaped */
	struct wait_queue_head *vfork_done;	/* [this task] a vfork parent waits here */
	int __user *set_child_tid;		/* [this task] CLONE_CHILD_SETTID, written on first run */

	struct sighand *sighand;		/* [this task] pointer; contents [sighand->siglock] */
	struct signal_struct *signal;		/* [this task] pointer, shared by threads; contents [siglock] */
	struct sigpending pending;		/* [sighand->siglock] thread-directed signals */
	u64 blocked;				/* [sighand->siglock] written by the task itself */
	u64 real_blocked;			/* [sighand->siglock] blocked before rt_sigtimedwait */
	u64 saved_sigmask;			/* [this task] put back after sigsuspend's handler */
	unsigned int jobctl;			/* [sighand->siglock] JOBCTL_* */
	int stop_code;				/* [tasklist_lock] leader: WSTATUS_STOPPED(sig) not yet waited for */
	bool continued_report;			/* [tasklist_lock] leader: a WCONTINUED report waits */
	unsigned long sas_ss_sp;		/* [this task] sigaltstack base */
	unsigned long sas_ss_size;		/* [this task] 0: no alternate stack */
	unsigned int sas_ss_flags;		/* [this task] SS_AUTODISARM */
	struct restart_block restart_block;	/* [this task] */

	u64 start_time_ns;			/* [immutable] */
	char comm[TASK_COMM_LEN];		/* [this task] written under alloc_lock */
	int pdeath_signal;			/* [this task] read by the exiting parent: prctl */
	bool no_new_privs;			/* [this task] inherited, never cleared */
	struct seccomp seccomp;			/* include/exo/seccomp.h */
	unsigned int syscall_work;		/* [atomic] SYSCALL_WORK_* (include/exo/ptrace.h) */

	/* ptrace (kernel/ptrace.c, include/exo/ptrace.h) */
	unsigned int ptrace;			/* [tasklist_lock] PT_*, options << PT_OPT_SHIFT */
	struct task *tracer;			/* [tasklist_lock] or NULL */
	struct list_head ptraced;		/* [tasklist_lock] tracer: its tracees */
	struct list_head ptrace_entry;		/* [tasklist_lock] in tracer->ptraced */
	int ptrace_report;			/* [tasklist_lock] stop status not yet waited for, or 0 */
	bool ptrace_zombie;			/* [tasklist_lock] exited: the tracer has to wait for it */
	int ptrace_resume;			/* [siglock] the signal the tracer resumed with */
	unsigned char ptrace_syscall_op;	/* [this task] PTRACE_SYSCALL_INFO_* of this stop */
	unsigned long ptrace_message;		/* [this task] PTRACE_GETEVENTMSG */
	struct siginfo *last_siginfo;		/* [siglock] the stop's siginfo, or NULL */
	u64 timer_slack_ns;			/* [this task] 0: the default */
	struct blk_plug *plug;			/* [this task] held block requests (blk_start_plug) */
#ifdef CONFIG_FAULT_INJECTION
	unsigned int fail_nth;			/* [this task] fail the N-th allocation (fail-nth) */
#endif
#ifdef CONFIG_DEBUG
	struct lockdep_task lockdep;		/* [this task] mutexes held (lock validator) */
#endif
};

static __always_inline struct task *get_current(void)
{
	return arch_current_task();
}
#define current get_current()

/*
 * task_lock() guards t->mm, t->files and t->fs against exec and exit while
 * another task takes a reference on them (get_task_mm()). A leaf lock: it
 * nests inside tasklist_lock and takes nothing else.
 */
static inline void task_lock(struct task *t)
{
	spin_lock(&t->alloc_lock);
}

static inline void task_unlock(struct task *t)
{
	spin_unlock(&t->alloc_lock);
}

/*
 * A user reference on @t's address space (mmput() drops it), or NULL for a
 * kernel thread or a task that has exited. Takes task_lock().
 */
struct mm *get_task_mm(struct task *t);

/*
 * Renames @t to the first TASK_COMM_LEN - 1 bytes of @name (which need not
 * be NUL-terminated past them). Readers copy comm without the lock: its
 * last byte is NUL whatever they see.
 */
void set_task_comm(struct task *t, const char *name, size_t len);

/* Context switches since boot, summed over the CPUs (/proc/stat ctxt). */
u64 nr_context_switches(void);
/* Tasks runnable or running now, over every CPU, idle tasks excluded. */
unsigned int nr_running(void);
/* Tasks asleep in io_schedule() that slept on @cpu (/proc/stat iowait, procs_blocked). */
unsigned int nr_iowait_cpu(unsigned int cpu);
/* Tasks in the task list, zombies included: each holds a kernel stack (/proc/loadavg, meminfo). */
unsigned int nr_threads(void);
/* Prints every task, its state and a switched-out task's kernel stack (kernel/sched/debug.c). */
void show_state(void);
/* The pid handed out last (/proc/loadavg). */
int pid_last(void);
/* Processes created since boot (fork, clone), for /proc/stat. */
extern u64 total_forks;				/* [atomic] */

extern struct spinlock tasklist_lock;
extern struct list_head task_list;		/* [tasklist_lock] every task */

/*
 * Makes @p (or nobody) @t's parent. A task's tgid never changes, so the copy
 * in parent_tgid stays right until the next call: getppid reads it without
 * the lock, where following ->parent could meet a parent being freed.
 */
static inline void task_set_parent_locked(struct task *t, struct task *p)
{
	t->parent = p;
	WRITE_ONCE(t->parent_tgid, p ? p->tgid : 0);
}

void sched_init(void);
/* Makes @idle (created by idle_task_create) the current and idle task of this AP. */
void sched_init_secondary(struct task *idle);
struct task *idle_task_create(unsigned int cpu);
/* Puts a new task on a runqueue for the first time. */
void wake_up_new_task(struct task *t);
/* Makes @t runnable if it sleeps; returns true when it was asleep. */
bool wake_up_process(struct task *t);
/* Makes @t runnable if its state is one of @states (TASK_STOPPED for SIGCONT/SIGKILL). */
bool wake_up_state(struct task *t, unsigned int states);
/*
 * @t runs on another CPU (in user mode, or about to return there): a
 * reschedule IPI makes it go through its return-to-user work now, where it
 * notices a new signal. A hint: a task switching in checks anyway.
 */
void kick_process(struct task *t);
void schedule(void);
/* Timer tick on this CPU, interrupts off: accounting and preemption. */
void scheduler_tick(void);
void set_current_state(unsigned int state);
/* True when the current task should give up the CPU at the next chance. */
bool need_resched(void);

/*
 * True when @t has an unblocked signal pending (its own or its process's),
 * SIGKILL, or a group stop to join. sigpending_hint is set with every
 * queued signal and jobctl trap before the wake-up (signal_hint_set(),
 * <exo/entry.h>), so while it is clear nothing is queued: one load on
 * every sleep's check, the full look out of line.
 */
static __always_inline bool signal_pending(struct task *t)
{
	return unlikely(READ_ONCE(t->sigpending_hint)) && __signal_pending(t);
}
/* The idle loop of this CPU; start_kernel ends in it. */
void __noreturn cpu_idle_loop(void);
/* Ends the current kernel thread with @code. */
void __noreturn kthread_exit(int code);
/* Sleeps at least @ns nanoseconds; returns early with the time left when a signal arrives. */
long schedule_timeout_ns(u64 ns, bool interruptible);

/* Creates a kernel thread running fn(arg); returns the task or ERR_PTR. Not started until wake_up_new_task(). */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
/*
 * Restricts @t to the CPUs in @mask (intersected with the online ones by the
 * caller; must not be empty). A queued task moves at once, a running one at
 * its next schedule(). Returns 0.
 */
int sched_set_cpus_allowed(struct task *t, const struct cpumask *mask);

/*
 * Sets @t's policy (SCHED_*), real-time priority (1..99 for FIFO and RR, 0
 * otherwise) and reset-on-fork flag, already validated, and reschedules
 * its CPU if the change lets another task run first.
 */
void sched_set_policy(struct task *t, int policy, int rt_priority, bool reset_on_fork);

/* The time slice sched_rr_get_interval reports for @t, in nanoseconds (0 for FIFO). */
u64 sched_task_slice_ns(const struct task *t);

/* sched_yield: the caller goes behind the tasks of its priority. */
void sched_yield_current(void);
struct task *find_task_by_pid(int pid);
struct task *find_task_by_pid_locked(int pid);
/* Makes @t the leader of a group of one (tasks not created by CLONE_THREAD). */
void thread_group_init(struct task *t);
/*
 * The threads of @leader's process, leader first. Caller holds
 * tasklist_lock or the process's siglock (the list changes under both).
 */
static inline struct task *next_thread(struct task *leader, struct task *it)
{
	struct list_head *n = it == leader ? leader->thread_list.next : it->thread_node.next;

	return n == &leader->thread_list ? NULL : list_entry(n, struct task, thread_node);
}
#define for_each_thread(leader, it) for ((it) = (leader); (it); (it) = next_thread((leader), (it)))

/* True while @t has threads other than itself. Caller holds tasklist_lock. */
static inline bool thread_group_has_others(const struct task *t)
{
	return t->group_leader->nr_threads > 1;
}
/*
 * Updates t->maxrss_kb from the current resident set. RSS is counted by
 * walking the page tables, so the peak is sampled (at getrusage and at exit)
 * rather than tracked page by page: a short-lived peak between samples is
 * missed.
 */
void task_sample_rss(struct task *t);
/* Fills @rlim with Linux's defaults for the first process. */
void rlimits_init_default(struct rlimit *rlim);
/* PID 1 ended with wait status @status: ends QEMU under debug_exit, else panics as Linux does. */
void __noreturn init_exited(int status);

/* drop_caches: the kernel stacks each CPU keeps for its next fork go back to vmalloc. */
void task_stack_cache_drain(void);

#endif /* _EXO_SCHED_H */
