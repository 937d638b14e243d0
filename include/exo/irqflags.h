/* SPDX-License-Identifier: MIT */
/*
 * Local interrupt control. local_irq_save() disables interrupts on this CPU
 * and records whether they were on; local_irq_restore() re-enables them only
 * if they were. Nesting is safe.
 */
#ifndef _EXO_IRQFLAGS_H
#define _EXO_IRQFLAGS_H

#include <asm/irqflags.h>

#define local_irq_save(flags) ((flags) = arch_irq_save())
#define local_irq_restore(flags) arch_irq_restore(flags)
#define local_irq_enable() arch_irq_enable()
#define local_irq_disable() arch_irq_disable()
#define irqs_disabled() arch_irqs_disabled()
/* Whether @flags, from local_irq_save(), say interrupts were off. */
#define irqs_disabled_flags(flags) arch_irqs_disabled_flags(flags)
#define cpu_relax() arch_cpu_relax()

#endif /* _EXO_IRQFLAGS_H */
