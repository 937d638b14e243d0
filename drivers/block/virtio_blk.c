// SPDX-License-Identifier: MIT
/*
 * virtio-blk (virtio 1.2, section 5.2): disks vda, vdb, ... on the block
 * layer, over the one virtio core.
 *
 * A request is one chain (5.2.6): a device-readable struct
 * virtio_blk_outhdr (type, sector), the data segments (device-readable for
 * writes, device-writable for reads), and one device-writable status byte.
 * Each block-layer request carries its header, status and scatter list in
 * its driver area (blk_mq_rq_to_pdu), so nothing is allocated per I/O.
 *
 * Queues: one virtqueue per CPU when the device offers VIRTIO_BLK_F_MQ
 * (at most num_queues and VIRTBLK_MAX_QUEUES), else one; the block layer
 * picks the queue from the submitting CPU. Each virtqueue has a lock taken
 * with interrupts off by queue_rq() and by its interrupt callback;
 * requests are ended outside it.
 *
 * Nothing the device says is trusted: config fields are range-checked (a
 * bad optional one is ignored with a message, a bad capacity refuses the
 * device), and a status byte other than OK/IOERR/UNSUPP, or one the device
 * never wrote (used length 0), ends the request with -EIO and a log line.
 * A device the core declared broken is reset and every request it held
 * ends with -EIO; the disk is then dead (every new bio -EIO). Nobody hangs.
 *
 * Lock order: vblk->vqs[i].lock is a leaf (the virtqueue has none).
 */
#include <exo/blkdev.h>
#include <exo/init.h>
#include <exo/kernel.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include <uapi/virtio_blk.h>
#include <uapi/virtio_ids.h>

#define VIRTBLK_MAX_QUEUES	16
#define VIRTBLK_MAX_SEGS	128	/* data segments per request */
#define VIRTBLK_MINORS		(DISK_MAX_PARTS + 1)
#define VIRTBLK_STATUS_UNSET	0xff	/* what the status byte holds until the device writes it */
#define VIRTBLK_MAX_CAPACITY	(1ULL << 54)	/* sectors: 8 EiB, bytes still fit a loff_t */

struct virtblk_vq {
	struct virtqueue *vq;		/* [immutable after probe] */
	struct spinlock lock;
	char name[16];			/* [immutable] */
};

struct virtio_blk {
	struct virtio_device *vdev;	/* [immutable] */
	struct gendisk *disk;		/* [immutable after probe] */
	struct request_queue *q;	/* [immutable after probe] */
	unsigned int num_vqs;		/* [immutable] */
	unsigned int max_segs;		/* [immutable] */
	bool failed;			/* [atomic] outstanding requests were failed */
	struct virtblk_vq vqs[VIRTBLK_MAX_QUEUES];
};

/* The driver area of each request; sg[] has max_segs + 2 entries. */
struct virtblk_req {
	struct virtio_blk_outhdr out_hdr;
	u8 status;			/* device-writable */
	u8 status_seen;			/* the status as read once at completion */
	unsigned int used_len;		/* bytes the device says it wrote */
	struct blk_seg *segs;		/* points into sg[]'s tail */
	struct virtio_sg sg[];
};

static unsigned int virtblk_index;	/* [probe] disks named so far */

static int virtblk_status_to_errno(struct virtio_blk *vblk, struct request *rq, u8 status,
				   unsigned int len)
{
	if (len == 0) {
		virtio_dev_err(vblk->vdev, "%s: request at sector %llu completed without a status",
			       vblk->disk->disk_name, (unsigned long long)rq->sector);
		return -EIO;
	}
	switch (status) {
	case VIRTIO_BLK_S_OK:
		return 0;
	case VIRTIO_BLK_S_IOERR:
		return -EIO;
	case VIRTIO_BLK_S_UNSUPP:
		return -EOPNOTSUPP;
	}
	virtio_dev_err(vblk->vdev, "%s: status byte %#x at sector %llu is not a virtio-blk status",
		       vblk->disk->disk_name, status, (unsigned long long)rq->sector);
	return -EIO;
}

/*
 * The device broke a rule (the core marked it broken): reset it so it
 * touches no more memory, then end everything it held with -EIO.
 */
static void virtblk_fail_all(struct virtio_blk *vblk)
{
	unsigned long flags;

	if (__atomic_exchange_n(&vblk->failed, true, __ATOMIC_ACQ_REL))
		return;
	disk_mark_dead(vblk->disk);
	virtio_reset_device(vblk->vdev);
	for (unsigned int i = 0; i < vblk->num_vqs; i++) {
		struct virtblk_vq *vbq = &vblk->vqs[i];
		LIST_HEAD(done);
		struct request *rq, *tmp;
		void *data;

		spin_lock_irqsave(&vbq->lock, flags);
		while ((data = virtqueue_detach_unused_buf(vbq->vq)) != NULL) {
			rq = data;
			list_add_tail(&rq->queuelist, &done);
		}
		spin_unlock_irqrestore(&vbq->lock, flags);
		list_for_each_entry_safe(rq, tmp, &done, queuelist) {
			list_del_init(&rq->queuelist);
			blk_mq_end_request(rq, -EIO);
		}
	}
	disk_err(vblk->disk, "device failed: outstanding requests ended with -EIO");
}

static void virtblk_done(struct virtqueue *vq)
{
	struct virtio_blk *vblk = vq->vdev->priv;
	struct virtblk_vq *vbq = &vblk->vqs[vq->index];
	struct request *rq, *tmp;
	unsigned long flags;
	LIST_HEAD(done);
	unsigned int len;
	bool broken;

	spin_lock_irqsave(&vbq->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((rq = virtqueue_get_buf(vq, &len)) != NULL) {
			struct virtblk_req *vbr = blk_mq_rq_to_pdu(rq);

			/* Read once: the device could change it again. */
			vbr->status_seen = __atomic_load_n(&vbr->status, __ATOMIC_RELAXED);
			vbr->used_len = len;
			list_add_tail(&rq->queuelist, &done);
		}
		broken = virtqueue_is_broken(vq);
	} while (!broken && !virtqueue_enable_cb(vq));
	spin_unlock_irqrestore(&vbq->lock, flags);
	list_for_each_entry_safe(rq, tmp, &done, queuelist) {
		struct virtblk_req *vbr = blk_mq_rq_to_pdu(rq);

		list_del_init(&rq->queuelist);
		blk_mq_end_request(rq, virtblk_status_to_errno(vblk, rq, vbr->status_seen,
							       vbr->used_len));
	}
	if (broken)
		virtblk_fail_all(vblk);
	blk_mq_run_queue(vblk->q);
}

static int virtblk_queue_rq(struct request *rq, unsigned int hctx)
{
	struct virtio_blk *vblk = rq->q->queuedata;
	struct virtblk_vq *vbq = &vblk->vqs[hctx % vblk->num_vqs];
	struct virtblk_req *vbr = blk_mq_rq_to_pdu(rq);
	unsigned int nsegs = 0, out = 1, in = 0, n = 1;
	unsigned long flags;
	bool notify;
	u32 type;
	int err;

	switch (req_op(rq)) {
	case REQ_OP_READ:
		type = VIRTIO_BLK_T_IN;
		break;
	case REQ_OP_WRITE:
		type = VIRTIO_BLK_T_OUT;
		break;
	case REQ_OP_FLUSH:
		type = VIRTIO_BLK_T_FLUSH;
		break;
	default:
		return -EOPNOTSUPP;
	}
	vbr->out_hdr.type = cpu_to_virtio32(type);
	vbr->out_hdr.reserved = 0;
	vbr->out_hdr.sector = cpu_to_virtio64(type == VIRTIO_BLK_T_FLUSH ? 0 : rq->sector);
	vbr->status = VIRTBLK_STATUS_UNSET;
	vbr->segs = (struct blk_seg *)&vbr->sg[vblk->max_segs + 2];
	virtio_sg_init(&vbr->sg[0], &vbr->out_hdr, sizeof(vbr->out_hdr));
	if (type != VIRTIO_BLK_T_FLUSH) {
		nsegs = blk_rq_map_segs(rq, vbr->segs, vblk->max_segs);
		if (nsegs != rq->nr_segments && nsegs == vblk->max_segs)
			return -EIO;	/* the block layer counted wrong: never send a cut request */
		for (unsigned int i = 0; i < nsegs; i++) {
			vbr->sg[n].addr = vbr->segs[i].addr;
			vbr->sg[n++].len = vbr->segs[i].len;
		}
		if (type == VIRTIO_BLK_T_OUT)
			out += nsegs;
		else
			in += nsegs;
	}
	virtio_sg_init(&vbr->sg[n++], &vbr->status, sizeof(vbr->status));
	in++;

	spin_lock_irqsave(&vbq->lock, flags);
	err = virtqueue_add_sgs(vbq->vq, vbr->sg, out, in, rq, GFP_ATOMIC);
	if (err) {
		spin_unlock_irqrestore(&vbq->lock, flags);
		/* A full ring frees up as requests complete; a broken queue never will. */
		return err == -ENOSPC ? -EBUSY : -EIO;
	}
	notify = virtqueue_kick_prepare(vbq->vq);
	spin_unlock_irqrestore(&vbq->lock, flags);
	if (notify)
		virtqueue_notify(vbq->vq);
	return 0;
}

static const struct blk_mq_ops virtblk_mq_ops = {
	.queue_rq = virtblk_queue_rq,
};

/* "vd" + a, b, ... z, aa, ab ...: Linux's sd/vd naming. */
static void virtblk_name(char *buf, size_t size, unsigned int index)
{
	char tmp[8];
	int n = 0;

	do {
		tmp[n++] = (char)('a' + index % 26);
		index = index / 26;
	} while (index-- && n < 7);
	snprintf(buf, size, "vd");
	for (int i = 2; n > 0 && (size_t)i < size - 1; i++)
		buf[i] = tmp[--n], buf[i + 1] = '\0';
}

#define VIRTBLK_CFG(field) offsetof(struct virtio_blk_config, field)

/* Reads the limits the device offers; bad values are ignored with a message. */
static void virtblk_read_limits(struct virtio_blk *vblk, struct queue_limits *lim,
				unsigned int ring_size)
{
	struct virtio_device *vdev = vblk->vdev;
	u32 v;

	lim->max_segments = VIRTBLK_MAX_SEGS;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SEG_MAX) &&
	    !virtio_cread32(vdev, VIRTBLK_CFG(seg_max), &v)) {
		if (v >= 1)
			lim->max_segments = min(v, (u32)VIRTBLK_MAX_SEGS);
		else
			virtio_dev_err(vdev, "seg_max 0 ignored");
	}
	/* Without indirect descriptors a chain takes header + data + status ring slots. */
	if (!virtio_has_feature(vdev, VIRTIO_F_RING_INDIRECT_DESC) && ring_size > 2)
		lim->max_segments = min(lim->max_segments, ring_size - 2);
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_SIZE_MAX) &&
	    !virtio_cread32(vdev, VIRTBLK_CFG(size_max), &v)) {
		if (v >= SECTOR_SIZE)
			lim->max_segment_size = min(v, lim->max_segment_size);
		else
			virtio_dev_err(vdev, "size_max %u ignored", v);
	}
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_BLK_SIZE) &&
	    !virtio_cread32(vdev, VIRTBLK_CFG(blk_size), &v)) {
		if (v >= SECTOR_SIZE && v <= PAGE_SIZE && !(v & (v - 1)))
			lim->logical_block_size = lim->physical_block_size = v;
		else
			virtio_dev_err(vdev, "blk_size %u ignored (512 used)", v);
	}
	/* A request must fit max_segments pieces even when each is the smallest. */
	lim->max_sectors = min(lim->max_sectors,
			       lim->max_segments * (min(lim->max_segment_size, (unsigned int)PAGE_SIZE) /
						    SECTOR_SIZE));
	vblk->max_segs = lim->max_segments;
}

static unsigned int virtblk_nr_queues(struct virtio_device *vdev)
{
	u16 nq;

	if (!virtio_has_feature(vdev, VIRTIO_BLK_F_MQ))
		return 1;
	if (virtio_cread16(vdev, VIRTBLK_CFG(num_queues), &nq) || nq == 0) {
		virtio_dev_err(vdev, "num_queues 0 or unreadable: one queue");
		return 1;
	}
	return min(min((unsigned int)nq, max(nr_cpus_online, 1U)), (unsigned int)VIRTBLK_MAX_QUEUES);
}

static int virtblk_probe(struct virtio_device *vdev)
{
	struct virtqueue_info info[VIRTBLK_MAX_QUEUES];
	struct virtqueue *vqs[VIRTBLK_MAX_QUEUES];
	struct virtio_blk *vblk;
	struct queue_limits lim;
	struct gendisk *disk;
	u64 capacity;
	int err;

	if (virtio_cread64(vdev, VIRTBLK_CFG(capacity), &capacity))
		return -EIO;
	if (capacity > VIRTBLK_MAX_CAPACITY) {
		virtio_dev_err(vdev, "capacity %llu sectors is not believable", (unsigned long long)capacity);
		return -EINVAL;
	}
	vblk = kzalloc(sizeof(*vblk), GFP_KERNEL);
	if (!vblk)
		return -ENOMEM;
	vblk->vdev = vdev;
	vdev->priv = vblk;
	vblk->num_vqs = virtblk_nr_queues(vdev);
	for (unsigned int i = 0; i < vblk->num_vqs; i++) {
		spin_lock_init(&vblk->vqs[i].lock);
		snprintf(vblk->vqs[i].name, sizeof(vblk->vqs[i].name), "req.%u", i);
		info[i].name = vblk->vqs[i].name;
		info[i].callback = virtblk_done;
	}
	err = virtio_find_vqs(vdev, vblk->num_vqs, vqs, info);
	if (err)
		goto out_free;
	for (unsigned int i = 0; i < vblk->num_vqs; i++)
		vblk->vqs[i].vq = vqs[i];

	lim = (struct queue_limits){ .logical_block_size = SECTOR_SIZE,
				     .physical_block_size = SECTOR_SIZE,
				     .max_sectors = 2048, .max_segment_size = 65536 };
	virtblk_read_limits(vblk, &lim, virtqueue_get_vring_size(vqs[0]));
	vblk->q = blk_mq_alloc_queue(&virtblk_mq_ops, vblk->num_vqs,
				     sizeof(struct virtblk_req) +
					     (vblk->max_segs + 2) * sizeof(struct virtio_sg) +
					     vblk->max_segs * sizeof(struct blk_seg));
	err = -ENOMEM;
	if (!vblk->q)
		goto out_del_vqs;
	vblk->q->limits = lim;
	vblk->q->queuedata = vblk;
	if (virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH))
		vblk->q->flags |= QUEUE_FLAG_WC;
	disk = blk_alloc_disk(vblk->q);
	if (!disk)
		goto out_free_queue;
	vblk->disk = disk;
	virtblk_name(disk->disk_name, sizeof(disk->disk_name), virtblk_index);
	disk->major = VIRTBLK_MAJOR;
	disk->first_minor = virtblk_index * VIRTBLK_MINORS;
	disk->read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	disk->private_data = vblk;
	/* The capacity counts 512-byte sectors; a partial logical block at the end is unusable. */
	capacity &= ~(u64)(lim.logical_block_size / SECTOR_SIZE - 1);
	set_capacity(disk, capacity);
	virtblk_index++;
	/* add_disk reads the partition table: the device must be live first. */
	virtio_device_ready(vdev);
	err = add_disk(disk);
	if (err) {
		virtio_dev_err(vdev, "add_disk failed (%d)", err);
		virtio_reset_device(vdev);
		goto out_free_disk;
	}
	return 0;

out_free_disk:
	kfree(disk->part0);
	kfree(disk);
out_free_queue:
	blk_mq_free_queue(vblk->q);
out_del_vqs:
	vdev->config->del_vqs(vdev);
out_free:
	kfree(vblk);
	vdev->priv = NULL;
	return err;
}

static void virtblk_config_changed(struct virtio_device *vdev)
{
	struct virtio_blk *vblk = vdev->priv;

	if (vblk && virtio_device_is_broken(vdev))
		virtblk_fail_all(vblk);
}

static const struct virtio_device_id virtblk_id_table[] = {
	{ VIRTIO_ID_BLOCK, VIRTIO_DEV_ANY_ID },
	{ 0, 0 },
};

static const unsigned int virtblk_features[] = {
	VIRTIO_BLK_F_SIZE_MAX, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_RO,
	VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH,  VIRTIO_BLK_F_MQ,
};

static struct virtio_driver virtio_blk_driver = {
	.name = "virtio_blk",
	.id_table = virtblk_id_table,
	.feature_table = virtblk_features,
	.feature_table_size = ARRAY_SIZE(virtblk_features),
	.probe = virtblk_probe,
	.config_changed = virtblk_config_changed,
};

static int virtio_blk_init(void)
{
	return register_virtio_driver(&virtio_blk_driver);
}
device_initcall(virtio_blk_init);
