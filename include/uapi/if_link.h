/* SPDX-License-Identifier: MIT */
/* RTM_*LINK payload (Linux's include/uapi/linux/if_link.h and rtnetlink.h's ifinfomsg). */
#ifndef _UAPI_IF_LINK_H
#define _UAPI_IF_LINK_H

#include <uapi/types.h>

struct ifinfomsg {
	unsigned char ifi_family;
	unsigned char __ifi_pad;
	unsigned short ifi_type;	/* ARPHRD_* */
	int ifi_index;
	unsigned int ifi_flags;		/* IFF_* */
	unsigned int ifi_change;	/* the IFF_* bits to change; 0: all */
};

enum {
	IFLA_UNSPEC,
	IFLA_ADDRESS,
	IFLA_BROADCAST,
	IFLA_IFNAME,
	IFLA_MTU,
	IFLA_LINK,
	IFLA_QDISC,
	IFLA_STATS,
	IFLA_COST,
	IFLA_PRIORITY,
	IFLA_MASTER,
	IFLA_WIRELESS,
	IFLA_PROTINFO,
	IFLA_TXQLEN,
	IFLA_MAP,
	IFLA_WEIGHT,
	IFLA_OPERSTATE,
	IFLA_LINKMODE,
	IFLA_LINKINFO,
	IFLA_NET_NS_PID,
	IFLA_IFALIAS,
	IFLA_NUM_VF,
	IFLA_VFINFO_LIST,
	IFLA_STATS64,
	IFLA_VF_PORTS,
	IFLA_PORT_SELF,
	IFLA_AF_SPEC,
	IFLA_GROUP,
};

/* IFLA_OPERSTATE (RFC 2863) */
#define IF_OPER_UNKNOWN	0
#define IF_OPER_DOWN	2
#define IF_OPER_UP	6

struct rtnl_link_stats {
	__u32 rx_packets, tx_packets, rx_bytes, tx_bytes;
	__u32 rx_errors, tx_errors, rx_dropped, tx_dropped;
	__u32 multicast, collisions;
	__u32 rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	__u32 rx_fifo_errors, rx_missed_errors;
	__u32 tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	__u32 tx_heartbeat_errors, tx_window_errors;
	__u32 rx_compressed, tx_compressed;
	__u32 rx_nohandler;
};

struct rtnl_link_stats64 {
	__u64 rx_packets, tx_packets, rx_bytes, tx_bytes;
	__u64 rx_errors, tx_errors, rx_dropped, tx_dropped;
	__u64 multicast, collisions;
	__u64 rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	__u64 rx_fifo_errors, rx_missed_errors;
	__u64 tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	__u64 tx_heartbeat_errors, tx_window_errors;
	__u64 rx_compressed, tx_compressed;
	__u64 rx_nohandler;
};

#endif /* _UAPI_IF_LINK_H */
