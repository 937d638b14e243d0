/* SPDX-License-Identifier: MIT */
/*
 * Device status bits and transport feature bits of virtio 1.2 (sections 2.1
 * and 6). The device-type feature bits are 0-23 and live in each device's
 * header; 24-41 are reserved for the queue and transport.
 */
#ifndef _UAPI_VIRTIO_CONFIG_H
#define _UAPI_VIRTIO_CONFIG_H

/* Device status field (2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE	1	/* the guest noticed the device */
#define VIRTIO_CONFIG_S_DRIVER		2	/* the guest knows how to drive it */
#define VIRTIO_CONFIG_S_DRIVER_OK	4	/* the driver is set up and ready */
#define VIRTIO_CONFIG_S_FEATURES_OK	8	/* feature negotiation is complete */
#define VIRTIO_CONFIG_S_NEEDS_RESET	0x40	/* the device hit an error it cannot recover from */
#define VIRTIO_CONFIG_S_FAILED		0x80	/* the guest gave up on the device */

/* Reserved feature bits (6): queue and transport features. */
#define VIRTIO_TRANSPORT_F_START	28
#define VIRTIO_TRANSPORT_F_END		42

#define VIRTIO_F_RING_INDIRECT_DESC	28	/* descriptors with VIRTQ_DESC_F_INDIRECT */
#define VIRTIO_F_RING_EVENT_IDX		29	/* used_event / avail_event suppression */
#define VIRTIO_F_VERSION_1		32	/* compliant with virtio 1.x (modern) */
#define VIRTIO_F_ACCESS_PLATFORM	33	/* device accesses memory through the platform's IOMMU */
#define VIRTIO_F_RING_PACKED		34
#define VIRTIO_F_IN_ORDER		35
#define VIRTIO_F_ORDER_PLATFORM		36
#define VIRTIO_F_SR_IOV			37
#define VIRTIO_F_NOTIFICATION_DATA	38
#define VIRTIO_F_NOTIF_CONFIG_DATA	39
#define VIRTIO_F_RING_RESET		40
#define VIRTIO_F_ADMIN_VQ		41

#endif /* _UAPI_VIRTIO_CONFIG_H */
