// SPDX-License-Identifier: MIT
/*
 * The object allocator: kmalloc() and named caches.
 *
 *   level 1  struct kmem_cache_cpu: per CPU, per cache, a stack of up to
 *            SLAB_CPU_SLOTS free object pointers. Pop/push with interrupts
 *            off, no lock, no atomic (slab_alloc_fast() in <exo/slab.h>,
 *            slab_free() here).
 *   level 2  slabs: 2^order pages cut into equal slots, on the cache's
 *            partial, full or empty list under cache->lock. An empty stack is
 *            refilled, and a full one drained, SLAB_CPU_BATCH objects at once.
 *   level 3  the buddy allocator gives and takes whole slabs; kmalloc() above
 *            KMALLOC_MAX_CACHE_SIZE takes pages directly.
 *
 * Every page of a slab has PG_slab and slab_cache set, so kfree() finds the
 * cache with one struct page load. Pages of a large kmalloc() point at
 * kmalloc_large_cache instead, whose stacks have a limit of 0: the push in
 * slab_free() fails and the slow path frees the pages. An object counts as
 * in use by its slab (page->inuse) while it sits in a per-CPU stack.
 *
 * Rules: a per-CPU stack is touched only by its CPU with interrupts off, or
 * by kmem_cache_destroy() once nobody uses the cache. Objects of a cache with
 * a ctor must be freed in their constructed state. At most SLAB_KEEP_EMPTY
 * empty slabs stay cached per cache.
 *
 * Lock order: slab_caches_lock -> cache->lock -> zone->lock (pages are
 * freed with the cache lock held, and allocated with it dropped).
 */
#define pr_fmt(fmt) "slab: " fmt

#include <exo/err.h>
#include <exo/mm.h>
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "internal.h"

#define SLAB_KEEP_EMPTY 1
#define SLAB_MIN_OBJECTS 8
#define SLAB_PREFERRED_MAX_ORDER 3
#define SLAB_MAX_ORDER 5
#define L1_CACHE_BYTES 64
#define KMALLOC_MIN_ALIGN 8

struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];
struct kmem_cache kmalloc_large_cache;
static struct kmem_cache kmem_cache_cache;	/* struct kmem_cache objects */
static struct list_head slab_caches;		/* [slab_caches_lock] */
static unsigned long nr_large_kmalloc_pages;	/* [atomic] pages of kmalloc_large() */
static DEFINE_SPINLOCK(slab_caches_lock);

static const unsigned int kmalloc_sizes[KMALLOC_NR_CACHES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static const char *const kmalloc_names[KMALLOC_NR_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96",
	"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
	"kmalloc-2k", "kmalloc-4k", "kmalloc-8k",
};

/* Size class by (size - 1) / 8 for sizes 1..192. */
static const u8 kmalloc_small_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6,
};

/* Computes the slot layout and slab order; 0 or -EINVAL. */
static int cache_init(struct kmem_cache *s, const char *name, size_t size, size_t align,
		      unsigned long flags, void (*ctor)(void *))
{
	unsigned int inuse, stride, order, objects = 0, cpu;

	if (!name || !size || (align & (align - 1)) || align > PAGE_SIZE ||
	    size > (PAGE_SIZE << SLAB_MAX_ORDER))
		return -EINVAL;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, (size_t)L1_CACHE_BYTES);
	align = max(align, (size_t)KMALLOC_MIN_ALIGN);
	inuse = ALIGN((unsigned int)size, KMALLOC_MIN_ALIGN);
#ifdef CONFIG_DEBUG
	s->offset = inuse + SLAB_REDZONE_SIZE;
	stride = ALIGN(inuse + (unsigned int)SLAB_DEBUG_META_SIZE, (unsigned int)align);
#else
	s->offset = ctor ? inuse : 0;
	stride = ALIGN(ctor ? inuse + (unsigned int)sizeof(void *) : inuse, (unsigned int)align);
#endif
	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		objects = (unsigned int)((PAGE_SIZE << order) / stride);
		if (objects >= SLAB_MIN_OBJECTS || (objects && order >= SLAB_PREFERRED_MAX_ORDER))
			break;
	}
	if (!objects)
		return -EINVAL;

	s->object_size = (unsigned int)size;
	s->size = stride;
	s->align = (unsigned int)align;
	s->order = order;
	s->objects = objects;
	s->flags = flags;
	s->ctor = ctor;
	s->name = name;
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->empty);
	s->nr_slabs = 0;
	s->nr_empty = 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		s->cpu[cpu].avail = 0;
		s->cpu[cpu].limit = SLAB_CPU_SLOTS;
	}
	return 0;
}

unsigned long kmem_cache_total_pages(void)
{
	struct kmem_cache *s;
	unsigned long flags, pages = __atomic_load_n(&nr_large_kmalloc_pages, __ATOMIC_RELAXED);

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list)
		pages += READ_ONCE(s->nr_slabs) << s->order;
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return pages;
}

/* A new slab with every slot free and constructed; called without cache->lock. */
static struct page *slab_new(struct kmem_cache *s, gfp_t gfp)
{
	struct page *slab = alloc_pages(gfp & ~__GFP_ZERO, s->order);
	char *base;
	unsigned int i;

	if (!slab)
		return NULL;
	for (i = 0; i < (1U << s->order); i++) {
		__SetPageFlag(slab + i, PG_slab);
		slab[i].slab_cache = s;
	}
	base = page_address(slab);
	slab->inuse = 0;
	slab->freelist = base;
	for (i = 0; i < s->objects; i++) {
		void *obj = base + (size_t)i * s->size;

#ifdef CONFIG_DEBUG
		slab_debug_init_object(s, obj);
#endif
		if (s->ctor)
			s->ctor(obj);
		*slab_obj_link(s, obj) = i + 1 < s->objects ? base + (size_t)(i + 1) * s->size : NULL;
	}
	return slab;
}

static void slab_free_pages(struct kmem_cache *s, struct page *slab)
{
	unsigned int i;

	for (i = 0; i < (1U << s->order); i++) {
		__ClearPageFlag(slab + i, PG_slab);
		slab[i].slab_cache = NULL;
	}
	slab->freelist = NULL;
	__free_pages(slab, s->order);
}

/* Frees empty slabs beyond @keep. */
static void slab_release_empty(struct kmem_cache *s, unsigned long keep)
{
	assert_spin_locked(&s->lock);
	while (s->nr_empty > keep) {
		struct page *slab = list_first_entry(&s->empty, struct page, lru);

		list_del(&slab->lru);
		s->nr_empty--;
		s->nr_slabs--;
		slab_free_pages(s, slab);
	}
}

/* Fills @c up to SLAB_CPU_BATCH objects; interrupts are off. Returns c->avail. */
static unsigned int slab_refill(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	spin_lock(&s->lock);
	while (c->avail < SLAB_CPU_BATCH) {
		struct page *slab;

		if (!list_empty(&s->partial)) {
			slab = list_first_entry(&s->partial, struct page, lru);
		} else if (!list_empty(&s->empty)) {
			slab = list_first_entry(&s->empty, struct page, lru);
			s->nr_empty--;
		} else {
			spin_unlock(&s->lock);
			slab = slab_new(s, gfp);
			spin_lock(&s->lock);
			if (!slab)
				break;
			s->nr_slabs++;
			list_add(&slab->lru, &s->partial);
		}
		while (c->avail < SLAB_CPU_BATCH && slab->freelist) {
			void *obj = slab->freelist;

			slab->freelist = *slab_obj_link(s, obj);
			slab->inuse++;
			c->entry[c->avail++] = obj;
		}
		list_move(&slab->lru, slab->inuse == s->objects ? &s->full : &s->partial);
	}
	spin_unlock(&s->lock);
	return c->avail;
}

static void slab_put_object(struct kmem_cache *s, void *obj)
{
	struct page *slab = slab_head_page(s, obj);
	bool was_full = slab->inuse == s->objects;

	*slab_obj_link(s, obj) = slab->freelist;
	slab->freelist = obj;
	slab->inuse--;
	if (!slab->inuse) {
		list_move(&slab->lru, &s->empty);
		s->nr_empty++;
	} else if (was_full) {
		list_move(&slab->lru, &s->partial);
	}
}

/* Returns the @n coldest objects of @c to their slabs; interrupts are off. */
static void slab_drain_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c, unsigned int n,
			   unsigned long keep_empty)
{
	unsigned int i;

	spin_lock(&s->lock);
	for (i = 0; i < n; i++)
		slab_put_object(s, c->entry[i]);
	c->avail -= n;
	memmove(c->entry, c->entry + n, c->avail * sizeof(c->entry[0]));
	slab_release_empty(s, keep_empty);
	spin_unlock(&s->lock);
}

static void *slab_alloc_finish(struct kmem_cache *s, void *obj, gfp_t gfp)
{
#ifdef CONFIG_DEBUG
	slab_debug_alloc(s, obj);
#endif
	if (gfp & __GFP_ZERO)
		memset(obj, 0, s->object_size);
	return obj;
}

void *kmem_cache_alloc_slow(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	local_irq_save(flags);
	c = &s->cpu[smp_processor_id()];
	if (!c->avail && !slab_refill(s, c, gfp)) {
		local_irq_restore(flags);
		return NULL;
	}
	obj = c->entry[--c->avail];
	local_irq_restore(flags);
	return slab_alloc_finish(s, obj, gfp);
}

static void kfree_large(void *p)
{
	struct page *page = __virt_to_page(p);

	__ClearPageFlag(page, PG_large_kmalloc);
	page->slab_cache = NULL;
	__atomic_sub_fetch(&nr_large_kmalloc_pages, 1UL << page->order, __ATOMIC_RELAXED);
	__free_pages(page, page->order);
}

/*
 * The per-CPU stack is full, or @s is the large-kmalloc marker. Called with
 * interrupts off; restores @flags, so the fast path keeps nothing live
 * across the call.
 */
__noinline void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long flags)
{
	struct kmem_cache_cpu *c;

	if (s == &kmalloc_large_cache) {
		local_irq_restore(flags);
		kfree_large(obj);
		return;
	}
	c = &s->cpu[smp_processor_id()];
	slab_drain_cpu(s, c, SLAB_CPU_BATCH, SLAB_KEEP_EMPTY);
	c->entry[c->avail++] = obj;
	local_irq_restore(flags);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_fast(s, gfp);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_fast(s, gfp | __GFP_ZERO);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (unlikely(!obj))
		return;
#ifdef CONFIG_DEBUG
	if (__virt_to_page(obj)->slab_cache != s)
		panic("slab: kmem_cache_free of %p to cache %s, which does not own it", obj,
		      s->name);
	slab_debug_free(s, obj);
#endif
	slab_free_fast(s, obj);
}

void __kfree(const void *p)
{
	struct kmem_cache *s;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	s = __virt_to_page(p)->slab_cache;
#ifdef CONFIG_DEBUG
	slab_debug_kfree(s, p);
#endif
	slab_free_fast(s, (void *)p);
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (order >= MAX_ORDER)
		return NULL;
	page = alloc_pages(gfp, order);
	if (!page)
		return NULL;
	__SetPageFlag(page, PG_large_kmalloc);
	__atomic_add_fetch(&nr_large_kmalloc_pages, 1UL << order, __ATOMIC_RELAXED);
	page->order = order;
	page->slab_cache = &kmalloc_large_cache;
	return page_address(page);
}

void *__kmalloc(size_t size, gfp_t gfp)
{
	unsigned int idx;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (size <= 192)
		idx = kmalloc_small_index[(size - 1) >> 3];
	else if (size <= KMALLOC_MAX_CACHE_SIZE)
		idx = kmalloc_index(size);
	else
		return kmalloc_large(size, gfp);
	return slab_alloc_fast(&kmalloc_caches[idx], gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __kmalloc(bytes, gfp | __GFP_ZERO);
}

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = __virt_to_page(p);
	if (page->slab_cache == &kmalloc_large_cache)
		return PAGE_SIZE << page->order;
	return page->slab_cache->object_size;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old_size;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return __kmalloc(new_size, gfp);
	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old_size = ksize(p);
	if (new_size <= old_size)
		return (void *)p;
	n = __kmalloc(new_size, gfp);
	if (!n)
		return NULL;
	memcpy(n, p, old_size);
	kfree(p);
	return n;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;
	unsigned long irqflags;
	int err;

	s = kmem_cache_zalloc(&kmem_cache_cache, GFP_KERNEL);
	if (!s) {
		err = -ENOMEM;
		goto out_fail;
	}
	err = cache_init(s, name, size, align, flags, ctor);
	if (err)
		goto out_free_cache;
	spin_lock_irqsave(&slab_caches_lock, irqflags);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, irqflags);
	return s;

out_free_cache:
	kmem_cache_free(&kmem_cache_cache, s);
out_fail:
	if (flags & SLAB_PANIC)
		panic("slab: cannot create cache %s: error %d", name ? name : "?", err);
	return ERR_PTR(err);
}

void kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	local_irq_save(flags);
	c = &s->cpu[smp_processor_id()];
	slab_drain_cpu(s, c, c->avail, 0);
	local_irq_restore(flags);
}

void kmem_cache_shrink_all(void)
{
	struct list_head *pos;
	unsigned long flags;

	/*
	 * list_for_each, not list_for_each_entry: the latter's end test reads
	 * through a struct kmem_cache pointer computed from the list head,
	 * which is not 64-byte aligned as that type is (UBSan in tests/ flags
	 * it, depending on where the linker puts slab_caches).
	 */
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each(pos, &slab_caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

unsigned long kmem_cache_reclaimable_pages(void)
{
	struct list_head *pos;
	unsigned long flags, pages = 0;

	/* A racy read of each count: the shrinker only needs an estimate. */
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		pages += READ_ONCE(s->nr_empty) << s->order;
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return pages;
}

/*
 * Objects in per-CPU stacks count as in use by their slab (page->inuse) but
 * are free: active_objs leaves them out, so it is exactly the objects
 * allocated and not yet freed, whatever the stacks hold (which moves with
 * the CPU a task ran on). The other CPUs' stacks are read without their
 * owners' interrupts off: a snapshot, exact when they are idle.
 */
static void kmem_cache_get_info(struct kmem_cache *s, struct kmem_cache_info *info)
{
	unsigned long inuse = 0, cached = 0;
	struct page *slab;
	unsigned int cpu;

	spin_lock(&s->lock);
	list_for_each_entry(slab, &s->partial, lru)
		inuse += slab->inuse;
	list_for_each_entry(slab, &s->full, lru)
		inuse += slab->inuse;
	info->num_slabs = s->nr_slabs;
	info->active_slabs = s->nr_slabs - s->nr_empty;
	spin_unlock(&s->lock);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		cached += READ_ONCE(s->cpu[cpu].avail);
	info->name = s->name;
	info->active_objs = inuse >= cached ? inuse - cached : 0;
	info->num_objs = info->num_slabs * s->objects;
	info->cpu_cached = cached;
	info->objsize = s->size;
	info->objects_per_slab = s->objects;
	info->pages_per_slab = 1U << s->order;
}

void kmem_cache_for_each_info(void (*fn)(const struct kmem_cache_info *info, void *arg),
			      void *arg)
{
	struct kmem_cache_info info;
	unsigned long flags;
	struct list_head *pos;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each(pos, &slab_caches) {
		kmem_cache_get_info(list_entry(pos, struct kmem_cache, list), &info);
		fn(&info, arg);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long flags;
	unsigned int cpu;
	bool in_use;

	if (!s)
		return;
	local_irq_save(flags);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		slab_drain_cpu(s, &s->cpu[cpu], s->cpu[cpu].avail, 0);
	spin_lock(&s->lock);
	in_use = s->nr_slabs != 0;
	spin_unlock(&s->lock);
	local_irq_restore(flags);
	if (in_use) {
		pr_err("kmem_cache_destroy: cache %s still has objects in use; leaking it\n",
		       s->name);
		return;
	}
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	kmem_cache_free(&kmem_cache_cache, s);
}

void slab_init(void)
{
	unsigned int i;

	INIT_LIST_HEAD(&slab_caches);
	if (cache_init(&kmem_cache_cache, "kmem_cache", sizeof(struct kmem_cache),
		       __alignof__(struct kmem_cache), 0, NULL))
		panic("slab: cannot set up the cache of caches");
	list_add_tail(&kmem_cache_cache.list, &slab_caches);
	for (i = 0; i < KMALLOC_NR_CACHES; i++) {
		if (cache_init(&kmalloc_caches[i], kmalloc_names[i], kmalloc_sizes[i],
			       KMALLOC_MIN_ALIGN, 0, NULL))
			panic("slab: cannot set up %s", kmalloc_names[i]);
		list_add_tail(&kmalloc_caches[i].list, &slab_caches);
	}
	memset(&kmalloc_large_cache, 0, sizeof(kmalloc_large_cache));
	kmalloc_large_cache.name = "kmalloc-large";
	spin_lock_init(&kmalloc_large_cache.lock);
}
