/* SPDX-License-Identifier: MIT */
/*
 * Memory subsystem start-up. The arch code fills memblock from the firmware
 * map in setup_arch(); start_kernel() then calls mm_core_init(), which hands
 * memory to the page allocator, starts the slab and vmalloc allocators, and
 * prints the "Memory: ..." summary line.
 */
#ifndef _EXO_MM_INIT_H
#define _EXO_MM_INIT_H

void mm_core_init(void);

#endif /* _EXO_MM_INIT_H */
