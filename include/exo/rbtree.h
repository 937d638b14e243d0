/* SPDX-License-Identifier: MIT */
/*
 * Red-black trees (lib/rbtree.c), intrusive: a struct rb_node lives inside
 * the object and rb_entry() gets back to it. The tree does no comparisons;
 * the caller searches down from root->rb_node itself, then links the new
 * node at the leaf it found and lets the tree rebalance:
 *
 *	struct rb_node **link = &root->rb_node, *parent = NULL;
 *	while (*link) {
 *		parent = *link;
 *		link = key < rb_entry(parent, struct foo, node)->key ?
 *			&parent->rb_left : &parent->rb_right;
 *	}
 *	rb_link_node(&foo->node, parent, link);
 *	rb_insert_color(&foo->node, root);
 *
 * Insert and erase are O(log n) with at most three rotations. No locking:
 * the owner of the tree serialises all access to it.
 */
#ifndef _EXO_RBTREE_H
#define _EXO_RBTREE_H

#include <exo/compiler.h>
#include <exo/types.h>

#define RB_RED 0UL
#define RB_BLACK 1UL

struct rb_node {
	unsigned long __parent_color;	/* parent pointer | colour in bit 0 */
	struct rb_node *rb_left;
	struct rb_node *rb_right;
} __aligned(sizeof(long));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_ROOT ((struct rb_root){ NULL })
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member) ((ptr) ? rb_entry(ptr, type, member) : NULL)

static inline struct rb_node *rb_parent(const struct rb_node *node)
{
	return (struct rb_node *)(node->__parent_color & ~3UL);
}

/* NULL leaves count as black. */
static inline bool rb_is_black(const struct rb_node *node)
{
	return !node || (node->__parent_color & RB_BLACK);
}

static inline bool rb_is_red(const struct rb_node *node)
{
	return !rb_is_black(node);
}

static inline bool rb_empty_root(const struct rb_root *root)
{
	return root->rb_node == NULL;
}

/* Puts @node, not yet in any tree, at the empty child slot @link of @parent. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->__parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

/* Rebalances after rb_link_node(); @node is then part of @root. */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Removes @node from @root and rebalances; @node may be reused afterwards. */
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order traversal; NULL past either end. */
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);

#endif /* _EXO_RBTREE_H */
