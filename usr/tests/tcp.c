/*
 * TCP over the loopback (127.0.0.1), as Linux behaves: connect/accept and
 * addresses, a 1 MiB echo with a checksum, half-close, non-blocking
 * connect (EINPROGRESS, SO_ERROR, EISCONN), ECONNREFUSED from a closed
 * port, EADDRINUSE and SO_REUSEADDR over TIME_WAIT, MSG_PEEK, MSG_WAITALL,
 * poll events, EPIPE/SIGPIPE, SO_LINGER 0 (RST, ECONNRESET), 50
 * concurrent connections, shutdown, the queue ioctls and TCP options.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static void tcp_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static struct sockaddr_in loopback(unsigned short port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A listener on 127.0.0.1 at an ephemeral port; *port gets it. */
static int tcp_listener(unsigned short *port, int backlog, int reuse)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_GE(fd, 0);
	if (reuse)
		ASSERT_OK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)));
	ASSERT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_OK(listen(fd, backlog));
	ASSERT_OK(getsockname(fd, (struct sockaddr *)&a, &len));
	*port = ntohs(a.sin_port);
	return fd;
}

static int tcp_connect_to(unsigned short port)
{
	struct sockaddr_in a = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_GE(fd, 0);
	ASSERT_OK(connect(fd, (struct sockaddr *)&a, sizeof(a)));
	return fd;
}

/* A connected pair: *c the client, *s the accepted server side. */
static void tcp_pair(int *c, int *s)
{
	unsigned short port;
	int l = tcp_listener(&port, 4, 0);

	*c = tcp_connect_to(port);
	*s = accept(l, NULL, NULL);
	ASSERT_GE(*s, 0);
	close(l);
}

TEST(tcp, connect_accept_and_names)
{
	struct sockaddr_in ca, sa, peer;
	socklen_t len = sizeof(peer);
	unsigned short port;
	int l = tcp_listener(&port, 4, 0), c, s, v = 0;

	c = tcp_connect_to(port);
	s = accept4(l, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ASSERT_GE(s, 0);
	EXPECT_EQ(len, sizeof(peer));
	EXPECT_TRUE(fcntl(s, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(s, F_GETFD) & FD_CLOEXEC);
	len = sizeof(ca);
	ASSERT_OK(getsockname(c, (struct sockaddr *)&ca, &len));
	EXPECT_EQ(peer.sin_port, ca.sin_port);
	EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	len = sizeof(sa);
	ASSERT_OK(getpeername(c, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(ntohs(sa.sin_port), port);
	len = sizeof(sa);
	ASSERT_OK(getsockname(s, (struct sockaddr *)&sa, &len));
	EXPECT_EQ(ntohs(sa.sin_port), port);
	len = sizeof(v);
	ASSERT_OK(getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len));
	EXPECT_EQ(v, 1);
	/* Non-blocking accept on an empty queue. */
	fcntl(l, F_SETFL, O_NONBLOCK);
	EXPECT_ERRNO(accept(l, NULL, NULL), EAGAIN);
	/* A listener's peer and an unconnected socket's are ENOTCONN. */
	len = sizeof(sa);
	EXPECT_ERRNO(getpeername(l, (struct sockaddr *)&sa, &len), ENOTCONN);
	EXPECT_EQ(write(c, "x", 1), 1);
	char b;
	struct pollfd p = { s, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(read(s, &b, 1), 1);
	EXPECT_EQ(b, 'x');
	close(c);
	close(s);
	close(l);
}

#define ECHO_BIG (1 << 20)

static unsigned char pattern_byte(long i)
{
	return (unsigned char)(i * 131 + (i >> 11));
}

TEST_TIMEOUT(tcp, echo_1mib_checksum_half_close, 60)
{
	unsigned short port;
	int l = tcp_listener(&port, 4, 0), c, status;
	unsigned long long sum = 0, want = 0;
	static unsigned char buf[65536];
	long got = 0;
	ssize_t n;
	pid_t srv, wr;

	srv = fork();
	ASSERT_GE(srv, 0);
	if (srv == 0) {
		int s = accept(l, NULL, NULL);

		if (s < 0)
			_exit(1);
		while ((n = read(s, buf, sizeof(buf))) > 0)
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(s, buf + off, (size_t)(n - off));

				if (w <= 0)
					_exit(2);
				off += w;
			}
		_exit(n == 0 ? 0 : 3);
	}
	c = tcp_connect_to(port);
	wr = fork();
	ASSERT_GE(wr, 0);
	if (wr == 0) {
		long off = 0;

		while (off < ECHO_BIG) {
			int len = 7001 + (int)(off % 5000);

			if (len > ECHO_BIG - off)
				len = (int)(ECHO_BIG - off);
			for (int i = 0; i < len; i++)
				buf[i] = pattern_byte(off + i);
			n = write(c, buf, (size_t)len);
			if (n <= 0)
				_exit(1);
			off += n;
		}
		/* Half-close: the echo still comes back. */
		_exit(shutdown(c, SHUT_WR) ? 2 : 0);
	}
	for (long i = 0; i < ECHO_BIG; i++)
		want += pattern_byte(i) * (unsigned long long)(i % 65521 + 1);
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum += buf[i] * (unsigned long long)((got + i) % 65521 + 1);
		got += n;
	}
	EXPECT_EQ(n, 0);
	EXPECT_EQ(got, ECHO_BIG);
	EXPECT_EQ(sum, want);
	ASSERT_EQ(waitpid(wr, &status, 0), wr);
	EXPECT_EQ(status, 0);
	ASSERT_EQ(waitpid(srv, &status, 0), srv);
	EXPECT_EQ(status, 0);
	close(c);
	close(l);
}

TEST(tcp, half_close_and_rdhup)
{
	int c, s;
	char buf[16];
	struct pollfd p;

	tcp_pair(&c, &s);
	ASSERT_OK(shutdown(c, SHUT_WR));
	p = (struct pollfd){ s, POLLIN | POLLRDHUP, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLRDHUP);
	EXPECT_EQ(read(s, buf, sizeof(buf)), 0);
	/* The other direction still works. */
	EXPECT_EQ(write(s, "back", 4), 4);
	p = (struct pollfd){ c, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(read(c, buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "back", 4);
	/* Writing after SHUT_WR: EPIPE (SIGPIPE ignored here). */
	signal(SIGPIPE, SIG_IGN);
	EXPECT_ERRNO(write(c, "x", 1), EPIPE);
	close(s);
	EXPECT_EQ(read(c, buf, sizeof(buf)), 0);
	close(c);
}

TEST(tcp, nonblocking_connect)
{
	unsigned short port;
	int l = tcp_listener(&port, 4, 0), c, s, err = -1, r;
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(err);
	struct pollfd p;

	a.sin_port = htons(port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_GE(c, 0);
	r = connect(c, (struct sockaddr *)&a, sizeof(a));
	EXPECT_TRUE(r == 0 || errno == EINPROGRESS);
	p = (struct pollfd){ c, POLLOUT, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(err, 0);
	/* As Linux: the first connect after completion reports success, later ones EISCONN. */
	if (r < 0)
		EXPECT_OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), EISCONN);
	s = accept(l, NULL, NULL);
	EXPECT_GE(s, 0);
	/* Nothing to read yet: EAGAIN. */
	char b;
	EXPECT_ERRNO(read(c, &b, 1), EAGAIN);
	close(s);
	close(c);
	close(l);
}

TEST(tcp, connect_refused)
{
	unsigned short port;
	int l = tcp_listener(&port, 1, 0), c, err = -1;
	struct sockaddr_in a = loopback(port);
	socklen_t len = sizeof(err);
	struct pollfd p;

	close(l);	/* nobody listens there now */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_GE(c, 0);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED);
	close(c);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ASSERT_GE(c, 0);
	int r = connect(c, (struct sockaddr *)&a, sizeof(a));
	if (r < 0 && errno == EINPROGRESS) {
		p = (struct pollfd){ c, POLLOUT, 0 };
		EXPECT_EQ(poll(&p, 1, 5000), 1);
		EXPECT_TRUE(p.revents & POLLERR);
		EXPECT_TRUE(p.revents & POLLHUP);
		ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
		EXPECT_EQ(err, ECONNREFUSED);
		/* SO_ERROR is taken once. */
		ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
		EXPECT_EQ(err, 0);
	} else {
		EXPECT_ERRNO(r, ECONNREFUSED);
	}
	close(c);
}

TEST(tcp, eaddrinuse_and_reuseaddr)
{
	unsigned short port;
	int l = tcp_listener(&port, 1, 1), a, one = 1;
	struct sockaddr_in addr = loopback(port);

	a = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_ERRNO(bind(a, (struct sockaddr *)&addr, sizeof(addr)), EADDRINUSE);
	/* SO_REUSEADDR does not share a port with a listener. */
	ASSERT_OK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_ERRNO(bind(a, (struct sockaddr *)&addr, sizeof(addr)), EADDRINUSE);
	close(a);
	/* A second bind of a bound socket is EINVAL. */
	EXPECT_ERRNO(bind(l, (struct sockaddr *)&addr, sizeof(addr)), EINVAL);
	/* Not a local address. */
	a = socket(AF_INET, SOCK_STREAM, 0);
	addr.sin_addr.s_addr = htonl(0x0a0b0c0d);
	EXPECT_ERRNO(bind(a, (struct sockaddr *)&addr, sizeof(addr)), EADDRNOTAVAIL);
	close(a);
	close(l);
}

TEST(tcp, reuseaddr_after_time_wait)
{
	unsigned short port;
	int l = tcp_listener(&port, 1, 1), c, s, a, one = 1;
	struct sockaddr_in addr = loopback(port);
	char b;

	c = tcp_connect_to(port);
	s = accept(l, NULL, NULL);
	ASSERT_GE(s, 0);
	close(l);
	/* The server closes first: its end of the connection goes to TIME_WAIT on this port. */
	close(s);
	EXPECT_EQ(read(c, &b, 1), 0);
	close(c);
	tcp_sleep_ms(50);
	a = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_ERRNO(bind(a, (struct sockaddr *)&addr, sizeof(addr)), EADDRINUSE);
	close(a);
	a = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_OK(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_OK(bind(a, (struct sockaddr *)&addr, sizeof(addr)));
	EXPECT_OK(listen(a, 1));
	close(a);
}

TEST(tcp, msg_peek_and_fionread)
{
	int c, s, n = -1;
	char buf[16];
	struct pollfd p;

	tcp_pair(&c, &s);
	ASSERT_EQ(send(c, "hello", 5, 0), 5);
	p = (struct pollfd){ s, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_OK(ioctl(s, FIONREAD, &n));
	EXPECT_EQ(n, 5);
	EXPECT_EQ(recv(s, buf, 3, MSG_PEEK), 3);
	EXPECT_MEMEQ(buf, "hel", 3);
	EXPECT_EQ(recv(s, buf, sizeof(buf), MSG_PEEK), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	EXPECT_EQ(recv(s, buf, 2, 0), 2);
	EXPECT_MEMEQ(buf, "he", 2);
	EXPECT_EQ(recv(s, buf, sizeof(buf), 0), 3);
	EXPECT_MEMEQ(buf, "llo", 3);
	EXPECT_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	EXPECT_OK(ioctl(s, FIONREAD, &n));
	EXPECT_EQ(n, 0);
	EXPECT_OK(ioctl(c, SIOCOUTQ, &n));
	EXPECT_GE(n, 0);
	close(c);
	close(s);
}

TEST(tcp, msg_waitall)
{
	int c, s, status;
	char buf[3000];
	pid_t pid;

	tcp_pair(&c, &s);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		memset(buf, 'w', sizeof(buf));
		for (int i = 0; i < 3; i++) {
			if (write(c, buf, 1000) != 1000)
				_exit(1);
			tcp_sleep_ms(30);
		}
		_exit(0);
	}
	EXPECT_EQ(recv(s, buf, sizeof(buf), MSG_WAITALL), 3000);
	EXPECT_EQ(buf[2999], 'w');
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
	close(c);
	close(s);
}

TEST(tcp, poll_events)
{
	unsigned short port;
	int fresh = socket(AF_INET, SOCK_STREAM, 0), l, c, s;
	struct pollfd p;
	char buf[8];

	/* A new socket: POLLOUT | POLLHUP, as Linux reports a closed one. */
	p = (struct pollfd){ fresh, POLLIN | POLLOUT | POLLRDHUP, 0 };
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT | POLLHUP);
	close(fresh);
	l = tcp_listener(&port, 4, 0);
	p = (struct pollfd){ l, POLLIN | POLLOUT, 0 };
	EXPECT_EQ(poll(&p, 1, 0), 0);
	c = tcp_connect_to(port);
	p = (struct pollfd){ l, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(p.revents, POLLIN);
	s = accept(l, NULL, NULL);
	ASSERT_GE(s, 0);
	p = (struct pollfd){ c, POLLIN | POLLOUT | POLLRDHUP, 0 };
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLOUT);
	EXPECT_EQ(write(s, "ab", 2), 2);
	p = (struct pollfd){ c, POLLIN | POLLRDHUP, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_EQ(p.revents, POLLIN);
	EXPECT_EQ(read(c, buf, sizeof(buf)), 2);
	close(s);
	p = (struct pollfd){ c, POLLIN | POLLOUT | POLLRDHUP, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	tcp_sleep_ms(20);
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP);
	/* Both directions shut: POLLHUP too. */
	ASSERT_OK(shutdown(c, SHUT_WR));
	tcp_sleep_ms(20);
	EXPECT_EQ(poll(&p, 1, 0), 1);
	EXPECT_EQ(p.revents, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	close(c);
	close(l);
}

static volatile sig_atomic_t tcp_got_sigpipe;

static void tcp_on_sigpipe(int sig)
{
	(void)sig;
	tcp_got_sigpipe++;
}

TEST(tcp, epipe_and_sigpipe)
{
	int c, s;
	ssize_t r = 0;
	int e = 0;

	tcp_pair(&c, &s);
	signal(SIGPIPE, tcp_on_sigpipe);
	ASSERT_OK(shutdown(c, SHUT_WR));
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	EXPECT_EQ(tcp_got_sigpipe, 0);
	EXPECT_ERRNO(send(c, "x", 1, 0), EPIPE);
	EXPECT_EQ(tcp_got_sigpipe, 1);
	close(c);
	/* Writing to a peer that has closed: the RST it answers with makes the next write EPIPE. */
	tcp_pair(&c, &s);
	close(s);
	tcp_sleep_ms(20);
	for (int i = 0; i < 100; i++) {
		r = send(c, "data", 4, MSG_NOSIGNAL);
		e = errno;
		if (r < 0)
			break;
		tcp_sleep_ms(10);
	}
	EXPECT_EQ(r, -1);
	EXPECT_EQ(e, EPIPE);
	close(c);
	/* Sending on an unconnected socket: EPIPE; receiving: ENOTCONN. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_ERRNO(send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	char b;
	EXPECT_ERRNO(recv(c, &b, 1, 0), ENOTCONN);
	close(c);
}

TEST(tcp, linger_zero_resets)
{
	int c, s;
	struct linger lg = { 1, 0 };
	char buf[8];
	struct pollfd p;

	tcp_pair(&c, &s);
	ASSERT_OK(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	socklen_t len = sizeof(lg);
	lg.l_onoff = 0;
	ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &len));
	EXPECT_EQ(lg.l_onoff, 1);
	EXPECT_EQ(lg.l_linger, 0);
	close(c);
	p = (struct pollfd){ s, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_TRUE(p.revents & POLLERR);
	EXPECT_ERRNO(read(s, buf, sizeof(buf)), ECONNRESET);
	EXPECT_EQ(read(s, buf, sizeof(buf)), 0);
	close(s);
}

TEST(tcp, close_with_unread_data_resets)
{
	int c, s;
	char buf[8];
	struct pollfd p;

	tcp_pair(&c, &s);
	ASSERT_EQ(write(c, "unread", 6), 6);
	p = (struct pollfd){ s, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	close(s);
	p = (struct pollfd){ c, POLLIN, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	EXPECT_ERRNO(read(c, buf, sizeof(buf)), ECONNRESET);
	close(c);
}

#define NCONN 50

TEST_TIMEOUT(tcp, fifty_concurrent_connections, 30)
{
	unsigned short port;
	int l = tcp_listener(&port, 64, 0), c[NCONN], s[NCONN];
	char b;

	for (int i = 0; i < NCONN; i++)
		c[i] = tcp_connect_to(port);
	for (int i = 0; i < NCONN; i++) {
		s[i] = accept(l, NULL, NULL);
		ASSERT_GE(s[i], 0);
	}
	for (int i = 0; i < NCONN; i++) {
		b = (char)i;
		EXPECT_EQ(write(c[i], &b, 1), 1);
	}
	/* Connection i's server side reads what client i wrote: match by the peer's port. */
	for (int i = 0; i < NCONN; i++) {
		struct sockaddr_in a;
		socklen_t len = sizeof(a);

		ASSERT_OK(getpeername(s[i], (struct sockaddr *)&a, &len));
		EXPECT_EQ(read(s[i], &b, 1), 1);
		for (int j = 0; j < NCONN; j++) {
			struct sockaddr_in ca;
			socklen_t clen = sizeof(ca);

			getsockname(c[j], (struct sockaddr *)&ca, &clen);
			if (ca.sin_port == a.sin_port)
				EXPECT_EQ(b, (char)j);
		}
		EXPECT_EQ(write(s[i], &b, 1), 1);
	}
	for (int i = 0; i < NCONN; i++) {
		char r;

		EXPECT_EQ(read(c[i], &r, 1), 1);
		EXPECT_EQ(r, (char)i);
		close(c[i]);
		close(s[i]);
	}
	close(l);
}

TEST(tcp, shutdown_semantics)
{
	int c, s, fresh = socket(AF_INET, SOCK_STREAM, 0);
	char buf[8];

	EXPECT_ERRNO(shutdown(fresh, SHUT_RDWR), ENOTCONN);
	EXPECT_ERRNO(shutdown(fresh, 7), EINVAL);
	close(fresh);
	tcp_pair(&c, &s);
	/* SHUT_RD: reads end at once; the peer may still write. */
	ASSERT_OK(shutdown(s, SHUT_RD));
	EXPECT_EQ(read(s, buf, sizeof(buf)), 0);
	EXPECT_EQ(write(c, "x", 1), 1);
	ASSERT_OK(shutdown(s, SHUT_WR));
	EXPECT_EQ(read(c, buf, sizeof(buf)), 0);
	ASSERT_OK(shutdown(c, SHUT_RDWR));
	close(c);
	close(s);
}

TEST(tcp, socket_options)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), v, c, s;
	socklen_t len = sizeof(v);
	struct tcp_info ti;

	ASSERT_GE(fd, 0);
	v = 1;
	EXPECT_OK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)));
	v = 0;
	EXPECT_OK(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len));
	EXPECT_EQ(v, 1);
	v = 30;
	EXPECT_OK(setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, sizeof(v)));
	EXPECT_OK(getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &v, &len));
	EXPECT_EQ(v, 30);
	v = 0;
	EXPECT_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &v, sizeof(v)), EINVAL);
	v = 5;
	EXPECT_OK(setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)));
	v = 1;
	EXPECT_OK(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof(v)));
	EXPECT_OK(getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &v, &len));
	EXPECT_EQ(v, 1);
	EXPECT_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	EXPECT_EQ(v, SOCK_STREAM);
	EXPECT_OK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	EXPECT_EQ(v, IPPROTO_TCP);
	v = 10;
	EXPECT_ERRNO(setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, sizeof(v)), EINVAL);
	EXPECT_ERRNO(setsockopt(fd, IPPROTO_TCP, 9999, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(ti);
	EXPECT_OK(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, TCP_CLOSE);
	close(fd);
	tcp_pair(&c, &s);
	len = sizeof(ti);
	EXPECT_OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	EXPECT_GT(ti.tcpi_snd_mss, 0);
	len = sizeof(v);
	EXPECT_OK(getsockopt(c, IPPROTO_TCP, TCP_MAXSEG, &v, &len));
	EXPECT_GT(v, 500);
	v = 1;
	EXPECT_OK(setsockopt(c, IPPROTO_TCP, TCP_QUICKACK, &v, sizeof(v)));
	close(c);
	close(s);
}

/* /proc/net/tcp in Linux's layout: a listener and both ends of a connection, state in hex. */
TEST(tcp, proc_net_tcp)
{
	unsigned short port;
	int l = tcp_listener(&port, 4, 0), c, s;
	char buf[65536], want[64];
	ssize_t n, off = 0;
	int fd;

	c = tcp_connect_to(port);
	s = accept(l, NULL, NULL);
	ASSERT_GE(s, 0);
	fd = open("/proc/net/tcp", O_RDONLY);
	ASSERT_GE(fd, 0);
	while ((n = read(fd, buf + off, sizeof(buf) - 1 - (size_t)off)) > 0)
		off += n;
	buf[off] = 0;
	close(fd);
	EXPECT_TRUE(!strncmp(buf, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
			     "retrnsmt   uid  timeout inode", 86));
	snprintf(want, sizeof(want), "0100007F:%04X 00000000:0000 0A", port);
	EXPECT_TRUE(strstr(buf, want) != NULL);
	snprintf(want, sizeof(want), ": 0100007F:%04X 0100007F:", port);
	EXPECT_TRUE(strstr(buf, want) != NULL);	/* the accepted end, ESTABLISHED */
	snprintf(want, sizeof(want), "0100007F:%04X 01 ", port);
	EXPECT_TRUE(strstr(buf, want) != NULL);	/* the client's end */
	close(c);
	close(s);
	close(l);
}

/* Flow control: a non-blocking writer fills both buffers (EAGAIN), the reader drains it all. */
TEST_TIMEOUT(tcp, nonblocking_fill_and_drain, 30)
{
	int c, s, small = 16384;
	static char buf[65536];
	long wrote = 0, got = 0;
	ssize_t n;
	struct pollfd p;

	tcp_pair(&c, &s);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	fcntl(c, F_SETFL, O_NONBLOCK);
	memset(buf, 'f', sizeof(buf));
	for (int idle = 0; idle < 20;) {
		n = write(c, buf, sizeof(buf));
		if (n > 0) {
			wrote += n;
			idle = 0;
			continue;
		}
		int e = errno;

		EXPECT_EQ(n, -1);
		EXPECT_EQ(e, EAGAIN);
		idle++;
		tcp_sleep_ms(5);
	}
	EXPECT_GT(wrote, 0);
	p = (struct pollfd){ c, POLLOUT, 0 };
	EXPECT_EQ(poll(&p, 1, 0), 0);
	fcntl(s, F_SETFL, O_NONBLOCK);
	while (got < wrote) {
		p = (struct pollfd){ s, POLLIN, 0 };
		if (poll(&p, 1, 5000) != 1)
			break;
		n = read(s, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += n;
	}
	EXPECT_EQ(got, wrote);
	p = (struct pollfd){ c, POLLOUT, 0 };
	EXPECT_EQ(poll(&p, 1, 5000), 1);
	close(c);
	close(s);
}

TEST(tcp, rcvtimeo_and_sndbuf)
{
	int c, s, v;
	struct timeval tv = { 0, 100000 };
	socklen_t len = sizeof(v);
	char b;
	long long t0;

	tcp_pair(&c, &s);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	t0 = now_ns();
	EXPECT_ERRNO(read(s, &b, 1), EAGAIN);
	EXPECT_GE(now_ns() - t0, 90000000LL);
	v = 4096;
	ASSERT_OK(setsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, &len));
	EXPECT_EQ(v, 8192);
	close(c);
	close(s);
}

/* Keepalive probes on an idle connection are answered: it stays up and usable. */
TEST(tcp, keepalive_probes_keep_it_up)
{
	int c, s, one = 1, v;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	char b;

	tcp_pair(&c, &s);
	ASSERT_OK(setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
	ASSERT_OK(setsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof(one)));
	ASSERT_OK(setsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof(one)));
	v = 2;
	ASSERT_OK(setsockopt(c, IPPROTO_TCP, TCP_KEEPCNT, &v, sizeof(v)));
	tcp_sleep_ms(3500);
	ASSERT_OK(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &len));
	EXPECT_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	EXPECT_EQ(write(c, "k", 1), 1);
	EXPECT_EQ(read(s, &b, 1), 1);
	close(c);
	close(s);
}

/* SO_REUSEPORT: two listeners on one port share the connections. */
TEST(tcp, reuseport_listeners_share)
{
	int l[2], one = 1, accepted = 0, c[20];
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);

	for (int i = 0; i < 2; i++) {
		l[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_OK(setsockopt(l[i], SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
		ASSERT_OK(bind(l[i], (struct sockaddr *)&a, sizeof(a)));
		ASSERT_OK(listen(l[i], 32));
		if (i == 0) {
			ASSERT_OK(getsockname(l[0], (struct sockaddr *)&a, &len));
		}
	}
	for (int i = 0; i < 20; i++)
		c[i] = tcp_connect_to(ntohs(a.sin_port));
	for (int tries = 0; tries < 200 && accepted < 20; tries++) {
		for (int i = 0; i < 2; i++) {
			int s = accept(l[i], NULL, NULL);

			if (s >= 0) {
				accepted++;
				close(s);
			}
		}
		if (accepted < 20)
			tcp_sleep_ms(5);
	}
	EXPECT_EQ(accepted, 20);
	for (int i = 0; i < 20; i++)
		close(c[i]);
	close(l[0]);
	close(l[1]);
}
