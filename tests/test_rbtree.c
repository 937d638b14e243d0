// SPDX-License-Identifier: MIT
/*
 * lib/rbtree.c against a model: a sorted array of the keys that should be
 * in the tree. After every insert and erase the red-black invariants, the
 * parent links and both traversal directions are checked.
 */
#include <exo/rbtree.h>
#include "harness.h"
#include <string.h>

struct item {
	struct rb_node node;
	long key;
};

enum { MAX_ITEMS = 2048, KEY_SPACE = 4096 };

static struct item items[KEY_SPACE];		/* items[k] holds key k */
static bool in_tree[KEY_SPACE];
static long model[MAX_ITEMS];
static int model_n;

static struct item *tree_search(struct rb_root *root, long key)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct item *it = rb_entry(n, struct item, node);

		if (key < it->key)
			n = n->rb_left;
		else if (key > it->key)
			n = n->rb_right;
		else
			return it;
	}
	return NULL;
}

static void tree_insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, node)->key ? &parent->rb_left :
									      &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, root);
}

/* Returns the black height of @n's subtree; checks colours, links and order. */
static int check_subtree(struct rb_node *n, struct rb_node *parent, long lo, long hi)
{
	int lh, rh;
	long key;

	if (!n)
		return 1;
	key = rb_entry(n, struct item, node)->key;
	CHECK(rb_parent(n) == parent);
	CHECK(key > lo && key < hi);
	if (rb_is_red(n)) {
		CHECK(rb_is_black(n->rb_left));
		CHECK(rb_is_black(n->rb_right));
	}
	lh = check_subtree(n->rb_left, n, lo, key);
	rh = check_subtree(n->rb_right, n, key, hi);
	CHECK(lh == rh);
	return lh + rb_is_black(n);
}

static void check_tree(struct rb_root *root)
{
	struct rb_node *n;
	int i, height;

	CHECK(rb_is_black(root->rb_node));
	height = check_subtree(root->rb_node, NULL, -1, KEY_SPACE);
	/* A red-black tree with n nodes has black height <= log2(n + 1) + 1. */
	CHECK((1L << (height - 1)) <= model_n + 1);
	for (i = 0, n = rb_first(root); n; n = rb_next(n), i++) {
		CHECK(i < model_n);
		CHECK(rb_entry(n, struct item, node)->key == model[i]);
	}
	CHECK(i == model_n);
	for (i = model_n - 1, n = rb_last(root); n; n = rb_prev(n), i--)
		CHECK(rb_entry(n, struct item, node)->key == model[i]);
	CHECK(i == -1);
}

static void model_insert(long key)
{
	int i = model_n;

	while (i > 0 && model[i - 1] > key) {
		model[i] = model[i - 1];
		i--;
	}
	model[i] = key;
	model_n++;
}

static void model_remove(long key)
{
	int i = 0;

	while (model[i] != key)
		i++;
	memmove(&model[i], &model[i + 1], (model_n - i - 1) * sizeof(model[0]));
	model_n--;
}

static void reset(void)
{
	memset(items, 0, sizeof(items));
	memset(in_tree, 0, sizeof(in_tree));
	model_n = 0;
}

TEST(rbtree_empty)
{
	struct rb_root root = RB_ROOT;

	reset();
	CHECK(rb_empty_root(&root));
	CHECK(!rb_first(&root) && !rb_last(&root));
	check_tree(&root);
}

TEST(rbtree_ascending_then_descending_erase)
{
	struct rb_root root = RB_ROOT;
	long k;

	reset();
	for (k = 0; k < 1000; k++) {
		items[k].key = k;
		tree_insert(&root, &items[k]);
		model_insert(k);
		check_tree(&root);
	}
	for (k = 999; k >= 0; k -= 2) {
		rb_erase(&items[k].node, &root);
		model_remove(k);
		check_tree(&root);
	}
	for (k = 0; k < 1000; k += 2) {
		rb_erase(&items[k].node, &root);
		model_remove(k);
		check_tree(&root);
	}
	CHECK(rb_empty_root(&root));
}

TEST(rbtree_random_against_model)
{
	struct rb_root root = RB_ROOT;
	int step;

	reset();
	test_srand(7);
	for (step = 0; step < 60000; step++) {
		long key = (long)(test_rand() % KEY_SPACE);
		unsigned long op = test_rand() % 100;
		struct item *found = tree_search(&root, key);

		CHECK(!!found == in_tree[key]);
		CHECK(!found || found == &items[key]);
		if (op < 50 && !in_tree[key] && model_n < MAX_ITEMS) {
			items[key].key = key;
			tree_insert(&root, &items[key]);
			in_tree[key] = true;
			model_insert(key);
		} else if (op < 95 && in_tree[key]) {
			rb_erase(&items[key].node, &root);
			in_tree[key] = false;
			model_remove(key);
		} else {
			continue;
		}
		/* The full check is O(n): do it often, not always, past small sizes. */
		if (model_n < 64 || step % 16 == 0)
			check_tree(&root);
	}
	check_tree(&root);
	while (model_n) {
		long key = model[test_rand() % model_n];

		rb_erase(&items[key].node, &root);
		model_remove(key);
		check_tree(&root);
	}
	CHECK(rb_empty_root(&root));
}
