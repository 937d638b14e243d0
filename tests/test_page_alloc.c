// SPDX-License-Identifier: MIT
/* The buddy allocator against a model of which pfns are allocated. */
#include <exo/memblock.h>
#include <exo/mm.h>
#include "harness.h"
#include <string.h>
#include "test_mm.h"

/* Max-order blocks that fit, aligned, in the free memblock ranges. */
static unsigned long count_max_order_blocks(void)
{
	return expected_max_blocks;
}

TEST(page_alloc_init_hands_over_all_free_memory)
{
	test_boot(64 * MB, false);
	CHECK(totalram_pages() == expected_free_pages);
	CHECK(nr_free_pages() == expected_free_pages);
	CHECK(PageReserved(pfn_to_page(0)));			/* reserved by test_boot */
	CHECK(PageReserved(virt_to_page(mem_map)));		/* mem_map itself */
	CHECK(max_pfn == 64 * MB / PAGE_SIZE);
}

TEST(page_alloc_random_against_model)
{
	enum { NBLOCKS = 4096 };
	static struct page *blk[NBLOCKS];
	static unsigned int ord[NBLOCKS];
	static unsigned char owned[64 * MB / PAGE_SIZE];
	unsigned long used = 0, i;
	int step, n = 0;

	test_boot(64 * MB, false);
	for (step = 0; step < 40000; step++) {
		host_cpu_id = test_rand() % NR_CPUS;
		if (n < NBLOCKS && (n == 0 || test_rand() % 100 < 55)) {
			unsigned int order = test_rand() % 4 ? 0 : test_rand() % MAX_ORDER;
			struct page *page = alloc_pages(GFP_KERNEL, order);
			unsigned long pfn;

			if (!page)
				continue;
			pfn = page_to_pfn(page);
			CHECK(pfn % (1UL << order) == 0);
			CHECK(pfn + (1UL << order) <= max_pfn);
			CHECK(page_count(page) == 1);
			for (i = 0; i < (1UL << order); i++) {
				CHECK(!owned[pfn + i]);
				CHECK(is_free_ram(pfn + i));
				owned[pfn + i] = 1;
			}
			memset(page_address(page), (int)(pfn & 0xff), 64);
			blk[n] = page;
			ord[n++] = order;
			used += 1UL << order;
		} else {
			int k = (int)(test_rand() % (unsigned long)n);
			unsigned long pfn = page_to_pfn(blk[k]);
			unsigned char *mem = page_address(blk[k]);

			for (i = 0; i < 64; i++)
				CHECK(mem[i] == (pfn & 0xff));
			for (i = 0; i < (1UL << ord[k]); i++)
				owned[pfn + i] = 0;
			__free_pages(blk[k], ord[k]);
			used -= 1UL << ord[k];
			blk[k] = blk[--n];
			ord[k] = ord[n];
		}
		CHECK(nr_free_pages() == expected_free_pages - used);
	}
	while (n--)
		__free_pages(blk[n], ord[n]);
	CHECK(nr_free_pages() == expected_free_pages);
	CHECK(host_irqs_off == 0);
	drain_all_cpus();
	/* Everything coalesced: every max-order block can be allocated again. */
	for (i = 0; i < count_max_order_blocks(); i++)
		CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
	CHECK(!alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
}

TEST(page_alloc_exhaustion_then_recovery)
{
	static struct page *pages[64 * MB / PAGE_SIZE];
	unsigned long n = 0, i;
	struct page *p;

	test_boot(16 * MB, false);
	while ((p = alloc_page(GFP_KERNEL)))
		pages[n++] = p;
	CHECK(n == expected_free_pages);
	CHECK(nr_free_pages() == 0);
	CHECK(!alloc_page(GFP_ATOMIC));
	CHECK(!alloc_pages(GFP_KERNEL, 3));
	CHECK(!__get_free_pages(GFP_KERNEL, 0));
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	CHECK(nr_free_pages() == expected_free_pages);
	/* Pages cached on this CPU are drained when a high order needs them. */
	for (i = 0; i < count_max_order_blocks(); i++)
		CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
	CHECK(host_irqs_off == 0);
}

TEST(page_alloc_fragment_then_coalesce)
{
	static struct page *pages[32 * MB / PAGE_SIZE];
	unsigned long n = 0, i;
	struct page *p;

	test_boot(32 * MB, false);
	while ((p = alloc_page(GFP_KERNEL)))
		pages[n++] = p;
	/* Free every other page: plenty free, nothing of order 1. */
	for (i = 0; i < n; i += 2)
		__free_page(pages[i]);
	drain_all_cpus();
	CHECK(nr_free_pages() == (n + 1) / 2);
	CHECK(!alloc_pages(GFP_KERNEL, 1));
	for (i = 1; i < n; i += 2)
		__free_page(pages[i]);
	drain_all_cpus();
	CHECK(nr_free_pages() == expected_free_pages);
	for (i = 0; i < count_max_order_blocks(); i++)
		CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
	CHECK(!alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
}

TEST(page_alloc_per_cpu_lists)
{
	static struct page *pages[2000], *pages2[32 * MB / PAGE_SIZE];
	unsigned long free0, i;

	test_boot(32 * MB, false);
	free0 = nr_free_pages();
	host_cpu_id = 0;
	for (i = 0; i < 2000; i++)
		CHECK((pages[i] = alloc_page(GFP_KERNEL)));
	/* Freed on CPU 1: its list stays bounded and the excess returns to the buddy. */
	host_cpu_id = 1;
	for (i = 0; i < 2000; i++)
		__free_page(pages[i]);
	CHECK(nr_free_pages() == free0);
	/*
	 * CPU 2 can take everything but what CPUs 0 and 1 cache: CPU 1's list is
	 * capped at PCP_HIGH (378) pages, CPU 0 holds less than a batch (63).
	 */
	host_cpu_id = 2;
	for (i = 0; (pages2[i] = alloc_page(GFP_KERNEL)); i++)
		;
	CHECK(i >= free0 - 378 - 63 && i < free0);
	while (i--)
		__free_page(pages2[i]);
	drain_all_cpus();
	CHECK(nr_free_pages() == free0);
	for (i = 0; i < count_max_order_blocks(); i++)
		CHECK(alloc_pages(GFP_KERNEL, MAX_ORDER - 1));
}

TEST(page_alloc_refcount_and_zeroing)
{
	struct page *page;
	unsigned long free0, addr;
	unsigned char *mem;
	int i;

	test_boot(16 * MB, false);
	free0 = nr_free_pages();
	page = alloc_page(GFP_KERNEL);
	memset(page_address(page), 0xaa, PAGE_SIZE);
	get_page(page);
	CHECK(page_count(page) == 2);
	__free_page(page);
	CHECK(nr_free_pages() == free0 - 1);
	put_page(page);
	CHECK(nr_free_pages() == free0);
	/* The same (hot) page comes back, zeroed. */
	addr = get_zeroed_page(GFP_KERNEL);
	CHECK(addr == (unsigned long)page_address(page));
	mem = (unsigned char *)addr;
	for (i = 0; i < (int)PAGE_SIZE; i++)
		CHECK(mem[i] == 0);
	CHECK(virt_to_page(mem) == page);
	free_page(addr);
	free_pages(0, 0);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	mem = page_address(page);
	for (i = 0; i < 4 * (int)PAGE_SIZE; i++)
		CHECK(mem[i] == 0);
	__free_pages(page, 2);
	CHECK(nr_free_pages() == free0);
	CHECK(!alloc_pages(GFP_KERNEL, MAX_ORDER));
}

TEST(page_alloc_zones_dma32_and_normal)
{
	unsigned long dma_pages = 0, normal_pages = 0;
	struct page *p;

	test_boot(96 * MB, true);	/* adds 16 MiB at 4 GiB; mem_map is 64 MiB */
	p = alloc_page(GFP_KERNEL);
	CHECK(page_to_phys(p) >= (4UL << 30));	/* Normal is preferred */
	__free_page(p);
	p = alloc_pages(__GFP_DMA32, 4);
	CHECK(page_to_phys(p) < (4UL << 30));
	__free_pages(p, 4);
	while ((p = alloc_page(__GFP_DMA32))) {
		CHECK(page_to_phys(p) < (4UL << 30));
		dma_pages++;
	}
	while ((p = alloc_page(GFP_KERNEL))) {
		CHECK(page_to_phys(p) >= (4UL << 30));
		normal_pages++;
	}
	CHECK(normal_pages == 16 * MB / PAGE_SIZE);
	CHECK(dma_pages + normal_pages == expected_free_pages);
	CHECK(nr_free_pages() == 0);
}

TEST(page_alloc_normal_falls_back_to_dma32)
{
	unsigned long n = 0;
	struct page *p;

	test_boot(96 * MB, true);
	while ((p = alloc_page(GFP_KERNEL)))
		n++;
	CHECK(n == expected_free_pages);
}

TEST(page_alloc_debug_double_free)
{
	struct page *p;

	test_boot(16 * MB, false);
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	EXPECT_PANIC(__free_page(p), "double free");
}

/*
 * Dropping one of several references while another holder has the page
 * locked (write-back completion racing a writer) is fine; freeing the last
 * reference of a locked page is a bug.
 */
TEST(page_alloc_debug_locked_page_put)
{
	struct page *p;
	unsigned long free0;

	test_boot(16 * MB, false);
	free0 = nr_free_pages();
	p = alloc_page(GFP_KERNEL);
	get_page(p);
	__SetPageFlag(p, PG_locked);
	put_page(p);
	CHECK(page_count(p) == 1);
	__ClearPageFlag(p, PG_locked);
	put_page(p);
	CHECK(nr_free_pages() == free0);
	p = alloc_page(GFP_KERNEL);
	__SetPageFlag(p, PG_locked);
	EXPECT_PANIC(put_page(p), "still locked");
}

TEST(page_alloc_debug_double_free_in_buddy)
{
	struct page *p;

	test_boot(16 * MB, false);
	p = alloc_pages(GFP_KERNEL, 3);
	__free_pages(p, 3);
	EXPECT_PANIC(__free_pages(p, 3), "double free");
}

TEST(page_alloc_debug_bad_order_and_tail)
{
	struct page *p;

	test_boot(16 * MB, false);
	p = alloc_pages(GFP_KERNEL, 2);
	EXPECT_PANIC(__free_pages(p, MAX_ORDER), "bad order");
	test_boot(16 * MB, false);
	p = alloc_pages(GFP_KERNEL, 2);
	EXPECT_PANIC(__free_pages(p + 1, 0), "double free");
	test_boot(16 * MB, false);
	p = alloc_pages(GFP_KERNEL, 2);
	EXPECT_PANIC(__free_pages(p, 3), "");
}

TEST(page_alloc_debug_free_reserved)
{
	test_boot(16 * MB, false);
	set_page_count(pfn_to_page(0), 1);
	EXPECT_PANIC(__free_page(pfn_to_page(0)), "reserved");
}
