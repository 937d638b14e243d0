// SPDX-License-Identifier: MIT
/*
 * Radix tree (see <exo/radix-tree.h>). The root covers indices
 * [0, 64^height); each level consumes 6 bits of the index, the last level's
 * slots hold the items. The tree grows upwards when an index beyond its
 * range arrives (the old root becomes slot 0 of a new one) and shrinks
 * only to empty: a delete frees every node it leaves without entries.
 *
 * An insert allocates all the nodes it may need before it changes
 * anything, so a failed allocation leaves the tree as it was (no empty
 * node stranded where no delete would find it).
 */
#include <exo/err.h>
#include <exo/panic.h>
#include <exo/radix-tree.h>
#include <exo/slab.h>
#include <exo/string.h>
#include <uapi/errno.h>

/* Enough levels for any unsigned long: ceil(64 / 6). */
#define RADIX_TREE_MAX_HEIGHT	11

static struct kmem_cache *node_cache;	/* [immutable after radix_tree_init] */

void radix_tree_init(void)
{
	node_cache = kmem_cache_create("radix_tree_node", sizeof(struct radix_tree_node), 8, 0,
				       NULL);
	BUG_ON(IS_ERR(node_cache));
}

static unsigned long max_index(unsigned int height)
{
	unsigned int bits = height * RADIX_TREE_MAP_SHIFT;

	return bits >= 8 * sizeof(unsigned long) ? ~0UL : (1UL << bits) - 1;
}

static unsigned int offset_at(unsigned long index, unsigned int shift)
{
	return (unsigned int)((index >> shift) & RADIX_TREE_MAP_MASK);
}

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	return __radix_tree_lookup(root, index);
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item, gfp_t gfp)
{
	struct radix_tree_node *spare[2 * RADIX_TREE_MAX_HEIGHT];
	struct kmem_cache *cache = node_cache;
	unsigned int height = root->height, need = 0, used = 0, shift;
	struct radix_tree_node *node;
	int err = 0;

	if (!item)
		return -EINVAL;
	if (radix_tree_lookup(root, index))
		return -EEXIST;
	/* A first root, new levels on top, then at most one new node per level below the root. */
	if (!root->node) {
		height = 1;
		need = 1;
	}
	while (index > max_index(height)) {
		height++;
		need++;
	}
	need += height - 1;
	for (unsigned int i = 0; i < need; i++) {
		spare[i] = kmem_cache_zalloc(cache, gfp);
		if (!spare[i]) {
			need = i;
			err = -ENOMEM;
			goto out;
		}
	}
	if (!root->node) {
		root->node = spare[used++];
		root->height = 1;
	}
	while (index > max_index(root->height)) {
		node = spare[used++];
		node->slots[0] = root->node;
		node->count = 1;
		root->node = node;
		root->height++;
	}
	node = root->node;
	for (shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT; shift;
	     shift -= RADIX_TREE_MAP_SHIFT) {
		void **slot = &node->slots[offset_at(index, shift)];

		if (!*slot) {
			*slot = spare[used++];
			node->count++;
		}
		node = *slot;
	}
	node->slots[index & RADIX_TREE_MAP_MASK] = item;
	node->count++;
out:
	while (used < need)
		kmem_cache_free(cache, spare[used++]);
	return err;
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_HEIGHT];
	unsigned int offs[RADIX_TREE_MAX_HEIGHT];
	struct radix_tree_node *node = root->node;
	unsigned int level, shift;
	void *item;

	if (!node || index > max_index(root->height))
		return NULL;
	shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	for (level = 0;; level++) {
		path[level] = node;
		offs[level] = offset_at(index, shift);
		if (!shift)
			break;
		node = node->slots[offs[level]];
		if (!node)
			return NULL;
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	item = path[level]->slots[offs[level]];
	if (!item)
		return NULL;
	/* Clear the slot, then free each node that became empty, bottom up. */
	for (;;) {
		node = path[level];
		node->slots[offs[level]] = NULL;
		if (--node->count)
			break;
		kmem_cache_free(node_cache, node);
		if (!level) {
			root->node = NULL;
			root->height = 0;
			break;
		}
		level--;
	}
	return item;
}

/*
 * The first item at or after *@index below @node, which covers indices from
 * @base on with slots of 2^@shift indices each; moves *@index to the item's index.
 */
static void *next_item(struct radix_tree_node *node, unsigned int shift, unsigned long base,
		       unsigned long *index)
{
	for (unsigned int off = offset_at(*index, shift); off < RADIX_TREE_MAP_SIZE; off++) {
		unsigned long start = base + ((unsigned long)off << shift);
		void *slot = node->slots[off];

		if (!slot)
			continue;
		if (start > *index)
			*index = start;
		if (!shift)
			return slot;
		slot = next_item(slot, shift - RADIX_TREE_MAP_SHIFT, start, index);
		if (slot)
			return slot;
	}
	return NULL;
}

/*
 * The leaf-level node holding @index, or NULL: a lookup's walk that stops
 * one level short, so a run of neighbours costs one walk a 64 of them.
 */
static struct radix_tree_node *leaf_node(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = root->node;
	unsigned int shift;

	if (!node)
		return NULL;
	shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	if ((index >> shift) > RADIX_TREE_MAP_MASK)
		return NULL;
	for (; node && shift; shift -= RADIX_TREE_MAP_SHIFT)
		node = node->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
	return node;
}

unsigned int radix_tree_lookup_contig(const struct radix_tree_root *root, void **results,
				      unsigned long first_index, unsigned int max_items)
{
	unsigned int n = 0;

	while (n < max_items) {
		unsigned long index = first_index + n;
		struct radix_tree_node *node = leaf_node(root, index);

		if (!node || index < first_index)	/* a gap above, or past ~0UL */
			break;
		for (unsigned int off = (unsigned int)(index & RADIX_TREE_MAP_MASK);
		     off < RADIX_TREE_MAP_SIZE && n < max_items; off++) {
			void *item = node->slots[off];

			if (!item)
				return n;
			results[n++] = item;
		}
	}
	return n;
}

unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long first_index, unsigned int max_items)
{
	unsigned long index = first_index;
	unsigned int n = 0;

	if (!root->node)
		return 0;
	while (n < max_items && index <= max_index(root->height)) {
		void *item = next_item(root->node, (root->height - 1) * RADIX_TREE_MAP_SHIFT, 0,
				       &index);

		if (!item)
			break;
		results[n++] = item;
		if (index == ~0UL)
			break;
		index++;
	}
	return n;
}
