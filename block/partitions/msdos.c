// SPDX-License-Identifier: MIT
/*
 * MBR ("dos") partition tables. Sector 0 ends with 0x55 0xaa and holds four
 * 16-byte entries at byte 446: boot flag (0x00 or 0x80), CHS start, type,
 * CHS end, then little-endian 32-bit start LBA and sector count. Types 0x05,
 * 0x0f and 0x85 are extended partitions: a chain of extended boot records
 * (EBRs), each an MBR-shaped sector whose first entry is a logical
 * partition (start relative to that EBR) and whose second points to the
 * next EBR (start relative to the extended partition). Logical partitions
 * are numbered from 5.
 *
 * A 0xee entry is a GPT protective MBR: that disk is GPT's or nobody's.
 * Sectors here are 512 bytes; on a disk with larger logical blocks the
 * LBAs count those blocks.
 */
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "check.h"

#define MBR_SIZE		512
#define MBR_PART_OFFSET		446
#define MBR_SIG_OFFSET		510
#define MBR_TYPE_EMPTY		0x00
#define MBR_TYPE_GPT_PROTECTIVE	0xee
#define MBR_MAX_LOGICAL		64	/* EBR chain length bound: a loop ends here */

struct mbr_entry {
	u8 boot;
	u8 chs_start[3];
	u8 type;
	u8 chs_end[3];
	u8 lba_start[4];	/* little-endian */
	u8 nr_sects[4];		/* little-endian */
} __attribute__((packed));

static u32 get_le32(const u8 *b)
{
	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static bool is_extended(u8 type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static bool mbr_signature_ok(const u8 *sect)
{
	return sect[MBR_SIG_OFFSET] == 0x55 && sect[MBR_SIG_OFFSET + 1] == 0xaa;
}

static const struct mbr_entry *mbr_entries(const u8 *sect)
{
	return (const struct mbr_entry *)(sect + MBR_PART_OFFSET);
}

/* Walks the EBR chain of the extended partition at @ext_start (+@ext_size), in 512-byte sectors. */
static int parse_extended(struct parsed_partitions *st, u8 *buf, sector_t ext_start,
			  sector_t ext_size, sector_t scale)
{
	sector_t ebr = ext_start;
	unsigned int n = 5;

	for (unsigned int hops = 0;; hops++) {
		const struct mbr_entry *e;
		const struct mbr_entry *next = NULL;
		bool logical_done = false;
		int err;

		if (hops == MBR_MAX_LOGICAL) {
			pr_warn("%s: more than %u extended boot records (a loop?): chain cut\n",
				st->name, MBR_MAX_LOGICAL);
			return 0;
		}
		if (ebr >= st->nr_sectors) {
			pr_warn("%s: extended boot record at sector %llu beyond the disk: chain cut\n",
				st->name, (unsigned long long)ebr);
			return 0;
		}
		err = st->read(st, ebr, buf, MBR_SIZE);
		if (err)
			return err;
		if (!mbr_signature_ok(buf)) {
			pr_warn("%s: extended boot record at sector %llu has no signature: chain cut\n",
				st->name, (unsigned long long)ebr);
			return 0;
		}
		e = mbr_entries(buf);
		/* Linux's rule: the first non-extended, non-empty entry is the logical partition, the first extended one the link. */
		for (unsigned int i = 0; i < 4; i++, e++) {
			u32 start = get_le32(e->lba_start), size = get_le32(e->nr_sects);

			if (e->type == MBR_TYPE_EMPTY || !size)
				continue;
			if (is_extended(e->type)) {
				if (!next)
					next = e;
				continue;
			}
			if (logical_done)
				continue;
			logical_done = true;
			if (n <= st->limit)
				put_partition(st, n, ebr + (sector_t)start * scale, (sector_t)size * scale);
			else
				pr_warn("%s: logical partition %u ignored: at most %u partitions\n",
					st->name, n, st->limit);
			n++;
		}
		if (!next)
			return 0;
		{
			sector_t off = (sector_t)get_le32(next->lba_start) * scale;

			if (off == 0 || off >= ext_size) {
				pr_warn("%s: extended boot record link outside the extended partition: chain cut\n",
					st->name);
				return 0;
			}
			ebr = ext_start + off;
		}
	}
}

int msdos_partition(struct parsed_partitions *st)
{
	const struct mbr_entry *e;
	sector_t scale = st->lbs / SECTOR_SIZE;
	u8 *buf = kmalloc(MBR_SIZE, GFP_KERNEL);
	int err;

	if (!buf)
		return -ENOMEM;
	err = st->read(st, 0, buf, MBR_SIZE);
	if (err)
		goto out;
	if (!mbr_signature_ok(buf))
		goto out;		/* err == 0: not an MBR */
	e = mbr_entries(buf);
	for (unsigned int i = 0; i < 4; i++) {
		/* A FAT or other boot sector also ends in 55 aa: entries must look like entries. */
		if (e[i].boot != 0 && e[i].boot != 0x80)
			goto out;
		if (e[i].type == MBR_TYPE_GPT_PROTECTIVE) {
			pr_warn("%s: protective MBR without a valid GPT: no partitions\n", st->name);
			st->format = "dos";
			err = 1;
			goto out;
		}
	}
	st->format = "dos";
	for (unsigned int i = 0; i < 4; i++) {
		u32 start = get_le32(e[i].lba_start), size = get_le32(e[i].nr_sects);
		u8 type = e[i].type;

		if (type == MBR_TYPE_EMPTY || !size)
			continue;
		if (is_extended(type)) {
			sector_t ext_start = (sector_t)start * scale;
			sector_t ext_size = (sector_t)size * scale;
			u8 *ebr = kmalloc(MBR_SIZE, GFP_KERNEL);

			/* Linux shows the container as a 1 KiB partition so the logical ones do not overlap it. */
			put_partition(st, i + 1, ext_start, min(ext_size, (sector_t)2));
			if (!ebr) {
				err = -ENOMEM;
				goto out;
			}
			err = parse_extended(st, ebr, ext_start, ext_size, scale);
			kfree(ebr);
			if (err)
				goto out;
			continue;
		}
		put_partition(st, i + 1, (sector_t)start * scale, (sector_t)size * scale);
	}
	err = 1;
out:
	kfree(buf);
	return err;
}
