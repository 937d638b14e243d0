/* SPDX-License-Identifier: MIT */
/*
 * The x86_64 virtual memory layout (4-level paging, 48-bit addresses).
 * docs/memory-layout.md draws the same map; keep them together.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (128 TiB)
 *   0xffff888000000000 - 0xffffc87fffffffff  direct map of all physical RAM (64 TiB)
 *   0xffffc90000000000 - 0xffffe8ffffffffff  vmalloc: kernel stacks, large buffers (32 TiB)
 *   0xffffe90000000000 - 0xffffe97fffffffff  ioremap: device registers, uncached (512 GiB)
 *   0xffffffff80000000 - 0xffffffffbfffffff  kernel image, loaded at physical 2 MiB (1 GiB)
 */
#ifndef _ASM_MEMLAYOUT_H
#define _ASM_MEMLAYOUT_H

#include <asm/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SHIFT 21
#define PMD_SIZE (_AC(1, UL) << PMD_SHIFT)
#define PUD_SHIFT 30
#define PUD_SIZE (_AC(1, UL) << PUD_SHIFT)
#define PGDIR_SHIFT 39

#define USER_SPACE_END _AC(0x0000800000000000, UL)
/*
 * User address-space layout (docs/memory.md, "Address spaces"): the stack
 * VMA ends at STACK_TOP and grows down; mmap() places mappings top-down from
 * mmap_base, which lies far enough below the stack for its growth limit; brk
 * grows up from the end of the program's bss. No mapping goes below
 * MMAP_MIN_ADDR, so NULL dereferences (with small offsets) always fault.
 * Linux keeps the last page below USER_SPACE_END unmapped too (TASK_SIZE).
 */
#define TASK_SIZE (USER_SPACE_END - PAGE_SIZE)
#define STACK_TOP TASK_SIZE
#define MMAP_MIN_ADDR _AC(0x10000, UL)
#define DIRECT_MAP_BASE _AC(0xffff888000000000, UL)
#define DIRECT_MAP_SIZE (_AC(64, UL) << 40)
#define VMALLOC_START _AC(0xffffc90000000000, UL)
#define VMALLOC_END _AC(0xffffe90000000000, UL)
#define IOREMAP_START _AC(0xffffe90000000000, UL)
#define IOREMAP_END _AC(0xffffe98000000000, UL)
#define KERNEL_VMA _AC(0xffffffff80000000, UL)
#define KERNEL_PHYS_LOAD _AC(0x200000, UL)

/* Kernel stacks are 16 KiB, with an unmapped guard page below each (vmalloc). */
#define KERNEL_STACK_SIZE (_AC(4, UL) * PAGE_SIZE)

#ifndef __ASSEMBLER__
#include <exo/types.h>

static inline void *phys_to_virt(phys_addr_t phys)
{
	return (void *)(phys + DIRECT_MAP_BASE);
}

/* Accepts direct-map and kernel-image addresses (statics in .data/.bss). */
static inline phys_addr_t virt_to_phys(const void *virt)
{
	unsigned long v = (unsigned long)virt;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}
#endif

#endif /* _ASM_MEMLAYOUT_H */
