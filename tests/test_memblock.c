// SPDX-License-Identifier: MIT
/* memblock: merging, alignment, reserved carving, limits, full tables, and a bitmap model. */
#include <exo/memblock.h>
#include <uapi/errno.h>
#include <asm/memlayout.h>
#include "harness.h"
#include <string.h>

#define MB (1UL << 20)

struct range {
	phys_addr_t start, end;
};

static int free_ranges(struct range *out, int max)
{
	phys_addr_t s, e;
	u64 cur;
	int n = 0;

	for_each_free_mem_range(cur, s, e) {
		CHECK(n < max);
		out[n].start = s;
		out[n].end = e;
		n++;
	}
	return n;
}

TEST(memblock_merges_overlapping_and_adjacent)
{
	struct range r[8];

	memblock_init();
	CHECK(memblock_add(0x1000, 0x4000) == 0);
	CHECK(memblock_add(0x3000, 0x6000) == 0);	/* overlaps */
	CHECK(memblock_add(0x9000, 0x1000) == 0);	/* touches */
	CHECK(memblock_add(0x20000, 0x1000) == 0);	/* separate */
	CHECK(memblock_add(0x1000, 0x1000) == 0);	/* duplicate */
	CHECK(free_ranges(r, 8) == 2);
	CHECK(r[0].start == 0x1000 && r[0].end == 0xa000);
	CHECK(r[1].start == 0x20000 && r[1].end == 0x21000);
	CHECK(memblock_add(0x40000, 0x1000) == 0);
	CHECK(memblock_add(0x0, 0x50000) == 0);		/* swallows all three */
	CHECK(free_ranges(r, 8) == 1);
	CHECK(r[0].start == 0 && r[0].end == 0x50000);
	CHECK(memblock_phys_mem_size() == 0x50000);
	CHECK(memblock_end_of_ram() == 0x50000);
}

TEST(memblock_aligns_usable_inward_reserved_outward)
{
	struct range r[8];

	memblock_init();
	CHECK(memblock_add(0x1234, 0x3000) == 0);	/* -> [0x2000, 0x4000) */
	CHECK(memblock_add(0x10010, 0xff0) == 0);	/* less than a page after rounding */
	CHECK(memblock_add(0x7000, 0) == 0);
	CHECK(memblock_phys_mem_size() == 0x2000);
	CHECK(memblock_add(0x100000, 0x100000) == 0);
	CHECK(memblock_reserve(0x100fff, 2) == 0);	/* -> [0x100000, 0x102000) */
	CHECK(memblock_reserved_size() == 0x2000);
	CHECK(free_ranges(r, 8) == 2);
	CHECK(r[0].start == 0x2000 && r[0].end == 0x4000);
	CHECK(r[1].start == 0x102000 && r[1].end == 0x200000);
}

TEST(memblock_reserve_carves_usable)
{
	struct range r[8];

	memblock_init();
	CHECK(memblock_add(1 * MB, 15 * MB) == 0);
	CHECK(memblock_add(32 * MB, 8 * MB) == 0);
	CHECK(memblock_reserve(2 * MB, 1 * MB) == 0);
	CHECK(memblock_reserve(2 * MB + MB / 2, 3 * MB / 2) == 0);	/* merges -> [2M, 4M) */
	CHECK(memblock_reserve(0, 3 * MB / 2) == 0);			/* sticks out below RAM */
	CHECK(memblock_reserve(15 * MB, 18 * MB) == 0);		/* spans the hole */
	CHECK(memblock_reserve(39 * MB, 100 * MB) == 0);		/* runs past the end */
	CHECK(free_ranges(r, 8) == 3);
	CHECK(r[0].start == 3 * MB / 2 && r[0].end == 2 * MB);
	CHECK(r[1].start == 4 * MB && r[1].end == 15 * MB);
	CHECK(r[2].start == 33 * MB && r[2].end == 39 * MB);
	CHECK(memblock_phys_mem_size() == 23 * MB);
	CHECK(memblock_end_of_ram() == 40 * MB);
}

TEST(memblock_alloc_top_down_below_limit)
{
	phys_addr_t a, b, c;
	struct range r[8];

	memblock_init();
	CHECK(memblock_add(1 * MB, 63 * MB) == 0);
	memblock_set_limit(16 * MB);
	a = memblock_alloc(100, 8);
	CHECK(a == 16 * MB - PAGE_SIZE);
	b = memblock_alloc(MB, MB);
	CHECK(b == 14 * MB);
	c = memblock_alloc(3 * PAGE_SIZE, 0);
	CHECK(c == 16 * MB - 4 * PAGE_SIZE);
	CHECK(memblock_alloc(20 * MB, PAGE_SIZE) == 0);	/* does not fit below the limit */
	CHECK(memblock_alloc(PAGE_SIZE, 3 * PAGE_SIZE) == 0);	/* bad alignment */
	CHECK(memblock_alloc(0, PAGE_SIZE) == 0);
	CHECK(free_ranges(r, 8) == 3);
	CHECK(r[0].start == 1 * MB && r[0].end == 14 * MB);
	CHECK(r[1].start == 15 * MB && r[1].end == 16 * MB - 4 * PAGE_SIZE);
	CHECK(r[2].start == 16 * MB && r[2].end == 64 * MB);
	memblock_set_limit(MB / 2);
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 0);
	memblock_set_limit(MEMBLOCK_ALLOC_ANYWHERE);
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 64 * MB - PAGE_SIZE);
	memblock_freeze();
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 0);
	CHECK(host_warn_count == 1);
}

TEST(memblock_never_returns_page_zero)
{
	memblock_init();
	CHECK(memblock_add(0, 2 * PAGE_SIZE) == 0);
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == PAGE_SIZE);
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 0);
}

TEST(memblock_full_table_is_left_intact)
{
	struct range r[MEMBLOCK_MAX_REGIONS + 1];
	int i;

	memblock_init();
	for (i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		CHECK(memblock_add((phys_addr_t)i * 2 * PAGE_SIZE, PAGE_SIZE) == 0);
	CHECK(memblock_add(1000 * PAGE_SIZE, PAGE_SIZE) == -ENOMEM);
	CHECK(free_ranges(r, MEMBLOCK_MAX_REGIONS + 1) == MEMBLOCK_MAX_REGIONS);
	CHECK(memblock_phys_mem_size() == MEMBLOCK_MAX_REGIONS * PAGE_SIZE);
	/* A merging add needs no new slot. */
	CHECK(memblock_add(PAGE_SIZE, PAGE_SIZE) == 0);
	CHECK(free_ranges(r, MEMBLOCK_MAX_REGIONS + 1) == MEMBLOCK_MAX_REGIONS - 1);
	CHECK(r[0].start == 0 && r[0].end == 3 * PAGE_SIZE);
}

TEST(memblock_clips_address_space_overflow)
{
	struct range r[4];
	phys_addr_t top = ~(phys_addr_t)0;

	memblock_init();
	CHECK(memblock_add(top - 0x2fff, 0x10000) == 0);
	CHECK(memblock_add(top, 5) == 0);
	CHECK(memblock_reserve(top - 0x800, 0x10000) == 0);
	CHECK(free_ranges(r, 4) == 1);
	CHECK(r[0].start == top - 0x2fff && r[0].end == top - 0xfff);
	CHECK(memblock_reserve(top - 0x1800, 0x100) == 0);
	CHECK(free_ranges(r, 4) == 1);
	CHECK(r[0].start == top - 0x2fff && r[0].end == top - 0x1fff);
}

/* Random adds and reserves checked page by page against bitmaps. */
TEST(memblock_matches_bitmap_model)
{
	enum { NPAGES = 4096 };
	static unsigned char usable[NPAGES], reserved[NPAGES];
	int round;

	for (round = 0; round < 50; round++) {
		phys_addr_t s, e;
		u64 cur;
		unsigned long p, prev_end = 0;
		int op;

		memblock_init();
		memset(usable, 0, sizeof(usable));
		memset(reserved, 0, sizeof(reserved));
		for (op = 0; op < 60; op++) {
			phys_addr_t base = test_rand() % (NPAGES * PAGE_SIZE);
			phys_addr_t size = test_rand() % (64 * PAGE_SIZE);

			if (base + size > NPAGES * PAGE_SIZE)
				size = NPAGES * PAGE_SIZE - base;
			if (test_rand() & 1) {
				CHECK(memblock_add(base, size) == 0);
				for (p = (base + PAGE_SIZE - 1) / PAGE_SIZE; p < (base + size) / PAGE_SIZE; p++)
					usable[p] = 1;
			} else {
				CHECK(memblock_reserve(base, size) == 0);
				for (p = base / PAGE_SIZE; size && p < (base + size + PAGE_SIZE - 1) / PAGE_SIZE; p++)
					reserved[p] = 1;
			}
		}
		for (p = 0; p < NPAGES; p++)
			usable[p] = usable[p] && !reserved[p];
		for_each_free_mem_range(cur, s, e) {
			CHECK(s < e && s % PAGE_SIZE == 0 && e % PAGE_SIZE == 0);
			CHECK(s >= prev_end);
			for (p = prev_end / PAGE_SIZE; p < s / PAGE_SIZE; p++)
				CHECK(!usable[p]);
			for (p = s / PAGE_SIZE; p < e / PAGE_SIZE; p++) {
				CHECK(usable[p]);
				usable[p] = 0;
			}
			prev_end = e;
		}
		for (p = 0; p < NPAGES; p++)
			CHECK(!usable[p]);
	}
}
