/*
 * Fusion ring rows (docs/fusion-rings.md). Linux has no /dev/fusion, so on a
 * kernel without it each row measures Linux's own mechanism for the same
 * job, and the table sets fusion on Exo-OS against that figure:
 *
 *   fusion_rtt          a 56-byte request and reply between two processes
 *                       (fusion_call); without fusion: the same over two pipes.
 *   fusion_msg56        one-way 56-byte messages, cycles per message: fusion
 *                       batches (32 per claim); without fusion: one write()
 *                       per message into a pipe, read in 64 KiB gulps.
 *   fusion_page_64k_kib 64 KiB handed over as pages (shared; the receiver
 *                       takes them in place of its buffer's), cycles per KiB; without
 *                       fusion: 64 KiB pipe writes and reads (bw_pipe).
 *   vmsplice_64k_kib    the same 64 KiB a time through a pipe, the sender's
 *                       pages spliced in with vmsplice() (no copy in), the
 *                       receiver read()ing them out: Linux's zero-copy way
 *                       (the "vmsplice for the 64 KiB case"), run on
 *                       both kernels; the table sets fusion_page_64k_kib on
 *                       Exo-OS against Linux's figure here too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "exobench.h"
#include "fusion.h"

#define MSG 56
#define BATCH 32
#define PAGES_LEN (64 << 10)

static bool have_fusion(void)
{
	return access(FUSION_DEVICE, F_OK) == 0;
}

static void ring_pair(struct fusion *mine, unsigned int nslots, unsigned int role)
{
	int err = fusion_create(mine, nslots, role);

	if (err)
		row_fail("fusion_create: %s", strerror(-err));
}

/* In the child: a new endpoint of @parent's ring, and the inherited one closed. */
static void child_end(struct fusion *parent, struct fusion *out, unsigned int role)
{
	if (fusion_attach(parent, out, role))
		_exit(1);
	close(parent->fd);
}

static pid_t fork_or_fail(void)
{
	pid_t pid = fork();

	if (pid < 0)
		row_errno("fork");
	return pid;
}

struct call {
	struct fusion *out, *in;
	int to, from;		/* the pipes, without fusion */
	char buf[MSG];
};

static void call_fusion(void *arg)
{
	struct call *c = arg;

	if (fusion_call(c->out, c->buf, MSG, c->in, c->buf) != MSG)
		row_fail("fusion_call");
}

static void call_pipe(void *arg)
{
	struct call *c = arg;

	if (write(c->to, c->buf, MSG) != MSG || read(c->from, c->buf, MSG) != MSG)
		row_fail("pipe round trip: %s", strerror(errno));
}

void bench_fusion_rtt(void)
{
	struct fusion req, rep;
	struct call c = { 0 };
	pid_t pid;

	if (!have_fusion()) {
		int to[2], from[2];

		need(pipe(to), "pipe");
		need(pipe(from), "pipe");
		pid = fork_or_fail();
		if (!pid) {
			close(to[1]);
			close(from[0]);
			while (read(to[0], c.buf, MSG) == MSG)
				if (write(from[1], c.buf, MSG) != MSG)
					break;
			_exit(0);
		}
		close(to[0]);
		close(from[1]);
		c.to = to[1];
		c.from = from[0];
		call_pipe(&c);
		row_report(best_of(it(500), call_pipe, &c));
	}
	ring_pair(&req, 64, FUSION_ROLE_PRODUCER);
	ring_pair(&rep, 64, FUSION_ROLE_CONSUMER);
	pid = fork_or_fail();
	if (!pid) {
		struct fusion in, out;
		char buf[MSG];

		child_end(&req, &in, FUSION_ROLE_CONSUMER);
		child_end(&rep, &out, FUSION_ROLE_PRODUCER);
		if (fusion_recv(&in, buf, NULL, true) != MSG)
			_exit(2);
		/* Each reply and the wait for the next request: one call. */
		while (fusion_call(&out, buf, MSG, &in, buf) == MSG)
			;
		_exit(0);
	}
	c.out = &req;
	c.in = &rep;
	call_fusion(&c);
	row_report(best_of(it(500), call_fusion, &c));
}

/* Reads @total bytes of 56-byte messages from a pipe as fast as they come. */
static void msg56_pipe(long per_rep)
{
	static char big[64 << 10];
	struct best b = BEST_INIT;
	char msg[MSG] = { 1 };
	int p[2];
	pid_t pid;

	need(pipe(p), "pipe");
	pid = fork_or_fail();
	if (!pid) {
		close(p[0]);
		for (long i = 0; i < per_rep * (bench_reps + 1); i++)
			if (write(p[1], msg, MSG) != MSG)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	for (int r = 0; r <= bench_reps; r++) {
		long want = per_rep * MSG;
		uint64_t t0 = rdtsc(), t1;

		while (want > 0) {
			ssize_t got = read(p[0], big, (size_t)want < sizeof(big) ? (size_t)want :
						      sizeof(big));

			if (got <= 0)
				row_fail("pipe read: %s", got < 0 ? strerror(errno) : "early EOF");
			want -= got;
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, per_rep);
	}
	reap_ok(pid, "pipe writer");
	row_report(b.cycles);
}

void bench_fusion_msg56(void)
{
	static struct fusion_msg msgs[BATCH];
	long per_rep = it(20000);
	struct best b = BEST_INIT;
	struct fusion f;
	pid_t pid;

	if (!have_fusion())
		msg56_pipe(per_rep);
	ring_pair(&f, 1024, FUSION_ROLE_CONSUMER);
	pid = fork_or_fail();
	if (!pid) {
		struct fusion out;
		long left = per_rep * (bench_reps + 1);

		child_end(&f, &out, FUSION_ROLE_PRODUCER);
		for (int i = 0; i < BATCH; i++)
			msgs[i].len = MSG;
		while (left > 0) {
			int n = fusion_send_batch(&out, msgs, left < BATCH ? (unsigned int)left : BATCH,
						  true);

			if (n <= 0)
				_exit(1);
			left -= n;
		}
		_exit(0);
	}
	for (int r = 0; r <= bench_reps; r++) {
		long want = per_rep;
		uint64_t t0 = rdtsc(), t1;

		while (want > 0) {
			int n = fusion_recv_batch(&f, msgs, want < BATCH ? (unsigned int)want : BATCH,
						  true);

			if (n <= 0)
				row_fail("fusion_recv_batch: %s", strerror(-n));
			want -= n;
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, per_rep);
	}
	reap_ok(pid, "fusion producer");
	row_report(b.cycles);
}

void bench_fusion_page_64k(void)
{
	long chunks = it(64);
	struct best b = BEST_INIT;
	struct fusion f;
	pid_t pid;

	if (!have_fusion())
		bench_pipe_bw();
	ring_pair(&f, 64, FUSION_ROLE_CONSUMER);
	pid = fork_or_fail();
	if (!pid) {
		char *buf = mmap(NULL, PAGES_LEN, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		struct fusion out;

		child_end(&f, &out, FUSION_ROLE_PRODUCER);
		if (buf == MAP_FAILED)
			_exit(1);
		memset(buf, 'x', PAGES_LEN);
		for (long i = 0; i < chunks * (bench_reps + 1); i++)
			if (fusion_send_pages(&out, buf, PAGES_LEN, 0, (uint64_t)i, true))
				_exit(2);
		_exit(0);
	}
	char *dst = mmap(NULL, PAGES_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (dst == MAP_FAILED)
		row_errno("mmap");
	for (int r = 0; r <= bench_reps; r++) {
		uint64_t t0 = rdtsc(), t1;

		for (long i = 0; i < chunks; i++) {
			size_t len;
			int err;
			char *p = fusion_recv_pages_into(&f, dst, &len, NULL, &err, true);

			if (!p || len != PAGES_LEN || p[len - 1] != 'x')
				row_fail("fusion_recv_pages: %s", strerror(-err));
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, chunks * (PAGES_LEN >> 10));
	}
	reap_ok(pid, "fusion page sender");
	row_report(b.cycles);
}

void bench_vmsplice_64k(void)
{
	long chunks = it(64);
	struct best b = BEST_INIT;
	char *buf = mmap(NULL, PAGES_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int p[2];
	pid_t pid;

	if (buf == MAP_FAILED)
		row_errno("mmap");
	need(pipe(p), "pipe");
	/* 64 KiB is both kernels' default; asked for anyway, so one chunk fits. */
	fcntl(p[1], F_SETPIPE_SZ, PAGES_LEN);
	pid = fork_or_fail();
	if (!pid) {
		close(p[0]);
		memset(buf, 'x', PAGES_LEN);
		for (long i = 0; i < chunks * (bench_reps + 1); i++) {
			struct iovec iov = { buf, PAGES_LEN };

			/* The pipe holds references to buf's pages, which never change. */
			while (iov.iov_len) {
				ssize_t n = vmsplice(p[1], &iov, 1, 0);

				if (n <= 0)
					_exit(1);
				iov.iov_base = (char *)iov.iov_base + n;
				iov.iov_len -= (size_t)n;
			}
		}
		_exit(0);
	}
	close(p[1]);
	for (int r = 0; r <= bench_reps; r++) {
		long want = chunks * PAGES_LEN;
		uint64_t t0 = rdtsc(), t1;

		while (want > 0) {
			ssize_t got = read(p[0], buf, want < PAGES_LEN ? (size_t)want : PAGES_LEN);

			if (got <= 0 || buf[got - 1] != 'x')
				row_fail("pipe read: %s", got < 0 ? strerror(errno) : "bad data or EOF");
			want -= got;
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, chunks * (PAGES_LEN >> 10));
	}
	reap_ok(pid, "vmsplice writer");
	row_report(b.cycles);
}
