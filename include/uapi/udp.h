/* SPDX-License-Identifier: MIT */
/* The UDP header (Linux's <linux/udp.h>). */
#ifndef _UAPI_UDP_H
#define _UAPI_UDP_H

#include <uapi/types.h>

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
};

#endif /* _UAPI_UDP_H */
