/* SPDX-License-Identifier: MIT */
/*
 * Interrupt vectors and their handlers. Vectors 0-31 are CPU exceptions
 * (arch/x86_64/kernel/traps.c). Vectors 32-255 are external and
 * inter-processor interrupts: the entry code saves a struct pt_regs and calls
 * the handler registered for the vector with irq_set_vector_handler(), with
 * interrupts off. Handlers acknowledge their interrupt themselves (for LAPIC
 * and IOAPIC sources: lapic_eoi()). An interrupt on a vector with no handler
 * is counted, logged once and acknowledged.
 */
#ifndef _ASM_IRQ_H
#define _ASM_IRQ_H

struct pt_regs;

#define FIRST_EXTERNAL_VECTOR 0x20
#define ISA_IRQ_VECTOR(irq) (0x30 + (irq))	/* legacy IRQ 0-15 routed through the IOAPIC */
#define LOCAL_TIMER_VECTOR 0xec
#define CALL_FUNCTION_VECTOR 0xfb
#define RESCHEDULE_VECTOR 0xfc
#define ERROR_APIC_VECTOR 0xfe
#define SPURIOUS_APIC_VECTOR 0xff
#define NR_VECTORS 256

/* Returns 0, or -EINVAL for an exception vector, -EBUSY if one is registered already. */
int irq_set_vector_handler(unsigned int vector, void (*handler)(struct pt_regs *regs, unsigned int vector));
/* Removes the handler of @vector (a driver going away); it then counts as unhandled. */
void irq_clear_vector_handler(unsigned int vector);
/* How many interrupts arrived on @vector while it had no handler. */
unsigned long irq_unhandled_count(unsigned int vector);

/*
 * Drivers' interface to the legacy (ISA) interrupt lines 0-15, which needs
 * no vectors, IOAPIC or LAPIC: request_isa_irq() routes line @irq to this
 * CPU and has @handler called for each interrupt, with interrupts off; the
 * end of interrupt is sent after it returns. 0, -EINVAL, -EBUSY (the line or
 * its vector is taken) or the routing's error.
 */
#define NR_ISA_IRQS 16
int request_isa_irq(unsigned int irq, void (*handler)(unsigned int irq));

#endif /* _ASM_IRQ_H */
