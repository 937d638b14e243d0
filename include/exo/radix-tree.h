/* SPDX-License-Identifier: MIT */
/*
 * A radix tree mapping unsigned long indices to pointers (lib/radix-tree.c),
 * the index of the page cache: 64-way nodes, as many levels as the largest
 * index needs, so a lookup is a few dependent loads whatever the number of
 * entries, and an insert never moves other entries.
 *
 * The tree has no lock of its own: the caller serializes every call on one
 * tree (the page cache holds mapping->lock). Nodes come from their own slab
 * cache; an insert may allocate (never sleeping, so it may run under a
 * spinlock) and a delete frees the nodes it empties.
 */
#ifndef _EXO_RADIX_TREE_H
#define _EXO_RADIX_TREE_H

#include <exo/compiler.h>
#include <exo/gfp.h>
#include <exo/types.h>

#define RADIX_TREE_MAP_SHIFT	6
#define RADIX_TREE_MAP_SIZE	(1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK	(RADIX_TREE_MAP_SIZE - 1)

struct radix_tree_node {
	unsigned int count;			/* non-NULL slots */
	void *slots[RADIX_TREE_MAP_SIZE];	/* children, or items at the last level */
};

struct radix_tree_root {
	struct radix_tree_node *node;		/* NULL when empty */
	unsigned int height;			/* levels below the root pointer; 0: empty */
};

#define RADIX_TREE_INIT { .node = NULL, .height = 0 }

static inline void init_radix_tree(struct radix_tree_root *root)
{
	root->node = NULL;
	root->height = 0;
}

static inline bool radix_tree_empty(const struct radix_tree_root *root)
{
	return !root->node;
}

/* Creates the node cache; mm_core_init() calls it after slab_init(). */
void radix_tree_init(void);

/* The item at @index, or NULL. */
void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index);

/*
 * radix_tree_lookup() inlined, for the page cache's hit path (a cached
 * read is one lookup). The range check needs no max index: the top level
 * consumes the bits from shift up, so an index is in range when nothing is
 * left above them (shift is at most 60 for the 11 levels of a 64-bit index).
 */
static __always_inline void *__radix_tree_lookup(const struct radix_tree_root *root,
						 unsigned long index)
{
	struct radix_tree_node *node = root->node;
	unsigned int shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	void *slot;

	if (!node || (index >> shift) > RADIX_TREE_MAP_MASK)
		return NULL;
	for (;;) {
		slot = node->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		if (!shift || !slot)
			return slot;
		node = slot;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
}
/* Stores @item (not NULL) at @index: 0, -EEXIST when occupied, -ENOMEM. */
int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item, gfp_t gfp);
/* Removes and returns the item at @index (NULL when none), freeing emptied nodes. */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);
/*
 * Up to @max_items items with indices >= @first_index, in index order, into
 * @results; returns how many. The caller continues after the last item's
 * own index (page->index for the page cache).
 */
unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long first_index, unsigned int max_items);

/*
 * The items at @first_index, @first_index + 1, ... into @results, stopping
 * at the first index without one or after @max_items; returns how many.
 * One walk from the root for each 64 indices (a last-level node), where
 * radix_tree_gang_lookup() walks once an item: the page cache's batched
 * read of a contiguous range.
 */
unsigned int radix_tree_lookup_contig(const struct radix_tree_root *root, void **results,
				      unsigned long first_index, unsigned int max_items);

#endif /* _EXO_RADIX_TREE_H */
