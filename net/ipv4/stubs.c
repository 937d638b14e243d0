// SPDX-License-Identifier: MIT
/* Temporary: the parts of IPv4 not yet built (ARP, fragments, ICMP, raw). */
#include <exo/inetdevice.h>
#include <uapi/errno.h>
#include <uapi/icmp.h>
#include "internal.h"

int arp_output(struct sk_buff *skb, __be32 nexthop)
{
	(void)nexthop;
	kfree_skb(skb);
	return -EHOSTUNREACH;
}
void arp_announce(struct net_device *dev, __be32 addr)
{
	(void)dev, (void)addr;
}
void arp_flush_dev(struct net_device *dev)
{
	(void)dev;
}
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
void icmp_send(struct sk_buff *skb, int type, int code, u32 info)
{
	(void)skb, (void)type, (void)code, (void)info;
}
bool raw_local_deliver(struct sk_buff *skb, u8 protocol)
{
	(void)skb, (void)protocol;
	return false;
}
int dev_ioctl(unsigned int cmd, void __user *arg)
{
	(void)cmd, (void)arg;
	return -ENOTTY;
}
