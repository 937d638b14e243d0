/* SPDX-License-Identifier: MIT */
/*
 * Interrupt vectors and their handlers. Vectors 0-31 are CPU exceptions
 * (arch/x86_64/kernel/traps.c). Vectors 32-255 are external and
 * inter-processor interrupts: the entry code saves a struct pt_regs and calls
 * the handler registered for the vector with irq_set_vector_handler(), with
 * interrupts off. Handlers acknowledge their interrupt themselves (for LAPIC
 * and IOAPIC sources: lapic_eoi()). An interrupt on a vector with no handler
 * is counted, logged once and acknowledged.
 *
 * Device interrupts (IOAPIC GSIs, MSI, MSI-X) use <exo/interrupt.h>; their
 * vectors come from the per-CPU allocator in apic/vector.c, in
 * FIRST_DEVICE_VECTOR..LAST_DEVICE_VECTOR. ISA lines 0-15 keep the fixed
 * ISA_IRQ_VECTOR(irq).
 */
#ifndef _ASM_IRQ_H
#define _ASM_IRQ_H

#include <exo/types.h>

struct pt_regs;

#define FIRST_EXTERNAL_VECTOR 0x20
#define ISA_IRQ_VECTOR(irq) (0x30 + (irq))	/* legacy IRQ 0-15 routed through the IOAPIC */
#define FIRST_DEVICE_VECTOR 0x40
#define IA32_SYSCALL_VECTOR 0x80	/* never given to a device */
#define LAST_DEVICE_VECTOR 0xdf
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

/* True when a system handler (irq_set_vector_handler) owns @vector. */
bool irq_vector_has_handler(unsigned int vector);
/* Interrupts that arrived on @vector on @cpu (any handler or none). */
unsigned long irq_vector_count(unsigned int cpu, unsigned int vector);
/* apic/vector.c: runs the device IRQ of @vector on this CPU; false if there is none. */
bool irq_vector_dispatch(unsigned int vector);
/* apic/vector.c: some CPU has a device IRQ on @vector. */
bool irq_vector_in_use(unsigned int vector);

#endif /* _ASM_IRQ_H */
