// SPDX-License-Identifier: MIT
/*
 * Inter-processor interrupts: reschedule, call-function (TLB shootdown and
 * other cross-CPU work) and the NMI that stops CPUs on panic.
 *
 * A call-function request is one struct smp_call per call, shared by all
 * targets: each target runs fn(arg) from its IPI handler and decrements
 * `pending`; a waiting caller spins until it reaches zero. Requests queue
 * per target CPU (a lock-free singly linked push would do; a spinlock keeps
 * it simple), so several CPUs may call at once.
 *
 * Lock order: call_queue[cpu].lock is a leaf, taken with interrupts off.
 */
#include <exo/compiler.h>
#include <exo/cpumask.h>
#include <exo/irqflags.h>
#include <exo/percpu.h>
#include <exo/printk.h>
#include <exo/sched.h>
#include <exo/smp.h>
#include <exo/spinlock.h>
#include <exo/time.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/ptrace.h>
#include <asm/traps.h>

struct cpu_info *cpu_infos[NR_CPUS];
unsigned int nr_cpus_online = 1;
struct cpumask cpu_online_mask = { .bits = { 1 } };

#ifdef CONFIG_SMP
struct smp_call {
	void (*fn)(void *arg);
	void *arg;
	int pending;			/* [atomic] targets that have not run fn yet */
};

struct smp_call_entry {
	struct smp_call *call;
	struct smp_call_entry *next;
};

/* Each CPU's queue of requests: one entry slot per possible caller. */
struct call_queue {
	struct spinlock lock;
	struct smp_call_entry *head;			/* [lock] */
	struct smp_call_entry slots[NR_CPUS];		/* [lock] slot i belongs to caller CPU i */
};

static struct call_queue call_queues[NR_CPUS];

#define STOP_WAIT_MS 100

void smp_send_reschedule(unsigned int cpu)
{
	if (cpu == smp_processor_id() || !cpu_infos[cpu] || !cpu_infos[cpu]->online)
		return;
	lapic_send_ipi(cpu_infos[cpu]->apic_id, RESCHEDULE_VECTOR);
}

static void reschedule_interrupt(struct pt_regs *regs, unsigned int vector)
{
	/* need_resched or a new signal: the return path (or the idle loop) acts on it. */
	lapic_eoi();
}

static void call_function_interrupt(struct pt_regs *regs, unsigned int vector)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	struct smp_call_entry *e;

	lapic_eoi();
	for (;;) {
		spin_lock(&q->lock);
		e = q->head;
		if (e)
			q->head = e->next;
		spin_unlock(&q->lock);
		if (!e)
			return;
		struct smp_call *call = READ_ONCE(e->call);

		WRITE_ONCE(e->call, NULL);
		call->fn(call->arg);
		__atomic_fetch_sub(&call->pending, 1, __ATOMIC_RELEASE);
	}
}

void smp_call_function_many(const struct cpumask *mask, void (*fn)(void *arg), void *arg, bool wait)
{
	unsigned int me = smp_processor_id(), cpu;
	struct smp_call call = { .fn = fn, .arg = arg, .pending = 0 };
	unsigned long flags;

	WARN_ON(irqs_disabled() && wait);
	for_each_cpu(cpu, mask) {
		struct call_queue *q = &call_queues[cpu];
		struct smp_call_entry *e = &q->slots[me];

		if (cpu == me || !cpumask_test_cpu(cpu, &cpu_online_mask))
			continue;
		/* Our slot on that CPU may still hold our previous, unwaited call. */
		while (READ_ONCE(e->call))
			cpu_relax();
		__atomic_fetch_add(&call.pending, 1, __ATOMIC_RELAXED);
		spin_lock_irqsave(&q->lock, flags);
		e->call = &call;
		e->next = q->head;
		q->head = e;
		spin_unlock_irqrestore(&q->lock, flags);
		lapic_send_ipi(cpu_infos[cpu]->apic_id, CALL_FUNCTION_VECTOR);
	}
	/* The request lives on this stack frame: always wait for it to be taken. */
	while (__atomic_load_n(&call.pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	(void)wait;
}

void smp_stop_other_cpus(void)
{
	unsigned int me = smp_processor_id(), cpu;
	u64 deadline;

	if (nr_cpus_online <= 1)
		return;
	cpu_stop_request();
	for_each_online_cpu(cpu)
		if (cpu != me)
			lapic_send_nmi(cpu_infos[cpu]->apic_id);
	deadline = ktime_get_ns() + STOP_WAIT_MS * NSEC_PER_MSEC;
	for_each_online_cpu(cpu) {
		/* Each stopped CPU clears its online flag from the NMI handler. */
		while (cpu != me && READ_ONCE(cpu_infos[cpu]->online) && ktime_get_ns() < deadline)
			cpu_relax();
	}
}

void smp_ipi_init(void)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		spin_lock_init(&call_queues[i].lock);
	if (irq_set_vector_handler(RESCHEDULE_VECTOR, reschedule_interrupt) ||
	    irq_set_vector_handler(CALL_FUNCTION_VECTOR, call_function_interrupt))
		pr_err("smp: cannot register the IPI vectors\n");
}

#else /* !CONFIG_SMP: the boot CPU is the only one, so there is nobody to interrupt. */

void smp_send_reschedule(unsigned int cpu)
{
}

void smp_call_function_many(const struct cpumask *mask, void (*fn)(void *arg), void *arg, bool wait)
{
}

void smp_stop_other_cpus(void)
{
}

void smp_ipi_init(void)
{
}

#endif
