// SPDX-License-Identifier: MIT
/*
 * The legacy 8259A PIC pair. Exo-OS routes interrupts through the IOAPIC,
 * so the PICs are remapped away from the exception vectors (0x20-0x2f) and
 * then fully masked: a spurious PIC interrupt must never land on vector 8
 * (double fault), which is where the BIOS leaves IRQ 0.
 */
#include <asm/i8259.h>
#include <asm/io.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define PIC1_VECTOR_BASE 0x20
#define PIC2_VECTOR_BASE 0x28

void i8259_disable(void)
{
	outb(ICW1_INIT_ICW4, PIC1_CMD);
	io_delay();
	outb(ICW1_INIT_ICW4, PIC2_CMD);
	io_delay();
	outb(PIC1_VECTOR_BASE, PIC1_DATA);
	io_delay();
	outb(PIC2_VECTOR_BASE, PIC2_DATA);
	io_delay();
	outb(4, PIC1_DATA);	/* slave on IRQ 2 */
	io_delay();
	outb(2, PIC2_DATA);	/* slave identity */
	io_delay();
	outb(ICW4_8086, PIC1_DATA);
	io_delay();
	outb(ICW4_8086, PIC2_DATA);
	io_delay();
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
}
