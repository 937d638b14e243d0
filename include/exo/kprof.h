/* SPDX-License-Identifier: MIT */
/*
 * The in-kernel function profiler (CONFIG_KPROF, docs/kprof.md). Every
 * function the compiler built with -pg -mfentry -mnop-mcount starts with a
 * 5-byte NOP whose address __mcount_loc lists. kprof_set(KPROF_TRACE)
 * patches each NOP into a call of the entry trampoline, which counts the
 * call and swaps the return address for the exit trampoline (the real one
 * goes on the task's shadow stack), so each function's calls and inclusive
 * TSC cycles add up per CPU. KPROF_SAMPLE records the interrupted call chain
 * at every timer tick. /proc/kprof/ is the interface.
 *
 * kprof_set() and the readers sleep (kprof_mutex); the hooks and
 * kprof_tick() run in any context and take no locks.
 */
#ifndef _EXO_KPROF_H
#define _EXO_KPROF_H

#include <exo/compiler.h>
#include <exo/types.h>

struct pt_regs;
struct seq_file;
struct task;

#define KPROF_TRACE	0x1	/* per-function calls and cycles */
#define KPROF_SAMPLE	0x2	/* timer-tick samples of the interrupted stack */

#ifdef CONFIG_KPROF
extern unsigned int kprof_flags;	/* [kprof_mutex] written, read anywhere */

/* Turns the profiler to @flags (KPROF_*); counters restart when it goes on. 0 or -errno. */
int kprof_set(unsigned int flags);
/* The /proc/kprof files: "calls cycles name" per function, per CPU, folded stacks, a summary. */
int kprof_show_functions(struct seq_file *m);
int kprof_show_functions_cpu(struct seq_file *m);
int kprof_show_folded(struct seq_file *m);
int kprof_show_status(struct seq_file *m);
/* A new task's shadow return stack starts empty. */
void kprof_task_init(struct task *t);
void kprof_sample(struct pt_regs *regs);
/* When init exits: with kprof= on the command line, prints the top functions to the console. */
void kprof_report_boot(void);

/* From the timer interrupt, on every CPU. */
static __always_inline void kprof_tick(struct pt_regs *regs)
{
	if (unlikely(kprof_flags & KPROF_SAMPLE))
		kprof_sample(regs);
}
#else
static inline void kprof_task_init(struct task *t) { }
static inline void kprof_tick(struct pt_regs *regs) { }
static inline void kprof_report_boot(void) { }
#endif

#endif /* _EXO_KPROF_H */
