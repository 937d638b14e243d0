// SPDX-License-Identifier: MIT
/*
 * mprotect: changes the rights of whole pages, splitting VMAs at the ends
 * of the range and merging them back where the neighbours then match. The
 * whole range is checked first (ENOMEM for a hole, EACCES for a right the
 * VMA's VM_MAY* bits forbid, e.g. PROT_WRITE on a shared mapping of a
 * read-only file), so a failing call changes nothing.
 *
 * Private pages that are read-only stay so when PROT_WRITE is added: they
 * may be shared copy-on-write, and the write fault sorts that out.
 *
 * Locking: mm->lock.
 */
#include <asm/mmu.h>
#include <exo/compiler.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vma.h"

#define PROT_MPROTECT_VALID (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM | PROT_GROWSDOWN | \
			     PROT_GROWSUP)

static unsigned long new_vm_flags(const struct vm_area *vma, unsigned long prot)
{
	return (vma->vm_flags & ~VM_ACCESS_FLAGS) | calc_vm_prot_bits(prot);
}

static int mprotect_check(struct mm *mm, unsigned long start, unsigned long end,
			  unsigned long prot)
{
	unsigned long covered = start;
	struct vm_area *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		unsigned long rights = new_vm_flags(vma, prot) & VM_ACCESS_FLAGS;

		if (vma->vm_start > covered)
			return -ENOMEM;
		if (rights & ~(vma->vm_flags >> 4))
			return -EACCES;
		covered = vma->vm_end;
	}
	return covered < end ? -ENOMEM : 0;
}

int vm_mprotect(struct mm *mm, unsigned long start, unsigned long len, unsigned long prot)
{
	unsigned long end, grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP), addr;
	struct vm_area *vma;
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE) || (prot & ~PROT_MPROTECT_VALID))
		return -EINVAL;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || grows == PROT_GROWSUP)
		return -EINVAL;	/* x86 has no upward-growing stacks */
	if (!len)
		return 0;
	len = ALIGN(len, PAGE_SIZE);
	end = start + len;
	if (end <= start)
		return -ENOMEM;

	spin_lock(&mm->lock);
	vma = find_vma(mm, start);
	err = -ENOMEM;
	if (!vma)
		goto out;
	if (grows) {
		/* PROT_GROWSDOWN: down to the start of the stack VMA. */
		err = -EINVAL;
		if (vma->vm_start >= end || !(vma->vm_flags & VM_GROWSDOWN))
			goto out;
		start = vma->vm_start;
	}
	err = mprotect_check(mm, start, end, prot);
	if (err)
		goto out;
	err = vma_split_range(mm, start, end);
	if (err)
		goto out;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		vma->vm_flags = new_vm_flags(vma, prot);
		arch_protect_user_range(mm, vma->vm_start, vma->vm_end, vma->vm_flags);
	}
	for (addr = start; (vma = find_vma(mm, addr)) && vma->vm_start < end; addr = vma->vm_end)
		vma = vma_merge_neighbours(mm, vma);
out:
	spin_unlock(&mm->lock);
	return err;
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len, unsigned long, prot)
{
	return vm_mprotect(current->mm, start, len, prot);
}
