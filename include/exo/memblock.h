/* SPDX-License-Identifier: MIT */
/*
 * Boot-time physical memory registry (mm/memblock.c).
 *
 * Early boot records usable RAM from the firmware map with memblock_add() and
 * carves out what is already in use (kernel image, modules, ACPI tables, the
 * boot page tables) with memblock_reserve(). memblock_alloc() then hands out
 * physical memory from "usable minus reserved", highest address first but
 * below the limit set by memblock_set_limit(), because early boot has only the
 * low memory mapped. page_alloc_init() finally gives every free range to the
 * buddy allocator; after that memblock_alloc() fails with a warning.
 *
 * Rules: single-threaded boot code only (no locking). Usable ranges shrink
 * inward to page boundaries, reserved ranges grow outward, so a partially
 * usable page is never handed out. Overlapping or repeated input is merged.
 */
#ifndef _EXO_MEMBLOCK_H
#define _EXO_MEMBLOCK_H

#include <exo/types.h>

/* Each of the usable and reserved tables holds this many disjoint ranges. */
#define MEMBLOCK_MAX_REGIONS 128
#define MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0)

/* Empties both tables and resets the limit; the first call of boot code. */
void memblock_init(void);
/* Returns 0, or -ENOMEM when the table is full (the table is left unchanged). */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* memblock_alloc() only returns memory that ends at or below @limit. */
void memblock_set_limit(phys_addr_t limit);
/*
 * Reserves and returns a physical range of @size bytes (rounded up to pages)
 * aligned to @align (a power of two; at least PAGE_SIZE is used). The memory
 * is not zeroed. Returns 0 on failure; physical page 0 is never returned.
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align);
/* Total bytes of usable RAM (reserved parts included). */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
/* End address of the highest usable range, 0 if there is none. */
phys_addr_t memblock_end_of_ram(void);
/* Makes every later memblock_alloc() fail: the buddy allocator owns memory now. */
void memblock_freeze(void);

/*
 * Steps a cursor through the free (usable minus reserved) ranges in
 * ascending order. Returns false when there are no more ranges.
 */
bool memblock_next_free_range(u64 *cursor, phys_addr_t *start, phys_addr_t *end);

#define for_each_free_mem_range(cursor, start, end) \
	for (cursor = 0; memblock_next_free_range(&(cursor), &(start), &(end));)

#endif /* _EXO_MEMBLOCK_H */
