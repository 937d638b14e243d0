/*
 * Socket tests, AF_UNIX: socketpair of each type, binding and connecting
 * by path, abstract name and autobind, the errno of each misuse, address
 * lengths, fstat, options and SO_PEERCRED, SCM_RIGHTS and SCM_CREDENTIALS,
 * poll readiness, shutdown, EPIPE/SIGPIPE, blocking and non-blocking waits
 * across processes, and a large transfer.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define FAMILY_LEN ((socklen_t)offsetof(struct sockaddr_un, sun_path))

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void pair(int type, int sv[2])
{
	ASSERT_OK(socketpair(AF_UNIX, type, 0, sv));
}

/* A path address; returns its length as bind() takes it (family + name + NUL). */
static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return FAMILY_LEN + (socklen_t)strlen(path) + 1;
}

/* An abstract address unique to this process; returns its length. */
static socklen_t abstract_addr(struct sockaddr_un *a, const char *tag)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "exotest.%d.%s", getpid(), tag);
	return FAMILY_LEN + 1 + (socklen_t)n;
}

static int listener(int type, const struct sockaddr_un *a, socklen_t len, int backlog)
{
	int s = ASSERT_OK(socket(AF_UNIX, type, 0));

	ASSERT_OK(bind(s, (const struct sockaddr *)a, len));
	ASSERT_OK(listen(s, backlog));
	return s;
}

static int connected(int type, const struct sockaddr_un *a, socklen_t len)
{
	int c = ASSERT_OK(socket(AF_UNIX, type, 0));

	ASSERT_OK(connect(c, (const struct sockaddr *)a, len));
	return c;
}

static short poll_one(int fd, short events, int timeout)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	ASSERT_GE(poll(&pfd, 1, timeout), 0);
	return pfd.revents;
}

/* Sends @n fds with one data byte; returns sendmsg's result. */
static ssize_t send_fds(int s, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(8 * sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	return sendmsg(s, &m, 0);
}

/* Receives one byte and up to @max fds into @fds with @clen control bytes; returns the fd count. */
static int recv_fds(int s, int *fds, int max, size_t clen, int *msg_flags)
{
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = clen ? cbuf : NULL,
			    .msg_controllen = clen };
	struct cmsghdr *c;
	int n = 0;

	ASSERT_EQ(recvmsg(s, &m, 0), 1);
	*msg_flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		ASSERT_TRUE(n <= max);
		memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	}
	return n;
}

/* ---- socketpair -------------------------------------------------------------- */

TEST(socket, pair_stream_roundtrip)
{
	char buf[16];
	int sv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "hello", 5), 5);
	EXPECT_EQ(write(sv[0], "world", 5), 5);
	/* A stream has no boundaries: one read gets both writes. */
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 10);
	EXPECT_MEMEQ(buf, "helloworld", 10);
	EXPECT_EQ(write(sv[1], "back", 4), 4);
	EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "back", 4);
}

TEST(socket, pair_dgram_boundaries)
{
	struct iovec iov;
	struct msghdr m;
	char buf[16];
	int sv[2];

	pair(SOCK_DGRAM, sv);
	EXPECT_EQ(send(sv[0], "one", 3, 0), 3);
	EXPECT_EQ(send(sv[0], "second", 6, 0), 6);
	EXPECT_EQ(send(sv[0], "", 0, 0), 0);
	EXPECT_EQ(send(sv[0], "truncated", 9, 0), 9);
	EXPECT_EQ(send(sv[0], "whole", 5, 0), 5);
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), 0), 3);
	EXPECT_MEMEQ(buf, "one", 3);
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), 0), 6);
	EXPECT_MEMEQ(buf, "second", 6);
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), 0), 0);
	/* A short buffer drops the rest of the datagram and says so. */
	iov = (struct iovec){ .iov_base = buf, .iov_len = 4 };
	m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
	EXPECT_EQ(recvmsg(sv[1], &m, 0), 4);
	EXPECT_TRUE(m.msg_flags & MSG_TRUNC);
	EXPECT_MEMEQ(buf, "trun", 4);
	/* MSG_TRUNC returns the real length. */
	EXPECT_EQ(recv(sv[1], buf, 2, MSG_TRUNC), 5);
	EXPECT_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
}

/*
 * write() of zero bytes reaches the socket: a datagram socket sends an empty
 * datagram and a dead or missing peer is reported. readv/writev stop at a
 * zero total before the socket sees it, so writev sends nothing.
 */
TEST(socket, zero_byte_write_and_writev)
{
	static const int types[] = { SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM };
	struct iovec empty = { .iov_base = NULL, .iov_len = 0 };
	char buf[4];
	unsigned i;
	int sv[2], s;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		pair(types[i], sv);
		EXPECT_EQ(write(sv[0], "", 0), 0);
		EXPECT_EQ(writev(sv[0], &empty, 1), 0);
		EXPECT_EQ(writev(sv[0], NULL, 0), 0);
		if (types[i] != SOCK_STREAM)
			EXPECT_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 0);
		EXPECT_ERRNO(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
		EXPECT_EQ(read(sv[1], buf, 0), 0);

		close(sv[1]);
		if (types[i] == SOCK_DGRAM) {
			/* The dead peer is reported once, then the socket is unconnected. */
			EXPECT_ERRNO(write(sv[0], "", 0), ECONNREFUSED);
			EXPECT_ERRNO(write(sv[0], "", 0), ENOTCONN);
		} else {
			EXPECT_ERRNO(write(sv[0], "", 0), EPIPE);
		}
		EXPECT_EQ(writev(sv[0], &empty, 1), 0);
		close(sv[0]);

		s = socket(AF_UNIX, types[i], 0);
		ASSERT_OK(s);
		EXPECT_ERRNO(write(s, "", 0), ENOTCONN);
		close(s);
	}
}

/*
 * read() of zero bytes is 0 before the socket looks at its state (Linux's
 * sock_read_iter), so an unconnected stream socket, which reads EINVAL,
 * reads 0 bytes without error; recv() of zero bytes and write() of zero
 * bytes do reach the socket.
 */
TEST(socket, zero_byte_read_before_state)
{
	char buf[4];
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	EXPECT_EQ(read(s, buf, 0), 0);
	EXPECT_EQ(read(s, NULL, 0), 0);
	EXPECT_ERRNO(read(s, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(recv(s, buf, 0, 0), EINVAL);
	EXPECT_ERRNO(write(s, buf, 0), ENOTCONN);
	close(s);
}

TEST(socket, pair_seqpacket_boundaries_and_eof)
{
	char buf[16];
	int sv[2];

	pair(SOCK_SEQPACKET, sv);
	EXPECT_EQ(write(sv[0], "ab", 2), 2);
	EXPECT_EQ(write(sv[0], "cde", 3), 3);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 2);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 3);
	EXPECT_MEMEQ(buf, "cde", 3);
	close(sv[0]);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 0);
}

TEST(socket, pair_flags)
{
	int sv[2];

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
	EXPECT_TRUE(fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(sv[1], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(fcntl(sv[0], F_GETFL) & O_ACCMODE, O_RDWR);
	EXPECT_ERRNO(read(sv[0], sv, 1), EAGAIN);
}

/* ---- creation and misuse ----------------------------------------------------- */

TEST(socket, create_errors)
{
	int s;

	EXPECT_ERRNO(socket(46, SOCK_STREAM, 0), EAFNOSUPPORT);	/* AF_MAX */
	EXPECT_ERRNO(socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	EXPECT_ERRNO(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	EXPECT_ERRNO(socket(AF_UNIX, 0, 0), ESOCKTNOSUPPORT);
	EXPECT_ERRNO(socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	EXPECT_ERRNO(socket(AF_UNIX, 11, 0), EINVAL);
	EXPECT_ERRNO(socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
	EXPECT_ERRNO(socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
	EXPECT_ERRNO(socketpair(46, SOCK_STREAM, 0, (int[2]){ 0 }), EAFNOSUPPORT);
	/* PF_UNIX as the protocol is fine; SOCK_RAW is a datagram socket. */
	EXPECT_OK(close(ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, AF_UNIX))));
	s = ASSERT_OK(socket(AF_UNIX, SOCK_RAW, 0));
	int type = 0;
	socklen_t len = sizeof(type);
	EXPECT_OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len));
	EXPECT_EQ(type, SOCK_DGRAM);
}

TEST(socket, enotsock_and_ebadf)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "x"), alen = sizeof(a);
	int f, v = 1;
	char c;

	write_file("file", "x", 1, 0644);
	f = ASSERT_OK(open("file", O_RDWR));
	EXPECT_ERRNO(bind(f, (struct sockaddr *)&a, len), ENOTSOCK);
	EXPECT_ERRNO(connect(f, (struct sockaddr *)&a, len), ENOTSOCK);
	EXPECT_ERRNO(listen(f, 1), ENOTSOCK);
	EXPECT_ERRNO(accept(f, NULL, NULL), ENOTSOCK);
	EXPECT_ERRNO(getsockname(f, (struct sockaddr *)&a, &alen), ENOTSOCK);
	EXPECT_ERRNO(getpeername(f, (struct sockaddr *)&a, &alen), ENOTSOCK);
	EXPECT_ERRNO(send(f, "x", 1, 0), ENOTSOCK);
	EXPECT_ERRNO(recv(f, &c, 1, 0), ENOTSOCK);
	EXPECT_ERRNO(shutdown(f, SHUT_RD), ENOTSOCK);
	EXPECT_ERRNO(setsockopt(f, SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)), ENOTSOCK);
	EXPECT_ERRNO(bind(999, (struct sockaddr *)&a, len), EBADF);
	EXPECT_ERRNO(send(999, "x", 1, 0), EBADF);
	EXPECT_ERRNO(shutdown(999, SHUT_RD), EBADF);
}

TEST(socket, fstat_is_socket)
{
	struct stat st;
	char link[64], want[64];
	ssize_t n;
	int sv[2];

	pair(SOCK_STREAM, sv);
	ASSERT_OK(fstat(sv[0], &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(st.st_mode & 0777, 0777);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", sv[0]);
	n = readlink(link, want, sizeof(want) - 1);
	if (n > 0) {
		want[n] = 0;
		snprintf(link, sizeof(link), "socket:[%lu]", (unsigned long)st.st_ino);
		EXPECT_STREQ(want, link);
	}
	/* Each end is its own inode. */
	struct stat st2;
	ASSERT_OK(fstat(sv[1], &st2));
	EXPECT_NE(st.st_ino, st2.st_ino);
}

/* ---- names and connections --------------------------------------------------- */

TEST(socket, path_bind_listen_connect_accept)
{
	struct sockaddr_un a, got;
	socklen_t len = path_addr(&a, "srv"), glen;
	struct stat st;
	char buf[8];
	int s, c, d;

	s = listener(SOCK_STREAM, &a, len, 4);
	ASSERT_OK(stat("srv", &st));
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	/* Mode 0777 less the umask, as Linux. */
	mode_t um = umask(0);
	umask(um);
	EXPECT_EQ(st.st_mode & 07777, 0777 & ~um);
	/* The file is for connect(); open() cannot use it. */
	EXPECT_ERRNO(open("srv", O_RDWR), ENXIO);
	EXPECT_OK(close(ASSERT_OK(open("srv", O_PATH))));
	c = connected(SOCK_STREAM, &a, len);
	glen = sizeof(got);
	d = ASSERT_OK(accept(s, (struct sockaddr *)&got, &glen));
	/* The client is unnamed: just the family. */
	EXPECT_EQ(glen, FAMILY_LEN);
	EXPECT_EQ(got.sun_family, AF_UNIX);
	EXPECT_EQ(write(c, "ping", 4), 4);
	EXPECT_EQ(read(d, buf, sizeof(buf)), 4);
	EXPECT_EQ(write(d, "pong", 4), 4);
	EXPECT_EQ(read(c, buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "pong", 4);

	glen = sizeof(got);
	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, len);
	EXPECT_STREQ(got.sun_path, "srv");
	glen = sizeof(got);
	EXPECT_OK(getpeername(c, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, len);
	EXPECT_STREQ(got.sun_path, "srv");
	/* The accepted socket carries the listener's name; its peer has none. */
	glen = sizeof(got);
	EXPECT_OK(getsockname(d, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, len);
	glen = sizeof(got);
	EXPECT_OK(getpeername(d, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, FAMILY_LEN);
	glen = sizeof(got);
	EXPECT_OK(getsockname(c, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, FAMILY_LEN);
}

TEST(socket, bind_errors)
{
	struct sockaddr_un a, b;
	socklen_t len = path_addr(&a, "s1"), blen;
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int t = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	ASSERT_OK(bind(s, (struct sockaddr *)&a, len));
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, len), EADDRINUSE);
	/* Bound once is bound for good; an existing file is still EADDRINUSE. */
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&b, path_addr(&b, "s3")), EINVAL);
	EXPECT_ERRNO(access("s3", F_OK), ENOENT);
	EXPECT_ERRNO(bind(s, (struct sockaddr *)&a, len), EADDRINUSE);
	write_file("plain", "x", 1, 0644);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&b, path_addr(&b, "plain")), EADDRINUSE);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&b, path_addr(&b, "nodir/s")), ENOENT);
	blen = path_addr(&b, "s2");
	b.sun_family = AF_INET;
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&b, blen), EINVAL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, 1), EINVAL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, 1000), EINVAL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, -1), EINVAL);
	/* Closing does not remove the file; binding it again needs an unlink. */
	close(s);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, len), EADDRINUSE);
	EXPECT_OK(unlink("s1"));
	EXPECT_OK(bind(t, (struct sockaddr *)&a, len));
}

TEST(socket, connect_errors)
{
	struct sockaddr_un a, b;
	socklen_t len = path_addr(&a, "srv"), blen;
	int s, c, d;

	c = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), ENOENT);
	write_file("srv", "x", 1, 0644);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED);
	unlink("srv");
	/* Bound but not listening. */
	s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	ASSERT_OK(bind(s, (struct sockaddr *)&a, len));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED);
	/* Listening, then closed: the file stays, nobody answers. */
	ASSERT_OK(listen(s, 1));
	close(s);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED);
	blen = abstract_addr(&b, "nobody");
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&b, blen), ECONNREFUSED);
	/* A datagram socket at the name: wrong type (abstract names are per type). */
	d = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	ASSERT_OK(bind(d, (struct sockaddr *)&b, blen));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&b, blen), ECONNREFUSED);
	d = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	ASSERT_OK(bind(d, (struct sockaddr *)&b, path_addr(&b, "dg")));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&b, path_addr(&b, "dg")), EPROTOTYPE);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, 1), EINVAL);
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, 1000), EINVAL);
	a.sun_family = AF_INET;
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), EINVAL);
	/* Connected already. */
	a.sun_family = AF_UNIX;
	unlink("srv");
	s = listener(SOCK_STREAM, &a, len, 1);
	ASSERT_OK(connect(c, (struct sockaddr *)&a, len));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), EISCONN);
	/* A listener cannot connect. */
	EXPECT_ERRNO(connect(s, (struct sockaddr *)&a, len), EINVAL);
}

TEST(socket, connect_needs_write_permission)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	int s, c;

	if (have_cap(CAP_DAC_OVERRIDE))
		return;	/* root connects anyway */
	s = listener(SOCK_STREAM, &a, len, 1);
	ASSERT_OK(chmod("srv", 0500));
	c = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), EACCES);
	ASSERT_OK(chmod("srv", 0700));
	EXPECT_OK(connect(c, (struct sockaddr *)&a, len));
	close(s);
}

TEST(socket, abstract_names)
{
	struct sockaddr_un a, got;
	socklen_t len = abstract_addr(&a, "abs"), glen = sizeof(got);
	int s, t, c, d;
	char buf[4];

	s = listener(SOCK_STREAM, &a, len, 1);
	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, len);
	EXPECT_MEMEQ(&got, &a, len);
	t = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, len), EADDRINUSE);
	/* A name one byte shorter is another name; another type has its own names. */
	EXPECT_OK(bind(t, (struct sockaddr *)&a, len - 1));
	EXPECT_OK(bind(ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0)), (struct sockaddr *)&a, len));
	c = connected(SOCK_STREAM, &a, len);
	d = ASSERT_OK(accept(s, NULL, NULL));
	EXPECT_EQ(write(c, "abc", 3), 3);
	EXPECT_EQ(read(d, buf, sizeof(buf)), 3);
	/* The name is free again once its socket is closed. */
	close(s);
	close(d);
	s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_OK(bind(s, (struct sockaddr *)&a, len));
}

TEST(socket, autobind)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX }, got;
	socklen_t glen = sizeof(got);
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	ASSERT_OK(bind(s, (struct sockaddr *)&a, FAMILY_LEN));
	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	/* Linux: an abstract name of five hex digits. */
	EXPECT_EQ(glen, FAMILY_LEN + 6);
	EXPECT_EQ(got.sun_path[0], 0);
	for (int i = 1; i <= 5; i++)
		EXPECT_TRUE(strchr("0123456789abcdef", got.sun_path[i]) != NULL);
	/* Autobinding a bound socket does nothing. */
	EXPECT_OK(bind(s, (struct sockaddr *)&a, FAMILY_LEN));
	glen = sizeof(a);
	EXPECT_OK(getsockname(s, (struct sockaddr *)&a, &glen));
	EXPECT_MEMEQ(&a, &got, FAMILY_LEN + 6);
}

TEST(socket, getname_lengths)
{
	struct sockaddr_un got;
	struct sockaddr_un a;
	socklen_t glen = sizeof(got), len = path_addr(&a, "a_rather_long_socket_name");
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, FAMILY_LEN);
	EXPECT_EQ(got.sun_family, AF_UNIX);
	glen = sizeof(got);
	EXPECT_ERRNO(getpeername(s, (struct sockaddr *)&got, &glen), ENOTCONN);
	ASSERT_OK(bind(s, (struct sockaddr *)&a, len));
	/* A short buffer gets what fits; the length says what was there. */
	memset(&got, 'z', sizeof(got));
	glen = 6;
	EXPECT_OK(getsockname(s, (struct sockaddr *)&got, &glen));
	EXPECT_EQ(glen, len);
	EXPECT_MEMEQ(got.sun_path, "a_ra", 4);
	EXPECT_EQ(got.sun_path[4], 'z');
	glen = (socklen_t)-1;
	EXPECT_ERRNO(getsockname(s, (struct sockaddr *)&got, &glen), EINVAL);
}

TEST(socket, listen_accept_errors)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int d = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	EXPECT_ERRNO(listen(s, 1), EINVAL);		/* unbound */
	EXPECT_ERRNO(accept(s, NULL, NULL), EINVAL);	/* not listening */
	EXPECT_ERRNO(listen(d, 1), EOPNOTSUPP);
	EXPECT_ERRNO(accept(d, NULL, NULL), EOPNOTSUPP);
	ASSERT_OK(bind(s, (struct sockaddr *)&a, len));
	ASSERT_OK(listen(s, 1));
	EXPECT_OK(listen(s, 5));			/* again: a new backlog */
	/* Raw: musl retries a refused accept4 as accept. */
	EXPECT_ERRNO(syscall(SYS_accept4, s, NULL, NULL, 0x100), EINVAL);
}

/*
 * Every socket call that fails after looking up its fd drops the file
 * reference it took: once the listener is closed nothing keeps it alive,
 * and a connect to its name is refused. A call that leaked the reference
 * would leave the listener listening (the connect would succeed).
 */
TEST(socket, failed_calls_drop_their_reference)
{
	struct sockaddr_un a, b;
	socklen_t len = abstract_addr(&a, "leak"), blen = abstract_addr(&b, "leak2");
	int s = listener(SOCK_STREAM, &a, len, 4), c, one = 1;
	char buf[4];
	struct msghdr msg = { 0 };
	socklen_t olen = 1, *bad = unmapped_page();

	EXPECT_ERRNO(bind(s, (struct sockaddr *)&b, blen), EINVAL);	/* bound already */
	EXPECT_ERRNO(connect(s, (struct sockaddr *)&b, 1), EINVAL);	/* short address */
	EXPECT_ERRNO(shutdown(s, 99), EINVAL);
	EXPECT_ERRNO(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &one, 1), EINVAL);
	EXPECT_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, buf, bad), EFAULT);
	EXPECT_ERRNO(getsockname(s, (struct sockaddr *)&b, bad), EFAULT);
	EXPECT_ERRNO(getpeername(s, (struct sockaddr *)&b, &olen), ENOTCONN);
	EXPECT_ERRNO(sendto(s, "x", 1, 0, (struct sockaddr *)&b, 1), EOPNOTSUPP);
	EXPECT_ERRNO(recvfrom(s, buf, 1, MSG_DONTWAIT, NULL, NULL), EINVAL);
	EXPECT_ERRNO(sendmsg(s, &msg, 0), ENOTCONN);
	EXPECT_ERRNO(syscall(SYS_recvmmsg, s, NULL, 1, MSG_DONTWAIT, NULL), EFAULT);
	ASSERT_OK(fcntl(s, F_SETFL, O_NONBLOCK));
	EXPECT_ERRNO(accept4(s, NULL, NULL, SOCK_CLOEXEC), EAGAIN);
	ASSERT_OK(close(s));
	c = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_ERRNO(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED);
	close(c);
}

TEST(socket, nonblocking_accept_and_backlog)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	int s, c1, c2, c3, d;

	s = listener(SOCK_STREAM | SOCK_NONBLOCK, &a, len, 0);
	EXPECT_ERRNO(accept(s, NULL, NULL), EAGAIN);
	EXPECT_EQ(poll_one(s, POLLIN, 0), 0);
	/* Linux lets backlog + 1 connections wait. */
	c1 = connected(SOCK_STREAM, &a, len);
	EXPECT_EQ(poll_one(s, POLLIN, 0), POLLIN);
	c2 = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	EXPECT_ERRNO(connect(c2, (struct sockaddr *)&a, len), EAGAIN);
	d = ASSERT_OK(accept4(s, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	EXPECT_TRUE(fcntl(d, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(d, F_GETFD) & FD_CLOEXEC);
	/* Room again. */
	c3 = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	EXPECT_OK(connect(c3, (struct sockaddr *)&a, len));
	close(c1);
}

TEST(socket, blocking_accept_woken_by_connect)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	char buf[4];
	int s, d;
	pid_t pid;

	s = listener(SOCK_STREAM, &a, len, 1);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		int c;

		sleep_ms(50);
		c = connected(SOCK_STREAM, &a, len);
		EXPECT_EQ(write(c, "hi", 2), 2);
		_exit(0);
	}
	d = ASSERT_OK(accept(s, NULL, NULL));
	EXPECT_EQ(read(d, buf, sizeof(buf)), 2);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, listener_closed_before_accept)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	char buf[4];
	int s, c;

	s = listener(SOCK_STREAM, &a, len, 1);
	c = connected(SOCK_STREAM, &a, len);
	close(s);
	/* The never-accepted connection is reset. */
	EXPECT_ERRNO(read(c, buf, sizeof(buf)), ECONNRESET);
	EXPECT_EQ(read(c, buf, sizeof(buf)), 0);
}

/* ---- end of stream, shutdown, errors ------------------------------------------ */

TEST(socket, eof_and_reset)
{
	char buf[4];
	int sv[2], tv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "ab", 2), 2);
	close(sv[0]);
	/* Data first, then end of file. */
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 2);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 0);
	/* Closing with unread data resets the peer, once. */
	pair(SOCK_STREAM, tv);
	EXPECT_EQ(write(tv[0], "x", 1), 1);
	close(tv[1]);
	EXPECT_ERRNO(read(tv[0], buf, sizeof(buf)), ECONNRESET);
	EXPECT_EQ(read(tv[0], buf, sizeof(buf)), 0);
}

static void write_to_closed(void *arg)
{
	int sv[2];

	(void)arg;
	pair(SOCK_STREAM, sv);
	close(sv[1]);
	(void)write(sv[0], "x", 1);
	_exit(7);	/* SIGPIPE should have killed us */
}

TEST(socket, epipe_and_sigpipe)
{
	int sv[2], status;

	status = run_child(write_to_closed, NULL);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	pair(SOCK_STREAM, sv);
	close(sv[1]);
	EXPECT_ERRNO(write(sv[0], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	/* MSG_NOSIGNAL: the error without the signal. */
	EXPECT_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
}

static void send_on_broken_packets(void *arg)
{
	int sv[2], tv[2];

	(void)arg;
	pair(SOCK_SEQPACKET, sv);
	close(sv[1]);
	EXPECT_ERRNO(send(sv[0], "x", 1, 0), EPIPE);
	pair(SOCK_DGRAM, tv);
	EXPECT_OK(shutdown(tv[0], SHUT_WR));
	EXPECT_ERRNO(send(tv[0], "x", 1, 0), EPIPE);
}

TEST(socket, packet_epipe_without_sigpipe)
{
	/* Linux raises SIGPIPE for streams only. */
	EXPECT_EQ(run_child(send_on_broken_packets, NULL), 0);
}

TEST(socket, shutdown_semantics)
{
	char buf[4];
	int sv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_ERRNO(shutdown(sv[0], 3), EINVAL);
	EXPECT_ERRNO(shutdown(sv[0], -1), EINVAL);
	EXPECT_OK(shutdown(sv[0], SHUT_WR));
	/* The peer reads end of file and sees POLLRDHUP; it can still write. */
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 0);
	EXPECT_TRUE(poll_one(sv[1], POLLIN | POLLRDHUP, 0) & POLLRDHUP);
	EXPECT_EQ(write(sv[1], "ok", 2), 2);
	EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 2);
	EXPECT_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	/* Shutting both ways: POLLHUP. */
	EXPECT_OK(shutdown(sv[0], SHUT_RD));
	EXPECT_TRUE(poll_one(sv[0], POLLIN, 0) & POLLHUP);
	EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 0);
	/* An unconnected AF_UNIX socket shuts down without error. */
	EXPECT_OK(shutdown(ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0)), SHUT_RDWR));
}

TEST(socket, unconnected_errors)
{
	struct sockaddr_un a, b;
	socklen_t len = path_addr(&a, "d1");
	char buf[4];
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int q = ASSERT_OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	int d = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int sv[2];

	EXPECT_ERRNO(send(s, "x", 1, 0), ENOTCONN);
	EXPECT_ERRNO(recv(s, buf, 1, 0), EINVAL);
	EXPECT_ERRNO(send(q, "x", 1, 0), ENOTCONN);
	EXPECT_ERRNO(recv(q, buf, 1, 0), ENOTCONN);
	EXPECT_ERRNO(send(d, "x", 1, 0), ENOTCONN);
	EXPECT_ERRNO(sendto(s, "x", 1, 0, (struct sockaddr *)&a, len), EOPNOTSUPP);
	pair(SOCK_STREAM, sv);
	EXPECT_ERRNO(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, len), EISCONN);
	EXPECT_ERRNO(sendto(d, "x", 1, 0, (struct sockaddr *)&b, path_addr(&b, "none")), ENOENT);
}

/* ---- datagrams ------------------------------------------------------------------ */

TEST(socket, dgram_sendto_and_source)
{
	struct sockaddr_un a, b, got;
	socklen_t alen = path_addr(&a, "d1"), blen = path_addr(&b, "d2"), glen = sizeof(got);
	int x = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int y = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int u = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	char buf[8];

	ASSERT_OK(bind(x, (struct sockaddr *)&a, alen));
	ASSERT_OK(bind(y, (struct sockaddr *)&b, blen));
	EXPECT_EQ(sendto(y, "hey", 3, 0, (struct sockaddr *)&a, alen), 3);
	EXPECT_EQ(recvfrom(x, buf, sizeof(buf), 0, (struct sockaddr *)&got, &glen), 3);
	EXPECT_EQ(glen, blen);
	EXPECT_STREQ(got.sun_path, "d2");
	/* An unnamed sender: no address. */
	EXPECT_EQ(sendto(u, "x", 1, 0, (struct sockaddr *)&a, alen), 1);
	glen = sizeof(got);
	EXPECT_EQ(recvfrom(x, buf, sizeof(buf), 0, (struct sockaddr *)&got, &glen), 1);
	EXPECT_EQ(glen, 0);
}

TEST(socket, dgram_connect_rules)
{
	struct sockaddr_un a, b, c;
	socklen_t alen = path_addr(&a, "d1"), blen = path_addr(&b, "d2"), clen = path_addr(&c, "d3");
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int x = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int y = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	int z = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	char buf[8];

	ASSERT_OK(bind(x, (struct sockaddr *)&a, alen));
	ASSERT_OK(bind(y, (struct sockaddr *)&b, blen));
	ASSERT_OK(bind(z, (struct sockaddr *)&c, clen));
	ASSERT_OK(connect(y, (struct sockaddr *)&a, alen));
	EXPECT_EQ(send(y, "1", 1, 0), 1);
	EXPECT_EQ(recv(x, buf, sizeof(buf), 0), 1);
	/* x is free to receive from anyone; y, connected to x, only from x. */
	ASSERT_OK(connect(x, (struct sockaddr *)&b, blen));
	EXPECT_ERRNO(sendto(z, "2", 1, 0, (struct sockaddr *)&a, alen), EPERM);
	EXPECT_EQ(send(x, "3", 1, 0), 1);
	EXPECT_EQ(recv(y, buf, sizeof(buf), 0), 1);
	/* AF_UNSPEC disconnects. */
	ASSERT_OK(connect(x, &unspec, sizeof(unspec)));
	EXPECT_ERRNO(send(x, "4", 1, 0), ENOTCONN);
	EXPECT_EQ(sendto(z, "5", 1, 0, (struct sockaddr *)&a, alen), 1);
	/* The peer went away: refused, then not connected. */
	close(x);
	EXPECT_ERRNO(send(y, "6", 1, 0), ECONNREFUSED);
	EXPECT_ERRNO(send(y, "7", 1, 0), ENOTCONN);
}

TEST(socket, dgram_too_big)
{
	static char big[300000];
	int sv[2];

	pair(SOCK_DGRAM, sv);
	EXPECT_ERRNO(send(sv[0], big, sizeof(big), 0), EMSGSIZE);
}

TEST(socket, sendmmsg_recvmmsg)
{
	char out[3][8] = { "a", "bb", "ccc" }, in[5][8];
	struct iovec oiov[3], iiov[5];
	struct mmsghdr om[3], im[5];
	struct timespec ts = { 1, 0 };
	int sv[2];

	memset(om, 0, sizeof(om));
	memset(im, 0, sizeof(im));
	for (int i = 0; i < 3; i++) {
		oiov[i] = (struct iovec){ out[i], (size_t)i + 1 };
		om[i].msg_hdr.msg_iov = &oiov[i];
		om[i].msg_hdr.msg_iovlen = 1;
	}
	for (int i = 0; i < 5; i++) {
		iiov[i] = (struct iovec){ in[i], sizeof(in[i]) };
		im[i].msg_hdr.msg_iov = &iiov[i];
		im[i].msg_hdr.msg_iovlen = 1;
	}
	pair(SOCK_DGRAM, sv);
	EXPECT_EQ(sendmmsg(sv[0], om, 3, 0), 3);
	EXPECT_EQ(om[2].msg_len, 3);
	/* MSG_WAITFORONE: what is there, without waiting for five. */
	EXPECT_EQ(recvmmsg(sv[1], im, 5, MSG_WAITFORONE, &ts), 3);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(im[i].msg_len, (unsigned int)i + 1);
		EXPECT_MEMEQ(in[i], out[i], (size_t)i + 1);
	}
	EXPECT_ERRNO(recvmmsg(sv[1], im, 5, MSG_DONTWAIT, NULL), EAGAIN);
	ts.tv_nsec = 1000000000;
	EXPECT_ERRNO(recvmmsg(sv[1], im, 5, MSG_DONTWAIT, &ts), EINVAL);
}

/* ---- options and credentials ------------------------------------------------------ */

static int get_int_opt(int s, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ASSERT_OK(getsockopt(s, SOL_SOCKET, opt, &v, &len));
	ASSERT_EQ(len, sizeof(int));
	return v;
}

TEST(socket, options)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	int v = 65536;
	socklen_t vlen;
	char small = 0;

	EXPECT_EQ(get_int_opt(s, SO_TYPE), SOCK_STREAM);
	EXPECT_EQ(get_int_opt(s, SO_DOMAIN), AF_UNIX);
	EXPECT_EQ(get_int_opt(s, SO_PROTOCOL), 0);
	EXPECT_EQ(get_int_opt(s, SO_ERROR), 0);
	EXPECT_EQ(get_int_opt(s, SO_ACCEPTCONN), 0);
	EXPECT_OK(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	EXPECT_EQ(get_int_opt(s, SO_SNDBUF), 2 * 65536);
	EXPECT_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	EXPECT_EQ(get_int_opt(s, SO_RCVBUF), 2 * 65536);
	v = 1;
	EXPECT_OK(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)));
	EXPECT_EQ(get_int_opt(s, SO_PASSCRED), 1);
	EXPECT_ERRNO(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 2), EINVAL);
	EXPECT_ERRNO(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT);
	EXPECT_ERRNO(setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)), ENOPROTOOPT);
	vlen = sizeof(v);
	EXPECT_ERRNO(getsockopt(s, SOL_SOCKET, 9999, &v, &vlen), ENOPROTOOPT);
	vlen = (socklen_t)-1;
	EXPECT_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vlen), EINVAL);
	/* A short buffer gets the first bytes, and the length says so. */
	vlen = 1;
	EXPECT_OK(getsockopt(s, SOL_SOCKET, SO_TYPE, &small, &vlen));
	EXPECT_EQ(vlen, 1);
	EXPECT_EQ(small, SOCK_STREAM);
	ASSERT_OK(bind(s, (struct sockaddr *)&a, len));
	ASSERT_OK(listen(s, 1));
	EXPECT_EQ(get_int_opt(s, SO_ACCEPTCONN), 1);
}

TEST(socket, fionread)
{
	int sv[2], n = -1, dv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "abc", 3), 3);
	EXPECT_EQ(write(sv[0], "de", 2), 2);
	EXPECT_OK(ioctl(sv[1], FIONREAD, &n));
	EXPECT_EQ(n, 5);
	/* Datagrams: the size of the next one. */
	pair(SOCK_DGRAM, dv);
	EXPECT_EQ(send(dv[0], "abc", 3, 0), 3);
	EXPECT_EQ(send(dv[0], "de", 2, 0), 2);
	EXPECT_OK(ioctl(dv[1], FIONREAD, &n));
	EXPECT_EQ(n, 3);
	n = 1;
	EXPECT_OK(ioctl(sv[1], FIONBIO, &n));
	EXPECT_TRUE(fcntl(sv[1], F_GETFL) & O_NONBLOCK);
}

TEST(socket, peercred_socketpair)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int sv[2];
	int s = ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0));

	pair(SOCK_STREAM, sv);
	ASSERT_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len));
	EXPECT_EQ(len, sizeof(cr));
	EXPECT_EQ(cr.pid, getpid());
	EXPECT_EQ(cr.uid, geteuid());
	EXPECT_EQ(cr.gid, getegid());
	len = sizeof(cr);
	ASSERT_OK(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len));
	EXPECT_EQ(cr.pid, 0);
	EXPECT_EQ(cr.uid, (uid_t)-1);
	EXPECT_EQ(cr.gid, (gid_t)-1);
}

TEST(socket, peercred_connect)
{
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv");
	struct ucred cr;
	socklen_t clen = sizeof(cr);
	int s, d;
	pid_t pid;
	int p[2];

	ASSERT_OK(pipe(p));
	s = listener(SOCK_STREAM, &a, len, 1);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		int c = connected(SOCK_STREAM, &a, len);
		struct ucred pc;
		socklen_t pl = sizeof(pc);
		char b;

		/* The client sees the listener's creator. */
		EXPECT_OK(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &pc, &pl));
		EXPECT_EQ(pc.pid, getppid());
		EXPECT_EQ(read(p[0], &b, 1), 1);
		_exit(0);
	}
	d = ASSERT_OK(accept(s, NULL, NULL));
	ASSERT_OK(getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &clen));
	EXPECT_EQ(cr.pid, pid);
	EXPECT_EQ(cr.uid, geteuid());
	EXPECT_EQ(write(p[1], "x", 1), 1);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, scm_credentials)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	struct ucred cr;
	int sv[2], on = 1;

	pair(SOCK_DGRAM, sv);
	ASSERT_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
	EXPECT_EQ(send(sv[0], "c", 1, 0), 1);
	ASSERT_EQ(recvmsg(sv[1], &m, 0), 1);
	c = CMSG_FIRSTHDR(&m);
	ASSERT_TRUE(c != NULL);
	EXPECT_EQ(c->cmsg_level, SOL_SOCKET);
	EXPECT_EQ(c->cmsg_type, SCM_CREDENTIALS);
	EXPECT_EQ(c->cmsg_len, CMSG_LEN(sizeof(cr)));
	memcpy(&cr, CMSG_DATA(c), sizeof(cr));
	EXPECT_EQ(cr.pid, getpid());
	EXPECT_EQ(cr.uid, getuid());
	EXPECT_EQ(cr.gid, getgid());
	/* Sending one's own credentials explicitly is allowed. */
	m.msg_controllen = sizeof(cbuf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	EXPECT_EQ(sendmsg(sv[0], &m, 0), 1);
	/* A malformed control message is EINVAL. */
	c->cmsg_len = sizeof(cbuf) + 8;
	EXPECT_ERRNO(sendmsg(sv[0], &m, 0), EINVAL);
}

/* One byte's SCM_CREDENTIALS (recvmsg of one byte, so that a stream read stops there). */
static void recv_cred(int s, char want, struct ucred *cr)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred))], byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	ASSERT_EQ(recvmsg(s, &m, 0), 1);
	EXPECT_EQ(byte, want);
	c = CMSG_FIRSTHDR(&m);
	ASSERT_TRUE(c != NULL);
	EXPECT_EQ(c->cmsg_type, SCM_CREDENTIALS);
	memcpy(cr, CMSG_DATA(c), sizeof(*cr));
}

/*
 * Credentials are recorded when a message is sent, and only when someone
 * asked for them then (SO_PASSCRED at either end): a message sent before
 * the receiver turned SO_PASSCRED on reads pid 0 and the overflow ids
 * (65534), as on Linux; one sent once the sender has SO_PASSCRED carries
 * the sender's.
 */
TEST(socket, passcred_recorded_at_send)
{
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM };
	struct ucred cr;
	int sv[2], on = 1;

	for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		pair(types[i], sv);
		EXPECT_EQ(send(sv[0], "a", 1, 0), 1);
		ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
		EXPECT_EQ(send(sv[0], "b", 1, 0), 1);
		ASSERT_OK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
		recv_cred(sv[1], 'a', &cr);
		EXPECT_EQ(cr.pid, 0);
		EXPECT_EQ(cr.uid, 65534);
		EXPECT_EQ(cr.gid, 65534);
		recv_cred(sv[1], 'b', &cr);
		EXPECT_EQ(cr.pid, getpid());
		EXPECT_EQ(cr.uid, getuid());
		EXPECT_EQ(cr.gid, getgid());
		close(sv[0]);
		close(sv[1]);
	}
}

/* ---- SCM_RIGHTS --------------------------------------------------------------------- */

TEST(socket, scm_rights_across_fork)
{
	int sv[2], p[2];
	pid_t pid;
	int status;

	pair(SOCK_STREAM, sv);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		int fds[8], flags, n;
		char buf[16];

		close(sv[0]);
		n = recv_fds(sv[1], fds, 8, CMSG_SPACE(sizeof(int)), &flags);
		EXPECT_EQ(n, 1);
		EXPECT_EQ(flags & MSG_CTRUNC, 0);
		if (n == 1) {
			/* A new fd on the same open pipe: read what the parent wrote. */
			EXPECT_EQ(read(fds[0], buf, sizeof(buf)), 5);
			EXPECT_MEMEQ(buf, "hello", 5);
		}
		_exit(0);
	}
	close(sv[1]);
	ASSERT_OK(pipe(p));
	EXPECT_EQ(write(p[1], "hello", 5), 5);
	EXPECT_EQ(send_fds(sv[0], &p[0], 1), 1);
	close(p[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}

/* Open fds below 1024: a count that does not depend on what the runner left open. */
static int count_open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Reads "abF" and the one fd sent with 'F' (closed here), with @flags. */
static void recv_ab_and_fd(int s, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	ASSERT_EQ(recvmsg(s, &m, flags), 3);
	EXPECT_MEMEQ(buf, "abF", 3);
	c = CMSG_FIRSTHDR(&m);
	ASSERT_TRUE(c != NULL);
	EXPECT_EQ(c->cmsg_type, SCM_RIGHTS);
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	EXPECT_OK(close(fd));
}

/*
 * A stream read takes the files of an skb it reaches, after bytes too,
 * and stops at the end of that skb, so bytes written after the files
 * arrive by the next read (Linux's unix_stream_read_generic).
 */
TEST(socket, stream_read_stops_after_files)
{
	char buf[16];
	int sv[2], fd;

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "ab", 2), 2);
	fd = ASSERT_OK(open("/dev/null", O_RDONLY));
	ASSERT_EQ(send_fds(sv[0], &fd, 1), 1);
	close(fd);
	EXPECT_EQ(write(sv[0], "xyz", 3), 3);
	recv_ab_and_fd(sv[1], MSG_PEEK);
	recv_ab_and_fd(sv[1], 0);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 3);
	EXPECT_MEMEQ(buf, "xyz", 3);
	close(sv[0]);
	close(sv[1]);
}

/*
 * MSG_PEEK|MSG_WAITALL on a stream returns what it peeked once the queue
 * ends, as Linux does: it does not wait for the rest. Regression: the
 * reader waited holding its place in a peeked skb that another reader
 * could free meanwhile, and with bytes queued the wait never slept.
 */
TEST(socket, stream_peek_waitall_returns_what_is_there)
{
	char buf[16];
	int sv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "ab", 2), 2);
	EXPECT_EQ(write(sv[0], "cd", 2), 2);
	alarm(5);
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), MSG_PEEK | MSG_WAITALL), 4);
	alarm(0);
	EXPECT_MEMEQ(buf, "abcd", 4);
	/* The bytes are all still there for a read. */
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), 4);
	EXPECT_MEMEQ(buf, "abcd", 4);
	close(sv[0]);
	close(sv[1]);
}

TEST(socket, scm_rights_ctrunc)
{
	int sv[2], p[2], fds[8], flags, n, before;

	pair(SOCK_DGRAM, sv);
	ASSERT_OK(pipe(p));
	int three[3] = { p[0], p[1], p[0] };
	EXPECT_EQ(send_fds(sv[0], three, 3), 1);
	/* Room for one: one fd arrives, the rest are dropped. */
	before = count_open_fds();
	n = recv_fds(sv[1], fds, 8, CMSG_LEN(sizeof(int)), &flags);
	EXPECT_EQ(n, 1);
	EXPECT_TRUE(flags & MSG_CTRUNC);
	EXPECT_EQ(count_open_fds(), before + 1);
	/* No control buffer at all: everything dropped. */
	EXPECT_EQ(send_fds(sv[0], three, 3), 1);
	before = count_open_fds();
	n = recv_fds(sv[1], fds, 8, 0, &flags);
	EXPECT_EQ(n, 0);
	EXPECT_TRUE(flags & MSG_CTRUNC);
	EXPECT_EQ(count_open_fds(), before);
}

TEST(socket, scm_rights_errors)
{
	int sv[2], bad = 999;

	pair(SOCK_STREAM, sv);
	EXPECT_ERRNO(send_fds(sv[0], &bad, 1), EBADF);
	bad = -1;
	EXPECT_ERRNO(send_fds(sv[0], &bad, 1), EBADF);
}

/* A pipe whose read end is only in flight: writing to it tells whether it still exists. */
TEST(socket, inflight_files_released_on_close)
{
	int sv[2], p[2];

	signal(SIGPIPE, SIG_IGN);
	pair(SOCK_STREAM, sv);
	ASSERT_OK(pipe(p));
	EXPECT_EQ(send_fds(sv[0], &p[0], 1), 1);
	close(p[0]);
	/* In flight: the read end lives. */
	EXPECT_EQ(write(p[1], "x", 1), 1);
	close(sv[1]);
	close(sv[0]);
	/* Never received: closing the socket dropped it. */
	EXPECT_ERRNO(write(p[1], "x", 1), EPIPE);
}

TEST(socket, inflight_files_dropped_by_ctrunc)
{
	int sv[2], p[2], fds[8], flags;

	signal(SIGPIPE, SIG_IGN);
	pair(SOCK_SEQPACKET, sv);
	ASSERT_OK(pipe(p));
	EXPECT_EQ(send_fds(sv[0], &p[0], 1), 1);
	close(p[0]);
	EXPECT_EQ(recv_fds(sv[1], fds, 8, 0, &flags), 0);
	EXPECT_ERRNO(write(p[1], "x", 1), EPIPE);
}

TEST(socket, pass_socket_through_socket)
{
	int sv[2], tv[2], fds[8], flags;
	char buf[4];

	pair(SOCK_STREAM, sv);
	pair(SOCK_STREAM, tv);
	/* Passing one end of another pair is ordinary. */
	EXPECT_EQ(send_fds(sv[0], &tv[1], 1), 1);
	close(tv[1]);
	ASSERT_EQ(recv_fds(sv[1], fds, 8, CMSG_SPACE(sizeof(int)), &flags), 1);
	EXPECT_EQ(write(tv[0], "via", 3), 3);
	EXPECT_EQ(read(fds[0], buf, sizeof(buf)), 3);
	EXPECT_MEMEQ(buf, "via", 3);
}

/* ---- readiness and waiting ------------------------------------------------------------ */

TEST(socket, poll_readiness)
{
	char buf[4];
	int sv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(poll_one(sv[0], POLLIN | POLLOUT, 0), POLLOUT);
	EXPECT_EQ(write(sv[0], "x", 1), 1);
	EXPECT_EQ(poll_one(sv[1], POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
	EXPECT_EQ(read(sv[1], buf, sizeof(buf)), 1);
	close(sv[0]);
	EXPECT_EQ(poll_one(sv[1], POLLIN | POLLRDHUP, 0), POLLIN | POLLRDHUP | POLLHUP);
	/* An unconnected stream socket hangs up at once. */
	EXPECT_TRUE(poll_one(ASSERT_OK(socket(AF_UNIX, SOCK_STREAM, 0)), POLLOUT, 0) & POLLHUP);
}

TEST(socket, poll_woken_by_writer)
{
	int sv[2];
	pid_t pid;

	pair(SOCK_STREAM, sv);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		sleep_ms(50);
		EXPECT_EQ(write(sv[1], "x", 1), 1);
		_exit(0);
	}
	EXPECT_EQ(poll_one(sv[0], POLLIN, 5000), POLLIN);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, nonblocking_fill_and_drain)
{
	static char chunk[4096];
	char buf[4096];
	long total = 0;
	ssize_t n;
	int sv[2];

	pair(SOCK_STREAM, sv);
	EXPECT_ERRNO(recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	while ((n = send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT)) > 0)
		total += n;
	EXPECT_EQ(n, -1);
	EXPECT_EQ(errno, EAGAIN);
	EXPECT_GT(total, 0);
	EXPECT_EQ(poll_one(sv[0], POLLOUT, 0), 0);
	/* Draining makes room. */
	while (total > 0 && (n = read(sv[1], buf, sizeof(buf))) > 0)
		total -= n;
	EXPECT_EQ(total, 0);
	EXPECT_EQ(poll_one(sv[0], POLLOUT, 0), POLLOUT);
}

/*
 * A writer asleep on a full SO_SNDBUF wakes when the reader frees what it
 * sent, though nothing ever polled the socket; so does a poll for POLLOUT
 * on a stream socket filled without waiting.
 */
TEST_TIMEOUT(socket, blocked_writer_woken_by_reader, 30)
{
	static char big[65536], buf[4096];
	int sv[2], small = 4096;
	long total = 0;
	ssize_t n;
	pid_t pid;

	pair(SOCK_STREAM, sv);
	ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		close(sv[0]);
		sleep_ms(50);
		while (total < (long)sizeof(big) && (n = read(sv[1], buf, sizeof(buf))) > 0)
			total += n;
		_exit(total == (long)sizeof(big) ? 0 : 1);
	}
	close(sv[1]);
	EXPECT_EQ(write(sv[0], big, sizeof(big)), (ssize_t)sizeof(big));
	EXPECT_OK(waitpid(pid, &pid, 0));
	EXPECT_EQ(pid, 0);
	close(sv[0]);

	pair(SOCK_STREAM, sv);
	while (send(sv[0], buf, sizeof(buf), MSG_DONTWAIT) > 0)
		total++;
	EXPECT_EQ(errno, EAGAIN);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		sleep_ms(50);
		while (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		_exit(0);
	}
	EXPECT_EQ(poll_one(sv[0], POLLOUT, 5000), POLLOUT);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, dgram_fill_poll_and_outq)
{
	static char msg[1024];
	char buf[1024];
	int sv[2], n = 0, outq = -1;
	pid_t pid;

	pair(SOCK_DGRAM, sv);
	while (send(sv[0], msg, sizeof(msg), MSG_DONTWAIT) > 0)
		n++;
	EXPECT_EQ(errno, EAGAIN);
	EXPECT_GT(n, 0);
	/* What is unread still counts against the sender. */
	EXPECT_OK(ioctl(sv[0], TIOCOUTQ, &outq));
	EXPECT_GT(outq, 0);
	EXPECT_EQ(poll_one(sv[0], POLLOUT, 0), 0);
	/* A reader in another process makes room, and the poll wakes. */
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		sleep_ms(50);
		for (int i = 0; i < n; i++)
			EXPECT_EQ(recv(sv[1], buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
		_exit(0);
	}
	EXPECT_EQ(poll_one(sv[0], POLLOUT, 5000), POLLOUT);
	EXPECT_OK(waitpid(pid, NULL, 0));
	EXPECT_OK(ioctl(sv[0], TIOCOUTQ, &outq));
	EXPECT_EQ(outq, 0);
}

TEST(socket, blocking_reader_woken_by_writer)
{
	char buf[8];
	int sv[2];
	pid_t pid;

	pair(SOCK_STREAM, sv);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		close(sv[0]);
		sleep_ms(50);
		EXPECT_EQ(write(sv[1], "wake", 4), 4);
		_exit(0);
	}
	close(sv[1]);
	EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 4);
	EXPECT_MEMEQ(buf, "wake", 4);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(socket, blocking_read_interrupted)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 50000 } };
	char buf[4];
	int sv[2];

	pair(SOCK_STREAM, sv);
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(read(sv[0], buf, sizeof(buf)), EINTR);
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(accept(sv[0], NULL, NULL), EINVAL);
	pair(SOCK_DGRAM, sv);
	EXPECT_ERRNO(recv(sv[0], buf, sizeof(buf), 0), EINTR);
}

TEST(socket, timeouts)
{
	static char chunk[4096];
	struct timeval tv = { 0, 100000 }, got;
	struct sockaddr_un a;
	socklen_t len = path_addr(&a, "srv"), glen = sizeof(got);
	long long t0;
	char buf[4];
	int sv[2], s;

	pair(SOCK_STREAM, sv);
	ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_OK(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &glen));
	EXPECT_EQ(glen, sizeof(got));
	EXPECT_EQ(got.tv_sec, 0);
	EXPECT_EQ(got.tv_usec, 100000);
	t0 = now_ns();
	EXPECT_ERRNO(read(sv[0], buf, sizeof(buf)), EAGAIN);
	EXPECT_GE(now_ns() - t0, 90000000LL);
	/* A full socket: the blocking send gives up too. */
	ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	while (send(sv[0], chunk, sizeof(chunk), MSG_DONTWAIT) > 0)
		;
	EXPECT_ERRNO(send(sv[0], chunk, sizeof(chunk), 0), EAGAIN);
	/* accept waits SO_RCVTIMEO. */
	s = listener(SOCK_STREAM, &a, len, 1);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	EXPECT_ERRNO(accept(s, NULL, NULL), EAGAIN);
	/* {0, 0} is no timeout; a bad usec is EDOM; a short length EINVAL. */
	tv = (struct timeval){ 0, 0 };
	ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	tv.tv_usec = 1000000;
	EXPECT_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	EXPECT_ERRNO(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 8), EINVAL);
	glen = sizeof(got);
	ASSERT_OK(getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &glen));
	EXPECT_EQ(got.tv_sec, 0);
	EXPECT_EQ(got.tv_usec, 0);
}

TEST(socket, timeout_interrupted_is_eintr)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 50000 } };
	struct timeval tv = { 5, 0 };
	char buf[4];
	int sv[2];

	/* With a timeout set, a signal interrupts even under SA_RESTART. */
	pair(SOCK_STREAM, sv);
	ASSERT_OK(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_ERRNO(read(sv[0], buf, sizeof(buf)), EINTR);
}

static void write_later(void *arg)
{
	int fd = *(int *)arg;

	sleep_ms(150);
	EXPECT_EQ(write(fd, "late", 4), 4);
}

TEST(socket, sa_restart_restarts_read)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 50000 } };
	char buf[4];
	int sv[2];
	pid_t pid;

	/* Without a timeout, SA_RESTART restarts the read and it gets the data. */
	pair(SOCK_STREAM, sv);
	ASSERT_OK(sigaction(SIGALRM, &sa, NULL));
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		write_later(&sv[1]);
		_exit(0);
	}
	ASSERT_OK(setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(read(sv[0], buf, sizeof(buf)), 4);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, peek_and_waitall)
{
	char buf[16];
	int sv[2];
	pid_t pid;

	pair(SOCK_STREAM, sv);
	EXPECT_EQ(write(sv[0], "abc", 3), 3);
	EXPECT_EQ(write(sv[0], "def", 3), 3);
	EXPECT_EQ(recv(sv[1], buf, 4, MSG_PEEK), 4);
	EXPECT_MEMEQ(buf, "abcd", 4);
	EXPECT_EQ(recv(sv[1], buf, sizeof(buf), 0), 6);
	EXPECT_MEMEQ(buf, "abcdef", 6);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		EXPECT_EQ(write(sv[0], "1234", 4), 4);
		sleep_ms(50);
		EXPECT_EQ(write(sv[0], "5678", 4), 4);
		_exit(0);
	}
	EXPECT_EQ(recv(sv[1], buf, 8, MSG_WAITALL), 8);
	EXPECT_MEMEQ(buf, "12345678", 8);
	EXPECT_OK(waitpid(pid, NULL, 0));
}

TEST(socket, readv_writev)
{
	char a[3], b[5];
	struct iovec out[2] = { { "abc", 3 }, { "defgh", 5 } };
	struct iovec in[2] = { { a, 3 }, { b, 5 } };
	int sv[2];

	pair(SOCK_SEQPACKET, sv);
	EXPECT_EQ(writev(sv[0], out, 2), 8);
	EXPECT_EQ(readv(sv[1], in, 2), 8);
	EXPECT_MEMEQ(a, "abc", 3);
	EXPECT_MEMEQ(b, "defgh", 5);
}

#define WRITERS 4
#define PER_WRITER 500

/* Several processes send numbered datagrams at once: each arrives whole, in order per sender. */
TEST_TIMEOUT(socket, concurrent_senders_keep_boundaries, 30)
{
	int sv[2], next[WRITERS] = { 0 }, got = 0;
	unsigned int msg[25];

	pair(SOCK_SEQPACKET, sv);
	for (int w = 0; w < WRITERS; w++) {
		if (ASSERT_OK(fork()) == 0) {
			close(sv[1]);
			for (int i = 0; i < PER_WRITER; i++) {
				for (int k = 0; k < 25; k++)
					msg[k] = (unsigned int)(w << 16 | i);
				if (send(sv[0], msg, sizeof(msg), 0) != sizeof(msg))
					_exit(1);
			}
			_exit(0);
		}
	}
	close(sv[0]);
	while (got < WRITERS * PER_WRITER) {
		ssize_t n = recv(sv[1], msg, sizeof(msg), 0);
		int w, i;

		ASSERT_EQ(n, (ssize_t)sizeof(msg));
		w = (int)(msg[0] >> 16);
		i = (int)(msg[0] & 0xffff);
		ASSERT_TRUE(w < WRITERS);
		for (int k = 1; k < 25; k++)
			ASSERT_EQ(msg[k], msg[0]);
		EXPECT_EQ(i, next[w]);
		next[w] = i + 1;
		got++;
	}
	/* All writers gone: end of file. */
	EXPECT_EQ(recv(sv[1], msg, sizeof(msg), 0), 0);
	for (int w = 0; w < WRITERS; w++) {
		int status;

		ASSERT_OK(wait(&status));
		EXPECT_EQ(status, 0);
	}
}

#define BIG (1 << 20)

TEST_TIMEOUT(socket, large_transfer_between_processes, 30)
{
	static unsigned char buf[65536];
	unsigned long sum = 0, want = 0;
	long got = 0;
	int sv[2];
	pid_t pid;
	ssize_t n;

	for (long i = 0; i < BIG; i++)
		want += (unsigned char)(i * 7 + (i >> 9));
	pair(SOCK_STREAM, sv);
	pid = ASSERT_OK(fork());
	if (pid == 0) {
		long off = 0;

		close(sv[0]);
		while (off < BIG) {
			int len = (int)sizeof(buf) - (int)(off % 1000);

			if (len > BIG - off)
				len = (int)(BIG - off);
			for (int i = 0; i < len; i++)
				buf[i] = (unsigned char)((off + i) * 7 + ((off + i) >> 9));
			n = write(sv[1], buf, (size_t)len);
			if (n <= 0)
				_exit(1);
			off += n;
		}
		_exit(0);
	}
	close(sv[1]);
	while ((n = read(sv[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum += buf[i];
		got += n;
	}
	EXPECT_EQ(n, 0);
	EXPECT_EQ(got, BIG);
	EXPECT_EQ(sum, want);
	int status;
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_EQ(status, 0);
}
