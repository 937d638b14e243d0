/* SPDX-License-Identifier: MIT */
/*
 * The ticket lock's release (<exo/spinlock.h>), x86's way. The holder is
 * the owner counter's only writer, so it needs no lock prefix: one add to
 * memory, where a load, an add and a store would be three. x86 stores are
 * releases; the memory clobber keeps the critical section's accesses above.
 */
#ifndef _ASM_SPINLOCK_H
#define _ASM_SPINLOCK_H

#include <exo/compiler.h>
#include <exo/types.h>

static __always_inline void arch_ticket_release(u16 *owner)
{
	__asm__ __volatile__("addw $1, %0" : "+m"(*owner) : : "memory");
}

#endif /* _ASM_SPINLOCK_H */
