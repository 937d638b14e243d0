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
#include <exo/spinlock.h>
#include <uapi/errno.h>
#include "vma.h"

/* The page at @addr if it is present (writable when @write) in private anonymous memory. */
static struct page *anon_page_locked(struct mm *mm, unsigned long addr, bool write, int *err)
{
	struct vm_area *vma = find_vma(mm, addr);
	u64 *pte;

	*err = -EFAULT;
	if (!vma || vma->vm_start > addr)
		return NULL;
	*err = -EINVAL;
	if (vma->vm_file || (vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_READ))
		return NULL;
	*err = 0;
	pte = arch_user_pte(mm, addr, false);
	if (!pte || !pte_accessible(*pte) || pte_pagecache(*pte) || (write && !pte_writable(*pte)))
		return NULL;
	return pfn_to_page(pte_pfn(*pte));
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
		struct page *page;

		spin_lock(&mm->lock);
		page = anon_page_locked(mm, a, move, &err);
		if (page)
			get_page(page);
		spin_unlock(&mm->lock);
		if (page) {
			pages[got++] = page;
			continue;
		}
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

unsigned long mm_map_user_pages(struct mm *mm, struct page **pages, unsigned int n, bool writable)
{
	unsigned long len = (unsigned long)n << PAGE_SHIFT, addr, vm_flags;

	vm_flags = VM_READ | VM_WRITE | VM_MAY_FLAGS;
	spin_lock(&mm->lock);
	addr = get_unmapped_area(mm, 0, len);
	if (!IS_ERR_VALUE(addr))
		addr = mmap_region(mm, addr, len, vm_flags, NULL, 0);
	for (unsigned int i = 0; !IS_ERR_VALUE(addr) && i < n; i++) {
		u64 *pte = arch_user_pte(mm, addr + ((unsigned long)i << PAGE_SHIFT), true);

		if (!pte) {
			do_munmap(mm, addr, len);
			addr = (unsigned long)-ENOMEM;
			break;
		}
		/*
		 * The PTE owns a reference of its own. A read-only PTE in the
		 * writable VMA makes a write copy the page first while someone
		 * else still references it (do_wp_page()): shared pages stay
		 * the sender's, as a fork's would.
		 */
		get_page(pages[i]);
		WRITE_ONCE(*pte, arch_user_pte_make(page_to_pfn(pages[i]), vm_flags, writable,
						    false));
	}
	spin_unlock(&mm->lock);
	return addr;
}
