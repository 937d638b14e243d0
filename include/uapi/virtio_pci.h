/* SPDX-License-Identifier: MIT */
/*
 * The virtio 1.x PCI transport (virtio 1.2, 4.1): vendor 0x1af4, device IDs
 * 0x1040 + type (modern) or 0x1000-0x103f (transitional, type in the
 * subsystem device ID). The device describes its register blocks with
 * vendor-specific capabilities (struct virtio_pci_cap), each naming a BAR,
 * an offset and a length.
 */
#ifndef _UAPI_VIRTIO_PCI_H
#define _UAPI_VIRTIO_PCI_H

#include <uapi/virtio_types.h>

#define VIRTIO_PCI_VENDOR_ID		0x1af4
#define VIRTIO_PCI_MODERN_DEVICE_BASE	0x1040
#define VIRTIO_PCI_TRANS_DEVICE_FIRST	0x1000
#define VIRTIO_PCI_TRANS_DEVICE_LAST	0x103f
#define VIRTIO_PCI_MODERN_DEVICE_LAST	0x107f

/* cfg_type of struct virtio_pci_cap (4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_CAP_PCI_CFG		5
#define VIRTIO_PCI_CAP_SHARED_MEMORY_CFG 8
#define VIRTIO_PCI_CAP_VENDOR_CFG	9

/* ISR status byte (4.1.4.5); reading it clears it. */
#define VIRTIO_PCI_ISR_QUEUE		0x1
#define VIRTIO_PCI_ISR_CONFIG		0x2

/* MSI-X vector number meaning "none" (4.1.5.1.2). */
#define VIRTIO_MSI_NO_VECTOR		0xffff

struct virtio_pci_cap {
	__u8 cap_vndr;		/* PCI_CAP_ID_VNDR (0x09) */
	__u8 cap_next;
	__u8 cap_len;		/* length of this capability, >= 16 */
	__u8 cfg_type;		/* VIRTIO_PCI_CAP_* */
	__u8 bar;		/* 0-5 */
	__u8 id;		/* distinguishes several caps of one type */
	__u8 padding[2];
	__le32 offset;		/* of the structure inside the BAR */
	__le32 length;		/* of the structure */
};

struct virtio_pci_notify_cap {
	struct virtio_pci_cap cap;
	__le32 notify_off_multiplier;	/* queue notify address = offset + queue_notify_off * this */
};

/* The common configuration structure (4.1.4.3). */
struct virtio_pci_common_cfg {
	/* About the whole device. */
	__le32 device_feature_select;	/* read-write */
	__le32 device_feature;		/* read-only for driver */
	__le32 driver_feature_select;	/* read-write */
	__le32 driver_feature;		/* read-write */
	__le16 config_msix_vector;	/* read-write */
	__le16 num_queues;		/* read-only for driver */
	__u8 device_status;		/* read-write */
	__u8 config_generation;		/* read-only for driver */

	/* About a specific virtqueue (the one queue_select names). */
	__le16 queue_select;		/* read-write */
	__le16 queue_size;		/* read-write */
	__le16 queue_msix_vector;	/* read-write */
	__le16 queue_enable;		/* read-write */
	__le16 queue_notify_off;	/* read-only for driver */
	__le64 queue_desc;		/* read-write */
	__le64 queue_driver;		/* read-write */
	__le64 queue_device;		/* read-write */
	__le16 queue_notif_config_data;	/* read-only for driver (1.2) */
	__le16 queue_reset;		/* read-write (1.2) */
};

#endif /* _UAPI_VIRTIO_PCI_H */
