/* SPDX-License-Identifier: MIT */
/*
 * IRQ descriptors: what the bus code (PCI MSI, INTx) and the arch code share
 * about an IRQ number. Drivers use <exo/interrupt.h> instead.
 *
 * An irq_chip masks, unmasks and (re)targets one kind of source: the IOAPIC
 * ("IO-APIC"), MSI ("PCI-MSI") and MSI-X ("PCI-MSIX"). irq_set_vector_target
 * is called whenever the allocator gives the IRQ a (new) vector and CPU, so
 * the chip rewrites the redirection entry or the MSI message.
 *
 * Locking: irq_desc_lock (a spinlock, irqs off) guards the action lists and
 * the vector fields; the interrupt path reads them under it too. Counts are
 * per CPU and written only by their CPU.
 */
#ifndef _EXO_IRQ_H
#define _EXO_IRQ_H

#include <exo/interrupt.h>
#include <exo/percpu.h>
#include <exo/types.h>

#define NR_IRQS 256
#define NR_IRQS_LEGACY 16		/* ISA lines, identity-mapped onto vectors ISA_IRQ_VECTOR() */
#define NR_IRQS_LEGACY_GSI 48		/* IRQs below this are IOAPIC GSIs */

struct irq_desc;

struct irq_chip {
	const char *name;
	void (*irq_mask)(struct irq_desc *desc);
	void (*irq_unmask)(struct irq_desc *desc);
	/* The desc has a new vector/cpu: point the source at it (still masked). */
	int (*irq_set_vector_target)(struct irq_desc *desc);
};

struct irqaction {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	unsigned long flags;
	struct irqaction *next;
};

struct irq_desc {
	unsigned int irq;			/* [immutable] */
	const struct irq_chip *chip;		/* [irq_desc_lock] NULL: free number */
	void *chip_data;			/* [irq_desc_lock] the chip's (msi_desc, ...) */
	unsigned long hwirq;			/* [irq_desc_lock] GSI or MSI source id (shown) */
	const char *flow;			/* "edge" or "fasteoi" (shown) */
	bool level;				/* [irq_desc_lock] level-triggered source */
	bool fixed_vector;			/* [immutable] ISA: vector is ISA_IRQ_VECTOR(irq) */
	unsigned int vector;			/* [irq_desc_lock] 0: none */
	unsigned int cpu;			/* [irq_desc_lock] destination */
	unsigned int depth;			/* [irq_desc_lock] disable_irq nesting */
	struct irqaction *action;		/* [irq_desc_lock] */
	unsigned long counts[NR_CPUS];		/* [this cpu] */
};

struct irq_desc *irq_to_desc(unsigned int irq);
/*
 * Allocates @nr IRQ numbers above the GSIs for @chip, each with a vector
 * on a CPU chosen to spread them over all online CPUs (the first on the
 * least loaded one). Returns the first IRQ (they are consecutive) or -errno.
 */
int irq_alloc_descs(unsigned int nr, const struct irq_chip *chip, void *chip_data);
void irq_free_descs(unsigned int irq, unsigned int nr);
/* Claims GSI @gsi as IRQ @gsi for the IOAPIC chip, level/active-low per @ioapic_flags. */
int irq_setup_gsi(unsigned int gsi, unsigned int ioapic_flags);

/* Arch: vector allocation (arch/x86_64/kernel/apic/vector.c). */
int arch_irq_assign_vector(struct irq_desc *desc, int cpu);
void arch_irq_free_vector(struct irq_desc *desc);
/* The APIC id of logical @cpu. */
u32 arch_cpu_apic_id(unsigned int cpu);

/* Generic: runs the handlers of @desc on this CPU (from the arch entry code). */
void handle_irq_desc(struct irq_desc *desc);

struct seq_file;
/* /proc/interrupts. */
int show_interrupts(struct seq_file *m);

#endif /* _EXO_IRQ_H */
