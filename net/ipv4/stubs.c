// SPDX-License-Identifier: MIT
/* Temporary: the parts of IPv4 not yet built (ARP, fragments, ICMP, raw). */
#include <exo/inetdevice.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include "internal.h"

struct sk_buff *ip_defrag(struct sk_buff *skb)
{
	kfree_skb(skb);
	return NULL;
}
int ip_fragment(struct sk_buff *skb, unsigned int mtu, __be32 nexthop, int rt_type)
{
	(void)mtu, (void)nexthop, (void)rt_type;
	kfree_skb(skb);
	return -EMSGSIZE;
}
