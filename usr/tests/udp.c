/*
 * UDP over 127.0.0.1: send and receive, addresses, connect, ephemeral
 * ports, bind errors and SO_REUSEADDR, MSG_PEEK/MSG_TRUNC/MSG_DONTWAIT,
 * ECONNREFUSED after ICMP port unreachable, the largest datagram, poll,
 * FIONREAD, shutdown, and /proc/net/udp. Passes on Linux too.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct sockaddr_in lo_addr(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A UDP socket bound to 127.0.0.1 on an ephemeral port; its address in *@a. */
static int udp_bound(struct sockaddr_in *a)
{
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	socklen_t len = sizeof(*a);

	*a = lo_addr(0);
	ASSERT_OK(bind(s, (struct sockaddr *)a, sizeof(*a)));
	ASSERT_OK(getsockname(s, (struct sockaddr *)a, &len));
	ASSERT_EQ(len, sizeof(*a));
	return s;
}

static void set_rcvtimeo(int s, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
}

TEST(udp, send_recv_loopback)
{
	struct sockaddr_in a, b, from;
	socklen_t flen = sizeof(from);
	int s = udp_bound(&a), c = udp_bound(&b);
	char buf[64];

	set_rcvtimeo(s, 2000);
	EXPECT_EQ(sendto(c, "hello", 5, 0, (struct sockaddr *)&a, sizeof(a)), 5);
	EXPECT_EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen), 5);
	EXPECT_MEMEQ(buf, "hello", 5);
	EXPECT_EQ(flen, sizeof(from));
	EXPECT_EQ(from.sin_family, AF_INET);
	EXPECT_EQ(from.sin_port, b.sin_port);
	EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	/* An empty datagram is a datagram. */
	EXPECT_EQ(sendto(c, "", 0, 0, (struct sockaddr *)&a, sizeof(a)), 0);
	EXPECT_EQ(recv(s, buf, sizeof(buf), 0), 0);
	close(s);
	close(c);
}

TEST(udp, getsockname_getpeername_and_connect)
{
	struct sockaddr_in a, name, peer;
	socklen_t len = sizeof(name);
	int s = udp_bound(&a), c = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	char buf[8];

	/* Unbound: 0.0.0.0:0; no peer. */
	ASSERT_OK(getsockname(c, (struct sockaddr *)&name, &len));
	EXPECT_EQ(name.sin_port, 0);
	EXPECT_EQ(name.sin_addr.s_addr, 0);
	len = sizeof(peer);
	EXPECT_ERRNO(getpeername(c, (struct sockaddr *)&peer, &len), ENOTCONN);
	/* connect picks the source address and an ephemeral port. */
	ASSERT_OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(name);
	ASSERT_OK(getsockname(c, (struct sockaddr *)&name, &len));
	EXPECT_EQ(name.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	EXPECT_GE(ntohs(name.sin_port), 1024);
	len = sizeof(peer);
	ASSERT_OK(getpeername(c, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(peer.sin_port, a.sin_port);
	EXPECT_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	/* Connected: send without an address, and the peer sees our name. */
	set_rcvtimeo(s, 2000);
	EXPECT_EQ(send(c, "abc", 3, 0), 3);
	len = sizeof(peer);
	EXPECT_EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len), 3);
	EXPECT_EQ(peer.sin_port, name.sin_port);
	/* Unconnected: send without an address is EDESTADDRREQ. */
	EXPECT_ERRNO(send(s, "x", 1, 0), EDESTADDRREQ);
	/* AF_UNSPEC disconnects. */
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	EXPECT_OK(connect(c, &unspec, sizeof(unspec)));
	len = sizeof(peer);
	EXPECT_ERRNO(getpeername(c, (struct sockaddr *)&peer, &len), ENOTCONN);
	close(s);
	close(c);
}

TEST(udp, connected_socket_gets_econnrefused)
{
	struct sockaddr_in a;
	int s = udp_bound(&a), c = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	char buf[8];

	/* Nobody listens once s is closed: the ICMP port unreachable comes back. */
	close(s);
	ASSERT_OK(connect(c, (struct sockaddr *)&a, sizeof(a)));
	set_rcvtimeo(c, 2000);
	EXPECT_EQ(send(c, "ping", 4, 0), 4);
	EXPECT_ERRNO(recv(c, buf, sizeof(buf), 0), ECONNREFUSED);
	/* Taken once: the next receive waits (and times out). */
	set_rcvtimeo(c, 100);
	EXPECT_ERRNO(recv(c, buf, sizeof(buf), 0), EAGAIN);
	close(c);
}

TEST(udp, unconnected_socket_ignores_port_unreachable)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	int err = -1;
	socklen_t len = sizeof(err);
	char buf[8];

	close(s);
	EXPECT_EQ(sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	usleep(100000);
	ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len));
	EXPECT_EQ(err, 0);
	EXPECT_ERRNO(recv(c, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	close(c);
}

TEST(udp, peek_trunc_dontwait)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	char buf[16];
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	set_rcvtimeo(s, 2000);
	EXPECT_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	EXPECT_EQ(sendto(c, "0123456789", 10, 0, (struct sockaddr *)&a, sizeof(a)), 10);
	EXPECT_EQ(recv(s, buf, sizeof(buf), MSG_PEEK), 10);
	EXPECT_EQ(recv(s, buf, 3, MSG_PEEK), 3);
	/* MSG_TRUNC returns the real length; the rest of the datagram is gone. */
	EXPECT_EQ(recvmsg(s, &mh, MSG_TRUNC), 10);
	EXPECT_TRUE(mh.msg_flags & MSG_TRUNC);
	EXPECT_MEMEQ(buf, "0123", 4);
	EXPECT_ERRNO(recv(s, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	/* Without MSG_TRUNC: the copied length, and the flag still says so. */
	EXPECT_EQ(sendto(c, "abcdef", 6, 0, (struct sockaddr *)&a, sizeof(a)), 6);
	mh.msg_flags = 0;
	EXPECT_EQ(recvmsg(s, &mh, 0), 4);
	EXPECT_TRUE(mh.msg_flags & MSG_TRUNC);
	close(s);
	close(c);
}

TEST(udp, datagrams_keep_boundaries_and_order)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	char buf[64];
	int n;

	set_rcvtimeo(s, 2000);
	for (int i = 0; i < 20; i++) {
		n = snprintf(buf, sizeof(buf), "msg %d", i);
		ASSERT_EQ(sendto(c, buf, (size_t)n, 0, (struct sockaddr *)&a, sizeof(a)), n);
	}
	for (int i = 0; i < 20; i++) {
		char want[16];

		n = (int)recv(s, buf, sizeof(buf), 0);
		ASSERT_EQ(n, snprintf(want, sizeof(want), "msg %d", i));
		EXPECT_MEMEQ(buf, want, (size_t)n);
	}
	close(s);
	close(c);
}

TEST(udp, largest_datagram)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	int big = 1 << 20;
	size_t max = 65507;
	char *out = malloc(max + 1), *in = malloc(max + 1);

	ASSERT_TRUE(out && in);
	for (size_t i = 0; i <= max; i++)
		out[i] = (char)(i * 7 + 3);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)));
	set_rcvtimeo(s, 2000);
	EXPECT_EQ(sendto(c, out, max, 0, (struct sockaddr *)&a, sizeof(a)), (long)max);
	EXPECT_EQ(recv(s, in, max + 1, 0), (long)max);
	EXPECT_MEMEQ(in, out, max);
	EXPECT_ERRNO(sendto(c, out, max + 1, 0, (struct sockaddr *)&a, sizeof(a)), EMSGSIZE);
	free(out);
	free(in);
	close(s);
	close(c);
}

TEST(udp, bind_errors)
{
	struct sockaddr_in a, x;
	int s = udp_bound(&a), t = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct sockaddr_un_like { unsigned short fam; char rest[14]; } bad = { AF_UNIX, { 0 } };

	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	/* The wildcard overlaps 127.0.0.1 too. */
	x = a;
	x.sin_addr.s_addr = htonl(INADDR_ANY);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&x, sizeof(x)), EADDRINUSE);
	/* An address that is not ours. */
	x = lo_addr(0);
	x.sin_addr.s_addr = inet_addr("192.0.2.1");
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&x, sizeof(x)), EADDRNOTAVAIL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL);
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&bad, sizeof(bad)), EAFNOSUPPORT);
	/* Bound once: a second bind is EINVAL. */
	x = lo_addr(0);
	ASSERT_OK(bind(t, (struct sockaddr *)&x, sizeof(x)));
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&x, sizeof(x)), EINVAL);
	close(s);
	close(t);
}

TEST(udp, reuseaddr_shares_a_port)
{
	struct sockaddr_in a = lo_addr(0);
	socklen_t len = sizeof(a);
	int one = 1, val = 0;
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int t = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_OK(getsockname(s, (struct sockaddr *)&a, &len));
	/* Only when both ask. */
	EXPECT_ERRNO(bind(t, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE);
	ASSERT_OK(setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	EXPECT_OK(bind(t, (struct sockaddr *)&a, sizeof(a)));
	len = sizeof(val);
	EXPECT_OK(getsockopt(t, SOL_SOCKET, SO_REUSEADDR, &val, &len));
	EXPECT_EQ(val, 1);
	close(s);
	close(t);
}

TEST(udp, ephemeral_ports_differ)
{
	int s[8];
	unsigned short ports[8];

	for (int i = 0; i < 8; i++) {
		struct sockaddr_in a = lo_addr(0);
		socklen_t len = sizeof(a);

		s[i] = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
		ASSERT_OK(bind(s[i], (struct sockaddr *)&a, sizeof(a)));
		ASSERT_OK(getsockname(s[i], (struct sockaddr *)&a, &len));
		ports[i] = ntohs(a.sin_port);
		EXPECT_GE(ports[i], 1024);
		for (int j = 0; j < i; j++)
			EXPECT_NE(ports[i], ports[j]);
	}
	for (int i = 0; i < 8; i++)
		close(s[i]);
}

TEST(udp, poll_and_fionread)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	struct pollfd pfd = { .fd = s, .events = POLLIN | POLLOUT };
	int n = -1;

	ASSERT_EQ(poll(&pfd, 1, 0), 1);
	EXPECT_EQ(pfd.revents, POLLOUT);
	ASSERT_EQ(sendto(c, "12345", 5, 0, (struct sockaddr *)&a, sizeof(a)), 5);
	pfd.events = POLLIN;
	EXPECT_EQ(poll(&pfd, 1, 2000), 1);
	EXPECT_EQ(pfd.revents, POLLIN);
	EXPECT_OK(ioctl(s, FIONREAD, &n));
	EXPECT_EQ(n, 5);
	close(s);
	close(c);
}

TEST(udp, shutdown_unconnected_is_enotconn)
{
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));

	EXPECT_ERRNO(shutdown(s, SHUT_RDWR), ENOTCONN);
	close(s);
}

TEST(udp, ip_options_roundtrip)
{
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int v = 0;
	socklen_t len = sizeof(v);

	ASSERT_OK(getsockopt(s, IPPROTO_IP, IP_TTL, &v, &len));
	EXPECT_EQ(v, 64);
	v = 7;
	EXPECT_OK(setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof(v)));
	len = sizeof(v);
	EXPECT_OK(getsockopt(s, IPPROTO_IP, IP_TTL, &v, &len));
	EXPECT_EQ(v, 7);
	v = 256;
	EXPECT_ERRNO(setsockopt(s, IPPROTO_IP, IP_TTL, &v, sizeof(v)), EINVAL);
	v = 1;
	EXPECT_ERRNO(setsockopt(s, IPPROTO_IP, IP_HDRINCL, &v, sizeof(v)), ENOPROTOOPT);
	EXPECT_ERRNO(setsockopt(s, IPPROTO_IP, 9999, &v, sizeof(v)), ENOPROTOOPT);
	len = sizeof(v);
	EXPECT_OK(getsockopt(s, SOL_SOCKET, SO_BROADCAST, &v, &len));
	EXPECT_EQ(v, 0);
	close(s);
}

TEST(udp, pktinfo_and_ttl_cmsgs)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b), one = 1;
	char buf[8], cbuf[256];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	int seen_pktinfo = 0, seen_ttl = 0;

	ASSERT_OK(setsockopt(s, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)));
	ASSERT_OK(setsockopt(s, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)));
	set_rcvtimeo(s, 2000);
	ASSERT_EQ(sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	ASSERT_EQ(recvmsg(s, &mh, 0), 1);
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			EXPECT_EQ(pi.ipi_ifindex, 1);
			EXPECT_EQ(pi.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
			seen_pktinfo = 1;
		}
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) {
			int ttl;

			memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
			EXPECT_EQ(ttl, 64);
			seen_ttl = 1;
		}
	}
	EXPECT_TRUE(seen_pktinfo);
	EXPECT_TRUE(seen_ttl);
	close(s);
	close(c);
}

TEST(udp, proc_net_udp_lists_the_socket)
{
	struct sockaddr_in a;
	int s = udp_bound(&a);
	char line[256], want[32];
	int found = 0, lines = 0;
	FILE *f = fopen("/proc/net/udp", "r");

	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(line, sizeof(line), f) != NULL);
	EXPECT_TRUE(strstr(line, "   sl  local_address rem_address   st tx_queue rx_queue") == line);
	EXPECT_EQ(strlen(line), 128);
	snprintf(want, sizeof(want), "0100007F:%04X 00000000:0000 07", ntohs(a.sin_port));
	while (fgets(line, sizeof(line), f)) {
		lines++;
		if (strstr(line, want))
			found = 1;
	}
	EXPECT_TRUE(found);
	EXPECT_GE(lines, 1);
	fclose(f);
	close(s);
}

/* Whether /proc/net/route has a default route (the soak's network round adds one). */
static bool has_default_route(void)
{
	char line[256], dev[32];
	unsigned int dest;
	bool found = false;
	FILE *f = fopen("/proc/net/route", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%31s %x", dev, &dest) == 2 && dest == 0)
			found = true;
	fclose(f);
	return found;
}

TEST(udp, broadcast_needs_so_broadcast)
{
	struct sockaddr_in any = { .sin_family = AF_INET }, bc = any, from;
	socklen_t len = sizeof(any);
	int r = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0)), one = 1;
	char buf[8];

	ASSERT_OK(bind(r, (struct sockaddr *)&any, sizeof(any)));
	ASSERT_OK(getsockname(r, (struct sockaddr *)&any, &len));
	set_rcvtimeo(r, 2000);
	/* lo's subnet broadcast, 127.255.255.255, is a broadcast route as on Linux. */
	bc.sin_addr.s_addr = htonl(0x7fffffff);
	bc.sin_port = any.sin_port;
	EXPECT_ERRNO(sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), EACCES);
	EXPECT_ERRNO(connect(s, (struct sockaddr *)&bc, sizeof(bc)), EACCES);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)));
	EXPECT_EQ(sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), 1);
	len = sizeof(from);
	EXPECT_EQ(recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len), 1);
	EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	/* The limited broadcast has no route with only lo; it goes out by a default route. */
	bc.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	if (has_default_route())
		EXPECT_EQ(sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), 1);
	else
		EXPECT_ERRNO(sendto(s, "b", 1, 0, (struct sockaddr *)&bc, sizeof(bc)), ENETUNREACH);
	close(r);
	close(s);
}

TEST(udp, unconnected_with_ip_recverr_gets_econnrefused)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b), one = 1;
	char buf[8];

	close(s);
	ASSERT_OK(setsockopt(c, IPPROTO_IP, IP_RECVERR, &one, sizeof(one)));
	set_rcvtimeo(c, 2000);
	EXPECT_EQ(sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	EXPECT_ERRNO(recv(c, buf, sizeof(buf), 0), ECONNREFUSED);
	close(c);
}

TEST(udp, so_bindtodevice)
{
	struct sockaddr_in a, b;
	int s = udp_bound(&a), c = udp_bound(&b);
	char name[IFNAMSIZ] = "";
	socklen_t len = sizeof(name);

	if (getuid() != 0) {
		EXPECT_ERRNO(setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3), EPERM);
		return;
	}
	EXPECT_ERRNO(setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11), ENODEV);
	ASSERT_OK(setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	ASSERT_OK(getsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	EXPECT_STREQ(name, "lo");
	EXPECT_EQ(len, 3);
	set_rcvtimeo(s, 2000);
	EXPECT_EQ(sendto(c, "d", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	EXPECT_EQ(recv(s, name, sizeof(name), 0), 1);
	close(s);
	close(c);
}
