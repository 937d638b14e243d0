// SPDX-License-Identifier: MIT
/*
 * A test driver for QEMU's "edu" device (1234:11e8; QEMU docs/specs/edu.rst):
 * it exercises the interrupt path end to end. BAR 0 is 1 MiB of registers,
 * 32-bit accesses only; writing a bit pattern to EDU_IRQ_RAISE sets it in
 * EDU_IRQ_STATUS and signals an interrupt (MSI when the MSI capability is
 * enabled, else INTA); writing the pattern to EDU_IRQ_ACK clears it and, for
 * INTx, deasserts the line once the status is zero.
 *
 * Probe takes whatever pci_alloc_irq_vectors() gives (MSI, or INTx with
 * "pci=nomsi") and starts a kernel thread that raises EDU_TEST_IRQS
 * interrupts one at a time on the CPU the allocator chose, then moves the
 * IRQ to each online CPU in turn (irq_set_affinity) and raises
 * EDU_TEST_PER_CPU there, checking the per-CPU counts. The result is one log
 * line per step and "edu ...: interrupt test passed" (or FAILED); the counts
 * stay in /proc/interrupts under the name "edu".
 */
#include <exo/cpumask.h>
#include <exo/err.h>
#include <exo/irq.h>
#include <exo/mutex.h>
#include <exo/pci.h>
#include <exo/percpu.h>
#include <exo/sched.h>
#include <exo/slab.h>
#include <asm/io.h>
#include <uapi/errno.h>

#define EDU_ID 0x00
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64
#define EDU_ID_MAGIC 0xed	/* 0xRRrr00ed: major, minor version */
#define EDU_TEST_IRQS 16
#define EDU_TEST_PER_CPU 4
#define EDU_WAIT_NS 2000000000ULL	/* per interrupt; TCG under load is slow */
#define EDU_POLL_NS 1000000ULL

/* One test at a time: edus sharing an INTx line would count each other's interrupts. */
static DEFINE_MUTEX(edu_test_lock);

struct edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	int irq;
	unsigned long count;	/* [atomic] interrupts handled */
	/*
	 * [atomic] the same, by the CPU that took them: the line's own per-CPU
	 * count also counts a virtio device or another edu sharing an INTx line.
	 */
	unsigned long cpu_count[NR_CPUS];
};

static irqreturn_t edu_interrupt(int irq, void *dev_id)
{
	struct edu *edu = dev_id;
	u32 status = readl((u8 __iomem *)edu->regs + EDU_IRQ_STATUS);

	if (!status)
		return IRQ_NONE;	/* a shared INTx line: not ours */
	writel(status, (u8 __iomem *)edu->regs + EDU_IRQ_ACK);
	__atomic_fetch_add(&edu->cpu_count[smp_processor_id()], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&edu->count, 1, __ATOMIC_RELEASE);
	return IRQ_HANDLED;
}

/* Raises @n interrupts one at a time; returns how many were handled. */
static unsigned int edu_raise(struct edu *edu, unsigned int n)
{
	unsigned int got = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned long want = __atomic_load_n(&edu->count, __ATOMIC_ACQUIRE) + 1;
		u64 waited = 0;

		writel(1, (u8 __iomem *)edu->regs + EDU_IRQ_RAISE);
		while (__atomic_load_n(&edu->count, __ATOMIC_ACQUIRE) < want &&
		       waited < EDU_WAIT_NS) {
			schedule_timeout_ns(EDU_POLL_NS, false);
			waited += EDU_POLL_NS;
		}
		if (__atomic_load_n(&edu->count, __ATOMIC_ACQUIRE) >= want)
			got++;
	}
	return got;
}

static int edu_test_thread(void *arg)
{
	struct edu *edu = arg;
	struct irq_desc *desc = irq_to_desc((unsigned int)edu->irq);
	struct device *dev = &edu->pdev->dev;
	unsigned int got, cpu, cpus = 0;
	unsigned long there;
	bool ok = true;

	mutex_lock(&edu_test_lock);
	got = edu_raise(edu, EDU_TEST_IRQS);
	dev_info(dev, "%s irq %d on cpu %d: %u/%u interrupts\n", desc->chip->name, edu->irq,
		 irq_get_affinity((unsigned int)edu->irq), got, EDU_TEST_IRQS);
	ok &= got == EDU_TEST_IRQS;
	for_each_online_cpu(cpu) {
		unsigned long before = __atomic_load_n(&edu->cpu_count[cpu], __ATOMIC_ACQUIRE);
		int err = irq_set_affinity((unsigned int)edu->irq, cpu);

		got = err ? 0 : edu_raise(edu, EDU_TEST_PER_CPU);
		there = __atomic_load_n(&edu->cpu_count[cpu], __ATOMIC_ACQUIRE) - before;
		dev_info(dev, "moved to cpu %u (err %d): %u/%u interrupts, %lu handled there\n", cpu,
			 err, got, EDU_TEST_PER_CPU, there);
		ok &= got == EDU_TEST_PER_CPU && there == EDU_TEST_PER_CPU;
		cpus++;
	}
	dev_info(dev, "interrupt test %s (%u cpus)\n", ok ? "passed" : "FAILED", cpus);
	mutex_unlock(&edu_test_lock);
	kthread_exit(0);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct task *t;
	struct edu *edu;
	u32 ident;
	int err, n;

	edu = kzalloc(sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	err = pci_enable_device(pdev);
	if (err)
		goto out_free;
	edu->regs = pci_iomap(pdev, 0, 0);
	if (!edu->regs) {
		err = -ENOMEM;
		goto out_disable;
	}
	ident = readl((u8 __iomem *)edu->regs + EDU_ID);
	if ((ident & 0xff) != EDU_ID_MAGIC) {
		dev_err(&pdev->dev, "identification %#x is not edu's\n", ident);
		err = -ENODEV;
		goto out_unmap;
	}
	/* MSI is a memory write by the device: it must master the bus. */
	pci_set_master(pdev);
	n = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX | PCI_IRQ_MSI | PCI_IRQ_LEGACY);
	if (n < 0) {
		err = n;
		goto out_unmap;
	}
	edu->irq = pci_irq_vector(pdev, 0);
	err = request_irq((unsigned int)edu->irq, edu_interrupt, IRQF_SHARED, "edu", edu);
	if (err)
		goto out_vectors;
	pci_set_drvdata(pdev, edu);
	dev_info(&pdev->dev, "edu version %u.%u, irq %d\n", ident >> 24, (ident >> 16) & 0xff,
		 edu->irq);
	t = kthread_create(edu_test_thread, edu, "edu-test");
	if (IS_ERR(t)) {
		err = (int)PTR_ERR(t);
		goto out_irq;
	}
	wake_up_new_task(t);
	return 0;

out_irq:
	free_irq((unsigned int)edu->irq, edu);
out_vectors:
	pci_free_irq_vectors(pdev);
out_unmap:
	pci_iounmap(pdev, edu->regs);
out_disable:
	pci_disable_device(pdev);
out_free:
	kfree(edu);
	return err;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ 0 }
};

static struct pci_driver edu_driver = {
	.name = "edu",
	.id_table = edu_ids,
	.probe = edu_probe,
};
module_pci_driver(edu_driver);
