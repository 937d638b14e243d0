/* SPDX-License-Identifier: MIT */
/*
 * Host unit-test harness. TEST(name) registers a test; the runner forks one
 * child per test so a crash, a sanitizer report or a leftover lock in one
 * test cannot affect the next. CHECK() fails the running test.
 * EXPECT_PANIC(stmt) passes only if stmt calls panic() (the shim longjmp()s
 * out of it); the allocator state is not trusted afterwards, so it is the
 * last thing a test does with it.
 */
#ifndef _TESTS_HARNESS_H
#define _TESTS_HARNESS_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

struct test_case {
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *t);

#define TEST(name)                                                      \
	static void name(void);                                         \
	static struct test_case name##_case = { #name, name, NULL };   \
	__attribute__((constructor)) static void name##_reg(void)      \
	{                                                               \
		test_register(&name##_case);                            \
	}                                                               \
	static void name(void)

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                                \
			exit(1);                                                 \
		}                                                                \
	} while (0)

extern jmp_buf host_panic_jmp;
extern int host_panic_armed;
extern char host_panic_msg[512];
extern int host_warn_count;
extern unsigned int host_cpu_id;
extern int host_irqs_off;

#define EXPECT_PANIC(stmt, substr)                                                   \
	do {                                                                         \
		host_panic_armed = 1;                                                \
		if (!setjmp(host_panic_jmp)) {                                       \
			stmt;                                                        \
			host_panic_armed = 0;                                        \
			fprintf(stderr, "  %s:%d: no panic from %s\n", __FILE__,    \
				__LINE__, #stmt);                                    \
			exit(1);                                                     \
		}                                                                    \
		host_panic_armed = 0;                                                \
		if (!strstr(host_panic_msg, substr)) {                               \
			fprintf(stderr, "  %s:%d: panic \"%s\" lacks \"%s\"\n",      \
				__FILE__, __LINE__, host_panic_msg, substr);         \
			exit(1);                                                     \
		}                                                                    \
	} while (0)

/* Maps @size bytes of fake physical RAM at physical address 0. */
void host_ram_map(unsigned long size);
/* xorshift PRNG, reproducible per seed. */
unsigned long test_rand(void);
void test_srand(unsigned long seed);

#endif /* _TESTS_HARNESS_H */
