// SPDX-License-Identifier: MIT
/*
 * /proc/interrupts in Linux's layout: a header of CPU columns, one row per
 * IRQ that has a handler (number, per-CPU counts, chip, hardware IRQ and
 * flow, handler names), then the arch's rows (LOC, RES, CAL, ...).
 * Columns cover the online CPUs. Read without locks: counts are per-CPU
 * words, and a row may be a moment old.
 */
#include <exo/cpumask.h>
#include <exo/irq.h>
#include <exo/seq_file.h>

int show_interrupts(struct seq_file *m)
{
	int prec = 3;	/* digits of the largest IRQ number, at least 3 as Linux */
	unsigned int cpu;

	for (unsigned int n = NR_IRQS - 1; n >= 1000; n /= 10)
		prec++;
	seq_printf(m, "%*s", prec + 8, "");
	for_each_online_cpu(cpu)
		seq_printf(m, "CPU%-8u", cpu);
	seq_putc(m, '\n');

	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		struct irq_desc *desc = irq_to_desc(irq);
		unsigned long flags;
		struct irqaction *a;

		if (!__atomic_load_n(&desc->action, __ATOMIC_ACQUIRE))
			continue;
		spin_lock_irqsave(&desc->lock, flags);
		if (!desc->action || !desc->chip) {
			spin_unlock_irqrestore(&desc->lock, flags);
			continue;
		}
		seq_printf(m, "%*u: ", prec, irq);
		for_each_online_cpu(cpu)
			seq_printf(m, "%10lu ", desc->counts[cpu]);
		seq_printf(m, " %8s", desc->chip->name);
		seq_printf(m, " %*lu", prec, desc->hwirq);
		seq_printf(m, "-%-8s", desc->flow ? desc->flow : "edge");
		for (a = desc->action; a; a = a->next)
			seq_printf(m, a == desc->action ? "  %s" : ", %s", a->name ? a->name : "");
		seq_putc(m, '\n');
		spin_unlock_irqrestore(&desc->lock, flags);
	}
	arch_show_interrupts(m, prec);
	return 0;
}
