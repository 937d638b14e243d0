/* SPDX-License-Identifier: MIT */
/*
 * Allocation flags shared by the page allocator (<exo/mm.h>) and the object
 * allocator (<exo/slab.h>). Nothing sleeps yet, so GFP_KERNEL and GFP_ATOMIC
 * only differ in intent; both fail with NULL instead of waiting.
 */
#ifndef _EXO_GFP_H
#define _EXO_GFP_H

#include <exo/types.h>

#define __GFP_ZERO	0x1u	/* zero the memory */
#define __GFP_DMA32	0x2u	/* physical address below 4 GiB */
#define __GFP_ATOMIC	0x4u	/* caller cannot sleep (interrupt, lock held) */
#define __GFP_NOWARN	0x8u	/* failure is expected: do not log it */
#define __GFP_NOFAULT	0x10u	/* never a fault-injection target (its own bookkeeping) */
#define GFP_KERNEL	0u
#define GFP_ATOMIC	__GFP_ATOMIC

#endif /* _EXO_GFP_H */
