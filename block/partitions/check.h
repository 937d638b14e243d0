/* SPDX-License-Identifier: MIT */
/*
 * Partition table parsers (block/partitions/), shared inside block/ only.
 * Pure code over a sector reader, so the host tests feed them images.
 *
 * A parser fills st->parts[1..] and returns 1 when it recognised its
 * format, 0 when the disk has none of it, or -errno when reading failed.
 * A table that is damaged or lies (bad CRC, entries outside the disk,
 * overlapping entries) is reported with a line naming the disk, and the
 * bad entries (or the whole table) are dropped: never trusted, never a crash.
 */
#ifndef _BLOCK_PARTITIONS_CHECK_H
#define _BLOCK_PARTITIONS_CHECK_H

#include <exo/blkdev.h>

struct parsed_partitions {
	const char *name;			/* disk name, for messages */
	sector_t nr_sectors;			/* disk size in 512-byte sectors */
	unsigned int lbs;			/* logical block size: GPT's LBA */
	/* Reads @len bytes (a multiple of 512) at 512-byte sector @sector; 0 or -errno. */
	int (*read)(struct parsed_partitions *st, sector_t sector, void *buf, unsigned int len);
	void *priv;
	struct {
		sector_t from, size;		/* 512-byte sectors; size 0: no partition */
	} parts[DISK_MAX_PARTS + 1];
	unsigned int limit;			/* highest partition number kept: DISK_MAX_PARTS */
	const char *format;			/* "gpt", "dos" */
};

int efi_partition(struct parsed_partitions *st);
int msdos_partition(struct parsed_partitions *st);
/*
 * Runs the parsers (GPT first: its protective MBR would fool the MBR
 * parser), then drops entries outside the disk or overlapping an earlier
 * one. Returns the number of partitions kept, or -errno from a read.
 */
int check_partitions(struct parsed_partitions *st);
/* Adds partition @n, logging and refusing numbers above st->limit; false if refused. */
bool put_partition(struct parsed_partitions *st, unsigned int n, sector_t from, sector_t size);

#endif /* _BLOCK_PARTITIONS_CHECK_H */
