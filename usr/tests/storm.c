/*
 * Storm tests: many short-lived processes and mappings, then a check that
 * free memory came back. This is the leak check Exo-OS must pass: a kernel
 * that loses a page table, a task struct or a page per exec shows it here.
 *
 * EXOTEST_STORM_ITERS sets the iteration count (default 2000). Free memory
 * is sampled as sysinfo's freeram; after the storm it is sampled a few
 * times over a settle period and the best sample counts, so a neighbour's
 * passing allocation on a shared host is not taken for a leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define DEFAULT_ITERS 2000
#define SETTLE_SAMPLES 10
#define SETTLE_US 100000

static int storm_iters(void)
{
	const char *s = getenv("EXOTEST_STORM_ITERS");
	int n = s ? atoi(s) : DEFAULT_ITERS;

	return n > 0 ? n : DEFAULT_ITERS;
}

static unsigned long long free_bytes(void)
{
	struct sysinfo si;

	ASSERT_OK(sysinfo(&si));
	return (unsigned long long)si.freeram * si.mem_unit;
}

static unsigned long long total_bytes(void)
{
	struct sysinfo si;

	ASSERT_OK(sysinfo(&si));
	return (unsigned long long)si.totalram * si.mem_unit;
}

/* Fail if free memory stayed more than 1% of RAM below before. */
static void expect_no_leak(unsigned long long before)
{
	unsigned long long after = 0, now;
	int i;

	for (i = 0; i < SETTLE_SAMPLES; i++) {
		usleep(SETTLE_US);
		now = free_bytes();
		if (now > after)
			after = now;
		if (after + total_bytes() / 100 >= before)
			return;
	}
	harness_fail(__FILE__, __LINE__, 0, "free memory fell by %llu KiB (limit %llu KiB)",
		     (before - after) >> 10, (total_bytes() / 100) >> 10);
}

static int exec_exit_code(int code)
{
	char arg[8];
	char *argv[] = { "exotest", HELPER_ARG, "exit", arg, NULL };
	char *envp[] = { NULL };
	pid_t pid;
	int status;

	snprintf(arg, sizeof(arg), "%d", code);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(harness_self, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int fork_exit_code(int code)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(code);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* Run n rounds of spawn(i % 256), checking every status; then the leak check. */
static void storm(int (*spawn)(int code), int n)
{
	unsigned long long before;
	int i, status, bad = 0;

	/* Warm up so caches that grow once are not counted as a leak. */
	for (i = 0; i < 20; i++)
		spawn(0);
	before = free_bytes();
	for (i = 0; i < n; i++) {
		status = spawn(i % 256);
		if (status != (i % 256) << 8 && bad++ == 0)
			harness_fail(__FILE__, __LINE__, 0, "round %d: status %#x, want %#x",
				     i, status, (i % 256) << 8);
	}
	EXPECT_EQ(bad, 0);
	expect_no_leak(before);
}

TEST_TIMEOUT(storm, fork_exec_exit_wait, 300)
{
	storm(exec_exit_code, storm_iters());
}

TEST_TIMEOUT(storm, fork_exit_wait, 300)
{
	storm(fork_exit_code, storm_iters());
}

TEST_TIMEOUT(storm, mmap_touch_munmap, 300)
{
	enum { LEN = 64 * 4096 };
	unsigned long long before;
	int i, n = storm_iters() * 5;
	char *p;

	before = free_bytes();
	for (i = 0; i < n; i++) {
		p = (char *)ASSERT_OK(mmap(NULL, LEN, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		memset(p, i, LEN);
		ASSERT_OK(munmap(p, LEN));
	}
	expect_no_leak(before);
}
