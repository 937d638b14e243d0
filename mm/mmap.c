// SPDX-License-Identifier: MIT
/*
 * mmap, munmap and brk: creating and removing VMAs. Pages are not touched
 * here (except MAP_POPULATE, which runs the fault path over the range);
 * munmap gives back the pages and the page-table pages of the range.
 *
 * mmap chooses addresses top-down from mm->mmap_base (below the stack's
 * growth room), honoring a hint when the hinted range is free. MAP_FIXED
 * replaces whatever was mapped there; MAP_FIXED_NOREPLACE fails with
 * EEXIST instead.
 *
 * Locking: mm->lock around every VMA change; it is dropped before
 * MAP_POPULATE faults pages in.
 */
#include <asm/mmu.h>
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/mm.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vma.h"

/* Flags MAP_SHARED_VALIDATE accepts; anything else is EOPNOTSUPP there. */
#define MAP_VALIDATE_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | \
			    MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE |     \
			    MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_FIXED_NOREPLACE)
#define VM_BRK_FLAGS (VM_READ | VM_WRITE | VM_MAY_FLAGS)

unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

void free_pgtables(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *prev = find_vma_below(mm, start), *next = find_vma(mm, start);

	arch_free_pgtables(mm, start, end, prev ? prev->vm_end : 0,
			   next ? next->vm_start : USER_SPACE_END);
}

/*
 * A VMA that overlaps [start, end) only in part is trimmed in place, so the
 * only case that needs a new VMA is a hole inside one: that split comes
 * first, and its -ENOMEM leaves every mapping as it was.
 */
int do_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	struct vm_area *vma, *prev, *next;
	int err;

	assert_spin_locked(&mm->lock);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (vma->vm_start < start && vma->vm_end > end) {
		err = vma_split(mm, vma, end);
		if (err)
			return err;
	}
	if (vma->vm_start < start) {
		/* It keeps [vm_start, start). */
		arch_zap_user_range(mm, start, vma->vm_end);
		mm->total_vm -= (vma->vm_end - start) >> PAGE_SHIFT;
		vma->vm_end = start;
		prev = vma;
		vma = vma_next(vma);
	} else {
		prev = vma_prev(vma);
	}
	for (; vma && vma->vm_start < end; vma = next) {
		if (vma->vm_end > end) {
			/* It keeps [end, vm_end): a higher start keeps the tree's order. */
			unsigned long pages = (end - vma->vm_start) >> PAGE_SHIFT;

			arch_zap_user_range(mm, vma->vm_start, end);
			mm->total_vm -= pages;
			vma->vm_pgoff += pages;
			vma->vm_start = end;
			break;
		}
		next = vma_next(vma);
		arch_zap_user_range(mm, vma->vm_start, vma->vm_end);
		vma_remove(mm, vma);
		mm->total_vm -= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		vma_free(vma);
	}
	/* vma is now the first VMA at or above end: with prev, it bounds the free tables. */
	arch_free_pgtables(mm, start, end, prev ? prev->vm_end : 0,
			   vma ? vma->vm_start : USER_SPACE_END);
	return 0;
}

bool may_expand_vm(struct mm *mm, unsigned long npages)
{
	unsigned long limit = current->rlim[RLIMIT_AS].rlim_cur;

	return limit == RLIM_INFINITY || mm->total_vm + npages <= limit >> PAGE_SHIFT;
}

/* Pages of [start, end) that VMAs cover now (a MAP_FIXED mapping replaces them). */
static unsigned long mapped_pages_in(struct mm *mm, unsigned long start, unsigned long end)
{
	struct vm_area *vma;
	unsigned long n = 0;

	for (vma = find_vma_intersection(mm, start, end); vma && vma->vm_start < end;
	     vma = vma_next(vma))
		n += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	return n;
}

unsigned long mmap_region(struct mm *mm, unsigned long addr, unsigned long len,
			  unsigned long vm_flags, struct file *file, unsigned long pgoff, bool replace)
{
	struct vm_area *vma;
	int err;

	assert_spin_locked(&mm->lock);
	/*
	 * Checked before anything is unmapped: a refused MAP_FIXED leaves the old
	 * mapping. Without a limit (the usual case) the VMAs are not even looked up.
	 */
	if (current->rlim[RLIMIT_AS].rlim_cur != RLIM_INFINITY &&
	    !may_expand_vm(mm, (len >> PAGE_SHIFT) -
				(replace ? mapped_pages_in(mm, addr, addr + len) : 0)))
		return -ENOMEM;
	if (replace) {
		err = do_munmap(mm, addr, len);
		if (err)
			return err;
	}
	if (!file) {
		/* Anonymous memory next to a like VMA grows that VMA: no allocation, no tree insert. */
		if (!vma_extend_anon(mm, addr, addr + len, vm_flags | mm->def_flags)) {
			/* No neighbour is like it, so there is nothing to merge afterwards either. */
			vma = vma_alloc(mm, addr, addr + len, vm_flags | mm->def_flags, NULL, 0);
			if (IS_ERR(vma))
				return PTR_ERR(vma);
			vma_insert(mm, vma);
		}
		mm->total_vm += len >> PAGE_SHIFT;
		return addr;
	}
	vma = vma_alloc(mm, addr, addr + len, vm_flags | mm->def_flags, file, pgoff);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	err = mm_file_mmap(file, vma);
	if (err) {
		vma_free(vma);
		return err;
	}
	vma_insert(mm, vma);
	mm->total_vm += len >> PAGE_SHIFT;
	vma_merge_neighbours(mm, vma);
	return addr;
}

unsigned long vm_mmap(struct mm *mm, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, struct file *file, unsigned long off)
{
	unsigned long vm_flags, ret, pgoff = 0;
	struct file *shmem = NULL;
	bool shared;
	int err;

	if (!len || !IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_PRIVATE:
		shared = false;
		break;
	case MAP_SHARED:
		shared = true;
		break;
	case MAP_SHARED_VALIDATE:
		if (flags & ~MAP_VALIDATE_KNOWN)
			return -EOPNOTSUPP;
		/* Linux takes the validating type for files only; anonymous memory gets EINVAL. */
		if (flags & MAP_ANONYMOUS)
			return -EINVAL;
		shared = true;
		break;
	default:
		return -EINVAL;
	}
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if ((flags & MAP_FIXED) && !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (!len || len > TASK_SIZE - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM;
	}

	vm_flags = calc_vm_prot_bits(prot) | VM_MAY_FLAGS;
	if (shared)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	if (flags & MAP_LOCKED) {
		err = mlock_map_check(mm, len);
		if (err)
			return err;
		vm_flags |= VM_LOCKED;
	}
	if (flags & MAP_ANONYMOUS) {
		file = NULL;
		if (shared) {
			/* Shared anonymous memory is a tmpfs file, so fork shares its pages. */
			shmem = mm_shmem_file(len);
			if (IS_ERR(shmem))
				return (unsigned long)PTR_ERR(shmem);
			file = shmem;
		}
	} else {
		if (!file)
			return -EBADF;
		pgoff = off >> PAGE_SHIFT;
		if (pgoff + (len >> PAGE_SHIFT) < pgoff)
			return -EOVERFLOW;
		err = mm_file_mmap_check(file, prot, shared, &vm_flags);
		if (err)
			return err;
	}

	spin_lock(&mm->lock);
	if (!(flags & MAP_FIXED))
		addr = get_unmapped_area(mm, addr, len);
	else if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		addr = -EEXIST;
	ret = IS_ERR_VALUE(addr) ? addr :
	      mmap_region(mm, addr, len, vm_flags, file, pgoff, flags & MAP_FIXED);
	spin_unlock(&mm->lock);
	/* The VMA took its own reference. */
	if (shmem)
		mm_fput(shmem);

	/* Linux ignores population failures: the pages come later by fault. */
	if (!IS_ERR_VALUE(ret) && mlock_wants_populate(mm, vm_flags))
		flags |= MAP_POPULATE;
	if ((flags & MAP_POPULATE) && !IS_ERR_VALUE(ret))
		populate_range(mm, ret, ret + len, (vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
	return ret;
}

int vm_munmap(struct mm *mm, unsigned long start, unsigned long len)
{
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !len)
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (!len || len > TASK_SIZE || start > TASK_SIZE - len)
		return -EINVAL;
	spin_lock(&mm->lock);
	err = do_munmap(mm, start, len);
	spin_unlock(&mm->lock);
	return err;
}

int vm_munmap_attached(struct mm *mm, unsigned long addr,
		       unsigned long (*attached_len)(struct file *file))
{
	struct vm_area *vma, *next;
	struct file *file;
	unsigned long end;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	spin_lock(&mm->lock);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start != addr || !vma->vm_file || vma->vm_pgoff) {
		spin_unlock(&mm->lock);
		return -EINVAL;
	}
	file = vma->vm_file;
	end = attached_len(file);
	if (!end) {
		spin_unlock(&mm->lock);
		return -EINVAL;
	}
	end = addr + ALIGN(end, PAGE_SIZE);
	/* The pieces mprotect or a partial munmap left, where they still sit at their offset. */
	for (; vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		if (vma->vm_file == file && vma->vm_pgoff == (vma->vm_start - addr) >> PAGE_SHIFT)
			do_munmap(mm, vma->vm_start, min(vma->vm_end, end) - vma->vm_start);
	}
	spin_unlock(&mm->lock);
	return 0;
}

unsigned long vm_brk(struct mm *mm, unsigned long brk)
{
	unsigned long newbrk = 0, oldbrk = 0, ret;
	struct vm_area *vma;
	bool populate = false;

	spin_lock(&mm->lock);
	if (brk < mm->start_brk || brk > TASK_SIZE)
		goto out;
	newbrk = ALIGN(brk, PAGE_SIZE);
	oldbrk = ALIGN(mm->brk, PAGE_SIZE);
	if (newbrk == oldbrk)
		goto set;
	if (newbrk < oldbrk) {
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			goto out;
		goto set;
	}
	/* Growing: the heap must not run into the next mapping or its stack gap. */
	vma = find_vma(mm, oldbrk);
	if (vma && newbrk + ((vma->vm_flags & VM_GROWSDOWN) ? STACK_GUARD_GAP : 0) > vma->vm_start)
		goto out;
	if (IS_ERR_VALUE(mmap_region(mm, oldbrk, newbrk - oldbrk, VM_BRK_FLAGS, NULL, 0, false)))
		goto out;
	populate = mlock_wants_populate(mm, VM_BRK_FLAGS);
set:
	mm->brk = brk;
out:
	ret = mm->brk;
	spin_unlock(&mm->lock);
	if (populate)
		populate_range(mm, oldbrk, newbrk, true);
	return ret;
}

int vm_brk_setup(struct mm *mm, unsigned long start)
{
	spin_lock(&mm->lock);
	mm->start_brk = mm->brk = ALIGN(start, PAGE_SIZE);
	spin_unlock(&mm->lock);
	return 0;
}

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, off)
{
	struct file *file = NULL;
	unsigned long ret;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = mm_fget((int)fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	ret = vm_mmap(current->mm, addr, len, prot, flags, file, off);
	if (file)
		mm_fput(file);
	return (long)ret;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	return vm_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return (long)vm_brk(current->mm, brk);
}

/*
 * remap_file_pages: Linux dropped nonlinear mappings and emulates the call
 * by mapping the file again over the range, at page offset @pgoff, with
 * MAP_FIXED and the VMA's own protection. The range must lie in one shared
 * file mapping (or in contiguous VMAs of the same file and flags); @prot
 * must be 0. Returns 0 or -errno.
 */
SYSCALL_DEFINE5(remap_file_pages, unsigned long, start, unsigned long, size, unsigned long, prot,
		unsigned long, pgoff, unsigned long, flags)
{
	struct mm *mm = current->mm;
	struct vm_area *vma, *next;
	unsigned long vm_flags, ret;
	struct file *file;

	if (prot)
		return -EINVAL;
	start &= PAGE_MASK;
	size &= PAGE_MASK;
	if (start + size <= start)
		return -EINVAL;
	if (pgoff + (size >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	spin_lock(&mm->lock);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start || !(vma->vm_flags & VM_SHARED) || !vma->vm_file)
		goto out_inval;
	for (next = vma; start + size > next->vm_end;) {
		struct vm_area *prev = next;

		next = vma_next(prev);
		if (!next || next->vm_start != prev->vm_end || next->vm_file != vma->vm_file ||
		    next->vm_flags != vma->vm_flags)
			goto out_inval;
	}
	vm_flags = vma->vm_flags;
	file = vma->vm_file;
	mm_get_file(file);
	spin_unlock(&mm->lock);

	prot = (vm_flags & VM_READ ? PROT_READ : 0) | (vm_flags & VM_WRITE ? PROT_WRITE : 0) |
	       (vm_flags & VM_EXEC ? PROT_EXEC : 0);
	flags = (flags & MAP_NONBLOCK) | MAP_SHARED | MAP_FIXED | MAP_POPULATE;
	if (vm_flags & VM_LOCKED)
		flags |= MAP_LOCKED;
	ret = vm_mmap(mm, start, size, prot, flags, file, pgoff << PAGE_SHIFT);
	mm_fput(file);
	return IS_ERR_VALUE(ret) ? (long)ret : 0;

out_inval:
	spin_unlock(&mm->lock);
	return -EINVAL;
}
