// SPDX-License-Identifier: MIT
/*
 * AF_INET: socket(AF_INET, type, protocol) picks a transport from the
 * registered struct inet_protosw entries with Linux's matching rules
 * (an exact protocol; IPPROTO_IP for the type's first entry; a wildcard
 * entry, raw, taking any protocol but IPPROTO_IP), so the errors are
 * Linux's: EPROTONOSUPPORT for a protocol the type lacks,
 * ESOCKTNOSUPPORT for a type without entries, EPERM for raw sockets
 * without CAP_NET_RAW (root). Also the pieces every AF_INET socket shares:
 * getname, address checks, ioctl, the ephemeral port range.
 *
 * inetsw is written at boot (initcalls) and only read afterwards.
 */
#include <exo/byteorder.h>
#include <exo/cred.h>
#include <exo/init.h>
#include <exo/seq_file.h>
#include <exo/inetdevice.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

static LIST_HEAD(inetsw);		/* [boot] */
static DEFINE_SPINLOCK(inetsw_lock);

void inet_register_protosw(struct inet_protosw *p)
{
	spin_lock(&inetsw_lock);
	list_add_tail(&p->list, &inetsw);
	spin_unlock(&inetsw_lock);
}

static int inet_create(struct socket *sock, int protocol)
{
	struct inet_protosw *p, *answer = NULL;
	int err = -ESOCKTNOSUPPORT;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	list_for_each_entry(p, &inetsw, list) {
		if (p->type != sock->type)
			continue;
		err = 0;
		if (protocol == p->protocol) {
			if (protocol != IPPROTO_IP) {
				answer = p;
				break;
			}
		} else if (protocol == IPPROTO_IP) {
			protocol = p->protocol;
			answer = p;
			break;
		} else if (p->protocol == IPPROTO_IP) {
			answer = p;
			break;
		}
		err = -EPROTONOSUPPORT;
	}
	if (!answer)
		return err;
	if (answer->needs_cap_net_raw && !capable_root())
		return -EPERM;
	return answer->create(sock, protocol);
}

static const struct net_proto_family inet_family = {
	.family = AF_INET,
	.create = inet_create,
};

int inet_check_addr(const struct sockaddr *uaddr, int len, bool allow_unspec)
{
	if (len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (uaddr->sa_family != AF_INET && !(allow_unspec && uaddr->sa_family == AF_UNSPEC))
		return -EAFNOSUPPORT;
	return 0;
}

int inet_fill_addr(void *out, __be32 addr, __be16 port)
{
	struct sockaddr_in *sin = out;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = port;
	sin->sin_addr.s_addr = addr;
	return sizeof(*sin);
}

int inet_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct inet_sock *inet = inet_sk(sock->sk);
	__be32 addr;
	__be16 port;

	spin_lock(&inet->sk.lock);
	if (peer) {
		if (!inet->dport) {
			spin_unlock(&inet->sk.lock);
			return -ENOTCONN;
		}
		addr = inet->daddr;
		port = inet->dport;
	} else {
		addr = inet->rcv_saddr ? inet->rcv_saddr : inet->saddr;
		port = inet->sport;
	}
	spin_unlock(&inet->sk.lock);
	return inet_fill_addr(uaddr, addr, port);
}

int inet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	(void)sock;
	return dev_ioctl(cmd, (void __user *)arg, true);
}

/* [atomic] net.ipv4.ip_local_port_range */
static int local_port_range[2] = { 32768, 60999 };

void inet_get_local_port_range(int *low, int *high)
{
	*low = __atomic_load_n(&local_port_range[0], __ATOMIC_RELAXED);
	*high = __atomic_load_n(&local_port_range[1], __ATOMIC_RELAXED);
	/* Read apart from a concurrent write: never hand out an empty range. */
	if (*high < *low)
		*high = *low;
}

int ip_local_port_range_show(struct seq_file *m)
{
	int low, high;

	inet_get_local_port_range(&low, &high);
	seq_printf(m, "%d\t%d\n", low, high);
	return 0;
}

ssize_t ip_local_port_range_write(struct file *file, const char *buf, size_t len)
{
	unsigned long low, high;

	(void)file;
	if (!capable_root())
		return -EPERM;
	/* Linux: 1 <= low <= high <= 65535 (it also wants the parities to differ). */
	if (sysctl_parse_pair(buf, &low, &high) || low < 1 || high > 65535 || low > high)
		return -EINVAL;
	__atomic_store_n(&local_port_range[0], (int)low, __ATOMIC_RELAXED);
	__atomic_store_n(&local_port_range[1], (int)high, __ATOMIC_RELAXED);
	return (ssize_t)len;
}

static int inet_init(void)
{
	return sock_register(&inet_family);
}
arch_initcall(inet_init);
