/* SPDX-License-Identifier: MIT */
/*
 * Fault injection (CONFIG_FAULT_INJECTION): makes chosen allocations fail so
 * that error paths run. Two attributes, as in Linux: failslab (the object
 * allocator, kmem_cache_alloc/kmalloc) and fail_page_alloc (alloc_pages).
 * Each fails an eligible allocation with `probability` percent, on every
 * `interval`-th call, after `space` bytes went through, at most `times`
 * times (-1: no limit); set from the command line
 * (failslab=<interval>,<probability>,<space>,<times>, fault_seed=N) or under
 * /proc/sys/debug/. Independently, /proc/<pid>/fail-nth makes the task's
 * N-th eligible allocation fail (Linux's fail-nth).
 *
 * Eligible: after boot (init has reached user mode), in a user task (not a
 * kernel thread), interrupts on (process context, no irqsave lock held),
 * and neither __GFP_ATOMIC nor __GFP_NOFAULT. docs/errors.md has the rest.
 */
#ifndef _EXO_FAULT_INJECT_H
#define _EXO_FAULT_INJECT_H

#include <exo/compiler.h>
#include <exo/gfp.h>
#include <exo/types.h>

struct fault_attr {
	const char *name;
	unsigned long probability;	/* percent of eligible calls that fail, 0..100 */
	unsigned long interval;		/* only every interval-th eligible call may fail */
	long times;			/* [atomic] failures left; -1: unlimited */
	long space;			/* [atomic] bytes to let through before failing */
	unsigned int verbose;		/* 1: log each failure */
	unsigned long count;		/* [atomic] eligible calls seen (interval) */
	unsigned long injected;		/* [atomic] failures injected so far */
};

#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr failslab;
extern struct fault_attr fail_page_alloc;
/* Set once init reaches user mode: nothing is injected during boot. */
extern bool fault_inject_armed;

/* true: make this allocation of @size bytes fail (counted, maybe logged). */
bool should_fail(struct fault_attr *attr, size_t size, gfp_t gfp);

static __always_inline bool should_failslab(size_t size, gfp_t gfp)
{
	return unlikely(fault_inject_armed) && should_fail(&failslab, size, gfp);
}

static __always_inline bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	return unlikely(fault_inject_armed) &&
	       should_fail(&fail_page_alloc, 4096UL << order, gfp);
}

/* Reads the command line and arms injection; from init, before its first user return. */
void fault_inject_init(void);
/* Seed of the pseudo-random choices (fault_seed=, /proc/sys/debug/fault_seed). */
void fault_inject_seed(u64 seed);
u64 fault_inject_get_seed(void);
/*
 * System calls that failed an injected allocation and still returned an
 * errno other than ENOMEM, EAGAIN or ENOBUFS (logged once per syscall).
 */
extern unsigned long fault_inject_bad_errno;
void fault_inject_syscall_exit(const char *name, unsigned long nr, long ret);
/*
 * Around a nested operation (a page fault inside a system call): begin
 * saves and clears the task's "a failure was injected" mark; end says
 * whether the operation had one and puts the saved mark back.
 */
bool fault_inject_begin(void);
bool fault_inject_end(bool outer);
#else
static __always_inline bool should_failslab(size_t size, gfp_t gfp)
{
	(void)size;
	(void)gfp;
	return false;
}

static __always_inline bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return false;
}

static inline void fault_inject_init(void)
{
}

static inline bool fault_inject_begin(void)
{
	return false;
}

static inline bool fault_inject_end(bool outer)
{
	(void)outer;
	return false;
}
#endif

#endif /* _EXO_FAULT_INJECT_H */
