// SPDX-License-Identifier: MIT
/*
 * The virtio core: device initialization in the order virtio 1.2, 3.1.1
 * prescribes, feature negotiation, device config reads under the generation
 * counter, and "broken" devices.
 *
 * Initialization (virtio_device_probe):
 *   reset -> ACKNOWLEDGE -> DRIVER -> read device features, keep the ones the
 *   driver and the core implement -> write them -> FEATURES_OK -> re-read the
 *   status: without FEATURES_OK the device refused them -> driver probe (finds
 *   queues, reads config) -> DRIVER_OK.
 *   Any failure sets FAILED. Only modern devices (VIRTIO_F_VERSION_1) are driven.
 *
 * Broken: a device that broke a rule (a bad used-ring entry, a config space
 * that never settles, DEVICE_NEEDS_RESET) is marked broken once, with all its
 * queues, FAILED is set in its status and a rate-limited line says what
 * happened. The driver sees -EIO from adds and config reads and NULL from
 * get_buf; it fails its outstanding requests, and at remove the device is
 * reset before any buffer memory is reused.
 *
 * Locking: probe and remove run under virtio_bus.c's lock. config_lock
 * (irqsave, taken in the config interrupt) orders the delivery of config
 * changes against probe/remove. vdev->broken is atomic.
 */
#include <exo/printk.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include "internal.h"

/* Transport features the core implements (virtio_ring.c, no IOMMU: see <exo/virtio.h>). */
static const unsigned int virtio_core_features[] = {
	VIRTIO_F_RING_INDIRECT_DESC,
	VIRTIO_F_RING_EVENT_IDX,
	VIRTIO_F_VERSION_1,
	VIRTIO_F_ACCESS_PLATFORM,
};

void virtio_dev_err(struct virtio_device *vdev, const char *fmt, ...)
{
	unsigned int n = __atomic_fetch_add(&vdev->err_logged, 1, __ATOMIC_RELAXED);
	char msg[160];
	va_list ap;

	if (n > VIRTIO_ERR_LOG_MAX)
		return;
	if (n == VIRTIO_ERR_LOG_MAX) {
		pr_err("virtio: %s: further errors not logged\n", vdev->name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("virtio: %s: %s\n", vdev->name, msg);
}

void virtio_device_init(struct virtio_device *vdev)
{
	INIT_LIST_HEAD(&vdev->vqs);
	INIT_LIST_HEAD(&vdev->node);
	spin_lock_init(&vdev->config_lock);
	vdev->config_enabled = false;
	vdev->config_change_pending = false;
	vdev->broken = false;
	vdev->status = 0;
}

static void virtio_add_status(struct virtio_device *vdev, u8 bit)
{
	vdev->status |= bit;
	vdev->config->set_status(vdev, vdev->status);
}

void virtio_break_device(struct virtio_device *vdev, const char *fmt, ...)
{
	struct virtqueue *vq;
	char what[160];
	va_list ap;

	list_for_each_entry(vq, &vdev->vqs, list)
		__virtqueue_break(vq);
	if (__atomic_exchange_n(&vdev->broken, true, __ATOMIC_ACQ_REL))
		return;		/* logged and FAILED already */
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	virtio_dev_err(vdev, "broken: %s", what);
	/* 2.1.1: FAILED tells the device the driver gave up on it. */
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FAILED);
}

int virtio_reset_device(struct virtio_device *vdev)
{
	int err = vdev->config->reset(vdev);

	if (err) {
		virtio_dev_err(vdev, "reset not acknowledged (%d)", err);
		return err;
	}
	vdev->status = 0;
	return 0;
}

void virtio_device_ready(struct virtio_device *vdev)
{
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER_OK);
}

int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		    const struct virtqueue_info info[])
{
	if (virtio_device_is_broken(vdev))
		return -EIO;
	return vdev->config->find_vqs(vdev, nvqs, vqs, info);
}

bool virtio_driver_match(const struct virtio_driver *drv, const struct virtio_device *vdev)
{
	const struct virtio_device_id *id;

	for (id = drv->id_table; id && id->device; id++)
		if ((id->device == VIRTIO_DEV_ANY_ID || id->device == vdev->id.device) &&
		    (id->vendor == VIRTIO_DEV_ANY_ID || id->vendor == vdev->id.vendor))
			return true;
	return false;
}

static u64 virtio_driver_features(const struct virtio_driver *drv)
{
	u64 wanted = 0;
	unsigned int i;

	/* Transport bits come from the core only: a driver cannot ask for a ring it lacks. */
	for (i = 0; i < drv->feature_table_size; i++)
		if (drv->feature_table[i] < VIRTIO_TRANSPORT_F_START)
			wanted |= 1ULL << drv->feature_table[i];
	for (i = 0; i < ARRAY_SIZE(virtio_core_features); i++)
		wanted |= 1ULL << virtio_core_features[i];
	return wanted;
}

static void virtio_config_enable(struct virtio_device *vdev)
{
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&vdev->config_lock, flags);
	vdev->config_enabled = true;
	pending = vdev->config_change_pending;
	vdev->config_change_pending = false;
	spin_unlock_irqrestore(&vdev->config_lock, flags);
	if (pending)
		virtio_config_changed(vdev);
}

static void virtio_config_disable(struct virtio_device *vdev)
{
	unsigned long flags;

	spin_lock_irqsave(&vdev->config_lock, flags);
	vdev->config_enabled = false;
	spin_unlock_irqrestore(&vdev->config_lock, flags);
}

int virtio_device_probe(struct virtio_device *vdev, struct virtio_driver *drv)
{
	u64 offered;
	u8 status;
	int err;

	/* 3.1.1 step 1: a reset, so no state from firmware or a previous driver survives. */
	err = virtio_reset_device(vdev);
	if (err)
		return err;
	__atomic_store_n(&vdev->broken, false, __ATOMIC_RELEASE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);

	offered = vdev->config->get_features(vdev);
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		virtio_dev_err(vdev, "no VIRTIO_F_VERSION_1: legacy devices are not supported");
		err = -ENODEV;
		goto out_fail;
	}
	vdev->features = offered & virtio_driver_features(drv);
	if (drv->validate) {
		err = drv->validate(vdev);
		if (err)
			goto out_fail;
		vdev->features &= offered;	/* a driver may only take features away */
	}
	err = vdev->config->finalize_features(vdev);
	if (err)
		goto out_fail;

	/* 3.1.1 steps 5-6: the device may refuse the subset; then it is not usable. */
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	status = vdev->config->get_status(vdev);
	if (!(status & VIRTIO_CONFIG_S_FEATURES_OK) || (status & VIRTIO_CONFIG_S_NEEDS_RESET)) {
		virtio_dev_err(vdev, "features %#llx refused (status %#x)",
			       (unsigned long long)vdev->features, status);
		err = -ENODEV;
		goto out_fail;
	}

	vdev->driver = drv;
	err = drv->probe(vdev);
	if (err)
		goto out_unbind;
	if (virtio_device_is_broken(vdev)) {
		err = -EIO;
		if (drv->remove)
			drv->remove(vdev);
		goto out_unbind;
	}
	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK))
		virtio_device_ready(vdev);
	virtio_config_enable(vdev);
	return 0;

out_unbind:
	vdev->driver = NULL;
out_fail:
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FAILED);
	return err;
}

void virtio_device_remove(struct virtio_device *vdev)
{
	struct virtio_driver *drv = vdev->driver;

	virtio_config_disable(vdev);
	if (drv && drv->remove)
		drv->remove(vdev);
	vdev->driver = NULL;
	/* The driver's remove normally reset it already; a second reset costs little. */
	virtio_reset_device(vdev);
	if (!list_empty(&vdev->vqs))
		virtio_dev_err(vdev, "driver %s left its queues behind", drv ? drv->name : "?");
}

void virtio_config_changed(struct virtio_device *vdev)
{
	unsigned long flags;
	u8 status = vdev->config->get_status(vdev);

	/* 2.1.2: the device cannot go on until it is reset; nothing in flight will complete. */
	if (status & VIRTIO_CONFIG_S_NEEDS_RESET)
		virtio_break_device(vdev, "device needs reset (status %#x)", status);

	spin_lock_irqsave(&vdev->config_lock, flags);
	if (!vdev->config_enabled)
		vdev->config_change_pending = true;
	else if (vdev->driver && vdev->driver->config_changed)
		vdev->driver->config_changed(vdev);
	spin_unlock_irqrestore(&vdev->config_lock, flags);
}

int virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf,
		       unsigned int len)
{
	unsigned int tries;
	u32 gen;

	if (offset > vdev->config_len || len > vdev->config_len - offset)
		return -EINVAL;
	if (virtio_device_is_broken(vdev))
		return -EIO;
	if (!vdev->config->generation) {
		vdev->config->get(vdev, offset, buf, len);
		return 0;
	}
	/* 2.5.1: equal generations before and after mean one consistent snapshot. */
	for (tries = 0; tries < VIRTIO_CONFIG_RETRIES; tries++) {
		gen = vdev->config->generation(vdev);
		vdev->config->get(vdev, offset, buf, len);
		if (vdev->config->generation(vdev) == gen)
			return 0;
	}
	virtio_break_device(vdev, "config generation never settled (%u bytes at %u, %u tries)",
			    len, offset, tries);
	return -EIO;
}

int virtio_cread8(struct virtio_device *vdev, unsigned int offset, u8 *val)
{
	return virtio_cread_bytes(vdev, offset, val, sizeof(*val));
}

int virtio_cread16(struct virtio_device *vdev, unsigned int offset, u16 *val)
{
	u16 v;
	int err = virtio_cread_bytes(vdev, offset, &v, sizeof(v));

	if (!err)
		*val = virtio16_to_cpu(v);
	return err;
}

int virtio_cread32(struct virtio_device *vdev, unsigned int offset, u32 *val)
{
	u32 v;
	int err = virtio_cread_bytes(vdev, offset, &v, sizeof(v));

	if (!err)
		*val = virtio32_to_cpu(v);
	return err;
}

int virtio_cread64(struct virtio_device *vdev, unsigned int offset, u64 *val)
{
	u64 v;
	int err = virtio_cread_bytes(vdev, offset, &v, sizeof(v));

	if (!err)
		*val = virtio64_to_cpu(v);
	return err;
}

int virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf,
			unsigned int len)
{
	if (offset > vdev->config_len || len > vdev->config_len - offset)
		return -EINVAL;
	if (virtio_device_is_broken(vdev))
		return -EIO;
	vdev->config->set(vdev, offset, buf, len);
	return 0;
}
