// SPDX-License-Identifier: MIT
/*
 * User page faults: the one place where user pages come into existence.
 *
 *   no PTE, anonymous VMA   demand-zero: a fresh zeroed page, writable if
 *                           the VMA is.
 *   no PTE, file VMA        filemap_fault() gives a referenced page-cache
 *                           page. Shared: mapped itself (writable if
 *                           VM_WRITE). Private: mapped read-only and marked
 *                           _PAGE_PAGECACHE; a write fault copies it.
 *   write to read-only PTE  copy-on-write break in a private VMA: an
 *                           anonymous page only this PTE references
 *                           (page_count 1) just becomes writable again;
 *                           otherwise the data is copied to a new page and
 *                           the old reference dropped. Shared VMA: the PTE
 *                           becomes writable.
 *   below a VM_GROWSDOWN VMA  the stack grows down to the fault, up to
 *                           mm->stack_limit and STACK_GUARD_GAP above the
 *                           mapping below.
 *
 * Locking: takes mm->lock. filemap_fault() may sleep (disk I/O), so the
 * lock is dropped around it and the fault is redone from the start with the
 * page in hand: the VMA may have changed meanwhile.
 */
#include <asm/mmu.h>
#include <exo/compiler.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/spinlock.h>
#include <exo/string.h>
#include <uapi/errno.h>
#include "vma.h"

/* fault_locked() wants this page of this file: fetch it without the lock. */
#define FAULT_NEED_FILE_PAGE 1

struct fault_file_page {
	struct file *file;	/* a reference held while the lock is dropped */
	unsigned long pgoff;
	struct page *page;	/* referenced, not yet mapped */
};

static int expand_stack(struct mm *mm, struct vm_area *vma, unsigned long addr)
{
	unsigned long start = addr & PAGE_MASK;
	struct vm_area *prev = vma_prev(vma);

	if (start < MMAP_MIN_ADDR || vma->vm_end - start > mm->stack_limit)
		return -ENOMEM;
	if (prev && start - prev->vm_end < STACK_GUARD_GAP)
		return -ENOMEM;
	if (!may_expand_vm(mm, (vma->vm_start - start) >> PAGE_SHIFT))
		return -ENOMEM;
	mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	return 0;
}

static bool vma_allows(const struct vm_area *vma, unsigned int flags)
{
	if (flags & FAULT_FLAG_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (flags & FAULT_FLAG_EXEC)
		return vma->vm_flags & VM_EXEC;
	/* x86 cannot map write-only or execute-only: any right implies read. */
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

static void set_pte(struct mm *mm, u64 *pte, u64 val, unsigned long addr, bool was_live)
{
	arch_user_pte_set(pte, val);
	if (was_live)
		flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE);
}

static int do_anonymous_page(struct mm *mm, struct vm_area *vma, unsigned long addr, u64 *pte)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	/* Not-present entries are never cached in the TLB: no flush. */
	set_pte(mm, pte, arch_user_pte_make(page_to_pfn(page), vma->vm_flags,
					    vma->vm_flags & VM_WRITE, false), addr, false);
	return 0;
}

/* Replaces the page @old_pte maps by a private copy, writable. */
static int cow_copy(struct mm *mm, struct vm_area *vma, unsigned long addr, u64 *pte,
		    struct page *old, bool was_live)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	/* The flush in set_pte() happens before the old page can be freed. */
	set_pte(mm, pte, arch_user_pte_make(page_to_pfn(page), vma->vm_flags, true, false), addr,
		was_live);
	put_page(old);
	return 0;
}

static int do_file_page(struct mm *mm, struct vm_area *vma, unsigned long addr, u64 *pte,
			unsigned int flags, struct fault_file_page *ff)
{
	unsigned long pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page;
	int err;

	if (!ff->page || ff->file != vma->vm_file || ff->pgoff != pgoff) {
		if (ff->page)
			put_page(ff->page);
		ff->page = NULL;
		ff->file = vma->vm_file;
		ff->pgoff = pgoff;
		mm_get_file(ff->file);
		return FAULT_NEED_FILE_PAGE;
	}
	page = ff->page;
	ff->page = NULL;
	if (vma->vm_flags & VM_SHARED) {
		set_pte(mm, pte, arch_user_pte_make(page_to_pfn(page), vma->vm_flags,
						    vma->vm_flags & VM_WRITE, true), addr, false);
		return 0;
	}
	if (flags & FAULT_FLAG_WRITE) {
		err = cow_copy(mm, vma, addr, pte, page, false);
		if (err)
			put_page(page);
		return err;
	}
	set_pte(mm, pte, arch_user_pte_make(page_to_pfn(page), vma->vm_flags, false, true), addr,
		false);
	return 0;
}

/* A write to a present, read-only PTE in a writable VMA. */
static int do_wp_page(struct mm *mm, struct vm_area *vma, unsigned long addr, u64 *pte)
{
	u64 entry = *pte;
	struct page *page = pfn_to_page(pte_pfn(entry));
	bool pagecache = pte_pagecache(entry);

	if ((vma->vm_flags & VM_SHARED) || (!pagecache && page_count(page) == 1)) {
		set_pte(mm, pte, arch_user_pte_make(pte_pfn(entry), vma->vm_flags, true, pagecache),
			addr, true);
		return 0;
	}
	return cow_copy(mm, vma, addr, pte, page, true);
}

static int fault_locked(struct mm *mm, unsigned long addr, unsigned int flags,
			struct fault_file_page *ff)
{
	struct vm_area *vma = find_vma(mm, addr);
	u64 *pte, entry;

	lockdep_assert_held(&mm->lock);
	if (!vma)
		return -EFAULT;
	if (addr < vma->vm_start) {
		if (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(mm, vma, addr))
			return -EFAULT;
	}
	if (!vma_allows(vma, flags))
		return -EACCES;
	addr &= PAGE_MASK;
	pte = arch_user_pte(mm, addr, true);
	if (!pte)
		return -ENOMEM;
	entry = *pte;
	if (!entry) {
		if (vma->vm_file)
			return do_file_page(mm, vma, addr, pte, flags, ff);
		return do_anonymous_page(mm, vma, addr, pte);
	}
	if (!pte_accessible(entry)) {
		/* A PROT_NONE placeholder under a VMA that allows access again. */
		entry = arch_user_pte_make(pte_pfn(entry), vma->vm_flags,
					   (vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE),
					   pte_pagecache(entry));
		set_pte(mm, pte, entry, addr, false);
	}
	if ((flags & FAULT_FLAG_WRITE) && !pte_writable(entry))
		return do_wp_page(mm, vma, addr, pte);
	/* Already allowed: a stale TLB entry on this CPU, or a racing fault won. */
	arch_flush_tlb_range(addr, addr + PAGE_SIZE);
	return 0;
}

int __handle_mm_fault(struct mm *mm, unsigned long addr, unsigned int flags)
{
	struct fault_file_page ff = { NULL, 0, NULL };
	int err;

	if (addr >= TASK_SIZE)
		return -EFAULT;
	spin_lock(&mm->lock);
	while ((err = fault_locked(mm, addr, flags, &ff)) == FAULT_NEED_FILE_PAGE) {
		spin_unlock(&mm->lock);
		err = mm_file_fault(ff.file, ff.pgoff, &ff.page);
		mm_fput(ff.file);
		if (err) {
			ff.page = NULL;
			return err == -ENOMEM ? -ENOMEM : -EIO;
		}
		spin_lock(&mm->lock);
	}
	spin_unlock(&mm->lock);
	if (ff.page)
		put_page(ff.page);
	return err;
}

int handle_mm_fault(struct mm *mm, unsigned long addr, unsigned long error_code)
{
	unsigned int flags = arch_fault_flags(error_code);

	/*
	 * A present page the kernel could not read: an SMAP violation or a
	 * reserved bit, never something a new PTE would fix.
	 */
	if ((flags & (FAULT_FLAG_PROT | FAULT_FLAG_USER | FAULT_FLAG_WRITE)) == FAULT_FLAG_PROT)
		return -EFAULT;
	return __handle_mm_fault(mm, addr, flags);
}

int populate_range(struct mm *mm, unsigned long start, unsigned long end, bool write)
{
	unsigned int flags = FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0);

	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		int err = __handle_mm_fault(mm, addr, flags);

		if (err)
			return err;
	}
	return 0;
}

/*
 * A forced write (ptrace's POKETEXT, Linux's FOLL_FORCE) to the present,
 * read-only page of a private mapping at @addr: the tracee's own copy is
 * made (or is already the anonymous page only it maps) and returned with a
 * reference; its PTE keeps the VMA's rights, so the program still cannot
 * write there itself. NULL when the page is not present, or the mapping
 * is shared (that would write the file). Caller holds mm->lock.
 */
static struct page *force_write_page(struct mm *mm, unsigned long addr, u64 *pte)
{
	struct vm_area *vma = find_vma(mm, addr);
	u64 entry = pte ? *pte : 0;
	struct page *page;

	lockdep_assert_held(&mm->lock);
	if (!vma || addr < vma->vm_start || (vma->vm_flags & VM_SHARED) ||
	    !(vma->vm_flags & VM_ACCESS_FLAGS) || !entry || !pte_accessible(entry))
		return NULL;
	page = pfn_to_page(pte_pfn(entry));
	if (pte_pagecache(entry) || page_count(page) != 1) {
		/* Shared with the page cache or another mm: the copy replaces it here. */
		if (cow_copy(mm, vma, addr & PAGE_MASK, pte, page, true))
			return NULL;
		page = pfn_to_page(pte_pfn(*pte));
		/* cow_copy() maps the copy writable; the VMA says read-only. */
		set_pte(mm, pte, arch_user_pte_make(page_to_pfn(page), vma->vm_flags, false, false),
			addr & PAGE_MASK, true);
	}
	get_page(page);
	return page;
}

static int __access_remote_vm(struct mm *mm, unsigned long addr, void *buf, size_t len,
			      bool write, bool force)
{
	unsigned int fault = FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0);
	size_t done = 0;
	int tries = 0;

	while (done < len) {
		unsigned long off = addr & ~PAGE_MASK;
		size_t chunk = min((size_t)(PAGE_SIZE - off), len - done);
		struct page *page = NULL;
		u64 *pte;

		if (addr >= TASK_SIZE)
			break;
		spin_lock(&mm->lock);
		pte = arch_user_pte(mm, addr & PAGE_MASK, false);
		if (pte && pte_accessible(*pte) && (!write || pte_writable(*pte))) {
			page = pfn_to_page(pte_pfn(*pte));
			get_page(page);
		} else if (force && write) {
			page = force_write_page(mm, addr, pte);
		}
		spin_unlock(&mm->lock);
		if (!page) {
			/* A forced write that found the page present and still failed: shared. */
			if (force && ++tries > 2)
				break;
			/* Not mapped yet (or read-only for a write): fault it in as the owner would. */
			if (__handle_mm_fault(mm, addr, fault)) {
				/* A forced write then needs the page present, for reading. */
				if (!(force && write) || __handle_mm_fault(mm, addr, FAULT_FLAG_USER))
					break;
			}
			continue;
		}
		tries = 0;
		if (write)
			memcpy((char *)page_address(page) + off, (char *)buf + done, chunk);
		else
			memcpy((char *)buf + done, (char *)page_address(page) + off, chunk);
		put_page(page);
		done += chunk;
		addr += chunk;
	}
	return (int)done;
}

int access_remote_vm(struct mm *mm, unsigned long addr, void *buf, size_t len, bool write)
{
	return __access_remote_vm(mm, addr, buf, len, write, false);
}

int access_remote_vm_force(struct mm *mm, unsigned long addr, void *buf, size_t len, bool write)
{
	return __access_remote_vm(mm, addr, buf, len, write, true);
}

unsigned long mm_rss_pages(struct mm *mm)
{
	unsigned long pages = 0;
	struct vm_area *vma;

	spin_lock(&mm->lock);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		unsigned long addr = vma->vm_start;
		u64 *pte = NULL;

		while ((pte = arch_user_pte_next(mm, &addr, vma->vm_end, pte))) {
			pages++;
			addr += PAGE_SIZE;
		}
	}
	spin_unlock(&mm->lock);
	return pages;
}
