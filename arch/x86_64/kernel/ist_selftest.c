// SPDX-License-Identifier: MIT
/*
 * selftest "ist": the IST entries (NMI, #DB, #MC, #DF) run their handler
 * with this CPU's GS base whatever GS_BASE held when they hit, and put that
 * value back. This is what makes an NMI safe between a system call's entry
 * and its swapgs (or the exit's swapgs and iretq): the saved CS says kernel
 * there, but GS_BASE is the user's, which with FSGSBASE can be any
 * canonical address.
 *
 * On every online CPU, with interrupts off, GS_BASE is set to a junk value
 * and the CPU
 *   - sends itself an NMI through its local APIC (physical destination, its
 *     own APIC id) and waits for it;
 *   - single-steps one instruction (RFLAGS.TF), a #DB trap. (icebp would
 *     need no flag, but QEMU's TCG builds it only with WANT_ICEBP and
 *     raises #UD.)
 * do_exception() counts each exception on the cpu_info that %gs names, so
 * the count on this CPU's cpu_info must go up, and GS_BASE must hold the
 * junk again afterwards. Two junk values: a copy of this CPU's cpu_info on
 * the stack (an entry that trusted GS_BASE would count there and carry on,
 * a clean failure), and 0 (such an entry faults on its first per-CPU
 * access, and its fault handler on the next: the boot never finishes).
 * #MC and #DF take the same entry but are fatal, so they are not raised.
 *
 * Rule: between setting the junk and restoring the real base nothing may
 * use %gs: no printk, no per-CPU access, no lock; the report comes after.
 */
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/traps.h>
#include <exo/compiler.h>
#include <exo/cpumask.h>
#include <exo/irqflags.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/selftest.h>
#include <exo/smp.h>
#include <exo/string.h>
#include <uapi/errno.h>

/* A self-NMI is taken within a few instructions; this bound only ends a failed wait. */
#define NMI_WAIT_LOOPS (1UL << 22)

struct ist_case {
	const char *name;
	unsigned int vector;
	void (*raise)(unsigned long *count, unsigned long before);
};

static void ist_raise_nmi(unsigned long *count, unsigned long before)
{
	lapic_send_nmi(lapic_id());
	for (unsigned long i = 0; i < NMI_WAIT_LOOPS && READ_ONCE(*count) == before; i++)
		cpu_relax();
}

/* Vol. 3B, 18.3.1.4: TF set by popfq traps after the next instruction; do_debug clears TF. */
static void ist_raise_debug(unsigned long *count, unsigned long before)
{
	__asm__ __volatile__("pushfq\n\t"
			     "orq %0, (%%rsp)\n\t"
			     "popfq\n\t"
			     "nop"
			     :
			     : "i"(X86_EFLAGS_TF)
			     : "memory", "cc");
}

static const struct ist_case ist_cases[] = {
	{ "NMI", X86_TRAP_NMI, ist_raise_nmi },
	{ "#DB (single step)", X86_TRAP_DB, ist_raise_debug },
};

/* Raises @c with GS_BASE = @junk; 0 if @ci counted it and the junk came back. */
static int ist_check(struct cpu_info *ci, const struct ist_case *c, u64 junk,
		     const struct cpu_info *decoy)
{
	unsigned long *count = &ci->trap_counts[c->vector];
	unsigned long before = READ_ONCE(*count), decoy_before = decoy->trap_counts[c->vector];
	u64 after;

	wrmsr(MSR_GS_BASE, junk);
	c->raise(count, before);
	after = rdmsr(MSR_GS_BASE);
	wrmsr(MSR_GS_BASE, (u64)ci);

	if (READ_ONCE(*count) == before) {
		pr_err("selftest ist: CPU %u: %s with GS_BASE %#lx not counted on this CPU%s\n",
		       ci->cpu, c->name, (unsigned long)junk,
		       READ_ONCE(decoy->trap_counts[c->vector]) != decoy_before ?
			       " but on the junk GS base" : "");
		return -EINVAL;
	}
	if (after != junk) {
		pr_err("selftest ist: CPU %u: %s left GS_BASE %#lx, expected %#lx\n", ci->cpu,
		       c->name, (unsigned long)after, (unsigned long)junk);
		return -EINVAL;
	}
	return 0;
}

/* Interrupts off. Stores 0 or -EINVAL in errs[this CPU]. */
static void ist_selftest_cpu(void *arg)
{
	int *errs = arg;
	struct cpu_info *ci = this_cpu_info();
	struct cpu_info decoy = *ci;
	const u64 junk[] = { (u64)&decoy, 0 };
	int err = 0;

	decoy.self = &decoy;
	memset(decoy.trap_counts, 0, sizeof(decoy.trap_counts));
	for (unsigned int j = 0; j < ARRAY_SIZE(junk); j++)
		for (unsigned int i = 0; i < ARRAY_SIZE(ist_cases); i++)
			err |= ist_check(ci, &ist_cases[i], junk[j], &decoy);
	errs[ci->cpu] = err;
}

static int ist_selftest(void)
{
	int errs[NR_CPUS];
	unsigned long flags;
	unsigned int cpu, ran = 0;
	int err = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		errs[cpu] = -ENOEXEC;
	local_irq_save(flags);
	ist_selftest_cpu(errs);
	local_irq_restore(flags);
	smp_call_function_many(&cpu_online_mask, ist_selftest_cpu, errs, true);
	for_each_online_cpu(cpu) {
		if (errs[cpu] == -ENOEXEC)
			pr_err("selftest ist: CPU %u did not run the test\n", cpu);
		err = err ?: errs[cpu];
		ran++;
	}
	pr_info("selftest ist: NMI and #DB with a junk GS base checked on %u CPU%s\n", ran,
		ran == 1 ? "" : "s");
	return err;
}
DEFINE_SELFTEST("ist", ist_selftest);
