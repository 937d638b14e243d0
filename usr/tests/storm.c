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
#include <stdbool.h>
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

/*
 * A child that exits with @code, directly or through execve of this binary,
 * made by fork or by vfork (the child then only execs or exits, as it must);
 * returns its wait status.
 */
static int spawn_code(int code_arg, bool exec, bool use_vfork)
{
	volatile int code = code_arg;	/* lives across vfork: kept in memory */
	char arg[8];
	char *argv[] = { "exotest", HELPER_ARG, "exit", arg, NULL };
	char *envp[] = { NULL };
	pid_t pid;
	int status;

	snprintf(arg, sizeof(arg), "%d", code);
	pid = use_vfork ? vfork() : fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (exec)
			execve(harness_self, argv, envp);
		_exit(exec ? 127 : code);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int exec_exit_code(int code)
{
	return spawn_code(code, true, false);
}

static int fork_exit_code(int code)
{
	return spawn_code(code, false, false);
}

static int vfork_exit_code(int code)
{
	return spawn_code(code, false, true);
}

static int vfork_exec_code(int code)
{
	return spawn_code(code, true, true);
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

/* Four processes vfork at once, so parent and child often run on different CPUs. */
static void vfork_storm_from_four(int (*spawn)(int code), int n)
{
	unsigned long long before;
	pid_t pids[4];
	int st;

	for (int i = 0; i < 20; i++)
		spawn(0);
	before = free_bytes();
	for (int p = 0; p < 4; p++) {
		pids[p] = ASSERT_OK(fork());
		if (pids[p] == 0) {
			for (int i = 0; i < n; i++)
				if (spawn(i % 256) != (i % 256) << 8)
					_exit(1);
			_exit(0);
		}
	}
	for (int p = 0; p < 4; p++) {
		ASSERT_EQ(waitpid(pids[p], &st, 0), pids[p]);
		EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	expect_no_leak(before);
}

/*
 * Regression: the vfork child cleared vfork_done and then woke the queue on
 * its parent's stack, which the parent, seeing NULL, might have left already.
 */
TEST_TIMEOUT(storm, vfork_exit_and_exec_from_four_processes, 300)
{
	vfork_storm_from_four(vfork_exit_code, storm_iters());
	vfork_storm_from_four(vfork_exec_code, storm_iters() / 4);
}
