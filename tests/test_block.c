// SPDX-License-Identifier: MIT
/*
 * The block layer's pure parts and virtio-blk, on the host:
 *   - the partition parsers (block/partitions/) on MBR and GPT images made
 *     here, valid and corrupt;
 *   - bio merging and segment mapping (block/blk-merge.c);
 *   - drivers/block/virtio_blk.c with block/blk-core.c and bio.c against a
 *     simulated virtio-blk device over a memory disk: reads, writes,
 *     flushes, FUA, plugging and merging, read-only, device I/O errors, a
 *     full ring, hostile status bytes and a device that breaks the ring.
 * The disk registry (genhd.c) and the page cache need the VFS: the few
 * genhd functions the driver calls are stubbed below.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <exo/blkdev.h>
#include <exo/crc32.h>
#include <exo/err.h>
#include <exo/slab.h>
#include <exo/virtio.h>
#include <exo/wait.h>
#include <uapi/errno.h>
#include <uapi/virtio_blk.h>
#include <uapi/virtio_ids.h>
#include "../block/partitions/check.h"
#include "../drivers/virtio/internal.h"
#include "test_mm.h"
#include <stdarg.h>
#include <string.h>

/* The driver under test, with its statics (virtio_blk_driver). */
#include "../drivers/block/virtio_blk.c"

#define ARENA (64 * MB)

/* ---- host stand-ins: tasks, plugs, wait queues, genhd ------------------------ */

static struct blk_plug *host_plug;
unsigned int nr_cpus_online = 4;
static void (*host_schedule_hook)(void);
static unsigned int host_schedules;

/* The bus (virtio_bus.c) is not built here: tests probe the driver directly. */
int register_virtio_driver(struct virtio_driver *drv)
{
	return 0;
}

struct blk_plug *blk_current_plug(void)
{
	return host_plug;
}

void blk_set_current_plug(struct blk_plug *plug)
{
	host_plug = plug;
}

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->waiters);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe, unsigned int state)
{
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *wqe)
{
	/* As the kernel's: takes wq->lock, which the waker holds while it wakes. */
	spin_lock(&wq->lock);
	spin_unlock(&wq->lock);
}

void __wake_up(struct wait_queue_head *wq, void *key)
{
}

void __wake_up_locked(struct wait_queue_head *wq, void *key)
{
}

bool signal_pending_current(void)
{
	return false;
}

/* One test thread: "sleeping" lets the simulated device run; a wait it cannot end is a hang. */
void schedule(void)
{
	CHECK(host_schedule_hook);
	CHECK(++host_schedules < 100000);
	host_schedule_hook();
}

/* An I/O wait is a wait like any other here. */
void io_schedule(void)
{
	schedule();
}

struct gendisk *blk_alloc_disk(struct request_queue *q)
{
	struct gendisk *disk = kzalloc(sizeof(*disk), GFP_KERNEL);

	CHECK(disk);
	spin_lock_init(&disk->lock);
	disk->queue = q;
	disk->part0 = kzalloc(sizeof(*disk->part0), GFP_KERNEL);
	CHECK(disk->part0);
	disk->part0->bd_disk = disk;
	disk->part0->bd_present = true;
	disk->parts[0] = disk->part0;
	return disk;
}

static struct gendisk *added_disk;
static unsigned int disk_err_lines;

int add_disk(struct gendisk *disk)
{
	strcpy(disk->part0->bd_name, disk->disk_name);
	added_disk = disk;
	return 0;
}

void set_capacity(struct gendisk *disk, sector_t sectors)
{
	disk->part0->bd_nr_sectors = sectors;
}

void disk_mark_dead(struct gendisk *disk)
{
	disk->dead = true;
}

void disk_err(struct gendisk *disk, const char *fmt, ...)
{
	va_list ap;

	disk_err_lines++;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- partition parsers ------------------------------------------------------------ */

#define IMG_SECTORS 8192	/* 4 MiB */

static u8 *img;

static int img_read(struct parsed_partitions *st, sector_t sector, void *buf, unsigned int len)
{
	if (sector >= st->nr_sectors || len / 512 > st->nr_sectors - sector)
		return -EIO;
	memcpy(buf, img + sector * 512, len);
	return 0;
}

static void img_new(void)
{
	test_boot(ARENA, false);
	slab_init();
	free(img);
	img = calloc(IMG_SECTORS, 512);
	CHECK(img);
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v, p[1] = (u8)(v >> 8), p[2] = (u8)(v >> 16), p[3] = (u8)(v >> 24);
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

static void mbr_entry(u8 *sect, int i, u8 type, u32 start, u32 size)
{
	u8 *e = sect + 446 + i * 16;

	e[0] = 0;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, size);
	sect[510] = 0x55;
	sect[511] = 0xaa;
}

static int scan(struct parsed_partitions *st)
{
	memset(st, 0, sizeof(*st));
	st->name = "img";
	st->nr_sectors = IMG_SECTORS;
	st->lbs = 512;
	st->read = img_read;
	return check_partitions(st);
}

TEST(mbr_primary_and_logical)
{
	struct parsed_partitions st;

	img_new();
	mbr_entry(img, 0, 0x83, 2048, 1024);
	mbr_entry(img, 1, 0x05, 4096, 4096);	/* extended: 4096..8191 */
	/* EBR 1 at 4096: logical at +2048 (6144) size 512, link to +3072 */
	mbr_entry(img + 4096 * 512, 0, 0x83, 2048, 512);
	mbr_entry(img + 4096 * 512, 1, 0x05, 3072, 1024);
	/* EBR 2 at 7168: logical at +16 size 100, end of chain */
	mbr_entry(img + 7168 * 512, 0, 0x83, 16, 100);
	CHECK(scan(&st) == 4);
	CHECK(!strcmp(st.format, "dos"));
	CHECK(st.parts[1].from == 2048 && st.parts[1].size == 1024);
	CHECK(st.parts[2].from == 4096 && st.parts[2].size == 2);	/* the container: 1 KiB */
	CHECK(st.parts[5].from == 6144 && st.parts[5].size == 512);
	CHECK(st.parts[6].from == 7184 && st.parts[6].size == 100);
	CHECK(st.parts[3].size == 0 && st.parts[4].size == 0 && st.parts[7].size == 0);
}

TEST(mbr_bad_entries_rejected)
{
	struct parsed_partitions st;

	img_new();
	mbr_entry(img, 0, 0x83, 2048, 1024);
	mbr_entry(img, 1, 0x83, 2500, 100);		/* overlaps 1 */
	mbr_entry(img, 2, 0x83, 8000, 1000);		/* past the end */
	mbr_entry(img, 3, 0x83, 0xfffffff0, 0x100);	/* start past the end, sum wraps u32 */
	CHECK(scan(&st) == 1);
	CHECK(st.parts[1].size == 1024 && !st.parts[2].size && !st.parts[3].size && !st.parts[4].size);
	/* No signature: no table at all. */
	img[510] = 0;
	CHECK(scan(&st) == 0 && st.format == NULL);
	/* A boot flag that is neither 0 nor 0x80: a boot sector, not an MBR. */
	img[510] = 0x55;
	img[446] = 0x12;
	CHECK(scan(&st) == 0 && st.format == NULL);
}

TEST(mbr_ebr_loop_is_cut)
{
	struct parsed_partitions st;

	img_new();
	mbr_entry(img, 0, 0x0f, 4096, 4096);
	/* The EBR links to itself (offset 0 is refused) and then to a cycle of two. */
	mbr_entry(img + 4096 * 512, 0, 0x83, 8, 8);
	mbr_entry(img + 4096 * 512, 1, 0x05, 100, 50);
	mbr_entry(img + 4196 * 512, 0, 0x83, 8, 8);
	mbr_entry(img + 4196 * 512, 1, 0x05, 100, 50);	/* points at itself again */
	CHECK(scan(&st) >= 2);	/* terminates; the repeated partition is dropped as an overlap */
	CHECK(st.parts[5].from == 4104 && st.parts[5].size == 8);
	CHECK(st.parts[6].from == 4204 && st.parts[6].size == 8);
	for (unsigned int n = 7; n <= DISK_MAX_PARTS; n++)
		CHECK(st.parts[n].size == 0);
}

/* A GPT with @n entries of 128 bytes at LBA 2, primary at 1, backup at the end. */
static void gpt_write_header(u64 my, u64 alt, u64 entries_lba, u32 n, u32 array_crc)
{
	u8 *h = img + my * 512;

	memset(h, 0, 512);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, IMG_SECTORS - 34);
	put64(h + 72, entries_lba);
	put32(h + 80, n);
	put32(h + 84, 128);
	put32(h + 88, array_crc);
	put32(h + 16, crc32(h, 92));
}

static void gpt_entry(u64 lba, int i, u64 first, u64 last)
{
	u8 *e = img + lba * 512 + i * 128;

	memset(e, 0, 128);
	e[0] = 0xaf;	/* any non-zero type GUID */
	e[16] = (u8)i;
	put64(e + 32, first);
	put64(e + 40, last);
}

static void gpt_make(void)
{
	u32 crc;

	mbr_entry(img, 0, 0xee, 1, IMG_SECTORS - 1);
	gpt_entry(2, 0, 34, 1057);		/* 1024 sectors */
	gpt_entry(2, 2, 2048, 4095);		/* entry 3: partition 3 */
	memcpy(img + (IMG_SECTORS - 33) * 512, img + 2 * 512, 32 * 512);
	crc = crc32(img + 2 * 512, 128 * 128);
	gpt_write_header(1, IMG_SECTORS - 1, 2, 128, crc);
	gpt_write_header(IMG_SECTORS - 1, 1, IMG_SECTORS - 33, 128, crc);
}

TEST(gpt_valid_and_backup)
{
	struct parsed_partitions st;

	img_new();
	CHECK(crc32("123456789", 9) == 0xcbf43926);	/* the CRC-32 check value */
	gpt_make();
	CHECK(scan(&st) == 2);
	CHECK(!strcmp(st.format, "gpt"));
	CHECK(st.parts[1].from == 34 && st.parts[1].size == 1024);
	CHECK(st.parts[3].from == 2048 && st.parts[3].size == 2048);
	CHECK(st.parts[2].size == 0);
	/* A bad primary header CRC: the backup is used. */
	img[512 + 40] ^= 1;
	CHECK(scan(&st) == 2 && !strcmp(st.format, "gpt"));
	/* Both headers bad: the protective MBR alone gives nothing, and no MBR partitions. */
	img[(IMG_SECTORS - 1) * 512 + 40] ^= 1;
	CHECK(scan(&st) == 0);
}

TEST(gpt_corrupt_entries_rejected)
{
	struct parsed_partitions st;
	u32 crc;

	img_new();
	gpt_make();
	/* Entry array changed behind the CRC, in both copies: no table. */
	img[2 * 512 + 33] ^= 0x40;
	img[(IMG_SECTORS - 33) * 512 + 33] ^= 0x40;
	CHECK(scan(&st) == 0);
	/* Entries outside the usable range or overlapping, with correct CRCs. */
	img_new();
	gpt_make();
	gpt_entry(2, 1, 1000, 1100);			/* overlaps entry 1 (34..1057) */
	gpt_entry(2, 3, 5000, 9000);			/* past last_usable */
	gpt_entry(2, 4, 3000, 2000);			/* first > last */
	crc = crc32(img + 2 * 512, 128 * 128);
	gpt_write_header(1, IMG_SECTORS - 1, 2, 128, crc);
	CHECK(scan(&st) == 2);
	CHECK(st.parts[1].size == 1024 && st.parts[2].size == 0 && st.parts[3].size == 2048 &&
	      st.parts[4].size == 0 && st.parts[5].size == 0);
	/* A header claiming a huge entry array is refused, not allocated. */
	img_new();
	gpt_make();
	gpt_write_header(1, IMG_SECTORS - 1, 2, 0x10000000, 0);
	CHECK(scan(&st) == 2);	/* falls back to the intact backup */
	/* A header that says it lives elsewhere is refused. */
	crc = crc32(img + 2 * 512, 128 * 128);
	gpt_write_header(1, IMG_SECTORS - 1, 2, 128, crc);
	gpt_write_header(IMG_SECTORS - 1, 1, IMG_SECTORS - 33, 128, crc);
	put64(img + 512 + 24, 5);
	put32(img + 512 + 16, 0);
	put32(img + 512 + 16, crc32(img + 512, 92));
	CHECK(scan(&st) == 2);	/* the backup again */
}

TEST(partition_numbers_above_limit_dropped)
{
	struct parsed_partitions st;
	u32 crc;

	img_new();
	gpt_make();
	gpt_entry(2, 20, 5000, 5001);	/* partition 21 > 15 */
	crc = crc32(img + 2 * 512, 128 * 128);
	gpt_write_header(1, IMG_SECTORS - 1, 2, 128, crc);
	CHECK(scan(&st) == 2);
}

/* ---- merging ------------------------------------------------------------------------ */

static struct request_queue *mq;
static struct gendisk *mdisk;

static int null_queue_rq(struct request *rq, unsigned int hctx)
{
	return -EIO;
}

static const struct blk_mq_ops null_ops = { .queue_rq = null_queue_rq };

static void merge_setup(void)
{
	test_boot(ARENA, false);
	slab_init();
	mq = blk_mq_alloc_queue(&null_ops, 1, 0);
	CHECK(mq);
	mdisk = blk_alloc_disk(mq);
	set_capacity(mdisk, 1 << 20);
}

/* A bio of @npages whole pages from @pages at @sector. */
static struct bio *mk_bio(unsigned int op, sector_t sector, struct page **pages, unsigned int npages)
{
	struct bio *bio = bio_alloc(mdisk->part0, npages + 1, op, GFP_KERNEL);

	CHECK(bio);
	bio->bi_sector = sector;
	for (unsigned int i = 0; i < npages; i++)
		CHECK(bio_add_page(bio, pages[i], PAGE_SIZE, 0) == PAGE_SIZE);
	return bio;
}

TEST(merge_back_front_and_refusals)
{
	struct page *p[8];
	struct request *rq;
	struct bio *a, *b, *c;

	merge_setup();
	for (int i = 0; i < 8; i++)
		p[i] = alloc_page(GFP_KERNEL);
	a = mk_bio(REQ_OP_WRITE, 80, &p[1], 1);
	rq = blk_rq_alloc(mq, mdisk, a, GFP_KERNEL);
	CHECK(rq && rq->sector == 80 && rq->data_len == 4096);
	/* Back: 88 follows 80+8. Front: 72 ends at 80. */
	b = mk_bio(REQ_OP_WRITE, 88, &p[2], 1);
	CHECK(blk_try_merge(rq, b) == BLK_MERGE_BACK && blk_attempt_merge(rq, b));
	c = mk_bio(REQ_OP_WRITE, 72, &p[0], 1);
	CHECK(blk_try_merge(rq, c) == BLK_MERGE_FRONT && blk_attempt_merge(rq, c));
	CHECK(rq->sector == 72 && rq->data_len == 3 * 4096);
	CHECK(rq->bio == c && c->bi_next == a && a->bi_next == b && rq->biotail == b);
	/* Not adjacent; another op; FUA; a hole of one sector. */
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE, 200, &p[3], 1)) == BLK_MERGE_NONE);
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_READ, 96, &p[3], 1)) == BLK_MERGE_NONE);
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE | REQ_FUA, 96, &p[3], 1)) == BLK_MERGE_NONE);
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE, 97, &p[3], 1)) == BLK_MERGE_NONE);
	/* Limits: sectors, then segments. */
	mq->limits.max_sectors = 32;
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE, 96, &p[3], 1)) == BLK_MERGE_BACK);
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE, 96, &p[3], 2)) == BLK_MERGE_NONE);
	mq->limits.max_sectors = 2048;
	mq->limits.max_segments = rq->nr_segments;
	CHECK(blk_try_merge(rq, mk_bio(REQ_OP_WRITE, 96, &p[3], 1)) == BLK_MERGE_NONE);
}

TEST(segments_join_contiguous_pages_and_split_large)
{
	struct page *pages[4], *other, *run;
	struct blk_seg segs[16];
	struct request *rq;
	struct bio *bio;

	merge_setup();
	run = alloc_pages(GFP_KERNEL, 2);	/* 4 contiguous pages */
	other = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 4; i++)
		pages[i] = run + i;
	bio = mk_bio(REQ_OP_READ, 0, pages, 4);
	CHECK(bio_nr_segments(bio, &mq->limits) == 1);
	CHECK(bio_add_page(bio, other, 512, 0) == 512);
	CHECK(bio_nr_segments(bio, &mq->limits) == 2);
	rq = blk_rq_alloc(mq, mdisk, bio, GFP_KERNEL);
	CHECK(blk_rq_map_segs(rq, segs, 16) == 2);
	CHECK(segs[0].addr == page_to_phys(run) && segs[0].len == 4 * 4096);
	CHECK(segs[1].addr == page_to_phys(other) && segs[1].len == 512);
	/* Segments of at most 4 KiB: the run splits into four. */
	mq->limits.max_segment_size = 4096;
	CHECK(bio_nr_segments(bio, &mq->limits) == 5);
	mq->limits.max_segment_size = 1024;
	CHECK(bio_nr_segments(bio, &mq->limits) == 17);
	CHECK(blk_rq_map_segs(rq, segs, 16) == 16);	/* never past the array */
}

/* ---- virtio-blk against a simulated device ------------------------------------------ */

#define VB_SECTORS 4096			/* a 2 MiB disk */
#define VB_MAX_VQS 4

struct vbsim {
	struct virtio_device vdev;
	u8 status;
	u64 offered, accepted;
	struct virtio_blk_config cfg;
	unsigned int qsize, nvqs;
	struct virtqueue *vqs[VB_MAX_VQS];
	u16 last_avail[VB_MAX_VQS], used_idx[VB_MAX_VQS];
	u8 *disk;
	bool deferred;			/* complete only when the driver sleeps */
	unsigned int requests, flushes, writes, reads, per_vq[VB_MAX_VQS];
	u32 last_write_bytes;
	sector_t fail_from, fail_to;	/* IOERR on sectors in [from, to) */
	int hostile;			/* 1: garbage status, 2: no status written, 3: bad used id */
};

static struct vbsim *vbs;

static void vb_get(struct virtio_device *v, unsigned int off, void *buf, unsigned int len)
{
	CHECK(off + len <= sizeof(vbs->cfg));
	memcpy(buf, (u8 *)&vbs->cfg + off, len);
}

static void vb_set(struct virtio_device *v, unsigned int off, const void *buf, unsigned int len)
{
	CHECK(0);
}

static u32 vb_generation(struct virtio_device *v)
{
	return 0;
}

static u8 vb_get_status(struct virtio_device *v)
{
	return vbs->status;
}

static void vb_set_status(struct virtio_device *v, u8 status)
{
	vbs->status = status;
}

static int vb_reset(struct virtio_device *v)
{
	vbs->status = 0;
	memset(vbs->last_avail, 0, sizeof(vbs->last_avail));
	memset(vbs->used_idx, 0, sizeof(vbs->used_idx));
	return 0;
}

static u64 vb_get_features(struct virtio_device *v)
{
	return vbs->offered;
}

static int vb_finalize(struct virtio_device *v)
{
	vbs->accepted = v->features;
	return 0;
}

static void vb_run(void);

static bool vb_notify(struct virtqueue *vq)
{
	if (!vbs->deferred)
		vb_run();
	return true;
}

static int vb_find_vqs(struct virtio_device *v, unsigned int nvqs, struct virtqueue *vqs[],
		       const struct virtqueue_info info[])
{
	CHECK(nvqs <= VB_MAX_VQS);
	for (unsigned int i = 0; i < nvqs; i++) {
		vqs[i] = vring_create_virtqueue(i, vbs->qsize, v, vb_notify, info[i].callback,
						info[i].name);
		CHECK(!IS_ERR(vqs[i]));
		vbs->vqs[i] = vqs[i];
	}
	vbs->nvqs = nvqs;
	return 0;
}

static void vb_del_vqs(struct virtio_device *v)
{
	struct virtqueue *vq, *n;

	list_for_each_entry_safe(vq, n, &v->vqs, list)
		vring_del_virtqueue(vq);
}

static const struct virtio_config_ops vb_ops = {
	.get = vb_get, .set = vb_set, .generation = vb_generation,
	.get_status = vb_get_status, .set_status = vb_set_status, .reset = vb_reset,
	.find_vqs = vb_find_vqs, .del_vqs = vb_del_vqs,
	.get_features = vb_get_features, .finalize_features = vb_finalize,
};

static void *vb_phys(phys_addr_t addr, unsigned long len)
{
	CHECK(addr < ARENA && len <= ARENA - addr);
	return phys_to_virt(addr);
}

/* The descriptors of one chain, flattened (indirect or not). */
static unsigned int vb_chain(unsigned int q, u16 head, struct virtq_desc *out)
{
	struct virtq_desc *desc = vb_phys(virtqueue_get_desc_addr(vbs->vqs[q]),
					  VIRTQ_DESC_SIZE(vbs->qsize));
	struct virtq_desc *d = &desc[head];
	unsigned int n = 0;

	if (d->flags & VIRTQ_DESC_F_INDIRECT) {
		struct virtq_desc *t = vb_phys(d->addr, d->len);

		for (unsigned int i = 0;; i = t[i].next) {
			CHECK(i < d->len / 16 && n < 300);
			out[n++] = t[i];
			if (!(t[i].flags & VIRTQ_DESC_F_NEXT))
				break;
		}
		return n;
	}
	for (;;) {
		CHECK(n < vbs->qsize);
		out[n++] = *d;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
		d = &desc[d->next];
	}
	return n;
}

/* Serves every available request on every queue and interrupts. */
static void vb_run(void)
{
	static struct virtq_desc chain[300];

	for (unsigned int q = 0; q < vbs->nvqs; q++) {
		struct virtqueue *vq = vbs->vqs[q];
		struct virtq_avail *avail = vb_phys(virtqueue_get_avail_addr(vq), VIRTQ_AVAIL_SIZE(vbs->qsize));
		struct virtq_used *used = vb_phys(virtqueue_get_used_addr(vq), VIRTQ_USED_SIZE(vbs->qsize));
		bool any = false;

		while (vbs->last_avail[q] != READ_ONCE(avail->idx)) {
			u16 head = avail->ring[vbs->last_avail[q] % vbs->qsize];
			unsigned int n = vb_chain(q, head, chain);
			struct virtio_blk_outhdr *h = vb_phys(chain[0].addr, sizeof(*h));
			u8 *status = vb_phys(chain[n - 1].addr, 1);
			u64 pos = h->sector * 512;
			u32 written = 1, bytes = 0;
			u8 st = VIRTIO_BLK_S_OK;

			CHECK(n >= 2 && chain[0].len == sizeof(*h) && !(chain[0].flags & VIRTQ_DESC_F_WRITE));
			CHECK(chain[n - 1].len == 1 && (chain[n - 1].flags & VIRTQ_DESC_F_WRITE));
			vbs->requests++;
			vbs->per_vq[q]++;
			for (unsigned int i = 1; i < n - 1; i++)
				bytes += chain[i].len;
			if (h->type == VIRTIO_BLK_T_FLUSH) {
				vbs->flushes++;
			} else if (pos + bytes > (u64)VB_SECTORS * 512) {
				st = VIRTIO_BLK_S_IOERR;
			} else if (h->sector < vbs->fail_to && h->sector + bytes / 512 > vbs->fail_from) {
				st = VIRTIO_BLK_S_IOERR;
			} else {
				bool wr = h->type == VIRTIO_BLK_T_OUT;

				CHECK(wr || h->type == VIRTIO_BLK_T_IN);
				wr ? vbs->writes++ : vbs->reads++;
				if (wr)
					vbs->last_write_bytes = bytes;
				for (unsigned int i = 1; i < n - 1; i++) {
					u8 *p = vb_phys(chain[i].addr, chain[i].len);

					CHECK(!!(chain[i].flags & VIRTQ_DESC_F_WRITE) == !wr);
					if (wr)
						memcpy(vbs->disk + pos, p, chain[i].len);
					else
						memcpy(p, vbs->disk + pos, chain[i].len);
					pos += chain[i].len;
				}
				if (!wr)
					written += bytes;
			}
			*status = st;
			if (vbs->hostile == 1)
				*status = 0x7f;
			if (vbs->hostile == 2)
				written = 0;
			used->ring[vbs->used_idx[q] % vbs->qsize].id = vbs->hostile == 3 ? vbs->qsize + 5 : head;
			used->ring[vbs->used_idx[q] % vbs->qsize].len = written;
			vbs->used_idx[q]++;
			vbs->last_avail[q]++;
			any = true;
		}
		if (any) {
			__atomic_store_n(&used->idx, vbs->used_idx[q], __ATOMIC_RELEASE);
			vring_interrupt(vq);
		}
	}
}

static struct virtio_blk *vb_probe(u64 features, u16 num_queues, unsigned int qsize)
{
	test_boot(ARENA, false);
	slab_init();
	vbs = calloc(1, sizeof(*vbs));
	CHECK(vbs);
	vbs->disk = calloc(VB_SECTORS, 512);
	for (unsigned int i = 0; i < VB_SECTORS * 512; i++)
		vbs->disk[i] = (u8)(i * 7 + i / 4096);
	vbs->qsize = qsize;
	vbs->cfg.capacity = VB_SECTORS;
	vbs->cfg.seg_max = 64;
	vbs->cfg.size_max = 65536;
	vbs->cfg.blk_size = 512;
	vbs->cfg.num_queues = num_queues;
	vbs->offered = (1ULL << VIRTIO_F_VERSION_1) | features;
	virtio_device_init(&vbs->vdev);
	strcpy(vbs->vdev.name, "virtio-blk-sim");
	vbs->vdev.config = &vb_ops;
	vbs->vdev.config_len = sizeof(vbs->cfg);
	vbs->vdev.id.device = VIRTIO_ID_BLOCK;
	host_schedule_hook = vb_run;
	host_plug = NULL;
	added_disk = NULL;
	disk_err_lines = 0;
	CHECK(virtio_device_probe(&vbs->vdev, &virtio_blk_driver) == 0);
	CHECK(added_disk && !strcmp(added_disk->disk_name, "vda"));
	return vbs->vdev.priv;
}

#define F(bit) (1ULL << (bit))
#define VB_STD (F(VIRTIO_BLK_F_SEG_MAX) | F(VIRTIO_BLK_F_SIZE_MAX) | F(VIRTIO_BLK_F_BLK_SIZE) | \
		F(VIRTIO_BLK_F_FLUSH) | F(VIRTIO_F_RING_INDIRECT_DESC) | F(VIRTIO_F_RING_EVENT_IDX))

/* Reads or writes @npages pages at @sector and waits; returns the status. */
static int vb_io(unsigned int op, sector_t sector, struct page **pages, unsigned int npages)
{
	struct bio *bio = bio_alloc(added_disk->part0, npages, op, GFP_KERNEL);
	int err;

	CHECK(bio);
	bio->bi_sector = sector;
	for (unsigned int i = 0; i < npages; i++)
		bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

TEST(virtio_blk_probe_reads_config)
{
	struct virtio_blk *vblk;

	vbs = NULL;
	vblk = vb_probe(VB_STD | F(VIRTIO_BLK_F_MQ) | F(VIRTIO_BLK_F_GEOMETRY), 8, 64);
	/* Accepted what the driver knows, not GEOMETRY. */
	CHECK(vbs->accepted & F(VIRTIO_BLK_F_FLUSH));
	CHECK(!(vbs->accepted & F(VIRTIO_BLK_F_GEOMETRY)));
	CHECK(get_capacity(added_disk) == VB_SECTORS);
	CHECK(added_disk->major == VIRTBLK_MAJOR && added_disk->first_minor == 0);
	CHECK(vblk->num_vqs == 4);	/* min(num_queues 8, 4 CPUs) */
	CHECK(added_disk->queue->flags & QUEUE_FLAG_WC);
	CHECK(added_disk->queue->limits.max_segments == 64);
	CHECK(!added_disk->read_only);
	CHECK(vbs->status & VIRTIO_CONFIG_S_DRIVER_OK);
}

TEST(virtio_blk_read_write_flush_on_every_queue)
{
	struct page *p[4];
	u8 *expect = malloc(4 * 4096);

	vb_probe(VB_STD | F(VIRTIO_BLK_F_MQ), 4, 64);
	for (int i = 0; i < 4; i++)
		p[i] = alloc_page(GFP_KERNEL);
	/* Read 4 pages at sector 24 and compare with the disk. */
	CHECK(vb_io(REQ_OP_READ, 24, p, 4) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(!memcmp(page_address(p[i]), vbs->disk + 24 * 512 + i * 4096, 4096));
	/* Write a pattern, from each CPU: each CPU's queue is used. */
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		host_cpu_id = cpu;
		for (int i = 0; i < 4; i++)
			memset(page_address(p[i]), (int)(0x30 + cpu * 4 + i), 4096);
		CHECK(vb_io(REQ_OP_WRITE, 800 + cpu * 32, p, 4) == 0);
		for (int i = 0; i < 4; i++)
			memset(expect + i * 4096, (int)(0x30 + cpu * 4 + i), 4096);
		CHECK(!memcmp(vbs->disk + (800 + cpu * 32) * 512, expect, 4 * 4096));
	}
	host_cpu_id = 0;
	for (int q = 0; q < 4; q++)
		CHECK(vbs->per_vq[q] >= 1);
	/* A flush reaches the device as VIRTIO_BLK_T_FLUSH. */
	{
		struct bio *f = bio_alloc(added_disk->part0, 0, REQ_OP_FLUSH, GFP_KERNEL);

		CHECK(submit_bio_wait(f) == 0 && vbs->flushes == 1);
		bio_put(f);
	}
	/* FUA on a write-back device without FUA: the write, then a flush. */
	{
		struct bio *w = bio_alloc(added_disk->part0, 1, REQ_OP_WRITE | REQ_FUA, GFP_KERNEL);

		w->bi_sector = 8;
		bio_add_page(w, p[0], 4096, 0);
		CHECK(submit_bio_wait(w) == 0 && vbs->flushes == 2);
		bio_put(w);
	}
	/* Beyond the end, and misaligned: -EIO without reaching the device. */
	{
		unsigned int before = vbs->requests;

		CHECK(vb_io(REQ_OP_READ, VB_SECTORS - 4, p, 1) == -EIO);
		CHECK(vbs->requests == before);
	}
	free(expect);
}

static unsigned int ends;
static void count_end(struct bio *bio)
{
	ends++;
	CHECK(bio->bi_status == 0);
}

TEST(virtio_blk_plug_merges_adjacent_bios)
{
	struct page *p[8];
	struct blk_plug plug;
	struct bio *b[8];

	vb_probe(VB_STD, 0, 64);
	vbs->deferred = true;
	ends = 0;
	blk_start_plug(&plug);
	/* 8 one-page writes, in the order 0 1 2 3 then 5 6 7 then 4: all adjacent. */
	static const int order[8] = { 0, 1, 2, 3, 5, 6, 7, 4 };
	for (int k = 0; k < 8; k++) {
		int i = order[k];

		p[i] = alloc_page(GFP_KERNEL);
		memset(page_address(p[i]), 0xa0 + i, 4096);
		b[i] = bio_alloc(added_disk->part0, 1, REQ_OP_WRITE, GFP_KERNEL);
		b[i]->bi_sector = 64 + i * 8;
		b[i]->bi_end_io = count_end;
		bio_add_page(b[i], p[i], 4096, 0);
		submit_bio(b[i]);
	}
	CHECK(vbs->requests == 0);		/* held on the plug */
	blk_finish_plug(&plug);
	vb_run();
	CHECK(ends == 8);
	/* 0-3 and 5-7 merged; 4 merged into one of them (back of 0-3 or front of 5-7), then the two stay apart. */
	CHECK(vbs->writes == 2);
	CHECK(added_disk->queue->nr_merges == 6);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4096; j++)
			CHECK(vbs->disk[(64 + i * 8) * 512 + j] == 0xa0 + i);
	for (int i = 0; i < 8; i++)
		bio_put(b[i]);
}

TEST(virtio_blk_full_ring_requeues)
{
	struct page *p = NULL;
	struct bio *b[40];

	/* No indirect descriptors, 16 slots: 5 requests of 3 descriptors fill the ring. */
	vb_probe(F(VIRTIO_BLK_F_FLUSH), 0, 16);
	vbs->deferred = true;
	ends = 0;
	p = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 40; i++) {
		b[i] = bio_alloc(added_disk->part0, 1, REQ_OP_READ, GFP_KERNEL);
		b[i]->bi_sector = (sector_t)i * 8;
		b[i]->bi_end_io = count_end;
		bio_add_page(b[i], p, 4096, 0);
		submit_bio(b[i]);
	}
	CHECK(!list_empty(&added_disk->queue->requeue_list));
	for (int k = 0; k < 20 && ends < 40; k++)
		vb_run();
	CHECK(ends == 40 && vbs->reads == 40);
	CHECK(list_empty(&added_disk->queue->requeue_list));
	for (int i = 0; i < 40; i++)
		bio_put(b[i]);
}

TEST(virtio_blk_read_only_refuses_writes)
{
	struct page *p;

	vb_probe(VB_STD | F(VIRTIO_BLK_F_RO), 0, 64);
	p = alloc_page(GFP_KERNEL);
	CHECK(added_disk->read_only);
	CHECK(vb_io(REQ_OP_WRITE, 0, &p, 1) == -EROFS);
	CHECK(vbs->requests == 0);
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == 0);
}

TEST(virtio_blk_device_error_is_eio)
{
	struct page *p[2];

	vb_probe(VB_STD, 0, 64);
	p[0] = alloc_page(GFP_KERNEL);
	p[1] = alloc_page(GFP_KERNEL);
	vbs->fail_from = 100;
	vbs->fail_to = 101;
	CHECK(vb_io(REQ_OP_READ, 96, p, 2) == -EIO);
	CHECK(disk_err_lines == 1);
	/* The disk stays usable. */
	CHECK(vb_io(REQ_OP_READ, 200, p, 2) == 0);
	CHECK(!added_disk->dead);
}

TEST(virtio_blk_hostile_status_is_eio)
{
	struct page *p;

	vb_probe(VB_STD, 0, 64);
	p = alloc_page(GFP_KERNEL);
	vbs->hostile = 1;	/* status 0x7f */
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == -EIO);
	vbs->hostile = 2;	/* used length 0: the status was never written */
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == -EIO);
	vbs->hostile = 0;
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == 0);
}

TEST(virtio_blk_broken_ring_fails_requests_and_disk)
{
	struct page *p;

	vb_probe(VB_STD, 0, 64);
	p = alloc_page(GFP_KERNEL);
	vbs->hostile = 3;	/* used id out of range: the core breaks the device */
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == -EIO);
	CHECK(added_disk->dead && virtio_device_is_broken(&vbs->vdev));
	/* Later I/O ends at once with -EIO: nothing waits for a dead device. */
	vbs->hostile = 0;
	CHECK(vb_io(REQ_OP_READ, 0, &p, 1) == -EIO);
}

TEST(virtio_blk_bad_config_values)
{
	/* A capacity no disk has: the device is refused. */
	test_boot(ARENA, false);
	slab_init();
	vbs = calloc(1, sizeof(*vbs));
	vbs->qsize = 16;
	vbs->cfg.capacity = ~0ULL;
	vbs->offered = F(VIRTIO_F_VERSION_1);
	virtio_device_init(&vbs->vdev);
	strcpy(vbs->vdev.name, "virtio-blk-sim");
	vbs->vdev.config = &vb_ops;
	vbs->vdev.config_len = sizeof(vbs->cfg);
	vbs->vdev.id.device = VIRTIO_ID_BLOCK;
	CHECK(virtio_device_probe(&vbs->vdev, &virtio_blk_driver) == -EINVAL);
}

TEST(virtio_blk_nonsense_optional_fields_ignored)
{
	vb_probe(VB_STD | F(VIRTIO_BLK_F_MQ), 0, 64);
	/* Probed again below with blk_size 1000, seg_max 0, size_max 3, num_queues 0. */
	vbs->cfg.blk_size = 1000;
	vbs->cfg.seg_max = 0;
	vbs->cfg.size_max = 3;
	vbs->cfg.num_queues = 0;
	virtio_device_remove(&vbs->vdev);
	added_disk = NULL;
	CHECK(virtio_device_probe(&vbs->vdev, &virtio_blk_driver) == 0);
	CHECK(added_disk);
	CHECK(added_disk->queue->limits.logical_block_size == 512);
	CHECK(added_disk->queue->limits.max_segments == VIRTBLK_MAX_SEGS);
	CHECK(added_disk->queue->limits.max_segment_size == 65536);
	CHECK(((struct virtio_blk *)vbs->vdev.priv)->num_vqs == 1);
	CHECK(!strcmp(added_disk->disk_name, "vdb"));
}
