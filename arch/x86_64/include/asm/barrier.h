/* SPDX-License-Identifier: MIT */
/*
 * Memory barriers, Linux's names and meanings.
 *
 *   mb/rmb/wmb            order all accesses, device memory included
 *   smp_mb/rmb/wmb        order accesses between CPUs of this machine
 *   virt_mb/rmb/wmb       order accesses between this guest and a (virtual or
 *                         real) device sharing normal cacheable memory, as
 *                         virtio rings are
 *
 * x86 is TSO: loads are not reordered with loads, stores not with stores,
 * and a store is never moved before an earlier load. Only a store followed
 * by a load needs a real fence (smp_mb); the rest only keep the compiler
 * from reordering. A locked add to the stack is a full barrier and cheaper
 * than mfence; mfence is kept for mb(), which must also order
 * write-combining and non-temporal stores.
 */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H

#include <exo/compiler.h>

#define mb()	__asm__ __volatile__("mfence" ::: "memory")
#define rmb()	__asm__ __volatile__("lfence" ::: "memory")
#define wmb()	__asm__ __volatile__("sfence" ::: "memory")

#define smp_mb()	__asm__ __volatile__("lock addl $0, -4(%%rsp)" ::: "memory", "cc")
#define smp_rmb()	barrier()
#define smp_wmb()	barrier()

#define virt_mb()	smp_mb()
#define virt_rmb()	smp_rmb()
#define virt_wmb()	smp_wmb()

#endif /* _ASM_BARRIER_H */
