// SPDX-License-Identifier: MIT
/*
 * start_kernel: the generic boot sequence, in the order docs/boot.md
 * describes: console (already up) -> memory map -> page allocator -> object
 * allocator -> traps -> ACPI, interrupt controllers, timers -> initcalls ->
 * self-tests -> idle. Each step may use everything before it and nothing
 * after it.
 */
#include <exo/kernel.h>
#include <exo/binfmts.h>
#include <exo/cpumask.h>
#include <exo/fault-inject.h>
#include <exo/err.h>
#include <exo/fs.h>
#include <exo/panic.h>
#include <exo/sched.h>
#include <exo/string.h>
#include <asm/fpu.h>
#include <asm/switch_to.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <exo/cmdline.h>
#include <exo/init.h>
#include <exo/irqflags.h>
#include <exo/kprof.h>
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

#define INIT_MAX_ARGS 32

static const char *const init_fallbacks[] = { "/init", "/sbin/init", "/bin/init", "/bin/sh" };

/* argv for init: its path, then the command-line words after "--". */
static int init_argv(const char *path, const char **argv, char *buf, size_t len)
{
	const char *dashes = strstr(boot_command_line, " -- ");
	int argc = 0;

	argv[argc++] = path;
	if (dashes) {
		strlcpy(buf, dashes + 4, len);
		for (char *p = buf; *p && argc < INIT_MAX_ARGS - 1;) {
			while (*p == ' ')
				*p++ = '\0';
			if (!*p)
				break;
			argv[argc++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	argv[argc] = NULL;
	return argc;
}

static int init_open_console(void)
{
	struct file *con = filp_open("/dev/console", O_RDWR, 0);

	if (IS_ERR(con))
		return PTR_ERR(con);
	for (int fd = 0; fd < 3; fd++) {
		int err = fd_install_new(current->files, get_file(con), 0);

		if (err < 0)
			return err;
	}
	fput(con);
	return 0;
}

/* PID 1: becomes the first user program. */
static int kernel_init(void *unused)
{
	static const char *const envp[] = { "HOME=/", "TERM=linux", "PATH=/bin:/usr/bin:/sbin", NULL };
	static char args[COMMAND_LINE_SIZE];
	const char *argv[INIT_MAX_ARGS];
	char init_path[256];
	struct task *t = current;
	int err = -ENOENT;

	/*
	 * Initcalls run here, as in Linux: in PID 1, which can sleep, with
	 * interrupts on, so driver probes can wait for their devices and any
	 * kernel thread they start gets a PID after init's.
	 */
	do_initcalls();
	prepare_namespace();
	pr_info("Exo-OS: boot complete\n");

	/*
	 * Self-tests run here, in a schedulable task that can sleep and start
	 * kernel threads of its own (the idle task can do neither).
	 */
	if (cmdline_has("selftest")) {
		int failed = selftests_run();

		if (failed < 0)
			pr_warn("selftest= ignored: self-tests not built (CONFIG_SELFTEST is off)\n");
		else if (cmdline_has("debug_exit"))
			qemu_debug_exit(failed ? QEMU_EXIT_FAILURE : QEMU_EXIT_SUCCESS);
	}

	t->files = files_alloc();
	t->fs = fs_struct_alloc_init();
	if (IS_ERR(t->files) || IS_ERR(t->fs))
		panic("init: no memory for the first process's files");
	t->pgid = t->sid = t->pid;
	t->exit_signal = 0;
	err = init_open_console();
	if (err)
		pr_warn("init: cannot open /dev/console (%d); running without stdio\n", err);

	if (cmdline_get("init", init_path, sizeof(init_path))) {
		init_argv(init_path, argv, args, sizeof(args));
		err = kernel_execve(init_path, argv, envp);
		if (err)
			pr_err("init: cannot run init=%s (%d)\n", init_path, err);
	} else {
		err = -ENOENT;
		for (unsigned int i = 0; i < ARRAY_SIZE(init_fallbacks) && err; i++) {
			init_argv(init_fallbacks[i], argv, args, sizeof(args));
			err = kernel_execve(init_fallbacks[i], argv, envp);
		}
	}
	if (err) {
		pr_err("init: no working init found; add a program with make run OVERLAY=dir and pass init=/path\n");
		if (cmdline_has("debug_exit"))
			qemu_debug_exit(QEMU_EXIT_FAILURE);
		return err;
	}
	fault_inject_init();
	arch_kthread_return_to_user(task_pt_regs(t));
}

void init_exited(int status)
{
	if (cmdline_has("debug_exit")) {
		kprof_report_boot();
		pr_info("init exited with status %#x\n", status);
		qemu_debug_exit(status == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	}
	panic("Attempted to kill init! exitcode=0x%08x", status);
}

static void start_init(void)
{
	struct task *init = kthread_create(kernel_init, NULL, "init");

	if (IS_ERR(init))
		panic("cannot create the init task: %ld", PTR_ERR(init));
	if (init->pid != 1)
		panic("init got pid %d, not 1", init->pid);
	/* Any CPU: the ones that come online later too. */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, &init->cpus_allowed);
	wake_up_new_task(init);
}

void start_kernel(void)
{
	printk(KERN_NOTICE "%s", linux_banner);
	setup_arch();
	mm_core_init();
	if (fpu_init())
		panic("no memory for FPU state areas");
	sched_init();
	arch_late_init();
	local_irq_enable();
	start_init();
	cpu_idle_loop();
}
