// SPDX-License-Identifier: MIT
/*
 * start_kernel: the generic boot sequence, in the order ARCHITECTURE.md
 * gives: console (already up) -> memory map -> page allocator -> object
 * allocator -> traps -> ACPI, interrupt controllers, timers -> initcalls ->
 * self-tests -> idle. Each step may use everything before it and nothing
 * after it.
 */
#include <exo/kernel.h>
#include <exo/cmdline.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/mm_init.h>
#include <exo/power.h>
#include <exo/printk.h>
#include <exo/selftest.h>

static const char linux_banner[] =
	"Exo-OS version " EXO_VERSION " (" EXO_COMPILER ") #1 "
#ifdef CONFIG_SMP
	"SMP "
#endif
	"x86_64\n";

extern initcall_t __initcall_start[], __initcall_end[];

void do_initcalls(void)
{
	for (initcall_t *fn = __initcall_start; fn < __initcall_end; fn++) {
		int err = (*fn)();

		if (err)
			pr_err("initcall %pS failed: %d\n", (void *)*fn, err);
	}
}

void start_kernel(void)
{
	int failed;

	printk(KERN_NOTICE "%s", linux_banner);
	setup_arch();
	mm_core_init();
	arch_late_init();
	do_initcalls();
	local_irq_enable();
	pr_info("Exo-OS: boot complete\n");

	failed = selftests_run();
	if (cmdline_has("debug_exit") && cmdline_has("selftest"))
		qemu_debug_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);

	for (;;)
		arch_safe_halt();
}
