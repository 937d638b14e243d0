// SPDX-License-Identifier: MIT
/*
 * IRQ descriptors and request_irq() (interfaces in <exo/interrupt.h> and
 * <exo/irq.h>). One struct irq_desc per IRQ number: 0-15 the ISA lines,
 * up to NR_IRQS_LEGACY_GSI the other IOAPIC inputs, above that MSI and
 * MSI-X messages allocated by irq_alloc_descs(). The arch code finds the
 * descriptor from (CPU, vector) and calls handle_irq_desc().
 *
 * Lock order: desc->lock -> vector_lock (arch). irq_number_lock guards
 * which numbers above the GSIs are taken (desc->chip set) and is never held
 * with a desc lock.
 */
#include <exo/irq.h>
#include <exo/kernel.h>
#include <exo/panic.h>
#include <exo/cpumask.h>
#include <exo/printk.h>
#include <exo/slab.h>
#include <uapi/errno.h>

static struct irq_desc irq_descs[NR_IRQS];
static DEFINE_SPINLOCK(irq_number_lock);

void early_irq_init(void)
{
	for (unsigned int i = 0; i < NR_IRQS; i++) {
		spin_lock_init(&irq_descs[i].lock);
		irq_descs[i].irq = i;
		irq_descs[i].fixed_vector = i < NR_IRQS_LEGACY;
	}
}

struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < NR_IRQS ? &irq_descs[irq] : NULL;
}

unsigned long kstat_irqs_cpu(unsigned int irq, unsigned int cpu)
{
	if (irq >= NR_IRQS || cpu >= NR_CPUS)
		return 0;
	return __atomic_load_n(&irq_descs[irq].counts[cpu], __ATOMIC_RELAXED);
}

void handle_irq_desc(struct irq_desc *desc)
{
	struct irqaction *a;

	desc->counts[smp_processor_id()]++;
	spin_lock(&desc->lock);
	for (a = desc->action; a; a = a->next)
		a->handler((int)desc->irq, a->dev_id);
	spin_unlock(&desc->lock);
}

int irq_alloc_descs(unsigned int nr, const struct irq_chip *chip, const char *flow)
{
	unsigned long flags;
	unsigned int first, run = 0;
	int err;

	if (!nr)
		return -EINVAL;
	spin_lock_irqsave(&irq_number_lock, flags);
	for (first = NR_IRQS_LEGACY_GSI; first + nr <= NR_IRQS; first++) {
		for (run = 0; run < nr && !irq_descs[first + run].chip; run++)
			;
		if (run == nr)
			break;
		first += run;
	}
	if (run != nr) {
		spin_unlock_irqrestore(&irq_number_lock, flags);
		return -ENOSPC;
	}
	for (unsigned int i = 0; i < nr; i++)
		irq_descs[first + i].chip = chip;
	spin_unlock_irqrestore(&irq_number_lock, flags);

	for (unsigned int i = 0; i < nr; i++) {
		struct irq_desc *desc = &irq_descs[first + i];

		spin_lock_irqsave(&desc->lock, flags);
		desc->flow = flow;
		desc->depth = 1;	/* masked until request_irq */
		for (unsigned int c = 0; c < NR_CPUS; c++)
			desc->counts[c] = 0;
		err = arch_irq_assign_vector(desc, -1);
		spin_unlock_irqrestore(&desc->lock, flags);
		if (err) {
			irq_free_descs(first, nr);
			return err;
		}
	}
	return (int)first;
}

void irq_free_descs(unsigned int irq, unsigned int nr)
{
	unsigned long flags;

	for (unsigned int i = irq; i < irq + nr && i < NR_IRQS; i++) {
		struct irq_desc *desc = &irq_descs[i];

		spin_lock_irqsave(&desc->lock, flags);
		WARN_ON(desc->action);
		arch_irq_free_vector(desc);
		desc->chip_data = NULL;
		spin_unlock_irqrestore(&desc->lock, flags);
		spin_lock_irqsave(&irq_number_lock, flags);
		desc->chip = NULL;
		spin_unlock_irqrestore(&irq_number_lock, flags);
	}
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long irqflags, const char *name,
		void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action, **p;
	unsigned long flags;
	int err;

	if (!desc || !handler)
		return -EINVAL;
	if (irq < NR_IRQS_LEGACY && !desc->chip) {
		/* An ISA device's line: ISA's own trigger, edge and active high. */
		err = irq_setup_legacy(irq, 0);
		if (err)
			return err;
	}
	if (!desc->chip)
		return -EINVAL;
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->dev_id = dev_id;
	action->name = name;
	action->flags = irqflags;

	spin_lock_irqsave(&desc->lock, flags);
	if (desc->action && !(desc->action->flags & irqflags & IRQF_SHARED)) {
		spin_unlock_irqrestore(&desc->lock, flags);
		kfree(action);
		return -EBUSY;
	}
	for (p = &desc->action; *p; p = &(*p)->next)
		;
	*p = action;
	if (action == desc->action) {
		desc->depth = 0;
		desc->chip->irq_unmask(desc);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
	return 0;
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *found = NULL, **p;
	unsigned long flags;

	if (!desc)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	for (p = &desc->action; *p; p = &(*p)->next) {
		if ((*p)->dev_id == dev_id) {
			found = *p;
			*p = found->next;
			break;
		}
	}
	if (found && !desc->action && desc->chip) {
		desc->depth = 1;
		desc->chip->irq_mask(desc);
	}
	spin_unlock_irqrestore(&desc->lock, flags);
	if (!found)
		pr_warn("irq %u: free_irq of a cookie that is not there\n", irq);
	kfree(found);
}

void disable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc || !desc->chip)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->depth++ == 0)
		desc->chip->irq_mask(desc);
	spin_unlock_irqrestore(&desc->lock, flags);
}

void enable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;

	if (!desc || !desc->chip)
		return;
	spin_lock_irqsave(&desc->lock, flags);
	if (WARN_ON(desc->depth == 0))
		goto out;
	if (--desc->depth == 0)
		desc->chip->irq_unmask(desc);
out:
	spin_unlock_irqrestore(&desc->lock, flags);
}

int irq_set_affinity(unsigned int irq, unsigned int cpu)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	int err;

	if (!desc || !desc->chip || cpu >= NR_CPUS || !cpumask_test_cpu(cpu, &cpu_online_mask))
		return -EINVAL;
	spin_lock_irqsave(&desc->lock, flags);
	err = arch_irq_assign_vector(desc, (int)cpu);
	if (!err)
		err = desc->chip->irq_set_vector_target(desc);
	spin_unlock_irqrestore(&desc->lock, flags);
	return err;
}

int irq_get_affinity(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc || !desc->chip || !desc->vector)
		return -EINVAL;
	return (int)desc->cpu;
}
