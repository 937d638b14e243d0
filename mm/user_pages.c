// SPDX-License-Identifier: MIT
/*
 * Whole user pages handed from one address space to another without a
 * copy (fusion rings, ipc/fusion.c):
 *
 *   mm_get_user_pages()  references the pages behind a page-aligned range
 *                        of private anonymous memory, faulting them in
 *                        first (with a copy-on-write break when the caller
 *                        will move them); with @move the range is then
 *                        unmapped, so the references taken are the only
 *                        ones the sender had.
 *   mm_map_user_pages()  maps referenced pages into a fresh private
 *                        anonymous VMA of another mm.
 *   mm_replace_user_pages()  puts them in place of the pages of a range of
 *                        private anonymous memory the receiver already has
 *                        (no VMA made or freed, no page table allocated):
 *                        a receive buffer that is used again and again.
 *
 * Only private anonymous memory is accepted: a page-cache page belongs to
 * its file and must not leave it. Both take mm->lock; call them without it.
 * The page references are the one refcount of struct page, so a page in
 * flight is freed by whoever drops the last reference, mapped or not.
 */
#include <asm/mmu.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <uapi/errno.h>
#include "vma.h"

/*
 * The PTE of @addr, reusing @prev (the PTE of @addr - PAGE_SIZE) while both
 * are in one page table, so a run of pages walks the tree once per 2 MiB.
 */
static u64 *pte_of(struct mm *mm, unsigned long addr, u64 *prev, bool alloc)
{
	if (prev && (addr & (PMD_SIZE - 1)))
		return prev + 1;
	return arch_user_pte(mm, addr, alloc);
}

/* The VMA of @addr if it is private anonymous memory covering [addr, end); else NULL and *err. */
static struct vm_area *anon_vma_of(struct mm *mm, unsigned long addr, unsigned long end, int *err)
{
	struct vm_area *vma = find_vma(mm, addr);

	*err = -EFAULT;
	if (!vma || vma->vm_start > addr)
		return NULL;
	*err = -EINVAL;
	if (vma->vm_file || (vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_READ))
		return NULL;
	if (vma->vm_end < end) {
		*err = -EFAULT;
		return NULL;
	}
	*err = 0;
	return vma;
}

int mm_get_user_pages(struct mm *mm, unsigned long addr, unsigned int n, bool move,
		      struct page **pages)
{
	unsigned int flags = FAULT_FLAG_USER | (move ? FAULT_FLAG_WRITE : 0);
	unsigned long len = (unsigned long)n << PAGE_SHIFT;
	unsigned int got = 0;
	int err = 0;

	if (!n || !IS_ALIGNED(addr, PAGE_SIZE) || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -EFAULT;
	while (got < n) {
		unsigned long a = addr + ((unsigned long)got << PAGE_SHIFT);
		struct vm_area *vma;
		u64 *pte = NULL;

		spin_lock(&mm->lock);
		vma = anon_vma_of(mm, a, a + PAGE_SIZE, &err);
		/* Take every present page of the run under one lock and one walk per table. */
		while (vma && got < n && a < vma->vm_end) {
			pte = pte_of(mm, a, pte, false);
			if (!pte || !pte_accessible(*pte) || pte_pagecache(*pte) ||
			    (move && !pte_writable(*pte)))
				break;
			pages[got] = pfn_to_page(pte_pfn(*pte));
			get_page(pages[got++]);
			a += PAGE_SIZE;
		}
		spin_unlock(&mm->lock);
		if (got == n)
			break;
		/* Not there yet: fault it in as the owner's own access would, then look again. */
		if (err || (err = __handle_mm_fault(mm, a, flags)))
			goto out_put;
	}
	if (move) {
		spin_lock(&mm->lock);
		err = do_munmap(mm, addr, len);
		spin_unlock(&mm->lock);
		if (err)
			goto out_put;
	}
	return 0;

out_put:
	while (got)
		put_page(pages[--got]);
	return err;
}

/* Points the @n PTEs from @addr at @pages (a reference each); the old entries go to @old. */
static int set_ptes_locked(struct mm *mm, unsigned long addr, struct page **pages, unsigned int n,
			   unsigned long vm_flags, bool writable, u64 *old)
{
	u64 *pte = NULL;

	for (unsigned int i = 0; i < n; i++) {
		pte = pte_of(mm, addr + ((unsigned long)i << PAGE_SHIFT), pte, true);
		if (!pte)
			return -ENOMEM;
		/*
		 * A read-only PTE in the writable VMA makes a write copy the page
		 * first while someone else still references it (do_wp_page()):
		 * shared pages stay the sender's, as a fork's would.
		 */
		get_page(pages[i]);
		if (old)
			old[i] = *pte;
		arch_user_pte_set(pte, arch_user_pte_make(page_to_pfn(pages[i]), vm_flags, writable,
							  false));
	}
	return 0;
}

unsigned long mm_map_user_pages(struct mm *mm, struct page **pages, unsigned int n, bool writable)
{
	unsigned long len = (unsigned long)n << PAGE_SHIFT, addr, vm_flags;

	vm_flags = VM_READ | VM_WRITE | VM_MAY_FLAGS;
	spin_lock(&mm->lock);
	addr = get_unmapped_area(mm, 0, len);
	if (!IS_ERR_VALUE(addr))
		addr = mmap_region(mm, addr, len, vm_flags, NULL, 0, false);
	/* The fresh range had no PTEs: nothing to flush. On failure the unmap drops what was set. */
	if (!IS_ERR_VALUE(addr) && set_ptes_locked(mm, addr, pages, n, vm_flags, writable, NULL)) {
		do_munmap(mm, addr, len);
		addr = (unsigned long)-ENOMEM;
	}
	spin_unlock(&mm->lock);
	return addr;
}

int mm_replace_user_pages(struct mm *mm, unsigned long addr, struct page **pages, unsigned int n,
			  bool writable)
{
	unsigned long len = (unsigned long)n << PAGE_SHIFT;
	struct vm_area *vma;
	u64 *old;
	int err;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr >= TASK_SIZE || len > TASK_SIZE - addr)
		return -EFAULT;
	old = kcalloc(n, sizeof(*old), GFP_KERNEL);
	if (!old)
		return -ENOMEM;
	spin_lock(&mm->lock);
	vma = anon_vma_of(mm, addr, addr + len, &err);
	if (vma && !(vma->vm_flags & VM_WRITE))
		err = -EACCES;
	if (!err) {
		err = set_ptes_locked(mm, addr, pages, n, vma->vm_flags, writable, old);
		/* The old pages may be freed only once no TLB can reach them. */
		flush_tlb_mm_range(mm, addr, addr + len);
	}
	spin_unlock(&mm->lock);
	for (unsigned int i = 0; i < n; i++)
		if (old[i])
			put_page(pfn_to_page(pte_pfn(old[i])));
	kfree(old);
	return err;
}
