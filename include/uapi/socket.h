/* SPDX-License-Identifier: MIT */
/*
 * The BSD socket ABI (linux/socket.h, asm-generic/socket.h, linux/net.h):
 * address families, socket types and their creation flags, socket-level
 * options, message flags, struct msghdr and ancillary data (cmsghdr,
 * SCM_RIGHTS, SCM_CREDENTIALS with struct ucred), shutdown modes.
 */
#ifndef _UAPI_SOCKET_H
#define _UAPI_SOCKET_H

#include <uapi/types.h>

struct iovec;

typedef unsigned short sa_family_t;

/* Address families (PF_* are the same numbers). */
#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_LOCAL	AF_UNIX
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define AF_MAX		46

/* Socket types; the high bits of socket()'s type are creation flags. */
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_DCCP	6
#define SOCK_PACKET	10
#define SOCK_MAX	(SOCK_PACKET + 1)
#define SOCK_TYPE_MASK	0xf
#define SOCK_CLOEXEC	02000000	/* O_CLOEXEC */
#define SOCK_NONBLOCK	04000		/* O_NONBLOCK */

#define SOMAXCONN	4096

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

/* Big enough for any address the kernel handles (_K_SS_MAXSIZE). */
struct sockaddr_storage {
	sa_family_t ss_family;
	char __data[128 - sizeof(sa_family_t)];
} __attribute__((aligned(8)));

struct msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec __user *msg_iov;
	__kernel_size_t msg_iovlen;
	void __user *msg_control;
	__kernel_size_t msg_controllen;
	unsigned int msg_flags;
};

struct mmsghdr {
	struct msghdr msg_hdr;
	unsigned int msg_len;
};

struct cmsghdr {
	__kernel_size_t cmsg_len;	/* header plus data, before alignment */
	int cmsg_level;
	int cmsg_type;
};

#define CMSG_ALIGN(len)		(((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_DATA_OFF		CMSG_ALIGN(sizeof(struct cmsghdr))
#define CMSG_LEN(len)		(CMSG_DATA_OFF + (len))
#define CMSG_SPACE(len)		(CMSG_DATA_OFF + CMSG_ALIGN(len))

/* SCM_CREDENTIALS payload and SO_PEERCRED value. */
/* SO_LINGER */
struct linger {
	int l_onoff;
	int l_linger;	/* seconds */
};

struct ucred {
	__u32 pid;
	__u32 uid;
	__u32 gid;
};

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2
#define SCM_MAX_FD	253	/* fds in one SCM_RIGHTS message */

/* Socket-level options (level SOL_SOCKET). */
#define SOL_SOCKET	1
#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_OOBINLINE	10
#define SO_PRIORITY	12
#define SO_LINGER	13
#define SO_REUSEPORT	15
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO_OLD	20
#define SO_SNDTIMEO_OLD	21
#define SO_RCVTIMEO_NEW	66
#define SO_SNDTIMEO_NEW	67
#define SO_BINDTODEVICE	25
#define SO_ACCEPTCONN	30
#define SO_SNDBUFFORCE	32
#define SO_RCVBUFFORCE	33
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

/* Flags of send/recv and msg_flags. */
#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_CONFIRM	0x800
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown() modes. */
#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#endif /* _UAPI_SOCKET_H */
