/* SPDX-License-Identifier: MIT */
/* Interface requests (Linux's <linux/if.h>): struct ifreq and struct ifconf. */
#ifndef _UAPI_IF_H
#define _UAPI_IF_H

#include <uapi/socket.h>
#include <uapi/types.h>

#define IFNAMSIZ_UAPI	16

struct ifmap {
	unsigned long mem_start;
	unsigned long mem_end;
	unsigned short base_addr;
	unsigned char irq;
	unsigned char dma;
	unsigned char port;
};

struct ifreq {
	char ifr_name[IFNAMSIZ_UAPI];
	union {
		struct sockaddr ifru_addr;
		struct sockaddr ifru_dstaddr;
		struct sockaddr ifru_broadaddr;
		struct sockaddr ifru_netmask;
		struct sockaddr ifru_hwaddr;
		short ifru_flags;
		int ifru_ivalue;
		int ifru_mtu;
		struct ifmap ifru_map;
		char ifru_slave[IFNAMSIZ_UAPI];
		char ifru_newname[IFNAMSIZ_UAPI];
		void __user *ifru_data;
	} ifr_ifru;
};

struct ifconf {
	int ifc_len;
	union {
		char __user *ifcu_buf;
		struct ifreq __user *ifcu_req;
	} ifc_ifcu;
};

#endif /* _UAPI_IF_H */
