// SPDX-License-Identifier: MIT
/*
 * In-kernel self-test and micro-benchmark of the allocators, run at boot
 * under the self-test switch (the host unit tests in tests/ cover the logic;
 * this checks the real environment: direct map, per-CPU ids, interrupts).
 *
 * mm_selftest() returns 0 or -errno and leaves the free page count where it
 * found it. mm_bench() prints the average cycles of a kmalloc(64)+kfree pair
 * and of an alloc_page+__free_page pair on the per-CPU hot paths.
 */
#define pr_fmt(fmt) "mm selftest: " fmt

#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <asm/timex.h>
#include <uapi/errno.h>

#define SELFTEST_OBJS 512
#define BENCH_WARMUP 1000
#define BENCH_ITERS 100000


static int selftest_pages(void)
{
	struct page *pages[MAX_ORDER];
	unsigned int order;
	int err = 0;

	for (order = 0; order < MAX_ORDER; order++) {
		pages[order] = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
		if (!pages[order]) {
			err = -ENOMEM;
			break;
		}
		memset(page_address(pages[order]), 0x5a, PAGE_SIZE << order);
	}
	while (order--)
		__free_pages(pages[order], order);
	return err;
}

static int selftest_kmalloc(void)
{
	static void *objs[SELFTEST_OBJS];
	int i, err = 0;

	for (i = 0; i < SELFTEST_OBJS; i++) {
		size_t size = 1 + (size_t)(i * 37) % 9000;

		objs[i] = __kmalloc(size, GFP_KERNEL);
		if (!objs[i]) {
			err = -ENOMEM;
			break;
		}
		memset(objs[i], i & 0xff, size);
	}
	while (i--) {
		const u8 *p = objs[i];

		if (p[0] != (i & 0xff) || p[(size_t)(i * 37) % 9000] != (i & 0xff)) {
			pr_err("kmalloc object %p corrupted\n", objs[i]);
			err = -EIO;
		}
		kfree(objs[i]);
	}
	return err;
}

static int mm_selftest(void)
{
	unsigned long before, after;
	int err;

	/* Pages cached per CPU or in empty slabs are not counted free: settle both sides. */
	kmem_cache_shrink_all();
	drain_local_pages();
	before = nr_free_pages();
	err = selftest_pages();
	if (!err)
		err = selftest_kmalloc();
	kmem_cache_shrink_all();
	drain_local_pages();
	after = nr_free_pages();
	if (!err && after != before) {
		pr_err("free pages %lu before, %lu after\n", before, after);
		err = -EIO;
	}
	pr_info("%s\n", err ? "FAILED" : "passed");
	return err;
}

static int mm_bench(void)
{
	struct page *page;
	u64 start, cycles;
	void *p;
	int i;

	for (i = 0; i < BENCH_WARMUP; i++)
		kfree(kmalloc(64, GFP_KERNEL));
	start = get_cycles();
	for (i = 0; i < BENCH_ITERS; i++) {
		p = kmalloc(64, GFP_KERNEL);
		barrier();
		kfree(p);
	}
	cycles = get_cycles() - start;
	printk("bench: kmalloc64+kfree: %llu cycles/pair\n",
	       (unsigned long long)(cycles / BENCH_ITERS));

	for (i = 0; i < BENCH_WARMUP; i++)
		__free_page(alloc_page(GFP_KERNEL));
	start = get_cycles();
	for (i = 0; i < BENCH_ITERS; i++) {
		page = alloc_page(GFP_KERNEL);
		barrier();
		__free_page(page);
	}
	cycles = get_cycles() - start;
	printk("bench: page alloc+free: %llu cycles/pair\n",
	       (unsigned long long)(cycles / BENCH_ITERS));
	return 0;
}

DEFINE_SELFTEST("mm", mm_selftest);
/* Not a check: prints the figures make bench-kernel reads. */
DEFINE_SELFTEST("mm_bench", mm_bench);
