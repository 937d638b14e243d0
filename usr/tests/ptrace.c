/*
 * ptrace tests: every request the kernel implements (TRACEME, ATTACH,
 * SEIZE, INTERRUPT, LISTEN, DETACH, KILL, CONT, SYSCALL, SINGLESTEP,
 * PEEK/POKE of memory and struct user, GET/SETREGS, GET/SETFPREGS,
 * GET/SETREGSET, GET/SETSIGINFO, PEEKSIGINFO, SETOPTIONS, GETEVENTMSG,
 * GET_SYSCALL_INFO, GET/SETSIGMASK, ARCH_PRCTL), their errors (ESRCH,
 * EPERM, EIO, EFAULT, EINVAL), syscall stops that change a call's result
 * or skip it, seccomp's RET_TRACE event, signal injection, a fatal signal
 * held for the tracer, fork following, exec events, single-step counting,
 * an int3 breakpoint written into read-only text, group stops (legacy and
 * seized, LISTEN), detach and a tracer's death (with and without
 * EXITKILL). The requests go
 * through syscall(SYS_ptrace) so PEEK* store their word through @data as
 * the kernel ABI says.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include <uapi/ptrace.h>

#ifndef __WALL
#define __WALL 0x40000000
#endif

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(SYS_ptrace, req, (long)pid, addr, data);
}

#define PT_OK(req, pid, addr, data) ASSERT_OK(pt(req, pid, (unsigned long)(addr), (unsigned long)(data)))

/* A child that asks to be traced and stops itself with SIGSTOP, then runs @fn. */
static pid_t traced_child(int (*fn)(void))
{
	pid_t pid = ASSERT_OK(fork());
	int status;

	if (pid == 0) {
		if (pt(PTRACE_TRACEME, 0, 0, 0))
			_exit(100);
		raise(SIGSTOP);
		_exit(fn ? fn() : 0);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(WSTOPSIG(status), SIGSTOP);
	return pid;
}

/* Resumes @pid with @req until it exits; returns its wait status. */
static int finish(pid_t pid, long req)
{
	int status;

	for (;;) {
		if (pt(req, pid, 0, 0))
			return -1;
		if (waitpid(pid, &status, __WALL) != pid)
			return -1;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			return status;
	}
}

/* Resumes @pid with @req and @sig and waits for its next stop; returns the wait status. */
static int resume_to_stop(pid_t pid, long req, unsigned long sig)
{
	int status;

	PT_OK(req, pid, 0, sig);
	ASSERT_EQ(waitpid(pid, &status, __WALL), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	return status;
}

static int exit_zero(void)
{
	return 0;
}

TEST(ptrace, traceme_stop_and_cont)
{
	pid_t pid = traced_child(exit_zero);
	int status;

	/* The signal-delivery-stop's siginfo is the SIGSTOP raise() sent. */
	siginfo_t si;

	PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
	EXPECT_EQ(si.si_signo, SIGSTOP);
	EXPECT_EQ(si.si_code, SI_TKILL);
	PT_OK(PTRACE_CONT, pid, 0, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ptrace, traceme_twice_eperm)
{
	pid_t pid = ASSERT_OK(fork());
	int status;

	if (pid == 0) {
		if (pt(PTRACE_TRACEME, 0, 0, 0))
			_exit(1);
		_exit(pt(PTRACE_TRACEME, 0, 0, 0) == -1 && errno == EPERM ? 0 : 2);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ptrace, errors)
{
	pid_t other = fork_pause(), pid;
	unsigned long word;
	int status;

	/* Not traced by us, not a process, ourselves. */
	EXPECT_ERRNO(pt(PTRACE_CONT, other, 0, 0), ESRCH);
	EXPECT_ERRNO(pt(PTRACE_PEEKDATA, other, 0, (unsigned long)&word), ESRCH);
	EXPECT_ERRNO(pt(PTRACE_ATTACH, getpid(), 0, 0), EPERM);
	EXPECT_ERRNO(pt(PTRACE_ATTACH, 0x3ffffff0, 0, 0), ESRCH);
	EXPECT_ERRNO(pt(PTRACE_SEIZE, other, 0, 0x80000000UL), EIO);
	if (running_on_exo())
		EXPECT_ERRNO(pt(PTRACE_ATTACH, 1, 0, 0), EPERM);	/* Linux lets root trace init */
	/* Running (not stopped): only KILL and INTERRUPT work. */
	PT_OK(PTRACE_SEIZE, other, 0, 0);
	EXPECT_ERRNO(pt(PTRACE_SEIZE, other, 0, 0), EPERM);
	EXPECT_ERRNO(pt(PTRACE_GETREGS, other, 0, (unsigned long)&word), ESRCH);
	EXPECT_ERRNO(pt(PTRACE_CONT, other, 0, 0), ESRCH);
	kill(other, SIGKILL);
	ASSERT_EQ(waitpid(other, &status, 0), other);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	pid = traced_child(exit_zero);
	EXPECT_ERRNO(pt(PTRACE_PEEKDATA, pid, 8, (unsigned long)&word), EIO);
	EXPECT_ERRNO(pt(PTRACE_POKEDATA, pid, 8, 0), EIO);
	EXPECT_ERRNO(pt(PTRACE_GETREGS, pid, 0, 8), EFAULT);
	EXPECT_ERRNO(pt(PTRACE_PEEKDATA, pid, (unsigned long)&word, 8), EFAULT);
	EXPECT_ERRNO(pt(PTRACE_PEEKUSR, pid, 3, (unsigned long)&word), EIO);
	EXPECT_ERRNO(pt(PTRACE_PEEKUSR, pid, 4096, (unsigned long)&word), EIO);
	EXPECT_ERRNO(pt(PTRACE_SETOPTIONS, pid, 0, 0x40000000UL), EINVAL);
	EXPECT_ERRNO(pt(PTRACE_CONT, pid, 0, 100000), EIO);
	EXPECT_ERRNO(pt(0x4fff, pid, 0, 0), EIO);
	EXPECT_ERRNO(pt(PTRACE_INTERRUPT, pid, 0, 0), EIO);	/* not seized */
	EXPECT_ERRNO(pt(PTRACE_LISTEN, pid, 0, 0), EIO);
	EXPECT_ERRNO(pt(PTRACE_GETREGSET, pid, 0x4242, (unsigned long)&(struct iovec){ &word, 8 }),
		     EINVAL);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

TEST(ptrace, attach_other_uid_eperm)
{
	pid_t victim = fork_pause(), tester;
	int status;

	tester = ASSERT_OK(fork());
	if (tester == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(pt(PTRACE_ATTACH, victim, 0, 0) == -1 && errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(waitpid(tester, &status, 0), tester);
	EXPECT_EQ(status, 0);
	kill(victim, SIGKILL);
	waitpid(victim, &status, 0);
}

static volatile unsigned long poke_target = 0x1111111122222222UL, poke_pad;

static int check_poked(void)
{
	return poke_target == 0x5555666677778888UL ? 0 : 1;
}

TEST(ptrace, peek_poke_data)
{
	pid_t pid = traced_child(check_poked);
	unsigned long word = 0;

	PT_OK(PTRACE_PEEKDATA, pid, &poke_target, &word);
	EXPECT_EQ(word, 0x1111111122222222UL);
	PT_OK(PTRACE_PEEKTEXT, pid, &poke_target, &word);
	EXPECT_EQ(word, 0x1111111122222222UL);
	PT_OK(PTRACE_POKEDATA, pid, &poke_target, 0x5555666677778888UL);
	/* Our own copy is untouched: the tracee's memory is its own. */
	EXPECT_EQ(poke_target, 0x1111111122222222UL);
	/* POKETEXT is the same request as POKEDATA on x86_64. */
	PT_OK(PTRACE_POKETEXT, pid, (unsigned long)&poke_pad, 0);
	PT_OK(PTRACE_PEEKTEXT, pid, (unsigned long)&poke_target, &word);
	EXPECT_EQ(word, 0x5555666677778888UL);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

TEST(ptrace, regs_peekuser_regset)
{
	pid_t pid = traced_child(exit_zero);
	struct user_regs_struct regs, regs2;
	struct iovec iov = { &regs2, sizeof(regs2) };
	unsigned long word;

	PT_OK(PTRACE_GETREGS, pid, 0, &regs);
	EXPECT_EQ(regs.cs, 0x33UL);
	EXPECT_EQ(regs.ss, 0x2bUL);
	EXPECT_NE(regs.fs_base, 0UL);	/* musl's TLS */
	PT_OK(PTRACE_PEEKUSR, pid, offsetof(struct user_regs_struct, rip), &word);
	EXPECT_EQ(word, regs.rip);
	PT_OK(PTRACE_PEEKUSR, pid, offsetof(struct user_regs_struct, orig_rax), &word);
	EXPECT_EQ(word, regs.orig_rax);
	PT_OK(PTRACE_PEEKUSR, pid, offsetof(struct user_regs_struct, fs_base), &word);
	EXPECT_EQ(word, regs.fs_base);
	PT_OK(PTRACE_PEEKUSR, pid, USER_DEBUGREG_OFFSET + 7 * 8, &word);
	EXPECT_EQ(word, 0UL);
	PT_OK(PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov);
	EXPECT_EQ(iov.iov_len, sizeof(regs2));
	EXPECT_EQ(regs2.rip, regs.rip);
	EXPECT_EQ(regs2.rsp, regs.rsp);
	/* A short regset read stops at its length. */
	iov.iov_len = 16;
	PT_OK(PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov);
	EXPECT_EQ(iov.iov_len, 16UL);

	/* POKEUSER of a general register sticks; a bad segment does not. */
	PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, r12), 0x1234);
	PT_OK(PTRACE_PEEKUSR, pid, offsetof(struct user_regs_struct, r12), &word);
	EXPECT_EQ(word, 0x1234UL);
	EXPECT_ERRNO(pt(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, cs), 0x8), EIO);
	regs2 = regs;
	regs2.ss = 0x10;	/* a kernel selector */
	EXPECT_ERRNO(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&regs2), EIO);
	regs2 = regs;
	regs2.fs_base = 0xffff800000000000UL;
	EXPECT_ERRNO(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&regs2), EIO);
	if (running_on_exo()) {
		/* Linux takes a non-canonical RIP and lets the tracee fault; Exo-OS refuses it. */
		regs2 = regs;
		regs2.rip = 0x8000000000000000UL;
		EXPECT_ERRNO(pt(PTRACE_SETREGS, pid, 0, (unsigned long)&regs2), EIO);
	}
	/* EFLAGS: IF and IOPL are not the tracer's to change. */
	regs2 = regs;
	regs2.eflags = 0x3000;
	PT_OK(PTRACE_SETREGS, pid, 0, &regs2);
	PT_OK(PTRACE_GETREGS, pid, 0, &regs2);
	EXPECT_EQ(regs2.eflags & 0x3200UL, regs.eflags & 0x3200UL);
	/* PTRACE_ARCH_PRCTL: the tracee's FS base (its TLS), read and set. */
	PT_OK(PTRACE_ARCH_PRCTL, pid, &word, 0x1003 /* ARCH_GET_FS */);
	EXPECT_EQ(word, regs.fs_base);
	PT_OK(PTRACE_ARCH_PRCTL, pid, 0x10000, 0x1002 /* ARCH_SET_FS */);
	PT_OK(PTRACE_PEEKUSR, pid, offsetof(struct user_regs_struct, fs_base), &word);
	EXPECT_EQ(word, 0x10000UL);
	EXPECT_ERRNO(pt(PTRACE_ARCH_PRCTL, pid, 0xffff800000000000UL, 0x1002), EPERM);
	EXPECT_ERRNO(pt(PTRACE_ARCH_PRCTL, pid, 0, 0x1fff), EINVAL);
	PT_OK(PTRACE_SETREGS, pid, 0, &regs);
	PT_OK(PTRACE_GETREGS, pid, 0, &regs2);
	EXPECT_EQ(regs2.fs_base, regs.fs_base);
	EXPECT_EQ(regs2.r12, regs.r12);
	EXPECT_EQ(regs2.rip, regs.rip);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

static int report_mxcsr(void)
{
	unsigned int m;

	__asm__ __volatile__("stmxcsr %0" : "=m"(m));
	return m == (0x1f80 | 0x6000) ? 0 : 1;	/* round toward zero, set by the tracer */
}

TEST(ptrace, fpregs)
{
	pid_t pid = traced_child(report_mxcsr);
	struct user_fpregs_struct fp, fp2;
	struct iovec iov = { &fp2, sizeof(fp2) };

	PT_OK(PTRACE_GETFPREGS, pid, 0, &fp);
	EXPECT_EQ(fp.mxcsr & 0xffbfU, 0x1f80U);
	EXPECT_EQ(fp.cwd, 0x37f);
	PT_OK(PTRACE_GETREGSET, pid, NT_PRFPREG, &iov);
	EXPECT_EQ(iov.iov_len, 512UL);
	EXPECT_EQ(fp2.mxcsr, fp.mxcsr);
	fp2 = fp;
	fp2.mxcsr = 0x80000000U;	/* a reserved bit */
	EXPECT_ERRNO(pt(PTRACE_SETFPREGS, pid, 0, (unsigned long)&fp2), EINVAL);
	fp.mxcsr = 0x1f80 | 0x6000;
	PT_OK(PTRACE_SETFPREGS, pid, 0, &fp);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

static int getppid_is_4242(void)
{
	long r = syscall(SYS_getppid);

	if (r != 4242)
		return 1;
	/* The tracer skips this exit_group (orig_rax = -1): it fails with ENOSYS instead. */
	errno = 0;
	r = syscall(SYS_exit_group, 3);
	return r == -1 && errno == ENOSYS ? 0 : 2;
}

TEST(ptrace, syscall_stops_change_result)
{
	pid_t pid = traced_child(getppid_is_4242);
	struct ptrace_syscall_info info;
	int status, entries = 0, exits = 0, changed = 0, skipped = 0;
	bool in_getppid = false;
	siginfo_t si;

	PT_OK(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
	for (;;) {
		long n;

		PT_OK(PTRACE_SYSCALL, pid, 0, 0);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		ASSERT_TRUE(WIFSTOPPED(status));
		ASSERT_EQ(WSTOPSIG(status), SIGTRAP | 0x80);
		n = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), (unsigned long)&info);
		ASSERT_GE(n, 24);
		EXPECT_EQ(info.arch, 0xc000003eU);
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			EXPECT_EQ(n, 80);
			entries++;
			in_getppid = info.entry.nr == SYS_getppid;
			if (info.entry.nr == SYS_exit_group && info.entry.args[0] == 3) {
				PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, orig_rax),
				      -1L);
				skipped++;
			}
			PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
			EXPECT_EQ(si.si_code, SIGTRAP | 0x80);
		} else {
			ASSERT_EQ(info.op, PTRACE_SYSCALL_INFO_EXIT);
			EXPECT_EQ(n, 33);
			exits++;
			if (in_getppid) {
				EXPECT_EQ(info.exit.rval, (long)getpid());
				EXPECT_EQ(info.exit.is_error, 0);
				PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, rax), 4242);
				changed++;
			}
			in_getppid = false;
		}
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(changed, 1);
	EXPECT_EQ(skipped, 1);
	/* The last call, exit_group(0), has an entry stop only. */
	EXPECT_EQ(entries, exits + 1);
}

static volatile sig_atomic_t got_usr1, got_usr2;

static void on_usr1(int sig)
{
	got_usr1 = sig;
}

static void on_usr2(int sig)
{
	got_usr2 = sig;
}

static int raise_usr1_twice(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	raise(SIGUSR1);	/* the tracer makes it SIGUSR2 */
	if (got_usr1 || got_usr2 != SIGUSR2)
		return 1;
	raise(SIGUSR1);	/* the tracer cancels it */
	return got_usr1 ? 2 : 0;
}

TEST(ptrace, signal_injection)
{
	pid_t pid = traced_child(raise_usr1_twice);
	siginfo_t si;
	int status;

	status = resume_to_stop(pid, PTRACE_CONT, 0);
	ASSERT_EQ(WSTOPSIG(status), SIGUSR1);
	PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
	EXPECT_EQ(si.si_signo, SIGUSR1);
	EXPECT_EQ(si.si_pid, pid);
	/* SETSIGINFO then GETSIGINFO: the stop's siginfo is the tracer's to edit. */
	si.si_errno = 77;
	PT_OK(PTRACE_SETSIGINFO, pid, 0, &si);
	memset(&si, 0, sizeof(si));
	PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
	EXPECT_EQ(si.si_errno, 77);
	status = resume_to_stop(pid, PTRACE_CONT, SIGUSR2);
	ASSERT_EQ(WSTOPSIG(status), SIGUSR1);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

TEST(ptrace, waitid_cld_trapped)
{
	pid_t pid = traced_child(exit_zero);
	siginfo_t si;
	int status;

	/* The stop was collected by traced_child(); a new one comes with the exec-less exit. */
	PT_OK(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
	PT_OK(PTRACE_CONT, pid, 0, 0);
	memset(&si, 0, sizeof(si));
	ASSERT_OK(waitid(P_PID, pid, &si, WEXITED | WSTOPPED));
	EXPECT_EQ(si.si_code, CLD_TRAPPED);
	EXPECT_EQ(si.si_pid, pid);
	EXPECT_EQ(si.si_status, SIGTRAP | (PTRACE_EVENT_EXIT << 8));
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
	(void)status;
}

static int exit_7(void)
{
	return 7;
}

TEST(ptrace, exit_event_message)
{
	pid_t pid = traced_child(exit_7);
	unsigned long msg = 0;
	int status;

	PT_OK(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXIT);
	status = resume_to_stop(pid, PTRACE_CONT, 0);
	EXPECT_EQ(status >> 8, SIGTRAP | (PTRACE_EVENT_EXIT << 8));
	PT_OK(PTRACE_GETEVENTMSG, pid, 0, &msg);
	EXPECT_EQ(msg, 7UL << 8);
	PT_OK(PTRACE_CONT, pid, 0, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

static int fork_child_5(void)
{
	int status;
	pid_t c = fork();

	if (c == 0)
		_exit(5);
	if (c < 0 || waitpid(c, &status, 0) != c)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 5 ? 0 : 2;
}

/* Resumes @pid (@option set here) to its @event stop (fork or clone); returns the new child. */
static pid_t resume_to_fork_event(pid_t pid, long option, int event)
{
	unsigned long msg = 0;
	int status;

	PT_OK(PTRACE_SETOPTIONS, pid, 0, option);
	status = resume_to_stop(pid, PTRACE_CONT, 0);
	ASSERT_EQ(status >> 8, SIGTRAP | (event << 8));
	PT_OK(PTRACE_GETEVENTMSG, pid, 0, &msg);
	ASSERT_GE((long)msg, 1);
	return (pid_t)msg;
}

/* The traced new child @gc: its SIGSTOP, then (resumed) its exit with status 5. */
static void new_child_runs_to_exit_5(pid_t gc)
{
	int status;

	/* It starts traced, stopped by SIGSTOP; not our child, yet we wait for it. */
	ASSERT_EQ(waitpid(gc, &status, __WALL), gc);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
	PT_OK(PTRACE_CONT, gc, 0, 0);
	/* Its exit comes to us (the tracer) first, then to its parent. */
	ASSERT_EQ(waitpid(gc, &status, __WALL), gc);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 5);
}

TEST(ptrace, tracefork_follows_child)
{
	pid_t pid = traced_child(fork_child_5);
	pid_t gc = resume_to_fork_event(pid, PTRACE_O_TRACEFORK, PTRACE_EVENT_FORK);
	int status;

	new_child_runs_to_exit_5(gc);
	EXPECT_ERRNO(waitpid(gc, &status, __WALL | WNOHANG), ECHILD);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

/*
 * clone(0) (a fork whose child's exit signals nobody, so no SIGCHLD sends
 * the parent's return down the slow path) through the raw system call with
 * r12 = 1: the parent's exit status says whether it came back with the
 * value the tracer wrote at the clone event stop (0) or not (1).
 */
static int fork_reporting_r12(void)
{
	register long r12 __asm__("r12") = 1;
	long ret = SYS_clone;

	__asm__ __volatile__("syscall"
			     : "+a"(ret), "+r"(r12)
			     : "D"(0L), "S"(0L), "d"(0L)
			     : "rcx", "r11", "r8", "r9", "r10", "memory");
	if (ret == 0)
		_exit(5);
	return r12 == 0x5a5a ? 0 : 1;
}

/*
 * A register the tracer writes while the tracee stops inside a system call
 * (the clone event) reaches user mode, a callee-saved one too (the fast
 * return path of the system call must reload it).
 */
TEST(ptrace, pokeuser_in_event_stop_reaches_user_mode)
{
	pid_t pid = traced_child(fork_reporting_r12);
	pid_t gc = resume_to_fork_event(pid, PTRACE_O_TRACECLONE, PTRACE_EVENT_CLONE);

	PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, r12), 0x5a5a);
	new_child_runs_to_exit_5(gc);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

static int exec_helper(void)
{
	char *argv[] = { (char *)harness_self, HELPER_ARG, "exit", "9", NULL };

	execv(harness_self, argv);
	return 1;
}

TEST(ptrace, exec_sigtrap_and_event)
{
	pid_t pid = traced_child(exec_helper);
	unsigned long msg = 0;
	siginfo_t si;
	int status;

	/* The legacy tracee gets a plain SIGTRAP after exec. */
	status = resume_to_stop(pid, PTRACE_CONT, 0);
	EXPECT_EQ(status >> 8, SIGTRAP);
	PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
	EXPECT_EQ(si.si_code, SI_USER);
	EXPECT_EQ(finish(pid, PTRACE_CONT) >> 8, 9);

	/* With TRACEEXEC: the event, and its message is the pid. */
	pid = traced_child(exec_helper);
	PT_OK(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEEXEC);
	status = resume_to_stop(pid, PTRACE_CONT, 0);
	EXPECT_EQ(status >> 8, SIGTRAP | (PTRACE_EVENT_EXEC << 8));
	PT_OK(PTRACE_GETEVENTMSG, pid, 0, &msg);
	EXPECT_EQ(msg, (unsigned long)pid);
	EXPECT_EQ(finish(pid, PTRACE_CONT) >> 8, 9);
}

/*
 * A fixed instruction sequence after a SIGSTOP: mov, 100 x (dec, jnz), mov,
 * xor, then exit's syscall. Stepped from the stop: 203 single-step traps.
 */
static void step_body(void)
{
	__asm__ __volatile__(
		"mov %[nr_kill], %%eax\n\t"
		"syscall\n\t"
		"mov $100, %%ecx\n"
		"1:\tdec %%ecx\n\t"
		"jnz 1b\n\t"
		"mov $60, %%eax\n\t"
		"xor %%edi, %%edi\n\t"
		"syscall\n\t"
		:
		: [nr_kill] "i"(SYS_kill), "D"(getpid()), "S"(SIGSTOP)
		: "rax", "rcx", "r11", "memory");
}

TEST(ptrace, singlestep_counts_instructions)
{
	pid_t pid = ASSERT_OK(fork());
	int status, steps = 0;
	siginfo_t si;

	if (pid == 0) {
		if (pt(PTRACE_TRACEME, 0, 0, 0))
			_exit(100);
		step_body();
		_exit(101);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	for (;;) {
		PT_OK(PTRACE_SINGLESTEP, pid, 0, 0);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		if (!WIFSTOPPED(status))
			break;
		ASSERT_EQ(WSTOPSIG(status), SIGTRAP);
		if (steps == 0) {
			PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);
			EXPECT_EQ(si.si_code, 2);	/* TRAP_TRACE */
		}
		steps++;
		ASSERT_TRUE(steps < 10000);
	}
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(steps, 203);
}

static int pause_forever(void)
{
	for (;;)
		pause();
	return 0;
}

TEST(ptrace, detach_resumes_with_signal)
{
	pid_t pid = traced_child(exit_zero);
	int status;

	PT_OK(PTRACE_DETACH, pid, 0, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* After detach the process is no longer ours to trace. */
	EXPECT_ERRNO(pt(PTRACE_CONT, pid, 0, 0), ESRCH);

	/* A detach signal is delivered: SIGTERM ends the pausing child. */
	pid = traced_child(pause_forever);
	PT_OK(PTRACE_DETACH, pid, 0, SIGTERM);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

TEST(ptrace, kill_request)
{
	pid_t pid = traced_child(pause_forever);
	int status;

	PT_OK(PTRACE_KILL, pid, 0, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* /proc/@pid/@name read into @buf (NUL-terminated); false when unreadable. */
static bool read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	n = (int)read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return true;
}

/* TracerPid: in /proc/@pid/status, or -1. */
static int tracer_pid_of(pid_t pid)
{
	char buf[2048], *p;

	if (!read_proc(pid, "status", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "TracerPid:");
	return p ? atoi(p + 10) : -1;
}

/* The state letter in /proc/@pid/stat, or 0. */
static char state_of(pid_t pid)
{
	char buf[512], *p;

	if (!read_proc(pid, "stat", buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

TEST(ptrace, seize_interrupt_listen)
{
	pid_t pid = fork_pause();
	int status;

	PT_OK(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD);
	EXPECT_EQ(tracer_pid_of(pid), getpid());
	/* SEIZE does not stop it; INTERRUPT does, with PTRACE_EVENT_STOP and SIGTRAP. */
	EXPECT_EQ(waitpid(pid, &status, WNOHANG | __WALL), 0);
	status = resume_to_stop(pid, PTRACE_INTERRUPT, 0);
	EXPECT_EQ(status >> 16, PTRACE_EVENT_STOP);
	EXPECT_EQ(WSTOPSIG(status), SIGTRAP);
	PT_OK(PTRACE_CONT, pid, 0, 0);

	/* A SIGSTOP: first its delivery stop, then (resumed with it) the group stop. */
	kill(pid, SIGSTOP);
	ASSERT_EQ(waitpid(pid, &status, __WALL), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(status >> 16, 0);
	EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
	status = resume_to_stop(pid, PTRACE_CONT, SIGSTOP);
	EXPECT_EQ(status >> 16, PTRACE_EVENT_STOP);
	EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
	/* LISTEN: stays stopped, but requests see it running until SIGCONT. */
	PT_OK(PTRACE_LISTEN, pid, 0, 0);
	EXPECT_ERRNO(pt(PTRACE_CONT, pid, 0, 0), ESRCH);
	EXPECT_EQ(waitpid(pid, &status, WNOHANG | __WALL), 0);
	kill(pid, SIGCONT);
	ASSERT_EQ(waitpid(pid, &status, __WALL), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(status >> 16, PTRACE_EVENT_STOP);
	EXPECT_EQ(WSTOPSIG(status), SIGTRAP);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, __WALL), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* A tracer process (our child) seizes @victim and exits; returns its exit status. */
static int tracer_seizes_and_dies(pid_t victim, unsigned long opts)
{
	pid_t tracer = ASSERT_OK(fork());
	int status;

	if (tracer == 0) {
		if (pt(PTRACE_SEIZE, victim, 0, opts))
			_exit(1);
		if (tracer_pid_of(victim) != getpid())
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(waitpid(tracer, &status, 0), tracer);
	return status;
}

TEST(ptrace, tracer_exit_detaches_or_kills)
{
	int pipefd[2], status;
	pid_t victim;
	char c = 'x';

	ASSERT_OK(pipe(pipefd));
	victim = ASSERT_OK(fork());
	if (victim == 0) {
		close(pipefd[1]);
		_exit(read(pipefd[0], &c, 1) == 1 ? 0 : 1);
	}
	close(pipefd[0]);
	EXPECT_EQ(tracer_seizes_and_dies(victim, 0), 0);
	/* Detached by the tracer's exit: it runs on and is ours to reap. */
	EXPECT_EQ(tracer_pid_of(victim), 0);
	ASSERT_EQ(write(pipefd[1], &c, 1), 1);
	ASSERT_EQ(waitpid(victim, &status, 0), victim);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	victim = fork_pause();
	EXPECT_EQ(tracer_seizes_and_dies(victim, PTRACE_O_EXITKILL), 0);
	ASSERT_EQ(waitpid(victim, &status, 0), victim);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(pipefd[1]);
}

TEST(ptrace, attach_stops_with_sigstop)
{
	pid_t pid = fork_pause();
	unsigned long long mask = 0, want = 1ULL << (SIGUSR1 - 1);
	int status;

	status = resume_to_stop(pid, PTRACE_ATTACH, 0);
	EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
	EXPECT_EQ(tracer_pid_of(pid), getpid());
	EXPECT_EQ(state_of(pid), 't');
	/* GET/SETSIGMASK. */
	PT_OK(PTRACE_SETSIGMASK, pid, 8, &want);
	PT_OK(PTRACE_GETSIGMASK, pid, 8, &mask);
	EXPECT_EQ(mask, want);
	EXPECT_ERRNO(pt(PTRACE_GETSIGMASK, pid, 4, (unsigned long)&mask), EINVAL);
	PT_OK(PTRACE_DETACH, pid, 0, 0);
	EXPECT_EQ(tracer_pid_of(pid), 0);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static int raise_term(void)
{
	raise(SIGTERM);	/* fatal, no handler: the tracer cancels it */
	return 0;
}

TEST(ptrace, fatal_signal_waits_for_tracer)
{
	pid_t pid = traced_child(raise_term);
	int status;

	status = resume_to_stop(pid, PTRACE_CONT, 0);
	EXPECT_EQ(WSTOPSIG(status), SIGTERM);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

/* The tracee's filter: getppid -> SECCOMP_RET_TRACE | 0x42, everything else allowed. */
static int seccomp_traced_getppid(void)
{
	struct {
		unsigned short code;
		unsigned char jt, jf;
		unsigned int k;
	} f[] = {
		{ 0x20, 0, 0, 0 },			/* ld [nr] */
		{ 0x15, 0, 1, SYS_getppid },		/* jeq getppid */
		{ 0x06, 0, 0, 0x7ff00000U | 0x42 },	/* ret TRACE | 0x42 */
		{ 0x06, 0, 0, 0x7fff0000U },		/* ret ALLOW */
	};
	struct {
		unsigned short len;
		void *filter;
	} prog = { 4, f };

	if (syscall(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, 1 /* SECCOMP_SET_MODE_FILTER */, 0, &prog))
		return 1;
	raise(SIGSTOP);	/* the tracer sets TRACESECCOMP now */
	if (syscall(SYS_getppid) != 77)	/* skipped, result set by the tracer */
		return 2;
	return syscall(SYS_getppid) == getppid() ? 3 : 4;	/* runs: the recheck allows it */
}

TEST(ptrace, seccomp_ret_trace_event)
{
	pid_t pid = traced_child(seccomp_traced_getppid);
	struct ptrace_syscall_info info;
	unsigned long msg = 0;
	int status, events = 0;

	PT_OK(PTRACE_CONT, pid, 0, 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	PT_OK(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP);
	for (;;) {
		PT_OK(PTRACE_CONT, pid, 0, 0);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		if (!WIFSTOPPED(status))
			break;
		ASSERT_EQ(status >> 8, SIGTRAP | (PTRACE_EVENT_SECCOMP << 8));
		PT_OK(PTRACE_GETEVENTMSG, pid, 0, &msg);
		EXPECT_EQ(msg, 0x42UL);
		EXPECT_EQ(pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), (unsigned long)&info), 84);
		EXPECT_EQ(info.op, PTRACE_SYSCALL_INFO_SECCOMP);
		EXPECT_EQ(info.seccomp.nr, (unsigned long)SYS_getppid);
		EXPECT_EQ(info.seccomp.ret_data, 0x42U);
		if (events++ == 0) {
			PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, orig_rax), -1L);
			PT_OK(PTRACE_POKEUSR, pid, offsetof(struct user_regs_struct, rax), 77);
		}
	}
	EXPECT_EQ(events, 3);	/* two getppid calls in the check, one in getppid() */
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST(ptrace, legacy_group_stop_has_no_siginfo)
{
	pid_t pid = traced_child(pause_forever);
	siginfo_t si;
	int status;

	PT_OK(PTRACE_CONT, pid, 0, 0);
	kill(pid, SIGSTOP);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
	PT_OK(PTRACE_GETSIGINFO, pid, 0, &si);	/* the delivery stop has one */
	EXPECT_EQ(si.si_signo, SIGSTOP);
	/* Resumed with the stop signal: the group stop, which has none (how strace tells). */
	status = resume_to_stop(pid, PTRACE_CONT, SIGSTOP);
	EXPECT_EQ(status >> 8, SIGSTOP);
	EXPECT_ERRNO(pt(PTRACE_GETSIGINFO, pid, 0, (unsigned long)&si), EINVAL);
	/* CONT runs it although the group is stopped. */
	PT_OK(PTRACE_CONT, pid, 0, 0);
	EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static const volatile unsigned long ro_word = 0x1234;

__attribute__((noinline)) static int bp_target(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x * 3;
}

static int run_breakpoint(void)
{
	if (ro_word != 0x5678)	/* written by the tracer into read-only data */
		return 1;
	return bp_target(14) == 42 ? 0 : 2;
}

TEST(ptrace, poketext_breakpoint_in_readonly_text)
{
	pid_t pid = traced_child(run_breakpoint);
	unsigned long addr = (unsigned long)bp_target, orig = 0, word = 0;
	struct user_regs_struct regs;
	int status;

	/* Read-only data and text take a forced write (a private copy, still read-only to it). */
	PT_OK(PTRACE_POKEDATA, pid, &ro_word, 0x5678);
	PT_OK(PTRACE_PEEKTEXT, pid, addr, &orig);
	PT_OK(PTRACE_POKETEXT, pid, addr, (orig & ~0xffUL) | 0xcc);	/* int3 */
	PT_OK(PTRACE_PEEKTEXT, pid, addr, &word);
	EXPECT_EQ(word & 0xff, 0xccUL);
	/* Our own text is untouched. */
	EXPECT_EQ(*(volatile unsigned char *)addr, (unsigned char)orig);
	status = resume_to_stop(pid, PTRACE_CONT, 0);
	ASSERT_EQ(WSTOPSIG(status), SIGTRAP);
	PT_OK(PTRACE_GETREGS, pid, 0, &regs);
	EXPECT_EQ(regs.rip, addr + 1);
	/* Put the instruction back and run it, as a debugger does. */
	PT_OK(PTRACE_POKETEXT, pid, addr, orig);
	regs.rip = addr;
	PT_OK(PTRACE_SETREGS, pid, 0, &regs);
	EXPECT_EQ(finish(pid, PTRACE_CONT), 0);
}

static int queue_blocked_signals(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);				/* the thread's queue */
	kill(getpid(), SIGRTMIN + 1);		/* the process's queue, twice */
	kill(getpid(), SIGRTMIN + 1);
	raise(SIGSTOP);
	return 0;
}

TEST(ptrace, peeksiginfo_reads_queues)
{
	pid_t pid = traced_child(queue_blocked_signals);
	struct ptrace_peeksiginfo_args args = { 0, 0, 4 };
	siginfo_t si[4];
	int status;

	status = resume_to_stop(pid, PTRACE_CONT, 0);
	ASSERT_EQ(WSTOPSIG(status), SIGSTOP);
	EXPECT_EQ(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), 1);
	EXPECT_EQ(si[0].si_signo, SIGUSR1);
	args.flags = PTRACE_PEEKSIGINFO_SHARED;
	EXPECT_EQ(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), 2);
	EXPECT_EQ(si[0].si_signo, SIGRTMIN + 1);
	EXPECT_EQ(si[1].si_signo, SIGRTMIN + 1);
	EXPECT_EQ(si[1].si_pid, pid);
	args.off = 1;
	EXPECT_EQ(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), 1);
	args.off = 5;
	EXPECT_EQ(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), 0);
	args.flags = 2;
	EXPECT_ERRNO(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), EINVAL);
	args.flags = 0;
	args.nr = -1;
	EXPECT_ERRNO(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), EINVAL);
	args.off = 0;
	args.nr = 1;
	EXPECT_ERRNO(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, 8), EFAULT);
	/* Peeking took nothing: they are still pending (the mask keeps them). */
	args.nr = 4;
	EXPECT_EQ(pt(PTRACE_PEEKSIGINFO, pid, (unsigned long)&args, (unsigned long)si), 1);
	kill(pid, SIGKILL);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}
