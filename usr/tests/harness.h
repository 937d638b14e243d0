/*
 * The in-guest test framework: registration, assertions, shared helpers.
 *
 * A test is a function declared with TEST(group, name). The harness runs each
 * one in its own forked child (a process group leader) whose working
 * directory is a fresh scratch directory, under a timeout, so a crash, a
 * hang or a leaked file in one test touches no other.
 *
 * EXPECT_* record a failure and let the test go on, so one run shows every
 * broken check; ASSERT_* end the test at once, for setup whose failure would
 * make the rest meaningless. Both report file:line and the values seen.
 *
 * EXPECT_ERRNO(expr, E) accepts the two ways a failed call reports: -1 with
 * errno set (libc wrappers, syscall()) or -E returned directly (raw calls).
 */
#ifndef EXOTEST_HARNESS_H
#define EXOTEST_HARNESS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

struct test {
	const char *group;
	const char *name;
	void (*fn)(void);
	unsigned int timeout;		/* seconds */
	struct test *next;
};

#define TEST_DEFAULT_TIMEOUT 10

void harness_register(struct test *t);

#define TEST_TIMEOUT(g, n, secs)						\
	static void test_##g##_##n(void);					\
	static struct test test_desc_##g##_##n = {				\
		#g, #n, test_##g##_##n, (secs), NULL				\
	};									\
	__attribute__((constructor)) static void test_reg_##g##_##n(void)	\
	{									\
		harness_register(&test_desc_##g##_##n);				\
	}									\
	static void test_##g##_##n(void)

#define TEST(g, n) TEST_TIMEOUT(g, n, TEST_DEFAULT_TIMEOUT)

/* Record a failure; with fatal set, end the test after recording it. */
void harness_fail(const char *file, int line, int fatal, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define __CHECK_CMP(fatal, a, op, b, sa, sb)					\
	do {									\
		long long __a = (long long)(a), __b = (long long)(b);		\
		if (!(__a op __b))						\
			harness_fail(__FILE__, __LINE__, fatal,			\
				     "%s " #op " %s: %lld vs %lld",		\
				     sa, sb, __a, __b);				\
	} while (0)

/* Every public macro stringifies its own arguments, before expansion. */
#define EXPECT_EQ(a, b) __CHECK_CMP(0, a, ==, b, #a, #b)
#define EXPECT_NE(a, b) __CHECK_CMP(0, a, !=, b, #a, #b)
#define EXPECT_GE(a, b) __CHECK_CMP(0, a, >=, b, #a, #b)
#define EXPECT_GT(a, b) __CHECK_CMP(0, a, >, b, #a, #b)
#define EXPECT_LE(a, b) __CHECK_CMP(0, a, <=, b, #a, #b)
#define EXPECT_LT(a, b) __CHECK_CMP(0, a, <, b, #a, #b)
#define ASSERT_EQ(a, b) __CHECK_CMP(1, a, ==, b, #a, #b)
#define ASSERT_NE(a, b) __CHECK_CMP(1, a, !=, b, #a, #b)
#define ASSERT_GE(a, b) __CHECK_CMP(1, a, >=, b, #a, #b)

#define __CHECK_TRUE(fatal, c, sc)						\
	do {									\
		if (!(c))							\
			harness_fail(__FILE__, __LINE__, fatal,			\
				     "expected true: %s", sc);			\
	} while (0)
#define EXPECT_TRUE(c) __CHECK_TRUE(0, c, #c)
#define ASSERT_TRUE(c) __CHECK_TRUE(1, c, #c)

#define EXPECT_STREQ(a, b)							\
	do {									\
		const char *__a = (a), *__b = (b);				\
		if (!__a || !__b || strcmp(__a, __b))				\
			harness_fail(__FILE__, __LINE__, 0,			\
				     "%s == %s: \"%s\" vs \"%s\"", #a, #b,	\
				     __a ? __a : "(null)",			\
				     __b ? __b : "(null)");			\
	} while (0)

#define EXPECT_MEMEQ(a, b, n)							\
	do {									\
		size_t __off = harness_memdiff((a), (b), (n));			\
		if (__off != (size_t)-1)					\
			harness_fail(__FILE__, __LINE__, 0,			\
				     "%s == %s (%zu bytes): differ at %zu",	\
				     #a, #b, (size_t)(n), __off);		\
	} while (0)

#define EXPECT_ERRNO(expr, err)							\
	do {									\
		errno = 0;							\
		long __r = (long)(expr);					\
		int __e = errno;						\
		if (!harness_errno_ok(__r, __e, (err)))				\
			harness_fail(__FILE__, __LINE__, 0,			\
				     "%s: expected %s, got %ld (errno %s)",	\
				     #expr, #err, __r, harness_errname(__e));	\
	} while (0)

/*
 * Evaluate a call that must succeed and yield its result; on -1 the test
 * ends (ASSERT_OK) or goes on (EXPECT_OK), naming the call and errno.
 * Works for fds, sizes and mmap's pointer.
 */
#define __CHECK_OK(fatal, expr, sexpr)						\
	({									\
		errno = 0;							\
		long __r = (long)(expr);					\
		if (__r == -1)							\
			harness_fail(__FILE__, __LINE__, fatal,			\
				     "%s failed: errno %s", sexpr,		\
				     harness_errname(errno));			\
		__r;								\
	})
#define ASSERT_OK(expr) __CHECK_OK(1, expr, #expr)
#define EXPECT_OK(expr) ((void)__CHECK_OK(0, expr, #expr))

int harness_errno_ok(long ret, int err, int want);
size_t harness_memdiff(const void *a, const void *b, size_t n);
const char *harness_errname(int err);

/* ---- helpers shared by the test files ----------------------------------- */

/* Absolute path of this binary, for re-executing it in helper mode. */
extern const char *harness_self;

/* First argument that puts the binary in helper mode (see harness.c). */
#define HELPER_ARG "__exotest_helper__"

/*
 * Fork; the child runs fn(arg) and exits 0 when it returns. Returns the
 * child's wait status.
 */
int run_child(void (*fn)(void *), void *arg);

/*
 * Fork; the child installs a SA_SIGINFO handler for sig and runs fn(arg).
 * Returns the si_code the handler saw, or -1 if fn returned with no signal.
 */
int child_fault_code(int sig, void (*fn)(void *), void *arg);

/* Touch one byte: read (write == 0) or write it, through a volatile access. */
void touch_read(void *addr);
void touch_write(void *addr);

/*
 * Run argv[0] with execve(argv, envp), capturing stdout into buf (NUL
 * terminated, at most size - 1 bytes). Returns the wait status.
 */
int run_capture(const char *path, char *const argv[], char *const envp[],
		char *buf, size_t size);

/* Create path holding the given bytes with the given mode; ends the test on failure. */
void write_file(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Whether the effective capability set holds cap (CAP_* from
 * linux/capability.h); without capget, whether we are root.
 */
int have_cap(int cap);
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER 3
#define CAP_SYS_RESOURCE 24

/* Fork a child that pauses until a signal ends it; returns its pid. */
pid_t fork_pause(void);

/* What /proc/self/fd/@fd points to ("" if unreadable), in a static buffer. */
const char *fd_link(int fd);

/* Monotonic clock in nanoseconds. */
long long now_ns(void);

/* An address that is certainly not mapped (a page mapped and then unmapped). */
void *unmapped_page(void);
/* Waits (up to 5 s) until @pid sleeps (state S in /proc/PID/stat): true if it does. */
bool wait_until_sleeping(pid_t pid);
/* The /proc/self/maps line of the mapping holding @addr, into @line (no newline); 0 if none. */
int maps_line_for(unsigned long addr, char *line, size_t size);

/* Whether the kernel is Exo-OS (uname's release says so), for the few checks Linux cannot make. */
bool running_on_exo(void);

#endif
