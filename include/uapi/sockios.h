/* SPDX-License-Identifier: MIT */
/* Socket ioctls (Linux's <linux/sockios.h>): routes and interfaces. */
#ifndef _UAPI_SOCKIOS_H
#define _UAPI_SOCKIOS_H

#define SIOCINQ		0x541B	/* FIONREAD */
#define SIOCOUTQ	0x5411	/* TIOCOUTQ */

#define SIOCADDRT	0x890B
#define SIOCDELRT	0x890C
#define SIOCGIFNAME	0x8910
#define SIOCSIFLINK	0x8911
#define SIOCGIFCONF	0x8912
#define SIOCGIFFLAGS	0x8913
#define SIOCSIFFLAGS	0x8914
#define SIOCGIFADDR	0x8915
#define SIOCSIFADDR	0x8916
#define SIOCGIFDSTADDR	0x8917
#define SIOCSIFDSTADDR	0x8918
#define SIOCGIFBRDADDR	0x8919
#define SIOCSIFBRDADDR	0x891a
#define SIOCGIFNETMASK	0x891b
#define SIOCSIFNETMASK	0x891c
#define SIOCGIFMETRIC	0x891d
#define SIOCSIFMETRIC	0x891e
#define SIOCGIFMTU	0x8921
#define SIOCSIFMTU	0x8922
#define SIOCSIFNAME	0x8923
#define SIOCSIFHWADDR	0x8924
#define SIOCGIFHWADDR	0x8927
#define SIOCGIFINDEX	0x8933
#define SIOCGIFTXQLEN	0x8942

/* The device ioctls, handled for any socket (dev_ioctl). */
#define SIOC_DEV_FIRST	0x890B
#define SIOC_DEV_LAST	0x89ff

#endif /* _UAPI_SOCKIOS_H */
