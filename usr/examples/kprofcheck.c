// SPDX-License-Identifier: MIT
/*
 * kprofcheck: the function profiler's acceptance test (docs/kprof.md), run
 * as init by scripts/testsuite/kprof.py on -smp 4. Checks, through
 * /proc/kprof:
 *   - N getppid calls count exactly N in sys_getppid (nothing else calls
 *     it), and N one-byte reads of /dev/zero count N in sys_read and in
 *     zero_read, which it calls, with cycles, and the caller's inclusive
 *     cycles at least the callee's;
 *   - switched off, the sites are restored: counts stop moving;
 *   - on every CPU (a child pinned to each) the per-CPU count is exactly N;
 *   - sampling puts samples inside zero_read() while reading /dev/zero.
 * Prints "kprofcheck: ok" or "FAIL ..." lines; exits non-zero on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 1000
#define SYS_FN "sys_getppid"

static int failures;

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			printf("FAIL %s:%d: ", __func__, __LINE__);                      \
			printf(__VA_ARGS__);                                             \
			printf("\n");                                                    \
			failures++;                                                      \
		}                                                                        \
	} while (0)

static char *slurp(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0) {
		printf("FAIL open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return buf;
}

static void enable(const char *what)
{
	int fd = open("/proc/kprof/enable", O_WRONLY);

	if (fd < 0 || write(fd, what, strlen(what)) != (ssize_t)strlen(what)) {
		printf("FAIL writing %s to /proc/kprof/enable: %s\n", what, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* calls and cycles of @name on @cpu (-1: the all-CPU file); 0 calls if absent. */
static void stat_of(const char *name, int cpu, unsigned long *calls, unsigned long *cycles)
{
	char *text = slurp(cpu < 0 ? "/proc/kprof/functions" : "/proc/kprof/functions_cpu");
	char *line = text, *next;

	*calls = *cycles = 0;
	for (; line && *line; line = next) {
		unsigned long a, b;
		int c = -1, off = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (cpu < 0 ? sscanf(line, "%lu %lu %n", &a, &b, &off) != 2
			    : sscanf(line, "%d %lu %lu %n", &c, &a, &b, &off) != 3)
			continue;
		if ((cpu < 0 || c == cpu) && !strcmp(line + off, name)) {
			*calls = a;
			*cycles = b;
		}
	}
}

static void getppid_n(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
}

/* sys_read -> ... -> zero_read: both exactly N, the caller's cycles include the callee's. */
static void check_read_chain(void)
{
	unsigned long rcalls, rcycles, zcalls, zcycles;
	int fd = open("/dev/zero", O_RDONLY);
	char c;

	CHECK(fd >= 0, "/dev/zero: %s", strerror(errno));
	enable("trace");
	for (int i = 0; i < N; i++)
		CHECK(read(fd, &c, 1) == 1, "read /dev/zero");
	enable("0");
	close(fd);
	stat_of("sys_read", -1, &rcalls, &rcycles);
	stat_of("zero_read", -1, &zcalls, &zcycles);
	CHECK(rcalls == N, "sys_read called %lu times, want %d", rcalls, N);
	CHECK(zcalls == N, "zero_read called %lu times, want %d", zcalls, N);
	CHECK(zcycles > 0 && rcycles >= zcycles, "sys_read %lu cycles, its callee zero_read %lu",
	      rcycles, zcycles);
	printf("kprof: sys_read %lu calls %lu cycles; zero_read %lu calls %lu cycles\n", rcalls,
	       rcycles, zcalls, zcycles);
}

static void check_chain(void)
{
	unsigned long calls, cycles, dcalls, dcycles;

	enable("trace");
	getppid_n(N);
	enable("0");
	stat_of(SYS_FN, -1, &calls, &cycles);
	CHECK(calls == N, SYS_FN " called %lu times, want %d", calls, N);
	CHECK(cycles > 0, SYS_FN " has no cycles");
	printf("kprof: %s %lu calls %lu cycles\n", SYS_FN, calls, cycles);

	/* Off: the NOPs are back, nothing counts. */
	getppid_n(N);
	stat_of(SYS_FN, -1, &dcalls, &dcycles);
	CHECK(dcalls == calls && dcycles == cycles, "counts moved while off: %lu %lu", dcalls,
	      dcycles);
	CHECK(strstr(slurp("/proc/kprof/status"), "tracing 0\n"), "status does not say tracing 0");

	/* On again: counters restart. */
	enable("trace");
	getppid_n(N / 2);
	enable("0");
	stat_of(SYS_FN, -1, &calls, &cycles);
	CHECK(calls == N / 2, "after re-enabling: %lu calls, want %d", calls, N / 2);
}

static void check_cpus(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	enable("trace");
	for (long cpu = 0; cpu < ncpu; cpu++) {
		pid_t pid = fork();

		if (pid == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				_exit(2);
			sched_yield();
			getppid_n(N);
			_exit(0);
		}
		CHECK(pid > 0, "fork: %s", strerror(errno));
	}
	for (long cpu = 0; cpu < ncpu; cpu++) {
		int st;

		CHECK(wait(&st) > 0 && WIFEXITED(st) && !WEXITSTATUS(st), "child failed");
	}
	enable("0");
	for (long cpu = 0; cpu < ncpu; cpu++) {
		unsigned long calls, cycles;

		stat_of(SYS_FN, cpu, &calls, &cycles);
		CHECK(calls == N && cycles > 0, "CPU %ld: %lu calls %lu cycles, want %d calls", cpu,
		      calls, cycles, N);
	}
	printf("kprof: %ld CPUs each counted %d calls\n", ncpu, N);
}

static void check_samples(void)
{
	static char buf[1 << 16];
	int fd = open("/dev/zero", O_RDONLY);
	struct timespec t0, t;
	unsigned long in_zero = 0, total = 0;
	char *text, *line, *next;

	CHECK(fd >= 0, "/dev/zero: %s", strerror(errno));
	enable("sample");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 16; i++)
			CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf), "read /dev/zero");
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 1000000000L);
	enable("0");
	close(fd);
	text = slurp("/proc/kprof/folded");
	for (line = text; *line; line = next) {
		char *sp;
		unsigned long count;

		next = strchr(line, '\n');
		CHECK(next, "folded: unterminated line");
		if (!next)
			break;
		*next++ = 0;
		sp = strrchr(line, ' ');
		CHECK(sp && sscanf(sp, " %lu", &count) == 1 && count, "folded: bad line '%s'", line);
		if (!sp)
			continue;
		total += count;
		if (strstr(line, ";zero_read;") || strstr(line, ";zero_read "))
			in_zero += count;
	}
	printf("kprof: %lu samples, %lu inside zero_read\n", total, in_zero);
	CHECK(in_zero >= 10, "only %lu of %lu samples inside zero_read", in_zero, total);
}

int main(void)
{
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL) && errno != EBUSY)
		printf("FAIL mount /proc: %s\n", strerror(errno));
	check_chain();
	check_read_chain();
	check_cpus();
	check_samples();
	if (!failures)
		printf("kprofcheck: ok\n");
	return failures ? 1 : 0;
}
