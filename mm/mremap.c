// SPDX-License-Identifier: MIT
/*
 * mremap: shrink a mapping in place, grow it in place when the addresses
 * above it are free, or (MREMAP_MAYMOVE) move it: a new VMA elsewhere gets
 * the old one's page-table entries, so the pages move without copying and
 * keep their contents. MREMAP_FIXED moves to a given address, replacing
 * what was there. The old range must lie inside one VMA (EFAULT).
 *
 * Not supported yet: MREMAP_DONTUNMAP and old_len == 0 (duplicating a
 * shared mapping); both return EINVAL.
 *
 * Locking: mm->lock.
 */
#include <asm/mmu.h>
#include <exo/compiler.h>
#include <exo/err.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vma.h"

static unsigned long move_vma(struct mm *mm, unsigned long old_addr, unsigned long old_len,
			      unsigned long new_addr, unsigned long new_len)
{
	struct vm_area *vma, *moved;
	int err;

	err = vma_split_range(mm, old_addr, old_addr + old_len);
	if (err)
		return err;
	vma = find_vma(mm, old_addr);
	moved = vma_alloc(mm, new_addr, new_addr + new_len, vma->vm_flags, vma->vm_file,
			  vma->vm_pgoff);
	if (IS_ERR(moved))
		return PTR_ERR(moved);
	err = arch_move_user_range(mm, old_addr, new_addr, old_len);
	if (err) {
		vma_free(moved);
		return err;
	}
	vma_remove(mm, vma);
	vma_free(vma);
	/* moved goes in first: its new PTEs may share a table with the old range. */
	vma_insert(mm, moved);
	free_pgtables(mm, old_addr, old_addr + old_len);
	mm->total_vm += (new_len >> PAGE_SHIFT) - (old_len >> PAGE_SHIFT);
	vma_merge_neighbours(mm, moved);
	return new_addr;
}

/* The VMA that holds all of [addr, addr + len), or ERR_PTR(-EFAULT). */
static struct vm_area *vma_to_resize(struct mm *mm, unsigned long addr, unsigned long len)
{
	struct vm_area *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr || addr + len > vma->vm_end)
		return ERR_PTR(-EFAULT);
	return vma;
}

static unsigned long mremap_locked(struct mm *mm, unsigned long old_addr, unsigned long old_len,
				   unsigned long new_len, unsigned long flags,
				   unsigned long new_addr)
{
	struct vm_area *vma, *next;
	unsigned long end;
	int err;

	lockdep_assert_held(&mm->lock);
	vma = vma_to_resize(mm, old_addr, old_len);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	if (new_len > old_len && !may_expand_vm(mm, (new_len - old_len) >> PAGE_SHIFT))
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		if (!IS_ALIGNED(new_addr, PAGE_SIZE) || new_len > TASK_SIZE ||
		    new_addr > TASK_SIZE - new_len || new_addr < MMAP_MIN_ADDR)
			return -EINVAL;
		if (new_addr < old_addr + old_len && old_addr < new_addr + new_len)
			return -EINVAL;
		err = do_munmap(mm, new_addr, new_len);
		if (!err && old_len > new_len)
			err = do_munmap(mm, old_addr + new_len, old_len - new_len);
		if (err)
			return err;
		return move_vma(mm, old_addr, min(old_len, new_len), new_addr, new_len);
	}
	if (new_len <= old_len) {
		if (new_len < old_len) {
			err = do_munmap(mm, old_addr + new_len, old_len - new_len);
			if (err)
				return err;
		}
		return old_addr;
	}
	/* Grow in place when the range ends the VMA and the addresses above are free. */
	end = old_addr + new_len;
	next = vma_next(vma);
	if (old_addr + old_len == vma->vm_end && end > old_addr && end <= TASK_SIZE &&
	    (!next || next->vm_start >= end)) {
		mm->total_vm += (end - vma->vm_end) >> PAGE_SHIFT;
		vma->vm_end = end;
		return old_addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, 0, new_len);
	if (IS_ERR_VALUE(new_addr))
		return new_addr;
	return move_vma(mm, old_addr, old_len, new_addr, new_len);
}

unsigned long vm_mremap(struct mm *mm, unsigned long old_addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	unsigned long ret;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) || !IS_ALIGNED(old_addr, PAGE_SIZE))
		return -EINVAL;
	old_len = ALIGN(old_len, PAGE_SIZE);
	new_len = ALIGN(new_len, PAGE_SIZE);
	if (!old_len || !new_len)
		return -EINVAL;
	if (old_len > TASK_SIZE || old_addr > TASK_SIZE - old_len)
		return -EFAULT;
	spin_lock(&mm->lock);
	ret = mremap_locked(mm, old_addr, old_len, new_len, flags, new_addr);
	spin_unlock(&mm->lock);
	return ret;
}

SYSCALL_DEFINE5(mremap, unsigned long, old_addr, unsigned long, old_len, unsigned long, new_len,
		unsigned long, flags, unsigned long, new_addr)
{
	return (long)vm_mremap(current->mm, old_addr, old_len, new_len, flags, new_addr);
}
