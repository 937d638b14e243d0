// SPDX-License-Identifier: MIT
/*
 * /proc/meminfo in Linux 6.1's layout: "Name:" padded to 16 columns, the
 * value right-aligned in 8, " kB". What Exo-OS tracks: total and free pages
 * (mm/page_alloc.c), the page cache (fs/filemap.c), which is all tmpfs
 * and so, as in Linux, counts as both Cached and Shmem, slab pages
 * (all unreclaimable: no shrinkers), kernel stacks (one per task in the
 * task list), page tables (PML4s included) and vmalloc pages. There is no swap,
 * no reclaim (so no active/inactive lists: all cache is "inactive file"),
 * no huge pages; those lines read 0. MemAvailable is free plus nothing
 * reclaimable, since tmpfs pages cannot be dropped.
 *
 * Also /proc/slabinfo: the slab allocator's counts per cache.
 */
#include <exo/blkdev.h>
#include <exo/fs.h>
#include <exo/mm.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/vmalloc.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <asm/memlayout.h>
#include <asm/mmu.h>
#include <uapi/errno.h>
#include "internal.h"

static void meminfo_line(struct seq_file *m, const char *name, unsigned long kb)
{
	size_t start = m->count;

	seq_printf(m, "%s:", name);
	seq_pad(m, start, 16, 0);
	seq_printf(m, "%8lu kB\n", kb);
}

#define PAGES_KB(p) ((p) << (PAGE_SHIFT - 10))

static void slabinfo_line(const struct kmem_cache_info *c, void *arg)
{
	seq_printf(arg, "%-17s %6lu %6lu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
		   c->name, c->active_objs, c->num_objs, c->objsize, c->objects_per_slab,
		   c->pages_per_slab, SLAB_CPU_SLOTS, SLAB_CPU_BATCH, 0, c->active_slabs,
		   c->num_slabs, c->cpu_cached);
}

/*
 * /proc/slabinfo in Linux's format, version 2.1 (what slabtop reads). The
 * tunables are the per-CPU stack's size and batch; slabdata's sharedavail
 * column is the objects sitting in per-CPU stacks, which active_objs leaves
 * out. Large kmalloc()s have no cache and no line: meminfo counts their
 * pages in Slab, as Linux does.
 */
int proc_slabinfo_show(struct seq_file *m)
{
	seq_puts(m, "slabinfo - version: 2.1\n"
		    "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		    "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
		    "slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	kmem_cache_for_each_info(slabinfo_line, m);
	return 0;
}

int proc_meminfo_show(struct seq_file *m)
{
	unsigned long total = totalram_pages(), free = nr_free_pages();
	unsigned long cached = READ_ONCE(nr_pagecache_pages);
	unsigned long slab = kmem_cache_total_pages();
	unsigned long stacks_kb = (unsigned long)nr_threads() * (KERNEL_STACK_SIZE >> 10);
	unsigned long buffers = 0;

#ifdef CONFIG_BLOCK
	/* Linux's Cached leaves the block devices' pages out: they are Buffers. */
	buffers = min(nr_blockdev_pages(), cached);
#endif

	meminfo_line(m, "MemTotal", PAGES_KB(total));
	meminfo_line(m, "MemFree", PAGES_KB(free));
	meminfo_line(m, "MemAvailable", PAGES_KB(free));
	meminfo_line(m, "Buffers", PAGES_KB(buffers));
	meminfo_line(m, "Cached", PAGES_KB(cached - buffers));
	meminfo_line(m, "SwapCached", 0);
	meminfo_line(m, "Active", 0);
	meminfo_line(m, "Inactive", PAGES_KB(cached));
	meminfo_line(m, "Active(anon)", 0);
	meminfo_line(m, "Inactive(anon)", 0);
	meminfo_line(m, "Active(file)", 0);
	meminfo_line(m, "Inactive(file)", PAGES_KB(cached));
	meminfo_line(m, "Unevictable", 0);
	meminfo_line(m, "Mlocked", 0);
	meminfo_line(m, "SwapTotal", 0);
	meminfo_line(m, "SwapFree", 0);
	meminfo_line(m, "Dirty", 0);
	meminfo_line(m, "Writeback", 0);
	meminfo_line(m, "AnonPages", 0);
	meminfo_line(m, "Mapped", 0);
	meminfo_line(m, "Shmem", PAGES_KB(cached));
	meminfo_line(m, "KReclaimable", 0);
	meminfo_line(m, "Slab", PAGES_KB(slab));
	meminfo_line(m, "SReclaimable", 0);
	meminfo_line(m, "SUnreclaim", PAGES_KB(slab));
	meminfo_line(m, "KernelStack", stacks_kb);
	meminfo_line(m, "PageTables", PAGES_KB(arch_pagetable_pages()));
	meminfo_line(m, "NFS_Unstable", 0);
	meminfo_line(m, "Bounce", 0);
	meminfo_line(m, "WritebackTmp", 0);
	meminfo_line(m, "CommitLimit", PAGES_KB(total / 2));
	meminfo_line(m, "Committed_AS", 0);
	meminfo_line(m, "VmallocTotal", (VMALLOC_END - VMALLOC_START) >> 10);
	meminfo_line(m, "VmallocUsed", PAGES_KB(vmalloc_used_pages()));
	meminfo_line(m, "VmallocChunk", 0);
	meminfo_line(m, "Percpu", 0);
	seq_puts(m, "HardwareCorrupted:     0 kB\n");	/* Linux's own width for this one */
	meminfo_line(m, "AnonHugePages", 0);
	meminfo_line(m, "ShmemHugePages", 0);
	meminfo_line(m, "ShmemPmdMapped", 0);
	meminfo_line(m, "FileHugePages", 0);
	meminfo_line(m, "FilePmdMapped", 0);
	seq_puts(m, "HugePages_Total:       0\nHugePages_Free:        0\n"
		    "HugePages_Rsvd:        0\nHugePages_Surp:        0\n");
	meminfo_line(m, "Hugepagesize", 2048);
	meminfo_line(m, "Hugetlb", 0);
	meminfo_line(m, "DirectMap4k", 0);
	meminfo_line(m, "DirectMap2M", 0);
	meminfo_line(m, "DirectMap1G", 0);
	return 0;
}
