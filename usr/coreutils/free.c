/*
 * free: memory use in procps' layout, from /proc/meminfo (MemAvailable,
 * Buffers, Cached, SReclaimable, Shmem) or, without procfs, sysinfo(2).
 * -b -k -m -g pick the unit (KiB by default), -h a readable one per number.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "exobox.h"

static int shift = 10, human;

static unsigned long long meminfo_get(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtoull(p + strlen(key), NULL, 10) * 1024 : 0;
}

static void col(unsigned long long bytes)
{
	static const char units[] = "BKMGTP";
	char buf[32];

	if (!human) {
		printf(" %11llu", bytes >> shift);
		return;
	}
	{
		double v = bytes;
		int u = 0;

		while (v >= 1024 && u < 5) {
			v /= 1024;
			u++;
		}
		if (!u)
			snprintf(buf, sizeof(buf), "%lluB", bytes);
		else if (v < 10)
			snprintf(buf, sizeof(buf), "%.1f%ci", v, units[u]);
		else
			snprintf(buf, sizeof(buf), "%lld%ci", (long long)v, units[u]);
	}
	printf(" %11s", buf);
}

int free_main(int argc, char **argv)
{
	unsigned long long total, mfree, avail, shared, cache, used, stotal, sfree;
	char buf[8192];
	int c;

	while ((c = getopt(argc, argv, "bkmght")) != -1) {
		switch (c) {
		case 'b': shift = 0; break;
		case 'k': shift = 10; break;
		case 'm': shift = 20; break;
		case 'g': shift = 30; break;
		case 'h': human = 1; break;
		case 't': break;
		default: usage();
		}
	}
	if (read_small_file("/proc/meminfo", buf, sizeof(buf)) > 0) {
		total = meminfo_get(buf, "MemTotal:");
		mfree = meminfo_get(buf, "MemFree:");
		shared = meminfo_get(buf, "Shmem:");
		cache = meminfo_get(buf, "Buffers:") + meminfo_get(buf, "\nCached:") +
			meminfo_get(buf, "SReclaimable:");
		avail = strstr(buf, "MemAvailable:") ? meminfo_get(buf, "MemAvailable:") : mfree;
		stotal = meminfo_get(buf, "SwapTotal:");
		sfree = meminfo_get(buf, "SwapFree:");
	} else {
		struct sysinfo si;

		if (sysinfo(&si))
			die_errno("no /proc/meminfo and sysinfo failed");
		total = (unsigned long long)si.totalram * si.mem_unit;
		mfree = (unsigned long long)si.freeram * si.mem_unit;
		shared = (unsigned long long)si.sharedram * si.mem_unit;
		cache = (unsigned long long)si.bufferram * si.mem_unit;
		avail = mfree + cache;
		stotal = (unsigned long long)si.totalswap * si.mem_unit;
		sfree = (unsigned long long)si.freeswap * si.mem_unit;
	}
	/* procps 4: used is what is not available. */
	used = total > avail ? total - avail : 0;
	printf("               total        used        free      shared  buff/cache   available\n");
	printf("Mem:    ");
	col(total);
	col(used);
	col(mfree);
	col(shared);
	col(cache);
	col(avail);
	printf("\nSwap:   ");
	col(stotal);
	col(stotal - sfree);
	col(sfree);
	putchar('\n');
	return 0;
}
