// SPDX-License-Identifier: MIT
/*
 * vmalloc: virtually contiguous areas in [VMALLOC_START, VMALLOC_END) built
 * from order-0 pages, mapped with arch_map_kernel_range().
 *
 * Areas are kept in a list sorted by address; allocation is first fit over
 * the gaps. Each area's first page is left unmapped (the guard), so the
 * usable part starts one page above area->start. Area descriptors come from
 * kmalloc.
 *
 * Freeing is lazy: vfree() puts the area on a purge list and keeps its
 * addresses reserved. A purge unmaps every listed area, flushes the kernel
 * TLB of all CPUs once (global mappings survive CR3 switches, and another
 * CPU may still hold a translation to the old pages), then frees the pages
 * and releases the addresses. Purges need interrupts on (they wait for
 * IPIs); they run from vfree() and vmalloc() when that holds and the list
 * holds VMAP_LAZY_PAGES pages or more, from vm_unmap_aliases(), from the
 * shrinker under memory pressure, and when vmalloc() finds no room. One
 * purge a free was an IPI round trip to every CPU per vfree() (a kernel
 * stack per exit, before kernel/sched/task.c cached them), which kept two
 * CPUs forking from doing more than one. No address is reused before its
 * flush.
 *
 * Lock order: vmap_lock, then the page allocator's and the kernel
 * page-table lock. Pages are allocated and mapped outside vmap_lock: the
 * area is reserved first, so nobody else can use its addresses meanwhile.
 */
#include <exo/vmalloc.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/list.h>
#include <exo/mm.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/shrinker.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <asm/paging.h>
#include <uapi/errno.h>

struct vmap_area {
	struct list_head node;		/* [vmap_lock] */
	struct list_head purge_node;	/* [vmap_lock] on vmap_purge_list once freed */
	unsigned long start;		/* [immutable] guard page address */
	unsigned long size;		/* [immutable] guard included */
	unsigned int nr_pages;		/* [immutable] mapped pages after the guard */
	struct page **pages;		/* [immutable] */
};

static LIST_HEAD(vmap_areas);		/* [vmap_lock] sorted by start */
static LIST_HEAD(vmap_purge_list);	/* [vmap_lock] freed, still mapped in some TLB */
static unsigned long vmap_lazy_pages;	/* [vmap_lock] pages of the areas on vmap_purge_list */
static DEFINE_SPINLOCK(vmap_lock);

/* Purge once this many freed pages wait: 256 KiB, sixteen kernel stacks. */
#define VMAP_LAZY_PAGES 64

unsigned long vmalloc_used_pages(void)
{
	struct vmap_area *area;
	unsigned long flags, pages = 0;

	/* Areas waiting for the purge still hold their pages: they count. */
	spin_lock_irqsave(&vmap_lock, flags);
	list_for_each_entry(area, &vmap_areas, node)
		pages += area->nr_pages;
	spin_unlock_irqrestore(&vmap_lock, flags);
	return pages;
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

/* Finds a gap of @size bytes and links @area into it; -ENOMEM when the range is full. */
static int vmap_reserve(struct vmap_area *area, unsigned long size)
{
	unsigned long flags, candidate = VMALLOC_START;
	struct list_head *insert_after = &vmap_areas;
	struct vmap_area *it;
	int err = -ENOMEM;

	spin_lock_irqsave(&vmap_lock, flags);
	list_for_each_entry(it, &vmap_areas, node) {
		if (it->start - candidate >= size && it->start >= candidate)
			break;
		candidate = it->start + it->size;
		insert_after = &it->node;
	}
	if (candidate + size > candidate && candidate + size <= VMALLOC_END) {
		area->start = candidate;
		area->size = size;
		list_add(&area->node, insert_after);
		err = 0;
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	return err;
}

static void vmap_release(struct vmap_area *area)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	list_del(&area->node);
	spin_unlock_irqrestore(&vmap_lock, flags);
}

static void vmap_area_free_pages(struct vmap_area *area, unsigned int mapped)
{
	arch_unmap_kernel_range(area->start + PAGE_SIZE, (unsigned long)mapped * PAGE_SIZE);
	for (unsigned int i = 0; i < area->nr_pages; i++)
		if (area->pages[i])
			__free_page(area->pages[i]);
}

/* Unmaps, flushes everywhere and frees every area on the purge list. Interrupts on. */
static void vmap_purge(void)
{
	unsigned long flags, lo = ~0UL, hi = 0;
	struct vmap_area *area, *tmp;
	LIST_HEAD(batch);

	spin_lock_irqsave(&vmap_lock, flags);
	list_for_each_entry_safe(area, tmp, &vmap_purge_list, purge_node)
		list_move(&area->purge_node, &batch);
	vmap_lazy_pages = 0;
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (list_empty(&batch))
		return;
	list_for_each_entry(area, &batch, purge_node) {
		arch_unmap_kernel_range(area->start + PAGE_SIZE, (unsigned long)area->nr_pages * PAGE_SIZE);
		lo = min(lo, area->start);
		hi = max(hi, area->start + area->size);
	}
	flush_tlb_kernel_range(lo, hi);
	list_for_each_entry_safe(area, tmp, &batch, purge_node) {
		for (unsigned int i = 0; i < area->nr_pages; i++)
			__free_page(area->pages[i]);
		vmap_release(area);
		kfree(area->pages);
		kfree(area);
	}
}

/* Whether enough freed areas wait for a purge to do one now. */
static bool vmap_purge_due(void)
{
	return !irqs_disabled() && READ_ONCE(vmap_lazy_pages) >= VMAP_LAZY_PAGES;
}

void vm_unmap_aliases(void)
{
	vmap_purge();
}

static unsigned long vmap_shrink_count(struct shrinker *s, struct shrink_control *sc)
{
	return READ_ONCE(vmap_lazy_pages);
}

static unsigned long vmap_shrink_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long pages = READ_ONCE(vmap_lazy_pages);

	vmap_purge();
	return pages;
}

static struct shrinker vmap_shrinker = {
	.count_objects = vmap_shrink_count,
	.scan_objects = vmap_shrink_scan,
	.name = "vmap-lazy",
	.seeks = DEFAULT_SEEKS,
};

static int vmap_shrinker_init(void)
{
	return register_shrinker(&vmap_shrinker);
}
core_initcall(vmap_shrinker_init);

static void *__vmalloc(unsigned long size, gfp_t gfp)
{
	struct vmap_area *area;
	unsigned int i;

	if (!size || size > VMALLOC_END - VMALLOC_START)
		return NULL;
	if (vmap_purge_due())
		vmap_purge();
	size = ALIGN(size, PAGE_SIZE);
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	area->nr_pages = size >> PAGE_SHIFT;
	area->pages = kcalloc(area->nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!area->pages)
		goto out_free_area;
	/* Out of addresses: the ones freed areas still hold may be enough. */
	if (vmap_reserve(area, size + PAGE_SIZE) &&
	    (irqs_disabled() || (vmap_purge(), vmap_reserve(area, size + PAGE_SIZE))))
		goto out_free_array;
	for (i = 0; i < area->nr_pages; i++) {
		area->pages[i] = alloc_page(gfp);
		if (!area->pages[i])
			goto out_unmap;
		if (arch_map_kernel_range(area->start + PAGE_SIZE + (unsigned long)i * PAGE_SIZE,
					  page_to_phys(area->pages[i]), PAGE_SIZE, PAGE_KERNEL))
			goto out_unmap;
	}
	return (void *)(area->start + PAGE_SIZE);

out_unmap:
	vmap_area_free_pages(area, i);
	vmap_release(area);
out_free_array:
	kfree(area->pages);
out_free_area:
	kfree(area);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

void vfree(const void *addr)
{
	unsigned long flags, a = (unsigned long)addr;
	struct vmap_area *area, *found = NULL;

	if (!addr)
		return;
	spin_lock_irqsave(&vmap_lock, flags);
	list_for_each_entry(area, &vmap_areas, node) {
		if (area->start + PAGE_SIZE == a) {
			found = area;
			/* Addresses stay reserved (on vmap_areas) until the purge. */
			list_add_tail(&area->purge_node, &vmap_purge_list);
			vmap_lazy_pages += area->nr_pages;
			break;
		}
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (WARN_ON(!found))
		return;
	if (vmap_purge_due())
		vmap_purge();
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp | __GFP_NOWARN);

	if (p || size <= PAGE_SIZE)
		return p;
	return (gfp & __GFP_ZERO) ? vzalloc(size) : vmalloc(size);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

void vmalloc_init(void)
{
	/*
	 * Every process page table will share the kernel half of init_pml4 by
	 * copying its top-level entries once; fill those entries now so that later
	 * vmalloc and ioremap mappings appear in every address space.
	 */
	if (arch_prealloc_kernel_pgtables(VMALLOC_START, IOREMAP_END))
		panic("vmalloc_init: no memory for the kernel's top-level page tables");
}
