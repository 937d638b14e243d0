/* SPDX-License-Identifier: MIT */
/*
 * Page-table entry bits (Intel SDM vol. 3, 4.5) and the kernel page-table
 * primitives. Kernel mappings live in init_pml4; the upper half of every
 * process page table will point at the same lower-level tables, so kernel
 * mappings are made once and seen everywhere.
 */
#ifndef _ASM_PAGING_H
#define _ASM_PAGING_H

#include <asm/memlayout.h>

#define _PAGE_PRESENT (_AC(1, UL) << 0)
#define _PAGE_RW (_AC(1, UL) << 1)
#define _PAGE_USER (_AC(1, UL) << 2)
#define _PAGE_PWT (_AC(1, UL) << 3)
#define _PAGE_PCD (_AC(1, UL) << 4)
#define _PAGE_ACCESSED (_AC(1, UL) << 5)
#define _PAGE_DIRTY (_AC(1, UL) << 6)
#define _PAGE_PSE (_AC(1, UL) << 7)	/* 2 MiB / 1 GiB leaf in a PD / PDPT entry */
#define _PAGE_GLOBAL (_AC(1, UL) << 8)
#define _PAGE_NX (_AC(1, UL) << 63)
#define PTE_ADDR_MASK _AC(0x000ffffffffff000, UL)
#define PTRS_PER_TABLE 512

#define PAGE_KERNEL (_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_EXEC (_PAGE_PRESENT | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE (PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

#ifndef __ASSEMBLER__
#include <exo/types.h>

/*
 * Maps [va, va + size) to [pa, pa + size) in the kernel page table with
 * protection @prot (PAGE_KERNEL*), using 1 GiB and 2 MiB pages where
 * alignment and the CPU allow. All three must be page-aligned. Returns 0,
 * -EINVAL, -EBUSY if part of the range is mapped already, or -ENOMEM.
 * Caller flushes the TLB if it replaced anything (it cannot: -EBUSY).
 */
int arch_map_kernel_range(unsigned long va, phys_addr_t pa, unsigned long size, u64 prot);
/*
 * Removes 4 KiB mappings in [va, va + size) and flushes them from this CPU's
 * TLB only: kernel mappings are global, so other CPUs keep them until
 * flush_tlb_kernel_range(). Enough on its own only for memory no other CPU
 * has touched.
 */
void arch_unmap_kernel_range(unsigned long va, unsigned long size);
/*
 * Drops kernel translations of [start, end) from every online CPU's TLB and
 * returns when all have done so. Needs interrupts enabled (it waits for
 * IPIs) when other CPUs are online.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
/* Physical address @va maps to in the kernel page table, or -1 when unmapped. */
phys_addr_t arch_kernel_virt_to_phys(unsigned long va);
/*
 * Fills every top-level (PML4) entry covering [start, end) with a page-table
 * page, so that the kernel half of init_pml4 never changes afterwards and
 * process page tables can share it by copying the entries once.
 */
int arch_prealloc_kernel_pgtables(unsigned long start, unsigned long end);
/*
 * Copies init_pml4's kernel half (entries 256..511) into a new process PML4.
 * Valid once vmalloc_init() has filled every kernel top-level entry.
 */
void arch_pgd_copy_kernel(u64 *pgd);
/* Physical address of init_pml4, for CR3. */
phys_addr_t arch_kernel_pgd_phys(void);
/* Page-table pages come from @alloc (a zeroed page's physical address, or 0) from now on. */
void pgtable_set_allocator(phys_addr_t (*alloc)(void));
/* Replaces the boot page tables: direct map of all RAM, kernel image with section permissions. */
void paging_init(void);
/* Bits of PTE flags the CPU supports (_PAGE_NX is dropped on CPUs without NX). */
extern u64 supported_pte_mask;
#endif

#endif /* _ASM_PAGING_H */
