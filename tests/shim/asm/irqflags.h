/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for asm/irqflags.h: no real interrupts, but the simulated
 * interrupt flag is tracked so tests can check that every path restores it.
 */
#ifndef _ASM_IRQFLAGS_H
#define _ASM_IRQFLAGS_H

#define X86_EFLAGS_IF 0x200UL

extern int host_irqs_off;

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags = host_irqs_off ? 0 : X86_EFLAGS_IF;

	host_irqs_off = 1;
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		host_irqs_off = 0;
}

static inline void arch_irq_enable(void)
{
	host_irqs_off = 0;
}

static inline void arch_irq_disable(void)
{
	host_irqs_off = 1;
}

static inline int arch_irqs_disabled(void)
{
	return host_irqs_off;
}

static inline void arch_cpu_relax(void)
{
}

#endif /* _ASM_IRQFLAGS_H */
