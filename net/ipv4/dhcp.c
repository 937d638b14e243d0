// SPDX-License-Identifier: MIT
/*
 * DHCP messages and the ip= argument, without any device (see dhcp.h):
 * ipconfig.c sends what dhcp_build() makes and believes only what
 * dhcp_parse() accepted. A reply comes from the network, so the parser
 * trusts nothing: every option length is checked against the option's
 * kind (RFC 2132) and against the end of the message before a byte of it
 * is read, names keep only host-name characters, and addresses that no
 * host may use (0, broadcast, loopback, multicast) are refused.
 */
#include <exo/byteorder.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "dhcp.h"

/* RFC 2131, 3: the options start with 99.130.83.99. */
static const u8 dhcp_cookie[4] = { 99, 130, 83, 99 };

#define BOOTREQUEST	1
#define BOOTREPLY	2
#define HTYPE_ETHER	1
#define BOOTP_BROADCAST	0x8000

/* Option codes (RFC 2132). */
#define OPT_PAD		0
#define OPT_MASK	1
#define OPT_ROUTER	3
#define OPT_DNS		6
#define OPT_HOSTNAME	12
#define OPT_DOMAIN	15
#define OPT_BCAST	28
#define OPT_REQ_IP	50
#define OPT_LEASE	51
#define OPT_MSG_TYPE	53
#define OPT_SERVER_ID	54
#define OPT_PARAMS	55
#define OPT_MAX_SIZE	57
#define OPT_CLIENT_ID	61
#define OPT_END		255

/* Offsets in the fixed part. */
#define OFF_OP		0
#define OFF_HTYPE	1
#define OFF_HLEN	2
#define OFF_XID		4
#define OFF_SECS	8
#define OFF_FLAGS	10
#define OFF_YIADDR	16
#define OFF_SIADDR	20
#define OFF_CHADDR	28

static void put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put_be32(u8 *p, u32 v)
{
	put_be16(p, (u16)(v >> 16));
	put_be16(p + 2, (u16)v);
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static __be32 get_addr(const u8 *p)
{
	__be32 a;

	memcpy(&a, p, 4);
	return a;
}

unsigned int dhcp_build(u8 *buf, int type, u32 xid, const u8 *mac, u16 secs, __be32 requested,
			__be32 server_id)
{
	static const u8 params[] = { OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN,
				     OPT_BCAST, OPT_LEASE, OPT_SERVER_ID };
	u8 *o = buf + DHCP_OPTIONS_OFF;

	memset(buf, 0, DHCP_CLIENT_LEN);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put_be32(buf + OFF_XID, xid);
	put_be16(buf + OFF_SECS, secs);
	put_be16(buf + OFF_FLAGS, BOOTP_BROADCAST);
	memcpy(buf + OFF_CHADDR, mac, 6);
	memcpy(buf + DHCP_FIXED_LEN, dhcp_cookie, 4);

	*o++ = OPT_MSG_TYPE, *o++ = 1, *o++ = (u8)type;
	*o++ = OPT_CLIENT_ID, *o++ = 7, *o++ = HTYPE_ETHER;
	memcpy(o, mac, 6);
	o += 6;
	if (requested) {
		*o++ = OPT_REQ_IP, *o++ = 4;
		memcpy(o, &requested, 4);
		o += 4;
	}
	if (server_id) {
		*o++ = OPT_SERVER_ID, *o++ = 4;
		memcpy(o, &server_id, 4);
		o += 4;
	}
	*o++ = OPT_MAX_SIZE, *o++ = 2;
	put_be16(o, 576);	/* the minimum every host takes (RFC 2132, 9.10) */
	o += 2;
	*o++ = OPT_PARAMS, *o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o++ = OPT_END;
	return DHCP_CLIENT_LEN;	/* the rest is padding (zeros = OPT_PAD) */
}

/* An address a server may hand out as ours or as a router: no 0/8, loopback, class D/E. */
static bool dhcp_addr_usable(__be32 a)
{
	u32 h = ntohl(a);

	return (h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 0xe;
}

/* Keeps a name only if it is one (RFC 1123 characters), else leaves @out empty. */
static void dhcp_copy_name(char *out, const u8 *p, unsigned int len)
{
	out[0] = '\0';
	if (len == 0 || len >= DHCP_NAME_MAX)
		return;
	for (unsigned int i = 0; i < len; i++) {
		u8 c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || (c == '\0' && i == len - 1)))
			return;
	}
	memcpy(out, p, len);
	out[len] = '\0';
}

/* One option: 0 when it made sense for its kind, -EINVAL when not. */
static int dhcp_option(struct dhcp_lease *l, u8 code, const u8 *p, unsigned int len)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (len != 1 || p[0] < DHCPDISCOVER || p[0] > DHCPINFORM)
			return -EINVAL;
		l->type = p[0];
		return 0;
	case OPT_MASK:
		if (len != 4 || !ic_mask_valid(get_addr(p)))
			return -EINVAL;
		l->mask = get_addr(p);
		return 0;
	case OPT_ROUTER:
		if (len < 4 || len % 4)
			return -EINVAL;
		/* The first usable one; a router list of nonsense just gives no route. */
		for (unsigned int i = 0; i < len && !l->router; i += 4)
			if (dhcp_addr_usable(get_addr(p + i)))
				l->router = get_addr(p + i);
		return 0;
	case OPT_DNS:
		if (len < 4 || len % 4)
			return -EINVAL;
		l->ndns = 0;
		for (unsigned int i = 0; i < len && l->ndns < DHCP_MAX_DNS; i += 4)
			if (dhcp_addr_usable(get_addr(p + i)))
				l->dns[l->ndns++] = get_addr(p + i);
		return 0;
	case OPT_SERVER_ID:
		if (len != 4)
			return -EINVAL;
		l->server_id = get_addr(p);
		return 0;
	case OPT_LEASE:
		if (len != 4)
			return -EINVAL;
		l->lease_secs = get_be32(p);
		return 0;
	case OPT_HOSTNAME:
		dhcp_copy_name(l->hostname, p, len);
		return 0;
	case OPT_DOMAIN:
		dhcp_copy_name(l->domain, p, len);
		return 0;
	}
	return 0;	/* one we did not ask for: its length was in bounds, skip it */
}

int dhcp_parse(const u8 *buf, unsigned int len, u32 xid, const u8 *mac, struct dhcp_lease *l)
{
	unsigned int i = DHCP_OPTIONS_OFF;

	memset(l, 0, sizeof(*l));
	if (len < DHCP_OPTIONS_OFF || buf[OFF_OP] != BOOTREPLY || buf[OFF_HTYPE] != HTYPE_ETHER ||
	    buf[OFF_HLEN] != 6 || get_be32(buf + OFF_XID) != xid ||
	    memcmp(buf + OFF_CHADDR, mac, 6) != 0 || memcmp(buf + DHCP_FIXED_LEN, dhcp_cookie, 4) != 0)
		return -EINVAL;
	while (i < len) {
		u8 code = buf[i], olen;

		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			break;
		if (len - i < 2)
			return -EINVAL;	/* a code without its length */
		olen = buf[i + 1];
		if (olen > len - i - 2)
			return -EINVAL;	/* runs past the message */
		if (dhcp_option(l, code, buf + i + 2, olen))
			return -EINVAL;
		i += 2u + olen;
	}
	l->yiaddr = get_addr(buf + OFF_YIADDR);
	l->siaddr = get_addr(buf + OFF_SIADDR);
	switch (l->type) {
	case DHCPOFFER:
	case DHCPACK:
		/* RFC 2131, 4.3.1: both carry the server identifier and an address for us. */
		if (!l->server_id || !dhcp_addr_usable(l->yiaddr))
			return -EINVAL;
		if (l->mask && (l->yiaddr & ~l->mask) == ~l->mask)
			return -EINVAL;	/* the subnet's broadcast address */
		return l->type;
	case DHCPNAK:
		return l->type;
	}
	return -EINVAL;	/* no type, or one a server does not send */
}

/* ---- ip= ----------------------------------------------------------------- */

int ic_parse_addr(const char *s, size_t len, __be32 *addr)
{
	u32 v = 0;
	unsigned int parts = 0;
	size_t i = 0;

	while (parts < 4) {
		u32 part = 0;
		size_t digits = 0;

		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 3) {
			part = part * 10 + (u32)(s[i++] - '0');
			digits++;
		}
		if (!digits || part > 255)
			return -EINVAL;
		v = v << 8 | part;
		if (++parts < 4) {
			if (i >= len || s[i] != '.')
				return -EINVAL;
			i++;
		}
	}
	if (i != len)
		return -EINVAL;
	*addr = htonl(v);
	return 0;
}

bool ic_mask_valid(__be32 mask)
{
	u32 host = ~ntohl(mask);

	return (host & (host + 1)) == 0;	/* the host part is all the low bits */
}

__be32 ic_default_mask(__be32 addr)
{
	u32 h = ntohl(addr);

	if ((h >> 31) == 0)
		return htonl(0xff000000);
	if ((h >> 30) == 2)
		return htonl(0xffff0000);
	return htonl(0xffffff00);
}

static bool ic_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(s, w, len);
}

/* The autoconf field (and a whole ip= of one word): off, static or DHCP; -EINVAL if unknown. */
static int ic_autoconf(const char *s, size_t len, enum ic_proto *p)
{
	if (ic_word(s, len, "off") || ic_word(s, len, "none") || ic_word(s, len, "static")) {
		*p = IC_STATIC;
		return 0;
	}
	if (ic_word(s, len, "dhcp") || ic_word(s, len, "on") || ic_word(s, len, "any") ||
	    ic_word(s, len, "both") || ic_word(s, len, "bootp") || ic_word(s, len, "")) {
		*p = IC_DHCP;
		return 0;
	}
	return -EINVAL;
}

static int ic_field_name(char *out, size_t size, const char *s, size_t len)
{
	if (len >= size)
		return -EINVAL;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int ic_parse(const char *s, struct ic_conf *c)
{
	size_t total = strlen(s);
	const char *f = s;
	int field = 0;
	enum ic_proto autoconf = IC_DHCP;
	bool had_autoconf = false;

	memset(c, 0, sizeof(*c));
	if (!strchr(s, ':')) {
		if (ic_word(s, total, "off") || ic_word(s, total, "none")) {
			c->proto = IC_OFF;
			return 0;
		}
		c->proto = IC_DHCP;
		return ic_autoconf(s, total, &autoconf) == 0 && autoconf == IC_DHCP ? 0 : -EINVAL;
	}
	for (;;) {
		const char *end = strchr(f, ':');
		size_t len = end ? (size_t)(end - f) : strlen(f);
		__be32 *addr = NULL;

		switch (field) {
		case 0: addr = &c->addr; break;
		case 1: addr = &c->server; break;
		case 2: addr = &c->gw; break;
		case 3: addr = &c->mask; break;
		case 4:
			if (ic_field_name(c->hostname, sizeof(c->hostname), f, len))
				return -EINVAL;
			break;
		case 5:
			if (ic_field_name(c->device, sizeof(c->device), f, len))
				return -EINVAL;
			break;
		case 6:
			if (ic_autoconf(f, len, &autoconf))
				return -EINVAL;
			had_autoconf = len != 0;
			break;
		case 7: addr = &c->dns[0]; break;
		case 8: addr = &c->dns[1]; break;
		default:
			break;	/* ntp0 and later: not used */
		}
		if (addr && len && ic_parse_addr(f, len, addr))
			return -EINVAL;
		if (!end)
			break;
		f = end + 1;
		field++;
	}
	if (c->mask && !ic_mask_valid(c->mask))
		return -EINVAL;
	/* Linux: an address without an autoconf method is static; none at all asks DHCP. */
	if (!had_autoconf)
		autoconf = c->addr ? IC_STATIC : IC_DHCP;
	if (autoconf == IC_STATIC && !c->addr)
		return -EINVAL;
	c->proto = autoconf;
	if (c->proto == IC_STATIC && !c->mask)
		c->mask = ic_default_mask(c->addr);
	return 0;
}
