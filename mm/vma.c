// SPDX-License-Identifier: MIT
/*
 * The VMA tree of an mm: a red-black tree (lib/rbtree.c) of non-overlapping
 * struct vm_area keyed by vm_start. Since VMAs never overlap, ordering by
 * start orders by end too, so find_vma() (first VMA with vm_end > addr) is
 * one descent. Splitting and merging change vm_start/vm_end in place
 * without breaking the order, so they never re-insert the surviving VMA.
 *
 * Only anonymous VMAs, or file VMAs of the same file at consecutive
 * offsets, with identical flags merge; that keeps brk() and repeated
 * mmap()s of a heap down to one VMA.
 *
 * Locking: everything here runs under mm->lock.
 */
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/panic.h>
#include <exo/rbtree.h>
#include <exo/slab.h>
#include <uapi/errno.h>
#include "vma.h"

struct vm_area *vma_alloc(struct mm *mm, unsigned long start, unsigned long end,
			  unsigned long vm_flags, struct file *file, unsigned long pgoff)
{
	struct vm_area *vma = kmalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return ERR_PTR(-ENOMEM);
	vma->vm_mm = mm;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pgoff;
	vma->vm_file = file;
	vma->vm_policy = 0;
	if (file) {
		mm_get_file(file);
		mm_file_map_writable(file, vm_flags, 1);
	}
	return vma;
}

void vma_free(struct vm_area *vma)
{
	if (vma->vm_file) {
		mm_file_map_writable(vma->vm_file, vma->vm_flags, -1);
		mm_fput(vma->vm_file);
	}
	kfree(vma);
}

static struct vm_area *to_vma(struct rb_node *node)
{
	return rb_entry_safe(node, struct vm_area, vm_rb);
}

struct vm_area *find_vma(struct mm *mm, unsigned long addr)
{
	struct rb_node *n = mm->vma_tree.rb_node;
	struct vm_area *found = NULL;

	while (n) {
		struct vm_area *vma = to_vma(n);

		if (vma->vm_end > addr) {
			found = vma;
			if (vma->vm_start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

struct vm_area *find_vma_below(struct mm *mm, unsigned long addr)
{
	struct rb_node *n = mm->vma_tree.rb_node;
	struct vm_area *found = NULL;

	while (n) {
		struct vm_area *vma = to_vma(n);

		if (vma->vm_start < addr) {
			found = vma;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	return found;
}

struct vm_area *find_vma_intersection(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area *vma_next(struct vm_area *vma)
{
	return to_vma(rb_next(&vma->vm_rb));
}

struct vm_area *vma_prev(struct vm_area *vma)
{
	return to_vma(rb_prev(&vma->vm_rb));
}

void vma_insert(struct mm *mm, struct vm_area *vma)
{
	struct rb_node **link = &mm->vma_tree.rb_node, *parent = NULL;

	BUG_ON(vma->vm_start >= vma->vm_end);
	while (*link) {
		struct vm_area *other = to_vma(*link);

		parent = *link;
		if (vma->vm_end <= other->vm_start)
			link = &parent->rb_left;
		else if (vma->vm_start >= other->vm_end)
			link = &parent->rb_right;
		else
			panic("vma_insert: [%lx, %lx) overlaps [%lx, %lx)", vma->vm_start,
			      vma->vm_end, other->vm_start, other->vm_end);
	}
	rb_link_node(&vma->vm_rb, parent, link);
	rb_insert_color(&vma->vm_rb, &mm->vma_tree);
	mm->map_count++;
}

void vma_remove(struct mm *mm, struct vm_area *vma)
{
	rb_erase(&vma->vm_rb, &mm->vma_tree);
	mm->map_count--;
}

int vma_split(struct mm *mm, struct vm_area *vma, unsigned long addr)
{
	struct vm_area *upper;

	BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE));
	upper = vma_alloc(mm, addr, vma->vm_end, vma->vm_flags, vma->vm_file,
			  vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
	if (IS_ERR(upper))
		return PTR_ERR(upper);
	upper->vm_policy = vma->vm_policy;
	vma->vm_end = addr;
	vma_insert(mm, upper);
	return 0;
}

int vma_split_range(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma = find_vma(mm, start);
	int err;

	if (vma && vma->vm_start < start) {
		err = vma_split(mm, vma, start);
		if (err)
			return err;
	}
	vma = find_vma(mm, end - 1);
	if (vma && vma->vm_start < end && vma->vm_end > end)
		return vma_split(mm, vma, end);
	return 0;
}

static bool vma_can_merge(const struct vm_area *a, const struct vm_area *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags || a->vm_file != b->vm_file ||
	    a->vm_policy != b->vm_policy)
		return false;
	return !a->vm_file || a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff;
}

struct vm_area *vma_merge_neighbours(struct mm *mm, struct vm_area *vma)
{
	struct vm_area *prev = vma_prev(vma), *next = vma_next(vma);

	if (next && vma_can_merge(vma, next)) {
		vma_remove(mm, next);
		vma->vm_end = next->vm_end;
		vma_free(next);
	}
	if (prev && vma_can_merge(prev, vma)) {
		vma_remove(mm, vma);
		prev->vm_end = vma->vm_end;
		vma_free(vma);
		vma = prev;
	}
	return vma;
}

struct vm_area *vma_extend_anon(struct mm *mm, unsigned long start, unsigned long end,
			       unsigned long vm_flags)
{
	struct vm_area *next = find_vma(mm, start);
	struct vm_area *prev = next ? vma_prev(next) : find_vma_below(mm, start);
	/* What vma_alloc() would make of the range, to ask vma_can_merge() about it. */
	struct vm_area range = { .vm_start = start, .vm_end = end, .vm_flags = vm_flags };
	bool to_prev = prev && vma_can_merge(prev, &range);
	bool to_next = next && vma_can_merge(&range, next);

	if (to_prev && to_next) {
		vma_remove(mm, next);
		prev->vm_end = next->vm_end;
		vma_free(next);
		return prev;
	}
	if (to_prev) {
		prev->vm_end = end;
		return prev;
	}
	if (to_next) {
		/* A lower start keeps the tree's order: [start, end) was free. */
		next->vm_pgoff -= (end - start) >> PAGE_SHIFT;
		next->vm_start = start;
		return next;
	}
	return NULL;
}

unsigned long get_unmapped_area(struct mm *mm, unsigned long hint, unsigned long len)
{
	unsigned long top = mm->mmap_base, bottom;
	struct vm_area *vma;

	if (len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (hint) {
		hint = ALIGN(hint, PAGE_SIZE);
		if (hint >= MMAP_MIN_ADDR && hint <= TASK_SIZE - len &&
		    !find_vma_intersection(mm, hint, hint + len))
			return hint;
	}
	/* Walk the gaps between VMAs downwards from mmap_base. */
	for (vma = find_vma_below(mm, top);; vma = vma_prev(vma)) {
		bottom = vma ? vma->vm_end : MMAP_MIN_ADDR;
		if (top >= bottom && top - bottom >= len)
			return top - len;
		if (!vma)
			return -ENOMEM;
		top = min(top, vma->vm_start);
	}
}
