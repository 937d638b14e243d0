// SPDX-License-Identifier: MIT
/*
 * net/ipv4/dhcp.c on the host: the DHCP client's messages and its reply
 * parser, which reads what any machine on the link may send. Well-formed
 * replies give the right lease; malformed ones (truncated anywhere, option
 * lengths past the end or wrong for their kind, addresses nobody may use,
 * replies to someone else) are refused; and a fuzz loop of mutated and
 * random replies under ASan/UBSan never reads outside the message and
 * never accepts a lease that breaks the rules. Also the ip= parser.
 */
#include <exo/byteorder.h>
#include <uapi/errno.h>
#include "../net/ipv4/dhcp.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>

static const u8 mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
#define XID 0x1234abcdu

static __be32 ip(u8 a, u8 b, u8 c, u8 d)
{
	return htonl((u32)a << 24 | (u32)b << 16 | (u32)c << 8 | d);
}

/* A reply of @type offering 10.0.2.15, with the options of @opts (already TLV-encoded). */
static unsigned int mk_reply(u8 *buf, u8 type, const u8 *opts, unsigned int olen)
{
	__be32 yi = ip(10, 0, 2, 15), si = ip(10, 0, 2, 2);
	u8 *o;

	memset(buf, 0, 600);
	buf[0] = 2, buf[1] = 1, buf[2] = 6;
	buf[4] = 0x12, buf[5] = 0x34, buf[6] = 0xab, buf[7] = 0xcd;
	memcpy(buf + 16, &yi, 4);
	memcpy(buf + 20, &si, 4);
	memcpy(buf + 28, mac, 6);
	buf[236] = 99, buf[237] = 130, buf[238] = 83, buf[239] = 99;
	o = buf + 240;
	*o++ = 53, *o++ = 1, *o++ = type;
	memcpy(o, opts, olen);
	o += olen;
	*o++ = 255;
	return (unsigned int)(o - buf);
}

/* What slirp sends: mask, router, DNS, lease, server id. */
static const u8 good_opts[] = {
	1, 4, 255, 255, 255, 0,
	3, 4, 10, 0, 2, 2,
	6, 8, 10, 0, 2, 3, 8, 8, 8, 8,
	51, 4, 0, 1, 0x51, 0x80,
	54, 4, 10, 0, 2, 2,
	12, 4, 'e', 'x', 'o', '1',
	15, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'o', 'r', 'g',
	200, 3, 1, 2, 3,	/* unknown: skipped */
};

TEST(dhcp_build_discover_and_request)
{
	u8 buf[DHCP_CLIENT_LEN];
	__be32 req = ip(10, 0, 2, 15), sid = ip(10, 0, 2, 2);
	bool seen_type = false, seen_req = false, seen_sid = false;
	unsigned int len = dhcp_build(buf, DHCPREQUEST, XID, mac, 3, req, sid);

	CHECK(len == DHCP_CLIENT_LEN && buf[0] == 1 && buf[1] == 1 && buf[2] == 6);
	CHECK(buf[4] == 0x12 && buf[7] == 0xcd && buf[8] == 0 && buf[9] == 3);
	CHECK(buf[10] == 0x80 && buf[11] == 0);	/* broadcast flag */
	CHECK(!memcmp(buf + 28, mac, 6));
	CHECK(buf[236] == 99 && buf[237] == 130 && buf[238] == 83 && buf[239] == 99);
	for (unsigned int i = 240; i < len && buf[i] != 255;) {
		if (buf[i] == 0) {
			i++;
			continue;
		}
		CHECK(i + 2 + buf[i + 1] <= len);
		if (buf[i] == 53)
			seen_type = buf[i + 1] == 1 && buf[i + 2] == DHCPREQUEST;
		if (buf[i] == 50)
			seen_req = buf[i + 1] == 4 && !memcmp(buf + i + 2, &req, 4);
		if (buf[i] == 54)
			seen_sid = buf[i + 1] == 4 && !memcmp(buf + i + 2, &sid, 4);
		i += 2u + buf[i + 1];
	}
	CHECK(seen_type && seen_req && seen_sid);
	/* A DISCOVER leaves both out. */
	dhcp_build(buf, DHCPDISCOVER, XID, mac, 0, 0, 0);
	CHECK(buf[242] == DHCPDISCOVER);
	for (unsigned int i = 240; buf[i] != 255; i += 2u + buf[i + 1])
		CHECK(buf[i] != 50 && buf[i] != 54);
}

TEST(dhcp_parse_offer_and_ack)
{
	u8 buf[600];
	struct dhcp_lease l;
	unsigned int len = mk_reply(buf, DHCPOFFER, good_opts, sizeof(good_opts));

	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPOFFER);
	CHECK(l.yiaddr == ip(10, 0, 2, 15) && l.mask == ip(255, 255, 255, 0));
	CHECK(l.router == ip(10, 0, 2, 2) && l.server_id == ip(10, 0, 2, 2));
	CHECK(l.ndns == 2 && l.dns[0] == ip(10, 0, 2, 3) && l.dns[1] == ip(8, 8, 8, 8));
	CHECK(l.lease_secs == 86400);
	CHECK(!strcmp(l.hostname, "exo1") && !strcmp(l.domain, "example.org"));
	len = mk_reply(buf, DHCPACK, good_opts, sizeof(good_opts));
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPACK);
	/* Padding after the end option, and no end option at all, are both fine. */
	CHECK(dhcp_parse(buf, len + 40, XID, mac, &l) == DHCPACK);
	CHECK(dhcp_parse(buf, len - 1, XID, mac, &l) == DHCPACK);
	/* A NAK needs no address. */
	len = mk_reply(buf, DHCPNAK, (const u8 *)"\x36\x04\x0a\x00\x02\x02", 6);
	memset(buf + 16, 0, 4);
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPNAK);
}

TEST(dhcp_parse_refuses_replies_for_others)
{
	u8 buf[600];
	struct dhcp_lease l;
	unsigned int len = mk_reply(buf, DHCPOFFER, good_opts, sizeof(good_opts));
	static const u8 other_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };

	CHECK(dhcp_parse(buf, len, XID + 1, mac, &l) == -EINVAL);
	CHECK(dhcp_parse(buf, len, XID, other_mac, &l) == -EINVAL);
	buf[0] = 1;	/* a request, not a reply */
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
	buf[0] = 2;
	buf[2] = 16;	/* hardware address length */
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
	buf[2] = 6;
	buf[239] = 98;	/* cookie */
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
	buf[239] = 99;
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPOFFER);
}

/* The reply with @opt in place of the good options must be refused. */
static void refused(const u8 *opt, unsigned int olen, const char *why)
{
	u8 buf[600];
	struct dhcp_lease l;
	unsigned int len = mk_reply(buf, DHCPOFFER, opt, olen);

	if (dhcp_parse(buf, len, XID, mac, &l) != -EINVAL) {
		fprintf(stderr, "  accepted: %s\n", why);
		CHECK(0);
	}
}

TEST(dhcp_parse_checks_every_option_length)
{
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x01\x03\xff\xff\xff", 11, "mask of 3 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x01\x04\xff\x00\xff\x00", 12, "mask with holes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x03\x05\x0a\x00\x02\x02\x01", 13, "router of 5 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x03\x00", 8, "router of 0 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x06\x02\x01\x02", 10, "DNS of 2 bytes");
	refused((const u8 *)"\x36\x03\x0a\x00\x02", 5, "server id of 3 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x33\x08\x00\x00\x00\x00\x00\x00\x00\x00", 16,
		"lease of 8 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x35\x02\x02\x02", 10, "type of 2 bytes");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x0c\xf0" "abc", 11, "hostname running past the end");
	refused((const u8 *)"\x36\x04\x0a\x00\x02\x02\x0c", 7, "an option without its length");
	refused((const u8 *)"", 0, "no server identifier");

	/* A message type a server does not send. */
	u8 buf[600];
	struct dhcp_lease l;
	unsigned int len = mk_reply(buf, DHCPREQUEST, good_opts, sizeof(good_opts));

	CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
	len = mk_reply(buf, 9, good_opts, sizeof(good_opts));
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
}

TEST(dhcp_parse_refuses_unusable_addresses_and_names)
{
	static const struct { u8 a, b, c, d; } bad[] = {
		{ 0, 0, 0, 0 }, { 127, 0, 0, 1 }, { 224, 0, 0, 1 }, { 255, 255, 255, 255 },
		{ 10, 0, 2, 255 },	/* the /24's broadcast address */
	};
	u8 buf[600];
	struct dhcp_lease l;
	unsigned int len;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		__be32 a = ip(bad[i].a, bad[i].b, bad[i].c, bad[i].d);

		len = mk_reply(buf, DHCPACK, good_opts, sizeof(good_opts));
		memcpy(buf + 16, &a, 4);
		CHECK(dhcp_parse(buf, len, XID, mac, &l) == -EINVAL);
	}
	/* A loopback router and DNS server are skipped, not used. */
	len = mk_reply(buf, DHCPACK,
		       (const u8 *)"\x36\x04\x0a\x00\x02\x02\x03\x04\x7f\x00\x00\x01\x06\x04\xe0\x00\x00\x01",
		       18);
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPACK && l.router == 0 && l.ndns == 0);
	/* Names with characters no host name has, or too long, are dropped. */
	len = mk_reply(buf, DHCPACK, (const u8 *)"\x36\x04\x0a\x00\x02\x02\x0c\x04" "a/b;", 11);
	CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPACK && l.hostname[0] == '\0');
	{
		u8 opts[6 + 2 + 80];

		memcpy(opts, "\x36\x04\x0a\x00\x02\x02\x0c\x50", 8);
		memset(opts + 8, 'a', 80);
		len = mk_reply(buf, DHCPACK, opts, sizeof(opts));
		CHECK(dhcp_parse(buf, len, XID, mac, &l) == DHCPACK && l.hostname[0] == '\0');
	}
}

/* What any accepted lease must satisfy. */
static void lease_sane(int type, const struct dhcp_lease *l)
{
	u32 y = ntohl(l->yiaddr);

	CHECK(type == DHCPOFFER || type == DHCPACK || type == DHCPNAK);
	CHECK(l->ndns <= DHCP_MAX_DNS);
	CHECK(memchr(l->hostname, 0, sizeof(l->hostname)) && memchr(l->domain, 0, sizeof(l->domain)));
	if (type != DHCPNAK) {
		CHECK(l->server_id != 0);
		CHECK((y >> 24) != 0 && (y >> 24) != 127 && (y >> 28) < 0xe);
	}
}

TEST(dhcp_parse_fuzz_truncated_mutated_random)
{
	u8 good[600], buf[600];
	unsigned int glen = mk_reply(good, DHCPACK, good_opts, sizeof(good_opts));
	struct dhcp_lease l;
	unsigned int accepted = 0;

	/* Cut anywhere: refused or still sane, never a read past the cut (ASan). */
	for (unsigned int n = 0; n <= glen; n++) {
		u8 *copy = malloc(n ? n : 1);
		int t;

		memcpy(copy, good, n);
		t = dhcp_parse(copy, n, XID, mac, &l);
		if (t > 0)
			lease_sane(t, &l);
		free(copy);
	}
	test_srand(13);
	for (unsigned int iter = 0; iter < 200000; iter++) {
		unsigned int len = glen, flips = 1 + (unsigned int)rand() % 8;
		u8 *copy;
		int t;

		memcpy(buf, good, glen);
		for (unsigned int f = 0; f < flips; f++) {
			/* Mostly the options, where the lengths are. */
			unsigned int at = 240 + (unsigned int)rand() % (glen - 240);

			buf[at] = (u8)rand();
		}
		if (iter % 4 == 0) {	/* random options of random length */
			len = 240 + (unsigned int)rand() % 300;
			for (unsigned int i = 240; i < len; i++)
				buf[i] = (u8)rand();
		}
		copy = malloc(len);
		memcpy(copy, buf, len);
		t = dhcp_parse(copy, len, XID, mac, &l);
		if (t > 0) {
			lease_sane(t, &l);
			accepted++;
		}
		free(copy);
	}
	CHECK(accepted > 0);	/* the mutations do not all hit something that matters */
}

TEST(ip_argument_parser)
{
	struct ic_conf c;

	CHECK(ic_parse("10.0.3.2::10.0.3.1:255.255.255.0::eth0:off", &c) == 0);
	CHECK(c.proto == IC_STATIC && c.addr == ip(10, 0, 3, 2) && c.gw == ip(10, 0, 3, 1) &&
	      c.mask == ip(255, 255, 255, 0) && !strcmp(c.device, "eth0") && !c.server);
	CHECK(ic_parse("dhcp", &c) == 0 && c.proto == IC_DHCP);
	CHECK(ic_parse("on", &c) == 0 && c.proto == IC_DHCP);
	CHECK(ic_parse("off", &c) == 0 && c.proto == IC_OFF);
	CHECK(ic_parse("none", &c) == 0 && c.proto == IC_OFF);
	CHECK(ic_parse(":::::eth1:dhcp", &c) == 0 && c.proto == IC_DHCP && !strcmp(c.device, "eth1"));
	/* An address without autoconf is static, with the classful mask. */
	CHECK(ic_parse("192.168.7.9", &c) != 0);	/* one word that is not a method */
	CHECK(ic_parse("192.168.7.9:", &c) == 0 && c.proto == IC_STATIC &&
	      c.mask == ip(255, 255, 255, 0));
	CHECK(ic_parse("10.1.2.3::10.0.0.1::myhost:eth0:none:1.1.1.1:9.9.9.9", &c) == 0);
	CHECK(c.mask == ip(255, 0, 0, 0) && !strcmp(c.hostname, "myhost") &&
	      c.dns[0] == ip(1, 1, 1, 1) && c.dns[1] == ip(9, 9, 9, 9));
	/* Nothing is configured from a line that does not parse. */
	CHECK(ic_parse("10.0.3.256::::::off", &c) == -EINVAL);
	CHECK(ic_parse("10.0.3::::::off", &c) == -EINVAL);
	CHECK(ic_parse("10.0.3.2.1::::::off", &c) == -EINVAL);
	CHECK(ic_parse("10.0.3.2:::255.0.255.0:::off", &c) == -EINVAL);
	CHECK(ic_parse("::::::off", &c) == -EINVAL);	/* static without an address */
	CHECK(ic_parse(":::::eth0:bogus", &c) == -EINVAL);
	CHECK(ic_parse(":::::a-device-name-too-long:dhcp", &c) == -EINVAL);
	CHECK(ic_parse("dhcpx", &c) == -EINVAL);
}
