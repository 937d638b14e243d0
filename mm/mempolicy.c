// SPDX-License-Identifier: MIT
/*
 * NUMA memory policies on a machine with one node, as Linux with CONFIG_NUMA
 * behaves on one: set_mempolicy/get_mempolicy keep a task policy (inherited by
 * fork), mbind a per-VMA one (vm_policy, split and merged with the VMA), and
 * every page lives on node 0, so migrate_pages and move_pages have nothing to
 * move. Node masks are validated as Linux does: bits past MAX_NUMNODES must
 * be clear, nodes other than 0 do not exist (MPOL_F_RELATIVE_NODES folds any
 * mask onto node 0).
 *
 * Locking: VMA policies are read and written under mm->lock; user copies
 * happen with it dropped.
 */
#include <asm/mmu.h>
#include <exo/cred.h>
#include <exo/err.h>
#include <exo/exit.h>
#include <exo/mmap.h>
#include <exo/sched.h>
#include <exo/spinlock.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/mempolicy.h>
#include "vma.h"

#define MAX_NUMNODES	1024		/* Linux's NODES_SHIFT=10 */
#define NR_NODE_IDS	1		/* one node: node 0 */
#define NODE0		1UL		/* node mask holding node 0 */
#define MPOL_MF_VALID	(MPOL_MF_STRICT | MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)

/* Splits @umode into *@mode and *@flags; -EINVAL for a bad mode or mix. */
static int mpol_sanitize(int umode, unsigned int *mode, unsigned int *flags)
{
	*flags = (unsigned int)umode & MPOL_MODE_FLAGS;
	*mode = (unsigned int)umode & ~MPOL_MODE_FLAGS;
	if (*mode >= MPOL_MAX)
		return -EINVAL;
	if ((*flags & MPOL_F_STATIC_NODES) && (*flags & MPOL_F_RELATIVE_NODES))
		return -EINVAL;
	if ((*flags & MPOL_F_NUMA_BALANCING) && *mode != MPOL_BIND &&
	    *mode != MPOL_PREFERRED_MANY)
		return -EINVAL;
	return 0;
}

/*
 * Reads a user node mask of @maxnode - 1 bits into *@nodes (nodes 0-63;
 * higher nodes only need to be known as present, in *@high).
 */
static int mpol_get_nodes(unsigned long *nodes, bool *high, const unsigned long __user *nmask,
			  unsigned long maxnode)
{
	unsigned long nlongs, i, w;

	*nodes = 0;
	*high = false;
	maxnode--;
	if (!maxnode || !nmask)
		return 0;
	if (maxnode > PAGE_SIZE * 8)
		return -EINVAL;
	nlongs = (maxnode + 63) / 64;
	for (i = 0; i < nlongs; i++) {
		if (get_user(w, nmask + i))
			return -EFAULT;
		if (i == nlongs - 1 && maxnode % 64)
			w &= (1UL << (maxnode % 64)) - 1;
		if (i >= MAX_NUMNODES / 64 && w)
			return -EINVAL;
		if (i == 0)
			*nodes = w;
		else if (w)
			*high = true;
	}
	return 0;
}

/*
 * Linux's mpol_new validation: returns the policy word (mode | flags) to
 * store, 0 for the default policy, or -EINVAL.
 */
static long mpol_check(unsigned int mode, unsigned int flags, unsigned long nodes, bool high)
{
	bool empty = !nodes && !high;
	unsigned long eff;

	if (mode == MPOL_DEFAULT)
		return empty ? 0 : -EINVAL;
	if (empty) {
		if (mode == MPOL_PREFERRED) {
			if (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
				return -EINVAL;
			mode = MPOL_LOCAL;
		} else if (mode != MPOL_LOCAL) {
			return -EINVAL;
		}
	} else if (mode == MPOL_LOCAL) {
		return -EINVAL;
	}
	if (mode != MPOL_LOCAL) {
		/* The nodes that exist: node 0, or any mask folded onto it. */
		eff = (flags & MPOL_F_RELATIVE_NODES) ? NODE0 : nodes & NODE0;
		if (!eff)
			return -EINVAL;
	}
	return mode | flags;
}

/* Writes @nodes to a user mask of @maxnode - 1 bits, as copy_nodes_to_user. */
static int mpol_put_nodes(unsigned long __user *mask, unsigned long maxnode, unsigned long nodes)
{
	unsigned long copy = ((maxnode - 1 + 63) & ~63UL) / 8;
	unsigned long nbytes = ((NR_NODE_IDS + 63) / 64) * sizeof(long);

	if (copy > nbytes) {
		if (copy > PAGE_SIZE)
			return -EINVAL;
		if (clear_user((char __user *)mask + nbytes, copy - nbytes))
			return -EFAULT;
		copy = nbytes;
	}
	return copy && copy_to_user(mask, &nodes, copy) ? -EFAULT : 0;
}

/* The node mask get_mempolicy reports for a stored policy word. */
static unsigned long mpol_nodes(unsigned int pol, unsigned long user_nodes)
{
	unsigned int mode = pol & ~MPOL_MODE_FLAGS;

	if (pol & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES))
		return user_nodes;
	return mode == MPOL_DEFAULT || mode == MPOL_LOCAL ? 0 : NODE0;
}

SYSCALL_DEFINE3(set_mempolicy, int, umode, const unsigned long __user *, nmask,
		unsigned long, maxnode)
{
	unsigned int mode, flags;
	unsigned long nodes;
	bool high;
	long pol;
	int err;

	err = mpol_sanitize(umode, &mode, &flags);
	if (err)
		return err;
	err = mpol_get_nodes(&nodes, &high, nmask, maxnode);
	if (err)
		return err;
	pol = mpol_check(mode, flags, nodes, high);
	if (pol < 0)
		return pol;
	current->mempolicy = (unsigned int)pol;
	current->mempolicy_nodes = nodes;
	return 0;
}

SYSCALL_DEFINE5(get_mempolicy, int __user *, policy, unsigned long __user *, nmask,
		unsigned long, maxnode, unsigned long, addr, unsigned long, flags)
{
	unsigned int pol = current->mempolicy;
	unsigned long nodes = current->mempolicy_nodes;
	struct mm *mm = current->mm;
	int mode_out;

	if (nmask && maxnode < NR_NODE_IDS)
		return -EINVAL;
	if (flags & ~(unsigned long)(MPOL_F_NODE | MPOL_F_ADDR | MPOL_F_MEMS_ALLOWED))
		return -EINVAL;
	if (flags & MPOL_F_MEMS_ALLOWED) {
		if (flags & (MPOL_F_NODE | MPOL_F_ADDR))
			return -EINVAL;
		mode_out = 0;
		nodes = NODE0;
		goto out;
	}
	if (flags & MPOL_F_ADDR) {
		struct vm_area *vma;

		spin_lock(&mm->lock);
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			spin_unlock(&mm->lock);
			return -EFAULT;
		}
		pol = vma->vm_policy;
		spin_unlock(&mm->lock);
		nodes = 0;
	} else if (addr) {
		return -EINVAL;
	}
	if (flags & MPOL_F_NODE) {
		if (flags & MPOL_F_ADDR) {
			/* Linux faults the page in to learn its node. */
			if (populate_range(mm, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE,
					   false))
				return -EFAULT;
		} else if ((pol & ~MPOL_MODE_FLAGS) != MPOL_INTERLEAVE &&
			   (pol & ~MPOL_MODE_FLAGS) != MPOL_WEIGHTED_INTERLEAVE) {
			return -EINVAL;
		}
		mode_out = 0;	/* the node: always 0 */
	} else {
		mode_out = (int)pol;
	}
	nodes = mpol_nodes(pol, nodes);
out:
	if (policy && put_user(mode_out, policy))
		return -EFAULT;
	if (nmask)
		return mpol_put_nodes(nmask, maxnode, nodes);
	return 0;
}

/* Sets the policy of the VMAs in [start, end); -EFAULT at a hole. */
static int mbind_range(struct mm *mm, unsigned long start, unsigned long end, unsigned int pol)
{
	struct vm_area *vma;
	unsigned long covered = start;
	int err;

	spin_lock(&mm->lock);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		if (vma->vm_start > covered)
			break;
		covered = vma->vm_end;
	}
	err = -EFAULT;
	if (covered < end)
		goto out;
	err = vma_split_range(mm, start, end);
	if (err)
		goto out;
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma))
		vma->vm_policy = pol;
out:
	spin_unlock(&mm->lock);
	return err;
}

SYSCALL_DEFINE6(mbind, unsigned long, start, unsigned long, len, unsigned long, umode,
		const unsigned long __user *, nmask, unsigned long, maxnode, unsigned int, flags)
{
	unsigned int mode, mflags;
	unsigned long nodes, end;
	bool high;
	long pol;
	int err;

	err = mpol_sanitize((int)umode, &mode, &mflags);
	if (err)
		return err;
	err = mpol_get_nodes(&nodes, &high, nmask, maxnode);
	if (err)
		return err;
	if (flags & ~MPOL_MF_VALID)
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable_root())
		return -EPERM;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	pol = mpol_check(mode, mflags, nodes, high);
	if (pol < 0)
		return pol;
	/* Every page is on node 0 already: MPOL_MF_STRICT finds none misplaced. */
	return mbind_range(current->mm, start, end, (unsigned int)pol);
}

SYSCALL_DEFINE4(set_mempolicy_home_node, unsigned long, start, unsigned long, len,
		unsigned long, home_node, unsigned long, flags)
{
	struct mm *mm = current->mm;
	struct vm_area *vma;
	unsigned long end;
	int err = -ENOENT;	/* as Linux: no VMA in the range had a policy to set it on */

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (flags)
		return -EINVAL;
	if (home_node >= MAX_NUMNODES || home_node >= NR_NODE_IDS)
		return -EINVAL;
	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	spin_lock(&mm->lock);
	for (vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma_next(vma)) {
		unsigned int mode = vma->vm_policy & ~MPOL_MODE_FLAGS;

		if (!vma->vm_policy)
			continue;
		if (mode != MPOL_BIND && mode != MPOL_PREFERRED_MANY) {
			err = -EOPNOTSUPP;
			break;
		}
		err = 0;
	}
	spin_unlock(&mm->lock);
	return err;
}

/* The task @pid names (0: the caller), referenced, or an ERR_PTR. */
static struct task *mpol_find_task(int pid)
{
	struct task *t;

	if (!pid)
		pid = current->tgid;
	t = find_get_task_by_pid(pid);
	if (!t)
		return ERR_PTR(-ESRCH);
	if (!cred_may_ptrace(t)) {
		put_task(t);
		return ERR_PTR(-EPERM);
	}
	return t;
}

SYSCALL_DEFINE4(migrate_pages, int, pid, unsigned long, maxnode,
		const unsigned long __user *, old_nodes, const unsigned long __user *, new_nodes)
{
	unsigned long old, new;
	struct task *t;
	bool high;
	int err;

	err = mpol_get_nodes(&old, &high, old_nodes, maxnode);
	if (err)
		return err;
	err = mpol_get_nodes(&new, &high, new_nodes, maxnode);
	if (err)
		return err;
	t = mpol_find_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	put_task(t);
	if ((new & ~NODE0) || high)
		return capable_root() ? -EINVAL : -EPERM;
	return 0;	/* no page was left behind: all are on node 0 */
}

/* One move_pages status: the page's node (0), -ENOENT if not present, -EFAULT if unmapped. */
static int move_pages_status(struct mm *mm, unsigned long addr)
{
	struct vm_area *vma;
	u64 *pte;
	int st;

	spin_lock(&mm->lock);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		st = -EFAULT;
	} else {
		pte = arch_user_pte(mm, addr, false);
		st = pte && *pte ? 0 : -ENOENT;
	}
	spin_unlock(&mm->lock);
	return st;
}

SYSCALL_DEFINE6(move_pages, int, pid, unsigned long, nr_pages, void __user *const __user *, pages,
		const int __user *, nodes, int __user *, status, int, flags)
{
	struct task *t;
	struct mm *mm;
	unsigned long i;
	int err = 0;

	if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable_root())
		return -EPERM;
	t = mpol_find_task(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	mm = get_task_mm(t);
	put_task(t);
	if (!mm)
		return -EINVAL;
	for (i = 0; i < nr_pages; i++) {
		unsigned long addr;
		void __user *p;
		int st, node;

		err = -EFAULT;
		if (get_user(p, pages + i))
			break;
		addr = (unsigned long)p;
		if (nodes) {
			if (get_user(node, nodes + i))
				break;
			err = -ENODEV;
			if (node < 0 || node >= NR_NODE_IDS)
				break;
		}
		st = move_pages_status(mm, addr);
		err = -EFAULT;
		if (put_user(st, status + i))
			break;
		err = 0;
	}
	mmput(mm);
	return err;
}
