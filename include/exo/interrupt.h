/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts, as Linux's request_irq(): an IRQ number names one
 * interrupt source (an IOAPIC input, one MSI or MSI-X message); the driver
 * gets it from its bus (pci_irq_vector()) and attaches a handler and a
 * cookie. Numbers 0-15 are the ISA lines, 16 to NR_IRQS_LEGACY_GSI-1 the
 * other IOAPIC inputs (GSIs, for PCI INTx), and the rest are allocated for
 * MSI and MSI-X. Each has a CPU vector from the vector allocator
 * (arch/x86_64/kernel/apic/vector.c) on one destination CPU.
 *
 * Handlers run with interrupts off on the destination CPU and return
 * IRQ_HANDLED if their device raised the interrupt, IRQ_NONE if not (a
 * shared level-triggered INTx line calls every handler on it). The end of
 * interrupt is sent by the core after the handlers return.
 */
#ifndef _EXO_INTERRUPT_H
#define _EXO_INTERRUPT_H

#include <exo/types.h>

enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
};
typedef enum irqreturn irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x80	/* the line may have several handlers (INTx) */

/*
 * Attaches @handler with cookie @dev_id and @name (shown in /proc/interrupts)
 * to @irq and unmasks it. Returns 0, -EINVAL (no such IRQ or no handler),
 * -EBUSY (already taken and not both IRQF_SHARED), -ENOMEM, or the routing's
 * error. May sleep.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id);
/* Detaches the handler with cookie @dev_id; the IRQ is masked when none is left. */
void free_irq(unsigned int irq, void *dev_id);
void disable_irq(unsigned int irq);
void enable_irq(unsigned int irq);
/* Moves @irq to @cpu (a new vector there). 0, -EINVAL, -ENOSPC (no free vector on @cpu). */
int irq_set_affinity(unsigned int irq, unsigned int cpu);
/* The CPU @irq is delivered to, or -EINVAL. */
int irq_get_affinity(unsigned int irq);
/* Interrupts of @irq taken on @cpu so far. */
unsigned long kstat_irqs_cpu(unsigned int irq, unsigned int cpu);

#endif /* _EXO_INTERRUPT_H */
