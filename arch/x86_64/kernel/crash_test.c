// SPDX-License-Identifier: MIT
/*
 * crash=TYPE on the command line: crash on purpose late in boot (a late
 * initcall, after every other initcall), so the test harness can check
 * what a kernel panic and each kind of fatal exception report look like.
 *   panic   panic() from crash_test_panic()
 *   null    NULL read in crash_test_null_deref()            -> #PF
 *   ud2     ud2 in crash_test_invalid_opcode()              -> #UD
 *   divide  division by zero in crash_test_divide_error()   -> #DE
 *   gpf     non-canonical read in crash_test_gpf()          -> #GP
 * Each function is noinline so that its name is the one in the RIP line.
 */
#include <exo/cmdline.h>
#include <exo/init.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/string.h>
#include <uapi/errno.h>

/* Bits 63:48 are not copies of bit 47: every access to it raises #GP, never #PF. */
#define NON_CANONICAL_ADDR 0xdead000000000000UL

/* The crashing accesses store here, so the compiler cannot drop them as unused. */
static volatile unsigned long crash_test_sink;

static __noinline void crash_test_panic(void)
{
	panic("crash test: crash=panic on the command line");
}

static __noinline void crash_test_null_deref(void)
{
	/* volatile: the compiler must not see that the pointer is NULL. */
	unsigned long *volatile p = NULL;

	crash_test_sink = *p;
}

static __noinline void crash_test_invalid_opcode(void)
{
	__asm__ __volatile__("ud2");
}

/* In asm: C's 1 / x compiles to a compare (x == 1), with no division left. */
static __noinline void crash_test_divide_error(void)
{
	unsigned int quotient, remainder;

	__asm__ __volatile__("divl %[divisor]"
			     : "=a"(quotient), "=d"(remainder)
			     : [divisor] "r"(0U), "a"(1U), "d"(0U));
	crash_test_sink = quotient + remainder;
}

static __noinline void crash_test_gpf(void)
{
	unsigned long *volatile p = (unsigned long *)NON_CANONICAL_ADDR;

	crash_test_sink = *p;
}

static int crash_test_run(void)
{
	char type[16];

	if (!cmdline_get("crash", type, sizeof(type)))
		return 0;
	pr_emerg("crash test: crash=%s\n", type);
	if (!strcmp(type, "panic"))
		crash_test_panic();
	else if (!strcmp(type, "null"))
		crash_test_null_deref();
	else if (!strcmp(type, "ud2"))
		crash_test_invalid_opcode();
	else if (!strcmp(type, "divide"))
		crash_test_divide_error();
	else if (!strcmp(type, "gpf"))
		crash_test_gpf();
	pr_err("crash test: unknown type \"%s\" (panic, null, ud2, divide, gpf)\n", type);
	return -EINVAL;
}
late_initcall(crash_test_run);
