/* SPDX-License-Identifier: MIT */
/*
 * Little-endian field types of virtio 1.x structures (virtio 1.2, 1.4: every
 * field of a modern device is little-endian). The names only document the
 * byte order; <exo/virtio.h> converts with virtio16_to_cpu() and friends.
 */
#ifndef _UAPI_VIRTIO_TYPES_H
#define _UAPI_VIRTIO_TYPES_H

#include <uapi/types.h>

typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;

#endif /* _UAPI_VIRTIO_TYPES_H */
