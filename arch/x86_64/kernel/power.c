// SPDX-License-Identifier: MIT
/* Machine exit paths: QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4). */
#include <exo/power.h>
#include <exo/irqflags.h>
#include <asm/io.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4

void qemu_debug_exit(int code)
{
	local_irq_disable();
	outl((u32)code, QEMU_DEBUG_EXIT_PORT);
	for (;;)
		arch_halt();
}
