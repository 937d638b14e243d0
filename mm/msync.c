// SPDX-License-Identifier: MIT
/*
 * msync: every file Exo-OS can map lives in tmpfs, whose page cache is the
 * only copy, so there is nothing to write back; msync checks its arguments
 * and the range exactly as Linux does (EINVAL for a misaligned start or bad
 * flags, ENOMEM when part of the range is unmapped) and returns 0.
 *
 * Locking: mm->lock.
 */
#include <asm/memlayout.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vma.h"

int vm_msync(struct mm *mm, unsigned long start, unsigned long len, int flags)
{
	unsigned long end, addr;
	int err = 0;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	end = start + ALIGN(len, PAGE_SIZE);
	if (end < start)
		return -ENOMEM;
	spin_lock(&mm->lock);
	for (addr = start; addr < end;) {
		struct vm_area *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start > addr) {
			err = -ENOMEM;
			break;
		}
		addr = vma->vm_end;
	}
	spin_unlock(&mm->lock);
	return err;
}

SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	return vm_msync(current->mm, start, len, flags);
}
