/*
 * Threads (musl pthreads on clone(CLONE_THREAD)): create/join storms,
 * mutexes, condition variables, barriers, rwlocks and semaphores under
 * contention, thread ids, shared memory and files, exit vs exit_group,
 * execve from a thread, thread-directed signals, a TLB shootdown check,
 * and CPU balance across all CPUs from /proc/stat.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define NTHREADS 8

static void *return_arg(void *arg)
{
	return arg;
}

TEST(thread, create_join_returns_value)
{
	pthread_t t;
	void *ret = NULL;

	ASSERT_EQ(pthread_create(&t, NULL, return_arg, (void *)42L), 0);
	ASSERT_EQ(pthread_join(t, &ret), 0);
	EXPECT_EQ((long)ret, 42L);
}

TEST_TIMEOUT(thread, create_join_storm, 60)
{
	for (int round = 0; round < 200; round++) {
		pthread_t t[4];

		for (int i = 0; i < 4; i++)
			ASSERT_EQ(pthread_create(&t[i], NULL, return_arg, (void *)(long)i), 0);
		for (int i = 0; i < 4; i++) {
			void *ret;

			ASSERT_EQ(pthread_join(t[i], &ret), 0);
			EXPECT_EQ((long)ret, (long)i);
		}
	}
}

static void *report_ids(void *arg)
{
	long *ids = arg;

	ids[0] = getpid();
	ids[1] = syscall(SYS_gettid);
	return NULL;
}

TEST(thread, same_pid_different_tid)
{
	long ids[2];
	pthread_t t;

	ASSERT_EQ(pthread_create(&t, NULL, report_ids, ids), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(ids[0], (long)getpid());
	EXPECT_NE(ids[1], (long)getpid());
	EXPECT_EQ(syscall(SYS_gettid), (long)getpid());
}

static void *open_file(void *arg)
{
	return (void *)(long)open((const char *)arg, O_CREAT | O_WRONLY, 0644);
}

TEST(thread, files_shared)
{
	pthread_t t;
	void *fd;

	ASSERT_EQ(pthread_create(&t, NULL, open_file, "thread_file"), 0);
	ASSERT_EQ(pthread_join(t, &fd), 0);
	ASSERT_GE((long)fd, 0);
	EXPECT_EQ(write((int)(long)fd, "x", 1), 1);
	EXPECT_OK(close((int)(long)fd));
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *count_up(void *arg)
{
	for (long i = 0; i < (long)arg; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

TEST_TIMEOUT(thread, mutex_under_contention, 60)
{
	pthread_t t[NTHREADS];

	counter = 0;
	for (int i = 0; i < NTHREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, count_up, (void *)20000L), 0);
	for (int i = 0; i < NTHREADS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	EXPECT_EQ(counter, NTHREADS * 20000L);
}

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_nonempty = PTHREAD_COND_INITIALIZER, q_nonfull = PTHREAD_COND_INITIALIZER;
static int q_items, q_taken;

static void *producer(void *arg)
{
	for (int i = 0; i < (int)(long)arg; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_items >= 4)
			pthread_cond_wait(&q_nonfull, &q_lock);
		q_items++;
		pthread_cond_signal(&q_nonempty);
		pthread_mutex_unlock(&q_lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	for (int i = 0; i < (int)(long)arg; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_items == 0)
			pthread_cond_wait(&q_nonempty, &q_lock);
		q_items--;
		q_taken++;
		pthread_cond_signal(&q_nonfull);
		pthread_mutex_unlock(&q_lock);
	}
	return NULL;
}

TEST_TIMEOUT(thread, condvar_bounded_queue, 60)
{
	pthread_t p[3], c[3];

	q_items = q_taken = 0;
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(pthread_create(&p[i], NULL, producer, (void *)2000L), 0);
		ASSERT_EQ(pthread_create(&c[i], NULL, consumer, (void *)2000L), 0);
	}
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(pthread_join(p[i], NULL), 0);
		ASSERT_EQ(pthread_join(c[i], NULL), 0);
	}
	EXPECT_EQ(q_taken, 6000);
	EXPECT_EQ(q_items, 0);
}

static pthread_barrier_t barrier;
static int phase_seen[NTHREADS];
static int phase;

static void *barrier_worker(void *arg)
{
	int me = (int)(long)arg;

	for (int round = 0; round < 50; round++) {
		phase_seen[me] = round;
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			phase = round;
		/* After the barrier every thread has reached this round. */
		for (int i = 0; i < NTHREADS; i++)
			if (phase_seen[i] < round)
				return (void *)1L;
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

TEST_TIMEOUT(thread, barrier_rounds, 60)
{
	pthread_t t[NTHREADS];

	ASSERT_EQ(pthread_barrier_init(&barrier, NULL, NTHREADS), 0);
	for (int i = 0; i < NTHREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, barrier_worker, (void *)(long)i), 0);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		ASSERT_EQ(pthread_join(t[i], &ret), 0);
		EXPECT_EQ(ret, NULL);
	}
	EXPECT_EQ(phase, 49);
	pthread_barrier_destroy(&barrier);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b;

static void *rw_writer(void *arg)
{
	for (int i = 0; i < 3000; i++) {
		pthread_rwlock_wrlock(&rw);
		rw_a++;
		rw_b++;
		pthread_rwlock_unlock(&rw);
	}
	return arg;
}

static void *rw_reader(void *arg)
{
	for (int i = 0; i < 3000; i++) {
		pthread_rwlock_rdlock(&rw);
		if (rw_a != rw_b) {
			pthread_rwlock_unlock(&rw);
			return (void *)1L;
		}
		pthread_rwlock_unlock(&rw);
	}
	return arg;
}

TEST_TIMEOUT(thread, rwlock_readers_see_consistent_state, 60)
{
	pthread_t t[6];

	rw_a = rw_b = 0;
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, i < 2 ? rw_writer : rw_reader, NULL), 0);
	for (int i = 0; i < 6; i++) {
		void *ret;

		ASSERT_EQ(pthread_join(t[i], &ret), 0);
		EXPECT_EQ(ret, NULL);
	}
	EXPECT_EQ(rw_a, 6000L);
}

static sem_t sem;
static int inside, max_inside;
static pthread_mutex_t inside_lock = PTHREAD_MUTEX_INITIALIZER;

static void *sem_worker(void *arg)
{
	for (int i = 0; i < 300; i++) {
		sem_wait(&sem);
		pthread_mutex_lock(&inside_lock);
		if (++inside > max_inside)
			max_inside = inside;
		pthread_mutex_unlock(&inside_lock);
		sched_yield();
		pthread_mutex_lock(&inside_lock);
		inside--;
		pthread_mutex_unlock(&inside_lock);
		sem_post(&sem);
	}
	return arg;
}

TEST_TIMEOUT(thread, semaphore_limits_concurrency, 60)
{
	pthread_t t[NTHREADS];

	ASSERT_OK(sem_init(&sem, 0, 3));
	inside = max_inside = 0;
	for (int i = 0; i < NTHREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, sem_worker, NULL), 0);
	for (int i = 0; i < NTHREADS; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
	EXPECT_LE(max_inside, 3);
	EXPECT_GE(max_inside, 1);
	sem_destroy(&sem);
}

static void *sleep_forever(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static void two_sleepers_then_exit_group(void *arg)
{
	pthread_t t;

	(void)arg;
	pthread_create(&t, NULL, sleep_forever, NULL);
	pthread_create(&t, NULL, sleep_forever, NULL);
	syscall(SYS_exit_group, 7);
	_exit(1);
}

TEST(thread, exit_group_from_thread_ends_process)
{
	int status = run_child(two_sleepers_then_exit_group, NULL);

	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 7);
}

static void *exit_group_later(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	exit((int)(long)arg);
	return NULL;
}

static void main_thread_leaves_first(void *arg)
{
	pthread_t t;

	(void)arg;
	pthread_create(&t, NULL, exit_group_later, (void *)5L);
	/* The main thread leaves; the process lives on in the other thread. */
	pthread_exit(NULL);
}

TEST(thread, main_thread_exit_keeps_process_until_last_thread)
{
	int status = run_child(main_thread_leaves_first, NULL);

	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 5);
}

static void *fatal_fault(void *arg)
{
	*(volatile int *)arg = 1;
	return NULL;
}

/* Starts @fn(arg) in a thread and leaves the main thread waiting for signals. */
struct thread_start {
	void *(*fn)(void *);
	void *arg;
};

static void start_thread_and_pause(void *arg)
{
	const struct thread_start *ts = arg;
	pthread_t t;

	pthread_create(&t, NULL, ts->fn, ts->arg);
	for (;;)
		pause();
}

TEST(thread, fault_in_thread_kills_process)
{
	struct thread_start ts = { fatal_fault, NULL };
	int status = run_child(start_thread_and_pause, &ts);

	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

static void *exec_self(void *arg)
{
	char *argv[] = { (char *)arg, HELPER_ARG, "exit", "9", NULL };

	execv((char *)arg, argv);
	return NULL;
}

static void *sleeper_then_exec(void *arg)
{
	pthread_t t;

	pthread_create(&t, NULL, sleep_forever, NULL);
	return exec_self(arg);
}

TEST(thread, execve_from_thread_replaces_process)
{
	struct thread_start ts = { sleeper_then_exec, (void *)harness_self };
	int status = run_child(start_thread_and_pause, &ts);

	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 9);
}

static volatile sig_atomic_t usr1_tid;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_tid = (sig_atomic_t)syscall(SYS_gettid);
}

static void *wait_for_signal(void *arg)
{
	long *tid = arg;

	*tid = syscall(SYS_gettid);
	while (!usr1_tid)
		sched_yield();
	return NULL;
}

TEST(thread, pthread_kill_targets_the_thread)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	volatile long tid = 0;
	pthread_t t;

	usr1_tid = 0;
	ASSERT_OK(sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(pthread_create(&t, NULL, wait_for_signal, (void *)&tid), 0);
	while (!tid)
		sched_yield();
	ASSERT_EQ(pthread_kill(t, SIGUSR1), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ((long)usr1_tid, tid);
}

/*
 * TLB shootdown: readers on other CPUs keep reading a page; the main thread
 * revokes it with mprotect(PROT_NONE) and then raises a flag. A read that a
 * reader begins after seeing the flag must fault: if it succeeds, that CPU
 * used a stale translation, which only a missing shootdown allows.
 */
#define TLB_READERS 3
static volatile int *tlb_page;
static int tlb_revoked, tlb_stale;
static sigjmp_buf tlb_jmp[TLB_READERS];
static __thread int tlb_me;

static void tlb_on_segv(int sig)
{
	(void)sig;
	siglongjmp(tlb_jmp[tlb_me], 1);
}

static void *tlb_reader(void *arg)
{
	tlb_me = (int)(long)arg;
	if (sigsetjmp(tlb_jmp[tlb_me], 1))
		return (void *)1L;	/* faulted, as it must once revoked */
	for (;;) {
		int revoked = __atomic_load_n(&tlb_revoked, __ATOMIC_ACQUIRE);

		(void)*tlb_page;
		if (revoked)
			__atomic_fetch_add(&tlb_stale, 1, __ATOMIC_SEQ_CST);
	}
}

TEST_TIMEOUT(thread, tlb_shootdown_no_stale_reads, 60)
{
	struct sigaction sa = { .sa_handler = tlb_on_segv };
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	ASSERT_OK(sigaction(SIGSEGV, &sa, NULL));
	for (int round = 0; round < 20; round++) {
		pthread_t t[TLB_READERS];
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_TRUE(p != MAP_FAILED);
		tlb_page = p;
		*tlb_page = round;
		tlb_revoked = 0;
		for (int i = 0; i < TLB_READERS; i++)
			ASSERT_EQ(pthread_create(&t[i], NULL, tlb_reader, (void *)(long)i), 0);
		nanosleep(&ts, NULL);
		ASSERT_OK(mprotect(p, 4096, PROT_NONE));
		__atomic_store_n(&tlb_revoked, 1, __ATOMIC_RELEASE);
		for (int i = 0; i < TLB_READERS; i++) {
			void *ret;

			ASSERT_EQ(pthread_join(t[i], &ret), 0);
			EXPECT_EQ(ret, (void *)1L);
		}
		munmap(p, 4096);
	}
	EXPECT_EQ(tlb_stale, 0);
}

/* CPU time of the CPUs in @set from /proc/stat (user + nice + system, idle); the number read. */
static int read_cpu_ticks(const cpu_set_t *set, long long busy[], long long idle[], int max)
{
	char line[256];
	FILE *f = fopen("/proc/stat", "r");
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < max) {
		long long user, nicev, sys, idl;
		int cpu;

		if (sscanf(line, "cpu%d %lld %lld %lld %lld", &cpu, &user, &nicev, &sys, &idl) == 5 &&
		    CPU_ISSET(cpu, set)) {
			busy[n] = user + nicev + sys;
			idle[n] = idl;
			n++;
		}
	}
	fclose(f);
	return n;
}

TEST_TIMEOUT(thread, balance_busy_processes_over_all_cpus, 60)
{
	long long busy0[64], idle0[64], busy1[64], idle1[64];
	int ncpu, n0, n1;
	pid_t pids[64];
	cpu_set_t set;
	int status;

	ASSERT_OK(sched_getaffinity(0, sizeof(set), &set));
	ncpu = CPU_COUNT(&set);
	if (ncpu > 64)
		ncpu = 64;
	for (int i = 0; i < ncpu; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (pids[i] == 0)
			for (;;)
				;
	}
	/* Let balancing settle, then measure a window. */
	usleep(300 * 1000);
	n0 = read_cpu_ticks(&set, busy0, idle0, 64);
	usleep(1000 * 1000);
	n1 = read_cpu_ticks(&set, busy1, idle1, 64);
	for (int i = 0; i < ncpu; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
	}
	ASSERT_EQ(n0, ncpu);
	ASSERT_EQ(n1, ncpu);
	for (int i = 0; i < ncpu; i++) {
		long long b = busy1[i] - busy0[i], idl = idle1[i] - idle0[i];

		/* With as many spinning processes as CPUs, every CPU is at least 90% busy. */
		EXPECT_GE(b * 10, (b + idl) * 9);
	}
}

/* Linux's clone flag rules, checked before anything is created. */
TEST(thread, clone_flag_combinations_rejected)
{
	static char stack[4096] __attribute__((aligned(16)));
	void *top = stack + sizeof(stack);

	/* Threads must share handlers, and shared handlers need a shared mm. */
	EXPECT_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, top, NULL, NULL, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clone, CLONE_SIGHAND, top, NULL, NULL, 0), EINVAL);
	EXPECT_ERRNO(syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, top, NULL, NULL, 0), EINVAL);
}

/*
 * A fork as glibc's (clone with CLONE_CHILD_SETTID): the child's pid is
 * written in the child's memory before it returns, into a page it has
 * never touched and into a copy-on-write one, so the write faults. The
 * child starts with interrupts off in Exo-OS; the fault must not run so
 * (a lock validator report, found by Debian's bash).
 */
TEST(thread, child_settid_written_in_the_child)
{
	static volatile pid_t cow_tid;
	volatile pid_t *fresh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile pid_t *words[] = { fresh, &cow_tid };

	ASSERT_NE(fresh, MAP_FAILED);
	cow_tid = 0;
	for (int i = 0; i < 2; i++) {
		int status;
		long pid = syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL,
				   words[i], NULL);

		ASSERT_GE(pid, 0);
		if (pid == 0)
			_exit(*words[i] == syscall(SYS_getpid) ? 0 : 1);
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* The parent's copy is not the child's. */
		EXPECT_EQ(*words[i], 0);
	}
	munmap((void *)fresh, 4096);
}
