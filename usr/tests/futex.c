/*
 * futex(2) between processes sharing memory: WAIT/WAKE, timeouts, the
 * value check, REQUEUE/CMP_REQUEUE, WAKE_OP, bitsets, and the errno cases.
 * (Threads get their own tests; these need only fork and MAP_SHARED.)
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* Linux's futex ABI (include/uapi/linux/futex.h); musl ships no kernel headers. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU
#define FUTEX_OP_ADD 1
#define FUTEX_OP_CMP_EQ 0

static long futex(void *uaddr, int op, uint32_t val, const struct timespec *ts, void *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}

static uint32_t *shared_words(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

/* Child: waits on w[0] (while it is 0) and exits with what the wait returned (0 or errno). */
static pid_t spawn_waiter(uint32_t *w, int op)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		__atomic_fetch_add(&w[1], 1, __ATOMIC_SEQ_CST);
		long r = futex(&w[0], op, 0, NULL, NULL, FUTEX_BITSET_MATCH_ANY);

		_exit(r == 0 ? 0 : errno == EAGAIN ? 100 : errno);
	}
	return pid;
}

static void wait_until_waiting(uint32_t *w, uint32_t n)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	while (__atomic_load_n(&w[1], __ATOMIC_SEQ_CST) < n)
		nanosleep(&ts, NULL);
	/* Give them time to be inside the futex call. */
	nanosleep(&ts, NULL);
}

static int child_result(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(futex, wait_value_mismatch_eagain)
{
	uint32_t w = 5;

	EXPECT_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0), EAGAIN);
}

/* The realtime clock flag is refused on every command but the waits, also on the fast FUTEX_WAKE path. */
TEST(futex, realtime_flag_on_wake_enosys)
{
	uint32_t w = 0;

	EXPECT_ERRNO(futex(&w, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
	EXPECT_ERRNO(futex(&w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* An untimed FUTEX_WAIT ends with EINTR on a caught signal without SA_RESTART. */
TEST(futex, untimed_wait_interrupted_by_signal)
{
	uint32_t *w = shared_words();
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		long r;

		sigaction(SIGUSR1, &sa, NULL);
		__atomic_fetch_add(&w[1], 1, __ATOMIC_SEQ_CST);
		r = futex(&w[0], FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	wait_until_waiting(w, 1);
	ASSERT_OK(kill(pid, SIGUSR1));
	EXPECT_EQ(child_result(pid), 0);
}

TEST(futex, wait_timeout_etimedout)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 }, t0, t1;
	uint32_t w = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_GE((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec), 50000000L);
}

TEST(futex, wait_bitset_absolute_timeout)
{
	struct timespec ts;
	uint32_t w = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 30 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	EXPECT_ERRNO(futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY),
		     ETIMEDOUT);
}

TEST(futex, wait_bad_timeout_einval)
{
	struct timespec ts = { 0, 1000000000L };
	uint32_t w = 0;

	EXPECT_ERRNO(futex(&w, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0), EINVAL);
}

TEST(futex, misaligned_einval)
{
	uint32_t w[2] = { 0, 0 };

	EXPECT_ERRNO(futex((char *)w + 1, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EINVAL);
}

TEST(futex, bad_address_efault)
{
	EXPECT_ERRNO(futex((void *)16, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0), EFAULT);
}

TEST(futex, unknown_op_enosys)
{
	uint32_t w = 0;

	EXPECT_ERRNO(futex(&w, 99, 0, NULL, NULL, 0), ENOSYS);
}

TEST(futex, wake_nobody_returns_zero)
{
	uint32_t w = 0;

	EXPECT_EQ(futex(&w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
}

TEST(futex, bitset_zero_einval)
{
	uint32_t w = 0;

	EXPECT_ERRNO(futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL);
}

TEST(futex, shared_wait_wake_across_processes)
{
	uint32_t *w = shared_words();
	pid_t pid = spawn_waiter(w, FUTEX_WAIT);

	wait_until_waiting(w, 1);
	w[0] = 1;
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	EXPECT_EQ(child_result(pid), 0);
}

TEST(futex, wake_counts_only_n)
{
	uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT), b = spawn_waiter(w, FUTEX_WAIT);

	wait_until_waiting(w, 2);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE, 10, NULL, NULL, 0), 1);
	EXPECT_EQ(child_result(a), 0);
	EXPECT_EQ(child_result(b), 0);
}

TEST(futex, cmp_requeue_moves_waiters)
{
	uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT), b = spawn_waiter(w, FUTEX_WAIT);

	wait_until_waiting(w, 2);
	/* Wake none, move both to w[2]; a wrong expected value is EAGAIN first. */
	EXPECT_ERRNO(futex(&w[0], FUTEX_CMP_REQUEUE, 0, (void *)2L, &w[2], 7), EAGAIN);
	EXPECT_EQ(futex(&w[0], FUTEX_CMP_REQUEUE, 0, (void *)2L, &w[2], 0), 2);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE, 10, NULL, NULL, 0), 0);
	EXPECT_EQ(futex(&w[2], FUTEX_WAKE, 10, NULL, NULL, 0), 2);
	EXPECT_EQ(child_result(a), 0);
	EXPECT_EQ(child_result(b), 0);
}

TEST(futex, wake_op_modifies_and_wakes)
{
	uint32_t *w = shared_words();
	pid_t a = spawn_waiter(w, FUTEX_WAIT);
	/* w[2] += 5; wake 1 on w[0]; if old w[2] == 0, wake 1 on w[2]. */
	uint32_t op = (FUTEX_OP_ADD << 28) | (FUTEX_OP_CMP_EQ << 24) | (5 << 12) | 0;

	wait_until_waiting(w, 1);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE_OP, 1, (void *)1L, &w[2], op), 1);
	EXPECT_EQ(w[2], 5u);
	EXPECT_EQ(child_result(a), 0);
}

TEST(futex, wake_bitset_selects_waiters)
{
	uint32_t *w = shared_words();
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		__atomic_fetch_add(&w[1], 1, __ATOMIC_SEQ_CST);
		_exit(futex(&w[0], FUTEX_WAIT_BITSET, 0, NULL, NULL, 0x2) == 0 ? 0 : 1);
	}
	wait_until_waiting(w, 1);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x1), 0);
	EXPECT_EQ(futex(&w[0], FUTEX_WAKE_BITSET, 1, NULL, NULL, 0x2), 1);
	EXPECT_EQ(child_result(pid), 0);
}

TEST(futex, robust_list_set_and_get)
{
	struct {
		void *next;
		long offset;
		void *pending;
	} head = { &head, 0, NULL };
	void *got;
	size_t len;

	EXPECT_ERRNO(syscall(SYS_set_robust_list, &head, sizeof(head) + 1), EINVAL);
	ASSERT_OK(syscall(SYS_set_robust_list, &head, sizeof(head)));
	ASSERT_OK(syscall(SYS_get_robust_list, 0, &got, &len));
	EXPECT_EQ(got, (void *)&head);
	EXPECT_EQ(len, sizeof(head));
	EXPECT_ERRNO(syscall(SYS_get_robust_list, 999999, &got, &len), ESRCH);
}
