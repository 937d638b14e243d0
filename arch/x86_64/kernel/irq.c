// SPDX-License-Identifier: MIT
/*
 * External and inter-processor interrupts, vectors 32-255 (the interface is
 * in <asm/irq.h>). idt_entry.S calls do_irq() with a full struct pt_regs and
 * interrupts off; do_irq() calls the handler registered for the vector.
 *
 * The handler table is written with compare-and-swap and read with acquire
 * loads, so registration needs no lock and may race with interrupts.
 * A vector nobody registered (a stray software int, a spurious PIC or APIC
 * interrupt) is counted and logged the first time it happens per vector.
 * Acknowledging it is the interrupt controller's business: once the LAPIC
 * code exists, it should send an EOI here for vectors that set an ISR bit
 * (not for the spurious vector, which does not).
 */
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/traps.h>
#include <exo/compiler.h>
#include <exo/lockdep.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <uapi/errno.h>

static void (*vector_handlers[NR_VECTORS])(struct pt_regs *regs, unsigned int vector); /* [atomic] */
static unsigned long unhandled_counts[NR_VECTORS];		/* [atomic] */

int irq_set_vector_handler(unsigned int vector,
			   void (*handler)(struct pt_regs *regs, unsigned int vector))
{
	void (*expected)(struct pt_regs *regs, unsigned int vector) = NULL;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS || !handler)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&vector_handlers[vector], &expected, handler, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EBUSY;
	return 0;
}

void irq_clear_vector_handler(unsigned int vector)
{
	if (vector >= FIRST_EXTERNAL_VECTOR && vector < NR_VECTORS)
		__atomic_store_n(&vector_handlers[vector], NULL, __ATOMIC_RELEASE);
}

unsigned long irq_unhandled_count(unsigned int vector)
{
	if (vector >= NR_VECTORS)
		return 0;
	return __atomic_load_n(&unhandled_counts[vector], __ATOMIC_RELAXED);
}

static void (*isa_handlers[NR_ISA_IRQS])(unsigned int irq); /* [atomic] */

static void isa_irq_entry(struct pt_regs *regs, unsigned int vector)
{
	unsigned int irq = vector - ISA_IRQ_VECTOR(0);
	void (*handler)(unsigned int irq) = __atomic_load_n(&isa_handlers[irq], __ATOMIC_ACQUIRE);

	if (handler)
		handler(irq);
	lapic_eoi();
}

int request_isa_irq(unsigned int irq, void (*handler)(unsigned int irq))
{
	void (*expected)(unsigned int irq) = NULL;
	unsigned int vector = ISA_IRQ_VECTOR(irq);
	int err;

	if (irq >= NR_ISA_IRQS || !handler)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&isa_handlers[irq], &expected, handler, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EBUSY;
	err = irq_set_vector_handler(vector, isa_irq_entry);
	if (!err) {
		err = ioapic_route_isa_irq(irq, vector, lapic_id());
		if (err)
			irq_clear_vector_handler(vector);
	}
	if (err)
		__atomic_store_n(&isa_handlers[irq], NULL, __ATOMIC_RELEASE);
	return err;
}

void do_irq(struct pt_regs *regs, unsigned long vector)
{
	void (*handler)(struct pt_regs *regs, unsigned int vector) =
		__atomic_load_n(&vector_handlers[vector], __ATOMIC_ACQUIRE);

	if (likely(handler)) {
		lockdep_hardirq_enter();	/* the validator's IRQ-safety check */
		handler(regs, vector);
		lockdep_hardirq_exit();
		return;
	}
	if (__atomic_fetch_add(&unhandled_counts[vector], 1, __ATOMIC_RELAXED) == 0)
		pr_warn("irq: unexpected interrupt on vector %#lx (CPU %lu, at %pS)\n", vector,
			smp_processor_id(), (void *)regs->rip);
}
