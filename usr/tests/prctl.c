/*
 * prctl: thread names (and /proc/.../comm), the parent-death signal, child
 * subreapers, dumpable, no_new_privs, the timer slack, and the errno of
 * every bad argument, as Linux gives them.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static void read_text(const char *path, char *buf, size_t size)
{
	int fd = ASSERT_OK(open(path, O_RDONLY));
	ssize_t n = read(fd, buf, size - 1);

	ASSERT_OK(n);
	buf[n] = 0;
	close(fd);
}

TEST(prctl, name_is_cut_at_15_bytes_and_shows_in_proc)
{
	char name[32], path[64], text[32];

	memset(name, 'x', sizeof(name));
	ASSERT_OK(prctl(PR_SET_NAME, "abcdefghijklmnopqrstuvwxyz"));
	ASSERT_OK(prctl(PR_GET_NAME, name));
	EXPECT_STREQ(name, "abcdefghijklmno");
	EXPECT_EQ(name[16], 'x');	/* exactly 16 bytes written */
	read_text("/proc/self/comm", text, sizeof(text));
	EXPECT_STREQ(text, "abcdefghijklmno\n");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", (long)syscall(SYS_gettid));
	read_text(path, text, sizeof(text));
	EXPECT_STREQ(text, "abcdefghijklmno\n");
	ASSERT_OK(prctl(PR_SET_NAME, ""));
	ASSERT_OK(prctl(PR_GET_NAME, name));
	EXPECT_STREQ(name, "");
}

TEST(prctl, name_bad_pointers_efault)
{
	EXPECT_ERRNO(prctl(PR_SET_NAME, NULL), EFAULT);
	EXPECT_ERRNO(prctl(PR_GET_NAME, NULL), EFAULT);
	EXPECT_ERRNO(prctl(PR_GET_NAME, (void *)0xffff800000000000UL), EFAULT);
}

static volatile long thread_tid;
static volatile int thread_step;

static void *name_myself(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "worker");
	thread_tid = syscall(SYS_gettid);
	while (thread_step != 1)
		usleep(1000);
	return NULL;
}

/* A name is the thread's; another thread of the process may rename it through procfs. */
TEST(prctl, name_is_per_thread)
{
	char path[64], text[32], name[16];
	pthread_t t;
	int fd;

	ASSERT_OK(prctl(PR_SET_NAME, "main"));
	thread_tid = 0;
	thread_step = 0;
	ASSERT_EQ(pthread_create(&t, NULL, name_myself, NULL), 0);
	while (!thread_tid)
		usleep(1000);
	ASSERT_OK(prctl(PR_GET_NAME, name));
	EXPECT_STREQ(name, "main");
	snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", thread_tid);
	read_text(path, text, sizeof(text));
	EXPECT_STREQ(text, "worker\n");
	fd = ASSERT_OK(open(path, O_WRONLY));
	EXPECT_EQ(write(fd, "renamed-by-main-thread", 22), 22);
	close(fd);
	read_text(path, text, sizeof(text));
	EXPECT_STREQ(text, "renamed-by-main\n");
	thread_step = 1;
	ASSERT_EQ(pthread_join(t, NULL), 0);
}

static void sleep_until_killed(void *arg)
{
	(void)arg;
	pause();
}

TEST(prctl, comm_of_another_process_is_not_writable)
{
	char path[64];
	pid_t pid = fork();
	int fd, st;

	ASSERT_OK(pid);
	if (pid == 0) {
		sleep_until_killed(NULL);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = ASSERT_OK(open(path, O_WRONLY));
	EXPECT_ERRNO(write(fd, "x", 1), EINVAL);
	close(fd);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

TEST(prctl, pdeathsig_get_set_and_not_inherited)
{
	int sig = -1, st;
	pid_t pid;

	ASSERT_OK(prctl(PR_GET_PDEATHSIG, &sig));
	EXPECT_EQ(sig, 0);
	EXPECT_ERRNO(prctl(PR_SET_PDEATHSIG, 65), EINVAL);
	EXPECT_ERRNO(prctl(PR_SET_PDEATHSIG, -1), EINVAL);
	ASSERT_OK(prctl(PR_SET_PDEATHSIG, SIGUSR1));
	ASSERT_OK(prctl(PR_GET_PDEATHSIG, &sig));
	EXPECT_EQ(sig, SIGUSR1);
	EXPECT_ERRNO(prctl(PR_GET_PDEATHSIG, NULL), EFAULT);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		sig = -1;
		prctl(PR_GET_PDEATHSIG, &sig);
		_exit(sig == 0 ? 0 : 1);
	}
	ASSERT_OK(waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_OK(prctl(PR_SET_PDEATHSIG, 0));
}

static volatile sig_atomic_t got_pdeath, pdeath_code, pdeath_pid;

static void on_pdeath(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_pdeath = sig;
	pdeath_code = si->si_code;
	pdeath_pid = si->si_pid;
}

/*
 * We are a subreaper; our child P forks C and exits. C asked for SIGUSR2 at
 * its parent's death: it gets it, from P, and we become its parent.
 */
static void grandchild_reports(pid_t subreaper, int ready_fd)
{
	struct sigaction sa = { .sa_sigaction = on_pdeath, .sa_flags = SA_SIGINFO };
	sigset_t block, old;
	pid_t parent = getppid();
	int code;

	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGUSR2, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR2);
	if (write(ready_fd, &(pid_t){ getpid() }, sizeof(pid_t)) != sizeof(pid_t))
		_exit(10);
	while (!got_pdeath)
		sigsuspend(&old);
	code = got_pdeath != SIGUSR2 ? 11 : pdeath_code != SI_USER ? 12 :
	       pdeath_pid != parent ? 13 : getppid() != subreaper ? 14 : 42;
	_exit(code);
}

TEST(prctl, pdeathsig_and_subreaper_adopt_the_orphan)
{
	int flag = -1, pfd[2], st;
	pid_t p, c, me = getpid();

	ASSERT_OK(prctl(PR_GET_CHILD_SUBREAPER, &flag));
	EXPECT_EQ(flag, 0);
	ASSERT_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_OK(prctl(PR_GET_CHILD_SUBREAPER, &flag));
	EXPECT_EQ(flag, 1);
	EXPECT_ERRNO(prctl(PR_GET_CHILD_SUBREAPER, NULL), EFAULT);
	ASSERT_OK(pipe(pfd));
	p = fork();
	ASSERT_OK(p);
	if (p == 0) {
		/* The mark is the process's own: a child does not inherit it. */
		prctl(PR_GET_CHILD_SUBREAPER, &flag);
		if (flag != 0)
			_exit(2);
		c = fork();
		if (c == 0)
			grandchild_reports(me, pfd[1]);
		/* Exit once C has asked for its signal. */
		if (read(pfd[0], &c, sizeof(c)) != sizeof(c))
			_exit(3);
		if (write(pfd[1], &c, sizeof(c)) != sizeof(c))
			_exit(4);
		_exit(0);
	}
	ASSERT_OK(waitpid(p, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(read(pfd[0], &c, sizeof(c)), (ssize_t)sizeof(c));
	ASSERT_EQ(waitpid(c, &st, 0), c);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 42);
	ASSERT_OK(prctl(PR_SET_CHILD_SUBREAPER, 0));
	ASSERT_OK(prctl(PR_GET_CHILD_SUBREAPER, &flag));
	EXPECT_EQ(flag, 0);
}

TEST(prctl, dumpable)
{
	int st;
	pid_t pid;

	EXPECT_EQ(prctl(PR_GET_DUMPABLE), 1);
	EXPECT_ERRNO(prctl(PR_SET_DUMPABLE, 2), EINVAL);
	EXPECT_ERRNO(prctl(PR_SET_DUMPABLE, -1), EINVAL);
	ASSERT_OK(prctl(PR_SET_DUMPABLE, 0));
	EXPECT_EQ(prctl(PR_GET_DUMPABLE), 0);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0)
		_exit(prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
	ASSERT_OK(waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_OK(prctl(PR_SET_DUMPABLE, 1));
	EXPECT_EQ(prctl(PR_GET_DUMPABLE), 1);
}

TEST(prctl, no_new_privs_is_sticky_and_inherited)
{
	int st;
	pid_t pid;

	EXPECT_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	EXPECT_ERRNO(prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	EXPECT_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), EINVAL);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	EXPECT_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	EXPECT_ERRNO(prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
	ASSERT_OK(waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(prctl, timer_slack)
{
	long orig = prctl(PR_GET_TIMERSLACK);

	EXPECT_TRUE(orig > 0);
	ASSERT_OK(prctl(PR_SET_TIMERSLACK, 12345));
	EXPECT_EQ(prctl(PR_GET_TIMERSLACK), 12345);
	/* 0 puts the default back. */
	ASSERT_OK(prctl(PR_SET_TIMERSLACK, 0));
	EXPECT_EQ(prctl(PR_GET_TIMERSLACK), orig);
}

TEST(prctl, capbset_seccomp_and_unknown_options)
{
	EXPECT_EQ(prctl(PR_CAPBSET_READ, 0), 1);	/* CAP_CHOWN */
	EXPECT_ERRNO(prctl(PR_CAPBSET_READ, 41), EINVAL);
	EXPECT_ERRNO(prctl(PR_CAPBSET_READ, -1), EINVAL);
	EXPECT_EQ(prctl(PR_GET_SECCOMP), 0);
	EXPECT_ERRNO(prctl(12345), EINVAL);
	EXPECT_ERRNO(prctl(-1), EINVAL);
}

/*
 * A zombie handed to a new parent is reported to it with SIGCHLD, as
 * Linux's reparenting does: an init (or subreaper) that reaps on SIGCHLD
 * would otherwise never learn of it. The middle process is cloned with no
 * exit signal, so the only SIGCHLD is the orphaned grandchild's.
 * Regression: zombies reparented to PID 1 piled up under fault injection.
 */
TEST(prctl, reparented_zombie_sends_sigchld)
{
	struct timespec limit = { .tv_sec = 10 };
	int fds[2], status;
	sigset_t chld;
	siginfo_t si;
	pid_t mid, grandchild = 0;

	ASSERT_OK(prctl(PR_SET_CHILD_SUBREAPER, 1));
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	ASSERT_OK(sigprocmask(SIG_BLOCK, &chld, NULL));
	ASSERT_OK(pipe(fds));
	mid = ASSERT_OK(syscall(SYS_clone, 0, 0, 0, 0, 0));	/* exit signal 0 */
	if (mid == 0) {
		pid_t g = fork();
		char path[64], state = 0;

		if (g == 0)
			_exit(7);
		snprintf(path, sizeof(path), "/proc/%d/stat", g);
		/* Leave only once the grandchild is a zombie, unreaped. */
		for (int i = 0; i < 1000 && state != 'Z'; i++) {
			FILE *f = fopen(path, "r");

			state = 0;
			if (f) {
				if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
					state = 0;
				fclose(f);
			}
			if (state != 'Z')
				usleep(10000);
		}
		if (write(fds[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		_exit(state == 'Z' ? 0 : 2);
	}
	close(fds[1]);
	ASSERT_EQ(read(fds[0], &grandchild, sizeof(grandchild)), (ssize_t)sizeof(grandchild));
	close(fds[0]);
	ASSERT_EQ(waitpid(mid, &status, __WALL), mid);
	EXPECT_EQ(status, 0);
	ASSERT_EQ(sigtimedwait(&chld, &si, &limit), SIGCHLD);
	EXPECT_EQ(si.si_pid, grandchild);
	EXPECT_EQ(si.si_code, CLD_EXITED);
	EXPECT_EQ(si.si_status, 7);
	EXPECT_EQ(waitpid(grandchild, &status, 0), grandchild);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}
