// SPDX-License-Identifier: MIT
/*
 * mm_core_init: the hand-over from boot-time memory (memblock) to the
 * running allocators, in dependency order: pages, then objects (slabs take
 * pages), then vmalloc (its descriptors come from kmalloc).
 */
#include <exo/mm_init.h>
#include <exo/memblock.h>
#include <exo/radix-tree.h>
#include <exo/mm.h>
#include <exo/printk.h>
#include <exo/sections.h>
#include <exo/slab.h>
#include <exo/vmalloc.h>
#include <asm/paging.h>

static phys_addr_t pgtable_page_from_buddy(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	return page ? page_to_phys(page) : 0;
}

static unsigned long kib(unsigned long bytes)
{
	return bytes >> 10;
}

void mm_core_init(void)
{
	unsigned long total = memblock_phys_mem_size();

	page_alloc_init();
	pgtable_set_allocator(pgtable_page_from_buddy);
	slab_init();
	radix_tree_init();
	vmalloc_init();
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK reserved)\n",
		kib(nr_free_pages() << PAGE_SHIFT), kib(total), kib(_etext - _text),
		kib(_ebss - _data), kib(_erodata - _rodata),
		kib(total - (nr_free_pages() << PAGE_SHIFT)));
}
