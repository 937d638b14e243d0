/* SPDX-License-Identifier: MIT */
/*
 * In-kernel self-tests, for what needs the real machine (page tables,
 * interrupts, the timer). A test registers with DEFINE_SELFTEST(name, fn);
 * fn returns 0 on success or -errno. "selftest=a,b" on the command line runs
 * the named tests ("selftest=all" runs every one) after boot, prints
 * "selftest NAME: ok|FAILED (err)" for each and then the summary line
 * "selftests: N passed, N failed", and, with debug_exit, ends QEMU with a
 * status that says whether all passed.
 *
 * The tests and crash= are built with CONFIG_SELFTEST only (obj-$(CONFIG_SELFTEST)
 * in each folder's Makefile); without it selftests_run() returns -1 and the
 * kernel boots on, saying selftest= was ignored.
 */
#ifndef _EXO_SELFTEST_H
#define _EXO_SELFTEST_H

#include <exo/compiler.h>
#include <exo/printk.h>
#include <uapi/errno.h>

struct selftest {
	const char *name;
	int (*run)(void);
};

#define DEFINE_SELFTEST(tname, fn)                                               \
	static const struct selftest __selftest_##fn __used __section(".selftests") \
		__aligned(8) = { .name = tname, .run = fn }

#ifdef CONFIG_SELFTEST
/*
 * Checks inside a self-test function (one returning int): a failed check logs
 * the file, line and expression, then makes the test return -EINVAL.
 * CHECK_EQ also prints both values, as longs.
 */
#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			pr_err("selftest: %s:%d: check failed: %s\n", __FILE__,  \
			       __LINE__, #cond);                                 \
			return -EINVAL;                                          \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                           \
	do {                                                                     \
		long __a = (long)(a), __b = (long)(b);                           \
		if (__a != __b) {                                                \
			pr_err("selftest: %s:%d: %s == %ld, expected %ld\n",     \
			       __FILE__, __LINE__, #a, __a, __b);                \
			return -EINVAL;                                          \
		}                                                                \
	} while (0)

/* Runs the tests selected on the command line; returns the number that failed. */
int selftests_run(void);
#else
/* Not built (CONFIG_SELFTEST=n): nothing ran. */
static inline int selftests_run(void)
{
	return -1;
}
#endif

#endif /* _EXO_SELFTEST_H */
