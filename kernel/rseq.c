// SPDX-License-Identifier: MIT
/*
 * rseq(2): restartable sequences, as glibc (2.35+) registers them for
 * every thread and reads sched_getcpu() from.
 *
 * The registered struct rseq holds cpu_id_start and cpu_id (the CPU the
 * thread runs on), node_id (0: one NUMA node) and mm_cid (the CPU number:
 * a valid, compact id, though not Linux's per-mm allocation), and rseq_cs,
 * a pointer to the critical section descriptor user space sets while in
 * one. schedule() marks a thread it switches out (rseq_pending); on its
 * way back to user mode, or before a signal frame is built, the thread
 * rewrites the ids and, if its instruction pointer lies inside the
 * section [start_ip, start_ip + post_commit_offset), checks the 32-bit
 * signature just before abort_ip and resumes at abort_ip, clearing
 * rseq_cs. Anything malformed there is SIGSEGV, as on Linux, including
 * the deprecated no-restart flags (rseq.flags, rseq_cs.flags), which
 * Linux no longer honours either.
 */
#include <asm/ptrace.h>
#include <exo/rseq.h>
#include <exo/sched.h>
#include <exo/signal.h>
#include <exo/smp.h>
#include <exo/syscalls.h>
#include <exo/uaccess.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define RSEQ_FLAG_UNREGISTER 1
#define RSEQ_CPU_ID_UNINITIALIZED ((u32)-1)
#define ORIG_RSEQ_SIZE 32	/* sizeof the first struct rseq, and its alignment */
#define RSEQ_FEATURE_SIZE 28	/* through mm_cid: offsetof(struct rseq, end) */

struct rseq {
	u32 cpu_id_start;
	u32 cpu_id;
	u64 rseq_cs;
	u32 flags;
	u32 node_id;
	u32 mm_cid;
} __attribute__((aligned(ORIG_RSEQ_SIZE)));

struct rseq_cs {
	u32 version;
	u32 flags;
	u64 start_ip;
	u64 post_commit_offset;
	u64 abort_ip;
};

static int rseq_write_ids(struct rseq __user *rs, u32 cpu_start, u32 cpu, u32 cid)
{
	if (put_user(cpu_start, &rs->cpu_id_start) || put_user(cpu, &rs->cpu_id) ||
	    put_user(0U, &rs->node_id) || put_user(cid, &rs->mm_cid))
		return -EFAULT;
	return 0;
}

/* Aborts the critical section the thread is in, if any. 0, or -EFAULT/-EINVAL (SIGSEGV). */
static int rseq_ip_fixup(struct pt_regs *regs)
{
	struct rseq __user *rs = current->rseq;
	unsigned long ip = instruction_pointer(regs);
	struct rseq_cs cs;
	u32 sig, flags;
	u64 ptr;

	if (get_user(flags, &rs->flags))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	if (get_user(ptr, &rs->rseq_cs))
		return -EFAULT;
	if (!ptr)
		return 0;
	if (copy_from_user(&cs, (const void __user *)(unsigned long)ptr, sizeof(cs)))
		return -EFAULT;
	if (cs.version || cs.flags || cs.start_ip + cs.post_commit_offset < cs.start_ip ||
	    (cs.abort_ip >= cs.start_ip && cs.abort_ip < cs.start_ip + cs.post_commit_offset))
		return -EINVAL;
	if (ip < cs.start_ip || ip >= cs.start_ip + cs.post_commit_offset) {
		/* Outside: the descriptor is stale; Linux clears it lazily too. */
		return put_user(0ULL, &rs->rseq_cs) ? -EFAULT : 0;
	}
	if (get_user(sig, (const u32 __user *)(unsigned long)(cs.abort_ip - sizeof(u32))))
		return -EFAULT;
	if (sig != current->rseq_sig)
		return -EINVAL;
	if (put_user(0ULL, &rs->rseq_cs))
		return -EFAULT;
	instruction_pointer_set(regs, (unsigned long)cs.abort_ip);
	return 0;
}

void rseq_handle_notify_resume(struct pt_regs *regs)
{
	struct task *t = current;
	u32 cpu;

	t->rseq_pending = false;
	if (!t->rseq)
		return;
	if (rseq_ip_fixup(regs))
		goto fail;
	/* Interrupts are on: the CPU may change under us, which just marks us pending again. */
	cpu = (u32)smp_processor_id();
	if (rseq_write_ids(t->rseq, cpu, cpu, cpu))
		goto fail;
	return;
fail:
	force_sig_default(SIGSEGV);
}

void rseq_fork(struct task *child, const struct task *parent, bool clone_vm)
{
	if (clone_vm) {
		child->rseq = NULL;
		child->rseq_len = 0;
		child->rseq_sig = 0;
	} else {
		child->rseq = parent->rseq;
		child->rseq_len = parent->rseq_len;
		child->rseq_sig = parent->rseq_sig;
	}
	child->rseq_pending = child->rseq != NULL;
}

SYSCALL_DEFINE4(rseq, struct rseq __user *, rseq, u32, rseq_len, int, flags, u32, sig)
{
	struct task *t = current;

	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if (!t->rseq || t->rseq != rseq || rseq_len != t->rseq_len)
			return -EINVAL;
		if (sig != t->rseq_sig)
			return -EPERM;
		if (rseq_write_ids(rseq, 0, RSEQ_CPU_ID_UNINITIALIZED, 0))
			return -EFAULT;
		t->rseq = NULL;
		t->rseq_len = 0;
		t->rseq_sig = 0;
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (t->rseq) {
		if (t->rseq != rseq || rseq_len != t->rseq_len)
			return -EINVAL;
		if (sig != t->rseq_sig)
			return -EPERM;
		return -EBUSY;
	}
	/* The original 32 bytes, or at least every field we know; 32-byte aligned either way. */
	if (rseq_len < ORIG_RSEQ_SIZE || ((unsigned long)rseq & (ORIG_RSEQ_SIZE - 1)))
		return -EINVAL;
	if (!access_ok(rseq, rseq_len))
		return -EFAULT;
	t->rseq = rseq;
	t->rseq_len = rseq_len;
	t->rseq_sig = sig;
	/* The ids are written on the way back to user mode. */
	t->rseq_pending = true;
	return 0;
}
