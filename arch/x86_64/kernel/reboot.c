// SPDX-License-Identifier: MIT
/*
 * Machine power-off and restart on PC hardware. Each method is tried in
 * turn, because firmware varies: QEMU's "pc" machine has no FADT reset
 * register, while its i8042 keyboard controller resets the CPU on command
 * 0xFE; a triple fault (an empty IDT and an interrupt) resets any x86.
 */
#include <exo/acpi.h>
#include <exo/irqflags.h>
#include <exo/printk.h>
#include <exo/reboot.h>
#include <exo/smp.h>
#include <exo/time.h>
#include <asm/desc.h>
#include <asm/io.h>

#define I8042_STATUS 0x64
#define I8042_COMMAND 0x64
#define I8042_STATUS_INPUT_FULL 0x02
#define I8042_CMD_PULSE_RESET 0xfe
#define RESET_WAIT_MS 50

static void i8042_reset(void)
{
	for (int i = 0; i < 10000 && (inb(I8042_STATUS) & I8042_STATUS_INPUT_FULL); i++)
		io_delay();
	outb(I8042_CMD_PULSE_RESET, I8042_COMMAND);
}

static void __noreturn triple_fault(void)
{
	struct desc_ptr empty = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(empty));
	for (;;)
		arch_halt();
}

void machine_restart(void)
{
	local_irq_disable();
	smp_stop_other_cpus();
	pr_notice("reboot: restarting system\n");
	acpi_reboot();
	mdelay(RESET_WAIT_MS);
	i8042_reset();
	mdelay(RESET_WAIT_MS);
	triple_fault();
}

void machine_power_off(void)
{
	int err;

	local_irq_disable();
	smp_stop_other_cpus();
	pr_notice("reboot: power down\n");
	err = acpi_poweroff();
	pr_emerg("reboot: ACPI power-off failed (%d); halting\n", err);
	for (;;)
		arch_halt();
}

void machine_halt(void)
{
	local_irq_disable();
	smp_stop_other_cpus();
	pr_notice("reboot: system halted\n");
	for (;;)
		arch_halt();
}
