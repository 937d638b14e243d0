/*
 * Process tests: fork/vfork/clone, wait4/waitid status encoding, execve of
 * this binary and of #! scripts (argv, envp, auxv, close-on-exec, signal
 * dispositions), execve errors, orphans, process groups and sessions,
 * credentials, umask, resource limits, uname/sysinfo/getrandom, clocks and
 * sleeps, arch_prctl, set_tid_address, getrusage and times.
 *
 * Tests that execve run this binary in helper mode (HELPER_ARG) found
 * through harness_self, never through /proc.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define NS_PER_SEC 1000000000LL

/* A pid no process has: above the largest pid_max Linux allows (4M). */
#define NO_SUCH_PID 0x7ffffff0

static pid_t fork_exit(int code)
{
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0)
		_exit(code);
	return pid;
}

static int wait_status(pid_t pid)
{
	int status = -1;

	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

static long long cputime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Spends @ms of this process's CPU time (not wall time: on a loaded host a
 * wall-clock loop may get no tick's worth of CPU), for at most 10 s of wall time.
 */
static void burn_cpu_ms(int ms)
{
	long long end = cputime_ns() + ms * 1000000LL, give_up = now_ns() + 10000000000LL;
	volatile unsigned long x = 0;

	while (cputime_ns() < end && now_ns() < give_up)
		x++;
}

TEST(proc, fork_return_values)
{
	int p[2];
	pid_t pid, seen = 0;

	ASSERT_OK(pipe(p));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		pid_t me = getpid();

		if (write(p[1], &me, sizeof(me)) != sizeof(me))
			_exit(2);
		_exit(0);
	}
	EXPECT_GT(pid, 0);
	ASSERT_EQ(read(p[0], &seen, sizeof(seen)), (ssize_t)sizeof(seen));
	EXPECT_EQ(seen, pid);
	EXPECT_NE(seen, getpid());
	EXPECT_EQ(wait_status(pid), 0);
}

static void check_ppid(void *arg)
{
	EXPECT_EQ(getppid(), *(pid_t *)arg);
}

TEST(proc, getppid_is_parent)
{
	pid_t me = getpid();

	EXPECT_EQ(run_child(check_ppid, &me), 0);
	EXPECT_EQ(syscall(SYS_getpid), me);
}

/* 256 fork+exit+wait round trips: seconds under TCG on a loaded host, not a hang. */
TEST_TIMEOUT(proc, wait4_exit_codes_0_to_255, 60)
{
	struct rusage ru;
	int code, status;

	for (code = 0; code <= 255; code++) {
		pid_t pid = fork_exit(code);

		ASSERT_EQ(wait4(pid, &status, 0, &ru), pid);
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(status, code << 8);
	}
}

TEST(proc, exit_code_is_low_byte)
{
	EXPECT_EQ(WEXITSTATUS(wait_status(fork_exit(256 + 3))), 3);
	EXPECT_EQ(WEXITSTATUS(wait_status(fork_exit(-1))), 255);
}

TEST(proc, wait_killed_by_signal)
{
	pid_t pid = fork_pause();
	int status;

	ASSERT_OK(kill(pid, SIGKILL));
	status = wait_status(pid);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGKILL);
	EXPECT_EQ(status, SIGKILL);

	pid = fork_pause();
	ASSERT_OK(kill(pid, SIGTERM));
	EXPECT_EQ(wait_status(pid), SIGTERM);
}

static void abort_self(void *arg)
{
	(void)arg;
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
}

TEST(proc, core_signal_sets_core_flag_or_not)
{
	int status = run_child(abort_self, NULL);

	/* Bit 7 is WCOREDUMP, which depends on the core limit: mask it. */
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(status & 0x7f, SIGSEGV);
}

TEST(proc, waitpid_wnohang_running_child)
{
	pid_t pid = fork_pause();
	int status = 12345;

	EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0);
	EXPECT_EQ(waitpid(-1, &status, WNOHANG), 0);
	kill(pid, SIGKILL);
	EXPECT_EQ(wait_status(pid), SIGKILL);
}

TEST(proc, wait_without_children_echild)
{
	int status;

	EXPECT_ERRNO(waitpid(-1, &status, 0), ECHILD);
	EXPECT_ERRNO(waitpid(-1, &status, WNOHANG), ECHILD);
	EXPECT_ERRNO(wait4(getppid(), &status, 0, NULL), ECHILD);
	EXPECT_ERRNO(wait(NULL), ECHILD);
}

TEST(proc, waitid_p_pid_exited)
{
	pid_t pid = fork_exit(7);
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	ASSERT_OK(waitid(P_PID, pid, &si, WEXITED));
	EXPECT_EQ(si.si_signo, SIGCHLD);
	EXPECT_EQ(si.si_code, CLD_EXITED);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_uid, getuid());
	EXPECT_EQ(si.si_status, 7);
	EXPECT_ERRNO(waitid(P_PID, pid, &si, WEXITED), ECHILD);
}

TEST(proc, waitid_p_all_killed)
{
	pid_t pid = fork_pause();
	siginfo_t si;

	kill(pid, SIGTERM);
	memset(&si, 0, sizeof(si));
	ASSERT_OK(waitid(P_ALL, 0, &si, WEXITED));
	EXPECT_EQ(si.si_code, CLD_KILLED);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_status, SIGTERM);
}

TEST(proc, waitid_wnowait_leaves_zombie)
{
	pid_t pid = fork_exit(9);
	siginfo_t si;

	ASSERT_OK(waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	EXPECT_EQ(si.si_status, 9);
	EXPECT_EQ(WEXITSTATUS(wait_status(pid)), 9);
}

TEST(proc, waitid_wnohang_nothing_ready)
{
	pid_t pid = fork_pause();
	siginfo_t si;

	memset(&si, 0xff, sizeof(si));
	EXPECT_EQ(waitid(P_ALL, 0, &si, WEXITED | WNOHANG), 0);
	/* Linux clears the siginfo it reports nothing in. */
	EXPECT_EQ(si.si_pid, 0);
	EXPECT_EQ(si.si_signo, 0);
	kill(pid, SIGKILL);
	wait_status(pid);
}

TEST(proc, waitid_bad_options_einval)
{
	siginfo_t si;

	EXPECT_ERRNO(waitid(P_ALL, 0, &si, 0), EINVAL);
	EXPECT_ERRNO(waitid(7, 0, &si, WEXITED), EINVAL);
}

static volatile int vfork_flag;

TEST(proc, vfork_shares_memory_until_exit)
{
	pid_t pid;

	vfork_flag = 0;
	pid = vfork();
	if (pid == 0) {
		/* CLONE_VM: this store lands in the parent, which waits for _exit. */
		vfork_flag = 1;
		_exit(3);
	}
	ASSERT_GE(pid, 1);
	EXPECT_EQ(vfork_flag, 1);
	EXPECT_EQ(WEXITSTATUS(wait_status(pid)), 3);
}

TEST(proc, clone_sigchld_is_fork)
{
	long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		syscall(SYS_exit, 5);
	ASSERT_GE(pid, 1);
	EXPECT_EQ(WEXITSTATUS(wait_status(pid)), 5);
}

TEST(proc, clone_without_sigchld_needs_wall)
{
	long pid = syscall(SYS_clone, 0, 0, 0, 0, 0);
	int status;

	if (pid == 0)
		syscall(SYS_exit, 6);
	ASSERT_GE(pid, 1);
	/* A child that signals nothing on exit is a "clone" child for wait. */
	EXPECT_ERRNO(waitpid(pid, &status, 0), ECHILD);
	ASSERT_EQ(waitpid(pid, &status, __WALL), pid);
	EXPECT_EQ(WEXITSTATUS(status), 6);
}

TEST(proc, exit_group_status)
{
	pid_t pid = ASSERT_OK(fork());

	if (pid == 0)
		syscall(SYS_exit_group, 42);
	EXPECT_EQ(WEXITSTATUS(wait_status(pid)), 42);
}

TEST(proc, execve_self_argv_envp)
{
	char *argv[] = { "name0", HELPER_ARG, "args", "x y", "", NULL };
	char *envp[] = { "A=1", "B=two", NULL };
	char out[512];
	int status = run_capture(harness_self, argv, envp, out, sizeof(out));

	EXPECT_EQ(status, 0);
	EXPECT_STREQ(out, "argv[0]=name0\nargv[1]=" HELPER_ARG "\nargv[2]=args\n"
		     "argv[3]=x y\nargv[4]=\nenv=A=1\nenv=B=two\n");
}

TEST(proc, execve_exit_code)
{
	char *argv[] = { "x", HELPER_ARG, "exit", "77", NULL };
	char *envp[] = { NULL };
	char out[16];

	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 77 << 8);
	EXPECT_STREQ(out, "");
}

TEST(proc, execve_shebang_script)
{
	char script[512], expect[1024], out[1024];
	char *argv[] = { "ignored", "one", NULL };
	char *envp[] = { "S=1", NULL };
	int n;

	n = snprintf(script, sizeof(script), "#!%s " HELPER_ARG "\n", harness_self);
	write_file("script", script, n, 0755);
	/* The interpreter gets: itself, the #! argument, the script path, argv[1..]. */
	snprintf(expect, sizeof(expect),
		 "argv[0]=%s\nargv[1]=" HELPER_ARG "\nargv[2]=./script\nargv[3]=one\nenv=S=1\n",
		 harness_self);
	EXPECT_EQ(run_capture("./script", argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, expect);
}

TEST(proc, execve_errors)
{
	char *argv[] = { "x", NULL };
	char *envp[] = { NULL };

	write_file("noexec", "#!/bin/sh\n", 10, 0644);
	write_file("garbage", "\x01\x02\x03garbage bytes", 16, 0755);
	write_file("file", "", 0, 0755);
	ASSERT_OK(mkdir("dir", 0755));
	EXPECT_ERRNO(syscall(SYS_execve, "missing", argv, envp), ENOENT);
	EXPECT_ERRNO(syscall(SYS_execve, "noexec", argv, envp), EACCES);
	EXPECT_ERRNO(syscall(SYS_execve, "garbage", argv, envp), ENOEXEC);
	EXPECT_ERRNO(syscall(SYS_execve, "dir", argv, envp), EACCES);
	EXPECT_ERRNO(syscall(SYS_execve, "file/x", argv, envp), ENOTDIR);
	EXPECT_ERRNO(syscall(SYS_execve, (char *)1, argv, envp), EFAULT);
	EXPECT_ERRNO(syscall(SYS_execve, NULL, argv, envp), EFAULT);
}

/* Copies this test binary to @dst, executable. */
static void copy_self(const char *dst)
{
	char buf[65536];
	int in = ASSERT_OK(open(harness_self, O_RDONLY));
	int out = ASSERT_OK(open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755));
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* ETXTBSY: a running program's file cannot be written, and a file open for writing cannot run. */
TEST(proc, etxtbsy_running_file_and_file_open_for_writing)
{
	char *argv[] = { "prog", HELPER_ARG, "wait", NULL };
	char *envp[] = { NULL };
	char line[16] = { 0 };
	int out[2], fd, st;
	pid_t pid;

	copy_self("prog");
	ASSERT_OK(pipe(out));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		dup2(out[1], 1);
		execve("prog", argv, envp);
		_exit(127);
	}
	close(out[1]);
	ASSERT_EQ(read(out[0], line, 6), 6);	/* "ready\n": it runs from prog now */
	EXPECT_ERRNO(open("prog", O_WRONLY), ETXTBSY);
	EXPECT_ERRNO(open("prog", O_RDWR | O_TRUNC), ETXTBSY);
	EXPECT_ERRNO(truncate("prog", 0), ETXTBSY);
	fd = open("prog", O_RDONLY);
	EXPECT_GE(fd, 0);
	close(fd);
	EXPECT_OK(unlink("prog"));	/* the name can go; the running file stays */
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	close(out[0]);

	/* The other way round: open for writing, exec refuses it, until it is closed. */
	copy_self("prog");
	fd = ASSERT_OK(open("prog", O_WRONLY));
	EXPECT_ERRNO(syscall(SYS_execve, "prog", argv, envp), ETXTBSY);
	close(fd);
	argv[2] = "exit";
	argv[3] = NULL;
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		execve("prog", argv, envp);
		_exit(127);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Once nothing runs it, it can be written again. */
	fd = open("prog", O_WRONLY);
	EXPECT_GE(fd, 0);
	close(fd);
}

static volatile sig_atomic_t usr1_hits;

static void count_usr1(int sig)
{
	(void)sig;
	usr1_hits++;
}

/*
 * clone(CLONE_PARENT | SIGUSR1) makes a sibling: its exit signal is the
 * caller's own (SIGCHLD), not the one asked for, so no child can send its
 * grandparent an arbitrary signal.
 */
TEST(proc, clone_parent_child_reports_with_the_callers_exit_signal)
{
	struct sigaction sa = { .sa_handler = count_usr1 };
	pid_t w, c;
	int st;

	usr1_hits = 0;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	w = ASSERT_OK(fork());
	if (w == 0) {
		long pid = syscall(SYS_clone, CLONE_PARENT | SIGUSR1, 0, 0, 0, 0);

		if (pid == 0)
			_exit(5);
		_exit(pid > 0 ? 0 : 1);
	}
	ASSERT_EQ(waitpid(w, &st, 0), w);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Ours now, and a plain wait (no __WCLONE) finds it: its exit signal is SIGCHLD. */
	c = waitpid(-1, &st, 0);
	EXPECT_GT(c, 0);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	EXPECT_EQ(usr1_hits, 0);
}

/* A child's odd exit signal becomes SIGCHLD once its parent has exec'd another program. */
TEST(proc, exit_signal_is_sigchld_after_the_parent_execs)
{
	char fdarg[16], buf[64] = { 0 };
	char *envp[] = { NULL };
	int release[2], out[2], st;
	pid_t x;

	ASSERT_OK(pipe(release));
	ASSERT_OK(pipe(out));
	x = ASSERT_OK(fork());
	if (x == 0) {
		char *argv[] = { "x", HELPER_ARG, "reapchild", fdarg, NULL };
		long c = syscall(SYS_clone, SIGUSR1, 0, 0, 0, 0);
		char byte;

		if (c == 0) {
			/* Exit only once the parent runs the new program. */
			close(release[1]);
			if (read(release[0], &byte, 1) != 1)
				_exit(9);
			_exit(3);
		}
		snprintf(fdarg, sizeof(fdarg), "%d", release[1]);
		dup2(out[1], 1);
		execve(harness_self, argv, envp);
		_exit(127);
	}
	close(out[1]);
	close(release[0]);
	close(release[1]);
	ASSERT_GE(read(out[0], buf, sizeof(buf) - 1), 1);
	EXPECT_STREQ(buf, "usr1=0 status=3\n");
	ASSERT_EQ(waitpid(x, &st, 0), x);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(out[0]);
}

TEST(proc, execve_bad_argv_efault)
{
	char *envp[] = { NULL };
	char *argv[] = { "x", (char *)unmapped_page(), NULL };

	EXPECT_ERRNO(syscall(SYS_execve, harness_self, (char **)unmapped_page(), envp), EFAULT);
	EXPECT_ERRNO(syscall(SYS_execve, harness_self, argv, envp), EFAULT);
}

TEST(proc, execve_closes_cloexec_fds)
{
	char *envp[] = { NULL };
	char fdbuf[2][16], out[64];
	int keep = ASSERT_OK(open(".", O_RDONLY));
	int gone = ASSERT_OK(open(".", O_RDONLY | O_CLOEXEC));
	char *argv[] = { "x", HELPER_ARG, "fds", fdbuf[0], fdbuf[1], NULL };

	snprintf(fdbuf[0], sizeof(fdbuf[0]), "%d", keep);
	snprintf(fdbuf[1], sizeof(fdbuf[1]), "%d", gone);
	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, "open\nclosed\n");
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST(proc, execve_resets_caught_signals)
{
	char *argv[] = { "x", HELPER_ARG, "sigs", NULL };
	char *envp[] = { NULL };
	char out[64];

	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	/* Caught becomes default (its handler is gone); ignored stays ignored. */
	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, "usr1=default usr2=ignored\n");
}

TEST(proc, auxv_basics)
{
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	int i, nonzero = 0;

	EXPECT_EQ(getauxval(AT_PAGESZ), 4096);
	ASSERT_TRUE(rnd != NULL);
	for (i = 0; i < 16; i++)
		nonzero |= rnd[i];
	EXPECT_NE(nonzero, 0);
	EXPECT_NE(getauxval(AT_PHDR), 0);
	EXPECT_NE(getauxval(AT_ENTRY), 0);
	EXPECT_EQ(getauxval(AT_PHENT), 56);
	EXPECT_EQ(getauxval(AT_SECURE), 0);
	EXPECT_NE(getauxval(AT_EXECFN), 0);
}

TEST(proc, auxv_ids_match)
{
	EXPECT_EQ(getauxval(AT_UID), getuid());
	EXPECT_EQ(getauxval(AT_EUID), geteuid());
	EXPECT_EQ(getauxval(AT_GID), getgid());
	EXPECT_EQ(getauxval(AT_EGID), getegid());
}

TEST(proc, auxv_execfn_is_exec_path)
{
	char *argv[] = { "other-name", HELPER_ARG, "execfn", NULL };
	char *envp[] = { NULL };
	char out[1024], expect[1024];

	snprintf(expect, sizeof(expect), "%s\n", harness_self);
	EXPECT_EQ(run_capture(harness_self, argv, envp, out, sizeof(out)), 0);
	EXPECT_STREQ(out, expect);
}

TEST(proc, orphan_is_reparented)
{
	pid_t child, ppid = 0;
	int p[2];

	ASSERT_OK(pipe(p));
	child = ASSERT_OK(fork());
	if (child == 0) {
		pid_t me = getpid();

		if (ASSERT_OK(fork()) == 0) {
			long long end = now_ns() + 5 * NS_PER_SEC;
			pid_t now;

			while ((now = getppid()) == me && now_ns() < end)
				usleep(1000);
			if (write(p[1], &now, sizeof(now)) != sizeof(now))
				_exit(2);
			_exit(0);
		}
		_exit(0);
	}
	EXPECT_EQ(wait_status(child), 0);
	close(p[1]);
	ASSERT_EQ(read(p[0], &ppid, sizeof(ppid)), (ssize_t)sizeof(ppid));
	EXPECT_NE(ppid, child);
	EXPECT_GT(ppid, 0);
}

TEST(proc, setpgid_getpgid)
{
	pid_t pid;

	/* The harness makes every test a process group leader. */
	EXPECT_EQ(getpgid(0), getpid());
	EXPECT_EQ(getpgrp(), getpid());
	pid = fork_pause();
	EXPECT_EQ(getpgid(pid), getpid());
	ASSERT_OK(setpgid(pid, pid));
	EXPECT_EQ(getpgid(pid), pid);
	ASSERT_OK(setpgid(pid, getpid()));
	EXPECT_EQ(getpgid(pid), getpid());
	kill(pid, SIGKILL);
	wait_status(pid);
}

TEST(proc, setpgid_errors)
{
	EXPECT_ERRNO(setpgid(NO_SUCH_PID, 0), ESRCH);
	EXPECT_ERRNO(setpgid(getppid(), 0), ESRCH);
	EXPECT_ERRNO(setpgid(0, -1), EINVAL);
	/* No group with that id exists in our session. */
	EXPECT_ERRNO(setpgid(0, NO_SUCH_PID), EPERM);
	EXPECT_ERRNO(getpgid(NO_SUCH_PID), ESRCH);
}

TEST(proc, setsid_as_leader_eperm)
{
	EXPECT_ERRNO(setsid(), EPERM);
}

static void new_session(void *arg)
{
	pid_t me = getpid();

	(void)arg;
	EXPECT_EQ(setsid(), me);
	EXPECT_EQ(getsid(0), me);
	EXPECT_EQ(getpgid(0), me);
	/* A session leader cannot move to another group. */
	EXPECT_ERRNO(setpgid(0, getppid()), EPERM);
}

TEST(proc, setsid_new_session)
{
	EXPECT_EQ(run_child(new_session, NULL), 0);
}

TEST(proc, getsid)
{
	pid_t pid = fork_pause();

	EXPECT_EQ(getsid(pid), getsid(0));
	EXPECT_GT(getsid(0), 0);
	EXPECT_ERRNO(getsid(NO_SUCH_PID), ESRCH);
	kill(pid, SIGKILL);
	wait_status(pid);
}

TEST(proc, credentials_consistent)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	ASSERT_OK(getresuid(&r, &e, &s));
	EXPECT_EQ(r, getuid());
	EXPECT_EQ(e, geteuid());
	ASSERT_OK(getresgid(&rg, &eg, &sg));
	EXPECT_EQ(rg, getgid());
	EXPECT_EQ(eg, getegid());
	EXPECT_EQ(syscall(SYS_getuid), getuid());
	EXPECT_EQ(syscall(SYS_getegid), getegid());
}

TEST(proc, setuid_to_self_ok)
{
	EXPECT_OK(setuid(getuid()));
	EXPECT_OK(setgid(getgid()));
	if (geteuid() != 0)
		EXPECT_ERRNO(setuid(geteuid() == 1 ? 2 : 1), EPERM);
}

TEST(proc, umask_returns_old)
{
	struct stat st;
	int fd;

	umask(022);
	EXPECT_EQ(umask(077), 022);
	fd = ASSERT_OK(open("f", O_CREAT | O_WRONLY, 0666));
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_mode & 0777, 0600);
	EXPECT_EQ(umask(01777), 077);
	/* Only the permission bits are kept. */
	EXPECT_EQ(umask(0), 0777);
}

TEST(proc, rlimit_lower_soft)
{
	struct rlimit rl, now;
	int i, fd = -1;

	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &rl));
	now = rl;
	now.rlim_cur = 16;
	ASSERT_OK(setrlimit(RLIMIT_NOFILE, &now));
	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &now));
	EXPECT_EQ(now.rlim_cur, 16);
	EXPECT_EQ(now.rlim_max, rl.rlim_max);
	for (i = 0; i < 20 && (fd = open(".", O_RDONLY)) >= 0; i++)
		;
	EXPECT_EQ(fd, -1);
	EXPECT_EQ(errno, EMFILE);
	EXPECT_ERRNO(dup2(0, 16), EBADF);
}

TEST(proc, rlimit_raise_hard_needs_root)
{
	struct rlimit rl;

	ASSERT_OK(getrlimit(RLIMIT_CORE, &rl));
	if (rl.rlim_max == RLIM_INFINITY) {
		rl.rlim_max = rl.rlim_cur = 1 << 20;
		ASSERT_OK(setrlimit(RLIMIT_CORE, &rl));
	}
	rl.rlim_max += 4096;
	/* Root is not enough: a container may withhold CAP_SYS_RESOURCE. */
	if (have_cap(CAP_SYS_RESOURCE))
		EXPECT_OK(setrlimit(RLIMIT_CORE, &rl));
	else
		EXPECT_ERRNO(setrlimit(RLIMIT_CORE, &rl), EPERM);
}

TEST(proc, rlimit_errors)
{
	struct rlimit rl;

	ASSERT_OK(getrlimit(RLIMIT_STACK, &rl));
	rl.rlim_cur = 2 * 4096;
	rl.rlim_max = 4096;
	EXPECT_ERRNO(setrlimit(RLIMIT_STACK, &rl), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getrlimit, 99, &rl), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getrlimit, RLIMIT_STACK, unmapped_page()), EFAULT);
}

TEST(proc, prlimit64)
{
	struct rlimit a, b, lower;

	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &a));
	ASSERT_OK(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &b));
	EXPECT_EQ(a.rlim_cur, b.rlim_cur);
	EXPECT_EQ(a.rlim_max, b.rlim_max);
	lower = a;
	lower.rlim_cur = 32;
	ASSERT_OK(syscall(SYS_prlimit64, getpid(), RLIMIT_NOFILE, &lower, &b));
	EXPECT_EQ(b.rlim_cur, a.rlim_cur);
	ASSERT_OK(getrlimit(RLIMIT_NOFILE, &b));
	EXPECT_EQ(b.rlim_cur, 32);
	EXPECT_ERRNO(syscall(SYS_prlimit64, 0, 99, NULL, &b), EINVAL);
	EXPECT_ERRNO(syscall(SYS_prlimit64, NO_SUCH_PID, RLIMIT_NOFILE, NULL, &b), ESRCH);
}

TEST(proc, uname_fields)
{
	struct utsname u;

	ASSERT_OK(uname(&u));
	EXPECT_GT(strlen(u.sysname), 0);
	EXPECT_GT(strlen(u.release), 0);
	EXPECT_GT(strlen(u.version), 0);
	EXPECT_STREQ(u.machine, "x86_64");
}

TEST(proc, sysinfo_memory)
{
	struct sysinfo si;

	ASSERT_OK(sysinfo(&si));
	EXPECT_GE(si.mem_unit, 1);
	EXPECT_GT(si.totalram, si.freeram);
	EXPECT_GT(si.freeram, 0);
	EXPECT_GE(si.procs, 1);
	EXPECT_GE(si.uptime, 0);
}

TEST(proc, getrandom)
{
	unsigned char a[32], b[32];

	EXPECT_EQ(getrandom(a, sizeof(a), 0), 32);
	EXPECT_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK), 32);
	/* 256 random bits twice alike means the generator is broken. */
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
	EXPECT_EQ(getrandom(a, 0, 0), 0);
	EXPECT_ERRNO(syscall(SYS_getrandom, a, sizeof(a), 0x80), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getrandom, unmapped_page(), 16, 0), EFAULT);
	EXPECT_ERRNO(syscall(SYS_getrandom, NULL, 16, GRND_NONBLOCK), EFAULT);
}

TEST(proc, clock_monotonic_nondecreasing)
{
	struct timespec prev, now;
	int i;

	ASSERT_OK(clock_gettime(CLOCK_MONOTONIC, &prev));
	for (i = 0; i < 10000; i++) {
		ASSERT_OK(clock_gettime(CLOCK_MONOTONIC, &now));
		ASSERT_TRUE(now.tv_sec > prev.tv_sec ||
			    (now.tv_sec == prev.tv_sec && now.tv_nsec >= prev.tv_nsec));
		ASSERT_TRUE(now.tv_nsec >= 0 && now.tv_nsec < NS_PER_SEC);
		prev = now;
	}
}

TEST(proc, clock_realtime_after_2020)
{
	struct timespec ts;

	ASSERT_OK(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts));
	EXPECT_GT(ts.tv_sec, 1577836800);
	ASSERT_OK(clock_gettime(CLOCK_BOOTTIME, &ts));
	ASSERT_OK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts));
}

TEST(proc, clock_gettime_errors)
{
	struct timespec ts;

	/* Raw calls: the vDSO would fault on the bad pointer in user space. */
	EXPECT_ERRNO(syscall(SYS_clock_gettime, 12345, &ts), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL), EFAULT);
}

TEST(proc, clock_getres)
{
	struct timespec res;

	ASSERT_OK(clock_getres(CLOCK_MONOTONIC, &res));
	EXPECT_EQ(res.tv_sec, 0);
	EXPECT_GT(res.tv_nsec, 0);
	EXPECT_LE(res.tv_nsec, 1000000);
	ASSERT_OK(clock_getres(CLOCK_REALTIME, NULL));
	EXPECT_ERRNO(syscall(SYS_clock_getres, 12345, &res), EINVAL);
}

TEST(proc, gettimeofday_and_time)
{
	struct timespec ts;
	struct timeval tv;
	time_t t = 0;

	ASSERT_OK(gettimeofday(&tv, NULL));
	ASSERT_OK(clock_gettime(CLOCK_REALTIME, &ts));
	EXPECT_LT(tv.tv_usec, 1000000);
	EXPECT_LE(tv.tv_sec, ts.tv_sec);
	EXPECT_GE(tv.tv_sec + 1, ts.tv_sec);
	EXPECT_EQ(syscall(SYS_time, &t), t);
	EXPECT_GE(t, ts.tv_sec);
	EXPECT_LE(t, ts.tv_sec + 1);
	EXPECT_ERRNO(syscall(SYS_gettimeofday, unmapped_page(), NULL), EFAULT);
}

TEST(proc, nanosleep_sleeps_long_enough)
{
	struct timespec req = { 0, 20000000 };
	long long t0 = now_ns();

	ASSERT_OK(nanosleep(&req, NULL));
	EXPECT_GE(now_ns() - t0, 20000000);
}

TEST(proc, clock_nanosleep_relative_and_absolute)
{
	struct timespec req = { 0, 20000000 }, until;
	long long t0 = now_ns();

	ASSERT_OK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
	EXPECT_GE(now_ns() - t0, 20000000);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 20000000;
	if (until.tv_nsec >= NS_PER_SEC) {
		until.tv_sec++;
		until.tv_nsec -= NS_PER_SEC;
	}
	ASSERT_OK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
	EXPECT_GE(now_ns(), until.tv_sec * NS_PER_SEC + until.tv_nsec);
	/* A deadline in the past returns at once (kept >= 0: a negative time is EINVAL). */
	until.tv_sec = until.tv_sec >= 10 ? until.tv_sec - 10 : 0;
	EXPECT_OK(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
}

TEST(proc, nanosleep_bad_timespec_einval)
{
	struct timespec big = { 0, 1000000000 }, neg = { 0, -1 }, negsec = { -1, 0 };

	EXPECT_ERRNO(syscall(SYS_nanosleep, &big, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_nanosleep, &neg, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_nanosleep, &negsec, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &big, NULL), EINVAL);
	EXPECT_ERRNO(syscall(SYS_nanosleep, unmapped_page(), NULL), EFAULT);
}

TEST(proc, sched_yield)
{
	EXPECT_EQ(sched_yield(), 0);
}

static unsigned long fake_tls[64];

TEST(proc, arch_prctl_fs)
{
	unsigned long fs = 0, seen = 0;
	long ret;

	ASSERT_OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	EXPECT_NE(fs, 0);
	/* musl's thread pointer is the FS base itself. */
	EXPECT_EQ(fs, (unsigned long)pthread_self());
	/*
	 * Nothing between here and the restore may touch TLS (errno included).
	 * syscall() itself checks a stack canary at %fs:0x28, so the stand-in
	 * starts as a copy of the real thread block's head.
	 */
	memcpy(fake_tls, (void *)fs, 64);
	ret = syscall(SYS_arch_prctl, ARCH_SET_FS, (unsigned long)fake_tls);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &seen);
	syscall(SYS_arch_prctl, ARCH_SET_FS, fs);
	EXPECT_EQ(ret, 0);
	EXPECT_EQ(seen, (unsigned long)fake_tls);
	EXPECT_ERRNO(syscall(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL), EPERM);
	EXPECT_ERRNO(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &seen);
	EXPECT_EQ(seen, fs);
}

TEST(proc, set_tid_address_returns_tid)
{
	static int ctid;

	EXPECT_EQ(syscall(SYS_set_tid_address, &ctid), getpid());
	EXPECT_EQ(syscall(SYS_gettid), getpid());
}

TEST(proc, getrusage_self_and_children)
{
	struct rusage ru;
	pid_t pid;

	burn_cpu_ms(30);
	ASSERT_OK(getrusage(RUSAGE_SELF, &ru));
	EXPECT_GT(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
		  ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, 0);
	EXPECT_LT(ru.ru_utime.tv_usec, 1000000);
	EXPECT_GT(ru.ru_maxrss, 0);
	ASSERT_OK(getrusage(RUSAGE_CHILDREN, &ru));
	EXPECT_EQ(ru.ru_utime.tv_sec + ru.ru_utime.tv_usec, 0);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		burn_cpu_ms(30);
		_exit(0);
	}
	wait_status(pid);
	ASSERT_OK(getrusage(RUSAGE_CHILDREN, &ru));
	EXPECT_GT(ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
		  ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec, 0);
}

TEST(proc, getrusage_errors)
{
	struct rusage ru;

	EXPECT_ERRNO(getrusage(5, &ru), EINVAL);
	EXPECT_ERRNO(getrusage(-3, &ru), EINVAL);
	EXPECT_ERRNO(syscall(SYS_getrusage, RUSAGE_SELF, unmapped_page()), EFAULT);
}

TEST(proc, times)
{
	struct tms t;
	clock_t a, b;
	pid_t pid;

	a = ASSERT_OK(times(&t));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		burn_cpu_ms(50);
		_exit(0);
	}
	wait_status(pid);
	b = ASSERT_OK(times(&t));
	EXPECT_GE(b, a);
	EXPECT_GT(t.tms_cutime + t.tms_cstime, 0);
	EXPECT_EQ(sysconf(_SC_CLK_TCK), 100);
}

TEST(proc, kill_checks)
{
	EXPECT_OK(kill(getpid(), 0));
	EXPECT_ERRNO(kill(NO_SUCH_PID, 0), ESRCH);
	EXPECT_ERRNO(kill(getpid(), 65), EINVAL);
	EXPECT_ERRNO(kill(getpid(), -1), EINVAL);
}

/* capget/capset: the header rules, and sets that agree with /proc/self/status. */
static unsigned long long status_hex(const char *key)
{
	char line[256];
	unsigned long long v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "r");

	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

TEST(proc, capget_capset_header_rules_and_proc_status)
{
	struct { unsigned int version; int pid; } hdr = { 0x20080522, 0 };
	struct { unsigned int effective, permitted, inheritable; } data[2], v1[2];
	unsigned long long eff, prm;

	ASSERT_OK(syscall(SYS_capget, &hdr, data));
	eff = data[0].effective | (unsigned long long)data[1].effective << 32;
	prm = data[0].permitted | (unsigned long long)data[1].permitted << 32;
	EXPECT_EQ(eff, status_hex("CapEff:"));
	EXPECT_EQ(prm, status_hex("CapPrm:"));
	EXPECT_EQ(data[0].inheritable | data[1].inheritable, 0);
	hdr.pid = getpid();
	ASSERT_OK(syscall(SYS_capget, &hdr, v1));
	EXPECT_EQ(v1[0].effective, data[0].effective);

	/* Version 1 carries one struct: the second is not written. */
	hdr = (typeof(hdr)){ 0x19980330, 0 };
	memset(v1, 0x5a, sizeof(v1));
	ASSERT_OK(syscall(SYS_capget, &hdr, v1));
	EXPECT_EQ(v1[0].effective, data[0].effective);
	EXPECT_EQ(v1[1].effective, 0x5a5a5a5aU);

	/* An unknown version: EINVAL, and the kernel's own is written back. */
	hdr = (typeof(hdr)){ 0x12345678, 0 };
	EXPECT_ERRNO(syscall(SYS_capget, &hdr, data), EINVAL);
	EXPECT_EQ(hdr.version, 0x20080522U);
	EXPECT_OK(syscall(SYS_capget, &hdr, NULL));	/* probing with no data */
	hdr.pid = -1;
	EXPECT_ERRNO(syscall(SYS_capget, &hdr, data), EINVAL);
	hdr.pid = 0x3fffffff;
	EXPECT_ERRNO(syscall(SYS_capget, &hdr, data), ESRCH);
	EXPECT_ERRNO(syscall(SYS_capget, NULL, data), EFAULT);
	hdr.pid = 0;
	EXPECT_ERRNO(syscall(SYS_capget, &hdr, (void *)1), EFAULT);

	/* capset: keeping the sets one has is allowed; another process's, never. */
	EXPECT_OK(syscall(SYS_capset, &hdr, data));
	hdr.pid = 1;
	EXPECT_ERRNO(syscall(SYS_capset, &hdr, data), EPERM);
}
