/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for <asm/memlayout.h>: every constant comes from the real
 * header (included below), so the unit tests cannot drift from the kernel's
 * layout. Only the direct map differs: on the host it starts at
 * host_direct_map_base, the mmap()ed arena that plays physical RAM, so the
 * real header's phys_to_virt/virt_to_phys are renamed out of the way and
 * replaced.
 */
#ifndef _SHIM_ASM_MEMLAYOUT_H
#define _SHIM_ASM_MEMLAYOUT_H

#define phys_to_virt kernel_phys_to_virt
#define virt_to_phys kernel_virt_to_phys
#include_next <asm/memlayout.h>
#undef phys_to_virt
#undef virt_to_phys

extern unsigned long host_direct_map_base;

#undef DIRECT_MAP_BASE
#define DIRECT_MAP_BASE host_direct_map_base

static inline void *phys_to_virt(phys_addr_t phys)
{
	return (void *)(phys + host_direct_map_base);
}

static inline phys_addr_t virt_to_phys(const void *virt)
{
	return (unsigned long)virt - host_direct_map_base;
}

#endif /* _SHIM_ASM_MEMLAYOUT_H */
