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
 * Locking: desc->lock (irqs off) guards the action list, depth and the
 * chip calls, and is held while the handlers run, so free_irq() returns only
 * after a running handler finished (a handler must not call free_irq or
 * disable_irq on its own IRQ). vector_lock (arch) guards the vector tables,
 * desc->vector and desc->cpu; it nests inside desc->lock. Counts are per CPU
 * and written only by their CPU.
 */
#ifndef _EXO_IRQ_H
#define _EXO_IRQ_H

#include <exo/interrupt.h>
#include <exo/percpu.h>
#include <exo/spinlock.h>
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
	struct spinlock lock;
	unsigned int irq;			/* [immutable] */
	const struct irq_chip *chip;		/* [lock] NULL: free number */
	void *chip_data;			/* [lock] the chip's (msi_desc, ...) */
	unsigned long hwirq;			/* [lock] GSI or MSI source id (shown) */
	const char *flow;			/* "edge" or "fasteoi" (shown) */
	unsigned int ioapic_flags;		/* [immutable once set] IOAPIC_* for GSIs */
	bool fixed_vector;			/* [immutable] ISA: vector is ISA_IRQ_VECTOR(irq) */
	unsigned int vector;			/* [lock] 0: none */
	unsigned int cpu;			/* [lock] destination */
	unsigned int depth;			/* [lock] disable_irq nesting */
	struct irqaction *action;		/* [lock] */
	unsigned long counts[NR_CPUS];		/* [this cpu] */
};

struct irq_desc *irq_to_desc(unsigned int irq);
/*
 * Allocates @nr consecutive IRQ numbers above the GSIs for @chip, each with
 * a vector on a CPU chosen to spread them over the online CPUs (each on the
 * least loaded one at that moment), all masked. The caller then sets
 * chip_data and programs the source (chip->irq_set_vector_target).
 * Returns the first IRQ or -errno (-ENOSPC).
 */
int irq_alloc_descs(unsigned int nr, const struct irq_chip *chip, const char *flow);
void irq_free_descs(unsigned int irq, unsigned int nr);
/* irq_setup_legacy() bus defaults: 0 is ISA's own (edge, active high). */
#define IRQ_TYPE_LEVEL_LOW 0x8	/* PCI INTx */

/*
 * Sets up IOAPIC IRQ @irq (arch): an ISA line below 16 (GSI and trigger from
 * the MADT overrides, @bus_flags where the MADT says "conforms to the bus")
 * or a GSI above. Gives it a vector on the boot CPU, masked. Idempotent.
 * 0 or -errno.
 */
int irq_setup_legacy(unsigned int irq, unsigned int bus_flags);

/*
 * Arch: vector allocation (arch/x86_64/kernel/apic/vector.c). Gives @desc a
 * vector on @cpu (-1: the least loaded online CPU); the old one, if any, is
 * released. 0 or -ENOSPC.
 */
int arch_irq_assign_vector(struct irq_desc *desc, int cpu);
void arch_irq_free_vector(struct irq_desc *desc);
/* The APIC id of logical @cpu. */
u32 arch_cpu_apic_id(unsigned int cpu);

/* Generic: runs the handlers of @desc on this CPU (from the arch entry code). */
void handle_irq_desc(struct irq_desc *desc);

struct seq_file;
/* /proc/interrupts. */
int show_interrupts(struct seq_file *m);
/* The arch rows of /proc/interrupts (LOC, RES, ...), labels right-aligned to @prec. */
void arch_show_interrupts(struct seq_file *m, int prec);
/* The IOAPIC chip (arch). */
extern const struct irq_chip ioapic_chip;
void early_irq_init(void);

#endif /* _EXO_IRQ_H */
