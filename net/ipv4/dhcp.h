/* SPDX-License-Identifier: MIT */
/*
 * The pure parts of boot-time IP configuration (net/ipv4/dhcp.c), apart
 * from the device work in ipconfig.c so the host tests can run them: the
 * ip= command-line parser and DHCP (RFC 2131/2132) messages, built and
 * parsed. Nothing here sleeps, allocates or touches a device.
 */
#ifndef _NET_IPV4_DHCP_H
#define _NET_IPV4_DHCP_H

#include <exo/types.h>
#include <uapi/types.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68

/* Message types (RFC 2132, 9.6). */
#define DHCPDISCOVER	1
#define DHCPOFFER	2
#define DHCPREQUEST	3
#define DHCPDECLINE	4
#define DHCPACK		5
#define DHCPNAK		6
#define DHCPRELEASE	7
#define DHCPINFORM	8

/* The fixed BOOTP part (RFC 2131, 2), the magic cookie, then options. */
#define DHCP_FIXED_LEN		236
#define DHCP_OPTIONS_OFF	(DHCP_FIXED_LEN + 4)
/* What dhcp_build() writes: padded to BOOTP's 300 bytes, which some servers require. */
#define DHCP_CLIENT_LEN		300

#define DHCP_MAX_DNS		3
#define DHCP_NAME_MAX		64	/* host and domain names kept, NUL included */

/* What a server's reply says, once checked. Addresses in network order. */
struct dhcp_lease {
	int type;			/* DHCPOFFER, DHCPACK, DHCPNAK */
	__be32 yiaddr;			/* the address offered */
	__be32 siaddr;			/* next server (BOOTP's) */
	__be32 server_id;		/* option 54: whom to send REQUEST to; 0: none */
	__be32 mask;			/* option 1; 0: none */
	__be32 router;			/* option 3, the first; 0: none */
	__be32 dns[DHCP_MAX_DNS];	/* option 6 */
	unsigned int ndns;
	u32 lease_secs;			/* option 51; 0: none */
	char hostname[DHCP_NAME_MAX];	/* option 12, "" when absent */
	char domain[DHCP_NAME_MAX];	/* option 15 */
};

/*
 * Writes a client message of @type (DISCOVER or REQUEST) into @buf
 * (DHCP_CLIENT_LEN bytes) for hardware address @mac: broadcast flag set (we
 * cannot take unicast before we have an address), and for a REQUEST the
 * @requested address and @server_id (both 0 to leave out). Returns the length.
 */
unsigned int dhcp_build(u8 *buf, int type, u32 xid, const u8 *mac, u16 secs, __be32 requested,
			__be32 server_id);

/*
 * Checks the BOOTP/DHCP message of @len bytes at @buf as a reply to our
 * @xid for @mac and fills @lease: every option's length is checked against
 * its kind and against the message, addresses that cannot be assigned are
 * refused. Returns the message type (DHCPOFFER, DHCPACK, DHCPNAK) or
 * -EINVAL (not ours, truncated, malformed: ignore it).
 */
int dhcp_parse(const u8 *buf, unsigned int len, u32 xid, const u8 *mac, struct dhcp_lease *lease);

/* The kernel's ip= argument (Documentation/admin-guide/nfs/nfsroot.rst's format). */
enum ic_proto {
	IC_OFF,				/* ip=off / none: nothing configured */
	IC_STATIC,			/* an address given, autoconf off */
	IC_DHCP,			/* ip=dhcp, on, any, both, bootp or autoconf dhcp */
};

struct ic_conf {
	enum ic_proto proto;
	__be32 addr, server, gw, mask;	/* 0: not given */
	__be32 dns[2];
	char hostname[DHCP_NAME_MAX];
	char device[16];		/* "" : the first Ethernet device */
};

/*
 * Parses "ip=" text: "off", "dhcp" (and Linux's synonyms), or
 * <client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>
 * with any trailing fields left out. 0 or -EINVAL (a field that is not what
 * it should be: nothing is configured from a line we misread).
 */
int ic_parse(const char *s, struct ic_conf *c);

/* Parses a dotted quad into network order: 0 or -EINVAL. */
int ic_parse_addr(const char *s, size_t len, __be32 *addr);

/* Whether @mask (network order) is contiguous ones then zeros. */
bool ic_mask_valid(__be32 mask);
/* The classful mask of @addr, for a configuration that gives none. */
__be32 ic_default_mask(__be32 addr);

#endif /* _NET_IPV4_DHCP_H */
