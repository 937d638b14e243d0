// SPDX-License-Identifier: MIT
/*
 * membarrier(2): a memory barrier on every CPU that runs a thread of the
 * caller's process (PRIVATE_EXPEDITED, after registering), or of any
 * process (GLOBAL, GLOBAL_EXPEDITED), so that user-space RCU and JITs can
 * keep their fast paths barrier-free.
 *
 * The barrier is an IPI (smp_call_function_many, waiting): the handler runs
 * a full fence, and the interrupt's return (IRET) is serializing on x86, so
 * the SYNC_CORE variants get their core serialization from the same IPI.
 * The private commands target mm->cpu_mask, the CPUs that have the address
 * space loaded (a superset of those running its threads); the global ones
 * target every online CPU, which also stands in for Linux's
 * synchronize_rcu() in MEMBARRIER_CMD_GLOBAL. Registrations live in the mm:
 * a forked child keeps them, an exec starts unregistered. The RSEQ commands are not offered
 * (QUERY leaves them out and they are EINVAL, as on Linux without CONFIG_RSEQ).
 */
#include <exo/cpumask.h>
#include <exo/mm_types.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/syscalls.h>
#include <uapi/errno.h>

enum {
	MEMBARRIER_CMD_QUERY = 0,
	MEMBARRIER_CMD_GLOBAL = 1 << 0,
	MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1,
	MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6,
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7,
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8,
	MEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9,
};

#define MEMBARRIER_CMD_BITMASK                                                                  \
	(MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |                              \
	 MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |          \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | \
	 MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | MEMBARRIER_CMD_GET_REGISTRATIONS)

/* mm->membarrier_state bits: which REGISTER_* commands the process has run. */
#define MEMBARRIER_STATE_GLOBAL_EXPEDITED 0x1
#define MEMBARRIER_STATE_PRIVATE_EXPEDITED 0x2
#define MEMBARRIER_STATE_SYNC_CORE 0x4

static void membarrier_ipi(void *arg)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Fences here and on every CPU of @mask, waiting for them all. */
static void membarrier_on(const struct cpumask *mask)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	smp_call_function_many(mask, membarrier_ipi, NULL, true);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static long membarrier_register(struct mm *mm, int bit)
{
	__atomic_fetch_or(&mm->membarrier_state, bit, __ATOMIC_SEQ_CST);
	return 0;
}

static long membarrier_private(struct mm *mm, int bit)
{
	struct cpumask mask;

	if (!(__atomic_load_n(&mm->membarrier_state, __ATOMIC_ACQUIRE) & bit))
		return -EPERM;
	/* A snapshot: a CPU that loads the mm later already sees our stores. */
	for (unsigned int i = 0; i < MM_CPUMASK_LONGS && i < CPUMASK_LONGS; i++)
		mask.bits[i] = __atomic_load_n(&mm->cpu_mask.bits[i], __ATOMIC_ACQUIRE);
	membarrier_on(&mask);
	return 0;
}

static long membarrier_registrations(struct mm *mm)
{
	int state = __atomic_load_n(&mm->membarrier_state, __ATOMIC_ACQUIRE);
	long mask = 0;

	if (state & MEMBARRIER_STATE_GLOBAL_EXPEDITED)
		mask |= MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
	if (state & MEMBARRIER_STATE_PRIVATE_EXPEDITED)
		mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	if (state & MEMBARRIER_STATE_SYNC_CORE)
		mask |= MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
	return mask;
}

SYSCALL_DEFINE3(membarrier, int, cmd, unsigned int, flags, int, cpu_id)
{
	struct mm *mm = current->mm;

	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_CMD_BITMASK;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		membarrier_on(&cpu_online_mask);
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		return membarrier_register(mm, MEMBARRIER_STATE_GLOBAL_EXPEDITED);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		return membarrier_private(mm, MEMBARRIER_STATE_PRIVATE_EXPEDITED);
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		return membarrier_register(mm, MEMBARRIER_STATE_PRIVATE_EXPEDITED);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		return membarrier_private(mm, MEMBARRIER_STATE_SYNC_CORE);
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		return membarrier_register(mm, MEMBARRIER_STATE_SYNC_CORE);
	case MEMBARRIER_CMD_GET_REGISTRATIONS:
		return membarrier_registrations(mm);
	default:
		return -EINVAL;
	}
}
