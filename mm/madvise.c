// SPDX-License-Identifier: MIT
/*
 * madvise: MADV_DONTNEED and MADV_FREE drop the pages of private mappings
 * (anonymous memory reads back as zeros, private file mappings re-read the
 * file); shared anonymous memory keeps its pages, since other mms still
 * see them and Linux keeps them in shmem. MADV_POPULATE_READ/WRITE fault
 * the range in. DONTFORK/DOFORK and WIPEONFORK/KEEPONFORK set or clear a
 * VMA flag that fork obeys (mm/mm.c), splitting VMAs at the range's ends.
 * The hints Linux accepts without acting visibly (NORMAL, RANDOM,
 * SEQUENTIAL, WILLNEED, COLD, PAGEOUT, DONTDUMP, DODUMP) are accepted and
 * ignored, and so are HUGEPAGE and NOHUGEPAGE, as on a Linux whose
 * transparent huge pages are set to "never" (user memory here is always in
 * 4 KiB pages); what a Linux without KSM or memory-failure support rejects
 * is EINVAL here too. A range with unmapped pages gets ENOMEM after the
 * mapped parts are done.
 *
 * Locking: mm->lock (dropped for the populate faults).
 */
#include <asm/mmu.h>
#include <exo/compiler.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/pidfd.h>
#include <exo/signal.h>
#include <exo/slab.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include "vma.h"

static bool madvise_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_DONTNEED_LOCKED:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return true;
	default:
		return false;
	}
}

/* The VMA flag an advice sets (*@set true) or clears; 0 for the others. */
static unsigned long madvise_vm_flag(int advice, bool *set)
{
	*set = advice == MADV_DONTFORK || advice == MADV_WIPEONFORK;
	switch (advice) {
	case MADV_DONTFORK:
	case MADV_DOFORK:
		return VM_DONTCOPY;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		return VM_WIPEONFORK;
	default:
		return 0;
	}
}

/* Applies @advice to the mapped parts of [start, end); -ENOMEM if there were holes. */
static int madvise_locked(struct mm *mm, unsigned long start, unsigned long end, int advice)
{
	unsigned long covered = start;
	struct vm_area *vma;
	bool set;
	unsigned long flag = madvise_vm_flag(advice, &set);
	int err = 0;

	lockdep_assert_held(&mm->lock);
	if (flag && (err = vma_split_range(mm, start, end)))
		return err;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		unsigned long s = max(start, vma->vm_start), e = min(end, vma->vm_end);

		if (vma->vm_start > covered)
			err = -ENOMEM;
		covered = vma->vm_end;
		switch (advice) {
		case MADV_DONTNEED:
		case MADV_DONTNEED_LOCKED:
		case MADV_FREE:
			if ((vma->vm_flags & VM_SHARED) && !vma->vm_file)
				break;
			if (advice == MADV_FREE && vma->vm_file)
				return -EINVAL;	/* Linux: MADV_FREE is for anonymous memory */
			arch_zap_user_range(mm, s, e);
			break;
		case MADV_REMOVE:
			if (!(vma->vm_flags & VM_SHARED))
				return -EINVAL;
			break;
		case MADV_WIPEONFORK:
		case MADV_KEEPONFORK:
			if (vma->vm_file || (vma->vm_flags & VM_SHARED))
				return -EINVAL;
			break;
		}
		if (flag)
			vma->vm_flags = set ? vma->vm_flags | flag : vma->vm_flags & ~flag;
	}
	return covered < end ? -ENOMEM : err;
}

int vm_madvise(struct mm *mm, unsigned long start, unsigned long len, int advice)
{
	unsigned long end;
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !madvise_known(advice))
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	spin_lock(&mm->lock);
	err = madvise_locked(mm, start, end, advice);
	spin_unlock(&mm->lock);
	if (!err && (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)) {
		err = populate_range(mm, start, end, advice == MADV_POPULATE_WRITE);
		if (err == -EACCES || err == -EFAULT)
			err = err == -EACCES ? -EINVAL : -ENOMEM;
	}
	return err;
}

SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len, int, advice)
{
	return vm_madvise(current->mm, start, len, advice);
}

/* The advice process_madvise may give another process: hints that lose no data. */
static bool madvise_remote_valid(int advice)
{
	return advice == MADV_COLD || advice == MADV_PAGEOUT || advice == MADV_WILLNEED ||
	       advice == MADV_COLLAPSE;
}

/*
 * process_madvise: madvise over an iovec of ranges in the process of a
 * pidfd. Like Linux: EACCES without ptrace read access, EINVAL for advice
 * other than the hints above on another process, which also needs
 * CAP_SYS_NICE (EPERM); returns the bytes advised before the first error.
 */
SYSCALL_DEFINE5(process_madvise, int, pidfd, const struct iovec __user *, uvec, size_t, vlen,
		int, advice, unsigned int, flags)
{
	struct iovec *iov;
	struct task *t;
	struct mm *mm;
	size_t total, done = 0, i;
	long err;

	if (flags)
		return -EINVAL;
	iov = import_iovec(uvec, vlen, &total);
	if (IS_ERR(iov))
		return PTR_ERR(iov);
	t = pidfd_get_task(pidfd, NULL);
	err = PTR_ERR(t);
	if (IS_ERR(t))
		goto out_free;
	err = -EACCES;
	if (t->mm != current->mm && !cred_may_ptrace(t))
		goto out_put;
	err = -ESRCH;
	mm = get_task_mm(t);
	if (!mm)
		goto out_put;
	err = -EINVAL;
	if (mm != current->mm && !madvise_remote_valid(advice))
		goto out_mmput;
	err = -EPERM;
	if (mm != current->mm && !capable_root())
		goto out_mmput;
	err = 0;
	for (i = 0; i < vlen && !err; i++) {
		err = vm_madvise(mm, (unsigned long)iov[i].iov_base, iov[i].iov_len, advice);
		if (!err)
			done += iov[i].iov_len;
	}
	if (done)
		err = (long)done;
out_mmput:
	mmput(mm);
out_put:
	put_task(t);
out_free:
	kfree(iov);
	return err;
}

/*
 * process_mrelease: frees the memory of a process that is being killed
 * before it finishes exiting. Exiting here already releases the address
 * space promptly, so there is nothing to hurry: 0 for a process on its way
 * out, EINVAL for a live one, ESRCH once its memory is gone.
 */
SYSCALL_DEFINE2(process_mrelease, int, pidfd, unsigned int, flags)
{
	struct task *t;
	struct mm *mm;
	long err;

	if (flags)
		return -EINVAL;
	t = pidfd_get_task(pidfd, NULL);
	if (IS_ERR(t))
		return PTR_ERR(t);
	mm = get_task_mm(t);
	err = -ESRCH;
	if (mm) {
		err = (READ_ONCE(t->flags) & PF_EXITING) || fatal_signal_pending(t) ? 0 : -EINVAL;
		mmput(mm);
	}
	put_task(t);
	return err;
}
