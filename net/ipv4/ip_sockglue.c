// SPDX-License-Identifier: MIT
/*
 * Socket options of every AF_INET socket: SOL_IP (IP_TTL, IP_TOS,
 * IP_HDRINCL for raw sockets, IP_RECVERR, IP_PKTINFO, IP_RECVTTL,
 * IP_RECVTOS, IP_MTU_DISCOVER, IP_FREEBIND, IP_MTU when connected) and
 * the SOL_SOCKET ones the socket layer leaves to the family
 * (SO_BINDTODEVICE). Values and errors are Linux's: an int (or, for the
 * booleans and IP_TOS/IP_TTL, a single byte) in, EINVAL out of range,
 * ENOPROTOOPT for options not here. sk.lock guards the fields.
 */
#include <exo/cred.h>
#include <exo/string.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "internal.h"

int ip_setsockopt(struct sock *sk, int optname, const void *optval, unsigned int optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val = 0, err = 0;

	if (optlen >= sizeof(int))
		memcpy(&val, optval, sizeof(int));
	else if (optlen >= 1)
		val = *(const u8 *)optval;
	else
		return -EINVAL;
	spin_lock(&sk->lock);
	switch (optname) {
	case IP_TTL:
		if (val == -1)
			val = 0;
		if (val < 0 || val > 255)
			err = -EINVAL;
		else
			inet->ttl = (u8)val;
		break;
	case IP_TOS:
		inet->tos = (u8)val;
		break;
	case IP_HDRINCL:
		if (sk->type != SOCK_RAW)
			err = -ENOPROTOOPT;
		else
			inet->hdrincl = !!val;
		break;
	case IP_RECVERR:
		inet->recverr = !!val;
		break;
	case IP_PKTINFO:
		inet->pktinfo = !!val;
		break;
	case IP_RECVTTL:
		inet->recvttl = !!val;
		break;
	case IP_RECVTOS:
		inet->recvtos = !!val;
		break;
	case IP_FREEBIND:
		inet->freebind = !!val;
		break;
	case IP_MTU_DISCOVER:
		if (val < IP_PMTUDISC_DONT || val > IP_PMTUDISC_PROBE + 2)
			err = -EINVAL;
		else
			inet->pmtudisc = (u8)val;
		break;
	default:
		err = -ENOPROTOOPT;
	}
	spin_unlock(&sk->lock);
	return err;
}

int ip_getsockopt(struct sock *sk, int optname, void *optval, unsigned int *optlen)
{
	struct inet_sock *inet = inet_sk(sk);
	int val;

	spin_lock(&sk->lock);
	switch (optname) {
	case IP_TTL:
		val = inet->ttl ? inet->ttl : IPDEFTTL;
		break;
	case IP_TOS:
		val = inet->tos;
		break;
	case IP_HDRINCL:
		val = inet->hdrincl;
		break;
	case IP_RECVERR:
		val = inet->recverr;
		break;
	case IP_PKTINFO:
		val = inet->pktinfo;
		break;
	case IP_RECVTTL:
		val = inet->recvttl;
		break;
	case IP_RECVTOS:
		val = inet->recvtos;
		break;
	case IP_FREEBIND:
		val = inet->freebind;
		break;
	case IP_MTU_DISCOVER:
		val = inet->pmtudisc;
		break;
	case IP_MTU: {
		struct rtable rt;
		__be32 daddr = inet->daddr;

		spin_unlock(&sk->lock);
		if (sk->state != SK_ESTABLISHED || ip_route_output(daddr, 0, 0, &rt))
			return -ENOTCONN;
		val = (int)rt.mtu;
		ip_rt_put(&rt);
		spin_lock(&sk->lock);
		break;
	}
	default:
		spin_unlock(&sk->lock);
		return -ENOPROTOOPT;
	}
	spin_unlock(&sk->lock);
	/* Linux returns one byte when asked for less than an int. */
	if (*optlen < sizeof(int) && *optlen > 0) {
		*(u8 *)optval = (u8)val;
		*optlen = 1;
	} else {
		memcpy(optval, &val, sizeof(int));
		*optlen = sizeof(int);
	}
	return 0;
}

static int inet_bindtodevice(struct sock *sk, const void __user *optval, unsigned int optlen)
{
	char name[IFNAMSIZ] = { 0 };
	struct net_device *dev;
	int ifindex = 0;

	if (!capable_root())
		return -EPERM;
	if (optlen > IFNAMSIZ - 1)
		optlen = IFNAMSIZ - 1;
	if (optlen && copy_from_user(name, optval, optlen))
		return -EFAULT;
	if (name[0]) {
		dev = dev_get_by_name(name);
		if (!dev)
			return -ENODEV;
		ifindex = dev->ifindex;
		dev_put(dev);
	}
	spin_lock(&sk->lock);
	inet_sk(sk)->bound_dev_if = ifindex;
	spin_unlock(&sk->lock);
	return 0;
}

int inet_setsockopt(struct socket *sock, int level, int optname, const void __user *optval,
		    unsigned int optlen)
{
	char buf[64];

	if (level == SOL_SOCKET)
		return optname == SO_BINDTODEVICE ? inet_bindtodevice(sock->sk, optval, optlen)
						  : -ENOPROTOOPT;
	if (level != SOL_IP)
		return -ENOPROTOOPT;
	if (optlen > sizeof(buf))
		optlen = sizeof(buf);
	if (copy_from_user(buf, optval, optlen))
		return -EFAULT;
	return ip_setsockopt(sock->sk, optname, buf, optlen);
}

int inet_getsockopt(struct socket *sock, int level, int optname, void __user *optval,
		    int __user *optlen)
{
	char buf[64];
	unsigned int len;
	int ulen, err;

	if (get_user(ulen, optlen))
		return -EFAULT;
	if (ulen < 0)
		return -EINVAL;
	if (level == SOL_SOCKET && optname == SO_BINDTODEVICE) {
		struct net_device *dev;
		int ifindex = READ_ONCE(inet_sk(sock->sk)->bound_dev_if);

		memset(buf, 0, IFNAMSIZ);
		len = 0;
		if (ifindex && (dev = dev_get_by_index(ifindex))) {
			strlcpy(buf, dev->name, IFNAMSIZ);
			len = (unsigned int)strlen(buf) + 1;
			dev_put(dev);
		}
		if ((unsigned int)ulen < len)
			return -EINVAL;
	} else if (level == SOL_IP) {
		len = (unsigned int)ulen < sizeof(buf) ? (unsigned int)ulen : sizeof(buf);
		err = ip_getsockopt(sock->sk, optname, buf, &len);
		if (err)
			return err;
	} else {
		return -ENOPROTOOPT;
	}
	if (len && copy_to_user(optval, buf, len))
		return -EFAULT;
	return put_user((int)len, optlen) ? -EFAULT : 0;
}
