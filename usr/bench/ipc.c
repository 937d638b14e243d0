/*
 * Rows between two processes: pipe and AF_UNIX round trips (lmbench's
 * lat_pipe, lat_unix), context switches (lat_ctx with two processes),
 * pipe bandwidth (bw_pipe), a POSIX message queue round trip, and System V
 * semaphore and message queue round trips.
 *
 * The partner process echoes a byte until its input reaches end of file, so
 * it ends by itself when the row's process exits; it needs no signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "exobench.h"

static volatile unsigned long sink;

/* Reads the working set as lat_ctx does: one int per 4 bytes, summed. */
static void touch_ws(const int *ws, size_t bytes)
{
	unsigned long s = 0;

	for (size_t i = 0; i < bytes / sizeof(int); i++)
		s += ws[i];
	sink += s;
}

static int *alloc_ws(size_t bytes)
{
	int *ws = malloc(bytes ? bytes : 1);

	if (!ws)
		row_fail("malloc");
	memset(ws, 1, bytes);
	return ws;
}

/* The partner: read a byte from @in, touch its working set, echo it to @out. */
static pid_t start_echo(int in, int out, int close1, int close2, size_t wss)
{
	pid_t pid = fork();

	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		int *ws = alloc_ws(wss);
		char c;

		close(close1);
		if (close2 != close1)
			close(close2);
		while (read(in, &c, 1) == 1) {
			touch_ws(ws, wss);
			if (write(out, &c, 1) != 1)
				break;
		}
		_exit(0);
	}
	return pid;
}

struct hop {
	int out, in;		/* write the token to out, wait for it on in */
	const int *ws;
	size_t wss;
};

static void hop(void *arg)
{
	struct hop *h = arg;
	char c = 'x';

	touch_ws(h->ws, h->wss);
	if (write(h->out, &c, 1) != 1)
		row_errno("write token");
	if (read(h->in, &c, 1) != 1)
		row_fail("read token: %s", strerror(errno));
}

/* Two pipes, @wss bytes touched by each side per hop; returns cycles per round trip. */
static uint64_t pipe_pingpong(size_t wss, long n, int **ws_out)
{
	int to[2], from[2];
	struct hop h;

	need(pipe(to), "pipe");
	need(pipe(from), "pipe");
	start_echo(to[0], from[1], to[1], from[0], wss);
	close(to[0]);
	close(from[1]);
	h = (struct hop){ .out = to[1], .in = from[0], .ws = alloc_ws(wss), .wss = wss };
	if (ws_out)
		*ws_out = (int *)h.ws;
	hop(&h);
	return best_of(n, hop, &h);
}

void bench_pipe_rtt(void)
{
	row_report(pipe_pingpong(0, it(500), NULL));
}

/*
 * lat_ctx: a switch costs half the round trip less one side's own work (the
 * pipe write and read and the working-set sum), which is measured alone on
 * a pipe to itself.
 */
static void ctxsw(size_t wss)
{
	uint64_t rtt, overhead;
	int self[2];
	struct hop h;
	int *ws;

	rtt = pipe_pingpong(wss, it(500), &ws);
	need(pipe(self), "pipe");
	h = (struct hop){ .out = self[1], .in = self[0], .ws = ws, .wss = wss };
	overhead = best_of(it(500), hop, &h);
	row_report(rtt / 2 > overhead ? rtt / 2 - overhead : 0);
}

void bench_ctxsw_0k(void)
{
	ctxsw(0);
}

void bench_ctxsw_16k(void)
{
	ctxsw(16 << 10);
}

void bench_unix_rtt(void)
{
	int sv[2];
	struct hop h;

	need(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair(AF_UNIX)");
	start_echo(sv[1], sv[1], sv[0], sv[0], 0);
	close(sv[1]);
	h = (struct hop){ .out = sv[0], .in = sv[0], .ws = NULL, .wss = 0 };
	hop(&h);
	row_report(best_of(it(500), hop, &h));
}

#define BW_CHUNK (64 << 10)

/* bw_pipe: a writer child sends 64 KiB writes; the reader times them. Cycles per KiB. */
void bench_pipe_bw(void)
{
	long chunks = it(32);
	struct best b = BEST_INIT;
	char *buf = malloc(BW_CHUNK);
	int p[2];
	pid_t pid;

	if (!buf)
		row_fail("malloc");
	memset(buf, 'x', BW_CHUNK);
	need(pipe(p), "pipe");
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		close(p[0]);
		for (long i = 0; i < chunks * (bench_reps + 1); i++)
			if (write(p[1], buf, BW_CHUNK) != BW_CHUNK)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	for (int r = 0; r <= bench_reps; r++) {
		long want = chunks * BW_CHUNK;
		uint64_t t0 = rdtsc(), t1;

		while (want > 0) {
			ssize_t got = read(p[0], buf, want < BW_CHUNK ? want : BW_CHUNK);

			if (got <= 0)
				row_fail("pipe read: %s", got < 0 ? strerror(errno) : "early EOF");
			want -= got;
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, chunks * (BW_CHUNK >> 10));
	}
	reap_ok(pid, "pipe writer");
	row_report(b.cycles);
}

/*
 * System V round trips. The partner waits for its turn (semaphore 0, or a
 * message of type 1) and hands it back (semaphore 1, type 2) until the set
 * or queue is removed under it (EIDRM), which the row does when it is done.
 */
static void sem_hop(void *arg)
{
	int id = *(int *)arg;
	struct sembuf go = { 0, 1, 0 }, back = { 1, -1, 0 };

	if (semop(id, &go, 1) || semop(id, &back, 1))
		row_errno("semop");
}

void bench_sysv_sem_pingpong(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	uint64_t cycles;
	pid_t pid;

	need(id < 0 ? -1 : 0, "semget");
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		struct sembuf wait = { 0, -1, 0 }, post = { 1, 1, 0 };

		while (!semop(id, &wait, 1) && !semop(id, &post, 1))
			;
		_exit(0);
	}
	sem_hop(&id);
	cycles = best_of(it(500), sem_hop, &id);
	semctl(id, 0, IPC_RMID);
	row_report(cycles);
}

struct token {
	long mtype;
	char c;
};

static void msg_hop(void *arg)
{
	int id = *(int *)arg;
	struct token t = { 1, 'x' };

	if (msgsnd(id, &t, 1, 0) || msgrcv(id, &t, 1, 2, 0) != 1)
		row_errno("msgsnd/msgrcv");
}

void bench_sysv_msg_pingpong(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	uint64_t cycles;
	pid_t pid;

	need(id < 0 ? -1 : 0, "msgget");
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		struct token t;

		while (msgrcv(id, &t, 1, 1, 0) == 1) {
			t.mtype = 2;
			if (msgsnd(id, &t, 1, 0))
				break;
		}
		_exit(0);
	}
	msg_hop(&id);
	cycles = best_of(it(500), msg_hop, &id);
	msgctl(id, IPC_RMID, NULL);
	row_report(cycles);
}

/*
 * mq_pingpong: a 64-byte message to the partner on one queue and back on
 * another. The queues are unlinked once both ends hold them; the partner
 * gives up after a second without a message, so it ends by itself.
 */
#define MQ_MSG 64

struct mq_hop {
	mqd_t out, in;
};

static void mq_hop(void *arg)
{
	struct mq_hop *h = arg;
	char msg[MQ_MSG] = { 0 };

	if (mq_send(h->out, msg, sizeof(msg), 0))
		row_errno("mq_send");
	if (mq_receive(h->in, msg, sizeof(msg), NULL) != MQ_MSG)
		row_errno("mq_receive");
}

void bench_mq_pingpong(void)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = MQ_MSG };
	char name_to[48], name_from[48];
	struct mq_hop h;
	pid_t pid;

	snprintf(name_to, sizeof(name_to), "/exobench-%d-to", (int)getpid());
	snprintf(name_from, sizeof(name_from), "/exobench-%d-from", (int)getpid());
	h.out = mq_open(name_to, O_CREAT | O_RDWR, 0600, &attr);
	h.in = mq_open(name_from, O_CREAT | O_RDWR, 0600, &attr);
	if (h.out < 0 || h.in < 0)
		row_errno("mq_open");
	mq_unlink(name_to);
	mq_unlink(name_from);
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		char msg[MQ_MSG];

		for (;;) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			if (mq_timedreceive(h.out, msg, sizeof(msg), NULL, &ts) != MQ_MSG ||
			    mq_send(h.in, msg, sizeof(msg), 0))
				_exit(0);
		}
	}
	mq_hop(&h);
	row_report(best_of(it(500), mq_hop, &h));
	mq_close(h.out);
	mq_close(h.in);
}
