// SPDX-License-Identifier: MIT
/*
 * mincore: one byte per page, bit 0 set when the page is resident: mapped
 * in the page table, or for file mappings present and up to date in the
 * page cache (as Linux reports). EINVAL for a misaligned start, ENOMEM when part of the
 * range is unmapped, EFAULT for a bad vector.
 *
 * Locking: the answer is built under mm->lock in a kernel buffer and copied
 * out after it is dropped: a user copy may fault, and the fault path takes
 * mm->lock itself.
 */
#include <asm/mmu.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include "vma.h"

#define MINCORE_BATCH 256	/* pages per locked pass */

/* Fills @vec for up to @n pages from @addr; returns pages done, or -ENOMEM at a hole. */
static long mincore_batch(struct mm *mm, unsigned long addr, unsigned long n, unsigned char *vec)
{
	unsigned long i;
	long ret;

	spin_lock(&mm->lock);
	for (i = 0; i < n; i++, addr += PAGE_SIZE) {
		struct vm_area *vma = find_vma(mm, addr);
		u64 *pte;

		if (!vma || vma->vm_start > addr)
			break;
		pte = arch_user_pte(mm, addr, false);
		vec[i] = pte && *pte;
		if (!vec[i] && vma->vm_file)
			vec[i] = mm_file_page_cached(vma->vm_file,
						     vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
	}
	ret = i ? (long)i : -ENOMEM;
	spin_unlock(&mm->lock);
	return ret;
}

SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, unsigned char __user *, uvec)
{
	unsigned char vec[MINCORE_BATCH];
	unsigned long pages, done = 0;
	struct mm *mm = current->mm;

	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	pages = ALIGN(len, PAGE_SIZE) >> PAGE_SHIFT;
	if (start + (pages << PAGE_SHIFT) < start || start + (pages << PAGE_SHIFT) > TASK_SIZE)
		return -ENOMEM;
	while (done < pages) {
		unsigned long n = pages - done > MINCORE_BATCH ? MINCORE_BATCH : pages - done;
		long got = mincore_batch(mm, start + (done << PAGE_SHIFT), n, vec);

		if (got < 0)
			return got;
		if (copy_to_user(uvec + done, vec, (size_t)got))
			return -EFAULT;
		done += (unsigned long)got;
		if ((unsigned long)got < n)
			return -ENOMEM;
	}
	return 0;
}
