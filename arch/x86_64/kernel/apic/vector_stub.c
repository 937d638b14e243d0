// SPDX-License-Identifier: MIT
/*
 * Stand-in until the IDT and external-interrupt entry land (branch cpu):
 * registering a vector handler fails, so the local APIC timer is set up and
 * calibrated but not started. The real definition overrides this weak one.
 */
#include <uapi/errno.h>
#include <asm/irq.h>

__attribute__((weak)) int irq_set_vector_handler(unsigned int vector,
						  void (*handler)(struct pt_regs *regs,
								  unsigned int vector))
{
	return -ENOSYS;
}
