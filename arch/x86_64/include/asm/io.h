/* SPDX-License-Identifier: MIT */
/* Port I/O and MMIO accessors. MMIO goes through volatile accesses so the compiler keeps order. */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include <exo/compiler.h>
#include <exo/types.h>

static inline void outb(u8 v, u16 port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 v, u16 port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u32 v, u16 port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to an unused port: about 1 us of delay on PC hardware. */
static inline void io_delay(void)
{
	outb(0, 0x80);
}

/*
 * MMIO accessors: the one place a __iomem pointer is dereferenced (the
 * __force casts), as a single access of the given width.
 */
static inline u8 readb(const volatile void __iomem *addr)
{
	return *(const volatile u8 __force *)addr;
}

static inline void writeb(u8 v, volatile void __iomem *addr)
{
	*(volatile u8 __force *)addr = v;
}

static inline u16 readw(const volatile void __iomem *addr)
{
	return *(const volatile u16 __force *)addr;
}

static inline void writew(u16 v, volatile void __iomem *addr)
{
	*(volatile u16 __force *)addr = v;
}

static inline u32 readl(const volatile void __iomem *addr)
{
	return *(const volatile u32 __force *)addr;
}

static inline void writel(u32 v, volatile void __iomem *addr)
{
	*(volatile u32 __force *)addr = v;
}

static inline u64 readq(const volatile void __iomem *addr)
{
	return *(const volatile u64 __force *)addr;
}

static inline void writeq(u64 v, volatile void __iomem *addr)
{
	*(volatile u64 __force *)addr = v;
}

/*
 * Maps @size bytes of device memory at physical @phys uncached into kernel
 * space and returns the virtual address, or NULL when out of space or page
 * tables. Works from setup_arch on (before the page allocator, page tables
 * come from an early pool). iounmap() releases the mapping.
 */
void __iomem *ioremap(phys_addr_t phys, size_t size);
void iounmap(volatile void __iomem *addr);

#endif /* _ASM_IO_H */
