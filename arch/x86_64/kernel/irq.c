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
 * It is acknowledged (EOI) unless it is the spurious vector.
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
static unsigned long vector_counts[NR_CPUS][NR_VECTORS];	/* [this cpu] */

int irq_set_vector_handler(unsigned int vector,
			   void (*handler)(struct pt_regs *regs, unsigned int vector))
{
	void (*expected)(struct pt_regs *regs, unsigned int vector) = NULL;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS || !handler)
		return -EINVAL;
	if (irq_vector_in_use(vector))
		return -EBUSY;
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

bool irq_vector_has_handler(unsigned int vector)
{
	return vector < NR_VECTORS && __atomic_load_n(&vector_handlers[vector], __ATOMIC_RELAXED);
}

unsigned long irq_vector_count(unsigned int cpu, unsigned int vector)
{
	if (cpu >= NR_CPUS || vector >= NR_VECTORS)
		return 0;
	return __atomic_load_n(&vector_counts[cpu][vector], __ATOMIC_RELAXED);
}

unsigned long irq_unhandled_count(unsigned int vector)
{
	if (vector >= NR_VECTORS)
		return 0;
	return __atomic_load_n(&unhandled_counts[vector], __ATOMIC_RELAXED);
}

void do_irq(struct pt_regs *regs, unsigned long vector)
{
	void (*handler)(struct pt_regs *regs, unsigned int vector);

	vector_counts[smp_processor_id()][vector]++;
	if (irq_vector_dispatch((unsigned int)vector))
		return;
	handler = __atomic_load_n(&vector_handlers[vector], __ATOMIC_ACQUIRE);
	if (likely(handler)) {
		lockdep_hardirq_enter();	/* the validator's IRQ-safety check */
		handler(regs, vector);
		lockdep_hardirq_exit();
		return;
	}
	/*
	 * A device vector that lost its IRQ (moved or freed while a message
	 * was in flight) is in service like any other: without an EOI it would
	 * block every lower-priority vector on this CPU. A software int sets
	 * no ISR bit, and an EOI then is ignored; the spurious vector needs none.
	 */
	if (vector != SPURIOUS_APIC_VECTOR)
		lapic_eoi();
	if (__atomic_fetch_add(&unhandled_counts[vector], 1, __ATOMIC_RELAXED) == 0)
		pr_warn("irq: unexpected interrupt on vector %#lx (CPU %lu, at %pS)\n", vector,
			smp_processor_id(), (void *)regs->rip);
}
