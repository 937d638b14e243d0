/* SPDX-License-Identifier: MIT */
/* The virtio network device (virtio 1.2, section 5.1): feature bits, config layout, headers. */
#ifndef _UAPI_VIRTIO_NET_H
#define _UAPI_VIRTIO_NET_H

#include <uapi/virtio_types.h>

/* 5.1.3 Feature bits */
#define VIRTIO_NET_F_CSUM		0	/* device checksums partial transmit packets */
#define VIRTIO_NET_F_GUEST_CSUM		1	/* driver accepts partially checksummed packets */
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2
#define VIRTIO_NET_F_MTU		3	/* mtu in config */
#define VIRTIO_NET_F_MAC		5	/* mac in config */
#define VIRTIO_NET_F_GUEST_TSO4		7	/* driver takes TSOv4 packets */
#define VIRTIO_NET_F_GUEST_TSO6		8
#define VIRTIO_NET_F_GUEST_ECN		9
#define VIRTIO_NET_F_GUEST_UFO		10
#define VIRTIO_NET_F_HOST_TSO4		11	/* device segments TSOv4 */
#define VIRTIO_NET_F_HOST_TSO6		12
#define VIRTIO_NET_F_HOST_ECN		13
#define VIRTIO_NET_F_HOST_UFO		14
#define VIRTIO_NET_F_MRG_RXBUF		15	/* a packet may span several receive buffers */
#define VIRTIO_NET_F_STATUS		16	/* status in config */
#define VIRTIO_NET_F_CTRL_VQ		17	/* control virtqueue */
#define VIRTIO_NET_F_CTRL_RX		18
#define VIRTIO_NET_F_CTRL_VLAN		19
#define VIRTIO_NET_F_GUEST_ANNOUNCE	21
#define VIRTIO_NET_F_MQ			22	/* several queue pairs, steering via the control queue */
#define VIRTIO_NET_F_CTRL_MAC_ADDR	23

/* config status */
#define VIRTIO_NET_S_LINK_UP		1
#define VIRTIO_NET_S_ANNOUNCE		2

/* 5.1.4 Device configuration layout (little-endian) */
struct virtio_net_config {
	__u8 mac[6];
	__le16 status;
	__le16 max_virtqueue_pairs;
	__le16 mtu;
} __attribute__((packed));

/*
 * 5.1.6 The header in front of every packet, both directions. With
 * VIRTIO_F_VERSION_1 (or MRG_RXBUF) it is always these 12 bytes.
 */
struct virtio_net_hdr_v1 {
#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1	/* checksum from csum_start, stored at +csum_offset */
#define VIRTIO_NET_HDR_F_DATA_VALID	2	/* receive: the checksum was checked */
	__u8 flags;
#define VIRTIO_NET_HDR_GSO_NONE		0
#define VIRTIO_NET_HDR_GSO_TCPV4	1
#define VIRTIO_NET_HDR_GSO_UDP		3
#define VIRTIO_NET_HDR_GSO_TCPV6	4
#define VIRTIO_NET_HDR_GSO_ECN		0x80
	__u8 gso_type;
	__le16 hdr_len;		/* Ethernet + IP + TCP header bytes */
	__le16 gso_size;	/* payload bytes per segment */
	__le16 csum_start;	/* from the start of the packet (the Ethernet header) */
	__le16 csum_offset;	/* from csum_start */
	__le16 num_buffers;	/* receive with MRG_RXBUF: buffers this packet used */
};

/* 5.1.6.5 Control virtqueue: class, command, data..., then an ack byte from the device. */
struct virtio_net_ctrl_hdr {
	__u8 class;
	__u8 cmd;
} __attribute__((packed));

#define VIRTIO_NET_OK		0
#define VIRTIO_NET_ERR		1

#define VIRTIO_NET_CTRL_MQ			4
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET		0
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN		1
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX		0x8000

#endif /* _UAPI_VIRTIO_NET_H */
