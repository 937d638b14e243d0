/* SPDX-License-Identifier: MIT */
/*
 * The virtio core (docs/virtio.md): one implementation of virtio devices,
 * drivers and split virtqueues that every virtio driver (blk, net, ...) and
 * every transport (PCI) uses.
 *
 *   transport (virtio_pci_modern.c)   finds the registers, fills
 *                                     struct virtio_config_ops, creates queues
 *                                     with vring_create_virtqueue() and routes
 *                                     interrupts to vring_interrupt() and
 *                                     virtio_config_changed()
 *   core (virtio.c)                   driver matching, the initialization
 *                                     order of virtio 1.2, 3.1.1, feature
 *                                     negotiation, config reads, breaking
 *   virtqueue (virtio_ring.c)         descriptors, kick, completion
 *   driver (virtio_blk.c, ...)        fills struct virtio_driver
 *
 * Nothing a device writes is trusted: used-ring entries, lengths, indexes and
 * config fields are checked, and a device that breaks a rule is "broken": its
 * queues refuse new buffers (-EIO), return no more completions, and a log line
 * names the device and what it did. The kernel never panics for a device.
 *
 * Addresses given to devices are physical: Exo-OS has no IOMMU, so even with
 * VIRTIO_F_ACCESS_PLATFORM the device's view of memory is the physical one.
 */
#ifndef _EXO_VIRTIO_H
#define _EXO_VIRTIO_H

#include <asm/memlayout.h>
#include <exo/gfp.h>
#include <exo/list.h>
#include <exo/spinlock.h>
#include <exo/types.h>
#include <uapi/virtio_config.h>
#include <uapi/virtio_ring.h>

/* virtio 1.x is little-endian whatever the CPU (1.4). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define virtio16_to_cpu(v) ((u16)(v))
#define virtio32_to_cpu(v) ((u32)(v))
#define virtio64_to_cpu(v) ((u64)(v))
#else
#define virtio16_to_cpu(v) __builtin_bswap16(v)
#define virtio32_to_cpu(v) __builtin_bswap32(v)
#define virtio64_to_cpu(v) __builtin_bswap64(v)
#endif
#define cpu_to_virtio16(v) virtio16_to_cpu(v)
#define cpu_to_virtio32(v) virtio32_to_cpu(v)
#define cpu_to_virtio64(v) virtio64_to_cpu(v)

struct virtio_device;

/*
 * One piece of a buffer: @len bytes at physical address @addr. A request is an
 * array of these, the device-readable ("out") ones first, then the
 * device-writable ("in") ones.
 */
struct virtio_sg {
	phys_addr_t addr;
	u32 len;
};

static inline void virtio_sg_init(struct virtio_sg *sg, const void *buf, u32 len)
{
	sg->addr = virt_to_phys(buf);
	sg->len = len;
}

/*
 * A virtqueue as drivers see it. The fields are read-only for drivers; the
 * ring state is private to virtio_ring.c. A virtqueue has no lock of its own:
 * the driver serializes add/kick/get_buf/detach/enable/disable on one queue
 * (usually with the lock its callback also takes). vring_interrupt() only
 * reads the used index before calling the callback.
 */
struct virtqueue {
	struct list_head list;		/* [vdev, setup/teardown] in vdev->vqs */
	void (*callback)(struct virtqueue *vq);	/* [immutable] */
	const char *name;		/* [immutable] */
	struct virtio_device *vdev;	/* [immutable] */
	unsigned int index;		/* [immutable] queue number on the device */
	unsigned int num_free;		/* [driver] free descriptors */
	unsigned int num_max;		/* [immutable] ring size */
	void *priv;			/* [driver] */
};

struct virtqueue_info {
	const char *name;
	void (*callback)(struct virtqueue *vq);	/* NULL: never interrupted */
};

/*
 * What a transport provides. get/set access the device-specific config
 * space (little-endian fields, at most config_len bytes); generation() changes
 * whenever the device changed that space, so a multi-field read is retried
 * until it is stable. reset() writes 0 to status and waits a bounded time for
 * the device to acknowledge: 0 or -ETIMEDOUT. find_vqs() creates @nvqs queues
 * with their interrupts (0 or -errno, nothing left behind on failure).
 * finalize_features() writes vdev->features to the device.
 */
struct virtio_config_ops {
	void (*get)(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
	void (*set)(struct virtio_device *vdev, unsigned int offset, const void *buf,
		    unsigned int len);
	u32 (*generation)(struct virtio_device *vdev);
	u8 (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, u8 status);
	int (*reset)(struct virtio_device *vdev);
	int (*find_vqs)(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
			const struct virtqueue_info info[]);
	void (*del_vqs)(struct virtio_device *vdev);
	u64 (*get_features)(struct virtio_device *vdev);
	int (*finalize_features)(struct virtio_device *vdev);
};

struct virtio_device_id {
	u32 device;	/* VIRTIO_ID_*, or VIRTIO_DEV_ANY_ID */
	u32 vendor;	/* VIRTIO_DEV_ANY_ID matches any */
};
#define VIRTIO_DEV_ANY_ID 0xffffffffu

struct virtio_device {
	char name[16];			/* [immutable] "virtio0" */
	unsigned int index;		/* [immutable] */
	struct virtio_device_id id;	/* [immutable, transport] */
	const struct virtio_config_ops *config;	/* [immutable, transport] */
	unsigned int config_len;	/* [immutable, transport] device config bytes */
	u64 features;			/* [probe] negotiated */
	u8 status;			/* [probe] what the driver last wrote */
	bool broken;			/* [atomic] see virtio_break_device() */
	struct spinlock config_lock;	/* guards the two below; taken in the config interrupt */
	bool config_enabled;		/* [config_lock] deliver config changes to the driver */
	bool config_change_pending;	/* [config_lock] one arrived while disabled */
	unsigned int err_logged;	/* [atomic] lines logged, for rate limiting */
	struct virtio_driver *driver;	/* [core lock] bound driver */
	struct list_head vqs;		/* [setup/teardown] its virtqueues */
	struct list_head node;		/* [core lock] in the core's device list */
	void *priv;			/* [transport] */
};

/*
 * A virtio driver. feature_table lists the device-type feature bits (0-23)
 * the driver understands; the core adds the transport bits it implements.
 * probe() runs after FEATURES_OK, finds its queues, reads its config and may
 * call virtio_device_ready() itself (the core sets DRIVER_OK after a
 * successful probe otherwise). config_changed() runs on a config interrupt,
 * also when the device asked for a reset (virtio_device_is_broken() is then
 * true): a driver with requests waiting must fail them there.
 */
struct virtio_driver {
	const char *name;
	const struct virtio_device_id *id_table;	/* ends with a zero device */
	const unsigned int *feature_table;
	unsigned int feature_table_size;
	int (*validate)(struct virtio_device *vdev);	/* may clear offered features */
	int (*probe)(struct virtio_device *vdev);
	void (*remove)(struct virtio_device *vdev);
	void (*config_changed)(struct virtio_device *vdev);
	struct list_head node;		/* [core lock] */
};

/* --- the core (virtio.c) --- */

/*
 * Registration. register_virtio_device() is for transports: the device is
 * reset and probed against every registered driver; it returns 0 even when
 * no driver takes it, or -errno when the device cannot be reset.
 * unregister_virtio_device() removes the driver and resets the device.
 */
int register_virtio_driver(struct virtio_driver *drv);
void unregister_virtio_driver(struct virtio_driver *drv);
int register_virtio_device(struct virtio_device *vdev);
void unregister_virtio_device(struct virtio_device *vdev);

static inline bool virtio_has_feature(const struct virtio_device *vdev, unsigned int fbit)
{
	return fbit < 64 && (vdev->features >> fbit) & 1;
}

/* Sets DRIVER_OK: the device may now use the queues and interrupt. */
void virtio_device_ready(struct virtio_device *vdev);

/* Creates @nvqs queues through the transport; 0 or -errno. */
int virtio_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
		    const struct virtqueue_info info[]);

/* Resets the device (no more DMA, no more interrupts from it); 0 or -ETIMEDOUT. */
int virtio_reset_device(struct virtio_device *vdev);

/*
 * Gives up on a device that broke a rule: marks it and all its queues broken,
 * sets FAILED in the status and logs "@vdev->name: <what>" (rate-limited).
 * Callable from interrupt context; does not call driver callbacks.
 */
void virtio_break_device(struct virtio_device *vdev, const char *fmt, ...) __printf(2, 3);

static inline bool virtio_device_is_broken(const struct virtio_device *vdev)
{
	return __atomic_load_n(&vdev->broken, __ATOMIC_ACQUIRE);
}

/*
 * Config change interrupt, from the transport. When the device status has
 * DEVICE_NEEDS_RESET, the device is broken (its requests will not complete);
 * either way the driver's config_changed() runs if config changes are enabled.
 */
void virtio_config_changed(struct virtio_device *vdev);

/* Rate-limited error line naming the device: at most VIRTIO_ERR_LOG_MAX per device. */
#define VIRTIO_ERR_LOG_MAX 8
void virtio_dev_err(struct virtio_device *vdev, const char *fmt, ...) __printf(2, 3);

/*
 * Reads @len bytes of device config at @offset into @buf, retried until the
 * config generation is the same before and after (virtio 1.2, 2.5.1), at most
 * VIRTIO_CONFIG_RETRIES times. 0; -EINVAL when the range is outside the
 * device's config space; -EIO, with the device broken, when the generation
 * never settles. Multi-byte fields come back little-endian: the typed helpers
 * below convert. The caller still checks the value makes sense.
 */
#define VIRTIO_CONFIG_RETRIES 16
int virtio_cread_bytes(struct virtio_device *vdev, unsigned int offset, void *buf,
		       unsigned int len);
int virtio_cread8(struct virtio_device *vdev, unsigned int offset, u8 *val);
int virtio_cread16(struct virtio_device *vdev, unsigned int offset, u16 *val);
int virtio_cread32(struct virtio_device *vdev, unsigned int offset, u32 *val);
int virtio_cread64(struct virtio_device *vdev, unsigned int offset, u64 *val);
/* Writes a little-endian field; -EINVAL outside the config space. */
int virtio_cwrite_bytes(struct virtio_device *vdev, unsigned int offset, const void *buf,
			unsigned int len);

/* --- split virtqueues (virtio_ring.c) --- */

/*
 * Creates queue @index of @num entries (a power of two, at most
 * VIRTQ_MAX_SIZE) for @vdev, whose negotiated features decide indirect
 * descriptors and event indexes. @notify tells the device there is work and
 * returns false if that failed. Returns the queue or ERR_PTR(-EINVAL/-ENOMEM).
 */
struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num,
					 struct virtio_device *vdev,
					 bool (*notify)(struct virtqueue *vq),
					 void (*callback)(struct virtqueue *vq), const char *name);
/* Frees the queue; the device must be reset first. Unreturned buffers are dropped. */
void vring_del_virtqueue(struct virtqueue *vq);

/* Physical addresses of the three parts, for the transport. */
phys_addr_t virtqueue_get_desc_addr(const struct virtqueue *vq);
phys_addr_t virtqueue_get_avail_addr(const struct virtqueue *vq);
phys_addr_t virtqueue_get_used_addr(const struct virtqueue *vq);
unsigned int virtqueue_get_vring_size(const struct virtqueue *vq);

/*
 * Exposes a buffer of @out_sgs device-readable then @in_sgs device-writable
 * pieces; @data (not NULL) comes back from virtqueue_get_buf(). With indirect
 * descriptors and more than one piece the chain takes one ring slot.
 * 0; -ENOSPC when the ring is full; -EINVAL for an empty or too long chain;
 * -EIO when the queue is broken.
 */
int virtqueue_add_sgs(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int out_sgs,
		      unsigned int in_sgs, void *data, gfp_t gfp);
int virtqueue_add_outbuf(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int num,
			 void *data, gfp_t gfp);
int virtqueue_add_inbuf(struct virtqueue *vq, const struct virtio_sg *sgs, unsigned int num,
			void *data, gfp_t gfp);

/*
 * Kicking: prepare says whether the device wants a notification for what was
 * added since the last kick (event index or VIRTQ_USED_F_NO_NOTIFY), notify
 * sends it. The split lets a driver notify outside its lock. kick() is both;
 * it returns false when the queue is (or just became) broken.
 */
bool virtqueue_kick_prepare(struct virtqueue *vq);
bool virtqueue_notify(struct virtqueue *vq);
bool virtqueue_kick(struct virtqueue *vq);

/*
 * Returns the next completed buffer's data and sets *@len to the bytes the
 * device wrote, or NULL when there is none or the queue is broken (check
 * virtqueue_is_broken()). A used entry that breaks a rule breaks the queue.
 */
void *virtqueue_get_buf(struct virtqueue *vq, unsigned int *len);

/* Returns a buffer the device has not completed; for teardown after a reset. */
void *virtqueue_detach_unused_buf(struct virtqueue *vq);

/*
 * Interrupt suppression (a hint to the device). enable_cb returns false if
 * buffers completed meanwhile (the caller must process them: no interrupt is
 * coming for them). enable_cb_prepare + poll is the same in two steps;
 * enable_cb_delayed asks for an interrupt only after about 3/4 of the
 * outstanding buffers completed.
 */
void virtqueue_disable_cb(struct virtqueue *vq);
bool virtqueue_enable_cb(struct virtqueue *vq);
unsigned int virtqueue_enable_cb_prepare(struct virtqueue *vq);
bool virtqueue_poll(struct virtqueue *vq, unsigned int last_used_idx);
bool virtqueue_enable_cb_delayed(struct virtqueue *vq);

bool virtqueue_is_broken(const struct virtqueue *vq);
/* Marks the queue broken and logs why (rate-limited per device). */
void virtqueue_break(struct virtqueue *vq, const char *fmt, ...) __printf(2, 3);

/*
 * The queue's interrupt: calls the callback when there are used buffers.
 * Returns false when there was nothing (a shared interrupt that was not ours).
 */
bool vring_interrupt(struct virtqueue *vq);

/*
 * virtio 1.2, 2.7.10: with event indexes, the other side wants to hear about
 * the move of its index from @old to @new_idx when that passed @event_idx.
 */
static inline bool vring_need_event(u16 event_idx, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event_idx - 1) < (u16)(new_idx - old);
}

#endif /* _EXO_VIRTIO_H */
