/* SPDX-License-Identifier: MIT */
/* Shared inside drivers/virtio only. */
#ifndef _DRIVERS_VIRTIO_INTERNAL_H
#define _DRIVERS_VIRTIO_INTERNAL_H

#include <exo/virtio.h>

/* Marks @vq broken without a log line (the device-level break logs). */
void __virtqueue_break(struct virtqueue *vq);

/* Sets up the fields the core owns; transports call it before registering. */
void virtio_device_init(struct virtio_device *vdev);

/*
 * Binds @drv to @vdev in the order of virtio 1.2, 3.1.1: reset, ACKNOWLEDGE,
 * DRIVER, feature negotiation, FEATURES_OK (re-read to confirm), the
 * driver's probe (queues, config), DRIVER_OK. On failure the status says
 * FAILED and -errno is returned. virtio_bus.c calls it under its lock.
 */
int virtio_device_probe(struct virtio_device *vdev, struct virtio_driver *drv);
/* The driver's remove, then a reset: the device stops touching memory. */
void virtio_device_remove(struct virtio_device *vdev);

/* Whether @drv's id table lists @vdev. */
bool virtio_driver_match(const struct virtio_driver *drv, const struct virtio_device *vdev);

#endif /* _DRIVERS_VIRTIO_INTERNAL_H */
