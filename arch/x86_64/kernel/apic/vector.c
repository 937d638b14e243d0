// SPDX-License-Identifier: MIT
/*
 * The vector allocator and the x86 sides of device interrupts.
 *
 * Each CPU has its own IDT vector space for devices: vector_irq[cpu][v] is
 * the IRQ descriptor served by vector v on that CPU, so the same vector can
 * carry different IRQs on different CPUs and the device vector range
 * (FIRST_DEVICE_VECTOR..LAST_DEVICE_VECTOR, 160 vectors) is per CPU. ISA
 * lines keep their fixed ISA_IRQ_VECTOR() on the CPU they are routed to.
 * A descriptor with no CPU asked for goes to the online CPU with the fewest
 * device vectors, which spreads MSI-X vectors and devices over all CPUs.
 *
 * Also here: the IOAPIC irq_chip, the MSI message format (Intel SDM vol.
 * 3A, 11.11.1 and 11.11.2) and the arch rows of /proc/interrupts.
 *
 * Locking: vector_lock (irqs off) guards vector_irq, vectors_used and
 * desc->vector/cpu; callers hold desc->lock around it. The interrupt path
 * reads vector_irq[this cpu] with an acquire load and no lock.
 */
#include <exo/acpi.h>
#include <exo/cpumask.h>
#include <exo/irq.h>
#include <exo/msi.h>
#include <exo/percpu.h>
#include <exo/seq_file.h>
#include <exo/spinlock.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <uapi/errno.h>

static struct irq_desc *vector_irq[NR_CPUS][NR_VECTORS];	/* [vector_lock], read [atomic] */
static unsigned int vectors_used[NR_CPUS];			/* [vector_lock] */
static DEFINE_SPINLOCK(vector_lock);

u32 arch_cpu_apic_id(unsigned int cpu)
{
	return cpu < NR_CPUS && cpu_infos[cpu] ? cpu_infos[cpu]->apic_id : 0;
}

static bool vector_reserved(unsigned int v)
{
	/* 0x80: Linux's int $0x80 gate, kept free of devices as Linux does. */
	return v == IA32_SYSCALL_VECTOR || irq_vector_has_handler(v);
}

static unsigned int least_loaded_cpu(void)
{
	unsigned int cpu, best = 0, best_used = ~0U;

	for_each_online_cpu(cpu) {
		if (vectors_used[cpu] < best_used) {
			best = cpu;
			best_used = vectors_used[cpu];
		}
	}
	return best;
}

int arch_irq_assign_vector(struct irq_desc *desc, int cpu)
{
	unsigned int old_vector = desc->vector, old_cpu = desc->cpu, v = 0;
	unsigned long flags;

	spin_lock_irqsave(&vector_lock, flags);
	if (cpu < 0)
		cpu = (int)least_loaded_cpu();
	if (desc->fixed_vector) {
		v = ISA_IRQ_VECTOR(desc->irq);
	} else if (old_vector && !vector_irq[cpu][old_vector]) {
		/*
		 * Keep the vector number across a move when it is free there: a
		 * level-triggered IOAPIC entry's Remote IRR is cleared by an EOI
		 * broadcast of its vector, which a late EOI on the old CPU sends.
		 */
		v = old_vector;
		vectors_used[cpu]++;
	} else {
		for (v = FIRST_DEVICE_VECTOR; v <= LAST_DEVICE_VECTOR; v++)
			if (!vector_irq[cpu][v] && !vector_reserved(v))
				break;
		if (v > LAST_DEVICE_VECTOR) {
			spin_unlock_irqrestore(&vector_lock, flags);
			return -ENOSPC;
		}
		vectors_used[cpu]++;
	}
	__atomic_store_n(&vector_irq[cpu][v], desc, __ATOMIC_RELEASE);
	desc->vector = v;
	desc->cpu = (unsigned int)cpu;
	/*
	 * The old vector goes at once: an interrupt already in flight to it
	 * is counted as unexpected and dropped. Devices are masked or idle
	 * when they move (boot, affinity changes by tests).
	 */
	if (old_vector && (old_vector != v || old_cpu != (unsigned int)cpu)) {
		__atomic_store_n(&vector_irq[old_cpu][old_vector], NULL, __ATOMIC_RELEASE);
		if (!desc->fixed_vector)
			vectors_used[old_cpu]--;
	}
	spin_unlock_irqrestore(&vector_lock, flags);
	return 0;
}

void arch_irq_free_vector(struct irq_desc *desc)
{
	unsigned long flags;

	spin_lock_irqsave(&vector_lock, flags);
	if (desc->vector) {
		__atomic_store_n(&vector_irq[desc->cpu][desc->vector], NULL, __ATOMIC_RELEASE);
		if (!desc->fixed_vector)
			vectors_used[desc->cpu]--;
	}
	desc->vector = 0;
	spin_unlock_irqrestore(&vector_lock, flags);
}

bool irq_vector_dispatch(unsigned int vector)
{
	struct irq_desc *desc =
		__atomic_load_n(&vector_irq[smp_processor_id()][vector], __ATOMIC_ACQUIRE);

	if (!desc)
		return false;
	handle_irq_desc(desc);
	/* Edge and level alike: the IOAPIC re-raises a level line still asserted. */
	lapic_eoi();
	return true;
}

bool irq_vector_in_use(unsigned int vector)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (__atomic_load_n(&vector_irq[cpu][vector], __ATOMIC_RELAXED))
			return true;
	return false;
}

/* The IOAPIC side of irq_setup_legacy(): the MADT's overrides decide over @bus_flags. */
int irq_setup_legacy(unsigned int irq, unsigned int bus_flags)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned long flags;
	unsigned int ioflags = bus_flags & IRQ_TYPE_LEVEL_LOW ? IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW : 0;
	u32 gsi = irq;
	int err = 0;

	if (irq >= NR_IRQS_LEGACY_GSI)
		return -EINVAL;
	if (irq < NR_IRQS_LEGACY) {
		u16 mps;

		gsi = acpi_isa_irq_to_gsi(irq, &mps);
		if ((mps & ACPI_MPS_POLARITY_MASK) == ACPI_MPS_POLARITY_LOW)
			ioflags |= IOAPIC_ACTIVE_LOW;
		else if ((mps & ACPI_MPS_POLARITY_MASK) == ACPI_MPS_POLARITY_HIGH)
			ioflags &= ~IOAPIC_ACTIVE_LOW;
		if ((mps & ACPI_MPS_TRIGGER_MASK) == ACPI_MPS_TRIGGER_LEVEL)
			ioflags |= IOAPIC_LEVEL;
		else if ((mps & ACPI_MPS_TRIGGER_MASK) == ACPI_MPS_TRIGGER_EDGE)
			ioflags &= ~IOAPIC_LEVEL;
	}
	spin_lock_irqsave(&desc->lock, flags);
	if (desc->chip) {
		err = desc->chip == &ioapic_chip ? 0 : -EBUSY;
		goto out;
	}
	desc->chip = &ioapic_chip;
	desc->hwirq = gsi;
	desc->ioapic_flags = ioflags;
	desc->flow = ioflags & IOAPIC_LEVEL ? "fasteoi" : "edge";
	err = arch_irq_assign_vector(desc, 0);
	if (!err)
		err = ioapic_chip.irq_set_vector_target(desc);
	if (err)
		desc->chip = NULL;
out:
	spin_unlock_irqrestore(&desc->lock, flags);
	return err;
}

static void ioapic_irq_mask(struct irq_desc *desc)
{
	ioapic_mask((u32)desc->hwirq);
}

static void ioapic_irq_unmask(struct irq_desc *desc)
{
	ioapic_unmask((u32)desc->hwirq);
}

static int ioapic_irq_set_target(struct irq_desc *desc)
{
	unsigned int flags = desc->ioapic_flags;

	if (desc->depth || !desc->action)
		flags |= IOAPIC_MASKED;
	return ioapic_route_irq((u32)desc->hwirq, desc->vector, arch_cpu_apic_id(desc->cpu), flags);
}

const struct irq_chip ioapic_chip = {
	.name = "IO-APIC",
	.irq_mask = ioapic_irq_mask,
	.irq_unmask = ioapic_irq_unmask,
	.irq_set_vector_target = ioapic_irq_set_target,
};

void arch_compose_msi_msg(struct msi_msg *msg, unsigned int vector, u32 apic_id)
{
	/*
	 * SDM vol. 3A, 11.11.1: bits 31-20 0xFEE, 19-12 destination id,
	 * RH = 0 and DM = 0 (physical, the one CPU named). 11.11.2: data
	 * bits 7-0 vector, 10-8 delivery mode 000 (fixed), bit 15 trigger
	 * 0 (edge); level assert (bit 14) is ignored for edge.
	 */
	msg->address_lo = MSI_ADDR_BASE | (apic_id & 0xff) << MSI_ADDR_DEST_ID_SHIFT;
	msg->address_hi = 0;
	msg->data = vector & MSI_DATA_VECTOR_MASK;
}

static void show_vector_row(struct seq_file *m, int prec, const char *label, unsigned int vector,
			    const char *what)
{
	unsigned int cpu;

	seq_printf(m, "%*s: ", prec, label);
	for_each_online_cpu(cpu)
		seq_printf(m, "%10lu ", irq_vector_count(cpu, vector));
	seq_printf(m, "  %s\n", what);
}

void arch_show_interrupts(struct seq_file *m, int prec)
{
	unsigned long err = 0;
	unsigned int cpu;

	show_vector_row(m, prec, "LOC", LOCAL_TIMER_VECTOR, "Local timer interrupts");
	show_vector_row(m, prec, "SPU", SPURIOUS_APIC_VECTOR, "Spurious interrupts");
	show_vector_row(m, prec, "RES", RESCHEDULE_VECTOR, "Rescheduling interrupts");
	show_vector_row(m, prec, "CAL", CALL_FUNCTION_VECTOR, "Function call interrupts");
	for_each_online_cpu(cpu)
		err += irq_vector_count(cpu, ERROR_APIC_VECTOR);
	seq_printf(m, "%*s: %10lu\n", prec, "ERR", err);
}
