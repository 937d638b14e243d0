/* SPDX-License-Identifier: MIT */
/* The virtio block device (virtio 1.2, section 5.2): feature bits, config layout, requests. */
#ifndef _UAPI_VIRTIO_BLK_H
#define _UAPI_VIRTIO_BLK_H

#include <uapi/virtio_types.h>

/* 5.2.3 Feature bits */
#define VIRTIO_BLK_F_SIZE_MAX	1	/* size_max: largest segment */
#define VIRTIO_BLK_F_SEG_MAX	2	/* seg_max: most data segments in a request */
#define VIRTIO_BLK_F_GEOMETRY	4
#define VIRTIO_BLK_F_RO		5	/* read-only */
#define VIRTIO_BLK_F_BLK_SIZE	6	/* blk_size: the logical block size */
#define VIRTIO_BLK_F_FLUSH	9	/* VIRTIO_BLK_T_FLUSH; a volatile write cache */
#define VIRTIO_BLK_F_TOPOLOGY	10
#define VIRTIO_BLK_F_CONFIG_WCE	11
#define VIRTIO_BLK_F_MQ		12	/* num_queues request queues */

/* 5.2.4 Device configuration layout (little-endian) */
struct virtio_blk_config {
	__le64 capacity;		/* in 512-byte sectors, whatever blk_size says */
	__le32 size_max;
	__le32 seg_max;
	struct {
		__le16 cylinders;
		__u8 heads;
		__u8 sectors;
	} geometry;
	__le32 blk_size;
	struct {
		__u8 physical_block_exp;
		__u8 alignment_offset;
		__le16 min_io_size;
		__le32 opt_io_size;
	} topology;
	__u8 writeback;
	__u8 unused0;
	__le16 num_queues;
} __attribute__((packed));

/* 5.2.6 Device operation: a request is this header (device-readable), the data, one status byte. */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8

struct virtio_blk_outhdr {
	__le32 type;
	__le32 reserved;	/* ioprio in legacy devices */
	__le64 sector;		/* 512-byte units */
};

#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define VIRTIO_BLK_SECTOR_SIZE	512

#endif /* _UAPI_VIRTIO_BLK_H */
