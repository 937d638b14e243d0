// SPDX-License-Identifier: MIT
/*
 * The virtio 1.x PCI transport (virtio 1.2, 4.1): binds every virtio PCI
 * function (vendor 0x1af4, device 0x1000-0x107f), finds its register blocks
 * through the vendor capabilities, and registers a struct virtio_device whose
 * config ops drive them. Legacy (0.9) register layouts are not supported: a
 * transitional device is driven through its modern capabilities.
 *
 *   common (cfg_type 1)  features, status, generation, per-queue setup
 *   notify (2)           queue q is notified at offset
 *                        queue_notify_off(q) * notify_off_multiplier
 *   ISR    (3)           one byte, read-to-clear: bit 0 queue, bit 1 config
 *   device (4)           the device-type config (virtio_cread_*)
 *
 * Every capability is checked against the BAR it names (type, length,
 * overflow) before it is mapped; a queue whose notify address falls outside
 * the notify region is refused.
 *
 * Interrupts, best first: MSI-X with a vector for config changes and one per
 * queue; MSI-X with two vectors (config, all queues); INTx shared, demuxed
 * through the ISR byte. The device confirms each vector it accepted by
 * reading it back (4.1.5.1.2); VIRTIO_MSI_NO_VECTOR means "try less".
 *
 * Locking: setup and teardown run in probe/remove (the bus serializes them);
 * queue_select is only written there. Interrupt handlers only read ISR and
 * call vring_interrupt()/virtio_config_changed().
 */
#include <asm/io.h>
#include <exo/err.h>
#include <exo/interrupt.h>
#include <exo/pci.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/time.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include <uapi/virtio_pci.h>
#include "internal.h"

_Static_assert(__builtin_offsetof(struct virtio_pci_common_cfg, queue_desc) == 32,
	       "common cfg layout (virtio 1.2, 4.1.4.3)");
_Static_assert(__builtin_offsetof(struct virtio_pci_common_cfg, queue_reset) == 58,
	       "common cfg layout (virtio 1.2, 4.1.4.3)");
_Static_assert(sizeof(struct virtio_pci_cap) == 16, "virtio_pci_cap is 16 bytes");

/* The common cfg fields a 1.0 device must have: up to queue_device inclusive. */
#define VP_COMMON_MIN_LEN 56
/* How long a reset may take to be acknowledged: polls of the status byte, 1 us apart. */
#define VP_RESET_POLLS 1000000
#define VP_DEFAULT_QUEUE_SIZE 256

enum vp_irq_mode { VP_IRQ_NONE, VP_IRQ_MSIX_PER_VQ, VP_IRQ_MSIX_SHARED, VP_IRQ_INTX };

struct vp_vq_info {
	struct virtqueue *vq;
	void __iomem *notify;	/* this queue's doorbell */
	int irq;		/* its own MSI-X vector's IRQ, or -1 */
	char irq_name[32];	/* "virtio0-req.0", as Linux names it in /proc/interrupts */
};

struct vp_device {
	struct virtio_device vdev;
	struct pci_dev *pdev;
	struct virtio_pci_common_cfg __iomem *common;
	void __iomem *notify_base;
	u32 notify_len, notify_mult;
	u8 __iomem *isr;
	void __iomem *device;
	void __iomem *maps[PCI_STD_NUM_BARS];	/* one mapping per BAR used */
	enum vp_irq_mode irq_mode;
	unsigned int nr_irqs_requested;		/* how many request_irq()s to undo */
	int config_irq;
	/* /proc/interrupts names, Linux's: "virtio0-config", "virtio0-virtqueues". */
	char config_irq_name[32];
	char vqs_irq_name[32];
	struct vp_vq_info *vqs;
	unsigned int nvqs;
};

#define to_vp(v) container_of(v, struct vp_device, vdev)

static void vp_write64(u64 v, __le32 __iomem *lo, __le32 __iomem *hi)
{
	/* 4.1.3.1: 64-bit fields as two 32-bit accesses, low half first. */
	writel((u32)v, lo);
	writel((u32)(v >> 32), hi);
}

/* --- capabilities --- */

/*
 * Finds the first capability of @type and maps it; the region must lie inside
 * a memory BAR and be at least @minlen long. Returns the mapping or NULL; the
 * capability's config offset in *@pos for type-specific extras.
 */
static void __iomem *vp_map_cap(struct vp_device *vp, u8 type, u32 minlen, u32 *len, u8 *pos)
{
	struct pci_dev *pdev = vp->pdev;
	u8 p, cfg_type, bar, cap_len;
	u32 off, length;
	u64 bar_len;

	for (p = pci_find_capability(pdev, PCI_CAP_ID_VNDR); p;
	     p = pci_find_next_capability(pdev, p, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, p + __builtin_offsetof(struct virtio_pci_cap, cfg_type),
				     &cfg_type);
		if (cfg_type != type)
			continue;
		pci_read_config_byte(pdev, p + __builtin_offsetof(struct virtio_pci_cap, cap_len),
				     &cap_len);
		pci_read_config_byte(pdev, p + __builtin_offsetof(struct virtio_pci_cap, bar), &bar);
		pci_read_config_dword(pdev, p + __builtin_offsetof(struct virtio_pci_cap, offset),
				      &off);
		pci_read_config_dword(pdev, p + __builtin_offsetof(struct virtio_pci_cap, length),
				      &length);
		/* 4.1.4: a driver ignores capabilities it cannot use and looks on. */
		if (cap_len < sizeof(struct virtio_pci_cap) || bar >= PCI_STD_NUM_BARS)
			continue;
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		bar_len = pci_resource_len(pdev, bar);
		if (length < minlen || (u64)off + length > bar_len) {
			dev_err(&pdev->dev, "virtio cap %u: %u bytes at %#x beyond BAR%u (%llu bytes)\n",
				type, length, off, bar, (unsigned long long)bar_len);
			continue;
		}
		if (!vp->maps[bar]) {
			vp->maps[bar] = pci_iomap(pdev, bar, 0);
			if (!vp->maps[bar])
				return NULL;
		}
		*len = length;
		*pos = p;
		return (u8 __iomem *)vp->maps[bar] + off;
	}
	return NULL;
}

static int vp_find_caps(struct vp_device *vp)
{
	u32 len;
	u8 pos;

	vp->common = vp_map_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG, VP_COMMON_MIN_LEN, &len, &pos);
	if (!vp->common)
		return -ENODEV;
	vp->isr = vp_map_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, 1, &len, &pos);
	if (!vp->isr)
		return -ENODEV;
	vp->notify_base = vp_map_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, 2, &vp->notify_len, &pos);
	if (!vp->notify_base)
		return -ENODEV;
	pci_read_config_dword(vp->pdev,
			      pos + __builtin_offsetof(struct virtio_pci_notify_cap,
						       notify_off_multiplier),
			      &vp->notify_mult);
	/* Optional: a device type without config space has none. */
	vp->device = vp_map_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, 0, &vp->vdev.config_len, &pos);
	if (!vp->device)
		vp->vdev.config_len = 0;
	return 0;
}

/* --- config ops --- */

static void vp_get(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len)
{
	u8 __iomem *p = (u8 __iomem *)to_vp(vdev)->device + offset;
	u8 *b = buf;
	u32 v32;
	u16 v16;

	/* 4.1.3.1: each field with its natural width. virtio_cread_bytes() checked the range. */
	switch (len) {
	case 2:
		v16 = readw(p);
		__builtin_memcpy(b, &v16, 2);
		break;
	case 4:
		v32 = readl(p);
		__builtin_memcpy(b, &v32, 4);
		break;
	case 8:
		v32 = readl(p);
		__builtin_memcpy(b, &v32, 4);
		v32 = readl(p + 4);
		__builtin_memcpy(b + 4, &v32, 4);
		break;
	default:
		while (len--)
			*b++ = readb(p++);
	}
}

static void vp_set(struct virtio_device *vdev, unsigned int offset, const void *buf,
		   unsigned int len)
{
	u8 __iomem *p = (u8 __iomem *)to_vp(vdev)->device + offset;
	const u8 *b = buf;
	u32 v32;
	u16 v16;

	switch (len) {
	case 2:
		__builtin_memcpy(&v16, b, 2);
		writew(v16, p);
		break;
	case 4:
		__builtin_memcpy(&v32, b, 4);
		writel(v32, p);
		break;
	default:
		while (len--)
			writeb(*b++, p++);
	}
}

static u32 vp_generation(struct virtio_device *vdev)
{
	return readb(&to_vp(vdev)->common->config_generation);
}

static u8 vp_get_status(struct virtio_device *vdev)
{
	return readb(&to_vp(vdev)->common->device_status);
}

static void vp_set_status(struct virtio_device *vdev, u8 status)
{
	writeb(status, &to_vp(vdev)->common->device_status);
}

static int vp_reset(struct virtio_device *vdev)
{
	struct vp_device *vp = to_vp(vdev);
	unsigned long i;

	writeb(0, &vp->common->device_status);
	/* 4.1.4.3.2: the reset is done when the device reads back 0. */
	for (i = 0; i < VP_RESET_POLLS; i++) {
		if (!readb(&vp->common->device_status))
			return 0;
		udelay(1);
	}
	return -ETIMEDOUT;
}

static u64 vp_get_features(struct virtio_device *vdev)
{
	struct virtio_pci_common_cfg __iomem *c = to_vp(vdev)->common;
	u64 f;

	writel(0, &c->device_feature_select);
	f = readl(&c->device_feature);
	writel(1, &c->device_feature_select);
	f |= (u64)readl(&c->device_feature) << 32;
	return f;
}

static int vp_finalize_features(struct virtio_device *vdev)
{
	struct virtio_pci_common_cfg __iomem *c = to_vp(vdev)->common;

	writel(0, &c->driver_feature_select);
	writel((u32)vdev->features, &c->driver_feature);
	writel(1, &c->driver_feature_select);
	writel((u32)(vdev->features >> 32), &c->driver_feature);
	return 0;
}

/* --- interrupts --- */

static irqreturn_t vp_config_irq(int irq, void *data)
{
	virtio_config_changed(data);
	return IRQ_HANDLED;
}

static irqreturn_t vp_vq_irq(int irq, void *data)
{
	return vring_interrupt(data) ? IRQ_HANDLED : IRQ_NONE;
}

static irqreturn_t vp_all_vqs_irq(int irq, void *data)
{
	struct vp_device *vp = data;
	irqreturn_t ret = IRQ_NONE;
	unsigned int i;

	for (i = 0; i < vp->nvqs; i++)
		if (vp->vqs[i].vq && vring_interrupt(vp->vqs[i].vq))
			ret = IRQ_HANDLED;
	return ret;
}

static irqreturn_t vp_intx_irq(int irq, void *data)
{
	struct vp_device *vp = data;
	u8 isr = readb(vp->isr);	/* reading clears it (4.1.4.5) */

	if (!isr)
		return IRQ_NONE;	/* another device on the shared line */
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		virtio_config_changed(&vp->vdev);
	vp_all_vqs_irq(irq, vp);
	return IRQ_HANDLED;
}

static void vp_free_irqs(struct vp_device *vp)
{
	struct pci_dev *pdev = vp->pdev;
	unsigned int i;

	for (i = 0; i < vp->nr_irqs_requested; i++) {
		int irq = pci_irq_vector(pdev, i);
		void *dev_id;

		if (vp->irq_mode == VP_IRQ_INTX || (vp->irq_mode == VP_IRQ_MSIX_SHARED && i == 1))
			dev_id = vp;
		else if (i == 0)
			dev_id = &vp->vdev;
		else
			dev_id = vp->vqs[i - 1].vq;
		if (irq >= 0)
			free_irq(irq, dev_id);
	}
	vp->nr_irqs_requested = 0;
	if (vp->irq_mode != VP_IRQ_NONE)
		pci_free_irq_vectors(pdev);
	vp->irq_mode = VP_IRQ_NONE;
}

/* --- queues --- */

static bool vp_notify(struct virtqueue *vq)
{
	struct vp_device *vp = to_vp(vq->vdev);

	writew(vq->index, vp->vqs[vq->index].notify);
	return true;
}

/* Sets queue @i up with MSI-X vector @vector (or NO_VECTOR); 0 or -errno. */
static int vp_setup_vq(struct vp_device *vp, unsigned int i, const struct virtqueue_info *info,
		       u16 vector)
{
	struct virtio_pci_common_cfg __iomem *c = vp->common;
	struct virtqueue *vq;
	u16 size, off;
	u64 noff;
	unsigned int num;

	writew(i, &c->queue_select);
	size = readw(&c->queue_size);
	if (!size || readw(&c->queue_enable))
		return -ENOENT;
	num = min((unsigned int)size, (unsigned int)VP_DEFAULT_QUEUE_SIZE);
	while (num & (num - 1))		/* a split ring of a power-of-two size */
		num &= num - 1;
	off = readw(&c->queue_notify_off);
	noff = (u64)off * vp->notify_mult;
	if (noff + 2 > vp->notify_len) {
		virtio_dev_err(&vp->vdev, "queue %u: notify offset %llu beyond the %u-byte region",
			       i, (unsigned long long)noff, vp->notify_len);
		return -EINVAL;
	}
	vp->vqs[i].notify = (u8 __iomem *)vp->notify_base + noff;

	vq = vring_create_virtqueue(i, num, &vp->vdev, vp_notify, info->callback, info->name);
	if (IS_ERR(vq))
		return PTR_ERR(vq);
	vp->vqs[i].vq = vq;
	writew(num, &c->queue_size);
	vp_write64(virtqueue_get_desc_addr(vq), (__le32 __iomem *)&c->queue_desc,
		   (__le32 __iomem *)&c->queue_desc + 1);
	vp_write64(virtqueue_get_avail_addr(vq), (__le32 __iomem *)&c->queue_driver,
		   (__le32 __iomem *)&c->queue_driver + 1);
	vp_write64(virtqueue_get_used_addr(vq), (__le32 __iomem *)&c->queue_device,
		   (__le32 __iomem *)&c->queue_device + 1);
	if (vector != VIRTIO_MSI_NO_VECTOR) {
		writew(vector, &c->queue_msix_vector);
		if (readw(&c->queue_msix_vector) != vector)
			return -EBUSY;	/* the device could not take it: fewer vectors */
	}
	writew(1, &c->queue_enable);
	return 0;
}

static void vp_del_vqs(struct virtio_device *vdev)
{
	struct vp_device *vp = to_vp(vdev);
	unsigned int i;

	/* Interrupts first: a handler must not run on a freed queue. */
	vp_free_irqs(vp);
	for (i = 0; i < vp->nvqs; i++) {
		if (!vp->vqs[i].vq)
			continue;
		writew(i, &vp->common->queue_select);
		writew(VIRTIO_MSI_NO_VECTOR, &vp->common->queue_msix_vector);
		vring_del_virtqueue(vp->vqs[i].vq);
	}
	kfree(vp->vqs);
	vp->vqs = NULL;
	vp->nvqs = 0;
}

/* One attempt at find_vqs in interrupt mode @mode; 0 or -errno with nothing left behind. */
static int vp_try_find_vqs(struct vp_device *vp, unsigned int nvqs, struct virtqueue *vqs[],
			   const struct virtqueue_info info[], enum vp_irq_mode mode)
{
	struct pci_dev *pdev = vp->pdev;
	unsigned int i, nvec, flags;
	int err, irq;

	nvec = mode == VP_IRQ_MSIX_PER_VQ ? nvqs + 1 : mode == VP_IRQ_MSIX_SHARED ? 2 : 1;
	flags = mode == VP_IRQ_INTX ? PCI_IRQ_LEGACY : PCI_IRQ_MSIX;
	err = pci_alloc_irq_vectors(pdev, nvec, nvec, flags);
	if (err < 0)
		return err;
	vp->irq_mode = mode;
	vp->vqs = kcalloc(nvqs, sizeof(*vp->vqs), GFP_KERNEL);
	if (!vp->vqs) {
		err = -ENOMEM;
		goto out_del;
	}
	vp->nvqs = nvqs;

	snprintf(vp->config_irq_name, sizeof(vp->config_irq_name), "%s-config", vp->vdev.name);
	snprintf(vp->vqs_irq_name, sizeof(vp->vqs_irq_name), "%s-virtqueues", vp->vdev.name);
	/* Vector 0: config changes (or everything, on INTx). */
	irq = pci_irq_vector(pdev, 0);
	if (mode == VP_IRQ_INTX)
		err = request_irq(irq, vp_intx_irq, IRQF_SHARED, vp->vdev.name, vp);
	else
		err = request_irq(irq, vp_config_irq, 0, vp->config_irq_name, &vp->vdev);
	if (err)
		goto out_del;
	vp->nr_irqs_requested = 1;
	if (mode != VP_IRQ_INTX) {
		writew(0, &vp->common->config_msix_vector);
		if (readw(&vp->common->config_msix_vector) != 0) {
			err = -EBUSY;
			goto out_del;
		}
	}
	if (mode == VP_IRQ_MSIX_SHARED) {
		err = request_irq(pci_irq_vector(pdev, 1), vp_all_vqs_irq, 0, vp->vqs_irq_name, vp);
		if (err)
			goto out_del;
		vp->nr_irqs_requested = 2;
	}

	for (i = 0; i < nvqs; i++) {
		u16 vector = VIRTIO_MSI_NO_VECTOR;

		if (mode == VP_IRQ_MSIX_PER_VQ)
			vector = i + 1;
		else if (mode == VP_IRQ_MSIX_SHARED && info[i].callback)
			vector = 1;
		err = vp_setup_vq(vp, i, &info[i], vector);
		if (err)
			goto out_del;
		if (mode == VP_IRQ_MSIX_PER_VQ) {
			/* Every vector in order, so vp_free_irqs() can undo them by number. */
			struct vp_vq_info *q = &vp->vqs[i];

			snprintf(q->irq_name, sizeof(q->irq_name), "%s-%s", vp->vdev.name,
				 info[i].name ? info[i].name : "vq");
			err = request_irq(pci_irq_vector(pdev, i + 1), vp_vq_irq, 0, q->irq_name, q->vq);
			if (err)
				goto out_del;
			vp->nr_irqs_requested = i + 2;
		}
		vqs[i] = vp->vqs[i].vq;
	}
	return 0;

out_del:
	if (mode != VP_IRQ_INTX)
		writew(VIRTIO_MSI_NO_VECTOR, &vp->common->config_msix_vector);
	if (vp->vqs)
		vp_del_vqs(&vp->vdev);
	else
		vp_free_irqs(vp);
	return err;
}

static int vp_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		       const struct virtqueue_info info[])
{
	struct vp_device *vp = to_vp(vdev);
	int err;

	if (nvqs > readw(&vp->common->num_queues))
		return -ENOENT;
	err = vp_try_find_vqs(vp, nvqs, vqs, info, VP_IRQ_MSIX_PER_VQ);
	if (err)
		err = vp_try_find_vqs(vp, nvqs, vqs, info, VP_IRQ_MSIX_SHARED);
	if (err)
		err = vp_try_find_vqs(vp, nvqs, vqs, info, VP_IRQ_INTX);
	return err;
}

static const struct virtio_config_ops vp_config_ops = {
	.get = vp_get,
	.set = vp_set,
	.generation = vp_generation,
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.reset = vp_reset,
	.find_vqs = vp_find_vqs,
	.del_vqs = vp_del_vqs,
	.get_features = vp_get_features,
	.finalize_features = vp_finalize_features,
};

/* --- the PCI driver --- */

static void vp_unmap(struct vp_device *vp)
{
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		if (vp->maps[i])
			pci_iounmap(vp->pdev, vp->maps[i]);
}

static int vp_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vp_device *vp;
	int err;

	if (pdev->device > VIRTIO_PCI_MODERN_DEVICE_LAST)
		return -ENODEV;
	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->pdev = pdev;
	/* 4.1.2.1: modern IDs carry the type; transitional ones keep it in the subsystem ID. */
	if (pdev->device >= VIRTIO_PCI_MODERN_DEVICE_BASE)
		vp->vdev.id.device = pdev->device - VIRTIO_PCI_MODERN_DEVICE_BASE;
	else
		vp->vdev.id.device = pdev->subsystem_device;
	vp->vdev.id.vendor = pdev->subsystem_vendor;
	vp->vdev.config = &vp_config_ops;
	vp->vdev.priv = vp;

	err = pci_enable_device(pdev);
	if (err)
		goto out_free;
	err = vp_find_caps(vp);
	if (err) {
		dev_err(&pdev->dev, "virtio: no usable modern capabilities (legacy-only device?)\n");
		goto out_unmap;
	}
	pci_set_master(pdev);
	pci_set_drvdata(pdev, vp);
	err = register_virtio_device(&vp->vdev);
	if (err)
		goto out_unmap;
	return 0;

out_unmap:
	vp_unmap(vp);
	pci_disable_device(pdev);
out_free:
	kfree(vp);
	return err;
}

static void vp_remove(struct pci_dev *pdev)
{
	struct vp_device *vp = pci_get_drvdata(pdev);

	unregister_virtio_device(&vp->vdev);
	vp_unmap(vp);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
	kfree(vp);
}

static const struct pci_device_id vp_ids[] = {
	{ PCI_DEVICE(VIRTIO_PCI_VENDOR_ID, PCI_ANY_ID) },
	{ 0 },
};

static struct pci_driver virtio_pci_driver = {
	.name = "virtio-pci",
	.id_table = vp_ids,
	.probe = vp_probe,
	.remove = vp_remove,
};
module_pci_driver(virtio_pci_driver);
