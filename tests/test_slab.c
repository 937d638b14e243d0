// SPDX-License-Identifier: MIT
/* The slab allocator: size classes, random use with content checks, caches, CPUs, debug. */
#include <exo/err.h>
#include <exo/slab.h>
#include <uapi/errno.h>
#include "test_mm.h"
#include <string.h>

static const size_t class_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

static unsigned long slab_boot(unsigned long ram)
{
	test_boot(ram, false);
	slab_init();
	return nr_free_pages();
}

/* Returns every cached object and empty slab of every cache, on every CPU. */
static void shrink_all(void)
{
	unsigned int cpu, saved = host_cpu_id;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		host_cpu_id = cpu;
		kmem_cache_shrink_all();
	}
	host_cpu_id = saved;
	drain_all_cpus();
}

static unsigned char pattern(const void *p, size_t i)
{
	return (unsigned char)(((unsigned long)p >> 4) * 31 + i * 7);
}

static void fill(void *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		((unsigned char *)p)[i] = pattern(p, i);
}

static bool intact(const void *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((const unsigned char *)p)[i] != pattern(p, i))
			return false;
	return true;
}

TEST(slab_every_size_class)
{
	size_t size, i;
	unsigned long free0 = slab_boot(32 * MB);

	for (size = 1; size <= 8200; size += (size < 300 ? 1 : 37)) {
		void *p = __kmalloc(size, GFP_KERNEL);
		size_t want = 0;

		CHECK(p && (unsigned long)p % 8 == 0);
		for (i = 0; i < ARRAY_SIZE(class_sizes); i++)
			if (class_sizes[i] >= size) {
				want = class_sizes[i];
				break;
			}
		if (!want)
			want = PAGE_SIZE << get_order(size);
		CHECK(ksize(p) == want);
		fill(p, ksize(p));
		CHECK(intact(p, ksize(p)));
		kfree(p);
	}
	/* The inline constant-size path picks the same classes. */
	{
		void *a = kmalloc(1, GFP_KERNEL), *b = kmalloc(97, GFP_KERNEL);
		void *c = kmalloc(8192, GFP_KERNEL), *d = kmalloc(8193, GFP_KERNEL);

		CHECK(ksize(a) == 8 && ksize(b) == 128 && ksize(c) == 8192 && ksize(d) == 3 * PAGE_SIZE + PAGE_SIZE);
		kfree(a);
		kfree(b);
		kfree(c);
		kfree(d);
	}
	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(ksize(ZERO_SIZE_PTR) == 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	shrink_all();
	CHECK(nr_free_pages() == free0);
	CHECK(host_irqs_off == 0);
}

TEST(slab_random_kmalloc_kfree_many_cpus)
{
	enum { NOBJ = 3000 };
	static void *obj[NOBJ];
	static size_t len[NOBJ];
	unsigned long free0 = slab_boot(64 * MB);
	int n = 0, step;

	for (step = 0; step < 60000; step++) {
		host_cpu_id = test_rand() % NR_CPUS;
		if (n < NOBJ && (n == 0 || test_rand() % 100 < 52)) {
			size_t size = test_rand() % 8 ? 1 + test_rand() % 512 : 1 + test_rand() % 20000;
			void *p = test_rand() % 4 ? __kmalloc(size, GFP_KERNEL) : kzalloc(size, GFP_KERNEL);
			size_t i;

			CHECK(p);
			CHECK(ksize(p) >= size);
			for (i = 0; i < (size_t)n; i++)	/* no overlap with a live object */
				CHECK((char *)p + size <= (char *)obj[i] || (char *)obj[i] + len[i] <= (char *)p);
			fill(p, size);
			obj[n] = p;
			len[n++] = size;
		} else {
			int k = (int)(test_rand() % (unsigned long)n);

			CHECK(intact(obj[k], len[k]));
			kfree(obj[k]);
			obj[k] = obj[--n];
			len[k] = len[n];
		}
	}
	while (n--) {
		CHECK(intact(obj[n], len[n]));
		kfree(obj[n]);
	}
	shrink_all();
	CHECK(nr_free_pages() == free0);
	CHECK(host_irqs_off == 0);
}

TEST(slab_kzalloc_kcalloc_krealloc)
{
	unsigned long free0 = slab_boot(16 * MB);
	unsigned char *p, *q, *orig;
	size_t i;

	p = __kmalloc(200, GFP_KERNEL);
	memset(p, 0xee, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);	/* likely the same object: must be zeroed */
	for (i = 0; i < 256; i++)
		CHECK(p[i] == 0);
	fill(p, 200);
	orig = p;
	q = krealloc(p, 250, GFP_KERNEL);	/* fits the 256 class: same object */
	CHECK(q == p);
	q = krealloc(p, 3000, GFP_KERNEL);
	CHECK(q && q != p && ksize(q) == 4096);
	for (i = 0; i < 200; i++)
		CHECK(q[i] == pattern(orig, i));
	p = krealloc(q, 100000, GFP_KERNEL);	/* to whole pages */
	CHECK(p && ksize(p) == 32 * PAGE_SIZE);
	for (i = 0; i < 200; i++)
		CHECK(p[i] == pattern(orig, i));
	CHECK(krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = krealloc(NULL, 10, GFP_KERNEL);
	CHECK(p && ksize(p) == 16);
	kfree(p);
	p = kcalloc(10, 30, GFP_KERNEL);
	CHECK(p && ksize(p) == 512);
	for (i = 0; i < 300; i++)
		CHECK(p[i] == 0);
	kfree(p);
	CHECK(!kcalloc((size_t)1 << 40, (size_t)1 << 40, GFP_KERNEL));
	shrink_all();
	CHECK(nr_free_pages() == free0);
}

static int ctor_calls;

static void thing_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0, 100);
	*(unsigned int *)obj = 0xc0ffee;
}

TEST(slab_named_cache_ctor_and_alignment)
{
	static void *objs[1000];
	unsigned long free0 = slab_boot(32 * MB);
	struct kmem_cache *c;
	int i, j;

	CHECK(IS_ERR(kmem_cache_create("bad-align", 100, 48, 0, NULL)));
	CHECK(PTR_ERR(kmem_cache_create("zero", 0, 0, 0, NULL)) == -EINVAL);
	CHECK(PTR_ERR(kmem_cache_create(NULL, 8, 0, 0, NULL)) == -EINVAL);
	c = kmem_cache_create("thing", 100, 128, 0, thing_ctor);
	CHECK(!IS_ERR(c));
	for (i = 0; i < 1000; i++) {
		host_cpu_id = (unsigned int)i % NR_CPUS;
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(objs[i] && (unsigned long)objs[i] % 128 == 0);
		CHECK(*(unsigned int *)objs[i] == 0xc0ffee);
		CHECK(ksize(objs[i]) == 100);
		for (j = 0; j < i; j++)
			CHECK(objs[j] != objs[i]);
	}
	CHECK(ctor_calls >= 1000);
	i = ctor_calls;
	for (j = 0; j < 1000; j++) {
		host_cpu_id = (unsigned int)(j * 7) % NR_CPUS;
		if (j % 2)
			kmem_cache_free(c, objs[j]);
		else
			kfree(objs[j]);	/* kfree works on any slab object */
	}
	for (j = 0; j < 1000; j++) {	/* reuse: constructed state kept, no new ctor calls */
		objs[j] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(*(unsigned int *)objs[j] == 0xc0ffee);
	}
	/* A hot object comes back from the per-CPU array without a new ctor call. */
	i = ctor_calls;
	kmem_cache_free(c, objs[0]);
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(ctor_calls == i && *(unsigned int *)objs[0] == 0xc0ffee);
	/* Destroying a cache in use keeps it. */
	kmem_cache_destroy(c);
	for (j = 0; j < 1000; j++)
		kmem_cache_free(c, objs[j]);
	kmem_cache_destroy(c);
	c = kmem_cache_create("hw", 24, 0, SLAB_HWCACHE_ALIGN, NULL);
	objs[0] = kmem_cache_zalloc(c, GFP_KERNEL);
	CHECK((unsigned long)objs[0] % 64 == 0);
	for (j = 0; j < 24; j++)
		CHECK(((unsigned char *)objs[0])[j] == 0);
	kmem_cache_free(c, objs[0]);
	kmem_cache_destroy(c);
	shrink_all();
	CHECK(nr_free_pages() == free0);
	CHECK(host_irqs_off == 0);
}

TEST(slab_cross_cpu_free)
{
	enum { N = 5000 };
	static void *objs[N];
	unsigned long free0 = slab_boot(32 * MB);
	int i;

	host_cpu_id = 0;
	for (i = 0; i < N; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		CHECK(objs[i]);
		fill(objs[i], 64);
	}
	host_cpu_id = 3;
	for (i = 0; i < N; i++) {
		CHECK(intact(objs[i], 64));
		kfree(objs[i]);
	}
	host_cpu_id = 1;	/* CPU 1 reuses what CPU 3 drained to the slabs */
	for (i = 0; i < N; i++)
		CHECK((objs[i] = kmalloc(64, GFP_KERNEL)));
	for (i = 0; i < N; i++)
		kfree(objs[i]);
	shrink_all();
	CHECK(nr_free_pages() == free0);
}

TEST(slab_exhaustion_returns_null_and_recovers)
{
	static void *objs[200000];
	unsigned long free0 = slab_boot(16 * MB);
	int n = 0, i;

	while ((objs[n] = kmalloc(192, GFP_KERNEL)))
		n++;
	CHECK(n > 1000);
	CHECK(!__kmalloc(100000, GFP_KERNEL));
	for (i = 0; i < n; i++)
		kfree(objs[i]);
	CHECK(host_irqs_off == 0);
	/* Everything usable again: a different class can take all the memory. */
	shrink_all();
	CHECK(nr_free_pages() == free0);
	n = 0;
	while ((objs[n] = kmalloc(1024, GFP_KERNEL)))
		n++;
	CHECK(n > 1000);
	for (i = 0; i < n; i++)
		kfree(objs[i]);
	shrink_all();
	CHECK(nr_free_pages() == free0);
}

/* The debug tests use __kmalloc(): the inline kmalloc() would keep locals live across setjmp(). */

TEST(slab_debug_double_free_from_cpu_array)
{
	void *p;

	slab_boot(16 * MB);
	p = __kmalloc(64, GFP_KERNEL);
	kfree(p);
	EXPECT_PANIC(kfree(p), "double free");
}

TEST(slab_debug_double_free_from_slab)
{
	void *p, *many[100];
	int i;

	slab_boot(16 * MB);
	p = __kmalloc(32, GFP_KERNEL);
	for (i = 0; i < 100; i++)
		many[i] = __kmalloc(32, GFP_KERNEL);
	kfree(p);
	for (i = 0; i < 100; i++)	/* drains p out of the per-CPU array */
		kfree(many[i]);
	kmem_cache_shrink(&kmalloc_caches[2]);
	EXPECT_PANIC(kfree(p), "");
}

TEST(slab_debug_overrun_detected)
{
	char *p;

	slab_boot(16 * MB);
	p = __kmalloc(64, GFP_KERNEL);
	p[64] = 1;
	EXPECT_PANIC(kfree(p), "write past the end");
}

TEST(slab_debug_overrun_of_odd_cache)
{
	struct kmem_cache *c;
	char *p;

	slab_boot(16 * MB);
	c = kmem_cache_create("odd", 13, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	memset(p, 0, 14);
	EXPECT_PANIC(kmem_cache_free(c, p), "write past the end");
}

TEST(slab_debug_write_after_free)
{
	char *p, *q;

	slab_boot(16 * MB);
	p = __kmalloc(128, GFP_KERNEL);
	kfree(p);
	p[100] = 'x';
	EXPECT_PANIC(q = __kmalloc(128, GFP_KERNEL), "write after free");
	(void)q;
}

/*
 * The poison check reads a word at a time (memchr_inv): a write after free
 * in the last byte of a 4 KiB object, in a word's last byte, is still
 * found, and at its own offset.
 */
TEST(slab_debug_write_after_free_last_byte_of_page_object)
{
	char *p, *q;

	slab_boot(16 * MB);
	p = __kmalloc(4096, GFP_KERNEL);
	kfree(p);
	p[4095] = 0x6a;
	EXPECT_PANIC(q = __kmalloc(4096, GFP_KERNEL), "offset 4095");
	(void)q;
}

TEST(slab_debug_invalid_frees)
{
	char *p;
	struct kmem_cache *c;

	slab_boot(16 * MB);
	p = __kmalloc(96, GFP_KERNEL);
	EXPECT_PANIC(kfree(p + 8), "not an object start");
	slab_boot(16 * MB);
	EXPECT_PANIC(kfree(page_address(alloc_page(GFP_KERNEL))), "kmalloc did not return");
	slab_boot(16 * MB);
	c = kmem_cache_create("other", 64, 0, 0, NULL);
	p = __kmalloc(64, GFP_KERNEL);
	EXPECT_PANIC(kmem_cache_free(c, p), "does not own");
	slab_boot(16 * MB);
	p = __kmalloc(20000, GFP_KERNEL);
	kfree(p);
	EXPECT_PANIC(kfree(p), "kmalloc did not return");
}
