// SPDX-License-Identifier: MIT
/*
 * "Unprivileged ping" sockets: socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP).
 * Linux allows them only to a process whose gid (effective or
 * supplementary) lies in net.ipv4.ping_group_range, by default "1 0", an
 * empty range: everyone, root included, gets EACCES, which is what iputils
 * expects before it falls back to a raw socket. The range is fixed at its
 * default here (no sysctl file yet), so creation always fails as on a
 * default Linux and no echo replies are ever claimed.
 */
#include <exo/cred.h>
#include <exo/init.h>
#include <uapi/errno.h>
#include "internal.h"

static u32 ping_group_range[2] = { 1, 0 };	/* [immutable] */

static int ping_create(struct socket *sock, int protocol)
{
	u32 gid = current_cred()->egid;

	(void)sock;
	(void)protocol;
	if (gid >= ping_group_range[0] && gid <= ping_group_range[1])
		return -EPROTONOSUPPORT;	/* allowed, but not built: see the map above */
	return -EACCES;
}

bool ping_rcv(struct sk_buff *skb)
{
	(void)skb;
	return false;
}

void ping_err(struct sk_buff *skb, int type, int code, u32 info)
{
	(void)skb, (void)type, (void)code, (void)info;
}

static struct inet_protosw ping_protosw = {
	.type = SOCK_DGRAM,
	.protocol = IPPROTO_ICMP,
	.create = ping_create,
};

static int ping_init(void)
{
	inet_register_protosw(&ping_protosw);
	return 0;
}
/* After udp_init (same level, later in the link order): UDP is SOCK_DGRAM's default. */
arch_initcall(ping_init);
