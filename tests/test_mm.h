/* SPDX-License-Identifier: MIT */
/* Boots memblock + the page allocator on a fresh fake-RAM arena for one test. */
#ifndef _TESTS_TEST_MM_H
#define _TESTS_TEST_MM_H

#include <exo/memblock.h>
#include <exo/mm.h>
#include <exo/percpu.h>
#include "harness.h"

#define MB (1UL << 20)
#define GB (1UL << 30)

struct test_range {
	unsigned long start_pfn, end_pfn;
};

static unsigned long expected_free_pages, expected_max_blocks;
static struct test_range test_free[16];
static int test_nr_free;

/*
 * RAM is [0, @ram) with the first MiB reserved (firmware, kernel image), plus
 * [4 GiB, 4 GiB + 16 MiB) when @high. The expected counts are computed from
 * memblock's free ranges after page_alloc_init() reserved mem_map.
 */
static inline void test_boot(unsigned long ram, bool high)
{
	phys_addr_t s, e;
	u64 cur;

	host_ram_map(high ? 4 * GB + 16 * MB : ram);
	host_cpu_id = 0;
	memblock_init();
	CHECK(memblock_add(0, ram) == 0);
	if (high)
		CHECK(memblock_add(4 * GB, 16 * MB) == 0);
	CHECK(memblock_reserve(0, MB) == 0);
	page_alloc_init();
	expected_free_pages = expected_max_blocks = 0;
	test_nr_free = 0;
	for_each_free_mem_range(cur, s, e) {
		unsigned long sp = s / PAGE_SIZE, ep = e / PAGE_SIZE;
		unsigned long b = ALIGN(sp, MAX_ORDER_NR_PAGES);

		CHECK(test_nr_free < 16);
		test_free[test_nr_free].start_pfn = sp;
		test_free[test_nr_free++].end_pfn = ep;
		expected_free_pages += ep - sp;
		for (; b + MAX_ORDER_NR_PAGES <= ep; b += MAX_ORDER_NR_PAGES)
			expected_max_blocks++;
	}
}

static inline bool is_free_ram(unsigned long pfn)
{
	int i;

	for (i = 0; i < test_nr_free; i++)
		if (pfn >= test_free[i].start_pfn && pfn < test_free[i].end_pfn)
			return true;
	return false;
}

static inline void drain_all_cpus(void)
{
	unsigned int cpu, saved = host_cpu_id;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		host_cpu_id = cpu;
		drain_local_pages();
	}
	host_cpu_id = saved;
}

#endif /* _TESTS_TEST_MM_H */
