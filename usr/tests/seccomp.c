/*
 * seccomp tests: seccomp(2) and prctl(PR_SET_SECCOMP) errors (EINVAL,
 * EFAULT, EACCES), the classic BPF checker's refusals, each action
 * (ERRNO with its clamp, TRAP's SIGSYS siginfo, KILL_PROCESS,
 * KILL_THREAD, TRACE without a tracer, LOG, ALLOW), precedence across
 * filters, inheritance over fork and execve, TSYNC, strict mode, and
 * /proc/self/status. Each test runs in its own process, so the filters it
 * installs end with it.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "harness.h"
#include <uapi/seccomp.h>

#define BPF_STMT(code, k) { (unsigned short)(code), 0, 0, k }
#define BPF_JUMP(code, k, jt, jf) { (unsigned short)(code), jt, jf, k }

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG0_OFF offsetof(struct seccomp_data, args[0])

static long sys_seccomp(unsigned int op, unsigned int flags, void *args)
{
	return syscall(SYS_seccomp, op, flags, args);
}

static long install(struct sock_filter *insns, unsigned short len, unsigned int flags)
{
	struct sock_fprog prog = { len, insns };

	return sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* A filter answering @ret for system call @nr, ALLOW for the others. */
static long install_for(int nr, unsigned int ret, unsigned int flags)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return install(f, 4, flags);
}

static void nnp(void)
{
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

TEST(seccomp, errors)
{
	struct sock_filter ok[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, ok };
	unsigned int action = SECCOMP_RET_ALLOW;

	EXPECT_ERRNO(sys_seccomp(99, 0, NULL), EINVAL);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_STRICT, 1, NULL), EINVAL);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, &prog), EINVAL);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 1U << 20, &prog), EINVAL);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, unmapped_page()), EFAULT);
	prog.len = 0;
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), EINVAL);
	prog.len = 4097;
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), EINVAL);
	prog.len = 1;
	prog.filter = unmapped_page();
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), EFAULT);
	EXPECT_EQ(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action), 0);
	action = SECCOMP_RET_KILL_PROCESS;
	EXPECT_EQ(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action), 0);
	action = SECCOMP_RET_TRAP;
	EXPECT_EQ(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action), 0);
	action = 0x12340000;
	EXPECT_ERRNO(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action), EOPNOTSUPP);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 1, &action), EINVAL);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, unmapped_page()), EFAULT);
	EXPECT_ERRNO(prctl(PR_SET_SECCOMP, 5, 0, 0, 0), EINVAL);
	EXPECT_EQ(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
	{
		struct seccomp_notif_sizes sz;

		ASSERT_OK(sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sz));
		EXPECT_EQ(sz.seccomp_data, 64);
		EXPECT_ERRNO(sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, unmapped_page()), EFAULT);
	}
}

static void no_nnp_unprivileged(void *arg)
{
	struct sock_filter ok[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, ok };

	(void)arg;
	if (setuid(65534))
		_exit(2);
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), EACCES);
	EXPECT_ERRNO(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0), EACCES);
	/* The length is checked before the privilege. */
	prog.len = 0;
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), EINVAL);
	/* With no_new_privs it is allowed. */
	prog.len = 1;
	nnp();
	EXPECT_EQ(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, &prog), 0);
	EXPECT_EQ(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 2);
}

TEST(seccomp, eacces_without_no_new_privs)
{
	int st = run_child(no_nnp_unprivileged, NULL);

	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* The checker must refuse @insns with EINVAL. */
static void expect_rejected(struct sock_filter *insns, unsigned short len, int line)
{
	errno = 0;
	if (install(insns, len, 0) != -1 || errno != EINVAL)
		harness_fail(__FILE__, line, 0, "filter accepted (errno %d)", errno);
}

#define REJECT(...)							\
	do {								\
		struct sock_filter __f[] = { __VA_ARGS__ };		\
		expect_rejected(__f, sizeof(__f) / sizeof(__f[0]), __LINE__); \
	} while (0)

TEST(seccomp, checker_rejects)
{
	nnp();
	/* Jumps out of the program. */
	REJECT(BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_RET | BPF_K, 0));
	/* No RET at the end. */
	REJECT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF));
	REJECT(BPF_STMT(BPF_RET | BPF_K, 0), BPF_STMT(BPF_LD | BPF_IMM, 0));
	/* Loads outside struct seccomp_data, unaligned, or not 32-bit. */
	REJECT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	/* Scratch memory read before any store, or out of range. */
	REJECT(BPF_STMT(BPF_LD | BPF_MEM, 0), BPF_STMT(BPF_RET | BPF_A, 0));
	REJECT(BPF_STMT(BPF_LDX | BPF_MEM, 3), BPF_STMT(BPF_RET | BPF_A, 0));
	REJECT(BPF_STMT(BPF_ST, 16), BPF_STMT(BPF_RET | BPF_K, 0));
	/* Stored on one path only. */
	REJECT(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
	       BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
	       BPF_STMT(BPF_ST, 1),
	       BPF_STMT(BPF_LD | BPF_MEM, 1),
	       BPF_STMT(BPF_RET | BPF_A, 0));
	/* Division by a zero constant, shifts of 32, MOD, unknown codes. */
	REJECT(BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(0xffff, 0), BPF_STMT(BPF_RET | BPF_K, 0));
	REJECT(BPF_STMT(BPF_RET | BPF_X, 0));
	EXPECT_EQ(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
}

TEST(seccomp, checker_accepts_scratch_and_alu)
{
	/* M[] stored on both paths, the ALU, TAX/TXA, LEN: errno = ((nr & 0xff) + 1) for getppid. */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 2),
		BPF_STMT(BPF_ST, 2),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_ST, 2),
		BPF_STMT(BPF_LDX | BPF_MEM, 2),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
		BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_MISC | BPF_TXA, 0),
		BPF_STMT(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};

	nnp();
	ASSERT_OK(install(f, sizeof(f) / sizeof(f[0]), 0));
	EXPECT_ERRNO(syscall(SYS_getppid), (SYS_getppid & 0xff) + 1);
	EXPECT_GT(getpid(), 0);
}

TEST(seccomp, errno_action)
{
	nnp();
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0));
	EXPECT_ERRNO(syscall(SYS_getppid), EPERM);
	EXPECT_GT(syscall(SYS_getpid), 0);
	EXPECT_EQ(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 2);
	/* A larger errno is clamped to 4095. */
	ASSERT_OK(install_for(SYS_getpgrp, SECCOMP_RET_ERRNO | 5000, 0));
	errno = 0;
	EXPECT_EQ(syscall(SYS_getpgrp), -1);
	EXPECT_EQ(errno, 4095);
	/* Strict mode cannot follow a filter. */
	EXPECT_ERRNO(sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL), EINVAL);
}

TEST(seccomp, args_and_arch)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4242, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EDOM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	nnp();
	ASSERT_OK(install(f, sizeof(f) / sizeof(f[0]), 0));
	EXPECT_ERRNO(syscall(SYS_getpgid, 4242), EDOM);
	EXPECT_EQ(syscall(SYS_getpgid, 0), getpgrp());
}

static volatile int trap_code, trap_syscall, trap_errno, trap_signo;
static volatile unsigned int trap_arch;
static volatile long trap_rax;
static void *volatile trap_addr;

static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	trap_signo = sig;
	trap_code = si->si_code;
	trap_syscall = si->si_syscall;
	trap_arch = si->si_arch;
	trap_errno = si->si_errno;
	trap_addr = si->si_call_addr;
	trap_rax = (long)uc->uc_mcontext.gregs[REG_RAX];
}

TEST(seccomp, trap_action)
{
	struct sigaction sa;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	ASSERT_OK(sigaction(SIGSYS, &sa, NULL));
	nnp();
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_TRAP | 0x77, 0));
	r = syscall(SYS_getppid);
	EXPECT_EQ(trap_signo, SIGSYS);
	EXPECT_EQ(trap_code, 1 /* SYS_SECCOMP */);
	EXPECT_EQ(trap_syscall, SYS_getppid);
	EXPECT_EQ(trap_arch, AUDIT_ARCH_X86_64);
	EXPECT_EQ(trap_errno, 0x77);
	EXPECT_TRUE(trap_addr != NULL);
	/* The handler saw, and the call returns, rax as at entry: the call number. */
	EXPECT_EQ(trap_rax, SYS_getppid);
	EXPECT_EQ(r, SYS_getppid);
}

static void kill_process_child(void *arg)
{
	(void)arg;
	nnp();
	if (install_for(SYS_getppid, SECCOMP_RET_KILL_PROCESS, 0))
		_exit(2);
	syscall(SYS_getppid);
	_exit(3);
}

TEST(seccomp, kill_process)
{
	int st = run_child(kill_process_child, NULL);

	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGSYS);
}

static int status_field(const char *name)
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
	buf[n] = '\0';
	p = strstr(buf, name);
	return p ? atoi(p + strlen(name)) : -1;
}

static void *getppid_thread(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return (void *)1L;
}

static void kill_thread_child(void *arg)
{
	pthread_t th;

	(void)arg;
	nnp();
	if (install_for(SYS_getppid, SECCOMP_RET_KILL_THREAD, 0))
		_exit(2);
	if (pthread_create(&th, NULL, getppid_thread, NULL))
		_exit(4);
	/*
	 * Only that thread dies; this one goes on and exits normally. (musl's
	 * pthread_join would wait forever for a thread that never ran
	 * pthread_exit, so watch the thread count instead.)
	 */
	for (int i = 0; i < 300 && status_field("Threads:\t") != 1; i++)
		usleep(10000);
	_exit(status_field("Threads:\t") == 1 ? 7 : 6);
}

TEST(seccomp, kill_thread)
{
	int st = run_child(kill_thread_child, NULL);

	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 7);
}

TEST(seccomp, trace_log_and_precedence)
{
	nnp();
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_TRACE, 0));
	/* No tracer: the call fails with ENOSYS. */
	EXPECT_ERRNO(syscall(SYS_getppid), ENOSYS);
	ASSERT_OK(install_for(SYS_getpgrp, SECCOMP_RET_LOG, 0));
	EXPECT_EQ(syscall(SYS_getpgrp), getpgid(0));
	/* ERRNO is more restrictive than TRACE; of two ERRNOs the newest filter's data wins. */
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ERRNO | 5, 0));
	EXPECT_ERRNO(syscall(SYS_getppid), 5);
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ERRNO | 7, 0));
	EXPECT_ERRNO(syscall(SYS_getppid), 7);
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ALLOW, 0));
	EXPECT_ERRNO(syscall(SYS_getppid), 7);
}

static void child_getppid_eperm(void *arg)
{
	(void)arg;
	if (syscall(SYS_getppid) != -1 || errno != EPERM)
		_exit(5);
}

TEST(seccomp, inherited_by_fork_and_exec)
{
	char nr[16];
	int st;

	nnp();
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0));
	st = run_child(child_getppid_eperm, NULL);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The exec'd image keeps the filter: the helper exits with the errno it got. */
	snprintf(nr, sizeof(nr), "%d", SYS_getppid);
	{
		char *argv[] = { (char *)harness_self, HELPER_ARG, "syscall-errno", nr, NULL };
		char *envp[] = { NULL };
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (pid == 0) {
			execve(harness_self, argv, envp);
			_exit(127);
		}
		ASSERT_EQ(waitpid(pid, &st, 0), pid);
	}
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), EPERM);
}

static volatile int tsync_go, tsync_result;

static void *tsync_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&tsync_go, __ATOMIC_ACQUIRE))
		usleep(1000);
	errno = 0;
	tsync_result = syscall(SYS_getppid) == -1 ? errno : 0;
	return NULL;
}

TEST(seccomp, tsync)
{
	pthread_t th;

	nnp();
	ASSERT_EQ(pthread_create(&th, NULL, tsync_thread, NULL), 0);
	ASSERT_EQ(install_for(SYS_getppid, SECCOMP_RET_ERRNO | EACCES, SECCOMP_FILTER_FLAG_TSYNC), 0);
	__atomic_store_n(&tsync_go, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	EXPECT_EQ(tsync_result, EACCES);
}

TEST(seccomp, strict_mode)
{
	int p[2], st;
	char c = 0;
	pid_t pid;

	ASSERT_OK(pipe(p));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
			_exit(2);
		/* write is allowed; getpid is not: SIGKILL. */
		if (write(p[1], "s", 1) != 1)
			syscall(SYS_exit, 3);
		syscall(SYS_getpid);
		syscall(SYS_exit, 4);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_EQ(WTERMSIG(st), SIGKILL);
	EXPECT_EQ(read(p[0], &c, 1), 1);
	EXPECT_EQ(c, 's');

	/* A strict task that only reads, writes and exits ends normally. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL))
			_exit(2);
		syscall(SYS_exit, 9);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 9);
}

TEST(seccomp, proc_status)
{
	EXPECT_EQ(status_field("Seccomp:\t"), 0);
	EXPECT_EQ(status_field("NoNewPrivs:\t"), 0);
	nnp();
	EXPECT_EQ(status_field("NoNewPrivs:\t"), 1);
	ASSERT_OK(install_for(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0));
	ASSERT_OK(install_for(SYS_getpgrp, SECCOMP_RET_ERRNO | EPERM, 0));
	EXPECT_EQ(status_field("Seccomp:\t"), 2);
	EXPECT_EQ(status_field("Seccomp_filters:\t"), 2);
}
