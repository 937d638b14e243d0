// SPDX-License-Identifier: MIT
/*
 * Slab debugging (CONFIG_DEBUG): catches use after free, overruns, double
 * and invalid frees at the next allocation or free of the object concerned.
 *
 * Every slot carries a red zone after the object and a state word
 * (struct slab_obj_meta, mm/internal.h). A free object not built by a ctor
 * is filled with POISON_FREE; allocation checks the poison, so a write after
 * free is reported when the object is reused. Free checks that the pointer
 * is the start of a slot of this cache, that the state is LIVE (FREE means a
 * double free, anything else an overwritten state word) and that the red zone
 * is intact. Objects in a per-CPU array are already FREE, so a double free is
 * seen at every level.
 *
 * Compiled to nothing without CONFIG_DEBUG.
 *
 * Rules: called without locks, on objects the caller owns. Every report
 * names the cache and the object and panics: the heap is no longer trusted.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <generated/autoconf.h>

#ifdef CONFIG_DEBUG
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/string.h>
#include "internal.h"

#define POISON_FREE 0x6b
#define REDZONE_BYTE 0xbb
#define SLAB_OBJ_FREE 0xf7eef7eef7eef7eeUL
#define SLAB_OBJ_LIVE 0xa11ca7eda11ca7edUL

static inline struct slab_obj_meta *slab_obj_meta(const struct kmem_cache *s, const void *obj)
{
	return (struct slab_obj_meta *)slab_obj_link(s, obj);
}

static __cold __noreturn void slab_report(const struct kmem_cache *s, const void *obj,
					  const char *what, long offset)
{
	pr_err("cache %s: %s, object %p offset %ld\n", s->name, what, obj, offset);
	panic("slab: %s in cache %s, object %p offset %ld", what, s->name, obj, offset);
}

/*
 * Offset of the first byte of [from, to) in @obj that differs from @pattern, or -1.
 * memchr_inv reads a word per step: a 4 KiB name buffer is checked on every
 * path lookup, and a byte loop made that most of a debug open().
 */
static long slab_check_bytes(const void *obj, unsigned int from, unsigned int to, u8 pattern)
{
	const u8 *bad = memchr_inv((const u8 *)obj + from, pattern, to - from);

	return bad ? bad - (const u8 *)obj : -1;
}

static bool slab_poisoned(const struct kmem_cache *s)
{
	return !s->ctor;
}

void slab_debug_init_object(struct kmem_cache *s, void *obj)
{
	if (slab_poisoned(s))
		memset(obj, POISON_FREE, s->object_size);
	memset((char *)obj + s->object_size, REDZONE_BYTE, s->offset - s->object_size);
	slab_obj_meta(s, obj)->state = SLAB_OBJ_FREE;
}

static void slab_check_redzone(struct kmem_cache *s, const void *obj, const char *what)
{
	long bad = slab_check_bytes(obj, s->object_size, s->offset, REDZONE_BYTE);

	if (bad >= 0)
		slab_report(s, obj, what, bad);
}

void slab_debug_alloc(struct kmem_cache *s, void *obj)
{
	struct slab_obj_meta *meta = slab_obj_meta(s, obj);
	long bad;

	if (meta->state != SLAB_OBJ_FREE)
		slab_report(s, obj, "free object's state word overwritten", s->offset);
	slab_check_redzone(s, obj, "write past the end of a free object");
	if (slab_poisoned(s)) {
		bad = slab_check_bytes(obj, 0, s->object_size, POISON_FREE);
		if (bad >= 0)
			slab_report(s, obj, "write after free", bad);
	}
	meta->state = SLAB_OBJ_LIVE;
}

void slab_debug_free(struct kmem_cache *s, const void *obj)
{
	struct page *head = slab_head_page(s, obj);
	unsigned long off = (unsigned long)obj - (unsigned long)page_address(head);
	struct slab_obj_meta *meta;

	if (off % s->size || off / s->size >= s->objects)
		slab_report(s, obj, "free of a pointer that is not an object start", (long)(off % s->size));
	meta = slab_obj_meta(s, obj);
	if (meta->state == SLAB_OBJ_FREE)
		slab_report(s, obj, "double free", 0);
	if (meta->state != SLAB_OBJ_LIVE)
		slab_report(s, obj, "state word overwritten (overrun?)", s->offset);
	slab_check_redzone(s, obj, "write past the end of the object");
	if (slab_poisoned(s))
		memset((void *)obj, POISON_FREE, s->object_size);
	meta->state = SLAB_OBJ_FREE;
}

void slab_debug_kfree(struct kmem_cache *s, const void *p)
{
	struct page *page = __virt_to_page(p);

	if (!s || !PageSlab(page)) {
		if (s == &kmalloc_large_cache && PageFlag(page, PG_large_kmalloc) &&
		    p == page_address(page))
			return;
		panic("slab: kfree of %p, which kmalloc did not return (pfn %#lx flags %#lx)", p,
		      page_to_pfn(page), page->flags);
	}
	slab_debug_free(s, p);
}
#endif /* CONFIG_DEBUG */
