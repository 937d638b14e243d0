/*
 * exobench --scale: throughput of four workloads run from N processes at
 * once (issue 17 item 4, "Scale with CPUs"), for N = 1 and N = the number of
 * online CPUs:
 *
 *   fork_exit    fork, the child exits, the parent waits for it
 *   pipe_pairs   a one-byte round trip between a worker and a partner
 *                process over two pipes (N pairs, 2N processes)
 *   open_close   open and close of a small tmpfs file, one file per worker
 *   page_fault   first touch of fresh anonymous memory, per page (1 MiB
 *                regions, mapped, touched and unmapped)
 *
 * Unlike the cycle rows this is meant for QEMU without -icount (multi-threaded
 * TCG), where the TSC and CLOCK_MONOTONIC are real time: each worker runs its
 * loop for a fixed wall time (SCALE_MS, a fifth of it with --quick) read with
 * clock_gettime(CLOCK_MONOTONIC), then reports its count and the exact time it
 * took. The workers start together: each does its setup, says so on a pipe,
 * and waits for the parent to close the write end of a "go" pipe, which wakes
 * them all at once. The figure is the sum over workers of ops / seconds, one
 * line per (row, N):
 *
 *   SCALE <row> <N> <ops per second>
 *   SCALE <row> <N> FAIL <reason>
 *
 * One write per line, like the ROW lines. On a machine with one CPU only
 * N = 1 runs. --only filters the rows by name as it does the cycle rows.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exobench.h"

#define SCALE_MS	800
#define SCALE_MAX	64
#define FAULT_REGION	(1 << 20)
#define PAGE		4096

struct scale_result {
	long ops;
	uint64_t ns;
	char err[48];		/* empty when the worker succeeded */
};

struct worker {
	int id;
	int partner_rd, partner_wr;	/* pipe_pairs: the worker's ends */
	pid_t partner;
	char path[64];			/* open_close: this worker's file */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static struct scale_result failed(const char *what)
{
	struct scale_result r = { .ops = -1 };

	snprintf(r.err, sizeof(r.err), "%s: %s", what, strerror(errno));
	return r;
}

/* Each op function does a batch of operations and returns how many, or -1 with errno set. */
static long op_fork_exit(struct worker *w)
{
	int status;
	pid_t pid = fork();

	(void)w;
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		errno = ECHILD;
		return -1;
	}
	return 1;
}

static long op_pipe_pairs(struct worker *w)
{
	char c = 'x';

	for (int i = 0; i < 16; i++)
		if (write(w->partner_wr, &c, 1) != 1 || read(w->partner_rd, &c, 1) != 1) {
			if (!errno)
				errno = EPIPE;
			return -1;
		}
	return 16;
}

static long op_open_close(struct worker *w)
{
	for (int i = 0; i < 16; i++) {
		int fd = open(w->path, O_RDONLY);

		if (fd < 0 || close(fd) < 0)
			return -1;
	}
	return 16;
}

static long op_page_fault(struct worker *w)
{
	char *p = mmap(NULL, FAULT_REGION, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)w;
	if (p == MAP_FAILED)
		return -1;
	for (long i = 0; i < FAULT_REGION / PAGE; i++)
		((volatile char *)p)[i * PAGE] = 1;
	if (munmap(p, FAULT_REGION) < 0)
		return -1;
	return FAULT_REGION / PAGE;
}

/* pipe_pairs: the partner echoes each byte back until the worker closes its end. */
static int setup_pipe_pairs(struct worker *w)
{
	int to[2], from[2];
	char c;

	if (pipe(to) < 0 || pipe(from) < 0)
		return -1;
	w->partner = fork();
	if (w->partner < 0)
		return -1;
	if (w->partner == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &c, 1) == 1)
			if (write(from[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	w->partner_wr = to[1];
	w->partner_rd = from[0];
	return 0;
}

static int setup_open_close(struct worker *w)
{
	int fd;

	snprintf(w->path, sizeof(w->path), "/tmp/exobench.scale.%d", w->id);
	fd = open(w->path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "exobench\n", 9) != 9)
		return -1;
	return close(fd);
}

static void teardown(struct worker *w)
{
	if (w->partner > 0) {
		close(w->partner_wr);
		close(w->partner_rd);
		waitpid(w->partner, NULL, 0);
	}
	if (w->path[0])
		unlink(w->path);
}

struct scale_row {
	const char *name;
	long (*op)(struct worker *);
	int (*setup)(struct worker *);
};

static const struct scale_row scale_rows[] = {
	{ "fork_exit",	op_fork_exit,	NULL },
	{ "pipe_pairs",	op_pipe_pairs,	setup_pipe_pairs },
	{ "open_close",	op_open_close,	setup_open_close },
	{ "page_fault",	op_page_fault,	NULL },
};

/* One worker: setup, ready, wait for go, loop for @ms, report on @res. */
static void worker_main(const struct scale_row *row, int id, int ready, int go, int res, int ms)
{
	struct worker w = { .id = id };
	struct scale_result r = { 0 };
	uint64_t t0, t = 0, end;
	char c = 'r';

	if (row->setup && row->setup(&w) < 0)
		r = failed("setup");
	if (write(ready, &c, 1) != 1)
		_exit(2);
	if (read(go, &c, 1) != 0)	/* EOF: the parent closed the write end */
		_exit(2);
	if (r.ops == 0) {
		t0 = mono_ns();
		end = t0 + (uint64_t)ms * 1000000ull;
		do {
			long n = row->op(&w);

			if (n < 0) {
				r = failed(row->name);
				break;
			}
			r.ops += n;
			t = mono_ns();
		} while (t < end);
		if (r.ops >= 0)
			r.ns = t - t0;
	}
	teardown(&w);
	if (write(res, &r, sizeof(r)) != sizeof(r))
		_exit(2);
	_exit(0);
}

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		_exit(2);
}

static void run_scale(const struct scale_row *row, int n, int ms)
{
	int ready[2], go[2], res[2];
	pid_t pids[SCALE_MAX];
	double total = 0;
	char c;
	int started = 0;

	if (pipe(ready) < 0 || pipe(go) < 0 || pipe(res) < 0) {
		line("SCALE %s %d FAIL pipe: %s", row->name, n, strerror(errno));
		return;
	}
	for (; started < n; started++) {
		pids[started] = fork();
		if (pids[started] < 0)
			break;
		if (pids[started] == 0) {
			close(ready[0]);
			close(go[1]);
			close(res[0]);
			worker_main(row, started, ready[1], go[0], res[1], ms);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(res[1]);
	for (int i = 0; i < started; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	close(go[1]);		/* go: every worker's read() returns 0 */
	if (started < n) {
		line("SCALE %s %d FAIL fork: %s", row->name, n, strerror(errno));
		n = started;
		total = -1;
	}
	for (int i = 0; i < n; i++) {
		struct scale_result r;

		if (read(res[0], &r, sizeof(r)) != sizeof(r)) {
			if (total >= 0)
				line("SCALE %s %d FAIL a worker ended without a result", row->name, n);
			total = -1;
			break;
		}
		if (r.ops < 0 || r.ns == 0) {
			if (total >= 0)
				line("SCALE %s %d FAIL %s", row->name, n, r.err[0] ? r.err : "no time");
			total = -1;
		} else if (total >= 0) {
			total += r.ops * 1e9 / r.ns;
		}
	}
	for (int i = 0; i < started; i++)
		waitpid(pids[i], NULL, 0);
	close(ready[0]);
	close(res[0]);
	if (total >= 0)
		line("SCALE %s %d %.0f", row->name, n, total);
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > SCALE_MAX ? SCALE_MAX : n;
}

void scale_main(const char *only, const char *except)
{
	int cpus = online_cpus();
	int ms = bench_quick ? SCALE_MS / 5 : SCALE_MS;

	line("INFO scale cpus=%d ms=%d", cpus, ms);
	for (unsigned r = 0; r < sizeof(scale_rows) / sizeof(scale_rows[0]); r++) {
		if (!bench_selected(scale_rows[r].name, only, except))
			continue;
		run_scale(&scale_rows[r], 1, ms);
		if (cpus > 1)
			run_scale(&scale_rows[r], cpus, ms);
	}
}
