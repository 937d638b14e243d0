// SPDX-License-Identifier: MIT
/*
 * The system call table, generated from
 * arch/x86_64/entry/syscalls/syscall_64.tbl. Numbers without an entry return
 * -ENOSYS; the first call of each logs its name, so missing calls show up in
 * the log as soon as a program needs them. They go to sys_ni_syscall_log(), so
 * every slot holds a function and the entry path calls it without a test
 * (entry_64.S's fast path with the user's argument registers; the slow path
 * through syscall_call() in <asm/syscall.h>, from pt_regs).
 */
#include <exo/fault-inject.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/syscalls.h>
#include <asm/switch_to.h>
#include <asm/syscall.h>
#include <uapi/errno.h>

#define __SYSCALL(nr, entry) long entry(SYSCALL_PARAMS);
#define __SYSCALL_NAME(nr, name)
#include <generated/syscall_table.h>
#undef __SYSCALL
#undef __SYSCALL_NAME

static long sys_ni_syscall_log(SYSCALL_PARAMS);

/* Every slot is sys_ni_syscall_log() first; the table's entries override theirs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const syscall_fn_t sys_call_table[NR_SYSCALLS] = {
	[0 ... NR_SYSCALLS - 1] = sys_ni_syscall_log,
#define __SYSCALL(nr, entry) [nr] = entry,
#define __SYSCALL_NAME(nr, name)
#include <generated/syscall_table.h>
#undef __SYSCALL
#undef __SYSCALL_NAME
};
#pragma GCC diagnostic pop

static const char *const syscall_names[NR_SYSCALLS] = {
#define __SYSCALL(nr, entry)
#define __SYSCALL_NAME(nr, name) [nr] = name,
#include <generated/syscall_table.h>
#undef __SYSCALL
#undef __SYSCALL_NAME
};

static unsigned long enosys_logged[(NR_SYSCALLS + 63) / 64];

/* A number below NR_SYSCALLS without a call: -ENOSYS, logged the first time. */
static long sys_ni_syscall_log(SYSCALL_PARAMS)
{
	unsigned long nr = (unsigned long)syscall_get_nr(current, task_pt_regs(current));
	unsigned long bit = 1UL << (nr % 64);

	if (!(__atomic_fetch_or(&enosys_logged[nr / 64], bit, __ATOMIC_RELAXED) & bit))
		pr_notice("syscall %lu (%s) not implemented: -ENOSYS\n", nr,
			  syscall_names[nr] ? syscall_names[nr] : "?");
	return -ENOSYS;
}

/* Entry code, like do_syscall_64: not hooked by the profiler (docs/kprof.md). */
notrace long syscall_dispatch(struct pt_regs *regs, unsigned long nr)
{
	if (unlikely(nr >= NR_SYSCALLS))
		return -ENOSYS;
	return syscall_call(sys_call_table[nr], regs);
}

#ifdef CONFIG_FAULT_INJECTION
/* A system call in which an allocation failed on purpose returns: check its errno (the mark is cleared by the exit loop). */
void syscall_fault_inject_exit(const struct pt_regs *regs)
{
	unsigned long nr = (unsigned long)syscall_get_nr(current, regs);

	if (nr < NR_SYSCALLS)
		fault_inject_syscall_exit(syscall_names[nr], nr, regs_return_value(regs));
}
#endif
