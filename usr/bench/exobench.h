/*
 * exobench: lmbench-style cycle benchmarks, one static binary that runs
 * unchanged on Exo-OS and on Linux.
 *
 * Each row is a function that runs in its own forked child (see main.c). It
 * times a loop with rdtsc, takes the minimum over several repetitions, and
 * ends by calling exactly one of row_report(), row_skip() or row_fail(),
 * which print the row's single line and end the child:
 *
 *   ROW <name> <cycles>
 *   ROW <name> SKIP <reason>
 *   ROW <name> FAIL <reason>
 *
 * A call that returns ENOSYS (or another "not supported here" errno) means a
 * kernel feature has not landed yet: the row says SKIP and names the call,
 * so rows light up by themselves as the kernel grows. Anything else that
 * goes wrong is a FAIL.
 *
 * Iteration counts come from it(full): the full count, or about a tenth of
 * it under --quick (the test suite's run).
 */
#ifndef EXOBENCH_H
#define EXOBENCH_H

#include <stdint.h>
#include <sys/types.h>

/* The guest TSC: under QEMU -icount shift=0 it counts executed instructions. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

extern int bench_quick;
extern int bench_reps;
extern const char *bench_self;		/* path of this binary, for execve rows */
extern const char *bench_tmpfile;	/* a small file on the root tmpfs */

/* Iterations: @full normally, a tenth (at least 2) with --quick. */
long it(long full);

void row_report(uint64_t cycles) __attribute__((noreturn));
void row_skip(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void row_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * A cold row's check that dropping the cache worked: a pass over cached
 * data (@cached) must take at most 0.8 of the best cold pass (@cold), else
 * FAIL naming @what was dropped. Only in full runs (make bench: icount,
 * every cycle repeats); --quick runs in make test on a shared machine,
 * where one pass can lose the host CPU for longer than the disk takes.
 */
void check_cache_dropped(uint64_t cold, uint64_t cached, const char *what);

/*
 * For a call that returned -1: SKIP when errno says the kernel lacks the
 * feature (ENOSYS, EAFNOSUPPORT, ...), FAIL otherwise. @what names the call.
 */
void row_errno(const char *what) __attribute__((noreturn));

/* row_errno() unless @ret is >= 0; returns @ret. */
long need(long ret, const char *what);

/* Keep the min of several timed repetitions. */
struct best {
	uint64_t cycles;
};
#define BEST_INIT { UINT64_MAX }
static inline void best_add(struct best *b, uint64_t t0, uint64_t t1, long n)
{
	uint64_t per = (t1 - t0 + n / 2) / n;

	if (per < b->cycles)
		b->cycles = per;
}

/*
 * Times the statement(s) given after @n, run @n times per repetition, bench_reps repetitions after one
 * untimed warm-up, and reports the smallest per-iteration average.
 */
#define MEASURE(n, ...)							\
	do {									\
		struct best __b = BEST_INIT;					\
		long __n = (n);							\
		for (int __r = 0; __r <= bench_reps; __r++) {			\
			uint64_t __t0 = rdtsc();				\
			for (long __i = 0; __i < __n; __i++) {			\
				__VA_ARGS__;					\
			}							\
			uint64_t __t1 = rdtsc();				\
			if (__r > 0)						\
				best_add(&__b, __t0, __t1, __n);		\
		}								\
		row_report(__b.cycles);						\
	} while (0)

/*
 * MEASURE's loop as a function that returns the figure instead of reporting
 * it, for rows that combine several measurements: the smallest average of
 * @fn(@arg) run @n times, over bench_reps repetitions after a warm-up.
 */
uint64_t best_of(long n, void (*fn)(void *), void *arg);

/* Wait for @pid; FAIL unless it exited 0. */
void reap_ok(pid_t pid, const char *what);

/* Whether row @name passes --only and --except (NULL: no such option). */
int bench_selected(const char *name, const char *only, const char *except);

/* exobench --scale (scale.c): the throughput rows from 1 and N processes. */
void scale_main(const char *only, const char *except);

/* The rows, by file. */
void bench_null_syscall(void);
void bench_read_devzero(void);
void bench_write_devnull(void);
void bench_open_close(void);
void bench_stat(void);
void bench_fstat(void);
void bench_sched_yield(void);
void bench_select_100(void);
void bench_file_read_bw(void);

void bench_pipe_rtt(void);
void bench_ctxsw_0k(void);
void bench_ctxsw_16k(void);
void bench_unix_rtt(void);
void bench_mq_pingpong(void);
void bench_pipe_bw(void);
void bench_sysv_sem_pingpong(void);
void bench_sysv_msg_pingpong(void);

void bench_fusion_rtt(void);
void bench_fusion_msg56(void);
void bench_fusion_page_64k(void);
void bench_vmsplice_64k(void);

void bench_fork_exit(void);
void bench_fork_execve(void);
void bench_fork_sh(void);

void bench_page_fault(void);
void bench_mmap_munmap(void);
void bench_brk(void);

void bench_sig_install(void);
void bench_sig_deliver(void);
void bench_prot_fault(void);

void bench_thread_create(void);
void bench_futex_pingpong(void);

void bench_tcp_rtt(void);
void bench_udp_rtt(void);
void bench_tcp_bw(void);
void bench_tcp_connect(void);

void bench_blk_seq_read_4k_cold(void);
void bench_blk_seq_read_1m_cold(void);
void bench_blk_seq_read_4k_cached(void);
void bench_blk_seq_read_1m_cached(void);
void bench_blk_rand_read_4k_cold(void);
void bench_blk_rand_read_4k_cached(void);
void bench_ext4_stat_cold(void);
void bench_ext4_stat_warm(void);
void bench_ext4_walk_cold(void);
void bench_ext4_walk_warm(void);
void bench_ext4_read_cold(void);
void bench_ext4_read_warm(void);

#endif
