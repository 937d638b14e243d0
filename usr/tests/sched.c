/*
 * Scheduler calls: CPU affinity (what sysconf(_SC_NPROCESSORS_ONLN) reads),
 * getcpu, nice values through getpriority/setpriority, sched_yield.
 */
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TEST(sched, nprocessors_matches_affinity)
{
	cpu_set_t set;

	ASSERT_OK(sched_getaffinity(0, sizeof(set), &set));
	EXPECT_EQ(CPU_COUNT(&set), sysconf(_SC_NPROCESSORS_ONLN));
	EXPECT_GE(CPU_COUNT(&set), 1);
}

TEST(sched, getaffinity_returns_mask_size)
{
	unsigned long mask[16];
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);

	EXPECT_GT(n, 0);
	EXPECT_EQ(n % (long)sizeof(unsigned long), 0);
}

TEST(sched, getaffinity_small_buffer_einval)
{
	unsigned char tiny[1];

	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, sizeof(tiny), tiny), EINVAL);
}

TEST(sched, getaffinity_bad_pointer_efault)
{
	EXPECT_ERRNO(syscall(SYS_sched_getaffinity, 0, 128, (void *)8), EFAULT);
}

TEST(sched, getaffinity_no_such_pid)
{
	cpu_set_t set;

	EXPECT_ERRNO(sched_getaffinity(999999, sizeof(set), &set), ESRCH);
}

TEST(sched, setaffinity_empty_mask_einval)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	EXPECT_ERRNO(sched_setaffinity(0, sizeof(set), &set), EINVAL);
}

TEST(sched, setaffinity_pins_to_one_cpu)
{
	cpu_set_t all, one;
	int first = -1;

	ASSERT_OK(sched_getaffinity(0, sizeof(all), &all));
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &all))
			first = i;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
	for (int i = 0; i < 50; i++) {
		sched_yield();
		EXPECT_EQ(sched_getcpu(), first);
	}
	ASSERT_OK(sched_getaffinity(0, sizeof(one), &one));
	EXPECT_EQ(CPU_COUNT(&one), 1);
	EXPECT_TRUE(CPU_ISSET(first, &one));
}

TEST(sched, affinity_inherited_by_child)
{
	cpu_set_t one;
	int status;
	pid_t pid;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		cpu_set_t got;

		if (sched_getaffinity(0, sizeof(got), &got) || CPU_COUNT(&got) != 1 || sched_getcpu() != 0)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(sched, getcpu_in_range)
{
	unsigned int cpu = ~0u, node = ~0u;

	ASSERT_OK(syscall(SYS_getcpu, &cpu, &node, NULL));
	EXPECT_LT(cpu, (unsigned int)sysconf(_SC_NPROCESSORS_CONF) + 64);
	EXPECT_EQ(node, 0u);
}

TEST(sched, nice_default_zero)
{
	errno = 0;
	EXPECT_EQ(getpriority(PRIO_PROCESS, 0), 0);
	EXPECT_EQ(errno, 0);
}

TEST(sched, raw_getpriority_is_20_minus_nice)
{
	EXPECT_EQ(syscall(SYS_getpriority, PRIO_PROCESS, 0), 20);
}

TEST(sched, setpriority_lowers_and_clamps)
{
	ASSERT_OK(setpriority(PRIO_PROCESS, 0, 5));
	EXPECT_EQ(getpriority(PRIO_PROCESS, 0), 5);
	ASSERT_OK(setpriority(PRIO_PROCESS, 0, 100));
	EXPECT_EQ(getpriority(PRIO_PROCESS, 0), 19);
}

TEST(sched, nice_inherited_by_child)
{
	int status;
	pid_t pid;

	ASSERT_OK(setpriority(PRIO_PROCESS, 0, 7));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(getpriority(PRIO_PROCESS, 0) == 7 ? 0 : 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(sched, setpriority_bad_which_einval)
{
	EXPECT_ERRNO(setpriority(42, 0, 0), EINVAL);
	EXPECT_ERRNO(getpriority(42, 0), EINVAL);
}

TEST(sched, setpriority_no_such_process)
{
	EXPECT_ERRNO(setpriority(PRIO_PROCESS, 999999, 1), ESRCH);
}

TEST(sched, raising_priority_needs_privilege)
{
	ASSERT_OK(setpriority(PRIO_PROCESS, 0, 10));
	if (geteuid() == 0)
		EXPECT_OK(setpriority(PRIO_PROCESS, 0, 0));
	else
		EXPECT_ERRNO(setpriority(PRIO_PROCESS, 0, 0), EACCES);
}

TEST(sched, yield_returns_zero)
{
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(sched_yield(), 0);
}

#define ARCH_SET_GS 0x1001

static unsigned long gs_word(void)
{
	unsigned long v;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(v));
	return v;
}

/*
 * Two processes on one CPU, each with its own user GS base, switch to each
 * other 200 times (pipe ping-pong): each finds its own base after every
 * switch (the switch saves and loads it, by swapgs and rdgsbase/wrgsbase
 * where the CPU has FSGSBASE, else through MSR_KERNEL_GS_BASE).
 */
TEST(sched, gs_base_kept_across_switches)
{
	static const unsigned long probe[2] = { 0x600dba5e00000001UL, 0x600dba5e00000002UL };
	int ping[2], pong[2], status, bad = 0;
	cpu_set_t one;
	pid_t pid;
	char c = 'x';

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
	ASSERT_OK(pipe(ping));
	ASSERT_OK(pipe(pong));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)&probe[1]))
			_exit(2);
		for (int i = 0; i < 200; i++) {
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(3);
			if (gs_word() != probe[1])
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_OK(syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)&probe[0]));
	for (int i = 0; i < 200; i++) {
		ASSERT_EQ(write(ping[1], &c, 1), 1);
		ASSERT_EQ(read(pong[0], &c, 1), 1);
		bad += gs_word() != probe[0];
	}
	EXPECT_EQ(bad, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
