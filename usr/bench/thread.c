/*
 * Thread rows: pthread_create+pthread_join of a thread that returns at
 * once, and a futex ping-pong between two threads of one process (each
 * round trip is two FUTEX_WAKEs, two FUTEX_WAITs and two switches).
 *
 * Both need futex (musl's pthread_join sleeps on one), so a kernel without
 * it SKIPs them rather than have join spin.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exobench.h"

/* musl-gcc has no kernel headers: the two futex operations, from <linux/futex.h>. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static long futex(int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void need_futex(void)
{
	int word = 0;

	need(futex(&word, FUTEX_WAKE_PRIVATE, 1), "futex");
}

/* clone flags musl's pthread_create uses, from <linux/sched.h>. */
#define PROBE_CLONE_FLAGS (0x100 | 0x200 | 0x400 | 0x800 | 0x10000) /* VM FS FILES SIGHAND THREAD */

static char probe_stack[4096] __attribute__((aligned(16)));

/*
 * Asks the kernel for a thread directly: the child, on its own small
 * stack, exits at once with SYS_exit (that thread only). A kernel without
 * threads says EINVAL or ENOSYS, and the rows SKIP with that answer rather
 * than report pthread_create's EAGAIN as a failure.
 */
static void need_threads(void)
{
	long ret;

	__asm__ __volatile__("syscall\n\t"
			     "testq %%rax, %%rax\n\t"
			     "jnz 1f\n\t"
			     "movl $60, %%eax\n\t"	/* SYS_exit: the new thread only */
			     "xorl %%edi, %%edi\n\t"
			     "syscall\n"
			     "1:"
			     : "=a"(ret)
			     : "0"((long)SYS_clone), "D"((long)PROBE_CLONE_FLAGS),
			       "S"(probe_stack + sizeof(probe_stack)), "d"(0L)
			     : "rcx", "r8", "r9", "r10", "r11", "memory");
	if (ret < 0) {
		errno = (int)-ret;
		if (errno == EINVAL)
			row_skip("clone(CLONE_THREAD): EINVAL, the kernel has no threads");
		row_errno("clone(CLONE_THREAD)");
	}
	/* Let the probe thread finish exiting before the measurements. */
	sched_yield();
}

static void *nothing(void *arg)
{
	return arg;
}

static void create_join(void)
{
	pthread_t t;
	int err = pthread_create(&t, NULL, nothing, NULL);

	if (err) {
		errno = err;
		row_errno("pthread_create");
	}
	err = pthread_join(t, NULL);
	if (err)
		row_fail("pthread_join: %s", strerror(err));
}

void bench_thread_create(void)
{
	need_futex();
	need_threads();
	create_join();
	MEASURE(it(200), create_join());
}

/* 0: the main thread's turn; 1: the partner's; 2: the partner must stop. */
static int turn;

static void wait_while(int *word, int val)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val)
		futex(word, FUTEX_WAIT_PRIVATE, val);
}

static void pass(int *word, int val)
{
	__atomic_store_n(word, val, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE_PRIVATE, 1);
}

static void *partner(void *arg)
{
	for (;;) {
		wait_while(&turn, 0);
		if (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 2)
			return arg;
		pass(&turn, 0);
	}
}

static void round_trip(void)
{
	pass(&turn, 1);
	wait_while(&turn, 1);
}

void bench_futex_pingpong(void)
{
	struct best b = BEST_INIT;
	long n = it(500);
	pthread_t t;
	int err;

	need_futex();
	need_threads();
	err = pthread_create(&t, NULL, partner, NULL);
	if (err) {
		errno = err;
		row_errno("pthread_create");
	}
	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t0 = rdtsc(), t1;

		for (long i = 0; i < n; i++)
			round_trip();
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, n);
	}
	pass(&turn, 2);
	pthread_join(t, NULL);
	row_report(b.cycles);
}
