/* SPDX-License-Identifier: MIT */
/*
 * The object allocator (mm/slab.c): kmalloc() and named caches.
 *
 * Three levels: (1) a per-CPU array of free object pointers per cache, used
 * with interrupts off and no lock; (2) slabs shared by all CPUs under the
 * cache lock, which refill and drain the per-CPU arrays half an array at a
 * time; (3) pages from the buddy allocator. kfree() finds an object's cache
 * through its struct page, so any slab object may be freed with kfree() and
 * kmalloc() objects with kmem_cache_free() on their size class.
 *
 * kmalloc() serves up to KMALLOC_MAX_CACHE_SIZE bytes from the size classes
 * 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 and 8192 (objects
 * are at least 8-byte aligned); larger requests get whole pages. kmalloc(0)
 * returns ZERO_SIZE_PTR, which kfree() accepts like NULL. Allocation returns
 * NULL on failure, never sleeps, and may be called with interrupts off.
 *
 * With CONFIG_DEBUG, freed objects are poisoned and checked on the next
 * allocation (write after free), a red zone after each object is checked on
 * free (overrun), and a per-object state word catches double and invalid
 * frees; each report names the cache and the object and panics.
 */
#ifndef _EXO_SLAB_H
#define _EXO_SLAB_H

#include <generated/autoconf.h>
#include <exo/compiler.h>
#include <exo/fault-inject.h>
#include <exo/gfp.h>
#include <exo/irqflags.h>
#include <exo/list.h>
#include <exo/mm.h>
#include <exo/percpu.h>
#include <exo/spinlock.h>
#include <exo/types.h>

#define SLAB_HWCACHE_ALIGN	0x1UL	/* align objects to a cache line */
#define SLAB_PANIC		0x2UL	/* panic instead of failing to create */

/* 31 slots make struct kmem_cache_cpu 256 bytes: indexed by a shift, no false sharing. */
#define SLAB_CPU_SLOTS 31
#define SLAB_CPU_BATCH 16
#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 8192
#define KMALLOC_NR_CACHES 13

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

/* Level 1: one CPU's stack of free objects; entry[avail - 1] is the hottest. */
struct kmem_cache_cpu {
	unsigned int avail;		/* [this CPU, irqs off] */
	unsigned int limit;		/* [immutable] SLAB_CPU_SLOTS; 0 for the page-sized marker */
	void *entry[SLAB_CPU_SLOTS];	/* [this CPU, irqs off] */
} __aligned(64);

BUILD_BUG_ON(sizeof(struct kmem_cache_cpu) != 256);

/*
 * Exposed for the inline kmalloc() fast path only; use the functions below.
 * Slabs are 2^order pages, naturally aligned, holding @objects slots of
 * @size bytes; a free slot links to the next at @offset.
 */
struct kmem_cache {
	struct kmem_cache_cpu cpu[NR_CPUS];
	unsigned int object_size;	/* [immutable] what the user asked for */
	unsigned int size;		/* [immutable] slot stride, debug metadata included */
	unsigned int offset;		/* [immutable] free-link offset inside a slot */
	unsigned int align;		/* [immutable] */
	unsigned int order;		/* [immutable] */
	unsigned int objects;		/* [immutable] slots per slab */
	unsigned long flags;		/* [immutable] SLAB_* */
	void (*ctor)(void *obj);	/* [immutable] */
	const char *name;		/* [immutable] */
	struct spinlock lock;
	struct list_head partial;	/* [lock] slabs with free and used slots */
	struct list_head full;		/* [lock] */
	struct list_head empty;		/* [lock] */
	unsigned long nr_slabs;		/* [lock] */
	unsigned long nr_empty;		/* [lock] */
	struct list_head list;		/* [slab_caches_lock] */
};

/*
 * Creates a cache of @size-byte objects aligned to @align (0 or a power of
 * two). @ctor, if set, runs once per object when its slab is created; objects
 * must be freed back in their constructed state. Returns the cache or
 * ERR_PTR(-EINVAL / -ENOMEM).
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *));
/* All objects must have been freed and no CPU may use the cache any more. */
void kmem_cache_destroy(struct kmem_cache *s);
/* Pages held by every cache's slabs, in use or empty (/proc/meminfo Slab). */
unsigned long kmem_cache_total_pages(void);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* One cache's counts, for /proc/slabinfo. */
struct kmem_cache_info {
	const char *name;
	unsigned long active_objs;	/* allocated and not freed (per-CPU stacks left out) */
	unsigned long num_objs;		/* slots in all its slabs */
	unsigned long active_slabs;	/* slabs with an object in use or in a per-CPU stack */
	unsigned long num_slabs;
	unsigned long cpu_cached;	/* free objects in per-CPU stacks */
	unsigned int objsize;		/* slot stride */
	unsigned int objects_per_slab;
	unsigned int pages_per_slab;
};

/*
 * Calls @fn with each cache's counts, under the cache list's lock with
 * interrupts off: @fn must not sleep (printing into a seq_file is fine).
 */
void kmem_cache_for_each_info(void (*fn)(const struct kmem_cache_info *info, void *arg),
			      void *arg);
/* Returns this CPU's cached objects and every empty slab to the page allocator. */
void kmem_cache_shrink(struct kmem_cache *s);
/* kmem_cache_shrink() on every cache (memory pressure, tests). */
void kmem_cache_shrink_all(void);
/* Pages in empty slabs that kmem_cache_shrink_all() would free (the slab shrinker). */
unsigned long kmem_cache_reclaimable_pages(void);

void *__kmalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/* Like Linux: NULL @p allocates, size 0 frees; on failure @p is untouched. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/* kfree() out of line: what debug builds call, and the inline fast path's slow side. */
void __kfree(const void *p);
/* Usable size of a kmalloc() or cache object (the whole size class). */
size_t ksize(const void *p);

void slab_init(void);

extern struct kmem_cache kmalloc_caches[KMALLOC_NR_CACHES];

void *kmem_cache_alloc_slow(struct kmem_cache *s, gfp_t gfp);
/* The per-CPU stack is full (or @s is the large-kmalloc cache): drain and push, restore @flags. */
void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long flags);
#ifdef CONFIG_DEBUG
void slab_debug_alloc(struct kmem_cache *s, void *obj);
#endif

/* Size class of a kmalloc(); folds to a constant for constant sizes. */
static __always_inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 8)
		return 0;
	if (size <= 16)
		return 1;
	if (size <= 32)
		return 2;
	if (size <= 64)
		return 3;
	if (size <= 96)
		return 4;
	if (size <= 128)
		return 5;
	if (size <= 192)
		return 6;
	if (size <= 256)
		return 7;
	if (size <= 512)
		return 8;
	if (size <= 1024)
		return 9;
	if (size <= 2048)
		return 10;
	if (size <= 4096)
		return 11;
	return 12;
}

/*
 * This CPU's stack; the caller has interrupts off. OPTIMIZER_HIDE_VAR keeps the
 * pointer in a register so that gcc addresses avail and entry[] from it
 * instead of rebuilding cache + cpu * 256 + index for every access.
 */
static __always_inline struct kmem_cache_cpu *slab_this_cpu(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu[smp_processor_id()];

	OPTIMIZER_HIDE_VAR(c);
	return c;
}

/* Level-1 pop: the whole hot path of kmalloc() and kmem_cache_alloc(). */
static __always_inline void *slab_alloc_fast(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	void *obj;

	if (should_failslab(s->object_size, gfp))
		return NULL;
	local_irq_save(flags);
	c = slab_this_cpu(s);
	if (unlikely(!c->avail)) {
		local_irq_restore(flags);
		return kmem_cache_alloc_slow(s, gfp);
	}
	obj = c->entry[--c->avail];
	local_irq_restore(flags);
#ifdef CONFIG_DEBUG
	slab_debug_alloc(s, obj);
#endif
	if (unlikely(gfp & __GFP_ZERO))
		__builtin_memset(obj, 0, s->object_size);
	return obj;
}

static __always_inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (__builtin_constant_p(size) && size && size <= KMALLOC_MAX_CACHE_SIZE)
		return slab_alloc_fast(&kmalloc_caches[kmalloc_index(size)], gfp);
	return __kmalloc(size, gfp);
}

/* Level-1 push: the whole hot path of kfree() and kmem_cache_free(). */
static __always_inline void slab_free_fast(struct kmem_cache *s, void *obj)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;

	local_irq_save(flags);
	c = slab_this_cpu(s);
	if (unlikely(c->avail >= c->limit)) {
		slab_free_slow(s, obj, flags);
		return;
	}
	c->entry[c->avail++] = obj;
	local_irq_restore(flags);
}

/*
 * Frees a kmalloc() object (NULL and ZERO_SIZE_PTR are ignored). Inline
 * without CONFIG_DEBUG: the call and return are a tenth of the fast path.
 */
static __always_inline void kfree(const void *p)
{
#ifdef CONFIG_DEBUG
	__kfree(p);
#else
	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	slab_free_fast(__virt_to_page(p)->slab_cache, (void *)p);
#endif
}

static __always_inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

#endif /* _EXO_SLAB_H */
