// SPDX-License-Identifier: MIT
/*
 * panic: report a broken kernel invariant and stop. The report is the
 * reason, the registers, a symbolized backtrace, and PANIC_MARKER last, which
 * the test harness watches for. Other CPUs are stopped first so that their
 * output does not interleave with the report. With "debug_exit" on the
 * command line (the test harness sets it) QEMU is ended with exit status 3
 * afterwards, so a failing test does not wait for its timeout.
 */
#include <exo/panic.h>
#include <exo/printk.h>
#include <exo/cmdline.h>
#include <exo/smp.h>
#include <exo/power.h>
#include <asm/ptrace.h>
#include <asm/stacktrace.h>
#include <exo/irqflags.h>

static int panic_depth;

static void __noreturn panic_finish(const struct pt_regs *regs)
{
	show_regs(regs);
	show_backtrace(instruction_pointer(regs), frame_pointer(regs));
	printk(KERN_EMERG "%s\n", PANIC_MARKER);
	if (cmdline_has("debug_exit"))
		qemu_debug_exit(QEMU_EXIT_PANIC);
	for (;;)
		arch_halt();
}

static void __noreturn vpanic(struct pt_regs *regs, const char *fmt, va_list args)
{
	char msg[256];

	local_irq_disable();
	/* A panic inside the panic report: print what we can and stop. */
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 0) {
		console_emergency_write("\nnested panic\n" PANIC_MARKER "\n",
					sizeof("\nnested panic\n" PANIC_MARKER "\n") - 1);
		for (;;)
			arch_halt();
	}
	smp_stop_other_cpus();
	vsnprintf(msg, sizeof(msg), fmt, args);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	panic_finish(regs);
}

void panic(const char *fmt, ...)
{
	struct pt_regs regs;
	va_list args;

	arch_capture_regs(&regs);
	/*
	 * Report the caller of panic() in the RIP line, not panic() itself. A
	 * call to a noreturn function may be its caller's last instruction, so
	 * the return address can lie in the next function: step back into the
	 * call.
	 */
	instruction_pointer_set(&regs, (unsigned long)__builtin_return_address(0) - 1);
	frame_pointer_set(&regs, *(unsigned long *)__builtin_frame_address(0));
	va_start(args, fmt);
	vpanic(&regs, fmt, args);
}

void panic_regs(struct pt_regs *regs, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vpanic(regs, fmt, args);
}

void __warn(const char *file, int line, const char *cond)
{
	struct pt_regs regs;

	arch_capture_regs(&regs);
	printk(KERN_WARNING "WARNING: %s at %s:%d\n", cond, file, line);
	show_backtrace(instruction_pointer(&regs), frame_pointer(&regs));
}
