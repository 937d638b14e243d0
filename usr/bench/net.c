/*
 * Loopback network rows (lmbench's lat_tcp, lat_udp, bw_tcp, lat_connect over
 * 127.0.0.1): a one-byte round trip over TCP and over UDP, TCP bandwidth
 * with 64 KiB writes in cycles per KiB, and the cycles of one TCP
 * connect + accept + close of both ends.
 *
 * A kernel without sockets SKIPs them at the first socket() call. As PID 1
 * on Linux the loopback interface starts down, so each row brings it up
 * (SIOCSIFFLAGS), which also gives it 127.0.0.1.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exobench.h"

static void lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;

	if (s < 0)
		row_errno("socket(AF_INET)");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		row_errno("SIOCGIFFLAGS lo");
	if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			row_errno("SIOCSIFFLAGS lo");
	}
	close(s);
}

/* A socket bound to 127.0.0.1 on a port the kernel picks; @addr gets the address. */
static int bound_socket(int type, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, type, 0);

	if (s < 0)
		row_errno("socket(AF_INET)");
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	need(bind(s, (struct sockaddr *)addr, sizeof(*addr)), "bind 127.0.0.1");
	need(getsockname(s, (struct sockaddr *)addr, &len), "getsockname");
	return s;
}

static void nodelay(int s)
{
	int one = 1;

	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void echo_forever(int s)
{
	char c;

	while (read(s, &c, 1) == 1)
		if (write(s, &c, 1) != 1)
			break;
	_exit(0);
}

static int round_trip_fd;

static void round_trip(void *unused)
{
	char c = 'x';

	(void)unused;
	if (write(round_trip_fd, &c, 1) != 1)
		row_errno("write");
	if (read(round_trip_fd, &c, 1) != 1)
		row_fail("read: %s", strerror(errno));
}

/* The parent's end of a TCP connection to a child that runs @child on its end. */
static int tcp_pair(void (*child)(int))
{
	struct sockaddr_in addr;
	int l, c;
	pid_t pid;

	lo_up();
	l = bound_socket(SOCK_STREAM, &addr);
	need(listen(l, 1), "listen");
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		int a = accept(l, NULL, NULL);

		if (a < 0)
			_exit(1);
		close(l);
		nodelay(a);
		child(a);
		_exit(0);
	}
	close(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0)
		row_errno("socket(AF_INET)");
	need(connect(c, (struct sockaddr *)&addr, sizeof(addr)), "connect 127.0.0.1");
	nodelay(c);
	return c;
}

void bench_tcp_rtt(void)
{
	round_trip_fd = tcp_pair(echo_forever);
	round_trip(NULL);
	row_report(best_of(it(300), round_trip, NULL));
}

void bench_udp_rtt(void)
{
	struct sockaddr_in a, b;
	int sa, sb;
	pid_t pid;

	lo_up();
	sa = bound_socket(SOCK_DGRAM, &a);
	sb = bound_socket(SOCK_DGRAM, &b);
	need(connect(sa, (struct sockaddr *)&b, sizeof(b)), "connect udp");
	need(connect(sb, (struct sockaddr *)&a, sizeof(a)), "connect udp");
	pid = fork();
	if (pid < 0)
		row_errno("fork");
	if (pid == 0) {
		close(sa);
		echo_forever(sb);
	}
	close(sb);
	round_trip_fd = sa;
	round_trip(NULL);
	{
		/* The echoer never sees end of file on UDP: stop it with a zero-length datagram. */
		uint64_t figure = best_of(it(300), round_trip, NULL);

		if (write(sa, "", 0) < 0)
			row_errno("write");
		reap_ok(pid, "udp echo");
		row_report(figure);
	}
}

#define BW_CHUNK (64 << 10)

static long bw_chunks;

static void send_all(int s)
{
	char *buf = calloc(1, BW_CHUNK);

	if (!buf)
		_exit(1);
	for (long i = 0; i < bw_chunks * (bench_reps + 1); i++) {
		for (long off = 0; off < BW_CHUNK;) {
			ssize_t n = write(s, buf + off, BW_CHUNK - off);

			if (n <= 0)
				_exit(1);
			off += n;
		}
	}
}

void bench_tcp_bw(void)
{
	struct best b = BEST_INIT;
	char *buf = malloc(BW_CHUNK);
	int s;

	if (!buf)
		row_fail("malloc");
	bw_chunks = it(32);
	s = tcp_pair(send_all);
	for (int r = 0; r <= bench_reps; r++) {
		long want = bw_chunks * BW_CHUNK;
		uint64_t t0 = rdtsc(), t1;

		while (want > 0) {
			ssize_t got = read(s, buf, want < BW_CHUNK ? want : BW_CHUNK);

			if (got <= 0)
				row_fail("tcp read: %s", got < 0 ? strerror(errno) : "early EOF");
			want -= got;
		}
		t1 = rdtsc();
		if (r > 0)
			best_add(&b, t0, t1, bw_chunks * (BW_CHUNK >> 10));
	}
	row_report(b.cycles);
}

static int connect_listener;
static struct sockaddr_in connect_addr;

/*
 * One connection's life in one process: connect() returns once the handshake
 * is done (loopback runs the listener's side meanwhile), accept() takes the
 * child from the queue, and the client closes first, so the client's end
 * waits in TIME_WAIT and the server's closes at once on the FIN's ACK.
 */
static void connect_accept_close(void *unused)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), a;

	(void)unused;
	if (c < 0)
		row_errno("socket(AF_INET)");
	need(connect(c, (struct sockaddr *)&connect_addr, sizeof(connect_addr)),
	     "connect 127.0.0.1");
	a = need(accept(connect_listener, NULL, NULL), "accept");
	close(c);
	close(a);
}

void bench_tcp_connect(void)
{
	lo_up();
	connect_listener = bound_socket(SOCK_STREAM, &connect_addr);
	need(listen(connect_listener, 16), "listen");
	connect_accept_close(NULL);
	/* 6 passes of 200: 1,200 connections in TIME_WAIT, well under either kernel's cap. */
	row_report(best_of(it(200), connect_accept_close, NULL));
}
