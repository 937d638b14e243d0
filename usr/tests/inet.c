/*
 * AF_INET beyond UDP: socket() type/protocol errors, raw ICMP sockets
 * (root: an echo to 127.0.0.1 is answered; others: EPERM), ping sockets
 * (EACCES under the default ping_group_range "1 0"), the interface ioctls
 * on lo (SIOCGIFCONF, flags, index, name, MTU, address, netmask, their
 * errors) from AF_INET and AF_UNIX sockets, and the /proc/net files.
 * Passes on Linux too.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <net/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Runs @fn in a child with uid/gid 65534; the child's exit status. */
static int as_nobody(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static unsigned short csum(const void *buf, int len)
{
	const unsigned char *p = buf;
	unsigned long s = 0;

	for (int i = 0; i + 1 < len; i += 2)
		s += (unsigned long)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (unsigned long)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((unsigned short)~s);
}

TEST(inet, socket_type_and_protocol_errors)
{
	EXPECT_ERRNO(socket(AF_INET, SOCK_RAW, 0), EPROTONOSUPPORT);
	EXPECT_ERRNO(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
	EXPECT_ERRNO(socket(AF_INET, SOCK_DGRAM, 300), EINVAL);
	EXPECT_ERRNO(socket(AF_INET, 4 /* SOCK_RDM */, 0), ESOCKTNOSUPPORT);
	int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	EXPECT_GE(s, 0);
	int v = 0;
	socklen_t len = sizeof(v);
	EXPECT_OK(getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len));
	EXPECT_EQ(v, IPPROTO_UDP);
	len = sizeof(v);
	EXPECT_OK(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len));
	EXPECT_EQ(v, AF_INET);
	close(s);
}

static int raw_as_nobody(void)
{
	return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 && errno == EPERM ? 0 : 1;
}

TEST(inet, raw_icmp_echo_to_loopback)
{
	struct sockaddr_in to = { .sin_family = AF_INET }, from;
	socklen_t flen = sizeof(from);
	struct timeval tv = { 2, 0 };
	unsigned char pkt[64], buf[256];
	struct icmphdr *ic = (struct icmphdr *)pkt;
	int s, got = 0;

	EXPECT_EQ(as_nobody(raw_as_nobody), 0);
	if (getuid() != 0)
		return;
	s = ASSERT_OK(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(pkt, 0, sizeof(pkt));
	ic->type = ICMP_ECHO;
	ic->un.echo.id = htons((unsigned short)getpid());
	ic->un.echo.sequence = htons(7);
	memcpy(pkt + 8, "exotest-echo", 12);
	ic->checksum = csum(pkt, sizeof(pkt));
	ASSERT_EQ(sendto(s, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)), (long)sizeof(pkt));
	/* The raw socket sees its own request on lo, then the kernel's reply. */
	for (int i = 0; i < 4 && !got; i++) {
		long n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		struct iphdr *ip = (struct iphdr *)buf;
		struct icmphdr *r;

		ASSERT_GE(n, (long)(20 + sizeof(pkt)));
		EXPECT_EQ(ip->version, 4);
		EXPECT_EQ(ip->protocol, IPPROTO_ICMP);
		EXPECT_EQ(ntohs(ip->tot_len), n);
		EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
		r = (struct icmphdr *)(buf + ip->ihl * 4);
		if (r->type != ICMP_ECHOREPLY)
			continue;
		got = 1;
		EXPECT_EQ(r->un.echo.id, ic->un.echo.id);
		EXPECT_EQ(ntohs(r->un.echo.sequence), 7);
		EXPECT_MEMEQ((char *)r + 8, "exotest-echo", 12);
		EXPECT_EQ(csum(r, (int)n - ip->ihl * 4), 0);
	}
	EXPECT_TRUE(got);
	close(s);
}

TEST(inet, raw_socket_gets_port_unreachable_for_udp)
{
	/* A UDP datagram to a closed port: the raw ICMP socket sees the error the kernel sends. */
	int r, u;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct timeval tv = { 2, 0 };
	unsigned char buf[512];
	int seen = 0;

	if (getuid() != 0)
		return;
	r = ASSERT_OK(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	u = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	ASSERT_OK(setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Find a closed port: bind one, close it. */
	ASSERT_OK(bind(u, (struct sockaddr *)&a, sizeof(a)) == 0 || errno == EADDRINUSE ? 0 : -1);
	close(u);
	u = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	ASSERT_EQ(sendto(u, "zz", 2, 0, (struct sockaddr *)&a, sizeof(a)), 2);
	for (int i = 0; i < 8 && !seen; i++) {
		long n = recv(r, buf, sizeof(buf), 0);
		struct iphdr *ip = (struct iphdr *)buf;
		struct icmphdr *ic;

		if (n < 0)
			break;
		ic = (struct icmphdr *)(buf + ip->ihl * 4);
		if (ic->type == ICMP_DEST_UNREACH && ic->code == ICMP_PORT_UNREACH) {
			struct iphdr *q = (struct iphdr *)(ic + 1);

			EXPECT_EQ(q->protocol, IPPROTO_UDP);
			EXPECT_EQ(q->daddr, htonl(INADDR_LOOPBACK));
			seen = 1;
		}
	}
	EXPECT_TRUE(seen);
	close(u);
	close(r);
}

static int ping_as_nobody(void)
{
	return socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) < 0 && errno == EACCES ? 0 : 1;
}

TEST(inet, ping_socket_denied_by_default)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ping_group_range", "r");
	unsigned int lo = 0, hi = 0;

	/* Only meaningful with the default range (Linux: "1 0", nobody). */
	if (f) {
		int n = fscanf(f, "%u %u", &lo, &hi);

		fclose(f);
		if (n == 2 && lo <= hi)
			return;
	}
	EXPECT_EQ(as_nobody(ping_as_nobody), 0);
	EXPECT_ERRNO(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), EACCES);
}

static void check_lo_ioctls(int s, int inet)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ASSERT_OK(ioctl(s, SIOCGIFFLAGS, &ifr));
	EXPECT_EQ(ifr.ifr_flags & (IFF_UP | IFF_LOOPBACK | IFF_RUNNING),
		  IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	EXPECT_EQ(ifr.ifr_flags & IFF_BROADCAST, 0);
	ASSERT_OK(ioctl(s, SIOCGIFINDEX, &ifr));
	EXPECT_EQ(ifr.ifr_ifindex, 1);
	ASSERT_OK(ioctl(s, SIOCGIFMTU, &ifr));
	EXPECT_EQ(ifr.ifr_mtu, 65536);
	if (inet) {
		ASSERT_OK(ioctl(s, SIOCGIFADDR, &ifr));
		EXPECT_EQ(sin->sin_family, AF_INET);
		EXPECT_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
		ASSERT_OK(ioctl(s, SIOCGIFNETMASK, &ifr));
		EXPECT_EQ(sin->sin_addr.s_addr, htonl(0xff000000));
	} else {
		/* The address ioctls belong to AF_INET sockets. */
		EXPECT_ERRNO(ioctl(s, SIOCGIFADDR, &ifr), ENOTTY);
	}
	ASSERT_OK(ioctl(s, SIOCGIFHWADDR, &ifr));
	EXPECT_EQ(ifr.ifr_hwaddr.sa_family, 772 /* ARPHRD_LOOPBACK */);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = 1;
	ASSERT_OK(ioctl(s, SIOCGIFNAME, &ifr));
	EXPECT_STREQ(ifr.ifr_name, "lo");
	/* Errors. */
	strcpy(ifr.ifr_name, "nosuchdev0");
	EXPECT_ERRNO(ioctl(s, SIOCGIFFLAGS, &ifr), ENODEV);
	ifr.ifr_ifindex = 100000;
	EXPECT_ERRNO(ioctl(s, SIOCGIFNAME, &ifr), ENODEV);
	EXPECT_ERRNO(ioctl(s, SIOCGIFFLAGS, (void *)8), EFAULT);
}

TEST(inet, interface_ioctls_on_lo)
{
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	int u = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));

	check_lo_ioctls(s, 1);
	check_lo_ioctls(u, 0);
	close(s);
	close(u);
}

TEST(inet, siocgifconf_lists_lo)
{
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	struct ifreq reqs[32];
	struct ifconf ifc = { .ifc_len = 0, .ifc_buf = NULL };
	int found = 0;

	/* A NULL buffer asks how much room the list needs. */
	ASSERT_OK(ioctl(s, SIOCGIFCONF, &ifc));
	EXPECT_GE(ifc.ifc_len, (int)sizeof(struct ifreq));
	EXPECT_EQ(ifc.ifc_len % (int)sizeof(struct ifreq), 0);
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	ASSERT_OK(ioctl(s, SIOCGIFCONF, &ifc));
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&reqs[i].ifr_addr;

		if (!strcmp(reqs[i].ifr_name, "lo")) {
			EXPECT_EQ(sin->sin_family, AF_INET);
			EXPECT_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
			found = 1;
		}
	}
	EXPECT_TRUE(found);
	/* Too small for one entry: nothing, length 0. */
	ifc.ifc_len = sizeof(struct ifreq) - 1;
	ASSERT_OK(ioctl(s, SIOCGIFCONF, &ifc));
	EXPECT_EQ(ifc.ifc_len, 0);
	close(s);
}

static int set_flags_as_nobody(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0 || errno != EPERM)
		return 1;
	ifr.ifr_mtu = 1500;
	if (ioctl(s, SIOCSIFMTU, &ifr) == 0 || errno != EPERM)
		return 2;
	return 0;
}

TEST(inet, interface_changes_need_privilege)
{
	EXPECT_EQ(as_nobody(set_flags_as_nobody), 0);
}

/* The first line of @path, or "" */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
}

TEST(inet, proc_net_files_parse)
{
	char line[512];
	FILE *f;
	int lo = 0, ip = 0, icmp = 0, tcp = 0, udp = 0;

	f = fopen("/proc/net/dev", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(line, sizeof(line), f) != NULL);
	EXPECT_TRUE(strstr(line, "Inter-|   Receive") == line);
	ASSERT_TRUE(fgets(line, sizeof(line), f) != NULL);
	EXPECT_TRUE(strstr(line, " face |bytes    packets errs drop fifo frame compressed multicast|") == line);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v[16];
		char name[32];

		if (sscanf(line, " %31[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu %llu %llu %llu", name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
			   &v[15]) == 17 && !strcmp(name, "lo"))
			lo = 1;
	}
	fclose(f);
	EXPECT_TRUE(lo);

	first_line("/proc/net/route", line, sizeof(line));
	EXPECT_TRUE(strstr(line, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT") == line);
	EXPECT_EQ(strlen(line), 128);
	first_line("/proc/net/arp", line, sizeof(line));
	EXPECT_STREQ(line, "IP address       HW type     Flags       HW address            Mask     Device\n");
	first_line("/proc/net/raw", line, sizeof(line));
	EXPECT_TRUE(strstr(line, "  sl  local_address rem_address   st tx_queue rx_queue") == line);

	f = fopen("/proc/net/snmp", "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		char next[1024];
		int names = 0, values = 0;

		if (!fgets(next, sizeof(next), f))
			break;
		/* Pairs: names, then as many values under the same prefix. */
		EXPECT_EQ(strncmp(line, next, (size_t)(strchr(line, ':') - line)), 0);
		for (char *p = strtok(line, " \n"); p; p = strtok(NULL, " \n"))
			names++;
		for (char *p = strtok(next, " \n"); p; p = strtok(NULL, " \n"))
			values++;
		EXPECT_EQ(names, values);
		ip |= !strncmp(line, "Ip:", 3);
		icmp |= !strncmp(line, "Icmp:", 5);
		tcp |= !strncmp(line, "Tcp:", 4);
		udp |= !strncmp(line, "Udp:", 4);
	}
	fclose(f);
	EXPECT_TRUE(ip && icmp && tcp && udp);
}

TEST(inet, udp_counters_move)
{
	/* OutDatagrams counts a send on lo. */
	char line[512], next[512];
	unsigned long before = 0, after = 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	FILE *f;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int pass = 0; pass < 2; pass++) {
		f = fopen("/proc/net/snmp", "r");
		ASSERT_TRUE(f != NULL);
		while (fgets(line, sizeof(line), f) && fgets(next, sizeof(next), f))
			if (!strncmp(next, "Udp: ", 5)) {
				unsigned long in, noports, inerr, out;

				ASSERT_EQ(sscanf(next, "Udp: %lu %lu %lu %lu", &in, &noports, &inerr,
						 &out), 4);
				*(pass ? &after : &before) = out;
			}
		fclose(f);
		if (!pass)
			ASSERT_EQ(sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	}
	EXPECT_GE(after, before + 1);
	close(s);
}

/* Sends one IPv4 fragment of a UDP datagram to 127.0.0.1:@port through raw socket @r. */
static void send_frag(int r, unsigned short id, unsigned int off_bytes, int more,
		      const void *payload, size_t len)
{
	unsigned char pkt[256];
	struct iphdr *ip = (struct iphdr *)pkt;
	struct sockaddr_in to = { .sin_family = AF_INET };

	memset(pkt, 0, 20);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->id = htons(id);
	ip->frag_off = htons((unsigned short)((off_bytes / 8) | (more ? 0x2000 : 0)));
	ip->saddr = htonl(INADDR_LOOPBACK);
	ip->daddr = htonl(INADDR_LOOPBACK);
	ip->tot_len = htons((unsigned short)(20 + len));
	memcpy(pkt + 20, payload, len);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(sendto(r, pkt, 20 + len, 0, (struct sockaddr *)&to, sizeof(to)), (long)(20 + len));
}

/* A UDP datagram of 8 header + 24 data bytes to @port, checksum 0 (none). */
static void make_udp(unsigned char *d, unsigned short port, unsigned short sport)
{
	d[0] = (unsigned char)(sport >> 8), d[1] = (unsigned char)sport;
	d[2] = (unsigned char)(port >> 8), d[3] = (unsigned char)port;
	d[4] = 0, d[5] = 32, d[6] = 0, d[7] = 0;
	for (int i = 8; i < 32; i++)
		d[i] = (unsigned char)('a' + i - 8);
}

TEST(inet, reassembly_in_any_order_and_overlaps_dropped)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct timeval tv = { 1, 0 };
	unsigned char d[32], buf[64];
	unsigned short port, id = (unsigned short)(getpid() * 7);
	int r, u;

	if (getuid() != 0)
		return;
	r = ASSERT_OK(socket(AF_INET, SOCK_RAW, IPPROTO_RAW));
	u = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_OK(bind(u, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_OK(getsockname(u, (struct sockaddr *)&a, &len));
	ASSERT_OK(setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	port = ntohs(a.sin_port);
	make_udp(d, port, 4000);

	/* In order: 16 bytes, then 16. */
	send_frag(r, id, 0, 1, d, 16);
	send_frag(r, id, 16, 0, d + 16, 16);
	EXPECT_EQ(recv(u, buf, sizeof(buf), 0), 24);
	EXPECT_MEMEQ(buf, d + 8, 24);
	/* Last first, three pieces. */
	send_frag(r, id + 1, 24, 0, d + 24, 8);
	send_frag(r, id + 1, 8, 1, d + 8, 16);
	send_frag(r, id + 1, 0, 1, d, 8);
	EXPECT_EQ(recv(u, buf, sizeof(buf), 0), 24);
	EXPECT_MEMEQ(buf, d + 8, 24);
	/* An exact duplicate is harmless. */
	send_frag(r, id + 2, 0, 1, d, 16);
	send_frag(r, id + 2, 0, 1, d, 16);
	send_frag(r, id + 2, 16, 0, d + 16, 16);
	EXPECT_EQ(recv(u, buf, sizeof(buf), 0), 24);
	/* Overlapping pieces: the datagram is dropped, even once the bytes are all there. */
	send_frag(r, id + 3, 0, 1, d, 16);
	send_frag(r, id + 3, 8, 1, d + 8, 16);
	send_frag(r, id + 3, 16, 0, d + 16, 16);
	EXPECT_ERRNO(recv(u, buf, sizeof(buf), 0), EAGAIN);
	close(r);
	close(u);
}

TEST(inet, fragmentation_over_a_small_mtu)
{
	struct ifreq ifr;
	struct sockaddr_in a = { .sin_family = AF_INET }, b = a;
	socklen_t len = sizeof(a);
	struct timeval tv = { 2, 0 };
	static char out[9000], in[9100];
	int s, c, old_mtu;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	c = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ASSERT_OK(ioctl(s, SIOCGIFMTU, &ifr));
	old_mtu = ifr.ifr_mtu;
	a.sin_addr.s_addr = b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_OK(getsockname(s, (struct sockaddr *)&a, &len));
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 13 + 1);
	ifr.ifr_mtu = 1280;
	ASSERT_OK(ioctl(s, SIOCSIFMTU, &ifr));
	EXPECT_EQ(sendto(c, out, sizeof(out), 0, (struct sockaddr *)&a, sizeof(a)), (long)sizeof(out));
	EXPECT_EQ(recv(s, in, sizeof(in), 0), (long)sizeof(out));
	EXPECT_MEMEQ(in, out, sizeof(out));
	/* IP_MTU_DISCOVER=DO sets DF: too big is EMSGSIZE. */
	int pmtu = IP_PMTUDISC_DO;
	ASSERT_OK(setsockopt(c, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)));
	EXPECT_ERRNO(sendto(c, out, sizeof(out), 0, (struct sockaddr *)&a, sizeof(a)), EMSGSIZE);
	ifr.ifr_mtu = old_mtu;
	EXPECT_OK(ioctl(s, SIOCSIFMTU, &ifr));
	close(s);
	close(c);
}

/* Writes @val to /proc/sys/net/ipv4/@name; 0 or -1. */
static int write_sysctl(const char *name, const char *val)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ok = fputs(val, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

TEST(inet, ping_socket_when_the_group_is_allowed)
{
	char old[64] = "", buf[128];
	struct sockaddr_in to = { .sin_family = AF_INET }, me, from;
	socklen_t len = sizeof(me);
	struct timeval tv = { 2, 0 };
	struct icmphdr ic;
	FILE *f;
	int s;
	long n;

	if (getuid() != 0)
		return;
	f = fopen("/proc/sys/net/ipv4/ping_group_range", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(old, sizeof(old), f) != NULL);
	fclose(f);
	EXPECT_ERRNO(write_sysctl("ping_group_range", "x y"), EINVAL);
	ASSERT_OK(write_sysctl("ping_group_range", "0 0"));
	s = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	write_sysctl("ping_group_range", old);
	ASSERT_GE(s, 0);
	ASSERT_OK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&ic, 0, sizeof(ic));
	/* Only echo requests may be sent. */
	ic.type = ICMP_ECHOREPLY;
	EXPECT_ERRNO(sendto(s, &ic, sizeof(ic), 0, (struct sockaddr *)&to, sizeof(to)), EINVAL);
	ic.type = ICMP_ECHO;
	ic.un.echo.sequence = htons(3);
	ASSERT_EQ(sendto(s, &ic, sizeof(ic), 0, (struct sockaddr *)&to, sizeof(to)), (long)sizeof(ic));
	/* The identifier is the socket's port, chosen at the first send. */
	ASSERT_OK(getsockname(s, (struct sockaddr *)&me, &len));
	EXPECT_NE(me.sin_port, 0);
	len = sizeof(from);
	n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	ASSERT_EQ(n, (long)sizeof(ic));
	memcpy(&ic, buf, sizeof(ic));
	EXPECT_EQ(ic.type, ICMP_ECHOREPLY);
	EXPECT_EQ(ic.un.echo.id, me.sin_port);
	EXPECT_EQ(ntohs(ic.un.echo.sequence), 3);
	EXPECT_EQ(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	close(s);
}

TEST(inet, ip_local_port_range_bounds_ephemeral_ports)
{
	char old[64] = "";
	FILE *f;
	int s;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	if (getuid() != 0)
		return;
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_TRUE(fgets(old, sizeof(old), f) != NULL);
	fclose(f);
	EXPECT_ERRNO(write_sysctl("ip_local_port_range", "5000 4000"), EINVAL);
	ASSERT_OK(write_sysctl("ip_local_port_range", "40000 40001"));
	s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT_OK(bind(s, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_OK(getsockname(s, (struct sockaddr *)&a, &len));
	write_sysctl("ip_local_port_range", old);
	EXPECT_TRUE(ntohs(a.sin_port) == 40000 || ntohs(a.sin_port) == 40001);
	close(s);
}

static int bind_udp_to(unsigned int addr)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_DGRAM, 0), r;

	a.sin_addr.s_addr = htonl(addr);
	r = bind(s, (struct sockaddr *)&a, sizeof(a));
	close(s);
	return r;
}

TEST(inet, alias_address_set_listed_and_removed)
{
	int s;
	struct ifreq ifr, reqs[32];
	struct ifconf ifc = { .ifc_len = sizeof(reqs), .ifc_req = reqs };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int listed = 0;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	EXPECT_ERRNO(bind_udp_to(0xc000024d), EADDRNOTAVAIL);	/* 192.0.2.77 */
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo:7");
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0xc000024d);
	ASSERT_OK(ioctl(s, SIOCSIFADDR, &ifr));
	memset(&ifr.ifr_addr, 0, sizeof(ifr.ifr_addr));
	ASSERT_OK(ioctl(s, SIOCGIFADDR, &ifr));
	EXPECT_EQ(sin->sin_addr.s_addr, htonl(0xc000024d));
	ASSERT_OK(ioctl(s, SIOCGIFNETMASK, &ifr));
	EXPECT_EQ(sin->sin_addr.s_addr, htonl(0xffffff00));	/* class C */
	EXPECT_OK(bind_udp_to(0xc000024d));
	ASSERT_OK(ioctl(s, SIOCGIFCONF, &ifc));
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++)
		if (!strcmp(reqs[i].ifr_name, "lo:7"))
			listed = 1;
	EXPECT_TRUE(listed);
	/* Address 0 removes the alias. */
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = 0;
	EXPECT_OK(ioctl(s, SIOCSIFADDR, &ifr));
	EXPECT_ERRNO(ioctl(s, SIOCGIFADDR, &ifr), EADDRNOTAVAIL);
	EXPECT_ERRNO(bind_udp_to(0xc000024d), EADDRNOTAVAIL);
	close(s);
}

TEST(inet, siocaddrt_siocdelrt)
{
	struct rtentry rt;
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	char dev[] = "lo", line[256];
	int s, found = 0;
	FILE *f;

	if (getuid() != 0)
		return;
	s = ASSERT_OK(socket(AF_INET, SOCK_DGRAM, 0));
	memset(&rt, 0, sizeof(rt));
	dst->sin_family = AF_INET;
	dst->sin_addr.s_addr = htonl(0xc6336400);	/* 198.51.100.0/24 */
	mask->sin_family = AF_INET;
	mask->sin_addr.s_addr = htonl(0xffffff00);
	rt.rt_flags = RTF_UP;
	rt.rt_dev = dev;
	ASSERT_OK(ioctl(s, SIOCADDRT, &rt));
	EXPECT_ERRNO(ioctl(s, SIOCADDRT, &rt), EEXIST);
	f = fopen("/proc/net/route", "r");
	ASSERT_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "lo\t006433C6\t00000000\t0001\t", 26))
			found = 1;
	fclose(f);
	EXPECT_TRUE(found);
	EXPECT_OK(ioctl(s, SIOCDELRT, &rt));
	EXPECT_ERRNO(ioctl(s, SIOCDELRT, &rt), ESRCH);
	/* A destination with host bits set under its mask. */
	dst->sin_addr.s_addr = htonl(0xc6336401);
	EXPECT_ERRNO(ioctl(s, SIOCADDRT, &rt), EINVAL);
	/* Routes are AF_INET's: an AF_UNIX socket does not know the ioctl. */
	int u = ASSERT_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	EXPECT_ERRNO(ioctl(u, SIOCADDRT, &rt), ENOTTY);
	close(u);
	close(s);
}
