// SPDX-License-Identifier: MIT
/*
 * mlock, mlock2, munlock, mlockall, munlockall.
 *
 * A locked VMA carries VM_LOCKED: its pages are faulted in when it is
 * locked (unless VM_LOCKONFAULT, mlock2's MLOCK_ONFAULT, where each page
 * stays as its first fault brings it). Exo-OS has no swap and the page
 * cache shrinker leaves mapped pages alone, so every mapped page already
 * stays resident; VM_LOCKED adds the population, the accounting (VmLck,
 * RLIMIT_MEMLOCK) and the flag Linux programs can observe. mlockall's
 * MCL_FUTURE puts the lock flags in mm->def_flags, which mmap_region()
 * adds to every new VMA (mmap, brk). Neither fork nor exec inherits a lock.
 *
 * The locked total is not a counter kept through munmap, mremap and
 * splits: it is counted over the VMAs when needed (mm_locked_pages()).
 * Privilege (Linux's CAP_IPC_LOCK) is euid 0.
 *
 * Locking: mm->lock around the VMA walk and flag changes, dropped before
 * populating (the fault path takes it).
 */
#include <asm/memlayout.h>
#include <exo/cred.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include "vma.h"

static unsigned long memlock_limit_pages(void)
{
	return current->rlim[RLIMIT_MEMLOCK].rlim_cur >> PAGE_SHIFT;
}

/* Linux's can_do_mlock: a non-zero RLIMIT_MEMLOCK or the privilege. */
static bool can_do_mlock(void)
{
	return current->rlim[RLIMIT_MEMLOCK].rlim_cur != 0 || capable_root();
}

/* Locked pages of @mm within [start, end). Caller holds mm->lock. */
static unsigned long locked_pages_in(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long n = 0;
	struct vm_area *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		if (vma->vm_flags & VM_LOCKED)
			n += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	return n;
}

unsigned long mm_locked_pages(struct mm *mm)
{
	unsigned long n;

	spin_lock(&mm->lock);
	n = locked_pages_in(mm, 0, TASK_SIZE);
	spin_unlock(&mm->lock);
	return n;
}

bool mlock_wants_populate(struct mm *mm, unsigned long vm_flags)
{
	vm_flags |= READ_ONCE(mm->def_flags);
	return (vm_flags & VM_LOCKED) && !(vm_flags & VM_LOCKONFAULT);
}

int mlock_map_check(struct mm *mm, unsigned long len)
{
	unsigned long locked;

	if (!can_do_mlock())
		return -EPERM;
	if (capable_root())
		return 0;
	spin_lock(&mm->lock);
	locked = locked_pages_in(mm, 0, TASK_SIZE);
	spin_unlock(&mm->lock);
	return locked + (len >> PAGE_SHIFT) > memlock_limit_pages() ? -EAGAIN : 0;
}

/*
 * Sets the lock bits of every VMA in [start, end) to @lock_flags (0
 * unlocks), splitting at the ends. -ENOMEM when part of the range is not
 * mapped (Linux then changes nothing before the hole is found: the VMAs
 * before it keep their change, as here).
 */
static int apply_lock_flags(struct mm *mm, unsigned long start, unsigned long end,
			    unsigned long lock_flags)
{
	unsigned long covered = start;
	struct vm_area *vma;
	int err;

	assert_spin_locked(&mm->lock);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;
	err = vma_split_range(mm, start, end);
	if (err)
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (vma->vm_start > covered)
			return -ENOMEM;
		vma->vm_flags = (vma->vm_flags & ~VM_LOCKED_MASK) | lock_flags;
		covered = vma->vm_end;
	}
	return covered < end ? -ENOMEM : 0;
}

/*
 * Faults in the accessible, locked, not on-fault VMAs of [start, end):
 * writable private ones for writing so that a copy-on-write page is not
 * shared any more. Failures are ignored, as Linux's mm_populate does.
 */
static void populate_locked(struct mm *mm, unsigned long start, unsigned long end)
{
	unsigned long addr = start;

	while (addr < end) {
		struct vm_area *vma;
		unsigned long s, e, flags;

		spin_lock(&mm->lock);
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start >= end) {
			spin_unlock(&mm->lock);
			return;
		}
		s = max(addr, vma->vm_start);
		e = min(end, vma->vm_end);
		flags = vma->vm_flags;
		spin_unlock(&mm->lock);
		if ((flags & VM_LOCKED) && !(flags & VM_LOCKONFAULT) && (flags & VM_ACCESS_FLAGS))
			populate_range(mm, s, e, (flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
		addr = e;
	}
}

/*
 * mlock (@lock_flags VM_LOCKED[|VM_LOCKONFAULT]) or munlock (0) of the
 * whole pages [start, start + len) touches.
 */
static long do_mlock(unsigned long start, size_t len, unsigned long lock_flags)
{
	struct mm *mm = current->mm;
	unsigned long end, locked;
	int err = 0;

	if (lock_flags && !can_do_mlock())
		return -EPERM;
	len = ALIGN(len + (start & ~PAGE_MASK), PAGE_SIZE);
	start &= PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	spin_lock(&mm->lock);
	if (lock_flags && !capable_root()) {
		locked = (len >> PAGE_SHIFT) + locked_pages_in(mm, 0, TASK_SIZE);
		/* What is locked already in the range does not count twice. */
		if (locked > memlock_limit_pages())
			locked -= locked_pages_in(mm, start, end);
		if (locked > memlock_limit_pages())
			err = -ENOMEM;
	}
	if (!err)
		err = apply_lock_flags(mm, start, end, lock_flags);
	spin_unlock(&mm->lock);
	if (!err && lock_flags)
		populate_locked(mm, start, end);
	return err;
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	return do_mlock(start, len, VM_LOCKED);
}

SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, VM_LOCKED | ((flags & MLOCK_ONFAULT) ? VM_LOCKONFAULT : 0));
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	return do_mlock(start, len, 0);
}

/* Sets def_flags for MCL_FUTURE and, with MCL_CURRENT, the lock bits of every VMA. */
static void apply_mlockall(struct mm *mm, int flags)
{
	unsigned long add = VM_LOCKED | ((flags & MCL_ONFAULT) ? VM_LOCKONFAULT : 0);
	struct vm_area *vma;

	spin_lock(&mm->lock);
	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE)
		mm->def_flags |= add;
	if (flags & MCL_CURRENT)
		for (vma = find_vma(mm, 0); vma; vma = vma_next(vma))
			vma->vm_flags = (vma->vm_flags & ~VM_LOCKED_MASK) | add;
	spin_unlock(&mm->lock);
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct mm *mm = current->mm;
	unsigned long total;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	spin_lock(&mm->lock);
	total = mm->total_vm;
	spin_unlock(&mm->lock);
	if ((flags & MCL_CURRENT) && total > memlock_limit_pages() && !capable_root())
		return -ENOMEM;
	apply_mlockall(mm, flags);
	if (flags & MCL_CURRENT)
		populate_locked(mm, 0, TASK_SIZE);
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	struct mm *mm = current->mm;
	struct vm_area *vma;

	spin_lock(&mm->lock);
	mm->def_flags &= ~VM_LOCKED_MASK;
	for (vma = find_vma(mm, 0); vma; vma = vma_next(vma))
		vma->vm_flags &= ~VM_LOCKED_MASK;
	spin_unlock(&mm->lock);
	return 0;
}
