// SPDX-License-Identifier: MIT
/*
 * lib/radix-tree.c against a model: a sorted array of the indices present.
 * Random inserts, deletes, lookups and gang lookups over small, sparse and
 * huge indices; at the end every node must have been freed.
 */
#include <exo/radix-tree.h>
#include <exo/slab.h>
#include <uapi/errno.h>
#include "test_mm.h"
#include <string.h>

enum { MODEL_MAX = 4096 };

static unsigned long model[MODEL_MAX];
static int model_n;

static int model_find(unsigned long idx)
{
	int lo = 0, hi = model_n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (model[mid] < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Items are the index itself, tagged so it is never NULL. */
static void *item_of(unsigned long idx)
{
	return (void *)((idx << 1) | 1);
}

static void radix_boot(void)
{
	test_boot(64 * MB, false);
	slab_init();
	radix_tree_init();
}

static unsigned long random_index(void)
{
	switch (rand() % 4) {
	case 0:
		return (unsigned long)(rand() % 200);		/* dense, one or two levels */
	case 1:
		return (unsigned long)rand() % 100000;		/* sparse */
	case 2:
		return ~0UL - (unsigned long)(rand() % 50);	/* the top of the range: 11 levels */
	default:
		return ((unsigned long)rand() << 20) ^ (unsigned long)rand();
	}
}

/*
 * radix_tree_lookup_contig() from @idx (model position @pos) gives the run
 * of consecutive indices the model has there, cut at @max (at most 70; not
 * drawn from rand(), which would change the other operations' sequence).
 */
static void check_contig(struct radix_tree_root *root, unsigned long idx, int pos,
			 unsigned int max)
{
	void *got[70];
	unsigned int want = 0;
	unsigned int n = radix_tree_lookup_contig(root, got, idx, max);

	while (want < max && pos + (int)want < model_n && model[pos + (int)want] == idx + want &&
	       idx + want >= idx)
		want++;
	CHECK(n == want);
	for (unsigned int i = 0; i < n; i++)
		CHECK(got[i] == item_of(idx + i));
}

TEST(radix_tree_against_model)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	unsigned long free_before;

	radix_boot();
	/* The node cache itself stays: count from after its creation. */
	CHECK(radix_tree_insert(&root, 0, item_of(0), GFP_KERNEL) == 0);
	CHECK(radix_tree_delete(&root, 0) == item_of(0));
	kmem_cache_shrink_all();
	drain_all_cpus();
	free_before = nr_free_pages();
	for (int op = 0; op < 40000; op++) {
		unsigned long idx = random_index();
		int pos = model_find(idx);
		bool present = pos < model_n && model[pos] == idx;

		switch (rand() % 4) {
		case 0:
		case 1:
			if (model_n == MODEL_MAX)
				break;
			CHECK(radix_tree_insert(&root, idx, item_of(idx), GFP_KERNEL) ==
			      (present ? -EEXIST : 0));
			if (!present) {
				memmove(&model[pos + 1], &model[pos], (size_t)(model_n - pos) * sizeof(*model));
				model[pos] = idx;
				model_n++;
			}
			break;
		case 2:
			CHECK(radix_tree_delete(&root, idx) == (present ? item_of(idx) : NULL));
			if (present) {
				memmove(&model[pos], &model[pos + 1], (size_t)(model_n - pos - 1) * sizeof(*model));
				model_n--;
			}
			break;
		default: {
			void *got[7];
			unsigned int n = radix_tree_gang_lookup(&root, got, idx, 7);

			CHECK(radix_tree_lookup(&root, idx) == (present ? item_of(idx) : NULL));
			CHECK((int)n == (model_n - pos < 7 ? model_n - pos : 7));
			for (unsigned int i = 0; i < n; i++)
				CHECK(got[i] == item_of(model[pos + (int)i]));
			check_contig(&root, idx, pos, 1 + (unsigned int)op % 70);
		}
		}
	}
	/* A whole walk in batches sees every item once, in order. */
	{
		unsigned long next = 0;
		int seen = 0;
		void *got[16];
		unsigned int n;

		while ((n = radix_tree_gang_lookup(&root, got, next, 16))) {
			for (unsigned int i = 0; i < n; i++)
				CHECK(got[i] == item_of(model[seen++]));
			next = ((unsigned long)got[n - 1] >> 1) + 1;
			if (next == 0)
				break;
		}
		CHECK(seen == model_n);
	}
	while (model_n) {
		unsigned long idx = model[--model_n];

		CHECK(radix_tree_delete(&root, idx) == item_of(idx));
	}
	CHECK(radix_tree_empty(&root) && root.height == 0);
	kmem_cache_shrink_all();
	drain_all_cpus();
	CHECK(nr_free_pages() >= free_before);
}

TEST(radix_tree_edges)
{
	struct radix_tree_root root = RADIX_TREE_INIT;
	void *got[4];

	radix_boot();
	CHECK(radix_tree_lookup(&root, 0) == NULL && radix_tree_delete(&root, 5) == NULL);
	CHECK(radix_tree_gang_lookup(&root, got, 0, 4) == 0);
	CHECK(radix_tree_insert(&root, 3, NULL, GFP_KERNEL) == -EINVAL);
	CHECK(radix_tree_insert(&root, 63, item_of(63), GFP_KERNEL) == 0 && root.height == 1);
	CHECK(radix_tree_insert(&root, 64, item_of(64), GFP_KERNEL) == 0 && root.height == 2);
	CHECK(radix_tree_insert(&root, ~0UL, item_of(~0UL >> 1), GFP_KERNEL) == 0 && root.height == 11);
	CHECK(radix_tree_lookup(&root, 63) == item_of(63) && radix_tree_lookup(&root, 65) == NULL);
	CHECK(radix_tree_gang_lookup(&root, got, 64, 4) == 2 && got[0] == item_of(64));
	CHECK(radix_tree_gang_lookup(&root, got, ~0UL, 4) == 1);
	/* A run across a last-level node's end, one stopped by a gap, one at the top. */
	CHECK(radix_tree_lookup_contig(&root, got, 63, 4) == 2 && got[1] == item_of(64));
	CHECK(radix_tree_lookup_contig(&root, got, 62, 4) == 0);
	CHECK(radix_tree_lookup_contig(&root, got, ~0UL, 4) == 1);
	CHECK(radix_tree_delete(&root, 64) == item_of(64));
	CHECK(radix_tree_delete(&root, 64) == NULL);
	CHECK(radix_tree_delete(&root, ~0UL) && radix_tree_delete(&root, 63) == item_of(63));
	CHECK(radix_tree_empty(&root));
}
