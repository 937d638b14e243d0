/* SPDX-License-Identifier: MIT */
/*
 * Atomic operations on user memory for futexes: each returns 0 and the old
 * value through @oldval, or -EFAULT when the word cannot be accessed. They
 * may fault in pages (the fault handler takes mm->lock), so the caller
 * holds no lock a fault could need.
 */
#ifndef _ASM_FUTEX_H
#define _ASM_FUTEX_H

#include <exo/compiler.h>
#include <exo/types.h>

/* *uaddr = newval if *uaddr == oldval; *curval gets what was there. */
int futex_atomic_cmpxchg(u32 *curval, u32 __user *uaddr, u32 oldval, u32 newval);
/* Applies FUTEX_OP_{SET,ADD,OR,ANDN,XOR} with @oparg to *uaddr; *oldval gets the previous value. */
int futex_atomic_op(int op, u32 oparg, u32 *oldval, u32 __user *uaddr);

#endif /* _ASM_FUTEX_H */
