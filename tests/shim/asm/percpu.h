/* SPDX-License-Identifier: MIT */
/* Host stand-in for asm/percpu.h: tests pick the "current CPU" by setting host_cpu_id. */
#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

struct cpu_info;
struct task;

extern unsigned int host_cpu_id;

static inline unsigned long arch_cpu_id(void)
{
	return host_cpu_id;
}

static inline struct cpu_info *arch_cpu_info(void)
{
	return (struct cpu_info *)0;
}

/*
 * No tasks on the host: code that asks gets none (the block layer's
 * wait_event needs <exo/sched.h>), unless a test sets host_current to a
 * token (the network tests, whose mutexes record an owner).
 */
extern struct task *host_current;
static inline struct task *arch_current_task(void)
{
	return host_current;
}

#endif /* _ASM_PERCPU_H */
