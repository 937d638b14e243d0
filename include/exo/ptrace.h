/* SPDX-License-Identifier: MIT */
/*
 * ptrace: one task (the tracer) stops, inspects and resumes another (the
 * tracee). kernel/ptrace.c has the requests and the stops; the registers
 * are the arch's (arch/x86_64/kernel/ptrace.c). See docs/ptrace.md.
 *
 * A tracee stops only in itself, at points where its user registers are
 * saved (ptrace_stop()): syscall entry and exit, signal delivery, group
 * stop, events. The tracer touches its registers and memory only while it
 * is in such a stop (JOBCTL_TRACED) and off its CPU.
 *
 * Locking: t->tracer, t->ptrace, the ptraced lists and t->ptrace_report are
 * [tasklist_lock]; t->jobctl's trace bits [sighand->siglock].
 */
#ifndef _EXO_PTRACE_H
#define _EXO_PTRACE_H

#include <exo/compiler.h>
#include <exo/types.h>

struct list_head;
struct pt_regs;
struct siginfo;
struct task;

/* task->ptrace */
#define PT_PTRACED	0x1
#define PT_SEIZED	0x2
#define PT_OPT_SHIFT	8		/* PTRACE_O_* << PT_OPT_SHIFT */

/* task->syscall_work: the system call path tests the whole word once. */
#define SYSCALL_WORK_SECCOMP	0x1	/* seccomp filters or strict mode */
#define SYSCALL_WORK_TRACE	0x2	/* PTRACE_SYSCALL: stop at entry and exit */
#define SYSCALL_WORK_STEP	0x4	/* PTRACE_SINGLESTEP: a step trap after the call */

void syscall_work_set(struct task *t, unsigned int bits);
void syscall_work_clear(struct task *t, unsigned int bits);

/*
 * The slow system call path (syscall_work nonzero): ptrace entry stop,
 * seccomp, the call, ptrace exit stop. Generic: kernel/entry_common.c.
 */
void syscall_work_dispatch(struct pt_regs *regs, unsigned long nr);

/* Stops at syscall entry; true when the call is to be skipped (orig nr -1 or dying). */
bool ptrace_report_syscall_entry(struct pt_regs *regs);
void ptrace_report_syscall_exit(struct pt_regs *regs, bool step);

/* Event stop if the tracer asked for @event (PTRACE_EVENT_*); @msg for GETEVENTMSG. */
void ptrace_event(int event, unsigned long msg);
/* SECCOMP_RET_TRACE: the PTRACE_EVENT_SECCOMP stop; false when the tracer did not ask for it. */
bool ptrace_seccomp_event(u32 data);
/* After a successful exec: PTRACE_EVENT_EXEC, or the legacy SIGTRAP. */
void ptrace_exec_notify(int old_pid);

/* Signal-delivery-stop for @sig (dequeued into @info): the signal to deliver, 0 for none. */
int ptrace_signal(int sig, struct siginfo *info);
/* The SEIZE trap (PTRACE_INTERRUPT, new child, stop of a seized task): JOBCTL_TRAP_STOP. */
void ptrace_do_jobctl_trap(void);
/* A traced task's group-stop: a ptrace stop reporting @sig; returns when resumed. */
void ptrace_group_stop(int sig);

/*
 * fork/clone: @child of the traced current task is to be traced too
 * (TRACEFORK/VFORK/CLONE for @clone_flags, @exit_signal); returns the event
 * or 0. Caller holds tasklist_lock; the child is not running yet.
 */
int ptrace_fork_link_locked(struct task *child, unsigned long clone_flags, int exit_signal);
/*
 * The exiting task @t: its tracees are detached (EXITKILL: killed). Exited
 * tracees it held go on @dead, for ptrace_put_dead() once tasklist_lock is
 * dropped. Caller holds tasklist_lock.
 */
void exit_ptrace_locked(struct task *t, struct list_head *dead);
void ptrace_put_dead(struct list_head *dead);
/* The tracer has waited for the exited @child: the trace ends. Caller holds tasklist_lock. */
void ptrace_reap_locked(struct task *child);
/*
 * The exiting tracee @t is reported to its tracer (a zombie the tracer
 * waits for before the real parent can). Caller holds tasklist_lock.
 */
void ptrace_exit_notify_locked(struct task *t, int status);
/* The tracer's pid for /proc/PID/status, 0 when @t is not traced. */
int ptrace_tracer_pid(struct task *t);

/* --- the arch part (arch/x86_64/kernel/ptrace.c) --- */
/* PTRACE_* requests on registers (GETREGS, PEEKUSR, ...); -EIO for others. */
long arch_ptrace(struct task *child, long request, unsigned long addr, unsigned long data);
/* Sets / clears the trap flag of the stopped @child. */
void user_enable_single_step(struct task *child);
void user_disable_single_step(struct task *child);
/* The instruction and stack pointer, for PTRACE_GET_SYSCALL_INFO. */
void arch_ptrace_syscall_info(struct task *child, u64 *ip, u64 *sp, u32 *arch);

#endif /* _EXO_PTRACE_H */
