// SPDX-License-Identifier: MIT
/*
 * Running the partition parsers and checking what they found: each
 * partition must lie inside the disk and overlap no lower-numbered one;
 * offenders are dropped with a message. See check.h.
 */
#include <exo/printk.h>
#include <exo/string.h>
#include "check.h"

bool put_partition(struct parsed_partitions *st, unsigned int n, sector_t from, sector_t size)
{
	if (n == 0 || n > st->limit) {
		pr_warn("%s: partition %u ignored: at most %u partitions\n", st->name, n, st->limit);
		return false;
	}
	st->parts[n].from = from;
	st->parts[n].size = size;
	return true;
}

int check_partitions(struct parsed_partitions *st)
{
	int (*const parsers[])(struct parsed_partitions *) = { efi_partition, msdos_partition };
	int found = 0, err;

	if (!st->limit || st->limit > DISK_MAX_PARTS)
		st->limit = DISK_MAX_PARTS;
	memset(st->parts, 0, sizeof(st->parts));
	st->format = NULL;
	for (unsigned int i = 0; i < ARRAY_SIZE(parsers) && !st->format; i++) {
		err = parsers[i](st);
		if (err < 0)
			return err;
	}
	for (unsigned int n = 1; n <= st->limit; n++) {
		sector_t from = st->parts[n].from, size = st->parts[n].size;

		if (!size)
			continue;
		if (from >= st->nr_sectors || size > st->nr_sectors - from) {
			pr_warn("%s: partition %u (sectors %llu+%llu) beyond the end of the disk (%llu sectors): ignored\n",
				st->name, n, (unsigned long long)from, (unsigned long long)size,
				(unsigned long long)st->nr_sectors);
			st->parts[n].size = 0;
			continue;
		}
		for (unsigned int m = 1; m < n; m++) {
			sector_t f2 = st->parts[m].from, s2 = st->parts[m].size;

			if (s2 && from < f2 + s2 && f2 < from + size) {
				pr_warn("%s: partition %u (sectors %llu+%llu) overlaps partition %u: ignored\n",
					st->name, n, (unsigned long long)from,
					(unsigned long long)size, m);
				st->parts[n].size = 0;
				break;
			}
		}
		if (st->parts[n].size)
			found++;
	}
	return found;
}
