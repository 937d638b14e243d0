/* SPDX-License-Identifier: MIT */
/* Netlink sockets (Linux's include/uapi/linux/netlink.h, the part in use). */
#ifndef _UAPI_NETLINK_H
#define _UAPI_NETLINK_H

#include <uapi/socket.h>
#include <uapi/types.h>

#define NETLINK_ROUTE		0	/* routing and devices (rtnetlink) */
#define NETLINK_USERSOCK	2
#define NETLINK_SOCK_DIAG	4
#define NETLINK_AUDIT		9
#define NETLINK_KOBJECT_UEVENT	15
#define NETLINK_GENERIC		16
#define MAX_LINKS		32

struct sockaddr_nl {
	sa_family_t nl_family;	/* AF_NETLINK */
	unsigned short nl_pad;
	__u32 nl_pid;		/* port id: 0 is the kernel */
	__u32 nl_groups;	/* multicast groups mask */
};

struct nlmsghdr {
	__u32 nlmsg_len;	/* with this header */
	__u16 nlmsg_type;
	__u16 nlmsg_flags;
	__u32 nlmsg_seq;
	__u32 nlmsg_pid;	/* sender's port id */
};

#define NLM_F_REQUEST	0x01
#define NLM_F_MULTI	0x02
#define NLM_F_ACK	0x04
#define NLM_F_ECHO	0x08
/* NLMSG_ERROR acks */
#define NLM_F_CAPPED	0x100	/* the request's payload is left out */
/* GET requests */
#define NLM_F_ROOT	0x100
#define NLM_F_MATCH	0x200
#define NLM_F_DUMP	(NLM_F_ROOT | NLM_F_MATCH)
/* NEW requests */
#define NLM_F_REPLACE	0x100
#define NLM_F_EXCL	0x200
#define NLM_F_CREATE	0x400
#define NLM_F_APPEND	0x800

#define NLMSG_NOOP	0x1
#define NLMSG_ERROR	0x2
#define NLMSG_DONE	0x3
#define NLMSG_OVERRUN	0x4
#define NLMSG_MIN_TYPE	0x10	/* below: control messages, not requests */

/* NLMSG_ERROR's payload; error 0 is an acknowledgement. */
struct nlmsgerr {
	int error;		/* 0 or -errno */
	struct nlmsghdr msg;	/* the request's header (and, for an error, its payload) */
};

#define NLMSG_ALIGNTO	4U
#define NLMSG_ALIGN(len)	(((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN	((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len)	((len) + NLMSG_HDRLEN)

#endif /* _UAPI_NETLINK_H */
