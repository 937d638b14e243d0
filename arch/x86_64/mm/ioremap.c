// SPDX-License-Identifier: MIT
/*
 * ioremap: device registers mapped uncached into [IOREMAP_START, IOREMAP_END).
 * Device mappings are few and long-lived (APIC, HPET, PCI BARs), so addresses
 * are handed out by a bump pointer with a guard page between mappings; a
 * released range is unmapped but its address space is not reused.
 */
#include <asm/io.h>
#include <asm/paging.h>
#include <exo/printk.h>
#include <exo/spinlock.h>

static unsigned long ioremap_next = IOREMAP_START;	/* [ioremap_lock] */
static DEFINE_SPINLOCK(ioremap_lock);

void __iomem *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned long len = ALIGN(phys + size, PAGE_SIZE) - base;
	unsigned long flags, va;

	if (!size || phys + size < phys)
		return NULL;
	spin_lock_irqsave(&ioremap_lock, flags);
	if (ioremap_next + len + PAGE_SIZE > IOREMAP_END) {
		spin_unlock_irqrestore(&ioremap_lock, flags);
		pr_err("ioremap: address space exhausted mapping %#lx+%#lx\n", (unsigned long)phys,
		       (unsigned long)size);
		return NULL;
	}
	va = ioremap_next;
	ioremap_next += len + PAGE_SIZE;
	spin_unlock_irqrestore(&ioremap_lock, flags);

	/* 4 KiB pages only: device windows are small and need no huge mappings. */
	for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
		if (arch_map_kernel_range(va + off, base + off, PAGE_SIZE, PAGE_KERNEL_NOCACHE)) {
			arch_unmap_kernel_range(va, off);
			return NULL;
		}
	}
	return (void __iomem *)(va + (phys - base));
}

void iounmap(volatile void __iomem *addr)
{
	unsigned long va = ALIGN_DOWN((__force unsigned long)addr, PAGE_SIZE);
	unsigned long end = va;

	if (va < IOREMAP_START || va >= IOREMAP_END)
		return;
	/* Mappings end at the guard page the allocator left unmapped. */
	while (arch_kernel_virt_to_phys(end) != (phys_addr_t)-1)
		end += PAGE_SIZE;
	arch_unmap_kernel_range(va, end - va);
	flush_tlb_kernel_range(va, end);
}
