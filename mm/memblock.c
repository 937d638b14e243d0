// SPDX-License-Identifier: MIT
/*
 * Boot-time physical memory registry.
 *
 * Two tables of disjoint, sorted, non-touching ranges: "memory" (usable RAM
 * from the firmware map) and "reserved" (in use before the page allocator
 * exists). Free memory is memory minus reserved; it is never stored, only
 * computed by memblock_next_free_range(), so the two tables cannot disagree.
 *
 * Interface: memblock_add(), memblock_reserve(), memblock_alloc() and the free
 * range iterator, see <exo/memblock.h>.
 *
 * Rules:
 *  - Boot CPU only, before the page allocator: there is no lock.
 *  - Every range in both tables is page aligned: usable input shrinks inward,
 *    reserved input grows outward, so a page that is partly reserved or
 *    partly missing is never handed out.
 *  - A table update either completes or leaves the table as it was
 *    (-ENOMEM when full); firmware input that overflows the address space is
 *    clipped, empty input is ignored.
 */
#include <exo/compiler.h>
#include <exo/memblock.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <asm/memlayout.h>
#include <uapi/errno.h>

#define PHYS_ADDR_MAX (~(phys_addr_t)0)

struct memblock_range {
	phys_addr_t base;
	phys_addr_t end;	/* exclusive */
};

struct memblock_table {
	unsigned int cnt;
	struct memblock_range r[MEMBLOCK_MAX_REGIONS];
};

static struct memblock_table memblock_memory;
static struct memblock_table memblock_reserved;
static phys_addr_t memblock_limit = MEMBLOCK_ALLOC_ANYWHERE;
static bool memblock_frozen;

void memblock_init(void)
{
	memblock_memory.cnt = 0;
	memblock_reserved.cnt = 0;
	memblock_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock_frozen = false;
}

/*
 * Adds [base, end) to @t, merging with every range it overlaps or touches.
 * Ranges i..j-1 are those that touch the new one; they collapse into one.
 */
static int memblock_table_insert(struct memblock_table *t, phys_addr_t base, phys_addr_t end)
{
	unsigned int i, j, k;

	if (base >= end)
		return 0;
	for (i = 0; i < t->cnt && t->r[i].end < base; i++)
		;
	for (j = i; j < t->cnt && t->r[j].base <= end; j++)
		;
	if (i == j) {
		if (t->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOMEM;
		for (k = t->cnt; k > i; k--)
			t->r[k] = t->r[k - 1];
		t->r[i].base = base;
		t->r[i].end = end;
		t->cnt++;
		return 0;
	}
	t->r[i].base = min(t->r[i].base, base);
	t->r[i].end = max(t->r[j - 1].end, end);
	for (k = j; k < t->cnt; k++)
		t->r[i + 1 + k - j] = t->r[k];
	t->cnt -= j - i - 1;
	return 0;
}

/* End of [base, base + size), clipped to the top of the address space. */
static phys_addr_t memblock_range_end(phys_addr_t base, phys_addr_t size)
{
	if (size > PHYS_ADDR_MAX - base)
		return PHYS_ADDR_MAX;
	return base + size;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = ALIGN_DOWN(memblock_range_end(base, size), PAGE_SIZE);

	if (base > ALIGN_DOWN(PHYS_ADDR_MAX, PAGE_SIZE))
		return 0;
	base = ALIGN(base, PAGE_SIZE);
	return memblock_table_insert(&memblock_memory, base, end);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = memblock_range_end(base, size);

	if (size == 0)
		return 0;
	/* The last page of the address space cannot be represented as [base, end). */
	end = end > ALIGN_DOWN(PHYS_ADDR_MAX, PAGE_SIZE) ? ALIGN_DOWN(PHYS_ADDR_MAX, PAGE_SIZE)
							 : ALIGN(end, PAGE_SIZE);
	return memblock_table_insert(&memblock_reserved, ALIGN_DOWN(base, PAGE_SIZE), end);
}

void memblock_set_limit(phys_addr_t limit)
{
	memblock_limit = limit;
}

/*
 * The free ranges are memory range m intersected with reserved gap g, where
 * gap g runs from the end of reserved range g-1 to the start of reserved range
 * g. The cursor packs (m, g); both only move forward.
 */
bool memblock_next_free_range(u64 *cursor, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_table *mem = &memblock_memory, *rsv = &memblock_reserved;
	unsigned int m = (u32)*cursor, g = (u32)(*cursor >> 32);

	while (m < mem->cnt) {
		phys_addr_t mb = mem->r[m].base, me = mem->r[m].end;
		phys_addr_t gb = g ? rsv->r[g - 1].end : 0;
		phys_addr_t ge = g < rsv->cnt ? rsv->r[g].base : PHYS_ADDR_MAX;

		if (g > rsv->cnt || gb >= me) {
			m++;
			continue;
		}
		if (ge <= mb) {
			g++;
			continue;
		}
		*start = max(mb, gb);
		*end = min(me, ge);
		/* A gap that outlives this memory range may cover the next one too. */
		if (ge >= me)
			m++;
		else
			g++;
		*cursor = (u64)g << 32 | m;
		return true;
	}
	*cursor = (u64)g << 32 | m;
	return false;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t start, end, best = 0;
	u64 cursor;

	if (WARN_ON(memblock_frozen))
		return 0;
	if (size == 0 || size > PHYS_ADDR_MAX - PAGE_SIZE || (align & (align - 1)))
		return 0;
	size = ALIGN(size, PAGE_SIZE);
	align = max(align, (phys_addr_t)PAGE_SIZE);

	for_each_free_mem_range(cursor, start, end) {
		phys_addr_t cand;

		end = min(end, ALIGN_DOWN(memblock_limit, PAGE_SIZE));
		start = max(start, (phys_addr_t)PAGE_SIZE);
		if (end <= start || end - start < size)
			continue;
		cand = ALIGN_DOWN(end - size, align);
		if (cand >= start && cand > best)
			best = cand;
	}
	if (!best)
		return 0;
	if (memblock_reserve(best, size))
		return 0;
	return best;
}

static phys_addr_t memblock_table_size(const struct memblock_table *t)
{
	phys_addr_t total = 0;
	unsigned int i;

	for (i = 0; i < t->cnt; i++)
		total += t->r[i].end - t->r[i].base;
	return total;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock_table_size(&memblock_memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock_table_size(&memblock_reserved);
}

phys_addr_t memblock_end_of_ram(void)
{
	if (!memblock_memory.cnt)
		return 0;
	return memblock_memory.r[memblock_memory.cnt - 1].end;
}

void memblock_freeze(void)
{
	memblock_frozen = true;
}
