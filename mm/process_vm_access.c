// SPDX-License-Identifier: MIT
/*
 * process_vm_readv and process_vm_writev: copies between the caller's
 * iovecs and another process's, through access_remote_vm() and a one-page
 * bounce buffer. As on Linux the remote iovecs are walked in order and the
 * copy stops at the first remote page that is not accessible or the first
 * local fault: the bytes moved so far are returned, or -EFAULT when none
 * were. The caller needs ptrace-like access to the target (EPERM).
 */
#include <asm/memlayout.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/fs.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/uio.h>

/*
 * Moves up to @len bytes between local user address @local and @remote in
 * @mm through @bounce (PAGE_SIZE bytes). Returns the bytes moved.
 */
static size_t pvm_copy(struct mm *mm, unsigned long remote, char __user *local, size_t len,
		       bool write, char *bounce)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = min(len - done, (size_t)(PAGE_SIZE - (remote & ~PAGE_MASK)));
		size_t n;

		if (write) {
			if (!access_ok(local + done, chunk))
				break;
			n = chunk - raw_copy_from_user(bounce, local + done, chunk);
			n = (size_t)access_remote_vm(mm, remote, bounce, n, true);
		} else {
			n = (size_t)access_remote_vm(mm, remote, bounce, chunk, false);
			if (!access_ok(local + done, n))
				break;
			n -= raw_copy_to_user(local + done, bounce, n);
		}
		done += n;
		remote += n;
		if (n < chunk)
			break;
	}
	return done;
}

static long process_vm_rw(int pid, const struct iovec __user *ulvec, unsigned long liovcnt,
			  const struct iovec __user *urvec, unsigned long riovcnt,
			  unsigned long flags, bool write)
{
	struct iovec *lvec, *rvec = NULL;
	size_t ltotal, rtotal, total = 0;
	unsigned long li = 0, ri;
	size_t loff = 0;
	struct task *t = NULL;
	struct mm *mm = NULL;
	char *bounce = NULL;
	long err;

	if (flags)
		return -EINVAL;
	lvec = import_iovec(ulvec, liovcnt, &ltotal);
	if (IS_ERR(lvec))
		return PTR_ERR(lvec);
	if (!ltotal) {
		err = 0;
		goto out;
	}
	rvec = import_iovec(urvec, riovcnt, &rtotal);
	if (IS_ERR(rvec)) {
		err = PTR_ERR(rvec);
		rvec = NULL;
		goto out;
	}
	if (!rtotal) {
		err = 0;
		goto out;
	}
	t = find_get_task_by_pid(pid);
	err = -ESRCH;
	if (!t)
		goto out;
	err = -EPERM;
	if (!cred_may_ptrace(t))
		goto out;
	err = -ESRCH;
	mm = get_task_mm(t);
	if (!mm)
		goto out;
	err = -ENOMEM;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		goto out;

	err = -EFAULT;
	for (ri = 0; ri < riovcnt && li < liovcnt; ri++) {
		unsigned long remote = (unsigned long)rvec[ri].iov_base;
		size_t rleft = rvec[ri].iov_len;

		while (rleft && li < liovcnt) {
			size_t chunk = min(rleft, lvec[li].iov_len - loff), n;

			if (!chunk) {
				li++;
				loff = 0;
				continue;
			}
			n = pvm_copy(mm, remote, (char __user *)lvec[li].iov_base + loff, chunk,
				     write, bounce);
			total += n;
			if (n < chunk)
				goto out;
			remote += n;
			rleft -= n;
			loff += n;
		}
	}
out:
	kfree(bounce);
	if (mm)
		mmput(mm);
	if (t)
		put_task(t);
	kfree(rvec);
	kfree(lvec);
	return total ? (long)total : err;
}

SYSCALL_DEFINE6(process_vm_readv, int, pid, const struct iovec __user *, lvec,
		unsigned long, liovcnt, const struct iovec __user *, rvec, unsigned long, riovcnt,
		unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

SYSCALL_DEFINE6(process_vm_writev, int, pid, const struct iovec __user *, lvec,
		unsigned long, liovcnt, const struct iovec __user *, rvec, unsigned long, riovcnt,
		unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}
