/* SPDX-License-Identifier: MIT */
/*
 * The split virtqueue (virtio 1.2, 2.7): a descriptor table, the driver area
 * ("available ring") and the device area ("used ring"), each a power-of-two
 * number of entries. Alignment: descriptors 16 bytes, available ring 2,
 * used ring 4 (2.7, table "Virtqueue Part Alignment").
 *
 * With VIRTIO_F_RING_EVENT_IDX, one more u16 follows each ring: used_event
 * after avail->ring[num] (the driver asks for an interrupt when the used index
 * passes it) and avail_event after used->ring[num] (the device asks for a
 * notification when the available index passes it).
 */
#ifndef _UAPI_VIRTIO_RING_H
#define _UAPI_VIRTIO_RING_H

#include <uapi/virtio_types.h>

#define VIRTQ_DESC_F_NEXT	1	/* the chain continues in next */
#define VIRTQ_DESC_F_WRITE	2	/* device-writable (otherwise device-readable) */
#define VIRTQ_DESC_F_INDIRECT	4	/* addr/len is a table of descriptors */

#define VIRTQ_AVAIL_F_NO_INTERRUPT	1	/* driver: do not interrupt (a hint) */
#define VIRTQ_USED_F_NO_NOTIFY		1	/* device: do not notify (a hint) */

#define VIRTQ_MAX_SIZE		32768	/* largest split queue (2.7) */

#define VIRTQ_DESC_ALIGN	16
#define VIRTQ_AVAIL_ALIGN	2
#define VIRTQ_USED_ALIGN	4

struct virtq_desc {
	__le64 addr;	/* guest-physical (bus) address */
	__le32 len;
	__le16 flags;
	__le16 next;	/* valid with VIRTQ_DESC_F_NEXT */
};

struct virtq_avail {
	__le16 flags;
	__le16 idx;	/* where the driver puts the next entry, free-running */
	__le16 ring[];	/* [num] heads of chains, then used_event */
};

struct virtq_used_elem {
	__le32 id;	/* head of the completed chain */
	__le32 len;	/* bytes written into the device-writable part */
};

struct virtq_used {
	__le16 flags;
	__le16 idx;	/* where the device puts the next entry, free-running */
	struct virtq_used_elem ring[];	/* [num], then avail_event (u16) */
};

/* Bytes of each part for a queue of @num entries, event fields included. */
#define VIRTQ_DESC_SIZE(num)	(16UL * (num))
#define VIRTQ_AVAIL_SIZE(num)	(6UL + 2UL * (num))
#define VIRTQ_USED_SIZE(num)	(6UL + 8UL * (num))

#endif /* _UAPI_VIRTIO_RING_H */
