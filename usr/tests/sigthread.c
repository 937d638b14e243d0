/*
 * Signals and thread groups: process-directed signals go to a thread that
 * does not block them (or wait in the shared set for sigwait), sigpending
 * reports shared and private signals, tgkill reaches exactly one thread,
 * job-control stops and continues every thread with one report each, a
 * fatal signal ends the whole group, ppoll/pselect install their mask for
 * the wait, poll/select restart after a stop, and a thread spinning in
 * user mode on another CPU takes a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static long gettid_raw(void)
{
	return syscall(SYS_gettid);
}

static void block_signal(int sig, int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	ASSERT_EQ(pthread_sigmask(how, &set, NULL), 0);
}

static int is_pending(int sig)
{
	sigset_t set;

	ASSERT_OK(sigpending(&set));
	return sigismember(&set, sig);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --- which thread takes a process-directed signal ---------------------------------- */

static volatile sig_atomic_t handler_tid;

static void record_tid(int sig)
{
	(void)sig;
	handler_tid = (sig_atomic_t)gettid_raw();
}

static volatile long worker_tid;

/* Reports its tid, then waits (in user mode and in sleeps) until a handler ran. */
static void *wait_for_handler(void *arg)
{
	(void)arg;
	worker_tid = gettid_raw();
	while (!handler_tid)
		sleep_ms(1);
	return NULL;
}

static void install_record_tid(int sig)
{
	struct sigaction sa = { .sa_handler = record_tid };

	handler_tid = 0;
	ASSERT_OK(sigaction(sig, &sa, NULL));
}

/* Starts @fn in a new thread and waits until it has set worker_tid. */
static pthread_t start_worker(void *(*fn)(void *))
{
	pthread_t t;

	worker_tid = 0;
	ASSERT_EQ(pthread_create(&t, NULL, fn, NULL), 0);
	while (!worker_tid)
		sched_yield();
	return t;
}

TEST(sigthread, kill_goes_to_a_thread_that_does_not_block_it)
{
	pthread_t t;

	install_record_tid(SIGUSR1);
	t = start_worker(wait_for_handler);
	/* Only the main thread blocks it: the process-directed signal must go to the worker. */
	block_signal(SIGUSR1, SIG_BLOCK);
	ASSERT_OK(kill(getpid(), SIGUSR1));
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ((long)handler_tid, worker_tid);
	EXPECT_NE((long)handler_tid, gettid_raw());
	EXPECT_EQ(is_pending(SIGUSR1), 0);
}

static volatile int sigwait_got;

static void *sigwait_usr2(void *arg)
{
	sigset_t set;
	int sig = 0;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	/* Pending in the shared set: visible here too, and sigwait takes it. */
	if (!is_pending(SIGUSR2))
		sigwait_got = -1;
	else if (sigwait(&set, &sig) == 0)
		sigwait_got = sig;
	return NULL;
}

TEST(sigthread, blocked_everywhere_stays_pending_for_sigwait)
{
	pthread_t t;

	install_record_tid(SIGUSR2);
	sigwait_got = 0;
	block_signal(SIGUSR2, SIG_BLOCK);	/* inherited by the thread */
	ASSERT_OK(kill(getpid(), SIGUSR2));
	sleep_ms(20);
	EXPECT_EQ(is_pending(SIGUSR2), 1);
	EXPECT_EQ((long)handler_tid, 0L);
	ASSERT_EQ(pthread_create(&t, NULL, sigwait_usr2, NULL), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(sigwait_got, SIGUSR2);
	EXPECT_EQ(is_pending(SIGUSR2), 0);
	EXPECT_EQ((long)handler_tid, 0L);
}

static int wake_pipe[2];

/* Unblocks SIGUSR2 and sleeps in read(): a handler run ends the read with EINTR. */
static void *read_until_handler(void *arg)
{
	char c;

	(void)arg;
	block_signal(SIGUSR2, SIG_UNBLOCK);
	worker_tid = gettid_raw();
	while (!handler_tid && read(wake_pipe[0], &c, 1) != 1)
		;
	return NULL;
}

static void *send_usr1_then_usr2(void *arg)
{
	(void)arg;
	sleep_ms(50);	/* the main thread is asleep in sigtimedwait by now */
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	return NULL;
}

/*
 * sigtimedwait unblocks what it waits for; both signals may be pending when
 * it wakes, it takes one, and the mask it restores blocks the other again:
 * that one must go to the thread that does not block it, asleep in read().
 */
TEST_TIMEOUT(sigthread, sigtimedwait_passes_on_the_signal_it_left, 20)
{
	struct timespec timeout = { 5, 0 };
	pthread_t worker, sender;
	sigset_t set;
	int i;

	install_record_tid(SIGUSR2);	/* no SA_RESTART: the worker's read ends */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &set, NULL), 0);
	ASSERT_OK(pipe(wake_pipe));
	worker = start_worker(read_until_handler);
	ASSERT_EQ(pthread_create(&sender, NULL, send_usr1_then_usr2, NULL), 0);
	EXPECT_EQ(sigtimedwait(&set, NULL, &timeout), SIGUSR1);
	for (i = 0; i < 200 && !handler_tid; i++)
		sleep_ms(10);
	EXPECT_EQ((long)handler_tid, worker_tid);
	ASSERT_EQ(write(wake_pipe[1], "x", 1), 1);	/* frees the worker if it never woke */
	ASSERT_EQ(pthread_join(sender, NULL), 0);
	ASSERT_EQ(pthread_join(worker, NULL), 0);
	EXPECT_EQ(is_pending(SIGUSR2), 0);
}

/* The other thread's view of sigpending, reported through these. */
static volatile int peer_step, peer_usr1, peer_usr2;

static void *report_pending(void *arg)
{
	(void)arg;
	worker_tid = gettid_raw();
	while (peer_step != 1)
		sched_yield();
	peer_usr1 = is_pending(SIGUSR1);
	peer_usr2 = is_pending(SIGUSR2);
	peer_step = 2;
	return NULL;
}

TEST(sigthread, sigpending_is_private_and_shared)
{
	pthread_t t;

	peer_step = 0;
	block_signal(SIGUSR1, SIG_BLOCK);
	block_signal(SIGUSR2, SIG_BLOCK);
	t = start_worker(report_pending);
	/* USR1 to the worker alone (private), USR2 to the process (shared). */
	ASSERT_OK(syscall(SYS_tgkill, getpid(), worker_tid, SIGUSR1));
	ASSERT_OK(kill(getpid(), SIGUSR2));
	EXPECT_EQ(is_pending(SIGUSR1), 0);
	EXPECT_EQ(is_pending(SIGUSR2), 1);
	peer_step = 1;
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(peer_usr1, 1);
	EXPECT_EQ(peer_usr2, 1);
}

#define NWORKERS 3
static volatile long tids[NWORKERS];
static volatile int hits[NWORKERS], stop_workers;
static __thread int my_index = -1;

static void count_hit(int sig)
{
	(void)sig;
	if (my_index >= 0)
		hits[my_index]++;
}

static void *indexed_worker(void *arg)
{
	my_index = (int)(long)arg;
	tids[my_index] = gettid_raw();
	while (!stop_workers)
		sleep_ms(1);
	return NULL;
}

TEST(sigthread, tgkill_reaches_exactly_that_thread)
{
	struct sigaction sa = { .sa_handler = count_hit };
	pthread_t t[NWORKERS];

	stop_workers = 0;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	for (int i = 0; i < NWORKERS; i++) {
		tids[i] = 0;
		hits[i] = 0;
		ASSERT_EQ(pthread_create(&t[i], NULL, indexed_worker, (void *)(long)i), 0);
	}
	for (int i = 0; i < NWORKERS; i++)
		while (!tids[i])
			sched_yield();
	ASSERT_OK(syscall(SYS_tgkill, getpid(), tids[1], SIGUSR1));
	for (int i = 0; i < 5000 && !hits[1]; i++)
		sleep_ms(1);
	stop_workers = 1;
	for (int i = 0; i < NWORKERS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	EXPECT_EQ(hits[0], 0);
	EXPECT_EQ(hits[1], 1);
	EXPECT_EQ(hits[2], 0);
	/* A thread of another process, or one that is not there: ESRCH. */
	EXPECT_ERRNO(syscall(SYS_tgkill, getppid(), tids[1], SIGUSR1), ESRCH);
}

/* --- job control and fatal signals on a process of several threads --------------- */

/* Shared with the child: one counter per spinning thread (main included), and their tids. */
struct spin_area {
	volatile unsigned long count[NWORKERS + 1];
	volatile long tid[NWORKERS + 1];
};

static struct spin_area *spin;

static void *spin_worker(void *arg)
{
	int i = (int)(long)arg;

	spin->tid[i] = gettid_raw();
	for (;;)
		spin->count[i]++;
	return NULL;
}

/* The child: NWORKERS spinning threads and a spinning main thread. */
static pid_t fork_spinners(void)
{
	pid_t pid;

	spin = mmap(NULL, sizeof(*spin), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(spin != MAP_FAILED);
	memset((void *)spin, 0, sizeof(*spin));
	/*
	 * Its own process group, whose link outside (us) keeps it from being
	 * orphaned even when the runner is init: SIGTSTP must stop it (POSIX).
	 */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		pthread_t t;

		setpgid(0, 0);
		for (int i = 1; i <= NWORKERS; i++)
			if (pthread_create(&t, NULL, spin_worker, (void *)(long)i))
				_exit(2);
		spin_worker((void *)0L);
	}
	setpgid(pid, pid);
	for (int i = 0; i <= NWORKERS; i++)
		while (!spin->count[i])
			sleep_ms(1);
	return pid;
}

static void snapshot(unsigned long *out)
{
	for (int i = 0; i <= NWORKERS; i++)
		out[i] = spin->count[i];
}

/* The state letter of /proc/PID/stat (the process's main thread). */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* @pid ends, killed by @sig. */
static void expect_killed_by(pid_t pid, int sig)
{
	int status;

	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), sig);
}

/* The spinners' process reports one stop by @sig, and then no thread makes progress. */
static void expect_group_stopped(pid_t pid, int sig)
{
	unsigned long a[NWORKERS + 1], b[NWORKERS + 1];
	int status;

	ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
	EXPECT_TRUE(WIFSTOPPED(status));
	EXPECT_EQ(WSTOPSIG(status), sig);
	EXPECT_EQ(proc_state(pid), 'T');
	snapshot(a);
	sleep_ms(100);
	snapshot(b);
	for (int i = 0; i <= NWORKERS; i++)
		EXPECT_EQ(b[i], a[i]);
	/* The stop is reported once, not once per thread. */
	EXPECT_EQ(waitpid(pid, &status, WUNTRACED | WNOHANG), 0);
}

TEST_TIMEOUT(sigthread, stop_and_continue_every_thread, 20)
{
	unsigned long a[NWORKERS + 1], b[NWORKERS + 1];
	int status;
	pid_t pid = fork_spinners();

	ASSERT_OK(kill(pid, SIGSTOP));
	expect_group_stopped(pid, SIGSTOP);

	ASSERT_OK(kill(pid, SIGCONT));
	ASSERT_EQ(waitpid(pid, &status, WCONTINUED), pid);
	EXPECT_TRUE(WIFCONTINUED(status));
	EXPECT_EQ(waitpid(pid, &status, WCONTINUED | WUNTRACED | WNOHANG), 0);
	/* Every thread runs again. */
	snapshot(a);
	for (int i = 0; i <= NWORKERS; i++)
		for (int n = 0; n < 5000 && spin->count[i] == a[i]; n++)
			sleep_ms(1);
	snapshot(b);
	for (int i = 0; i <= NWORKERS; i++)
		EXPECT_NE(b[i], a[i]);

	ASSERT_OK(kill(pid, SIGKILL));
	expect_killed_by(pid, SIGKILL);
}

/* New spinners, and @sig to their thread @i alone. */
static pid_t spinners_tgkill(int i, int sig)
{
	pid_t pid = fork_spinners();

	ASSERT_OK(syscall(SYS_tgkill, pid, spin->tid[i], sig));
	return pid;
}

TEST_TIMEOUT(sigthread, tstp_to_one_thread_stops_the_group, 20)
{
	/* Thread-directed, but a stop is a process-wide action. */
	pid_t pid = spinners_tgkill(2, SIGTSTP);

	expect_group_stopped(pid, SIGTSTP);
	/* SIGKILL ends a stopped process at once. */
	ASSERT_OK(kill(pid, SIGKILL));
	expect_killed_by(pid, SIGKILL);
}

TEST_TIMEOUT(sigthread, fatal_signal_to_one_thread_ends_the_group, 20)
{
	expect_killed_by(spinners_tgkill(3, SIGTERM), SIGTERM);
}

static void usr1_blocked_in_main_then_spin(void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, wait_for_handler, NULL))
		_exit(2);
	block_signal(SIGUSR1, SIG_BLOCK);
	kill(getppid(), SIGUSR2);	/* ready */
	for (;;)
		pause();
}

TEST_TIMEOUT(sigthread, group_exit_status_is_the_fatal_signal, 20)
{
	sigset_t set, old;
	int sig;
	pid_t pid;

	/* The child's main thread blocks SIGUSR1; the other thread takes it and all die. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_OK(sigprocmask(SIG_BLOCK, &set, &old));
	pid = ASSERT_OK(fork());
	if (pid == 0)
		usr1_blocked_in_main_then_spin(NULL);
	ASSERT_EQ(sigwait(&set, &sig), 0);
	ASSERT_OK(kill(pid, SIGUSR1));
	expect_killed_by(pid, SIGUSR1);
	ASSERT_OK(sigprocmask(SIG_SETMASK, &old, NULL));
}

static void segv_in_thread_body(void)
{
	*(volatile int *)unmapped_page() = 1;
}

static void *segv_thread(void *arg)
{
	(void)arg;
	segv_in_thread_body();
	return NULL;
}

static void fault_in_a_thread(void *arg)
{
	pthread_t t;

	(void)arg;
	if (pthread_create(&t, NULL, segv_thread, NULL))
		_exit(2);
	for (;;)
		pause();
}

TEST(sigthread, fault_in_a_thread_ends_the_group)
{
	int status = run_child(fault_in_a_thread, NULL);

	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

/* --- ppoll, pselect6 and restarts ---------------------------------------------------- */

static volatile sig_atomic_t handled;
static volatile int handler_saw_usr1_in_uc;

static void note_handled(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	handled++;
	/* The frame records the caller's mask, not the one the wait installed. */
	handler_saw_usr1_in_uc = sigismember(&uc->uc_sigmask, SIGUSR1);
}

static void install_usr1(int flags)
{
	struct sigaction sa = { .sa_sigaction = note_handled, .sa_flags = SA_SIGINFO | flags };

	handled = 0;
	handler_saw_usr1_in_uc = -1;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
}

TEST(sigthread, ppoll_mask_lets_a_pending_signal_in)
{
	struct timespec ts = { 5, 0 };
	struct pollfd pfd;
	sigset_t empty;
	int p[2];

	install_usr1(0);
	ASSERT_OK(pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	block_signal(SIGUSR1, SIG_BLOCK);
	ASSERT_OK(raise(SIGUSR1));
	EXPECT_EQ(handled, 0);
	sigemptyset(&empty);
	EXPECT_ERRNO(syscall(SYS_ppoll, &pfd, 1, &ts, &empty, 8), EINTR);
	EXPECT_EQ(handled, 1);
	EXPECT_EQ(handler_saw_usr1_in_uc, 1);
	/* The original mask is back. */
	EXPECT_EQ(is_pending(SIGUSR1), 0);
	{
		sigset_t now;

		ASSERT_EQ(pthread_sigmask(SIG_SETMASK, NULL, &now), 0);
		EXPECT_EQ(sigismember(&now, SIGUSR1), 1);
	}
}

TEST(sigthread, ppoll_mask_during_the_wait)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct sigaction sa = { .sa_sigaction = note_handled, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct timespec ts = { 5, 0 };
	struct pollfd pfd;
	sigset_t mask, now;
	int p[2];

	handled = 0;
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	ASSERT_OK(pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	block_signal(SIGALRM, SIG_BLOCK);
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	ASSERT_EQ(pthread_sigmask(SIG_SETMASK, NULL, &mask), 0);
	sigdelset(&mask, SIGALRM);
	/* Even with SA_RESTART, ppoll fails with EINTR after a handler. */
	EXPECT_ERRNO(syscall(SYS_ppoll, &pfd, 1, &ts, &mask, 8), EINTR);
	EXPECT_EQ(handled, 1);
	ASSERT_EQ(pthread_sigmask(SIG_SETMASK, NULL, &now), 0);
	EXPECT_EQ(sigismember(&now, SIGALRM), 1);
}

TEST(sigthread, pselect_mask_lets_a_pending_signal_in)
{
	struct timespec ts = { 5, 0 };
	sigset_t empty, now;
	fd_set rd;
	int p[2];

	install_usr1(0);
	ASSERT_OK(pipe(p));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	block_signal(SIGUSR1, SIG_BLOCK);
	ASSERT_OK(raise(SIGUSR1));
	sigemptyset(&empty);
	EXPECT_ERRNO(pselect(p[0] + 1, &rd, NULL, NULL, &ts, &empty), EINTR);
	EXPECT_EQ(handled, 1);
	EXPECT_EQ(handler_saw_usr1_in_uc, 1);
	ASSERT_EQ(pthread_sigmask(SIG_SETMASK, NULL, &now), 0);
	EXPECT_EQ(sigismember(&now, SIGUSR1), 1);
}

TEST(sigthread, poll_and_select_fail_with_eintr_despite_sa_restart)
{
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	struct pollfd pfd;
	struct timeval tv;
	fd_set rd;
	int p[2];

	install_usr1(0);
	{
		struct sigaction sa = { .sa_sigaction = note_handled,
					.sa_flags = SA_SIGINFO | SA_RESTART };

		ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	}
	ASSERT_OK(pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(poll(&pfd, 1, 5000), EINTR);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(select(p[0] + 1, &rd, NULL, NULL, &tv), EINTR);
	EXPECT_EQ(handled, 2);
}

/* The child waits in poll or select (@arg) for the pipe; a stop and continue must not end the wait. */
static int restart_pipe[2];

static void wait_in_poll_or_select(void *arg)
{
	int which = (int)(long)arg, ret;
	struct timespec ts = { 30, 0 };
	struct pollfd pfd = { .fd = restart_pipe[0], .events = POLLIN };
	fd_set rd;

	FD_ZERO(&rd);
	FD_SET(restart_pipe[0], &rd);
	if (which == 0)
		ret = poll(&pfd, 1, -1);
	else if (which == 1)
		ret = (int)syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8);
	else
		ret = select(restart_pipe[0] + 1, &rd, NULL, NULL, NULL);
	_exit(ret == 1 ? 0 : 10 + errno);
}

static void stop_continue_then_write(pid_t pid)
{
	int status;

	sleep_ms(50);
	ASSERT_OK(kill(pid, SIGSTOP));
	ASSERT_EQ(waitpid(pid, &status, WUNTRACED), pid);
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_OK(kill(pid, SIGCONT));
	sleep_ms(50);
	ASSERT_EQ(write(restart_pipe[1], "x", 1), 1);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(sigthread, poll_and_select_restart_after_stop_and_continue)
{
	for (long which = 0; which < 3; which++) {
		pid_t pid;

		ASSERT_OK(pipe(restart_pipe));
		pid = ASSERT_OK(fork());
		if (pid == 0)
			wait_in_poll_or_select((void *)which);
		stop_continue_then_write(pid);
		close(restart_pipe[0]);
		close(restart_pipe[1]);
	}
}

/* --- a thread spinning in user mode on another CPU ----------------------------------- */

static volatile int spinner_flag, spinner_ready;

static void set_spinner_flag(int sig)
{
	(void)sig;
	spinner_flag = 1;
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *spin_until_flag(void *arg)
{
	(void)arg;
	pin_to(1);
	spinner_ready = 1;
	/* No system call in the loop: only the signal (through an interrupt) ends it. */
	while (!spinner_flag)
		;
	return NULL;
}

TEST(sigthread, spinning_thread_on_another_cpu_takes_a_signal)
{
	struct sigaction sa = { .sa_handler = set_spinner_flag };
	pthread_t t;

	spinner_flag = 0;
	spinner_ready = 0;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	pin_to(0);
	ASSERT_EQ(pthread_create(&t, NULL, spin_until_flag, NULL), 0);
	while (!spinner_ready)
		sched_yield();
	sleep_ms(10);
	ASSERT_EQ(pthread_kill(t, SIGUSR1), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(spinner_flag, 1);
}

/* --- interval timers belong to the process ------------------------------------------ */

static volatile sig_atomic_t timer_signals;

static void count_timer_signal(int sig)
{
	(void)sig;
	timer_signals++;
}

static void *arm_real_timer_and_exit(void *arg)
{
	struct itimerval it = { { 0, 0 }, { 0, 500 * 1000 } };

	(void)arg;
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	return NULL;
}

/* A thread arms ITIMER_REAL and exits: the process still gets its SIGALRM. */
TEST(sigthread, real_timer_outlives_the_thread_that_set_it)
{
	struct itimerval now;
	pthread_t th;

	timer_signals = 0;
	signal(SIGALRM, count_timer_signal);
	ASSERT_EQ(pthread_create(&th, NULL, arm_real_timer_and_exit, NULL), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	/* Another thread sees it: it is the process's. */
	ASSERT_OK(getitimer(ITIMER_REAL, &now));
	EXPECT_TRUE(now.it_value.tv_usec > 0 && timer_signals == 0);
	for (int i = 0; i < 200 && !timer_signals; i++)
		sleep_ms(10);
	EXPECT_EQ(timer_signals, 1);
}

static void *burn_cpu(void *arg)
{
	volatile unsigned long *stop = arg;

	while (!*stop)
		;
	return NULL;
}

/* ITIMER_PROF counts every thread's CPU time: a sleeping main thread still gets SIGPROF. */
TEST(sigthread, prof_timer_counts_other_threads)
{
	struct itimerval it = { { 0, 0 }, { 0, 100 * 1000 } };
	static volatile unsigned long stop;
	pthread_t th;

	timer_signals = 0;
	stop = 0;
	signal(SIGPROF, count_timer_signal);
	ASSERT_EQ(pthread_create(&th, NULL, burn_cpu, (void *)&stop), 0);
	ASSERT_OK(setitimer(ITIMER_PROF, &it, NULL));
	for (int i = 0; i < 300 && !timer_signals; i++)
		sleep_ms(10);
	stop = 1;
	ASSERT_EQ(pthread_join(th, NULL), 0);
	EXPECT_EQ(timer_signals, 1);
}

static void exit_with_fast_timer(void *arg)
{
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	struct timespec ts = { 0, 3 * 1000 * 1000 };

	(void)arg;
	signal(SIGALRM, SIG_IGN);
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	nanosleep(&ts, NULL);
}

/* Processes exit with a 1 ms interval timer running: it must stop with them, not fire into freed memory. */
TEST_TIMEOUT(sigthread, exit_with_an_interval_timer_running, 60)
{
	for (int i = 0; i < 200; i++) {
		int st = run_child(exit_with_fast_timer, NULL);

		ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}
