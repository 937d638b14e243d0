/*
 * Process, scheduling and credential calls beyond the basics: setreuid and
 * friends, the scheduling policies (sched_setscheduler, sched_setattr, ...),
 * personality, ioprio, mlock and membarrier, with Linux's errnos. Run as
 * root; the unprivileged checks drop to uid 1000 in a child.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* musl's wrappers of these return ENOSYS by design: call the kernel directly. */
static int sys_setscheduler(pid_t pid, int policy, const struct sched_param *p)
{
	return (int)syscall(SYS_sched_setscheduler, pid, policy, p);
}
static int sys_getscheduler(pid_t pid)
{
	return (int)syscall(SYS_sched_getscheduler, pid);
}
static int sys_setparam(pid_t pid, const struct sched_param *p)
{
	return (int)syscall(SYS_sched_setparam, pid, p);
}
static int sys_getparam(pid_t pid, struct sched_param *p)
{
	return (int)syscall(SYS_sched_getparam, pid, p);
}
#define sched_setscheduler sys_setscheduler
#define sched_getscheduler sys_getscheduler
#define sched_setparam sys_setparam
#define sched_getparam sys_getparam

static void *bad_ptr(void)
{
	return unmapped_page();
}

/* Runs fn in a child and expects it to exit 0 (its EXPECTs fail the child). */
static void in_child(void (*fn)(void *), void *arg)
{
	int status = run_child(fn, arg);

	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* ---- credentials ---------------------------------------------------------- */

static void getres(uid_t *r, uid_t *e, uid_t *s)
{
	ASSERT_OK(getresuid(r, e, s));
}

static void setreuid_rules(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	ASSERT_OK(setresuid(1000, 1001, 1002));
	/* The real id may become the effective one; the saved id follows the effective. */
	ASSERT_OK(setreuid(1001, -1));
	getres(&r, &e, &s);
	EXPECT_EQ(r, 1001);
	EXPECT_EQ(e, 1001);
	EXPECT_EQ(s, 1001);
	EXPECT_ERRNO(setreuid(1002, -1), EPERM);
	EXPECT_ERRNO(setreuid(-1, 0), EPERM);
}

static void setreuid_saved(void *arg)
{
	uid_t r, e, s;

	(void)arg;
	ASSERT_OK(setresuid(1000, 1001, 1002));
	/* The effective id to the saved one, without touching the real id. */
	ASSERT_OK(setreuid(-1, 1002));
	getres(&r, &e, &s);
	EXPECT_EQ(r, 1000);
	EXPECT_EQ(e, 1002);
	EXPECT_EQ(s, 1002);	/* differs from the real id: saved = new effective */
	ASSERT_OK(setreuid(-1, 1000));
	getres(&r, &e, &s);
	EXPECT_EQ(e, 1000);
	EXPECT_EQ(s, 1002);	/* effective set to the real id: saved unchanged */
	EXPECT_OK(setreuid(-1, -1));
}

TEST(proc2, setreuid_follows_linux_rules)
{
	uid_t r, e, s;

	in_child(setreuid_rules, NULL);
	in_child(setreuid_saved, NULL);
	/* root may set anything; setting the real id sets saved = effective. */
	ASSERT_OK(setreuid(5, 6));
	getres(&r, &e, &s);
	EXPECT_EQ(r, 5);
	EXPECT_EQ(e, 6);
	EXPECT_EQ(s, 6);
}

static void setregid_rules(void *arg)
{
	gid_t r, e, s;

	(void)arg;
	ASSERT_OK(setresgid(100, 101, 102));
	ASSERT_OK(setresuid(1000, 1000, 1000));
	ASSERT_OK(setregid(101, 102));
	ASSERT_OK(getresgid(&r, &e, &s));
	EXPECT_EQ(r, 101);
	EXPECT_EQ(e, 102);
	EXPECT_EQ(s, 102);
	EXPECT_ERRNO(setregid(100, -1), EPERM);
	EXPECT_ERRNO(setregid(-1, 7), EPERM);
}

TEST(proc2, setregid_follows_linux_rules)
{
	in_child(setregid_rules, NULL);
}

static void setfsuid_rules(void *arg)
{
	(void)arg;
	ASSERT_OK(setresgid(10, 11, 12));
	ASSERT_OK(setresuid(1000, 1001, 1002));
	/* The fs id follows the effective id; setfsuid always returns the old one. */
	EXPECT_EQ(setfsuid(-1), 1001);
	EXPECT_EQ(setfsuid(1002), 1001);
	EXPECT_EQ(setfsuid(-1), 1002);
	EXPECT_EQ(setfsuid(0), 1002);	/* refused silently */
	EXPECT_EQ(setfsuid(-1), 1002);
	EXPECT_EQ(setfsuid(1000), 1002);
	EXPECT_EQ(setfsuid(-1), 1000);
	EXPECT_EQ(setfsgid(-1), 11);
	EXPECT_EQ(setfsgid(12), 11);
	EXPECT_EQ(setfsgid(99), 12);
	EXPECT_EQ(setfsgid(-1), 12);
}

TEST(proc2, setfsuid_returns_old_and_checks_ids)
{
	in_child(setfsuid_rules, NULL);
	/* root may pick any fs id; a setresuid resets it to the effective id. */
	EXPECT_EQ(setfsuid(1234), 0);
	EXPECT_EQ(setfsuid(-1), 1234);
	ASSERT_OK(setresuid(0, 0, 0));
	EXPECT_EQ(setfsuid(-1), 0);
}

/* ---- scheduling policies -------------------------------------------------- */

struct sched_attr_v1 {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static long sys_setattr(pid_t pid, void *attr, unsigned int flags)
{
	return syscall(SYS_sched_setattr, pid, attr, flags);
}

static long sys_getattr(pid_t pid, void *attr, unsigned int size, unsigned int flags)
{
	return syscall(SYS_sched_getattr, pid, attr, size, flags);
}

TEST(proc2, priority_ranges)
{
	EXPECT_EQ(sched_get_priority_max(SCHED_FIFO), 99);
	EXPECT_EQ(sched_get_priority_min(SCHED_FIFO), 1);
	EXPECT_EQ(sched_get_priority_max(SCHED_RR), 99);
	EXPECT_EQ(sched_get_priority_min(SCHED_RR), 1);
	EXPECT_EQ(sched_get_priority_max(SCHED_OTHER), 0);
	EXPECT_EQ(sched_get_priority_min(SCHED_BATCH), 0);
	EXPECT_EQ(sched_get_priority_max(SCHED_IDLE), 0);
	EXPECT_ERRNO(sched_get_priority_max(4), EINVAL);
	EXPECT_ERRNO(sched_get_priority_min(-1), EINVAL);
	EXPECT_ERRNO(sched_get_priority_max(42), EINVAL);
}

TEST(proc2, setscheduler_fifo_rr_and_back)
{
	struct sched_param p = { .sched_priority = 10 };
	struct timespec ts;

	EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
	ASSERT_OK(sched_setscheduler(0, SCHED_FIFO, &p));
	EXPECT_EQ(sched_getscheduler(0), SCHED_FIFO);
	p.sched_priority = 0;
	ASSERT_OK(sched_getparam(0, &p));
	EXPECT_EQ(p.sched_priority, 10);
	ASSERT_OK(sched_rr_get_interval(0, &ts));
	EXPECT_EQ(ts.tv_sec, 0);
	EXPECT_EQ(ts.tv_nsec, 0);	/* FIFO has no quantum */
	p.sched_priority = 20;
	ASSERT_OK(sched_setparam(0, &p));
	ASSERT_OK(sched_getparam(getpid(), &p));
	EXPECT_EQ(p.sched_priority, 20);
	ASSERT_OK(sched_setscheduler(0, SCHED_RR, &p));
	ASSERT_OK(sched_rr_get_interval(0, &ts));
	EXPECT_EQ(ts.tv_sec, 0);
	EXPECT_GT(ts.tv_nsec, 0);
	p.sched_priority = 0;
	ASSERT_OK(sched_setscheduler(0, SCHED_BATCH, &p));
	EXPECT_EQ(sched_getscheduler(0), SCHED_BATCH);
	ASSERT_OK(sched_getparam(0, &p));
	EXPECT_EQ(p.sched_priority, 0);
	ASSERT_OK(sched_setscheduler(0, SCHED_IDLE, &p));
	EXPECT_EQ(sched_getscheduler(0), SCHED_IDLE);
	ASSERT_OK(sched_setscheduler(0, SCHED_OTHER, &p));
	EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);
}

TEST(proc2, setscheduler_errnos)
{
	struct sched_param p = { .sched_priority = 0 };
	struct timespec ts;

	/* Priority must be 1..99 for RT, 0 otherwise. */
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_FIFO, &p), EINVAL);
	p.sched_priority = 100;
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_RR, &p), EINVAL);
	p.sched_priority = -1;
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_RR, &p), EINVAL);
	p.sched_priority = 1;
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_OTHER, &p), EINVAL);
	EXPECT_ERRNO(sched_setscheduler(0, 4, &p), EINVAL);
	EXPECT_ERRNO(sched_setscheduler(0, -1, &p), EINVAL);
	EXPECT_ERRNO(sched_setparam(0, &p), EINVAL);	/* SCHED_OTHER with 1 */
	EXPECT_ERRNO(syscall(SYS_sched_setscheduler, -1, SCHED_FIFO, &p), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, bad_ptr()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sched_setparam, 0, bad_ptr()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sched_getparam, 0, bad_ptr()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_getparam, -1, &p), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_getscheduler, -1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_rr_get_interval, 0, bad_ptr()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_sched_rr_get_interval, -1, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_sched_getscheduler, 999999), ESRCH);
	EXPECT_ERRNO(syscall(SYS_sched_getparam, 999999, &p), ESRCH);
	EXPECT_ERRNO(syscall(SYS_sched_setscheduler, 999999, SCHED_FIFO, &p), ESRCH);
	EXPECT_ERRNO(syscall(SYS_sched_rr_get_interval, 999999, &ts), ESRCH);
}

static void unprivileged_rt(void *arg)
{
	struct sched_param p = { .sched_priority = 5 };
	struct rlimit rl = { 0, 0 };

	(void)arg;
	ASSERT_OK(setrlimit(RLIMIT_RTPRIO, &rl));
	ASSERT_OK(setrlimit(RLIMIT_NICE, &rl));
	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_FIFO, &p), EPERM);
	EXPECT_ERRNO(sched_setscheduler(getppid(), SCHED_OTHER, &(struct sched_param){ 0 }),
		     EPERM);
	p.sched_priority = 0;
	EXPECT_OK(sched_setscheduler(0, SCHED_BATCH, &p));
	/* Leaving SCHED_IDLE needs RLIMIT_NICE room for the current nice. */
	EXPECT_OK(sched_setscheduler(0, SCHED_IDLE, &p));
	EXPECT_ERRNO(sched_setscheduler(0, SCHED_OTHER, &p), EPERM);
}

static void rtprio_rlimit(void *arg)
{
	struct sched_param p = { .sched_priority = 5 };
	struct rlimit rl = { 10, 10 };

	(void)arg;
	ASSERT_OK(setrlimit(RLIMIT_RTPRIO, &rl));
	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_OK(sched_setscheduler(0, SCHED_RR, &p));
	p.sched_priority = 11;
	EXPECT_ERRNO(sched_setparam(0, &p), EPERM);
	p.sched_priority = 10;
	EXPECT_OK(sched_setparam(0, &p));
}

TEST(proc2, unprivileged_rt_needs_rlimit)
{
	in_child(unprivileged_rt, NULL);
	/* Raising the hard limit needs CAP_SYS_RESOURCE, which containers often drop. */
	if (have_cap(CAP_SYS_RESOURCE))
		in_child(rtprio_rlimit, NULL);
}

static void reset_on_fork_child(void *arg)
{
	(void)arg;
	if (sched_getscheduler(0) != SCHED_OTHER || getpriority(PRIO_PROCESS, 0) != 0)
		exit(1);
}

static void inherit_child(void *arg)
{
	struct sched_param p;

	(void)arg;
	if (sched_getscheduler(0) != SCHED_RR || sched_getparam(0, &p) || p.sched_priority != 7)
		exit(1);
}

TEST(proc2, reset_on_fork_and_inheritance)
{
	struct sched_param p = { .sched_priority = 7 };

	ASSERT_OK(sched_setscheduler(0, SCHED_RR, &p));
	in_child(inherit_child, NULL);
	ASSERT_OK(sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &p));
	EXPECT_EQ(sched_getscheduler(0), SCHED_RR | SCHED_RESET_ON_FORK);
	in_child(reset_on_fork_child, NULL);
	p.sched_priority = 0;
	ASSERT_OK(sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &p));
	ASSERT_OK(setpriority(PRIO_PROCESS, 0, -5));
	in_child(reset_on_fork_child, NULL);
}

TEST(proc2, setattr_getattr_and_sizes)
{
	struct sched_attr_v1 a;
	char big[128];

	memset(&a, 0, sizeof(a));
	a.size = 48;
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = 3;
	ASSERT_OK(sys_setattr(0, &a, 0));
	memset(&a, 0xff, sizeof(a));
	ASSERT_OK(sys_getattr(0, &a, sizeof(a), 0));
	EXPECT_EQ(a.size, 56);
	EXPECT_EQ(a.sched_policy, SCHED_FIFO);
	EXPECT_EQ(a.sched_priority, 3);
	EXPECT_EQ(a.sched_flags, 0);
	/* A smaller buffer gets VER0's 48 bytes; a larger one our 56 and zeroes after. */
	memset(big, 0x5a, sizeof(big));
	ASSERT_OK(sys_getattr(0, big, 48, 0));
	EXPECT_EQ(((struct sched_attr_v1 *)big)->size, 48);
	EXPECT_EQ((unsigned char)big[48], 0x5a);
	ASSERT_OK(sys_getattr(0, big, 100, 0));
	EXPECT_EQ(((struct sched_attr_v1 *)big)->size, 56);
	EXPECT_EQ(big[56], 0);
	EXPECT_EQ(big[99], 0);
	EXPECT_EQ((unsigned char)big[100], 0x5a);

	/* Back to fair with a nice value and reset-on-fork. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_OTHER;
	a.sched_nice = 5;
	a.sched_flags = 1;	/* SCHED_FLAG_RESET_ON_FORK */
	ASSERT_OK(sys_setattr(0, &a, 0));
	EXPECT_EQ(getpriority(PRIO_PROCESS, 0), 5);
	memset(&a, 0, sizeof(a));
	ASSERT_OK(sys_getattr(0, &a, sizeof(a), 0));
	EXPECT_EQ(a.sched_policy, SCHED_OTHER);
	EXPECT_EQ(a.sched_nice, 5);
	EXPECT_EQ(a.sched_flags, 1);
	EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER | SCHED_RESET_ON_FORK);

	/* Size negotiation: too small, or non-zero bytes past ours, is E2BIG with our size back. */
	memset(big, 0, sizeof(big));
	((struct sched_attr_v1 *)big)->size = 40;
	EXPECT_ERRNO(sys_setattr(0, big, 0), E2BIG);
	EXPECT_EQ(((struct sched_attr_v1 *)big)->size, 56);
	memset(big, 0, sizeof(big));
	((struct sched_attr_v1 *)big)->size = sizeof(big);
	EXPECT_OK(sys_setattr(0, big, 0));	/* zero tail: fine */
	big[100] = 1;
	EXPECT_ERRNO(sys_setattr(0, big, 0), E2BIG);
	EXPECT_EQ(((struct sched_attr_v1 *)big)->size, 56);
	memset(big, 0, sizeof(big));
	((struct sched_attr_v1 *)big)->size = 8192;
	EXPECT_ERRNO(sys_setattr(0, big, 0), E2BIG);
	memset(big, 0, sizeof(big));	/* size 0 reads as VER0 */
	EXPECT_OK(sys_setattr(0, big, 0));

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	EXPECT_ERRNO(sys_setattr(0, &a, 1), EINVAL);
	EXPECT_ERRNO(sys_setattr(-1, &a, 0), EINVAL);
	EXPECT_ERRNO(sys_setattr(0, NULL, 0), EINVAL);
	EXPECT_ERRNO(sys_setattr(0, bad_ptr(), 0), EFAULT);
	EXPECT_ERRNO(sys_setattr(999999, &a, 0), ESRCH);
	a.sched_policy = 4;
	EXPECT_ERRNO(sys_setattr(0, &a, 0), EINVAL);
	a.sched_policy = SCHED_RR;
	EXPECT_ERRNO(sys_setattr(0, &a, 0), EINVAL);	/* priority 0 */
	EXPECT_ERRNO(sys_getattr(0, &a, 47, 0), EINVAL);
	EXPECT_ERRNO(sys_getattr(0, &a, 8192, 0), EINVAL);
	EXPECT_ERRNO(sys_getattr(0, &a, sizeof(a), 1), EINVAL);
	EXPECT_ERRNO(sys_getattr(0, NULL, sizeof(a), 0), EINVAL);
	EXPECT_ERRNO(sys_getattr(0, bad_ptr(), sizeof(a), 0), EFAULT);
	EXPECT_ERRNO(sys_getattr(999999, &a, sizeof(a), 0), ESRCH);

	/* KEEP_POLICY and KEEP_PARAMS keep what they name. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = SCHED_FIFO;
	a.sched_priority = 9;
	ASSERT_OK(sys_setattr(0, &a, 0));
	a.sched_priority = 4;
	a.sched_flags = 0x10;	/* KEEP_PARAMS: an RT task keeps its priority */
	ASSERT_OK(sys_setattr(0, &a, 0));
	memset(&a, 0, sizeof(a));
	ASSERT_OK(sys_getattr(0, &a, sizeof(a), 0));
	EXPECT_EQ(a.sched_priority, 9);
	a.size = sizeof(a);
	a.sched_policy = SCHED_FIFO;
	a.sched_flags = 0;
	a.sched_policy = SCHED_OTHER;
	a.sched_priority = 12;
	a.sched_flags = 0x08;	/* KEEP_POLICY */
	ASSERT_OK(sys_setattr(0, &a, 0));
	EXPECT_EQ(sched_getscheduler(0), SCHED_FIFO);
	memset(&a, 0, sizeof(a));
	ASSERT_OK(sys_getattr(0, &a, sizeof(a), 0));
	EXPECT_EQ(a.sched_priority, 12);
}

/* /proc/PID/stat's rt_priority (40th) and policy (41st) fields. */
static void stat_policy(unsigned int *rtprio, unsigned int *policy)
{
	char buf[1024], *p;
	int fd = ASSERT_OK(open("/proc/self/stat", O_RDONLY));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	ASSERT_GE(n, 1);
	buf[n] = 0;
	close(fd);
	p = strrchr(buf, ')');
	ASSERT_TRUE(p != NULL);
	p += 2;
	/* field 3 is the state; skip to field 40 */
	for (int field = 3; field < 40; field++) {
		p = strchr(p, ' ');
		ASSERT_TRUE(p != NULL);
		p++;
	}
	ASSERT_EQ(sscanf(p, "%u %u", rtprio, policy), 2);
}

TEST(proc2, proc_stat_shows_policy)
{
	struct sched_param p = { .sched_priority = 33 };
	unsigned int rtprio, policy;

	stat_policy(&rtprio, &policy);
	EXPECT_EQ(rtprio, 0);
	EXPECT_EQ(policy, SCHED_OTHER);
	ASSERT_OK(sched_setscheduler(0, SCHED_RR, &p));
	stat_policy(&rtprio, &policy);
	EXPECT_EQ(rtprio, 33);
	EXPECT_EQ(policy, SCHED_RR);
}

static volatile int *rt_order;

static void spin_then_mark(void *arg)
{
	(void)arg;
	/* A fair task: it may only record after the RT task has finished. */
	__atomic_fetch_add(&rt_order[1], 1, __ATOMIC_SEQ_CST);
	rt_order[2] = rt_order[0];
}

/*
 * On one CPU, a runnable FIFO task runs before a fair one: the fair child,
 * made runnable while the FIFO parent spins, sees the parent's work done.
 */
TEST(proc2, fifo_runs_before_fair_tasks)
{
	struct sched_param p = { .sched_priority = 50 };
	cpu_set_t one;
	pid_t pid;
	int status;

	rt_order = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(rt_order != MAP_FAILED);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_OK(sched_setaffinity(0, sizeof(one), &one));
	/* FIFO before the fork, so the child never runs first; it starts fair (reset-on-fork). */
	ASSERT_OK(sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		spin_then_mark(NULL);
		_exit(0);
	}
	/* About 50 ms of work: a fair task would get the CPU several times meanwhile. */
	long long end = now_ns() + 50000000LL;
	while (now_ns() < end)
		if (rt_order[1])
			break;
	rt_order[0] = 1;
	p.sched_priority = 0;
	ASSERT_OK(sched_setscheduler(0, SCHED_OTHER, &p));
	ASSERT_OK(waitpid(pid, &status, 0));
	EXPECT_EQ(rt_order[2], 1);
}

/* ---- personality, ioprio -------------------------------------------------- */

#define PERSONALITY_QUERY 0xffffffffUL
#define PER_LINUX 0
#define ADDR_NO_RANDOMIZE 0x0040000

static void personality_child(void *arg)
{
	(void)arg;
	if (syscall(SYS_personality, PERSONALITY_QUERY) != (PER_LINUX | ADDR_NO_RANDOMIZE))
		exit(1);
}

TEST(proc2, personality_query_set_and_inherit)
{
	EXPECT_EQ(syscall(SYS_personality, PERSONALITY_QUERY), PER_LINUX);
	EXPECT_EQ(syscall(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE), PER_LINUX);
	EXPECT_EQ(syscall(SYS_personality, PERSONALITY_QUERY), PER_LINUX | ADDR_NO_RANDOMIZE);
	in_child(personality_child, NULL);
	EXPECT_EQ(syscall(SYS_personality, PER_LINUX), PER_LINUX | ADDR_NO_RANDOMIZE);
	EXPECT_EQ(syscall(SYS_personality, PERSONALITY_QUERY), PER_LINUX);
}

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3
#define IOPRIO(class, level) (((class) << 13) | (level))

static long ioprio_set(int which, int who, int prio)
{
	return syscall(SYS_ioprio_set, which, who, prio);
}

static long ioprio_get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

static void ioprio_child(void *arg)
{
	(void)arg;
	if (ioprio_get(IOPRIO_WHO_PROCESS, 0) != IOPRIO(2, 6))
		exit(1);
}

static void ioprio_unprivileged(void *arg)
{
	(void)arg;
	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 0)), EPERM);
	EXPECT_OK(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(3, 0)));
	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, getppid(), IOPRIO(2, 0)), EPERM);
}

TEST(proc2, ioprio_set_get_and_errnos)
{
	/* Never set: class NONE, level 0 (the block layer maps it from nice). */
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(0, 0));
	ASSERT_OK(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(2, 6)));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PROCESS, getpid()), IOPRIO(2, 6));
	in_child(ioprio_child, NULL);
	ASSERT_OK(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(1, 3)));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(1, 3));
	ASSERT_OK(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(3, 0)));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(3, 0));
	/* The process group: we lead our own (the harness makes us a group leader). */
	ASSERT_OK(ioprio_set(IOPRIO_WHO_PGRP, 0, IOPRIO(2, 1)));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PGRP, 0), IOPRIO(2, 1));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PGRP, getpgrp()), IOPRIO(2, 1));
	EXPECT_EQ(ioprio_get(IOPRIO_WHO_PROCESS, 0), IOPRIO(2, 1));

	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(0, 1)), EINVAL);
	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(4, 0)), EINVAL);
	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO(7, 0)), EINVAL);
	EXPECT_ERRNO(ioprio_set(0, 0, IOPRIO(2, 0)), EINVAL);
	EXPECT_ERRNO(ioprio_set(4, 0, IOPRIO(2, 0)), EINVAL);
	EXPECT_ERRNO(ioprio_get(0, 0), EINVAL);
	EXPECT_ERRNO(ioprio_get(4, 0), EINVAL);
	EXPECT_ERRNO(ioprio_set(IOPRIO_WHO_PROCESS, 999999, IOPRIO(2, 0)), ESRCH);
	EXPECT_ERRNO(ioprio_get(IOPRIO_WHO_PROCESS, 999999), ESRCH);
	EXPECT_ERRNO(ioprio_get(IOPRIO_WHO_PGRP, 999999), ESRCH);
	EXPECT_ERRNO(ioprio_get(IOPRIO_WHO_USER, 999999), ESRCH);
	in_child(ioprio_unprivileged, NULL);
}

/* ---- mlock ---------------------------------------------------------------- */

/* /proc/self/status's VmLck in kB. */
static long vm_locked_kb(void)
{
	char buf[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	p = strstr(buf, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

static long sys_mlock2(void *addr, size_t len, int flags)
{
	return syscall(SYS_mlock2, addr, len, flags);
}

TEST(proc2, mlock_locks_and_counts)
{
	size_t len = 16 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[16];

	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_EQ(vm_locked_kb(), 0);
	/* An unaligned start locks the whole pages it touches. */
	ASSERT_OK(mlock(p + 100, 4096));
	EXPECT_EQ(vm_locked_kb(), 8);
	ASSERT_OK(mincore(p, len, vec));
	EXPECT_EQ(vec[0] & 1, 1);	/* populated */
	EXPECT_EQ(vec[1] & 1, 1);
	EXPECT_EQ(vec[2] & 1, 0);
	ASSERT_OK(mlock(p, len));	/* overlapping: counted once */
	EXPECT_EQ(vm_locked_kb(), 64);
	ASSERT_OK(munlock(p + 4096, 4096));
	EXPECT_EQ(vm_locked_kb(), 60);
	ASSERT_OK(munmap(p, 4096));
	EXPECT_EQ(vm_locked_kb(), 56);
	ASSERT_OK(munlock(p + 4096, len - 4096));
	EXPECT_EQ(vm_locked_kb(), 0);
	EXPECT_OK(mlock(p + 4096, 0));
	EXPECT_OK(munlock(p + 4096, 0));
	/* A hole or an unmapped range: ENOMEM. */
	EXPECT_ERRNO(mlock(p, len), ENOMEM);
	EXPECT_ERRNO(munlock(p, len), ENOMEM);
	EXPECT_ERRNO(mlock(unmapped_page(), 4096), ENOMEM);
	EXPECT_ERRNO(mlock((void *)-4096L, 8192), EINVAL);
	munmap(p, len);
}

TEST(proc2, mlock2_onfault_and_flags)
{
	size_t len = 8 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[8];

	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_ERRNO(sys_mlock2(p, len, 2), EINVAL);
	EXPECT_ERRNO(sys_mlock2(p, len, -1), EINVAL);
	ASSERT_OK(sys_mlock2(p, len, 1 /* MLOCK_ONFAULT */));
	EXPECT_EQ(vm_locked_kb(), 32);
	ASSERT_OK(mincore(p, len, vec));
	EXPECT_EQ(vec[3] & 1, 0);	/* not populated until touched */
	p[3 * 4096] = 1;
	ASSERT_OK(mincore(p, len, vec));
	EXPECT_EQ(vec[3] & 1, 1);
	ASSERT_OK(sys_mlock2(p, len, 0));
	ASSERT_OK(mincore(p, len, vec));
	EXPECT_EQ(vec[7] & 1, 1);
	munmap(p, len);
	EXPECT_EQ(vm_locked_kb(), 0);
}

static void mlock_limits(void *arg)
{
	struct rlimit rl = { 8192, 8192 };
	char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_OK(mlock(p, 8192));
	EXPECT_OK(mlock(p, 8192));	/* again: already counted */
	EXPECT_ERRNO(mlock(p, 3 * 4096), ENOMEM);
	EXPECT_ERRNO(mlockall(MCL_CURRENT), ENOMEM);
	EXPECT_ERRNO(mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) ==
		     MAP_FAILED ? -1 : 0, EAGAIN);
	rl.rlim_cur = rl.rlim_max = 0;
	ASSERT_OK(setrlimit(RLIMIT_MEMLOCK, &rl));
	EXPECT_ERRNO(mlock(p, 4096), EPERM);
	EXPECT_ERRNO(mlockall(MCL_FUTURE), EPERM);
	EXPECT_OK(munlock(p, 4 * 4096));
	EXPECT_OK(munlockall());
}

TEST(proc2, mlock_rlimit_enomem_and_eperm)
{
	in_child(mlock_limits, NULL);
}

static void mlockall_child(void *arg)
{
	(void)arg;
	/* Locks are not inherited by fork. */
	if (vm_locked_kb() != 0)
		exit(1);
}

TEST(proc2, mlockall_current_future)
{
	char *p;
	unsigned char vec[4];

	EXPECT_ERRNO(mlockall(0), EINVAL);
	EXPECT_ERRNO(mlockall(MCL_ONFAULT), EINVAL);
	EXPECT_ERRNO(mlockall(8), EINVAL);
	ASSERT_OK(mlockall(MCL_CURRENT));
	EXPECT_GT(vm_locked_kb(), 0);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(mincore(p, 4 * 4096, vec));
	EXPECT_EQ(vec[2] & 1, 0);	/* MCL_CURRENT only: new mappings are not locked */
	munmap(p, 4 * 4096);
	ASSERT_OK(mlockall(MCL_CURRENT | MCL_FUTURE));
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(mincore(p, 4 * 4096, vec));
	EXPECT_EQ(vec[2] & 1, 1);	/* MCL_FUTURE: locked and populated at mmap */
	in_child(mlockall_child, NULL);
	ASSERT_OK(munlockall());
	EXPECT_EQ(vm_locked_kb(), 0);
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_OK(mincore(p, 4 * 4096, vec));
	EXPECT_EQ(vec[2] & 1, 0);
	/* MAP_LOCKED populates and counts. */
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
		 -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(mincore(p, 4 * 4096, vec));
	EXPECT_EQ(vec[3] & 1, 1);
	EXPECT_EQ(vm_locked_kb(), 16);
}

/* ---- process_vm_readv/writev, kcmp ------------------------------------- */

#include <sys/uio.h>

static long pvm_read(pid_t pid, struct iovec *l, unsigned long nl, struct iovec *r, unsigned long nr)
{
	return syscall(SYS_process_vm_readv, pid, l, nl, r, nr, 0UL);
}

static long pvm_write(pid_t pid, struct iovec *l, unsigned long nl, struct iovec *r, unsigned long nr)
{
	return syscall(SYS_process_vm_writev, pid, l, nl, r, nr, 0UL);
}

/* A child whose memory is @shared_page's copy: it pauses until killed. */
static pid_t fork_with_copy(char *area)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	(void)area;
	return pid;
}

TEST(proc2, process_vm_readv_writev)
{
	size_t len = 3 * 4096;
	char *area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[64], a[10], b[20];
	struct iovec l[2], r[2];
	pid_t pid;
	int status;

	ASSERT_TRUE(area != MAP_FAILED);
	memcpy(area, "hello, remote world", 20);
	memcpy(area + 4096 - 5, "crosspage", 10);
	ASSERT_OK(munmap(area + 2 * 4096, 4096));	/* the third page: a hole */
	pid = ASSERT_OK(fork_with_copy(area));
	/* After the fork our copy changes; the child's does not. */
	memset(area, 'x', 20);

	/* Scatter: the remote 20 bytes land across two local buffers. */
	l[0] = (struct iovec){ a, sizeof(a) };
	l[1] = (struct iovec){ b, sizeof(b) };
	r[0] = (struct iovec){ area, 20 };
	EXPECT_EQ(pvm_read(pid, l, 2, r, 1), 20);
	EXPECT_MEMEQ(a, "hello, rem", 10);
	EXPECT_MEMEQ(b, "ote world", 10);
	/* Across a page boundary. */
	l[0] = (struct iovec){ buf, 10 };
	r[0] = (struct iovec){ area + 4096 - 5, 10 };
	EXPECT_EQ(pvm_read(pid, l, 1, r, 1), 10);
	EXPECT_MEMEQ(buf, "crosspage", 10);

	/* Write, then read it back. */
	l[0] = (struct iovec){ "CHANGED", 7 };
	r[0] = (struct iovec){ area, 7 };
	EXPECT_EQ(pvm_write(pid, l, 1, r, 1), 7);
	l[0] = (struct iovec){ buf, 20 };
	r[0] = (struct iovec){ area, 20 };
	EXPECT_EQ(pvm_read(pid, l, 1, r, 1), 20);
	EXPECT_MEMEQ(buf, "CHANGEDremote world", 20);

	/* Partial: the remote range runs into the hole: what was readable is returned. */
	{
		char *big = malloc(8192);

		l[0] = (struct iovec){ big, 8192 };
		r[0] = (struct iovec){ area + 4096 + 100, 8192 };
		EXPECT_EQ(pvm_read(pid, l, 1, r, 1), 4096 - 100);
		r[0] = (struct iovec){ area + 2 * 4096, 10 };
		EXPECT_ERRNO(pvm_read(pid, l, 1, r, 1), EFAULT);
		/* The second remote iovec is not reached after a failed first one. */
		r[1] = (struct iovec){ area, 10 };
		EXPECT_ERRNO(pvm_read(pid, l, 1, r, 2), EFAULT);
		free(big);
	}
	/* A bad local buffer. */
	l[0] = (struct iovec){ unmapped_page(), 10 };
	r[0] = (struct iovec){ area, 10 };
	EXPECT_ERRNO(pvm_read(pid, l, 1, r, 1), EFAULT);
	EXPECT_ERRNO(pvm_write(pid, l, 1, r, 1), EFAULT);
	EXPECT_ERRNO(pvm_read(pid, bad_ptr(), 1, r, 1), EFAULT);
	l[0] = (struct iovec){ buf, 10 };
	EXPECT_ERRNO(pvm_read(pid, l, 1, bad_ptr(), 1), EFAULT);
	/* Nothing to do: 0, before the pid is even looked up. */
	EXPECT_EQ(pvm_read(999999, l, 0, r, 1), 0);
	EXPECT_EQ(pvm_read(999999, l, 1, r, 0), 0);
	EXPECT_ERRNO(pvm_read(999999, l, 1, r, 1), ESRCH);
	EXPECT_ERRNO(syscall(SYS_process_vm_readv, pid, l, 1UL, r, 1UL, 1UL), EINVAL);
	EXPECT_ERRNO(pvm_read(pid, l, 1025, r, 1), EINVAL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static void pvm_unprivileged(void *arg)
{
	pid_t target = *(pid_t *)arg;
	char buf[8];
	struct iovec l = { buf, 8 }, r = { buf, 8 };

	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_ERRNO(pvm_read(target, &l, 1, &r, 1), EPERM);
	EXPECT_ERRNO(syscall(SYS_kcmp, target, getpid(), 1, 0, 0), EPERM);
}

TEST(proc2, process_vm_and_kcmp_need_access)
{
	pid_t pid = fork_pause();

	in_child(pvm_unprivileged, &pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#define KCMP_FILE 0
#define KCMP_VM 1
#define KCMP_FILES 2
#define KCMP_FS 3
#define KCMP_SIGHAND 4
#define KCMP_SYSVSEM 6

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2)
{
	return syscall(SYS_kcmp, a, b, type, i1, i2);
}

TEST(proc2, kcmp_compares_resources)
{
	int fd = ASSERT_OK(open("/", O_RDONLY)), dup_fd = ASSERT_OK(dup(fd));
	int other = ASSERT_OK(open("/", O_RDONLY));
	pid_t me = getpid(), child = fork_pause();
	long r1, r2;

	EXPECT_EQ(kcmp(me, me, KCMP_VM, 0, 0), 0);
	EXPECT_EQ(kcmp(me, me, KCMP_FILES, 0, 0), 0);
	EXPECT_EQ(kcmp(me, me, KCMP_FS, 0, 0), 0);
	EXPECT_EQ(kcmp(me, me, KCMP_SIGHAND, 0, 0), 0);
	EXPECT_EQ(kcmp(me, me, KCMP_FILE, fd, dup_fd), 0);
	r1 = kcmp(me, me, KCMP_FILE, fd, other);
	r2 = kcmp(me, me, KCMP_FILE, other, fd);
	EXPECT_TRUE((r1 == 1 && r2 == 2) || (r1 == 2 && r2 == 1));
	/* fork copies the address space, the fd table, fs and handlers: all differ; files are shared. */
	EXPECT_NE(kcmp(me, child, KCMP_VM, 0, 0), 0);
	EXPECT_NE(kcmp(me, child, KCMP_FILES, 0, 0), 0);
	EXPECT_NE(kcmp(me, child, KCMP_FS, 0, 0), 0);
	EXPECT_NE(kcmp(me, child, KCMP_SIGHAND, 0, 0), 0);
	EXPECT_EQ(kcmp(me, child, KCMP_FILE, fd, fd), 0);
	EXPECT_ERRNO(kcmp(me, me, KCMP_FILE, fd, 999), EBADF);
	EXPECT_ERRNO(kcmp(me, me, 99, 0, 0), EINVAL);
	EXPECT_ERRNO(kcmp(me, 999999, KCMP_VM, 0, 0), ESRCH);
	EXPECT_ERRNO(kcmp(999999, me, KCMP_VM, 0, 0), ESRCH);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* ---- membarrier, rt_tgsigqueueinfo ---------------------------------------- */

#define MB_QUERY 0
#define MB_GLOBAL 1
#define MB_GLOBAL_EXPEDITED 2
#define MB_REGISTER_GLOBAL_EXPEDITED 4
#define MB_PRIVATE_EXPEDITED 8
#define MB_REGISTER_PRIVATE_EXPEDITED 16
#define MB_PRIVATE_EXPEDITED_SYNC_CORE 32
#define MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE 64
#define MB_GET_REGISTRATIONS 512

static long membarrier(int cmd, unsigned int flags)
{
	return syscall(SYS_membarrier, cmd, flags, 0);
}

static void membarrier_child(void *arg)
{
	(void)arg;
	/* Registrations belong to the address space, which fork copies with them. */
	if (membarrier(MB_GET_REGISTRATIONS, 0) == 0 || membarrier(MB_PRIVATE_EXPEDITED, 0) != 0)
		exit(1);
}

TEST(proc2, membarrier_commands_and_registration)
{
	long mask = membarrier(MB_QUERY, 0);
	long want = MB_GLOBAL | MB_GLOBAL_EXPEDITED | MB_REGISTER_GLOBAL_EXPEDITED |
		    MB_PRIVATE_EXPEDITED | MB_REGISTER_PRIVATE_EXPEDITED |
		    MB_PRIVATE_EXPEDITED_SYNC_CORE | MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE |
		    MB_GET_REGISTRATIONS;

	EXPECT_EQ(mask & want, want);
	EXPECT_ERRNO(membarrier(MB_QUERY, 1), EINVAL);
	EXPECT_ERRNO(membarrier(3, 0), EINVAL);
	EXPECT_ERRNO(membarrier(1 << 12, 0), EINVAL);
	EXPECT_EQ(membarrier(MB_GLOBAL, 0), 0);
	EXPECT_EQ(membarrier(MB_GLOBAL_EXPEDITED, 0), 0);
	EXPECT_EQ(membarrier(MB_GET_REGISTRATIONS, 0), 0);
	EXPECT_ERRNO(membarrier(MB_PRIVATE_EXPEDITED, 0), EPERM);
	EXPECT_ERRNO(membarrier(MB_PRIVATE_EXPEDITED_SYNC_CORE, 0), EPERM);
	EXPECT_EQ(membarrier(MB_REGISTER_PRIVATE_EXPEDITED, 0), 0);
	EXPECT_EQ(membarrier(MB_PRIVATE_EXPEDITED, 0), 0);
	EXPECT_ERRNO(membarrier(MB_PRIVATE_EXPEDITED_SYNC_CORE, 0), EPERM);
	EXPECT_EQ(membarrier(MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0), 0);
	EXPECT_EQ(membarrier(MB_PRIVATE_EXPEDITED_SYNC_CORE, 0), 0);
	EXPECT_EQ(membarrier(MB_REGISTER_GLOBAL_EXPEDITED, 0), 0);
	EXPECT_EQ(membarrier(MB_GET_REGISTRATIONS, 0),
		  MB_REGISTER_GLOBAL_EXPEDITED | MB_REGISTER_PRIVATE_EXPEDITED |
			  MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE);
	in_child(membarrier_child, NULL);
}

static volatile int tgsig_code, tgsig_value;

static void tgsig_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	tgsig_code = si->si_code;
	tgsig_value = si->si_value.sival_int;
}

static void tgsig_unprivileged(void *arg)
{
	siginfo_t si;
	pid_t target = *(pid_t *)arg;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, target, target, SIGUSR1, &si), EPERM);
}

TEST(proc2, rt_tgsigqueueinfo)
{
	struct sigaction sa;
	siginfo_t si;
	pid_t me = getpid(), tid = (pid_t)syscall(SYS_gettid), other;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = tgsig_handler;
	sa.sa_flags = SA_SIGINFO;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 4242;
	ASSERT_OK(syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, &si));
	EXPECT_EQ(tgsig_code, SI_QUEUE);
	EXPECT_EQ(tgsig_value, 4242);
	/* Toward itself a thread may even claim SI_USER. */
	si.si_code = SI_USER;
	EXPECT_OK(syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, &si));
	EXPECT_EQ(tgsig_code, SI_USER);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, me, tid, SIGUSR1, bad_ptr()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, 0, tid, SIGUSR1, &si), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, me, 0, SIGUSR1, &si), EINVAL);
	si.si_code = SI_QUEUE;
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, me, tid, 99, &si), EINVAL);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, me, 999999, SIGUSR1, &si), ESRCH);
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, me + 1, tid, SIGUSR1, &si), ESRCH);
	other = fork_pause();
	/* Another thread may not pretend to be the kernel or kill(). */
	si.si_code = SI_USER;
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, other, other, SIGUSR1, &si), EPERM);
	si.si_code = SI_KERNEL;
	EXPECT_ERRNO(syscall(SYS_rt_tgsigqueueinfo, other, other, SIGUSR1, &si), EPERM);
	si.si_code = SI_QUEUE;
	EXPECT_OK(syscall(SYS_rt_tgsigqueueinfo, other, other, 0, &si));
	in_child(tgsig_unprivileged, &other);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
}

/* ---- pidfd ---------------------------------------------------------------- */

#include <poll.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define PIDFD_NONBLOCK O_NONBLOCK

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static long pidfd_send_signal(int fd, int sig, siginfo_t *info, unsigned int flags)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int poll_in(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	return n < 0 ? -1 : (n ? p.revents : 0);
}

/* The "Pid:" value in /proc/self/fdinfo/@fd, or -100 when absent. */
static int fdinfo_pid(int fd)
{
	char path[64], buf[512], *p;
	int f;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	if (f < 0)
		return -100;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -100;
	buf[n] = 0;
	p = strstr(buf, "\nPid:\t");
	return p ? atoi(p + 6) : -100;
}

TEST(proc2, pidfd_open_poll_and_waitid)
{
	pid_t pid = fork_pause();
	int fd = pidfd_open(pid, 0), nb;
	siginfo_t si;

	ASSERT_GE(fd, 0);
	EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(fdinfo_pid(fd), pid);
	EXPECT_EQ(poll_in(fd, 0), 0);	/* alive: not readable */
	nb = pidfd_open(pid, PIDFD_NONBLOCK);
	ASSERT_GE(nb, 0);
	EXPECT_TRUE(fcntl(nb, F_GETFL) & O_NONBLOCK);
	/* Nonblocking pidfd: waitid does not wait and says EAGAIN. */
	memset(&si, 0, sizeof(si));
	EXPECT_ERRNO(waitid(P_PIDFD, nb, &si, WEXITED), EAGAIN);
	ASSERT_OK(pidfd_send_signal(fd, SIGKILL, NULL, 0));
	/* Readable once it has exited, before it is reaped. */
	EXPECT_TRUE(poll_in(fd, 5000) & POLLIN);
	ASSERT_OK(waitid(P_PIDFD, fd, &si, WEXITED | WNOWAIT));
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_code, CLD_KILLED);
	EXPECT_EQ(si.si_status, SIGKILL);
	ASSERT_OK(waitid(P_PIDFD, fd, &si, WEXITED));
	/* Reaped: signals fail with ESRCH, fdinfo shows -1. */
	EXPECT_ERRNO(pidfd_send_signal(fd, SIGKILL, NULL, 0), ESRCH);
	EXPECT_ERRNO(pidfd_send_signal(fd, 0, NULL, 0), ESRCH);
	EXPECT_EQ(fdinfo_pid(fd), -1);
	EXPECT_TRUE(poll_in(fd, 0) & POLLIN);
	EXPECT_ERRNO(waitid(P_PIDFD, fd, &si, WEXITED), ECHILD);
	close(fd);
	close(nb);

	EXPECT_ERRNO(pidfd_open(0, 0), EINVAL);
	EXPECT_ERRNO(pidfd_open(-1, 0), EINVAL);
	EXPECT_ERRNO(pidfd_open(getpid(), 1), EINVAL);
	EXPECT_ERRNO(pidfd_open(999999, 0), ESRCH);
	EXPECT_ERRNO(waitid(P_PIDFD, 999, &si, WEXITED), EBADF);
	EXPECT_ERRNO(waitid(P_PIDFD, 0, &si, WEXITED), EBADF);	/* not a pidfd */
}

static volatile int pidfd_sig_code;

static void pidfd_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	pidfd_sig_code = si->si_code;
}

static void *pidfd_thread(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

TEST(proc2, pidfd_send_signal_rules)
{
	struct sigaction sa;
	siginfo_t si;
	int self = pidfd_open(getpid(), 0), other_fd;
	pid_t other = fork_pause(), tid = 0;
	pthread_t th;

	ASSERT_GE(self, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = pidfd_handler;
	sa.sa_flags = SA_SIGINFO;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	ASSERT_OK(pidfd_send_signal(self, SIGUSR1, NULL, 0));
	EXPECT_EQ(pidfd_sig_code, SI_USER);
	/* With a siginfo: si_signo must match; toward ourselves any code goes. */
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	ASSERT_OK(pidfd_send_signal(self, SIGUSR1, &si, 0));
	EXPECT_EQ(pidfd_sig_code, SI_QUEUE);
	EXPECT_ERRNO(pidfd_send_signal(self, SIGUSR2, &si, 0), EINVAL);
	EXPECT_ERRNO(pidfd_send_signal(self, SIGUSR1, bad_ptr(), 0), EFAULT);
	EXPECT_ERRNO(pidfd_send_signal(self, SIGUSR1, NULL, 8), EINVAL);
	EXPECT_ERRNO(pidfd_send_signal(self, SIGUSR1, NULL, 3), EINVAL);
	EXPECT_ERRNO(pidfd_send_signal(self, 99, NULL, 0), EINVAL);
	EXPECT_ERRNO(pidfd_send_signal(0, SIGUSR1, NULL, 0), EBADF);
	EXPECT_ERRNO(pidfd_send_signal(999, SIGUSR1, NULL, 0), EBADF);
	other_fd = pidfd_open(other, 0);
	ASSERT_GE(other_fd, 0);
	si.si_code = SI_USER;
	EXPECT_ERRNO(pidfd_send_signal(other_fd, SIGUSR1, &si, 0), EPERM);
	EXPECT_OK(pidfd_send_signal(other_fd, 0, NULL, 0));
	/* A thread's tid is not a process: ENOENT (Linux 6.18). */
	ASSERT_EQ(pthread_create(&th, NULL, pidfd_thread, &tid), 0);
	while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST))
		sched_yield();
	EXPECT_ERRNO(pidfd_open(tid, 0), ENOENT);
	ASSERT_OK(pidfd_send_signal(other_fd, SIGKILL, NULL, 0));
	waitpid(other, NULL, 0);
	close(other_fd);
	close(self);
}

static void pidfd_getfd_unprivileged(void *arg)
{
	int pfd = *(int *)arg;

	ASSERT_OK(setresuid(1000, 1000, 1000));
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, pfd, 0, 0), EPERM);
}

TEST(proc2, pidfd_getfd_copies_a_file)
{
	int p[2], pfd, got;
	pid_t pid;
	char c = 0;

	ASSERT_OK(pipe(p));
	pid = fork_pause();
	close(p[1]);
	pfd = pidfd_open(pid, 0);
	ASSERT_GE(pfd, 0);
	/* The child's copy of the write end, into our table (close-on-exec). */
	got = (int)syscall(SYS_pidfd_getfd, pfd, p[1], 0);
	ASSERT_GE(got, 0);
	EXPECT_EQ(fcntl(got, F_GETFD), FD_CLOEXEC);
	EXPECT_EQ(write(got, "z", 1), 1);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 'z');
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, pfd, 999, 0), EBADF);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, pfd, p[1], 1), EINVAL);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, p[0], 0, 0), EBADF);
	in_child(pidfd_getfd_unprivileged, &pfd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_ERRNO(syscall(SYS_pidfd_getfd, pfd, p[1], 0), ESRCH);
}

/* ---- unshare -------------------------------------------------------------- */

static int unshare_fd = -1;
static char unshare_cwd[256];

static void *unshare_thread(void *arg)
{
	(void)arg;
	if (unshare(CLONE_FILES) || unshare(CLONE_FS))
		return (void *)1;
	unshare_fd = open("/", O_RDONLY);
	if (chdir("/") || !getcwd(unshare_cwd, sizeof(unshare_cwd)))
		return (void *)2;
	return NULL;
}

TEST(proc2, unshare_files_and_fs_in_a_thread)
{
	char before[256], after[256];
	pthread_t th;
	void *ret;

	ASSERT_TRUE(getcwd(before, sizeof(before)) != NULL);
	ASSERT_EQ(pthread_create(&th, NULL, unshare_thread, NULL), 0);
	ASSERT_EQ(pthread_join(th, &ret), 0);
	ASSERT_EQ((long)ret, 0);
	ASSERT_GE(unshare_fd, 0);
	/* The thread's new fd and cwd are its own. */
	EXPECT_ERRNO(fcntl(unshare_fd, F_GETFD), EBADF);
	EXPECT_STREQ(unshare_cwd, "/");
	ASSERT_TRUE(getcwd(after, sizeof(after)) != NULL);
	EXPECT_STREQ(after, before);
}

static void *unshare_vm_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

TEST(proc2, unshare_flags_and_errnos)
{
	pthread_t th;

	/* Nothing shared: unsharing the VM, handlers, thread group is a no-op. */
	EXPECT_OK(unshare(CLONE_VM));
	EXPECT_OK(unshare(CLONE_SIGHAND | CLONE_THREAD));
	EXPECT_OK(unshare(CLONE_FILES | CLONE_FS | CLONE_SYSVSEM));
	EXPECT_OK(unshare(0));
	EXPECT_ERRNO(unshare(0x1), EINVAL);	/* a CSIGNAL bit */
	EXPECT_ERRNO(unshare(CLONE_VFORK), EINVAL);
	EXPECT_ERRNO(unshare(CLONE_SETTLS), EINVAL);
	if (running_on_exo())
		EXPECT_ERRNO(unshare(CLONE_NEWNS), EINVAL);	/* no namespaces */
	ASSERT_EQ(pthread_create(&th, NULL, unshare_vm_thread, NULL), 0);
	EXPECT_ERRNO(unshare(CLONE_VM), EINVAL);
	EXPECT_ERRNO(unshare(CLONE_THREAD), EINVAL);
	EXPECT_ERRNO(unshare(CLONE_SIGHAND), EINVAL);
	EXPECT_OK(unshare(CLONE_FILES));
}

/* ---- rseq ----------------------------------------------------------------- */

#include <sys/time.h>

struct test_rseq {
	uint32_t cpu_id_start, cpu_id;
	uint64_t rseq_cs;
	uint32_t flags, node_id, mm_cid;
} __attribute__((aligned(32)));

struct test_rseq_cs {
	uint32_t version, flags;
	uint64_t start_ip, post_commit_offset, abort_ip;
};

#define RSEQ_SIG 0x53053053

static struct test_rseq rs;

static long sys_rseq(void *area, uint32_t len, int flags, uint32_t sig)
{
	return syscall(SYS_rseq, area, len, flags, sig);
}

static void rseq_alarm(int sig)
{
	(void)sig;
}

/*
 * Spins in a critical section until a signal arrives: the kernel must
 * resume at the abort label (after the handler), which returns 1.
 */
static int rseq_spin_until_abort(void)
{
	static struct test_rseq_cs cs;
	int aborted = 0;

	__asm__ __volatile__(
		"lea 1f(%%rip), %%rax\n\t"
		"mov %%rax, 8(%[cs])\n\t"
		"lea 2f(%%rip), %%rcx\n\t"
		"sub %%rax, %%rcx\n\t"
		"mov %%rcx, 16(%[cs])\n\t"
		"lea 4f(%%rip), %%rax\n\t"
		"mov %%rax, 24(%[cs])\n\t"
		"mov %[cs], 8(%[rs])\n\t"
		"1:\n\t"
		"jmp 1b\n\t"
		"2:\n\t"
		"jmp 5f\n\t"
		".long 0x53053053\n\t"
		"4:\n\t"
		"movl $1, %[ab]\n\t"
		"5:\n\t"
		: [ab] "+m"(aborted)
		: [cs] "r"(&cs), [rs] "r"(&rs)
		: "rax", "rcx", "memory", "cc");
	return aborted;
}

TEST(proc2, rseq_register_ids_and_abort)
{
	struct test_rseq other;
	struct itimerval it = { .it_value = { 0, 20000 } };
	unsigned int cpu;

	memset(&rs, 0, sizeof(rs));
	rs.cpu_id = 12345;
	EXPECT_ERRNO(sys_rseq((char *)&rs + 4, 32, 0, RSEQ_SIG), EINVAL);	/* misaligned */
	EXPECT_ERRNO(sys_rseq(&rs, 16, 0, RSEQ_SIG), EINVAL);
	EXPECT_ERRNO(sys_rseq(&rs, 32, 2, RSEQ_SIG), EINVAL);
	ASSERT_OK(sys_rseq(&rs, 32, 0, RSEQ_SIG));
	/* Back in user mode the ids are there. */
	ASSERT_OK(syscall(SYS_getcpu, &cpu, NULL, NULL));
	EXPECT_EQ(rs.cpu_id, cpu);
	EXPECT_EQ(rs.cpu_id_start, cpu);
	EXPECT_EQ(rs.node_id, 0);
	EXPECT_ERRNO(sys_rseq(&rs, 32, 0, RSEQ_SIG), EBUSY);
	EXPECT_ERRNO(sys_rseq(&rs, 32, 0, RSEQ_SIG + 1), EPERM);
	EXPECT_ERRNO(sys_rseq(&other, 32, 0, RSEQ_SIG), EINVAL);
	EXPECT_ERRNO(sys_rseq(&rs, 64, 0, RSEQ_SIG), EINVAL);

	/* A signal in a critical section restarts it at the abort handler. */
	signal(SIGALRM, rseq_alarm);
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(rseq_spin_until_abort(), 1);
	EXPECT_EQ(rs.rseq_cs, 0);	/* cleared by the abort */

	/* Unregister: the right length and signature, then cpu_id is -1. */
	EXPECT_ERRNO(sys_rseq(&rs, 32, 1, RSEQ_SIG + 1), EPERM);
	EXPECT_ERRNO(sys_rseq(&rs, 32, 3, RSEQ_SIG), EINVAL);
	EXPECT_ERRNO(sys_rseq(&other, 32, 1, RSEQ_SIG), EINVAL);
	ASSERT_OK(sys_rseq(&rs, 32, 1, RSEQ_SIG));
	EXPECT_EQ(rs.cpu_id, (uint32_t)-1);
	EXPECT_ERRNO(sys_rseq(&rs, 32, 1, RSEQ_SIG), EINVAL);
	EXPECT_ERRNO(sys_rseq((void *)0xffff800000000000UL, 32, 0, RSEQ_SIG), EFAULT);
}
