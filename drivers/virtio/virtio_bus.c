// SPDX-License-Identifier: MIT
/*
 * The virtio bus: the list of virtio drivers and devices, and matching.
 * A transport registers each device it finds; every registered driver whose
 * id table lists the device's type is tried until one probes it
 * (virtio_device_probe() does the initialization order). When the generic
 * driver model (struct bus_type) lands, this file becomes its virtio bus.
 *
 * Locking: virtio_bus_lock (a mutex: probe may sleep) guards both lists and
 * every bind and unbind.
 */
#include <exo/mutex.h>
#include <exo/printk.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include "internal.h"

static DEFINE_MUTEX(virtio_bus_lock);
static LIST_HEAD(virtio_drivers);	/* [virtio_bus_lock] */
static LIST_HEAD(virtio_devices);	/* [virtio_bus_lock] */
static unsigned int virtio_next_index;	/* [virtio_bus_lock] */

/* Tries @drv on @vdev; called with virtio_bus_lock held. */
static void virtio_bus_try(struct virtio_device *vdev, struct virtio_driver *drv)
{
	int err;

	if (vdev->driver || !virtio_driver_match(drv, vdev))
		return;
	err = virtio_device_probe(vdev, drv);
	if (err)
		pr_err("virtio: %s: driver %s failed to probe (%d)\n", vdev->name, drv->name, err);
	else
		pr_info("virtio: %s: bound to %s, features %#llx\n", vdev->name, drv->name,
			(unsigned long long)vdev->features);
}

int register_virtio_driver(struct virtio_driver *drv)
{
	struct virtio_device *vdev;

	if (!drv->probe || !drv->id_table)
		return -EINVAL;
	mutex_lock(&virtio_bus_lock);
	list_add_tail(&drv->node, &virtio_drivers);
	list_for_each_entry(vdev, &virtio_devices, node)
		virtio_bus_try(vdev, drv);
	mutex_unlock(&virtio_bus_lock);
	return 0;
}

void unregister_virtio_driver(struct virtio_driver *drv)
{
	struct virtio_device *vdev;

	mutex_lock(&virtio_bus_lock);
	list_for_each_entry(vdev, &virtio_devices, node)
		if (vdev->driver == drv)
			virtio_device_remove(vdev);
	list_del(&drv->node);
	mutex_unlock(&virtio_bus_lock);
}

int register_virtio_device(struct virtio_device *vdev)
{
	struct virtio_driver *drv;
	int err;

	virtio_device_init(vdev);
	mutex_lock(&virtio_bus_lock);
	vdev->index = virtio_next_index++;
	snprintf(vdev->name, sizeof(vdev->name), "virtio%u", vdev->index);
	/* Until a driver binds, the device must not do anything (3.1.1). */
	err = virtio_reset_device(vdev);
	if (err)
		goto out_unlock;
	list_add_tail(&vdev->node, &virtio_devices);
	list_for_each_entry(drv, &virtio_drivers, node) {
		virtio_bus_try(vdev, drv);
		if (vdev->driver)
			break;
	}
out_unlock:
	mutex_unlock(&virtio_bus_lock);
	return err;
}

void unregister_virtio_device(struct virtio_device *vdev)
{
	mutex_lock(&virtio_bus_lock);
	if (vdev->driver)
		virtio_device_remove(vdev);
	list_del(&vdev->node);
	mutex_unlock(&virtio_bus_lock);
}
