// SPDX-License-Identifier: MIT
/*
 * The virtio core (drivers/virtio/virtio.c, virtio_ring.c) against a simulated
 * device: a transport whose config ops are plain memory, and a device that
 * consumes the avail ring and writes the used ring the way a real one does
 * (or the way a broken or hostile one would).
 */
#include <exo/err.h>
#include <exo/slab.h>
#include <exo/virtio.h>
#include <uapi/errno.h>
#include <uapi/virtio_ids.h>
#include "../drivers/virtio/internal.h"
#include "test_mm.h"
#include <string.h>

#define ARENA (64 * MB)
#define SIM_CFG_LEN 32
#define SIM_MAX_PENDING 1024
#define DEV_F_A 5
#define DEV_F_B 6

struct sim_done {
	u32 id, len;
};

struct sim {
	struct virtio_device vdev;
	/* transport */
	u8 status;
	u8 status_log[16];
	unsigned int nstatus;
	unsigned int resets;
	bool reset_hangs, refuse_features, gen_forever, notify_fails;
	u64 offered, accepted;
	u8 cfg[SIM_CFG_LEN];
	u32 gen;
	unsigned int qsize;
	/* device */
	struct virtqueue *vq;
	u16 last_avail, used_idx;
	struct sim_done pending[SIM_MAX_PENDING];
	unsigned int npending;
	unsigned int notifies, interrupts, callbacks, config_changes;
	bool indirect_seen;
	bool device_wants_every_kick;
};

static struct sim *to_sim(struct virtio_device *vdev)
{
	return container_of(vdev, struct sim, vdev);
}

static void *sim_phys(phys_addr_t addr, unsigned long len)
{
	CHECK(addr < ARENA && len <= ARENA - addr);
	return phys_to_virt(addr);
}

static void sim_get(struct virtio_device *vdev, unsigned int off, void *buf, unsigned int len)
{
	CHECK(off + len <= SIM_CFG_LEN);
	memcpy(buf, to_sim(vdev)->cfg + off, len);
}

static void sim_set(struct virtio_device *vdev, unsigned int off, const void *buf,
		    unsigned int len)
{
	CHECK(off + len <= SIM_CFG_LEN);
	memcpy(to_sim(vdev)->cfg + off, buf, len);
}

static u32 sim_generation(struct virtio_device *vdev)
{
	struct sim *s = to_sim(vdev);

	return s->gen_forever ? s->gen++ : s->gen;
}

static u8 sim_get_status(struct virtio_device *vdev)
{
	return to_sim(vdev)->status;
}

static void sim_set_status(struct virtio_device *vdev, u8 status)
{
	struct sim *s = to_sim(vdev);

	CHECK(status);	/* 0 is a reset, which goes through ->reset */
	if (s->nstatus < ARRAY_SIZE(s->status_log))
		s->status_log[s->nstatus++] = status;
	if (s->refuse_features)
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	s->status = status | (s->status & VIRTIO_CONFIG_S_NEEDS_RESET);
}

static int sim_reset(struct virtio_device *vdev)
{
	struct sim *s = to_sim(vdev);

	s->resets++;
	if (s->reset_hangs)
		return -ETIMEDOUT;
	s->status = 0;
	s->last_avail = s->used_idx = 0;
	s->npending = 0;
	return 0;
}

static u64 sim_get_features(struct virtio_device *vdev)
{
	return to_sim(vdev)->offered;
}

static int sim_finalize_features(struct virtio_device *vdev)
{
	struct sim *s = to_sim(vdev);

	/* The core never writes a feature the device did not offer. */
	CHECK((vdev->features & ~s->offered) == 0);
	s->accepted = vdev->features;
	return 0;
}

static bool sim_notify(struct virtqueue *vq)
{
	struct sim *s = to_sim(vq->vdev);

	s->notifies++;
	return !s->notify_fails;
}

static int sim_find_vqs(struct virtio_device *vdev, unsigned int nvqs, struct virtqueue *vqs[],
			const struct virtqueue_info info[])
{
	struct sim *s = to_sim(vdev);

	CHECK(nvqs == 1);
	vqs[0] = vring_create_virtqueue(0, s->qsize, vdev, sim_notify, info[0].callback,
					info[0].name);
	if (IS_ERR(vqs[0]))
		return PTR_ERR(vqs[0]);
	s->vq = vqs[0];
	return 0;
}

static void sim_del_vqs(struct virtio_device *vdev)
{
	struct virtqueue *vq, *n;

	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		vring_del_virtqueue(vq);
	to_sim(vdev)->vq = NULL;
}

static const struct virtio_config_ops sim_ops = {
	.get = sim_get,
	.set = sim_set,
	.generation = sim_generation,
	.get_status = sim_get_status,
	.set_status = sim_set_status,
	.reset = sim_reset,
	.find_vqs = sim_find_vqs,
	.del_vqs = sim_del_vqs,
	.get_features = sim_get_features,
	.finalize_features = sim_finalize_features,
};

/* --- the device side of the ring --- */

static struct virtq_desc *sim_desc(struct sim *s)
{
	return sim_phys(virtqueue_get_desc_addr(s->vq), VIRTQ_DESC_SIZE(s->qsize));
}

static struct virtq_avail *sim_avail(struct sim *s)
{
	return sim_phys(virtqueue_get_avail_addr(s->vq), VIRTQ_AVAIL_SIZE(s->qsize));
}

static struct virtq_used *sim_used(struct sim *s)
{
	return sim_phys(virtqueue_get_used_addr(s->vq), VIRTQ_USED_SIZE(s->qsize));
}

static u16 *sim_avail_event(struct sim *s)
{
	return (u16 *)&sim_used(s)->ring[s->qsize];
}

static u16 sim_used_event(struct sim *s)
{
	return sim_avail(s)->ring[s->qsize];
}

static unsigned char pat(unsigned long seed, unsigned long i)
{
	return (unsigned char)(seed * 131 + i * 7 + 1);
}

/* Handles one descriptor: readable ones are checked, writable ones filled. */
static u32 sim_one_desc(const struct virtq_desc *d, unsigned long seed, unsigned long *off)
{
	unsigned char *p = sim_phys(d->addr, d->len);
	unsigned long i;

	if (d->flags & VIRTQ_DESC_F_WRITE) {
		for (i = 0; i < d->len; i++)
			p[i] = pat(seed, *off + i);
		*off += d->len;
		return d->len;
	}
	for (i = 0; i < d->len; i++)
		CHECK(p[i] == (unsigned char)(seed + i));
	return 0;
}

/* Consumes up to @max available chains into the device's pending list. */
static unsigned int sim_consume(struct sim *s, unsigned int max)
{
	struct virtq_avail *avail = sim_avail(s);
	struct virtq_desc *desc = sim_desc(s);
	unsigned int n = 0;

	while (n < max && s->last_avail != READ_ONCE(avail->idx)) {
		u16 head = avail->ring[s->last_avail % s->qsize];
		struct virtq_desc *d = &desc[head];
		unsigned long off = 0, seed = head;
		unsigned int steps = 0;
		u32 written = 0;

		CHECK(head < s->qsize);
		if (d->flags & VIRTQ_DESC_F_INDIRECT) {
			struct virtq_desc *t = sim_phys(d->addr, d->len);
			unsigned int i = 0;

			s->indirect_seen = true;
			CHECK(!(d->flags & VIRTQ_DESC_F_NEXT) && d->len % 16 == 0);
			for (;;) {
				CHECK(i < d->len / 16);
				seed = t[0].addr;
				written += sim_one_desc(&t[i], seed, &off);
				if (!(t[i].flags & VIRTQ_DESC_F_NEXT))
					break;
				i = t[i].next;
			}
		} else {
			seed = d->addr;
			for (;;) {
				CHECK(++steps <= s->qsize);
				written += sim_one_desc(d, seed, &off);
				if (!(d->flags & VIRTQ_DESC_F_NEXT))
					break;
				CHECK(d->next < s->qsize);
				d = &desc[d->next];
			}
		}
		CHECK(s->npending < SIM_MAX_PENDING);
		s->pending[s->npending++] = (struct sim_done){ head, written };
		s->last_avail++;
		n++;
	}
	if (s->device_wants_every_kick)
		WRITE_ONCE(*sim_avail_event(s), s->last_avail);
	return n;
}

/* Writes one used entry as given and interrupts if the driver wants it. */
static void sim_push_used(struct sim *s, u32 id, u32 len, bool event)
{
	struct virtq_used *used = sim_used(s);
	u16 old = s->used_idx;
	bool irq;

	used->ring[s->used_idx % s->qsize] = (struct virtq_used_elem){ id, len };
	s->used_idx++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(used->idx, s->used_idx);
	if (event)
		irq = vring_need_event(sim_used_event(s), s->used_idx, old);
	else
		irq = !(READ_ONCE(sim_avail(s)->flags) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	if (irq) {
		s->interrupts++;
		vring_interrupt(s->vq);
	}
}

/* Completes the oldest @n pending chains. */
static void sim_complete(struct sim *s, unsigned int n)
{
	bool event = virtio_has_feature(&s->vdev, VIRTIO_F_RING_EVENT_IDX);
	unsigned int i;

	CHECK(n <= s->npending);
	for (i = 0; i < n; i++)
		sim_push_used(s, s->pending[i].id, s->pending[i].len, event);
	memmove(s->pending, s->pending + n, (s->npending - n) * sizeof(s->pending[0]));
	s->npending -= n;
}

/* --- the driver under test --- */

static struct sim *the_sim;

static void drv_callback(struct virtqueue *vq)
{
	to_sim(vq->vdev)->callbacks++;
}

static int drv_probe(struct virtio_device *vdev)
{
	static const struct virtqueue_info info[] = { { "requests", drv_callback } };
	struct virtqueue *vqs[1];
	u32 v;
	int err;

	/* At probe, features are agreed and DRIVER_OK is not set yet (3.1.1). */
	CHECK(to_sim(vdev)->status & VIRTIO_CONFIG_S_FEATURES_OK);
	CHECK(!(to_sim(vdev)->status & VIRTIO_CONFIG_S_DRIVER_OK));
	err = virtio_cread32(vdev, 0, &v);
	if (err)
		return err;
	return virtio_find_vqs(vdev, 1, vqs, info);
}

static void drv_remove(struct virtio_device *vdev)
{
	virtio_reset_device(vdev);
	vdev->config->del_vqs(vdev);
}

static void drv_config_changed(struct virtio_device *vdev)
{
	to_sim(vdev)->config_changes++;
}

static const unsigned int drv_features[] = { DEV_F_A, VIRTIO_F_RING_PACKED };
static const struct virtio_device_id drv_ids[] = { { VIRTIO_ID_BLOCK, VIRTIO_DEV_ANY_ID }, { 0 } };
static struct virtio_driver test_driver = {
	.name = "test",
	.id_table = drv_ids,
	.feature_table = drv_features,
	.feature_table_size = ARRAY_SIZE(drv_features),
	.probe = drv_probe,
	.remove = drv_remove,
	.config_changed = drv_config_changed,
};

/* A fresh machine and device offering @ring_features (bit mask) on a queue of @qsize. */
static struct sim *sim_new(u64 ring_features, unsigned int qsize)
{
	struct sim *s;

	test_boot(ARENA, false);
	slab_init();
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	CHECK(s);
	virtio_device_init(&s->vdev);
	strcpy(s->vdev.name, "virtio-sim");
	s->vdev.config = &sim_ops;
	s->vdev.config_len = SIM_CFG_LEN;
	s->vdev.id.device = VIRTIO_ID_BLOCK;
	s->offered = (1ULL << VIRTIO_F_VERSION_1) | (1ULL << DEV_F_A) | (1ULL << DEV_F_B) |
		     ring_features;
	s->qsize = qsize;
	s->status = 0x55;	/* whatever firmware left: the core must reset first */
	the_sim = s;
	return s;
}

static struct sim *sim_probed(u64 ring_features, unsigned int qsize)
{
	struct sim *s = sim_new(ring_features, qsize);

	CHECK(virtio_device_probe(&s->vdev, &test_driver) == 0);
	CHECK(s->vq && !virtqueue_is_broken(s->vq));
	return s;
}

#define F_INDIRECT (1ULL << VIRTIO_F_RING_INDIRECT_DESC)
#define F_EVENT (1ULL << VIRTIO_F_RING_EVENT_IDX)

struct req {
	unsigned char *buf[8];
	u32 len[8];
	unsigned int out, in;
	u32 in_total;
	bool done;
};

/* Builds a request of @out readable and @in writable pieces with content checks. */
static struct req *req_new(unsigned int out, unsigned int in, struct virtio_sg *sg)
{
	struct req *r = kzalloc(sizeof(*r), GFP_KERNEL);
	unsigned int i, j;
	unsigned long seed = 0;

	CHECK(r && out + in <= 8);
	r->out = out;
	r->in = in;
	for (i = 0; i < out + in; i++) {
		r->len[i] = 1 + test_rand() % 300;
		r->buf[i] = kmalloc(r->len[i], GFP_KERNEL);
		CHECK(r->buf[i]);
		virtio_sg_init(&sg[i], r->buf[i], r->len[i]);
		if (i == 0)
			seed = sg[0].addr;
		if (i < out)
			for (j = 0; j < r->len[i]; j++)
				r->buf[i][j] = (unsigned char)(seed + j);
		else
			r->in_total += r->len[i];
	}
	return r;
}

static void req_free(struct req *r)
{
	unsigned int i;

	for (i = 0; i < r->out + r->in; i++)
		kfree(r->buf[i]);
	kfree(r);
}

/* Checks what the device wrote (the device fills writable pieces with pat(seed, offset)). */
static void req_check_free(struct req *r, u32 len, unsigned long seed)
{
	unsigned long off = 0;
	unsigned int i, j;

	CHECK(len == r->in_total);
	for (i = r->out; i < r->out + r->in; i++)
		for (j = 0; j < r->len[i]; j++, off++)
			CHECK(r->buf[i][j] == pat(seed, off));
	req_free(r);
}

/* Adds, kicks, lets the device run, takes everything back; @rounds times. */
static void roundtrips(struct sim *s, unsigned long rounds, bool expect_indirect)
{
	unsigned long done = 0, added = 0;
	struct virtio_sg sg[8];
	unsigned int free0 = s->vq->num_free;

	while (done < rounds) {
		unsigned int burst = 1 + test_rand() % s->qsize, k;

		for (k = 0; k < burst && added < rounds; k++) {
			unsigned int out = test_rand() % 4, in = test_rand() % 4;
			struct req *r;
			int err;

			if (!out && !in)
				out = 1;
			r = req_new(out, in, sg);
			err = virtqueue_add_sgs(s->vq, sg, out, in, r, GFP_KERNEL);
			if (err == -ENOSPC) {
				req_free(r);
				break;
			}
			CHECK(err == 0);
			added++;
		}
		virtqueue_kick(s->vq);
		sim_consume(s, ~0u);
		sim_complete(s, s->npending);
		for (;;) {
			unsigned int len;
			struct req *r = virtqueue_get_buf(s->vq, &len);

			if (!r)
				break;
			req_check_free(r, len, virt_to_phys(r->buf[0]));
			done++;
		}
		CHECK(!virtqueue_is_broken(s->vq));
	}
	CHECK(s->vq->num_free == free0);
	CHECK(s->indirect_seen == expect_indirect);
}

TEST(virtio_init_order_and_features)
{
	struct sim *s = sim_probed(F_INDIRECT | F_EVENT | (1ULL << VIRTIO_F_RING_PACKED), 16);
	static const u8 order[] = {
		VIRTIO_CONFIG_S_ACKNOWLEDGE,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK,
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
			VIRTIO_CONFIG_S_DRIVER_OK,
	};

	CHECK(s->resets == 1);
	CHECK(s->nstatus == ARRAY_SIZE(order));
	CHECK(memcmp(s->status_log, order, sizeof(order)) == 0);
	/* The driver's A, not B (not asked for); the core's ring bits; never packed. */
	CHECK(s->accepted == ((1ULL << VIRTIO_F_VERSION_1) | (1ULL << DEV_F_A) | F_INDIRECT |
			      F_EVENT));
	CHECK(s->vdev.driver == &test_driver);
	CHECK(virtio_driver_match(&test_driver, &s->vdev));
	s->vdev.id.device = VIRTIO_ID_NET;
	CHECK(!virtio_driver_match(&test_driver, &s->vdev));
	virtio_device_remove(&s->vdev);
	CHECK(s->status == 0 && list_empty(&s->vdev.vqs));
}

TEST(virtio_features_refused_fails_device)
{
	struct sim *s = sim_new(0, 16);

	s->refuse_features = true;
	CHECK(virtio_device_probe(&s->vdev, &test_driver) == -ENODEV);
	CHECK(s->status & VIRTIO_CONFIG_S_FAILED);
	CHECK(!s->vq && !s->vdev.driver);
}

TEST(virtio_legacy_device_rejected)
{
	struct sim *s = sim_new(0, 16);

	s->offered &= ~(1ULL << VIRTIO_F_VERSION_1);
	CHECK(virtio_device_probe(&s->vdev, &test_driver) == -ENODEV);
	CHECK(s->status & VIRTIO_CONFIG_S_FAILED);
	CHECK(s->nstatus == 3);	/* ACKNOWLEDGE, DRIVER, FAILED: never FEATURES_OK */
}

TEST(virtio_reset_timeout_fails_probe)
{
	struct sim *s = sim_new(0, 16);

	s->reset_hangs = true;
	CHECK(virtio_device_probe(&s->vdev, &test_driver) == -ETIMEDOUT);
	CHECK(s->nstatus == 0);
}

TEST(virtqueue_roundtrip_direct_wraps_index)
{
	struct sim *s = sim_probed(0, 64);

	/* 70000 buffers: the free-running indexes wrap past 65535. */
	roundtrips(s, 70000, false);
	CHECK(s->used_idx == (u16)70000);
}

TEST(virtqueue_roundtrip_indirect)
{
	struct sim *s = sim_probed(F_INDIRECT, 8);
	struct virtio_sg sg[8];
	struct req *r;

	/* A chain of 6 takes one ring slot when indirect. */
	r = req_new(3, 3, sg);
	CHECK(virtqueue_add_sgs(s->vq, sg, 3, 3, r, GFP_KERNEL) == 0);
	CHECK(s->vq->num_free == 7);
	sim_consume(s, ~0u);
	sim_complete(s, 1);
	{
		unsigned int len;

		CHECK(virtqueue_get_buf(s->vq, &len) == r);
		req_check_free(r, len, virt_to_phys(r->buf[0]));
	}
	CHECK(s->vq->num_free == 8);
	roundtrips(s, 70000, true);
}

TEST(virtqueue_refuses_bad_chains)
{
	struct sim *s = sim_probed(0, 4);
	struct virtio_sg sg[8];
	struct req *r = req_new(3, 2, sg);
	int tok;

	CHECK(virtqueue_add_sgs(s->vq, sg, 3, 2, r, GFP_KERNEL) == -EINVAL);	/* 5 > 4 */
	CHECK(virtqueue_add_sgs(s->vq, sg, 0, 0, r, GFP_KERNEL) == -EINVAL);
	CHECK(virtqueue_add_sgs(s->vq, sg, 1, 0, NULL, GFP_KERNEL) == -EINVAL);
	CHECK(virtqueue_add_sgs(s->vq, sg, 3, 0, &tok, GFP_KERNEL) == 0);
	CHECK(virtqueue_add_sgs(s->vq, sg, 2, 0, r, GFP_KERNEL) == -ENOSPC);
	CHECK(!virtqueue_is_broken(s->vq));
}

TEST(virtqueue_event_idx_kick_suppression)
{
	struct sim *s = sim_probed(F_EVENT, 16);
	struct virtio_sg sg[8];
	int tok[8];

	req_new(1, 0, sg);
	/* avail_event is 0: the device wants to hear about the entry at index 0. */
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[0], GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 1);
	/* It has not moved avail_event: no more notifications while it works. */
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[1], GFP_KERNEL) == 0);
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[2], GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 1);
	/* It caught up and asks for the next one (index 3). */
	s->device_wants_every_kick = true;
	sim_consume(s, ~0u);
	CHECK(*sim_avail_event(s) == 3);
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[3], GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 2);
	/* Asks for index 10: the driver adds 4-9 without a notification, then 10 crosses it. */
	WRITE_ONCE(*sim_avail_event(s), 10);
	for (int i = 4; i < 10; i++) {
		CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[i % 8], GFP_KERNEL) == 0);
		CHECK(virtqueue_kick(s->vq) && s->notifies == 2);
	}
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[0], GFP_KERNEL) == 0);
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok[1], GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 3);	/* one kick for two buffers */
}

TEST(virtqueue_no_notify_flag_without_event_idx)
{
	struct sim *s = sim_probed(0, 16);
	struct virtio_sg sg[8];
	int tok;

	req_new(1, 0, sg);
	sim_used(s)->flags = VIRTQ_USED_F_NO_NOTIFY;
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok, GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 0);
	sim_used(s)->flags = 0;
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok, GFP_KERNEL) == 0);
	CHECK(virtqueue_kick(s->vq) && s->notifies == 1);
}

/* Fills the queue with @n one-piece writable buffers and lets the device take them. */
static void fill_consume(struct sim *s, unsigned int n, void **toks)
{
	struct virtio_sg sg[8];
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct req *r = req_new(0, 1, sg);

		toks[i] = r;
		CHECK(virtqueue_add_inbuf(s->vq, sg, 1, r, GFP_KERNEL) == 0);
	}
	virtqueue_kick(s->vq);
	CHECK(sim_consume(s, ~0u) == n);
}

static void interrupt_suppression(u64 features)
{
	struct sim *s = sim_probed(features, 16);
	void *toks[16];
	unsigned int len;

	fill_consume(s, 12, toks);
	/* Callbacks on: the first completion interrupts. */
	sim_complete(s, 1);
	CHECK(s->interrupts == 1 && s->callbacks == 1);
	CHECK(virtqueue_get_buf(s->vq, &len) == toks[0]);
	/* Off: completions do not interrupt. */
	virtqueue_disable_cb(s->vq);
	sim_complete(s, 3);
	CHECK(s->interrupts == 1);
	/* Turning them on with work waiting says so: that work gets no interrupt. */
	CHECK(!virtqueue_enable_cb(s->vq));
	for (int i = 1; i < 4; i++)
		CHECK(virtqueue_get_buf(s->vq, &len) == toks[i]);
	CHECK(virtqueue_get_buf(s->vq, &len) == NULL);
	CHECK(virtqueue_enable_cb(s->vq));
	sim_complete(s, 1);
	CHECK(s->interrupts == 2 && s->callbacks == 2);
	CHECK(virtqueue_get_buf(s->vq, &len) == toks[4]);
	if (features & F_EVENT) {
		/* Delayed: 7 outstanding, an interrupt only after about 3/4 of them (5). */
		CHECK(virtqueue_enable_cb_delayed(s->vq));
		sim_complete(s, 5);
		CHECK(s->interrupts == 2);
		sim_complete(s, 1);
		CHECK(s->interrupts == 3);
	}
	/* A spurious interrupt with nothing used is not ours. */
	while (virtqueue_get_buf(s->vq, &len))
		;
	CHECK(!vring_interrupt(s->vq));
}

TEST(virtqueue_interrupt_suppression_event_idx)
{
	interrupt_suppression(F_EVENT);
}

TEST(virtqueue_interrupt_suppression_flags)
{
	interrupt_suppression(0);
}

/* The driver takes the device's bad completion: no buffer comes back. */
static void get_none(struct sim *s)
{
	unsigned int len = 12345;

	CHECK(virtqueue_get_buf(s->vq, &len) == NULL);
	CHECK(len == 12345);
}

/* The device has broken the queue: everything reports it and nothing crashes. */
static void check_broken(struct sim *s)
{
	struct virtio_sg sg[8];
	unsigned int len;
	u32 v;
	int tok;

	CHECK(virtqueue_is_broken(s->vq));
	CHECK(virtio_device_is_broken(&s->vdev));
	CHECK(s->status & VIRTIO_CONFIG_S_FAILED);
	CHECK(s->vdev.err_logged == 1);
	CHECK(virtqueue_get_buf(s->vq, &len) == NULL);
	req_new(1, 0, sg);
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok, GFP_KERNEL) == -EIO);
	CHECK(!virtqueue_kick(s->vq));
	CHECK(virtio_cread32(&s->vdev, 0, &v) == -EIO);
	/* Teardown: reset, every buffer comes back, memory is freed. */
	CHECK(virtio_reset_device(&s->vdev) == 0);
	while (virtqueue_detach_unused_buf(s->vq))
		;
	CHECK(s->vq->num_free == s->qsize);
	drv_remove(&s->vdev);
}

TEST(hostile_used_id_out_of_range)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[4];

	fill_consume(s, 4, toks);
	sim_push_used(s, 8, 0, false);
	get_none(s);
	check_broken(s);
}

TEST(hostile_used_id_not_in_flight)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[4];

	fill_consume(s, 2, toks);	/* heads 0 and 1 */
	sim_push_used(s, 5, 0, false);
	get_none(s);
	check_broken(s);
}

TEST(hostile_used_id_inside_a_chain)
{
	struct sim *s = sim_probed(0, 8);
	struct virtio_sg sg[8];
	struct req *r = req_new(1, 2, sg);

	CHECK(virtqueue_add_sgs(s->vq, sg, 1, 2, r, GFP_KERNEL) == 0);	/* descriptors 0-2 */
	virtqueue_kick(s->vq);
	sim_push_used(s, 1, 0, false);	/* not a head */
	get_none(s);
	check_broken(s);
}

TEST(hostile_double_completion)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[4];
	unsigned int len;

	fill_consume(s, 2, toks);
	sim_complete(s, 1);
	CHECK(virtqueue_get_buf(s->vq, &len) == toks[0]);
	CHECK(s->pending[0].id == 1);
	sim_push_used(s, 0, 0, false);	/* head 0 again */
	get_none(s);
	check_broken(s);
}

TEST(hostile_used_len_too_large)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[4];

	fill_consume(s, 1, toks);
	sim_push_used(s, s->pending[0].id, ((struct req *)toks[0])->in_total + 1, false);
	get_none(s);
	check_broken(s);
}

TEST(hostile_used_len_on_read_only_buffer)
{
	struct sim *s = sim_probed(F_INDIRECT, 8);
	struct virtio_sg sg[8];
	struct req *r = req_new(2, 0, sg);

	CHECK(virtqueue_add_outbuf(s->vq, sg, 2, r, GFP_KERNEL) == 0);
	virtqueue_kick(s->vq);
	sim_consume(s, ~0u);
	sim_push_used(s, 0, 1, false);
	get_none(s);
	check_broken(s);
}

TEST(hostile_used_idx_jumps)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[4];

	fill_consume(s, 4, toks);
	sim_complete(s, 1);
	/* One real entry, and an index claiming 6 done of the 4 in flight (within the ring's 8). */
	WRITE_ONCE(sim_used(s)->idx, (u16)(s->used_idx + 5));
	{
		unsigned int len;

		CHECK(virtqueue_get_buf(s->vq, &len) == NULL);
	}
	check_broken(s);
}

TEST(hostile_used_idx_jumps_by_more_than_ring)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[8];
	unsigned int len;

	fill_consume(s, 8, toks);
	WRITE_ONCE(sim_used(s)->idx, 9);
	CHECK(virtqueue_get_buf(s->vq, &len) == NULL);
	check_broken(s);
}

TEST(hostile_device_scribbles_on_descriptors)
{
	struct sim *s = sim_probed(F_INDIRECT, 8);
	struct virtio_sg sg[8];
	struct req *r[4];
	unsigned int i, j, len;

	for (i = 0; i < 4; i++) {
		r[i] = req_new(1 + i % 2, 2, sg);
		CHECK(virtqueue_add_sgs(s->vq, sg, 1 + i % 2, 2, r[i], GFP_KERNEL) == 0);
	}
	virtqueue_kick(s->vq);
	sim_consume(s, ~0u);
	/* Garbage over every indirect table and the descriptor table. */
	for (i = 0; i < 8; i++) {
		struct virtq_desc *d = &sim_desc(s)[i];

		if (d->flags & VIRTQ_DESC_F_INDIRECT) {
			unsigned char *t = sim_phys(d->addr, d->len);

			for (j = 0; j < d->len; j++)
				t[j] = (unsigned char)test_rand();
		}
	}
	for (i = 0; i < 8; i++)
		for (j = 0; j < sizeof(struct virtq_desc); j++)
			((unsigned char *)&sim_desc(s)[i])[j] = (unsigned char)test_rand();
	/* The completions themselves are valid: the driver must not care. */
	sim_complete(s, 4);
	for (i = 0; i < 4; i++) {
		struct req *got = virtqueue_get_buf(s->vq, &len);

		CHECK(got == r[i] && len == got->in_total);
	}
	CHECK(!virtqueue_is_broken(s->vq) && s->vq->num_free == 8);
	/* The free list (kept privately) is intact: the ring still works. */
	roundtrips(s, 2000, true);
}

TEST(hostile_device_scribbles_on_direct_chains)
{
	struct sim *s = sim_probed(0, 8);
	struct virtio_sg sg[8];
	struct req *r[2];
	unsigned int i, j, len;

	for (i = 0; i < 2; i++) {
		r[i] = req_new(2, 2, sg);
		CHECK(virtqueue_add_sgs(s->vq, sg, 2, 2, r[i], GFP_KERNEL) == 0);
	}
	virtqueue_kick(s->vq);
	sim_consume(s, ~0u);
	for (i = 0; i < 8; i++)
		for (j = 0; j < sizeof(struct virtq_desc); j++)
			((unsigned char *)&sim_desc(s)[i])[j] = 0xff;
	sim_complete(s, 2);
	for (i = 0; i < 2; i++)
		CHECK(virtqueue_get_buf(s->vq, &len) == r[i]);
	CHECK(s->vq->num_free == 8);
	roundtrips(s, 2000, false);
}

TEST(hostile_config_generation_never_settles)
{
	struct sim *s = sim_probed(0, 8);
	u32 v;

	s->gen_forever = true;
	s->gen = 0;
	CHECK(virtio_cread32(&s->vdev, 4, &v) == -EIO);
	CHECK(s->gen <= 2 * VIRTIO_CONFIG_RETRIES);	/* bounded */
	check_broken(s);
}

TEST(hostile_config_generation_at_probe)
{
	struct sim *s = sim_new(0, 8);

	s->gen_forever = true;
	CHECK(virtio_device_probe(&s->vdev, &test_driver) == -EIO);
	CHECK(s->status & VIRTIO_CONFIG_S_FAILED);
	CHECK(!s->vdev.driver);
}

TEST(virtio_config_reads)
{
	struct sim *s = sim_probed(0, 8);
	u64 v64;
	u32 v;
	u16 v16;

	for (unsigned int i = 0; i < SIM_CFG_LEN; i++)
		s->cfg[i] = (u8)(i + 1);
	CHECK(virtio_cread32(&s->vdev, 4, &v) == 0 && v == 0x08070605);
	CHECK(virtio_cread16(&s->vdev, 30, &v16) == 0 && v16 == 0x201f);
	CHECK(virtio_cread64(&s->vdev, 0, &v64) == 0 && v64 == 0x0807060504030201ULL);
	CHECK(virtio_cread32(&s->vdev, SIM_CFG_LEN - 2, &v) == -EINVAL);
	CHECK(virtio_cread32(&s->vdev, 0xfffffffe, &v) == -EINVAL);
	CHECK(virtio_cwrite_bytes(&s->vdev, SIM_CFG_LEN, &v, 1) == -EINVAL);
	CHECK(!virtio_device_is_broken(&s->vdev));
}

TEST(device_needs_reset)
{
	struct sim *s = sim_probed(0, 8);
	void *toks[3];

	fill_consume(s, 3, toks);
	/* An ordinary config change reaches the driver and breaks nothing. */
	virtio_config_changed(&s->vdev);
	CHECK(s->config_changes == 1 && !virtio_device_is_broken(&s->vdev));
	s->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	virtio_config_changed(&s->vdev);
	CHECK(s->config_changes == 2);
	check_broken(s);
}

TEST(notify_failure_breaks_queue)
{
	struct sim *s = sim_probed(0, 8);
	struct virtio_sg sg[8];
	int tok;

	req_new(1, 0, sg);
	s->notify_fails = true;
	CHECK(virtqueue_add_outbuf(s->vq, sg, 1, &tok, GFP_KERNEL) == 0);
	CHECK(!virtqueue_kick(s->vq));
	check_broken(s);
}

TEST(virtio_error_log_is_rate_limited)
{
	struct sim *s = sim_new(0, 8);

	for (int i = 0; i < 100; i++)
		virtio_dev_err(&s->vdev, "error %d", i);
	CHECK(s->vdev.err_logged == 100);
}
