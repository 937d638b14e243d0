/* SPDX-License-Identifier: MIT */
/*
 * The fuzz target's <exo/slab.h> (tests/fuzz/ext4_fuzz.c, -include'd before
 * anything else): kmalloc() and friends are the host's malloc(), so that
 * ASan sees every object the ext4 code allocates, its bounds and its
 * lifetime (the kernel's slab, built for the host, would hide them inside
 * its own pages).
 */
#ifndef _EXO_SLAB_H
#define _EXO_SLAB_H

#include <exo/gfp.h>
#include <exo/types.h>

#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(p) ((unsigned long)(p) <= (unsigned long)ZERO_SIZE_PTR)

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t size, gfp_t gfp);
void kfree(const void *p);

#endif /* _EXO_SLAB_H */
