/* SPDX-License-Identifier: MIT */
/* Interrupt flag primitives. Generic code uses <exo/irqflags.h>. */
#ifndef _ASM_IRQFLAGS_H
#define _ASM_IRQFLAGS_H

#define X86_EFLAGS_IF 0x200UL

static __attribute__((always_inline)) inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static __attribute__((always_inline)) inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		__asm__ __volatile__("sti" : : : "memory");
}

static __attribute__((always_inline)) inline void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static __attribute__((always_inline)) inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static __attribute__((always_inline)) inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __attribute__((always_inline)) inline int arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return !(flags & X86_EFLAGS_IF);
}

/* Waits for the next interrupt with interrupts enabled (the idle loop's step). */
static __attribute__((always_inline)) inline void arch_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static __attribute__((always_inline)) inline void arch_halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static __attribute__((always_inline)) inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

#endif /* _ASM_IRQFLAGS_H */
