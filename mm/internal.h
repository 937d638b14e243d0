/* SPDX-License-Identifier: MIT */
/* Shared between the files of mm/ only. */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <generated/autoconf.h>
#include <exo/mm.h>
#include <exo/slab.h>

/* Marks kmalloc() pages in page->slab_cache; its per-CPU limits are 0 so kfree() diverts. */
extern struct kmem_cache kmalloc_large_cache;

/* The free link of a slot, at s->offset (inside the slot unless a ctor or debug needs it intact). */
static inline void **slab_obj_link(const struct kmem_cache *s, const void *obj)
{
	return (void **)((char *)obj + s->offset);
}

/* Slabs are naturally aligned buddy blocks, so the head page is found by rounding the pfn. */
static inline struct page *slab_head_page(const struct kmem_cache *s, const void *obj)
{
	unsigned long pfn = ((unsigned long)obj - DIRECT_MAP_BASE) >> PAGE_SHIFT;

	return pfn_to_page(pfn & ~((1UL << s->order) - 1));
}

#ifdef CONFIG_DEBUG
/*
 * Debug slot layout: [object][red zone up to offset][struct slab_obj_meta].
 * The red zone covers the alignment slack after object_size plus
 * SLAB_REDZONE_SIZE bytes.
 */
#define SLAB_REDZONE_SIZE 8

struct slab_obj_meta {
	void *next;		/* free link */
	unsigned long state;	/* SLAB_OBJ_FREE or SLAB_OBJ_LIVE */
};

#define SLAB_DEBUG_META_SIZE (SLAB_REDZONE_SIZE + sizeof(struct slab_obj_meta))

void slab_debug_init_object(struct kmem_cache *s, void *obj);
void slab_debug_free(struct kmem_cache *s, const void *obj);
void slab_debug_kfree(struct kmem_cache *s, const void *p);
#endif

#endif /* _MM_INTERNAL_H */
