/*
 * POSIX timer tests (timer_create(2)): argument errors and EFAULT, the
 * SI_TIMER siginfo (si_timerid, si_overrun, si_value), the default
 * sigevent, periodic timers and overrun counting, relative and absolute
 * deadlines on the monotonic and realtime clocks, SIGEV_NONE,
 * SIGEV_THREAD_ID and musl's SIGEV_THREAD, a CPU-time clock, and timers
 * not inherited by fork nor kept by execve.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MS 1000000LL

/* The kernel's struct sigevent (64 bytes). */
struct ksigevent {
	union sigval value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

static long ktimer_create(int clock, struct ksigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clock, ev, id);
}

static long ktimer_settime(int id, int flags, const struct itimerspec *nv, struct itimerspec *ov)
{
	return syscall(SYS_timer_settime, id, flags, nv, ov);
}

static long ktimer_gettime(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}

static struct itimerspec its_ms(long value_ms, long interval_ms)
{
	struct itimerspec its = {
		.it_value = { value_ms / 1000, (value_ms % 1000) * MS },
		.it_interval = { interval_ms / 1000, (interval_ms % 1000) * MS },
	};
	return its;
}

static long long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Waits up to @ms for @sig (blocked); its si_code, or -1 on timeout. */
static int wait_sig(int sig, siginfo_t *si, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * MS };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	if (sigtimedwait(&set, si, &ts) != sig)
		return -1;
	return si->si_code;
}

static int sig_pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

static int signal_timer(int clock, int sig, long cookie)
{
	struct ksigevent ev = { .notify = SIGEV_SIGNAL, .signo = sig };
	int id = -1;

	ev.value.sival_ptr = (void *)cookie;
	if (ktimer_create(clock, &ev, &id))
		return -1;
	return id;
}

TEST(timers, create_errors)
{
	struct ksigevent ev = { .notify = SIGEV_SIGNAL, .signo = SIGUSR1 };
	int id;

	EXPECT_ERRNO(ktimer_create(100, &ev, &id), EINVAL);
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC_RAW, &ev, &id), EOPNOTSUPP);
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC_COARSE, &ev, &id), EOPNOTSUPP);
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, unmapped_page(), &id), EFAULT);
	ev.signo = 0;
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev.signo = 65;
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev.signo = SIGUSR1;
	ev.notify = 99;
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	/* SIGEV_THREAD_ID must name a thread of the caller's process. */
	ev.notify = SIGEV_SIGNAL | SIGEV_THREAD_ID;
	ev.tid = getppid();
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev.tid = 0x7ffffff0;
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev.notify = SIGEV_SIGNAL;
	EXPECT_ERRNO(ktimer_create(CLOCK_MONOTONIC, &ev, unmapped_page()), EFAULT);
	/* SIGEV_NONE needs no signal number. */
	ev.notify = SIGEV_NONE;
	ev.signo = 0;
	ASSERT_OK(ktimer_create(CLOCK_MONOTONIC, &ev, &id));
	EXPECT_GE(id, 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, id_errors)
{
	struct itimerspec its = its_ms(100, 0), bad = its_ms(100, 0);
	int id = signal_timer(CLOCK_MONOTONIC, SIGUSR1, 0);

	ASSERT_GE(id, 0);
	EXPECT_ERRNO(ktimer_settime(id + 1000, 0, &its, NULL), EINVAL);
	EXPECT_ERRNO(ktimer_settime(id, 0, NULL, NULL), EINVAL);
	EXPECT_ERRNO(ktimer_settime(id, 0, unmapped_page(), NULL), EFAULT);
	bad.it_value.tv_nsec = 1000000000;
	EXPECT_ERRNO(ktimer_settime(id, 0, &bad, NULL), EINVAL);
	bad = its;
	bad.it_interval.tv_nsec = -1;
	EXPECT_ERRNO(ktimer_settime(id, 0, &bad, NULL), EINVAL);
	bad = its;
	bad.it_value.tv_sec = -1;
	EXPECT_ERRNO(ktimer_settime(id, 0, &bad, NULL), EINVAL);
	EXPECT_ERRNO(ktimer_gettime(id + 1000, &its), EINVAL);
	EXPECT_ERRNO(ktimer_gettime(id, unmapped_page()), EFAULT);
	EXPECT_ERRNO(syscall(SYS_timer_getoverrun, id + 1000), EINVAL);
	EXPECT_ERRNO(syscall(SYS_timer_delete, id + 1000), EINVAL);
	EXPECT_ERRNO(syscall(SYS_timer_delete, -1), EINVAL);
	EXPECT_OK(syscall(SYS_timer_delete, id));
	EXPECT_ERRNO(syscall(SYS_timer_delete, id), EINVAL);
	EXPECT_ERRNO(ktimer_gettime(id, &its), EINVAL);
}

TEST(timers, oneshot_siginfo)
{
	struct itimerspec its = its_ms(30, 0), cur;
	long long t0 = now_ns();
	siginfo_t si;
	int id;

	block(SIGRTMIN);
	id = signal_timer(CLOCK_MONOTONIC, SIGRTMIN, 0x1234567);
	ASSERT_GE(id, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 30 * MS);
	EXPECT_EQ(ts_ns(&cur.it_interval), 0);
	ASSERT_EQ(wait_sig(SIGRTMIN, &si, 2000), SI_TIMER);
	EXPECT_GE(now_ns() - t0, 25 * MS);
	EXPECT_EQ(si.si_signo, SIGRTMIN);
	EXPECT_EQ(si.si_timerid, id);
	EXPECT_EQ(si.si_overrun, 0);
	EXPECT_EQ((long)si.si_value.sival_ptr, 0x1234567);
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_EQ(ts_ns(&cur.it_value), 0);
	/* One-shot: nothing more comes. */
	EXPECT_EQ(wait_sig(SIGRTMIN, &si, 60), -1);
	EXPECT_EQ(syscall(SYS_timer_getoverrun, id), 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, default_sigevent)
{
	struct itimerspec its = its_ms(10, 0);
	siginfo_t si;
	int id = -1;

	block(SIGALRM);
	ASSERT_OK(ktimer_create(CLOCK_REALTIME, NULL, &id));
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	ASSERT_EQ(wait_sig(SIGALRM, &si, 2000), SI_TIMER);
	EXPECT_EQ(si.si_timerid, id);
	EXPECT_EQ(si.si_value.sival_int, id);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, periodic_overrun)
{
	struct itimerspec its = its_ms(10, 10), cur;
	long long t0;
	siginfo_t si;
	int id, n;

	block(SIGUSR1);
	id = signal_timer(CLOCK_MONOTONIC, SIGUSR1, 7);
	ASSERT_GE(id, 0);
	t0 = now_ns();
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_EQ(ts_ns(&cur.it_interval), 10 * MS);
	usleep(120000);
	/* One queued signal stands for every expiration since (at most one per 10 ms passed). */
	ASSERT_EQ(wait_sig(SIGUSR1, &si, 2000), SI_TIMER);
	EXPECT_GE(si.si_overrun, 5);
	EXPECT_LE(si.si_overrun, (now_ns() - t0) / (10 * MS));
	EXPECT_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
	/* It keeps firing. */
	for (n = 0; n < 3; n++)
		EXPECT_EQ(wait_sig(SIGUSR1, &si, 2000), SI_TIMER);
	EXPECT_EQ(syscall(SYS_timer_getoverrun, id), si.si_overrun);
	/* Disarming returns the old setting, and stops it. */
	its = its_ms(0, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 10 * MS);
	EXPECT_EQ(ts_ns(&cur.it_interval), 10 * MS);
	wait_sig(SIGUSR1, &si, 0);
	EXPECT_EQ(wait_sig(SIGUSR1, &si, 50), -1);
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_EQ(ts_ns(&cur.it_value), 0);
	EXPECT_EQ(ts_ns(&cur.it_interval), 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, old_value_and_rearm)
{
	struct itimerspec its = its_ms(5000, 500), old, cur;
	int id = signal_timer(CLOCK_BOOTTIME, SIGUSR2, 0);

	block(SIGUSR2);
	ASSERT_GE(id, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, &old));
	EXPECT_EQ(ts_ns(&old.it_value), 0);
	EXPECT_EQ(ts_ns(&old.it_interval), 0);
	its = its_ms(3000, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, &old));
	EXPECT_GT(ts_ns(&old.it_value), 4000 * MS);
	EXPECT_LE(ts_ns(&old.it_value), 5000 * MS);
	EXPECT_EQ(ts_ns(&old.it_interval), 500 * MS);
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 2000 * MS);
	EXPECT_LE(ts_ns(&cur.it_value), 3000 * MS);
	EXPECT_ERRNO(ktimer_settime(id, 0, &its, unmapped_page()), EFAULT);
	/* The EFAULT on the old value came after the timer was set. */
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 2000 * MS);
	EXPECT_OK(syscall(SYS_timer_delete, id));
	EXPECT_EQ(sig_pending(SIGUSR2), 0);
}

static void abs_deadline(int clock)
{
	struct itimerspec its = its_ms(0, 0);
	struct timespec now;
	long long t0 = now_ns();
	siginfo_t si;
	int id;

	block(SIGUSR1);
	id = signal_timer(clock, SIGUSR1, 0);
	ASSERT_GE(id, 0);
	clock_gettime(clock, &now);
	its.it_value = now;
	its.it_value.tv_nsec += 40 * MS;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	ASSERT_OK(ktimer_settime(id, TIMER_ABSTIME, &its, NULL));
	ASSERT_EQ(wait_sig(SIGUSR1, &si, 2000), SI_TIMER);
	EXPECT_GE(now_ns() - t0, 35 * MS);
	/* A deadline in the past fires at once. */
	its.it_value.tv_sec = 0;
	its.it_value.tv_nsec = 1;
	ASSERT_OK(ktimer_settime(id, TIMER_ABSTIME, &its, NULL));
	EXPECT_EQ(wait_sig(SIGUSR1, &si, 2000), SI_TIMER);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, abstime_monotonic)
{
	abs_deadline(CLOCK_MONOTONIC);
}

TEST(timers, abstime_realtime)
{
	abs_deadline(CLOCK_REALTIME);
}

TEST(timers, sigev_none)
{
	struct ksigevent ev = { .notify = SIGEV_NONE, .signo = SIGUSR1 };
	struct itimerspec its = its_ms(50, 0), cur;
	siginfo_t si;
	int id = -1;

	block(SIGUSR1);
	ASSERT_OK(ktimer_create(CLOCK_MONOTONIC, &ev, &id));
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 50 * MS);
	EXPECT_EQ(wait_sig(SIGUSR1, &si, 150), -1);
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_EQ(ts_ns(&cur.it_value), 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

static volatile int thread_tid;
static volatile int thread_got;

static void *tid_waiter(void *arg)
{
	siginfo_t si;

	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	if (wait_sig(SIGUSR2, &si, 3000) == SI_TIMER)
		thread_got = si.si_timerid + 1;
	return NULL;
}

TEST(timers, sigev_thread_id)
{
	struct ksigevent ev = { .notify = SIGEV_SIGNAL | SIGEV_THREAD_ID, .signo = SIGUSR2 };
	struct itimerspec its = its_ms(20, 0);
	pthread_t th;
	long long t0;
	int id = -1;

	block(SIGUSR2);
	thread_tid = 0;
	thread_got = 0;
	ASSERT_EQ(pthread_create(&th, NULL, tid_waiter, NULL), 0);
	while (!thread_tid)
		usleep(1000);
	ev.tid = thread_tid;
	ASSERT_OK(ktimer_create(CLOCK_MONOTONIC, &ev, &id));
	t0 = now_ns();
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	pthread_join(th, NULL);
	/* Thread-directed: the waiting thread took it, the process has none left. */
	EXPECT_EQ(thread_got, id + 1);
	/* It woke the sleeping thread at once, not at its sigtimedwait timeout. */
	EXPECT_LT(now_ns() - t0, 1500 * MS);
	EXPECT_EQ(sig_pending(SIGUSR2), 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

static volatile int notify_count;
static volatile int notify_value;

static void on_timer(union sigval v)
{
	notify_value = v.sival_int;
	__atomic_add_fetch(&notify_count, 1, __ATOMIC_SEQ_CST);
}

TEST(timers, libc_sigev_thread)
{
	struct sigevent sev;
	struct itimerspec its = its_ms(20, 20);
	long long t0;
	timer_t tm;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = on_timer;
	sev.sigev_value.sival_int = 4242;
	notify_count = 0;
	ASSERT_OK(timer_create(CLOCK_MONOTONIC, &sev, &tm));
	ASSERT_OK(timer_settime(tm, 0, &its, NULL));
	t0 = now_ns();
	while (notify_count < 3 && now_ns() - t0 < 3000 * MS)
		usleep(5000);
	EXPECT_GE(notify_count, 3);
	EXPECT_EQ(notify_value, 4242);
	EXPECT_OK(timer_delete(tm));
}

TEST(timers, cputime_clock)
{
	struct itimerspec its = its_ms(40, 0), cur;
	long long t0 = now_ns();
	siginfo_t si;
	int id, got = 0;

	block(SIGUSR1);
	id = signal_timer(CLOCK_PROCESS_CPUTIME_ID, SIGUSR1, 0);
	ASSERT_GE(id, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	ASSERT_OK(ktimer_gettime(id, &cur));
	EXPECT_GT(ts_ns(&cur.it_value), 0);
	EXPECT_LE(ts_ns(&cur.it_value), 40 * MS);
	/* Sleeping uses no CPU time: it does not fire. */
	EXPECT_EQ(wait_sig(SIGUSR1, &si, 100), -1);
	/* Spinning does. */
	while (!got && now_ns() - t0 < 5000 * MS)
		got = sig_pending(SIGUSR1);
	EXPECT_EQ(got, 1);
	EXPECT_EQ(wait_sig(SIGUSR1, &si, 0), SI_TIMER);
	EXPECT_EQ(si.si_timerid, id);
	EXPECT_OK(syscall(SYS_timer_delete, id));

	id = signal_timer(CLOCK_THREAD_CPUTIME_ID, SIGUSR1, 0);
	ASSERT_GE(id, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	got = 0;
	t0 = now_ns();
	while (!got && now_ns() - t0 < 5000 * MS)
		got = sig_pending(SIGUSR1);
	EXPECT_EQ(got, 1);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

static void child_has_no_timer(void *arg)
{
	struct itimerspec cur;

	if (ktimer_gettime((int)(long)arg, &cur) != -1 || errno != EINVAL)
		_exit(3);
}

TEST(timers, fork_and_exec)
{
	struct itimerspec its = its_ms(5000, 0);
	char idstr[16];
	int id, st;

	block(SIGUSR1);
	id = signal_timer(CLOCK_MONOTONIC, SIGUSR1, 0);
	ASSERT_GE(id, 0);
	ASSERT_OK(ktimer_settime(id, 0, &its, NULL));
	st = run_child(child_has_no_timer, (void *)(long)id);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* execve drops them: the new image has no timer @id. */
	snprintf(idstr, sizeof(idstr), "%d", id);
	{
		char *argv[] = { (char *)harness_self, HELPER_ARG, "timer", idstr, NULL };
		char *envp[] = { NULL };
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (pid == 0) {
			execve(harness_self, argv, envp);
			_exit(127);
		}
		waitpid(pid, &st, 0);
	}
	EXPECT_TRUE(WIFEXITED(st));
	/* The helper exits 0 when timer_gettime(@id) is EINVAL. */
	EXPECT_EQ(WEXITSTATUS(st), 0);
	EXPECT_OK(syscall(SYS_timer_delete, id));
}

TEST(timers, exec_kills_armed_timer)
{
	/* A timer armed before execve must not signal the new image. */
	struct itimerspec its = its_ms(30, 0);
	pid_t pid;
	int st;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char *argv[] = { (char *)harness_self, HELPER_ARG, "sleepms", "150", NULL };
		char *envp[] = { NULL };
		int id = signal_timer(CLOCK_MONOTONIC, SIGTERM, 0);

		if (id < 0 || ktimer_settime(id, 0, &its, NULL))
			_exit(2);
		execve(harness_self, argv, envp);
		_exit(127);
	}
	ASSERT_EQ(waitpid(pid, &st, 0), pid);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(WEXITSTATUS(st), 0);
}

TEST(timers, rlimit_sigpending)
{
	struct rlimit rl = { 4, 4 };
	int ids[10], n = 0, i, eagain = 0;

	/* Each timer reserves a queued signal against RLIMIT_SIGPENDING. */
	ASSERT_OK(setrlimit(RLIMIT_SIGPENDING, &rl));
	for (i = 0; i < 10; i++) {
		int id = signal_timer(CLOCK_MONOTONIC, SIGUSR1, 0);

		if (id >= 0)
			ids[n++] = id;
		else if (errno == EAGAIN)
			eagain++;
	}
	EXPECT_LE(n, 4);
	EXPECT_EQ(n + eagain, 10);
	/* Deleting one makes room again. */
	if (n) {
		EXPECT_OK(syscall(SYS_timer_delete, ids[--n]));
		i = signal_timer(CLOCK_MONOTONIC, SIGUSR1, 0);
		EXPECT_GE(i, 0);
		if (i >= 0)
			ids[n++] = i;
	}
	while (n)
		EXPECT_OK(syscall(SYS_timer_delete, ids[--n]));
}
