// SPDX-License-Identifier: MIT
/*
 * Fault injection: failslab and fail_page_alloc, with Linux's knobs and
 * per-task fail-nth (<exo/fault-inject.h> has the interface and what counts
 * as an eligible allocation).
 *
 * The decision order is Linux's should_fail(): a task's fail-nth counter
 * first (it fails exactly the N-th eligible allocation whatever the
 * attributes say), then times, space, interval and probability. The random
 * choices come from one xorshift64* generator seeded by fault_seed= (1 by
 * default), so a run on one CPU repeats; with several CPUs the interleaving
 * decides which allocation draws which number.
 *
 * Nothing here allocates or takes a lock: should_fail() runs inside the
 * allocators, with any of their callers' locks held.
 */
#include <exo/cmdline.h>
#include <exo/fault-inject.h>
#include <exo/irqflags.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <uapi/errno.h>

struct fault_attr failslab = { .name = "failslab", .interval = 1, .times = 1 };
struct fault_attr fail_page_alloc = { .name = "fail_page_alloc", .interval = 1, .times = 1 };
bool fault_inject_armed;
unsigned long fault_inject_bad_errno;

static u64 fault_seed = 1;
static u64 fault_rng_state = 1;	/* [atomic] */

void fault_inject_seed(u64 seed)
{
	fault_seed = seed;
	/* xorshift has one fixed point: 0. */
	__atomic_store_n(&fault_rng_state, seed ? seed : 1, __ATOMIC_RELAXED);
}

u64 fault_inject_get_seed(void)
{
	return fault_seed;
}

/* A number in [0, 100). */
static unsigned long fault_rand_percent(void)
{
	u64 old = __atomic_load_n(&fault_rng_state, __ATOMIC_RELAXED), x;

	do {
		x = old;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
	} while (!__atomic_compare_exchange_n(&fault_rng_state, &old, x, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return (unsigned long)((x * 0x2545f4914f6cdd1dULL) >> 32) % 100;
}

static bool fault_eligible(gfp_t gfp)
{
	struct task *t = current;

	if (gfp & (__GFP_ATOMIC | __GFP_NOFAULT))
		return false;
	if (!t || (t->flags & (PF_KTHREAD | PF_IDLE)))
		return false;
	/* Interrupt handlers and irqsave sections: not process context. */
	return !irqs_disabled();
}

static bool fault_fail(struct fault_attr *attr, size_t size)
{
	long times = __atomic_load_n(&attr->times, __ATOMIC_RELAXED);

	while (times > 0 && !__atomic_compare_exchange_n(&attr->times, &times, times - 1, false,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	__atomic_fetch_add(&attr->injected, 1, __ATOMIC_RELAXED);
	current->fault_injected = true;
	if (attr->verbose)
		pr_info("FAULT_INJECTION: %s: forcing a failure of %zu bytes in %s (pid %d)\n",
			attr->name, size, current->comm, current->pid);
	return true;
}

bool should_fail(struct fault_attr *attr, size_t size, gfp_t gfp)
{
	struct task *t = current;
	long space;

	if (!fault_eligible(gfp))
		return false;
	if (unlikely(t->fail_nth)) {
		/* Only this task touches its counter once it runs (the /proc write is its own). */
		if (--t->fail_nth == 0)
			return fault_fail(attr, size);
		return false;
	}
	if (!attr->probability || !__atomic_load_n(&attr->times, __ATOMIC_RELAXED))
		return false;
	space = __atomic_load_n(&attr->space, __ATOMIC_RELAXED);
	if (space > 0 && (size_t)space >= size) {
		__atomic_fetch_sub(&attr->space, (long)size, __ATOMIC_RELAXED);
		return false;
	}
	if (attr->interval > 1 &&
	    (__atomic_add_fetch(&attr->count, 1, __ATOMIC_RELAXED) % attr->interval))
		return false;
	if (attr->probability <= fault_rand_percent())
		return false;
	return fault_fail(attr, size);
}

/* "<interval>,<probability>,<space>,<times>" as Linux's setup_fault_attr(). */
static void fault_attr_parse(struct fault_attr *attr)
{
	char buf[64], *p = buf, *end;
	long v[4];

	if (!cmdline_get(attr->name, buf, sizeof(buf)))
		return;
	for (int i = 0; i < 4; i++) {
		bool neg = *p == '-';

		v[i] = (long)simple_strtoul(p + neg, &end, 0);
		if (neg)
			v[i] = -v[i];
		if (end == p + neg || (i < 3 && *end != ',') || (i == 3 && *end)) {
			pr_warn("FAULT_INJECTION: cannot parse %s=%s\n", attr->name, buf);
			return;
		}
		p = end + 1;
	}
	attr->interval = v[0] > 0 ? (unsigned long)v[0] : 1;
	attr->probability = v[1] < 0 ? 0 : v[1] > 100 ? 100 : (unsigned long)v[1];
	attr->space = v[2];
	attr->times = v[3];
	pr_info("FAULT_INJECTION: %s: interval %lu, probability %lu%%, space %ld, times %ld\n",
		attr->name, attr->interval, attr->probability, attr->space, attr->times);
}

void fault_inject_init(void)
{
	char buf[32];

	if (cmdline_get("fault_seed", buf, sizeof(buf)))
		fault_inject_seed(simple_strtoul(buf, NULL, 0));
	fault_attr_parse(&failslab);
	fault_attr_parse(&fail_page_alloc);
	if (failslab.probability || fail_page_alloc.probability)
		pr_info("FAULT_INJECTION: armed, seed %llu\n", (unsigned long long)fault_seed);
	__atomic_store_n(&fault_inject_armed, true, __ATOMIC_RELEASE);
}

static unsigned long bad_errno_logged[8];

void fault_inject_syscall_exit(const char *name, unsigned long nr, long ret)
{
	unsigned long bit;

	current->fault_injected = false;
	if (ret >= 0 || ret == -ENOMEM || ret == -EAGAIN || ret == -ENOBUFS)
		return;
	__atomic_fetch_add(&fault_inject_bad_errno, 1, __ATOMIC_RELAXED);
	if (nr >= 64 * ARRAY_SIZE(bad_errno_logged))
		return;
	bit = 1UL << (nr % 64);
	if (!(__atomic_fetch_or(&bad_errno_logged[nr / 64], bit, __ATOMIC_RELAXED) & bit))
		pr_warn("FAULT_INJECTION: %s returned %ld after an injected allocation failure\n",
			name ? name : "?", ret);
}

bool fault_inject_begin(void)
{
	struct task *t = current;
	bool outer = t->fault_injected;

	t->fault_injected = false;
	return outer;
}

bool fault_inject_end(bool outer)
{
	struct task *t = current;
	bool inner = t->fault_injected;

	t->fault_injected = outer;
	return inner;
}
