// SPDX-License-Identifier: MIT
/*
 * The life of an address space: mm_create (exec), mm_dup (fork),
 * mmget/mmput (threads, exit) and the initial stack.
 *
 * fork copies every VMA and, through arch_copy_user_range(), every PTE:
 * private pages are shared read-only with one more reference each and
 * copied on the first write (mm/memory.c); shared mappings stay writable in
 * both. MADV_DONTFORK VMAs are left out; MADV_WIPEONFORK ones are copied
 * without their pages, so the child reads zeros. The last mmput() zaps every VMA, which drops every page reference,
 * then frees the page tables: nothing the mm allocated outlives it.
 *
 * Locking: mm_dup holds the old mm's lock while copying; the new mm is
 * invisible to everyone else until it returns. mmput's teardown needs no
 * lock: nobody else holds a reference.
 */
#include <asm/mmu.h>
#include <exo/aio.h>
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <uapi/errno.h>
#include "vma.h"

#define VM_STACK_FLAGS (VM_READ | VM_WRITE | VM_MAY_FLAGS | VM_GROWSDOWN)

/* Room for the stack to grow to its limit plus the guard gap, at least 128 MiB. */
static unsigned long mmap_base_for(unsigned long stack_limit)
{
	unsigned long gap = stack_limit + STACK_GUARD_GAP;

	if (gap < MMAP_BASE_MIN_GAP || gap > STACK_TOP / 6 * 5)
		gap = MMAP_BASE_MIN_GAP;
	return ALIGN_DOWN(STACK_TOP - gap, PAGE_SIZE);
}

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return ERR_PTR(-ENOMEM);
	if (arch_pgd_alloc(mm)) {
		kfree(mm);
		return ERR_PTR(-ENOMEM);
	}
	spin_lock_init(&mm->lock);
	mm->vma_tree = RB_ROOT;
	mm->dumpable = 1;
	mm->mm_users = 1;
	mm->stack_limit = DEFAULT_STACK_LIMIT;
	mm->mmap_base = mmap_base_for(mm->stack_limit);
	return mm;
}

static int dup_vmas(struct mm *new, struct mm *old)
{
	struct rb_node *n;
	int err;

	for (n = rb_first(&old->vma_tree); n; n = rb_next(n)) {
		struct vm_area *vma = rb_entry(n, struct vm_area, vm_rb), *copy;

		if (vma->vm_flags & VM_DONTCOPY) {
			new->total_vm -= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
			continue;
		}
		/* mlock is not inherited (the child's pages are copy-on-write shares). */
		copy = vma_alloc(new, vma->vm_start, vma->vm_end, vma->vm_flags & ~VM_LOCKED_MASK,
				 vma->vm_file, vma->vm_pgoff);
		if (IS_ERR(copy))
			return PTR_ERR(copy);
		copy->vm_policy = vma->vm_policy;
		vma_insert(new, copy);
		/* A wiped VMA starts without pages: the child faults in zeros. */
		if (vma->vm_flags & VM_WIPEONFORK)
			continue;
		err = arch_copy_user_range(new, old, vma->vm_start, vma->vm_end,
					   !(vma->vm_flags & VM_SHARED));
		if (err)
			return err;
	}
	return 0;
}

struct mm *mm_dup(struct mm *old)
{
	struct mm *new = mm_create();
	int err;

	if (IS_ERR(new))
		return new;
	spin_lock(&old->lock);
	new->mmap_base = old->mmap_base;
	new->dumpable = READ_ONCE(old->dumpable);
	/* membarrier registrations survive fork, as on Linux (exec's new mm has none). */
	new->membarrier_state = __atomic_load_n(&old->membarrier_state, __ATOMIC_RELAXED);
	new->stack_limit = old->stack_limit;
	new->start_code = old->start_code;
	new->end_code = old->end_code;
	new->start_data = old->start_data;
	new->end_data = old->end_data;
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->start_stack = old->start_stack;
	new->arg_start = old->arg_start;
	new->arg_end = old->arg_end;
	new->env_start = old->env_start;
	new->env_end = old->env_end;
	new->total_vm = old->total_vm;
	new->exe_file = old->exe_file;
	if (new->exe_file)
		mm_get_file(new->exe_file);
	err = dup_vmas(new, old);
	spin_unlock(&old->lock);
	if (err) {
		mmput(new);
		return ERR_PTR(err);
	}
	return new;
}

void mmget(struct mm *mm)
{
	__atomic_fetch_add(&mm->mm_users, 1, __ATOMIC_RELAXED);
}

static void exit_mmap(struct mm *mm)
{
	struct rb_node *n;

	while ((n = rb_first(&mm->vma_tree))) {
		struct vm_area *vma = rb_entry(n, struct vm_area, vm_rb);

		arch_zap_user_range(mm, vma->vm_start, vma->vm_end);
		vma_remove(mm, vma);
		vma_free(vma);
	}
	arch_pgd_free(mm);
}

void mmput(struct mm *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	aio_exit_mm(mm);
	exit_mmap(mm);
	if (mm->exe_file)
		mm_fput(mm->exe_file);
	kfree(mm);
}

int setup_user_stack(struct mm *mm, unsigned long *sp_out)
{
	unsigned long start = STACK_TOP - INITIAL_STACK_SIZE;
	struct vm_area *vma;
	int err = 0;

	spin_lock(&mm->lock);
	mm->mmap_base = mmap_base_for(mm->stack_limit);
	if (find_vma_intersection(mm, start, STACK_TOP)) {
		err = -ENOMEM;
		goto out_unlock;
	}
	vma = vma_alloc(mm, start, STACK_TOP, VM_STACK_FLAGS, NULL, 0);
	if (IS_ERR(vma)) {
		err = PTR_ERR(vma);
		goto out_unlock;
	}
	vma_insert(mm, vma);
	mm->total_vm += INITIAL_STACK_SIZE >> PAGE_SHIFT;
	mm->start_stack = STACK_TOP;
	*sp_out = STACK_TOP;
out_unlock:
	spin_unlock(&mm->lock);
	return err;
}
