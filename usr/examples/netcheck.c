// SPDX-License-Identifier: MIT
/*
 * netcheck: the guest's side of the network tests (scripts/testsuite/net.py),
 * until BusyBox's ping and nc are in the image. Runs on Linux alike.
 *
 *   netcheck ping ADDR COUNT     ICMP echo, one a 100 ms apart (an ICMP datagram
 *                                socket, else a raw one); prints "ping: N/COUNT replies";
 *                                exit 0 when all came back, 1 when some did not,
 *                                2 when no ICMP socket can be made here
 *   netcheck udp ADDR PORT TEXT  sends TEXT in one UDP datagram; exit 0 when sent
 *   netcheck tcp-send ADDR PORT BYTES
 *                                connects and sends BYTES bytes of a fixed pattern
 *                                (byte i is (i * 7 + i / 4096) & 0xff), then closes
 *   netcheck tcp-recv PORT       accepts one connection on PORT and reads it to the end;
 *                                prints "tcp: N bytes, pattern ok|bad at OFFSET"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ICMP_ECHO	8
#define ICMP_ECHOREPLY	0
#define PING_ID		0x4e43	/* raw sockets see every reply: ours carry this id */
#define PING_WAIT_MS	1000

struct echo {
	uint8_t type, code;
	uint16_t csum, id, seq;
	char data[24];
};

static uint16_t inet_csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

static int parse_addr(const char *s, struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, s, &sin->sin_addr) != 1) {
		fprintf(stderr, "netcheck: %s: not an IPv4 address\n", s);
		return -1;
	}
	return 0;
}

/* Waits up to PING_WAIT_MS for the reply to @seq; 1 when it came. */
static int wait_reply(int fd, int raw, uint16_t seq)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[1500];

	while (poll(&pfd, 1, PING_WAIT_MS) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		const struct echo *e;
		size_t off = 0;

		if (n < 0)
			return 0;
		if (raw)
			off = (size_t)(buf[0] & 0xf) * 4;	/* raw sockets hand over the IP header */
		if ((size_t)n < off + 8)
			continue;
		e = (const struct echo *)(buf + off);
		/* A datagram socket's id is its port, rewritten by the kernel: only raw checks it. */
		if (e->type == ICMP_ECHOREPLY && ntohs(e->seq) == seq && (!raw || ntohs(e->id) == PING_ID))
			return 1;
	}
	return 0;
}

static int do_ping(const char *addr, int count)
{
	struct timespec gap = { 0, 100 * 1000 * 1000 };
	struct sockaddr_in to;
	int fd, raw = 0, got = 0;

	if (parse_addr(addr, &to, 0))
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
		raw = 1;
	}
	if (fd < 0) {
		printf("ping: no ICMP socket: %s\n", strerror(errno));
		return 2;
	}
	for (int i = 1; i <= count; i++) {
		struct echo e = { .type = ICMP_ECHO, .id = htons(PING_ID), .seq = htons((uint16_t)i) };

		snprintf(e.data, sizeof(e.data), "exo-netcheck %d", i);
		e.csum = inet_csum(&e, sizeof(e));
		if (sendto(fd, &e, sizeof(e), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(e)) {
			printf("ping: sendto: %s\n", strerror(errno));
			continue;
		}
		got += wait_reply(fd, raw, (uint16_t)i);
		nanosleep(&gap, NULL);
	}
	close(fd);
	printf("ping: %d/%d replies\n", got, count);
	return got == count ? 0 : 1;
}

static int do_udp(const char *addr, int port, const char *text)
{
	struct sockaddr_in to;
	ssize_t n;
	int fd;

	if (parse_addr(addr, &to, port))
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		printf("udp: socket: %s\n", strerror(errno));
		return 1;
	}
	n = sendto(fd, text, strlen(text), 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
	if (n != (ssize_t)strlen(text)) {
		printf("udp: sendto: %s\n", n < 0 ? strerror(errno) : "short");
		return 1;
	}
	printf("udp: sent %zd bytes\n", n);
	return 0;
}

static unsigned char pattern_byte(unsigned long long i)
{
	return (unsigned char)((i * 7 + i / 4096) & 0xff);
}

static int do_tcp_send(const char *addr, int port, unsigned long long bytes)
{
	static unsigned char buf[65536];
	unsigned long long off = 0;
	struct sockaddr_in to;
	int fd;

	if (parse_addr(addr, &to, port))
		return 2;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to))) {
		printf("tcp: connect: %s\n", strerror(errno));
		return 1;
	}
	while (off < bytes) {
		size_t n = bytes - off < sizeof(buf) ? (size_t)(bytes - off) : sizeof(buf);
		ssize_t w;

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern_byte(off + i);
		w = write(fd, buf, n);
		if (w <= 0) {
			printf("tcp: write at %llu: %s\n", off, w < 0 ? strerror(errno) : "0");
			return 1;
		}
		off += (unsigned long long)w;
	}
	close(fd);
	printf("tcp: sent %llu bytes\n", off);
	return 0;
}

static int do_tcp_recv(int port)
{
	static unsigned char buf[65536];
	unsigned long long off = 0, bad = ~0ULL;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, lfd, fd;
	ssize_t n;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1)) {
		printf("tcp: listen: %s\n", strerror(errno));
		return 1;
	}
	printf("tcp: listening\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		printf("tcp: accept: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && bad == ~0ULL; i++)
			if (buf[i] != pattern_byte(off + (unsigned long long)i))
				bad = off + (unsigned long long)i;
		off += (unsigned long long)n;
	}
	close(fd);
	close(lfd);
	if (bad != ~0ULL)
		printf("tcp: %llu bytes, pattern bad at %llu\n", off, bad);
	else
		printf("tcp: %llu bytes, pattern ok\n", off);
	return n < 0 || bad != ~0ULL;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "ping"))
		return do_ping(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return do_udp(argv[2], atoi(argv[3]), argv[4]);
	if (argc == 5 && !strcmp(argv[1], "tcp-send"))
		return do_tcp_send(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10));
	if (argc == 3 && !strcmp(argv[1], "tcp-recv"))
		return do_tcp_recv(atoi(argv[2]));
	fprintf(stderr, "usage: netcheck ping ADDR COUNT | udp ADDR PORT TEXT | "
		"tcp-send ADDR PORT BYTES | tcp-recv PORT\n");
	return 2;
}
