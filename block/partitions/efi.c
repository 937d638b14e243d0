// SPDX-License-Identifier: MIT
/*
 * GUID partition tables (UEFI 2.x, chapter 5). LBA 0 holds a protective
 * MBR (one entry of type 0xee); LBA 1 the primary header; the last LBA the
 * backup header. A header is used only when:
 *   - its signature is "EFI PART" and header_size is 92..one block;
 *   - its CRC32 (over header_size bytes, the CRC field taken as zero)
 *     matches;
 *   - my_lba is where it was read from;
 *   - first_usable <= last_usable, both on the disk;
 *   - the entry array (num_entries x entry_size, entry_size a multiple of
 *     128, at most GPT_MAX_ARRAY bytes) lies on the disk and its CRC32
 *     matches partition_entry_array_crc32.
 * The primary is tried first, then the backup (with a message). An entry
 * with a zero type GUID is unused; entry i is partition i + 1. An entry
 * whose first > last, or outside the usable LBAs, is dropped with a message.
 * Sectors here are 512 bytes, LBAs are logical blocks (st->lbs bytes).
 */
#include <exo/crc32.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "check.h"

#define GPT_SIGNATURE		"EFI PART"
#define GPT_HEADER_MIN		92
#define GPT_ENTRY_MIN		128
#define GPT_MAX_ARRAY		(1U << 20)	/* bytes; the spec's minimum is 16 KiB */

struct gpt_header {
	u8 signature[8];
	u32 revision;
	u32 header_size;
	u32 header_crc32;
	u32 reserved;
	u64 my_lba;
	u64 alternate_lba;
	u64 first_usable_lba;
	u64 last_usable_lba;
	u8 disk_guid[16];
	u64 partition_entry_lba;
	u32 num_partition_entries;
	u32 sizeof_partition_entry;
	u32 partition_entry_array_crc32;
} __attribute__((packed));

struct gpt_entry {
	u8 type_guid[16];
	u8 unique_guid[16];
	u64 starting_lba;
	u64 ending_lba;		/* inclusive */
	u64 attributes;
	u16 name[36];		/* UTF-16LE */
} __attribute__((packed));

/* x86 is little-endian, as GPT is: the fields are read as they are. */

/* True if sector 0 is an MBR with a 0xee entry. */
static int has_protective_mbr(struct parsed_partitions *st, u8 *buf)
{
	int err = st->read(st, 0, buf, 512);

	if (err)
		return err;
	if (buf[510] != 0x55 || buf[511] != 0xaa)
		return 0;
	for (int i = 0; i < 4; i++)
		if (buf[446 + i * 16 + 4] == 0xee)
			return 1;
	return 0;
}

/*
 * Reads and checks the header at @lba; on success *@entries is the
 * kmalloc'ed entry array. 1 valid, 0 invalid (logged), -errno.
 */
static int gpt_read_valid(struct parsed_partitions *st, u64 lba, u64 last_lba, u8 *blk,
			  struct gpt_header *hdr, u8 **entries, const char *which)
{
	unsigned int lbs = st->lbs;
	u64 array_bytes, array_blocks;
	u32 crc, want;
	u8 *arr;
	int err;

	err = st->read(st, lba * (lbs / SECTOR_SIZE), blk, lbs);
	if (err)
		return err;
	memcpy(hdr, blk, sizeof(*hdr));
	if (memcmp(hdr->signature, GPT_SIGNATURE, 8))
		return 0;	/* no GPT here: quiet, most disks have none */
	if (hdr->header_size < GPT_HEADER_MIN || hdr->header_size > lbs) {
		pr_warn("%s: %s GPT header size %u invalid\n", st->name, which, hdr->header_size);
		return 0;
	}
	want = hdr->header_crc32;
	memset(blk + offsetof(struct gpt_header, header_crc32), 0, 4);
	crc = crc32(blk, hdr->header_size);
	if (crc != want) {
		pr_warn("%s: %s GPT header CRC32 %#x, expected %#x: invalid\n", st->name, which, crc,
			want);
		return 0;
	}
	if (hdr->my_lba != lba) {
		pr_warn("%s: %s GPT header says it is at LBA %llu, read from %llu: invalid\n",
			st->name, which, (unsigned long long)hdr->my_lba, (unsigned long long)lba);
		return 0;
	}
	if (hdr->first_usable_lba > hdr->last_usable_lba || hdr->last_usable_lba > last_lba) {
		pr_warn("%s: %s GPT usable LBAs %llu..%llu not on the disk (last LBA %llu)\n",
			st->name, which, (unsigned long long)hdr->first_usable_lba,
			(unsigned long long)hdr->last_usable_lba, (unsigned long long)last_lba);
		return 0;
	}
	if (hdr->sizeof_partition_entry < GPT_ENTRY_MIN || hdr->sizeof_partition_entry % GPT_ENTRY_MIN ||
	    (u64)hdr->num_partition_entries * hdr->sizeof_partition_entry > GPT_MAX_ARRAY) {
		pr_warn("%s: %s GPT entry array of %u x %u bytes refused\n", st->name, which,
			hdr->num_partition_entries, hdr->sizeof_partition_entry);
		return 0;
	}
	array_bytes = (u64)hdr->num_partition_entries * hdr->sizeof_partition_entry;
	array_blocks = (array_bytes + lbs - 1) / lbs;
	if (hdr->partition_entry_lba < 2 || hdr->partition_entry_lba > last_lba ||
	    array_blocks > last_lba + 1 - hdr->partition_entry_lba) {
		pr_warn("%s: %s GPT entry array at LBA %llu not on the disk\n", st->name, which,
			(unsigned long long)hdr->partition_entry_lba);
		return 0;
	}
	arr = kmalloc(array_blocks ? array_blocks * lbs : 1, GFP_KERNEL);
	if (!arr)
		return -ENOMEM;
	if (array_blocks) {
		err = st->read(st, hdr->partition_entry_lba * (lbs / SECTOR_SIZE), arr,
			       (unsigned int)(array_blocks * lbs));
		if (err) {
			kfree(arr);
			return err;
		}
	}
	crc = crc32(arr, (size_t)array_bytes);
	if (crc != hdr->partition_entry_array_crc32) {
		pr_warn("%s: %s GPT entry array CRC32 %#x, expected %#x: invalid\n", st->name,
			which, crc, hdr->partition_entry_array_crc32);
		kfree(arr);
		return 0;
	}
	*entries = arr;
	return 1;
}

static bool guid_is_zero(const u8 *g)
{
	for (int i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

int efi_partition(struct parsed_partitions *st)
{
	unsigned int lbs = st->lbs;
	u64 last_lba = st->nr_sectors / (lbs / SECTOR_SIZE) - 1;
	sector_t scale = lbs / SECTOR_SIZE;
	struct gpt_header hdr;
	u8 *entries = NULL, *blk;
	int err;

	if (st->nr_sectors / scale < 3)
		return 0;
	blk = kmalloc(lbs, GFP_KERNEL);
	if (!blk)
		return -ENOMEM;
	err = has_protective_mbr(st, blk);
	if (err <= 0)
		goto out;	/* no protective MBR: not GPT (Linux without gpt= too) */
	err = gpt_read_valid(st, 1, last_lba, blk, &hdr, &entries, "primary");
	if (err == 0) {
		err = gpt_read_valid(st, last_lba, last_lba, blk, &hdr, &entries, "backup");
		if (err > 0)
			pr_warn("%s: using the backup GPT\n", st->name);
	}
	if (err <= 0)
		goto out;
	st->format = "gpt";
	for (u32 i = 0; i < hdr.num_partition_entries; i++) {
		struct gpt_entry e;

		memcpy(&e, entries + (size_t)i * hdr.sizeof_partition_entry, sizeof(e));
		if (guid_is_zero(e.type_guid))
			continue;
		if (e.starting_lba > e.ending_lba || e.starting_lba < hdr.first_usable_lba ||
		    e.ending_lba > hdr.last_usable_lba) {
			pr_warn("%s: GPT entry %u (LBA %llu..%llu) outside the usable LBAs %llu..%llu: ignored\n",
				st->name, i + 1, (unsigned long long)e.starting_lba,
				(unsigned long long)e.ending_lba,
				(unsigned long long)hdr.first_usable_lba,
				(unsigned long long)hdr.last_usable_lba);
			continue;
		}
		put_partition(st, i + 1, e.starting_lba * scale,
			      (e.ending_lba - e.starting_lba + 1) * scale);
	}
	err = 1;
out:
	kfree(entries);
	kfree(blk);
	return err;
}
